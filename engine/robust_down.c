/* robust_down: how far down a funded candidate may fall and stay funded.
 *
 * The greedy pass over the list without candidate a is followed from a's
 * position as state = the allocation's state - off, `off` being per year
 * what the pass without a has NOT spent that the allocation spent (at
 * first a's own need). While off is not negative (per year; with carried
 * money, per running total), every candidate the allocation funded whole
 * fits again with the same grant, so the pass only needs deciding where
 * the allocation did not fund whole: a shortfall (need minus what was
 * left) at most off; a partial grant or the stop (always); an
 * organisation whose grants moved (max_per_organisation). The segment
 * tree holds, per node and year, the least shortfall of its positions,
 * and the least total of a position's positive shortfalls over the years
 * (at most the offset's total for any position that fits): per year
 * alone the minima come from different positions, and the search would
 * descend almost everywhere. A position's years short of money (those
 * whose shortfall is positive) must all be years where the offset is
 * positive; with a few years, the tree also holds per node the set of
 * such "year sets" among its positions (a bit per set), and the search
 * skips a node none of whose sets fits in the offset's: a position
 * needing money in a year the offset does not free is never visited. */
#include <stdlib.h>
#include <string.h>

#include "robust_internal.h"

int rb_leaf(rb_sub *b, size_t k, const int64_t *drawn)
{
    size_t ny = b->ny;
    int64_t *v = &b->tree[(b->leaves + k) * (ny + 1)];
    const alloc_choice *ch = &b->choice[k];
    int64_t fill = k == b->stop_at || (ch->grant > 0 && !ch->whole) ? RB_MUST : RB_INF;
    for (size_t y = 0; y <= ny; y++)
        v[y] = fill;
    if (fill == RB_MUST || k > b->stop_at || ch->grant > 0 || ch->target <= 0)
        return 0;
    int64_t tries[2] = {ch->target, ch->lowest};
    for (int t = 0; t < 2 && tries[t] > 0; t++) {
        int64_t *tmp = b->work[0].tmp;
        const int64_t *need = t == 0 && drawn ? drawn : tmp;
        if (need == tmp &&
            alloc_probe_need(b->work[0].probe, b->list[k], tries[t], tmp) != 0)
            return -1;
        int64_t run = 0;
        for (size_t y = 0; y < ny; y++) {
            int64_t short_y = need[y] - (b->open[y] - b->got[k * ny + y]);
            run = b->carry ? run + short_y : short_y;
            if (run < v[y])
                v[y] = run;
        }
    }
    v[ny] = 0;
    for (size_t y = 0; y < ny; y++)
        v[ny] += v[y] > 0 ? v[y] : 0;
    return 0;
}

/* The bit of the leaf's year set (its years of positive shortfall); none
 * for a leaf the search never stops at; every bit beyond RB_SET_YEARS. */
static uint64_t rb_leaf_set(const rb_sub *b, const int64_t *v)
{
    if (v[0] == RB_INF)
        return 0;
    if (b->ny > RB_SET_YEARS)
        return UINT64_MAX;
    unsigned set = 0;
    for (size_t y = 0; y < b->ny; y++)
        set |= (unsigned)(v[y] > 0) << y;
    return (uint64_t)1 << set;
}

void rb_tree_build(rb_sub *b)
{
    size_t ny = b->ny + 1, L = b->leaves; /* the years and the total */
    for (size_t k = b->n; k < L; k++)
        for (size_t y = 0; y < ny; y++)
            b->tree[(L + k) * ny + y] = RB_INF;
    b->next_open[b->n] = b->n; /* for the linear scan: skips whole fits */
    for (size_t k = b->n; k-- > 0;)
        b->next_open[k] = b->tree[(L + k) * ny] == RB_INF ? b->next_open[k + 1] : k;
    for (size_t k = 0; k < L; k++)
        b->sets[L + k] = rb_leaf_set(b, &b->tree[(L + k) * ny]);
    for (size_t node = L; node-- > 1;) {
        for (size_t y = 0; y < ny; y++) {
            int64_t l = b->tree[2 * node * ny + y], r = b->tree[(2 * node + 1) * ny + y];
            b->tree[node * ny + y] = l < r ? l : r;
        }
        b->sets[node] = b->sets[2 * node] | b->sets[2 * node + 1];
    }
}

