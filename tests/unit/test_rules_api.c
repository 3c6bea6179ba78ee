/* Unit tests of the newer parts of the rule API: committee grades
 * (app.grades), rank() and tiebreak() keys, schedule functions,
 * grid_total and warnings, evaluation that goes on past rule errors, and
 * the sandbox's guard on Lua patterns. */
#include <math.h>

#include <lauxlib.h>
#include <lualib.h>

#include "rules_fixture.h"

/* ---- grades ------------------------------------------------------------- */

/* Rows interleaved across applications, to show they are grouped. */
static void set_evals(fixture *f, evaluation *ev, size_t n)
{
    f->in.evals = ev;
    f->in.n_evals = n;
}

TEST(grades_reach_the_rules)
{
    fixture f;
    fixture_init(&f);
    evaluation ev[] = {
        { 2, "Zoé", "qualite", 800, 2 },
        { 0, "Marie", "qualite", 1250, 3 },
        { 0, "Marie", "impact", 300, 4 },
        { 0, "Luc", "qualite", 1500, 5 },
    };
    set_evals(&f, ev, 4);
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("grades.lua", &f, &res, &d), 0);
    CHECK_STR(diag_text(&d), "");
    if (res.n_failures != 3)
        return;
    CHECK_STR(res.failures[0].reason,
              "qualite: n=2 mean=13.75 by={Luc=15.0,Marie=12.5} "
              "list={12.5,15.0}; impact: n=1 mean=3 by={Marie=3.0} "
              "list={3.0}");
    CHECK_STR(res.failures[1].reason, "qualite: nil; impact: nil");
    CHECK_STR(res.failures[2].reason,
              "qualite: n=1 mean=8 by={Zoé=8.0} list={8.0}; impact: nil");
    /* qualite = 10 + mean, or 20 without a grade */
    CHECK_INT(res.points[1], 2375);
    CHECK_INT(res.points[3], 2000);
    CHECK_INT(res.points[5], 1800);
    rules_results_free(&res);
    diag_free(&d);
}

/* Evaluating grades.lua with these grades fails with exactly message,
 * before any rule runs. */
static void expect_grades_error(evaluation *ev, size_t n, const char *message)
{
    fixture f;
    fixture_init(&f);
    set_evals(&f, ev, n);
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("grades.lua", &f, &res, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), message);
    CHECK(res.eligible == NULL);
    diag_free(&d);
}

TEST(grades_unknown_criterion_and_twice)
{
    evaluation unknown[] = {
        { 0, "Marie", "qualite", 1250, 2 },
        { 1, "Marie", "qualité", 1250, 3 },
        { 0, "Luc", "faisabilite", 1500, 4 },
    };
    expect_grades_error(unknown, 3,
                        "evaluations.csv:3: criterion: \"qualité\" is not a "
                        "criterion of the rule file (known: impact, qualite)\n"
                        "evaluations.csv:4: criterion: \"faisabilite\" is not "
                        "a criterion of the rule file (known: impact, "
                        "qualite)\n");
    /* one line per unknown id, however many rows name it */
    evaluation renamed[] = {
        { 0, "Marie", "partenaria", 1250, 2 },
        { 1, "Marie", "partenaria", 1250, 3 },
        { 2, "Luc", "partenaria", 1500, 4 },
    };
    expect_grades_error(renamed, 3,
                        "evaluations.csv:2: criterion: \"partenaria\" is not "
                        "a criterion of the rule file (known: impact, "
                        "qualite) (and 2 more rows)\n");
    evaluation twice[] = {
        { 0, "Marie", "qualite", 1250, 2 },
        { 0, "Luc", "qualite", 1000, 3 },
        { 0, "Marie", "qualite", 1500, 4 },
        { 1, "Marie", "qualite", 1500, 5 },
    };
    expect_grades_error(twice, 4,
                        "evaluations.csv:4: evaluator \"Marie\" already graded "
                        "criterion \"qualite\" of application A1 (line 2)\n");
}

/* ---- rank and tiebreak -------------------------------------------------- */

