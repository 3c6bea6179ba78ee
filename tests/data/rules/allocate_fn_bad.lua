-- allocate returns what the engine must refuse; the first candidate's
-- title says what (set by the test)
return {
  allocate = function(candidates, envelope, ctx)
    local g, first = {}, candidates[1]
    local mode = first.title
    if mode == "unknown" then g["ZZ"] = 1; g["ZA"] = 1
    elseif mode == "fraction" then g[first.id] = 10.005
    elseif mode == "negative" then g[first.id] = -1
    elseif mode == "string" then g[first.id] = "beaucoup"
    elseif mode == "notable" then return 42
    elseif mode == "error" then error("boom")
    end
    return g
  end,
}
