# End-to-end: alliance batch, the output-folder lock, dry runs and the
# stage log on stderr.
. "$TOP/tests/e2e/lib.sh"

write_config() { # file, then "name inputs-region out" triples
    f=$1
    shift
    echo "return {" >"$f"
    while [ $# -gt 0 ]; do
        printf '  { name = "%s", inputs = "%s/inputs/%s", rules = "%s/rules/%s.lua", out = "%s" },\n' \
            "$1" "$TOP" "$2" "$TOP" "$2" "$3" >>"$f"
        shift 3
    done
    echo "}" >>"$f"
}

batch_all_ok() {
    write_config "$WORK/ok.lua" monteregie monteregie out/m lanaudiere lanaudiere out/l &&
        "$ALLIANCE" batch "$WORK/ok.lua" --jobs 2 2>"$WORK/ok.err" &&
        grep -q '^alliance batch: monteregie ok (exit 0)' "$WORK/ok.err" &&
        grep -q '^alliance batch: lanaudiere ok (exit 0)' "$WORK/ok.err" &&
        test -f "$WORK/out/m/decisions.csv" && test -f "$WORK/out/l/report.xlsx" &&
        $PY tests/e2e/check_outputs.py inputs/lanaudiere "$WORK/out/l"
}

batch_one_failure() {
    write_config "$WORK/mixed.lua" good monteregie out/g bad nowhere out/b \
        other lanaudiere out/o &&
        expect_status 65 "$ALLIANCE" batch "$WORK/mixed.lua" --jobs 2 &&
        stderr_has 'alliance batch: bad failed (exit 65)' &&
        stderr_has 'alliance batch: good ok (exit 0)' &&
        stderr_has 'alliance batch: other ok (exit 0)' &&
        test -f "$WORK/out/o/decisions.csv" && test ! -e "$WORK/out/b/decisions.csv"
}

batch_bad_config() {
    printf 'return { { name = "x", inputs = "a", out = "b", colour = "red" } }\n' \
        >"$WORK/bad.lua"
    expect_status 65 "$ALLIANCE" batch "$WORK/bad.lua" &&
        stderr_has "bad.lua: program 1: unknown key 'colour'" &&
        stderr_has "bad.lua: program 1 (x): missing 'rules'" &&
        stderr_has 'no program was run' &&
        expect_status 64 "$ALLIANCE" batch &&
        expect_status 64 "$ALLIANCE" batch "$WORK/bad.lua" --jobs 0
}

dry_runs_write_nothing() {
    write_config "$WORK/dry.lua" m monteregie out/dry &&
        "$ALLIANCE" batch "$WORK/dry.lua" --dry-run -q &&
        test ! -e "$WORK/out/dry" &&
        "$ALLIANCE" run --dry-run --inputs inputs/monteregie \
            --rules rules/monteregie.lua --out "$WORK/dry2" >"$WORK/dry.out" &&
        grep -q 'dry run: everything checked, nothing written' "$WORK/dry.out" &&
        test ! -e "$WORK/dry2" &&
        expect_status 65 "$ALLIANCE" run --dry-run --inputs "$WORK/nowhere" \
            --rules rules/monteregie.lua --out "$WORK/dry3" &&
        test ! -e "$WORK/dry3"
}

locked_folder_exits_75() {
    mkdir -p "$WORK/locked" && : >"$WORK/locked/.alliance.lock" &&
        flock "$WORK/locked/.alliance.lock" sh -c "
            '$ALLIANCE' run --inputs inputs/monteregie --rules rules/monteregie.lua \
                --out '$WORK/locked' >/dev/null 2>'$WORK/locked.err'
            echo \$? >'$WORK/locked.rc'" &&
        test "$(cat "$WORK/locked.rc")" = 75 &&
        grep -q 'is being written by another run' "$WORK/locked.err" &&
        test ! -e "$WORK/locked/decisions.csv" &&
        "$ALLIANCE" run -q --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/locked"
}

stage_log() {
    "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/log" >/dev/null 2>"$WORK/log.err" &&
        for stage in load rules allocate schedule equity write total; do
            grep -Eq "^alliance: $stage +[0-9]+\.[0-9]{3} s" "$WORK/log.err" || {
                echo "no $stage line"; cat "$WORK/log.err"; return 1; }
        done &&
        grep -Eq '^alliance: total .* cpu [0-9]+\.[0-9]{2} s user \+ [0-9]+\.[0-9]{2} s system  peak memory [0-9.]+ MiB$' \
            "$WORK/log.err" &&
        ! grep -q "$(printf '\033')" "$WORK/log.err" &&
        "$ALLIANCE" run -q --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/log" >"$WORK/quiet.out" 2>"$WORK/quiet.err" &&
        test ! -s "$WORK/quiet.out" && test ! -s "$WORK/quiet.err" &&
        ! grep -q '(peak ' "$WORK/log.err" &&
        "$ALLIANCE" run -v --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/log" 2>"$WORK/verbose.err" >/dev/null &&
        grep -q '^alliance:   Agglomération de Longueuil: .* granted of 4 100 000,00 \$' \
            "$WORK/verbose.err" &&
        test "$(grep -Ec '^alliance: [a-z]+ +[0-9.]+ s .*\(peak [0-9]+\.[0-9] MiB\)$' \
            "$WORK/verbose.err")" -eq 6
}

check "batch: every program ok, in parallel" batch_all_ok
check "batch: one failure does not stop the others" batch_one_failure
check "batch: a bad configuration is refused whole" batch_bad_config
check "dry runs write nothing" dry_runs_write_nothing
check "a locked output folder exits 75, then the next run succeeds" locked_folder_exits_75
check "stage log on stderr, quiet and verbose" stage_log

done_suite e2e_batch
