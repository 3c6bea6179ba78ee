/* plan: see include/plan.h. */
#include "plan.h"

#include "apportion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* round(at * months / 1000) with halves going up, in integers. */
static int plan_months(int32_t at_permille, int months)
{
    return (int)(((int64_t)at_permille * months + 500) / 1000);
}

static int plan_year(const inputs *in, cal_date due)
{
    int fy = cal_fiscal_year(due);
    int first = in->years[0].fiscal_year;
    if (fy < first || fy >= first + (int)in->n_years)
        return -1;
    return fy - first;
}

int plan_build(const inputs *in, const rules_config *cfg, plan_set *p,
               diag *d)
{
    memset(p, 0, sizeof *p);
    size_t per_app = cfg->n_instalments;
    p->n_apps = in->n_apps;
    p->first = malloc((in->n_apps + 1) * sizeof *p->first);
    p->items = malloc((in->n_apps * per_app + 1) * sizeof *p->items);
    p->weight = malloc((in->n_apps * per_app + 1) * sizeof *p->weight);
    p->inside = malloc(in->n_apps + 1);
    if (!p->first || !p->items || !p->weight || !p->inside) {
        plan_free(p);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    cal_date program_start = cal_fiscal_year_start(in->years[0].fiscal_year);
    size_t k = 0;
    for (size_t a = 0; a < in->n_apps; a++) {
        const application *app = &in->apps[a];
        cal_date start = app->has_start ? app->start : program_start;
        /* The project's last day: a 36-month project from 2026-04-01 ends
         * 2029-03-31, and its final instalment falls then, not a day later. */
        cal_date end = app->months > 0
                           ? cal_add_months(start, app->months) - 1
                           : start;
        p->first[a] = k;
        p->inside[a] = 1;
        for (size_t i = 0; i < per_app; i++, k++) {
            const rules_instalment *ri = &cfg->instalments[i];
            plan_instalment *pi = &p->items[k];
            pi->due = cal_add_months(start, plan_months(ri->at, app->months));
            if (pi->due > end)
                pi->due = end;
            pi->year = plan_year(in, pi->due);
            pi->label = (uint32_t)i;
            p->weight[k] = ri->share;
            if (pi->year < 0)
                p->inside[a] = 0;
        }
    }
    p->first[in->n_apps] = k;
    return 0;
}

void plan_free(plan_set *p)
{
    free(p->first);
    free(p->items);
    free(p->weight);
    free(p->inside);
    memset(p, 0, sizeof *p);
}

void plan_explain(const plan_set *p, const inputs *in,
                  const rules_config *cfg, size_t app, char *buf,
                  size_t cap)
{
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t k = p->first[app]; k < p->first[app + 1]; k++) {
        const plan_instalment *pi = &p->items[k];
        if (pi->year >= 0)
            continue;
        char due[CAL_DATE_BUFSZ], from[CAL_DATE_BUFSZ], to[CAL_DATE_BUFSZ];
        int last = in->years[in->n_years - 1].fiscal_year;
        snprintf(buf, cap,
                 "versement %zu (%s) dû le %s, hors du programme (%s au %s)",
                 k - p->first[app] + 1, cfg->instalments[pi->label].label,
                 cal_format_date(pi->due, due),
                 cal_format_date(cal_fiscal_year_start(in->years[0].fiscal_year), from),
                 cal_format_date(cal_fiscal_year_end(last), to));
        return;
    }
}

int plan_amounts(const plan_set *p, size_t app, int64_t grant, int64_t *out)
{
    return apportion(grant, &p->weight[p->first[app]], plan_count(p, app), out);
}
