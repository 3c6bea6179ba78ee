# Smoke run of the libFuzzer harnesses of tests/fuzz/: make fuzz builds
# them with clang (ASan + UBSan), then each runs FUZZ_SMOKE_SECONDS
# (default 14, about a minute in all) from its committed corpus, new
# inputs going to a scratch folder. A crash, a leak, a sanitizer report,
# a timeout or a broken property fails the suite; the input is kept as
# build/fuzz/crash-* to replay (build/fuzz/fuzz_NAME build/fuzz/crash-*).
# Without clang (or its libFuzzer runtime) the suite says so and skips;
# under make asan it skips too: the fuzzers carry the sanitizers already.
. "$TOP/tests/e2e/lib.sh"

SECONDS_EACH=${FUZZ_SMOKE_SECONDS:-14}
FUZZ_CC=${FUZZ_CC:-clang}
HARNESSES="csv parse inputs rules"

skip() {
    echo "skip fuzz smoke: $1"
    done_suite e2e_fuzz_smoke
    exit 0
}

[ -z "${ALLIANCE_SANITIZED:-}" ] ||
    skip "make test runs it (the fuzzers are built with ASan + UBSan already)"
command -v "$FUZZ_CC" >/dev/null ||
    skip "$FUZZ_CC not found (apt-get install clang to run the fuzzers)"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
    >"$WORK/probe.c"
"$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$WORK/probe" "$WORK/probe.c" \
    >/dev/null 2>&1 ||
    skip "$FUZZ_CC cannot build libFuzzer programs (no compiler-rt runtime?)"

# the outer make's jobserver is not ours: a make of our own
build() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" -j2 fuzz \
        FUZZ_CC="$FUZZ_CC" >"$WORK/build.log" 2>&1 || {
        tail -30 "$WORK/build.log"
        return 1
    }
}

dict_of() {
    case $1 in
    csv|inputs) echo "-dict=$TOP/tests/fuzz/dict/csv.dict" ;;
    parse) echo "-dict=$TOP/tests/fuzz/dict/parse.dict" ;;
    esac
}

# smoke NAME: NAME's fuzzer for SECONDS_EACH seconds; prints how many
# inputs it ran.
smoke() {
    name=$1
    mkdir -p "$WORK/new_$name"
    # shellcheck disable=SC2046
    "$TOP/build/fuzz/fuzz_$name" $(dict_of "$name") -max_total_time="$SECONDS_EACH" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$WORK/" "$WORK/new_$name" "$TOP/tests/fuzz/corpus/$name" \
        >"$WORK/$name.log" 2>&1
    st=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name.log")
    echo "     fuzz_$name: ${runs:-?} inputs in ${SECONDS_EACH}s" >>"$WORK/stats"
    if [ "$st" -ne 0 ]; then
        grep -E 'property failed|ERROR|SUMMARY|runtime error' -A12 "$WORK/$name.log" | head -40
        for a in "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-* "$WORK"/oom-*; do
            [ -f "$a" ] || continue
            cp "$a" "$TOP/build/fuzz/" && echo "input kept as build/fuzz/$(basename "$a")"
        done
        return 1
    fi
}

check "make fuzz builds the harnesses with $FUZZ_CC" build
for h in $HARNESSES; do
    check "fuzz_$h for ${SECONDS_EACH}s: no crash, leak or broken property" smoke "$h"
done
[ -f "$WORK/stats" ] && cat "$WORK/stats"

done_suite e2e_fuzz_smoke
