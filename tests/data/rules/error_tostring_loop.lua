-- Fixture: an error object whose __tostring never ends.
local evil = setmetatable({}, { __tostring = function() while true do end end })
return {
  checks = {
    { id = "evil", label = "Raises a looping error object",
      test = function(app) error(evil) end },
  },
}
