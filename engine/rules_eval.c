/* rules_eval: runs every check and criterion on every application
 * (rules_evaluate, see include/rules.h).
 *
 * The hot loop is per application: one app table, then one lua_pcall per
 * check and per criterion with functions taken from a table kept on the
 * stack, no string formatting unless something fails.  Extra columns are
 * converted in a first pass so that every bad cell is reported before any
 * rule runs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "calendar.h"
#include "rules_internal.h"

typedef struct eval_job {
    rules_job job;
    const inputs *in;
    rules_results *out;
    const rules_field **col_field; /* per extra column, NULL: plain text */
    const char **label_copy;       /* per check, its label in out->pool */
    size_t fail_cap;
} eval_job;

/* Stack slots inside eval_body, after its light userdata at 1. */
enum { S_MSGH = 2, S_FUNCS, S_CTX, S_KEYS, S_APP };

/* ---- results ------------------------------------------------------------ */

void rules_results_free(rules_results *res)
{
    free(res->eligible);
    free(res->score);
    free(res->points);
    free(res->failures);
    free(res->first_failure);
    if (res->pool) {
        rules_pool_free(res->pool);
        free(res->pool);
    }
    memset(res, 0, sizeof *res);
}

/* Sizes every array for n applications (at least one element, so a
 * NULL means out of memory even when there is no application). */
static int results_alloc(rules_results *out, size_t n, size_t n_checks,
                         size_t n_crit)
{
    memset(out, 0, sizeof *out);
    out->n_apps = n;
    out->n_checks = n_checks;
    out->n_criteria = n_crit;
    if (n_crit && n > SIZE_MAX / sizeof(int32_t) / n_crit)
        return -1;
    out->eligible = malloc(n ? n : 1);
    out->score = calloc(n ? n : 1, sizeof *out->score);
    size_t n_points = n * n_crit;
    out->points = calloc(n_points ? n_points : 1, sizeof *out->points);
    out->first_failure = calloc(n + 1, sizeof *out->first_failure);
    out->pool = calloc(1, sizeof *out->pool);
    if (!out->eligible || !out->score || !out->points ||
        !out->first_failure || !out->pool)
        return -1;
    memset(out->eligible, 1, n ? n : 1);
    return 0;
}

static int add_failure(eval_job *ej, size_t app, size_t check,
                       const char *reason)
{
    rules_results *out = ej->out;
    if (out->n_failures == ej->fail_cap) {
        size_t cap = ej->fail_cap ? ej->fail_cap * 2 : 64;
        rules_failure *f = realloc(out->failures, cap * sizeof *f);
        if (!f)
            return -1;
        out->failures = f;
        ej->fail_cap = cap;
    }
    rules_failure *f = &out->failures[out->n_failures++];
    f->app = app;
    f->check = check;
    f->reason = reason;
    return 0;
}

/* ---- the app and ctx tables --------------------------------------------- */

/* The app table's keys, interned once per evaluation in a table at
 * S_KEYS: setting a field by key index skips hashing the key's C string
 * on every application. */
static const char *const app_keys[] = {
    "id", "organisation", "subregion", "title", "org_type", "requested",
    "total_cost", "requested_cents", "total_cost_cents", "start", "months",
    "line"
};
enum {
    K_ID = 1, K_ORG, K_SUB, K_TITLE, K_ORG_TYPE, K_REQ, K_COST, K_REQ_CENTS,
    K_COST_CENTS, K_START, K_MONTHS, K_LINE, K_EXTRA /* extra j: K_EXTRA+j */
};

