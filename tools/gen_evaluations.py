#!/usr/bin/python3
"""Generates the committee grades of the two shipped examples.

    /usr/bin/python3 tools/gen_evaluations.py      (from anywhere; no arguments)

Writes inputs/monteregie/evaluations.csv and inputs/lanaudiere/evaluations.csv,
one row per grade: application, evaluator, criterion, points; and the same
Montérégie grades as Excel exports them in inputs/monteregie-excel/ (French headers,
";", BOM, CRLF, decimal comma), which must decide exactly like the plain folder. The selection
committee's members grade one criterion of the analysis grid, which the rule file
combines with the points it computes (rules/README.md, "Committee grades"):
  monteregie  "partenariat" (Partenariat et concertation, out of 15): how real and
              useful the partnership is, beyond the number of partners
  lanaudiere  "realisme_budget" (Réalisme du budget, out of 10): whether the budget
              is credible for what the project plans to do
Each application is graded by 2 or 3 of the region's five evaluators; about one in
twelve is not graded (the committee did not get to it), so the rules' fallback shows.

A grade follows what the data says about the criterion (the partners, the cost per
person reached), moved by the project's quality as the committee sees it (the same
for every evaluator) and by each evaluator's own judgement, rounded to half points.

Determinism: reads the applications.csv written by tools/gen_examples.py, one
random.Random per region with a fixed seed, and only its random() method (whose
sequence Python guarantees across versions). Running the script twice gives
byte-identical files: UTF-8, comma-delimited, "\\n" line ends, points as "12.5".
Python 3 standard library only.
"""
import csv
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EVALUATORS = {
    "monteregie": ["Julie Tremblay", "Marc Gagnon", "Nadia Roy",
                   "Sylvain Côté", "Amélie Bouchard"],
    "lanaudiere": ["Isabelle Gauthier", "Patrick Morin", "Karine Lavoie",
                   "Éric Fortin", "Sophie Gélinas"],
}


def partenariat_base(app, top):
    """Points out of top from the number of partners, as the rule counts them."""
    partners = int(app["partenaires"]) if app["partenaires"] else 0
    return top * min(partners, 8) / 8


def realisme_base(app, top):
    """Points out of top from the cost per person reached."""
    people = int(app["personnes_rejointes"]) if app["personnes_rejointes"] else 0
    if people <= 0:
        return top / 2
    per_person = float(app["total_cost"]) / people
    for limit, points in ((1000, 10), (2000, 7), (4000, 4)):
        if per_person <= limit:
            return top * points / 10
    return top * 0.1


REGIONS = [
    # region, seed, criterion, its maximum, the data's view of it
    ("monteregie", 20241, "partenariat", 15, partenariat_base),
    ("lanaudiere", 20242, "realisme_budget", 10, realisme_base),
]


def shuffled(rng, items):
    """Fisher-Yates with random() only."""
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


def half_points(x, top):
    x = min(max(x, 0.0), top)
    return round(x * 2) / 2


def points_text(x):
    """12, 12.5: whole points without a decimal."""
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def grades(rng, region, criterion, top, base_of, apps):
    rows = []
    for app in apps:
        if rng.random() < 1 / 12:
            continue
        base = base_of(app, top)
        quality = (rng.random() - 0.5) * 0.5 * top   # the committee's view
        n = 3 if rng.random() < 0.5 else 2
        for name in shuffled(rng, EVALUATORS[region])[:n]:
            own = (rng.random() - 0.5) * 0.2 * top   # each member's judgement
            points = half_points(base + quality + own, top)
            rows.append([app["id"], name, criterion, points_text(points)])
    return rows


EXCEL_FOLDERS = {"monteregie": "monteregie-excel"}
EXCEL_HEADER = ["Numéro de demande", "Évaluateur", "Critère", "Pointage"]


def write_plain(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["application", "evaluator", "criterion", "points"])
        out.writerows(rows)


def write_excel(path, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        out = csv.writer(f, delimiter=";", lineterminator="\r\n")
        out.writerow(EXCEL_HEADER)
        out.writerows([r[:3] + [r[3].replace(".", ",")] for r in rows])


def main():
    for region, seed, criterion, top, base_of in REGIONS:
        folder = os.path.join(ROOT, "inputs", region)
        with open(os.path.join(folder, "applications.csv"), newline="",
                  encoding="utf-8") as f:
            apps = list(csv.DictReader(f))
        rng = random.Random(seed)
        rows = grades(rng, region, criterion, top, base_of, apps)
        write_plain(os.path.join(folder, "evaluations.csv"), rows)
        print(f"{folder}/evaluations.csv: {len(rows)} grades")
        if region in EXCEL_FOLDERS:
            excel = os.path.join(ROOT, "inputs", EXCEL_FOLDERS[region])
            write_excel(os.path.join(excel, "evaluations.csv"), rows)
            print(f"{excel}/evaluations.csv: the same, as Excel exports it")


if __name__ == "__main__":
    main()
