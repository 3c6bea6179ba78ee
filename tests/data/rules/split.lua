-- Fixture: split by the "poids" column of split.csv.
return {
  split = function(subregions, ctx)
    local w = {}
    for _, s in ipairs(subregions) do w[s.name] = s.poids end
    return w
  end,
}
