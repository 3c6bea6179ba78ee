/* rules_cases: reads a rule test file (alliance test, see rules/README.md)
 * into C cases.  The file runs in the rule file's own sandbox and returns
 *
 *   { fiscal_years = { "2024-2025", ... }, subregions = { ... },
 *     envelope = dollars,
 *     { name = "...", app = { ... }, grades = { ... }, eligible = true,
 *       fails = { "check", ... }, points = { criterion = n },
 *       score = n, above_threshold = true }, ... }
 *
 * Application values are turned into the text a CSV cell would hold and
 * typed per the rule file's fields, so a case exercises the same
 * conversions as a real input folder.  Every problem of the file is
 * reported, each naming its case; nothing runs if there is one. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "calendar.h"
#include "money.h"
#include "rules_cases.h"

static const char *const top_keys[] = {
    "envelope", "fiscal_years", "subregions", NULL
};
static const char *const case_keys[] = {
    "above_threshold", "app", "eligible", "fails", "grades", "name",
    "points", "score", NULL
};

/* ---- messages ----------------------------------------------------------- */

int rules_case_err(test_run *t, size_t i, const char *fmt, ...)
{
    char msg[500];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (i == 0)
        return diag_add(t->job.d, DIAG_DATA, "%s: %s", t->path, msg);
    const char *name = t->cases[i - 1].name;
    return diag_add(t->job.d, DIAG_DATA, "%s: case %zu%s%s%s: %s", t->path,
                    i, *name ? " \"" : "", name, *name ? "\"" : "", msg);
}

const char *rules_case_keep(test_run *t, const char *s, size_t len)
{
    const char *out = rules_pool_dup(t->strs, s, len);
    if (!out) { /* the status is set first, so it wins over the error's */
        t->job.status = diag_add(t->job.d, DIAG_OSERR, "out of memory");
        luaL_error(t->job.r->L, "out of memory");
    }
    return out;
}

/* Every string key of table idx must be one of names; other keys must be
 * the list part 1..n when list is set. */
static int check_keys(test_run *t, size_t i, int idx,
                      const char *const *names, int list, const char *what)
{
    lua_State *L = t->job.r->L;
    int st = DIAG_OK;
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            if (!rules_cfg_allowed(lua_tostring(L, -2), names))
                st = rules_case_err(t, i, "unknown key '%s' in %s",
                              lua_tostring(L, -2), what);
        } else if (!list || !lua_isinteger(L, -2) ||
                   lua_tointeger(L, -2) < 1 || lua_tointeger(L, -2) > n) {
            st = rules_case_err(t, i, "%s has a key that is not a name", what);
        }
    }
    return st;
}

/* ---- the program: fiscal years, sub-regions, envelope ------------------- */

static int read_years(test_run *t, int top)
{
    lua_State *L = t->job.r->L;
    size_t n = 0;
    int st = DIAG_OK;
    if (rules_cfg_get(L, top, "fiscal_years") != LUA_TTABLE ||
        !rules_cfg_is_list(L, lua_gettop(L), &n) || n == 0)
        return rules_case_err(t, 0, "'fiscal_years' must list the program's fiscal "
                        "years, e.g. { \"2024-2025\", \"2025-2026\" }");
    if (!(t->years = calloc(n, sizeof *t->years)))
        return diag_add(t->job.d, DIAG_OSERR, "out of memory");
    t->n_years = n;
    for (size_t y = 0; y < n; y++) {
        lua_rawgeti(L, -1, (lua_Integer)y + 1);
        size_t len = 0;
        const char *s = lua_isstring(L, -1) ? lua_tolstring(L, -1, &len) : "";
        int fy;
        if (cal_parse_fiscal_year(s, len, &fy) != 0 ||
            (y && fy != t->years[y - 1].fiscal_year + 1))
            st = rules_case_err(t, 0, "fiscal_years[%zu]: expected consecutive "
                          "fiscal years such as \"2024-2025\"", y + 1);
        t->years[y] = (envelope_year){ fy, 0, (long)y + 1 };
        lua_pop(L, 1);
    }
    return st;
}

