/* rules_grades: the committee's grades (evaluations.csv, inputs.evals)
 * handed to the rules as app.grades[criterion] (see rules/README.md):
 *
 *   { mean = points, n = count, by = { [evaluator] = points },
 *     list = { points, ... in file order } }
 *
 * The evaluations are grouped by application once (a counting sort), so
 * building each application's table costs only its own rows.  The
 * grouping and the checks run in plain C before any rule runs: an
 * evaluation naming no criterion of the rule file, or an evaluator
 * grading the same criterion of the same application twice, is a data
 * error reported at its line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "csvread.h"
#include "rules_internal.h"

void rules_grades_free(rules_grades *g)
{
    free(g->first);
    free(g->order);
    free(g->crit);
    memset(g, 0, sizeof *g);
}

/* "a, b, c" (truncated to cap), for the message about an unknown id. */
static const char *criteria_list(const rules_config *cfg, char *buf,
                                 size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < cfg->n_criteria && n < cap; c++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", c ? ", " : "",
                              cfg->criteria[c].id);
    return cfg->n_criteria ? buf : "none";
}

/* An unknown criterion id, reported once at its first row with the
 * number of other rows naming it: a grid renamed wholesale gives one
 * line per id, not one per row. */
typedef struct unknown_id {
    const char *id;
    long line;
    size_t more;
} unknown_id;

#define MAX_UNKNOWN 20 /* distinct ids tracked; the rest reported per row */

static void report_unknown(const rules_config *cfg, const char *id,
                           long line, size_t more, diag *d)
{
    char known[400], tail[64] = "", shown[CSVREAD_SHOW_MAX];
    csvread_show(id, strlen(id), shown); /* a cell: one line, cut */
    if (more)
        snprintf(tail, sizeof tail, " (and %zu more row%s)", more,
                 more == 1 ? "" : "s");
    /* the column is not known until the loader records it: 0 omits it */
    diag_at(d, DIAG_DATA, "evaluations.csv", line, 0,
            "criterion: \"%s\" is not a criterion of the rule file "
            "(known: %s)%s", shown, criteria_list(cfg, known, sizeof known),
            tail);
}

/* Remembers an unknown id; returns 0 when it must be reported alone. */
static int note_unknown(unknown_id *u, size_t *n, const evaluation *e)
{
    for (size_t k = 0; k < *n; k++)
        if (strcmp(u[k].id, e->criterion) == 0) {
            u[k].more++;
            return 1;
        }
    if (*n == MAX_UNKNOWN)
        return 0;
    u[(*n)++] = (unknown_id){ e->criterion, e->line, 0 };
    return 1;
}

/* Maps every evaluation's criterion id to its index; reports those that
 * name no criterion. */
static int map_criteria(const rules_config *cfg, const inputs *in,
                        rules_grades *g, diag *d)
{
    unknown_id unknown[MAX_UNKNOWN];
    size_t n_unknown = 0;
    int st = DIAG_OK;
    for (size_t i = 0; i < in->n_evals; i++) {
        const evaluation *e = &in->evals[i];
        size_t c = 0;
        while (c < cfg->n_criteria &&
               strcmp(cfg->criteria[c].id, e->criterion) != 0)
            c++;
        g->crit[i] = (uint32_t)c;
        if (c < cfg->n_criteria)
            continue;
        st = DIAG_DATA;
        if (!note_unknown(unknown, &n_unknown, e))
            report_unknown(cfg, e->criterion, e->line, 0, d);
    }
    for (size_t k = 0; k < n_unknown; k++)
        report_unknown(cfg, unknown[k].id, unknown[k].line, unknown[k].more,
                       d);
    return st;
}

/* Counting sort of the evaluations by application, file order kept. */
static void group_by_app(const inputs *in, rules_grades *g)
{
    for (size_t i = 0; i < in->n_evals; i++)
        g->first[in->evals[i].app + 1]++;
    for (size_t a = 0; a < in->n_apps; a++)
        g->first[a + 1] += g->first[a];
    size_t *next = g->first; /* reused as cursors, then shifted back */
    for (size_t i = 0; i < in->n_evals; i++)
        g->order[next[in->evals[i].app]++] = i;
    for (size_t a = in->n_apps; a > 0; a--)
        g->first[a] = g->first[a - 1];
    g->first[0] = 0;
}

