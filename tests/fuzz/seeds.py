#!/usr/bin/python3
"""Writes starting inputs for the fuzzers of tests/fuzz/ into OUT/<harness>/.

usage: tests/fuzz/seeds.py OUT

fuzz_csv and fuzz_inputs start from the shipped examples and the refusal
corpus of tests/data/corpus/ (each file cut to its first 30 lines),
fuzz_parse from amounts, dates and fiscal years in every accepted and
refused form, fuzz_rules from a few byte strings. The committed corpora
(tests/fuzz/corpus/) were grown from these, then minimised with
-merge=1; see tests/fuzz/README.md.
"""
import hashlib
import os
import sys

FILES = ["split.csv", "envelopes.csv", "applications.csv", "evaluations.csv",
         "overrides.csv"]
SEP = b"\n##\n"


def head(path, lines=30):
    with open(path, "rb") as f:
        return b"".join(f.readlines()[:lines])


def put(out, harness, data):
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def folders(top):
    for base in ("inputs", "tests/data/inputs", "tests/data/corpus"):
        root = os.path.join(top, base)
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name)
            if os.path.isdir(path):
                yield path


def main():
    out = sys.argv[1]
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for folder in folders(top):
        parts = []
        for name in FILES:
            path = os.path.join(folder, name)
            if os.path.exists(path) and os.path.getsize(path) < 1 << 20:
                data = head(path)
                parts.append(data)
                put(out, "fuzz_csv", data)
            else:
                parts.append(None)
        while parts and parts[-1] is None:
            parts.pop()
        put(out, "fuzz_inputs", SEP.join(p or b"" for p in parts))
    for s in ["12345.67", "12 345,67 $", "12\u00a0345,67\u00a0$", "12\u202f345,67",
              "$12,345.67", "-5", "$-5", "-$5", "1234", "12,5", "1.234", "12,3,4",
              "1 2 3", "10000000000.00", "10000000000.01", "1,234,567.89",
              "1.234.567,89", "0.001", "", " ", "$", "--5", "2024-02-29",
              "2023-02-29", "1900-01-01", "2999-12-31", "3000-01-01",
              "2024-2025", " 2024-2025\t", "2024-2026", "2998-2999"]:
        put(out, "fuzz_parse", s.encode())
    for s in [b"", b"\x00", b"\x01" * 64, b"\x02\xff" * 200, bytes(range(256)) * 4]:
        put(out, "fuzz_rules", s)


main()
