/* Unit tests of the rules module (the Lua bridge): configuration,
 * evaluation, the sandbox and hostile rule files.  The newer parts of the
 * API (grades, rank, schedule functions) are in test_rules_api.c; the
 * hand-built inputs in rules_fixture.h. */
#include <math.h>

#include "rules_fixture.h"

/* ---- a good rule file --------------------------------------------------- */

TEST(good_config)
{
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "good.lua", &d), 0);
    CHECK_STR(diag_text(&d), "");
    if (!r)
        return;
    const rules_config *c = rules_config_get(r);
    CHECK_STR(c->program, "Test FQIS");
    CHECK_INT(c->n_checks, 4);
    CHECK_STR(c->checks[0].id, "share");
    CHECK_STR(c->checks[0].label, "Demande d'au plus 80 % du coût total");
    CHECK_STR(c->checks[3].id, "signed");
    CHECK_INT(c->n_criteria, 3);
    CHECK_STR(c->criteria[0].id, "impact");
    CHECK_STR(c->criteria[1].label, "Cofinancement");
    CHECK_INT(c->criteria[0].max, 4000);
    CHECK_INT(c->criteria[2].max, 1000);
    CHECK_INT(c->threshold, 5550);
    CHECK_INT(c->on_overflow, RULES_OVERFLOW_PARTIAL);
    CHECK_INT(c->min_partial, 500);
    CHECK_INT(c->n_instalments, 3);
    CHECK_STR(c->instalments[1].label, "Mi-parcours");
    CHECK_INT(c->instalments[0].share, 500000);
    CHECK_INT(c->instalments[1].share, 300000);
    CHECK_INT(c->instalments[2].share, 200000);
    CHECK_INT(c->instalments[0].at, 0);
    CHECK_INT(c->instalments[1].at, 500);
    CHECK_INT(c->instalments[2].at, 1000);
    CHECK_INT(c->has_split, 1);
    rules_close(r);
    diag_free(&d);
}

