-- Test scenarios of rules/lanaudiere.lua:
--   alliance test rules/lanaudiere.lua rules/tests/lanaudiere_cases.lua
-- Each case changes a few columns of one good application (BASE) and says
-- what the rules must decide: every check and every criterion of the
-- grid is covered. See rules/README.md, "Testing a rule file".

-- A complete, eligible application of the MRC de Joliette. Its points:
-- priorites 20 (a priority of Joliette), personnes_rejointes 15 (200
-- people), participation 20, partenariat 7.5 (3 partners of 6), effet
-- structurant 7.5 (other funders: 0.3 $ per FQIS dollar), realisme_budget
-- 10 (600 $ per person): 80.
local BASE = {
  organisation = "Maison de la famille de Joliette",
  subregion = "Joliette", mrc = "Joliette",
  org_type = "obnl", priorite = "logement_social",
  requested = 60000, total_cost = 120000, autres_financements = 18000,
  start = "2025-06-01", months = 18,
  personnes_rejointes = 200, partenaires = 3,
  participation = true, innovation = false, activite_recurrente = false,
}

local S = require("scenarios")
local NONE = S.NONE   -- in a change: the cell is left empty

-- BASE with some columns changed.
local function app(id, changes) return S.variant(BASE, id, changes) end

return {
  fiscal_years = { "2024-2025", "2025-2026", "2026-2027", "2027-2028",
                   "2028-2029" },
  subregions = { "D'Autray", "Joliette", "Matawinie", "Montcalm",
                 "Les Moulins", "L'Assomption", "Réserve régionale" },
  envelope = 6000000,

  { name = "OBNL admissible, grille complète",
    app = app("L-01"),
    eligible = true, score = 80, above_threshold = true,
    points = { priorites = 20, personnes_rejointes = 15, participation = 20,
               partenariat = 7.5, effet_structurant = 7.5,
               realisme_budget = 10 } },

  { name = "Coopérative admissible",
    app = app("L-02", { org_type = "cooperative" }),
    eligible = true },

  { name = "Type d'organisme non précisé",
    app = app("L-03", { org_type = "" }),
    fails = { "type_organisme" } },

  { name = "MRC différente de la sous-région",
    app = app("L-04", { mrc = "Montcalm" }),
    fails = { "territoire" } },

  { name = "Demande déposée à la réserve régionale",
    app = app("L-05", { subregion = "Réserve régionale", mrc = NONE }),
    fails = { "territoire" },
    points = { priorites = 10 } },

  { name = "Mission de base de l'organisme",
    app = app("L-06", { activite_recurrente = true }),
    fails = { "non_recurrent" } },

  { name = "FQIS à 90 % du coût",
    app = app("L-07", { requested = 108000 }),
    fails = { "part_fqis" } },

  { name = "Projet de 4 mois qui finit après l'entente",
    app = app("L-08", { start = "2029-01-01", months = 4 }),
    fails = { "duree", "echeance" } },

  { name = "Début avant l'entente",
    app = app("L-09", { start = "2024-03-01" }),
    fails = { "echeance" } },

  { name = "Autre priorité, peu de personnes, budget lourd",
    app = app("L-10", { priorite = "transport_collectif",
                        personnes_rejointes = 40 }),
    -- 120 000 $ for 40 people: 3 000 $ each
    points = { priorites = 10, personnes_rejointes = 5, realisme_budget = 4 },
    score = 54, above_threshold = false },

  { name = "Six partenaires, 0,6 $ d'autres bailleurs par dollar",
    app = app("L-11", { partenaires = 6, autres_financements = 36000,
                        participation = false }),
    points = { partenariat = 15, effet_structurant = 15, participation = 0 },
    score = 75 },

  { name = "Budget jugé par le comité",
    app = app("L-12", { personnes_rejointes = 100 }),
    -- 1 200 $ per person: 7 points, then 60 % of the committee's mean (3):
    -- 0.4 * 7 + 0.6 * 3 = 4.6
    grades = { realisme_budget = { 2, 4, 3 } },
    points = { realisme_budget = 4.6, personnes_rejointes = 10 },
    score = 69.6 },

  { name = "Personnes rejointes inconnues, sans note du comité",
    app = app("L-13", { personnes_rejointes = NONE }),
    points = { personnes_rejointes = 0, realisme_budget = 0 }, score = 55,
    above_threshold = false },
}
