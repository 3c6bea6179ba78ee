/* allocate_setup: the allocation's working state, and the committee's
 * overrides, applied before any ranked grant. */
#include <stdlib.h>
#include <string.h>

#include "alloc_internal.h"
#include "calendar.h"
#include "money.h"

typedef struct org_key {
    const char *name;
    size_t app;
} org_key;

static int org_cmp(const void *a, const void *b)
{
    const org_key *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->app > y->app) - (x->app < y->app);
}

/* Numbers organisations by name so caps can add up their grants. */
int alloc_number_orgs(alloc_ctx *c)
{
    size_t n = c->in->n_apps;
    org_key *keys = malloc((n + 1) * sizeof *keys);
    c->org = malloc((n + 1) * sizeof *c->org);
    c->org_granted = calloc(n + 1, sizeof *c->org_granted);
    if (!keys || !c->org || !c->org_granted) {
        free(keys);
        return -1;
    }
    for (size_t a = 0; a < n; a++)
        keys[a] = (org_key){c->in->apps[a].organisation, a};
    qsort(keys, n, sizeof *keys, org_cmp);
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(keys[i].name, keys[i - 1].name) != 0)
            next++;
        c->org[keys[i].app] = next;
    }
    free(keys);
    return 0;
}

/* Copies the commitments into the result, zeros when there are none, so
 * every reader of the result sees the cells the call started from. */
static int alloc_copy_commitments(alloc_result *out, const inputs *in,
                                  const split_grid *env,
                                  const alloc_commitments *cm)
{
    size_t cells = env->n_sub * env->n_years;
    out->committed = calloc(cells + 1, sizeof *out->committed);
    out->app_committed = calloc(in->n_apps + 1, sizeof *out->app_committed);
    if (!out->committed || !out->app_committed)
        return -1;
    if (cm && cm->cell)
        memcpy(out->committed, cm->cell, cells * sizeof *cm->cell);
    if (cm && cm->app)
        memcpy(out->app_committed, cm->app, in->n_apps * sizeof *cm->app);
    return 0;
}

int alloc_check_committed(const alloc_ctx *c, diag *d)
{
    const split_grid *g = c->env;
    for (size_t s = 0; s < g->n_sub; s++) {
        int64_t open = 0;
        for (size_t y = 0; y < g->n_years; y++) {
            size_t k = s * g->n_years + y;
            open = c->carry ? open + alloc_open_cell(c, k) : alloc_open_cell(c, k);
            if (c->committed[k] >= 0 && open >= 0)
                continue;
            char e[MONEY_BUFSZ], m[MONEY_BUFSZ], fy[CAL_FY_BUFSZ];
            return diag_add(d, DIAG_DATA,
                            "%s, fiscal year %s: %s committed in earlier "
                            "calls, more than its envelope of %s%s",
                            g->name[s],
                            cal_format_fiscal_year(g->first_year + (int)y, fy),
                            money_format_fr(c->committed[k], m),
                            money_format_fr(g->cell[k], e),
                            c->carry ? " and what earlier years carry" : "");
        }
    }
    return 0;
}

int alloc_ctx_open(alloc_ctx *c, const inputs *in, const rules_config *cfg,
                   const rules_results *res, const plan_set *plan,
                   const rank_order *order, const split_grid *env,
                   const alloc_commitments *cm, alloc_result *out)
{
    *c = (alloc_ctx){.in = in, .cfg = cfg, .res = res, .plan = plan,
                     .order = order, .env = env, .out = out,
                     .n_years = env->n_years,
                     .carry = cfg->leftover == RULES_LEFTOVER_CARRY,
                     .short_year = -1};
    size_t cells = env->n_sub * env->n_years, most = 1;
    for (size_t a = 0; a < plan->n_apps; a++)
        if (plan_count(plan, a) > most)
            most = plan_count(plan, a);
    out->decisions = calloc(in->n_apps + 1, sizeof *out->decisions);
    out->granted = calloc(cells, sizeof *out->granted);
    out->carried_in = calloc(cells, sizeof *out->carried_in);
    out->remaining = calloc(cells, sizeof *out->remaining);
    c->amounts = malloc(most * sizeof *c->amounts);
    c->need = malloc(env->n_years * sizeof *c->need);
    if (!out->decisions || !out->granted || !out->carried_in ||
        !out->remaining || !c->amounts || !c->need ||
        alloc_copy_commitments(out, in, env, cm) != 0)
        return -1;
    c->committed = out->committed;
    if (cfg->max_per_org && alloc_number_orgs(c) != 0)
        return -1;
    return 0;
}

void alloc_ctx_close(alloc_ctx *c)
{
    free(c->amounts);
    free(c->need);
    free(c->org);
    free(c->org_granted);
    memset(c, 0, sizeof *c);
}

static long alloc_reserve_row(const split_grid *g)
{
    for (size_t s = 0; s < g->n_sub; s++)
        if (g->is_reserve[s])
            return (long)s;
    return -1;
}

static int alloc_override_fund(alloc_ctx *c, const override_row *o,
                               decision *dec, diag *d)
{
    const application *app = &c->in->apps[o->app];
    int64_t amount = o->has_amount ? o->amount : app->requested;
    long row = o->from_reserve ? alloc_reserve_row(c->env) : (long)app->subregion;
    if (row < 0)
        return diag_at(d, DIAG_DATA, "overrides.csv", o->line, 0,
                       "application %s: from_reserve, but the split has no "
                       "regional reserve", app->id);
    if (!c->plan->inside[o->app])
        return diag_at(d, DIAG_DATA, "overrides.csv", o->line, 0,
                       "application %s: its instalments fall outside the "
                       "program's fiscal years", app->id);
    int fits = alloc_fits(c, (size_t)row, o->app, amount);
    if (fits < 0)
        return diag_add(d, DIAG_INTERNAL, "allocate: invalid weights for %s",
                        app->id);
    if (!fits) {
        char m[MONEY_BUFSZ], fy[CAL_FY_BUFSZ];
        return diag_at(d, DIAG_DATA, "overrides.csv", o->line, 0,
                       "application %s: forcing %s exceeds what is left of "
                       "%s in %s%s", app->id, money_format_fr(amount, m),
                       c->env->name[row],
                       cal_format_fiscal_year(c->env->first_year + c->short_year, fy),
                       o->from_reserve ? "" : " (from_reserve = oui takes it "
                                              "from the regional reserve)");
    }
    alloc_charge(c, (size_t)row, o->app, amount);
    dec->granted = amount;
    dec->source = (uint32_t)row;
    return 0;
}

int alloc_overrides(alloc_ctx *c, diag *d)
{
    int rc = 0;
    for (size_t i = 0; i < c->in->n_overrides; i++) {
        const override_row *o = &c->in->overrides[i];
        decision *dec = &c->out->decisions[o->app];
        dec->status = DECISION_OVERRIDDEN;
        dec->override_justification = o->justification;
        if (o->kind == INPUTS_OVERRIDE_FUND) {
            int r = alloc_override_fund(c, o, dec, d);
            if (r != 0 && rc == 0)
                rc = r;
        }
    }
    return rc;
}
