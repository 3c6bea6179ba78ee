-- Fixture: every check fails with a description of what the rule sees,
-- so the test can compare the app and ctx tables exactly.
local function show(v)
  if math.type(v) == "float" then return "float:" .. string.format("%.14g", v) end
  if math.type(v) == "integer" then return "int:" .. v end
  return type(v) .. ":" .. tostring(v)
end

local app_keys = { "id", "organisation", "subregion", "title", "org_type",
  "requested", "total_cost", "requested_cents", "total_cost_cents", "start",
  "months", "line", "participants", "cofinancement", "partenaire", "type",
  "ratio", "signe_le", "note" }
local ctx_keys = { "program", "first_year", "last_year", "program_start",
  "program_end", "envelope", "envelope_cents" }

local seen_app, seen_ctx

return {
  program = "Probe",
  fields = { participants = "integer", cofinancement = "money",
             partenaire = "boolean", type = { "OBNL", "coop" },
             ratio = "number", signe_le = "date" },
  checks = {
    { id = "app", label = "app", test = function(app)
        local out = {}
        for _, k in ipairs(app_keys) do out[#out + 1] = k .. "=" .. show(app[k]) end
        seen_app = app
        return false, table.concat(out, " ")
      end },
    { id = "ctx", label = "ctx", test = function(app, ctx)
        local out = {}
        for _, k in ipairs(ctx_keys) do out[#out + 1] = k .. "=" .. show(ctx[k]) end
        out[#out + 1] = "years=" .. table.concat(ctx.fiscal_years, ",")
        out[#out + 1] = "subregions=" .. table.concat(ctx.subregions, ",")
        return false, table.concat(out, " ")
      end },
    { id = "same", label = "same", test = function(app, ctx)
        -- the app table is built once per application, ctx once per run
        if seen_ctx == nil then seen_ctx = ctx end
        return false, tostring(rawequal(app, seen_app)) .. " "
                      .. tostring(rawequal(ctx, seen_ctx))
      end },
  },
}