/* The bits of the year sets that fit in the offset's positive years. */
static uint64_t rb_offset_sets(const rb_sub *b, const int64_t *w)
{
    if (b->ny > RB_SET_YEARS)
        return UINT64_MAX;
    unsigned open = 0;
    for (size_t y = 0; y < b->ny; y++)
        open |= (unsigned)(w[y] > 0) << y;
    uint64_t sets = 0;
    for (unsigned s = open;; s = (s - 1) & open) { /* every subset */
        sets |= (uint64_t)1 << s;
        if (s == 0)
            return sets;
    }
}

/* First position >= k in node [lo, hi) whose every year's shortfall is at
 * most w, or SIZE_MAX; sets: rb_offset_sets(w). */
static size_t rb_first(const rb_sub *b, size_t node, size_t lo, size_t hi,
                       size_t k, const int64_t *w, uint64_t sets)
{
    if (hi <= k || lo >= b->n || !(b->sets[node] & sets))
        return SIZE_MAX;
    const int64_t *m = &b->tree[node * (b->ny + 1)];
    for (size_t y = 0; y <= b->ny; y++)
        if (m[y] > w[y])
            return SIZE_MAX;
    if (hi - lo == 1)
        return lo;
    size_t mid = lo + (hi - lo) / 2;
    size_t r = rb_first(b, 2 * node, lo, mid, k, w, sets);
    return r != SIZE_MAX ? r : rb_first(b, 2 * node + 1, mid, hi, k, w, sets);
}

/* rb_first from position k on, climbing from k's leaf: the nodes to the
 * right of it, smallest first, are searched in turn. The position sought
 * is most often near k, and the climb visits a few nodes about k instead
 * of every level's from the root down (a cache miss each). */
static size_t rb_first_from(const rb_sub *b, size_t k, const int64_t *w)
{
    size_t x = b->leaves + k, lo = k, size = 1;
    uint64_t sets = rb_offset_sets(b, w);
    for (;;) {
        if (lo >= b->n)
            return SIZE_MAX; /* the rest is past the list */
        size_t r = rb_first(b, x, lo, lo + size, k, w, sets);
        if (r != SIZE_MAX)
            return r;
        while (x & 1) { /* a right child: its parent is done with */
            x >>= 1;
            lo -= size;
            size *= 2;
        }
        if (x == 0)
            return SIZE_MAX;
        x++; /* the right sibling, next after x's positions */
        lo += size;
    }
}

/* w from off (running totals when carrying), then their total; 1 when
 * none is negative. */
static int rb_offset_ok(const rb_sub *b, rb_work *w)
{
    int64_t run = 0;
    int ok = 1;
    w->w[b->ny] = 0;
    for (size_t y = 0; y < b->ny; y++) {
        run = b->carry ? run + w->off[y] : w->off[y];
        w->w[y] = run;
        w->w[b->ny] += run;
        ok &= run >= 0;
    }
    return ok;
}

/* ---- organisations whose grants differ from the allocation's ---- */

static void rb_org_track(rb_work *w, size_t o, size_t next)
{
    if (w->cursor[o] == SIZE_MAX)
        w->dirty[w->n_dirty++] = o;
    w->cursor[o] = next;
}

static void rb_org_reset(rb_work *w)
{
    for (size_t i = 0; i < w->n_dirty; i++) {
        w->delta[w->dirty[i]] = 0;
        w->cursor[w->dirty[i]] = SIZE_MAX;
    }
    w->n_dirty = 0;
}

/* The pass without list[i]: is list[i] funded before list[j]? */
static int rb_funded_at(const rb_sub *b, rb_work *w, size_t i, size_t j,
                        int stopped)
{
    if (stopped)
        return 0;
    size_t app = b->list[i];
    int64_t used = 0;
    if (b->org_cap) {
        size_t o = rb_org(b, app), c = w->cursor[o];
        used = (c < b->n ? b->org_before[c] : b->org_now[o]) + w->delta[o];
    }
    for (size_t y = 0; y < b->ny; y++)
        w->state[y] = b->got[j * b->ny + y] - w->off[y];
    return rb_funded(b, w, i, w->state, used);
}

