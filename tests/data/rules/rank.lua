-- Fixture: rank() and tiebreak() keys; "ratio" drives them.
return {
  fields = { ratio = "number" },
  criteria = {
    { id = "c", label = "c", max = 100, score = function(app) return 50 end },
  },
  rank = function(app) return -(app.requested) end,          -- smaller first
  tiebreak = function(app) return app.ratio or -math.huge end,
}
