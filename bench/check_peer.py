#!/usr/bin/python3
"""Checks that the pandas peer (bench/peer_pandas.py) decided what alliance did.

usage: check_peer.py IN_DIR ALLIANCE_OUT PEER_OUT [--db ALLIANCE_DB] [--xlsx]

    /work/main/build/alliance run --quiet --inputs IN_DIR --rules rules/monteregie.lua --out A
    /usr/bin/python3 bench/peer_pandas.py IN_DIR P
    /usr/bin/python3 bench/check_peer.py IN_DIR A P

Compares, application by application (matched by id, every id of IN_DIR's
applications.csv required on both sides):

- decisions.csv: status, granted (cents), score (hundredths): the benchmark's
  correctness goal; then rank, the points of each criterion, the reasons and
  the row order;
- disbursements.csv: the amount per application and fiscal year, then every
  instalment (number, label, due date, envelope);
- summary.csv: every cell;
- with --db (alliance's run store; A/alliance.db by default when it exists):
  the failed checks and their reasons, the instalments, the envelope cells and
  what each ranked application's envelope had left when its turn came, against
  peer.db;
- with --xlsx: the sheets of report.xlsx and peer.xlsx, their header rows and
  the ids, in order, on each sheet (slow on large runs: openpyxl).

Prints each difference (the first 10 of each kind) and exits 1 on any, 0 when
everything matches. Amounts are compared as exact integers (cents and
hundredths read from their text, never through floats).

Where exact equality cannot hold, and why: nowhere for the inputs that
bench/gen_apps.py writes and the shipped examples; the peer omits overrides.csv
and successive calls, and stops (it does not guess) when their files exist.
The files themselves are also byte-identical today; that is reported but is
not required (quoting or float text could legitimately differ).
"""
import os
import sqlite3
import struct
import sys

import pandas as pd

LIMIT = 10
problems = 0


def report(kind, lines):
    global problems
    lines = list(lines)
    if not lines:
        print(f"ok   {kind}")
        return
    problems += len(lines)
    print(f"DIFF {kind}: {len(lines)}")
    for line in lines[:LIMIT]:
        print(f"     {line}")
    if len(lines) > LIMIT:
        print(f"     ... and {len(lines) - LIMIT} more")


def hundredths(col):
    """'1234.56' -> 123456, exactly (also '12', '-0.5'); '' -> None."""
    out = []
    for v in col:
        if v == "" or v is None:
            out.append(None)
            continue
        neg = v.startswith("-")
        units, _, frac = v.lstrip("-").partition(".")
        n = int(units or "0") * 100 + int((frac + "00")[:2])
        out.append(-n if neg else n)
    return out


ROBUST_COLUMNS = ("margin", "margin_rank", "decided_by_one_evaluator")


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def compare_decisions(ids, a, p):
    for side, df in (("alliance", a), ("peer", p)):
        missing = sorted(set(ids) - set(df["id"]))
        report(f"decisions.csv: every application in {side}'s", [f"{i} missing" for i in missing])
        dup = df["id"][df["id"].duplicated()]
        report(f"decisions.csv: one row per application in {side}'s", [f"{i} twice" for i in dup])
    # the robustness columns (margins, one-evaluator decisions) are work the
    # peer does not do: compared without them, and said
    robust = [c for c in ROBUST_COLUMNS if c in a.columns and c not in p.columns]
    if robust:
        print(f"info decisions.csv: alliance's {', '.join(robust)} are not in the peer's")
        a = a.drop(columns=robust)
    if list(a.columns) != list(p.columns):
        report("decisions.csv: columns", [f"alliance {list(a.columns)}", f"peer {list(p.columns)}"])
    m = a.merge(p, on="id", how="inner", suffixes=("_a", "_p"))
    for c in ("score", "requested", "granted"):
        m[c + "_a"], m[c + "_p"] = hundredths(m[c + "_a"]), hundredths(m[c + "_p"])
    for c, what in (("status", "status"), ("granted", "granted (cents)"), ("score", "score (hundredths)")):
        bad = m[m[c + "_a"] != m[c + "_p"]]
        report(f"decisions.csv: {what}", (f"{r.id}: alliance {r[c + '_a']}, peer {r[c + '_p']}"
                                          for _, r in bad.iterrows()))
    crit = [c for c in a.columns if c not in ("rank", "id", "organisation", "subregion", "status", "score",
                                             "requested", "granted", "reasons", "override_justification")]
    for c in ["rank"] + crit + ["requested", "reasons", "organisation", "subregion", "override_justification"]:
        if c + "_p" not in m:
            continue
        bad = m[m[c + "_a"] != m[c + "_p"]]
        report(f"decisions.csv: {c}", (f"{r.id}: alliance {r[c + '_a']!r}, peer {r[c + '_p']!r}"
                                      for _, r in bad.iterrows()))
    order = [f"row {i + 2}: alliance {x}, peer {y}" for i, (x, y) in enumerate(zip(a["id"], p["id"])) if x != y]
    report("decisions.csv: row order", order)


