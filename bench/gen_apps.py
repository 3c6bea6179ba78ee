#!/usr/bin/python3
"""Writes a deterministic input folder of N applications for `make bench`.

    /usr/bin/python3 bench/gen_apps.py OUT_DIR [N] [--one-year]
                                                  (N defaults to 1 000 000)

OUT_DIR gets applications.csv, envelopes.csv and split.csv shaped like the
shipped Montérégie example (the same 17 columns, about 230 bytes a row), so the
figures measure what a real region's file costs: quoted titles holding commas,
accented text, a mix of machine amounts ("12345.67") and French-Canadian ones
("12 345,67 $" with a no-break space), dates, integers and booleans.

--one-year writes instead the program issue 18 measured, as a user would
script it (rules: bench/oneyear.lua): one fiscal year (2025-2026), three
sub-regions and no reserve, 12 columns with the extra ones axis, partners,
people_reached and poverty_index, about 150 bytes a row.

Determinism: one random.Random(2024), and only its random() method, so the
file is byte-identical from one run (and Python version) to the next. Not
committed: the Makefile writes it under the build folder.
"""
import os
import random
import sys

rng = random.Random(2024)

SUBREGIONS = ["Ouest de la Montérégie", "Est de la Montérégie",
              "Agglomération de Longueuil"]
# Part of each sub-region's territory (rules/monteregie.lua), by sub-region.
MRC = [["Vaudreuil-Soulanges", "Beauharnois-Salaberry", "Roussillon"],
       ["Les Maskoutains", "La Haute-Yamaska", "Rouville"],
       ["Longueuil", "Brossard", "Boucherville"]]
ORGS = ["Cuisines collectives de Beauharnois", "Comptoir alimentaire de Sorel-Tracy",
        "Maison de la famille de Brome-Missisquoi", "Ville de Saint-Hyacinthe",
        "Centre d'action bénévole de la Vallée-du-Richelieu", "MRC d'Acton",
        "Carrefour jeunesse-emploi des Maskoutains", "Coopérative d'habitation"]
TITLES = ["Épicerie solidaire et cuisines collectives",
          "Halte-accueil, repas et référence pour les personnes en situation d'itinérance",
          "Défense des droits des locataires aînés",
          "Transport collectif abordable en milieu rural",
          "Aide aux devoirs et persévérance scolaire",
          'Projet "Ensemble, on s\'en sort" : entraide et soutien psychosocial']
TYPES = ["obnl", "obnl", "obnl", "cooperative", "municipalite", "mrc"]
PRIORITIES = ["securite_alimentaire", "logement_social", "reussite_educative",
              "transport_collectif", "insertion_emploi", "participation_sociale"]
HEADER = ("id,organisation,title,subregion,mrc,org_type,priorite,requested,"
          "total_cost,autres_financements,start,months,personnes_rejointes,"
          "partenaires,participation,innovation,activite_recurrente\n")


def pick(seq):
    return seq[int(rng.random() * len(seq))]


