return {
  checks = {
    { id = "age", test = function() return true end },
  },
}
