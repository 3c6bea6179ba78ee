-- Fixture: load() must refuse binary chunks whatever mode is asked.
local results = {}
local f, e = load("\27Lua\84\0\25\147\13\10\26\10", "bin", "b")
results[#results + 1] = tostring(f) .. "/" .. tostring(e)
results[#results + 1] = tostring(string.dump)
y = 7
results[#results + 1] = tostring(load("return y")())
results[#results + 1] = tostring(load("return x", "env", "t", { x = 5 })())
return { program = table.concat(results, "|") }
