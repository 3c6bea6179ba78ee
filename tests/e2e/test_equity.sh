# End-to-end: territorial equity (README "Territorial equity").
#   - every figure of equity.csv recomputed with exact fractions from the
#     other outputs and the input figures (check_equity.py), on both
#     examples and on generated programs (first and later calls);
#   - a program without figures runs, says so once on stderr, and has no
#     equity.csv (an earlier run's is removed) and no equity sheet;
#   - an application's territory unknown to territories.csv, money granted
#     outside its sub-region: 65, nothing written; territories.csv without
#     the rule file's territory_column: the sub-region level only;
#   - the run store holds the figures; the summary on stdout shows them.
. "$TOP/tests/e2e/lib.sh"

EQ_RULES=tests/data/rules/equity.lua

example() { # region, territory column
    "$ALLIANCE" run --inputs "inputs/$1" --rules "rules/$1.lua" \
        --out "$WORK/$1" >"$WORK/$1.out" 2>"$WORK/$1.err" &&
        $PY tests/e2e/check_equity.py "inputs/$1" "$WORK/$1" "$2"
}

generated() { # seed [later]
    dir="$WORK/gen-$1${2:-}"
    $PY tests/e2e/gen_equity_inputs.py "$dir.in" "$1" ${2:-} &&
        "$ALLIANCE" run --inputs "$dir.in" --rules "$EQ_RULES" --out "$dir" \
            --no-db --quiet ${2:+--resubmit} &&
        $PY tests/e2e/check_equity.py "$dir.in" "$dir" lieu
}

# The later call's resubmission brings its earlier commitment to its
# territory: the territory level's committed money is not all zero.
later_call_commitments() {
    generated 5 later &&
        awk -F, '$1 == "territory" && $2 != "total" && $7 != "0.00" { n++ }
                 END { exit n ? 0 : 1 }' "$WORK/gen-5later/equity.csv" &&
        awk -F, '$1 == "subregion" && $2 == "total" && $7 != "0.00" { n++ }
                 END { exit n ? 0 : 1 }' "$WORK/gen-5later/equity.csv"
}

summary_lines() {
    grep -q '^  equity by sub-region' "$WORK/monteregie.out" &&
        grep -q '^  equity by territory' "$WORK/monteregie.out" &&
        grep -Eq '^  Roussillon +[0-9 ]+,[0-9]{2} \$' "$WORK/monteregie.out" &&
        grep -q '^  spread: max/min 1.13, Gini 0.02' "$WORK/monteregie.out" &&
        grep -q 'equity.csv, report.xlsx$' "$WORK/monteregie.out" &&
        grep -Eq '^alliance: equity +[0-9.]+ s  3 sub-regions, 19 territories$' \
            "$WORK/monteregie.err" &&
        grep -Eq '^alliance: equity +[0-9.]+ s  6 sub-regions$' "$WORK/lanaudiere.err"
}

# The figures in the store are those of equity.csv (cents, shares in
# ten-thousandths, ratios in hundredths).
store_rows() {
    db="$WORK/monteregie/alliance.db"
    test "$(sqlite3 "$db" "SELECT count(*) FROM equity_row WHERE run_id = 1")" = 22 &&
        test "$(sqlite3 "$db" "SELECT count(*) FROM equity_level WHERE run_id = 1")" = 2 &&
        sqlite3 -csv "$db" "SELECT level, name, subregion, population, low_income,
                 printf('%.2f', granted / 100.0), ratio FROM equity_row
                 WHERE run_id = 1 ORDER BY level, position" >"$WORK/store.csv" &&
        awk -F, 'NR > 1 && $2 != "total" {
                     r = $13 == "" ? "" : sprintf("%d", $13 * 100 + 0.5)
                     print $1 "," $2 "," $3 "," $4 "," $5 "," $6 "," r }' \
            "$WORK/monteregie/equity.csv" | sort >"$WORK/csv.csv" &&
        sed 's/"//g' "$WORK/store.csv" | sort | diff - "$WORK/csv.csv" &&
        test "$(sqlite3 "$db" "SELECT gini FROM equity_level WHERE run_id = 1
                               AND level = 'territory'")" = 53
}

