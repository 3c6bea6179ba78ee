# End-to-end: the alliance binary on the shipped examples and on failures.
. "$TOP/tests/e2e/lib.sh"

# Decisions per status on the shipped examples; a change here is a change
# in policy or data and must be deliberate.
MONTEREGIE_COUNTS="funded=63 partially_funded=0 waitlisted=38 below_threshold=29 ineligible=20"
LANAUDIERE_COUNTS="funded=49 partially_funded=0 waitlisted=33 below_threshold=21 ineligible=17"

run_example() { # region [out]
    "$ALLIANCE" run --inputs "inputs/$1" --rules "rules/$1.lua" \
        --out "${2:-$WORK/$1}" --quiet
}

help_and_version() {
    "$ALLIANCE" --help | grep -q 'usage: alliance COMMAND' &&
        "$ALLIANCE" run --help | grep -q -- '--inputs DIR' &&
        "$ALLIANCE" help run | grep -q -- '--rules FILE' &&
        "$ALLIANCE" --version | grep -Eq '^alliance [0-9]+\.[0-9]+\.[0-9]+$'
}

usage_errors() {
    expect_status 64 "$ALLIANCE" &&
        expect_status 64 "$ALLIANCE" frobnicate &&
        expect_status 64 "$ALLIANCE" run --inputs x &&
        stderr_has 'run needs --inputs, --rules and --out' &&
        expect_status 64 "$ALLIANCE" run --bogus
}

identical_outputs() {
    run_example monteregie "$WORK/again" &&
        for f in decisions.csv disbursements.csv summary.csv; do
            cmp "$WORK/monteregie/$f" "$WORK/again/$f" || return 1
        done
}

demo_summary() {
    "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$WORK/talk" >"$WORK/talk.txt" 2>"$WORK/talk.err" &&
        grep -q 'applications: 150 read, 130 eligible' "$WORK/talk.txt" &&
        grep -q 'decisions: 63 funded' "$WORK/talk.txt" &&
        grep -q 'Agglomération de Longueuil' "$WORK/talk.txt" &&
        grep -q '4 100 000,00 \$' "$WORK/talk.txt" &&
        grep -qF "outputs: $WORK/talk/decisions.csv" "$WORK/talk.txt"
}

