return {
  schedule = {
    { label = "Début", share = 50, at = 0 },
    { label = "Fin", share = 40, at = 1 },
  },
}
