-- Rule file of the fuzz_rules harness (tests/fuzz/fuzz_rules.c): what the
-- shipped rule files leave out, so the fuzzer reaches it too: partial
-- grants with a minimum share, carried leftovers, caps per application and
-- per organisation, rank and tiebreak functions, and a schedule function
-- with instalments on dates. Sub-regions as in Montérégie.
local A = require("alliance")

return {
  program = "Fuzz: allocation options",

  fields = {
    personnes_rejointes = "integer",
    partenaires = "integer",
    participation = "boolean",
    autres_financements = "money",
  },

  checks = {
    {
      id = "type_organisme",
      label = "Type d'organisme admissible",
      test = function(app)
        return A.org_type_in(app, { "obnl", "cooperative", "municipalite" })
      end,
    },
    {
      id = "part_fqis",
      label = "Part du FQIS d'au plus 90 %",
      test = function(app) return A.max_share(app, 90) end,
    },
    {
      id = "echeance",
      label = "Projet réalisé pendant l'entente",
      test = function(app, ctx) return A.within_program(app, ctx) end,
    },
  },

  criteria = {
    {
      id = "personnes_rejointes", label = "Personnes rejointes", max = 40,
      score = function(app)
        return A.scale(app.personnes_rejointes, 0, 400, 40)
      end,
    },
    {
      id = "partenariat", label = "Partenariat", max = 30,
      score = function(app)
        return A.with_grades(app, "partenariat",
                             A.scale(app.partenaires, 0, 6, 30), 0.5)
      end,
    },
    {
      id = "participation", label = "Participation", max = 30,
      score = function(app) return app.participation and 30 or 7.5 end,
    },
  },

  threshold = 35,

  allocate = {
    method = "greedy", on_overflow = "partial", min_partial_share = 0.3,
    leftover = "carry", max_grant = 150000, max_per_organisation = 250000,
  },

  rank = function(app)
    return (app.personnes_rejointes or 0) / app.requested
  end,
  tiebreak = function(app) return app.partenaires or 0 end,

  schedule = function(app)
    if app.months ~= nil and app.months <= 12 then
      return { { label = "Signature", share = 80, at = 0 },
               { label = "Rapport final", share = 20, at = 1 } }
    end
    local last = { label = "Rapport final", share = 10, at = 1 }
    local end_date = A.end_date(app)
    if end_date ~= nil then last = { label = "Rapport final", share = 10,
                                     date = end_date } end
    return {
      { label = "Signature", share = 50, at = 0 },
      { label = "Mi-parcours", share = 40, at = 0.5 },
      last,
    }
  end,
}
