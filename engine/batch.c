/* batch: see include/batch.h. */
#include "batch.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

static const char *const batch_keys[] = {"name", "inputs", "rules", "out",
                                         "db", "lib", "lang", NULL};

/* path made relative to the configuration's folder, malloc'd. */
static char *batch_path(const char *base_dir, const char *p)
{
    size_t nb = strlen(base_dir), np = strlen(p);
    char *out = malloc(nb + np + 2);
    if (!out)
        return NULL;
    if (p[0] == '/' || nb == 0)
        memcpy(out, p, np + 1);
    else
        snprintf(out, nb + np + 2, "%s/%s", base_dir, p);
    return out;
}

/* A string field of the program table at the top of the stack: NULL when
 * absent; *bad set when present but not a non-empty string. */
static const char *batch_field(lua_State *L, const char *key, int *bad)
{
    int type = lua_getfield(L, -1, key);
    const char *s = type == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if ((type != LUA_TNIL && !s) || (s && !*s))
        *bad = 1;
    lua_pop(L, 1); /* the string stays alive in the table */
    return s && *s ? s : NULL;
}

static int batch_unknown_keys(lua_State *L, const char *path, size_t i,
                              diag *d)
{
    int rc = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        lua_pop(L, 1);
        int known = 0;
        if (lua_type(L, -1) == LUA_TSTRING)
            for (size_t k = 0; batch_keys[k]; k++)
                known |= !strcmp(lua_tostring(L, -1), batch_keys[k]);
        if (!known && lua_type(L, -1) == LUA_TSTRING)
            rc = diag_at(d, DIAG_DATA, path, 0, 0, "program %zu: unknown key '%s'",
                         i + 1, lua_tostring(L, -1));
        else if (!known)
            rc = diag_at(d, DIAG_DATA, path, 0, 0,
                         "program %zu: keys must be names", i + 1);
    }
    return rc;
}

static int batch_read_program(lua_State *L, const char *path,
                              const char *base, size_t i, batch_program *p,
                              diag *d)
{
    if (!lua_istable(L, -1))
        return diag_at(d, DIAG_DATA, path, 0, 0,
                       "program %zu is not a table { name=, inputs=, "
                       "rules=, out= }", i + 1);
    int rc = batch_unknown_keys(L, path, i, d), bad = 0;
    int db_false = lua_getfield(L, -1, "db") == LUA_TBOOLEAN && !lua_toboolean(L, -1);
    lua_pop(L, 1);
    const char *v[7];
    for (size_t k = 0; k < 7; k++)
        v[k] = k == 4 && db_false ? NULL : batch_field(L, batch_keys[k], &bad);
    if (bad)
        rc = diag_at(d, DIAG_DATA, path, 0, 0, "program %zu: every value must "
                     "be a non-empty string (db may be false)", i + 1);
    for (size_t k = 0; k < 4; k++)
        if (!v[k])
            rc = diag_at(d, DIAG_DATA, path, 0, 0, "program %zu (%s): missing '%s'",
                         i + 1, v[0] ? v[0] : "?", batch_keys[k]);
    if (rc != 0)
        return rc;
    p->no_db = db_false;
    p->name = strdup(v[0]);
    p->inputs = batch_path(base, v[1]);
    p->rules = batch_path(base, v[2]);
    p->out = batch_path(base, v[3]);
    p->db = v[4] ? batch_path(base, v[4]) : NULL;
    p->lib = v[5] ? batch_path(base, v[5]) : NULL;
    p->lang = v[6] ? strdup(v[6]) : NULL;
    if (!p->name || !p->inputs || !p->rules || !p->out || (v[4] && !p->db) ||
        (v[5] && !p->lib) || (v[6] && !p->lang))
        return diag_add(d, DIAG_OSERR, "out of memory");
    return 0;
}

static int batch_read(lua_State *L, const char *path, const char *base,
                      batch_config *cfg, diag *d)
{
    if (!lua_istable(L, -1))
        return diag_at(d, DIAG_DATA, path, 0, 0,
                       "must return a list of programs");
    size_t n = (size_t)lua_rawlen(L, -1);
    if (n == 0)
        return diag_at(d, DIAG_DATA, path, 0, 0, "lists no program");
    cfg->programs = calloc(n, sizeof *cfg->programs);
    if (!cfg->programs)
        return diag_add(d, DIAG_OSERR, "out of memory");
    cfg->n = n;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        int r = batch_read_program(L, path, base, i, &cfg->programs[i], d);
        rc = rc ? rc : r;
        lua_pop(L, 1);
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(cfg->programs[i].out, cfg->programs[j].out))
                rc = diag_at(d, DIAG_DATA, path, 0, 0,
                             "programs %s and %s write the same folder %s",
                             cfg->programs[j].name, cfg->programs[i].name,
                             cfg->programs[i].out);
    return rc;
}

int batch_load(const char *path, batch_config *cfg, diag *d)
{
    memset(cfg, 0, sizeof *cfg);
    lua_State *L = luaL_newstate();
    if (!L)
        return diag_add(d, DIAG_OSERR, "out of memory");
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    lua_settop(L, 0);
    const char *slash = strrchr(path, '/');
    char *base = strndup(path, slash ? (size_t)(slash - path) : 0);
    int rc;
    if (!base)
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    else if (luaL_loadfilex(L, path, "t") != LUA_OK || lua_pcall(L, 0, 1, 0) != LUA_OK)
        rc = diag_add(d, DIAG_DATA, "%s", lua_tostring(L, -1));
    else
        rc = batch_read(L, path, base, cfg, d);
    free(base);
    lua_close(L);
    if (rc != 0)
        batch_free(cfg);
    return rc;
}

void batch_free(batch_config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++) {
        batch_program *p = &cfg->programs[i];
        free(p->name);
        free(p->inputs);
        free(p->rules);
        free(p->out);
        free(p->db);
        free(p->lib);
        free(p->lang);
    }
    free(cfg->programs);
    memset(cfg, 0, sizeof *cfg);
}