TEST(good_evaluate)
{
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("good.lua", &f, &res, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(res.n_apps, 3);
    CHECK_INT(res.n_checks, 4);
    CHECK_INT(res.n_criteria, 3);
    /* A1 passes all; A2 fails all four; A3 has no signature date */
    CHECK_INT(res.eligible[0], 1);
    CHECK_INT(res.eligible[1], 0);
    CHECK_INT(res.eligible[2], 0);
    CHECK_INT(res.n_failures, 5);
    CHECK_INT(res.first_failure[0], 0);
    CHECK_INT(res.first_failure[1], 0);
    CHECK_INT(res.first_failure[2], 4);
    CHECK_INT(res.first_failure[3], 5);
    static const size_t apps[] = { 1, 1, 1, 1, 2 };
    static const size_t checks[] = { 0, 1, 2, 3, 3 };
    static const char *reasons[] = {
        "Demande d'au plus 80 % du coût total", /* false: the label */
        "seulement 8 participants",             /* false, reason */
        "Partenaire confirmé",
        "pas de date de signature",
        "pas de date de signature",
    };
    for (size_t i = 0; i < 5 && i < res.n_failures; i++) {
        CHECK_INT(res.failures[i].app, apps[i]);
        CHECK_INT(res.failures[i].check, checks[i]);
        CHECK_STR(res.failures[i].reason, reasons[i]);
    }
    /* impact = participants * 1.5 (max 40): 37.5, 12, 60 -> 40;
     * cofin = (cost - requested) / cost * 10: 3.333.., 1, 8;
     * rounding: 2.125 -> 2.13 (half away from zero), -3 -> 0, 7.4449 -> 7.44 */
    static const int32_t points[] = { 3750, 333, 213, 1200, 100, 0,
                                      4000, 800, 744 };
    for (size_t i = 0; i < 9; i++)
        CHECK_INT(res.points[i], points[i]);
    CHECK_INT(res.score[0], 4296);
    CHECK_INT(res.score[1], 1300);
    CHECK_INT(res.score[2], 5544);
    rules_results_free(&res);
    CHECK(res.eligible == NULL && res.pool == NULL);
    rules_results_free(&res); /* twice is fine */
    diag_free(&d);
}

TEST(probe_app_and_ctx)
{
    fixture f;
    fixture_init(&f);
    f.cells[2][0] = "-1\xc2\xa0" "040"; /* no-break space groups digits */
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("probe.lua", &f, &res, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(res.n_failures, 9);
    if (res.n_failures != 9)
        return;
    CHECK_STR(res.failures[0].reason,
              "id=string:A1 organisation=string:Org Un "
              "subregion=string:Haut-Richelieu title=string:Projet un "
              "org_type=string:OBNL requested=float:40000 "
              "total_cost=float:60000 requested_cents=int:4000000 "
              "total_cost_cents=int:6000000 start=string:2024-04-01 "
              "months=int:24 line=int:2 participants=int:25 "
              "cofinancement=float:12345.67 partenaire=boolean:true "
              "type=string:OBNL ratio=float:0.5 "
              "signe_le=string:2024-05-01 note=string:bien");
    CHECK_STR(res.failures[3].reason,
              "id=string:A2 organisation=string:Org Deux "
              "subregion=string:Longueuil title=string: org_type=string: "
              "requested=float:90000 total_cost=float:100000 "
              "requested_cents=int:9000000 total_cost_cents=int:10000000 "
              "start=nil:nil months=nil:nil line=int:3 participants=int:8 "
              "cofinancement=float:0 partenaire=boolean:false "
              "type=string:coop ratio=float:1234.5 signe_le=nil:nil "
              "note=nil:nil");
    CHECK_CONTAINS(res.failures[6].reason, " participants=int:-1040 ");
    CHECK_CONTAINS(res.failures[6].reason, " partenaire=nil:nil ");
    CHECK_STR(res.failures[1].reason,
              "program=string:Probe first_year=int:2024 last_year=int:2025 "
              "program_start=string:2024-04-01 "
              "program_end=string:2026-03-31 envelope=float:2500000.5 "
              "envelope_cents=int:250000050 years=2024-2025,2025-2026 "
              "subregions=Haut-Richelieu,Longueuil,Réserve régionale");
    /* one app table per application, one ctx per evaluation */
    CHECK_STR(res.failures[2].reason, "true true");
    CHECK_STR(res.failures[5].reason, "true true");
    CHECK_STR(res.failures[8].reason, "true true");
    rules_results_free(&res);
    diag_free(&d);
}

TEST(evaluate_twice_and_no_applications)
{
    fixture f;
    fixture_init(&f);
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "good.lua", &d), 0);
    if (!r)
        return;
    rules_results res;
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), 0);
    rules_results_free(&res);
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), 0);
    CHECK_INT(res.score[2], 5544);
    rules_results_free(&res);
    f.in.n_apps = 0;
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), 0);
    CHECK_INT(res.n_apps, 0);
    CHECK_INT(res.n_failures, 0);
    CHECK_INT(res.first_failure[0], 0);
    rules_results_free(&res);
    rules_close(r);
    CHECK_STR(diag_text(&d), "");
    diag_free(&d);
}

/* ---- configuration ------------------------------------------------------ */

TEST(minimal_defaults)
{
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(rules_open(&r, DATA "minimal.lua", NULL, NULL, &d), 0);
    if (!r)
        return;
    const rules_config *c = rules_config_get(r);
    CHECK_STR(c->program, "Minimal");
    CHECK_INT(c->n_checks, 0);
    CHECK_INT(c->n_criteria, 0);
    CHECK_INT(c->threshold, 0);
    CHECK_INT(c->on_overflow, RULES_OVERFLOW_SKIP);
    CHECK_INT(c->min_partial, 1000);
    CHECK_INT(c->n_instalments, 1);
    CHECK_STR(c->instalments[0].label, "Versement unique");
    CHECK_INT(c->instalments[0].share, 1000000);
    CHECK_INT(c->instalments[0].at, 0);
    CHECK_INT(c->has_split, 0);
    fixture f;
    fixture_init(&f);
    rules_results res;
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), 0);
    CHECK_INT(res.eligible[0] + res.eligible[1] + res.eligible[2], 3);
    CHECK_INT(res.score[1], 0);
    rules_results_free(&res);
    int64_t w[N_SPLIT];
    CHECK_INT(rules_split(r, &f.in, w, &d), DIAG_INTERNAL);
    rules_close(r);
    rules_close(NULL);
    rules_results zero;
    memset(&zero, 0, sizeof zero);
    rules_results_free(&zero); /* safe on a zeroed struct */
    diag_free(&d);
}

