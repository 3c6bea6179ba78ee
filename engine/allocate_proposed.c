/* allocate_proposed: grants decided outside the C core (the rule file's
 * allocate function), checked one by one before any money moves. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_internal.h"
#include "calendar.h"
#include "money.h"

/* The sub-region's candidates in rank order, overrides left out. */
static size_t alloc_candidates(const alloc_ctx *c, size_t s, size_t *apps)
{
    size_t n = 0;
    for (size_t i = c->order->sub_first[s]; i < c->order->sub_first[s + 1]; i++)
        if (c->out->decisions[c->order->apps[i]].status != DECISION_OVERRIDDEN)
            apps[n++] = c->order->apps[i];
    return n;
}

static int alloc_refuse(const alloc_ctx *c, const alloc_proposer *p, size_t s,
                        size_t app, int64_t g, const char *why, diag *d)
{
    char m[MONEY_BUFSZ];
    return diag_add(d, DIAG_DATA, "%s: allocate() for %s: application %s: "
                                  "grant of %s %s",
                    p->who, c->in->split[s].name, c->in->apps[app].id,
                    money_format_fr(g, m), why);
}

/* One proposed grant: within the request and the caps, and fitting what
 * is left in every fiscal year, or the run stops. */
static int alloc_check_grant(alloc_ctx *c, const alloc_proposer *p, size_t s,
                             size_t app, int64_t g, diag *d)
{
    char why[160], m[MONEY_BUFSZ], fy[CAL_FY_BUFSZ];
    decision *dec = &c->out->decisions[app];
    dec->status = DECISION_WAITLISTED;
    if (g == 0)
        return 0;
    if (g < 0 || g > c->in->apps[app].requested) {
        snprintf(why, sizeof why, "is above the request of %s",
                 money_format_fr(c->in->apps[app].requested, m));
        return alloc_refuse(c, p, s, app, g, why, d);
    }
    if (c->cfg->max_grant &&
        g > c->cfg->max_grant - c->out->app_committed[app])
        return alloc_refuse(c, p, s, app, g,
                            c->out->app_committed[app]
                                ? "and its commitment are above max_grant"
                                : "is above max_grant", d);
    if (c->org && alloc_org_used(c, app) + g > c->cfg->max_per_org)
        return alloc_refuse(c, p, s, app, g, "is above max_per_organisation", d);
    int fits = alloc_fits(c, s, app, g);
    if (fits < 0)
        return diag_add(d, DIAG_INTERNAL, "allocate: invalid weights for %s",
                        c->in->apps[app].id);
    if (!fits) {
        snprintf(why, sizeof why, "does not fit what is left in %s",
                 cal_format_fiscal_year(c->env->first_year + c->short_year, fy));
        return alloc_refuse(c, p, s, app, g, why, d);
    }
    alloc_grant(c, s, app, g, dec);
    return 0;
}

int alloc_proposed(alloc_ctx *c, const alloc_proposer *p, diag *d)
{
    size_t n_apps = c->in->n_apps + 1;
    size_t *apps = malloc(n_apps * sizeof *apps);
    int64_t *grants = malloc(n_apps * sizeof *grants);
    int64_t *left = malloc(c->n_years * sizeof *left);
    int rc = apps && grants && left ? 0 : diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t s = 0; rc == 0 && s < c->in->n_split; s++) {
        size_t n = alloc_candidates(c, s, apps);
        if (n == 0)
            continue;
        for (size_t y = 0; y < c->n_years; y++)
            left[y] = alloc_open_cell(c, s * c->n_years + y) -
                      c->out->granted[s * c->n_years + y];
        rc = p->propose(p->ctx, s, apps, n, left, grants, d);
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = alloc_check_grant(c, p, s, apps[i], grants[i], d);
    }
    free(apps);
    free(grants);
    free(left);
    return rc;
}
