/* rules_pattern_lib: string.find, string.match, string.gmatch and
 * string.gsub of the sandbox, on the counted matcher of rules_pattern.c.
 * They take the same arguments and return the same values as Lua 5.4's;
 * the only difference is that their work counts against the rule call's
 * instruction budget. */
#include <string.h>

#include <lauxlib.h>

#include "rules_internal.h"
#include "rules_pattern.h"

#define SPECIALS "^$*+?.([%-"
#define ESC_CHAR '%'

/* Lua's 1-based, possibly negative, start position as an offset. */
static size_t start_offset(lua_Integer pos, size_t len)
{
    if (pos > 0)
        return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 0;
    return len + (size_t)pos;
}

static int has_specials(const char *p, size_t lp)
{
    for (size_t i = 0; i < lp; i++)
        if (p[i] && strchr(SPECIALS, p[i]))
            return 1;
    return 0;
}

/* Plain search, charged like matching: a long needle tried at many
 * places is work too. */
static const char *plain_find(pm_state *ms, const char *s, size_t ls,
                              const char *p, size_t lp)
{
    if (lp == 0)
        return s;
    while (lp <= ls) {
        const char *hit = memchr(s, p[0], ls - lp + 1);
        if (!hit)
            return NULL;
        ms->steps += 1 + lp / 8;
        if (ms->steps >= 4096)
            pm_settle(ms);
        if (memcmp(hit + 1, p + 1, lp - 1) == 0)
            return hit;
        ls -= (size_t)(hit + 1 - s);
        s = hit + 1;
    }
    return NULL;
}

/* ---- find and match ----------------------------------------------------- */

static int find_plain(lua_State *L, const char *s, size_t ls, size_t init,
                      const char *p, size_t lp)
{
    pm_state ms;
    pm_prepare(&ms, L, s, ls, p, lp);
    const char *hit = plain_find(&ms, s + init, ls - init, p, lp);
    pm_settle(&ms);
    if (!hit) {
        luaL_pushfail(L);
        return 1;
    }
    lua_pushinteger(L, (hit - s) + 1);
    lua_pushinteger(L, (lua_Integer)((size_t)(hit - s) + lp));
    return 2;
}

static int find_or_match(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || !has_specials(p, lp)))
        return find_plain(L, s, ls, init, p, lp);
    int anchor = *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    pm_state ms;
    pm_prepare(&ms, L, s, ls, p, lp);
    const char *at = s + init;
    do {
        ms.level = 0;
        ms.depth = PM_MAXDEPTH;
        const char *end = pm_match(&ms, at, p);
        if (end) {
            pm_settle(&ms);
            if (!find)
                return pm_push_captures(&ms, at, end);
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, end - s);
            return pm_push_captures(&ms, NULL, NULL) + 2;
        }
    } while (at++ < ms.src_end && !anchor);
    pm_settle(&ms);
    luaL_pushfail(L);
    return 1;
}

static int pm_find(lua_State *L)
{
    return find_or_match(L, 1);
}

static int pm_match_fn(lua_State *L)
{
    return find_or_match(L, 0);
}

/* ---- gmatch ------------------------------------------------------------- */

typedef struct gmatch_state {
    const char *src;        /* where the next match is tried */
    const char *p;
    const char *lastmatch;  /* an empty match there again is skipped */
    pm_state ms;
} gmatch_state;

static int gmatch_next(lua_State *L)
{
    gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
    gm->ms.L = L;
    for (const char *at = gm->src; at <= gm->ms.src_end; at++) {
        gm->ms.level = 0;
        gm->ms.depth = PM_MAXDEPTH;
        const char *end = pm_match(&gm->ms, at, gm->p);
        if (end && end != gm->lastmatch) {
            gm->src = gm->lastmatch = end;
            pm_settle(&gm->ms);
            return pm_push_captures(&gm->ms, at, end);
        }
    }
    pm_settle(&gm->ms);
    return 0;
}

/* gmatch(s, pattern [, init]): '^' is not an anchor here, as in Lua. */
static int pm_gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
    lua_settop(L, 2); /* the closure keeps both strings alive */
    gmatch_state *gm = lua_newuserdatauv(L, sizeof *gm, 0);
    if (init > ls)
        init = ls + 1;
    pm_prepare(&gm->ms, L, s, ls, p, lp);
    gm->src = s + init;
    gm->p = p;
    gm->lastmatch = NULL;
    lua_pushcclosure(L, gmatch_next, 3);
    return 1;
}

/* ---- gsub --------------------------------------------------------------- */

/* A replacement string: %0..%9 and %%. */
static void add_template(pm_state *ms, luaL_Buffer *b, const char *s,
                         const char *e)
{
    lua_State *L = ms->L;
    size_t l;
    const char *news = lua_tolstring(L, 3, &l), *p;
    while ((p = memchr(news, ESC_CHAR, l)) != NULL) {
        luaL_addlstring(b, news, (size_t)(p - news));
        p++;
        if (*p == ESC_CHAR) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (*p >= '1' && *p <= '9') {
            const char *cap;
            ptrdiff_t len = pm_get_capture(ms, *p - '1', s, e, &cap);
            if (len == PM_CAP_POSITION)
                luaL_addvalue(b);
            else
                luaL_addlstring(b, cap, (size_t)len);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string",
                       ESC_CHAR);
        }
        l -= (size_t)(p + 1 - news);
        news = p + 1;
    }
    luaL_addlstring(b, news, l);
}

/* Adds the replacement of the match s..e; returns whether it changed
 * anything (false or nil from a table or function keeps the match). */
static int add_value(pm_state *ms, luaL_Buffer *b, const char *s,
                     const char *e, int tr)
{
    lua_State *L = ms->L;
    if (tr == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        int n = pm_push_captures(ms, s, e);
        pm_settle(ms);
        lua_call(L, n, 1);
    } else if (tr == LUA_TTABLE) {
        pm_push_capture(ms, 0, s, e);
        lua_gettable(L, 3);
    } else {
        add_template(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)",
                          luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int pm_gsub(lua_State *L)
{
    size_t srcl, lp;
    const char *src = luaL_checklstring(L, 1, &srcl);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *lastmatch = NULL;
    int tr = lua_type(L, 3);
    lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1), n = 0;
    int anchor = *p == '^', changed = 0;
    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                     tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                     "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--;
    }
    pm_state ms;
    pm_prepare(&ms, L, src, srcl, p, lp);
    while (n < max_s) {
        ms.level = 0;
        ms.depth = PM_MAXDEPTH;
        const char *e = pm_match(&ms, src, p);
        if (e && e != lastmatch) {
            n++;
            changed = add_value(&ms, &b, src, e, tr) | changed;
            src = lastmatch = e;
        } else if (src < ms.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor)
            break;
    }
    pm_settle(&ms);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

void rules_pattern_open(lua_State *L)
{
    static const luaL_Reg fns[] = {
        { "find", pm_find }, { "match", pm_match_fn },
        { "gmatch", pm_gmatch }, { "gsub", pm_gsub }, { NULL, NULL }
    };
    luaL_setfuncs(L, fns, 0);
}
