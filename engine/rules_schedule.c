/* rules_schedule: a schedule *function* (see include/rules.h), called
 * once per application by rules_evaluate.  It returns a list of
 * instalments
 *
 *   { { label = "Signature", share = 50, at = 0 },
 *     { label = "Rapport final", share = 50, date = "2026-03-31" } }
 *
 * which is validated like the table form (shares > 0 adding up to 100,
 * at in [0, 1], real dates) and stored compactly in rules_results.dues:
 * shares in millionths, labels as indexes into rules_results.labels, a
 * table of the distinct labels, so plan.c and the outputs never go back
 * to Lua. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rules_internal.h"

#define SHARE_ONE INT64_C(1000000) /* millionths */
#define MAX_DUES 1000              /* instalments per application */

static const char expected[] =
    "a list of instalments { label=, share=, at= | date= }";
static const char *const due_keys[] = { "at", "date", "label", "share", NULL };

/* "path:line: schedule for application A: <msg>", positioned where the
 * function is defined. */
static int bad_due(rules_eval_job *ej, size_t a, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad_due(rules_eval_job *ej, size_t a, const char *fmt, ...)
{
    struct rules *r = ej->job.r;
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lua_rawgeti(r->L, RULES_S_FUNCS, rules_slot(r, RULES_SLOT_SCHEDULE));
    int st = rules_func_error(r, ej->job.d, -1, "schedule for application "
                              "%s: %s", ej->in->apps[a].id, msg);
    lua_pop(r->L, 1);
    return st;
}

/* ---- the label table ---------------------------------------------------- */

/* Index of the label at the top of the stack in out->labels, adding it
 * the first time; the Lua table at RULES_S_LABELS maps text to index.
 * Returns -1 when out of memory. */
static long intern_label(rules_eval_job *ej)
{
    lua_State *L = ej->job.r->L;
    rules_results *out = ej->out;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, RULES_S_LABELS) == LUA_TNUMBER) {
        long i = (long)lua_tointeger(L, -1);
        lua_pop(L, 1);
        return i;
    }
    lua_pop(L, 1);
    if (out->n_labels == ej->label_cap) {
        size_t cap = ej->label_cap ? ej->label_cap * 2 : 8;
        const char **l = realloc(out->labels, cap * sizeof *l);
        if (!l)
            return -1;
        out->labels = l;
        ej->label_cap = cap;
    }
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    const char *copy = rules_pool_dup(out->pool, s, len);
    if (!copy)
        return -1;
    out->labels[out->n_labels] = copy;
    lua_pushvalue(L, -1);
    lua_pushinteger(L, (lua_Integer)out->n_labels);
    lua_rawset(L, RULES_S_LABELS);
    return (long)out->n_labels++;
}

/* ---- one instalment ----------------------------------------------------- */

/* Reads item.key (raw) as a number; 0 absent, 1 read, -1 another type. */
static int due_number(lua_State *L, int item, const char *key, double *x)
{
    int type = rules_cfg_get(L, item, key);
    *x = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (type == LUA_TNIL)
        return 0;
    return type == LUA_TNUMBER && isfinite(*x) ? 1 : -1;
}

/* at or date, exactly one of them. */
static int due_when(rules_eval_job *ej, size_t a, int item, size_t i,
                    rules_due *due)
{
    lua_State *L = ej->job.r->L;
    double at;
    int got_at = due_number(L, item, "at", &at);
    int type = rules_cfg_get(L, item, "date");
    size_t len = 0;
    const char *s = type == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
    int bad_date = type != LUA_TNIL &&
                   (!s || cal_parse_date(s, len, &due->date) != 0);
    lua_pop(L, 1);
    if (got_at && type != LUA_TNIL)
        return bad_due(ej, a, "instalment %zu has both 'at' and 'date'", i);
    if (!got_at && type == LUA_TNIL)
        return bad_due(ej, a, "instalment %zu: missing 'at' (0 = start, 1 = "
                       "end of the project) or 'date' (YYYY-MM-DD)", i);
    if (bad_date)
        return bad_due(ej, a, "instalment %zu: 'date' must be a real date "
                       "YYYY-MM-DD", i);
    if (type != LUA_TNIL) {
        due->at = RULES_AT_DATE;
        return DIAG_OK;
    }
    if (got_at < 0 || !(at >= 0 && at <= 1))
        return bad_due(ej, a, "instalment %zu: 'at' must be a number from 0 "
                       "(start of the project) to 1 (its end)", i);
    due->at = (int32_t)llround(at * 1000);
    return DIAG_OK;
}

/* Validates list[i] and stores it at out->dues[n_dues + i - 1], its share
 * in percent in share[i - 1]. */
