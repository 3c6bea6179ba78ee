/* rules_config_lists: the list-shaped parts of a rule file's table:
 * checks, criteria, schedule, and the fields map (see rules_config.c for
 * the helpers and the conventions). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "rules_internal.h"

/* ---- checks and criteria ------------------------------------------------ */

static const char *const check_key_names[] = { "id", "label", "test", NULL };
static const char *const crit_key_names[] = {
    "id", "label", "max", "score", NULL
};

/* Messages name entry i of a list "checks[2]", then "checks[2] ('age')"
 * once its id is known. */
typedef struct entry_name {
    const char *list;
    size_t i;
    char where[160];
} entry_name;

static void entry_named(entry_name *en, const char *id)
{
    if (id)
        snprintf(en->where, sizeof en->where, "%s[%zu] ('%s')", en->list,
                 en->i + 1, id);
    else
        snprintf(en->where, sizeof en->where, "%s[%zu]", en->list, en->i + 1);
}

/* Reads e.id (not empty) and e.label. */
static int entry_id(struct rules *r, diag *d, int e, entry_name *en,
                    const char **id, const char **label)
{
    int st = rules_cfg_string(r, d, e, "id", en->where, id);
    if (*id && !**id)
        st = rules_cfg_err(r, d, "%s: 'id' must not be empty", en->where);
    entry_named(en, *id);
    return rules_keep_status(
        st, rules_cfg_string(r, d, e, "label", en->where, label));
}

static int parse_check(struct rules *r, diag *d, int e, size_t i, int funcs)
{
    entry_name en = { "checks", i, "" };
    entry_named(&en, NULL);
    if (lua_type(r->L, e) != LUA_TTABLE)
        return rules_cfg_err(r, d,
                             "%s must be a table { id=, label=, "
                             "test= }",
                             en.where);
    rules_check *c = &r->checks[i];
    int st = rules_cfg_keys(r, d, e, check_key_names, en.where);
    st = rules_keep_status(st, entry_id(r, d, e, &en, &c->id, &c->label));
    return rules_keep_status(
        st, rules_cfg_func(r, d, e, "test", en.where, funcs, i + 1));
}

/* max: > 0 points, held in hundredths that fit an int32. */
static int parse_max(struct rules *r, diag *d, int e, size_t i,
                     const char *where)
{
    double max;
    int got = rules_cfg_number(r, d, e, "max", where, &max);
    if (got < 0)
        return DIAG_DATA;
    if (got == 0)
        return rules_cfg_err(r, d, "%s: missing 'max'", where);
    if (!(max > 0) || max * 100 > INT32_MAX)
        return rules_cfg_err(r, d,
                             "%s: 'max' must be a number > 0 and at most %d",
                             where, INT32_MAX / 100);
    long long h = llround(max * 100);
    if (h < 1)
        return rules_cfg_err(r, d, "%s: 'max' must be at least 0.01", where);
    r->criteria[i].max = (int32_t)h;
    r->crit_max[i] = max;
    return DIAG_OK;
}

static int parse_criterion(struct rules *r, diag *d, int e, size_t i, int funcs)
{
    entry_name en = { "criteria", i, "" };
    entry_named(&en, NULL);
    if (lua_type(r->L, e) != LUA_TTABLE)
        return rules_cfg_err(r, d,
                             "%s must be a table { id=, label=, max=, "
                             "score= }",
                             en.where);
    rules_criterion *c = &r->criteria[i];
    int st = rules_cfg_keys(r, d, e, crit_key_names, en.where);
    st = rules_keep_status(st, entry_id(r, d, e, &en, &c->id, &c->label));
    st = rules_keep_status(st, parse_max(r, d, e, i, en.where));
    size_t slot = r->cfg.n_checks + i + 1;
    return rules_keep_status(
        st, rules_cfg_func(r, d, e, "score", en.where, funcs, slot));
}

/* Reports ids used twice in a list; id_of(i) gives entry i's id. */
static int dup_ids(struct rules *r, diag *d, const char *list, size_t n,
                   const char *(*id_of)(const struct rules *, size_t))
{
    int st = DIAG_OK;
    for (size_t j = 1; j < n; j++)
        for (size_t i = 0; i < j; i++) {
            const char *a = id_of(r, i), *b = id_of(r, j);
            if (a && b && strcmp(a, b) == 0) {
                st = rules_cfg_err(r, d,
                                   "%s[%zu]: duplicate id '%s' (also %s[%zu])",
                                   list, j + 1, b, list, i + 1);
                break;
            }
        }
    return st;
}

static const char *check_id(const struct rules *r, size_t i)
{
    return r->checks[i].id;
}

static const char *crit_id(const struct rules *r, size_t i)
{
    return r->criteria[i].id;
}

