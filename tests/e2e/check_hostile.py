#!/usr/bin/python3
"""Checks of the hostile-input suite (tests/e2e/test_hostile.sh).

usage: check_hostile.py injection OUT_DIR PAYLOAD...
    Every text cell of OUT_DIR's CSV files that a spreadsheet would run
    as a formula (starting with =, +, -, @, tab or CR; a '-' only when
    not a number) is refused; each PAYLOAD appears in decisions.csv
    neutralised ("'" + payload), and in report.xlsx as a string cell
    holding the payload itself, never as a formula; every formula of the
    workbook is one of the engine's totals over cells.
usage: check_hostile.py roundtrip OUT_DIR FILE COLUMN
    Every value of column COLUMN of the input FILE (applications.csv)
    comes out unchanged in decisions.csv's organisation column, and in
    report.xlsx (control characters as Excel writes them, _xHHHH_).
"""
import csv
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils.escape import unescape

RISKY = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
# The engine's own formulas: totals over cell ranges of their sheet,
# differences of cells (=SUM(B4:B9), =SUBTOTAL(9,H5:H40), =B33-D33).
OWN_FORMULA = re.compile(r"^=?((SUM|SUBTOTAL)\(|\$?[A-Z]{1,3}\$?[0-9]+|[0-9]+|[:,()+\-*/ ])*$")


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def fail(msg):
    print(msg)
    sys.exit(1)


def cells(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    yield ws.title, c


def injection(out, payloads):
    for name in ("decisions.csv", "disbursements.csv", "summary.csv"):
        for r in rows(f"{out}/{name}"):
            for v in r:
                if v.startswith(RISKY) and not NUMBER.match(v):
                    fail(f"{name}: {v!r} would run as a formula")
    found = {v for r in rows(f"{out}/decisions.csv") for v in r}
    for p in payloads:
        if "'" + p not in found:
            fail(f"decisions.csv: {p!r} is not there neutralised as {chr(39) + p!r}")
    seen = set()
    for sheet, c in cells(f"{out}/report.xlsx"):
        if c.data_type == "f":
            formula = str(c.value)
            if not OWN_FORMULA.match(formula):
                fail(f"report.xlsx {sheet}!{c.coordinate}: unexpected formula {formula!r}")
        elif isinstance(c.value, str):
            # control characters come as Excel writes them: _x000D_
            v = unescape(c.value)
            if v in payloads:
                if c.data_type != "s":
                    fail(f"report.xlsx {sheet}!{c.coordinate}: {v!r} has type {c.data_type}")
                seen.add(v)
            if v.startswith("'") and v[1:] in payloads:
                fail(f"report.xlsx {sheet}!{c.coordinate}: {v!r} keeps the CSV quote")
    missing = [p for p in payloads if p not in seen]
    if missing:
        fail(f"report.xlsx: no string cell holds {missing!r}")
    # and the raw XML: no payload inside a formula element
    with zipfile.ZipFile(f"{out}/report.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                for f in re.findall(r"<f>(.*?)</f>", xml):
                    if not OWN_FORMULA.match(f):
                        fail(f"{name}: formula {f!r}")


CELL_MAX = 32767  # Excel's longest cell: report.xlsx cuts there


def roundtrip(out, path, column):
    table = rows(path)
    col = table[0].index(column)
    want = [r[col] for r in table[1:]]
    got = {r[2] for r in rows(f"{out}/decisions.csv")[1:]}
    lost = [w for w in want if w not in got]
    if lost:
        fail(f"decisions.csv lacks {len(lost)} values, e.g. {repr(lost[0])[:80]}")
    xl = {unescape(c.value) for _, c in cells(f"{out}/report.xlsx")
          if isinstance(c.value, str)}
    lost = [w for w in want if w not in xl and w[:CELL_MAX] not in xl]
    if lost:
        fail(f"report.xlsx lacks {len(lost)} values, e.g. {repr(lost[0])[:80]}")


def main():
    if sys.argv[1] == "injection":
        injection(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "roundtrip":
        roundtrip(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        fail(__doc__)


main()
