# End-to-end: crashes and failing disks. Runs killed with SIGKILL while
# they write their outputs and report, a full disk, a file size limit, a
# read-only output folder, a run store locked by another process. Each
# time the previous outputs stay byte-identical (or the new run's are all
# complete), the run store stays consistent, nothing is left behind, and
# the next run succeeds. (test_store.sh kills runs while they write the
# store; these kills aim at the output files.)
. "$TOP/tests/e2e/lib.sh"

KILLS=32          # SIGKILLs while a large run writes its outputs
BIG_APPS=20000    # applications of the large input folder
OUTS="decisions.csv disbursements.csv summary.csv report.xlsx"
# a fixed clock: the same run gives the same report.xlsx, byte for byte
export SOURCE_DATE_EPOCH=1767225600
unset ALLIANCE_BUSY_TIMEOUT_MS

MNT="$WORK/tmpfs"
trap 'umount "$MNT" 2>/dev/null; chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

sql() { sqlite3 -batch "$1" "$2"; }

# run_into OUT INPUTS [options...]: Montérégie's rules on INPUTS into OUT.
run_into() {
    out=$1 in=$2
    shift 2
    "$ALLIANCE" run --inputs "$in" --rules rules/monteregie.lua --out "$out" \
        --quiet "$@"
}

# run_lan OUT [options...]: the Lanaudière example into OUT.
run_lan() {
    out=$1
    shift
    "$ALLIANCE" run --inputs inputs/lanaudiere --rules rules/lanaudiere.lua \
        --out "$out" --quiet "$@"
}

# same_files DIR REF: every output of DIR is byte-identical to REF's.
same_files() {
    for f in $OUTS; do
        cmp -s "$1/$f" "$2/$f" || { echo "$1/$f differs from $2/$f"; return 1; }
    done
}

# no_litter DIR: no temporary output file (.NAME.tmp-PID) in DIR.
no_litter() {
    left=$(find "$1" -maxdepth 1 -name '.*.tmp-*' | head -5)
    [ -z "$left" ] || { echo "left behind in $1:"; echo "$left"; return 1; }
}

# store_consistent DB: integrity, and no run half there: an ok run has
# all its applications, decisions and instalments; a failed one none.
store_consistent() {
    test "$(sql "$1" 'PRAGMA integrity_check')" = ok || {
        echo "$1: integrity check failed"
        return 1
    }
    test "$(sql "$1" "SELECT count(*) FROM run r WHERE
        (status = 'ok' AND (n_apps IS NULL
          OR n_apps != (SELECT count(*) FROM application a WHERE a.run_id = r.id)
          OR n_apps != (SELECT count(*) FROM decision d WHERE d.run_id = r.id)
          OR granted != (SELECT coalesce(sum(amount), 0) FROM instalment i
                         WHERE i.run_id = r.id)))
        OR (status = 'failed' AND EXISTS (SELECT 1 FROM application a
                                          WHERE a.run_id = r.id))")" = 0 || {
        echo "$1: a run is half there"
        return 1
    }
}

ok_runs() { sql "$1" "SELECT count(*) FROM run WHERE status = 'ok'"; }

# ---- SIGKILL while the outputs are written ----------------------------

K="$WORK/kill"

# The folder every kill starts from: the Montérégie example's outputs and
# its store (run 1); and the large run's outputs as a complete run writes
# them over it (run 2, on a copy of that store).
kill_setup() {
    mkdir -p "$K" &&
        $PY tests/e2e/gen_store_inputs.py inputs/monteregie "$K/big" "$BIG_APPS" &&
        run_into "$K/start" inputs/monteregie &&
        mkdir -p "$K/new" && cp "$K/start/alliance.db" "$K/new.db" &&
        t0=$(date +%s.%N) &&
        run_into "$K/new" "$K/big" --db "$K/new.db" &&
        t1=$(date +%s.%N) &&
        span=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }') &&
        echo "$span" >"$K/span" &&
        test "$(sql "$K/new.db" "SELECT max(id) FROM run")" = 2 &&
        ! cmp -s "$K/start/decisions.csv" "$K/new/decisions.csv"
}

