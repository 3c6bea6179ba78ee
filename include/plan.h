/* plan: each application's instalment plan, before any money is granted.
 *
 * The rule file's schedule (labels, shares, positions in the project) is
 * laid onto the application's dates: instalment i falls due `at` of the
 * way through the project, start + round(at * months) months, but never
 * after the project's last day (start + months - 1 day), and belongs to
 * that date's fiscal year. A schedule *function* gives each application
 * its own instalments (rules_results.dues), placed the same way, or on
 * the date the rule gave. Allocation needs the plan to know which
 * years a grant will draw on; schedule turns it into disbursements once
 * the grant is known. An application without a start date is planned from
 * the program's first day. */
#ifndef ALLIANCE_PLAN_H
#define ALLIANCE_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include "calendar.h"
#include "diag.h"
#include "inputs.h"
#include "rules.h"

typedef struct plan_instalment {
    cal_date due;
    int32_t year;        /* fiscal-year index in the program, -1 outside */
    uint32_t label;      /* index into plan_set.labels */
} plan_instalment;

typedef struct plan_set {
    size_t n_apps;
    size_t *first;           /* n_apps + 1 offsets into items */
    plan_instalment *items;
    int64_t *weight;         /* beside items: each one's share of the grant,
                                in millionths, contiguous for apportion() */
    unsigned char *inside;   /* n_apps: 1 when every instalment falls
                                inside the program's fiscal years */
    const char **labels;     /* the instalments' labels: the schedule
                                table's, in order, or the label table of
                                the schedule function's results */
    size_t n_labels;
} plan_set;

/* Builds every application's plan from the schedule function's results
 * when the rule file has one (res->first_due), else from the schedule
 * table of cfg.  res may be NULL with a table schedule; when given, it
 * must outlive the plan (the labels are its strings). */
int plan_build(const inputs *in, const rules_config *cfg,
               const rules_results *res, plan_set *p, diag *d);
void plan_free(plan_set *p);

/* The text of an instalment's label (plan_instalment.label). */
static inline const char *plan_label(const plan_set *p, uint32_t label)
{
    return label < p->n_labels ? p->labels[label] : "";
}

/* Number of instalments of an application. */
static inline size_t plan_count(const plan_set *p, size_t app)
{
    return p->first[app + 1] - p->first[app];
}

/* Splits a grant between the application's instalments in proportion to
 * their weights (apportion): out[plan_count] sums exactly to grant.
 * Returns 0, or -1 on invalid weights. */
int plan_amounts(const plan_set *p, size_t app, int64_t grant, int64_t *out);

/* Explains why an application's plan is outside the program, e.g.
 * "versement 3 (Rapport final) dû le 2029-09-30, hors du programme
 * (2024-04-01 au 2029-03-31)". Empty string when inside. */
void plan_explain(const plan_set *p, const inputs *in,
                  const rules_config *cfg, size_t app, char *buf,
                  size_t cap);

#endif
