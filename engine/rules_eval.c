/* rules_eval: runs every check and criterion, and the optional rank,
 * tiebreak and schedule functions, on every application (rules_evaluate,
 * see include/rules.h).
 *
 * The hot loop is per application: one app table (rules_app.c), then one
 * lua_pcall that runs all its rule functions (eval_rules) with functions
 * taken from a table kept on the stack, no string formatting unless
 * something fails.  Everything rank.c and plan.c need from Lua is
 * computed here, once per application, so no later step calls back into
 * Lua. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "rules_internal.h"

/* ---- results ------------------------------------------------------------ */

void rules_results_free(rules_results *res)
{
    free(res->eligible);
    free(res->score);
    free(res->points);
    free(res->failures);
    free(res->first_failure);
    free(res->rank);
    free(res->tiebreak);
    free(res->dues);
    free(res->first_due);
    free(res->labels);
    if (res->pool) {
        rules_pool_free(res->pool);
        free(res->pool);
    }
    memset(res, 0, sizeof *res);
}

/* The arrays of the optional functions; 0, or -1 when out of memory. */
static int results_alloc_keys(rules_results *out, const rules_config *cfg,
                              size_t n)
{
    if (cfg->has_rank && !(out->rank = calloc(n ? n : 1, sizeof *out->rank)))
        return -1;
    if (cfg->has_tiebreak &&
        !(out->tiebreak = calloc(n ? n : 1, sizeof *out->tiebreak)))
        return -1;
    if (cfg->has_schedule_fn &&
        !(out->first_due = calloc(n + 1, sizeof *out->first_due)))
        return -1;
    return 0;
}

/* Sizes every array for n applications (at least one element, so a
 * NULL means out of memory even when there is no application). */
static int results_alloc(rules_results *out, const rules_config *cfg,
                         size_t n)
{
    size_t n_crit = cfg->n_criteria;
    memset(out, 0, sizeof *out);
    out->n_apps = n;
    out->n_checks = cfg->n_checks;
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
    return results_alloc_keys(out, cfg, n);
}

static int add_failure(rules_eval_job *ej, size_t app, size_t check,
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

/* ---- calling checks and criteria ---------------------------------------- */

int rules_bad_result(rules_eval_job *ej, lua_Integer slot, const char *kind,
                     const char *id, const char *appid, const char *got,
                     const char *expected)
{
    struct rules *r = ej->job.r;
    char what[200];
    if (id)
        snprintf(what, sizeof what, "%s '%s'", kind, id);
    else
        snprintf(what, sizeof what, "%s", kind);
    lua_rawgeti(r->L, RULES_S_FUNCS, slot);
    int st = rules_func_error(r, ej->job.d, -1, "%s for application %s "
                              "returned %s, expected %s", what, appid, got,
                              expected);
    lua_pop(r->L, 1);
    return st;
}

static const char check_expected[] = "true or false[, reason]";

const char *rules_a_type(lua_State *L, int idx, char *buf, size_t cap)
{
    if (lua_isnil(L, idx))
        return "nil";
    snprintf(buf, cap, "a %s", luaL_typename(L, idx));
    return buf;
}

/* A reason kept in out->pool.  Reasons repeat: a constant string, or the
 * same text formatted again ("type d'organisme « entreprise_privee » non
 * admissible" 20 000 times in a million applications), and the pool lives
 * as long as the results.  So the recent distinct reasons are remembered,
 * by a hash of their bytes and checked byte by byte, and a repeat shares
 * the earlier copy: a few MB less at a million applications. */
static const char *keep_reason(rules_eval_job *ej, const char *s, size_t len)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    const char **slot = &ej->reasons[h % RULES_REASONS];
    if (*slot && strlen(*slot) == len && memcmp(*slot, s, len) == 0)
        return *slot; /* (a copy never matches a reason with a NUL) */
    const char *copy = rules_pool_dup(ej->out->pool, s, len);
    if (copy)
        *slot = copy;
    return copy;
}

