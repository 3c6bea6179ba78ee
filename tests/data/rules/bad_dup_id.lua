return {
  checks = {
    { id = "a", label = "A", test = function() return true end },
    { id = "b", label = "B", test = function() return true end },
    { id = "a", label = "A again", test = function() return true end },
  },
}