static int read_due(rules_eval_job *ej, size_t a, int list, size_t i,
                    double *share)
{
    lua_State *L = ej->job.r->L;
    rules_due *due = &ej->out->dues[ej->out->n_dues + i - 1];
    memset(due, 0, sizeof *due);
    if (lua_rawgeti(L, list, (lua_Integer)i) != LUA_TTABLE) {
        lua_pop(L, 1);
        return bad_due(ej, a, "instalment %zu is not a table { label=, "
                       "share=, at= | date= }", i);
    }
    int item = lua_gettop(L);
    size_t n, other;
    const char **keys = rules_cfg_sorted_keys(L, item, &n, &other);
    int st = DIAG_OK;
    for (size_t k = 0; k < n && !st; k++)
        if (!rules_cfg_allowed(keys[k], due_keys))
            st = bad_due(ej, a, "instalment %zu: unknown key '%s'", i, keys[k]);
    lua_pop(L, 1); /* the sorted keys */
    if (!st && other)
        st = bad_due(ej, a, "instalment %zu has entries without a name", i);
    if (!st && due_number(L, item, "share", share) != 1)
        st = bad_due(ej, a, "instalment %zu: 'share' must be a number "
                     "(a percentage)", i);
    else if (!st && !(*share > 0 && *share <= 100))
        st = bad_due(ej, a, "instalment %zu: 'share' must be a percentage > "
                     "0 and <= 100", i);
    if (!st)
        st = due_when(ej, a, item, i, due);
    if (!st && rules_cfg_get(L, item, "label") != LUA_TSTRING)
        st = bad_due(ej, a, "instalment %zu: 'label' must be a string", i);
    else if (!st) {
        long label = intern_label(ej);
        if (label < 0)
            st = diag_add(ej->job.d, DIAG_OSERR, "out of memory");
        due->label = (uint32_t)label;
    }
    lua_settop(L, item - 1);
    return st;
}

/* ---- the whole list ----------------------------------------------------- */

/* Percentages to millionths adding up to exactly one million: each gets
 * the floor of its exact part, the few left over go to the largest
 * remainders (ties to the earlier instalment), as apportion() does. */
static void to_millionths(rules_due *dues, const double *share, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        dues[i].share = (int64_t)floor(share[i] * 10000);
        sum += dues[i].share;
    }
    while (sum < SHARE_ONE) {
        size_t best = 0;
        double best_rem = -1;
        for (size_t i = 0; i < n; i++) {
            double rem = share[i] * 10000 - (double)dues[i].share;
            if (rem > best_rem) {
                best_rem = rem;
                best = i;
            }
        }
        dues[best].share++;
        sum++;
    }
}

static int reserve_dues(rules_eval_job *ej, size_t n)
{
    rules_results *out = ej->out;
    if (out->n_dues + n <= ej->due_cap)
        return 0;
    size_t cap = ej->due_cap ? ej->due_cap * 2 : 256;
    while (cap < out->n_dues + n)
        cap *= 2;
    rules_due *d = realloc(out->dues, cap * sizeof *d);
    if (!d)
        return -1;
    out->dues = d;
    ej->due_cap = cap;
    return 0;
}

/* Validates the list at the top of the stack and appends it. */
static int read_dues(rules_eval_job *ej, size_t a)
{
    lua_State *L = ej->job.r->L;
    int list = lua_gettop(L);
    size_t n;
    char got[32];
    if (!lua_istable(L, list) || !rules_cfg_is_list(L, list, &n) || n == 0)
        return bad_due(ej, a, "returned %s, expected %s",
                       lua_istable(L, list) ? "a table that is not a list, "
                                              "or an empty one"
                                            : rules_a_type(L, list, got,
                                                           sizeof got),
                       expected);
    if (n > MAX_DUES)
        return bad_due(ej, a, "returned %zu instalments, at most %d are "
                       "allowed", n, MAX_DUES);
    double *share = lua_newuserdatauv(L, n * sizeof *share, 0);
    if (reserve_dues(ej, n) != 0)
        return diag_add(ej->job.d, DIAG_OSERR, "out of memory");
    double sum = 0;
    for (size_t i = 1; i <= n; i++) {
        int st = read_due(ej, a, list, i, &share[i - 1]);
        if (st != DIAG_OK)
            return st;
        sum += share[i - 1];
    }
    if (fabs(sum - 100) > 1e-9)
        return bad_due(ej, a, "shares add up to %.10g %%, expected 100", sum);
    to_millionths(&ej->out->dues[ej->out->n_dues], share, n);
    ej->out->n_dues += n;
    return DIAG_OK;
}

int rules_schedule_app(rules_eval_job *ej, size_t a)
{
    struct rules *r = ej->job.r;
    lua_State *L = r->L;
    int top = lua_gettop(L);
    lua_rawgeti(L, RULES_S_FUNCS, rules_slot(r, RULES_SLOT_SCHEDULE));
    lua_pushvalue(L, RULES_S_APP);
    lua_pushvalue(L, RULES_S_CTX);
    int st = rules_call(r, 2, 1, RULES_S_MSGH);
    if (st != LUA_OK)
        return rules_call_error(r, ej->job.d, st,
                                "schedule for application %s",
                                ej->in->apps[a].id);
    st = read_dues(ej, a);
    lua_settop(L, top);
    return st;
}
