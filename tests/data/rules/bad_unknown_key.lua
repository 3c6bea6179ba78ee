return { program = "Typo", treshold = 50 }