# Puts back the starting outputs and store, leaving anything else (the
# temporary files of killed runs pile up).
kill_reset() {
    for f in $OUTS alliance.db; do cp "$K/start/$f" "$K/out/$f" || return 1; done
    rm -f "$K/out/alliance.db-wal" "$K/out/alliance.db-shm"
}

# SIGKILL at KILLS random moments, most of them while the run writes its
# report and CSV files (the last three quarters of its time). After each:
# every output is the old one or the new complete one, never a part or a
# mix of both, the store is consistent and holds run 2 only if it was
# committed, in which case every output is the new one.
killed_while_writing() {
    span=$(cat "$K/span") || return 1
    mkdir -p "$K/out" && kill_reset || return 1
    seed=$$
    landed=0 writing=0 i=0
    while [ "$i" -lt "$KILLS" ]; do
        i=$((i + 1))
        pause=$(awk -v s="$seed$i" -v t="$span" \
            'BEGIN { srand(s); printf "%.3f", t * (0.25 + 0.75 * rand()) }')
        "$ALLIANCE" run --inputs "$K/big" --rules rules/monteregie.lua \
            --out "$K/out" --quiet &
        pid=$!
        sleep "$pause"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        # 128 + 9: the kill landed before the run ended
        [ $? -eq 137 ] && landed=$((landed + 1))
        ls -a "$K/out" | grep -q "\.tmp-$pid\$" && writing=$((writing + 1))
        where="kill $i at ${pause}s (seed $seed)"
        for f in $OUTS; do
            cmp -s "$K/out/$f" "$K/start/$f" || cmp -s "$K/out/$f" "$K/new/$f" || {
                echo "$where: $f is neither the old nor the new one"
                return 1
            }
        done
        store_consistent "$K/out/alliance.db" || { echo "$where"; return 1; }
        if [ "$(ok_runs "$K/out/alliance.db")" = 2 ]; then
            same_files "$K/out" "$K/new" ||
                { echo "$where: run 2 recorded ok without its outputs"; return 1; }
        fi
        kill_reset || return 1
    done
    echo "     run time ${span}s; $landed of $KILLS kills landed mid-run," \
        "$writing of them while output files were being written" >"$K/stats"
    test "$landed" -gt 0
}

# After all those kills, a run on the same folder succeeds, writes the new
# outputs, records run 2, and leaves no temporary file behind.
next_run_after_kills() {
    run_into "$K/out" "$K/big" &&
        same_files "$K/out" "$K/new" &&
        test "$(ok_runs "$K/out/alliance.db")" = 2 &&
        store_consistent "$K/out/alliance.db" &&
        no_litter "$K/out"
}

# ---- a full disk ---------------------------------------------------------

# fill DIR: a file taking all the free space of DIR's file system.
fill() {
    dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null
    sync
    true
}

# A 1 MiB tmpfs holding the outputs and their store: a run that finds
# the disk full exits 73 or 74, says so, and changes nothing; once there
# is room, the next run succeeds.
full_tmpfs() {
    mkdir -p "$MNT" "$WORK/full"
    if ! mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
        echo "     skipped: cannot mount a tmpfs here (not root?); the file" \
            "size limit test covers write failures" >"$WORK/skipped"
        return 0
    fi
    full=0
    full_tmpfs_checks || full=1
    umount "$MNT" || full=1
    return $full
}

