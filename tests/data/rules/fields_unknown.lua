return { fields = { participants = "integer", nope = "number" } }
