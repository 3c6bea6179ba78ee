#!/bin/sh
# make bench: times each stage of the pipeline on generated data and
# checks it against its target. One function per stage; a later stage adds
# its function and a line at the end.
# usage: bench/run.sh BUILD_DIR
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
data="$build/bench/data"

# 1 000 000 applications, written once (deterministic, about 234 MB) under
# the build folder, and again whenever the generator changes.
bench_data() {
    if [ ! -f "$data/applications.csv" ] ||
        [ "$top/bench/gen_apps.py" -nt "$data/applications.csv" ]; then
        echo "bench: writing 1 000 000 applications into $data"
        /usr/bin/python3 "$top/bench/gen_apps.py" "$data" 1000000
    fi
}

# LOAD: inputs_load streams the CSV files through libcsv (applications.csv
# in two halves on two threads, or one with ALLIANCE_THREADS=1).
bench_load() {
    "$build/bench/bench_load" "$data" 3 100
}

# FLOOR: what this machine does at best (bench/RESULTS.md compares each
# stage with it): libcsv's raw read of the 1M file, SQLite's insert rate
# into a bare table, the disk's write rate with fsync.
bench_floor() {
    "$build/bench/bench_floor" "$data/applications.csv" "$build/bench" 1000000 256
}

# STORE and CSV: the run store's write of a 1 000 000-application run
# (every row, one transaction, the commit and checkpoint) and the three
# CSV files of the same run, each alone on one core: wall and CPU time.
bench_store() {
    mkdir -p "$build/bench/csv_out"
    taskset -c 0 "$build/bench/bench_store" "$data" "$top/rules/monteregie.lua" \
        "$top/rules/lib" "$build/bench/store.db" 3 0 "$build/bench/csv_out"
}

# PIPELINE: alliance run end to end (the binary, as users run it, both
# cores) on generated programs. Stage times come from `alliance run -v`
# on stderr; the outputs' line gives each writer's wall and CPU time
# (they run side by side). The robustness stage (margins; the generated
# programs have no evaluations.csv) has its own target in CPU time (the
# stage line gives it): under 0.02 s at 1 000 and 0.3 s at 100 000.
pipeline_data() { # n [--one-year]
    dir="$build/bench/pipe_$1${2:+_oneyear}"
    [ "$1" = 1000000 ] && [ -z "${2:-}" ] && dir=$data
    if [ ! -f "$dir/applications.csv" ] ||
        [ "$top/bench/gen_apps.py" -nt "$dir/applications.csv" ]; then
        /usr/bin/python3 "$top/bench/gen_apps.py" "$dir" "$1" ${2:-} >/dev/null
    fi
    echo "$dir"
}

