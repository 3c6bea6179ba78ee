return {
  criteria = {
    { id = "c", label = "Divides by zero", max = 10,
      score = function(app) return 0 / 0 end },
  },
}
