# End-to-end: the committee workbook (report.xlsx), read back with openpyxl
# (tests/e2e/check_report.py) against the CSV files of the same run.
. "$TOP/tests/e2e/lib.sh"

EPOCH=1767225600 # 2026-01-01T00:00:00Z

report_run() { # region out [options...]
    region=$1
    out=$2
    shift 2
    SOURCE_DATE_EPOCH=$EPOCH "$ALLIANCE" run --inputs "inputs/$region" \
        --rules "rules/$region.lua" --out "$out" --quiet "$@"
}

checked() { # region out [check_report.py options...]
    region=$1
    out=$2
    shift 2
    report_run "$region" "$out" &&
        $PY tests/e2e/check_report.py "$out" "inputs/$region" "rules/$region.lua" \
            --epoch "$EPOCH" "$@"
}

english() {
    report_run lanaudiere "$WORK/en" --lang en &&
        $PY tests/e2e/check_report.py "$WORK/en" inputs/lanaudiere \
            rules/lanaudiere.lua --epoch "$EPOCH" --lang en
}

# Same inputs, rules and clock into other folders: the same bytes, and a
# later run (the zip entries keep two-second steps) changes nothing.
byte_identical() {
    sleep 2
    report_run monteregie "$WORK/again" &&
        cmp "$WORK/monteregie/report.xlsx" "$WORK/again/report.xlsx" &&
        TZ=America/Toronto report_run lanaudiere "$WORK/lanaudiere-toronto" &&
        cmp "$WORK/lanaudiere/report.xlsx" "$WORK/lanaudiere-toronto/report.xlsx"
}

# Another clock is another document.
clock_matters() {
    SOURCE_DATE_EPOCH=1767312000 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/later" --quiet &&
        ! cmp -s "$WORK/monteregie/report.xlsx" "$WORK/later/report.xlsx"
}

# --as-of sets the clock when SOURCE_DATE_EPOCH is not set; it wins over
# the current time, SOURCE_DATE_EPOCH over it.
as_of() {
    env -u SOURCE_DATE_EPOCH "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/asof" --quiet --as-of 2025-06-01 &&
        $PY tests/e2e/check_report.py "$WORK/asof" inputs/monteregie \
            rules/monteregie.lua --epoch 1748736000 &&
        report_run monteregie "$WORK/asof-sde" --as-of 2025-06-01 &&
        cmp "$WORK/monteregie/report.xlsx" "$WORK/asof-sde/report.xlsx"
}

bad_options() {
    expect_status 64 "$ALLIANCE" run --inputs inputs/monteregie \
        --rules rules/monteregie.lua --out "$WORK/x" --lang de &&
        stderr_has '--lang must be fr or en' &&
        expect_status 64 env -u SOURCE_DATE_EPOCH "$ALLIANCE" run \
            --inputs inputs/monteregie --rules rules/monteregie.lua \
            --out "$WORK/x" --as-of 2025-02-30 &&
        stderr_has '--as-of 2025-02-30' &&
        expect_status 64 env SOURCE_DATE_EPOCH=soon "$ALLIANCE" run \
            --inputs inputs/monteregie --rules rules/monteregie.lua --out "$WORK/x" &&
        stderr_has 'SOURCE_DATE_EPOCH=soon' && test ! -e "$WORK/x"
}

# Organisation names that spreadsheets would run as formulas come back as
# the same text; sub-region names Excel refuses as sheet names are cleaned.
hostile_text() {
    mkdir -p "$WORK/hostile" &&
        sed -e '2s/,Ville de Saint-Lambert,/,"=HYPERLINK(""http:\/\/x"",""y"")",/' \
            -e '3s/,[^,]*,/,+1+2,/' -e '4s/,[^,]*,/,@SUM(A1),/' \
            inputs/monteregie/applications.csv >"$WORK/hostile/applications.csv" &&
        cp inputs/monteregie/envelopes.csv inputs/monteregie/split.csv "$WORK/hostile/" &&
        ids=$(sed -n '2,4s/,.*//p' "$WORK/hostile/applications.csv") &&
        set -- $ids &&
        SOURCE_DATE_EPOCH=$EPOCH "$ALLIANCE" run --inputs "$WORK/hostile" \
            --rules rules/monteregie.lua --out "$WORK/hostile-out" --quiet &&
        $PY tests/e2e/check_report.py "$WORK/hostile-out" "$WORK/hostile" \
            rules/monteregie.lua --epoch "$EPOCH" \
            --text "$1==HYPERLINK(\"http://x\",\"y\")" --text "$2=+1+2" \
            --text "$3=@SUM(A1)"
}