/* A failed check: records its reason (or its label) in the results. */
static int check_failed(rules_eval_job *ej, size_t a, size_t c)
{
    lua_State *L = ej->job.r->L;
    const rules_check *chk = &ej->job.r->checks[c];
    const char *reason;
    int type = lua_type(L, -1);
    if (type == LUA_TSTRING || type == LUA_TNUMBER) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        reason = keep_reason(ej, s, len);
    } else if (type == LUA_TNIL) {
        if (!ej->label_copy[c])
            ej->label_copy[c] = rules_pool_dup(ej->out->pool, chk->label,
                                               strlen(chk->label));
        reason = ej->label_copy[c];
    } else {
        char got[64];
        snprintf(got, sizeof got, "false and a %s", luaL_typename(L, -1));
        return rules_bad_result(ej, (lua_Integer)c + 1, "check", chk->id,
                                ej->in->apps[a].id, got, check_expected);
    }
    if (!reason || add_failure(ej, a, c, reason) != 0)
        return diag_add(ej->job.d, DIAG_OSERR, "out of memory");
    ej->out->eligible[a] = 0;
    return DIAG_OK;
}

/* ---- what a rule returned ---------------------------------------------- */

/* Each of these reads the results of one call at the top of the stack,
 * stores them or reports what is wrong with them, and pops them. */

