return {
  checks = {
    { id = "n", label = "Forgets to return",
      test = function(app) local x = 1 end },
  },
}
