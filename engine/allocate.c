/* allocate: see include/allocate.h. */
#include "allocate.h"

#include <stdlib.h>
#include <string.h>

/* A partial grant is first bounded by each year's remaining money, then
 * lowered cent by cent while rounding of the instalments still overflows;
 * this many steps is far more than rounding can need. */
#define ALLOC_PARTIAL_STEPS 100000

typedef struct alloc_ctx {
    const plan_set *plan;
    size_t n_years;
    int64_t *remaining;  /* the result's grid */
    int64_t *granted;
    int64_t *amounts;    /* scratch: one per instalment */
    int64_t *need;       /* scratch: one per fiscal year */
} alloc_ctx;

static const char *const alloc_names[DECISION_N_STATUSES] = {
    "funded", "partially_funded", "waitlisted",
    "below_threshold", "ineligible", "overridden",
};

const char *alloc_status_name(decision_status s)
{
    return s < DECISION_N_STATUSES ? alloc_names[s] : "unknown";
}

/* Money the grant draws from each fiscal year, into c->need. */
static int alloc_need(alloc_ctx *c, size_t app, int64_t grant)
{
    memset(c->need, 0, c->n_years * sizeof *c->need);
    if (plan_amounts(c->plan, app, grant, c->amounts) != 0)
        return -1;
    const plan_instalment *items = &c->plan->items[c->plan->first[app]];
    for (size_t i = 0; i < plan_count(c->plan, app); i++)
        c->need[items[i].year] += c->amounts[i];
    return 0;
}

static int alloc_fits(alloc_ctx *c, size_t sub, size_t app, int64_t grant)
{
    if (alloc_need(c, app, grant) != 0)
        return -1;
    const int64_t *rem = &c->remaining[sub * c->n_years];
    for (size_t y = 0; y < c->n_years; y++)
        if (c->need[y] > rem[y])
            return 0;
    return 1;
}

/* Commits the grant whose need alloc_fits just computed. */
static void alloc_take(alloc_ctx *c, size_t sub)
{
    for (size_t y = 0; y < c->n_years; y++) {
        c->remaining[sub * c->n_years + y] -= c->need[y];
        c->granted[sub * c->n_years + y] += c->need[y];
    }
}

/* Largest grant <= requested that fits, or 0. */
static int64_t alloc_partial(alloc_ctx *c, size_t sub, size_t app,
                             int64_t requested)
{
    const plan_instalment *items = &c->plan->items[c->plan->first[app]];
    const int64_t *weight = &c->plan->weight[c->plan->first[app]];
    size_t n = plan_count(c->plan, app);
    int64_t total_weight = 0, bound = requested;
    for (size_t i = 0; i < n; i++)
        total_weight += weight[i];
    for (size_t y = 0; y < c->n_years; y++) {
        int64_t w = 0;
        for (size_t i = 0; i < n; i++)
            if ((size_t)items[i].year == y)
                w += weight[i];
        if (w == 0)
            continue;
        __extension__ __int128 cap =
            (__int128)c->remaining[sub * c->n_years + y] * total_weight / w;
        if (cap < bound)
            bound = (int64_t)cap;
    }
    for (int steps = 0; bound > 0 && steps < ALLOC_PARTIAL_STEPS; steps++) {
        int fits = alloc_fits(c, sub, app, bound);
        if (fits < 0)
            return 0;
        if (fits)
            return bound;
        bound--;
    }
    return 0;
}

static int alloc_decide(alloc_ctx *c, const rules_config *cfg,
                        const inputs *in, size_t sub, size_t app, int stopped,
                        decision *dec)
{
    int64_t requested = in->apps[app].requested;
    dec->status = DECISION_WAITLISTED;
    if (stopped)
        return 1;
    int fits = alloc_fits(c, sub, app, requested);
    if (fits < 0)
        return -1;
    if (fits) {
        alloc_take(c, sub);
        dec->status = DECISION_FUNDED;
        dec->granted = requested;
        return 0;
    }
    if (cfg->on_overflow == RULES_OVERFLOW_STOP)
        return 1;
    if (cfg->on_overflow == RULES_OVERFLOW_PARTIAL) {
        int64_t minimum = (requested * cfg->min_partial + 999) / 1000;
        int64_t g = alloc_partial(c, sub, app, requested);
        if (g > 0 && g >= minimum && alloc_fits(c, sub, app, g) == 1) {
            alloc_take(c, sub);
            dec->status = DECISION_PARTIAL;
            dec->granted = g;
        }
    }
    return 0;
}

/* Statuses of everything rank left out; candidates are decided later.
 * A plan falling outside the program makes an application ineligible. */
static void alloc_unranked(const rules_results *res, const plan_set *plan,
                           size_t n_apps, alloc_result *out)
{
    for (size_t a = 0; a < n_apps; a++) {
        decision *dec = &out->decisions[a];
        dec->status = res->eligible[a] && plan->inside[a]
                          ? DECISION_BELOW_THRESHOLD
                          : DECISION_INELIGIBLE;
    }
}

static int alloc_setup(alloc_ctx *c, const plan_set *plan,
                       const split_grid *env, size_t n_apps,
                       alloc_result *out)
{
    size_t cells = env->n_sub * env->n_years, most = 1;
    for (size_t a = 0; a < plan->n_apps; a++)
        if (plan_count(plan, a) > most)
            most = plan_count(plan, a);
    out->decisions = calloc(n_apps + 1, sizeof *out->decisions);
    out->granted = calloc(cells, sizeof *out->granted);
    out->remaining = malloc(cells * sizeof *out->remaining);
    *c = (alloc_ctx){plan, env->n_years, out->remaining, out->granted,
                     malloc(most * sizeof *c->amounts),
                     malloc(env->n_years * sizeof *c->need)};
    if (!out->decisions || !out->granted || !out->remaining || !c->amounts ||
        !c->need)
        return -1;
    memcpy(out->remaining, env->cell, cells * sizeof *out->remaining);
    return 0;
}

int alloc_run(const inputs *in, const rules_config *cfg,
              const rules_results *res, const plan_set *plan,
              const rank_order *order, const split_grid *env,
              alloc_result *out, diag *d)
{
    memset(out, 0, sizeof *out);
    alloc_ctx c;
    int rc = 0;
    if (alloc_setup(&c, plan, env, in->n_apps, out) != 0) {
        rc = diag_add(d, DIAG_OSERR, "out of memory");
        goto done;
    }
    alloc_unranked(res, plan, in->n_apps, out);
    for (size_t s = 0; s < in->n_split && rc == 0; s++) {
        int stopped = 0;
        for (size_t i = order->sub_first[s]; i < order->sub_first[s + 1]; i++) {
            size_t app = order->apps[i];
            decision *dec = &out->decisions[app];
            dec->rank = order->rank[app];
            int r = alloc_decide(&c, cfg, in, s, app, stopped, dec);
            if (r < 0) {
                rc = diag_add(d, DIAG_INTERNAL,
                              "allocate: invalid instalment weights for %s",
                              in->apps[app].id);
                break;
            }
            stopped |= r;
        }
    }
done:
    free(c.amounts);
    free(c.need);
    if (rc != 0)
        alloc_free(out);
    return rc;
}

void alloc_free(alloc_result *out)
{
    free(out->decisions);
    free(out->granted);
    free(out->remaining);
    memset(out, 0, sizeof *out);
}
