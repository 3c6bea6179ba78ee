return {
  checks = {
    { id = "r", label = "Odd reason",
      test = function(app) return false, { "not", "a", "string" } end },
  },
}
