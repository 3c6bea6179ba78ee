return {
  checks = {
    { id = "t", label = "Raises a table",
      test = function(app) error({ code = 1 }) end },
  },
}
