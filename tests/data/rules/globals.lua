-- Fixture: lists the dangerous names that are reachable (expected: none).
local names = { "dofile", "loadfile", "io", "os", "debug", "package",
  "coroutine", "module", "loadstring", "setfenv", "getfenv", "newproxy" }
local found = {}
for _, n in ipairs(names) do
  if _G[n] ~= nil then found[#found + 1] = n end
end
if string.dump ~= nil then found[#found + 1] = "string.dump" end
-- still there: the safe ones
for _, n in ipairs({ "load", "require", "print", "pcall", "pairs" }) do
  if _G[n] == nil then found[#found + 1] = "missing " .. n end
end
local ok, err = pcall(collectgarbage, "stop")
if ok then found[#found + 1] = "collectgarbage stop" end
if type(collectgarbage("count")) ~= "number" then found[#found + 1] = "count" end
print("globals.lua says hello", 42)
return { program = table.concat(found, ",") }
