/* robust: every margin checked by brute force. Random programs (several
 * years and schedules, skip/stop/partial, reserve/carry, caps, overrides,
 * commitments of earlier calls, ties on score, tiebreak and request) are
 * allocated; then, for each candidate, its score alone is changed to every
 * value where its position can change, the program is ranked and allocated
 * again through the real rank and allocate steps, and the status compared:
 * at the margin it changes, one hundredth short of it it does not, and
 * the rank the brute force gives is the one reported. The same margins
 * again on two threads, in pieces of one to three positions, must be the
 * one thread's, to the hundredth. */
#include <stdlib.h>

#include "../../engine/robust_internal.h"
#include "fixture.h"
#include "robust.h"
#include "testlib.h"

static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static char ids[FX_MAX][16];
static const char *orgs[] = {"Coop A", "OBNL B", "Ville C"};
static double tiebreak[FX_MAX];
static int64_t committed[64];

static void random_program(fx_program *p, alloc_commitments *c, int n_apps)
{
    int years = 1 + (int)rnd(4);
    fx_init(p, 2024, years, 0);
    int64_t total = 0;
    for (int y = 0; y < years; y++)
        total += p->years[y].amount = 1 + (int64_t)rnd(30000000);
    int subs = 1 + (int)rnd(2);
    for (int s = 0; s < subs; s++)
        fx_sub(p, "S", total / subs, 0);
    int n = 1 + (int)rnd(3), left = 100, pct[3], at[3];
    for (int i = 0; i < n; i++) {
        pct[i] = i == n - 1 ? left : 1 + (int)rnd((unsigned)(left - (n - 1 - i)));
        left -= pct[i];
        at[i] = i == 0 ? 0 : (int)rnd(1001);
    }
    fx_schedule(p, (size_t)n, pct, at);
    for (int a = 0; a < n_apps; a++) {
        char start[16];
        snprintf(ids[a], sizeof ids[a], "A%02d", (a * 11) % n_apps);
        snprintf(start, sizeof start, "%d-%02d-15", 2024 + (int)rnd((unsigned)years),
                 1 + (int)rnd(12));
        /* few distinct requests and scores: ties on every key */
        int64_t req = rnd(3) ? 100000 * (1 + (int64_t)rnd(40)) : 1 + (int64_t)rnd(4000000);
        size_t i = fx_app(p, ids[a], rnd((unsigned)subs), req, 40 + (int)rnd(12),
                          start, 1 + (int)rnd(30));
        p->score[i] += rnd(3) == 0 ? (int64_t)rnd(100) : 0;
        p->apps[i].organisation = orgs[rnd(3)];
        p->eligible[i] = rnd(12) != 0;
        tiebreak[i] = (double)rnd(3);
    }
    p->res.tiebreak = rnd(2) ? tiebreak : NULL;
    p->cfg.has_tiebreak = p->res.tiebreak != NULL;
    p->cfg.threshold = (40 + (int64_t)rnd(4)) * 100;
    p->cfg.on_overflow = (rules_overflow)rnd(3);
    p->cfg.min_partial = 1 + (int32_t)rnd(1000);
    p->cfg.leftover = rnd(2) ? RULES_LEFTOVER_CARRY : RULES_LEFTOVER_RESERVE;
    p->cfg.max_grant = rnd(4) ? 0 : 1 + (int64_t)rnd(3000000);
    p->cfg.max_per_org = rnd(3) ? 0 : 1 + (int64_t)rnd(8000000);
    for (int k = 0; k < n_apps && k < 3; k++)
        if (rnd(6) == 0)
            fx_override(p, (size_t)k, rnd(2) ? INPUTS_OVERRIDE_FUND : INPUTS_OVERRIDE_REFUSE,
                        rnd(2) ? -1 : 1 + (int64_t)rnd((unsigned)p->apps[k].requested), 0);
    *c = (alloc_commitments){NULL, NULL};
    if (rnd(3) == 0) {
        memset(committed, 0, sizeof committed);
        for (int k = 0; k < subs * years; k++) /* the reserve row: none */
            committed[k] = rnd(2) ? (int64_t)rnd((unsigned)(p->years[k % years].amount / subs / 3 + 1)) : 0;
        c->cell = committed;
    }
}