# One fiscal year says "1 fiscal year"; --no-report lists no workbook.
messages_agree() {
    mkdir -p "$WORK/oneyear" && cp inputs/monteregie/*.csv "$WORK/oneyear/" &&
        printf 'fiscal_year,amount\n2024-2025,11800000.00\n' \
            >"$WORK/oneyear/envelopes.csv" &&
        "$ALLIANCE" run --inputs "$WORK/oneyear" --rules rules/monteregie.lua \
            --out "$WORK/oneyear-out" --no-report >"$WORK/oneyear.txt" \
            2>"$WORK/oneyear.err" &&
        grep -q ' 150 applications, 4 sub-regions, 1 fiscal year$' "$WORK/oneyear.err" &&
        grep -qF "outputs: $WORK/oneyear-out/decisions.csv, disbursements.csv, summary.csv" \
            "$WORK/oneyear.txt" &&
        ! grep -q 'report.xlsx' "$WORK/oneyear.txt" &&
        test ! -e "$WORK/oneyear-out/report.xlsx" &&
        grep -q ' 5 fiscal years$' "$WORK/talk.err" &&
        grep -q ', report.xlsx$' "$WORK/talk.txt"
}

rule_error() {
    # partenariat: the criterion evaluations.csv grades
    printf 'return { checks = { { id = "x", label = "x", test = function(app) return app.nope.x end } },
  criteria = { { id = "partenariat", label = "p", max = 100, score = function() return 0 end } } }\n' \
        >"$WORK/broken.lua"
    expect_status 65 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules "$WORK/broken.lua" --out "$WORK/monteregie" &&
        stderr_has "broken.lua:1: in check 'x' for application" &&
        stderr_has 'nothing was written'
}

outputs_intact() {
    # the run store (alliance.db) records the failed run: not an output
    diff -r -x 'alliance.db*' "$WORK/before" "$WORK/monteregie" &&
        ! ls -A "$WORK/monteregie" | grep -q tmp
}

missing_inputs() {
    expect_status 65 "$ALLIANCE" run --inputs "$WORK/nowhere" \
        --rules rules/monteregie.lua --out "$WORK/x" &&
        stderr_has 'applications.csv' && test ! -e "$WORK/x/decisions.csv"
}

unwritable_output() {
    : >"$WORK/afile"
    expect_status 73 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/afile/sub"
}

under_valgrind() {
    command -v valgrind >/dev/null || { echo "valgrind is not installed"; return 1; }
    valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect,possible \
        "$ALLIANCE" run --inputs inputs/lanaudiere --rules rules/lanaudiere.lua \
        --out "$WORK/valgrind" --quiet
}

# make install into a scratch prefix; a rule file with no lib/ beside it
# finds the installed shared library.
installed() {
    make -s -C "$TOP" install PREFIX="$WORK/prefix" BUILD="$WORK/build" \
        CFLAGS="-O0" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; return 1; }
    test -f "$WORK/prefix/share/man/man1/alliance.1" &&
        test -f "$WORK/prefix/share/alliance/rules/lib/alliance.lua" &&
        mkdir -p "$WORK/lone" && cp rules/monteregie.lua "$WORK/lone/" &&
        "$WORK/prefix/bin/alliance" run --inputs inputs/monteregie \
            --rules "$WORK/lone/monteregie.lua" --out "$WORK/installed" --quiet &&
        cmp "$WORK/installed/decisions.csv" "$WORK/monteregie/decisions.csv"
}

# The rule's own allocate function: 80 % of each request while every
# fiscal year has room (a 1 $ margin covers instalment rounding).
custom_allocate() {
    sed 's/^  allocate = { method = "greedy", on_overflow = "skip" },$/  allocate = ALLOCATE,/' \
        rules/monteregie.lua >"$WORK/custom.lua" &&
        cat >"$WORK/custom_head.lua" <<'LUA'
local ALLOCATE = function(candidates, envelope, ctx)
  local left, grants = {}, {}
  for fy, v in pairs(envelope.left) do left[fy] = v end
  for _, c in ipairs(candidates) do
    local g, fits = math.floor(c.requested_cents * 0.8) / 100, true
    for fy, share in pairs(c.years) do
      if g * share > left[fy] - 1 then fits = false end
    end
    if fits then
      for fy, share in pairs(c.years) do left[fy] = left[fy] - g * share end
      grants[c.id] = g
    end
  end
  return grants
end
LUA
    cat "$WORK/custom_head.lua" "$WORK/custom.lua" >"$WORK/custom_allocate.lua" &&
        grep -q "allocate = ALLOCATE" "$WORK/custom_allocate.lua" &&
        "$ALLIANCE" run --inputs inputs/monteregie --rules "$WORK/custom_allocate.lua" \
            --lib rules/lib --out "$WORK/custom" --quiet &&
        $PY tests/e2e/check_outputs.py inputs/monteregie "$WORK/custom" \
            funded=0 ineligible=20 &&
        grep -q ',partially_funded,' "$WORK/custom/decisions.csv"
}

# An allocate function granting more than is left is refused, not clamped.
greedy_allocate_refused() {
    sed 's/^  allocate = { method = "greedy", on_overflow = "skip" },$/  allocate = function(c) local g = {} for _, x in ipairs(c) do g[x.id] = x.requested end return g end,/' \
        rules/monteregie.lua >"$WORK/greedy_all.lua" &&
        expect_status 65 "$ALLIANCE" run --inputs inputs/monteregie \
            --rules "$WORK/greedy_all.lua" --lib rules/lib --out "$WORK/greedy_all" &&
        stderr_has "greedy_all.lua: allocate() for Ouest de la Montérégie: application" &&
        stderr_has "does not fit what is left in" &&
        test ! -e "$WORK/greedy_all/decisions.csv"
}

check "help and version" help_and_version
check "usage errors exit 64" usage_errors
check "monteregie runs" run_example monteregie
# shellcheck disable=SC2086
check "monteregie invariants and counts" $PY tests/e2e/check_outputs.py \
    inputs/monteregie "$WORK/monteregie" $MONTEREGIE_COUNTS
check "lanaudiere runs" run_example lanaudiere
# shellcheck disable=SC2086
check "lanaudiere invariants and counts" $PY tests/e2e/check_outputs.py \
    inputs/lanaudiere "$WORK/lanaudiere" $LANAUDIERE_COUNTS
# valgrind cannot run a binary built with AddressSanitizer (make asan)
[ -n "${ALLIANCE_SANITIZED:-}" ] ||
    check "a run under valgrind: no error, no leak" under_valgrind
check "make install: binary, man page, shared library found" installed
check "the rule's allocate function decides, the core checks" custom_allocate
check "an allocate function overspending is refused" greedy_allocate_refused
check "same inputs give byte-identical outputs" identical_outputs
check "run prints a summary naming sub-regions and outputs" demo_summary
cp -r "$WORK/monteregie" "$WORK/before"
check "one fiscal year, --no-report: the messages say so" messages_agree
check "rule error exits 65 naming file, check and application" rule_error
check "failed run leaves earlier outputs intact" outputs_intact
check "missing input folder exits 65" missing_inputs
check "unwritable output exits 73" unwritable_output

done_suite e2e_run
