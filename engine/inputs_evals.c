/* inputs_evals: evaluations.csv (optional), the points each committee
 * member gives each application on each criterion (see include/inputs.h).
 * The rules combine them; criterion ids are checked by the rules module,
 * which knows the grid. */
#include <stdio.h>
#include <string.h>

#include "inputs_internal.h"

enum { V_APP, V_EVALUATOR, V_CRITERION, V_POINTS, V_N };

static const char *const v_app[] = {"id", "demande", "no_demande",
                                    "numero_demande", "numero_de_demande",
                                    NULL};
static const char *const v_evaluator[] = {"evaluateur", "evaluatrice",
                                          "membre", NULL};
static const char *const v_criterion[] = {"critere", NULL};
static const char *const v_points[] = {"pointage", "note", NULL};

const colspec inputs_evals_spec[] = {
    [V_APP] = {"application", v_app, 1},
    [V_EVALUATOR] = {"evaluator", v_evaluator, 1},
    [V_CRITERION] = {"criterion", v_criterion, 1},
    [V_POINTS] = {"points", v_points, 1},
};
const size_t inputs_evals_n_spec = V_N;

#define POINTS_MAX 1000000 /* whole points: far above any grid's maximum */

/* "12", "12.5", "12,75" into hundredths of a point: NULL, or what is
 * wrong with the value. */
static const char *parse_points(const char *s, size_t len, int32_t *out)
{
    static const char nan[] =
        "is not a number of points (expected e.g. 12, 12.5 or 12,5)";
    int32_t units = 0, frac = 0;
    size_t i = 0, decimals = 0;
    int neg = len > 0 && s[0] == '-';
    for (i = (size_t)neg; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        if ((units = units * 10 + (s[i] - '0')) > POINTS_MAX)
            return "is too large (at most 1000000 points)";
    if (i == (size_t)neg)
        return nan;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (++decimals <= 2)
                frac = frac * 10 + (s[i] - '0');
        if (decimals == 0)
            return nan;
    }
    if (i != len)
        return nan;
    if (decimals > 2)
        return "has more than two decimals";
    if (neg)
        return "must not be negative";
    *out = units * 100 + (decimals == 1 ? frac * 10 : frac);
    return NULL;
}

/* A required text cell, copied; NULL when empty (reported) or out of
 * memory. */
static const char *eval_text(loader *L, const csvread_row *row, int i)
{
    const char *s, *copy;
    size_t len;
    if (!inputs_table_cell(&L->t, row, i, &s, &len))
        return NULL;
    if (len == 0) {
        inputs_cell_error(L, &L->t, row, i, s, len, "is empty");
        return NULL;
    }
    if (!(copy = inputs_strndup(L->arena, s, len)))
        inputs_oom(L);
    return copy;
}

/* One grade per application, evaluator and criterion: a second one would
 * be counted twice by the rules. */
static void check_unique(loader *L, const csvread_row *row,
                         const evaluation *e)
{
    size_t ne = strlen(e->evaluator), nc = strlen(e->criterion);
    size_t cap = ne + nc + 2 * 20 + 3, first = (size_t)row->line;
    char *key = inputs_arena_alloc(L->arena, cap, 1);
    if (!key) {
        inputs_oom(L);
        return;
    }
    /* lengths make the key unambiguous whatever the names hold */
    int n = snprintf(key, cap, "%zx.%zx.%s%s", e->app, ne, e->evaluator,
                     e->criterion);
    int rc = inputs_map_put(&L->graded, key, (size_t)n,
                            inputs_map_hash(key, (size_t)n), &first);
    if (rc < 0)
        inputs_oom(L);
    else if (rc > 0)
        inputs_cell_error(L, &L->t, row, V_CRITERION, e->criterion, nc,
                          "is a duplicate of line %zu (same application, "
                          "evaluator and criterion)",
                          first);
}

int inputs_evals_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    if (row->index == 0)
        return inputs_table_header(L, &L->t, row);
    evaluation *e = inputs_table_item(L, row, (void **)&in->evals,
                                      &in->n_evals, &L->cap_evals, sizeof *e);
    if (!e)
        return inputs_status(L);
    *e = (evaluation){.evaluator = "", .criterion = "", .line = row->line};
    int known = inputs_app_ref(L, row, V_APP, &e->app) == 0;
    const char *evaluator = eval_text(L, row, V_EVALUATOR);
    const char *criterion = eval_text(L, row, V_CRITERION);
    const char *s, *why;
    size_t len;
    if (inputs_table_cell(&L->t, row, V_POINTS, &s, &len)
        && (why = len ? parse_points(s, len, &e->points) : "is empty"))
        inputs_cell_error(L, &L->t, row, V_POINTS, s, len, "%s", why);
    if (evaluator && criterion) {
        e->evaluator = evaluator;
        e->criterion = criterion;
        if (known)
            check_unique(L, row, e);
    }
    return inputs_status(L);
}