/* The status and rank of app when only its score is `score`: ranked and
 * allocated again on the same plans and envelopes. */
static decision_status rerun(fx_program *p, const alloc_commitments *c,
                             size_t app, int64_t score, uint32_t *rank)
{
    int64_t kept = p->score[app];
    p->score[app] = score;
    rank_order order;
    alloc_result r;
    diag d;
    diag_init(&d);
    decision_status st = DECISION_N_STATUSES;
    if (rank_build(&p->in, &p->cfg, &p->res, &p->plan, &order, &d) == 0) {
        if (alloc_run_committed(&p->in, &p->cfg, &p->res, &p->plan, &order,
                                &p->env, c, NULL, &r, &d) == 0) {
            st = r.decisions[app].status;
            *rank = r.decisions[app].rank;
            alloc_free(&r);
        }
        rank_free(&order);
    }
    diag_free(&d);
    p->score[app] = kept;
    return st;
}

/* Scores where app's place can change: the others' scores, +-1. */
static size_t probes(const fx_program *p, size_t app, int64_t *out)
{
    size_t n = 0;
    for (size_t b = 0; b < p->in.n_apps; b++)
        if (b != app && p->apps[b].subregion == p->apps[app].subregion)
            for (int64_t d = -1; d <= 1; d++)
                out[n++] = p->score[b] + d;
    out[n++] = p->cfg.threshold;
    return n;
}

static int failures;

#define ROBUST_FAIL(...)                                                  \
    do {                                                                  \
        if (failures++ < 8)                                               \
            TESTLIB_FAIL(__VA_ARGS__);                                    \
    } while (0)

/* Checks one candidate's margin against the brute force; returns 1 when
 * it had one to check. */
static int check_one(fx_program *p, const alloc_commitments *c,
                     const robust_result *rb, size_t a, int round)
{
    decision_status st = fx_status(p, a);
    int64_t m = rb->margin[a], s = p->score[a], pts[3 * FX_MAX + 1];
    uint32_t rank = 0;
    int funded = st == DECISION_FUNDED;
    if (m != ROBUST_NONE) {
        int64_t at = funded ? s - m : s + m, before = funded ? at + 1 : at - 1;
        decision_status x = rerun(p, c, a, at, &rank);
        decision_status y = rerun(p, c, a, before, &(uint32_t){0});
        if ((x == DECISION_FUNDED) == funded || (y == DECISION_FUNDED) != funded ||
            (funded && at < p->cfg.threshold))
            ROBUST_FAIL("round %d, %s (%s, score %lld): margin %lld wrong "
                        "(at it: %s, a hundredth short: %s)", round,
                        p->apps[a].id, alloc_status_name(st), (long long)s,
                        (long long)m, alloc_status_name(x), alloc_status_name(y));
        else if (rank != rb->margin_rank[a])
            ROBUST_FAIL("round %d, %s: rank at the margin %u, brute force %u",
                        round, p->apps[a].id, rb->margin_rank[a], rank);
    }
    /* nothing closer than the margin changes it; none: nothing at all */
    size_t n = probes(p, a, pts);
    for (size_t k = 0; k < n; k++) {
        int64_t v = pts[k];
        int inside = funded ? v < s && v >= p->cfg.threshold &&
                                  (m == ROBUST_NONE || v > s - m)
                            : v > s && (m == ROBUST_NONE || v < s + m);
        if (inside && (rerun(p, c, a, v, &rank) == DECISION_FUNDED) != funded)
            ROBUST_FAIL("round %d, %s (%s, score %lld): margin %lld, but the "
                        "status changes at score %lld", round, p->apps[a].id,
                        alloc_status_name(st), (long long)s, (long long)m,
                        (long long)v);
    }
    return 1;
}

/* The margins on two threads, pieces of `grain` positions, against the
 * one thread's rb; returns 1 when two threads ran. */
