/* schedule: turns each grant into dated disbursements, and checks the
 * money invariants on the finished allocation.
 *
 * Every cent of a grant goes to one instalment of its plan (apportioned
 * by the instalment shares); instalments of zero are left out. */
#ifndef ALLIANCE_SCHEDULE_H
#define ALLIANCE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include "allocate.h"
#include "calendar.h"
#include "diag.h"
#include "inputs.h"
#include "plan.h"
#include "rules.h"
#include "split.h"

typedef struct disbursement {
    size_t app;
    uint32_t number;     /* 1-based instalment number in the plan */
    uint32_t label;      /* index into plan_set.labels */
    cal_date due;
    int32_t year;        /* fiscal-year index in the program */
    uint32_t source;     /* split-grid row charged (see decision.source) */
    int64_t amount;      /* cents, > 0 */
} disbursement;

typedef struct sched_list {
    disbursement *items; /* by application index, then instalment */
    size_t n;
} sched_list;

int sched_build(const inputs *in, const plan_set *plan,
                const alloc_result *alloc, sched_list *out, diag *d);
void sched_free(sched_list *s);

/* Re-derives every total from the disbursements and checks, whatever the
 * rules did: 0 <= grant <= requested, grant <= the rule's max_grant (for
 * a resubmission, grant + its earlier commitment) and
 * max_per_organisation (overrides excepted), instalments sum to the grant
 * and fall in the program's years, in each cell what earlier calls
 * committed plus what this call pays is no more than the envelope plus
 * what was carried in, money is carried only forward and only what was
 * left, and committed + granted + to_reserve = envelope over the program
 * (every call's money plus what remains). A breach is DIAG_INTERNAL
 * naming the application or the cell. */
int sched_verify(const inputs *in, const rules_config *cfg,
                 const split_grid *env, const alloc_result *alloc,
                 const sched_list *s, diag *d);

#endif
