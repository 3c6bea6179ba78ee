return {
  checks = {
    { id = "e", label = "Raises without position",
      test = function(app) error("boom", 0) end },
  },
}
