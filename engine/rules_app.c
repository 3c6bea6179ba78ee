/* rules_app: the tables a rule function receives (app and ctx) and the
 * typed extra columns of applications.csv, for rules_eval.c.
 *
 * An app table is built once per application and handed to every check,
 * criterion and optional function; its keys are interned once per
 * evaluation.  Extra columns are converted in a first pass so that every
 * bad cell is reported before any rule runs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "calendar.h"
#include "csvread.h"
#include "rules_internal.h"

/* ---- the app and ctx tables --------------------------------------------- */

/* The app table's keys, interned once per evaluation in a table at
 * RULES_S_KEYS: setting a field by key index skips hashing the key's C string
 * on every application.  The same table keeps the values many
 * applications share, as Lua strings made once: the sub-region names
 * (from ej->sub_base on) and the options of one-of columns (from
 * ej->col_base[j] on); pushing one is an array read instead of hashing
 * the string again. */
static const char *const app_keys[] = {
    "id", "organisation", "subregion", "title", "org_type", "requested",
    "total_cost", "requested_cents", "total_cost_cents", "start", "months",
    "line", "grades"
};
enum {
    K_ID = 1, K_ORG, K_SUB, K_TITLE, K_ORG_TYPE, K_REQ, K_COST, K_REQ_CENTS,
    K_COST_CENTS, K_START, K_MONTHS, K_LINE, K_GRADES,
    K_EXTRA /* extra j: K_EXTRA+j */
};

static void push_str(lua_State *L, const char *s)
{
    if (!s)
        s = "";
    lua_pushlstring(L, s, strlen(s));
}

static void keys_add(lua_State *L, lua_Integer *n, const char *s)
{
    push_str(L, s);
    lua_rawseti(L, -2, ++*n);
}

void rules_push_keys(rules_eval_job *ej)
{
    lua_State *L = ej->job.r->L;
    const inputs *in = ej->in;
    size_t n_keys = sizeof app_keys / sizeof *app_keys;
    lua_Integer n = 0;
    lua_createtable(L, (int)(n_keys + in->n_extra + in->n_split), 0);
    for (size_t i = 0; i < n_keys; i++)
        keys_add(L, &n, app_keys[i]);
    for (size_t j = 0; j < in->n_extra; j++)
        keys_add(L, &n, in->extra_keys[j]);
    ej->sub_base = n;
    for (size_t i = 0; i < in->n_split; i++)
        keys_add(L, &n, in->split[i].name);
    for (size_t j = 0; j < in->n_extra; j++) {
        const rules_field *f = ej->col_field[j];
        if (!f || f->type != RULES_FIELD_ONEOF)
            continue;
        ej->col_base[j] = n;
        for (size_t i = 0; i < f->n_options; i++)
            keys_add(L, &n, f->options[i]);
    }
}

static void set_str(lua_State *L, int key, const char *value)
{
    lua_rawgeti(L, RULES_S_KEYS, key);
    push_str(L, value);
    lua_rawset(L, -3);
}

static void set_int(lua_State *L, int key, lua_Integer value)
{
    lua_rawgeti(L, RULES_S_KEYS, key);
    lua_pushinteger(L, value);
    lua_rawset(L, -3);
}

static void set_num(lua_State *L, int key, lua_Number value)
{
    lua_rawgeti(L, RULES_S_KEYS, key);
    lua_pushnumber(L, value);
    lua_rawset(L, -3);
}

/* Extra columns first, so that a column named like a standard key (say
 * "line") cannot hide the engine's value. */
static void set_extras(rules_eval_job *ej, const application *ap)
{
    lua_State *L = ej->job.r->L;
    for (size_t j = 0; j < ej->in->n_extra; j++) {
        const char *cell = ap->extra[j];
        const rules_field *f = ej->col_field[j];
        const char *why;
        rules_cell c;
        if (!cell || !*cell)
            continue; /* empty cell: nil */
        lua_rawgeti(L, RULES_S_KEYS, K_EXTRA + (lua_Integer)j);
        if (rules_read_cell(L, f, cell, &c, &why) != 0)
            push_str(L, cell); /* unreachable: checked in pass 1 */
        else if (c.kind == RULES_CELL_OPTION)
            lua_rawgeti(L, RULES_S_KEYS, ej->col_base[j] + 1 + c.i);
        else
            rules_push_read(L, f, &c);
        lua_rawset(L, -3);
    }
}

/* The sub-region's name, from the strings kept when it is the split
 * row's own (rules_cases.c may build applications otherwise). */
static void set_subregion(rules_eval_job *ej, const application *ap)
{
    lua_State *L = ej->job.r->L;
    const inputs *in = ej->in;
    lua_rawgeti(L, RULES_S_KEYS, K_SUB);
    if (ap->subregion < in->n_split &&
        in->split[ap->subregion].name == ap->subregion_name)
        lua_rawgeti(L, RULES_S_KEYS,
                    ej->sub_base + 1 + (lua_Integer)ap->subregion);
    else
        push_str(L, ap->subregion_name);
    lua_rawset(L, -3);
}

void rules_push_app(rules_eval_job *ej, size_t a)
{
    const application *ap = &ej->in->apps[a];
    lua_State *L = ej->job.r->L;
    lua_createtable(L, 0, (int)(K_EXTRA - 1 + ej->in->n_extra));
    set_extras(ej, ap);
    set_str(L, K_ID, ap->id);
    set_str(L, K_ORG, ap->organisation);
    set_subregion(ej, ap);
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
    lua_rawgeti(L, RULES_S_KEYS, K_GRADES);
    rules_grades_push(ej->job.r, ej->in, &ej->grades, a);
    lua_rawset(L, -3);
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
int rules_map_fields(rules_eval_job *ej)
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

static void report_cell(rules_eval_job *ej, const application *ap, size_t j,
                        const char *cell, const char *why)
{
    const inputs *in = ej->in;
    char buf[400];
    if (ej->col_field[j]->type == RULES_FIELD_ONEOF)
        why = oneof_why(ej->col_field[j], buf, sizeof buf);
    long col = in->extra_columns ? in->extra_columns[j] : 0;
    /* name and value as written, shown cut and on one line */
    char name[CSVREAD_SHOW_MAX], value[CSVREAD_SHOW_MAX];
    csvread_show(in->extra_names[j], strlen(in->extra_names[j]), name);
    csvread_show(cell, strlen(cell), value);
    diag_at(ej->job.d, DIAG_DATA, "applications.csv", ap->line, col,
            "%s: \"%s\" %s", name, value, why);
}

/* Pass 1: converts every typed cell once, reporting all failures in
 * file order. */
int rules_check_cells(rules_eval_job *ej)
{
    lua_State *L = ej->job.r->L;
    const inputs *in = ej->in;
    int st = DIAG_OK;
    for (size_t a = 0; a < in->n_apps; a++) {
        for (size_t j = 0; j < in->n_extra; j++) {
            const rules_field *f = ej->col_field[j];
            const char *cell = in->apps[a].extra[j], *why = "";
            rules_cell c;
            if (!f || f->type == RULES_FIELD_TEXT || !cell || !*cell)
                continue;
            if (rules_read_cell(L, f, cell, &c, &why) == 0)
                continue;
            report_cell(ej, &in->apps[a], j, cell, why);
            st = DIAG_DATA;
        }
    }
    return st;
}

