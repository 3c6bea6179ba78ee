# allocate.method = "equal_shares" end to end:
#  - 200 random small elections against the exact-fraction reference
#    (ref_equal_shares.py, written from the paper): the funded set and
#    every evaluator's payment to the cent, the C core's invariants;
#  - the real elections of tests/data/pabulib/mes decided by
#    equalshares/add1 (Assen 2024, Świecie 2023, and Wieliczka 2023's
#    add1-comparison whose comparison kept add1's outcome): converted by
#    tools/pabulib.py (voters -> evaluators), alliance funds exactly what
#    the city selected;
#  - the rule file's options refused with a clear message, explain, the
#    workbook's Paramètres sheet, a multi-year envelope (sched_verify).
. "$TOP/tests/e2e/lib.sh"

# same_selection with a run store beside the outputs, for explain below
same_selection_stored() { # instance.pb
    same_selection "$1" --db "$WORK/$(basename "$1" .pb)/store.db"
}

check "200 random elections match the exact-fraction reference" \
    $PY tests/e2e/check_equal_shares.py "$ALLIANCE" "$WORK/random" 200

check "Assen 2024 (equalshares/add1): the city's selection" \
    same_selection_stored tests/data/pabulib/mes/Netherlands_Assen_2024.pb
check "Świecie 2023 (equalshares/add1): the city's selection" \
    same_selection_stored tests/data/pabulib/mes/Poland_Swiecie_2023.pb
# add1-comparison: add1, then the city compared the outcome with the
# greedy one and kept it (most voters preferred it): add1 alone gives it
check "Wieliczka 2023 (equalshares/add1-comparison): the city's selection" \
    same_selection_stored tests/data/pabulib/mes/Poland_Wieliczka_2023_Green_Budget.pb

assen="$WORK/Netherlands_Assen_2024"
explain_fr() {
    "$ALLIANCE" explain 3 --db "$assen/store.db" >"$WORK/x.out" &&
        grep -q "Méthode des parts égales (utilité : cost, complément : add1)" "$WORK/x.out" &&
        grep -q "Achetée à l'étape 1" "$WORK/x.out" &&
        grep -qF "    total : 7 200,00 \$" "$WORK/x.out" &&
        [ "$(grep -c '^    vote' "$WORK/x.out")" -eq 43 ] || { cat "$WORK/x.out"; return 1; }
}
check "explain: who paid for a bought application (fr)" explain_fr
explain_en() {
    "$ALLIANCE" explain 8 --db "$assen/store.db" --lang en >"$WORK/x.out" &&
        grep -q "Not affordable: its evaluators had only" "$WORK/x.out" &&
        grep -q "84 evaluators" "$WORK/x.out" || { cat "$WORK/x.out"; return 1; }
}
check "explain: why one was not affordable (en)" explain_en
check "decisions.csv says why equal shares did not buy it" \
    grep -q "parts égales : ses évaluateurs n'avaient plus que" "$assen/out/decisions.csv"
params() {
    $PY - "$assen/out/report.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Paramètres"]
rows = {r[0].value: r[1].value for r in ws.iter_rows() if r[0].value}
assert rows["Méthode d'attribution"].startswith("parts égales"), rows
assert "add1" in rows["Complément des parts égales"], rows
assert "cost" in rows["Utilité d'un projet pour un évaluateur"], rows
PYEOF
}
check "the workbook's Paramètres sheet names the method and its options" params

refused() { # expected message, then the allocate table
    msg=$1 # not "want": expect_status sets that one
    printf 'return { criteria = { { id = "a", label = "A", max = 100,\n  score = function() return 1 end } },\n  allocate = %s }\n' "$2" >"$WORK/r.lua"
    expect_status 65 "$ALLIANCE" check "$WORK/r.lua" &&
        grep -qF -- "$msg" "$WORK/last.out" || { cat "$WORK/last.out"; return 1; }
}
check "an unknown method is refused" \
    refused 'allocate.method must be "greedy" or "equal_shares"' '{ method = "mes" }'
