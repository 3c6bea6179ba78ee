-- Fixture library module whose function fails at run time.
local M = {}
function M.check(app)
  return app.nothing < 3
end
return M
