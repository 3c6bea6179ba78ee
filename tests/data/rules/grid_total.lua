-- Fixture: criteria on 60 declared as a grid on 50: an error.
return {
  grid_total = 50,
  criteria = {
    { id = "a", label = "a", max = 40, score = function() return 1 end },
    { id = "b", label = "b", max = 20, score = function() return 1 end },
  },
}