check "an unknown completion is refused" \
    refused 'allocate.completion must be "greedy", "none" or "add1"' \
    '{ method = "equal_shares", completion = "add2" }'
check "an unknown utility is refused" \
    refused 'allocate.utility must be "points" or "cost"' \
    '{ method = "equal_shares", utility = "votes" }'
check "completion without equal shares is refused" \
    refused 'allocate.completion is an option of method = "equal_shares"' \
    '{ completion = "none" }'
check "on_overflow = stop with equal shares is refused" \
    refused 'allocate.on_overflow must be "skip" with method = "equal_shares"' \
    '{ method = "equal_shares", on_overflow = "stop" }'
check "min_partial_share with equal shares is refused" \
    refused 'allocate.min_partial_share has no meaning with method = "equal_shares"' \
    '{ method = "equal_shares", min_partial_share = 0.5 }'

no_evaluations() {
    d="$WORK/noeval"
    mkdir -p "$d"
    cp "$assen/applications.csv" "$assen/envelopes.csv" "$assen/split.csv" "$assen/rules.lua" "$d/"
    expect_status 65 "$ALLIANCE" run --inputs "$d" --rules "$d/rules.lua" --out "$d/out" --no-db &&
        stderr_has 'allocate.method = "equal_shares" needs evaluations.csv' &&
        [ ! -e "$d/out" ]
}
check "equal shares without evaluations.csv is refused, nothing written" no_evaluations

# Three fiscal years, two instalments each, carry: a run whose schedule
# sched_verify checks, with payments summing to the grants.
multi_year() {
    d="$WORK/years"
    mkdir -p "$d"
    printf 'id,organisation,subregion,requested,total_cost,start,months\n' >"$d/applications.csv"
    printf 'application,evaluator,criterion,points\n' >"$d/evaluations.csv"
    for k in 1 2 3 4 5 6 7 8 9; do
        printf 'P%s,Org %s,%s,%s000,%s000,2025-0%s-01,24\n' $k $k \
            "$( [ $k -le 5 ] && echo Est || echo Ouest)" $((k * 3)) $((k * 4)) $k >>"$d/applications.csv"
        for e in ana ben chloe; do
            [ $(( (k + ${#e}) % 3 )) -ne 0 ] && printf 'P%s,%s,a,%s\n' $k $e $(( (k * ${#e}) % 7 )) >>"$d/evaluations.csv"
        done
    done
    printf 'fiscal_year,amount\n2025-2026,30000\n2026-2027,20000\n2027-2028,10000\n' >"$d/envelopes.csv"
    printf 'subregion,share\nEst,0.6\nOuest,0.4\n' >"$d/split.csv"
    cat >"$d/rules.lua" <<'LUA'
return { criteria = { { id = "a", label = "A", max = 100, score = function() return 10 end } },
  schedule = { { label = "Avance", share = 50, at = 0 }, { label = "Solde", share = 50, at = 1 } },
  allocate = { method = "equal_shares", completion = "none", leftover = "carry" } }
LUA
    "$ALLIANCE" run --inputs "$d" --rules "$d/rules.lua" --out "$d/out" --db "$d/s.db" --quiet &&
        sqlite3 "$d/s.db" "SELECT count(*) FROM share_decision WHERE how = 'bought'" | grep -qv '^0$' &&
        [ -z "$(sqlite3 "$d/s.db" "SELECT d.app FROM share_decision d JOIN decision x USING (run_id, app) WHERE d.how = 'bought' AND x.granted <> (SELECT sum(amount) FROM share_payment p WHERE p.run_id = d.run_id AND p.app = d.app)")" ]
}
check "several fiscal years, carry: payments sum to the grants, schedule verified" multi_year

done_suite e2e_equal_shares