static void push_keys(const inputs *in, lua_State *L)
{
    size_t n = sizeof app_keys / sizeof *app_keys;
    lua_createtable(L, (int)(n + in->n_extra), 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, app_keys[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    for (size_t j = 0; j < in->n_extra; j++) {
        lua_pushstring(L, in->extra_keys[j]);
        lua_rawseti(L, -2, K_EXTRA + (lua_Integer)j);
    }
}

static void set_str(lua_State *L, int key, const char *value)
{
    lua_rawgeti(L, S_KEYS, key);
    lua_pushstring(L, value ? value : "");
    lua_rawset(L, -3);
}

static void set_int(lua_State *L, int key, lua_Integer value)
{
    lua_rawgeti(L, S_KEYS, key);
    lua_pushinteger(L, value);
    lua_rawset(L, -3);
}

static void set_num(lua_State *L, int key, lua_Number value)
{
    lua_rawgeti(L, S_KEYS, key);
    lua_pushnumber(L, value);
    lua_rawset(L, -3);
}

/* Extra columns first, so that a column named like a standard key (say
 * "line") cannot hide the engine's value. */
static void set_extras(eval_job *ej, const application *ap)
{
    lua_State *L = ej->job.r->L;
    for (size_t j = 0; j < ej->in->n_extra; j++) {
        const char *cell = ap->extra[j];
        const char *why;
        if (!cell || !*cell)
            continue; /* empty cell: nil */
        lua_rawgeti(L, S_KEYS, K_EXTRA + (lua_Integer)j);
        if (rules_push_cell(L, ej->col_field[j], cell, &why) != 0)
            lua_pushstring(L, cell); /* unreachable: checked in pass 1 */
        lua_rawset(L, -3);
    }
}

static void push_app(eval_job *ej, const application *ap)
{
    lua_State *L = ej->job.r->L;
    lua_createtable(L, 0, (int)(K_EXTRA - 1 + ej->in->n_extra));
    set_extras(ej, ap);
    set_str(L, K_ID, ap->id);
    set_str(L, K_ORG, ap->organisation);
    set_str(L, K_SUB, ap->subregion_name);
    set_str(L, K_TITLE, ap->title);
    set_str(L, K_ORG_TYPE, ap->org_type);
    set_num(L, K_REQ, (lua_Number)ap->requested / 100.0);
    set_num(L, K_COST, (lua_Number)ap->total_cost / 100.0);
    set_int(L, K_REQ_CENTS, ap->requested);
    set_int(L, K_COST_CENTS, ap->total_cost);
    if (ap->has_start) {
        char buf[CAL_DATE_BUFSZ];
        set_str(L, K_START, cal_format_date(ap->start, buf));
    }
    if (ap->months > 0)
        set_int(L, K_MONTHS, ap->months);
    set_int(L, K_LINE, ap->line);
}

/* ctx fields are set once per evaluation: plain lua_setfield will do. */
static void ctx_str(lua_State *L, const char *key, const char *value)
{
    lua_pushstring(L, value ? value : "");
    lua_setfield(L, -2, key);
}

static void ctx_int(lua_State *L, const char *key, lua_Integer value)
{
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

static void push_fiscal_years(lua_State *L, const inputs *in)
{
    lua_createtable(L, (int)in->n_years, 0);
    for (size_t i = 0; i < in->n_years; i++) {
        char buf[CAL_FY_BUFSZ];
        int fy = in->years[i].fiscal_year;
        lua_pushstring(L, cal_format_fiscal_year(fy, buf));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "fiscal_years");
    if (!in->n_years)
        return;
    int first = in->years[0].fiscal_year;
    int last = in->years[in->n_years - 1].fiscal_year;
    char buf[CAL_DATE_BUFSZ];
    ctx_int(L, "first_year", first);
    ctx_int(L, "last_year", last);
    ctx_str(L, "program_start",
            cal_format_date(cal_fiscal_year_start(first), buf));
    ctx_str(L, "program_end", cal_format_date(cal_fiscal_year_end(last), buf));
}

void rules_push_ctx(struct rules *r, const inputs *in)
{
    lua_State *L = r->L;
    lua_createtable(L, 0, 10);
    ctx_str(L, "program", r->cfg.program);
    push_fiscal_years(L, in);
    lua_createtable(L, (int)in->n_split, 0);
    for (size_t i = 0; i < in->n_split; i++) {
        lua_pushstring(L, in->split[i].name ? in->split[i].name : "");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "subregions");
    int64_t total = 0;
    for (size_t i = 0; i < in->n_years; i++)
        total += in->years[i].amount;
    ctx_int(L, "envelope_cents", total);
    lua_pushnumber(L, (lua_Number)total / 100.0);
    lua_setfield(L, -2, "envelope");
}

/* ---- extra columns ------------------------------------------------------ */

/* "participants, cofinancement" (truncated to cap), for a hint. */
static const char *extra_list(const inputs *in, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < in->n_extra && n < cap; j++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", j ? ", " : "",
                              in->extra_keys[j]);
    return buf;
}

/* Every key of `fields` must name an extra column of applications.csv. */
static int map_fields(eval_job *ej)
{
    struct rules *r = ej->job.r;
    const inputs *in = ej->in;
    int st = DIAG_OK;
    for (size_t k = 0; k < r->n_fields; k++) {
        const char *key = r->fields[k].key;
        size_t j = 0;
        while (j < in->n_extra && strcmp(in->extra_keys[j], key) != 0)
            j++;
        if (j < in->n_extra) {
            ej->col_field[j] = &r->fields[k];
            continue;
        }
        char buf[300];
        st = diag_add(ej->job.d, DIAG_DATA,
                      "%s: fields.%s: applications.csv has no extra column "
                      "'%s' (%s%s)", r->path, key, key,
                      in->n_extra ? "its extra columns: " : "it has none",
                      extra_list(in, buf, sizeof buf));
    }
    return st;
}

/* "is not one of \"a\", \"b\"" for a one-of field. */
static const char *oneof_why(const rules_field *f, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "is not one of");
    for (size_t i = 0; i < f->n_options && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s \"%s\"", i ? "," : "",
                              f->options[i]);
    return buf;
}

static void report_cell(eval_job *ej, const application *ap, size_t j,
                        const char *cell, const char *why)
{
    const inputs *in = ej->in;
    char buf[400];
    if (ej->col_field[j]->type == RULES_FIELD_ONEOF)
        why = oneof_why(ej->col_field[j], buf, sizeof buf);
    long col = in->extra_columns ? in->extra_columns[j] : 0;
    diag_at(ej->job.d, DIAG_DATA, "applications.csv", ap->line, col,
            "%s: \"%s\" %s", in->extra_names[j], cell, why);
}

/* Pass 1: converts every typed cell once, reporting all failures in
 * file order. */
static int check_cells(eval_job *ej)
{
    lua_State *L = ej->job.r->L;
    const inputs *in = ej->in;
    int st = DIAG_OK;
    for (size_t a = 0; a < in->n_apps; a++) {
        for (size_t j = 0; j < in->n_extra; j++) {
            const rules_field *f = ej->col_field[j];
            const char *cell = in->apps[a].extra[j], *why = "";
            if (!f || f->type == RULES_FIELD_TEXT || !cell || !*cell)
                continue;
            if (rules_push_cell(L, f, cell, &why) == 0) {
                lua_pop(L, 1);
                continue;
            }
            report_cell(ej, &in->apps[a], j, cell, why);
            st = DIAG_DATA;
        }
    }
    return st;
}

/* ---- calling checks and criteria ---------------------------------------- */

/* Reports a rule function (funcs[slot]) that returned the wrong thing,
 * positioned where the function is defined. */
static int bad_result(eval_job *ej, size_t slot, const char *kind,
                      const char *id, const char *appid, const char *got,
                      const char *expected)
{
    struct rules *r = ej->job.r;
    lua_rawgeti(r->L, S_FUNCS, (lua_Integer)slot);
    rules_push_funcpos(r, -1);
    int st = diag_add(ej->job.d, DIAG_DATA,
                      "%s: %s '%s' for application %s returned %s, expected %s",
                      lua_tostring(r->L, -1), kind, id, appid, got, expected);
    lua_pop(r->L, 2);
    return st;
}

static const char check_expected[] = "true or false[, reason]";

/* "nil", "a string", "a table"... for messages about returned values. */
static const char *a_type(lua_State *L, int idx, char *buf, size_t cap)
{
    if (lua_isnil(L, idx))
        return "nil";
    snprintf(buf, cap, "a %s", luaL_typename(L, idx));
    return buf;
}

/* A failed check: records its reason (or its label) in the results. */
static int check_failed(eval_job *ej, size_t a, size_t c)
{
    lua_State *L = ej->job.r->L;
    const rules_check *chk = &ej->job.r->checks[c];
    const char *reason;
    int type = lua_type(L, -1);
    if (type == LUA_TSTRING || type == LUA_TNUMBER) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        reason = rules_pool_dup(ej->out->pool, s, len);
    } else if (type == LUA_TNIL) {
        if (!ej->label_copy[c])
            ej->label_copy[c] = rules_pool_dup(ej->out->pool, chk->label,
                                               strlen(chk->label));
        reason = ej->label_copy[c];
    } else {
        char got[64];
        snprintf(got, sizeof got, "false and a %s", luaL_typename(L, -1));
        return bad_result(ej, c + 1, "check", chk->id, ej->in->apps[a].id,
                          got, check_expected);
    }
    if (!reason || add_failure(ej, a, c, reason) != 0)
        return diag_add(ej->job.d, DIAG_OSERR, "out of memory");
    ej->out->eligible[a] = 0;
    return DIAG_OK;
}

