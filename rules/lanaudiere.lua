-- Règles d'analyse — Alliance pour la solidarité Lanaudière 2024-2029
--
-- Enveloppe FQIS de 6 000 000 $ sous la responsabilité de la Table des
-- préfets de Lanaudière. Les six territoires de MRC sont les sous-régions :
-- chacun reçoit une part de l'enveloppe calculée par split() ci-dessous
-- (moitié selon la population, moitié selon la population à faible revenu,
-- après une réserve régionale de 5 %), et chaque communauté locale fixe ses
-- propres priorités (PRIORITES).
-- See rules/README.md for the rule API.
local A = require("alliance")

local MRC = {
  "D'Autray", "Joliette", "Matawinie", "Montcalm", "Les Moulins",
  "L'Assomption",
}

-- Local priorities set by each MRC territory's concertation table.
local PRIORITES = {
  ["D'Autray"] = { "securite_alimentaire", "transport_collectif", "insertion_emploi" },
  ["Joliette"] = { "logement_social", "securite_alimentaire", "participation_sociale" },
  ["Matawinie"] = { "transport_collectif", "securite_alimentaire", "reussite_educative" },
  ["Montcalm"] = { "transport_collectif", "reussite_educative", "logement_social" },
  ["Les Moulins"] = { "logement_social", "insertion_emploi", "reussite_educative" },
  ["L'Assomption"] = { "logement_social", "securite_alimentaire", "participation_sociale" },
}

local TYPES_ADMISSIBLES = {
  "obnl", "cooperative", "municipalite", "mrc", "conseil_bande",
  "centre_recherche",
}

local PART_MAX = 80                 -- FQIS pays at most 80 % of eligible costs
local DUREE_MIN, DUREE_MAX = 6, 36  -- months
local RESERVE = 0.05                -- regional reserve, share of the envelope

-- Points by people in poverty reached (criterion personnes_rejointes).
local POINTS_PERSONNES = {
  { min = 300, points = 20 },
  { min = 150, points = 15 },
  { min = 75, points = 10 },
  { min = 30, points = 5 },
}

-- Points by cost per person reached, in dollars (criterion realisme_budget).
local POINTS_COUT_PAR_PERSONNE = {
  { max = 1000, points = 10 },
  { max = 2000, points = 7 },
  { max = 4000, points = 4 },
  { points = 1 },
}

