/* robust_par: one sub-region's searches on one thread or two.
 *
 * Once a sub-region is replayed, every search reads its arrays only (got,
 * need, ask, choice, the tree, the organisations' grants) and writes its
 * own thread's scratch (rb_work) and its own candidate's slots of the
 * result (one per application: disjoint). What the requests draw (ask)
 * is likewise one slot per position. So the positions are cut into
 * pieces of b->grain, piece p going to thread p % threads, and the
 * result is the same whichever thread ran what, and when. The replay
 * itself stays one pass in one thread, and the sub-regions stay one
 * after the other: a sub-region's replay starts from the grants the
 * sub-regions before it made to each organisation (max_per_organisation),
 * and the greedy pass is sequential by nature.
 *
 * Errors: each thread stops at its first, and the first thread's is
 * reported (par_first_failure); the searches have one message, "invalid
 * weights", so it is the one a single thread gives. */
#include <stdlib.h>
#include <string.h>

#include "robust_internal.h"

int rb_work_open(const rb_sub *b, rb_work *w, const plan_set *plan)
{
    memset(w, 0, sizeof *w);
    if (alloc_probe_open(&w->probe, b->in, b->cfg, b->res, plan, b->order,
                         b->env, b->alloc) != 0)
        return -1;
    size_t ny = b->ny + 1, orgs = alloc_probe_n_orgs(w->probe);
    w->own = malloc(ny * sizeof *w->own);
    w->state = malloc(ny * sizeof *w->state);
    w->tmp = malloc(ny * sizeof *w->tmp);
    w->off = malloc(ny * sizeof *w->off);
    w->w = malloc(ny * sizeof *w->w);
    w->delta = calloc(orgs, sizeof *w->delta);
    w->dirty = malloc(orgs * sizeof *w->dirty);
    w->cursor = malloc(orgs * sizeof *w->cursor);
    if (!w->own || !w->state || !w->tmp || !w->off || !w->w || !w->delta ||
        !w->dirty || !w->cursor)
        return -1;
    for (size_t o = 0; o < orgs; o++)
        w->cursor[o] = SIZE_MAX;
    return 0;
}

void rb_work_close(rb_work *w)
{
    alloc_probe_close(w->probe);
    free(w->own);
    free(w->state);
    free(w->tmp);
    free(w->off);
    free(w->w);
    free(w->delta);
    free(w->dirty);
    free(w->cursor);
    memset(w, 0, sizeof *w);
}

/* One thread's share of a pass over the positions. */
typedef struct rb_part {
    rb_sub *b;
    size_t t, threads;
    robust_result *out;
    size_t bad;             /* rb_ask_part: its first failure, or SIZE_MAX */
} rb_part;

/* Two threads only when both get a few pieces (work[1] is open then). */
static size_t rb_threads(const rb_sub *b)
{
    return b->jobs >= 2 && b->work[1].probe && b->n >= 2 * b->grain ? 2 : 1;
}

/* Runs fn over the threads' parts; the first failure's status (task
 * order) with its messages in d. *bad: the least of the parts' bad. */
static int rb_run(rb_sub *b, int (*fn)(void *, diag *), robust_result *out,
                  size_t *bad, diag *d)
{
    size_t threads = rb_threads(b);
    rb_part part[PAR_JOBS_MAX];
    par_task task[PAR_JOBS_MAX];
    memset(task, 0, sizeof task);
    for (size_t t = 0; t < threads; t++) {
        part[t] = (rb_part){b, t, threads, out, SIZE_MAX};
        task[t].fn = fn;
        task[t].arg = &part[t];
    }
    if ((int)threads > b->threads)
        b->threads = (int)threads;
    par_run(task, threads, (int)threads);
    int rc = par_first_failure(task, threads, d);
    par_free(task, threads);
    *bad = SIZE_MAX;
    for (size_t t = 0; t < threads; t++)
        if (part[t].bad < *bad)
            *bad = part[t].bad;
    return rc;
}

/* What gathering list[k + RB_AHEAD] will read, and where list[k + 2
 * RB_AHEAD]'s plan starts. */
static void rb_prefetch_gather(const rb_sub *b, size_t k)
{
    if (k + 2 * RB_AHEAD < b->n)
        RB_PREFETCH(&b->plan->first[b->list[k + 2 * RB_AHEAD]]);
    if (k + RB_AHEAD < b->n) {
        size_t app = b->list[k + RB_AHEAD], f = b->plan->first[app];
        RB_PREFETCH(&b->in->apps[app].requested);
        RB_PREFETCH(&b->alloc->decisions[app]);
        RB_PREFETCH(&b->alloc->app_committed[app]);
        RB_PREFETCH(&b->plan->weight[f]);
        RB_PREFETCH(&b->plan->items[f]);
    }
}

/* The part's positions' slots (b->at) and what their requests draw. */
static int rb_ask_part(void *arg, diag *d)
{
    rb_part *p = arg;
    rb_sub *b = p->b;
    rb_work *w = &b->work[p->t];
    (void)d;
    for (size_t lo = p->t * b->grain; lo < b->n; lo += p->threads * b->grain) {
        size_t hi = lo + b->grain < b->n ? lo + b->grain : b->n;
        for (size_t k = lo; k < hi; k++) {
            size_t app = b->list[k];
            const decision *dec = &b->alloc->decisions[app];
            rb_prefetch_gather(b, k);
            b->at[k].granted = dec->granted;
            b->at[k].status = dec->status;
            if (alloc_probe_ask(w->probe, app, &b->at[k].ask,
                                &b->ask[k * b->ny]) != 0 && k < p->bad)
                p->bad = k; /* left to the replay, which names it */
        }
    }
    return 0;
}

void rb_par_ask(rb_sub *b)
{
    size_t bad;
    diag d;
    diag_init(&d);
    rb_run(b, rb_ask_part, NULL, &bad, &d); /* never fails: bad says */
    diag_free(&d);
    b->ask_bad = bad < b->n ? bad : b->n;
}

static int rb_margins_part(void *arg, diag *d)
{
    rb_part *p = arg;
    rb_sub *b = p->b;
    for (size_t lo = p->t * b->grain; lo < b->n; lo += p->threads * b->grain) {
        size_t hi = lo + b->grain < b->n ? lo + b->grain : b->n;
        int rc = rb_margins_range(b, &b->work[p->t], lo, hi, p->out, d);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int rb_par_margins(rb_sub *b, robust_result *out, diag *d)
{
    size_t bad;
    return rb_run(b, rb_margins_part, out, &bad, d);
}