/* An evaluator grades a criterion of an application once: by[evaluator]
 * could not hold two grades.  Each application has few rows. */
static int check_twice(const inputs *in, const rules_grades *g, diag *d)
{
    int st = DIAG_OK;
    for (size_t a = 0; a < in->n_apps; a++)
        for (size_t j = g->first[a] + 1; j < g->first[a + 1]; j++)
            for (size_t i = g->first[a]; i < j; i++) {
                const evaluation *x = &in->evals[g->order[i]];
                const evaluation *y = &in->evals[g->order[j]];
                if (g->crit[g->order[i]] != g->crit[g->order[j]] ||
                    strcmp(x->evaluator, y->evaluator) != 0)
                    continue;
                st = diag_at(d, DIAG_DATA, "evaluations.csv", y->line, 0,
                             "evaluator \"%s\" already graded criterion "
                             "\"%s\" of application %s (line %ld)",
                             y->evaluator, y->criterion, in->apps[a].id,
                             x->line);
                break;
            }
    return st;
}

int rules_grades_prepare(const struct rules *r, const inputs *in,
                         rules_grades *g, diag *d)
{
    memset(g, 0, sizeof *g);
    if (!in->n_evals)
        return DIAG_OK;
    g->first = calloc(in->n_apps + 1, sizeof *g->first);
    g->order = malloc(in->n_evals * sizeof *g->order);
    g->crit = malloc(in->n_evals * sizeof *g->crit);
    if (!g->first || !g->order || !g->crit)
        return diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t i = 0; i < in->n_evals; i++)
        if (in->evals[i].app >= in->n_apps)
            return diag_at(d, DIAG_INTERNAL, "evaluations.csv",
                           in->evals[i].line, 0,
                           "application index %zu out of range",
                           in->evals[i].app);
    int st = map_criteria(&r->cfg, in, g, d);
    if (st != DIAG_OK)
        return st;
    group_by_app(in, g);
    return check_twice(in, g, d);
}

/* Pushes the table of criterion c from the application's rows [from, to)
 * of g->order. */
static void push_grade(lua_State *L, const inputs *in, const rules_grades *g,
                       size_t from, size_t to, uint32_t c)
{
    lua_createtable(L, 0, 4);
    lua_newtable(L); /* by */
    lua_newtable(L); /* list */
    lua_Integer n = 0;
    int64_t sum = 0;
    for (size_t k = from; k < to; k++) {
        if (g->crit[g->order[k]] != c)
            continue;
        const evaluation *e = &in->evals[g->order[k]];
        lua_Number points = (lua_Number)e->points / 100.0;
        lua_pushnumber(L, points);
        lua_rawseti(L, -2, ++n);
        lua_pushnumber(L, points);
        lua_setfield(L, -3, e->evaluator);
        sum += e->points;
    }
    lua_setfield(L, -3, "list");
    lua_setfield(L, -2, "by");
    lua_pushinteger(L, n);
    lua_setfield(L, -2, "n");
    lua_pushnumber(L, (lua_Number)sum / 100.0 / (lua_Number)n);
    lua_setfield(L, -2, "mean");
}

void rules_grades_push(const struct rules *r, const inputs *in,
                       const rules_grades *g, size_t app)
{
    lua_State *L = r->L;
    if (!g->first) {
        lua_newtable(L);
        return;
    }
    size_t from = g->first[app], to = g->first[app + 1];
    lua_createtable(L, 0, (int)(to - from));
    for (size_t k = from; k < to; k++) {
        uint32_t c = g->crit[g->order[k]];
        size_t first = from; /* the criterion's first row decides */
        while (g->crit[g->order[first]] != c)
            first++;
        if (first != k)
            continue;
        push_grade(L, in, g, k, to, c);
        lua_setfield(L, -2, r->cfg.criteria[c].id);
    }
}
