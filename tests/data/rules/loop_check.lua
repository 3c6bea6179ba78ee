return {
  checks = {
    { id = "forever", label = "Never ends", test = function(app)
        local n = 0
        while true do n = n + 1 end
      end },
  },
}
