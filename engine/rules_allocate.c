/* rules_allocate: the rule file's allocate table, the options of the
 * built-in greedy allocation. */
#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "money.h"
#include "rules_internal.h"

static const char *const alloc_keys[] = {
    "leftover", "max_grant", "max_per_organisation", "method",
    "min_partial_share", "on_overflow", NULL
};

static int parse_method(struct rules *r, diag *d, int a)
{
    int type = rules_cfg_get(r->L, a, "method");
    int ok = type == LUA_TNIL ||
        (type == LUA_TSTRING && strcmp(lua_tostring(r->L, -1), "greedy") == 0);
    lua_pop(r->L, 1);
    if (!ok)
        return rules_cfg_err(r, d,
                             "allocate.method must be \"greedy\" (the only "
                             "method so far)");
    return DIAG_OK;
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

int rules_cfg_allocate(struct rules *r, diag *d, int t)
{
    lua_State *L = r->L;
    int type = rules_cfg_get(L, t, "allocate");
    int a = lua_gettop(L);
    int st = DIAG_OK;
    r->cfg.on_overflow = RULES_OVERFLOW_SKIP;
    r->cfg.min_partial = 1000;
    r->cfg.leftover = RULES_LEFTOVER_RESERVE;
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
    } else if (type != LUA_TNIL) {
        st =
            rules_cfg_err(r, d,
                          "'allocate' must be a table { method=, on_overflow=, "
                          "min_partial_share=, leftover=, max_grant=, "
                          "max_per_organisation= }");
    }
    lua_pop(L, 1);
    return st;
}