TEST(rank_and_tiebreak_keys)
{
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "rank.lua", &d), 0);
    if (!r)
        return;
    CHECK_INT(rules_config_get(r)->has_rank, 1);
    CHECK_INT(rules_config_get(r)->has_tiebreak, 1);
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK(res.rank != NULL && res.tiebreak != NULL);
    if (res.rank && res.tiebreak) {
        CHECK(res.rank[0] == -40000 && res.rank[1] == -90000 &&
              res.rank[2] == -10000);
        CHECK(res.tiebreak[0] == 0.5 && res.tiebreak[1] == 1234.5);
        CHECK(isinf(res.tiebreak[2]) && res.tiebreak[2] < 0);
    }
    rules_results_free(&res);
    rules_close(r);
    /* without them, no key arrays */
    CHECK_INT(evaluate("good.lua", &f, &res, &d), 0);
    CHECK(res.rank == NULL && res.tiebreak == NULL && res.first_due == NULL);
    rules_results_free(&res);
    diag_free(&d);
}

TEST(rank_errors_name_the_application)
{
    expect_eval_error("rank_bad.lua",
                      DATA "rank_bad.lua:4: rank for application A2 returned "
                      "nan, expected a number (not NaN)\n");
    /* rules_evaluate_all goes on and reports the tiebreak too */
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "rank_bad.lua", &d), 0);
    if (!r)
        return;
    CHECK_INT(rules_evaluate_all(r, &f.in, 10, &res, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d),
              DATA "rank_bad.lua:4: rank for application A2 returned nan, "
              "expected a number (not NaN)\n"
              DATA "rank_bad.lua:8: tiebreak for application A3 returned a "
              "string, expected a number\n");
    CHECK_INT(res.n_errors, 2);
    CHECK(res.eligible != NULL);
    if (res.eligible) {
        CHECK_INT(res.eligible[0], 1);
        CHECK_INT(res.eligible[1], 0);
        CHECK_INT(res.eligible[2], 0);
        CHECK_INT(res.first_failure[3], 0);
    }
    rules_results_free(&res);
    rules_close(r);
    diag_free(&d);
}

TEST(evaluate_all_stops_at_max_errors)
{
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "loop_check.lua", &d), 0);
    if (!r)
        return;
    CHECK_INT(rules_evaluate_all(r, &f.in, 2, &res, &d), DIAG_DATA);
    CHECK_INT(d.count, 2);
    CHECK_CONTAINS(diag_text(&d), "for application A2: instruction limit");
    CHECK_INT(res.n_errors, 2);
    if (res.eligible)
        CHECK_INT(res.eligible[0] + res.eligible[1] + res.eligible[2], 0);
    rules_results_free(&res);
    rules_close(r);
    diag_free(&d);
}

/* ---- schedule functions ------------------------------------------------- */

static void check_due(const rules_results *res, size_t k, int64_t share,
                      int32_t at, const char *date, const char *label)
{
    const rules_due *due = &res->dues[k];
    CHECK_INT(due->share, share);
    CHECK_INT(due->at, at);
    if (date) {
        char buf[CAL_DATE_BUFSZ];
        CHECK_STR(cal_format_date(due->date, buf), date);
    }
    CHECK(due->label < res->n_labels);
    if (due->label < res->n_labels)
        CHECK_STR(res->labels[due->label], label);
}

TEST(schedule_function)
{
    fixture f;
    fixture_init(&f);
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "schedule_fn.lua", &d), 0);
    if (!r)
        return;
    const rules_config *c = rules_config_get(r);
    CHECK_INT(c->has_schedule_fn, 1);
    CHECK_INT(c->n_instalments, 0);
    CHECK(c->instalments == NULL);
    rules_results res;
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(res.n_dues, 6);
    CHECK_INT(res.n_labels, 4);
    if (res.n_dues == 6 && res.first_due) {
        CHECK_INT(res.first_due[1], 3);
        CHECK_INT(res.first_due[2], 4);
        CHECK_INT(res.first_due[3], 6);
        /* thirds: the millionth left over goes to the first */
        check_due(&res, 0, 333334, 0, NULL, "Signature");
        check_due(&res, 1, 333333, 500, NULL, "Mi-parcours");
        check_due(&res, 2, 333333, 1000, NULL, "Rapport final");
        check_due(&res, 3, 1000000, RULES_AT_DATE, "2025-06-30",
                  "Versement unique");
        check_due(&res, 4, 600000, 250, NULL, "Mi-parcours");
        check_due(&res, 5, 400000, RULES_AT_DATE, "2024-09-01", "Signature");
        CHECK_INT(res.dues[4].label, res.dues[1].label); /* interned */
    }
    rules_results_free(&res);
    rules_close(r);
    diag_free(&d);
}

