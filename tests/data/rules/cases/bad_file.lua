-- Fixture for tests/e2e/test_rules_tools.sh: a cases file with mistakes
-- of its own, each reported with its case.
return {
  fiscal_years = { "2024-2025", "2025-2026" },
  { name = "Vérification inconnue", app = { requested = 10, total_cost = 20 },
    fails = { "part_fqi" } },
  { name = "Critère inconnu", app = { requested = 10, total_cost = 20 },
    points = { priorite = 25 } },
  { name = "Case à cocher", app = { requested = 10, total_cost = 20,
                                    participation = "peut-être" } },
  { name = "Montant", app = { requested = -5, total_cost = 20 } },
  { name = "Clé", app = { requested = 10, total_cost = 20 }, eligble = true },
}
