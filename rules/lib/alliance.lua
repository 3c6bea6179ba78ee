-- alliance.lua: helpers shared by the regional rule files.
--
--   local A = require("alliance")
--
-- Rule files run in a sandbox: only the base functions, string, table, math
-- and utf8 exist (no os, io, debug or package), so dates are computed here in
-- plain Lua. Every helper accepts nil where an application's optional column
-- may be empty, and never raises on it.
local A = {}

-- true when value is one of the list's items (exact comparison).
--   A.one_of(app.org_type, { "obnl", "cooperative" })
-- Rules call this on every application, and in the sandbox each call of a
-- C function (ipairs' iterator, type) costs more than several VM
-- instructions: the loop indexes the list itself. Same items in the same
-- order as ipairs, same == (metamethods included); a list that cannot be
-- indexed (nil) raises "attempt to index a nil value (local 'list')" here.
function A.one_of(value, list)
  local i = 1
  local item = list[1]
  while item ~= nil do
    if item == value then return true end
    i = i + 1
    item = list[i]
  end
  return false
end

-- true for true and for "oui", "yes", "true", "vrai", "o", "y", "1"
-- (any case, surrounding spaces ignored); false for everything else,
-- nil included. Declared "boolean" columns already arrive as true/false;
-- yes() is for undeclared columns, which arrive as strings.
local YES = { oui = true, yes = true, ["true"] = true, vrai = true,
              o = true, y = true, ["1"] = true }
function A.yes(value)
  if type(value) == "boolean" then return value end
  if type(value) ~= "string" then return false end
  return YES[value:match("^%s*(.-)%s*$"):lower()] == true
end

-- The FQIS share of the project's cost: requested / total cost, 0..1.
-- Computed from the cents so 80000.00 / 100000.00 is exactly 0.8.
function A.share_of_cost(app)
  return app.requested_cents / app.total_cost_cents
end

-- Figures formatted the French way for reasons:
-- percent(0.8534) -> "85,3 %", dollars(1234567) -> "12 345,67 $" (cents).
local function percent(share)
  return (string.format("%.1f %%", share * 100):gsub("%.", ","))
end

local function grouped_dollars(cents)
  local units = tostring(cents // 100):reverse():gsub("(%d%d%d)", "%1 ")
  return string.format("%s,%02d $", units:reverse():gsub("^ ", ""), cents % 100)
end

-- The same text for whole cents up to a billion dollars, in one format:
-- a failing check builds its reason on every application it refuses.
local function dollars(cents)
  if math.type(cents) ~= "integer" or cents < 0 or cents >= 100000000000 then
    return grouped_dollars(cents)
  end
  local u, c = cents // 100, cents % 100
  if u < 1000 then
    return string.format("%d,%02d $", u, c)
  elseif u < 1000000 then
    return string.format("%d %03d,%02d $", u // 1000, u % 1000, c)
  end
  return string.format("%d %03d %03d,%02d $", u // 1000000, u // 1000 % 1000,
                       u % 1000, c)
end

local function is_leap(y)
  return y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)
end

local function days_in_month(y, m)
  if m == 2 then return is_leap(y) and 29 or 28 end
  if m == 4 or m == 6 or m == 9 or m == 11 then return 30 end
  return 31
end

-- The project's last day, "YYYY-MM-DD": start + months, minus one day, the
-- day clamped to the month's end like the engine's calendar (a 12-month
-- project starting 2024-04-01 ends 2025-03-31; 2024-01-31 + 1 month ends
-- 2024-02-28). nil when app.start or app.months is missing.
-- "YYYY-MM-DD" strings compare correctly with < and >.
local function compute_end_date(start, months)
  local y, m, d = start:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  if not y then return nil end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  months = (m - 1) + months
  y, m = y + months // 12, months % 12 + 1
  d = math.min(d, days_in_month(y, m)) - 1
  if d == 0 then                       -- the day before the 1st
    m = m - 1
    if m == 0 then y, m = y - 1, 12 end
    d = days_in_month(y, m)
  end
  return string.format("%04d-%02d-%02d", y, m, d)
end

-- end_date runs on every application (A.within_program), and computing it
-- (a match, three tonumber, a format) costs more than the rest of a check.
-- The end depends only on start and months, and a program has few distinct
-- pairs, so each pair is computed once and kept in ENDS[start][months].
-- Only a string start and an integer months are kept (those are values: a
-- table could change under the cache); the cache starts afresh after
-- MAX_ENDS pairs, so unusual inputs cannot make it grow without bound.
local ENDS, n_ends, MAX_ENDS = {}, 0, 65536

function A.end_date(app)
  local start, months = app.start, app.months
  if start == nil or months == nil then return nil end
  local by_months = ENDS[start]
  local last = by_months and by_months[months]
  if last ~= nil then return last end
  last = compute_end_date(start, months)
  if last == nil or type(start) ~= "string"
      or math.type(months) ~= "integer" then
    return last
  end
  if n_ends == MAX_ENDS then ENDS, n_ends, by_months = {}, 0, nil end
  if by_months == nil then
    by_months = {}
    ENDS[start] = by_months
  end
  by_months[months] = last
  n_ends = n_ends + 1
  return last
end

-- Linear points: 0 at lo, max_points at hi, clamped outside; lo > hi scores
-- "less is better". nil value -> 0.
--   A.scale(app.partenaires, 0, 8, 15)   -- 4 partners -> 7.5 points
function A.scale(value, lo, hi, max_points)
  if value == nil then return 0 end
  local t = (value - lo) / (hi - lo)
  if t < 0 then t = 0 elseif t > 1 then t = 1 end
  return t * max_points
end

-- Points from the first row that matches: a row matches when value >= min
-- (if the row has a min) and value <= max (if it has a max); a row with
-- neither is a default. nil value or no matching row -> 0.
--   A.points_by_table(people, { { min = 500, points = 20 },
--                               { min = 100, points = 12 } })
function A.points_by_table(value, rows)
  if value == nil then return 0 end
  local i = 1
  local row = rows[1]
  while row ~= nil do   -- as ipairs, without a C call per row (see one_of)
    local min, max = row.min, row.max
    if (min == nil or value >= min) and (max == nil or value <= max) then
      return row.points
    end
    i = i + 1
    row = rows[i]
  end
  return 0
end

-- Points that combine what the rule computes with the selection committee's
-- grades of the criterion (app.grades[id], from evaluations.csv):
-- (1 - weight) * computed + weight * the committee's mean. An application the
-- committee has not graded keeps its computed points: it is neither helped
-- nor penalised for a missing grade. The engine clamps the result to the
-- criterion's max.
--   score = function(app)
--     return A.with_grades(app, "partenariat", A.scale(app.partenaires, 0, 8, 15), 0.5)
--   end
function A.with_grades(app, id, computed, weight)
  local grade = app.grades and app.grades[id]
  if grade == nil or grade.n == 0 then return computed end
  weight = weight or 0.5
  return (1 - weight) * computed + weight * grade.mean
end

-- Ready-made eligibility tests. Each returns true, or false and a reason in
-- French quoting the figures, as a check's test must:
--   test = function(app) return A.max_share(app, 80) end

-- app.org_type is one of types.
function A.org_type_in(app, types)
  if app.org_type == "" then
    return false, "type d'organisme non précisé"
  end
  if not A.one_of(app.org_type, types) then
    return false, string.format("type d'organisme « %s » non admissible",
                                app.org_type)
  end
  return true
end

-- The FQIS share of the cost is at most max_percent (exactly 80 % passes
-- max_share(app, 80): the comparison is on whole cents).
function A.max_share(app, max_percent)
  if app.requested_cents * 100 > app.total_cost_cents * max_percent then
    return false, string.format("part FQIS de %s (%s sur %s) > %s %%",
                                percent(A.share_of_cost(app)),
                                dollars(app.requested_cents),
                                dollars(app.total_cost_cents), max_percent)
  end
  return true
end

-- The project lasts from lo to hi months, both included.
function A.months_between(app, lo, hi)
  if app.months == nil then
    return false, "durée du projet non précisée"
  end
  if app.months < lo or app.months > hi then
    return false, string.format("durée de %d mois, hors de %d à %d mois",
                                app.months, lo, hi)
  end
  return true
end

-- The project starts on or after ctx.program_start and ends (A.end_date) on
-- or before ctx.program_end.
function A.within_program(app, ctx)
  local last = A.end_date(app)
  if last == nil then
    return false, "date de début ou durée du projet non précisée"
  end
  if app.start < ctx.program_start then
    return false, string.format("début le %s, avant le début de l'entente (%s)",
                                app.start, ctx.program_start)
  end
  if last > ctx.program_end then
    return false, string.format("fin prévue le %s, après la fin de l'entente (%s)",
                                last, ctx.program_end)
  end
  return true
end

return A