static void expect_schedule_error(const char *mode, const char *message)
{
    fixture f;
    fixture_init(&f);
    f.cells[0][6] = mode;
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate("schedule_fn_bad.lua", &f, &res, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), message);
    CHECK(res.dues == NULL && res.first_due == NULL);
    diag_free(&d);
}

TEST(schedule_function_errors)
{
#define SF DATA "schedule_fn_bad.lua:21: schedule for application A1: "
    expect_schedule_error("notlist", SF "returned a string, expected a list "
                          "of instalments { label=, share=, at= | date= }\n");
    expect_schedule_error("empty", SF "returned a table that is not a list, "
                          "or an empty one, expected a list of instalments "
                          "{ label=, share=, at= | date= }\n");
    expect_schedule_error("sum", SF "shares add up to 90 %, expected 100\n");
    expect_schedule_error("both", SF "instalment 1 has both 'at' and "
                          "'date'\n");
    expect_schedule_error("neither", SF "instalment 1: missing 'at' (0 = "
                          "start, 1 = end of the project) or 'date' "
                          "(YYYY-MM-DD)\n");
    expect_schedule_error("at", SF "instalment 1: 'at' must be a number from "
                          "0 (start of the project) to 1 (its end)\n");
    expect_schedule_error("date", SF "instalment 1: 'date' must be a real "
                          "date YYYY-MM-DD\n");
    expect_schedule_error("share", SF "instalment 1: 'share' must be a "
                          "percentage > 0 and <= 100\n");
    expect_schedule_error("label", SF "instalment 1: 'label' must be a "
                          "string\n");
    expect_schedule_error("key", SF "instalment 1: unknown key 'when'\n");
    expect_schedule_error("item", SF "instalment 1 is not a table { label=, "
                          "share=, at= | date= }\n");
#undef SF
    expect_schedule_error("error", DATA "schedule_fn_bad.lua:18: in "
                          "schedule for application A1: attempt to index a "
                          "nil value (field 'nope')\n");
}

/* ---- grid total and warnings -------------------------------------------- */

static size_t warnings_of(const char *name, diag *w)
{
    diag d;
    diag_init(&d);
    rules *r;
    size_t n = 99;
    CHECK_INT(open_rules(&r, name, &d), 0);
    if (r)
        n = rules_warnings(r, w);
    rules_close(r);
    diag_free(&d);
    return n;
}

TEST(grid_total_and_warnings)
{
    expect_open_error("grid_total.lua", DIAG_DATA,
                      DATA "grid_total.lua: the criteria's maxima add up to "
                      "60, not grid_total = 50\n");
    diag w;
    diag_init(&w);
    CHECK_INT(warnings_of("grid_60.lua", &w), 1);
    CHECK_STR(diag_text(&w), DATA "grid_60.lua: warning: the criteria's "
              "maxima add up to 60, not 100 (declare grid_total = 60 if that "
              "is intended)\n");
    diag_clear(&w);
    CHECK_INT(warnings_of("grid_60_declared.lua", &w), 0);
    CHECK_INT(warnings_of("minimal.lua", &w), 0); /* no criteria */
    CHECK_STR(diag_text(&w), "");
    diag_free(&w);
}

/* ---- test scenarios ----------------------------------------------------- */