# pipeline_run NAME N RULES TARGET_S TARGET_MIB ROBUST_S [--one-year] -- [options]
# ROBUST_S: the robustness stage's target (its CPU time), "-" for none.
pipeline_run() {
    name=$1 n=$2 rules=$3 target=$4 mib=$5 robust=$6
    shift 6
    shape=
    [ "${1:-}" = --one-year ] && { shape=--one-year; shift; }
    [ "${1:-}" = -- ] && shift
    dir=$(pipeline_data "$n" $shape)
    out="$build/bench/out_$name"
    log="$build/bench/log_$name"
    rm -rf "$out"
    # the page cache's dirty pages (the earlier runs' outputs) are written
    # now, not during the measured run: it pays for its own writes only
    sync
    "$build/alliance" run -v "$@" --inputs "$dir" --rules "$rules" \
        --lib "$top/rules/lib" --out "$out" >/dev/null 2>"$log" ||
        { cat "$log"; return 1; }
    awk -v n="$n" -v name="$name" -v target="$target" -v mib="$mib" -v robust="$robust" '
        function peak(line) {
            if (!match(line, /\(peak [0-9.]+ MiB\)/)) return 0
            return substr(line, RSTART + 6, RLENGTH - 11) + 0
        }
        # "NAME W s (cpu C s)" in the outputs line: W, and C in cpu[NAME]
        function writer(line, key,    m) {
            if (!match(line, key " [0-9.]+ s \\(cpu [0-9.]+ s[,)]")) return -1
            m = substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1)
            split(m, f, " ")
            cpu[key] = f[4] + 0
            return f[1] + 0
        }
        function row(label, s, mem) {
            printf "  %-18s %8.3f s  %11.0f apps/s  peak %7.1f MiB\n", label, s, (s > 0 ? n / s : 0), mem
        }
        function sub_row(label, s, key) {
            if (s < 0) return
            printf "    %-16s %8.3f s  (cpu %.3f s)\n", label, s, cpu[key]
        }
        /^alliance: [a-z]+ +[0-9.]+ s/ { t[$2] = $3; p[$2] = peak($0) }
        /^alliance: robustness / && match($0, /CPU [0-9.]+ s/) {
            rcpu = substr($0, RSTART + 4, RLENGTH - 6) + 0 }
        /run store [0-9.]+ s \(cpu|CSV files [0-9.]+ s \(cpu/ {
            st = writer($0, "run store"); rep = writer($0, "report.xlsx")
            csv = writer($0, "CSV files"); side = ($0 ~ /side by side/)
        }
        /run store applications [0-9.]+ s \(cpu/ { apps = writer($0, "run store applications") }
        /run store commit/ { commit = $5 }
        /peak memory/ { rss = $(NF - 1); cpu_all = $6 " s user + " $10 " s system" }
        END {
            ok = (t["total"] < target && rss < mib) ? 1 : 0
            printf "pipeline %s: %d applications, %s, %s\n", name, n,
                (rep >= 0 ? "report included" : "no report"),
                (side ? "outputs side by side" : "one core")
            row("load", t["load"], p["load"])
            row("rules", t["rules"], p["rules"])
            row("allocate+schedule", t["allocate"] + t["schedule"], p["schedule"])
            if (apps != "")
                sub_row("store: applications", apps, "run store applications")
            row("robustness", t["robustness"], p["robustness"])
            if (robust != "-")
                printf "target %s robustness: under %s s CPU: %.3f s: %s\n", name, robust,
                    rcpu, (rcpu < robust ? "PASS" : "MISS")
            row("equity", t["equity"], p["equity"])
            row("write (all)", t["write"], p["write"])
            sub_row("run store rows", st, "run store")
            sub_row("report.xlsx", rep, "report.xlsx")
            sub_row("CSV files", csv, "CSV files")
            if (commit != "") printf "    %-16s %8.3f s\n", "store commit", commit
            printf "  %-18s %8.3f s  %11.0f apps/s  peak %7.1f MiB  cpu %s\n",
                "total", t["total"], n / t["total"], rss, cpu_all
            printf "target %s: under %s s and %s MiB: %.3f s, %.1f MiB: %s\n",
                name, target, mib, t["total"], rss, (ok ? "PASS" : "MISS")
        }' "$log"
}

bench_pipeline() {
    pipeline_run 1k 1000 "$top/rules/monteregie.lua" 0.05 1024 0.02
    pipeline_run 100k 100000 "$top/rules/monteregie.lua" 3 1024 0.3
    pipeline_run 1M 1000000 "$top/rules/monteregie.lua" 6 1024 - -- --no-report
    pipeline_run 1M-oneyear 1000000 "$top/bench/oneyear.lua" 6 1024 - --one-year -- --no-report
}

# PEER: the same job in pandas (bench/peer_pandas.py, one core: Python)
# on the 100 000 programme, against alliance's total on it in the same
# run (bench_pipeline, both cores); target 10x.
bench_peer() {
    if ! /usr/bin/python3 -c 'import pandas, xlsxwriter' 2>/dev/null; then
        echo "peer: skipped: install python3-pandas python3-xlsxwriter to compare"
        echo "target peer: 10x faster than pandas at 100 000: not measured: MISS"
        return 0
    fi
    peer=$(/usr/bin/python3 "$top/bench/peer_pandas.py" -v \
        "$build/bench/pipe_100000" "$build/bench/peer_out" 2>"$build/bench/peer_stages")
    cat "$build/bench/peer_stages"
    # the same job: the peer's decisions, instalments and summary must be
    # alliance's to the cent, or the ratio means nothing
    /usr/bin/python3 "$top/bench/check_peer.py" "$build/bench/pipe_100000" \
        "$build/bench/out_100k" "$build/bench/peer_out" | tail -n 1 | sed 's/^/peer: /'
    ours=$(awk '/^alliance: total/ { print $3 }' "$build/bench/log_100k")
    awk -v p="$peer" -v o="$ours" 'BEGIN {
        printf "peer: pandas %.3f s, alliance %.3f s at 100 000 applications: %.1fx\n", p, o, p / o
        printf "target peer: 10x faster than pandas at 100 000: %.1fx: %s\n",
            p / o, (p / o >= 10 ? "PASS" : "MISS") }'
}

# SHARES: allocate.method = "equal_shares" on three sub-regions of 10 000
# applications graded by 10 evaluators each (bench/gen_shares.py); target
# 1 s of CPU per sub-region with the default completion (greedy), one core.
bench_shares() {
    sh="$build/bench/shares"
    if [ ! -f "$sh/applications.csv" ] ||
        [ "$top/bench/gen_shares.py" -nt "$sh/applications.csv" ]; then
        /usr/bin/python3 "$top/bench/gen_shares.py" "$sh" 10000 10
    fi
    taskset -c 0 "$build/bench/bench_shares" "$sh" 1
}

echo "bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
bench_data
# a stage that misses its target (or fails) does not hide the others'
# figures: every stage runs, and make bench fails at the end
missed=""
for stage in shares load floor store pipeline peer; do
    "bench_$stage" || missed="$missed $stage"
done
echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs"
[ -z "$missed" ] || { echo "bench: missed or failed:$missed"; exit 1; }
