/* rules_sandbox: the globals a rule file sees.
 *
 * Only base, string, table, math and utf8 are opened.  Everything that
 * reaches the file system, the process or the VM's internals is left out
 * or replaced: no io, os, debug, package, coroutine; no dofile, loadfile,
 * string.dump; load accepts text only; require reads rules/lib only;
 * setmetatable refuses finalizers (__gc); table.move pays for its C loop
 * in instructions; string.find, match, gmatch and gsub run on a matcher
 * that pays for its backtracking (rules_pattern.c); collectgarbage only
 * counts; print goes to stderr; math.random has a fixed seed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "rules_internal.h"
#include "rules_pattern.h"

/* Registry keys (their addresses are unique light userdata). */
static const char loaded_key = 'L';  /* table: module name -> value */
static const char loading_key = 'B'; /* sentinel while a module loads */

/* setmetatable(t, mt) refusing __gc: Lua runs finalizers with hooks
 * disabled, so an endless loop in one would escape the instruction limit
 * and hang the engine.  Lua marks an object for finalization only if its
 * metatable has __gc when set (a raw field), so checking here suffices.
 * The original setmetatable is upvalue 1. */
static int safe_setmetatable(lua_State *L)
{
    lua_pushliteral(L, "__gc");
    if (lua_type(L, 2) == LUA_TTABLE && lua_rawget(L, 2) != LUA_TNIL)
        return luaL_error(L, "setmetatable: __gc metamethods are not "
                          "available in rule files");
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 2, 1);
    return 1;
}

/* table.move(a1, f, e, t [, a2]) loops in C, unseen by the count hook:
 * each element moved is charged as one instruction before it starts.
 * The original table.move is upvalue 1. */
static int safe_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    if (e >= f)
        rules_charge(L, (uint64_t)((lua_Unsigned)e - (lua_Unsigned)f) + 1);
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

/* Wraps lib.name (lib at the top of the stack) by fn, with the original
 * as fn's upvalue 1. */
static void wrap_field(lua_State *L, const char *name, lua_CFunction fn)
{
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, -2, name);
}

/* load(chunk [, chunkname [, mode [, env]]]) with mode forced to "t":
 * binary chunks are not verified by Lua and could corrupt the VM.  The
 * original load is upvalue 1.  Without env, the original already uses
 * the sandbox's globals (there is no other global table in this state). */
static int safe_load(lua_State *L)
{
    int n = lua_gettop(L);
    lua_settop(L, n < 2 ? 2 : n);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    int nargs = 3;
    if (n >= 4) {
        lua_pushvalue(L, 4);
        nargs = 4;
    }
    int base = lua_gettop(L) - nargs - 1;
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L) - base;
}

/* ^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$ : no "..", no "/", no absolute
 * path, nothing outside libdir. */
static int valid_module_name(const char *s)
{
    int at_start = 1;
    for (; *s; s++) {
        int lower = (*s >= 'a' && *s <= 'z') || *s == '_';
        int digit = *s >= '0' && *s <= '9';
        if (*s == '.') {
            if (at_start)
                return 0;
            at_start = 1;
        } else if (lower || (digit && !at_start)) {
            at_start = 0;
        } else {
            return 0;
        }
    }
    return !at_start;
}

static struct rules *rules_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Loads <libdir>/<name with dots as slashes>.lua, text only, with the
 * chunk name "@<that path>", runs it with the name as argument and caches
 * its result (true when it returns nothing) in the registry. */
static int load_module(lua_State *L, struct rules *r, const char *name,
                       int cache)
{
    luaL_gsub(L, name, ".", "/");
    const char *path = lua_pushfstring(L, "%s/%s.lua", r->libdir,
                                       lua_tostring(L, -1));
    int st = luaL_loadfilex(L, path, "t");
    if (st == LUA_ERRFILE)
        return luaL_error(L, "require '%s': no file %s", name, path);
    if (st != LUA_OK)
        return lua_error(L);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, cache, name);
    return 1;
}

/* require(name): only modules of libdir.  A module that is still loading
 * when required again (a cycle, or a load that failed and was caught by
 * pcall) is refused rather than run twice. */
