/* equal_shares: see include/equal_shares.h.
 *
 * Budgets only shrink, so a project's rho only grows while the rule runs:
 * the rho computed at an earlier step is a lower bound of its rho now.
 * The projects wait in a heap keyed by (rho bound, project index); the
 * top is recomputed until it is fresh (computed since the last purchase),
 * and a fresh top is the true minimum, ties included. This is the lazy
 * evaluation pabutools and equalshares.net use; it recomputes few
 * projects per step in practice. */
#include "equal_shares.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 es_i128;

#define ES_LIMIT (INT64_C(1) << 62)

int es_frac_cmp(int64_t a, int64_t b, int64_t c, int64_t d)
{
    es_i128 x = (es_i128)a * d, y = (es_i128)c * b;
    return (x > y) - (x < y);
}

/* ---- rho of one project ------------------------------------------------ */

typedef struct es_payer {
    int64_t budget, utility;
    uint32_t voter;
    size_t entry;              /* index into sup */
    int64_t rem;               /* remainder of num * utility / den */
} es_payer;

/* By budget / utility, the first to run out first. */
static int payer_by_ratio(const void *a, const void *b)
{
    const es_payer *x = a, *y = b;
    es_i128 l = (es_i128)x->budget * y->utility;
    es_i128 r = (es_i128)y->budget * x->utility;
    if (l != r)
        return l < r ? -1 : 1;
    return (x->voter > y->voter) - (x->voter < y->voter);
}

/* Largest remainder first, then the lower voter. */
static int payer_by_rem(const void *a, const void *b)
{
    const es_payer *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return (x->voter > y->voter) - (x->voter < y->voter);
}

typedef struct es_work {
    const es_election *e;
    es_outcome *out;
    es_payer *payers;          /* scratch, the most supporters of a project */
    size_t n_payers;
    size_t capped;             /* payers[0..capped) pay all they have */
    int64_t num, den;          /* rho = num / den */
} es_work;

/* Fills w->payers with p's supporters sorted by budget / utility and
 * finds the smallest rho. 0 when affordable, 1 when not. */
static int es_rho(es_work *w, size_t p)
{
    const es_election *e = w->e;
    size_t n = 0;
    es_i128 total = 0;
    int64_t util = 0;
    for (size_t k = e->first[p]; k < e->first[p + 1]; k++) {
        int64_t b = w->out->left[e->sup[k].voter];
        w->payers[n++] = (es_payer){b, e->sup[k].utility, e->sup[k].voter, k, 0};
        total += b;
        util += e->sup[k].utility;
    }
    w->n_payers = n;
    if (total < e->cost[p])
        return 1;
    qsort(w->payers, n, sizeof *w->payers, payer_by_ratio);
    int64_t need = e->cost[p];
    for (size_t j = 0; j < n; j++) {
        const es_payer *v = &w->payers[j];
        /* rho = need / util, unless voter j cannot pay rho x utility */
        if ((es_i128)need * v->utility <= (es_i128)v->budget * util) {
            w->capped = j;
            w->num = need;
            w->den = util;
            return 0;
        }
        need -= v->budget;
        util -= v->utility;
    }
    return 1; /* not reached: total >= cost ends the loop above */
}

/* Charges the payers of the rho es_rho just found, in whole cents. */
static void es_pay(es_work *w, size_t p)
{
    es_payer *v = w->payers;
    int64_t sum = 0;
    for (size_t j = 0; j < w->n_payers; j++) {
        int64_t pay = v[j].budget;
        v[j].rem = 0;
        if (j >= w->capped) {
            es_i128 owed = (es_i128)w->num * v[j].utility;
            pay = (int64_t)(owed / w->den);
            v[j].rem = (int64_t)(owed % w->den);
        }
        w->out->paid[v[j].entry] = pay;
        sum += pay;
    }
    size_t rest = w->n_payers - w->capped;
    int64_t missing = w->e->cost[p] - sum;
    qsort(v + w->capped, rest, sizeof *v, payer_by_rem);
    for (size_t j = 0; j < rest && missing > 0; j++, missing--)
        w->out->paid[v[w->capped + j].entry]++;
    for (size_t j = 0; j < w->n_payers; j++)
        w->out->left[v[j].voter] -= w->out->paid[v[j].entry];
}

/* ---- the heap of waiting projects -------------------------------------- */

typedef struct es_entry {
    size_t p;
    int64_t num, den;
    uint64_t stamp;            /* purchases made when rho was computed */
} es_entry;

static int entry_less(const es_entry *a, const es_entry *b)
{
    int c = es_frac_cmp(a->num, a->den, b->num, b->den);
    return c ? c < 0 : a->p < b->p;
}