TEST(schedule_rounding)
{
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "schedule_round.lua", &d), 0);
    if (!r)
        return;
    const rules_config *c = rules_config_get(r);
    CHECK_INT(c->n_instalments, 3);
    CHECK_INT(c->instalments[0].share, 333333);
    CHECK_INT(c->instalments[1].share, 333333);
    CHECK_INT(c->instalments[2].share, 333334);
    CHECK_INT(c->instalments[1].at, 250);
    CHECK_INT(c->instalments[2].at, 1000);
    CHECK_INT(c->on_overflow, RULES_OVERFLOW_STOP);
    CHECK_INT(c->threshold, 1);
    rules_close(r);
    diag_free(&d);
}

TEST(shape_errors)
{
    expect_open_error("bad_unknown_key.lua", DIAG_DATA,
                      DATA "bad_unknown_key.lua: unknown key 'treshold' in "
                      "rule file\n");
    expect_open_error("bad_missing_label.lua", DIAG_DATA,
                      DATA "bad_missing_label.lua: checks[1] ('age'): "
                      "missing 'label'\n");
    expect_open_error("bad_dup_id.lua", DIAG_DATA,
                      DATA "bad_dup_id.lua: checks[3]: duplicate id 'a' "
                      "(also checks[1])\n");
    expect_open_error("bad_schedule_sum.lua", DIAG_DATA,
                      DATA "bad_schedule_sum.lua: schedule shares add up to "
                      "90 %, expected 100\n");
    expect_open_error("not_table.lua", DIAG_DATA,
                      DATA "not_table.lua: the rule file must return a "
                      "table, not number\n");
    expect_open_error("bad_syntax.lua", DIAG_DATA,
                      DATA "bad_syntax.lua:3: '}' expected (to close '{' at "
                      "line 1) near 'checks'\n");
    expect_open_error("no_such_file.lua", DIAG_DATA,
                      "cannot open " DATA "no_such_file.lua: No such file "
                      "or directory\n");
}

TEST(every_shape_error_reported)
{
#define BM DATA "bad_many.lua: "
    expect_open_error(
        "bad_many.lua", DIAG_DATA,
        BM "'program' must be a string\n"
        BM "fields.age: unknown type 'entier' (expected text, integer, "
           "number, money, date, boolean, or a list of allowed values)\n"
        BM "checks[1] ('x'): 'test' must be a function\n"
        BM "unknown key 'lable' in checks[2]\n"
        BM "checks[2] ('y'): missing 'label'\n"
        BM "criteria[1] ('c'): 'max' must be a number > 0 and at most "
           "21474836\n"
        BM "'threshold' must be a number >= 0\n"
        BM "allocate.on_overflow must be \"skip\", \"stop\" or "
           "\"partial\"\n"
        BM "allocate.min_partial_share must be a share of the request "
           "between 0.001 and 1\n"
        BM "schedule[1]: 'at' must be between 0 (start of the project) and "
           "1 (its end)\n"
        BM "'split' must be a function (subregions, ctx)\n");
#undef BM
}

/* ---- hostile rule files ------------------------------------------------- */

TEST(endless_loop_in_check)
{
    fixture f;
    fixture_init(&f);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_eval_error("loop_check.lua",
                      DATA "loop_check.lua:5: in check 'forever' for "
                      "application A1: instruction limit exceeded (endless "
                      "loop?)\n");
    CHECK(seconds_since(&t0) < 10);
}

TEST(endless_loop_default_limit)
{
    /* the default budget (50 million instructions) also ends in seconds */
    fixture f;
    fixture_init(&f);
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(rules_open(&r, DATA "loop_check.lua", LIB, NULL, &d), 0);
    if (!r)
        return;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rules_results res;
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), DIAG_DATA);
    CHECK(seconds_since(&t0) < 60);
    CHECK_CONTAINS(diag_text(&d), "loop_check.lua:5: in check 'forever'");
    rules_close(r);
    diag_free(&d);
}

TEST(endless_loop_in_main_chunk_and_under_pcall)
{
    expect_open_error("loop_main.lua", DIAG_DATA,
                      DATA "loop_main.lua:2: instruction limit exceeded "
                      "(endless loop?)\n");
    /* catching the error with pcall does not buy more instructions */
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("loop_pcall.lua", &f, &res, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), DATA "loop_pcall.lua:");
    CHECK_CONTAINS(diag_text(&d), ": in check 'stubborn' for application "
                                  "A1: instruction limit exceeded");
    rules_results_free(&res);
    diag_free(&d);
}