int rules_cfg_checks(struct rules *r, diag *d, int t, int funcs)
{
    lua_State *L = r->L;
    size_t n;
    int st = rules_cfg_list(r, d, t, "checks", &n, "{ id=, label=, test= }");
    int list = lua_gettop(L);
    if (!st && n && !(r->checks = calloc(n, sizeof *r->checks)))
        st = rules_cfg_oom(r, d);
    if (!st) {
        r->cfg.checks = r->checks;
        r->cfg.n_checks = n;
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, list, (lua_Integer)i + 1);
            st = rules_keep_status(st,
                                   parse_check(r, d, lua_gettop(L), i, funcs));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return rules_keep_status(
        st, dup_ids(r, d, "checks", r->cfg.n_checks, check_id));
}

int rules_cfg_criteria(struct rules *r, diag *d, int t, int funcs)
{
    lua_State *L = r->L;
    size_t n;
    int st = rules_cfg_list(r, d, t, "criteria", &n,
                            "{ id=, label=, max=, score= }");
    int list = lua_gettop(L);
    if (!st && n) {
        r->criteria = calloc(n, sizeof *r->criteria);
        r->crit_max = calloc(n, sizeof *r->crit_max);
        if (!r->criteria || !r->crit_max)
            st = rules_cfg_oom(r, d);
    }
    if (!st) {
        r->cfg.criteria = r->criteria;
        r->cfg.n_criteria = n;
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, list, (lua_Integer)i + 1);
            st = rules_keep_status(
                st, parse_criterion(r, d, lua_gettop(L), i, funcs));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return rules_keep_status(
        st, dup_ids(r, d, "criteria", r->cfg.n_criteria, crit_id));
}

/* ---- schedule ----------------------------------------------------------- */

#define SHARE_ONE INT64_C(1000000) /* millionths */

static const char *const sched_keys[] = { "at", "label", "share", NULL };

static int parse_share(struct rules *r, diag *d, int e, const char *where,
                       rules_instalment *ins)
{
    double x;
    int got = rules_cfg_number(r, d, e, "share", where, &x);
    if (got < 0)
        return DIAG_DATA;
    if (got == 0)
        return rules_cfg_err(r, d, "%s: missing 'share' (a percentage)", where);
    if (!(x > 0 && x <= 100) || llround(x * 10000) < 1)
        return rules_cfg_err(
            r, d, "%s: 'share' must be a percentage > 0 and <= 100", where);
    ins->share = llround(x * 10000);
    return DIAG_OK;
}

static int parse_at(struct rules *r, diag *d, int e, const char *where,
                    rules_instalment *ins)
{
    double x;
    int got = rules_cfg_number(r, d, e, "at", where, &x);
    if (got < 0)
        return DIAG_DATA;
    if (got == 0)
        return rules_cfg_err(r, d,
                             "%s: missing 'at' (0 = start of the project, "
                             "1 = its end)",
                             where);
    if (!(x >= 0 && x <= 1))
        return rules_cfg_err(
            r, d,
            "%s: 'at' must be between 0 (start of the project) "
            "and 1 (its end)",
            where);
    ins->at = (int32_t)llround(x * 1000);
    return DIAG_OK;
}

static int parse_instalment(struct rules *r, diag *d, int e, size_t i)
{
    char where[64];
    snprintf(where, sizeof where, "schedule[%zu]", i + 1);
    if (lua_type(r->L, e) != LUA_TTABLE)
        return rules_cfg_err(r, d, "%s must be a table { label=, share=, at= }",
                             where);
    rules_instalment *ins = &r->instalments[i];
    int st = rules_cfg_keys(r, d, e, sched_keys, where);
    st = rules_keep_status(
        st, rules_cfg_string(r, d, e, "label", where, &ins->label));
    st = rules_keep_status(st, parse_share(r, d, e, where, ins));
    return rules_keep_status(st, parse_at(r, d, e, where, ins));
}

static int default_schedule(struct rules *r, diag *d)
{
    r->instalments = calloc(1, sizeof *r->instalments);
    if (!r->instalments)
        return rules_cfg_oom(r, d);
    r->instalments[0].label = "Versement unique";
    r->instalments[0].share = SHARE_ONE;
    r->instalments[0].at = 0;
    r->cfg.instalments = r->instalments;
    r->cfg.n_instalments = 1;
    return DIAG_OK;
}

/* Shares were rounded to millionths one by one; their sum must then be
 * exactly 100 %, so the allocation never splits more or less than a grant. */
static int check_shares(struct rules *r, diag *d, size_t n)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += r->instalments[i].share;
    if (sum != SHARE_ONE)
        return rules_cfg_err(r, d,
                             "schedule shares add up to %g %%, expected 100",
                             (double)sum / 10000.0);
    return DIAG_OK;
}

/* A schedule function: its instalments are asked per application in
 * rules_evaluate (rules_schedule.c). */