def compare_disbursements(a, p):
    for df in (a, p):
        df["cents"] = hundredths(df["amount"])
    sa = a.groupby(["id", "fiscal_year"])["cents"].sum()
    sp = p.groupby(["id", "fiscal_year"])["cents"].sum()
    both = pd.concat([sa.rename("a"), sp.rename("p")], axis=1)
    bad = both[both["a"].fillna(-1) != both["p"].fillna(-1)]
    report("disbursements.csv: amount per application and fiscal year",
           (f"{i} {fy}: alliance {r.a}, peer {r.p}" for (i, fy), r in bad.iterrows()))
    key = ["id", "instalment"]
    m = a.merge(p, on=key, how="outer", suffixes=("_a", "_p"), indicator=True)
    report("disbursements.csv: the same instalments",
           (f"{r.id} #{r.instalment}: only in {'alliance' if r._merge == 'left_only' else 'peer'}"
            for _, r in m[m["_merge"] != "both"].iterrows()))
    m = m[m["_merge"] == "both"]
    for c in ("subregion", "envelope", "fiscal_year", "label", "due_date", "amount"):
        bad = m[m[c + "_a"] != m[c + "_p"]]
        report(f"disbursements.csv: {c} of each instalment",
               (f"{r.id} #{r.instalment}: alliance {r[c + '_a']!r}, peer {r[c + '_p']!r}"
                for _, r in bad.iterrows()))
    order = [f"row {i + 2}" for i, (x, y) in enumerate(zip(zip(a["id"], a["instalment"]),
                                                            zip(p["id"], p["instalment"]))) if x != y]
    report("disbursements.csv: row order", order)


def compare_summary(a, p):
    if a.shape != p.shape or list(a.columns) != list(p.columns):
        report("summary.csv: shape", [f"alliance {a.shape} {list(a.columns)}", f"peer {p.shape} {list(p.columns)}"])
        return
    diffs = []
    for i in range(len(a)):
        for c in a.columns:
            if a.at[i, c] != p.at[i, c]:
                diffs.append(f"row {i + 2} ({a.at[i, 'subregion']}, {a.at[i, 'fiscal_year']}) {c}: "
                             f"alliance {a.at[i, c]!r}, peer {p.at[i, c]!r}")
    report("summary.csv: every cell", diffs)


def compare_store(alliance_db, peer_db):
    ca = sqlite3.connect(f"file:{alliance_db}?mode=ro", uri=True)
    cp = sqlite3.connect(f"file:{peer_db}?mode=ro", uri=True)
    run = ca.execute("SELECT max(id) FROM run WHERE status = 'ok'").fetchone()[0]
    ids = dict(ca.execute("SELECT app, id FROM application WHERE run_id = ?", (run,)))
    pids = dict(cp.execute("SELECT app, id FROM application"))
    fa = {(ids[app], c): r for app, c, r in
          ca.execute("SELECT app, check_idx, reason FROM check_failure WHERE run_id = ?", (run,))}
    fp = {(pids[app], c): r for app, c, r in cp.execute("SELECT app, check_idx, reason FROM check_failure")}
    report("store: failed checks and their reasons",
           (f"{k}: alliance {fa.get(k)!r}, peer {fp.get(k)!r}" for k in sorted(set(fa) | set(fp))
            if fa.get(k) != fp.get(k)))
    ia = {(ids[app], n): row for app, n, *row in ca.execute(
        "SELECT app, number, label, due, fiscal_year, source, amount FROM instalment WHERE run_id = ?", (run,))}
    ip = {(pids[app], n): row for app, n, *row in cp.execute(
        "SELECT app, number, label, due, fiscal_year, source, amount FROM instalment")}
    report("store: instalments", (f"{k}: alliance {ia.get(k)}, peer {ip.get(k)}"
                                  for k in sorted(set(ia) | set(ip)) if ia.get(k) != ip.get(k)))
    cells_a = {(s, fy): row for s, fy, *row in ca.execute(
        "SELECT sub, fiscal_year, envelope, carried_in, granted, remaining, carried_out, to_reserve, committed "
        "FROM envelope_cell WHERE run_id = ?", (run,))}
    cells_p = {(s, fy): row for s, fy, *row in cp.execute(
        "SELECT sub, fiscal_year, envelope, carried_in, granted, remaining, carried_out, to_reserve, committed "
        "FROM envelope_cell")}
    report("store: envelope cells", (f"{k}: alliance {cells_a.get(k)}, peer {cells_p.get(k)}"
                                     for k in sorted(set(cells_a) | set(cells_p)) if cells_a.get(k) != cells_p.get(k)))
    left_cols = [r[1] for r in cp.execute("PRAGMA table_info(decision)") if r[1].startswith("left_")]
    la = {}
    for app, blob in ca.execute("SELECT app, envelope_left FROM decision WHERE run_id = ?", (run,)):
        la[ids[app]] = None if blob is None else tuple(struct.unpack(f"<{len(blob) // 8}q", blob))
    lp = {pids[r[0]]: (None if r[1] is None else tuple(r[1:]))
          for r in cp.execute(f"SELECT app, {', '.join(left_cols)} FROM decision")}
    report("store: envelope left at each ranked application's turn",
           (f"{k}: alliance {la.get(k)}, peer {lp.get(k)}" for k in sorted(set(la) | set(lp))
            if la.get(k) != lp.get(k)))
    pts_a = {}
    for app, st, rank, elig, score, pts, granted, short, reasons in ca.execute(
            "SELECT app, status, rank, eligible, score, points, granted, short_year, reasons FROM decision "
            "WHERE run_id = ?", (run,)):
        pts_a[ids[app]] = (st, rank, elig, score, struct.unpack(f"<{len(pts) // 4}i", pts), granted, short, reasons)
    crit = [r[1] for r in cp.execute("PRAGMA table_info(decision)")][5:5 + len(next(iter(pts_a.values()))[4])]
    pts_p = {}
    for row in cp.execute(f"SELECT app, status, rank, eligible, score, {', '.join(crit)}, granted, short_year, "
                          "reasons FROM decision"):
        k = len(crit)
        pts_p[pids[row[0]]] = (row[1], row[2], row[3], row[4], tuple(row[5:5 + k]), row[5 + k], row[6 + k],
                               row[7 + k])
    report("store: decisions (status, rank, eligible, score, points, granted, short year, reasons)",
           (f"{k}: alliance {pts_a.get(k)}, peer {pts_p.get(k)}" for k in sorted(set(pts_a) | set(pts_p))
            if pts_a.get(k) != pts_p.get(k)))


