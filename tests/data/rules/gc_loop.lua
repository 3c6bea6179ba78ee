-- Fixture: a finalizer that never ends must not hang rules_close.
setmetatable({}, { __gc = function() while true do end end })
return { program = "gc" }
