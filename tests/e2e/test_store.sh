# End-to-end: the run store (alliance run --db, runs, explain, diff,
# replay), its transactions under SIGKILL and concurrent runs, and the
# sqlite3 shell reading it.
. "$TOP/tests/e2e/lib.sh"

DB="$WORK/store.db"
KILLS=20          # SIGKILLs at random points of a large run
BIG_APPS=50000    # applications of the large input folder

sql() { # db query: the sqlite3 shell's answer
    sqlite3 -batch "$1" "$2"
}

run_m() { # out [options...]: Montérégie into $DB
    out=$1
    shift
    "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/$out" --db "$DB" --quiet "$@"
}

last_run() { sql "$DB" "SELECT max(id) FROM run"; }

help_texts() {
    for c in runs explain diff replay; do
        "$ALLIANCE" "$c" --help | grep -q "usage: alliance $c" || return 1
        "$ALLIANCE" help "$c" | grep -q 'exit status' || return 1
    done
    "$ALLIANCE" --help | grep -q '^  replay ' &&
        "$ALLIANCE" run --help | grep -q -- '--no-db'
}

usage_errors() {
    expect_status 64 "$ALLIANCE" runs extra &&
        expect_status 64 "$ALLIANCE" runs --bogus &&
        expect_status 64 "$ALLIANCE" explain &&
        expect_status 64 "$ALLIANCE" explain A B &&
        expect_status 64 "$ALLIANCE" explain A --run abc &&
        stderr_has 'not a run id' &&
        expect_status 64 "$ALLIANCE" explain A --lang de &&
        expect_status 64 "$ALLIANCE" diff 1 &&
        expect_status 64 "$ALLIANCE" diff 1 two &&
        expect_status 64 "$ALLIANCE" diff 1 2 --db &&
        expect_status 64 "$ALLIANCE" replay &&
        expect_status 64 "$ALLIANCE" replay 0 &&
        expect_status 64 "$ALLIANCE" run --inputs a --rules b --out c \
            --db x --no-db
}

missing_store() {
    for c in "runs" "explain A" "diff 1 2" "replay 1"; do
        # shellcheck disable=SC2086
        expect_status 66 "$ALLIANCE" $c --db "$WORK/none.db" &&
            stderr_has 'no run store' || return 1
    done
    test ! -e "$WORK/none.db"
}

default_store_and_no_db() {
    run_m default --db "$WORK/default/alliance.db" &&
        "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/beside" --quiet &&
        test -f "$WORK/beside/alliance.db" &&
        (cd "$WORK/beside" && "$ALLIANCE" runs) | grep -q '  ok  ' &&
        "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/nodb" --quiet --no-db &&
        test -f "$WORK/nodb/decisions.csv" && test ! -e "$WORK/nodb/alliance.db"
}

two_runs_then_diff() {
    run_m a && run_m b && test "$(last_run)" = 2 &&
        "$ALLIANCE" runs --db "$DB" >"$WORK/runs.txt" &&
        test "$(grep -c '  ok  .*  150  ' "$WORK/runs.txt")" = 2 &&
        "$ALLIANCE" diff 1 2 --db "$DB" >"$WORK/diff12.txt" &&
        grep -q '^  0 applications changed' "$WORK/diff12.txt" &&
        grep -q 'the same input, rule and library files' "$WORK/diff12.txt" &&
        "$ALLIANCE" diff 1 2 --db "$DB" --csv >"$WORK/diff12.csv" &&
        ! grep -Eq '^(file|application),' "$WORK/diff12.csv" &&
        test "$(grep -c '^envelope,.*,0.00$' "$WORK/diff12.csv")" = 4 || {
            cat "$WORK/diff12.txt"
            return 1
        }
}