return {
  program = "Alliance pour la solidarité Lanaudière 2024-2029",

  -- Types of the extra columns of applications.csv (the same form as in
  -- Montérégie; innovation is read and checked but not scored here).
  fields = {
    mrc = "text",                        -- MRC of the project
    priorite = { "securite_alimentaire", "logement_social",
                 "reussite_educative", "transport_collectif",
                 "insertion_emploi", "participation_sociale", "autre" },
    personnes_rejointes = "integer",     -- people in poverty reached
    partenaires = "integer",             -- partner organisations
    participation = "boolean",           -- people in poverty take part
    activite_recurrente = "boolean",     -- regular mission: ineligible
    autres_financements = "money",       -- other funders' money, dollars
    innovation = "boolean",
  },

  -- Admissibilité: every check must pass; a failing one gives its reason.
  checks = {
    {
      id = "type_organisme",
      label = "Type d'organisme admissible",
      test = function(app) return A.org_type_in(app, TYPES_ADMISSIBLES) end,
    },
    {
      id = "territoire",
      label = "Projet réalisé dans un territoire de MRC de Lanaudière",
      test = function(app)
        if not A.one_of(app.subregion, MRC) then
          return false, string.format(
            "« %s » n'est pas un territoire de MRC de Lanaudière", app.subregion)
        end
        -- the mrc column, when filled, must name the same territory
        if app.mrc ~= nil and app.mrc ~= app.subregion then
          return false, string.format(
            "projet situé dans la MRC « %s », déposé pour « %s »",
            app.mrc, app.subregion)
        end
        return true
      end,
    },
    {
      id = "non_recurrent",
      label = "Projet nouveau, hors de la mission de base",
      test = function(app)
        if app.activite_recurrente then
          return false,
            "activité récurrente ou mission de base de l'organisme"
        end
        return true
      end,
    },
    {
      id = "part_fqis",
      label = "Part du FQIS d'au plus 80 % du coût du projet",
      test = function(app) return A.max_share(app, PART_MAX) end,
    },
    {
      id = "duree",
      label = "Durée de 6 à 36 mois",
      test = function(app) return A.months_between(app, DUREE_MIN, DUREE_MAX) end,
    },
    {
      id = "echeance",
      label = "Projet réalisé pendant l'entente",
      -- starts on or after ctx.program_start, last day (start + months - 1 day)
      -- on or before ctx.program_end
      test = function(app, ctx) return A.within_program(app, ctx) end,
    },
  },

  -- Grille d'analyse sur 100: participation of the people concerned weighs
  -- more here than in Montérégie; no separate innovation criterion.
  criteria = {
    {
      id = "priorites",
      label = "Adéquation aux priorités du territoire",
      max = 20,
      score = function(app)
        if A.one_of(app.priorite, PRIORITES[app.subregion] or {}) then
          return 20
        end
        if app.priorite ~= nil and app.priorite ~= "autre" then return 10 end
        return 4
      end,
    },
    {
      id = "personnes_rejointes",
      label = "Personnes en situation de pauvreté rejointes",
      max = 20,
      score = function(app)
        return A.points_by_table(app.personnes_rejointes, POINTS_PERSONNES)
      end,
    },
    {
      id = "participation",
      label = "Participation des personnes en situation de pauvreté",
      max = 20,
      score = function(app)
        return app.participation and 20 or 0
      end,
    },
    {
      id = "partenariat",
      label = "Partenariat et concertation",
      max = 15,
      score = function(app)
        -- 2.5 points per partner organisation, 15 from 6 partners
        return A.scale(app.partenaires, 0, 6, 15)
      end,
    },
    {
      id = "effet_structurant",
      label = "Effet structurant et pérennité (autres financements)",
      max = 15,
      score = function(app)
        -- other funders' money per FQIS dollar: 0 -> 0, 0.6 $ or more -> 15
        local autres = app.autres_financements or 0
        return A.scale(autres / app.requested, 0, 0.6, 15)
      end,
    },
    {
      id = "realisme_budget",
      label = "Réalisme du budget (coût par personne rejointe)",
      max = 10,
      score = function(app)
        -- the cost per person reached, then 60 % the committee's grade of
        -- the budget (evaluations.csv), which reads it line by line; without
        -- a grade, the cost per person alone
        local personnes = app.personnes_rejointes
        local par_personne = 0
        if personnes ~= nil and personnes > 0 then
          par_personne = A.points_by_table(app.total_cost / personnes,
                                           POINTS_COUT_PAR_PERSONNE)
        end
        return A.with_grades(app, "realisme_budget", par_personne, 0.6)
      end,
    },
  },

  threshold = 60,

  allocate = { method = "greedy", on_overflow = "skip" },

  -- Versements: 60 % à la signature, 30 % à mi-parcours, 10 % au rapport final.
  schedule = {
    { label = "Signature", share = 60, at = 0 },
    { label = "Mi-parcours", share = 30, at = 0.5 },
    { label = "Rapport final", share = 10, at = 1 },
  },

  -- Répartition de l'enveloppe: 5 % en réserve régionale; les 95 % restants
  -- vont aux six MRC, moitié au prorata de la population (décret 2021),
  -- moitié au prorata de la population à faible revenu. The engine turns
  -- the weights into amounts (they need not sum to 1).
  split = function(subregions)
    local population, low_income = 0, 0
    for _, s in ipairs(subregions) do
      if not s.reserve then
        if type(s.population) ~= "number" or type(s.low_income) ~= "number" then
          error(string.format(
            "split.csv: population et low_income numériques requis pour « %s »",
            s.name))
        end
        population = population + s.population
        low_income = low_income + s.low_income
      end
    end
    local weights = {}
    for _, s in ipairs(subregions) do
      if s.reserve then
        weights[s.name] = RESERVE
      else
        weights[s.name] = (1 - RESERVE) * (0.5 * s.population / population
                                           + 0.5 * s.low_income / low_income)
      end
    end
    return weights
  end,
}
