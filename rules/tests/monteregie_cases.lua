-- Test scenarios of rules/monteregie.lua:
--   alliance test rules/monteregie.lua rules/tests/monteregie_cases.lua
-- Each case changes a few columns of one good application (BASE) and says
-- what the rules must decide: every check and every criterion of the
-- grid is covered. See rules/README.md, "Testing a rule file".

-- A complete, eligible application of the Est de la Montérégie. Its
-- points: priorites 25 (a priority of Est), personnes_rejointes 16 (250
-- people), participation 15, partenariat 7.5 (4 partners of 8), effet
-- structurant 10 (other funders: 0.5 $ per FQIS dollar), realisme_budget
-- 10 (400 $ per person), innovation 0: 83.5.
local BASE = {
  organisation = "Carrefour communautaire maskoutain",
  subregion = "Est de la Montérégie", mrc = "Les Maskoutains",
  org_type = "obnl", priorite = "securite_alimentaire",
  requested = 50000, total_cost = 100000, autres_financements = 25000,
  start = "2025-04-01", months = 24,
  personnes_rejointes = 250, partenaires = 4,
  participation = true, innovation = false, activite_recurrente = false,
}

local S = require("scenarios")
local NONE = S.NONE   -- in a change: the cell is left empty

-- BASE with some columns changed.
local function app(id, changes) return S.variant(BASE, id, changes) end

return {
  fiscal_years = { "2024-2025", "2025-2026", "2026-2027", "2027-2028",
                   "2028-2029" },
  subregions = { "Ouest de la Montérégie", "Est de la Montérégie",
                 "Agglomération de Longueuil", "Réserve régionale" },
  envelope = 11800000,

  { name = "OBNL admissible, grille complète",
    app = app("T-01"),
    eligible = true, score = 83.5, above_threshold = true,
    points = { priorites = 25, personnes_rejointes = 16, participation = 15,
               partenariat = 7.5, effet_structurant = 10,
               realisme_budget = 10, innovation = 0 } },

  { name = "Entreprise privée",
    app = app("T-02", { org_type = "entreprise_privee" }),
    fails = { "type_organisme" } },

  { name = "Projet hors du territoire de la sous-région",
    app = app("T-03", { mrc = "Longueuil" }),
    fails = { "territoire" } },

  { name = "Demande déposée à la réserve régionale",
    app = app("T-04", { subregion = "Réserve régionale" }),
    fails = { "territoire" } },

  { name = "Activité récurrente de l'organisme",
    app = app("T-05", { activite_recurrente = "oui" }),
    fails = { "non_recurrent" } },

  { name = "OBNL à 85 %",
    app = app("T-06", { requested = 85000 }),
    fails = { "part_fqis" },
    -- 25 000 $ of other funders for 85 000 $: 0.294 $ per dollar
    points = { effet_structurant = 5.88 } },

  { name = "Exactement 80 % du coût",
    app = app("T-07", { requested = 80000 }),
    eligible = true },

  { name = "Durée de 42 mois",
    app = app("T-08", { months = 42 }),
    fails = { "duree" } },

  { name = "Fin après l'entente",
    app = app("T-09", { start = "2027-06-01" }),   -- ends 2029-05-31
    fails = { "echeance" } },

  { name = "Colonnes manquantes",
    app = app("T-10", { mrc = NONE, start = NONE, months = NONE,
                        personnes_rejointes = NONE }),
    fails = { "territoire", "duree", "echeance" },
    points = { personnes_rejointes = 0, realisme_budget = 0 } },

  { name = "Priorité d'une autre sous-région",
    app = app("T-11", { priorite = "logement_social" }),
    eligible = true, score = 70.5, points = { priorites = 12 } },

  { name = "Sans priorité, peu de personnes rejointes",
    app = app("T-12", { priorite = "autre", personnes_rejointes = 30 }),
    eligible = true, above_threshold = false, score = 43.5,
    -- 100 000 $ for 30 people: 3 333 $ each
    points = { priorites = 5, personnes_rejointes = 4, realisme_budget = 2 } },

  { name = "Innovation, 8 partenaires, aucun autre financement",
    app = app("T-13", { innovation = true, partenaires = 8,
                        autres_financements = NONE }),
    points = { innovation = 5, partenariat = 15, effet_structurant = 0 },
    score = 86 },

  { name = "Partenariat noté par le comité",
    app = app("T-14"),
    -- half the count of partners (7.5), half the committee's mean (13)
    grades = { partenariat = { ["Julie Tremblay"] = 12, ["Marc Gagnon"] = 14 } },
    points = { partenariat = 10.25 }, score = 86.25 },

  { name = "Sans participation des personnes",
    app = app("T-15", { participation = false, partenaires = 0 }),
    points = { participation = 0, partenariat = 0 }, score = 61,
    above_threshold = true },
}