full_tmpfs_checks() {
    out="$MNT/out"
    run_into "$out" inputs/monteregie && cp -r "$out" "$WORK/full/before" &&
        fill "$MNT" || return 1
    # store and outputs on the full disk
    "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$out" --quiet >"$WORK/last.out" 2>"$WORK/last.err"
    st=$?
    case $st in 73|74) ;; *) echo "exit status $st, expected 73 or 74"; cat "$WORK/last.err"; return 1 ;; esac
    stderr_has 'No space left on device' && stderr_has 'nothing was written' &&
        same_files "$out" "$WORK/full/before" && no_litter "$out" || return 1
    # the store elsewhere, the outputs on the full disk: recorded as failed
    "$ALLIANCE" run --inputs inputs/monteregie --rules rules/monteregie.lua \
        --out "$out" --db "$WORK/full/elsewhere.db" --quiet \
        >"$WORK/last.out" 2>"$WORK/last.err"
    st=$?
    case $st in 73|74) ;; *) echo "exit status $st, expected 73 or 74"; cat "$WORK/last.err"; return 1 ;; esac
    stderr_has 'recorded as failed run 1' &&
        test "$(sql "$WORK/full/elsewhere.db" "SELECT status || ' ' || exit_status FROM run")" = "failed $st" &&
        same_files "$out" "$WORK/full/before" && no_litter "$out" || return 1
    # room again (the sqlite3 shell needs some too): the store holds run 1
    # alone, and the next run succeeds
    rm -f "$MNT/filler" &&
        store_consistent "$out/alliance.db" &&
        test "$(ok_runs "$out/alliance.db")" = 1 &&
        run_lan "$out" &&
        test "$(ok_runs "$out/alliance.db")" = 2 &&
        store_consistent "$out/alliance.db" && no_litter "$out" &&
        ! cmp -s "$out/decisions.csv" "$WORK/full/before/decisions.csv"
}

# A file size limit (ulimit -f 16: 8 or 16 KiB) hits while the store or
# the outputs are written: a write error (exit 74), not death by SIGXFSZ;
# earlier outputs and the store unchanged; without the limit, success.
file_size_limit() {
    out="$WORK/fsz/out"
    run_into "$out" inputs/monteregie && cp -r "$out" "$WORK/fsz/before" || return 1
    for db in "" "--no-db"; do
        # shellcheck disable=SC2086
        (ulimit -f 16 && exec "$ALLIANCE" run --inputs inputs/lanaudiere \
            --rules rules/lanaudiere.lua --out "$out" --quiet $db) \
            >"$WORK/last.out" 2>"$WORK/last.err"
        st=$?
        [ "$st" -eq 74 ] || { echo "exit status $st, expected 74 ${db:-(with the store)}"; cat "$WORK/last.err"; return 1; }
        { [ -z "$db" ] || stderr_has 'File too large'; } &&
            stderr_has 'nothing was written' &&
            same_files "$out" "$WORK/fsz/before" && no_litter "$out" &&
            store_consistent "$out/alliance.db" &&
            test "$(ok_runs "$out/alliance.db")" = 1 || return 1
    done
    run_lan "$out" && test "$(ok_runs "$out/alliance.db")" = 2 && no_litter "$out"
}

# ---- a read-only output folder --------------------------------------------

# as_reader CMD...: CMD run by someone who may read the output folder but
# not write it: root runs it as nobody (root ignores permissions), anyone
# else after a chmod.
as_reader() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

