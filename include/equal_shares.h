/* equal_shares: the Method of Equal Shares (Peters, Pierczyński and
 * Skowron, "Proportional Participatory Budgeting with Additive
 * Utilities", NeurIPS 2021) on one election, in exact integer arithmetic.
 *
 * Each voter starts with a budget (cents). At each step, for every
 * project not yet decided, rho is the smallest number such that its
 * supporters, each paying min(what is left of their budget, rho x their
 * utility), cover its cost; the project with the smallest rho is bought
 * (ties: the lower project index, i.e. the rule file's ranking order),
 * its supporters pay, and the rule goes on until no project is
 * affordable. rho is held as a fraction num/den and compared by
 * cross-multiplication in 128-bit integers, so no rounding ever decides
 * which project comes first.
 *
 * Payments are whole cents. The supporters whose budget is smaller than
 * rho x utility pay all they have; each other one owes rho x utility,
 * whose floor it pays; the cents still missing (fewer than the number of
 * such supporters) go one each to the largest remainders, ties to the
 * lower voter index. So a voter never pays more than it has (rho x
 * utility <= its budget, an integer, bounds floor + 1) and a project is
 * always paid exactly its cost.
 *
 * The module knows nothing of applications or envelopes: the caller
 * decides, through accept(), whether a project the rule would buy is
 * bought (an envelope year may be short of money). */
#ifndef ALLIANCE_EQUAL_SHARES_H
#define ALLIANCE_EQUAL_SHARES_H

#include <stddef.h>
#include <stdint.h>

typedef struct es_support {
    uint32_t voter;            /* index into the budgets */
    int64_t utility;           /* > 0 */
} es_support;

typedef struct es_election {
    size_t n_voters;
    const int64_t *budget;     /* n_voters, cents >= 0, at the start */
    size_t n_projects;         /* in tie-break order: first wins a tie */
    const int64_t *cost;       /* n_projects, cents > 0 */
    const size_t *first;       /* n_projects + 1 offsets into sup */
    const es_support *sup;     /* a project's supporters, each once */
} es_election;

typedef enum es_state {
    ES_UNAFFORDABLE,           /* its supporters' budgets never covered it */
    ES_BOUGHT,
    ES_REFUSED                 /* the rule chose it, accept() said no */
} es_state;

typedef struct es_outcome {
    unsigned char *state;      /* n_projects, es_state */
    uint32_t *round;           /* n_projects: 1-based step it was chosen
                                  at (bought or refused), 0 otherwise */
    int64_t *rho_num, *rho_den; /* n_projects: rho when chosen */
    int64_t *paid;             /* per entry of sup: cents paid */
    int64_t *left;             /* n_voters: budget left at the end */
    size_t *bought;            /* the bought projects, in order */
    size_t n_bought;
    int64_t spent;             /* their costs, summed */
} es_outcome;

/* Called when the rule chooses project p: 1 buys it, 0 refuses it (it is
 * dropped, nobody pays), a negative value stops the run, es_run returning
 * it. */
typedef int (*es_accept_fn)(void *ctx, size_t p);

#define ES_ENOMEM (-1000)      /* out of memory */
#define ES_EOVERFLOW (-1001)   /* a project's utilities add up past 2^62,
                                  or a cost or budget past 2^62 */

/* Runs the rule. out is allocated here (es_outcome_free), even on
 * failure. accept may be NULL (buy whatever is chosen). Returns 0. */
int es_run(const es_election *e, es_accept_fn accept, void *ctx,
           es_outcome *out);
void es_outcome_free(es_outcome *out);

/* Compares a/b with c/d (b, d > 0): -1, 0 or 1. */
int es_frac_cmp(int64_t a, int64_t b, int64_t c, int64_t d);

/* What the supporters of p still have in out, summed (for explanations:
 * why p was not affordable). */
int64_t es_supporters_left(const es_election *e, const es_outcome *out,
                           size_t p);

#endif