static void heap_down(es_entry *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && entry_less(&h[l], &h[m]))
            m = l;
        if (l + 1 < n && entry_less(&h[l + 1], &h[m]))
            m = l + 1;
        if (m == i)
            return;
        es_entry t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* ---- the rule ------------------------------------------------------------ */

static int es_check(const es_election *e, size_t *most)
{
    *most = 1;
    for (size_t v = 0; v < e->n_voters; v++)
        if (e->budget[v] < 0 || e->budget[v] > ES_LIMIT)
            return ES_EOVERFLOW;
    for (size_t p = 0; p < e->n_projects; p++) {
        size_t n = e->first[p + 1] - e->first[p];
        es_i128 util = 0;
        if (e->cost[p] <= 0 || e->cost[p] > ES_LIMIT)
            return ES_EOVERFLOW;
        for (size_t k = e->first[p]; k < e->first[p + 1]; k++)
            util += e->sup[k].utility;
        if (util > ES_LIMIT)
            return ES_EOVERFLOW;
        if (n > *most)
            *most = n;
    }
    return 0;
}

static int es_alloc(const es_election *e, es_outcome *out)
{
    size_t np = e->n_projects + 1, ns = e->first[e->n_projects] + 1;
    memset(out, 0, sizeof *out);
    out->state = calloc(np, 1);
    out->round = calloc(np, sizeof *out->round);
    out->rho_num = calloc(np, sizeof *out->rho_num);
    out->rho_den = calloc(np, sizeof *out->rho_den);
    out->paid = calloc(ns, sizeof *out->paid);
    out->left = malloc((e->n_voters + 1) * sizeof *out->left);
    out->bought = malloc(np * sizeof *out->bought);
    if (!out->state || !out->round || !out->rho_num || !out->rho_den ||
        !out->paid || !out->left || !out->bought)
        return ES_ENOMEM;
    if (e->n_voters)
        memcpy(out->left, e->budget, e->n_voters * sizeof *out->left);
    return 0;
}

/* Pops the top until it is fresh; returns 0 when the heap empties. */
static int es_next(es_work *w, es_entry *h, size_t *n, uint64_t now)
{
    while (*n) {
        if (h[0].stamp == now)
            return 1;
        size_t p = h[0].p;
        if (es_rho(w, p) != 0) {
            h[0] = h[--*n]; /* unaffordable now, and for good */
        } else {
            h[0] = (es_entry){p, w->num, w->den, now};
        }
        heap_down(h, *n, 0);
    }
    return 0;
}

static int es_loop(es_work *w, es_entry *h, size_t n, es_accept_fn accept,
                   void *ctx)
{
    uint64_t now = 0;
    uint32_t step = 0;
    es_outcome *out = w->out;
    while (es_next(w, h, &n, now)) {
        size_t p = h[0].p;
        h[0] = h[--n];
        heap_down(h, n, 0);
        out->round[p] = ++step;
        /* recompute: the payers scratch may hold another project */
        es_rho(w, p);
        out->rho_num[p] = w->num;
        out->rho_den[p] = w->den;
        int ok = accept ? accept(ctx, p) : 1;
        if (ok < 0)
            return ok;
        if (ok == 0) {
            out->state[p] = ES_REFUSED;
            continue;
        }
        es_pay(w, p);
        out->state[p] = ES_BOUGHT;
        out->bought[out->n_bought++] = p;
        out->spent += w->e->cost[p];
        now++;
    }
    return 0;
}

int es_run(const es_election *e, es_accept_fn accept, void *ctx,
           es_outcome *out)
{
    size_t most;
    int rc = es_alloc(e, out);
    if (rc == 0)
        rc = es_check(e, &most);
    if (rc != 0)
        return rc;
    es_work w = {e, out, malloc(most * sizeof *w.payers), 0, 0, 0, 1};
    es_entry *h = malloc((e->n_projects + 1) * sizeof *h);
    size_t n = 0;
    if (!w.payers || !h)
        rc = ES_ENOMEM;
    for (size_t p = 0; rc == 0 && p < e->n_projects; p++)
        if (es_rho(&w, p) == 0)
            h[n++] = (es_entry){p, w.num, w.den, 0};
    for (size_t i = n / 2; rc == 0 && i-- > 0;)
        heap_down(h, n, i);
    if (rc == 0)
        rc = es_loop(&w, h, n, accept, ctx);
    free(w.payers);
    free(h);
    return rc;
}

int64_t es_supporters_left(const es_election *e, const es_outcome *out,
                           size_t p)
{
    int64_t sum = 0;
    for (size_t k = e->first[p]; k < e->first[p + 1]; k++)
        sum += out->left[e->sup[k].voter];
    return sum;
}

void es_outcome_free(es_outcome *out)
{
    free(out->state);
    free(out->round);
    free(out->rho_num);
    free(out->rho_den);
    free(out->paid);
    free(out->left);
    free(out->bought);
    memset(out, 0, sizeof *out);
}
