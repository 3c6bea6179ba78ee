/* rules_allocate: the rule file's allocate table, the options of the
 * built-in greedy allocation. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "calendar.h"
#include "money.h"
#include "rules_internal.h"

static const char *const alloc_keys[] = {
    "allow_resubmit", "completion", "leftover", "max_grant",
    "max_per_organisation", "method", "min_partial_share", "on_overflow",
    "utility", NULL
};

/* allow_resubmit: a boolean, false when absent. */
static int parse_resubmit(struct rules *r, diag *d, int a)
{
    int type = rules_cfg_get(r->L, a, "allow_resubmit");
    r->cfg.allow_resubmit = type == LUA_TBOOLEAN && lua_toboolean(r->L, -1);
    lua_pop(r->L, 1);
    if (type != LUA_TNIL && type != LUA_TBOOLEAN)
        return rules_cfg_err(r, d, "allocate.allow_resubmit must be true or "
                             "false");
    return DIAG_OK;
}

/* One of names[] (values[] beside), *out = values[0] when absent.
 * Returns 1 when the key was given, 0 when absent, -1 (reported) when
 * not one of them. */
static int parse_choice(struct rules *r, diag *d, int a, const char *key,
                        const char *const *names, const int *values,
                        const char *expected, int *out)
{
    int type = rules_cfg_get(r->L, a, key);
    const char *s = type == LUA_TSTRING ? lua_tostring(r->L, -1) : NULL;
    int got = type == LUA_TNIL ? 0 : -1;
    *out = values[0];
    for (size_t i = 0; s && names[i]; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = values[i];
            got = 1;
        }
    lua_pop(r->L, 1);
    if (got < 0)
        rules_cfg_err(r, d, "allocate.%s must be %s", key, expected);
    return got;
}

/* method, and the options of equal shares: completion and utility are
 * refused with greedy, on_overflow other than skip and min_partial_share
 * with equal shares (it buys whole projects: see rules/README.md). */
static int parse_method(struct rules *r, diag *d, int a)
{
    static const char *const methods[] = {"greedy", "equal_shares", NULL};
    static const int mv[] = {RULES_METHOD_GREEDY, RULES_METHOD_EQUAL_SHARES};
    static const char *const completions[] = {"greedy", "none", "add1", NULL};
    static const int cv[] = {RULES_COMPLETION_GREEDY, RULES_COMPLETION_NONE,
                             RULES_COMPLETION_ADD1};
    static const char *const utilities[] = {"points", "cost", NULL};
    static const int uv[] = {RULES_UTILITY_POINTS, RULES_UTILITY_COST};
    int m, c, u, st = DIAG_OK;
    int got_m = parse_choice(r, d, a, "method", methods, mv,
                             "\"greedy\" or \"equal_shares\"", &m);
    int got_c = parse_choice(r, d, a, "completion", completions, cv,
                             "\"greedy\", \"none\" or \"add1\"", &c);
    int got_u = parse_choice(r, d, a, "utility", utilities, uv,
                             "\"points\" or \"cost\"", &u);
    if (got_m < 0 || got_c < 0 || got_u < 0)
        st = DIAG_DATA;
    r->cfg.method = (rules_method)m;
    r->cfg.completion = (rules_completion)c;
    r->cfg.utility = (rules_utility)u;
    if (m == RULES_METHOD_GREEDY && got_m >= 0 && (got_c > 0 || got_u > 0))
        st = rules_cfg_err(r, d, "allocate.%s is an option of method = "
                           "\"equal_shares\", not of the greedy method",
                           got_c > 0 ? "completion" : "utility");
    return st;
}

/* Equal shares buys whole projects and skips what does not fit. */
static int check_equal_shares(struct rules *r, diag *d, int a)
{
    if (r->cfg.method != RULES_METHOD_EQUAL_SHARES)
        return DIAG_OK;
    int st = DIAG_OK;
    if (r->cfg.on_overflow != RULES_OVERFLOW_SKIP)
        st = rules_cfg_err(r, d, "allocate.on_overflow must be \"skip\" "
                           "with method = \"equal_shares\" (it buys whole "
                           "projects and skips those that do not fit)");
    int type = rules_cfg_get(r->L, a, "min_partial_share");
    lua_pop(r->L, 1);
    if (type != LUA_TNIL)
        st = rules_cfg_err(r, d, "allocate.min_partial_share has no meaning "
                           "with method = \"equal_shares\" (no partial "
                           "grants)");
    return st;
}

