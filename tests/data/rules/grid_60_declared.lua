-- Fixture: criteria on 60 with grid_total = 60: no warning.
return {
  grid_total = 60,
  criteria = {
    { id = "a", label = "a", max = 40, score = function() return 1 end },
    { id = "b", label = "b", max = 20, score = function() return 1 end },
  },
}
