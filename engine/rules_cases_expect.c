/* rules_cases_expect: a test case's committee grades and its expected
 * outcome (see rules_cases.c for the file's shape).
 *
 *   grades = { qualite = { Marie = 12, Luc = 15 } }  -- by evaluator
 *   grades = { qualite = { 12, 15 } }                -- evaluators #1, #2
 *   eligible = true | false,  fails = { "check", ... },
 *   points = { criterion = n }, score = n, above_threshold = true | false
 *
 * Ids must name checks and criteria of the rule file: a misspelt id in a
 * test would otherwise pass for the wrong reason. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rules_cases.h"

#define MAX_POINTS 1e7 /* keeps hundredths of a point inside an int32 */

static long criterion_of(const struct rules *r, const char *id)
{
    for (size_t c = 0; c < r->cfg.n_criteria; c++)
        if (strcmp(r->criteria[c].id, id) == 0)
            return (long)c;
    return -1;
}

static long check_of(const struct rules *r, const char *id)
{
    for (size_t c = 0; c < r->cfg.n_checks; c++)
        if (strcmp(r->checks[c].id, id) == 0)
            return (long)c;
    return -1;
}

/* Points as given: a number >= 0, in hundredths. */
static int to_hundredths(lua_State *L, int v, int64_t *out)
{
    double x = lua_tonumber(L, v);
    if (lua_type(L, v) != LUA_TNUMBER || !(x >= 0 && x <= MAX_POINTS))
        return -1;
    *out = llround(x * 100);
    return 0;
}

/* ---- grades ------------------------------------------------------------- */

static int add_grade(test_run *t, size_t i, const char *criterion,
                     const char *evaluator, int v)
{
    test_case *c = &t->cases[i - 1];
    int64_t points;
    if (to_hundredths(t->job.r->L, v, &points) != 0)
        return rules_case_err(t, i, "grades.%s: %s's grade must be a number "
                              ">= 0", criterion, evaluator);
    evaluation *more = realloc(c->evals, (c->n_evals + 1) * sizeof *more);
    if (!more)
        return diag_add(t->job.d, DIAG_OSERR, "out of memory");
    c->evals = more;
    const char *who = rules_case_keep(t, evaluator, strlen(evaluator));
    long line = (long)c->n_evals + 1; /* messages: the grade's rank */
    c->evals[c->n_evals++] = (evaluation){ 0, who, criterion,
                                           (int32_t)points, line };
    return DIAG_OK;
}

/* One criterion's grades, a list or a map by evaluator (sorted, so the
 * order of list does not depend on pairs()). */
