/* rules_config: validates the table a rule file returns and turns it into
 * a rules_config (see include/rules.h for the keys).  This file has the
 * helpers, the scalar keys and the top level; rules_config_lists.c the
 * checks, criteria, schedule and fields.
 *
 * Every problem is reported, each naming the key or entry at fault, so an
 * analyst fixes a file in one go.  Tables are read with raw access only:
 * a metatable on the returned table must not run code here.  Numbers are
 * held as integers (hundredths of a point, permille, millionths) from this
 * point on, rounded with llround. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rules_internal.h"

#define MAX_POINTS 1e13 /* threshold bound: keeps llround(x * 100) exact */

static const char *const top_keys[] = {
    "allocate", "checks", "criteria", "fields", "grid_total", "program",
    "rank", "schedule", "split", "territory_column", "threshold",
    "tiebreak", NULL
};

/* ---- helpers ------------------------------------------------------------ */

/* Reports "path: message" with DIAG_DATA. */
int rules_cfg_err(struct rules *r, diag *d, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_add(d, DIAG_DATA, "%s: %s", r->path, msg);
}

int rules_cfg_oom(struct rules *r, diag *d)
{
    return diag_add(d, DIAG_OSERR, "%s: out of memory", r->path);
}

/* Pushes t[key] (raw) and returns its type. */
int rules_cfg_get(lua_State *L, int t, const char *key)
{
    lua_pushstring(L, key);
    return lua_rawget(L, t);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Pushes a userdata holding t's string keys, sorted so messages come in a
 * reproducible order (lua_next's order depends on a random hash seed).
 * *n_other counts the keys that are not strings. */
const char **rules_cfg_sorted_keys(lua_State *L, int t, size_t *n,
                                   size_t *n_other)
{
    size_t count = 0, other = 0;
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1))
        lua_type(L, -2) == LUA_TSTRING ? count++ : other++;
    const char **keys = lua_newuserdatauv(L, (count + 1) * sizeof *keys, 0);
    size_t i = 0;
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1))
        if (lua_type(L, -2) == LUA_TSTRING)
            keys[i++] = lua_tostring(L, -2); /* anchored by t */
    qsort(keys, count, sizeof *keys, cmp_str);
    *n = count;
    *n_other = other;
    return keys;
}

int rules_cfg_allowed(const char *key, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(key, *names) == 0)
            return 1;
    return 0;
}

/* Reports every key of table t not in names, "unknown key 'x' in where". */
int rules_cfg_keys(struct rules *r, diag *d, int t, const char *const *names,
                   const char *where)
{
    lua_State *L = r->L;
    size_t n, other;
    const char **keys = rules_cfg_sorted_keys(L, t, &n, &other);
    int st = DIAG_OK;
    for (size_t i = 0; i < n; i++)
        if (!rules_cfg_allowed(keys[i], names))
            st = rules_cfg_err(r, d, "unknown key '%s' in %s", keys[i], where);
    if (other)
        st = rules_cfg_err(r, d,
                           "%s has entries without a name (keys must be "
                           "names such as id = ...)",
                           where);
    lua_pop(L, 1);
    return st;
}

/* Is the table at t a list 1..n with nothing else? */
int rules_cfg_is_list(lua_State *L, int t, size_t *n)
{
    size_t len = (size_t)lua_rawlen(L, t), count = 0;
    for (lua_pushnil(L); lua_next(L, t); lua_pop(L, 1)) {
        lua_Integer k = lua_isinteger(L, -2) ? lua_tointeger(L, -2) : 0;
        if (k < 1 || (lua_Unsigned)k > len) {
            lua_pop(L, 2);
            return 0;
        }
        count++;
    }
    *n = len;
    return count == len;
}

/* Copies the string at idx into the rules' pool. */
const char *rules_cfg_keep(struct rules *r, int idx)
{
    size_t len;
    const char *s = lua_tolstring(r->L, idx, &len);
    return rules_pool_dup(&r->strs, s, len);
}

