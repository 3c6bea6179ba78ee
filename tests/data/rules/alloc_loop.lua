-- Fixture: few VM instructions, but each builds a 10 MB string.
return {
  checks = {
    { id = "busy", label = "Allocates in a loop", test = function(app)
        while true do
          local s = string.rep("x", 1e7)
        end
      end },
  },
}
