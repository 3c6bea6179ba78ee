#!/bin/sh
# Runs every unit-test executable and every end-to-end script, then prints
# the grand total as "N passed, N failed". Each suite ends with a line
# "# suite: N passed, N failed". With SUITE names (a unit test's, as
# test_par, or an end-to-end script's, as test_jobs.sh), only those run
# (make tsan).
# usage: tests/run.sh BUILD_DIR [SUITE...]
set -u
build=${1:-build}
[ $# -gt 0 ] && shift
only=" $* "
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# wanted NAME: no SUITE was named, or NAME was
wanted() {
    [ "$only" = "  " ] && return 0
    case "$only" in *" $1 "*) return 0 ;; esac
    return 1
}

run_suite() {
    name=$1
    shift
    "$@" >"$log" 2>&1
    status=$?
    cat "$log"
    summary=$(grep -E '^# .*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        # a suite that crashed or printed no summary counts as one failure
        echo "FAIL $name: no summary (exit status $status)"
        failed=$((failed + 1))
        broken="$broken $name"
        return
    fi
    p=$(echo "$summary" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/')
    f=$(echo "$summary" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/')
    if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then
        echo "FAIL $name: exit status $status"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -eq 0 ] || broken="$broken $name"
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    wanted "$(basename "$t")" || continue
    run_suite "$(basename "$t")" "$t"
done
for t in "$top"/tests/e2e/test_*.sh; do
    [ -f "$t" ] || continue
    wanted "$(basename "$t")" || continue
    run_suite "$(basename "$t")" env ALLIANCE="$build/alliance" TOP="$top" sh "$t"
done

# a SUITE named that is not there is a failure, not a silent skip
for name in $only; do
    [ -x "$build/tests/$name" ] || [ -f "$top/tests/e2e/$name" ] || {
        echo "FAIL $name: no such suite"
        failed=$((failed + 1))
        broken="$broken $name"
    }
done

[ -z "$broken" ] || echo "failing suites:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
