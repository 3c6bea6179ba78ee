return {
  program = "Oops"
  checks = {},
}