TEST(memory_bombs)
{
    expect_open_error("mem_rep.lua", DIAG_DATA,
                      DATA "mem_rep.lua: rule file exceeded its memory limit "
                      "of 32 MiB\n");
    const rules_limits roomy = { (size_t)32 << 20, UINT64_C(1000000000) };
    fixture f;
    fixture_init(&f);
    diag d;
    diag_init(&d);
    rules *r;
    rules_results res;
    CHECK_INT(open_lim(&r, "mem_table.lua", &roomy, &d), 0);
    if (r) {
        CHECK_INT(rules_evaluate(r, &f.in, &res, &d), DIAG_DATA);
        CHECK_STR(diag_text(&d), DATA "mem_table.lua: in check 'grow' for "
                  "application A1: rule file exceeded its memory limit of "
                  "32 MiB\n");
        rules_close(r);
    }
    diag_clear(&d);
    CHECK_INT(open_lim(&r, "mem_concat.lua", &roomy, &d), 0);
    if (r) {
        CHECK_INT(rules_evaluate(r, &f.in, &res, &d), DIAG_DATA);
        CHECK_STR(diag_text(&d), DATA "mem_concat.lua: in criterion "
                  "'double' for application A1: rule file exceeded its "
                  "memory limit of 32 MiB\n");
        /* the state is still usable after a memory error */
        CHECK_INT(rules_evaluate(r, &f.in, &res, &d), DIAG_DATA);
        rules_close(r);
    }
    diag_free(&d);
}

TEST(work_hidden_from_the_instruction_count)
{
    /* string.rep runs in C: its allocations are charged to the budget */
    expect_eval_error("alloc_loop.lua",
                      DATA "alloc_loop.lua:6: in check 'busy' for application "
                      "A1: instruction limit exceeded (endless loop?)\n");
    /* table.move loops in C: charged one instruction per element */
    expect_eval_error("table_move.lua",
                      DATA "table_move.lua:5: in check 'move' for application "
                      "A1: instruction limit exceeded (endless loop?)\n");
    /* finalizers run with hooks off, so they are refused */
    expect_open_error("gc_loop.lua", DIAG_DATA,
                      DATA "gc_loop.lua:2: setmetatable: __gc metamethods are "
                      "not available in rule files\n");
    /* an error object whose __tostring never returns */
    expect_eval_error("error_tostring_loop.lua",
                      DATA "error_tostring_loop.lua:2: in check 'evil' for "
                      "application A1: instruction limit exceeded (endless "
                      "loop?)\n");
    /* endless recursion: the growing stack is charged too */
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("recursion.lua", &f, &res, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), DATA "recursion.lua:1: in check 'deep' for "
                                  "application A1: ");
    diag_free(&d);
}

TEST(no_os_no_io)
{
    expect_eval_error("os_execute.lua",
                      DATA "os_execute.lua:4: in check 'shell' for "
                      "application A1: attempt to index a nil value "
                      "(global 'os')\n");
    expect_open_error("io_open.lua", DIAG_DATA,
                      DATA "io_open.lua:1: attempt to index a nil value "
                      "(global 'io')\n");
}

TEST(sandbox_globals)
{
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "globals.lua", &d), 0);
    if (!r)
        return;
    CHECK_STR(rules_config_get(r)->program, "");
    rules_close(r);
    diag_free(&d);
}

TEST(require)
{
    expect_open_error("require_escape.lua", DIAG_DATA,
                      DATA "require_escape.lua:1: require '../../etc/passwd':"
                      " only modules from rules/lib are available\n");
    expect_open_error("require_missing.lua", DIAG_DATA,
                      DATA "require_missing.lua:1: require 'nope': no file "
                      LIB "/nope.lua\n");
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "require_ok.lua", &d), 0);
    CHECK_STR(diag_text(&d), "");
    if (r)
        CHECK_STR(rules_config_get(r)->program, "bonjour analyst util");
    rules_close(r);
    /* without a library directory, require is unavailable */
    CHECK_INT(rules_open(&r, DATA "require_ok.lua", NULL, &small, &d),
              DIAG_DATA);
    CHECK_STR(diag_text(&d), DATA "require_ok.lua:1: require 'helpers': no "
              "rules library is available\n");
    diag_free(&d);
}

