-- Fixture for tests/unit/test_rules.c: a complete, valid rule file.
-- The expected points are worked out in the test, next to each check.
return {
  program = "Test FQIS",
  fields = {
    participants = "integer",
    cofinancement = "money",
    partenaire = "boolean",
    type = { "OBNL", "coop" },
    ratio = "number",
    signe_le = "date",
    note = "text",
  },
  checks = {
    { id = "share", label = "Demande d'au plus 80 % du coût total",
      test = function(app) return app.requested <= 0.8 * app.total_cost end },
    { id = "participants", label = "Au moins 10 participants",
      test = function(app)
        local n = app.participants or 0
        if n < 10 then return false, "seulement " .. n .. " participants" end
        return true
      end },
    { id = "partner", label = "Partenaire confirmé",
      test = function(app) return app.partenaire ~= false end },
    { id = "signed", label = "Entente signée",
      test = function(app)
        if app.signe_le == nil then return false, "pas de date de signature" end
        return true
      end },
  },
  criteria = {
    { id = "impact", label = "Impact", max = 40,
      score = function(app) return app.participants * 1.5 end },
    { id = "cofin", label = "Cofinancement", max = 10,
      score = function(app)
        return (app.total_cost - app.requested) / app.total_cost * 10
      end },
    { id = "rounding", label = "Arrondi", max = 10,
      score = function(app)
        if app.id == "A1" then return 2.125 end
        if app.id == "A2" then return -3 end
        return 7.4449
      end },
  },
  threshold = 55.5,
  allocate = { method = "greedy", on_overflow = "partial",
               min_partial_share = 0.5 },
  schedule = {
    { label = "Signature", share = 50, at = 0 },
    { label = "Mi-parcours", share = 30, at = 0.5 },
    { label = "Rapport final", share = 20, at = 1 },
  },
  split = function(subregions, ctx)
    local w = {}
    for _, s in ipairs(subregions) do
      w[s.name] = s.reserve and 0 or s.population
    end
    return w
  end,
}
