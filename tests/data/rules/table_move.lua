-- Fixture: one call, a trillion element moves done in C.
return {
  checks = {
    { id = "move", label = "Moves a lot", test = function(app)
        table.move({}, 1, 1e12, 1)
        return true
      end },
  },
}
