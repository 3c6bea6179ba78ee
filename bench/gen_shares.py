#!/usr/bin/python3
"""Writes a deterministic equal-shares program for `make bench`:

    /usr/bin/python3 bench/gen_shares.py OUT_DIR [N_PER_SUB [EVALUATORS]]

Three sub-regions of N_PER_SUB applications (default 10 000), each graded
by every one of its EVALUATORS (default 10) on one criterion, 0 to 10
points (about a tenth left ungraded); one fiscal year whose envelope
funds about a third of the requests. Not committed: written under the
build folder. Determinism: random.Random(19), random() only.
"""
import os
import sys

import random

rng = random.Random(19)
out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
evaluators = int(sys.argv[3]) if len(sys.argv) > 3 else 10
subs = ["Ouest", "Est", "Centre"]
os.makedirs(out, exist_ok=True)
total = 0
with open(f"{out}/applications.csv", "w") as a, open(f"{out}/evaluations.csv", "w") as e:
    a.write("id,organisation,subregion,requested,total_cost\n")
    e.write("application,evaluator,criterion,points\n")
    for s, sub in enumerate(subs):
        for k in range(n):
            cents = 500000 + int(rng.random() * 4500000)
            total += cents
            aid = f"A{s}{k:06d}"
            a.write(f"{aid},Org {aid},{sub},{cents // 100}.{cents % 100:02d},"
                    f"{cents // 100}.{cents % 100:02d}\n")
            for v in range(evaluators):
                if rng.random() < 0.9:
                    e.write(f"{aid},{sub[0]}{v:02d},q,{int(rng.random() * 11)}\n")
with open(f"{out}/envelopes.csv", "w") as f:
    f.write(f"fiscal_year,amount\n2025-2026,{total // 300}\n")
with open(f"{out}/split.csv", "w") as f:
    f.write("subregion,share\n" + "".join(f"{s},{1 / len(subs)}\n" for s in subs))
with open(f"{out}/rules.lua", "w") as f:
    f.write('return { criteria = { { id = "q", label = "Qualité", max = 10,\n'
            '  score = function(app, ctx) return app.grades.q and app.grades.q.mean or 0 end } },\n'
            '  grid_total = 10,\n'
            '  allocate = { method = "equal_shares" } }\n')
