-- Fixture for tests/e2e/test_rules_tools.sh: scenarios of
-- rules/monteregie.lua, three of them wrong on purpose.
local function app(id, changes)
  local a = {
    id = id, subregion = "Est de la Montérégie", mrc = "Les Maskoutains",
    org_type = "obnl", priorite = "securite_alimentaire",
    requested = 50000, total_cost = 100000, autres_financements = 25000,
    start = "2025-04-01", months = 24, personnes_rejointes = 250,
    partenaires = 4, participation = true, innovation = false,
    activite_recurrente = false,
  }
  for k, v in pairs(changes or {}) do a[k] = v end
  return a
end

return {
  fiscal_years = { "2024-2025", "2025-2026", "2026-2027", "2027-2028",
                   "2028-2029" },
  { name = "Bon dossier", app = app("F-1"), eligible = true, score = 83.5 },
  -- wrong: 80 % of the cost passes
  { name = "Exactement 80 %", app = app("F-2", { requested = 80000 }),
    fails = { "part_fqis" } },
  -- wrong: it is 85 %, and the priority scores 25
  { name = "OBNL à 85 %", app = app("F-3", { requested = 85000 }),
    eligible = true, points = { priorites = 20 } },
  -- wrong: 83.5 is above the threshold
  { app = app("F-4"), above_threshold = false },
}
