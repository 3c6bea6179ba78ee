local nope = require "nope"
return {}
