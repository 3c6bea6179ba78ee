/* Committee workbook: run clock, language, sheet names, determinism,
 * temporary-then-rename, errors; SHA-256 of files. The workbook's content
 * is checked by a real reader in tests/e2e/test_report.sh. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "hash.h"
#include "report.h"
#include "testlib.h"
/* the sheet-name rules are internal to the report module */
#include "../../engine/report_internal.h"

#define K(dollars) ((int64_t)(dollars) * 100)
#define EPOCH_2026 INT64_C(1767225600) /* 2026-01-01T00:00:00Z */

/* Runs a shell command built printf-style; returns its exit status. */
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static int is_zip(const char *path)
{
    char magic[4] = {0};
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(magic, 1, sizeof magic, f) : 0;
    if (f)
        fclose(f);
    return n == 4 && memcmp(magic, "PK\3\4", 4) == 0;
}

/* Two sub-regions and a reserve, two years, three applications. */
static void program(fx_program *p)
{
    fx_init(p, 2024, 2, K(100000));
    size_t s = fx_sub(p, "Ouest: zone [1]", K(80000), 0);
    size_t t = fx_sub(p, "Est", K(80000), 0);
    fx_sub(p, "Réserve", K(40000), 1);
    fx_schedule(p, 2, (int[]){50, 50}, (int[]){0, 1000});
    size_t a = fx_app(p, "A1", s, K(60000), 90, "2024-06-01", 12);
    p->apps[a].organisation = "=HYPERLINK(\"http://x\")";
    fx_app(p, "B2", t, K(10000), 50, "2024-06-01", 12);
    fx_app(p, "C3", t, K(30000), 80, "2024-06-01", 12);
    p->cfg.threshold = 6000;
}

/* A fresh diag and the program above, run to its schedule. */
static int ready(fx_program *p, diag *d)
{
    diag_init(d);
    program(p);
    return fx_run(p, d);
}

static int write_report(fx_program *p, const char *path, int64_t when, diag *d)
{
    output_data o = {&p->in, &p->cfg, &p->res, &p->plan, &p->env,
                     &p->alloc, &p->sched, NULL, NULL};
    report_options ro = {REPORT_FR, when, NULL, NULL, NULL, 1};
    return report_write(path, &ro, &o, d);
}

TEST(clock_prefers_source_date_epoch_then_as_of_then_now)
{
    diag d;
    diag_init(&d);
    int64_t t = -1;
    CHECK_INT(report_clock("1767225600", "2025-06-01", 42, &t, &d), 0);
    CHECK_INT(t, EPOCH_2026);
    CHECK_INT(report_clock(NULL, "2025-06-01", 42, &t, &d), 0);
    CHECK_INT(t, INT64_C(1748736000));
    CHECK_INT(report_clock("", NULL, 42, &t, &d), 0); /* empty: unset */
    CHECK_INT(t, 42);
    CHECK_INT(d.count, 0);
    CHECK_INT(report_clock("12abc", NULL, 42, &t, &d), DIAG_USAGE);
    CHECK_CONTAINS(diag_text(&d), "SOURCE_DATE_EPOCH=12abc");
    CHECK_INT(report_clock("-5", NULL, 42, &t, &d), DIAG_USAGE);
    CHECK_INT(report_clock("99999999999999999999", NULL, 42, &t, &d), DIAG_USAGE);
    CHECK_INT(report_clock(NULL, "2025-02-30", 42, &t, &d), DIAG_USAGE);
    CHECK_INT(report_clock(NULL, "1969-12-31", 42, &t, &d), DIAG_USAGE);
    CHECK_CONTAINS(diag_text(&d), "--as-of 2025-02-30");
    diag_free(&d);
}

TEST(lang_is_fr_or_en)
{
    report_lang l = REPORT_EN;
    CHECK_INT(report_parse_lang("fr", &l), 0);
    CHECK_INT(l, REPORT_FR);
    CHECK_INT(report_parse_lang("en", &l), 0);
    CHECK_INT(l, REPORT_EN);
    CHECK_INT(report_parse_lang("FR", &l), -1);
    CHECK_INT(report_parse_lang("", &l), -1);
}

/* Sheet names through the report's own rules, for sub-region names in
 * the split grid. */
