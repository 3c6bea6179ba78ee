#!/usr/bin/python3
"""Recomputes every figure of equity.csv from the other outputs and the input
figures, with exact fractions, independently of the engine's C code.

usage: check_equity.py INPUTS_DIR OUT_DIR TERRITORY_COLUMN
       (TERRITORY_COLUMN: the applications' column the rule file names, or "")

From the outputs: decisions.csv (each application's grant and sub-region),
summary.csv (what earlier calls committed per sub-region: its "total" rows).
From the inputs: split.csv (sub-regions, population, low_income),
territories.csv (territories, their sub-region and people), applications.csv
(each application's territory), commitments.csv (earlier commitments of this
call's own applications, for the territory level).

The Gini coefficient is computed here from the Lorenz curve (rows sorted by
dollars per low-income person, G = 1 - sum (p_k - p_k-1)(m_k + m_k-1)), not
from the pairwise formula the engine uses: the two must agree exactly.
Prints what it checked; exits 1 on the first difference.
"""
import csv
import os
import sys
from fractions import Fraction

LOW_INCOME = ("low_income", "population_faible_revenu", "personnes_faible_revenu", "pfr")


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def cents(text):
    return Fraction(text) * 100 if text else Fraction(0)


def half_up(q):
    """Round half up of a Fraction >= 0 to an integer."""
    return (2 * q.numerator + q.denominator) // (2 * q.denominator)


def fixed(v, places):
    unit = 10 ** places
    return "%d.%0*d" % (v // unit, places, v % unit)


def money(c):
    return fixed(half_up(c), 2)


def ratio(num, den, scale, places):
    return "" if den == 0 else fixed(half_up(Fraction(num) * scale / den), places)


def gini_lorenz(rows):
    """Gini of dollars per low-income person, weighted by low-income people."""
    m_all = sum(r["money"] for r in rows)
    l_all = sum(r["low"] for r in rows)
    if m_all == 0 or l_all == 0:
        return ""
    # rows without low-income people but with money come last (infinite x)
    key = [(Fraction(r["money"], r["low"]) if r["low"] else None, r) for r in rows]
    key.sort(key=lambda k: (k[0] is None, k[0] if k[0] is not None else 0))
    p = m = Fraction(0)
    area = Fraction(0)
    for _, r in key:
        p2 = p + Fraction(r["low"], l_all)
        m2 = m + Fraction(r["money"], m_all)
        area += (p2 - p) * (m2 + m)
        p, m = p2, m2
    return fixed(half_up((1 - area) * 100), 2)


def max_min(rows):
    xs = [Fraction(r["money"], r["low"]) for r in rows if r["low"] > 0]
    if len(xs) < 2 or min(xs) == 0:
        return ""
    return fixed(half_up(max(xs) / min(xs) * 100), 2)


def expected_rows(level, rows):
    m_all = sum(r["money"] for r in rows)
    l_all = sum(r["low"] for r in rows)
    out = []
    total = {"name": "total", "sub": "", "pop": sum(r["pop"] for r in rows), "low": l_all,
             "granted": sum(r["granted"] for r in rows),
             "committed": sum(r["committed"] for r in rows), "money": m_all}
    for r in rows + [total]:
        out.append([level, r["name"], r["sub"], str(r["pop"]), str(r["low"]),
                    money(r["granted"]), money(r["committed"]), money(r["money"]),
                    money(Fraction(r["money"], r["pop"])) if r["pop"] else "",
                    money(Fraction(r["money"], r["low"])) if r["low"] else "",
                    ratio(r["money"], m_all, 10000, 4), ratio(r["low"], l_all, 10000, 4),
                    ratio(r["money"] * l_all, m_all * r["low"], 100, 2),
                    max_min(rows) if r is total else "",
                    gini_lorenz(rows) if r is total else ""])
    return out


def main():
    inputs, out, column = sys.argv[1], sys.argv[2], sys.argv[3]
    split = read(os.path.join(inputs, "split.csv"))
    low_key = next((k for k in LOW_INCOME if k in split[0]), None)
    has_split_people = "population" in split[0] and low_key is not None
    terr_path = os.path.join(inputs, "territories.csv")
    territories = read(terr_path) if os.path.exists(terr_path) else []
    equity_path = os.path.join(out, "equity.csv")
    if not has_split_people and not territories:
        if os.path.exists(equity_path):
            fail("equity.csv written for inputs without population figures")
        print("checked: no figures, no equity.csv")
        return
    decisions = read(os.path.join(out, "decisions.csv"))
    summary = read(os.path.join(out, "summary.csv"))
    apps = {a["id"]: a for a in read(os.path.join(inputs, "applications.csv"))}
    commit_path = os.path.join(inputs, "commitments.csv")
    commitments = read(commit_path) if os.path.exists(commit_path) else []

    subs = []
    for s in split:
        if s.get("reserve", "").lower() in ("oui", "yes", "1", "x", "true", "vrai"):
            continue
        name = s["subregion"]
        if has_split_people:
            pop, low = int(s["population"]), int(s[low_key])
        else:
            mine = [t for t in territories if t["subregion"] == name]
            pop = sum(int(t["population"]) for t in mine)
            low = sum(int(t["low_income"]) for t in mine)
        granted = sum(cents(d["granted"]) for d in decisions if d["subregion"] == name)
        committed = sum(cents(r["committed"]) for r in summary
                        if r["subregion"] == name and r["fiscal_year"] == "total")
        subs.append({"name": name, "sub": name, "pop": pop, "low": low, "granted": granted,
                     "committed": committed, "money": granted + committed})
    want = expected_rows("subregion", subs)

    if territories:
        in_call = {d["id"] for d in decisions}
        terrs = []
        for t in territories:
            name = t["territory"]
            granted = sum(cents(d["granted"]) for d in decisions
                          if apps[d["id"]].get(column, "") == name)
            committed = sum(cents(c["amount"]) for c in commitments
                            if c["application"] in in_call
                            and apps[c["application"]].get(column, "") == name)
            terrs.append({"name": name, "sub": t["subregion"], "pop": int(t["population"]),
                          "low": int(t["low_income"]), "granted": granted,
                          "committed": committed, "money": granted + committed})
        want += expected_rows("territory", terrs)

    with open(equity_path, encoding="utf-8", newline="") as f:
        got = list(csv.reader(f))
    head = ["level", "territory", "subregion", "population", "low_income", "granted",
            "committed", "total", "per_inhabitant", "per_low_income", "money_share",
            "low_income_share", "ratio", "max_min", "gini"]
    if got[0] != head:
        fail(f"equity.csv header {got[0]}")
    if len(got) - 1 != len(want):
        fail(f"equity.csv has {len(got) - 1} rows, expected {len(want)}")
    for g, w in zip(got[1:], want):
        if g != w:
            diff = [f"{h}: {a!r} != {b!r}" for h, a, b in zip(head, g, w) if a != b]
            fail(f"{w[0]} {w[1]}: " + "; ".join(diff))
    figures = sum(1 for row in want for v in row[3:] if v != "")
    print(f"checked: {len(want)} equity rows, {figures} figures recomputed exactly")


main()