static int run_check(eval_job *ej, size_t a, size_t c)
{
    struct rules *r = ej->job.r;
    lua_State *L = r->L;
    lua_rawgeti(L, S_FUNCS, (lua_Integer)c + 1);
    lua_pushvalue(L, S_APP);
    lua_pushvalue(L, S_CTX);
    int st = rules_call(r, 2, 2, S_MSGH);
    if (st != LUA_OK)
        return rules_call_error(r, ej->job.d, st,
                                "check '%s' for application %s",
                                r->checks[c].id, ej->in->apps[a].id);
    if (lua_type(L, -2) == LUA_TBOOLEAN) {
        st = lua_toboolean(L, -2) ? DIAG_OK : check_failed(ej, a, c);
    } else {
        char buf[32];
        st = bad_result(ej, c + 1, "check", r->checks[c].id,
                        ej->in->apps[a].id, a_type(L, -2, buf, sizeof buf),
                        check_expected);
    }
    lua_pop(L, 2);
    return st;
}

/* Points are clamped to [0, max] before rounding to hundredths, so any
 * finite number, however large, converts safely. */
static int32_t to_points(double p, double max, int32_t max_h)
{
    if (p < 0)
        p = 0;
    if (p > max)
        p = max;
    long long h = llround(p * 100);
    return h > max_h ? max_h : (int32_t)h;
}

