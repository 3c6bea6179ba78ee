#!/usr/bin/python3
"""Checks successive calls for projects from their outputs, independently
of the engine: money is matched per envelope row and fiscal year.

usage: check_calls.py committed LAST EARLIER...
           LAST's summary.csv shows as committed exactly what the EARLIER
           calls' disbursements.csv pay, cell by cell, and every cell's
           committed + granted stays within its envelope
       check_calls.py within OUT...
           the calls' disbursements together stay within every envelope
           of the first call's summary.csv
       check_calls.py released BEFORE AFTER DB
           AFTER's commitments are BEFORE's less exactly what the store's
           releases took from each cell
Prints what it checked; exits 1 on the first broken rule.
"""
import csv
import sqlite3
import sys
from collections import defaultdict
from decimal import Decimal


def cents(text):
    return int(Decimal(text) * 100)


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def cells(out, column):
    """summary.csv's column per (envelope row, fiscal year)."""
    return {(r["subregion"], r["fiscal_year"]): cents(r[column])
            for r in rows(f"{out}/summary.csv")
            if r["subregion"] != "total" and r["fiscal_year"] != "total"}


def paid(outs):
    total = defaultdict(int)
    for out in outs:
        for p in rows(f"{out}/disbursements.csv"):
            total[(p["envelope"], p["fiscal_year"])] += cents(p["amount"])
    return total


def committed(last, earlier):
    got, before = cells(last, "committed"), paid(earlier)
    envelope, granted = cells(last, "envelope"), cells(last, "granted")
    for key in envelope:
        if got[key] != before.get(key, 0):
            fail(f"{key}: {last} shows {got[key]} committed, earlier calls paid {before.get(key, 0)}")
        if got[key] + granted[key] > envelope[key]:
            fail(f"{key}: committed {got[key]} + granted {granted[key]} > {envelope[key]}")
    print(f"committed: {sum(got.values())} cents in {len(envelope)} cells, as the earlier calls paid")


def within(outs):
    envelope, total = cells(outs[0], "envelope"), paid(outs)
    for key, amount in total.items():
        if amount > envelope[key]:
            fail(f"{key}: the calls pay {amount}, envelope {envelope[key]}")
    print(f"within: {len(outs)} calls pay {sum(total.values())} of {sum(envelope.values())} cents")


def released(before, after, db):
    freed = defaultdict(int)
    q = ("SELECT s.name, i.fiscal_year, p.amount FROM release_part p"
         " JOIN instalment i USING (run_id, app, number)"
         " JOIN subregion s ON s.run_id = i.run_id AND s.sub = i.source")
    for name, year, amount in sqlite3.connect(db).execute(q):
        freed[(name, f"{year}-{year + 1}")] += amount
    a, b = cells(before, "committed"), cells(after, "committed")
    for key in a:
        if a[key] - b[key] != freed.get(key, 0):
            fail(f"{key}: committed {a[key]} -> {b[key]}, releases took {freed.get(key, 0)}")
    if not freed:
        fail("no release in the store")
    print(f"released: {sum(freed.values())} cents back in {len(freed)} cells, nothing else moved")


def main():
    what, args = sys.argv[1], sys.argv[2:]
    if what == "committed":
        committed(args[0], args[1:])
    elif what == "within":
        within(args)
    elif what == "released":
        released(*args)
    else:
        fail(f"unknown check {what}")


main()
