/* rules_test: runs each case of a rule test file alone, as a
 * one-application input folder, and lists what differs from what it
 * expects (rules_test, see include/rules.h; the file is read by
 * rules_cases.c).  A rule error inside a case fails that case, with the
 * error, and the other cases still run. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_cases.h"

/* ---- the difference text ------------------------------------------------ */

typedef struct diff_buf {
    char *text;
    size_t len, cap;
    int oom;
} diff_buf;

static void diff_add(diff_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends one line (fmt, then '\n'). */
static void diff_add(diff_buf *b, const char *fmt, ...)
{
    char line[700];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n
                                                       : sizeof line - 1;
    if (b->oom)
        return;
    if (b->len + len + 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + len + 2)
            cap *= 2;
        char *more = realloc(b->text, cap);
        if (!more) {
            b->oom = 1;
            return;
        }
        b->text = more;
        b->cap = cap;
    }
    memcpy(b->text + b->len, line, len);
    b->len += len;
    b->text[b->len++] = '\n';
    b->text[b->len] = '\0';
}

/* Hundredths of a point as the analyst wrote them: 25, 12.5, 7.44. */
static const char *pts(int64_t h, char *buf, size_t cap)
{
    if (h % 100 == 0)
        snprintf(buf, cap, "%lld", (long long)(h / 100));
    else if (h % 10 == 0)
        snprintf(buf, cap, "%lld.%lld", (long long)(h / 100),
                 (long long)(h % 100 / 10));
    else
        snprintf(buf, cap, "%lld.%02lld", (long long)(h / 100),
                 (long long)(h % 100));
    return buf;
}

/* ---- comparing one case ------------------------------------------------- */

/* The reason check k failed for the case's application, or NULL. */
static const char *failure_of(const rules_results *res, size_t k)
{
    for (size_t f = res->first_failure[0]; f < res->first_failure[1]; f++)
        if (res->failures[f].check == k)
            return res->failures[f].reason;
    return NULL;
}

static void compare_checks(const rules_config *cfg, const test_case *c,
                           const rules_results *res, diff_buf *b)
{
    for (size_t k = 0; k < cfg->n_checks; k++) {
        const char *why = failure_of(res, k);
        int want_fail = c->fails ? c->fails[k] : c->eligible == 1 ? 0 : -1;
        if (want_fail < 0 || want_fail == (why != NULL))
            continue;
        if (why)
            diff_add(b, "check %s: expected pass, got fail (%s)",
                     cfg->checks[k].id, why);
        else
            diff_add(b, "check %s: expected fail, got pass",
                     cfg->checks[k].id);
    }
    if (!c->fails && c->eligible == 0 && res->eligible[0])
        diff_add(b, "eligible: expected false, got true (every check "
                 "passed)");
}

static void compare_points(const rules_config *cfg, const test_case *c,
                           const rules_results *res, diff_buf *b)
{
    char w[32], g[32], s[32], th[32];
    for (size_t k = 0; c->points && k < cfg->n_criteria; k++)
        if (c->points[k] != CASE_UNSET && c->points[k] != res->points[k])
            diff_add(b, "criterion %s: expected %s, got %s",
                     cfg->criteria[k].id, pts(c->points[k], w, sizeof w),
                     pts(res->points[k], g, sizeof g));
    if (c->score != CASE_UNSET && c->score != res->score[0])
        diff_add(b, "score: expected %s, got %s", pts(c->score, w, sizeof w),
                 pts(res->score[0], g, sizeof g));
    int above = res->score[0] >= cfg->threshold;
    if (c->above >= 0 && c->above != above)
        diff_add(b, "above_threshold: expected %s, got %s (score %s, "
                 "threshold %s)", c->above ? "true" : "false",
                 above ? "true" : "false", pts(res->score[0], s, sizeof s),
                 pts(cfg->threshold, th, sizeof th));
}

/* Each line of a rule error, as the case's difference. */
static void add_errors(diag *err, diff_buf *b)
{
    const char *text = diag_text(err);
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        diff_add(b, "error: %.*s", (int)len, text);
        text += len + (nl != NULL);
    }
}

/* ---- running the cases -------------------------------------------------- */

static void case_inputs(const test_run *t, test_case *c, inputs *in)
{
    memset(in, 0, sizeof *in);
    in->apps = &c->app;
    in->n_apps = 1;
    in->extra_names = c->keys;
    in->extra_keys = c->keys;
    in->n_extra = c->n_cols;
    in->years = t->years;
    in->n_years = t->n_years;
    in->split = t->subs;
    in->n_split = t->n_subs;
    in->evals = c->evals;
    in->n_evals = c->n_evals;
}

/* Runs case i; its differences go to out->diff. Returns a diag status
 * only for what stops every case (out of memory). */
static int run_case(rules *r, const test_run *t, size_t i,
                    rules_case_result *out, diag *d)
{
    test_case *c = &t->cases[i];
    inputs in;
    rules_results res;
    diag err;
    diff_buf b = { NULL, 0, 0, 0 };
    case_inputs(t, c, &in);
    diag_init(&err);
    int st = rules_evaluate(r, &in, &res, &err);
    if (st == DIAG_OK) {
        compare_checks(rules_config_get(r), c, &res, &b);
        compare_points(rules_config_get(r), c, &res, &b);
        rules_results_free(&res);
    } else if (st == DIAG_DATA) {
        add_errors(&err, &b);
        st = DIAG_OK;
    } else {
        st = diag_add(d, st, "%s", diag_text(&err));
    }
    diag_free(&err);
    out->name = c->name;
    out->diff = b.text;
    if (b.oom)
        st = diag_add(d, DIAG_OSERR, "out of memory");
    return st;
}

void rules_test_report_free(rules_test_report *rep)
{
    for (size_t i = 0; rep->cases && i < rep->n_cases; i++)
        free(rep->cases[i].diff);
    free(rep->cases);
    if (rep->pool) {
        rules_pool_free(rep->pool);
        free(rep->pool);
    }
    memset(rep, 0, sizeof *rep);
}

int rules_test(rules *r, const char *path, rules_test_report *rep, diag *d)
{
    test_run t;
    memset(rep, 0, sizeof *rep);
    memset(&t, 0, sizeof t);
    t.job = (rules_job){ r, d, DIAG_OK };
    t.path = path;
    rep->pool = t.strs = calloc(1, sizeof *t.strs);
    if (!t.strs)
        return diag_add(d, DIAG_OSERR, "out of memory");
    int st = rules_cases_load(&t);
    if (st == DIAG_OK &&
        !(rep->cases = calloc(t.n_cases + 1, sizeof *rep->cases)))
        st = diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t i = 0; st == DIAG_OK && i < t.n_cases; i++) {
        rep->n_cases = i + 1;
        st = run_case(r, &t, i, &rep->cases[i], d);
        rep->n_failed += rep->cases[i].diff != NULL;
    }
    rules_cases_free(&t);
    if (st != DIAG_OK)
        rules_test_report_free(rep);
    return st;
}
