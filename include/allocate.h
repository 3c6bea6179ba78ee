/* allocate: decides each application's grant within the envelope of its
 * sub-region, fiscal year by fiscal year.
 *
 * Committee overrides (overrides.csv) are applied first: a forced grant
 * must fit its sub-region's envelope, or the reserve's when the override
 * says so, else the run fails. Then candidates are taken in rank order
 * (see rank.h). A grant is made only if every instalment of its plan fits
 * what is left of the envelope in the fiscal year it falls in; with
 * leftover = "carry", money a sub-region did not spend in a year is still
 * available in its later years. The grant is the request, lowered to the
 * rule's caps (max_grant, max_per_organisation). When it does not fit,
 * on_overflow decides: skip it and go on, stop there, or grant the most
 * that fits when that reaches min_partial_share of the request. */
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
    uint32_t source;     /* split-grid row charged: the application's
                            sub-region, or the reserve for an override
                            taken from it */
    int32_t short_year;  /* waitlisted: first fiscal-year index short of
                            money, -1 otherwise */
    const char *override_justification; /* NULL unless overridden */
} decision;

/* Per cell of the split grid (n_sub * n_years, cell[s * n_years + y]):
 *   available = envelope + carried_in
 *   remaining = available - granted          (unspent that year)
 *   carried_out = the next year's carried_in (carry mode, 0 otherwise)
 *   to_reserve  = remaining - carried_out    (ends in the reserve)
 * so granted + to_reserve, summed over all cells, is the envelope. */
/* What the Method of Equal Shares decided (method = "equal_shares", see
 * rules/README.md), for the run store and explain. */
typedef enum alloc_share_how {
    ALLOC_SHARE_NONE,        /* not in the election: not ranked, or
                                overridden */
    ALLOC_SHARE_BOUGHT,      /* bought by the evaluators who valued it */
    ALLOC_SHARE_UNAFFORDABLE,/* its supporters' budgets never covered it */
    ALLOC_SHARE_NO_FIT,      /* chosen, but a fiscal year was short of
                                money or a cap was reached: skipped */
    ALLOC_SHARE_NO_SUPPORT,  /* no evaluator gave it a point */
    ALLOC_SHARE_COMPLETION,  /* funded afterwards by the greedy completion */
    ALLOC_SHARE_N_HOW
} alloc_share_how;

typedef struct alloc_share_payment {
    size_t app;
    const char *evaluator;   /* the inputs' string */
    int64_t cents;           /* > 0 */
} alloc_share_payment;

typedef struct alloc_share_election {
    size_t voters;           /* evaluators of its candidates */
    int64_t budget;          /* cents per voter (the first budget % voters
                                voters, by evaluator id, get one cent
                                more), increments included */
    int64_t increment;       /* add1: cents added to each voter's budget */
    uint32_t runs;           /* times the rule ran (add1: > 1) */
} alloc_share_election;

typedef struct alloc_shares {
    unsigned char *how;      /* n_apps, alloc_share_how */
    uint32_t *round;         /* n_apps: step of the rule it was chosen at */
    int64_t *rho_num, *rho_den; /* n_apps: rho when chosen (den 0: never) */
    int64_t *cost;           /* n_apps: what the rule asked its supporters */
    int64_t *supporters_left;/* n_apps: what they had left at the end */
    alloc_share_payment *payments; /* in purchase order, by voter */
    size_t n_payments;
    alloc_share_election *election; /* per sub-region */
} alloc_shares;

/* Machine name of a way: "", "bought", "unaffordable", "no_fit",
 * "no_support", "completion". */
const char *alloc_share_how_name(alloc_share_how h);

typedef struct alloc_result {
    decision *decisions; /* n_apps */
    int64_t *granted;
    int64_t *carried_in;
    int64_t *remaining;
    int64_t *committed;  /* per cell: committed in earlier calls and
                            subtracted before this call; NULL (all 0)
                            in a result not built by alloc_run* */
    int64_t *app_committed; /* n_apps: an application's own commitment
                               from earlier calls (a resubmission), or
                               NULL */
    alloc_shares *shares;    /* method = "equal_shares", else NULL */
} alloc_result;

/* With commitments the per-cell identity becomes
 *   remaining = envelope - committed + carried_in - granted
 * and committed + granted + to_reserve, summed over the cells, is the
 * envelope: what all the calls granted plus what remains. */
static inline int64_t alloc_committed(const alloc_result *r, size_t k)
{
    return r->committed ? r->committed[k] : 0;
}

static inline int64_t alloc_app_committed(const alloc_result *r, size_t a)
{
    return r->app_committed ? r->app_committed[a] : 0;
}

/* What a cell passes to the next year and leaves to the reserve. */
int64_t alloc_carried_out(const alloc_result *r, const split_grid *g,
                          size_t s, size_t y);
int64_t alloc_to_reserve(const alloc_result *r, const split_grid *g,
                         size_t s, size_t y);

/* Machine name of a status: "funded", "partially_funded", "waitlisted",
 * "below_threshold", "ineligible", "overridden". */
const char *alloc_status_name(decision_status s);

int alloc_run(const inputs *in, const rules_config *cfg,
              const rules_results *res, const plan_set *plan,
              const rank_order *order, const split_grid *env,
              alloc_result *out, diag *d);

/* A decider other than the built-in greedy method (the rule file's
 * allocate function): for one sub-region, given its candidates in rank
 * order (overridden ones left out) and what is left of its envelope per
 * fiscal year, proposes grants[n] in cents. Returns a DIAG status. */
typedef int (*alloc_propose_fn)(void *ctx, size_t subregion,
                                const size_t *apps, size_t n,
                                const int64_t *remaining, int64_t *grants,
                                diag *d);