TEST(no_bytecode)
{
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "load_binary.lua", &d), 0);
    CHECK_STR(diag_text(&d), "");
    if (r)
        CHECK_STR(rules_config_get(r)->program,
                  "nil/attempt to load a binary chunk (mode is 't')|nil|7|5");
    rules_close(r);
    /* a precompiled rule file is refused before it runs */
    char path[] = "/tmp/test_rules_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    CHECK(fp != NULL);
    if (!fp)
        return;
    fputs("\x1bLua\x54", fp);
    fclose(fp);
    CHECK_INT(rules_open(&r, path, NULL, &small, &d), DIAG_DATA);
    char expected[128];
    snprintf(expected, sizeof expected,
             "%s: attempt to load a binary chunk (mode is 't')\n", path);
    CHECK_STR(diag_text(&d), expected);
    remove(path);
    diag_free(&d);
}

/* ---- rule errors during evaluation -------------------------------------- */

TEST(runtime_errors)
{
    expect_eval_error("crit_error.lua",
                      DATA "crit_error.lua:5: in criterion 'x' for "
                      "application A2: attempt to index a nil value (field "
                      "'missing')\n");
    expect_eval_error("lib_error.lua",
                      LIB "/failing.lua:4: in check 'lib' for application "
                      "A1: attempt to compare nil with number\n");
    expect_eval_error("error_nopos.lua",
                      DATA "error_nopos.lua: in check 'e' for application "
                      "A1: boom\n");
    expect_eval_error("error_table.lua",
                      DATA "error_table.lua:4: in check 't' for application "
                      "A1: (error object is a table value)\n");
}

TEST(wrong_return_values)
{
    expect_eval_error("check_nil.lua",
                      DATA "check_nil.lua:4: check 'n' for application A1 "
                      "returned nil, expected true or false[, reason]\n");
    expect_eval_error("check_bad_reason.lua",
                      DATA "check_bad_reason.lua:4: check 'r' for "
                      "application A1 returned false and a table, expected "
                      "true or false[, reason]\n");
    expect_eval_error("crit_string.lua",
                      DATA "crit_string.lua:4: criterion 'c' for application "
                      "A1 returned a string, expected a number\n");
    expect_eval_error("crit_nan.lua",
                      DATA "crit_nan.lua:4: criterion 'c' for application A1 "
                      "returned nan, expected a finite number\n");
}

/* ---- fields ------------------------------------------------------------- */

TEST(field_conversion_errors)
{
    fixture f;
    fixture_init(&f);
    f.cells[0][1] = "abc";
    f.cells[0][4] = "1,2,3";
    f.cells[0][5] = "2024-02-30";
    f.cells[1][0] = "douze";
    f.cells[1][2] = "peut-être";
    f.cells[2][3] = "autre";
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("good.lua", &f, &res, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d),
              "applications.csv:2:11: Cofinancement: \"abc\" is not an "
              "amount\n"
              "applications.csv:2:14: Ratio: \"1,2,3\" is not a number\n"
              "applications.csv:2:15: Signé le: \"2024-02-30\" is not a date "
              "(YYYY-MM-DD)\n"
              "applications.csv:3:10: Participants: \"douze\" is not an "
              "integer\n"
              "applications.csv:3:12: Partenaire: \"peut-être\" is not "
              "oui/non (yes/no, true/false, vrai/faux, 1/0)\n"
              "applications.csv:4:13: Type: \"autre\" is not one of "
              "\"OBNL\", \"coop\"\n");
    CHECK(res.eligible == NULL);
    rules_results_free(&res);
    diag_free(&d);
}

TEST(field_errors_stop_at_the_diag_limit)
{
    fixture f;
    fixture_init(&f);
    for (size_t i = 0; i < N_APPS; i++)
        f.cells[i][0] = "x";
    rules_results res;
    diag d;
    diag_init(&d);
    d.limit = 2;
    CHECK_INT(evaluate("good.lua", &f, &res, &d), DIAG_DATA);
    CHECK_INT(d.count, 3);
    CHECK_CONTAINS(diag_text(&d), "... and 1 more\n");
    diag_free(&d);
}

