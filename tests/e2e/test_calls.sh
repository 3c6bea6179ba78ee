# End-to-end: successive calls for projects. The shipped Montérégie
# applications are dealt into three calls; each call is run, then adopted;
# the third sees the first two's commitments and funds only within what
# they leave; a release frees exactly its money for the next call; the
# commitments exported from the store and fed back as commitments.csv
# give the same decisions.
. "$TOP/tests/e2e/lib.sh"

DB="$WORK/calls.db"
RULES=rules/monteregie.lua
C="$WORK/calls"

run_call() { # call out [options...]
    call=$1 out=$2
    shift 2
    "$ALLIANCE" run --inputs "$C/$call" --rules "$RULES" --out "$WORK/$out" \
        --db "$DB" --as-of 2025-01-01 "$@"
}

last_run() { sqlite3 -batch "$DB" "SELECT max(id) FROM run"; }

split_three() {
    $PY tests/e2e/split_calls.py inputs/monteregie "$C" 3 &&
        test "$(tail -n +2 "$C/call1/applications.csv" | wc -l)" = 50 &&
        test "$(cat "$C"/call*/applications.csv | grep -c '^MON-')" = 150
}

first_two_calls_adopted() {
    run_call call1 out1 >"$WORK/run1.txt" 2>/dev/null &&
        ! grep -q 'committed in earlier calls' "$WORK/run1.txt" &&
        "$ALLIANCE" adopt 1 --resolution "CA-2024-05-14" --db "$DB" >"$WORK/a1.txt" &&
        grep -q '^run 1 adopted (resolution CA-2024-05-14): .* committed to [0-9]* applications' \
            "$WORK/a1.txt" &&
        run_call call2 out2 >"$WORK/run2.txt" 2>/dev/null &&
        grep -q 'committed in earlier calls: .* (adopted runs of the run store)' "$WORK/run2.txt" &&
        "$ALLIANCE" adopt 2 --resolution "CA-2024-10-08" --db "$DB" >/dev/null
}

third_call_sees_both() {
    run_call call3 out3 >"$WORK/run3.txt" 2>/dev/null &&
        grep -q '^  sub-region .*committed earlier.*granted now' "$WORK/run3.txt" &&
        $PY tests/e2e/check_calls.py committed "$WORK/out3" "$WORK/out1" "$WORK/out2" &&
        $PY tests/e2e/check_outputs.py "$C/call3" "$WORK/out3" &&
        $PY tests/e2e/check_report.py "$WORK/out3" "$C/call3" "$RULES" &&
        $PY tests/e2e/check_calls.py within "$WORK/out1" "$WORK/out2" "$WORK/out3" || {
            cat "$WORK/run3.txt"
            return 1
        }
}

# The same third call with nothing committed funds more: what the first
# two calls committed is really not there any more.
commitments_bind() {
    "$ALLIANCE" run --inputs "$C/call3" --rules "$RULES" --out "$WORK/alone" \
        --no-db --quiet 2>/dev/null &&
        alone=$(grep '^total,total,' "$WORK/alone/summary.csv" | cut -d, -f6) &&
        later=$(grep '^total,total,' "$WORK/out3/summary.csv" | cut -d, -f6) &&
        echo "granted alone $alone, after two calls $later" &&
        $PY -c "import sys; sys.exit(not float('$alone') > float('$later'))" &&
        grep -q ',waitlisted,.*enveloppe 20[0-9-]* insuffisante' "$WORK/out3/decisions.csv"
}

adoption_refusals() {
    expect_status 65 "$ALLIANCE" adopt 1 --resolution again --db "$DB" &&
        stderr_has 'already adopted' &&
        expect_status 64 "$ALLIANCE" adopt 3 --db "$DB" &&
        expect_status 64 "$ALLIANCE" adopt x --resolution r --db "$DB" &&
        expect_status 65 "$ALLIANCE" adopt 99 --resolution r --db "$DB" &&
        expect_status 66 "$ALLIANCE" adopt 1 --resolution r --db "$WORK/none.db" ||
        return 1
    # the store itself refuses to change an adopted run or an adoption
    ! sqlite3 -batch "$DB" "UPDATE decision SET granted = 0 WHERE run_id = 1" 2>/dev/null &&
        ! sqlite3 -batch "$DB" "DELETE FROM adoption" 2>/dev/null &&
        test "$(sqlite3 -batch "$DB" "SELECT count(*) FROM adoption")" = 2
}

committed_ids_refused() {
    expect_status 65 run_call call1 again --quiet &&
        stderr_has 'is already committed in an adopted run' &&
        expect_status 65 run_call call1 again --quiet --resubmit &&
        stderr_has 'does not allow resubmissions' &&
        mkdir -p "$WORK/resub" &&
        sed 's/allocate = { method = "greedy", on_overflow = "skip" }/allocate = { method = "greedy", on_overflow = "skip", allow_resubmit = true }/' \
            "$RULES" >"$WORK/resub/monteregie.lua" &&
        grep -q 'allow_resubmit = true' "$WORK/resub/monteregie.lua" &&
        "$ALLIANCE" run --inputs "$C/call1" --rules "$WORK/resub/monteregie.lua" \
            --lib rules/lib --out "$WORK/resub/out" --no-db --resubmit \
            --program "Alliance pour la solidarité Montérégie 2024-2029" --quiet 2>/dev/null ||
        return 1
    # without the store the same ids are committed by nobody: no refusal
    "$ALLIANCE" run --inputs "$C/call1" --rules "$WORK/resub/monteregie.lua" \
        --lib rules/lib --out "$WORK/resub/db" --db "$DB" --resubmit \
        >"$WORK/resub.txt" 2>/dev/null &&
        grep -q '^  resubmitted: 23 applications asking for more money' "$WORK/resub.txt"
}

