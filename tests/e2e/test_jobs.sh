# End-to-end: one core or two (--jobs, ALLIANCE_THREADS), the same
# outputs and the same run store, byte for byte. On the demo (one Lua
# state: too few applications to split) and on a generated program big
# enough for two Lua states, with the rule variants that stress the merge:
# a schedule function whose labels first appear in the second half, a
# criterion drawing from math.random, rule errors in either half; the
# margins' searches shared by two threads (with caps, carry, partial).
. "$TOP/tests/e2e/lib.sh"

export SOURCE_DATE_EPOCH=1767225600
N=12000   # applications of the generated program (two states above 4096)

sql() { sqlite3 -batch "$1" "$2"; }

# dump DB: every table's rows, without the run's clock times
dump() {
    cp "$1" "$WORK/dump.db" &&
        sql "$WORK/dump.db" "UPDATE run SET started_at = '', finished_at = ''" &&
        sql "$WORK/dump.db" .dump
}

# run_both NAME INPUTS RULES: the run with one core, then with two, each
# into $WORK/NAME (a fresh folder and store, so paths and ids agree),
# kept as $WORK/NAME-1 and $WORK/NAME-2; their exit status and stderr
# into $WORK/NAME-J.status / .err.
run_both() {
    for j in 1 2; do
        rm -rf "$WORK/$1"
        if [ "$j" = 1 ]; then
            ALLIANCE_THREADS=1 "$ALLIANCE" run --inputs "$2" --rules "$3" \
                --lib rules/lib --out "$WORK/$1" --quiet 2>"$WORK/$1-$j.err"
        else
            ALLIANCE_THREADS=1 "$ALLIANCE" run --jobs 2 --inputs "$2" --rules "$3" \
                --lib rules/lib --out "$WORK/$1" --quiet 2>"$WORK/$1-$j.err"
        fi
        echo $? >"$WORK/$1-$j.status"
        rm -rf "$WORK/$1-$j"
        mv "$WORK/$1" "$WORK/$1-$j"
    done
}

# same_runs NAME: both runs succeeded, wrote the same files and the same
# run store (apart from the clock)
same_runs() {
    for j in 1 2; do
        test "$(cat "$WORK/$1-$j.status")" = 0 ||
            { echo "run $j failed:"; cat "$WORK/$1-$j.err"; return 1; }
    done
    for f in decisions.csv disbursements.csv summary.csv report.xlsx; do
        cmp "$WORK/$1-1/$f" "$WORK/$1-2/$f" || return 1
    done
    if [ -e "$WORK/$1-1/equity.csv" ] || [ -e "$WORK/$1-2/equity.csv" ]; then
        cmp "$WORK/$1-1/equity.csv" "$WORK/$1-2/equity.csv" || return 1
    fi
    dump "$WORK/$1-1/alliance.db" >"$WORK/$1-1.sql" &&
        dump "$WORK/$1-2/alliance.db" >"$WORK/$1-2.sql" &&
        test -s "$WORK/$1-1.sql" &&
        grep -q 'INSERT INTO decision' "$WORK/$1-1.sql" &&
        diff "$WORK/$1-1.sql" "$WORK/$1-2.sql" >/dev/null ||
        { echo "the run stores differ"; diff "$WORK/$1-1.sql" "$WORK/$1-2.sql" | head; return 1; }
}

demo_same() {
    run_both demo inputs/monteregie rules/monteregie.lua && same_runs demo
}

generated() {
    $PY bench/gen_apps.py "$WORK/apps" "$N" >/dev/null
}

generated_same() {
    run_both gen "$WORK/apps" rules/monteregie.lua && same_runs gen
}

# The generated workbook has parts of several deflated pieces (over
# 1 MiB of XML); Python's zipfile (zlib's inflate and its own CRC check)
# reads every part back whole.
workbook_reads_back() {
    $PY - "$WORK/gen-2/report.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
big = [i.filename for i in z.infolist() if i.file_size > 1 << 20]
bad = z.testzip()
if len(big) < 2 or bad is not None:
    sys.exit("parts over 1 MiB: %s; first bad part: %s" % (big, bad))
PY
}

# rule_variant NAME PYTHON-EXPR: rules/monteregie.lua edited by the
# expression (on s), into $WORK/NAME.lua
rule_variant() {
    $PY - "$WORK/$1.lua" "$2" <<'PY'
import sys
s = open("rules/monteregie.lua", encoding="utf-8").read()
t = eval(sys.argv[2])
assert t != s, "the edit changed nothing"
open(sys.argv[1], "w", encoding="utf-8").write(t)
PY
}

SCHEDULE_OLD='  schedule = {
    { label = "Signature", share = 50, at = 0 },
    { label = "Mi-parcours", share = 40, at = 0.5 },
    { label = "Rapport final", share = 10, at = 1 },
  },'
SCHEDULE_NEW='  schedule = function(app)
    if app.id > "BEN-0009000" then
      return { { label = "Tranche tardive", share = 30, at = 0 },
               { label = "Signature", share = 70, at = 1 } }
    end
    return { { label = "Signature", share = 50, at = 0 },
             { label = "Mi-parcours", share = 50, at = 0.5 } }
  end,'

schedule_fn_same() {
    OLD=$SCHEDULE_OLD NEW=$SCHEDULE_NEW rule_variant sched \
        's.replace(__import__("os").environ["OLD"], __import__("os").environ["NEW"])' &&
        run_both sched "$WORK/apps" "$WORK/sched.lua" && same_runs sched &&
        grep -q 'Tranche tardive' "$WORK/sched-2/disbursements.csv"
}

random_same() {
    rule_variant random 's.replace("          return 25\n", "          return 20 + math.random(0, 5)\n", 1)' &&
        run_both random "$WORK/apps" "$WORK/random.lua" && same_runs random
}

