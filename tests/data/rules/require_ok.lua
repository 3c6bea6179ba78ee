local helpers = require "helpers"
local util = require "sub.util"
assert(rawequal(require "helpers", helpers), "require must cache")
return { program = helpers.greet("analyst") .. " " .. util.name }