typedef struct alloc_proposer {
    alloc_propose_fn propose;
    void *ctx;
    const char *who;     /* named in errors: the rule file */
} alloc_proposer;

/* alloc_run with the grants proposed by p instead of the greedy method.
 * Every proposed grant is checked in rank order, never clamped: above the
 * request or a cap, or not fitting what is left in a fiscal year, it is a
 * DIAG_DATA error naming p->who, the sub-region and the application. */
int alloc_run_with(const inputs *in, const rules_config *cfg,
                   const rules_results *res, const plan_set *plan,
                   const rank_order *order, const split_grid *env,
                   const alloc_proposer *p, alloc_result *out, diag *d);

/* Money committed in earlier calls for projects (see commitments.h). */
typedef struct alloc_commitments {
    const int64_t *cell; /* n_sub * n_years cents, >= 0, subtracted from
                            each cell before allocating; NULL: none */
    const int64_t *app;  /* n_apps cents already committed to each
                            application (a resubmission asking for more):
                            max_grant caps commitment + grant; NULL */
} alloc_commitments;

/* alloc_run_with on what earlier calls left: each cell's envelope less
 * c->cell. c may be NULL (alloc_run_with). A cell whose commitments
 * leave less than nothing (or, with leftover = "carry", years whose
 * commitments exceed what they and the years before them hold) is a
 * DIAG_DATA error naming the sub-region and the fiscal year. */
int alloc_run_committed(const inputs *in, const rules_config *cfg,
                        const rules_results *res, const plan_set *plan,
                        const rank_order *order, const split_grid *env,
                        const alloc_commitments *c, const alloc_proposer *p,
                        alloc_result *out, diag *d);
void alloc_free(alloc_result *out);

/* ---- one candidate at a time (robust.h asks "what if it ranked
 * elsewhere?") ---- */

/* What the greedy method gives one candidate. */
typedef struct alloc_choice {
    int64_t grant;          /* cents, 0 when waitlisted */
    decision_status status; /* DECISION_FUNDED, _PARTIAL or _WAITLISTED */
    int32_t short_year;     /* as decision.short_year */
    int whole;              /* the request lowered to the caps fitted */
    int64_t target;         /* the request lowered to the caps */
    int64_t lowest;         /* on_overflow = partial: the smallest grant
                               tried when the target did not fit, else 0 */
} alloc_choice;

/* The greedy method's decision for one candidate, against a state that
 * the caller holds: the very code alloc_run uses, so both always agree.
 * (allocate_probe.c) */
typedef struct alloc_probe alloc_probe;

/* r is the result of alloc_run* on the same inputs; it must outlive the
 * probe (its commitments are read). Returns 0 or -1 (out of memory). */
int alloc_probe_open(alloc_probe **p, const inputs *in,
                     const rules_config *cfg, const rules_results *res,
                     const plan_set *plan, const rank_order *order,
                     const split_grid *env, const alloc_result *r);
void alloc_probe_close(alloc_probe *p);

/* Decides app of sub-region `sub` given got[n_years], what this call has
 * granted from the row so far, and org_used, what its organisation has
 * been granted (read only with max_per_organisation). need[n_years]
 * receives what the grant draws per fiscal year (zeros when none).
 * Returns 1 when on_overflow = stop ends the sub-region there, 0 to go
 * on, -1 on invalid weights. */
int alloc_probe_choose(alloc_probe *p, size_t sub, const int64_t *got,
                       int64_t org_used, size_t app, alloc_choice *ch,
                       int64_t *need);

/* What deciding app takes whatever the state, read ahead of a pass that
 * decides candidates one after the other (alloc_probe_choose_drawn). */
typedef struct alloc_ask {
    int64_t requested;
    int64_t target;   /* alloc_probe_target with org_used 0: the target
                         itself without max_per_organisation */
} alloc_ask;

/* a, and what app's request draws per fiscal year into draw[n_years].
 * 0, or -1 on invalid weights. */
int alloc_probe_ask(alloc_probe *p, size_t app, alloc_ask *a, int64_t *draw);

/* alloc_probe_choose, given alloc_probe_ask's draw for app: a target
 * that is the request is tested on draw instead of drawing it again
 * (the same decision: alloc_choose's own path). */
int alloc_probe_choose_drawn(alloc_probe *p, size_t sub, const int64_t *got,
                             int64_t org_used, size_t app,
                             const int64_t *draw, alloc_choice *ch,
                             int64_t *need);

/* What the last fit test of alloc_probe_choose drew per fiscal year: when
 * it granted nothing with on_overflow skip or stop, what the target would
 * have drawn. Valid until the next call on p. */
const int64_t *alloc_probe_drawn(const alloc_probe *p);

/* What a grant of `grant` cents to app draws per fiscal year, into
 * need[n_years]. Returns 0, or -1 on invalid weights. */
int alloc_probe_need(alloc_probe *p, size_t app, int64_t grant,
                     int64_t *need);

/* The request of app lowered to the rule's caps, its organisation having
 * been granted org_used (the greedy method's target). */
int64_t alloc_probe_target(const alloc_probe *p, size_t app,
                           int64_t org_used);

/* 1 when a grant drawing need[n_years] fits row `sub` holding got[]
 * already (alloc_probe_need gives need), else 0: the greedy method's own
 * test. A candidate is funded in full exactly when its target is its
 * request and the request fits. */
int alloc_probe_fits(alloc_probe *p, size_t sub, const int64_t *got,
                     const int64_t *need);

/* The organisation's dense number (0..alloc_probe_n_orgs - 1) when the
 * rule caps grants per organisation; 0 for every application otherwise. */
size_t alloc_probe_org(const alloc_probe *p, size_t app);
size_t alloc_probe_n_orgs(const alloc_probe *p);

#endif
