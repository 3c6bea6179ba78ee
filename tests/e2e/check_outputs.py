#!/usr/bin/python3
"""Checks the money invariants of a run's outputs, independently of the engine.

usage: check_outputs.py INPUTS_DIR OUT_DIR [status=count ...]

Re-reads the CSV files the engine wrote and asserts, to the cent:
every application has one decision; grants are within 0..requested and
positive exactly for funded/partially_funded (overrides carry their
justification); instalments sum to each grant;
each envelope row and fiscal year's disbursements, with what earlier calls
committed, stay within its envelope plus what was carried in and equal
summary.csv's granted; unspent and to_reserve follow from them; the
envelopes in summary.csv add up to envelopes.csv, and so do committed +
granted + to_reserve; ranks inside a sub-region
are 1..n in decision order.
Optional status=count arguments pin the number of decisions per status.
Prints what it checked; exits 1 on the first broken invariant.
"""
import csv
import sys
from collections import defaultdict
from decimal import Decimal


def cents(text):
    value = Decimal(text)
    assert value == value.quantize(Decimal("0.01")), f"not cents: {text}"
    return int(value * 100)


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    inputs, out = sys.argv[1], sys.argv[2]
    want = dict(a.split("=") for a in sys.argv[3:])
    apps = {r["id"]: r for r in rows(f"{inputs}/applications.csv")}
    envelope_total = sum(cents(r["amount"]) for r in rows(f"{inputs}/envelopes.csv"))
    decisions = rows(f"{out}/decisions.csv")
    disbursements = rows(f"{out}/disbursements.csv")
    summary = rows(f"{out}/summary.csv")

    if sorted(d["id"] for d in decisions) != sorted(apps):
        fail("decisions.csv does not hold exactly one row per application")
    counts = defaultdict(int)
    granted = {}
    last_rank = defaultdict(int)
    for d in decisions:
        counts[d["status"]] += 1
        g, req = cents(d["granted"]), cents(d["requested"])
        if req != cents(apps[d["id"]]["requested"]):
            fail(f"{d['id']}: requested changed")
        if not 0 <= g <= req:
            fail(f"{d['id']}: grant {g} outside 0..{req}")
        if d["status"] == "overridden":
            if not d["override_justification"]:
                fail(f"{d['id']}: overridden without its justification")
        elif (g > 0) != (d["status"] in ("funded", "partially_funded")):
            fail(f"{d['id']}: grant {g} with status {d['status']}")
        if d["status"] == "funded" and g != req:
            fail(f"{d['id']}: funded for {g} of {req}")
        if d["rank"]:
            sub = d["subregion"]
            if int(d["rank"]) != last_rank[sub] + 1:
                fail(f"{d['id']}: rank {d['rank']} after {last_rank[sub]} in {sub}")
            last_rank[sub] = int(d["rank"])
        granted[d["id"]] = g

    paid = defaultdict(int)
    cell = defaultdict(int)
    for p in disbursements:
        amount = cents(p["amount"])
        if amount <= 0:
            fail(f"{p['id']}: instalment of {amount}")
        paid[p["id"]] += amount
        cell[(p["envelope"], p["fiscal_year"])] += amount
    for app_id, g in granted.items():
        if paid[app_id] != g:
            fail(f"{app_id}: instalments sum to {paid[app_id]}, grant {g}")

    summary_env = accounted = 0
    for s in summary:
        if s["subregion"] == "total" or s["fiscal_year"] == "total":
            continue
        env, got = cents(s["envelope"]), cents(s["granted"])
        carried_in, unspent = cents(s["carried_in"]), cents(s["unspent"])
        committed = cents(s.get("committed") or "0")  # earlier calls
        key = (s["subregion"], s["fiscal_year"])
        if got != cell.get(key, 0):
            fail(f"{key}: summary says {got}, disbursements {cell.get(key, 0)}")
        if committed < 0 or committed + got > env + carried_in:
            fail(f"{key}: committed {committed} + granted {got} above envelope {env}"
                 f" + carried {carried_in}")
        if unspent != env - committed + carried_in - got:
            fail(f"{key}: unspent is not envelope - committed + carried_in - granted")
        if cents(s["to_reserve"]) != unspent - cents(s["carried_out"]):
            fail(f"{key}: to_reserve is not unspent - carried_out")
        summary_env += env
        accounted += committed + got + cents(s["to_reserve"])
    if summary_env != envelope_total:
        fail(f"summary envelopes {summary_env} != envelopes.csv {envelope_total}")
    if accounted != envelope_total:
        fail(f"committed + granted + to_reserve = {accounted}, envelope {envelope_total}")
    total = [s for s in summary if s["subregion"] == "total" and s["fiscal_year"] == "total"]
    if len(total) != 1 or cents(total[0]["granted"]) != sum(granted.values()):
        fail("summary total row does not match the grants")

    for status, n in want.items():
        if counts[status] != int(n):
            fail(f"{counts[status]} {status}, expected {n}")
    print("checked:", len(decisions), "decisions,", len(disbursements),
          "disbursements;", ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))


main()
