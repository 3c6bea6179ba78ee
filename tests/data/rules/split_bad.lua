-- Fixture: split() going wrong in the way the first subregion's "poids"
-- column names.
return {
  split = function(subregions, ctx)
    local mode = subregions[1].poids
    local w = {}
    for _, s in ipairs(subregions) do w[s.name] = 1 end
    if mode == "unknown" then w["Nulle part"] = 1
    elseif mode == "missing" then w[subregions[2].name] = nil
    elseif mode == "zero" then for k in pairs(w) do w[k] = 0 end
    elseif mode == "negative" then w[subregions[3].name] = -1
    elseif mode == "text" then w[subregions[2].name] = "deux"
    elseif mode == "notable" then return 5
    elseif mode == "error" then return subregions.nope.x
    end
    return w
  end,
}
