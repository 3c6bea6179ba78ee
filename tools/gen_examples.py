#!/usr/bin/python3
"""Generates the two shipped example input folders of alliance.

    /usr/bin/python3 tools/gen_examples.py      (from anywhere; no arguments)

Writes, under inputs/ (see also "Excel export" below: monteregie-excel/ holds the
Montérégie rows as a French-Canadian Excel exports them):
  monteregie/  envelopes.csv  five fiscal years 2024-2025..2028-2029, 11 800 000 $,
                              shaped like the projects' instalments (see "year_shares")
               split.csv      the three sub-regions' real amounts (Ouest 2,6 M$,
                              Est 3,9 M$, Agglomération de Longueuil 4,1 M$) and the
                              1,2 M$ regional reserve
               applications.csv  150 applications (MON-<call year>-NNN)
               territories.csv  the 14 MRC and the agglomeration's five cities,
                              each under its sub-region, with a population and a
                              low-income population (territorial equity)
  lanaudiere/  envelopes.csv  five fiscal years, 6 000 000 $, shaped the same way
               split.csv      the six MRC with their 2021 decree population and a
                              low-income population (no amount: rules/lanaudiere.lua
                              computes the split), plus the regional reserve
               applications.csv  120 applications (LAN-<call year>-NNN)

Why: the examples are the engine's demo and end-to-end test data, read by
rules/monteregie.lua and rules/lanaudiere.lua. They are synthetic but built from the
program's real figures and vocabulary (see ../shared/domain.md) so that a run shows
every outcome: each sub-region's demand is about 1.9 times its envelope (some projects
funded, some waitlisted), scores spread around the threshold, and about one
application in seven is ineligible, each for a single reason: a private firm, an FQIS
share above 80 %, a duration of 42 or 48 months, an end after 2029-03-31, a recurring
activity, a territory outside the sub-region. A few optional cells are left empty.

Determinism: one random.Random(2024), and only its random() method (whose sequence
Python guarantees across versions); amounts are integer cents; rows are written in
a fixed order. Running the script twice gives byte-identical files. Files are UTF-8,
comma-delimited, RFC 4180 quoting, "\\n" line ends, amounts as "12345.67".
Python 3 standard library only.
"""
import csv
import datetime
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRST_YEAR = 2024
PROGRAM_END = datetime.date(2029, 3, 31)
DEMAND_FACTOR = 1.9   # requested / envelope in each sub-region

rng = random.Random(2024)


# ---------------------------------------------------------------- random helpers
# Only rng.random() is used, so the output does not depend on how a Python
# version implements choice(), randint() or shuffle().

def uniform(lo, hi):
    return lo + (hi - lo) * rng.random()


def randint(lo, hi):
    return lo + int(rng.random() * (hi - lo + 1))


def pick(seq):
    return seq[int(rng.random() * len(seq))]


def chance(p):
    return rng.random() < p


