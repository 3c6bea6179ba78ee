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

# same_selection INSTANCE.pb [alliance run options]: converted by
# tools/pabulib.py, the instance funds exactly the projects its city
# selected (expected.txt). test_pabulib.sh and test_equal_shares.sh.
same_selection() {
    instance=$1
    shift
    d="$WORK/$(basename "$instance" .pb)"
    $PY tools/pabulib.py "$instance" "$d" &&
        "$ALLIANCE" run --inputs "$d" --rules "$d/rules.lua" --out "$d/out" \
            --quiet "$@" &&
        $PY - "$d" <<'PYEOF'
import csv, sys
d = sys.argv[1]
got = sorted(r["id"] for r in csv.DictReader(open(f"{d}/out/decisions.csv"))
             if r["status"] == "funded")
want = sorted(open(f"{d}/expected.txt").read().split())
if got != want:
    print("alliance funded", got)
    print("the city funded", want)
    sys.exit(1)
PYEOF
}

done_suite() {
    echo "# $1: $e2e_passed passed, $e2e_failed failed"
    [ "$e2e_failed" -eq 0 ]
}
