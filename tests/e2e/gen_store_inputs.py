#!/usr/bin/python3
"""Writes a large input folder for the run store's end-to-end tests.

usage: gen_store_inputs.py SOURCE_DIR OUT_DIR N

OUT_DIR/applications.csv holds N applications: the rows of
SOURCE_DIR/applications.csv over and over, each copy's ids suffixed
-000, -001, ... so they stay unique; envelopes.csv and split.csv are
copied. Deterministic: the same arguments write the same bytes.
"""
import csv
import os
import shutil
import sys


def main():
    src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(src, "applications.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    col = head.index("id")
    with open(os.path.join(out, "applications.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for i in range(n):
            row = list(body[i % len(body)])
            row[col] = "%s-%03d" % (row[col], i // len(body))
            w.writerow(row)
    for name in ("envelopes.csv", "split.csv"):
        shutil.copy(os.path.join(src, name), os.path.join(out, name))


main()
