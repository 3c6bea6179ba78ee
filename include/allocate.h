/* allocate: decides each application's grant within the envelope of its
 * sub-region, fiscal year by fiscal year.
 *
 * Candidates are taken in rank order (see rank.h). A grant is made only
 * if every instalment of its plan fits what is left of the envelope in
 * the fiscal year it falls in. What happens when one does not fit is the
 * rule file's on_overflow: skip it and go on, stop there, or grant what
 * is left when that reaches min_partial_share of the request. */
#ifndef ALLIANCE_ALLOCATE_H
#define ALLIANCE_ALLOCATE_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "inputs.h"
#include "plan.h"
#include "rank.h"
#include "rules.h"
#include "split.h"

typedef enum decision_status {
    DECISION_FUNDED,
    DECISION_PARTIAL,
    DECISION_WAITLISTED,
    DECISION_BELOW_THRESHOLD,
    DECISION_INELIGIBLE,
    DECISION_OVERRIDDEN,
    DECISION_N_STATUSES
} decision_status;

typedef struct decision {
    decision_status status;
    uint32_t rank;       /* 1-based in its sub-region, 0 if not ranked */
    int64_t granted;     /* cents */
} decision;

typedef struct alloc_result {
    decision *decisions; /* n_apps */
    int64_t *granted;    /* n_sub * n_years of the split grid */
    int64_t *remaining;  /* envelope - granted, per cell */
} alloc_result;

/* Machine name of a status: "funded", "partially_funded", "waitlisted",
 * "below_threshold", "ineligible", "overridden". */
const char *alloc_status_name(decision_status s);

int alloc_run(const inputs *in, const rules_config *cfg,
              const rules_results *res, const plan_set *plan,
              const rank_order *order, const split_grid *env,
              alloc_result *out, diag *d);
void alloc_free(alloc_result *out);

#endif