def weighted(pairs):
    """pairs: [(item, weight), ...]"""
    x = rng.random() * sum(w for _, w in pairs)
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def shuffled(seq):
    seq = list(seq)
    for i in range(len(seq) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        seq[i], seq[j] = seq[j], seq[i]
    return seq


# ---------------------------------------------------------------- formatting

def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def yes_no(flag):
    return "oui" if flag else "non"


def add_months(date, months):
    """date + months, the day clamped to the month's end (like the engine)."""
    m = date.month - 1 + months
    y, m = date.year + m // 12, m % 12 + 1
    last = (datetime.date(y + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(y, m, min(date.day, last))


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# ---------------------------------------------------------------- project themes
# Titles by regional priority; "{lieu}" is replaced by the project's place.
TITLES = {
    "securite_alimentaire": [
        "Épicerie solidaire et cuisines collectives à {lieu}",
        "Frigo communautaire, dépannage et cuisines collectives",
        "Jardins collectifs nourriciers pour les familles à faible revenu",
        "Groupe d'achats et marché solidaire de {lieu}",
        "Sécurité alimentaire des aînés isolés",
        "Accès à une alimentation saine et abordable à {lieu}",
        "Cuisine de transformation alimentaire en économie sociale",
    ],
    "logement_social": [
        "Stabilité résidentielle des personnes à risque d'itinérance",
        "Défense des droits des locataires aînés",
        "Logement sécuritaire et abordable à {lieu}",
        "Soutien communautaire en logement social",
        "Comités de locataires, salubrité et accès au logement",
        "Maison de chambres et accompagnement vers un logement stable",
    ],
    "reussite_educative": [
        "Réussite éducative des jeunes de milieux défavorisés",
        "Littératie familiale à {lieu}",
        "Aide aux devoirs et persévérance scolaire",
        "Alphabétisation populaire des adultes",
        "Éveil à la lecture et à l'écriture, 0-5 ans",
    ],
    "transport_collectif": [
        "Transport collectif abordable en milieu rural",
        "Navette solidaire vers les services de {lieu}",
        "Tarif social pour le transport collectif",
        "Transport à la demande pour les personnes à faible revenu",
    ],
    "insertion_emploi": [
        "Insertion socioprofessionnelle des jeunes éloignés du marché du travail",
        "Journées de travail rémunérées pour les jeunes de la rue",
        "Plateau de travail en cuisine et entretien",
        "Intégration en emploi des personnes immigrantes à {lieu}",
        "Retour aux études et à l'emploi des mères monoparentales",
    ],
    "participation_sociale": [
        "Halte-accueil de jour à {lieu}",
        "Mobilisation citoyenne dans les quartiers de {lieu}",
        "Briser l'isolement des aînés à faible revenu",
        "Concertation en développement social de {lieu}",
        "Halte-accueil, repas et référence pour les personnes en situation d'itinérance",
    ],
    "autre": [
        "Clinique d'impôts et accès aux programmes sociaux",
        "Accès à la justice et aux droits sociaux",
        'Projet "Ensemble, on s\'en sort" : entraide et soutien psychosocial',
        "Accès au numérique pour les personnes à faible revenu",
    ],
}
PRIORITIES = list(TITLES)

# Towns named in titles, by MRC (Agglomération de Longueuil: by city).
TOWNS = {
    "Vaudreuil-Soulanges": ["Vaudreuil-Dorion", "Rigaud", "Coteau-du-Lac"],
    "Beauharnois-Salaberry": ["Salaberry-de-Valleyfield", "Beauharnois"],
    "Le Haut-Saint-Laurent": ["Huntingdon", "Ormstown"],
    "Roussillon": ["Châteauguay", "La Prairie", "Candiac"],
    "Les Jardins-de-Napierville": ["Saint-Rémi", "Napierville"],
    "Les Maskoutains": ["Saint-Hyacinthe"],
    "Acton": ["Acton Vale"],
    "Pierre-De Saurel": ["Sorel-Tracy"],
    "La Vallée-du-Richelieu": ["Beloeil", "Chambly"],
    "Marguerite-D'Youville": ["Varennes", "Sainte-Julie"],
    "Rouville": ["Marieville", "Saint-Césaire"],
    "Le Haut-Richelieu": ["Saint-Jean-sur-Richelieu"],
    "Brome-Missisquoi": ["Cowansville", "Farnham"],
    "La Haute-Yamaska": ["Granby", "Waterloo"],
    "Longueuil": ["Longueuil", "Saint-Hubert", "Greenfield Park"],
    "Boucherville": ["Boucherville"],
    "Brossard": ["Brossard"],
    "Saint-Lambert": ["Saint-Lambert"],
    "Saint-Bruno-de-Montarville": ["Saint-Bruno-de-Montarville"],
    "D'Autray": ["Berthierville", "Lavaltrie", "Saint-Gabriel"],
    "Joliette": ["Joliette", "Saint-Charles-Borromée", "Notre-Dame-des-Prairies"],
    "Matawinie": ["Rawdon", "Saint-Michel-des-Saints", "Saint-Donat", "Chertsey"],
    "Montcalm": ["Saint-Lin–Laurentides", "Sainte-Julienne", "Saint-Esprit"],
    "Les Moulins": ["Terrebonne", "Mascouche"],
    "L'Assomption": ["Repentigny", "L'Assomption", "Charlemagne", "L'Épiphanie"],
}


# ---------------------------------------------------------------- regions
# "year_shares" is the percentage of the envelope in each fiscal year
# 2024-2025..2028-2029. The engine funds each year from that year's money
# only, and a project pays its first (largest) instalment when it starts: with
# calls for projects until 2026 the demand peaks in 2025-2027 and fades out in
# 2028-2029 (only mid-term and final instalments), so the yearly envelopes
# follow that curve. Five equal fifths would leave over a third of the
# sub-regions' money unspent while well-ranked projects wait for lack of
# 2025-2027 money.
#
# An organisation: (name, org_type, place) where place is its MRC (for the
# Agglomération de Longueuil: its city).

MONTEREGIE = {
    "prefix": "MON",
    "folder": "monteregie",
    "count": 150,
    "year_shares": [20, 30, 30, 14, 6],
    "subregions": [
        # name, applications, envelope in cents, priorities, request range, months
        {
            "name": "Ouest de la Montérégie", "apps": 38, "envelope": 260000000,
            "priorities": ["securite_alimentaire", "logement_social",
                           "reussite_educative", "transport_collectif"],
            "request": (20000, 250000), "months": [6, 9, 12, 12, 18, 24, 24, 30, 36],
            "places": ["Vaudreuil-Soulanges", "Beauharnois-Salaberry",
                       "Le Haut-Saint-Laurent", "Roussillon", "Les Jardins-de-Napierville"],
            "orgs": [
                ("Cuisines collectives de Beauharnois", "obnl", "Beauharnois-Salaberry"),
                ("Comptoir alimentaire de Vaudreuil-Soulanges", "obnl", "Vaudreuil-Soulanges"),
                ("Maison de la famille de Vaudreuil-Soulanges", "obnl", "Vaudreuil-Soulanges"),
                ("Centre d'action bénévole de Huntingdon", "obnl", "Le Haut-Saint-Laurent"),
                ("Carrefour jeunesse-emploi Beauharnois-Salaberry", "obnl", "Beauharnois-Salaberry"),
                ("Carrefour jeunesse-emploi Vaudreuil-Soulanges", "obnl", "Vaudreuil-Soulanges"),
                ("Comité logement Roussillon", "obnl", "Roussillon"),
                ("Centre de femmes de Châteauguay", "obnl", "Roussillon"),
                ("Maison des jeunes de Saint-Rémi", "obnl", "Les Jardins-de-Napierville"),
                ("Action populaire du Haut-Saint-Laurent", "obnl", "Le Haut-Saint-Laurent"),
                ("Groupe d'alphabétisation de Salaberry-de-Valleyfield", "obnl", "Beauharnois-Salaberry"),
                ("Table de concertation en sécurité alimentaire du Suroît", "obnl", "Beauharnois-Salaberry"),
                ("Transport solidaire des Jardins-de-Napierville", "obnl", "Les Jardins-de-Napierville"),
                ("Coopérative de solidarité en habitation de Salaberry-de-Valleyfield", "cooperative", "Beauharnois-Salaberry"),
                ("Coopérative de solidarité alimentaire de Saint-Chrysostome", "cooperative", "Le Haut-Saint-Laurent"),
                ("Ville de Salaberry-de-Valleyfield", "municipalite", "Beauharnois-Salaberry"),
                ("Ville de Châteauguay", "municipalite", "Roussillon"),
                ("Ville de Saint-Rémi", "municipalite", "Les Jardins-de-Napierville"),
                ("Ville de Vaudreuil-Dorion", "municipalite", "Vaudreuil-Soulanges"),
                ("MRC de Vaudreuil-Soulanges", "mrc", "Vaudreuil-Soulanges"),
                ("MRC du Haut-Saint-Laurent", "mrc", "Le Haut-Saint-Laurent"),
                ("MRC des Jardins-de-Napierville", "mrc", "Les Jardins-de-Napierville"),
                ("Conseil des Mohawks de Kahnawake", "conseil_bande", "Roussillon"),
                ("Conseil des Mohawks d'Akwesasne", "conseil_bande", "Le Haut-Saint-Laurent"),
                ("Centre de recherche en développement social du Suroît", "centre_recherche", "Beauharnois-Salaberry"),
            ],
            "firms": [("Services alimentaires Dubé inc.", "Roussillon")],
        },
        {
            "name": "Est de la Montérégie", "apps": 60, "envelope": 390000000,
            "priorities": ["securite_alimentaire", "insertion_emploi",
                           "transport_collectif", "participation_sociale"],
            "request": (15000, 250000), "months": [6, 9, 12, 12, 18, 24, 24, 30, 36],
            "places": ["Les Maskoutains", "Acton", "Pierre-De Saurel",
                       "La Vallée-du-Richelieu", "Marguerite-D'Youville", "Rouville",
                       "Le Haut-Richelieu", "Brome-Missisquoi", "La Haute-Yamaska"],
            "orgs": [
                ("Moisson Maskoutaine", "obnl", "Les Maskoutains"),
                ("Centre d'entraide maskoutain", "obnl", "Les Maskoutains"),
                ("Carrefour jeunesse-emploi des Maskoutains", "obnl", "Les Maskoutains"),
                ("Centre de bénévolat d'Acton Vale", "obnl", "Acton"),
                ("Corporation de développement communautaire Pierre-De Saurel", "obnl", "Pierre-De Saurel"),
                ("Comptoir alimentaire de Sorel-Tracy", "obnl", "Pierre-De Saurel"),
                ("Centre d'action bénévole de la Vallée-du-Richelieu", "obnl", "La Vallée-du-Richelieu"),
                ("Maison des jeunes de Beloeil", "obnl", "La Vallée-du-Richelieu"),
                ("Entraide Marguerite-D'Youville", "obnl", "Marguerite-D'Youville"),
                ("Centre communautaire de Marieville", "obnl", "Rouville"),
                ("Grenier communautaire de Saint-Jean-sur-Richelieu", "obnl", "Le Haut-Richelieu"),
                ("Centre de recherche d'emploi du Haut-Richelieu", "obnl", "Le Haut-Richelieu"),
                ("Maison de la famille de Brome-Missisquoi", "obnl", "Brome-Missisquoi"),
                ("Cuisines collectives de Cowansville", "obnl", "Brome-Missisquoi"),
                ("SOS Dépannage alimentaire de Granby", "obnl", "La Haute-Yamaska"),
                ("Centre d'alphabétisation de la Haute-Yamaska", "obnl", "La Haute-Yamaska"),
                ("Transport collectif rural de la Haute-Yamaska", "obnl", "La Haute-Yamaska"),
                ("Coopérative d'habitation des Maskoutains", "cooperative", "Les Maskoutains"),
                ("Coopérative de solidarité du Haut-Richelieu", "cooperative", "Le Haut-Richelieu"),
                ("Ville de Saint-Hyacinthe", "municipalite", "Les Maskoutains"),
                ("Ville de Sorel-Tracy", "municipalite", "Pierre-De Saurel"),
                ("Ville de Granby", "municipalite", "La Haute-Yamaska"),
                ("Ville de Saint-Jean-sur-Richelieu", "municipalite", "Le Haut-Richelieu"),
                ("Ville d'Acton Vale", "municipalite", "Acton"),
                ("MRC des Maskoutains", "mrc", "Les Maskoutains"),
                ("MRC d'Acton", "mrc", "Acton"),
                ("MRC de Pierre-De Saurel", "mrc", "Pierre-De Saurel"),
                ("MRC de Rouville", "mrc", "Rouville"),
                ("MRC Brome-Missisquoi", "mrc", "Brome-Missisquoi"),
                ("Centre de recherche sur les communautés rurales de la Montérégie", "centre_recherche", "Les Maskoutains"),
            ],
            "firms": [("Gestion immobilière Richelieu inc.", "Le Haut-Richelieu")],
        },
        {
            "name": "Agglomération de Longueuil", "apps": 52, "envelope": 410000000,
            "priorities": ["logement_social", "participation_sociale",
                           "reussite_educative", "insertion_emploi"],
            "request": (60000, 400000), "months": [12, 18, 24, 24, 30, 36, 36],
            "places": ["Longueuil", "Boucherville", "Brossard", "Saint-Lambert",
                       "Saint-Bruno-de-Montarville"],
            "orgs": [
                ("Corporation de développement communautaire de l'agglomération de Longueuil", "obnl", "Longueuil"),
                ("Association des locataires aînés de Longueuil", "obnl", "Longueuil"),
                ("Halte-accueil du Vieux-Longueuil", "obnl", "Longueuil"),
                ("Centre d'alphabétisation de Longueuil", "obnl", "Longueuil"),
                ("Mobilisation citoyenne Le Moyne", "obnl", "Longueuil"),
                ("Travail de rue Rive-Sud", "obnl", "Longueuil"),
                ("Habitations solidaires de la Rive-Sud", "obnl", "Longueuil"),
                ("Carrefour jeunesse-emploi de Saint-Hubert", "obnl", "Longueuil"),
                ("Maison de la famille de Brossard", "obnl", "Brossard"),
                ("Carrefour des familles immigrantes de Brossard", "obnl", "Brossard"),
                ("Comptoir alimentaire de Boucherville", "obnl", "Boucherville"),
                ("Centre d'entraide de Saint-Bruno", "obnl", "Saint-Bruno-de-Montarville"),
                ("Maison des jeunes de Saint-Lambert", "obnl", "Saint-Lambert"),
                ("Table itinérance Rive-Sud", "obnl", "Longueuil"),
                ("Centre de femmes de Longueuil", "obnl", "Longueuil"),
                ("Coopérative d'habitation du Vieux-Longueuil", "cooperative", "Longueuil"),
                ("Coopérative de solidarité Épicerie solidaire de Longueuil", "cooperative", "Longueuil"),
                ("Ville de Longueuil", "municipalite", "Longueuil"),
                ("Ville de Boucherville", "municipalite", "Boucherville"),
                ("Ville de Brossard", "municipalite", "Brossard"),
                ("Ville de Saint-Lambert", "municipalite", "Saint-Lambert"),
                ("Ville de Saint-Bruno-de-Montarville", "municipalite", "Saint-Bruno-de-Montarville"),
                ("Observatoire de la pauvreté de la Rive-Sud (Université de Sherbrooke, campus de Longueuil)", "centre_recherche", "Longueuil"),
            ],
            "firms": [("Immeubles Rive-Sud inc.", "Longueuil")],
        },
    ],
    # failures: how many applications carry each single ineligibility
    "flaws": {"share": 10, "firm": 3, "months": 2, "late_end": 2, "recurring": 2,
              "territory": 1},
}

# Montérégie's territories (territories.csv): the 14 MRC and, for the
# agglomeration, its five cities, each under its sub-region. domain.md gives
# no Montérégie figure below the sub-region: the populations are the 2021
# census counts as far as we know them (Statistics Canada, rounded as
# published; check the ministry's population decree before quoting them), and
# the low-income populations are illustrative, from a low-income rate per
# territory (5 % in the richest suburbs to 14 % in Longueuil) chosen to
# follow the usual contrasts (city centres and the rural south-west higher).
# Not drawn from rng: adding them changes no other example file.
MONTEREGIE_TERRITORIES = [
    # (territory, sub-region, population, low-income rate in tenths of %)
    ("Beauharnois-Salaberry", "Ouest de la Montérégie", 68322, 110),
    ("Le Haut-Saint-Laurent", "Ouest de la Montérégie", 22454, 120),
    ("Les Jardins-de-Napierville", "Ouest de la Montérégie", 28910, 90),
    ("Roussillon", "Ouest de la Montérégie", 184317, 60),
    ("Vaudreuil-Soulanges", "Ouest de la Montérégie", 163095, 60),
    ("Acton", "Est de la Montérégie", 15622, 100),
    ("Brome-Missisquoi", "Est de la Montérégie", 61308, 100),
    ("La Haute-Yamaska", "Est de la Montérégie", 93710, 100),
    ("La Vallée-du-Richelieu", "Est de la Montérégie", 128153, 50),
    ("Le Haut-Richelieu", "Est de la Montérégie", 126440, 90),
    ("Les Maskoutains", "Est de la Montérégie", 89920, 100),
    ("Marguerite-D'Youville", "Est de la Montérégie", 79813, 50),
    ("Pierre-De Saurel", "Est de la Montérégie", 52143, 110),
    ("Rouville", "Est de la Montérégie", 38112, 70),
    ("Longueuil", "Agglomération de Longueuil", 254483, 140),
    ("Brossard", "Agglomération de Longueuil", 91525, 120),
    ("Boucherville", "Agglomération de Longueuil", 41743, 60),
    ("Saint-Bruno-de-Montarville", "Agglomération de Longueuil", 26273, 50),
    ("Saint-Lambert", "Agglomération de Longueuil", 22525, 90),
]


def territory_rows():
    return [[t, sub, str(pop), str((pop * rate + 500) // 1000)]
            for t, sub, pop, rate in MONTEREGIE_TERRITORIES]


# Population (2021 decree) and a low-income population (north 10-14 %,
# Matawinie the highest rate; south 6-8 %).
LANAUDIERE_MRC = [
    ("D'Autray", 44168, 5120), ("Joliette", 70376, 8660), ("Matawinie", 51346, 7240),
    ("Montcalm", 57723, 6060), ("Les Moulins", 169815, 10870),
    ("L'Assomption", 128532, 9510),
]
LANAUDIERE_TOTAL = 600000000
LANAUDIERE_RESERVE = 0.05


def lanaudiere_envelope(name):
    """The MRC's envelope in cents, as rules/lanaudiere.lua's split() gives it."""
    pop = sum(p for _, p, _ in LANAUDIERE_MRC)
    low = sum(l for _, _, l in LANAUDIERE_MRC)
    for n, p, l in LANAUDIERE_MRC:
        if n == name:
            return round(LANAUDIERE_TOTAL * (1 - LANAUDIERE_RESERVE)
                         * (0.5 * p / pop + 0.5 * l / low))
    raise KeyError(name)


def lanaudiere_sub(name, apps, priorities, orgs, firms=()):
    return {"name": name, "apps": apps, "envelope": lanaudiere_envelope(name),
            "priorities": priorities, "request": (10000, 200000),
            "months": [6, 9, 12, 12, 18, 24, 24, 30, 36], "places": [name],
            "orgs": [(o, t, name) for o, t in orgs],
            "firms": [(f, name) for f in firms]}


LANAUDIERE = {
    "prefix": "LAN",
    "folder": "lanaudiere",
    "count": 120,
    "year_shares": [22, 32, 32, 10, 4],   # 60 % paid at signature: more up front
    "subregions": [
        lanaudiere_sub("D'Autray", 12,
                       ["securite_alimentaire", "transport_collectif", "insertion_emploi"], [
                           ("Centre d'action bénévole D'Autray", "obnl"),
                           ("Carrefour jeunesse-emploi D'Autray-Joliette", "obnl"),
                           ("Cuisines collectives de Berthierville", "obnl"),
                           ("Maison de la famille de Lavaltrie", "obnl"),
                           ("Coopérative de solidarité en habitation de Berthierville", "cooperative"),
                           ("Ville de Berthierville", "municipalite"),
                           ("MRC de D'Autray", "mrc"),
                       ]),
        lanaudiere_sub("Joliette", 19,
                       ["logement_social", "securite_alimentaire", "participation_sociale"], [
                           ("Moisson Lanaudière", "obnl"),
                           ("Halte-accueil de Joliette", "obnl"),
                           ("Action logement Lanaudière", "obnl"),
                           ("Regroupement des cuisines collectives de Lanaudière", "obnl"),
                           ("Centre de femmes Marie-Dupuis de Joliette", "obnl"),
                           ("Table régionale des aînés de Lanaudière", "obnl"),
                           ("Ville de Joliette", "municipalite"),
                           ("Municipalité de Saint-Charles-Borromée", "municipalite"),
                           ("MRC de Joliette", "mrc"),
                           ("Centre de recherche en développement social du Cégep régional de Lanaudière", "centre_recherche"),
                       ], ["Services alimentaires Lanaudière ltée"]),
        lanaudiere_sub("Matawinie", 15,
                       ["transport_collectif", "securite_alimentaire", "reussite_educative"], [
                           ("Centre d'entraide de Rawdon", "obnl"),
                           ("Maison de la famille de la Matawinie", "obnl"),
                           ("Maison des jeunes de Saint-Michel-des-Saints", "obnl"),
                           ("Service d'aide communautaire de Saint-Donat", "obnl"),
                           ("Coopérative de solidarité de Saint-Zénon", "cooperative"),
                           ("Municipalité de Saint-Michel-des-Saints", "municipalite"),
                           ("MRC de Matawinie", "mrc"),
                           ("Conseil des Atikamekw de Manawan", "conseil_bande"),
                       ]),
        lanaudiere_sub("Montcalm", 14,
                       ["transport_collectif", "reussite_educative", "logement_social"], [
                           ("Corporation de développement communautaire de Montcalm", "obnl"),
                           ("Centre d'alphabétisation de Montcalm", "obnl"),
                           ("Centre de femmes de Montcalm", "obnl"),
                           ("Comptoir alimentaire de Sainte-Julienne", "obnl"),
                           ("Municipalité de Sainte-Julienne", "municipalite"),
                           ("Ville de Saint-Lin–Laurentides", "municipalite"),
                           ("MRC de Montcalm", "mrc"),
                       ], ["Construction Montcalm inc."]),
        lanaudiere_sub("Les Moulins", 33,
                       ["logement_social", "insertion_emploi", "reussite_educative"], [
                           ("Corporation de développement communautaire Les Moulins", "obnl"),
                           ("Comité logement Les Moulins", "obnl"),
                           ("Carrefour jeunesse-emploi Les Moulins", "obnl"),
                           ("Comptoir alimentaire de Terrebonne", "obnl"),
                           ("Maison de la famille de Mascouche", "obnl"),
                           ("Travail de rue Les Moulins", "obnl"),
                           ("Centre d'alphabétisation de Terrebonne", "obnl"),
                           ("Coopérative d'habitation de La Plaine", "cooperative"),
                           ("Ville de Terrebonne", "municipalite"),
                           ("Ville de Mascouche", "municipalite"),
                           ("MRC Les Moulins", "mrc"),
                       ]),
        lanaudiere_sub("L'Assomption", 27,
                       ["logement_social", "securite_alimentaire", "participation_sociale"], [
                           ("Épicerie solidaire de Repentigny", "obnl"),
                           ("Carrefour jeunesse-emploi L'Assomption", "obnl"),
                           ("Centre d'entraide de Charlemagne", "obnl"),
                           ("Maison des jeunes de L'Épiphanie", "obnl"),
                           ("Hébergement et halte-accueil Le Chaînon de Repentigny", "obnl"),
                           ("Coopérative de solidarité en habitation de L'Assomption", "cooperative"),
                           ("Ville de Repentigny", "municipalite"),
                           ("Ville de L'Assomption", "municipalite"),
                           ("MRC de L'Assomption", "mrc"),
                       ]),
    ],
    "flaws": {"share": 8, "firm": 2, "months": 2, "late_end": 2, "recurring": 2,
              "territory": 1},
}


# What a community organisation works on, from words of its name (municipal
# bodies, band councils and research centres, GENERIC_TYPES, take on any theme).
THEME_WORDS = [
    (("alimentaire", "Moisson", "Cuisines", "cuisines", "Épicerie"), ["securite_alimentaire"]),
    (("logement", "habitation", "Habitations", "locataires", "itinérance", "Hébergement"),
     ["logement_social"]),
    (("Halte", "Travail de rue"), ["participation_sociale", "logement_social", "insertion_emploi"]),
    (("emploi",), ["insertion_emploi"]),
    (("alphabétisation", "Maison des jeunes", "famille"), ["reussite_educative"]),
    (("Transport",), ["transport_collectif"]),
    (("entraide", "bénévol", "femmes", "communautaire", "Mobilisation", "Table", "aînés",
      "Action populaire", "Coopérative de solidarité", "Service d'aide"),
     ["participation_sociale", "autre"]),
]
GENERIC_TYPES = ("municipalite", "mrc", "conseil_bande", "centre_recherche")


def themes(org):
    found = [t for words, ts in THEME_WORDS if any(w in org for w in words) for t in ts]
    return found or ["participation_sociale", "autre"]


# ---------------------------------------------------------------- applications

def start_date():
    """Successive calls for projects: starts spread over 2024-2025 (45 %),
    2025-2026 (35 %) and April-September 2026 (20 %); a third on the 1st."""
    lo, hi = weighted([(("2024-06-01", "2025-03-31"), 45),
                       (("2025-04-01", "2026-03-31"), 35),
                       (("2026-04-01", "2026-09-30"), 20)])
    lo, hi = datetime.date.fromisoformat(lo), datetime.date.fromisoformat(hi)
    d = lo + datetime.timedelta(days=int(rng.random() * ((hi - lo).days + 1)))
    if chance(0.35):
        d = d.replace(day=1)
    return d


def request_cents(sub):
    """Log-uniform in the sub-region's request range, with a few small ones;
    mostly rounded to 500 $, some to 100 $, a few to the cent."""
    lo, hi = sub["request"]
    if chance(0.06):
        dollars = uniform(5000, 20000)
    else:
        dollars = lo * (hi / lo) ** rng.random()
    return round_request(int(dollars * 100), sub)


def round_request(cents, sub):
    """Requests run from 5 000 $ to 400 000 $, and to a quarter of the
    sub-region's envelope at most: the engine pays each fiscal year from that
    year's money only, so a bigger project could never fit."""
    cents = max(500000, min(40000000, sub["envelope"] // 4, cents))
    r = rng.random()
    if r < 0.70:
        return max(500000, cents // 50000 * 50000)
    if r < 0.90:
        return cents // 10000 * 10000
    return cents


def application(sub, flaw, other_places):
    """One row (a dict) for sub-region sub, carrying the ineligibility flaw
    (or None)."""
    priority = weighted([(pick(sub["priorities"]), 70),
                         (pick([p for p in PRIORITIES if p != "autre"]), 20),
                         ("autre", 10)])
    if flaw == "firm":
        org, org_type, place = sub["firms"][0][0], "entreprise_privee", sub["firms"][0][1]
    else:
        # community organisations working on the theme file most projects
        specific = [o for o in sub["orgs"]
                    if o[1] not in GENERIC_TYPES and priority in themes(o[0])]
        generic = [o for o in sub["orgs"] if o[1] in GENERIC_TYPES]
        org, org_type, place = pick(specific if specific and chance(0.8) else generic)
    if flaw == "territory":
        place = pick(other_places)
    quality = rng.random() ** 0.35   # drives the scoring criteria together

    title = pick(TITLES[priority]).replace("{lieu}", pick(TOWNS[place]))

    start = start_date()
    if flaw == "months":
        start = datetime.date(2024, randint(6, 12), 1)
        months = pick([42, 48])
    elif flaw == "late_end":
        start = datetime.date(2026, randint(7, 9), randint(1, 28))
        months = pick([35, 36])
    else:
        # eligible projects end before the program's last day, so that even
        # start + months (the day after the last day) is inside the program
        choices = [m for m in sub["months"] if add_months(start, m) <= PROGRAM_END]
        months = pick(choices)

    requested = request_cents(sub)
    if flaw == "share":
        share = 1.0 if chance(0.2) else uniform(0.82, 0.99)
    else:
        share = uniform(0.50, 0.80)
    # total cost rounded up, so the FQIS share never exceeds the draw (exactly
    # 80 % happens, a boundary case the rules accept)
    total = -(-requested * 1000 // round(share * 1000))
    rest = total - requested
    others = int(rest * uniform(0.2, 1.0) * (0.4 + quality)) // 100 * 100
    others = min(others, rest)

    cost_per_person = 2500 * (0.2 ** quality) * uniform(0.6, 1.6)
    people = max(8, round(total / 100 / cost_per_person))
    partners = max(0, min(14, round(uniform(1, 9) * (0.4 + quality))))

    return {
        "organisation": org, "title": title, "subregion": sub["name"], "mrc": place,
        "org_type": org_type, "priorite": priority,
        "requested": requested, "total_cost": total, "autres_financements": others,
        "start": start, "months": months,
        "personnes_rejointes": people, "partenaires": partners,
        "participation": chance(0.35 + 0.6 * quality),
        "innovation": chance(0.15 + 0.35 * quality),
        "activite_recurrente": flaw == "recurring",
    }


def scale_demand(apps, sub):
    """Brings the sub-region's total request to DEMAND_FACTOR x its envelope."""
    mine = [a for a in apps if a["subregion"] == sub["name"]]
    for _ in range(3):
        total = sum(a["requested"] for a in mine)
        factor = DEMAND_FACTOR * sub["envelope"] / total
        if abs(factor - 1) < 0.02:
            return
        for a in mine:
            permille = max(1, a["requested"] * 1000 // a["total_cost"])  # rounded down
            a["requested"] = round_request(int(a["requested"] * factor), sub)
            a["total_cost"] = max(a["requested"], -(-a["requested"] * 1000 // permille))
            a["autres_financements"] = min(
                int(a["autres_financements"] * factor) // 100 * 100,
                a["total_cost"] - a["requested"])
            a["personnes_rejointes"] = max(8, round(a["personnes_rejointes"] * factor))


def generate(region):
    subs = region["subregions"]
    slots = shuffled([s for s in subs for _ in range(s["apps"])])
    assert len(slots) == region["count"]

    flaws = [None] * len(slots)
    free = shuffled(range(len(slots)))
    for flaw, n in region["flaws"].items():
        if flaw == "firm":                  # one firm per sub-region that has one
            targets = [s for s in subs if s["firms"]][:n]
            for s in targets:
                i = next(i for i in free if slots[i] is s)
                free.remove(i)
                flaws[i] = flaw
        else:
            for _ in range(n):
                flaws[free.pop()] = flaw

    all_places = [p for s in subs for p in s["places"]]
    apps = []
    for sub, flaw in zip(slots, flaws):
        others = [p for p in all_places if p not in sub["places"]]
        apps.append(application(sub, flaw, others))
    for s in subs:
        scale_demand(apps, s)

    # the boundary case: an FQIS share of exactly 80 %, which the rules accept
    edge = next(a for a, f in zip(apps, flaws) if f is None and a["requested"] % 4 == 0)
    edge["total_cost"] = edge["requested"] * 100 // 80
    edge["autres_financements"] = min(edge["autres_financements"],
                                      edge["total_cost"] - edge["requested"])

    # a few optional cells left empty, as analysts' sheets have
    blanks = [i for i, f in enumerate(flaws) if f is None]
    for column in ("innovation", "innovation", "autres_financements",
                   "personnes_rejointes"):
        apps[pick(blanks)][column] = None

    # ids: <prefix>-<year of the call (start's fiscal year)>-NNN
    def fiscal_year(d):
        return d.year if d.month >= 4 else d.year - 1
    counters = {}
    for a in sorted(apps, key=lambda a: (a["start"], a["organisation"], a["title"])):
        fy = fiscal_year(a["start"])
        counters[fy] = counters.get(fy, 0) + 1
        a["id"] = "%s-%d-%03d" % (region["prefix"], fy, counters[fy])
    apps.sort(key=lambda a: a["id"])
    return apps


APP_HEADER = ["id", "organisation", "title", "subregion", "mrc", "org_type", "priorite",
              "requested", "total_cost", "autres_financements", "start", "months",
              "personnes_rejointes", "partenaires", "participation", "innovation",
              "activite_recurrente"]


def app_row(a):
    def cell(key, fmt):
        return "" if a[key] is None else fmt(a[key])
    return [a["id"], a["organisation"], a["title"], a["subregion"], a["mrc"],
            a["org_type"], a["priorite"], money(a["requested"]), money(a["total_cost"]),
            cell("autres_financements", money), a["start"].isoformat(), str(a["months"]),
            cell("personnes_rejointes", str), str(a["partenaires"]),
            yes_no(a["participation"]), cell("innovation", yes_no),
            yes_no(a["activite_recurrente"])]


def envelope_rows(total_cents, year_shares):
    amounts = [total_cents * p // 100 for p in year_shares]
    amounts[-1] += total_cents - sum(amounts)
    return [["%d-%d" % (FIRST_YEAR + i, FIRST_YEAR + i + 1), money(a)]
            for i, a in enumerate(amounts)]


# ---------------------------------------------------------------- Excel export
# The same rows as a French-Canadian Excel saves them with "CSV UTF-8": ';'
# between cells (',' is the decimal separator), a BOM, CRLF line ends, the
# headers the analysts type, and amounts in display form ("12 345,67 $").
# Excel groups thousands with a no-break space (U+00A0), and text pasted from
# Word or the web brings the narrow no-break space (U+202F): rows alternate.
# The engine must decide exactly as on the plain files (tests/e2e/test_inputs.sh).
EXCEL_HEADERS = {
    "id": "Numéro de demande", "organisation": "Organisme", "title": "Titre",
    "subregion": "Sous-région", "mrc": "MRC", "org_type": "Type d'organisme",
    "priorite": "Priorité", "requested": "Montant demandé", "total_cost": "Coût total",
    "autres_financements": "Autres financements", "start": "Date de début",
    "months": "Durée (mois)", "personnes_rejointes": "Personnes rejointes",
    "partenaires": "Partenaires", "participation": "Participation",
    "innovation": "Innovation", "activite_recurrente": "Activité récurrente",
    "fiscal_year": "Année financière", "amount": "Montant", "reserve": "Réserve",
    "territory": "Territoire", "population": "Population",
    "low_income": "Population à faible revenu",
}
EXCEL_PEOPLE = {"population", "low_income"}
EXCEL_MONEY = {"requested", "total_cost", "autres_financements", "amount"}


def money_fr(text, space):
    """"1234567.89" -> "1 234 567,89 $" with space between groups and before $."""
    if not text:
        return text
    units, cents = text.split(".")
    groups = []
    while len(units) > 3:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return space.join([units] + groups) + "," + cents + space + "$"


def people_fr(text, space):
    """"254483" -> "254 483": persons grouped by three as Excel shows them."""
    return money_fr(text + ".00", space)[:-len(",00" + space + "$")]


def excel_rows(header, rows):
    money_at = [i for i, name in enumerate(header) if name in EXCEL_MONEY]
    people_at = [i for i, name in enumerate(header) if name in EXCEL_PEOPLE]
    out = []
    for n, row in enumerate(rows):
        space = "\u00a0" if n % 2 == 0 else "\u202f"
        out.append([money_fr(c, space) if i in money_at
                    else people_fr(c, space) if i in people_at else c
                    for i, c in enumerate(row)])
    return [EXCEL_HEADERS[name] for name in header], out


def write_excel_csv(path, header, rows):
    header, rows = excel_rows(header, rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def write_region(region, total_cents, split_header, split_rows, excel_folder=None,
                 territories=None):
    files = [("envelopes.csv", ["fiscal_year", "amount"],
              envelope_rows(total_cents, region["year_shares"])),
             ("split.csv", split_header, split_rows),
             ("applications.csv", APP_HEADER, [app_row(a) for a in generate(region)])]
    if territories:
        files.append(("territories.csv",
                      ["territory", "subregion", "population", "low_income"],
                      territories))
    for folder, write in [(region["folder"], write_csv), (excel_folder, write_excel_csv)]:
        if folder is None:
            continue
        out = os.path.join(ROOT, "inputs", folder)
        os.makedirs(out, exist_ok=True)
        for name, header, rows in files:
            write(os.path.join(out, name), header, rows)


def main():
    write_region(MONTEREGIE, 1180000000, ["subregion", "amount", "reserve"],
                 [[s["name"], money(s["envelope"]), "non"] for s in MONTEREGIE["subregions"]]
                 + [["Réserve régionale", money(120000000), "oui"]],
                 excel_folder="monteregie-excel", territories=territory_rows())
    write_region(LANAUDIERE, LANAUDIERE_TOTAL,
                 ["subregion", "population", "low_income", "reserve"],
                 [[n, str(p), str(l), "non"] for n, p, l in LANAUDIERE_MRC]
                 + [["Réserve régionale", "", "", "oui"]])


if __name__ == "__main__":
    main()