replay_after_adoption() {
    "$ALLIANCE" replay 2 --db "$DB" | grep -q 'identical (50 decisions'
}

# A project of the first call is abandoned: everything not yet paid on
# 2025-01-01 goes back, in its sub-region and fiscal years.
release_frees_exactly_its_money() {
    app=$(sqlite3 -batch "$DB" "SELECT a.id FROM application a JOIN instalment i
            USING (run_id, app) WHERE a.run_id = 1 AND i.due >= '2025-01-01'
            ORDER BY a.id LIMIT 1") && test -n "$app" &&
        "$ALLIANCE" release "$app" --amount all --reason "Projet abandonné" \
            --as-of 2025-01-01 --db "$DB" >"$WORK/rel.txt" &&
        grep -q "^released .* of $app " "$WORK/rel.txt" &&
        expect_status 65 "$ALLIANCE" release "$app" --amount 1 --reason again \
            --as-of 2025-01-01 --db "$DB" &&
        stderr_has 'is committed and not yet paid' &&
        expect_status 64 "$ALLIANCE" release "$app" --amount 1 --db "$DB" &&
        expect_status 64 "$ALLIANCE" release "$app" --amount -3 --reason r --db "$DB" &&
        run_call call3 out3r --quiet 2>/dev/null &&
        $PY tests/e2e/check_calls.py released "$WORK/out3" "$WORK/out3r" "$DB" &&
        $PY tests/e2e/check_outputs.py "$C/call3" "$WORK/out3r"
}

csv_round_trip() {
    "$ALLIANCE" commitments --csv --db "$DB" >"$WORK/commitments.csv" &&
        head -1 "$WORK/commitments.csv" | grep -qx 'application,subregion,fiscal_year,amount,resolution' &&
        grep -q ',0.00,CA-2024-05-14$' "$WORK/commitments.csv" &&
        mkdir -p "$WORK/call3csv" && cp "$C"/call3/*.csv "$WORK/call3csv/" &&
        cp "$WORK/commitments.csv" "$WORK/call3csv/" &&
        "$ALLIANCE" run --inputs "$WORK/call3csv" --rules "$RULES" \
            --out "$WORK/out3csv" --no-db --quiet 2>/dev/null &&
        for f in decisions.csv disbursements.csv summary.csv; do
            cmp "$WORK/out3r/$f" "$WORK/out3csv/$f" || return 1
        done &&
        "$ALLIANCE" commitments --db "$DB" | grep -q 'still committed after releases'
}

csv_and_store_exclude_each_other() {
    expect_status 65 "$ALLIANCE" run --inputs "$WORK/call3csv" --rules "$RULES" \
        --out "$WORK/both" --db "$DB" &&
        stderr_has 'holds commitments of' &&
        sed -i '2s/^\([^,]*\),[^,]*,/\1,Granby,/' "$WORK/call3csv/commitments.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs "$WORK/call3csv" --rules "$RULES" \
            --out "$WORK/bad" --no-db &&
        stderr_has 'commitments.csv:2:2: subregion: "Granby" is not in split.csv'
}

carry_waitlist() {
    n=$(grep -c ',waitlisted,' "$WORK/out2/decisions.csv") &&
        expect_status 65 "$ALLIANCE" run --inputs "$C/call3" --rules "$RULES" \
            --out "$WORK/carry" --no-db --carry-waitlist &&
        stderr_has 'needs the run store' &&
        run_call call3 carry --carry-waitlist >"$WORK/carry.txt" 2>/dev/null &&
        grep -q "^  carried: $n waitlisted applications of run 2" "$WORK/carry.txt" &&
        test "$(tail -n +2 "$WORK/carry/decisions.csv" | wc -l)" = $((50 + n)) &&
        id=$(grep ',waitlisted,' "$WORK/out2/decisions.csv" | head -1 | cut -d, -f2) &&
        grep -q "^[0-9]*,$id," "$WORK/carry/decisions.csv" &&
        "$ALLIANCE" replay "$(last_run)" --db "$DB" | grep -q identical
}

program_option() {
    run_call call3 other --program "Autre programme" >"$WORK/other.txt" 2>/dev/null &&
        head -1 "$WORK/other.txt" | grep -qx 'Autre programme' &&
        ! grep -q 'committed in earlier calls' "$WORK/other.txt" &&
        test "$(sqlite3 -batch "$DB" "SELECT program FROM run WHERE id = $(last_run)")" = "Autre programme"
}

help_texts() {
    for c in adopt release commitments; do
        "$ALLIANCE" "$c" --help | grep -q "usage: alliance $c" || return 1
    done
    "$ALLIANCE" --help | grep -q '^  adopt ' &&
        "$ALLIANCE" run --help | grep -q -- '--carry-waitlist'
}

check "three calls from the Montérégie applications" split_three
check "first and second calls run and adopted" first_two_calls_adopted
check "the third call sees both calls' commitments, stays within every envelope" third_call_sees_both
check "commitments really bind: the third call alone funds more" commitments_bind
check "adoption refusals; an adopted run cannot change" adoption_refusals
check "a committed application is refused, or resubmitted when allowed" committed_ids_refused
check "replay of an adopted call is identical" replay_after_adoption
check "a release frees exactly its money for the next call" release_frees_exactly_its_money
check "commitments.csv exported and fed back gives the same decisions" csv_round_trip
check "commitments.csv and the store exclude each other; bad rows refused" csv_and_store_exclude_each_other
check "--carry-waitlist ranks the previous waitlist again" carry_waitlist
check "--program names the program" program_option
check "help of adopt, release, commitments" help_texts

done_suite e2e_calls
