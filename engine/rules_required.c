/* rules_required: the library files a rule file required (see
 * rules_required_files in include/rules.h).
 *
 * Read from require()'s own cache rather than recorded as modules load,
 * so the sandbox keeps a single source of truth for what was loaded. */
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "rules_internal.h"

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "<libdir>/<name, dots as slashes>.lua": the path load_module read. */
static char *module_path(const char *libdir, const char *name)
{
    size_t ld = strlen(libdir), nl = strlen(name);
    char *p = malloc(ld + nl + 6);
    if (!p)
        return NULL;
    memcpy(p, libdir, ld);
    p[ld] = '/';
    for (size_t i = 0; i < nl; i++)
        p[ld + 1 + i] = name[i] == '.' ? '/' : name[i];
    memcpy(p + ld + 1 + nl, ".lua", 5);
    return p;
}

/* Appends the path of the module named at the stack index key. */
static int add_path(const struct rules *r, lua_State *L, int key,
                    char ***paths, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char **grown = realloc(*paths, ncap * sizeof *grown);
        if (!grown)
            return -1;
        *paths = grown;
        *cap = ncap;
    }
    /* a string key: lua_tostring does not convert, so cannot raise */
    char *p = module_path(r->libdir, lua_tostring(L, key));
    if (!p)
        return -1;
    (*paths)[(*n)++] = p;
    return 0;
}

int rules_required_files(const rules *r, char ***paths, size_t *n, diag *d)
{
    *paths = NULL;
    *n = 0;
    if (!r || !r->libdir)
        return 0;
    lua_State *L = r->L;
    if (!lua_checkstack(L, 4))
        return diag_add(d, DIAG_OSERR, "out of memory");
    int top = lua_gettop(L);
    rules_sandbox_push_loaded(L);
    if (!lua_istable(L, -1)) { /* the sandbox is not open */
        lua_settop(L, top);
        return 0;
    }
    size_t cap = 0;
    int rc = 0;
    lua_pushnil(L);
    /* lua_next, rawget and type queries never allocate: no Lua error can
     * escape here, outside any protected call */
    while (rc == 0 && lua_next(L, -2) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING &&
            lua_type(L, -1) != LUA_TLIGHTUSERDATA)
            rc = add_path(r, L, -2, paths, n, &cap);
        lua_pop(L, 1);
    }
    lua_settop(L, top);
    if (rc != 0) {
        rules_required_free(*paths, *n);
        *paths = NULL;
        *n = 0;
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    if (*n > 1)
        qsort(*paths, *n, sizeof **paths, compare_paths);
    return 0;
}

void rules_required_free(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}
