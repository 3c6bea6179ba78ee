# End-to-end: the input contract (README "Inputs") through the real binary.
#   - every case of tests/data/corpus (see its README.md) is refused with
#     status 65, exactly the messages of its expected.txt, nothing written;
#   - the corpus baseline and the Excel export of the Montérégie example
#     are accepted, the export giving byte-identical outputs;
#   - the same with two threads, every applications.csv of the corpus cut
#     in two (ALLIANCE_CSV_SPLIT_MIN=1), and a generated applications.csv
#     big enough to be cut by default, with errors in both halves, gives
#     the one-thread messages.
. "$TOP/tests/e2e/lib.sh"

CORPUS=tests/data/corpus
RULES=$CORPUS/rules.lua
JOBS=1   # --jobs of the runs of refused

# refused NAME DIR: DIR (the case's folder, or a copy) is refused as
# $CORPUS/NAME/expected.txt says, and no output appears.
refused() {
    out="$WORK/out-$1"
    expect_status 65 "$ALLIANCE" run --jobs "$JOBS" --inputs "$2" \
        --rules "$RULES" --out "$out" || return 1
    # the messages, without the command's closing "alliance: ..." line
    grep -v '^alliance: ' "$WORK/last.err" >"$WORK/messages.txt"
    diff -u "$CORPUS/$1/expected.txt" "$WORK/messages.txt" || return 1
    grep -q '^alliance: run failed' "$WORK/last.err" || {
        echo "no closing 'alliance: run failed' line"
        return 1
    }
    # the run store (alliance.db) records the failed run: not an output
    if [ -e "$out" ] && [ -n "$(ls -A "$out" | grep -v '^alliance\.db')" ]; then
        echo "files were written:"
        ls -A "$out"
        return 1
    fi
}

# The 10 MB cell is written here rather than committed.
field_10mb() {
    mkdir -p "$WORK/field_10mb" &&
        cp "$CORPUS/field_10mb/envelopes.csv" "$CORPUS/field_10mb/split.csv" \
            "$WORK/field_10mb/" &&
        {
            printf 'id,organisation,subregion,requested,total_cost,title,start,months\n'
            printf 'A-001,Maison des jeunes,Acton,10000.00,20000.00,'
            head -c 10485760 /dev/zero | tr '\0' x
            printf ',2024-06-01,12\n'
        } >"$WORK/field_10mb/applications.csv" &&
        refused field_10mb "$WORK/field_10mb"
}

accepted() {
    "$ALLIANCE" run --inputs "$CORPUS/valid" --rules "$RULES" \
        --out "$WORK/valid" --quiet &&
        test -s "$WORK/valid/decisions.csv"
}

# The example exported from a French-Canadian Excel (';', decimal comma,
# "12 345,67 $" with U+00A0 or U+202F, BOM, CRLF, French headers) decides
# exactly like the plain one.
excel_export_identical() {
    grep -q "$(printf '\302\240\\$')" inputs/monteregie-excel/applications.csv &&
        grep -q "$(printf '\342\200\257')" inputs/monteregie-excel/applications.csv || {
        echo "the export lacks U+00A0 or U+202F"
        return 1
    }
    for f in plain excel; do
        dir=inputs/monteregie
        [ "$f" = excel ] && dir=inputs/monteregie-excel
        "$ALLIANCE" run --inputs "$dir" --rules rules/monteregie.lua \
            --out "$WORK/mon-$f" --quiet || return 1
    done
    for f in decisions.csv disbursements.csv summary.csv equity.csv; do
        cmp "$WORK/mon-plain/$f" "$WORK/mon-excel/$f" || return 1
    done
}

check "corpus baseline (with evaluations and overrides) is accepted" accepted
for dir in "$CORPUS"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/expected.txt" ] || continue
    if [ "$name" = field_10mb ]; then
        check "refused: $name" field_10mb
    else
        check "refused: $name" refused "$name" "$CORPUS/$name"
    fi
done
check "Excel export of monteregie gives identical outputs" excel_export_identical

# The corpus again on two threads, every file cut in two however small.
JOBS=2
export ALLIANCE_CSV_SPLIT_MIN=1
for dir in "$CORPUS"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/expected.txt" ] || continue
    [ "$name" = field_10mb ] && continue # one row: nothing to cut
    check "refused on two threads: $name" refused "$name" "$CORPUS/$name"
done
unset ALLIANCE_CSV_SPLIT_MIN

# big_errors NAME EDITS: 12 000 generated applications (2.8 MB, above
# the 2 MiB from which applications.csv is read in two halves) edited by
# the Python statements EDITS (on rows, the lines of the file): one
# thread and two refuse them with the same messages.
big_errors() {
    big=$WORK/big-$1
    $PY bench/gen_apps.py "$big" 12000 >/dev/null &&
        $PY - "$big/applications.csv" "$2" <<'PY' || return 1
import sys
path = sys.argv[1]
rows = open(path, encoding="utf-8").read().split("\n")
exec(sys.argv[2])
open(path, "w", encoding="utf-8").write("\n".join(rows))
PY
    for j in 1 2; do
        rm -rf "$WORK/bo-$1" # the same path in both messages
        expect_status 65 "$ALLIANCE" run --jobs $j --inputs "$big" \
            --rules rules/monteregie.lua --lib rules/lib --out "$WORK/bo-$1" \
            || return 1
        cp "$WORK/last.err" "$WORK/big-$1-$j.err"
    done
    diff -u "$WORK/big-$1-1.err" "$WORK/big-$1-2.err" || return 1
    test "$(grep -c 'applications.csv:' "$WORK/big-$1-1.err")" -ge 3 || {
        echo "the edits made too few errors:"
        cat "$WORK/big-$1-1.err"
        return 1
    }
}

# a row's cells: the id first, requested the 8th (bench/gen_apps.py)
EDIT_CELL='
def cell(i, k, v):
    c = rows[i].split(",")
    c[k] = v
    rows[i] = ",".join(c)
'
check "big file, errors in both halves, two threads" big_errors data "$EDIT_CELL
cell(1000, 7, 'abc'); cell(7000, 0, rows[500].split(',')[0])
cell(11000, 7, '-3'); cell(11500, 0, rows[500].split(',')[0])
cell(11800, 0, rows[7000].split(',')[0])"
check "big file, structural error in the second half, two threads" \
    big_errors structural "$EDIT_CELL
cell(2000, 7, 'abc'); cell(9000, 0, rows[100].split(',')[0])
rows[10000] = rows[10000].replace(',', ',x\"y', 1); cell(11000, 7, '-3')"
check "big file, structural error in the first half, two threads" \
    big_errors first "$EDIT_CELL
cell(1000, 7, 'abc'); cell(2000, 7, 'abc'); rows[3000] += '\"'
cell(9000, 7, 'abc'); cell(11000, 7, '-3')"

done_suite e2e_inputs
