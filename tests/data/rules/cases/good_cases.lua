-- Fixture for tests/unit/test_rules_api.c: scenarios of good.lua, one
-- passing, one whose criterion fails on a missing value, one wrong.
local function app(changes)
  local a = { requested = 100, total_cost = 200, participants = 20,
              partenaire = true, signe_le = "2024-05-01", type = "OBNL",
              subregion = "Nord" }
  for k, v in pairs(changes) do a[k] = v end
  return a
end
return {
  fiscal_years = { "2024-2025" },
  { name = "complet", app = app({ id = "C1" }), eligible = true,
    points = { impact = 30, cofin = 5, rounding = 7.44 }, score = 42.44,
    above_threshold = false,
    grades = { impact = { 3, 4 } } },
  { app = app({ id = "C2", participants = "" }), eligible = false },
  { name = "attentes fausses", app = app({ id = "C3", partenaire = "non" }),
    fails = { "signed" }, score = 1 },
}
