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

# LOAD: inputs_load streams the CSV files through libcsv; target 100 MB/s
# on one core (the program is single-threaded).
bench_load() {
    "$build/bench/bench_load" "$data" 3 100
}

# STORE: the run store's write of a 100 000-application run (every row,
# one transaction, the commit); target 2 s on one core.
bench_store() {
    sd="$build/bench/store_data"
    if [ ! -f "$sd/applications.csv" ] ||
        [ "$top/bench/gen_apps.py" -nt "$sd/applications.csv" ]; then
        /usr/bin/python3 "$top/bench/gen_apps.py" "$sd" 100000
    fi
    "$build/bench/bench_store" "$sd" "$top/rules/monteregie.lua" \
        "$top/rules/lib" "$build/bench/store.db" 3 2
}

bench_data
bench_load
bench_store
