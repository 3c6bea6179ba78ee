# External check of the allocator: 60 real participatory budgets from
# Pabulib (tests/data/pabulib, META and PROJECTS sections), each funded by
# its city with a greedy rule. Converted by tools/pabulib.py (district =
# sub-region, score or votes = score, cost = request, the city's rule as
# on_overflow and threshold), alliance must fund exactly the projects the
# city selected.
. "$TOP/tests/e2e/lib.sh"

same_selection() { # instance.pb
    d="$WORK/$(basename "$1" .pb)"
    $PY tools/pabulib.py "$1" "$d" &&
        "$ALLIANCE" run --inputs "$d" --rules "$d/rules.lua" --out "$d/out" \
            --quiet &&
        $PY - "$d" <<'PYEOF'
import csv, sys
d = sys.argv[1]
got = sorted(r["id"] for r in csv.DictReader(open(f"{d}/out/decisions.csv"))
             if r["status"] == "funded")
want = sorted(open(f"{d}/expected.txt").read().split())
if got != want:
    print("alliance funded", got)
    print("the city funded", want)
    sys.exit(1)
PYEOF
}

for pb in tests/data/pabulib/*.pb; do
    rule=$(grep -m1 '^rule;' "$pb" | cut -d';' -f2)
    check "$(basename "$pb" .pb) ($rule)" same_selection "$pb"
done

done_suite e2e_pabulib
