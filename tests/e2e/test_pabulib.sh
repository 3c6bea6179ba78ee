# External check of the allocator: 60 real participatory budgets from
# Pabulib (tests/data/pabulib, META and PROJECTS sections), each funded by
# its city with a greedy rule. Converted by tools/pabulib.py (district =
# sub-region, score or votes = score, cost = request, the city's rule as
# on_overflow and threshold), alliance must fund exactly the projects the
# city selected.
. "$TOP/tests/e2e/lib.sh"

for pb in tests/data/pabulib/*.pb; do
    rule=$(grep -m1 '^rule;' "$pb" | cut -d';' -f2)
    check "$(basename "$pb" .pb) ($rule)" same_selection "$pb"
done

done_suite e2e_pabulib
