-- Fixture: criteria on 60, without grid_total: a warning only.
return {
  criteria = {
    { id = "a", label = "a", max = 40, score = function() return 1 end },
    { id = "b", label = "b", max = 20, score = function() return 1 end },
  },
}