static int read_grade(test_run *t, size_t i, const char *criterion, int g)
{
    lua_State *L = t->job.r->L;
    size_t n, other;
    int st = DIAG_OK;
    if (rules_cfg_is_list(L, g, &n) && n > 0) {
        for (size_t k = 1; k <= n && !st; k++) {
            char who[32];
            snprintf(who, sizeof who, "#%zu", k);
            lua_rawgeti(L, g, (lua_Integer)k);
            st = add_grade(t, i, criterion, who, lua_gettop(L));
            lua_pop(L, 1);
        }
        return st;
    }
    const char **names = rules_cfg_sorted_keys(L, g, &n, &other);
    if (other || n == 0)
        st = rules_case_err(t, i, "grades.%s must list grades, or map "
                            "evaluators to grades", criterion);
    for (size_t k = 0; k < n && !st; k++) {
        lua_pushstring(L, names[k]);
        lua_rawget(L, g);
        st = add_grade(t, i, criterion, names[k], lua_gettop(L));
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* the sorted names */
    return st;
}

int rules_cases_grades(test_run *t, size_t i, int e)
{
    struct rules *r = t->job.r;
    lua_State *L = r->L;
    int type = rules_cfg_get(L, e, "grades");
    int gt = lua_gettop(L), st = DIAG_OK;
    if (type != LUA_TNIL && type != LUA_TTABLE)
        st = rules_case_err(t, i, "'grades' must be a table { criterion = "
                            "{ evaluator = points } }");
    size_t n = 0, other = 0;
    const char **ids = type == LUA_TTABLE
                           ? rules_cfg_sorted_keys(L, gt, &n, &other)
                           : NULL;
    if (other)
        st = rules_case_err(t, i, "'grades' must map criterion ids to grades");
    for (size_t k = 0; k < n; k++) {
        long c = criterion_of(r, ids[k]);
        if (c < 0) {
            st = rules_case_err(t, i, "grades: '%s' is not a criterion of the "
                                "rule file", ids[k]);
            continue;
        }
        lua_pushstring(L, ids[k]);
        if (lua_rawget(L, gt) != LUA_TTABLE)
            st = rules_case_err(t, i, "grades.%s must be a table", ids[k]);
        else
            st = rules_keep_status(
                st, read_grade(t, i, r->criteria[c].id, lua_gettop(L)));
        lua_pop(L, 1);
    }
    lua_settop(L, gt - 1);
    return st;
}

/* ---- expectations ------------------------------------------------------- */

/* eligible, above_threshold: booleans, -1 when absent. */
static int read_flag(test_run *t, size_t i, int e, const char *key,
                     int *out)
{
    lua_State *L = t->job.r->L;
    int type = rules_cfg_get(L, e, key);
    *out = type == LUA_TBOOLEAN ? lua_toboolean(L, -1) : -1;
    lua_pop(L, 1);
    if (type != LUA_TNIL && type != LUA_TBOOLEAN)
        return rules_case_err(t, i, "'%s' must be true or false", key);
    return DIAG_OK;
}

static int read_fails(test_run *t, size_t i, int e)
{
    struct rules *r = t->job.r;
    lua_State *L = r->L;
    test_case *c = &t->cases[i - 1];
    size_t n = 0;
    int type = rules_cfg_get(L, e, "fails"), st = DIAG_OK;
    int list = lua_gettop(L);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return DIAG_OK;
    }
    if (type != LUA_TTABLE || !rules_cfg_is_list(L, list, &n))
        st = rules_case_err(t, i, "'fails' must list check ids");
    else if (!(c->fails = calloc(r->cfg.n_checks + 1, 1)))
        st = diag_add(t->job.d, DIAG_OSERR, "out of memory");
    for (size_t k = 1; !st && k <= n; k++) {
        lua_rawgeti(L, list, (lua_Integer)k);
        long chk = lua_type(L, -1) == LUA_TSTRING
                       ? check_of(r, lua_tostring(L, -1)) : -1;
        if (chk < 0)
            st = rules_case_err(t, i, "fails[%zu]: %s%s%s is not a check of "
                                "the rule file", k,
                                lua_isstring(L, -1) ? "'" : "",
                                lua_isstring(L, -1) ? lua_tostring(L, -1)
                                                    : "a value that",
                                lua_isstring(L, -1) ? "'" : "");
        else
            c->fails[chk] = 1;
        lua_pop(L, 1);
    }
    lua_settop(L, list - 1);
    if (!st && c->eligible == 1 && n > 0)
        st = rules_case_err(t, i, "'eligible = true' and 'fails' contradict "
                            "each other");
    return st;
}

static int read_points(test_run *t, size_t i, int e)
{
    struct rules *r = t->job.r;
    lua_State *L = r->L;
    test_case *c = &t->cases[i - 1];
    int type = rules_cfg_get(L, e, "points"), pt = lua_gettop(L);
    int st = DIAG_OK;
    size_t n = 0, other = 0;
    if (type != LUA_TNIL && type != LUA_TTABLE)
        st = rules_case_err(t, i, "'points' must map criterion ids to points");
    const char **ids = type == LUA_TTABLE
                           ? rules_cfg_sorted_keys(L, pt, &n, &other)
                           : NULL;
    if (ids && !(c->points = malloc((r->cfg.n_criteria + 1) *
                                    sizeof *c->points)))
        return diag_add(t->job.d, DIAG_OSERR, "out of memory");
    for (size_t k = 0; c->points && k <= r->cfg.n_criteria; k++)
        c->points[k] = CASE_UNSET;
    if (other)
        st = rules_case_err(t, i, "'points' must map criterion ids to points");
    for (size_t k = 0; k < n; k++) {
        long crit = criterion_of(r, ids[k]);
        lua_pushstring(L, ids[k]);
        lua_rawget(L, pt);
        if (crit < 0)
            st = rules_case_err(t, i, "points: '%s' is not a criterion of the "
                                "rule file", ids[k]);
        else if (to_hundredths(L, -1, &c->points[crit]) != 0)
            st = rules_case_err(t, i, "points.%s must be a number >= 0",
                                ids[k]);
        lua_pop(L, 1);
    }
    lua_settop(L, pt - 1);
    return st;
}

int rules_cases_expect(test_run *t, size_t i, int e)
{
    lua_State *L = t->job.r->L;
    test_case *c = &t->cases[i - 1];
    int st = read_flag(t, i, e, "eligible", &c->eligible);
    st = rules_keep_status(st, read_flag(t, i, e, "above_threshold",
                                         &c->above));
    st = rules_keep_status(st, read_fails(t, i, e));
    st = rules_keep_status(st, read_points(t, i, e));
    int type = rules_cfg_get(L, e, "score");
    if (type != LUA_TNIL && to_hundredths(L, -1, &c->score) != 0)
        st = rules_case_err(t, i, "'score' must be a number >= 0");
    lua_pop(L, 1);
    return st;
}
