-- Fixture: a schedule function.  A1 gets thirds (rounded to millionths),
-- A2 one instalment on a date, A3 the labels of A1 again plus a new one.
return {
  schedule = function(app)
    if app.id == "A1" then
      return { { label = "Signature", share = 100 / 3, at = 0 },
               { label = "Mi-parcours", share = 100 / 3, at = 0.5 },
               { label = "Rapport final", share = 100 / 3, at = 1 } }
    elseif app.id == "A2" then
      return { { label = "Versement unique", share = 100, date = "2025-06-30" } }
    end
    return { { label = "Mi-parcours", share = 60, at = 0.25 },
             { label = "Signature", share = 40, date = "2024-09-01" } }
  end,
}