static int parse_overflow(struct rules *r, diag *d, int a)
{
    static const char *const names[] = { "skip", "stop", "partial" };
    static const rules_overflow values[] = { RULES_OVERFLOW_SKIP,
                                             RULES_OVERFLOW_STOP,
                                             RULES_OVERFLOW_PARTIAL };
    int type = rules_cfg_get(r->L, a, "on_overflow");
    const char *s = type == LUA_TSTRING ? lua_tostring(r->L, -1) : NULL;
    int found = type == LUA_TNIL;
    r->cfg.on_overflow = RULES_OVERFLOW_SKIP;
    for (size_t i = 0; s && i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            r->cfg.on_overflow = values[i];
            found = 1;
        }
    lua_pop(r->L, 1);
    if (!found)
        return rules_cfg_err(
            r, d,
            "allocate.on_overflow must be \"skip\", \"stop\" or "
            "\"partial\"");
    return DIAG_OK;
}

/* min_partial_share: a share of the request in (0, 1], held in permille. */
static int parse_min_partial(struct rules *r, diag *d, int a)
{
    double x;
    int got = rules_cfg_number(r, d, a, "min_partial_share", "allocate", &x);
    r->cfg.min_partial = 1000;
    if (got < 0)
        return DIAG_DATA;
    if (got == 0)
        return DIAG_OK;
    if (!(x > 0 && x <= 1) || llround(x * 1000) < 1)
        return rules_cfg_err(
            r, d,
            "allocate.min_partial_share must be a share of the "
            "request between 0.001 and 1");
    r->cfg.min_partial = (int32_t)llround(x * 1000);
    return DIAG_OK;
}

static int parse_leftover(struct rules *r, diag *d, int a)
{
    int type = rules_cfg_get(r->L, a, "leftover");
    const char *s = type == LUA_TSTRING ? lua_tostring(r->L, -1) : NULL;
    int ok = type == LUA_TNIL;
    r->cfg.leftover = RULES_LEFTOVER_RESERVE;
    if (s && strcmp(s, "reserve") == 0)
        ok = 1;
    if (s && strcmp(s, "carry") == 0) {
        r->cfg.leftover = RULES_LEFTOVER_CARRY;
        ok = 1;
    }
    lua_pop(r->L, 1);
    if (!ok)
        return rules_cfg_err(r, d,
                             "allocate.leftover must be \"reserve\" or \"carry\"");
    return DIAG_OK;
}

/* A cap in dollars, held in cents; absent means no cap. */
static int parse_cap(struct rules *r, diag *d, int a, const char *key,
                     int64_t *out)
{
    double x;
    int got = rules_cfg_number(r, d, a, key, "allocate", &x);
    *out = 0;
    if (got < 0)
        return DIAG_DATA;
    if (got == 0)
        return DIAG_OK;
    if (!(x > 0 && x * 100 <= (double)MONEY_MAX))
        return rules_cfg_err(r, d, "allocate.%s must be an amount of dollars > 0",
                             key);
    *out = llround(x * 100);
    return DIAG_OK;
}

/* allocate is the options of the built-in greedy method, or a function
 * that decides the grants itself (see rules_allocate). */
int rules_cfg_allocate(struct rules *r, diag *d, int t, int funcs)
{
    lua_State *L = r->L;
    int type = rules_cfg_get(L, t, "allocate");
    int a = lua_gettop(L);
    int st = DIAG_OK;
    r->cfg.on_overflow = RULES_OVERFLOW_SKIP;
    r->cfg.min_partial = 1000;
    r->cfg.leftover = RULES_LEFTOVER_RESERVE;
    r->cfg.has_allocate = 0;
    r->cfg.method = RULES_METHOD_GREEDY;
    r->cfg.completion = RULES_COMPLETION_GREEDY;
    r->cfg.utility = RULES_UTILITY_POINTS;
    if (type == LUA_TFUNCTION) {
        lua_rawseti(L, funcs, rules_slot(r, RULES_SLOT_ALLOCATE));
        r->cfg.has_allocate = 1;
        return DIAG_OK;
    }
    if (type == LUA_TTABLE) {
        st = rules_cfg_keys(r, d, a, alloc_keys, "allocate");
        st = rules_keep_status(st, parse_method(r, d, a));
        st = rules_keep_status(st, parse_overflow(r, d, a));
        st = rules_keep_status(st, parse_min_partial(r, d, a));
        st = rules_keep_status(st, parse_leftover(r, d, a));
        st = rules_keep_status(
            st, parse_cap(r, d, a, "max_grant", &r->cfg.max_grant));
        st = rules_keep_status(
            st, parse_cap(r, d, a, "max_per_organisation", &r->cfg.max_per_org));
        st = rules_keep_status(st, parse_resubmit(r, d, a));
        st = rules_keep_status(st, check_equal_shares(r, d, a));
    } else if (type != LUA_TNIL) {
        st =
            rules_cfg_err(r, d,
                          "'allocate' must be a function or a table { method=, on_overflow=, "
                          "min_partial_share=, leftover=, max_grant=, "
                          "max_per_organisation=, allow_resubmit=, "
                          "completion=, utility= }");
    }
    lua_pop(L, 1);
    return st;
}


