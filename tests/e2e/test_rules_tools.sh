# End-to-end: the analysts' tools, alliance check and alliance test, on the
# shipped rule files, their scenarios and broken fixtures.
. "$TOP/tests/e2e/lib.sh"

DATA=tests/data/rules

# stdout_has TEXT: the last expect_status's stdout contains TEXT.
stdout_has() {
    grep -qF -- "$1" "$WORK/last.out" || {
        echo "stdout lacks: $1"
        cat "$WORK/last.out"
        return 1
    }
}

# An empty PATH for alliance: luacheck is "skipped" and its opinion left
# out of the counts, whether this machine has it or not.
mkdir -p "$WORK/nobin"

check_good_files() {
    for region in monteregie lanaudiere; do
        expect_status 0 env PATH="$WORK/nobin" "$ALLIANCE" check \
            "rules/$region.lua" --inputs "inputs/$region" &&
            stdout_has "rules/$region.lua: 6 checks" &&
            stdout_has "luacheck: not installed, skipped" &&
            stdout_has "dry run on inputs/$region: " &&
            stdout_has "rules/$region.lua: no problem found" || return 1
    done
    stdout_has "120 applications, 103 eligible"
}

check_bad_shape() {
    expect_status 65 env PATH="$WORK/nobin" "$ALLIANCE" check "$DATA/bad_many.lua" &&
        stdout_has "$DATA/bad_many.lua: unknown key 'lable' in checks[2]" &&
        stdout_has "$DATA/bad_many.lua: 'split' must be a function" &&
        stdout_has "$DATA/bad_many.lua: 11 problems"
}

check_warning() {
    expect_status 65 env PATH="$WORK/nobin" "$ALLIANCE" check "$DATA/grid_60.lua" &&
        stdout_has "warning: the criteria's maxima add up to 60, not 100" &&
        expect_status 0 env PATH="$WORK/nobin" "$ALLIANCE" check \
            "$DATA/grid_60_declared.lua"
}

# A rule that fails on some applications: every error is listed, with
# file:line and application, and the counts of the others.
check_dry_run_errors() {
    sed 's/return A.org_type_in(app, TYPES_ADMISSIBLES)/if app.org_type == "municipalite" then return app.nope.x end; return A.org_type_in(app, TYPES_ADMISSIBLES)/' \
        rules/monteregie.lua >"$WORK/dry_run.lua"
    expect_status 65 env PATH="$WORK/nobin" "$ALLIANCE" check \
        "$WORK/dry_run.lua" --inputs inputs/monteregie --lib rules/lib &&
        stdout_has "$WORK/dry_run.lua:" &&
        stdout_has "in check 'type_organisme' for application MON-2024-001: attempt to index a nil value" &&
        stdout_has "in check 'type_organisme' for application MON-2024-002:" &&
        stdout_has "rule errors: those applications count as ineligible)"
}

# luacheck runs when installed: a stand-in records its arguments.
check_luacheck() {
    mkdir -p "$WORK/fakebin"
    printf '#!/bin/sh\necho "luacheck-args: $*"\nexit 1\n' >"$WORK/fakebin/luacheck"
    chmod +x "$WORK/fakebin/luacheck"
    expect_status 65 env PATH="$WORK/fakebin:$PATH" "$ALLIANCE" check \
        rules/monteregie.lua &&
        stdout_has "luacheck-args: --codes --no-color rules/monteregie.lua" &&
        stdout_has "luacheck: found problems (above)" &&
        stdout_has "rules/monteregie.lua: 1 problem"
}

scenarios() { # region cases
    expect_status 0 "$ALLIANCE" test "rules/$1.lua" "rules/tests/$1_cases.lua" &&
        stdout_has "$2 cases, $2 passed, 0 failed"
}

failing_scenarios() {
    expect_status 65 "$ALLIANCE" test rules/monteregie.lua "$DATA/cases/failing.lua" &&
        stdout_has 'case 2 "Exactement 80 %": check part_fqis: expected fail, got pass' &&
        stdout_has 'case 3 "OBNL à 85 %": check part_fqis: expected pass, got fail (part FQIS de 85,0 %' &&
        stdout_has 'case 3 "OBNL à 85 %": criterion priorites: expected 20, got 25' &&
        stdout_has 'case 4: above_threshold: expected false, got true (score 83.5, threshold 60)' &&
        stdout_has '4 cases, 1 passed, 3 failed'
}

bad_cases_file() {
    expect_status 65 "$ALLIANCE" test rules/monteregie.lua "$DATA/cases/bad_file.lua" &&
        stderr_has "bad_file.lua: case 1 \"Vérification inconnue\": fails[1]: 'part_fqi' is not a check of the rule file" &&
        stderr_has "bad_file.lua: case 3 \"Case à cocher\": app.participation: \"peut-être\" is not oui/non" &&
        stderr_has "bad_file.lua: case 5 \"Clé\": unknown key 'eligble' in the case" &&
        stderr_has "alliance: test failed (5 errors)"
}

# Grades naming no criterion of the rule file stop a run.
unknown_criterion_in_grades() {
    mkdir -p "$WORK/graded" && cp inputs/monteregie/*.csv "$WORK/graded/" &&
        sed -i 's/,partenariat,/,partenaria,/' "$WORK/graded/evaluations.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs "$WORK/graded" \
            --rules rules/monteregie.lua --out "$WORK/graded-out" &&
        stderr_has 'evaluations.csv:2: criterion: "partenaria" is not a criterion of the rule file (known: priorites, personnes_rejointes, participation, partenariat, effet_structurant, realisme_budget, innovation) (and 368 more rows)'
}

help_and_usage() {
    "$ALLIANCE" check --help | grep -q -- 'usage: alliance check RULES' &&
        "$ALLIANCE" help test | grep -q -- 'usage: alliance test RULES CASES' &&
        "$ALLIANCE" --help | grep -q '^  check ' &&
        expect_status 64 "$ALLIANCE" check &&
        stderr_has 'check needs one rule file' &&
        expect_status 64 "$ALLIANCE" test rules/monteregie.lua &&
        expect_status 64 "$ALLIANCE" check rules/monteregie.lua --bogus
}

check "check: shipped rule files, dry run, no problem" check_good_files
check "check: every shape problem listed, exit 65" check_bad_shape
check "check: grid not on 100 is a warning unless grid_total" check_warning
check "check: dry run lists every rule error with application" check_dry_run_errors
check "check: runs luacheck --codes --no-color when installed" check_luacheck
check "test: Montérégie scenarios pass" scenarios monteregie 15
check "test: Lanaudière scenarios pass" scenarios lanaudiere 13
check "test: failing scenarios print what differs, exit 65" failing_scenarios
check "test: a wrong cases file is reported case by case" bad_cases_file
check "run: grades of an unknown criterion exit 65" unknown_criterion_in_grades
check "check and test: help and usage errors" help_and_usage

done_suite e2e_rules_tools