TEST(field_for_missing_column)
{
    expect_eval_error("fields_unknown.lua",
                      DATA "fields_unknown.lua: fields.nope: "
                      "applications.csv has no extra column 'nope' (its "
                      "extra columns: participants, cofinancement, "
                      "partenaire, type, ratio, signe_le, note)\n");
}

/* ---- split -------------------------------------------------------------- */

static int run_split(const char *name, fixture *f, int64_t *w, diag *d)
{
    rules *r;
    int st = open_rules(&r, name, d);
    if (st != 0)
        return st;
    st = rules_split(r, &f->in, w, d);
    rules_close(r);
    return st;
}

static void expect_split(const char *a, const char *b, const char *c,
                         int64_t wa, int64_t wb, int64_t wc)
{
    fixture f;
    fixture_init(&f);
    f.split_cells[0][1] = a;
    f.split_cells[1][1] = b;
    f.split_cells[2][1] = c;
    int64_t w[N_SPLIT] = { -1, -1, -1 };
    diag d;
    diag_init(&d);
    CHECK_INT(run_split("split.lua", &f, w, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(w[0], wa);
    CHECK_INT(w[1], wb);
    CHECK_INT(w[2], wc);
    CHECK_INT(w[0] + w[1] + w[2], 1000000000);
    diag_free(&d);
}

TEST(split_weights)
{
    /* good.lua: populations 120 000 and 250 000, the reserve 0 */
    fixture f;
    fixture_init(&f);
    int64_t w[N_SPLIT];
    diag d;
    diag_init(&d);
    CHECK_INT(run_split("good.lua", &f, w, &d), 0);
    CHECK_INT(w[0], 324324324);
    CHECK_INT(w[1], 675675676);
    CHECK_INT(w[2], 0);
    diag_free(&d);
    /* thirds: the missing ppb goes to the first of the largest */
    expect_split("1", "1", "1", 333333334, 333333333, 333333333);
    /* 1/6, 1/6, 4/6 round up by one ppb: the largest gives it back */
    expect_split("1", "1", "4", 166666667, 166666667, 666666666);
    /* spaces group thousands, ',' is the decimal separator */
    expect_split("2 000", "1\xc2\xa0" "000,5", "0", 666555574, 333444426, 0);
    expect_split("0,25", "0.25", "0.5", 250000000, 250000000, 500000000);
}

static void expect_split_error(const char *mode, const char *message)
{
    fixture f;
    fixture_init(&f);
    f.split_cells[0][1] = mode;
    int64_t w[N_SPLIT];
    diag d;
    diag_init(&d);
    CHECK_INT(run_split("split_bad.lua", &f, w, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), message);
    diag_free(&d);
}

TEST(split_errors)
{
#define SB DATA "split_bad.lua:4: split returned "
    expect_split_error("unknown", SB "a weight for 'Nulle part', which is "
                       "not a subregion of split.csv\n");
    expect_split_error("missing", SB "no weight for subregion 'Longueuil'\n");
    expect_split_error("zero", SB "only zero weights\n");
    expect_split_error("negative", SB "-1 as the weight of 'Réserve "
                       "régionale', expected a finite number >= 0\n");
    expect_split_error("text", SB "a string as the weight of 'Longueuil', "
                       "expected a number >= 0\n");
    expect_split_error("notable", SB "number, expected a table { [subregion "
                       "name] = weight }\n");
#undef SB
    expect_split_error("error", DATA "split_bad.lua:14: in split: attempt "
                       "to index a nil value (field 'nope')\n");
}

int main(void)
{
    RUN(good_config);
    RUN(good_evaluate);
    RUN(probe_app_and_ctx);
    RUN(evaluate_twice_and_no_applications);
    RUN(minimal_defaults);
    RUN(schedule_rounding);
    RUN(shape_errors);
    RUN(every_shape_error_reported);
    RUN(endless_loop_in_check);
    RUN(endless_loop_default_limit);
    RUN(endless_loop_in_main_chunk_and_under_pcall);
    RUN(memory_bombs);
    RUN(work_hidden_from_the_instruction_count);
    RUN(no_os_no_io);
    RUN(sandbox_globals);
    RUN(require);
    RUN(no_bytecode);
    RUN(runtime_errors);
    RUN(wrong_return_values);
    RUN(field_conversion_errors);
    RUN(field_errors_stop_at_the_diag_limit);
    RUN(field_for_missing_column);
    RUN(split_weights);
    RUN(split_errors);
    return testlib_done("rules");
}
