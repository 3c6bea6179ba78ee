return {
  criteria = {
    { id = "c", label = "Returns text", max = 10,
      score = function(app) return "5" end },
  },
}