def quoted(text):
    if any(c in text for c in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def money(cents):
    """Three rows in four in machine form, the others as Excel fr-CA
    writes them."""
    units, frac = divmod(cents, 100)
    if rng.random() < 0.75:
        return "%d.%02d" % (units, frac)
    grouped = "{:,}".format(units).replace(",", "\u00a0")
    return '"%s,%02d\u00a0$"' % (grouped, frac)


# Each flaw makes an application ineligible; drawn with the shipped example's
# frequencies (tools/gen_examples.py: 20 flawed applications in 150, two
# thirds of them for the FQIS share), the others pass every check.
FLAWS = [("share", 0.067), ("firm", 0.02), ("months", 0.013),
         ("late_end", 0.013), ("recurring", 0.013), ("territory", 0.007)]


def flaw():
    x = rng.random()
    for name, p in FLAWS:
        if x < p:
            return name
        x -= p
    return None


def row(i):
    bad = flaw()
    sub = int(rng.random() * len(SUBREGIONS))
    mrc = pick(MRC[(sub + 1) % 3] if bad == "territory" else MRC[sub])
    requested = 500000 + int(rng.random() * 40000000)
    share = 0.82 + rng.random() * 0.17 if bad == "share" else 0.5 + rng.random() * 0.3
    total = -(-requested * 10000 // int(share * 10000))   # share never above the draw
    others = int(rng.random() * (total - requested))
    year, month = (2028, 9) if bad == "late_end" else (2025, 1 + int(rng.random() * 12))
    months = 42 if bad == "months" else 6 + int(rng.random() * 31)
    return ",".join([
        "BEN-%07d" % i, quoted(pick(ORGS)), quoted(pick(TITLES)), SUBREGIONS[sub],
        mrc, "entreprise_privee" if bad == "firm" else pick(TYPES), pick(PRIORITIES),
        money(requested), money(total), money(others),
        "%d-%02d-%02d" % (year, month, 1 + int(rng.random() * 28)),
        str(months), str(8 + int(rng.random() * 500)),
        str(int(rng.random() * 15)), pick(["oui", "non"]), pick(["oui", "non", ""]),
        "oui" if bad == "recurring" else "non"]) + "\n"


ONE_YEAR_HEADER = ("id,organisation,title,subregion,axis,requested,total_cost,"
                   "start,months,partners,people_reached,poverty_index\n")
AXES = ["alimentation", "logement", "education", "emploi", "transport", "inclusion"]


def row_one_year(i):
    """About 8 % fail one of bench/oneyear.lua's three checks."""
    sub = int(rng.random() * len(SUBREGIONS))
    requested = 500000 + int(rng.random() * 20000000)
    share = 0.82 + rng.random() * 0.17 if rng.random() < 0.05 else 0.4 + rng.random() * 0.4
    total = -(-requested * 10000 // int(share * 10000))
    month = 4 + int(rng.random() * 6)
    months = 13 if rng.random() < 0.02 else 1 + int(rng.random() * (15 - month))
    axis = "autre" if rng.random() < 0.01 else pick(AXES)
    return ",".join([
        "PRJ-%07d" % i, quoted(pick(ORGS)), quoted(pick(TITLES)), SUBREGIONS[sub],
        axis, money(requested), money(total),
        "2025-%02d-%02d" % (month, 1 + int(rng.random() * 28)), str(months),
        str(int(rng.random() * 12)), str(int(rng.random() * 800)),
        "%.3f" % rng.random()]) + "\n"


def main_one_year(out, n):
    total = min(n * 3000000, 10 ** 12)
    with open(os.path.join(out, "envelopes.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("fiscal_year,amount\n2025-2026,%d.%02d\n" % (total // 100, total % 100))
    with open(os.path.join(out, "split.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("subregion,amount,reserve\n")
        third = total // 3
        for k, s in enumerate(SUBREGIONS):
            part = third if k < 2 else total - 2 * third
            f.write("%s,%d.%02d,non\n" % (s, part // 100, part % 100))
    tmp = os.path.join(out, "applications.csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(ONE_YEAR_HEADER)
        for start in range(1, n + 1, 10000):
            f.write("".join(row_one_year(i) for i in range(start, min(n, start + 9999) + 1)))
    os.replace(tmp, os.path.join(out, "applications.csv"))


def main():
    args = [a for a in sys.argv[1:] if a != "--one-year"]
    out = args[0]
    n = int(args[1]) if len(args) > 1 else 1000000
    os.makedirs(out, exist_ok=True)
    if "--one-year" in sys.argv[1:]:
        main_one_year(out, n)
        return
    # The envelope funds about half of what ranked applications request, as
    # in a real call, up to 10 G$ (amounts stay far below MONEY_MAX).
    total = min(n * 6000000, 10 ** 12)
    with open(os.path.join(out, "envelopes.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("fiscal_year,amount\n")
        for y in range(2024, 2029):
            f.write("%d-%d,%d.%02d\n" % (y, y + 1, total // 500, total // 5 % 100))
    with open(os.path.join(out, "split.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("subregion,amount,reserve\n")
        for s in SUBREGIONS:
            f.write("%s,%d.%02d,non\n" % (s, total * 3 // 1000, total * 3 // 10 % 100))
        f.write("Réserve régionale,%d.%02d,oui\n" % (total // 1000, total // 10 % 100))
    tmp = os.path.join(out, "applications.csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER)
        for start in range(1, n + 1, 10000):
            f.write("".join(row(i) for i in range(start, min(n, start + 9999) + 1)))
    os.replace(tmp, os.path.join(out, "applications.csv"))


if __name__ == "__main__":
    main()