/* Reads t[key] as a string; "missing" when nil and required. */
int rules_cfg_string(struct rules *r, diag *d, int t, const char *key,
                     const char *where, const char **out)
{
    int type = rules_cfg_get(r->L, t, key);
    int st = DIAG_OK;
    *out = NULL;
    if (type == LUA_TNIL)
        st = rules_cfg_err(r, d, "%s: missing '%s'", where, key);
    else if (type != LUA_TSTRING)
        st = rules_cfg_err(r, d, "%s: '%s' must be a string", where, key);
    else if (!(*out = rules_cfg_keep(r, -1)))
        st = rules_cfg_oom(r, d);
    lua_pop(r->L, 1);
    return st;
}

/* Reads t[key] as a finite number; returns 0 when absent, 1 when read,
 * -1 (reported) when of another type. */
int rules_cfg_number(struct rules *r, diag *d, int t, const char *key,
                     const char *where, double *out)
{
    int type = rules_cfg_get(r->L, t, key);
    double x = lua_tonumber(r->L, -1);
    lua_pop(r->L, 1);
    if (type == LUA_TNIL)
        return 0;
    if (type != LUA_TNUMBER || !isfinite(x)) {
        if (where)
            rules_cfg_err(r, d, "%s: '%s' must be a number", where, key);
        else
            rules_cfg_err(r, d, "'%s' must be a number", key);
        return -1;
    }
    *out = x;
    return 1;
}

/* Stores e[key], which must be a function, at funcs[slot]. */
int rules_cfg_func(struct rules *r, diag *d, int e, const char *key,
                   const char *where, int funcs, size_t slot)
{
    int type = rules_cfg_get(r->L, e, key);
    if (type == LUA_TFUNCTION) {
        lua_rawseti(r->L, funcs, (lua_Integer)slot);
        return DIAG_OK;
    }
    lua_pop(r->L, 1);
    if (type == LUA_TNIL)
        return rules_cfg_err(r, d, "%s: missing '%s'", where, key);
    return rules_cfg_err(r, d, "%s: '%s' must be a function", where, key);
}

/* Pushes t[key] and checks it is a list; *n = 0 when absent. */
int rules_cfg_list(struct rules *r, diag *d, int t, const char *key, size_t *n,
                   const char *shape)
{
    int type = rules_cfg_get(r->L, t, key);
    *n = 0;
    if (type == LUA_TNIL)
        return DIAG_OK;
    if (type != LUA_TTABLE || !rules_cfg_is_list(r->L, lua_gettop(r->L), n))
        return rules_cfg_err(r, d, "'%s' must be a list of %s tables", key,
                             shape);
    return DIAG_OK;
}

/* ---- threshold and allocate --------------------------------------------- */

static int parse_threshold(struct rules *r, diag *d, int t)
{
    double x;
    int got = rules_cfg_number(r, d, t, "threshold", NULL, &x);
    r->cfg.threshold = 0;
    if (got < 0)
        return DIAG_DATA;
    if (got == 0)
        return DIAG_OK;
    if (x < 0 || x > MAX_POINTS)
        return rules_cfg_err(r, d, "'threshold' must be a number >= 0");
    r->cfg.threshold = llround(x * 100);
    return DIAG_OK;
}

/* ---- program, split and the whole table --------------------------------- */

static int parse_program(struct rules *r, diag *d, int t)
{
    int type = rules_cfg_get(r->L, t, "program");
    int st = DIAG_OK;
    r->cfg.program = "";
    if (type == LUA_TSTRING) {
        if (!(r->cfg.program = rules_cfg_keep(r, -1)))
            st = rules_cfg_oom(r, d);
    } else if (type != LUA_TNIL) {
        st = rules_cfg_err(r, d, "'program' must be a string");
    }
    lua_pop(r->L, 1);
    return st;
}

/* territory_column: a column name, checked against applications.csv by
 * equity_bind (the inputs are not known here). */
static int parse_territory_column(struct rules *r, diag *d, int t)
{
    int type = rules_cfg_get(r->L, t, "territory_column");
    int st = DIAG_OK;
    r->cfg.territory_column = "";
    if (type == LUA_TSTRING && lua_rawlen(r->L, -1) > 0) {
        if (!(r->cfg.territory_column = rules_cfg_keep(r, -1)))
            st = rules_cfg_oom(r, d);
    } else if (type != LUA_TNIL) {
        st = rules_cfg_err(r, d, "'territory_column' must be the name of a "
                           "column of applications.csv (a non-empty string)");
    }
    lua_pop(r->L, 1);
    return st;
}