# rule_error_same NAME IDS...: a criterion raising an error on each of
# IDS; both runs fail alike, naming the first of IDS in file order.
rule_error_same() {
    name=$1 first=$2
    shift
    cond=$(printf 'app.id == "%s" or ' "$@")
    rule_variant "$name" "s.replace('      score = function(app)\n', '      score = function(app)\n        if ${cond}false then error(\"boom\") end\n', 1)" &&
        run_both "$name" "$WORK/apps" "$WORK/$name.lua" &&
        test "$(cat "$WORK/$name-1.status")" = 65 &&
        test "$(cat "$WORK/$name-2.status")" = 65 &&
        grep -q "for application $first: .*boom" "$WORK/$name-1.err" &&
        cmp "$WORK/$name-1.err" "$WORK/$name-2.err" &&
        test ! -e "$WORK/$name-2/decisions.csv"
}

# print() from both halves and while the file loads: the same lines, in
# the same order, as one state prints them.
prints_same() {
    rule_variant prints "'print(\"loading\")\n' + s.replace('      score = function(app)\n', '      score = function(app)\n        if app.id == \"BEN-0000100\" or app.id == \"BEN-0009500\" or app.id == \"BEN-0011000\" then print(\"seen\", app.id) end\n', 1)" &&
        run_both prints "$WORK/apps" "$WORK/prints.lua" && same_runs prints &&
        test "$(cat "$WORK/prints-1.err")" = "rules: loading
rules: seen	BEN-0000100
rules: seen	BEN-0009500
rules: seen	BEN-0011000" &&
        cmp "$WORK/prints-1.err" "$WORK/prints-2.err"
}

# The margins (robust_par.c) on two threads when a sub-region has a few
# thousand candidates, as the generated program's do; also with the caps,
# carried money and partial grants, which the searches decide otherwise.
caps_same() {
    rule_variant caps 's.replace("allocate = { method = \"greedy\", on_overflow = \"skip\" }", "allocate = { method = \"greedy\", on_overflow = \"partial\", min_partial_share = 0.5, leftover = \"carry\", max_grant = 150000, max_per_organisation = 1500000 }")' &&
        run_both caps "$WORK/apps" "$WORK/caps.lua" && same_runs caps &&
        grep -q partially_funded "$WORK/caps-2/decisions.csv"
}

# ALLIANCE_THREADS=1 and --jobs 1 give one Lua state and no threads:
# the stage line says whether the outputs were written side by side, and
# whether the workbook's sheets were written by two threads (the runs of
# generated_same compared those bytes with the one-thread ones).
threads_env() {
    ALLIANCE_THREADS=1 "$ALLIANCE" run --inputs "$WORK/apps" --rules rules/monteregie.lua \
        --out "$WORK/env1" --no-db -v 2>"$WORK/env1.err" >/dev/null &&
        ! grep -q 'side by side' "$WORK/env1.err" &&
        ! grep -q 'sheets on 2 threads' "$WORK/env1.err" &&
        ALLIANCE_THREADS=2 "$ALLIANCE" run --inputs "$WORK/apps" --rules rules/monteregie.lua \
            --out "$WORK/env2" --no-db -v 2>"$WORK/env2.err" >/dev/null &&
        grep -q 'side by side' "$WORK/env2.err" &&
        ! grep -q 'margins on two threads' "$WORK/env1.err" &&
        grep -q 'robustness .* margins on two threads' "$WORK/env2.err" &&
        grep -q 'report.xlsx .*sheets on 2 threads' "$WORK/env2.err" &&
        cmp "$WORK/env1/report.xlsx" "$WORK/env2/report.xlsx" &&
        expect_status 64 "$ALLIANCE" run --jobs 0 --inputs x --rules y --out z &&
        stderr_has '--jobs must be 1 to 64'
}

# Every two-thread path is taken on the generated program with two jobs,
# and none with one (-v says which): so the suites that compare the two,
# and make tsan which runs them, keep covering each path.
TWO_THREAD_LINES='read in two halves
two Lua states
margins on two threads
run store opened while the rules ran
beside the allocation
sheets on 2 threads
parts deflated on 2 threads
sheets were written
side by side'
paths_taken() {
    for j in 1 2; do
        rm -rf "$WORK/paths$j"
        "$ALLIANCE" run --jobs $j -v --inputs "$WORK/apps" --rules rules/monteregie.lua \
            --lib rules/lib --out "$WORK/paths$j" >/dev/null 2>"$WORK/paths$j.err" || return 1
    done
    echo "$TWO_THREAD_LINES" | while IFS= read -r line; do
        grep -qF "$line" "$WORK/paths2.err" || { echo "two jobs: no '$line'"; exit 1; }
        ! grep -qF "$line" "$WORK/paths1.err" || { echo "one job: '$line'"; exit 1; }
    done
}

check "demo: one core and two give the same outputs and run store" demo_same
check "a generated program of $N applications" generated
check "generated: one core and two (two Lua states) agree" generated_same
check "generated: the workbook's multi-piece parts read back whole" workbook_reads_back
check "generated, two jobs: every two-thread path taken; one job: none" paths_taken
check "a schedule function's labels merge as one state numbers them" schedule_fn_same
check "math.random in a criterion: still the one-state results" random_same
check "a rule error in the second half: the same message" rule_error_same err2 BEN-0009001 BEN-0011000
check "rule errors in both halves: the first in file order" rule_error_same err12 BEN-0000500 BEN-0009001
check "print() in the rules: the same lines in the same order" prints_same
check "margins with caps, carry and partial grants: one core and two agree" caps_same
check "ALLIANCE_THREADS=1 keeps one core; --jobs is checked" threads_env
done_suite e2e_jobs