static void sheet_names_of(const char *const *names, size_t n, report_lang lang,
                           void (*check)(report_ctx *))
{
    unsigned char reserve[8] = {0};
    split_grid g = {.n_sub = n, .name = (const char **)names, .is_reserve = reserve};
    rules_config cfg = {.program = "p"};
    output_data o = {.env = &g, .cfg = &cfg};
    report_options ro = {.lang = lang};
    report_ctx c;
    memset(&c, 0, sizeof c);
    c.o = &o;
    c.opt = &ro;
    CHECK_INT(report_sheet_names(&c), 0);
    check(&c);
    report_sheet_names_free(&c);
}

static void check_cleaned(report_ctx *c)
{
    /* forbidden []:*?/\ become '-', leading and trailing quotes go */
    CHECK_STR(c->sheet_name[0], "Ouest- zone -1---a-b-c-d-");
    CHECK_STR(c->sheet_name[1], "D'Autray");
    /* 31 characters at most, counted as characters, not bytes */
    CHECK_STR(c->sheet_name[2], "Réserve régionale (non répartie");
    CHECK_STR(c->sheet_name[3], "Réserve régionale (non répa (2)");
    /* a fixed sheet's name or Excel's History is never reused, whatever
     * the case, accents included */
    CHECK_STR(c->sheet_name[4], "SOMMAIRE (2)");
    CHECK_STR(c->sheet_name[5], "PARAMÈTRES (2)");
    CHECK_STR(c->sheet_name[6], "history (2)");
    CHECK_STR(c->sheet_name[7], "-");
}

TEST(sheet_names_follow_excel_rules)
{
    static const char *const names[] = {
        "Ouest: zone [1]/*a?b\\c:d]", "'D'Autray'",
        "Réserve régionale (non répartie)", "Réserve régionale (non répartie) bis",
        "SOMMAIRE", "PARAMÈTRES", "history", "'"};
    sheet_names_of(names, 8, REPORT_FR, check_cleaned);
}

static void check_english(report_ctx *c)
{
    CHECK_STR(c->fixed_name[0], "Summary");
    CHECK_STR(c->sheet_name[0], "Sommaire"); /* free in English */
    CHECK_STR(c->sheet_name[1], "summary (2)");
}

TEST(sheet_names_in_english)
{
    static const char *const names[] = {"Sommaire", "summary"};
    sheet_names_of(names, 2, REPORT_EN, check_english);
}

