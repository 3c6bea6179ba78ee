# Shared by the end-to-end scripts: sourced, not run.
# Provides check NAME COMMAND..., a scratch folder $WORK, and done_suite
# which prints "# suite: N passed, N failed".
set -u
: "${ALLIANCE:?ALLIANCE must name the binary}"
: "${TOP:?TOP must name the source tree}"
case "$ALLIANCE" in /*) ;; *) ALLIANCE="$TOP/$ALLIANCE" ;; esac
PY=/usr/bin/python3
e2e_passed=0
e2e_failed=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$TOP" || exit 1

# check NAME CMD...: CMD's exit status decides; its output is shown on failure.
check() {
    name=$1
    shift
    if out=$("$@" 2>&1); then
        e2e_passed=$((e2e_passed + 1))
        echo "ok   $name"
    else
        e2e_failed=$((e2e_failed + 1))
        echo "FAIL $name"
        printf '%s\n' "$out" | sed 's/^/  /' | head -40
    fi
}

# expect_status WANT CMD...: runs CMD, succeeds when it exits with WANT.
expect_status() {
    want=$1
    shift
    "$@" >"$WORK/last.out" 2>"$WORK/last.err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "exit status $got, expected $want"
        cat "$WORK/last.err"
        return 1
    fi
}

# stderr_has TEXT: the last expect_status's stderr contains TEXT.
stderr_has() {
    grep -qF -- "$1" "$WORK/last.err" || {
        echo "stderr lacks: $1"
        cat "$WORK/last.err"
        return 1
    }
}

done_suite() {
    echo "# $1: $e2e_passed passed, $e2e_failed failed"
    [ "$e2e_failed" -eq 0 ]
}