static int same_on_two(fx_program *p, const robust_result *rb, size_t grain,
                       int round)
{
    robust_result two;
    diag d;
    diag_init(&d);
    int threads = 0;
    if (rb_margins_grain(&p->in, &p->cfg, &p->res, &p->plan, &p->order,
                         &p->env, &p->alloc, 2, grain, &two, &d) != 0) {
        ROBUST_FAIL("round %d, two threads: %s", round, diag_text(&d));
    } else {
        threads = two.threads;
        for (size_t a = 0; a < p->in.n_apps; a++)
            if (two.margin[a] != rb->margin[a] ||
                two.margin_rank[a] != rb->margin_rank[a])
                ROBUST_FAIL("round %d, %s: two threads say %lld (rank %u), "
                            "one %lld (rank %u)", round, p->apps[a].id,
                            (long long)two.margin[a], two.margin_rank[a],
                            (long long)rb->margin[a], rb->margin_rank[a]);
        robust_free(&two);
    }
    diag_free(&d);
    return threads == 2;
}

static int on_two; /* rounds whose margins two threads shared */

static void check_programs(int rounds, int n_apps, int *checked, int *with_margin)
{
    for (int round = 0; round < rounds; round++) {
        static fx_program p;
        alloc_commitments c;
        diag d;
        diag_init(&d);
        random_program(&p, &c, n_apps);
        robust_result rb;
        if (fx_run_committed(&p, &c, NULL, &d) == 0 &&
            robust_margins(&p.in, &p.cfg, &p.res, &p.plan, &p.order, &p.env,
                           &p.alloc, 1, &rb, &d) == 0) {
            CHECK_INT(rb.threads, 1);
            on_two += same_on_two(&p, &rb, 1 + (size_t)round % 3, round);
            for (size_t a = 0; a < p.in.n_apps; a++) {
                decision_status st = fx_status(&p, a);
                int candidate = st == DECISION_FUNDED || st == DECISION_PARTIAL ||
                                st == DECISION_WAITLISTED;
                if (!candidate) {
                    if (rb.margin[a] != ROBUST_NONE)
                        ROBUST_FAIL("round %d, %s: %s has a margin", round,
                                    p.apps[a].id, alloc_status_name(st));
                    continue;
                }
                *checked += check_one(&p, &c, &rb, a, round);
                *with_margin += rb.margin[a] != ROBUST_NONE;
            }
            robust_free(&rb);
        } else if (p.in.n_overrides == 0) {
            ROBUST_FAIL("round %d: %s", round, diag_text(&d));
        }
        fx_free(&p);
        diag_free(&d);
    }
}

TEST(margins_match_brute_force)
{
    int checked = 0, with_margin = 0;
    failures = 0;
    check_programs(1500, 14, &checked, &with_margin);
    check_programs(300, 40, &checked, &with_margin);
    printf("  %d decisions checked, %d with a margin, %d programs also on "
           "two threads\n", checked, with_margin, on_two);
    CHECK(on_two > 1000);
    CHECK(with_margin > checked / 4);
    CHECK_INT(failures, 0);
}

/* A worked example: 10 000 $ a year, three projects of 4 000 $. */
TEST(margin_worked_example)
{
    static fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2025, 1, 1000000);
    size_t s = fx_sub(&p, "Nord", 1000000, 0);
    size_t a = fx_app(&p, "A", s, 400000, 80, NULL, 12);
    size_t b = fx_app(&p, "B", s, 400000, 75, NULL, 12);
    size_t c = fx_app(&p, "C", s, 400000, 70, NULL, 12);
    p.cfg.threshold = 6000;
    robust_result rb;
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(robust_margins(&p.in, &p.cfg, &p.res, &p.plan, &p.order, &p.env,
                             &p.alloc, 1, &rb, &d), 0);
    /* A falls behind C at 70 (same request, id A < C: A wins the tie at
       70, so 69.99): 10.01 points */
    CHECK_INT(rb.margin[a], 1001);
    CHECK_INT(rb.margin_rank[a], 3);
    CHECK_INT(rb.margin[b], 501);
    /* C needs 75 and wins the tie with B (id B < C: no), so 75.01 */
    CHECK_INT(rb.margin[c], 501);
    CHECK_INT(rb.margin_rank[c], 2);
    robust_free(&rb);
    fx_free(&p);
    /* enough money for all: none, every loss down to the threshold */
    fx_init(&p, 2025, 1, 5000000);
    s = fx_sub(&p, "Nord", 5000000, 0);
    a = fx_app(&p, "A", s, 400000, 80, NULL, 12);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(robust_margins(&p.in, &p.cfg, &p.res, &p.plan, &p.order, &p.env,
                             &p.alloc, 1, &rb, &d), 0);
    CHECK(rb.margin[a] == ROBUST_NONE);
    robust_free(&rb);
    fx_free(&p);
    diag_free(&d);
}