TEST(same_data_and_clock_give_the_same_bytes)
{
    fx_program p;
    diag d;
    char dir[] = "/tmp/alliance-report-XXXXXX";
    CHECK_INT(ready(&p, &d), 0);
    CHECK(mkdtemp(dir) != NULL);
    char a[600], b[600], c[600];
    snprintf(a, sizeof a, "%s/a.xlsx", dir);
    snprintf(b, sizeof b, "%s/b.xlsx", dir);
    snprintf(c, sizeof c, "%s/c.xlsx", dir);
    CHECK_INT(write_report(&p, a, EPOCH_2026, &d), 0);
    sleep(2); /* zip entries keep seconds / 2: a wall-clock date would show */
    CHECK_INT(write_report(&p, b, EPOCH_2026, &d), 0);
    CHECK_INT(write_report(&p, c, EPOCH_2026 + 86400, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK(is_zip(a));
    CHECK_INT(sh("cmp -s %s %s", a, b), 0);
    CHECK(sh("cmp -s %s %s", a, c) != 0); /* the clock is in the document */
    sh("rm -rf %s", dir);
    fx_free(&p);
    diag_free(&d);
}

/* The sheets on two threads (engine/report_par.c): whichever sheets the
 * second thread takes, the bytes of the one-thread run; and it did take
 * some (Ouest, Est, Versements and Non retenues may go to either). */
TEST(two_threads_write_the_one_thread_bytes)
{
    fx_program p;
    diag d;
    char dir[] = "/tmp/alliance-report-XXXXXX", one[600], two[600];
    CHECK_INT(ready(&p, &d), 0);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(one, sizeof one, "%s/one", dir);
    snprintf(two, sizeof two, "%s/two", dir);
    output_data o = {&p.in, &p.cfg, &p.res, &p.plan, &p.env,
                     &p.alloc, &p.sched, NULL, NULL};
    report_options ro = {REPORT_FR, EPOCH_2026, NULL, NULL, NULL, 1};
    report_pending ref, pend;
    CHECK_INT(report_prepare(one, &ro, &o, &ref, &d), 0);
    CHECK_INT(ref.stats.sheet_threads, 1);
    ro.jobs = 2;
    /* the sheets from split on are the second thread's (1: Ouest);
     * -1: shared out as the threads finish */
    for (long split = -1; split <= 5; split++) {
        if (split == 0)
            continue;
        report_par_test_split = split;
        CHECK_INT(report_prepare(two, &ro, &o, &pend, &d), 0);
        if (split > 0)
            CHECK_INT(pend.stats.sheet_threads, split < 5 ? 2 : 1);
        CHECK_INT(sh("cmp %s %s", ref.tmp, pend.tmp), 0);
        report_discard(&pend);
    }
    report_par_test_split = -1;
    CHECK_STR(diag_text(&d), "");
    report_discard(&ref);
    sh("rm -rf %s", dir);
    fx_free(&p);
    diag_free(&d);
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
    return le16(p) | (unsigned long)le16(p + 2) << 16;
}

/* Entries of the zip at path (read whole into buf) that are deflated, and
 * how many of those minizip flagged as written at the fastest level
 * (general purpose bits 1 and 2 both set); -1 if not a readable zip. */
static int fast_entries(const char *path, unsigned char *buf, size_t cap,
                        int *deflated)
{
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap, f) : 0;
    if (f)
        fclose(f);
    if (n < 22 || n == cap || le32(buf + n - 22) != 0x06054b50)
        return -1; /* no end record where a comment-less zip has it */
    unsigned long at = le32(buf + n - 22 + 16), fast = 0;
    *deflated = 0;
    for (unsigned k = le16(buf + n - 22 + 10); k > 0; k--) {
        if (at + 46 > n || le32(buf + at) != 0x02014b50)
            return -1;
        if (le16(buf + at + 10) == 8) { /* deflated */
            ++*deflated;
            fast += (le16(buf + at + 8) & 6) == 6;
        }
        at += 46 + le16(buf + at + 28) + le16(buf + at + 30) + le16(buf + at + 32);
    }
    return (int)fast;
}

/* libxlsxwriter asks for zlib's default level; report_zip.c's
 * zipOpenNewFileInZip4_64 turns it into the fastest. */
TEST(workbook_parts_are_deflated_at_the_fastest_level)
{
    fx_program p;
    diag d;
    char dir[] = "/tmp/alliance-report-XXXXXX", path[600];
    static unsigned char buf[1 << 20];
    int deflated = 0;
    CHECK_INT(ready(&p, &d), 0);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/r.xlsx", dir);
    CHECK_INT(write_report(&p, path, EPOCH_2026, &d), 0);
    int fast = fast_entries(path, buf, sizeof buf, &deflated);
    CHECK(deflated > 10);
    CHECK_INT(fast, deflated);
    sh("rm -rf %s", dir);
    fx_free(&p);
    diag_free(&d);
}

TEST(prepare_then_commit_renames_into_place)
{
    fx_program p;
    diag d;
    char dir[] = "/tmp/alliance-report-XXXXXX", out[600], path[700];
    CHECK_INT(ready(&p, &d), 0);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(out, sizeof out, "%s/new/sub", dir); /* created on the way */
    output_data o = {&p.in, &p.cfg, &p.res, &p.plan, &p.env, &p.alloc, &p.sched,
                     NULL, NULL};
    report_options ro = {REPORT_EN, EPOCH_2026, "run-7", NULL, NULL, 1};
    report_pending pend;
    CHECK_INT(report_prepare(out, &ro, &o, &pend, &d), 0);
    snprintf(path, sizeof path, "%s/report.xlsx", out);
    CHECK(access(path, F_OK) != 0); /* not before the commit */
    CHECK(pend.tmp && access(pend.tmp, F_OK) == 0);
    CHECK_INT(report_commit(&pend, &d), 0);
    report_discard(&pend);
    CHECK(access(path, F_OK) == 0);
    CHECK_INT(sh("test -z \"$(ls -A %s | grep tmp)\"", out), 0);
    sh("rm -rf %s", dir);
    fx_free(&p);
    diag_free(&d);
}

TEST(discard_leaves_nothing_and_a_folder_in_the_way_is_refused)
{
    fx_program p;
    diag d;
    char dir[] = "/tmp/alliance-report-XXXXXX", path[700];
    CHECK_INT(ready(&p, &d), 0);
    CHECK(mkdtemp(dir) != NULL);
    output_data o = {&p.in, &p.cfg, &p.res, &p.plan, &p.env, &p.alloc, &p.sched,
                     NULL, NULL};
    report_options ro = {REPORT_FR, EPOCH_2026, NULL, NULL, NULL, 1};
    report_pending pend;
    CHECK_INT(report_prepare(dir, &ro, &o, &pend, &d), 0);
    report_discard(&pend); /* e.g. the CSV files failed */
    CHECK_INT(sh("test -z \"$(ls -A %s)\"", dir), 0);
    snprintf(path, sizeof path, "%s/report.xlsx", dir);
    CHECK_INT(mkdir(path, 0700), 0);
    CHECK_INT(report_prepare(dir, &ro, &o, &pend, &d), DIAG_CANTCREAT);
    CHECK_CONTAINS(diag_text(&d), "report.xlsx: not a file");
    CHECK(pend.tmp == NULL);
    sh("rm -rf %s", dir);
    fx_free(&p);
    diag_free(&d);
}

TEST(an_output_that_cannot_be_created_is_cantcreat)
{
    fx_program p;
    diag d;
    CHECK_INT(ready(&p, &d), 0);
    CHECK_INT(write_report(&p, "/nonexistent-alliance/dir/report.xlsx", EPOCH_2026, &d),
              DIAG_CANTCREAT);
    CHECK_CONTAINS(diag_text(&d), "cannot create /nonexistent-alliance/dir/report.xlsx");
    fx_free(&p);
    diag_free(&d);
}

TEST(missing_input_files_fail_before_writing)
{
    fx_program p;
    diag d;
    CHECK_INT(ready(&p, &d), 0);
    output_data o = {&p.in, &p.cfg, &p.res, &p.plan, &p.env, &p.alloc, &p.sched,
                     NULL, NULL};
    report_options ro = {REPORT_FR, EPOCH_2026, NULL, "/nonexistent-alliance",
                         "/nonexistent-alliance/rules.lua", 1};
    CHECK_INT(report_write("/tmp/alliance-never.xlsx", &ro, &o, &d), DIAG_NOINPUT);
    CHECK_CONTAINS(diag_text(&d), "cannot open /nonexistent-alliance/rules.lua");
    CHECK(access("/tmp/alliance-never.xlsx", F_OK) != 0);
    fx_free(&p);
    diag_free(&d);
}

TEST(sha256_of_files_and_buffers)
{
    diag d;
    diag_init(&d);
    char hex[HASH_SHA256_HEX], path[] = "/tmp/alliance-hash-XXXXXX";
    CHECK_INT(hash_sha256_hex("", 0, hex), 0);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK_INT(write(fd, "abc", 3), 3);
    close(fd);
    CHECK_INT(hash_file_sha256(path, hex, &d), 0);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    unlink(path);
    CHECK_INT(hash_file_sha256(path, hex, &d), DIAG_NOINPUT);
    CHECK_CONTAINS(diag_text(&d), "cannot open /tmp/alliance-hash-");
    CHECK_STR(hex, "");
    diag_free(&d);
}

int main(void)
{
    RUN(clock_prefers_source_date_epoch_then_as_of_then_now);
    RUN(lang_is_fr_or_en);
    RUN(sheet_names_follow_excel_rules);
    RUN(sheet_names_in_english);
    RUN(same_data_and_clock_give_the_same_bytes);
    RUN(two_threads_write_the_one_thread_bytes);
    RUN(workbook_parts_are_deflated_at_the_fastest_level);
    RUN(prepare_then_commit_renames_into_place);
    RUN(discard_leaves_nothing_and_a_folder_in_the_way_is_refused);
    RUN(an_output_that_cannot_be_created_is_cantcreat);
    RUN(missing_input_files_fail_before_writing);
    RUN(sha256_of_files_and_buffers);
    return testlib_done("report");
}
