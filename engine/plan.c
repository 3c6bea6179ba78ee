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

/* The project's dates: an application without a start is planned from
 * the program's first day.  The last day: a 36-month project from
 * 2026-04-01 ends 2029-03-31, and its final instalment falls then, not a
 * day later. */
typedef struct plan_span {
    cal_date start, end;
    int months;
} plan_span;

static plan_span plan_span_of(const inputs *in, const application *app)
{
    plan_span s;
    s.start = app->has_start ? app->start
                             : cal_fiscal_year_start(in->years[0].fiscal_year);
    s.months = app->months;
    s.end = app->months > 0 ? cal_add_months(s.start, app->months) - 1
                            : s.start;
    return s;
}

/* Instalment k of the plan, `at` permille through the project (never
 * after its last day), or on the rule's own date. */
static void plan_place(plan_set *p, const inputs *in, size_t a, size_t k,
                       const plan_span *s, int32_t at, cal_date date)
{
    plan_instalment *pi = &p->items[k];
    if (at == RULES_AT_DATE) {
        pi->due = date;
    } else {
        pi->due = cal_add_months(s->start, plan_months(at, s->months));
        if (pi->due > s->end)
            pi->due = s->end;
    }
    pi->year = plan_year(in, pi->due);
    if (pi->year < 0)
        p->inside[a] = 0;
}

/* Sizes the arrays for n_items instalments and n_labels labels. */
static int plan_alloc(plan_set *p, size_t n_apps, size_t n_items,
                      size_t n_labels)
{
    memset(p, 0, sizeof *p);
    p->n_apps = n_apps;
    p->first = malloc((n_apps + 1) * sizeof *p->first);
    p->items = malloc((n_items + 1) * sizeof *p->items);
    p->weight = malloc((n_items + 1) * sizeof *p->weight);
    p->inside = malloc(n_apps + 1);
    p->labels = malloc((n_labels + 1) * sizeof *p->labels);
    p->n_labels = n_labels;
    if (!p->first || !p->items || !p->weight || !p->inside || !p->labels) {
        plan_free(p);
        return -1;
    }
    return 0;
}

/* The schedule table: the same instalments for every application. */
static void plan_from_table(const inputs *in, const rules_config *cfg,
                            plan_set *p)
{
    size_t k = 0;
    for (size_t i = 0; i < cfg->n_instalments; i++)
        p->labels[i] = cfg->instalments[i].label;
    for (size_t a = 0; a < in->n_apps; a++) {
        plan_span s = plan_span_of(in, &in->apps[a]);
        p->first[a] = k;
        p->inside[a] = 1;
        for (size_t i = 0; i < cfg->n_instalments; i++, k++) {
            const rules_instalment *ri = &cfg->instalments[i];
            plan_place(p, in, a, k, &s, ri->at, 0);
            p->items[k].label = (uint32_t)i;
            p->weight[k] = ri->share;
        }
    }
    p->first[in->n_apps] = k;
}

/* The schedule function's results: each application's own. */
static void plan_from_dues(const inputs *in, const rules_results *res,
                           plan_set *p)
{
    if (res->n_labels)
        memcpy(p->labels, res->labels, res->n_labels * sizeof *p->labels);
    for (size_t a = 0; a < in->n_apps; a++) {
        plan_span s = plan_span_of(in, &in->apps[a]);
        p->first[a] = res->first_due[a];
        p->inside[a] = 1;
        for (size_t k = res->first_due[a]; k < res->first_due[a + 1]; k++) {
            const rules_due *due = &res->dues[k];
            plan_place(p, in, a, k, &s, due->at, due->date);
            p->items[k].label = due->label;
            p->weight[k] = due->share;
        }
    }
    p->first[in->n_apps] = res->first_due[in->n_apps];
}

int plan_build(const inputs *in, const rules_config *cfg,
               const rules_results *res, plan_set *p, diag *d)
{
    int dues = res && res->first_due;
    if (!dues && cfg->has_schedule_fn) {
        memset(p, 0, sizeof *p);
        return diag_add(d, DIAG_INTERNAL,
                        "plan: the schedule function's results are missing");
    }
    size_t n_items = dues ? res->n_dues : in->n_apps * cfg->n_instalments;
    size_t n_labels = dues ? res->n_labels : cfg->n_instalments;
    if (plan_alloc(p, in->n_apps, n_items, n_labels) != 0)
        return diag_add(d, DIAG_OSERR, "out of memory");
    if (dues)
        plan_from_dues(in, res, p);
    else
        plan_from_table(in, cfg, p);
    return 0;
}

void plan_free(plan_set *p)
{
    free(p->first);
    free(p->items);
    free(p->weight);
    free(p->inside);
    free(p->labels);
    memset(p, 0, sizeof *p);
}

void plan_explain(const plan_set *p, const inputs *in,
                  const rules_config *cfg, size_t app, char *buf,
                  size_t cap)
{
    (void)cfg; /* the labels now travel with the plan */
    if (cap == 0)
        return;
    buf[0] = '\0';
    if (p->inside[app]) /* one byte read, not the instalments: every
                           decision's reasons ask */
        return;
    for (size_t k = p->first[app]; k < p->first[app + 1]; k++) {
        const plan_instalment *pi = &p->items[k];
        if (pi->year >= 0)
            continue;
        char due[CAL_DATE_BUFSZ], from[CAL_DATE_BUFSZ], to[CAL_DATE_BUFSZ];
        int last = in->years[in->n_years - 1].fiscal_year;
        snprintf(buf, cap,
                 "versement %zu (%s) dû le %s, hors du programme (%s au %s)",
                 k - p->first[app] + 1, plan_label(p, pi->label),
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