static int safe_require(lua_State *L)
{
    struct rules *r = rules_of(L);
    const char *name = luaL_checkstring(L, 1);
    if (!r->libdir)
        return luaL_error(L, "require '%s': no rules library is available",
                          name);
    if (!valid_module_name(name))
        return luaL_error(L,
                          "require '%s': only modules from rules/lib are "
                          "available", name);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
    int cache = lua_gettop(L);
    lua_getfield(L, cache, name);
    if (lua_touserdata(L, -1) == &loading_key)
        return luaL_error(L, "require '%s': circular require, or the module "
                          "failed while loading", name);
    if (!lua_isnil(L, -1))
        return 1;
    lua_pop(L, 1);
    lua_pushlightuserdata(L, (void *)&loading_key);
    lua_setfield(L, cache, name);
    return load_module(L, r, name, cache);
}

/* print(...) to stderr, each line prefixed "rules: ": the analysts' debug
 * channel, kept off stdout where the engine writes its own output. */
/* A line of print(): to stderr, or kept for later (rules_par.c: a
 * second state's lines go after the first's, as one state prints them),
 * or dropped. Out of memory, a kept line is lost: print is a debugging
 * aid, never an output. */
static void keep_print(struct rules *r, const char *s, size_t len)
{
    if (r->print_mode == RULES_PRINT_STDERR) {
        fwrite(s, 1, len, stderr);
        fflush(stderr);
        return;
    }
    if (r->print_mode == RULES_PRINT_DROP)
        return;
    if (r->prints_len + len > r->prints_cap) {
        size_t cap = r->prints_cap ? r->prints_cap : 4096;
        while (cap < r->prints_len + len)
            cap *= 2;
        char *grown = realloc(r->prints, cap);
        if (!grown)
            return;
        r->prints = grown;
        r->prints_cap = cap;
    }
    memcpy(r->prints + r->prints_len, s, len);
    r->prints_len += len;
}

static int safe_print(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "rules: ");
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    void *ud;
    lua_getallocf(L, &ud); /* the rules (rules_new) */
    keep_print((struct rules *)ud, s, len);
    return 0;
}

/* collectgarbage("count") only: the other options could stop the
 * collector or change its pace under the engine's feet. */
static int safe_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0)
        return luaL_error(L, "collectgarbage: only \"count\" is available "
                          "in rule files");
    int kb = lua_gc(L, LUA_GCCOUNT);
    int b = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024.0);
    return 1;
}

static void open_lib(lua_State *L, const char *name, lua_CFunction open)
{
    luaL_requiref(L, name, open, 1);
    lua_pop(L, 1);
}

static void set_global_nil(lua_State *L, const char *name)
{
    lua_pushnil(L);
    lua_setglobal(L, name);
}

/* math.random is seeded from the clock by Lua: a fixed seed keeps runs
 * reproducible, which public funding decisions must be. */
static void seed_random(lua_State *L)
{
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "randomseed");
    lua_pushinteger(L, 0);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
}

/* math.random and math.randomseed, counted: the generator's state runs
 * from one application to the next, so results that draw from it depend
 * on which applications a state evaluated before (rules_par.c looks at
 * the count). Upvalues: the rules, the library's function. */
static int counted_random(lua_State *L)
{
    struct rules *r = lua_touserdata(L, lua_upvalueindex(1));
    r->random_calls++;
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static void count_random(struct rules *r)
{
    static const char *const names[] = {"random", "randomseed"};
    lua_State *L = r->L;
    lua_getglobal(L, "math");
    for (int i = 0; i < 2; i++) {
        lua_pushlightuserdata(L, r);
        lua_getfield(L, -2, names[i]);
        lua_pushcclosure(L, counted_random, 2);
        lua_setfield(L, -2, names[i]);
    }
    lua_pop(L, 1);
}

void rules_sandbox_push_loaded(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
}

void rules_sandbox_open(struct rules *r)
{
    lua_State *L = r->L;
    open_lib(L, LUA_GNAME, luaopen_base);
    open_lib(L, LUA_STRLIBNAME, luaopen_string);
    open_lib(L, LUA_TABLIBNAME, luaopen_table);
    open_lib(L, LUA_MATHLIBNAME, luaopen_math);
    open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
    seed_random(L);
    count_random(r);

    set_global_nil(L, "dofile");
    set_global_nil(L, "loadfile");
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    rules_pattern_open(L); /* also the methods: ("x"):find() */
    lua_pop(L, 1);
    lua_getglobal(L, LUA_TABLIBNAME);
    wrap_field(L, "move", safe_move);
    lua_pop(L, 1);

    lua_pushglobaltable(L);
    wrap_field(L, "load", safe_load);
    wrap_field(L, "setmetatable", safe_setmetatable);
    lua_pop(L, 1);
    lua_register(L, "require", safe_require);
    lua_register(L, "print", safe_print);
    lua_register(L, "collectgarbage", safe_collectgarbage);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
}