def compare_workbooks(a_path, p_path):
    import openpyxl
    wa = openpyxl.load_workbook(a_path, read_only=True)
    wp = openpyxl.load_workbook(p_path, read_only=True)
    report("workbook: sheets", [] if wa.sheetnames == wp.sheetnames else
           [f"alliance {wa.sheetnames}", f"peer {wp.sheetnames}"])
    for name in wa.sheetnames:
        if name not in wp.sheetnames or name in ("Sommaire", "Paramètres"):
            continue
        ra = list(wa[name].iter_rows(values_only=True))
        rp = list(wp[name].iter_rows(values_only=True))
        head_a, head_p = [v for v in ra[1] if v is not None], [v for v in rp[1] if v is not None]
        report(f"workbook: {name}: header row", [] if head_a == head_p else [f"alliance {head_a}", f"peer {head_p}"])
        ida = [r[1] for r in ra[2:]]          # Dossier, the second column of every sheet compared
        idp = [r[1] for r in rp[2:]]
        report(f"workbook: {name}: rows ({len(ida)}), ids in order",
               [f"row {i + 3}: alliance {x!r}, peer {y!r}" for i, (x, y) in enumerate(zip(ida, idp)) if x != y]
               + ([f"alliance {len(ida)} rows, peer {len(idp)}"] if len(ida) != len(idp) else []))


def main():
    args = sys.argv[1:]
    want_xlsx = "--xlsx" in args
    args = [a for a in args if a != "--xlsx"]
    db = None
    if "--db" in args:
        i = args.index("--db")
        db = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    src, a_out, p_out = args
    if db is None and os.path.exists(f"{a_out}/alliance.db"):
        db = f"{a_out}/alliance.db"
    with open(f"{src}/applications.csv", encoding="utf-8-sig") as f:
        head = f.readline()
    sep = ";" if head.count(";") > head.count(",") else ","
    apps = pd.read_csv(f"{src}/applications.csv", sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    id_names = ("id", "no", "numero", "no demande", "numero demande", "numero de demande", "numéro de demande")
    ids = next((apps[c] for c in apps.columns if c.strip().lower().replace("_", " ") in id_names), apps.iloc[:, 0])
    ids = list(ids[ids != ""])
    compare_decisions(ids, read(f"{a_out}/decisions.csv"), read(f"{p_out}/decisions.csv"))
    compare_disbursements(read(f"{a_out}/disbursements.csv"), read(f"{p_out}/disbursements.csv"))
    compare_summary(read(f"{a_out}/summary.csv"), read(f"{p_out}/summary.csv"))
    if db:
        compare_store(db, f"{p_out}/peer.db")
    else:
        print("--   store: no alliance run store given (--db), not compared")
    if want_xlsx:
        compare_workbooks(f"{a_out}/report.xlsx", f"{p_out}/peer.xlsx")
    same = [f for f in ("decisions.csv", "disbursements.csv", "summary.csv")
            if open(f"{a_out}/{f}", "rb").read() == open(f"{p_out}/{f}", "rb").read()]
    print(f"info byte-identical: {', '.join(same) or 'none'}")
    print(f"{'MISMATCH' if problems else 'MATCH'}: {len(ids)} applications, {problems} difference(s)")
    sys.exit(1 if problems else 0)


main()
