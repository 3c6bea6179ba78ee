/* rank: orders the fundable applications inside each sub-region.
 *
 * A candidate passed every check, reached the threshold and has a plan
 * inside the program. Candidates are ordered by score (highest first) or,
 * when the rule file has rank(), by its key (highest first); then by the
 * tiebreak() key when there is one (highest first); then by the smaller
 * request, then by id (byte order), so the order is total and the same on
 * every run. The keys were computed by rules_evaluate: ranking calls no
 * Lua. */
#ifndef ALLIANCE_RANK_H
#define ALLIANCE_RANK_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "inputs.h"
#include "plan.h"
#include "rules.h"

typedef struct rank_order {
    size_t n;           /* candidates */
    size_t *apps;       /* candidate indexes, by sub-region, best first */
    size_t *sub_first;  /* inputs.n_split + 1 offsets into apps */
    uint32_t *rank;     /* n_apps: 1-based rank in its sub-region, 0 if
                           not a candidate */
} rank_order;

int rank_build(const inputs *in, const rules_config *cfg,
               const rules_results *res, const plan_set *plan,
               rank_order *r, diag *d);
void rank_free(rank_order *r);

/* 1 when application a, its score changed to `score` (hundredths) and
 * every other key kept, ranks before application b of the same
 * sub-region by the order above; a == b compares a with its own old
 * score. Without rank() only; with it, the score is not a key. */
int rank_before(const inputs *in, const rules_results *res, size_t a,
                int64_t score, size_t b);

#endif
