/* Unit tests of engine/rules_eval.c and rules_app.c: one protected call
 * runs all of an application's rules, and hands back to C every rule
 * whose results need more than storing (a failed check, a wrong value)
 * or that raised an error; the evaluation goes on from the next rule.
 * The app table's shared strings (sub-region names, one-of options) give
 * the same values as strings pushed afresh. */
#include <unistd.h>

#include "rules_fixture.h"

/* Line numbers matter: the messages quote them. */
static const char eval_rules_lua[] =
    "return {\n"                                                    /* 1 */
    "  program = 'eval',\n"                                         /* 2 */
    "  fields = { participants = 'integer', cofinancement = 'money',\n"
    "             partenaire = 'boolean', type = { 'OBNL', 'coop' } },\n"
    "  checks = {\n"                                                /* 5 */
    "    { id = 'boom', label = 'Boom', test = function(app)\n"     /* 6 */
    "        if app.id == 'A1' then error('boom') end\n"            /* 7 */
    "        return true end },\n"
    "    { id = 'why', label = 'Why', test = function(app)\n"       /* 9 */
    "        return false, app.subregion .. '|' .. tostring(app.type)\n"
    "          .. '|' .. tostring(app.participants) .. '|'\n"
    "          .. tostring(app.cofinancement) .. '|'\n"
    "          .. tostring(app.partenaire) end },\n"
    "    { id = 'label', label = 'Étiquette',\n"
    "      test = function(app) return app.id ~= 'A3' end },\n"     /* 15 */
    "    { id = 'ok', label = 'Ok', test = function() return true end },\n"
    "  },\n"
    "  criteria = {\n"
    "    { id = 'c1', label = 'C1', max = 10,\n"
    "      score = function() return 5 end },\n"                    /* 20 */
    "    { id = 'c2', label = 'C2', max = 10,\n"
    "      score = function(app)\n"                                 /* 22 */
    "        if app.id == 'A2' then return 'x' end\n"
    "        return 2.5 end },\n"
    "    { id = 'c3', label = 'C3', max = 10,\n"
    "      score = function() return 70 end },\n"
    "  },\n"
    "  threshold = 1,\n"
    "  allocate = { method = 'greedy', on_overflow = 'skip' },\n"
    "}\n";

static const char same_reason_lua[] =
    "return {\n"
    "  checks = { { id = 'c', label = 'C', test = function(app)\n"
    "    return false, 'même ' .. 'raison' end } },\n"
    "  criteria = { { id = 'k', label = 'K', max = 10,\n"
    "    score = function() return 1 end } },\n"
    "  threshold = 1,\n"
    "  allocate = { method = 'greedy', on_overflow = 'skip' },\n"
    "}\n";

static int write_rules(char *path, size_t cap, const char *text)
{
    snprintf(path, cap, "/tmp/test_rules_eval_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *fp = fdopen(fd, "w");
    if (!fp) {
        close(fd);
        return -1;
    }
    fputs(text, fp);
    return fclose(fp);
}

static void check_failure(const rules_results *res, size_t k, size_t app,
                          size_t check, const char *reason)
{
    CHECK(k < res->n_failures);
    if (k >= res->n_failures)
        return;
    CHECK_INT(res->failures[k].app, app);
    CHECK_INT(res->failures[k].check, check);
    CHECK_STR(res->failures[k].reason, reason);
}

/* Runs the file on the fixture, its sub-region names shared with the
 * split rows or not, and checks every result and message. */
static void evaluate_past_errors(int shared_names)
{
    fixture f;
    fixture_init(&f);
    if (shared_names)
        for (size_t i = 0; i < N_APPS; i++)
            f.apps[i].subregion_name = f.split[f.apps[i].subregion].name;
    char path[64];
    CHECK_INT(write_rules(path, sizeof path, eval_rules_lua), 0);
    diag d;
    diag_init(&d);
    rules *r = NULL;
    CHECK_INT(rules_open(&r, path, LIB, &small, &d), 0);
    if (!r) {
        remove(path);
        return;
    }
    rules_results res;
    CHECK_INT(rules_evaluate_all(r, &f.in, 10, &res, &d), DIAG_DATA);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s:7: in check 'boom' for application A1: boom\n"
             "%s:22: criterion 'c2' for application A2 returned a string, "
             "expected a number\n", path, path);
    CHECK_STR(diag_text(&d), expected);
    CHECK_INT(res.n_errors, 2);
    CHECK_INT(res.n_failures, 4);
    check_failure(&res, 0, 0, 1, "Haut-Richelieu|OBNL|25|12345.67|true");
    check_failure(&res, 1, 1, 1, "Longueuil|coop|8|0.0|false");
    check_failure(&res, 2, 2, 1, "Haut-Richelieu|OBNL|40|nil|nil");
    check_failure(&res, 3, 2, 2, "Étiquette");
    CHECK_INT(res.first_failure[0], 0);
    CHECK_INT(res.first_failure[1], 1);
    CHECK_INT(res.first_failure[2], 2);
    CHECK_INT(res.first_failure[3], 4);
    /* the rules after an error or a wrong value still ran */
    static const int32_t points[N_APPS][3] = {
        { 500, 250, 1000 }, { 500, 0, 1000 }, { 500, 250, 1000 }
    };
    for (size_t a = 0; a < N_APPS; a++) {
        for (size_t c = 0; c < 3; c++)
            CHECK_INT(res.points[a * 3 + c], points[a][c]);
        CHECK_INT(res.eligible[a], 0);
    }
    CHECK_INT(res.score[0], 1750);
    CHECK_INT(res.score[1], 1500);
    rules_results_free(&res);
    /* rules_evaluate stops at the first error, reported the same way */
    diag_clear(&d);
    CHECK_INT(rules_evaluate(r, &f.in, &res, &d), DIAG_DATA);
    snprintf(expected, sizeof expected,
             "%s:7: in check 'boom' for application A1: boom\n", path);
    CHECK_STR(diag_text(&d), expected);
    rules_close(r);
    diag_free(&d);
    remove(path);
}

TEST(rules_run_past_errors_and_wrong_values)
{
    evaluate_past_errors(0);
}

TEST(shared_strings_give_the_same_values)
{
    evaluate_past_errors(1);
}

/* A reason given again (here built afresh by every call) is kept once. */
TEST(repeated_reasons_kept_once)
{
    fixture f;
    fixture_init(&f);
    char path[64];
    CHECK_INT(write_rules(path, sizeof path, same_reason_lua), 0);
    diag d;
    diag_init(&d);
    rules *r = NULL;
    CHECK_INT(rules_open(&r, path, LIB, &small, &d), 0);
    rules_results res;
    if (r && rules_evaluate(r, &f.in, &res, &d) == 0) {
        CHECK_INT(res.n_failures, N_APPS);
        for (size_t k = 0; k < res.n_failures; k++) {
            CHECK_STR(res.failures[k].reason, "même raison");
            CHECK(res.failures[k].reason == res.failures[0].reason);
        }
        rules_results_free(&res);
    }
    CHECK_STR(diag_text(&d), "");
    rules_close(r);
    diag_free(&d);
    remove(path);
}

int main(void)
{
    RUN(rules_run_past_errors_and_wrong_values);
    RUN(shared_strings_give_the_same_values);
    RUN(repeated_reasons_kept_once);
    return testlib_done("rules_eval");
}