static int schedule_function(struct rules *r, int t, int funcs)
{
    rules_cfg_get(r->L, t, "schedule");
    lua_rawseti(r->L, funcs, rules_slot(r, RULES_SLOT_SCHEDULE));
    r->cfg.has_schedule_fn = 1;
    r->cfg.instalments = NULL;
    r->cfg.n_instalments = 0;
    return DIAG_OK;
}

int rules_cfg_schedule(struct rules *r, diag *d, int t, int funcs)
{
    lua_State *L = r->L;
    size_t n;
    if (rules_cfg_get(L, t, "schedule") == LUA_TFUNCTION) {
        lua_pop(L, 1);
        return schedule_function(r, t, funcs);
    }
    lua_pop(L, 1);
    int st = rules_cfg_list(r, d, t, "schedule", &n,
                            "{ label=, share=, at= }");
    int list = lua_gettop(L);
    if (!st && lua_isnil(L, list))
        st = default_schedule(r, d);
    else if (!st && n == 0)
        st =
            rules_cfg_err(r, d, "'schedule' must list at least one instalment");
    else if (!st && !(r->instalments = calloc(n, sizeof *r->instalments)))
        st = rules_cfg_oom(r, d);
    else if (!st) {
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, list, (lua_Integer)i + 1);
            st =
                rules_keep_status(st, parse_instalment(r, d, lua_gettop(L), i));
            lua_pop(L, 1);
        }
        if (!st)
            st = check_shares(r, d, n);
        r->cfg.instalments = r->instalments;
        r->cfg.n_instalments = n;
    }
    lua_pop(L, 1);
    return st;
}

/* ---- fields ------------------------------------------------------------- */

static const char *const type_names[] = {
    "text", "integer", "number", "money", "date", "boolean", NULL
};

/* A list of allowed values: { "OBNL", "coop" }. */
static int parse_options(struct rules *r, diag *d, int v, rules_field *f)
{
    lua_State *L = r->L;
    size_t n;
    if (!rules_cfg_is_list(L, v, &n) || n == 0)
        return rules_cfg_err(r, d,
                             "fields.%s must be a type name or a list of "
                             "allowed values",
                             f->key);
    if (!(f->options = calloc(n, sizeof *f->options)))
        return rules_cfg_oom(r, d);
    f->type = RULES_FIELD_ONEOF;
    f->n_options = n;
    int st = DIAG_OK;
    for (size_t i = 0; i < n && !st; i++) {
        if (lua_rawgeti(L, v, (lua_Integer)i + 1) != LUA_TSTRING)
            st = rules_cfg_err(
                r, d, "fields.%s: allowed values must be strings", f->key);
        else if (!(f->options[i] = rules_cfg_keep(r, -1)))
            st = rules_cfg_oom(r, d);
        lua_pop(L, 1);
    }
    return st;
}

static int parse_field(struct rules *r, diag *d, int v, rules_field *f)
{
    int type = lua_type(r->L, v);
    if (type == LUA_TTABLE)
        return parse_options(r, d, v, f);
    const char *s = type == LUA_TSTRING ? lua_tostring(r->L, v) : NULL;
    for (size_t i = 0; s && type_names[i]; i++)
        if (strcmp(s, type_names[i]) == 0) {
            f->type = (rules_field_type)i;
            return DIAG_OK;
        }
    if (s)
        return rules_cfg_err(
            r, d,
            "fields.%s: unknown type '%s' (expected text, "
            "integer, number, money, date, boolean, or a list of "
            "allowed values)",
            f->key, s);
    return rules_cfg_err(r, d,
                         "fields.%s must be a type name or a list of allowed "
                         "values",
                         f->key);
}

int rules_cfg_fields(struct rules *r, diag *d, int t)
{
    lua_State *L = r->L;
    int type = rules_cfg_get(L, t, "fields");
    int ft = lua_gettop(L);
    int st = DIAG_OK;
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return DIAG_OK;
    }
    if (type != LUA_TTABLE) {
        lua_pop(L, 1);
        return rules_cfg_err(r, d,
                             "'fields' must be a table { column = type, ... }");
    }
    size_t n, other;
    const char **keys = rules_cfg_sorted_keys(L, ft, &n, &other);
    if (other)
        st = rules_cfg_err(r, d, "'fields' must map column names to types");
    if (n && !(r->fields = calloc(n, sizeof *r->fields)))
        st = rules_cfg_oom(r, d);
    for (size_t i = 0; r->fields && i < n; i++) {
        rules_field *f = &r->fields[i];
        r->n_fields = i + 1;
        if (!(f->key = rules_pool_dup(&r->strs, keys[i], strlen(keys[i])))) {
            st = rules_cfg_oom(r, d);
            break;
        }
        lua_pushstring(L, keys[i]);
        lua_rawget(L, ft);
        st = rules_keep_status(st, parse_field(r, d, lua_gettop(L), f));
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    return st;
}
