/* allocate: see include/allocate.h. */
#include "allocate.h"

#include <stdlib.h>
#include <string.h>

#include "alloc_internal.h"
#include "calendar.h"
#include "money.h"

static const char *const alloc_names[DECISION_N_STATUSES] = {
    "funded", "partially_funded", "waitlisted",
    "below_threshold", "ineligible", "overridden",
};

const char *alloc_status_name(decision_status s)
{
    return s < DECISION_N_STATUSES ? alloc_names[s] : "unknown";
}

/* Money the grant draws from each fiscal year, into c->need. */
int alloc_need(alloc_ctx *c, size_t app, int64_t grant)
{
    memset(c->need, 0, c->n_years * sizeof *c->need);
    if (plan_amounts(c->plan, app, grant, c->amounts) != 0)
        return -1;
    const plan_instalment *items = &c->plan->items[c->plan->first[app]];
    for (size_t i = 0; i < plan_count(c->plan, app); i++)
        c->need[items[i].year] += c->amounts[i];
    return 0;
}

/* 1 when the grant fits row `row` of the grid, 0 when not (c->short_year
 * names the first year short of money), -1 on invalid weights. Carried
 * money flows forward only: in carry mode what the first y years need
 * must fit what they hold together. */
int alloc_fits(alloc_ctx *c, size_t row, size_t app, int64_t grant)
{
    return alloc_fits_got(c, row, &c->out->granted[row * c->n_years], app,
                          grant);
}

/* alloc_fits against `got`, the row's grants so far (n_years), instead of
 * the result's: robust.c asks how a candidate would fare elsewhere. */
int alloc_fits_got(alloc_ctx *c, size_t row, const int64_t *got, size_t app,
                   int64_t grant)
{
    if (alloc_need(c, app, grant) != 0)
        return -1;
    return alloc_fits_need(c, row, got, c->need);
}

/* 1 when drawing need[] per year fits row `row` holding `got` already,
 * else 0 with c->short_year set. */
int alloc_fits_need(alloc_ctx *c, size_t row, const int64_t *got,
                    const int64_t *need)
{
    int64_t slack = 0;
    for (size_t y = 0; y < c->n_years; y++) {
        int64_t left = alloc_open_cell(c, row * c->n_years + y) - got[y];
        slack = c->carry ? slack + left : left;
        if (c->carry)
            slack -= need[y];
        if (c->carry ? slack < 0 : need[y] > left) {
            c->short_year = (int32_t)y;
            return 0;
        }
    }
    return 1;
}

/* Commits the grant whose need alloc_fits just computed. */
void alloc_take(alloc_ctx *c, size_t row)
{
    for (size_t y = 0; y < c->n_years; y++)
        c->out->granted[row * c->n_years + y] += c->need[y];
}

/* Largest grant in [lowest, highest] that fits, or 0. Rounding of the
 * instalments makes fitting only nearly monotone in the grant, so every
 * candidate is checked and only a fitting one is ever returned. */
static int64_t alloc_most_that_fits(alloc_ctx *c, size_t row,
                                    const int64_t *got, size_t app,
                                    int64_t lowest, int64_t highest)
{
    if (lowest < 1)
        lowest = 1;
    if (lowest > highest || alloc_fits_got(c, row, got, app, lowest) != 1)
        return 0;
    while (lowest < highest) {
        int64_t mid = lowest + (highest - lowest + 1) / 2;
        if (alloc_fits_got(c, row, got, app, mid) == 1)
            lowest = mid;
        else
            highest = mid - 1;
    }
    return lowest;
}

/* The request lowered to the rule's caps, the organisation having been
 * granted org_used already. */
int64_t alloc_target(const alloc_ctx *c, size_t app, int64_t org_used)
{
    int64_t t = c->in->apps[app].requested;
    /* a resubmission: the cap holds for its commitment and grant together */
    int64_t cap = c->cfg->max_grant - c->out->app_committed[app];
    if (c->cfg->max_grant && t > cap)
        t = cap;
    if (c->cfg->max_per_org) {
        int64_t left = c->cfg->max_per_org - org_used;
        if (t > left)
            t = left;
    }
    return t;
}