TEST(test_scenarios)
{
    diag d;
    diag_init(&d);
    rules *r;
    rules_test_report rep;
    CHECK_INT(open_rules(&r, "good.lua", &d), 0);
    if (!r)
        return;
    CHECK_INT(rules_test(r, DATA "cases/good_cases.lua", &rep, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(rep.n_cases, 3);
    CHECK_INT(rep.n_failed, 2);
    if (rep.n_cases == 3) {
        CHECK_STR(rep.cases[0].name, "complet");
        CHECK(rep.cases[0].diff == NULL);
        CHECK_STR(rep.cases[1].name, "");
        CHECK_STR(rep.cases[1].diff,
                  "error: " DATA "good.lua:33: in criterion 'impact' for "
                  "application C2: attempt to perform arithmetic on a nil "
                  "value (field 'participants')\n");
        CHECK_STR(rep.cases[2].diff,
                  "check partner: expected pass, got fail (Partenaire "
                  "confirmé)\n"
                  "check signed: expected fail, got pass\n"
                  "score: expected 1, got 42.44\n");
    }
    rules_test_report_free(&rep);
    /* a case naming no criterion is the cases file's mistake */
    CHECK_INT(rules_test(r, DATA "cases/bad_file.lua", &rep, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "bad_file.lua: case 2 \"Critère inconnu\": "
                   "points: 'priorite' is not a criterion of the rule file\n");
    CHECK(rep.cases == NULL);
    rules_close(r);
    diag_free(&d);
}

/* ---- patterns ----------------------------------------------------------- */

/* What stock Lua's string library makes of lib/pattern_cases.lua. */
static char *stock_patterns(void)
{
    lua_State *L = luaL_newstate();
    char *out = NULL;
    if (!L)
        return NULL;
    luaL_openlibs(L);
    if (luaL_dofile(L, LIB "/pattern_cases.lua") == LUA_OK &&
        lua_pcall(L, 0, 1, 0) == LUA_OK && lua_isstring(L, -1))
        out = strdup(lua_tostring(L, -1));
    else
        printf("  stock Lua: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return out;
}

TEST(patterns_behave_as_in_lua)
{
    char *want = stock_patterns();
    CHECK(want != NULL);
    diag d;
    diag_init(&d);
    rules *r;
    CHECK_INT(open_rules(&r, "pattern_probe.lua", &d), 0);
    CHECK_STR(diag_text(&d), "");
    if (r && want) {
        const char *got = rules_config_get(r)->program;
        CHECK_STR(got, want);
        CHECK_CONTAINS(got, "15 match string:trim me");
        CHECK_CONTAINS(got, "pattern too complex");
        CHECK_CONTAINS(got, "malformed pattern (missing ']')");
    }
    rules_close(r);
    free(want);
    diag_free(&d);
}

/* Runs pattern_bomb.lua's checks on one application with limits lim
 * (NULL: the defaults), going on past errors; returns the seconds taken. */
static double run_bombs(const rules_limits *lim, rules_results *res, diag *d)
{
    fixture f;
    fixture_init(&f);
    f.in.n_apps = 1;
    rules *r;
    memset(res, 0, sizeof *res);
    CHECK_INT(rules_open(&r, DATA "pattern_bomb.lua", LIB, lim, d), 0);
    if (!r)
        return 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(rules_evaluate_all(r, &f.in, 10, res, d), DIAG_DATA);
    double s = seconds_since(&t0);
    rules_close(r);
    return s;
}

/* Each would backtrack for years in C; each stops like an endless loop,
 * at its line. */
TEST(pattern_bombs_stop_in_seconds)
{
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK(run_bombs(&small, &res, &d) < 10);
#define PB DATA "pattern_bomb.lua:"
    CHECK_STR(diag_text(&d),
              PB "7: in check 'find' for application A1: instruction limit "
              "exceeded (endless loop?)\n"
              PB "9: in check 'match' for application A1: instruction limit "
              "exceeded (endless loop?)\n"
              PB "12: in check 'gmatch' for application A1: instruction limit "
              "exceeded (endless loop?)\n"
              PB "16: in check 'gsub' for application A1: instruction limit "
              "exceeded (endless loop?)\n"
              PB "20: in check 'plain' for application A1: instruction limit "
              "exceeded (endless loop?)\n");
#undef PB
    CHECK_INT(res.n_errors, 5);
    rules_results_free(&res);
    /* the default budget (50 million instructions) ends in seconds too */
    diag_clear(&d);
    CHECK(run_bombs(NULL, &res, &d) < 60);
    CHECK_INT(res.n_errors, 5);
    rules_results_free(&res);
    diag_free(&d);
}

int main(void)
{
    RUN(grades_reach_the_rules);
    RUN(grades_unknown_criterion_and_twice);
    RUN(rank_and_tiebreak_keys);
    RUN(rank_errors_name_the_application);
    RUN(evaluate_all_stops_at_max_errors);
    RUN(schedule_function);
    RUN(schedule_function_errors);
    RUN(grid_total_and_warnings);
    RUN(test_scenarios);
    RUN(patterns_behave_as_in_lua);
    RUN(pattern_bombs_stop_in_seconds);
    return testlib_done("rules_api");
}