read_only_folder() {
    ro="$WORK/ro"
    run_into "$ro/out" inputs/monteregie && cp -r "$ro/out" "$ro/before" || return 1
    mkdir -p "$ro/elsewhere" || return 1
    if [ "$(id -u)" = 0 ]; then
        command -v setpriv >/dev/null || { echo "setpriv is not installed"; return 1; }
        # nobody must reach the inputs, the rules and the binary, and may
        # write only in elsewhere/
        chmod 755 "$WORK" "$ro" && chmod 777 "$ro/elsewhere" || return 1
    else
        chmod 555 "$ro/out" || return 1
    fi
    # the store in the folder: 73, nothing changed
    as_reader "$ALLIANCE" run --inputs inputs/lanaudiere --rules rules/lanaudiere.lua \
        --out "$ro/out" --quiet >"$WORK/last.out" 2>"$WORK/last.err"
    st=$?
    [ "$st" -eq 73 ] || { echo "exit status $st, expected 73"; cat "$WORK/last.err"; return 1; }
    stderr_has 'nothing was written' && same_files "$ro/out" "$ro/before" &&
        no_litter "$ro/out" || return 1
    # the store elsewhere: 73, the run recorded as failed there
    as_reader "$ALLIANCE" run --inputs inputs/lanaudiere --rules rules/lanaudiere.lua \
        --out "$ro/out" --db "$ro/elsewhere/x.db" --quiet \
        >"$WORK/last.out" 2>"$WORK/last.err"
    st=$?
    [ "$st" -eq 73 ] || { echo "exit status $st, expected 73"; cat "$WORK/last.err"; return 1; }
    test "$(sql "$ro/elsewhere/x.db" "SELECT status || ' ' || exit_status FROM run")" = "failed 73" &&
        same_files "$ro/out" "$ro/before" || return 1
    # writable again (the sqlite3 shell needs it too): the store holds run
    # 1 alone, and the next run succeeds
    chmod 755 "$ro/out" &&
        store_consistent "$ro/out/alliance.db" &&
        test "$(ok_runs "$ro/out/alliance.db")" = 1 &&
        run_lan "$ro/out" &&
        test "$(ok_runs "$ro/out/alliance.db")" = 2 && no_litter "$ro/out"
}

# ---- a store locked by another process -------------------------------------

# The sqlite3 shell holds BEGIN EXCLUSIVE (it answers once it has the
# lock: no sleep); a run with ALLIANCE_BUSY_TIMEOUT_MS=300 gives up
# quickly with 75, and writes nothing; once the shell commits, the next
# run succeeds.
locked_store() {
    lk="$WORK/lock"
    run_into "$lk/out" inputs/monteregie && cp -r "$lk/out" "$lk/before" &&
        mkfifo "$lk/in" "$lk/answer" || return 1
    sqlite3 -batch "$lk/out/alliance.db" <"$lk/in" >/dev/null &
    holder=$!
    exec 3>"$lk/in"
    # .once writes the answer to the fifo and closes it: read returns
    # once the shell holds the lock
    printf 'BEGIN EXCLUSIVE;\n.once %s\nSELECT %s;\n' "$lk/answer" "'held'" >&3
    read -r held <"$lk/answer"
    t0=$(date +%s)
    expect_status 75 env ALLIANCE_BUSY_TIMEOUT_MS=300 "$ALLIANCE" run \
        --inputs inputs/lanaudiere --rules rules/lanaudiere.lua \
        --out "$lk/out" --quiet
    st=$?
    t1=$(date +%s)
    printf 'COMMIT;\n.quit\n' >&3
    exec 3>&-
    wait "$holder"
    [ "$held" = held ] && [ "$st" -eq 0 ] && stderr_has 'locked' &&
        stderr_has 'nothing was written' &&
        [ $((t1 - t0)) -lt 8 ] &&
        same_files "$lk/out" "$lk/before" && no_litter "$lk/out" || return 1
    run_lan "$lk/out" && test "$(ok_runs "$lk/out/alliance.db")" = 2 &&
        store_consistent "$lk/out/alliance.db"
}

check "large input and the new run's outputs" kill_setup
check "SIGKILL at $KILLS random points while writing outputs: old or new files, never a part" killed_while_writing
[ -f "$K/stats" ] && cat "$K/stats"
check "the next run after the kills succeeds and leaves no temporary file" next_run_after_kills
check "a full disk (1 MiB tmpfs): 73/74, nothing changed, then success" full_tmpfs
[ -f "$WORK/skipped" ] && cat "$WORK/skipped"
check "a file size limit: 74 (not SIGXFSZ), nothing changed, then success" file_size_limit
check "a read-only output folder: 73, nothing changed, then success" read_only_folder
check "a store locked by another process: 75 quickly, then success" locked_store

done_suite e2e_crash
