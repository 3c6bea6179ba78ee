-- The smallest complete rule file, for the input corpus: inputs are
-- loaded before the rule file runs, so these rules only matter for the
-- "valid" case, which must run to the end.
return {
  program = "Corpus",
  checks = {},
  criteria = {
    { id = "impact", label = "Impact", max = 10,
      score = function(app) return 10 end },
  },
  threshold = 0,
  allocate = { method = "greedy", on_overflow = "skip" },
  schedule = { { label = "Unique", share = 100, at = 0 } },
}