void alloc_charge(alloc_ctx *c, size_t row, size_t app, int64_t g)
{
    alloc_take(c, row);
    if (c->org)
        c->org_granted[c->org[app]] += g;
}

void alloc_grant(alloc_ctx *c, size_t row, size_t app, int64_t g,
                 decision *dec)
{
    alloc_charge(c, row, app, g);
    dec->granted = g;
    dec->status = g == c->in->apps[app].requested ? DECISION_FUNDED
                                                   : DECISION_PARTIAL;
}

/* What one candidate gets against the row's grants so far (got) and its
 * organisation's (org_used): on success c->need holds what the grant
 * draws per year. Returns 1 when on_overflow = stop ends the sub-region,
 * 0 to go on, -1 on invalid weights. */
int alloc_choose_drawn(alloc_ctx *c, size_t sub, const int64_t *got,
                       int64_t org_used, size_t app, const int64_t *drawn,
                       alloc_choice *ch)
{
    int64_t requested = c->in->apps[app].requested;
    int64_t target = alloc_target(c, app, org_used);
    *ch = (alloc_choice){0, DECISION_WAITLISTED, -1, 0, target, 0};
    if (target <= 0)
        return 0; /* the organisation's cap is used up */
    int fits;
    if (drawn && target == requested) {
        memcpy(c->need, drawn, c->n_years * sizeof *c->need);
        fits = alloc_fits_need(c, sub, got, c->need);
    } else
        fits = alloc_fits_got(c, sub, got, app, target);
    if (fits < 0)
        return -1;
    if (fits) {
        *ch = (alloc_choice){target, target == requested ? DECISION_FUNDED
                                                         : DECISION_PARTIAL,
                             -1, 1, target, 0};
        return 0;
    }
    ch->short_year = c->short_year;
    if (c->cfg->on_overflow == RULES_OVERFLOW_STOP)
        return 1;
    if (c->cfg->on_overflow == RULES_OVERFLOW_PARTIAL) {
        int64_t minimum = (requested * c->cfg->min_partial + 999) / 1000;
        ch->lowest = minimum < 1 ? 1 : minimum;
        if (ch->lowest > target)
            ch->lowest = 0;
        int64_t g = alloc_most_that_fits(c, sub, got, app, minimum, target);
        if (g > 0 && alloc_fits_got(c, sub, got, app, g) == 1)
            *ch = (alloc_choice){g, g == requested ? DECISION_FUNDED
                                                   : DECISION_PARTIAL, -1, 0,
                                 target, ch->lowest};
    }
    return 0;
}

int alloc_choose(alloc_ctx *c, size_t sub, const int64_t *got,
                 int64_t org_used, size_t app, alloc_choice *ch)
{
    return alloc_choose_drawn(c, sub, got, org_used, app, NULL, ch);
}

/* Decides one candidate in the result; returns as alloc_choose. */
static int alloc_decide(alloc_ctx *c, size_t sub, size_t app, decision *dec)
{
    alloc_choice ch;
    int64_t used = alloc_org_used(c, app);
    int r = alloc_choose(c, sub, &c->out->granted[sub * c->n_years], used,
                         app, &ch);
    dec->status = DECISION_WAITLISTED;
    dec->short_year = ch.short_year;
    if (r == 0 && ch.grant > 0)
        alloc_grant(c, sub, app, ch.grant, dec);
    return r;
}

/* Statuses of everything rank left out; candidates are decided later.
 * A plan falling outside the program makes an application ineligible. */
static void alloc_unranked(alloc_ctx *c)
{
    for (size_t a = 0; a < c->in->n_apps; a++) {
        decision *dec = &c->out->decisions[a];
        dec->status = c->res->eligible[a] && c->plan->inside[a]
                          ? DECISION_BELOW_THRESHOLD
                          : DECISION_INELIGIBLE;
        dec->source = (uint32_t)c->in->apps[a].subregion;
        dec->short_year = -1;
        dec->rank = c->order->rank[a];
    }
}

