#!/usr/bin/python3
"""Splits an input folder's applications into successive calls for projects.

usage: split_calls.py INPUTS_DIR OUT_DIR N

Writes OUT_DIR/call1 .. OUT_DIR/callN, each an input folder with the same
envelopes.csv and split.csv, the applications of applications.csv dealt in
file order into N consecutive slices (the first calls get the extra rows),
and the rows of evaluations.csv (and overrides.csv, if any) naming them.
Files are copied byte for byte but for the rows left out, so the header,
delimiter and encoding stay what the analysts exported.
"""
import csv
import os
import shutil
import sys


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def main():
    src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apps = read(f"{src}/applications.csv")
    head, body = apps[0], apps[1:]
    size, extra = divmod(len(body), n)
    start = 0
    for k in range(n):
        end = start + size + (1 if k < extra else 0)
        part = body[start:end]
        start = end
        ids = {row[0] for row in part}
        dst = f"{out}/call{k + 1}"
        os.makedirs(dst, exist_ok=True)
        for name in ("envelopes.csv", "split.csv"):
            shutil.copyfile(f"{src}/{name}", f"{dst}/{name}")
        write(f"{dst}/applications.csv", [head] + part)
        for name in ("evaluations.csv", "overrides.csv"):
            if os.path.exists(f"{src}/{name}"):
                rows = read(f"{src}/{name}")
                write(f"{dst}/{name}", [rows[0]] + [r for r in rows[1:] if r[0] in ids])
        print(f"{dst}: {len(part)} applications")


main()