# A copy of the rule file with a higher threshold: some funded projects
# fall below it and their money stays unspent.
rule_edit_moves_money() {
    mkdir -p "$WORK/edited" &&
        sed 's/^  threshold = 60,$/  threshold = 70,/' rules/monteregie.lua \
            >"$WORK/edited/monteregie.lua" &&
        grep -q '^  threshold = 70,$' "$WORK/edited/monteregie.lua" &&
        "$ALLIANCE" run --inputs inputs/monteregie --rules "$WORK/edited/monteregie.lua" \
            --lib rules/lib --out "$WORK/edited/out" --db "$DB" --quiet &&
        "$ALLIANCE" diff 1 3 --db "$DB" --csv >"$WORK/diff13.csv" &&
        grep -q '^file,rules/monteregie.lua,,[0-9a-f]\{64\},[0-9a-f]\{64\},,,,,changed$' \
            "$WORK/diff13.csv" &&
        grep -q '^application,[^,]*,[^,]*,funded,below_threshold,' "$WORK/diff13.csv" &&
        grep '^envelope,' "$WORK/diff13.csv" | grep -vq ',0.00$' &&
        "$ALLIANCE" diff 1 3 --db "$DB" >"$WORK/diff13.txt" &&
        grep -q 'rules  monteregie.lua' "$WORK/diff13.txt" &&
        grep -q 'funded -> below_threshold' "$WORK/diff13.txt" || {
            cat "$WORK/diff13.csv"
            return 1
        }
}

explain_fr_en() {
    "$ALLIANCE" explain MON-2024-002 --run 1 --db "$DB" >"$WORK/x.txt" &&
        grep -q "^Vérifications d'admissibilité :" "$WORK/x.txt" &&
        grep -q '^  \[réussie\] ' "$WORK/x.txt" &&
        grep -q '^Pointage : .* (seuil : 60,00) : atteint' "$WORK/x.txt" &&
        grep -q '^Rang : [0-9]* sur [0-9]* dans ' "$WORK/x.txt" &&
        grep -q '^Enveloppe à son tour' "$WORK/x.txt" &&
        grep -q '^  2024-2025 : .* \$' "$WORK/x.txt" &&
        "$ALLIANCE" explain MON-2024-001 --db "$DB" --lang en >"$WORK/x_en.txt" &&
        grep -q '^Decision: funded' "$WORK/x_en.txt" &&
        grep -q '^Eligibility checks:' "$WORK/x_en.txt" &&
        grep -q '^  1\. .* (fiscal year 2024-2025): \$[0-9,]*\.[0-9][0-9]$' "$WORK/x_en.txt" &&
        grep -q '^Run 3,' "$WORK/x_en.txt" || {
            cat "$WORK/x.txt" "$WORK/x_en.txt"
            return 1
        }
}

