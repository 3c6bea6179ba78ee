local failing = require "failing"
return {
  checks = {
    { id = "lib", label = "Calls a library function that fails",
      test = function(app) return failing.check(app) end },
  },
}
