-- scenarios.lua: helpers for rule test scenarios (alliance test).
--
--   local S = require("scenarios")
--   local BASE = { subregion = "Joliette", requested = 60000, ... }
--   { name = "FQIS à 90 %", app = S.variant(BASE, "L-07", { requested = 108000 }),
--     fails = { "part_fqis" } }
--
-- A scenario file usually describes one good application and, case by
-- case, what changes; S.NONE empties a column, as an empty cell would.
local S = {}

S.NONE = setmetatable({}, { __tostring = function() return "S.NONE" end })

-- A copy of base with its id set and the changes applied (S.NONE removes a
-- column). base is not modified.
function S.variant(base, id, changes)
  local app = { id = id }
  for k, v in pairs(base) do app[k] = v end
  for k, v in pairs(changes or {}) do
    if v == S.NONE then app[k] = nil else app[k] = v end
  end
  return app
end

return S
