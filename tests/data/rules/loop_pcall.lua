-- Fixture: catching the instruction-limit error must not buy more time.
return {
  checks = {
    { id = "stubborn", label = "Catches its errors", test = function(app)
        while true do
          pcall(function() while true do end end)
        end
      end },
  },
}
