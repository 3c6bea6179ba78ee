# alliance: rules-driven funding allocation engine.
#   make demo     dependencies, build, run the Montérégie example
#   make test     dependencies, build, run every test
#   make asan     the tests under AddressSanitizer + UBSan
#   make tsan     the tests that run the engine on two threads, under
#                 ThreadSanitizer (gcc's): a data race fails them
#   make fuzz     the libFuzzer harnesses of tests/fuzz/ (clang)
#   make bench    time the pipeline's stages on generated data (bench/)
#   make install  PREFIX=/usr/local

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
CFLAGS    ?= -O2 -g
PKGS      := lua5.4 sqlite3 xlsxwriter libcrypto zlib
# Recursive (=) so pkg-config runs only once the deps step has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
             -Iinclude $(PKG_CFLAGS) -DALLIANCE_VERSION='"$(VERSION)"' \
             -DALLIANCE_RULES_LIB='"$(PREFIX)/share/alliance/rules/lib"' \
             -pthread -MMD -MP $(CFLAGS)
LDLIBS     = $(PKG_LIBS) -lcsv -lm -pthread

# The command line (main.c, cli_*.c) links against the pipeline library.
CLI_SRCS  := engine/main.c $(wildcard engine/cli_*.c)
CLI_OBJS  := $(CLI_SRCS:engine/%.c=$(BUILD)/engine/%.o)
LIB_SRCS  := $(filter-out $(CLI_SRCS),$(wildcard engine/*.c))
LIB_OBJS  := $(LIB_SRCS:engine/%.c=$(BUILD)/engine/%.o)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/bench_*.c))

.PHONY: all deps deps-test deps-tsan demo test check asan tsan bench install \
        clean FORCE

all: alliance

alliance: $(BUILD)/alliance
	cp $< $@

$(BUILD)/alliance: $(CLI_OBJS) $(BUILD)/liballiance.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/liballiance.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

# Objects embed PREFIX and VERSION: rebuild them when either changes.
$(BUILD)/config.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX) $(VERSION)' | cmp -s - $@ || echo '$(PREFIX) $(VERSION)' >$@

$(CLI_OBJS) $(LIB_OBJS): $(BUILD)/config.stamp

$(BUILD)/engine/%.o: engine/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/liballiance.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(BUILD)/liballiance.a $(LDLIBS)

# Benchmarks (bench/run.sh): programs linked like the unit tests.
$(BUILD)/bench/%: bench/%.c $(BUILD)/liballiance.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/liballiance.a $(LDLIBS)

# The pandas peer's packages: installed as root, else the command is
# printed and make bench goes on without the peer (its target MISSes).
bench: $(BUILD)/alliance $(BENCH_BINS)
	-@tools/deps.sh bench
	@bench/run.sh $(BUILD)

# libFuzzer harnesses (tests/fuzz/README.md): clang with ASan + UBSan,
# linked with the engine sources compiled again with coverage
# instrumentation. make test runs each for a few seconds
# (tests/e2e/test_fuzz_smoke.sh).
FUZZ_CC    ?= clang
FUZZ_BUILD := build/fuzz
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
FUZZ_OBJS  := $(LIB_SRCS:engine/%.c=$(FUZZ_BUILD)/engine/%.o)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: fuzz
.SECONDARY: $(FUZZ_OBJS)
fuzz: $(FUZZ_BINS)

$(FUZZ_BUILD)/engine/%.o: engine/%.c $(BUILD)/config.stamp
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    -DFUZZ_TOP='"$(CURDIR)"' -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)

deps:
	@tools/deps.sh build

deps-test:
	@tools/deps.sh test

deps-tsan:
	@tools/deps.sh tsan

demo: deps
	@$(MAKE) --no-print-directory alliance
	./alliance run --inputs inputs/monteregie --rules rules/monteregie.lua \
	    --out outputs/monteregie

test: deps-test
	@$(MAKE) --no-print-directory check

# SUITES: only these (tests/run.sh), else every suite.
check: $(BUILD)/alliance $(TEST_BINS)
	@ALLIANCE_SANITIZED=$(SANITIZED) tests/run.sh $(BUILD) $(SUITES)

asan: deps-test
	@$(MAKE) --no-print-directory check BUILD=build/asan SANITIZED=1 \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined"

# ThreadSanitizer on the unit tests of the two-thread code (par.c, the
# split CSV load, the margins, the sheets) and on every end-to-end script:
# alliance uses both cores by default, and test_jobs.sh compares one
# thread with two on inputs past every two-thread threshold. A race makes
# the process exit 66 (its suite fails); every report is also kept in
# build/tsan/reports (for processes whose status a test ignores, as the
# SIGKILLed runs) and printed, and any report fails the target.
TSAN_SUITES := test_par test_csvread_par test_inputs_par test_report \
               test_report_deflate test_robust \
               $(notdir $(wildcard tests/e2e/test_*.sh))
TSAN_LOG    := build/tsan/reports
tsan: deps-tsan
	@rm -rf $(TSAN_LOG) && mkdir -p $(TSAN_LOG)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 log_path=$(CURDIR)/$(TSAN_LOG)/tsan" \
	    $(MAKE) --no-print-directory check BUILD=build/tsan SANITIZED=1 \
	    SUITES="$(TSAN_SUITES)" CFLAGS="-O1 -g -fsanitize=thread" \
	    LDFLAGS="-fsanitize=thread"; rc=$$?; n=0; \
	for f in $(TSAN_LOG)/tsan.*; do \
	    [ -f "$$f" ] || continue; echo "== $$f"; cat "$$f"; n=$$((n + 1)); \
	done; \
	[ "$$n" -eq 0 ] || { echo "make tsan: $$n ThreadSanitizer report(s) above"; rc=1; }; \
	exit $$rc

install: $(BUILD)/alliance
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/alliance/rules/lib \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/alliance $(DESTDIR)$(PREFIX)/bin/alliance
	install -m 644 rules/lib/*.lua $(DESTDIR)$(PREFIX)/share/alliance/rules/lib/
	install -m 644 man/alliance.1 $(DESTDIR)$(PREFIX)/share/man/man1/alliance.1

clean:
	rm -rf build alliance

FORCE:

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TEST_BINS:=.d) $(BENCH_BINS:=.d)
