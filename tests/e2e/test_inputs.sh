# End-to-end: the input contract (README "Inputs") through the real binary.
#   - every case of tests/data/corpus (see its README.md) is refused with
#     status 65, exactly the messages of its expected.txt, nothing written;
#   - the corpus baseline and the Excel export of the Montérégie example
#     are accepted, the export giving byte-identical outputs.
. "$TOP/tests/e2e/lib.sh"

CORPUS=tests/data/corpus
RULES=$CORPUS/rules.lua

# refused NAME DIR: DIR (the case's folder, or a copy) is refused as
# $CORPUS/NAME/expected.txt says, and no output appears.
refused() {
    out="$WORK/out-$1"
    expect_status 65 "$ALLIANCE" run --inputs "$2" --rules "$RULES" \
        --out "$out" || return 1
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

done_suite e2e_inputs