# Without figures: runs, one line on stderr, no equity.csv (an earlier
# run's goes), no sheet, no store rows; a failed run leaves the old one.
no_figures() {
    out="$WORK/nofig"
    mkdir -p "$out" && echo stale >"$out/equity.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs tests/data/corpus/bad_share \
            --rules tests/data/corpus/rules.lua --out "$out" &&
        test "$(cat "$out/equity.csv")" = stale &&
        "$ALLIANCE" run --inputs tests/data/corpus/valid \
            --rules tests/data/corpus/rules.lua --out "$out" \
            >/dev/null 2>"$WORK/nofig.err" &&
        test "$(grep -c 'no equity outputs' "$WORK/nofig.err")" = 1 &&
        grep -q 'no population figures' "$WORK/nofig.err" &&
        test ! -e "$out/equity.csv" && test -s "$out/decisions.csv" &&
        test "$(sqlite3 "$out/alliance.db" "SELECT count(*) FROM equity_row")" = 0 &&
        $PY -c "import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
sys.exit(any('quit' in n for n in wb.sheetnames))" "$out/report.xlsx" &&
        $PY tests/e2e/check_equity.py tests/data/corpus/valid "$out" ""
}

# One of the two columns only: parsed (a bad value is refused), no equity.
one_column() {
    dir="$WORK/onecol" && mkdir -p "$dir" &&
        cp tests/data/corpus/valid/applications.csv tests/data/corpus/valid/envelopes.csv "$dir/" &&
        printf 'subregion,amount,population,reserve\nActon,500000.00,15622,non\nBrome-Missisquoi,700000.00,61308,non\nHaute-Yamaska,800000.00,93710,non\nRéserve,,,oui\n' \
            >"$dir/split.csv" &&
        "$ALLIANCE" run --inputs "$dir" --rules tests/data/corpus/rules.lua \
            --out "$WORK/onecol.out" --no-db >/dev/null 2>"$WORK/onecol.err" &&
        grep -q 'split.csv has a population column but no low_income: no equity outputs' \
            "$WORK/onecol.err" &&
        test ! -e "$WORK/onecol.out/equity.csv" &&
        sed -i 's/,61308,/,61 308.5,/' "$dir/split.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs "$dir" --rules tests/data/corpus/rules.lua \
            --out "$WORK/onecol.out" --no-db &&
        stderr_has 'split.csv:3:3: population: "61 308.5" is not a whole number of persons'
}

# A bad territory in an application, territories.csv without
# territory_column, or a grant outside the sub-region: 65, nothing written.
refusals() {
    src="$WORK/gen-2.in"
    bad="$WORK/bad1" && cp -r "$src" "$bad" &&
        sed -i '2s/,\(Nord\|Sud\|Est\|Ouest\)-[0-9],/,Nulle-part,/' "$bad/applications.csv" &&
        line2=$(sed -n 2p "$bad/applications.csv") &&
        expect_status 65 "$ALLIANCE" run --inputs "$bad" --rules "$EQ_RULES" \
            --out "$WORK/bad1.out" --no-db &&
        stderr_has 'applications.csv:2:4: lieu: "Nulle-part" is not a territory of territories.csv' &&
        test ! -e "$WORK/bad1.out/decisions.csv" &&
        expect_status 65 "$ALLIANCE" check "$EQ_RULES" --inputs "$bad" &&
        grep -q 'applications.csv:2:4: lieu: "Nulle-part"' "$WORK/last.out" &&
        expect_status 0 "$ALLIANCE" run --inputs "$src" \
            --rules tests/data/corpus/rules.lua --out "$WORK/bad2.out" --no-db &&
        stderr_has 'sub-regions (the rule file names no territory_column: no territory level)' &&
        test "$(grep -c '^territory,' "$WORK/bad2.out/equity.csv")" = 0 &&
        bad="$WORK/bad3" && cp -r "$src" "$bad" &&
        id=$(awk -F, '$5 == "oui" && $4 != "" { print $1; exit }' "$bad/applications.csv") &&
        test -n "$id" &&
        printf 'application,decision,amount,justification\n%s,financer,,Exception\n' \
            "$id" >"$bad/overrides.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs "$bad" --rules "$EQ_RULES" \
            --out "$WORK/bad3.out" --no-db &&
        stderr_has "application $id is granted money but its territory" &&
        test ! -e "$WORK/bad3.out/decisions.csv"
}

check "monteregie: every equity figure recomputed exactly" example monteregie mrc
check "lanaudiere: every equity figure recomputed exactly" example lanaudiere mrc
for seed in 1 2 3 4; do
    check "generated program $seed: every figure recomputed exactly" generated $seed
done
check "a later call: commitments counted, resubmission in its territory" later_call_commitments
check "run summary and stage log show the equity lines" summary_lines
check "the run store holds the equity figures" store_rows
check "no figures: no equity outputs, said once, stale equity.csv removed" no_figures
check "one figure column only: checked, no equity outputs" one_column
check "refused: unknown territory, grant outside the sub-region; no territory_column" refusals

done_suite e2e_equity