/* ---- the allocate function ---------------------------------------------- */

typedef struct alloc_job {
    rules_job job;
    const inputs *in;
    const rules_results *res;
    size_t subregion;
    const rules_candidate *cand;
    size_t n;
    const int64_t *remaining;
    int64_t *grants;
} alloc_job;

/* Stack slots inside alloc_body, after its light userdata at 1. */
enum { A_MSGH = 2, A_FUNC, A_RESULT };

static void set_number(lua_State *L, const char *key, lua_Number v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

/* { ["2024-2025"] = value, ... } for the program's fiscal years. */
static void push_by_year(lua_State *L, const inputs *in, const int64_t *v,
                         lua_Number scale)
{
    lua_createtable(L, 0, (int)in->n_years);
    for (size_t y = 0; y < in->n_years; y++) {
        char fy[CAL_FY_BUFSZ];
        lua_pushnumber(L, (lua_Number)v[y] / scale);
        lua_setfield(L, -2, cal_format_fiscal_year(in->years[y].fiscal_year, fy));
    }
}

static void push_candidate(lua_State *L, const alloc_job *aj, size_t i)
{
    const rules_candidate *c = &aj->cand[i];
    const application *app = &aj->in->apps[c->app];
    lua_createtable(L, 0, 8);
    lua_pushstring(L, app->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, app->organisation);
    lua_setfield(L, -2, "organisation");
    lua_pushstring(L, app->title);
    lua_setfield(L, -2, "title");
    set_number(L, "requested", (lua_Number)app->requested / 100.0);
    lua_pushinteger(L, app->requested);
    lua_setfield(L, -2, "requested_cents");
    set_number(L, "score", (lua_Number)aj->res->score[c->app] / 100.0);
    lua_pushinteger(L, c->rank);
    lua_setfield(L, -2, "rank");
    push_by_year(L, aj->in, c->year_share, 1000000.0);
    lua_setfield(L, -2, "years");
}

static void push_envelope(lua_State *L, const alloc_job *aj)
{
    lua_createtable(L, 0, 3);
    lua_pushstring(L, aj->in->split[aj->subregion].name);
    lua_setfield(L, -2, "subregion");
    push_by_year(L, aj->in, aj->remaining, 100.0);
    lua_setfield(L, -2, "left");
}

static int alloc_bad(alloc_job *aj, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "rules/x.lua:12: allocate() for Ouest: <what>", positioned where the
 * function is defined (its result has no line of its own). */
static int alloc_bad(alloc_job *aj, const char *fmt, ...)
{
    struct rules *r = aj->job.r;
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    rules_push_funcpos(r, A_FUNC);
    int st = diag_add(aj->job.d, DIAG_DATA, "%s: allocate() for %s: %s",
                      lua_tostring(r->L, -1),
                      aj->in->split[aj->subregion].name, what);
    lua_pop(r->L, 1);
    return st;
}

/* Dollars to cents, refusing what is not a whole number of cents. */
static int alloc_cents(lua_Number x, int64_t *out)
{
    if (!isfinite(x) || x < 0 || x * 100 > (lua_Number)MONEY_MAX)
        return -1;
    lua_Number c = x * 100;
    int64_t k = llround(c);
    if (fabs(c - (lua_Number)k) > 1e-6)
        return -1;
    *out = k;
    return 0;
}

/* Reads result[id] for every candidate, in rank order. */
static int alloc_read(alloc_job *aj)
{
    lua_State *L = aj->job.r->L;
    for (size_t i = 0; i < aj->n; i++) {
        const char *id = aj->in->apps[aj->cand[i].app].id;
        aj->grants[i] = 0;
        int type = lua_getfield(L, A_RESULT, id);
        if (type != LUA_TNIL &&
            (type != LUA_TNUMBER || alloc_cents(lua_tonumber(L, -1), &aj->grants[i]) != 0)) {
            char buf[64];
            const char *got = type == LUA_TNUMBER
                                  ? lua_tostring(L, -1)
                                  : rules_a_type(L, -1, buf, sizeof buf);
            return alloc_bad(aj, "application %s: grant %s is not an amount "
                                 "of dollars >= 0 in whole cents", id, got);
        }
        lua_pop(L, 1);
    }
    return DIAG_OK;
}

/* Every key of the result must be a candidate's id; the smallest unknown
 * one is named, so the message does not depend on table order. */
static int alloc_known(alloc_job *aj)
{
    lua_State *L = aj->job.r->L;
    lua_createtable(L, 0, (int)aj->n);
    int ids = lua_gettop(L);
    for (size_t i = 0; i < aj->n; i++) {
        lua_pushboolean(L, 1);
        lua_setfield(L, ids, aj->in->apps[aj->cand[i].app].id);
    }
    char unknown[128] = "";
    int found = 0;
    lua_pushnil(L);
    while (lua_next(L, A_RESULT) != 0) {
        lua_pop(L, 1); /* the value; the key stays for lua_next */
        char buf[64];
        const char *key = lua_type(L, -1) == LUA_TSTRING
                              ? lua_tostring(L, -1)
                              : rules_a_type(L, -1, buf, sizeof buf);
        lua_pushvalue(L, -1);
        int known = lua_type(L, -1) == LUA_TSTRING &&
                    lua_rawget(L, ids) != LUA_TNIL;
        lua_pop(L, 1);
        if (!known && (!found || strcmp(key, unknown) < 0)) {
            snprintf(unknown, sizeof unknown, "%s", key);
            found = 1;
        }
    }
    lua_pop(L, 1); /* ids */
    if (!found)
        return DIAG_OK;
    return alloc_bad(aj, "\"%s\" is not a candidate of this sub-region",
                     unknown);
}

static int alloc_body(lua_State *L)
{
    alloc_job *aj = lua_touserdata(L, 1);
    struct rules *r = aj->job.r;
    luaL_checkstack(L, RULES_STACK, NULL);
    lua_pushcfunction(L, rules_msgh);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->funcs_ref);
    lua_rawgeti(L, -1, rules_slot(r, RULES_SLOT_ALLOCATE));
    lua_remove(L, -2); /* the allocate function is now at A_FUNC */
    lua_pushvalue(L, A_FUNC);
    lua_createtable(L, (int)aj->n, 0);
    for (size_t i = 0; i < aj->n; i++) {
        push_candidate(L, aj, i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    push_envelope(L, aj);
    rules_push_ctx(r, aj->in);
    int st = rules_call(r, 3, 1, A_MSGH);
    if (st != LUA_OK) {
        aj->job.status = rules_call_error(r, aj->job.d, st, "allocate() for %s",
                                          aj->in->split[aj->subregion].name);
        return 0;
    }
    if (!lua_istable(L, A_RESULT)) {
        char buf[64];
        aj->job.status = alloc_bad(aj, "returned %s, expected a table "
                                       "{ [id] = dollars }",
                                   rules_a_type(L, A_RESULT, buf, sizeof buf));
        return 0;
    }
    aj->job.status = alloc_read(aj);
    if (aj->job.status == DIAG_OK)
        aj->job.status = alloc_known(aj);
    return 0;
}

int rules_allocate(rules *r, const inputs *in, const rules_results *res,
                   size_t subregion, const rules_candidate *cand, size_t n,
                   const int64_t *remaining, int64_t *grants, diag *d)
{
    if (!r->cfg.has_allocate)
        return diag_add(d, DIAG_INTERNAL, "%s: rules_allocate called but "
                                          "allocate is not a function", r->path);
    alloc_job aj = {{r, d, DIAG_OK}, in, res, subregion, cand, n, remaining,
                    grants};
    return rules_protect(&aj.job, alloc_body);
}
