-- Fixture: patterns that backtrack for years in stock Lua; each check
-- must end with "instruction limit exceeded" instead.
local s = string.rep("a", 5000)
return {
  checks = {
    { id = "find", label = "find",
      test = function() return s:find(".-.-.-.-.-b") == nil end },
    { id = "match", label = "match",
      test = function() return string.match(s, "^a*a*a*a*a*a*b") == nil end },
    { id = "gmatch", label = "gmatch",
      test = function()
        for _ in s:gmatch("a*a*a*a*a*b") do end
        return true
      end },
    { id = "gsub", label = "gsub",
      test = function() return (s:gsub("a-a-a-a-a-c", "")) ~= nil end },
    { id = "plain", label = "plain",
      test = function()
        local big = string.rep("a", 400000)
        return big:find(string.rep("a", 200000) .. "b", 1, true) == nil
      end },
  },
}