# Committee overrides: a below-threshold project funded from the reserve
# (its instalments under the reserve in Versements, its grant on its
# sub-region's sheet) and a refusal whose justification looks like a
# formula (it stays text).
overrides() {
    mkdir -p "$WORK/ov" &&
        cp inputs/monteregie/*.csv "$WORK/ov/" &&
        below=$(grep -m1 ',below_threshold,' "$WORK/monteregie/decisions.csv" | cut -d, -f2) &&
        funded=$(grep -m1 ',funded,' "$WORK/monteregie/decisions.csv" | cut -d, -f2) &&
        printf '%s\n' 'application,decision,amount,justification,from_reserve' \
            "$below,fund,,Résolution CA-2025-17,oui" \
            "$funded,refuse,,\"=cmd|'/C calc'!A0\",non" >"$WORK/ov/overrides.csv" &&
        SOURCE_DATE_EPOCH=$EPOCH "$ALLIANCE" run --inputs "$WORK/ov" \
            --rules rules/monteregie.lua --out "$WORK/ov-out" --quiet &&
        test "$(grep -c ',overridden,' "$WORK/ov-out/decisions.csv")" -eq 2 &&
        $PY tests/e2e/check_report.py "$WORK/ov-out" "$WORK/ov" rules/monteregie.lua \
            --epoch "$EPOCH" --text "$funded==cmd|'/C calc'!A0"
}

# A folder where report.xlsx goes: exit 73, and neither the workbook nor
# the CSV files of the earlier run are replaced.
report_in_the_way() {
    cp -r "$WORK/monteregie" "$WORK/blocked" &&
        rm "$WORK/blocked/report.xlsx" && mkdir "$WORK/blocked/report.xlsx" &&
        cp -r "$WORK/blocked" "$WORK/blocked-before" &&
        expect_status 73 env SOURCE_DATE_EPOCH=$EPOCH "$ALLIANCE" run \
            --inputs inputs/lanaudiere --rules rules/lanaudiere.lua \
            --out "$WORK/blocked" &&
        stderr_has 'report.xlsx: not a file' &&
        for f in decisions.csv disbursements.csv summary.csv; do
            cmp "$WORK/blocked-before/$f" "$WORK/blocked/$f" || return 1
        done &&
        test -d "$WORK/blocked/report.xlsx" &&
        ! ls -A "$WORK/blocked" | grep -q tmp
}

# libxlsxwriter writes each part to a temporary file, then copies it into
# the zip, unchecked: a full /tmp or a file size limit once gave a
# "successful" report.xlsx with a sheet cut short. Under every file size
# limit between the largest output file and the largest part of the
# workbook, a run either writes the very same workbook or exits 74 and
# writes nothing; both of the engine's checks (the sheet's rows, then its
# copy into the zip) are seen to fire. The sheets are written by two
# threads (--jobs 2, engine/report_par.c): each failure is also run on
# one (--jobs 1), which must fail with the very same message.
temp_file_limits() {
    report_run monteregie "$WORK/limit-ref" --no-db || return 1
    ref="$WORK/limit-ref/report.xlsx"
    part=$($PY -c 'import sys, zipfile
print(max(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$ref") &&
        biggest=$(wc -c "$WORK/limit-ref/"*.csv "$ref" | sort -n | tail -n 2 | head -n 1 |
            awk '{ print $1 }') || return 1
    [ "$part" -gt "$((biggest + 2048))" ] || { echo "no room: $biggest vs $part"; return 1; }
    seen_rows=0 seen_copy=0 blocks=$((biggest / 512 + 2))
    while [ "$blocks" -le $((part / 512 + 2)) ]; do
        out="$WORK/limit-$blocks"
        (trap '' XFSZ; ulimit -f "$blocks"; report_run monteregie "$out" --no-db --jobs 2) \
            2>"$WORK/limit.err"
        st=$?
        if [ "$st" -eq 0 ]; then
            cmp -s "$ref" "$out/report.xlsx" || { echo "limit $blocks: other bytes"; return 1; }
        else
            [ "$st" -eq 74 ] && test ! -e "$out/report.xlsx" &&
                test ! -e "$out/decisions.csv" ||
                { echo "limit $blocks: exit $st"; cat "$WORK/limit.err"; return 1; }
            rm -rf "$out"
            (trap '' XFSZ; ulimit -f "$blocks"; report_run monteregie "$out" --no-db --jobs 1) \
                2>"$WORK/limit-1.err"
            sed 's/tmp-[0-9]*/tmp-PID/' "$WORK/limit.err" >"$WORK/limit-2.msg"
            sed 's/tmp-[0-9]*/tmp-PID/' "$WORK/limit-1.err" >"$WORK/limit-1.msg"
            cmp -s "$WORK/limit-2.msg" "$WORK/limit-1.msg" ||
                { echo "limit $blocks: one thread says otherwise"; cat "$WORK/limit.err" \
                    "$WORK/limit-1.err"; return 1; }
            grep -q "sheet '.*' lost data" "$WORK/limit.err" && seen_rows=1
            grep -q "part xl/worksheets/sheet[0-9]*.xml lost data" "$WORK/limit.err" &&
                seen_copy=1
        fi
        blocks=$((blocks + 1))
    done
    [ "$seen_rows" = 1 ] && [ "$seen_copy" = 1 ] ||
        { echo "rows check seen: $seen_rows, copy check seen: $seen_copy"; return 1; }
}

check "monteregie workbook agrees with its CSV files" checked monteregie "$WORK/monteregie"
check "lanaudiere workbook agrees with its CSV files" checked lanaudiere "$WORK/lanaudiere"
check "--lang en: English sheets and labels" english
check "same inputs and SOURCE_DATE_EPOCH: byte-identical workbooks" byte_identical
check "another clock gives another workbook" clock_matters
check "--as-of sets the clock; SOURCE_DATE_EPOCH wins" as_of
check "bad --lang, --as-of or SOURCE_DATE_EPOCH exit 64" bad_options
check "formula-like organisation names stay text" hostile_text
check "overrides: reserve-funded grant and a formula-like justification" overrides
check "a folder in the way of report.xlsx: exit 73, nothing replaced" report_in_the_way
check "file size limits: the same workbook or exit 74, never a cut sheet" temp_file_limits

done_suite e2e_report
