return {
  criteria = {
    { id = "double", label = "Doubles a string", max = 1, score = function()
        local s = "x"
        while true do s = s .. s end
      end },
  },
}
