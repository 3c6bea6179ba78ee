/* rules_split: calls the rule file's split(subregions, ctx) and turns the
 * weights it returns into parts per billion (rules_split, see
 * include/rules.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rules_internal.h"

#define PPB INT64_C(1000000000)

typedef struct split_job {
    rules_job job;
    const inputs *in;
    int64_t *weights;
} split_job;

/* Stack slots inside split_body, after its light userdata at 1. */
enum { S_MSGH = 2, S_FUNC, S_RESULT };

/* { name=, reserve=, amount=, share=, <extra columns> } in dollars and
 * fractions, the extra columns as numbers when they read as numbers. */
static void push_subregion(lua_State *L, const inputs *in, const subregion *s)
{
    lua_createtable(L, 0, (int)(4 + in->n_split_extra));
    for (size_t j = 0; j < in->n_split_extra; j++) {
        const char *cell = s->extra[j];
        if (!cell || !*cell)
            continue;
        rules_push_number_or_string(L, cell);
        lua_setfield(L, -2, in->split_extra_keys[j]);
    }
    lua_pushstring(L, s->name ? s->name : "");
    lua_setfield(L, -2, "name");
    lua_pushboolean(L, s->is_reserve);
    lua_setfield(L, -2, "reserve");
    if (s->has_amount) {
        lua_pushnumber(L, (lua_Number)s->amount / 100.0);
        lua_setfield(L, -2, "amount");
    }
    if (s->has_share) {
        lua_pushnumber(L, (lua_Number)s->share / (lua_Number)INPUTS_SHARE_ONE);
        lua_setfield(L, -2, "share");
    }
}

static void push_subregions(lua_State *L, const inputs *in)
{
    lua_createtable(L, (int)in->n_split, 0);
    for (size_t i = 0; i < in->n_split; i++) {
        push_subregion(L, in, &in->split[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int bad_split(split_job *sj, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "rules/x.lua:40: split returned ...", positioned at split's definition. */
static int bad_split(split_job *sj, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return rules_func_error(sj->job.r, sj->job.d, S_FUNC, "split returned %s",
                            msg);
}

static long find_name(const inputs *in, const char *name)
{
    for (size_t i = 0; i < in->n_split; i++)
        if (in->split[i].name && strcmp(in->split[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Every key of the result must be a subregion of split.csv. */
static int check_names(split_job *sj)
{
    lua_State *L = sj->job.r->L;
    int st = DIAG_OK;
    for (lua_pushnil(L); lua_next(L, S_RESULT); lua_pop(L, 1)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            st = bad_split(sj, "a weight under a %s key, expected subregion "
                           "names", luaL_typename(L, -2));
        else if (find_name(sj->in, lua_tostring(L, -2)) < 0)
            st = bad_split(sj, "a weight for '%s', which is not a subregion "
                           "of split.csv", lua_tostring(L, -2));
    }
    return st;
}

/* Reads the weight of every subregion, in file order, into w. */
static int read_weights(split_job *sj, double *w)
{
    lua_State *L = sj->job.r->L;
    int st = DIAG_OK;
    for (size_t i = 0; i < sj->in->n_split; i++) {
        const char *name = sj->in->split[i].name ? sj->in->split[i].name : "";
        lua_pushstring(L, name);
        int type = lua_rawget(L, S_RESULT);
        w[i] = lua_tonumber(L, -1);
        if (type == LUA_TNIL)
            st = bad_split(sj, "no weight for subregion '%s'", name);
        else if (type != LUA_TNUMBER)
            st = bad_split(sj, "a %s as the weight of '%s', expected a number "
                           ">= 0", luaL_typename(L, -1), name);
        else if (!isfinite(w[i]) || w[i] < 0)
            st = bad_split(sj, "%s as the weight of '%s', expected a finite "
                           "number >= 0", lua_tostring(L, -1), name);
        lua_pop(L, 1);
    }
    return st;
}

/* Parts per billion of the sum, each rounded to nearest; the rounding
 * difference (at most n/2 ppb either way) goes to the largest weight, the
 * first in file order on a tie, so the parts add up to exactly 1e9 and the
 * change is smallest relative to the part it touches. */
static int to_ppb(split_job *sj, const double *w)
{
    size_t n = sj->in->n_split, big = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (!isfinite(sum))
        return bad_split(sj, "weights too large to add up");
    if (!(sum > 0))
        return bad_split(sj, "only zero weights");
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        sj->weights[i] = llround(w[i] / sum * (double)PPB);
        total += sj->weights[i];
        if (w[i] > w[big])
            big = i;
    }
    sj->weights[big] += PPB - total;
    return DIAG_OK;
}

static int split_body(lua_State *L)
{
    split_job *sj = lua_touserdata(L, 1);
    struct rules *r = sj->job.r;
    luaL_checkstack(L, RULES_STACK, NULL);
    lua_pushcfunction(L, rules_msgh);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->funcs_ref);
    lua_rawgeti(L, -1, rules_slot(r, RULES_SLOT_SPLIT));
    lua_remove(L, -2); /* the split function is now at S_FUNC */
    lua_pushvalue(L, S_FUNC);
    push_subregions(L, sj->in);
    rules_push_ctx(r, sj->in);
    int st = rules_call(r, 2, 1, S_MSGH);
    if (st != LUA_OK) {
        sj->job.status = rules_call_error(r, sj->job.d, st, "split");
        return 0;
    }
    if (!lua_istable(L, S_RESULT)) {
        sj->job.status = bad_split(sj, "%s, expected a table { [subregion "
                                   "name] = weight }",
                                   luaL_typename(L, S_RESULT));
        return 0;
    }
    /* scratch space owned by Lua, so an error here leaks nothing */
    size_t n = sj->in->n_split ? sj->in->n_split : 1;
    double *w = lua_newuserdatauv(L, n * sizeof *w, 0);
    st = check_names(sj);
    if (read_weights(sj, w) != DIAG_OK || st != DIAG_OK)
        sj->job.status = DIAG_DATA;
    else
        sj->job.status = to_ppb(sj, w);
    return 0;
}

int rules_split(rules *r, const inputs *in, int64_t *weights, diag *d)
{
    if (!r->cfg.has_split)
        return diag_add(d, DIAG_INTERNAL,
                        "%s: rules_split called but the rule file defines "
                        "no split()", r->path);
    split_job sj = { { r, d, DIAG_OK }, in, weights };
    return rules_protect(&sj.job, split_body);
}
