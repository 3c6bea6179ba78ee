/* Private to robust*.c: one sub-region's list as the allocation decided
 * it, replayed with allocate's own decisions (alloc_probe). */
#ifndef ALLIANCE_ROBUST_INTERNAL_H
#define ALLIANCE_ROBUST_INTERNAL_H

#include "robust.h"

#define RB_INF INT64_MAX
#define RB_MUST INT64_MIN   /* a leaf the offset search always stops at */

typedef struct rb_sub {
    const inputs *in;
    const rules_config *cfg;
    const rules_results *res;
    const rank_order *order;
    const alloc_result *alloc;
    const split_grid *env;
    alloc_probe *probe;
    size_t ny;              /* fiscal years */
    size_t sub;             /* the sub-region (split-grid row) */
    int carry;              /* leftover = "carry" */
    int org_cap;            /* max_per_organisation */
    /* the sub-region's candidates decided by the greedy method */
    size_t n;
    size_t *list;           /* n: app indexes in rank order */
    size_t *pos;            /* n: list[k]'s place in the whole order */
    int64_t *ord_score;     /* the scores of the sub-region's whole order
                               (overridden candidates included) */
    int64_t *got;           /* (n + 1) * ny: granted before list[k] */
    int64_t *need;          /* n * ny: what list[k]'s grant draws */
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
    size_t *next_open;      /* n + 1: first position from k that is not a
                               whole fit of the allocation's */
    /* scratch, ny each, and per organisation */
    int64_t *open;          /* ny: the row's cells less earlier calls */
    int64_t *asked;         /* ny: what the probed candidate's request
                               draws per year (rb_ask) */
    int64_t *state, *tmp, *off, *w;
    int64_t *delta;
    size_t *dirty, *cursor, n_dirty;
} rb_sub;

/* Readies rb_funded for list[i]: what its request draws per year. 0 or
 * -1 on invalid weights. */
int rb_ask(rb_sub *b, size_t i);

/* 1 when app (rb_ask'ed), placed with the row's grants so far `got` and
 * its organisation's `org_used`, is funded in full; 0 when not. */
int rb_funded(rb_sub *b, size_t app, const int64_t *got, int64_t org_used);

/* The position of list[i] (funded) in the list without it before which
 * it would first no longer be funded: j in i+2..n, list-indexed ("before
 * list[j]"; j == n: last), or 0 when it stays funded everywhere.
 * -1 on error. (robust_down.c) */
long rb_down(rb_sub *b, size_t i);

/* Writes the tree's leaf of list[k] as the replay decides it (its
 * choice, stop_at, got[k] set): what the offset search must look at.
 * drawn: what the target drew, when the replay's decision computed it,
 * else NULL. 0, or -1 on invalid weights. (robust_down.c) */
int rb_leaf(rb_sub *b, size_t k, const int64_t *drawn);

/* Builds the tree of shortfalls over the leaves once the list is
 * replayed. */
void rb_tree_build(rb_sub *b);

#endif
