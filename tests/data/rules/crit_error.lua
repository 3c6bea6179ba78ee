return {
  criteria = {
    { id = "x", label = "X", max = 10, score = function(app)
        if app.id == "A2" then
          return app.missing.field
        end
        return 1
      end },
  },
}
