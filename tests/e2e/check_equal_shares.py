"""Compares alliance's method = "equal_shares" with the exact-fraction
reference (ref_equal_shares.py) on random small elections.

usage: check_equal_shares.py ALLIANCE WORKDIR [N [SEED]]

Each election: 1-2 sub-regions, 1-7 evaluators grading 1-9 applications
on two criteria (some left ungraded, some zero), one fiscal year, random
completion (none, greedy, add1) and utility (points, cost). alliance's
funded set and every evaluator's payment (run store, share_payment) must
equal the reference's to the cent; the reference's pure-fraction run (no
cent rounding) is compared too, and its disagreements only counted.
"""
import csv
import os
import random
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ref_equal_shares as ref  # noqa: E402

RULE = """return {{
  program = "es",
  fields = {{ rank_points = "integer" }},
  criteria = {{
    {{ id = "a", label = "A", max = 50, score = function(app) return app.rank_points end }},
    {{ id = "b", label = "B", max = 50, score = function(app) return 0 end }},
  }},
  allocate = {{ method = "equal_shares", completion = "{completion}",
               utility = "{utility}" }},
}}
"""


def make(rng, d):
    subs = ["Nord", "Sud"][: rng.randint(1, 2)]
    apps, evals = [], []
    for k in range(rng.randint(1, 9)):
        cents = rng.choice([rng.randint(1, 40) * 100, rng.randint(100, 4000)])
        apps.append({"id": f"A{k:02d}", "sub": rng.choice(subs), "req": cents,
                     "rank": rng.randint(0, 3)})
    voters = [f"e{k}" for k in range(rng.randint(1, 7))]
    for a in apps:
        for v in voters:
            if rng.random() < 0.6:
                for c in "ab":
                    if rng.random() < 0.8:
                        evals.append((a["id"], v, c, rng.choice([0, 1, 2, 3, 2.5])))
    amounts = {s: rng.randint(5, 120) * 100 + rng.choice([0, rng.randint(0, 99)]) for s in subs}
    completion = rng.choice(["none", "greedy", "add1"])
    utility = rng.choice(["points", "cost"])
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/applications.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "organisation", "subregion", "requested", "total_cost", "rank_points"])
        for a in apps:
            m = f"{a['req'] // 100}.{a['req'] % 100:02d}"
            w.writerow([a["id"], "Org " + a["id"], a["sub"], m, m, a["rank"]])
    total = sum(amounts.values())
    with open(f"{d}/envelopes.csv", "w") as f:
        f.write(f"fiscal_year,amount\n2025-2026,{total // 100}.{total % 100:02d}\n")
    with open(f"{d}/split.csv", "w") as f:
        f.write("subregion,amount\n")
        for s in subs:
            f.write(f"{s},{amounts[s] // 100}.{amounts[s] % 100:02d}\n")
    with open(f"{d}/evaluations.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["application", "evaluator", "criterion", "points"])
        w.writerows(evals)
    with open(f"{d}/rules.lua", "w") as f:
        f.write(RULE.format(completion=completion, utility=utility))
    return subs, apps, evals, amounts, completion, utility


def reference(subs, apps, evals, amounts, completion, utility, cents=True):
    """{app id: {evaluator: cents}} bought by equal shares, and the set
    funded (with the greedy completion when asked)."""
    funded, paid = set(), {}
    for s in subs:
        cand = sorted((a for a in apps if a["sub"] == s),
                      key=lambda a: (-a["rank"] * 100, a["req"], a["id"].encode()))
        ids = {a["id"] for a in cand}
        voters = sorted({v for app, v, _, _ in evals if app in ids})
        projects = []
        for a in cand:
            u = {}
            for app, v, _, p in evals:
                if app == a["id"]:
                    u[v] = u.get(v, 0) + round(p * 100)
            if utility == "cost":
                u = {v: x * a["req"] for v, x in u.items()}
            projects.append((a["req"], {v: x for v, x in u.items() if x > 0}))
        if voters:
            bought, payments = ref.election(projects, amounts[s], voters, completion, cents)
        else:
            bought, payments = [], {}
        for p in bought:
            funded.add(cand[p]["id"])
            paid[cand[p]["id"]] = {v: x for v, x in payments[p].items() if x > 0}
        if completion == "greedy":
            left = amounts[s] - sum(cand[p]["req"] for p in bought)
            for a in cand:
                if a["id"] not in funded and a["req"] <= left:
                    funded.add(a["id"])
                    left -= a["req"]
    return funded, paid


def engine(alliance, d):
    db = f"{d}/store.db"
    subprocess.run([alliance, "run", "--inputs", d, "--rules", f"{d}/rules.lua",
                    "--out", f"{d}/out", "--db", db, "--quiet"], check=True)
    funded = {r["id"] for r in csv.DictReader(open(f"{d}/out/decisions.csv"))
              if r["status"] == "funded"}
    con = sqlite3.connect(db)
    paid = {}
    for app, ev, amount in con.execute(
            "SELECT a.id, p.evaluator, p.amount FROM share_payment p"
            " JOIN application a USING (run_id, app)"):
        paid.setdefault(app, {})[ev] = amount
    # the C core's invariants: each bought one paid exactly its cost, no
    # evaluator paid more than its budget
    for sub, budget, voters in con.execute(
            "SELECT sub, budget, voters FROM share_election"):
        for ev, total in con.execute(
                "SELECT p.evaluator, sum(p.amount) FROM share_payment p"
                " JOIN application a USING (run_id, app) WHERE a.sub = ?"
                " GROUP BY p.evaluator", (sub,)):
            assert total <= budget + 1, (d, ev, total, budget)
    for app, cost, got in con.execute(
            "SELECT a.id, d.cost, (SELECT sum(amount) FROM share_payment p"
            " WHERE p.run_id = d.run_id AND p.app = d.app) FROM share_decision d"
            " JOIN application a USING (run_id, app) WHERE d.how = 'bought'"):
        assert cost == got, (d, app, cost, got)
    con.close()
    return funded, paid


def main():
    alliance, work = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 19)
    bad, differ_exact, bought = 0, 0, 0
    for k in range(n):
        d = f"{work}/es{k:03d}"
        case = make(rng, d)
        want_f, want_p = reference(*case)
        got_f, got_p = engine(alliance, d)
        bought += len(want_p)
        if (want_f, want_p) != (got_f, got_p):
            bad += 1
            print(f"{d} ({case[4]}, {case[5]}): engine funded {sorted(got_f)}, "
                  f"reference {sorted(want_f)}")
            for app in sorted(set(want_p) | set(got_p)):
                if want_p.get(app) != got_p.get(app):
                    print(f"  {app}: engine {got_p.get(app)} reference {want_p.get(app)}")
        exact_f, _ = reference(*case, cents=False)
        differ_exact += exact_f != want_f
    print(f"{n} elections, {bought} purchases: {bad} differ from the reference; "
          f"the pure-fraction rule (no cents) funds another set in {differ_exact}")
    sys.exit(1 if bad else 0)


main()
