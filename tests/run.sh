#!/bin/sh
# Runs every unit-test executable and every end-to-end script, then prints
# the grand total as "N passed, N failed". Each suite ends with a line
# "# suite: N passed, N failed".
# usage: tests/run.sh BUILD_DIR
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
broken=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

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
    run_suite "$(basename "$t")" "$t"
done
for t in "$top"/tests/e2e/test_*.sh; do
    [ -f "$t" ] || continue
    run_suite "$(basename "$t")" env ALLIANCE="$build/alliance" TOP="$top" sh "$t"
done

[ -z "$broken" ] || echo "failing suites:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
