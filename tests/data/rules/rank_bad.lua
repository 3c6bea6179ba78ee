-- Fixture: a rank() that returns NaN for A2, and a tiebreak() that
-- returns a string for A3.
return {
  rank = function(app)
    if app.id == "A2" then return 0 / 0 end
    return 1
  end,
  tiebreak = function(app)
    if app.id == "A3" then return "trois" end
    return 1
  end,
}
