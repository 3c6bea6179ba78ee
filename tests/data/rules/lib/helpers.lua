-- Fixture library module for require tests.
local M = {}
function M.greet(who) return "bonjour " .. who end
return M
