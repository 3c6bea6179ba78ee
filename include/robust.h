/* robust: how robust each decision is, a step after allocate.
 *
 * Margin. For every candidate the greedy method decided (ranked, not
 * overridden), the smallest change of its own score, in hundredths of a
 * point, that changes its status, everybody else's score kept:
 *   - funded: the smallest loss after which it is no longer funded in
 *     full, its score staying at or above the threshold; none when it
 *     stays funded down to the threshold itself;
 *   - partially funded or waitlisted: the smallest gain after which it is
 *     funded in full; none when no gain is enough (it fits no position).
 * Ties are broken as rank.h orders them (tiebreak key, smaller request,
 * id), the application's own keys kept. The rank it would then hold is
 * given beside the margin.
 *
 * The algorithm never reruns the allocation per application. An
 * application's own status depends only on what is left when its turn
 * comes, i.e. on the greedy pass over the list WITHOUT it, up to its
 * position there. Moving up, that pass is the allocation's own prefix
 * (replayed once per sub-region): what is left only shrinks down the list,
 * so "funded" is monotone in the position and a binary search finds the
 * highest position that funds it. Moving down, the pass without it is
 * followed forward from its position as "the allocation's state plus an
 * offset" (the money it no longer takes): while the offset is not
 * negative, every candidate the allocation funded whole is funded whole
 * again, so only the others (found with a segment tree of their
 * shortfalls) and those whose organisation's cap moved need a decision;
 * when the offset turns negative somewhere the pass goes on one candidate
 * at a time until it is back in that form. Every decision is taken by
 * allocate's own code (alloc_probe), so caps, commitments, on_overflow
 * and carried money are those of the run.
 *
 * Once a sub-region is replayed, its candidates' searches only read what
 * the replay kept, so with two jobs they are shared by two threads, each
 * with its own scratch and probe, writing only its candidates' slots
 * (robust_par.c): the margins do not depend on the number of threads.
 *
 * Margins are computed only when the rule file ranks by score with the
 * greedy method: with rank() the score is not what orders candidates, and
 * with an allocate function every position would need the rule rerun;
 * robust_result.margins is then 0 and why_not says which.
 *
 * One evaluator. With evaluations.csv, for each evaluator the rules'
 * scoring is rerun with that evaluator's grades left out of every
 * application, then rank and allocate; an application whose status
 * changes is "decided by" that evaluator. The reruns are the caller's
 * (robust_rerun_fn): this module calls no Lua. */
#ifndef ALLIANCE_ROBUST_H
#define ALLIANCE_ROBUST_H

#include <stddef.h>
#include <stdint.h>
#include "allocate.h"
#include "diag.h"
#include "inputs.h"
#include "plan.h"
#include "rank.h"
#include "rules.h"
#include "split.h"

#define ROBUST_NONE INT64_MIN

typedef struct robust_result {
    size_t n_apps;
    int margins;             /* 1 when margins were computed */
    const char *why_not;     /* when margins == 0: "robustness = false",
                                "rank()" or "allocate function" */
    int64_t *margin;         /* n_apps: hundredths, > 0, or ROBUST_NONE */
    uint32_t *margin_rank;   /* n_apps: rank at score -/+ margin, 0 none */
    int threads;             /* the most threads one sub-region's margins
                                used (1 when not computed) */
    int evaluators;          /* 1 when the leave-one-out reruns ran */
    size_t n_evaluators;
    const char **evaluator;  /* sorted (byte order); inputs' strings */
    size_t *first_by;        /* n_apps + 1 offsets into by */
    uint32_t *by;            /* evaluator indexes whose absence changes
                                the application's status */
} robust_result;

/* An empty result: no margin, no evaluator (robustness = false). */
int robust_none(size_t n_apps, const char *why_not, robust_result *out,
                diag *d);

/* Margins from the run's own ranked lists, plans and allocation (greedy
 * method). DIAG_INTERNAL if replaying the allocation disagrees with it.
 * jobs (par_jobs): with 2, a large sub-region's searches are shared by
 * two threads (robust_par.c); the result is the same with 1. */
int robust_margins(const inputs *in, const rules_config *cfg,
                   const rules_results *res, const plan_set *plan,
                   const rank_order *order, const split_grid *env,
                   const alloc_result *alloc, int jobs, robust_result *out,
                   diag *d);

/* Reruns scoring, ranking and allocation keeping only the evaluations
 * with keep[i] != 0 (inputs.evals order), and fills status[n_apps]. */
typedef int (*robust_rerun_fn)(void *ctx, const unsigned char *keep,
                               decision_status *status, diag *d);

/* Leave-one-out over the evaluators of in->evals (nothing when there is
 * none), comparing each rerun's statuses with alloc's. */
int robust_evaluators(const inputs *in, const alloc_result *alloc,
                      robust_rerun_fn rerun, void *ctx, robust_result *out,
                      diag *d);

/* "Marie Roy;Luc Côté" into buf (cap bytes, cut at a name). */
void robust_by_names(const robust_result *r, size_t app, char *buf,
                     size_t cap);

/* A candidate's margin in words, French or English (en), e.g. "financé ;
 * perdrait son financement à 2,50 points de moins"; "" for a status
 * without margins. (robust_text.c) */
void robust_describe(decision_status st, int64_t margin, int en, char *buf,
                     size_t cap);

void robust_free(robust_result *r);

#endif
