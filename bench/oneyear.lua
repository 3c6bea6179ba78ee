-- The program issue 18 measured, as a user would script it (make bench,
-- with bench/gen_apps.py --one-year): one fiscal year, three sub-regions,
-- three checks, four criteria, greedy skip, one instalment at the start.
local A = require("alliance")

local PRIORITY_AXES = {
  ["Ouest de la Montérégie"] = { "alimentation", "logement", "transport" },
  ["Est de la Montérégie"] = { "emploi", "education", "alimentation" },
  ["Agglomération de Longueuil"] = { "logement", "inclusion", "education" },
}

local PEOPLE_POINTS = {
  { min = 500, points = 25 }, { min = 250, points = 18 },
  { min = 100, points = 12 }, { min = 25, points = 6 },
}

return {
  program = "Banc d'essai : un exercice, trois sous-régions",

  fields = {
    axis = { "alimentation", "logement", "education", "emploi", "transport",
             "inclusion", "autre" },
    partners = "integer",
    people_reached = "integer",
    poverty_index = "number",
  },

  checks = {
    { id = "share", label = "Part du FQIS d'au plus 80 %",
      test = function(app) return A.max_share(app, 80) end },
    { id = "axis", label = "Axe d'intervention du plan d'action",
      test = function(app)
        if app.axis == nil or app.axis == "autre" then
          return false, "axe hors du plan d'action"
        end
        return true
      end },
    { id = "within", label = "Projet réalisé pendant l'exercice",
      test = function(app, ctx) return A.within_program(app, ctx) end },
  },

  criteria = {
    { id = "partners", label = "Partenaires", max = 25,
      score = function(app) return A.scale(app.partners, 0, 8, 25) end },
    { id = "people", label = "Personnes rejointes", max = 25,
      score = function(app)
        return A.points_by_table(app.people_reached, PEOPLE_POINTS)
      end },
    { id = "poverty", label = "Indice de défavorisation", max = 30,
      score = function(app) return A.scale(app.poverty_index, 0, 1, 30) end },
    { id = "priority", label = "Axe prioritaire de la sous-région", max = 20,
      score = function(app)
        return A.one_of(app.axis, PRIORITY_AXES[app.subregion] or {}) and 20 or 8
      end },
  },

  threshold = 55,
  allocate = { method = "greedy", on_overflow = "skip" },
}
