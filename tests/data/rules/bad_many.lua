-- Fixture: one mistake per key; every one must be reported.
return {
  program = 12,
  fields = { age = "entier" },
  checks = {
    { id = "x", label = "X", test = "not a function" },
    { id = "y", lable = "Y", test = function() return true end },
  },
  criteria = { { id = "c", label = "C", max = 0, score = function() return 1 end } },
  threshold = -1,
  allocate = { on_overflow = "maybe", min_partial_share = 2 },
  schedule = { { label = "Tout", share = 100, at = 2 } },
  split = 3,
}
