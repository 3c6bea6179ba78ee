#!/usr/bin/python3
"""Brute-force check of a shipped example's robustness columns through the
real binary, independently of the engine's algorithm.

usage: check_robust.py ALLIANCE INPUTS_DIR RULES_FILE LIB_DIR WORK_DIR

Margins: for every candidate, the rule file is wrapped (a module of a
copy of the library) with one more criterion that gives every
application 100 points and the one probed 100 + delta, the threshold
raised by 100: the order of everybody else is untouched. The run is
repeated at delta = -margin (funded) or +margin (others), where its
status must change and its rank be decisions.csv's margin_rank, and one
hundredth short of it, where it must not. A funded one without a margin
must still be funded at the threshold; another without a margin must
still not be funded in full above everybody of its sub-region.

One evaluator: for each evaluator, evaluations.csv without their rows;
the applications whose status changes must be exactly those naming them
in decided_by_one_evaluator.
"""
import csv
import os
import re
import shutil
import subprocess
import sys

WRAP = """local base = require("robust_base")
local crit = {}
for i, c in ipairs(base.criteria) do crit[i] = c end
crit[#crit + 1] = { id = "zz_probe", label = "probe", max = 200,
  score = function(app) if app.id == %(target)s then return 100 + %(delta)s end
                        return 100 end }
base.criteria = crit
base.threshold = base.threshold + 100
if base.grid_total then base.grid_total = base.grid_total + 200 end
base.robustness = false
return base
"""

PLAIN = """local base = require("robust_base")
base.robustness = false
return base
"""

failures = []


def fail(msg):
    failures.append(msg)
    print("  FAIL:", msg)


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Runner:
    def __init__(self, alliance, inputs, rules, lib, work):
        self.alliance, self.inputs, self.work = alliance, inputs, work
        self.lib = os.path.join(work, "lib")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(lib, self.lib)
        shutil.copy(rules, os.path.join(self.lib, "robust_base.lua"))
        self.runs = 0

    def run(self, rules_text, inputs=None):
        """decisions.csv of one run, by id."""
        self.runs += 1
        rules = os.path.join(self.work, "probe.lua")
        with open(rules, "w", encoding="utf-8") as f:
            f.write(rules_text)
        out = os.path.join(self.work, "out")
        subprocess.run([self.alliance, "run", "--quiet", "--no-db", "--no-report",
                        "--inputs", inputs or self.inputs, "--rules", rules,
                        "--lib", self.lib, "--out", out], check=True)
        return {d["id"]: d for d in rows(os.path.join(out, "decisions.csv"))}

    def probe(self, app, delta_hundredths):
        text = WRAP % {"target": '"%s"' % app, "delta": "%d / 100" % delta_hundredths}
        return self.run(text)[app]


def hundredths(text):
    units, _, cents = text.partition(".")
    sign = -1 if units.startswith("-") else 1
    return sign * (abs(int(units)) * 100 + int((cents + "00")[:2]))


def check_margins(r, base, threshold):
    checked = 0
    for d in base.values():
        status = d["status"]
        if status not in ("funded", "partially_funded", "waitlisted"):
            if d["margin"]:
                fail(f"{d['id']}: {status} with a margin")
            continue
        funded = status == "funded"
        score = hundredths(d["score"])
        if d["margin"]:
            m = hundredths(d["margin"])
            sign = -1 if funded else 1
            at, short = r.probe(d["id"], sign * m), r.probe(d["id"], sign * (m - 1))
            if (at["status"] == "funded") == funded or (short["status"] == "funded") != funded:
                fail(f"{d['id']} ({status}, {d['score']}): margin {d['margin']}: at it "
                     f"{at['status']}, a hundredth short {short['status']}")
            if at["rank"] != d["margin_rank"]:
                fail(f"{d['id']}: rank at the margin {at['rank']}, decisions.csv {d['margin_rank']}")
        elif funded:
            low = r.probe(d["id"], threshold - score)
            if low["status"] != "funded":
                fail(f"{d['id']}: no margin, but {low['status']} at the threshold")
        else:
            top = max(hundredths(x["score"]) for x in base.values()
                      if x["subregion"] == d["subregion"] and x["rank"])
            high = r.probe(d["id"], top - score + 1)
            if high["status"] == "funded":
                fail(f"{d['id']}: no margin, but funded above everybody")
        checked += 1
    return checked


def check_evaluators(r, base):
    evals = rows(os.path.join(r.inputs, "evaluations.csv"))
    names = sorted({e["evaluator"] for e in evals})
    expected = {i: [] for i in base}
    for name in names:
        folder = os.path.join(r.work, "without")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(r.inputs, folder)
        with open(os.path.join(folder, "evaluations.csv"), "w", encoding="utf-8",
                  newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(evals[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(e for e in evals if e["evaluator"] != name)
        got = r.run(PLAIN, folder)
        for i, d in got.items():
            if d["status"] != base[i]["status"]:
                expected[i].append(name)
    changed = 0
    for i, d in base.items():
        want = ";".join(sorted(expected[i]))
        changed += bool(want)
        if d["decided_by_one_evaluator"] != want:
            fail(f"{i}: decided_by_one_evaluator {d['decided_by_one_evaluator']!r}, "
                 f"brute force {want!r}")
    return len(names), changed


def main():
    alliance, inputs, rules, lib, work = sys.argv[1:6]
    r = Runner(alliance, inputs, rules, lib, work)
    out = os.path.join(work, "base")
    subprocess.run([alliance, "run", "--quiet", "--no-db", "--no-report", "--inputs", inputs,
                    "--rules", rules, "--lib", lib, "--out", out], check=True)
    base = {d["id"]: d for d in rows(os.path.join(out, "decisions.csv"))}
    same = r.run(WRAP % {"target": "nil", "delta": "0"})
    if any(same[i]["status"] != base[i]["status"] for i in base):
        fail("the probe wrapper alone changes decisions")
    # the rule file's threshold, as alliance check reads it
    said = subprocess.run([alliance, "check", rules, "--lib", lib], capture_output=True,
                          text=True).stdout
    threshold = hundredths(re.search(r"threshold ([0-9]+\.[0-9]{2})", said).group(1))
    checked = check_margins(r, base, threshold)
    n_eval, changed = check_evaluators(r, base)
    margins = sum(1 for d in base.values() if d["margin"])
    print(f"checked: {checked} candidates ({margins} margins), {n_eval} evaluators "
          f"({changed} decisions one evaluator decides), {r.runs} runs")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
