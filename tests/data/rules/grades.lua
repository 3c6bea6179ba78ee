-- Fixture: committee grades.  The check "show" fails with a description
-- of app.grades, so the test can compare the table exactly; the criterion
-- "qualite" combines a computed part with the committee's mean.
local function show_grade(g)
  if g == nil then return "nil" end
  local by = {}
  for name, points in pairs(g.by) do by[#by + 1] = name .. "=" .. points end
  table.sort(by)
  local list = {}
  for i, points in ipairs(g.list) do list[i] = tostring(points) end
  return string.format("n=%d mean=%.4g by={%s} list={%s}", g.n, g.mean,
                       table.concat(by, ","), table.concat(list, ","))
end

return {
  checks = {
    { id = "show", label = "show", test = function(app)
        return false, "qualite: " .. show_grade(app.grades.qualite)
          .. "; impact: " .. show_grade(app.grades.impact)
      end },
  },
  criteria = {
    { id = "impact", label = "Impact", max = 50,
      score = function(app) return 10 end },
    { id = "qualite", label = "Qualité", max = 50,
      score = function(app)
        local g = app.grades.qualite
        if g == nil then return 20 end   -- no grade: a middle value
        return 10 + g.mean
      end },
  },
}
