-- Fixture: the smallest valid rule file; everything else takes its default.
return { program = "Minimal" }
