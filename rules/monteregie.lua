-- Règles d'analyse — Alliance pour la solidarité Montérégie 2024-2029
--
-- Enveloppe FQIS de 11 800 000 $ gérée par la Table de concertation des
-- préfets de la Montérégie et déployée en trois sous-régions (Ouest 2,6 M$,
-- Est 3,9 M$, Agglomération de Longueuil 4,1 M$) plus une réserve régionale.
-- La répartition vient des montants de split.csv : ce fichier ne définit donc
-- pas de fonction split.
--
-- Each sub-regional committee sets its own priorities (PRIORITES below); the
-- eligibility checks and the scoring grid are common to the region.
-- See rules/README.md for the rule API.
local A = require("alliance")

-- MRC (or, for the agglomeration, cities) that make up each sub-region.
local TERRITOIRES = {
  ["Ouest de la Montérégie"] = {
    "Vaudreuil-Soulanges", "Beauharnois-Salaberry", "Le Haut-Saint-Laurent",
    "Roussillon", "Les Jardins-de-Napierville",
  },
  ["Est de la Montérégie"] = {
    "Les Maskoutains", "Acton", "Pierre-De Saurel", "La Vallée-du-Richelieu",
    "Marguerite-D'Youville", "Rouville", "Le Haut-Richelieu",
    "Brome-Missisquoi", "La Haute-Yamaska",
  },
  ["Agglomération de Longueuil"] = {
    "Longueuil", "Boucherville", "Brossard", "Saint-Lambert",
    "Saint-Bruno-de-Montarville",
  },
}

-- Priorities adopted by each sub-regional committee in its action plan.
local PRIORITES = {
  ["Ouest de la Montérégie"] = {
    "securite_alimentaire", "logement_social", "reussite_educative",
    "transport_collectif",
  },
  ["Est de la Montérégie"] = {
    "securite_alimentaire", "insertion_emploi", "transport_collectif",
    "participation_sociale",
  },
  ["Agglomération de Longueuil"] = {
    "logement_social", "participation_sociale", "reussite_educative",
    "insertion_emploi",
  },
}

-- Bodies eligible to the FQIS (private for-profit firms are not).
local TYPES_ADMISSIBLES = {
  "obnl", "cooperative", "municipalite", "mrc", "conseil_bande",
  "centre_recherche",
}

local PART_MAX = 80             -- FQIS pays at most 80 % of eligible costs
local DUREE_MIN, DUREE_MAX = 6, 36  -- months

-- Points by people in poverty reached (criterion personnes_rejointes).
local POINTS_PERSONNES = {
  { min = 400, points = 20 },
  { min = 200, points = 16 },
  { min = 100, points = 12 },
  { min = 50, points = 8 },
  { min = 20, points = 4 },
}

-- Points by cost per person reached, in dollars (criterion realisme_budget).
local POINTS_COUT_PAR_PERSONNE = {
  { max = 750, points = 10 },
  { max = 1500, points = 8 },
  { max = 3000, points = 5 },
  { max = 6000, points = 2 },
}

return {
  program = "Alliance pour la solidarité Montérégie 2024-2029",

  -- Territorial equity: each application's territory (its MRC, or its city
  -- in the agglomeration) is a row of inputs/monteregie/territories.csv.
  territory_column = "mrc",

  -- Types of the extra columns of applications.csv.
  fields = {
    mrc = "text",                        -- MRC (Longueuil: city) of the project
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

  -- Admissibilité: every check must pass. A failing check returns false and
  -- a reason that the decision letter quotes.
  checks = {
    {
      id = "type_organisme",
      label = "Type d'organisme admissible",
      test = function(app) return A.org_type_in(app, TYPES_ADMISSIBLES) end,
    },
    {
      id = "territoire",
      label = "Projet réalisé dans le territoire de la sous-région",
      test = function(app)
        local territoire = TERRITOIRES[app.subregion]
        if territoire == nil then
          return false, string.format(
            "« %s » n'est pas une sous-région qui reçoit des projets",
            app.subregion)
        end
        if app.mrc == nil then
          return false, "MRC ou ville du projet non précisée"
        end
        if not A.one_of(app.mrc, territoire) then
          return false, string.format("« %s » est hors du territoire « %s »",
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

  -- Grille d'analyse sur 100. Each score() returns points; the engine clamps
  -- them to [0, max] and keeps them to the hundredth. Criteria run on every
  -- application, eligible or not, so each value may be nil.
  criteria = {
    {
      id = "priorites",
      label = "Adéquation aux priorités régionales",
      max = 25,
      score = function(app)
        -- a priority of the sub-region's action plan: 25; another regional
        -- theme: 12; "autre": 5
        if A.one_of(app.priorite, PRIORITES[app.subregion] or {}) then
          return 25
        end
        if app.priorite ~= nil and app.priorite ~= "autre" then return 12 end
        return 5
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
      max = 15,
      score = function(app)
        return app.participation and 15 or 0
      end,
    },
    {
      id = "partenariat",
      label = "Partenariat et concertation",
      max = 15,
      score = function(app)
        -- 1.875 point per partner organisation, 15 from 8 partners, averaged
        -- with the committee's grade of the partnership (evaluations.csv):
        -- partners on paper are not a working partnership. Not graded yet:
        -- the count of partners alone.
        local partenaires = A.scale(app.partenaires, 0, 8, 15)
        return A.with_grades(app, "partenariat", partenaires, 0.5)
      end,
    },
    {
      id = "effet_structurant",
      label = "Effet structurant et pérennité (autres financements)",
      max = 10,
      score = function(app)
        -- other funders' money per FQIS dollar: 0 -> 0, 0.5 $ or more -> 10
        local autres = app.autres_financements or 0
        return A.scale(autres / app.requested, 0, 0.5, 10)
      end,
    },
    {
      id = "realisme_budget",
      label = "Réalisme du budget (coût par personne rejointe)",
      max = 10,
      score = function(app)
        local personnes = app.personnes_rejointes
        if personnes == nil or personnes <= 0 then return 0 end
        return A.points_by_table(app.total_cost / personnes,
                                 POINTS_COUT_PAR_PERSONNE)
      end,
    },
    {
      id = "innovation",
      label = "Innovation",
      max = 5,
      score = function(app)
        return app.innovation and 5 or 0
      end,
    },
  },

  -- Minimum total score to be recommended.
  threshold = 60,

  -- Best score first; a project that no longer fits its sub-region's
  -- envelope is skipped and the next ones are still considered.
  allocate = { method = "greedy", on_overflow = "skip" },

  -- Versements: 50 % à la signature du protocole d'entente, 40 % à
  -- mi-parcours sur rapport d'étape, 10 % sur la reddition de comptes finale.
  schedule = {
    { label = "Signature", share = 50, at = 0 },
    { label = "Mi-parcours", share = 40, at = 0.5 },
    { label = "Rapport final", share = 10, at = 1 },
  },
}
