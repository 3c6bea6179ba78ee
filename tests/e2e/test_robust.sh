# End-to-end: robustness of the decisions (robust.h): the shipped
# examples' margins and one-evaluator decisions against a brute force over
# the real binary (tests/e2e/check_robust.py), the rule file's
# robustness key, what rank() and an allocate function leave out, and
# alliance explain.
. "$TOP/tests/e2e/lib.sh"

brute_force() { # region
    $PY tests/e2e/check_robust.py "$ALLIANCE" "inputs/$1" "rules/$1.lua" rules/lib \
        "$WORK/brute-$1"
}

# A rule file made of the Montérégie one and a tail of Lua (a module of a
# copy of the library, so the tail can change the returned table).
variant() { # name lua-tail
    mkdir -p "$WORK/lib"
    cp -r rules/lib/. "$WORK/lib/"
    cp rules/monteregie.lua "$WORK/lib/robust_base.lua"
    printf 'local base = require("robust_base")\n%s\nreturn base\n' "$2" >"$WORK/$1.lua"
}

run_variant() { # name out
    "$ALLIANCE" run --quiet --inputs inputs/monteregie --rules "$WORK/$1.lua" \
        --lib "$WORK/lib" --out "$2"
}

# The columns of decisions.csv: the margins all empty, and the reason on
# stderr's robustness line.
margins_empty() { # out
    $PY - "$1/decisions.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert list(rows[0])[-3:] == ["margin", "margin_rank", "decided_by_one_evaluator"], list(rows[0])
assert all(r["margin"] == "" and r["margin_rank"] == "" for r in rows), "a margin"
print(sum(1 for r in rows if r["decided_by_one_evaluator"]), "decided by one evaluator")
EOF
}

robustness_false() {
    variant off 'base.robustness = false' &&
        "$ALLIANCE" run --inputs inputs/monteregie --rules "$WORK/off.lua" \
            --lib "$WORK/lib" --out "$WORK/off" 2>"$WORK/off.err" >/dev/null &&
        grep -q 'robustness .* 0 margins (not computed: robustness = false), 0 evaluators' \
            "$WORK/off.err" &&
        test "$(margins_empty "$WORK/off")" = "0 decided by one evaluator" &&
        "$ALLIANCE" explain MON-2025-049 --db "$WORK/off/alliance.db" |
            grep -qF 'Marge : non calculée (robustness = false)' &&
        "$ALLIANCE" check "$WORK/off.lua" --lib "$WORK/lib" | grep -q 'robustness off'
}

robustness_wrong_type() {
    variant bad 'base.robustness = "non"' &&
        expect_status 65 "$ALLIANCE" run --inputs inputs/monteregie \
            --rules "$WORK/bad.lua" --lib "$WORK/lib" --out "$WORK/bad" &&
        stderr_has "'robustness' must be true or false" &&
        test ! -e "$WORK/bad/decisions.csv" &&
        ! "$ALLIANCE" check "$WORK/bad.lua" --lib "$WORK/lib" >"$WORK/bad.check" &&
        grep -qF "'robustness' must be true or false" "$WORK/bad.check"
}

# rank(): the score no longer orders the candidates, so no margin; the
# one-evaluator reruns still run.
with_rank() {
    variant ranked 'base.rank = function(app) return -app.requested end' &&
        run_variant ranked "$WORK/ranked" &&
        margins_empty "$WORK/ranked" &&
        "$ALLIANCE" explain MON-2025-049 --db "$WORK/ranked/alliance.db" --lang en |
            grep -qF 'Margin: not computed (rank())'
}

# An allocate function: every position would need the rule rerun.
with_allocate_function() {
    variant byrule 'base.allocate = function(candidates, envelope)
  local grants, left = {}, envelope.left[1]
  for _, c in ipairs(candidates) do grants[c.id] = 0 end
  return grants
end' &&
        run_variant byrule "$WORK/byrule" &&
        margins_empty "$WORK/byrule" &&
        sqlite3 "$WORK/byrule/alliance.db" 'SELECT margins_skipped FROM run' |
            grep -qx 'allocate function'
}

# explain says what decisions.csv says, in French and in English.
explain_margin() {
    "$ALLIANCE" run --quiet --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/m" &&
        line=$(grep '^15,MON-2025-049,' "$WORK/m/decisions.csv") &&
        test "$(echo "$line" | awk -F, '{ print $(NF-2) "," $(NF-1) }')" = "1.23,16" &&
        "$ALLIANCE" explain MON-2025-049 --db "$WORK/m/alliance.db" |
            grep -qF 'Marge : financé ; perdrait son financement à 1,23 points de moins (rang 16)' &&
        "$ALLIANCE" explain MON-2025-049 --db "$WORK/m/alliance.db" --lang en |
            grep -qF 'Margin: funded; would lose its funding 1.23 points lower (rank 16)' &&
        "$ALLIANCE" explain MON-2024-011 --db "$WORK/m/alliance.db" |
            grep -qF 'Décidée par un seul évaluateur (sans ses notes, la décision change) : Amélie Bouchard' &&
        test "$(sqlite3 "$WORK/m/alliance.db" 'SELECT count(*) FROM robustness
                WHERE margin IS NOT NULL')" = \
             "$(awk -F, 'NR > 1 && $(NF-2) != ""' "$WORK/m/decisions.csv" | wc -l)"
}

check "Montérégie: margins and one-evaluator decisions match a brute force" brute_force monteregie
check "Lanaudière: margins and one-evaluator decisions match a brute force" brute_force lanaudiere
check "robustness = false: no margin, no rerun, check says so" robustness_false
check "robustness must be a boolean" robustness_wrong_type
check "rank(): margins not computed, said so" with_rank
check "an allocate function: margins not computed, recorded" with_allocate_function
check "explain prints the margin, its rank and the evaluators" explain_margin

done_suite e2e_robust