/* on_overflow = stop: B stops the pass. Without A, B still does not
 * fit, so A placed after B is waitlisted with everything after B. */
TEST(margin_across_the_stop)
{
    static fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2025, 1, 1000000);
    size_t s = fx_sub(&p, "Nord", 1000000, 0);
    size_t a = fx_app(&p, "A", s, 200000, 80, NULL, 12);
    fx_app(&p, "D", s, 300000, 78, NULL, 12);
    size_t b = fx_app(&p, "B", s, 900000, 75, NULL, 12);
    size_t c = fx_app(&p, "C", s, 100000, 70, NULL, 12);
    p.cfg.on_overflow = RULES_OVERFLOW_STOP;
    robust_result rb;
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, b), DECISION_WAITLISTED);
    CHECK_INT(fx_status(&p, c), DECISION_WAITLISTED);
    CHECK_INT(robust_margins(&p.in, &p.cfg, &p.res, &p.plan, &p.order, &p.env,
                             &p.alloc, 1, &rb, &d), 0);
    CHECK_INT(rb.margin[a], 501);  /* 74.99: after B */
    CHECK_INT(rb.margin[c], 500);  /* 75: before B (smaller request) */
    robust_free(&rb);
    fx_free(&p);
    diag_free(&d);
}

/* The leave-one-out bookkeeping: a rerun that says which applications
 * change without which evaluator's rows. */
static int fake_rerun(void *ctx, const unsigned char *keep,
                      decision_status *status, diag *d)
{
    const inputs *in = ctx;
    (void)d;
    for (size_t a = 0; a < in->n_apps; a++)
        status[a] = DECISION_FUNDED;
    for (size_t i = 0; i < in->n_evals; i++)
        if (!keep[i] && in->evals[i].points > 0) /* its grade decided it */
            status[in->evals[i].app] = DECISION_WAITLISTED;
    return 0;
}

TEST(one_evaluator_names_whose_absence_changes_it)
{
    evaluation ev[] = {
        {0, "Luc", "q", 500, 2}, {0, "Ana", "q", 0, 3},
        {1, "Luc", "q", 700, 4}, {1, "Ana", "q", 300, 5},
        {2, "Zoé", "q", 0, 6},   {1, "Zoé", "q", 0, 7}};
    inputs in = {0};
    application apps[3] = {{0}};
    in.apps = apps;
    in.n_apps = 3;
    in.evals = ev;
    in.n_evals = 6;
    decision dec[3] = {{0}};
    alloc_result alloc = {.decisions = dec};
    robust_result rb;
    diag d;
    diag_init(&d);
    CHECK_INT(robust_none(3, "rank()", &rb, &d), 0);
    CHECK_INT(robust_evaluators(&in, &alloc, fake_rerun, &in, &rb, &d), 0);
    CHECK_INT(rb.n_evaluators, 3);
    CHECK_STR(rb.evaluator[0], "Ana");
    CHECK_STR(rb.evaluator[2], "Zoé");
    char buf[64];
    robust_by_names(&rb, 0, buf, sizeof buf);
    CHECK_STR(buf, "Luc");
    robust_by_names(&rb, 1, buf, sizeof buf);
    CHECK_STR(buf, "Ana;Luc");
    robust_by_names(&rb, 2, buf, sizeof buf);
    CHECK_STR(buf, "");
    robust_by_names(&rb, 1, buf, 5); /* cut at a name, never inside one */
    CHECK_STR(buf, "Ana");
    CHECK(rb.margin[0] == ROBUST_NONE);
    robust_free(&rb);
    diag_free(&d);
}

int main(void)
{
    RUN(one_evaluator_names_whose_absence_changes_it);
    RUN(margin_across_the_stop);
    RUN(margin_worked_example);
    RUN(margins_match_brute_force);
    return testlib_done("robust");
}
