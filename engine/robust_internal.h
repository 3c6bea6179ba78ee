/* Private to robust*.c: one sub-region's list as the allocation decided
 * it, replayed with allocate's own decisions (alloc_probe). */
#ifndef ALLIANCE_ROBUST_INTERNAL_H
#define ALLIANCE_ROBUST_INTERNAL_H

#include "par.h"
#include "robust.h"

#define RB_INF INT64_MAX
#define RB_SET_YEARS 6      /* year sets as bits of a uint64_t: 2^6 */
#define RB_MUST INT64_MIN   /* a leaf the offset search always stops at */

/* Positions per piece of work a thread takes (robust_par.c): the pieces
 * are dealt out in turn, so both threads get some of the funded top and
 * of the waitlisted bottom of the list. A sub-region of fewer than two
 * pieces' candidates keeps one thread. */
#define RB_GRAIN 1024

/* The lists visit applications in rank order, i.e. all over the
 * per-application arrays: a loop over them asks for the slots of the
 * candidate RB_AHEAD positions on while it works on this one, so that a
 * cache miss is waited for once per few candidates, not once each. */
#define RB_AHEAD 16
#if defined(__GNUC__)
#define RB_PREFETCH(p) __builtin_prefetch(p)
#else
#define RB_PREFETCH(p) ((void)(p))
#endif

/* One thread's scratch for the searches: ny each, and per organisation. */
typedef struct rb_work {
    alloc_probe *probe;     /* its own: a probe's scratch is written */
    const int64_t *asked;   /* what the probed candidate's request draws
                               per year (rb_ask): into ask, need or own */
    int64_t *own;           /* ny: the request's draw when not in ask */
    int64_t *state, *tmp, *off, *w;
    int64_t *delta;
    size_t *dirty, *cursor, n_dirty;
} rb_work;

/* list[k]'s slots of the per-application arrays, gathered before the
 * replay (rb_par_ask) so that the passes over the list read them in
 * order. */
typedef struct rb_pos {
    alloc_ask ask;          /* its request and target (alloc_probe_ask) */
    int64_t granted;        /* what the allocation gave it */
    decision_status status; /* and its status */
} rb_pos;

typedef struct rb_sub {
    const inputs *in;
    const rules_config *cfg;
    const rules_results *res;
    const rank_order *order;
    const alloc_result *alloc;
    const split_grid *env;
    const plan_set *plan;
    size_t ny;              /* fiscal years */
    size_t sub;             /* the sub-region (split-grid row) */
    int carry;              /* leftover = "carry" */
    int org_cap;            /* max_per_organisation */
    int jobs;               /* threads the searches may use (1 or 2) */
    size_t grain;           /* positions per piece (RB_GRAIN; tests less) */
    int threads;            /* the most threads a sub-region used */
    /* the sub-region's candidates decided by the greedy method */
    size_t n;
    size_t *list;           /* n: app indexes in rank order */
    size_t *pos;            /* n: list[k]'s place in the whole order */
    int64_t *ord_score;     /* the scores of the sub-region's whole order
                               (overridden candidates included) */
    int64_t *ord_req;       /* and their requests (ties, see rb_before) */
    int64_t *got;           /* (n + 1) * ny: granted before list[k] */
    int64_t *need;          /* n * ny: what list[k]'s grant draws */
    rb_pos *at;             /* n: list[k]'s (rb_par_ask) */
    int64_t *ask;           /* n * ny: what list[k]'s request draws, for
                               k < ask_bad (rb_par_ask) */
    size_t ask_bad;         /* the first position whose request's draw
                               failed (invalid weights), or n */
    alloc_choice *choice;   /* n: what the allocation gave list[k] */
    size_t stop_at;         /* on_overflow = stop: where it stopped, or n */
    int64_t *org_before;    /* n: its organisation's grants before it */
    size_t *next_org;       /* n: next position of the same organisation */
    int64_t *org_now;       /* per organisation: granted so far (all the
                               sub-regions replayed, overrides first) */
    size_t *org_first;      /* per organisation: first position here, n */
    /* segment tree over the positions: per node, per year, the least
       shortfall (see robust_down.c) */
    size_t leaves;
    int64_t *tree;
    uint64_t *sets;         /* per node: its positions' year sets, a bit
                               each (robust_down.c) */
    size_t *next_open;      /* n + 1: first position from k that is not a
                               whole fit of the allocation's */
    int64_t *open;          /* ny: the row's cells less earlier calls */
    rb_work work[PAR_JOBS_MAX]; /* [0] also serves the replay */
} rb_sub;

/* The organisation's dense number: work[0]'s probe numbers them for
 * every thread. */
static inline size_t rb_org(const rb_sub *b, size_t app)
{
    return alloc_probe_org(b->work[0].probe, app);
}

/* robust_margins, the pieces of work `grain` positions long: the unit
 * test passes a small grain so that its small programs take the
 * two-thread path. (robust.c) */
int rb_margins_grain(const inputs *in, const rules_config *cfg,
                     const rules_results *res, const plan_set *plan,
                     const rank_order *order, const split_grid *env,
                     const alloc_result *alloc, int jobs, size_t grain,
                     robust_result *out, diag *d);

/* Readies rb_funded for list[i]: w->asked, what its request draws per
 * year. 0 or -1 on invalid weights. */
int rb_ask(const rb_sub *b, rb_work *w, size_t i);

/* 1 when list[i] (rb_ask'ed), placed with the row's grants so far `got`
 * and its organisation's `org_used`, is funded in full; 0 when not. */
int rb_funded(const rb_sub *b, rb_work *w, size_t i, const int64_t *got,
              int64_t org_used);

/* The margins of list[lo..hi) into out, once the list is replayed.
 * (robust.c) */
int rb_margins_range(const rb_sub *b, rb_work *w, size_t lo, size_t hi,
                     robust_result *out, diag *d);

/* The position of list[i] (funded) in the list without it before which
 * it would first no longer be funded: j in i+2..n, list-indexed ("before
 * list[j]"; j == n: last), or 0 when it stays funded everywhere.
 * -1 on error. (robust_down.c) */
long rb_down(const rb_sub *b, rb_work *w, size_t i);

/* Writes the tree's leaf of list[k] as the replay decides it (its
 * choice, stop_at, got[k] set): what the offset search must look at.
 * drawn: what the target drew, when the replay's decision computed it,
 * else NULL. 0, or -1 on invalid weights. (robust_down.c) */
int rb_leaf(rb_sub *b, size_t k, const int64_t *drawn);

/* Builds the tree of shortfalls over the leaves once the list is
 * replayed. */
void rb_tree_build(rb_sub *b);

/* ---- the work of one sub-region on b->jobs threads (robust_par.c) ---- */

/* One thread's scratch, with its own probe: 0, or -1 when out of memory
 * (rb_work_close frees what was opened). */
int rb_work_open(const rb_sub *b, rb_work *w, const plan_set *plan);
void rb_work_close(rb_work *w);

/* b->at, b->ask and b->ask_bad for the list (b->list, b->n set). */
void rb_par_ask(rb_sub *b);

/* The margins of the whole list (rb_margins_range over pieces). */
int rb_par_margins(rb_sub *b, robust_result *out, diag *d);

#endif