/* Decides list[k] in the pass without list[i]. */
static int rb_step(const rb_sub *b, rb_work *w, size_t k, int *stopped)
{
    size_t app = b->list[k], o = rb_org(b, app);
    alloc_choice ch = {0, DECISION_WAITLISTED, -1, 0, 0, 0};
    memset(w->tmp, 0, b->ny * sizeof *w->tmp);
    if (!*stopped) {
        for (size_t y = 0; y < b->ny; y++)
            w->state[y] = b->got[k * b->ny + y] - w->off[y];
        int r = alloc_probe_choose(w->probe, b->sub, w->state,
                                   b->org_before[k] + w->delta[o], app, &ch,
                                   w->tmp);
        if (r < 0)
            return -1;
        *stopped = r;
    }
    for (size_t y = 0; y < b->ny; y++)
        w->off[y] += b->need[k * b->ny + y] - w->tmp[y];
    if (b->org_cap) {
        int64_t moved = ch.grant - b->choice[k].grant;
        w->delta[o] += moved;
        if (w->cursor[o] != SIZE_MAX || moved)
            rb_org_track(w, o, b->next_org[k]);
    }
    return 0;
}

/* rb_first from k, after a look at the next few positions that are not
 * whole fits (contiguous leaves): the one sought is most often among
 * them, and a linear look costs no cache miss per tree level. */
#define RB_SCAN 64
static size_t rb_find(const rb_sub *b, const rb_work *w, size_t k)
{
    size_t ny1 = b->ny + 1, s = k < b->n ? b->next_open[k] : b->n;
    size_t end = s + RB_SCAN < b->n ? s + RB_SCAN : b->n;
    for (size_t j = s; j < end; j++) {
        const int64_t *v = &b->tree[(b->leaves + j) * ny1];
        size_t y = 0;
        while (y < ny1 && v[y] <= w->w[y])
            y++;
        if (y == ny1)
            return j;
    }
    return end < b->n ? rb_first_from(b, end, w->w) : SIZE_MAX;
}

/* Where the offset search must stop next, from k on (the stop's own
 * leaf is RB_MUST: it is never passed over). */
static size_t rb_next_visit(const rb_sub *b, const rb_work *w, size_t k)
{
    size_t m = rb_find(b, w, k);
    for (size_t i = 0; i < w->n_dirty; i++)
        if (w->cursor[w->dirty[i]] < m)
            m = w->cursor[w->dirty[i]];
    return m < b->n ? m : b->n;
}

static long rb_down_from(const rb_sub *b, rb_work *w, size_t i)
{
    int stopped = 0;
    for (size_t k = i + 1;;) {
        if (k <= b->stop_at && !stopped && rb_offset_ok(b, w)) {
            size_t m = rb_next_visit(b, w, k), lo = k, hi = m + 1;
            while (lo < hi) { /* first position in [k, m] not funding it */
                size_t mid = lo + (hi - lo) / 2;
                int f = rb_funded_at(b, w, i, mid, 0);
                if (f < 0)
                    return -1;
                if (f)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo <= m)
                return (long)lo;
            if (m == b->n)
                return 0;
            k = m;
        } else {
            int f = rb_funded_at(b, w, i, k, stopped);
            if (f <= 0)
                return f < 0 ? -1 : (long)k;
            if (k == b->n)
                return 0;
        }
        if (rb_step(b, w, k, &stopped) != 0)
            return -1;
        k++;
    }
}

long rb_down(const rb_sub *b, rb_work *w, size_t i)
{
    memcpy(w->off, &b->need[i * b->ny], b->ny * sizeof *w->off);
    if (b->org_cap) {
        size_t o = rb_org(b, b->list[i]);
        w->delta[o] = -b->choice[i].grant;
        rb_org_track(w, o, b->next_org[i]);
    }
    long j = rb_down_from(b, w, i);
    rb_org_reset(w);
    return j;
}
