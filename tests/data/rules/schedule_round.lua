-- Fixture: thirds that only add up to 100 once rounded to millionths.
return {
  schedule = {
    { label = "Un", share = 33.3333, at = 0 },
    { label = "Deux", share = 33.3333, at = 0.25 },
    { label = "Trois", share = 33.3334, at = 0.9996 },
  },
  allocate = { on_overflow = "stop" },
  threshold = 0.005,
}