static int read_envelope(test_run *t, int top)
{
    lua_State *L = t->job.r->L;
    int type = rules_cfg_get(L, top, "envelope");
    double x = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (type == LUA_TNIL)
        return DIAG_OK;
    if (type != LUA_TNUMBER || !(x >= 0 && x * 100 <= (double)MONEY_MAX))
        return rules_case_err(t, 0, "'envelope' must be an amount in dollars");
    t->years[0].amount = llround(x * 100); /* ctx.envelope is the total */
    return DIAG_OK;
}

/* Adds a sub-region by name unless it is known; returns its index. */
static size_t add_sub(test_run *t, const char *name)
{
    for (size_t s = 0; s < t->n_subs; s++)
        if (strcmp(t->subs[s].name, name) == 0)
            return s;
    subregion *more = realloc(t->subs, (t->n_subs + 1) * sizeof *more);
    if (!more) {
        t->job.status = diag_add(t->job.d, DIAG_OSERR, "out of memory");
        luaL_error(t->job.r->L, "out of memory");
    }
    t->subs = more;
    memset(&t->subs[t->n_subs], 0, sizeof *more);
    t->subs[t->n_subs].name = rules_case_keep(t, name, strlen(name));
    t->subs[t->n_subs].line = (long)t->n_subs + 1;
    return t->n_subs++;
}

static int read_subs(test_run *t, int top)
{
    lua_State *L = t->job.r->L;
    size_t n = 0;
    int type = rules_cfg_get(L, top, "subregions");
    int st = DIAG_OK;
    if (type != LUA_TNIL &&
        (type != LUA_TTABLE || !rules_cfg_is_list(L, lua_gettop(L), &n)))
        st = rules_case_err(t, 0, "'subregions' must be a list of names");
    t->subs_given = n > 0;
    for (size_t s = 0; !st && s < n; s++) {
        if (lua_rawgeti(L, -1, (lua_Integer)s + 1) != LUA_TSTRING)
            st = rules_case_err(t, 0, "subregions[%zu] must be a name", s + 1);
        else
            add_sub(t, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return st;
}

/* ---- one case: its application ------------------------------------------ */

/* Money as a number of dollars or as text ("12 345,67 $"). */
static int read_money(test_run *t, size_t i, int v, const char *key,
                      int64_t *out)
{
    lua_State *L = t->job.r->L;
    const char *why = "is not an amount";
    size_t len;
    if (lua_type(L, v) == LUA_TNUMBER) {
        double x = lua_tonumber(L, v);
        if (isfinite(x) && fabs(x) * 100 <= (double)MONEY_MAX) {
            *out = llround(x * 100);
            return DIAG_OK;
        }
    } else if (lua_type(L, v) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, v, &len);
        if (money_parse(s, len, out, &why) == 0)
            return DIAG_OK;
    }
    return rules_case_err(t, i, "app.%s %s", key, why);
}

/* The text a CSV cell would hold for a Lua value. */
static const char *cell_of(test_run *t, int v)
{
    lua_State *L = t->job.r->L;
    char buf[64];
    size_t len;
    switch (lua_type(L, v)) {
    case LUA_TSTRING: {
        const char *s = lua_tolstring(L, v, &len);
        return rules_case_keep(t, s, len);
    }
    case LUA_TNUMBER:
        if (lua_isinteger(L, v))
            snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, v));
        else
            snprintf(buf, sizeof buf, "%.14g", lua_tonumber(L, v));
        return rules_case_keep(t, buf, strlen(buf));
    case LUA_TBOOLEAN:
        return lua_toboolean(L, v) ? "oui" : "non";
    default:
        return NULL;
    }
}

