-- Fixture: a schedule function going wrong the way the application's
-- "note" column says.
local MODES = {
  notlist = function() return "50/50" end,
  empty = function() return {} end,
  sum = function() return { { label = "a", share = 50, at = 0 },
                            { label = "b", share = 40, at = 1 } } end,
  both = function() return { { label = "a", share = 100, at = 0,
                               date = "2025-01-01" } } end,
  neither = function() return { { label = "a", share = 100 } } end,
  at = function() return { { label = "a", share = 100, at = 1.5 } } end,
  date = function() return { { label = "a", share = 100, date = "2025-02-30" } } end,
  share = function() return { { label = "a", share = 0, at = 0 },
                              { label = "b", share = 100, at = 1 } } end,
  label = function() return { { share = 100, at = 0 } } end,
  key = function() return { { label = "a", share = 100, at = 0, when = 1 } } end,
  item = function() return { 100 } end,
  error = function(app) return app.nope.x end,
}
return {
  schedule = function(app) return MODES[app.note](app) end,
}