int alloc_greedy(alloc_ctx *c, diag *d)
{
    for (size_t s = 0; s < c->in->n_split; s++) {
        int stopped = 0;
        for (size_t i = c->order->sub_first[s]; i < c->order->sub_first[s + 1]; i++) {
            size_t app = c->order->apps[i];
            decision *dec = &c->out->decisions[app];
            /* overridden, or funded by equal shares before completion */
            if (dec->status == DECISION_OVERRIDDEN || dec->granted > 0)
                continue;
            dec->status = DECISION_WAITLISTED;
            if (stopped)
                continue;
            int r = alloc_decide(c, s, app, dec);
            if (r < 0)
                return diag_add(d, DIAG_INTERNAL,
                                "allocate: invalid instalment weights for %s",
                                c->in->apps[app].id);
            stopped |= r;
        }
    }
    return 0;
}

/* Carried money and what each cell leaves, once every grant is made. */
static void alloc_close_years(alloc_ctx *c)
{
    const split_grid *g = c->env;
    for (size_t s = 0; s < g->n_sub; s++) {
        int64_t carry = 0;
        for (size_t y = 0; y < g->n_years; y++) {
            size_t k = s * g->n_years + y;
            c->out->carried_in[k] = carry;
            c->out->remaining[k] =
                alloc_open_cell(c, k) + carry - c->out->granted[k];
            carry = c->carry ? c->out->remaining[k] : 0;
        }
    }
}

int64_t alloc_carried_out(const alloc_result *r, const split_grid *g,
                          size_t s, size_t y)
{
    return y + 1 < g->n_years ? r->carried_in[s * g->n_years + y + 1] : 0;
}

int64_t alloc_to_reserve(const alloc_result *r, const split_grid *g,
                         size_t s, size_t y)
{
    return r->remaining[s * g->n_years + y] - alloc_carried_out(r, g, s, y);
}

int alloc_run(const inputs *in, const rules_config *cfg,
              const rules_results *res, const plan_set *plan,
              const rank_order *order, const split_grid *env,
              alloc_result *out, diag *d)
{
    return alloc_run_with(in, cfg, res, plan, order, env, NULL, out, d);
}

int alloc_run_with(const inputs *in, const rules_config *cfg,
                   const rules_results *res, const plan_set *plan,
                   const rank_order *order, const split_grid *env,
                   const alloc_proposer *p, alloc_result *out, diag *d)
{
    return alloc_run_committed(in, cfg, res, plan, order, env, NULL, p, out,
                               d);
}

int alloc_run_committed(const inputs *in, const rules_config *cfg,
                        const rules_results *res, const plan_set *plan,
                        const rank_order *order, const split_grid *env,
                        const alloc_commitments *cm, const alloc_proposer *p,
                        alloc_result *out, diag *d)
{
    memset(out, 0, sizeof *out);
    alloc_ctx c;
    int rc = alloc_ctx_open(&c, in, cfg, res, plan, order, env, cm, out);
    if (rc != 0) {
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    } else {
        alloc_unranked(&c);
        rc = alloc_check_committed(&c, d);
        if (rc == 0)
            rc = alloc_overrides(&c, d);
        if (rc == 0)
            rc = p ? alloc_proposed(&c, p, d)
                   : cfg->method == RULES_METHOD_EQUAL_SHARES
                   ? alloc_equal_shares(&c, d)
                   : alloc_greedy(&c, d);
        if (rc == 0)
            alloc_close_years(&c);
    }
    alloc_ctx_close(&c);
    if (rc != 0)
        alloc_free(out);
    return rc;
}

void alloc_free(alloc_result *out)
{
    free(out->decisions);
    free(out->granted);
    free(out->carried_in);
    free(out->remaining);
    free(out->committed);
    free(out->app_committed);
    alloc_shares_free(out->shares);
    memset(out, 0, sizeof *out);
}