/* One standard key of app (at index v); 1 when key is standard. */
static int read_standard(test_run *t, size_t i, const char *key, int v,
                         int *st)
{
    lua_State *L = t->job.r->L;
    application *a = &t->cases[i - 1].app;
    size_t len = 0;
    const char *s = lua_type(L, v) == LUA_TSTRING ? lua_tolstring(L, v, &len)
                                                  : NULL;
    const char **text = !strcmp(key, "id") ? &a->id
                        : !strcmp(key, "organisation") ? &a->organisation
                        : !strcmp(key, "subregion") ? &a->subregion_name
                        : !strcmp(key, "title") ? &a->title
                        : !strcmp(key, "org_type") ? &a->org_type : NULL;
    if (text) {
        if (!s)
            *st = rules_case_err(t, i, "app.%s must be a string", key);
        else
            *text = rules_case_keep(t, s, len);
    } else if (!strcmp(key, "requested") || !strcmp(key, "total_cost")) {
        *st = read_money(t, i, v, key, key[0] == 'r' ? &a->requested
                                                     : &a->total_cost);
    } else if (!strcmp(key, "start")) {
        a->has_start = s && cal_parse_date(s, len, &a->start) == 0;
        if (!a->has_start)
            *st = rules_case_err(t, i, "app.start must be a date \"YYYY-MM-DD\"");
    } else if (!strcmp(key, "months")) {
        lua_Integer m = lua_isinteger(L, v) ? lua_tointeger(L, v) : 0;
        if (m < 1 || m > 1200)
            *st = rules_case_err(t, i, "app.months must be a whole number of "
                           "months > 0");
        a->months = (int)m;
    } else {
        return 0;
    }
    return 1;
}

/* Declared fields absent from the case are empty cells: every declared
 * field must be a column, as map_fields wants of applications.csv. */
static void add_missing_fields(test_run *t, test_case *c)
{
    struct rules *r = t->job.r;
    for (size_t k = 0; k < r->n_fields; k++) {
        size_t j = 0;
        while (j < c->n_cols && strcmp(c->keys[j], r->fields[k].key) != 0)
            j++;
        if (j < c->n_cols)
            continue;
        c->keys[c->n_cols] = r->fields[k].key;
        c->cells[c->n_cols++] = "";
    }
}

/* An extra column: its cell must convert per its declared field. */
static int read_extra(test_run *t, size_t i, const char *key, int v)
{
    struct rules *r = t->job.r;
    test_case *c = &t->cases[i - 1];
    const char *cell = cell_of(t, v), *why = "";
    if (!cell)
        return rules_case_err(t, i, "app.%s must be a string, number or boolean",
                        key);
    const rules_field *f = NULL;
    for (size_t k = 0; k < r->n_fields; k++)
        if (strcmp(r->fields[k].key, key) == 0)
            f = &r->fields[k];
    c->keys[c->n_cols] = rules_case_keep(t, key, strlen(key));
    c->cells[c->n_cols++] = cell;
    if (!*cell || rules_push_cell(r->L, f, cell, &why) == 0) {
        lua_settop(r->L, v);
        return DIAG_OK;
    }
    return rules_case_err(t, i, "app.%s: \"%s\" %s", key, cell, why);
}

