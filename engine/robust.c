/* robust: see include/robust.h. Margins: the replay of each sub-region,
 * the search upwards, and positions turned back into scores. */
#include "robust.h"

#include <stdlib.h>
#include <string.h>

#include "robust_internal.h"

int robust_none(size_t n_apps, const char *why_not, robust_result *out,
                diag *d)
{
    memset(out, 0, sizeof *out);
    out->n_apps = n_apps;
    out->why_not = why_not;
    out->threads = 1;
    out->margin = malloc((n_apps + 1) * sizeof *out->margin);
    out->margin_rank = calloc(n_apps + 1, sizeof *out->margin_rank);
    out->first_by = calloc(n_apps + 1, sizeof *out->first_by);
    if (!out->margin || !out->margin_rank || !out->first_by) {
        robust_free(out);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    for (size_t a = 0; a < n_apps; a++)
        out->margin[a] = ROBUST_NONE;
    return 0;
}

void robust_free(robust_result *r)
{
    free(r->margin);
    free(r->margin_rank);
    free(r->evaluator);
    free(r->first_by);
    free(r->by);
    memset(r, 0, sizeof *r);
}

int rb_ask(const rb_sub *b, rb_work *w, size_t i)
{
    int64_t requested = b->at[i].ask.requested;
    if (i < b->ask_bad) { /* drawn before the replay */
        w->asked = &b->ask[i * b->ny];
        return 0;
    }
    if (b->choice[i].grant == requested) { /* drawn already */
        w->asked = &b->need[i * b->ny];
        return 0;
    }
    w->asked = w->own;
    return alloc_probe_need(w->probe, b->list[i], requested, w->own);
}

/* Funded in full: the greedy method's target is the request (no cap in
 * the way) and the request fits; every other outcome is a partial grant
 * or none. The target depends on org_used only with max_per_organisation. */
int rb_funded(const rb_sub *b, rb_work *w, size_t i, const int64_t *got,
              int64_t org_used)
{
    const alloc_ask *a = &b->at[i].ask;
    int64_t target = b->org_cap
                         ? alloc_probe_target(w->probe, b->list[i], org_used)
                         : a->target;
    return target == a->requested &&
           alloc_probe_fits(w->probe, b->sub, got, w->asked);
}

static void rb_close(rb_sub *b)
{
    for (size_t t = 0; t < PAR_JOBS_MAX; t++)
        rb_work_close(&b->work[t]);
    free(b->list);
    free(b->got);
    free(b->need);
    free(b->ask);
    free(b->at);
    free(b->choice);
    free(b->open);
    free(b->ord_score);
    free(b->ord_req);
    free(b->pos);
    free(b->org_before);
    free(b->next_org);
    free(b->org_now);
    free(b->org_first);
    free(b->tree);
    free(b->sets);
    free(b->next_open);
}

/* Arrays sized for the largest sub-region; a second thread's scratch
 * when it will serve. */
static int rb_open(rb_sub *b, const plan_set *plan)
{
    size_t most = 1, ny = b->ny + 1;
    for (size_t s = 0; s < b->in->n_split; s++)
        if (b->order->sub_first[s + 1] - b->order->sub_first[s] > most)
            most = b->order->sub_first[s + 1] - b->order->sub_first[s];
    if (rb_work_open(b, &b->work[0], plan) != 0 ||
        (b->jobs >= 2 && most >= 2 * b->grain &&
         rb_work_open(b, &b->work[1], plan) != 0))
        return -1;
    size_t orgs = alloc_probe_n_orgs(b->work[0].probe);
    for (b->leaves = 1; b->leaves < most; b->leaves *= 2)
        ;
    b->list = malloc(most * sizeof *b->list);
    b->got = malloc((most + 1) * ny * sizeof *b->got);
    b->need = malloc(most * ny * sizeof *b->need);
    b->ask = malloc(most * ny * sizeof *b->ask);
    b->at = malloc(most * sizeof *b->at);
    b->choice = malloc(most * sizeof *b->choice);
    b->open = malloc(ny * sizeof *b->open);
    b->ord_score = malloc(most * sizeof *b->ord_score);
    b->ord_req = malloc(most * sizeof *b->ord_req);
    b->pos = malloc(most * sizeof *b->pos);
    b->org_before = malloc(most * sizeof *b->org_before);
    b->next_org = malloc(most * sizeof *b->next_org);
    b->org_now = calloc(orgs, sizeof *b->org_now);
    b->org_first = malloc(orgs * sizeof *b->org_first);
    b->tree = malloc(2 * b->leaves * ny * sizeof *b->tree);
    b->sets = malloc(2 * b->leaves * sizeof *b->sets);
    b->next_open = malloc((most + 1) * sizeof *b->next_open);
    if (!b->list || !b->got || !b->need || !b->ask || !b->at || !b->choice ||
        !b->open || !b->ord_score || !b->ord_req || !b->pos || !b->org_before ||
        !b->next_org || !b->org_now || !b->org_first || !b->tree || !b->sets ||
        !b->next_open)
        return -1;
    for (size_t o = 0; o < orgs; o++)
        b->org_first[o] = SIZE_MAX;
    /* overrides are granted before any ranked candidate */
    for (size_t a = 0; a < b->in->n_apps; a++)
        if (b->alloc->decisions[a].status == DECISION_OVERRIDDEN)
            b->org_now[rb_org(b, a)] += b->alloc->decisions[a].granted;
    return 0;
}

/* The row's grants before the first ranked candidate: the overrides
 * charged to it (granted before any ranked one). */
static int rb_start(rb_sub *b)
{
    int64_t *g0 = b->got;
    memset(g0, 0, b->ny * sizeof *g0);
    for (size_t a = 0; a < b->in->n_apps; a++) {
        const decision *dec = &b->alloc->decisions[a];
        if (dec->status != DECISION_OVERRIDDEN || dec->source != b->sub ||
            dec->granted <= 0)
            continue;
        int64_t *tmp = b->work[0].tmp;
        if (alloc_probe_need(b->work[0].probe, a, dec->granted, tmp) != 0)
            return -1;
        for (size_t y = 0; y < b->ny; y++)
            g0[y] += tmp[y];
    }
    return 0;
}

/* What a candidate's margin reads and writes of the per-application
 * arrays (its request and score are in the list's). */
static void rb_prefetch_margin(const rb_sub *b, size_t app,
                               const robust_result *out)
{
    if (b->res->tiebreak)
        RB_PREFETCH(&b->res->tiebreak[app]);
    if (b->org_cap) /* its target, read when it depends on org_used */
        RB_PREFETCH(&b->alloc->app_committed[app]);
    RB_PREFETCH(&out->margin[app]);
    RB_PREFETCH(&out->margin_rank[app]);
}

/* Replays the greedy pass over the sub-region with allocate's own
 * decision, checking it gives every candidate what the run gave it. What
 * the requests draw is drawn first (on the threads), the replay testing
 * the requests' fits with it. */
static int rb_replay(rb_sub *b, diag *d)
{
    const decision *dec = b->alloc->decisions;
    alloc_probe *probe = b->work[0].probe;
    size_t ny = b->ny;
    b->n = 0;
    size_t first = b->order->sub_first[b->sub];
    for (size_t i = first; i < b->order->sub_first[b->sub + 1]; i++) {
        if (i + RB_AHEAD < b->order->sub_first[b->sub + 1]) {
            RB_PREFETCH(&b->res->score[b->order->apps[i + RB_AHEAD]]);
            RB_PREFETCH(&dec[b->order->apps[i + RB_AHEAD]]);
            RB_PREFETCH(&b->in->apps[b->order->apps[i + RB_AHEAD]].requested);
        }
        b->ord_score[i - first] = b->res->score[b->order->apps[i]];
        b->ord_req[i - first] = b->in->apps[b->order->apps[i]].requested;
        if (dec[b->order->apps[i]].status != DECISION_OVERRIDDEN) {
            b->pos[b->n] = i - first;
            b->list[b->n++] = b->order->apps[i];
        }
    }
    rb_par_ask(b);
    if (rb_start(b) != 0)
        return diag_add(d, DIAG_INTERNAL, "robustness: invalid weights");
    for (size_t y = 0; y < ny; y++)
        b->open[y] = b->env->cell[b->sub * ny + y] -
                     alloc_committed(b->alloc, b->sub * ny + y);
    b->stop_at = b->n;
    for (size_t k = 0; k < b->n; k++) {
        size_t app = b->list[k], o = rb_org(b, app);
        alloc_choice ch = {0, DECISION_WAITLISTED, -1, 0, 0, 0};
        b->org_before[k] = b->org_now[o];
        int r = 0;
        if (b->stop_at == b->n)
            r = k < b->ask_bad
                    ? alloc_probe_choose_drawn(probe, b->sub, &b->got[k * ny],
                                               b->org_now[o], app,
                                               &b->ask[k * ny], &ch,
                                               &b->need[k * ny])
                    : alloc_probe_choose(probe, b->sub, &b->got[k * ny],
                                         b->org_now[o], app, &ch,
                                         &b->need[k * ny]);
        else
            memset(&b->need[k * ny], 0, ny * sizeof *b->need);
        if (r < 0 || ch.grant != b->at[k].granted ||
            ch.status != b->at[k].status)
            return diag_add(d, DIAG_INTERNAL, "robustness: replaying %s "
                            "disagrees with the allocation at application %s",
                            b->in->split[b->sub].name, b->in->apps[app].id);
        if (r == 1)
            b->stop_at = k;
        b->choice[k] = ch;
        int tried = b->stop_at >= k && ch.grant == 0 && ch.target > 0 &&
                    b->cfg->on_overflow != RULES_OVERFLOW_PARTIAL;
        if (rb_leaf(b, k, tried ? alloc_probe_drawn(probe) : NULL) != 0)
            return diag_add(d, DIAG_INTERNAL, "robustness: invalid weights");
        b->org_now[o] += ch.grant;
        for (size_t y = 0; y < ny; y++)
            b->got[(k + 1) * ny + y] = b->got[k * ny + y] + b->need[k * ny + y];
    }
    if (memcmp(&b->got[b->n * ny], &b->alloc->granted[b->sub * ny],
               ny * sizeof *b->got) != 0)
        return diag_add(d, DIAG_INTERNAL, "robustness: replaying %s does not "
                        "end where the allocation did", b->in->split[b->sub].name);
    /* the same organisation's next position, for the caps */
    for (size_t k = b->n; k-- > 0;) {
        size_t o = rb_org(b, b->list[k]);
        b->next_org[k] = b->org_first[o] == SIZE_MAX ? b->n : b->org_first[o];
        b->org_first[o] = k;
    }
    rb_tree_build(b);
    return 0;
}

/* What the organisation of list[i] had been granted before list[j]
 * (j <= i) in the allocation: its grants are in org_before. */
static int64_t rb_org_at(const rb_sub *b, size_t i, size_t j)
{
    if (!b->org_cap)
        return 0;
    size_t k = b->org_first[rb_org(b, b->list[i])];
    while (k < j)
        k = b->next_org[k];
    return b->org_before[k];
}

/* The highest position j < i before which list[i] would be funded in
 * full: "before list[j]", the allocation's own prefix; -1 when none,
 * -2 on error. */
static long rb_up(const rb_sub *b, rb_work *w, size_t i)
{
    long lo = -1, hi = (long)i; /* funded at lo (or none), not at hi */
    while (hi - lo > 1) {
        long mid = lo + (hi - lo) / 2;
        int f = (size_t)mid > b->stop_at
                    ? 0
                    : rb_funded(b, w, i, &b->got[(size_t)mid * b->ny],
                                rb_org_at(b, i, (size_t)mid));
        if (f < 0)
            return -2;
        if (f)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* In the sub-region's whole order (overrides included), the first score
 * below `score` (or equal to it, when equal). */
static size_t rb_first_below(const rb_sub *b, size_t n, int64_t score,
                             int equal)
{
    size_t lo = 0, hi = n; /* scores descend: first ord_score < (<=) score */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->ord_score[mid] < score || (equal && b->ord_score[mid] == score))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* rank_before(list[i], score, x) for x at place m of the sub-region's
 * whole order, read from the list's and the order's own arrays: at the
 * same score rank.h orders by the tiebreak key (highest first), then the
 * smaller request, then the id; rank_before itself decides what those
 * leave tied (or, with rank(), everything: its key is not the score). */
static int rb_before(const rb_sub *b, size_t i, int64_t score, size_t m)
{
    size_t a = b->list[i], x = b->order->apps[b->order->sub_first[b->sub] + m];
    int64_t sx = b->ord_score[m], ra = b->at[i].ask.requested;
    if (b->res->rank || a == x)
        return rank_before(b->in, b->res, a, score, x);
    if (score != sx)
        return score > sx;
    if (b->res->tiebreak && b->res->tiebreak[a] != b->res->tiebreak[x])
        return b->res->tiebreak[a] > b->res->tiebreak[x];
    if (ra != b->ord_req[m])
        return ra < b->ord_req[m];
    return rank_before(b->in, b->res, a, score, x);
}

/* The rank list[i] would hold with `score`: one more than the candidates
 * of its sub-region (overridden ones included) that would rank before it:
 * all those scoring more, and those of the same score it loses to. */
static uint32_t rb_rank_at(const rb_sub *b, size_t i, int64_t score)
{
    size_t n = b->order->sub_first[b->sub + 1] - b->order->sub_first[b->sub];
    size_t lo = rb_first_below(b, n, score, 1), hi = rb_first_below(b, n, score, 0);
    while (lo < hi) { /* first x that app would rank before */
        size_t mid = lo + (hi - lo) / 2;
        if (rb_before(b, i, score, mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    size_t own = b->pos[i];
    return (uint32_t)(lo + 1 - (own < lo));
}

int rb_margins_range(const rb_sub *b, rb_work *w, size_t lo, size_t hi,
                     robust_result *out, diag *d)
{
    for (size_t i = lo; i < hi; i++) {
        size_t a = b->list[i];
        int64_t m = ROBUST_NONE, s = 0, own = b->ord_score[b->pos[i]];
        if (i + RB_AHEAD < b->n)
            rb_prefetch_margin(b, b->list[i + RB_AHEAD], out);
        if (rb_ask(b, w, i) != 0)
            return diag_add(d, DIAG_INTERNAL, "robustness: invalid weights");
        if (b->choice[i].status == DECISION_FUNDED) {
            long j = rb_down(b, w, i);
            if (j < 0)
                return diag_add(d, DIAG_INTERNAL, "robustness: invalid weights");
            if (j > 0) { /* the most it may score and still follow list[j-1] */
                s = b->ord_score[b->pos[j - 1]];
                s -= rb_before(b, i, s, b->pos[j - 1]);
                if (s >= b->cfg->threshold)
                    m = own - s;
            }
        } else {
            long j = rb_up(b, w, i);
            if (j < -1)
                return diag_add(d, DIAG_INTERNAL, "robustness: invalid weights");
            if (j >= 0) { /* the least it must score to precede list[j] */
                s = b->ord_score[b->pos[j]];
                s += !rb_before(b, i, s, b->pos[j]);
                m = s - own;
            }
        }
        out->margin[a] = m;
        out->margin_rank[a] = m == ROBUST_NONE ? 0 : rb_rank_at(b, i, s);
    }
    return 0;
}

int robust_margins(const inputs *in, const rules_config *cfg,
                   const rules_results *res, const plan_set *plan,
                   const rank_order *order, const split_grid *env,
                   const alloc_result *alloc, int jobs, robust_result *out,
                   diag *d)
{
    return rb_margins_grain(in, cfg, res, plan, order, env, alloc, jobs,
                            RB_GRAIN, out, d);
}

int rb_margins_grain(const inputs *in, const rules_config *cfg,
                     const rules_results *res, const plan_set *plan,
                     const rank_order *order, const split_grid *env,
                     const alloc_result *alloc, int jobs, size_t grain,
                     robust_result *out, diag *d)
{
    int rc = robust_none(in->n_apps, NULL, out, d);
    if (rc != 0)
        return rc;
    out->margins = 1;
    rb_sub b = {.in = in, .cfg = cfg, .res = res, .order = order,
                .alloc = alloc, .env = env, .plan = plan, .ny = env->n_years,
                .carry = cfg->leftover == RULES_LEFTOVER_CARRY,
                .org_cap = cfg->max_per_org != 0,
                .jobs = jobs >= 2 ? 2 : 1, .grain = grain ? grain : 1,
                .threads = 1};
    if (rb_open(&b, plan) != 0)
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t s = 0; rc == 0 && s < in->n_split; s++) {
        b.sub = s;
        rc = rb_replay(&b, d);
        if (rc == 0)
            rc = rb_par_margins(&b, out, d);
        for (size_t k = 0; rc == 0 && k < b.n; k++) /* org_first: "none" */
            b.org_first[rb_org(&b, b.list[k])] = SIZE_MAX;
    }
    out->threads = b.threads;
    rb_close(&b);
    if (rc != 0)
        robust_free(out);
    return rc;
}