static int run_criterion(eval_job *ej, size_t a, size_t c)
{
    struct rules *r = ej->job.r;
    lua_State *L = r->L;
    size_t slot = r->cfg.n_checks + c + 1;
    const char *id = r->criteria[c].id, *appid = ej->in->apps[a].id;
    lua_rawgeti(L, S_FUNCS, (lua_Integer)slot);
    lua_pushvalue(L, S_APP);
    lua_pushvalue(L, S_CTX);
    int st = rules_call(r, 2, 1, S_MSGH);
    if (st != LUA_OK)
        return rules_call_error(r, ej->job.d, st,
                                "criterion '%s' for application %s", id, appid);
    double p = lua_tonumber(L, -1);
    char buf[32];
    if (lua_type(L, -1) != LUA_TNUMBER)
        st = bad_result(ej, slot, "criterion", id, appid,
                        a_type(L, -1, buf, sizeof buf), "a number");
    else if (!isfinite(p))
        st = bad_result(ej, slot, "criterion", id, appid,
                        isnan(p) ? "nan" : "an infinite number",
                        "a finite number");
    else {
        int32_t pts = to_points(p, r->crit_max[c], r->criteria[c].max);
        ej->out->points[a * r->cfg.n_criteria + c] = pts;
        ej->out->score[a] += pts;
    }
    lua_pop(L, 1);
    return st;
}

static int eval_app(eval_job *ej, size_t a)
{
    struct rules *r = ej->job.r;
    int st = DIAG_OK;
    ej->out->first_failure[a] = ej->out->n_failures;
    push_app(ej, &ej->in->apps[a]);
    for (size_t c = 0; !st && c < r->cfg.n_checks; c++)
        st = run_check(ej, a, c);
    for (size_t c = 0; !st && c < r->cfg.n_criteria; c++)
        st = run_criterion(ej, a, c);
    lua_pop(r->L, 1);
    return st;
}

static int eval_body(lua_State *L)
{
    eval_job *ej = lua_touserdata(L, 1);
    struct rules *r = ej->job.r;
    luaL_checkstack(L, RULES_STACK, NULL);
    if ((ej->job.status = check_cells(ej)) != DIAG_OK)
        return 0;
    lua_pushcfunction(L, rules_msgh);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->funcs_ref);
    rules_push_ctx(r, ej->in);
    push_keys(ej->in, L);
    for (size_t a = 0; a < ej->in->n_apps; a++)
        if ((ej->job.status = eval_app(ej, a)) != DIAG_OK)
            return 0;
    ej->out->first_failure[ej->in->n_apps] = ej->out->n_failures;
    return 0;
}

int rules_evaluate(rules *r, const inputs *in, rules_results *out, diag *d)
{
    eval_job ej = { { r, d, DIAG_OK }, in, out, NULL, NULL, 0 };
    int st = DIAG_OK;
    size_t n_extra = in->n_extra ? in->n_extra : 1;
    size_t n_checks = r->cfg.n_checks ? r->cfg.n_checks : 1;
    ej.col_field = calloc(n_extra, sizeof *ej.col_field);
    ej.label_copy = calloc(n_checks, sizeof *ej.label_copy);
    if (results_alloc(out, in->n_apps, r->cfg.n_checks, r->cfg.n_criteria) ||
        !ej.col_field || !ej.label_copy)
        st = diag_add(d, DIAG_OSERR, "out of memory");
    if (st == DIAG_OK)
        st = map_fields(&ej);
    if (st == DIAG_OK)
        st = rules_protect(&ej.job, eval_body);
    free(ej.col_field);
    free(ej.label_copy);
    if (st != DIAG_OK)
        rules_results_free(out);
    return st;
}
