-- Fixture: string.rep past Lua's own size limit is a plain error; within
-- it, the memory limit of the sandbox must refuse the allocation.
local ok, err = pcall(string.rep, "x", 1e10)
assert(not ok and err:find("too large"), err)
local s = string.rep("x", 1e9)
return { program = s }
