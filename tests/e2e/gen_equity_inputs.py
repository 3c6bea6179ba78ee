#!/usr/bin/python3
"""Writes a random program with territory figures, for the territorial
equity tests (tests/e2e/test_equity.sh, rules tests/data/rules/equity.lua).

usage: gen_equity_inputs.py OUT_DIR SEED [later]

Four sub-regions with amounts and a reserve, three fiscal years, two to five
territories per sub-region in territories.csv (one with no inhabitant, one
with no low-income person, others at random), 40 to 90 applications in column
"lieu" naming a territory (a few outside their sub-region, marked hors=oui,
and a few with no territory, also hors), one committee override funded from
the reserve. split.csv has population figures when SEED is odd (the sums of
the territories), none when even. "later": a later call, with commitments.csv
holding earlier applications and one resubmission (run with --resubmit).
Deterministic: the same arguments write the same bytes.
"""
import csv
import os
import random
import sys


def write(path, head, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        w.writerows(rows)


def main():
    out, seed = sys.argv[1], int(sys.argv[2])
    later = len(sys.argv) > 3 and sys.argv[3] == "later"
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    subs = ["Nord", "Sud", "Est", "Ouest"]
    terr = []
    for s in subs:
        for k in range(int(rng.random() * 4) + 2):
            pop = int(rng.random() * 200000) + 1
            low = int(pop * rng.random() * 0.2)
            terr.append([f"{s}-{k}", s, pop, low])
    terr[1][2:] = [0, 0]          # no inhabitant
    terr[3][3] = 0                # no low-income person
    write(os.path.join(out, "territories.csv"),
          ["territory", "subregion", "population", "low_income"],
          [[t, s, str(p), str(l)] for t, s, p, l in terr])
    amounts = [int(rng.random() * 40000000) + 5000000 for _ in subs]
    years = [sum(amounts) // 3] * 2
    years.append(sum(amounts) + 10000000 - sum(years))
    write(os.path.join(out, "envelopes.csv"), ["fiscal_year", "amount"],
          [["%d-%d" % (2024 + y, 2025 + y), "%d.%02d" % divmod(a, 100)]
           for y, a in enumerate(years)])
    people = {s: [sum(t[2] for t in terr if t[1] == s), sum(t[3] for t in terr if t[1] == s)]
              for s in subs}
    if seed % 2:
        write(os.path.join(out, "split.csv"),
              ["subregion", "amount", "population", "low_income", "reserve"],
              [[s, "%d.%02d" % divmod(a, 100), str(people[s][0]), str(people[s][1]), "non"]
               for s, a in zip(subs, amounts)] + [["Réserve", "", "", "", "oui"]])
    else:
        write(os.path.join(out, "split.csv"), ["subregion", "amount", "reserve"],
              [[s, "%d.%02d" % divmod(a, 100), "non"] for s, a in zip(subs, amounts)]
              + [["Réserve", "", "oui"]])
    apps = []
    for i in range(int(rng.random() * 50) + 40):
        s = subs[int(rng.random() * len(subs))]
        mine = [t[0] for t in terr if t[1] == s]
        lieu, hors = mine[int(rng.random() * len(mine))], "non"
        r = rng.random()
        if r < 0.06:
            lieu, hors = terr[int(rng.random() * len(terr))][0], "oui"
            if lieu in mine:
                hors = "non"
        elif r < 0.1:
            lieu, hors = "", "oui"
        req = int(rng.random() * 3000000) + 100000
        apps.append([f"EQ-{i + 1:03d}", f"Organisme {i + 1}", s, lieu, hors,
                     str(int(rng.random() * 100)), "%d.%02d" % divmod(req, 100),
                     "%d.%02d" % divmod(req * 2, 100), "2024-06-01", "12"])
    write(os.path.join(out, "applications.csv"),
          ["id", "organisation", "subregion", "lieu", "hors", "note", "requested",
           "total_cost", "start", "months"], apps)
    fundable = [a for a in apps if a[4] == "non"]
    write(os.path.join(out, "overrides.csv"),
          ["application", "decision", "amount", "justification", "from_reserve"],
          [[fundable[0][0], "financer", "", "Projet structurant", "oui"]])
    if later:
        rows = [[f"OLD-{k:03d}", subs[k % len(subs)], "2024-2025",
                 "%d.%02d" % divmod(int(rng.random() * 2000000) + 1000, 100), "CA-2023-1"]
                for k in range(6)]
        resub = fundable[1]
        rows.append([resub[0], resub[2], "2024-2025", "1234.56", "CA-2023-2"])
        write(os.path.join(out, "commitments.csv"),
              ["application", "subregion", "fiscal_year", "amount", "resolution"], rows)


main()
