-- Fixture: the sandbox's pattern functions on the cases of
-- lib/pattern_cases.lua; the result is the program's name.
local run = require("pattern_cases")
return { program = run() }