/* A check's two results: true, false[, reason], or anything else. */
static int check_result(rules_eval_job *ej, size_t a, size_t c)
{
    struct rules *r = ej->job.r;
    lua_State *L = r->L;
    int st;
    if (lua_type(L, -2) == LUA_TBOOLEAN) {
        st = lua_toboolean(L, -2) ? DIAG_OK : check_failed(ej, a, c);
    } else {
        char buf[32];
        st = rules_bad_result(ej, (lua_Integer)c + 1, "check",
                              r->checks[c].id, ej->in->apps[a].id,
                              rules_a_type(L, -2, buf, sizeof buf),
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

static void store_points(rules_eval_job *ej, size_t a, size_t c, double p)
{
    struct rules *r = ej->job.r;
    int32_t pts = to_points(p, r->crit_max[c], r->criteria[c].max);
    ej->out->points[a * r->cfg.n_criteria + c] = pts;
    ej->out->score[a] += pts;
}

static int criterion_result(rules_eval_job *ej, size_t a, size_t c)
{
    struct rules *r = ej->job.r;
    lua_State *L = r->L;
    lua_Integer slot = (lua_Integer)(r->cfg.n_checks + c) + 1;
    const char *id = r->criteria[c].id, *appid = ej->in->apps[a].id;
    double p = lua_tonumber(L, -1);
    char buf[32];
    int st = DIAG_OK;
    if (lua_type(L, -1) != LUA_TNUMBER)
        st = rules_bad_result(ej, slot, "criterion", id, appid,
                              rules_a_type(L, -1, buf, sizeof buf),
                              "a number");
    else if (!isfinite(p))
        st = rules_bad_result(ej, slot, "criterion", id, appid,
                              isnan(p) ? "nan" : "an infinite number",
                              "a finite number");
    else
        store_points(ej, a, c, p);
    lua_pop(L, 1);
    return st;
}

/* rank() or tiebreak(): a number, stored as a ranking key.  Infinities
 * order fine; NaN compares with nothing, so it would break the sort. */
static int key_result(rules_eval_job *ej, size_t a, int which, double *keys)
{
    struct rules *r = ej->job.r;
    lua_State *L = r->L;
    const char *name = which == RULES_SLOT_RANK ? "rank" : "tiebreak";
    const char *appid = ej->in->apps[a].id;
    lua_Integer slot = rules_slot(r, which);
    char buf[32];
    int st = DIAG_OK;
    if (lua_type(L, -1) != LUA_TNUMBER)
        st = rules_bad_result(ej, slot, name, NULL, appid,
                              rules_a_type(L, -1, buf, sizeof buf),
                              "a number");
    else if (isnan(lua_tonumber(L, -1)))
        st = rules_bad_result(ej, slot, name, NULL, appid, "nan",
                              "a number (not NaN)");
    else
        keys[a] = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return st;
}

/* ---- calling the rules of one application ------------------------------- */

/* An application's rule functions, numbered 0..n_rules-1 in the order
 * they run: the checks, the criteria, then rank and tiebreak when the
 * file has them. */
typedef enum {
    RULE_CHECK, RULE_CRITERION, RULE_RANK, RULE_TIEBREAK
} rule_kind;

typedef struct rule_ref {
    rule_kind kind;
    size_t index;       /* check or criterion index */
    lua_Integer slot;   /* in the funcs table */
} rule_ref;

static rule_ref rule_at(const struct rules *r, size_t k)
{
    const rules_config *cfg = &r->cfg;
    if (k < cfg->n_checks)
        return (rule_ref){ RULE_CHECK, k, (lua_Integer)k + 1 };
    if (k < cfg->n_checks + cfg->n_criteria)
        return (rule_ref){ RULE_CRITERION, k - cfg->n_checks,
                           (lua_Integer)k + 1 };
    if (k == cfg->n_checks + cfg->n_criteria && cfg->has_rank)
        return (rule_ref){ RULE_RANK, 0, rules_slot(r, RULES_SLOT_RANK) };
    return (rule_ref){ RULE_TIEBREAK, 0, rules_slot(r, RULES_SLOT_TIEBREAK) };
}

/* Stores the results of a call when they are the usual ones (a check
 * passed, a finite number of points, a key); 0 leaves them for the
 * functions above, which also explain what is wrong. */
static int store_usual(rules_eval_job *ej, size_t a, rule_ref rule)
{
    lua_State *L = ej->job.r->L;
    if (rule.kind == RULE_CHECK)
        return lua_type(L, -2) == LUA_TBOOLEAN && lua_toboolean(L, -2);
    if (lua_type(L, -1) != LUA_TNUMBER)
        return 0;
    double v = lua_tonumber(L, -1);
    if (rule.kind == RULE_CRITERION) {
        if (!isfinite(v))
            return 0;
        store_points(ej, a, rule.index, v);
    } else {
        if (isnan(v))
            return 0;
        (rule.kind == RULE_RANK ? ej->out->rank : ej->out->tiebreak)[a] = v;
    }
    return 1;
}

/* Runs the current application's rules from ej->next on, as one
 * protected call instead of a lua_pcall (a setjmp) per rule function;
 * measured, that saves only 2-3 % of the engine's own time, the calls
 * themselves (about 30 ns each with the count hook) remain.  Each
 * function still gets a fresh instruction budget.  Arguments: funcs,
 * app, ctx; upvalue 1: the job.  Returns 0 values when every rule was
 * stored, or the results of rule ej->next when they need more than
 * storing (a failed check, a wrong value).  After a Lua error, ej->next
 * is the rule that raised it. */
static int eval_rules(lua_State *L)
{
    rules_eval_job *ej = lua_touserdata(L, lua_upvalueindex(1));
    struct rules *r = ej->job.r;
    for (; ej->next < ej->n_rules; ej->next++) {
        rule_ref rule = rule_at(r, ej->next);
        int nresults = rule.kind == RULE_CHECK ? 2 : 1;
        lua_rawgeti(L, 1, rule.slot);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 3);
        rules_call_begin(r);
        lua_call(L, 2, nresults);
        if (!store_usual(ej, ej->cur_app, rule))
            return nresults;
        lua_settop(L, 3);
    }
    return 0;
}

/* Reports the Lua error of rule ej->next (its message at the top). */
static int rule_call_error(rules_eval_job *ej, size_t a, int status)
{
    struct rules *r = ej->job.r;
    rule_ref rule = rule_at(r, ej->next);
    const char *appid = ej->in->apps[a].id;
    switch (rule.kind) {
    case RULE_CHECK:
        return rules_call_error(r, ej->job.d, status,
                                "check '%s' for application %s",
                                r->checks[rule.index].id, appid);
    case RULE_CRITERION:
        return rules_call_error(r, ej->job.d, status,
                                "criterion '%s' for application %s",
                                r->criteria[rule.index].id, appid);
    case RULE_RANK:
        return rules_call_error(r, ej->job.d, status,
                                "rank for application %s", appid);
    default:
        return rules_call_error(r, ej->job.d, status,
                                "tiebreak for application %s", appid);
    }
}

/* The results eval_rules left at the top (two values) for rule ej->next. */
static int rule_result(rules_eval_job *ej, size_t a)
{
    lua_State *L = ej->job.r->L;
    rule_ref rule = rule_at(ej->job.r, ej->next);
    if (rule.kind == RULE_CHECK)
        return check_result(ej, a, rule.index);
    lua_pop(L, 1); /* nil: eval_rules returned one value */
    if (rule.kind == RULE_CRITERION)
        return criterion_result(ej, a, rule.index);
    if (rule.kind == RULE_RANK)
        return key_result(ej, a, RULES_SLOT_RANK, ej->out->rank);
    return key_result(ej, a, RULES_SLOT_TIEBREAK, ej->out->tiebreak);
}

/* ---- one application, all applications ---------------------------------- */

/* A rule call for application a failed with status st (reported).
 * Returns the status that stops the evaluation, or DIAG_OK to go on. */
static int rule_error(rules_eval_job *ej, size_t a, int st)
{
    if (st != DIAG_DATA)
        return st; /* out of memory, a bug: nothing more can be trusted */
    ej->out->eligible[a] = 0;
    ej->out->n_errors++;
    return ej->out->n_errors >= ej->max_errors ? DIAG_DATA : DIAG_OK;
}

/* Every rule of application a (its table at RULES_S_APP): eval_rules
 * runs them, and is called again past each rule it hands back. */
static int eval_rules_of(rules_eval_job *ej, size_t a)
{
    lua_State *L = ej->job.r->L;
    int st = DIAG_OK;
    ej->cur_app = a;
    ej->next = 0;
    while (!st && ej->next < ej->n_rules) {
        lua_pushvalue(L, RULES_S_DRIVER);
        lua_pushvalue(L, RULES_S_FUNCS);
        lua_pushvalue(L, RULES_S_APP);
        lua_pushvalue(L, RULES_S_CTX);
        int status = lua_pcall(L, 3, 2, RULES_S_MSGH);
        if (status == LUA_OK && ej->next == ej->n_rules) {
            lua_pop(L, 2);
            break;
        }
        st = status != LUA_OK ? rule_call_error(ej, a, status)
                              : rule_result(ej, a);
        ej->next++;
        if (st != DIAG_OK)
            st = rule_error(ej, a, st);
    }
    return st;
}

static int eval_app(rules_eval_job *ej, size_t a)
{
    struct rules *r = ej->job.r;
    ej->out->first_failure[a] = ej->out->n_failures;
    if (ej->out->first_due)
        ej->out->first_due[a] = ej->out->n_dues;
    rules_push_app(ej, a);
    int st = eval_rules_of(ej, a);
    if (!st && r->cfg.has_schedule_fn &&
        (st = rules_schedule_app(ej, a)) != DIAG_OK)
        st = rule_error(ej, a, st);
    lua_pop(r->L, 1);
    return st;
}

/* Closes the offsets from application a on (all of them when every
 * application ran); those not reached are ineligible. */
static void eval_close(rules_eval_job *ej, size_t a)
{
    rules_results *out = ej->out;
    for (; a <= ej->hi; a++) {
        if (a == ej->hi && a != ej->in->n_apps)
            break; /* the next part's first offset, not this one's */
        out->first_failure[a] = out->n_failures;
        if (out->first_due)
            out->first_due[a] = out->n_dues;
        if (a < ej->hi)
            out->eligible[a] = 0;
    }
    ej->closed = 1;
}

static int eval_body(lua_State *L)
{
    rules_eval_job *ej = lua_touserdata(L, 1);
    struct rules *r = ej->job.r;
    luaL_checkstack(L, RULES_STACK, NULL);
    if (ej->lo == 0 && (ej->job.status = rules_check_cells(ej)) != DIAG_OK)
        return 0;
    lua_pushcfunction(L, rules_msgh);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->funcs_ref);
    rules_push_ctx(r, ej->in);
    rules_push_keys(ej);
    lua_newtable(L); /* RULES_S_LABELS */
    lua_pushlightuserdata(L, ej);
    lua_pushcclosure(L, eval_rules, 1); /* RULES_S_DRIVER */
    size_t a = ej->lo, span = ej->hi - ej->lo;
    while (a < ej->hi && ej->job.status == DIAG_OK) {
        /* the first part stands for all: the others run alongside */
        if (r->progress && a % 4096 == 0 && ej->lo == 0)
            r->progress(r->progress_ctx, span ? a * ej->in->n_apps / span : a,
                        ej->in->n_apps);
        ej->job.status = eval_app(ej, a++);
    }
    if (ej->job.status == DIAG_OK || ej->job.status == DIAG_DATA)
        eval_close(ej, ej->job.status == DIAG_OK ? ej->hi : a);
    if (ej->job.status == DIAG_OK && ej->out->n_errors)
        ej->job.status = DIAG_DATA;
    return 0;
}

/* Applications lo..hi-1 into out; fresh: out is allocated here (and
 * freed unless complete), else the caller's. */
static int eval_range(rules *r, const inputs *in, size_t max_errors,
                      rules_results *out, size_t lo, size_t hi, int fresh,
                      diag *d)
{
    rules_eval_job ej;
    memset(&ej, 0, sizeof ej);
    ej.job = (rules_job){ r, d, DIAG_OK };
    ej.in = in;
    ej.out = out;
    ej.lo = lo;
    ej.hi = hi;
    ej.max_errors = max_errors ? max_errors : 1;
    ej.n_rules = r->cfg.n_checks + r->cfg.n_criteria +
                 (r->cfg.has_rank ? 1 : 0) + (r->cfg.has_tiebreak ? 1 : 0);
    int st = DIAG_OK;
    size_t n_extra = in->n_extra ? in->n_extra : 1;
    size_t n_checks = r->cfg.n_checks ? r->cfg.n_checks : 1;
    ej.col_field = calloc(n_extra, sizeof *ej.col_field);
    ej.col_base = calloc(n_extra, sizeof *ej.col_base);
    ej.label_copy = calloc(n_checks, sizeof *ej.label_copy);
    if ((fresh && results_alloc(out, &r->cfg, in->n_apps)) || !ej.col_field ||
        !ej.col_base || !ej.label_copy)
        st = diag_add(d, DIAG_OSERR, "out of memory");
    if (st == DIAG_OK)
        st = rules_map_fields(&ej);
    if (st == DIAG_OK)
        st = rules_grades_prepare(r, in, &ej.grades, d);
    if (st == DIAG_OK)
        st = rules_protect(&ej.job, eval_body);
    free(ej.col_field);
    free(ej.col_base);
    free(ej.label_copy);
    rules_grades_free(&ej.grades);
    /* rule errors leave complete results, anything else none */
    if (fresh && st != DIAG_OK && !(st == DIAG_DATA && out->n_errors && ej.closed))
        rules_results_free(out);
    return st;
}

int rules_evaluate_all(rules *r, const inputs *in, size_t max_errors,
                       rules_results *out, diag *d)
{
    return eval_range(r, in, max_errors, out, 0, in->n_apps, 1, d);
}

int rules_eval_part(struct rules *r, const inputs *in, rules_results *out,
                    size_t lo, size_t hi, diag *d)
{
    return eval_range(r, in, 1, out, lo, hi, 0, d);
}

int rules_results_alloc(rules_results *out, const rules_config *cfg,
                        size_t n)
{
    return results_alloc(out, cfg, n);
}

int rules_evaluate(rules *r, const inputs *in, rules_results *out, diag *d)
{
    int st = rules_evaluate_all(r, in, 1, out, d);
    if (st != DIAG_OK)
        rules_results_free(out); /* the first error stops a run */
    return st;
}

void rules_set_progress(rules *r, rules_progress_fn fn, void *ctx)
{
    r->progress = fn;
    r->progress_ctx = ctx;
}
