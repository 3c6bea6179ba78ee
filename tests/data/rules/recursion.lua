local function deeper(n) return 1 + deeper(n + 1) end
return {
  checks = {
    { id = "deep", label = "Recurses forever",
      test = function(app) return deeper(0) > 0 end },
  },
}
