-- Territorial equity test program (tests/e2e/test_equity.sh): each
-- application names its territory in the column "lieu"; one outside its
-- sub-region ("hors" = oui) is ineligible, so it gets no money.
return {
  program = "Équité (essai)",
  territory_column = "lieu",
  fields = { hors = "boolean", note = "integer" },
  checks = {
    { id = "territoire", label = "Territoire de la sous-région",
      test = function(app) return not app.hors, "hors territoire" end },
  },
  criteria = {
    { id = "note", label = "Note", max = 100,
      score = function(app) return app.note or 0 end },
  },
  threshold = 20,
  allocate = { method = "greedy", on_overflow = "skip",
               allow_resubmit = true },
  schedule = { { label = "Unique", share = 100, at = 0 } },
}