/* An optional function (split, rank, tiebreak): stored at its slot of
 * the funcs table, *has set when present. */
static int parse_hook(struct rules *r, diag *d, int t, int funcs,
                      const char *key, int which, int *has)
{
    static const char *const shapes[] = {
        "", "(subregions, ctx)", "(app, ctx) returning a number",
        "(app, ctx) returning a number"
    };
    int type = rules_cfg_get(r->L, t, key);
    *has = type == LUA_TFUNCTION;
    if (type == LUA_TFUNCTION) {
        lua_rawseti(r->L, funcs, rules_slot(r, which));
        return DIAG_OK;
    }
    lua_pop(r->L, 1);
    if (type != LUA_TNIL)
        return rules_cfg_err(r, d, "'%s' must be a function %s", key,
                             shapes[which]);
    return DIAG_OK;
}

static int64_t grid_sum(const struct rules *r)
{
    int64_t sum = 0;
    for (size_t i = 0; i < r->cfg.n_criteria; i++)
        sum += r->criteria[i].max;
    return sum;
}

/* grid_total: the maxima must add up to it.  Declaring it turns the
 * warning about a grid not on 100 into a checked promise. */
static int parse_grid_total(struct rules *r, diag *d, int t)
{
    double x;
    int got = rules_cfg_number(r, d, t, "grid_total", NULL, &x);
    r->cfg.grid_total = 0;
    if (got <= 0)
        return got < 0 ? DIAG_DATA : DIAG_OK;
    if (!(x > 0 && x <= MAX_POINTS) || llround(x * 100) < 1)
        return rules_cfg_err(r, d, "'grid_total' must be a number > 0");
    r->cfg.grid_total = llround(x * 100);
    int64_t sum = grid_sum(r);
    if (r->cfg.n_criteria && sum != r->cfg.grid_total)
        return rules_cfg_err(r, d,
                             "the criteria's maxima add up to %g, not "
                             "grid_total = %g", (double)sum / 100, x);
    return DIAG_OK;
}

size_t rules_warnings(const rules *r, diag *w)
{
    int64_t sum = grid_sum(r);
    if (r->cfg.grid_total || !r->cfg.n_criteria || sum == 10000)
        return 0;
    diag_add(w, DIAG_DATA,
             "%s: warning: the criteria's maxima add up to %g, not 100 "
             "(declare grid_total = %g if that is intended)",
             r->path, (double)sum / 100, (double)sum / 100);
    return 1;
}

int rules_config_parse(struct rules *r, diag *d, int t)
{
    lua_State *L = r->L;
    if (lua_type(L, t) != LUA_TTABLE)
        return rules_cfg_err(r, d, "the rule file must return a table, not %s",
                             luaL_typename(L, t));
    int st = rules_cfg_keys(r, d, t, top_keys, "rule file");
    lua_newtable(L);
    int funcs = lua_gettop(L);
    st = rules_keep_status(st, parse_program(r, d, t));
    st = rules_keep_status(st, parse_territory_column(r, d, t));
    st = rules_keep_status(st, rules_cfg_fields(r, d, t));
    st = rules_keep_status(st, rules_cfg_checks(r, d, t, funcs));
    st = rules_keep_status(st, rules_cfg_criteria(r, d, t, funcs));
    st = rules_keep_status(st, parse_threshold(r, d, t));
    st = rules_keep_status(st, rules_cfg_allocate(r, d, t, funcs));
    st = rules_keep_status(st, rules_cfg_schedule(r, d, t, funcs));
    st = rules_keep_status(st, parse_grid_total(r, d, t));
    st = rules_keep_status(st, parse_hook(r, d, t, funcs, "split",
                                          RULES_SLOT_SPLIT,
                                          &r->cfg.has_split));
    st = rules_keep_status(st, parse_hook(r, d, t, funcs, "rank",
                                          RULES_SLOT_RANK, &r->cfg.has_rank));
    st = rules_keep_status(st, parse_hook(r, d, t, funcs, "tiebreak",
                                          RULES_SLOT_TIEBREAK,
                                          &r->cfg.has_tiebreak));
    if (st != DIAG_OK)
        return st;
    r->funcs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return DIAG_OK;
}