explain_ineligible() {
    id=$(sql "$DB" "SELECT a.id FROM application a JOIN decision d USING (run_id, app)
                    WHERE a.run_id = 1 AND d.status = 'ineligible'
                    AND EXISTS (SELECT 1 FROM check_failure f WHERE f.run_id = 1
                    AND f.app = a.app) ORDER BY a.id LIMIT 1") &&
        test -n "$id" &&
        "$ALLIANCE" explain "$id" --run 1 --db "$DB" >"$WORK/xi.txt" &&
        grep -q '^Décision : non admissible' "$WORK/xi.txt" &&
        grep -q '^  \[échouée\] ' "$WORK/xi.txt" &&
        grep -q "à son tour.*sans objet" "$WORK/xi.txt"
}

unknown_run() {
    expect_status 65 "$ALLIANCE" explain MON-2024-001 --run 999 --db "$DB" &&
        stderr_has 'no run 999' &&
        expect_status 65 "$ALLIANCE" explain NOT-AN-ID --db "$DB" &&
        expect_status 65 "$ALLIANCE" diff 1 999 --db "$DB" &&
        expect_status 65 "$ALLIANCE" replay 999 --db "$DB"
}

replay_identical() {
    "$ALLIANCE" replay 1 --db "$DB" >"$WORK/replay.txt" &&
        grep -q '^run [0-9]* replays run 1: identical (150 decisions' "$WORK/replay.txt" &&
        test "$(sql "$DB" "SELECT replay_of FROM run WHERE id = (SELECT max(id) FROM run)")" = 1 &&
        "$ALLIANCE" runs --db "$DB" | grep -q '(replay of run 1)'
}

# The store is tampered with: the replay must notice and exit 70.
replay_detects_difference() {
    run_m tamper && id=$(last_run) &&
        sql "$DB" "UPDATE decision SET granted = granted + 1 WHERE run_id = $id
                   AND status = 'funded' AND app = (SELECT min(app) FROM decision
                   WHERE run_id = $id AND status = 'funded')" &&
        expect_status 70 "$ALLIANCE" replay "$id" --db "$DB" &&
        grep -q 'DIFFERENT: 1 decision' "$WORK/last.out"
}

replay_refused_after_input_change() {
    mkdir -p "$WORK/in" && cp inputs/monteregie/*.csv "$WORK/in/" &&
        "$ALLIANCE" run --inputs "$WORK/in" --rules rules/monteregie.lua \
            --out "$WORK/in_out" --db "$DB" --quiet &&
        id=$(last_run) &&
        sed -i '2s/,64500\.00,/,64400.00,/' "$WORK/in/applications.csv" &&
        ! cmp -s "$WORK/in/applications.csv" inputs/monteregie/applications.csv &&
        expect_status 65 "$ALLIANCE" replay "$id" --db "$DB" &&
        stderr_has "applications.csv changed since run $id" &&
        stderr_has 'refused' &&
        test "$(last_run)" = "$id"
}

failed_run_recorded() {
    printf 'return { checks = { { id = "x", label = "x", test = function(app) return app.nope.x end } } }\n' \
        >"$WORK/broken.lua"
    mkdir -p "$WORK/plain" &&
        cp inputs/monteregie/applications.csv inputs/monteregie/envelopes.csv \
            inputs/monteregie/split.csv "$WORK/plain/" &&
    expect_status 65 "$ALLIANCE" run --inputs "$WORK/plain" \
        --rules "$WORK/broken.lua" --out "$WORK/broken" --db "$DB" &&
        stderr_has 'recorded as failed run' &&
        id=$(last_run) &&
        test "$(sql "$DB" "SELECT status || ' ' || exit_status FROM run WHERE id = $id")" = "failed 65" &&
        test "$(sql "$DB" "SELECT error LIKE '%broken.lua:1: in check%' FROM run WHERE id = $id")" = 1 &&
        test "$(sql "$DB" "SELECT count(*) FROM application WHERE run_id = $id")" = 0 &&
        test ! -e "$WORK/broken/decisions.csv" &&
        "$ALLIANCE" runs --db "$DB" | grep -q "^ *$id .*failed" &&
        expect_status 65 "$ALLIANCE" explain MON-2024-001 --run "$id" --db "$DB"
}

# The store takes the run, then the outputs fail: the run is recorded as
# failed with the outputs' error, and holds no results.
output_failure_recorded() {
    : >"$WORK/afile"
    expect_status 73 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/afile/sub" --db "$DB" &&
        id=$(last_run) &&
        test "$(sql "$DB" "SELECT status || ' ' || exit_status FROM run WHERE id = $id")" = "failed 73" &&
        test "$(sql "$DB" "SELECT count(*) FROM decision WHERE run_id = $id")" = 0
}

# A store that cannot be created: 73, and no outputs.
store_cannot_be_created() {
    expect_status 73 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/nostore" --db "$WORK/afile/x.db" &&
        test ! -e "$WORK/nostore/decisions.csv"
}

# Another process holds the write lock beyond the busy timeout (10 s):
# 75 with a clear message, and no outputs.
busy_is_tempfail() {
    mkfifo "$WORK/fifo" || return 1
    sqlite3 -batch "$DB" <"$WORK/fifo" >/dev/null &
    holder=$!
    exec 3>"$WORK/fifo"
    echo 'BEGIN IMMEDIATE;' >&3
    sleep 1
    expect_status 75 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/busy" --db "$DB" --quiet
    st=$?
    exec 3>&-
    wait "$holder"
    [ "$st" -eq 0 ] && stderr_has 'locked' && test ! -e "$WORK/busy/decisions.csv"
}

# hold_store DB SQL: a sqlite3 shell on DB that has run SQL and holds
# what it took until release_store (fd 3, $holder).
hold_store() {
    rm -f "$WORK/fifo" && mkfifo "$WORK/fifo" || return 1
    sqlite3 -batch "$1" <"$WORK/fifo" >/dev/null &
    holder=$!
    exec 3>"$WORK/fifo"
    echo "$2" >&3
    sleep 1
}
release_store() {
    echo 'COMMIT;' >&3
    exec 3>&-
    wait "$holder"
}

# With two jobs the store is opened while the rules run (said on -v),
# with one it is not; the store is the same either way (test_jobs.sh).
store_opened_early() {
    "$ALLIANCE" run --jobs 2 -v --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/early2" >/dev/null 2>"$WORK/early2.err" &&
        grep -q 'run store opened while the rules ran' "$WORK/early2.err" &&
        "$ALLIANCE" run --jobs 1 -v --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/early1" >/dev/null 2>"$WORK/early1.err" &&
        ! grep -q 'opened while' "$WORK/early1.err"
}

# A writer holding the store while the run starts: the early opening
# does not wait for it, and the run then waits its usual busy timeout
# (10 s), not the early opening's 1 ms, so it lands once the writer is
# done. First a writer in WAL mode, then one in rollback-journal mode
# holding readers out too (the load, which reads the earlier calls from
# the store, waits for it then).
store_waited_for() { # NAME SQL
    db="$WORK/$1.db"
    "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/$1-0" --db "$db" --quiet || return 1
    hold_store "$db" "$2" || return 1
    "$ALLIANCE" run --jobs 2 -v --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/$1" --db "$db" >/dev/null 2>"$WORK/$1.err" &
    run=$!
    sleep 1
    release_store
    wait "$run" || { cat "$WORK/$1.err"; return 1; }
    test "$(sql "$db" "SELECT count(*) FROM run WHERE status = 'ok'")" = 2 &&
        test "$(sql "$db" 'PRAGMA journal_mode')" = wal && no_partial_run "$db"
}
store_waited_for_wal() {
    store_waited_for waitwal 'BEGIN IMMEDIATE;' &&
        grep -q 'opened while the rules ran' "$WORK/waitwal.err"
}
store_waited_for_exclusive() {
    store_waited_for waitexcl 'PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE;'
}

# A store that cannot be created fails the early opening too: its
# message is then the store step's own, once, as with one job.
store_failure_said_once() {
    for j in 1 2; do
        "$ALLIANCE" run --jobs $j --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/nostore$j" --db "$WORK/afile/x.db" 2>"$WORK/nostore$j.err"
        test $? = 73 || return 1
    done
    # the stage lines (stderr without a terminal) carry timings
    for j in 1 2; do
        grep -Ev '^alliance: [a-z]+ +[0-9.]+ s' "$WORK/nostore$j.err" >"$WORK/nostore$j.msg"
    done
    test -s "$WORK/nostore1.msg" && cmp "$WORK/nostore1.msg" "$WORK/nostore2.msg" &&
        test "$(grep -c 'cannot create' "$WORK/nostore2.err")" = 1
}

# The application rows go into the store while the run allocates: an
# allocation that fails rolls them back, and the run is recorded failed,
# alone, under the id it would have had, with the one-job message; the
# next run gets the next id.
allocation_failure_rolled_back() {
    printf 'return { allocate = function() error("no money today") end }\n' >"$WORK/noalloc.lua"
    db="$WORK/allocfail.db"
    for j in 1 2; do
        expect_status 65 "$ALLIANCE" run --jobs $j --inputs "$WORK/plain" \
            --rules "$WORK/noalloc.lua" --out "$WORK/allocfail$j" --db "$db" &&
            stderr_has "recorded as failed run $j" || return 1
        grep -Ev '^alliance: [a-z]+ +[0-9.]+ s' "$WORK/last.err" >"$WORK/allocfail$j.msg"
    done
    test "$(grep -c 'no money today' "$WORK/allocfail1.msg")" = 1 &&
        sed 's/failed run 1/failed run N/' "$WORK/allocfail1.msg" >"$WORK/allocfail1.n" &&
        sed 's/failed run 2/failed run N/' "$WORK/allocfail2.msg" >"$WORK/allocfail2.n" &&
        cmp "$WORK/allocfail1.n" "$WORK/allocfail2.n" &&
        test "$(sql "$db" "SELECT group_concat(id || status, ' ') FROM run")" = "1failed 2failed" &&
        test "$(sql "$db" 'SELECT count(*) FROM application')" = 0 &&
        "$ALLIANCE" run --quiet --inputs "$WORK/plain" --rules rules/monteregie.lua \
            --out "$WORK/allocok" --db "$db" &&
        test "$(sql "$db" "SELECT run_id, count(*) FROM application GROUP BY run_id")" = "3|150" &&
        test "$(sql "$db" "SELECT seq FROM sqlite_sequence WHERE name = 'run'")" = 3 &&
        no_partial_run "$db"
}

# The application rows fail (a file size limit, with the allocation
# going on beside them on two jobs): the store's message alone, as with
# one job, exit 74, no run and no outputs.
app_rows_failure_said_once() {
    for j in 1 2; do
        rm -rf "$WORK/fsz$j"
        (trap '' XFSZ; ulimit -f 4096; exec "$ALLIANCE" run --jobs $j --inputs "$WORK/big" \
            --rules rules/monteregie.lua --out "$WORK/fsz$j") >/dev/null 2>"$WORK/fsz$j.err"
        test $? = 74 || { cat "$WORK/fsz$j.err"; return 1; }
        grep -Ev '^alliance: [a-z]+ +[0-9.]+ s' "$WORK/fsz$j.err" |
            sed "s|$WORK/fsz$j|OUT|" >"$WORK/fsz$j.msg"
        test "$(sql "$WORK/fsz$j/alliance.db" 'SELECT count(*) FROM run')" = 0 &&
            test "$(sql "$WORK/fsz$j/alliance.db" 'PRAGMA integrity_check')" = ok &&
            test ! -e "$WORK/fsz$j/decisions.csv" || return 1
    done
    grep -q 'recording the applications: .*File too large' "$WORK/fsz1.msg" &&
        test "$(wc -l <"$WORK/fsz1.msg")" = 2 && cmp "$WORK/fsz1.msg" "$WORK/fsz2.msg"
}

sqlite3_reads_it() {
    test "$(sql "$DB" 'PRAGMA integrity_check')" = ok &&
        test -z "$(sql "$DB" 'PRAGMA foreign_key_check')" &&
        test "$(sql "$DB" 'PRAGMA user_version')" = \
            "$(grep -c '"PRAGMA user_version = ' engine/store_schema.c)" &&
        test "$(sql "$DB" 'SELECT count(*) FROM robustness WHERE run_id = 1
                           AND margin > 0 AND margin_rank > 0')" -gt 0 &&
        test "$(sql "$DB" 'SELECT count(*) FROM decision_view WHERE run_id = 1')" = 150 &&
        test "$(sql "$DB" "SELECT count(*) FROM run_file WHERE run_id = 1 AND role = 'lib'
                           AND name = 'alliance.lua'")" = 1 &&
        test "$(sql "$DB" "SELECT sum(granted + to_reserve) FROM envelope_cell
                           WHERE run_id = 1")" = 1180000000
}

# No run is half there: an ok run has all its applications, decisions
# and instalments; a failed one has none.
no_partial_run() { # db
    test "$(sql "$1" 'PRAGMA integrity_check')" = ok || return 1
    test "$(sql "$1" "SELECT count(*) FROM run r WHERE
        (status = 'ok' AND (n_apps IS NULL
          OR n_apps != (SELECT count(*) FROM application a WHERE a.run_id = r.id)
          OR n_apps != (SELECT count(*) FROM decision d WHERE d.run_id = r.id)
          OR granted != (SELECT coalesce(sum(amount), 0) FROM instalment i
                         WHERE i.run_id = r.id)))
        OR (status = 'failed' AND EXISTS (SELECT 1 FROM application a
                                          WHERE a.run_id = r.id))")" = 0
}

big_run() { # db out
    "$ALLIANCE" run --inputs "$WORK/big" --rules rules/monteregie.lua \
        --out "$2" --db "$1" --quiet
}

now() { date +%s.%N; }

# SIGKILL at KILLS random moments between 0 and the measured run time.
killed_runs_leave_no_partial_run() {
    db="$WORK/kill.db"
    t0=$(now) && big_run "$db" "$WORK/kill" && t1=$(now) || return 1
    span=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
    landed=0
    i=0
    while [ "$i" -lt "$KILLS" ]; do
        i=$((i + 1))
        pause=$(awk -v s="$$$i" -v t="$span" 'BEGIN { srand(s); printf "%.3f", rand() * t }')
        # the binary itself in the background, so $! is its pid
        "$ALLIANCE" run --inputs "$WORK/big" --rules rules/monteregie.lua \
            --out "$WORK/kill" --db "$db" --quiet &
        pid=$!
        sleep "$pause"
        kill -9 "$pid" 2>/dev/null && landed=$((landed + 1))
        wait "$pid" 2>/dev/null
        no_partial_run "$db" || { echo "partial run after kill $i at ${pause}s"; return 1; }
    done
    echo "run time ${span}s; $landed of $KILLS kills landed mid-run"
    before=$(sql "$db" "SELECT count(*) FROM run WHERE status = 'ok'")
    big_run "$db" "$WORK/kill" && no_partial_run "$db" &&
        test "$(sql "$db" "SELECT count(*) FROM run WHERE status = 'ok'")" = $((before + 1)) &&
        test "$landed" -gt 0
}

# A large run alone on the store wrote through a rollback journal
# (store_journal.c): the journal is gone and the store is back in WAL mode.
large_run_back_in_wal_mode() {
    db="$WORK/journal.db"
    big_run "$db" "$WORK/journal" &&
        test "$(sql "$db" 'PRAGMA journal_mode')" = wal &&
        test ! -e "$db-journal" && no_partial_run "$db"
}

concurrent_runs_both_land() {
    db="$WORK/concurrent.db"
    big_run "$db" "$WORK/c1" &
    p1=$!
    big_run "$db" "$WORK/c2" &
    p2=$!
    wait "$p1" && wait "$p2" &&
        test "$(sql "$db" "SELECT count(*) FROM run WHERE status = 'ok'")" = 2 &&
        no_partial_run "$db"
}

check "help of runs, explain, diff, replay" help_texts
check "usage errors exit 64" usage_errors
check "a missing store exits 66" missing_store
check "default store in the output folder; --no-db" default_store_and_no_db
check "two runs then diff: nothing changed" two_runs_then_diff
check "a rule edit that moves money shows in diff" rule_edit_moves_money
check "explain in French and English" explain_fr_en
check "explain an ineligible application" explain_ineligible
check "unknown run ids exit 65" unknown_run
check "replay of an unchanged run is identical" replay_identical
check "replay reports a difference with 70" replay_detects_difference
check "replay after an input file changed is refused (65)" replay_refused_after_input_change
check "a failed run is recorded as failed, alone" failed_run_recorded
check "an output failure leaves the run recorded as failed" output_failure_recorded
check "a store that cannot be created exits 73, writes nothing" store_cannot_be_created
check "a store locked beyond the busy timeout exits 75" busy_is_tempfail
check "two jobs open the store while the rules run" store_opened_early
check "a writer ahead in WAL mode: the run waits for it and lands" store_waited_for_wal
check "a writer holding readers out: the run still waits and lands" store_waited_for_exclusive
check "a store that cannot be created: one message, as with one job" store_failure_said_once
check "an allocation failure rolls the application rows back" allocation_failure_rolled_back
check "the sqlite3 shell reads the store" sqlite3_reads_it
check "no partial run in the store" no_partial_run "$DB"
check "large input generated" $PY tests/e2e/gen_store_inputs.py inputs/monteregie "$WORK/big" "$BIG_APPS"
check "application rows that fail: one message, as with one job" app_rows_failure_said_once
check "SIGKILL at $KILLS random points leaves no partial run" killed_runs_leave_no_partial_run
check "a large run leaves the store in WAL mode, no journal" large_run_back_in_wal_mode
check "two concurrent runs on one store both land" concurrent_runs_both_land

done_suite e2e_store
