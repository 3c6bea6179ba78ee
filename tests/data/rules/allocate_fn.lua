-- allocate as a function: half of every request, in rank order, while the
-- first fiscal year's money lasts; reads candidates, envelope and ctx.
return {
  criteria = { { id = "c", label = "C", max = 10, score = function(app) return 5 end } },
  allocate = function(candidates, envelope, ctx)
    local grants, left = {}, envelope.left[ctx.fiscal_years[1]]
    assert(envelope.subregion ~= nil)
    for _, c in ipairs(candidates) do
      assert(c.rank >= 1 and c.score == 5 and c.years ~= nil)
      local half = math.floor(c.requested_cents / 2) / 100
      if half <= left then
        grants[c.id] = half
        left = left - half
      end
    end
    return grants
  end,
}