static int read_app_keys(test_run *t, size_t i, int app)
{
    lua_State *L = t->job.r->L;
    test_case *c = &t->cases[i - 1];
    size_t n, other;
    const char **keys = rules_cfg_sorted_keys(L, app, &n, &other);
    size_t cap = n + t->job.r->n_fields + 1;
    c->keys = calloc(cap, sizeof *c->keys);
    c->cells = calloc(cap, sizeof *c->cells);
    if (!c->keys || !c->cells)
        return diag_add(t->job.d, DIAG_OSERR, "out of memory");
    int st = other ? rules_case_err(t, i, "app has a key that is not a name") : 0;
    for (size_t k = 0; k < n; k++) {
        lua_pushstring(L, keys[k]);
        lua_rawget(L, app);
        if (!read_standard(t, i, keys[k], lua_gettop(L), &st))
            st = rules_keep_status(st, read_extra(t, i, keys[k],
                                                  lua_gettop(L)));
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* the sorted keys */
    add_missing_fields(t, c);
    c->app.extra = c->cells;
    return st;
}

/* Defaults, then the case's own values, then the loader's checks. */
static int read_app(test_run *t, size_t i, int e)
{
    lua_State *L = t->job.r->L;
    application *a = &t->cases[i - 1].app;
    char id[32];
    snprintf(id, sizeof id, "case-%zu", i);
    a->id = rules_case_keep(t, id, strlen(id));
    a->organisation = "Organisme";
    a->subregion_name = t->n_subs ? t->subs[0].name : "";
    a->title = a->org_type = "";
    a->line = (long)i;
    if (rules_cfg_get(L, e, "app") != LUA_TTABLE) {
        lua_pop(L, 1);
        return rules_case_err(t, i, "'app' must be a table: the application's "
                        "columns, as in applications.csv");
    }
    int st = read_app_keys(t, i, lua_gettop(L));
    lua_pop(L, 1);
    if (!st && a->requested <= 0)
        st = rules_case_err(t, i, "app.requested must be an amount > 0");
    if (!st && a->total_cost < a->requested)
        st = rules_case_err(t, i, "app.total_cost must be at least app.requested");
    size_t known = t->n_subs;
    if (!st)
        a->subregion = add_sub(t, a->subregion_name);
    if (!st && t->subs_given && a->subregion >= known)
        st = rules_case_err(t, i, "app.subregion \"%s\" is not one of the "
                      "file's subregions", a->subregion_name);
    return st;
}

/* ---- one case ----------------------------------------------------------- */

static int read_case(test_run *t, size_t i, int e)
{
    lua_State *L = t->job.r->L;
    test_case *c = &t->cases[i - 1];
    c->name = "";
    c->eligible = c->above = -1;
    c->score = CASE_UNSET;
    if (lua_type(L, e) != LUA_TTABLE)
        return rules_case_err(t, i, "must be a table { name=, app=, eligible= | "
                        "fails=, ... }");
    int type = rules_cfg_get(L, e, "name");
    if (type == LUA_TSTRING)
        c->name = rules_case_keep(t, lua_tostring(L, -1), lua_rawlen(L, -1));
    lua_pop(L, 1);
    int st = type == LUA_TNIL || type == LUA_TSTRING
                 ? DIAG_OK
                 : rules_case_err(t, i, "'name' must be a string");
    st = rules_keep_status(st, check_keys(t, i, e, case_keys, 0, "the case"));
    st = rules_keep_status(st, read_app(t, i, e));
    st = rules_keep_status(st, rules_cases_grades(t, i, e));
    return rules_keep_status(st, rules_cases_expect(t, i, e));
}

static int load_body(lua_State *L)
{
    test_run *t = lua_touserdata(L, 1);
    struct rules *r = t->job.r;
    luaL_checkstack(L, RULES_STACK, NULL);
    lua_pushcfunction(L, rules_msgh);
    int st = luaL_loadfilex(L, t->path, "t");
    if (st == LUA_OK)
        st = rules_call(r, 0, 1, 2);
    if (st != LUA_OK) {
        t->job.status = rules_call_error(r, t->job.d, st, "the cases file");
        return 0;
    }
    int top = lua_gettop(L);
    size_t n = 0;
    if (!lua_istable(L, top) || (n = (size_t)lua_rawlen(L, top)) == 0) {
        t->job.status = rules_case_err(t, 0, "must return a list of cases");
        return 0;
    }
    st = check_keys(t, 0, top, top_keys, 1, "the cases file");
    st = rules_keep_status(st, read_years(t, top));
    if (st == DIAG_OK)
        st = read_envelope(t, top);
    st = rules_keep_status(st, read_subs(t, top));
    if (!(t->cases = calloc(n, sizeof *t->cases)))
        st = diag_add(t->job.d, DIAG_OSERR, "out of memory");
    for (size_t i = 1; t->cases && i <= n; i++) {
        t->n_cases = i;
        lua_rawgeti(L, top, (lua_Integer)i);
        st = rules_keep_status(st, read_case(t, i, lua_gettop(L)));
        lua_settop(L, top);
    }
    t->job.status = st;
    return 0;
}

int rules_cases_load(test_run *t)
{
    return rules_protect(&t->job, load_body);
}

void rules_cases_free(test_run *t)
{
    for (size_t i = 0; t->cases && i < t->n_cases; i++) {
        free(t->cases[i].keys);
        free(t->cases[i].cells);
        free(t->cases[i].evals);
        free(t->cases[i].fails);
        free(t->cases[i].points);
    }
    free(t->cases);
    free(t->years);
    free(t->subs);
    memset(t, 0, sizeof *t);
}
