/* rank: the order of candidates inside each sub-region, by score or by the
 * rule's rank() key, then tiebreak(), the smaller request and the id. */
#include <math.h>
#include <stdio.h>

#include "fixture.h"
#include "testlib.h"

#define K(dollars) ((int64_t)(dollars) * 100) /* dollars to cents */

/* Builds the ranking of p (plan, then rank) without allocating. */
static int rank_only(fx_program *p, diag *d)
{
    for (size_t a = 0; a <= p->in.n_apps; a++)
        p->first_failure[a] = 0;
    int rc = plan_build(&p->in, &p->cfg, &p->res, &p->plan, d);
    if (rc == 0)
        rc = rank_build(&p->in, &p->cfg, &p->res, &p->plan, &p->order, d);
    return rc;
}

/* The candidates' ids in rank order, "B C A". */
static const char *order_of(const fx_program *p, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->order.n && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "",
                              p->in.apps[p->order.apps[i]].id);
    return buf;
}

/* Two sub-regions; A..E with scores and requests chosen to tie. */
static void five(fx_program *p)
{
    fx_init(p, 2024, 2, K(1000000));
    size_t o = fx_sub(p, "Ouest", K(500000), 0);
    size_t e = fx_sub(p, "Est", K(500000), 0);
    fx_app(p, "D", o, K(30000), 70, "2024-06-01", 12);
    fx_app(p, "B", o, K(30000), 70, "2024-06-01", 12);
    fx_app(p, "A", o, K(50000), 70, "2024-06-01", 12);
    fx_app(p, "C", o, K(10000), 90, "2024-06-01", 12);
    fx_app(p, "E", e, K(20000), 10, "2024-06-01", 12);
}

TEST(default_order_score_request_id)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char buf[64];
    five(&p);
    p.cfg.threshold = 2000; /* E (10 points) is below it */
    CHECK_INT(rank_only(&p, &d), 0);
    CHECK_STR(order_of(&p, buf, sizeof buf), "C B D A");
    CHECK_INT(p.order.sub_first[1], 4);
    CHECK_INT(p.order.sub_first[2], 4);
    CHECK_INT(p.order.rank[3], 1);
    CHECK_INT(p.order.rank[2], 4);
    CHECK_INT(p.order.rank[4], 0);
    fx_free(&p);
    diag_free(&d);
}

TEST(rank_key_replaces_the_score)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char buf[64];
    five(&p);
    double rank[] = { 3, 1, 5, -INFINITY, 0 };
    p.res.rank = rank;
    CHECK_INT(rank_only(&p, &d), 0);
    /* the score still decides who is a candidate, not the order */
    CHECK_STR(order_of(&p, buf, sizeof buf), "A D B C E");
    CHECK_INT(p.order.rank[4], 1); /* E, alone in Est */
    fx_free(&p);
    diag_free(&d);
}

TEST(tiebreak_comes_before_the_request)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char buf[64];
    five(&p);
    /* A, B and D tie on 70 points; a higher tiebreak goes first */
    double tiebreak[] = { 1, 1, 2, 0, 0 };
    p.res.tiebreak = tiebreak;
    CHECK_INT(rank_only(&p, &d), 0);
    CHECK_STR(order_of(&p, buf, sizeof buf), "C A B D E");
    fx_free(&p);
    /* with a rank key too, tiebreak splits equal keys only */
    five(&p);
    double rank[] = { 7, 7, 7, 7, 7 };
    double tb[] = { 0, 0, 0, 5, 0 };
    p.res.rank = rank;
    p.res.tiebreak = tb;
    CHECK_INT(rank_only(&p, &d), 0);
    CHECK_STR(order_of(&p, buf, sizeof buf), "C B D A E");
    fx_free(&p);
    diag_free(&d);
}

TEST(ineligible_and_outside_the_program_are_not_ranked)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char buf[64];
    five(&p);
    p.eligible[3] = 0;          /* C */
    p.apps[0].start = cal_from_ymd(2026, 6, 1); /* D: after the program */
    CHECK_INT(rank_only(&p, &d), 0);
    CHECK_STR(order_of(&p, buf, sizeof buf), "B A E");
    CHECK_INT(p.order.rank[3], 0);
    CHECK_INT(p.order.rank[0], 0);
    fx_free(&p);
    diag_free(&d);
}

int main(void)
{
    RUN(default_order_score_request_id);
    RUN(rank_key_replaces_the_score);
    RUN(tiebreak_comes_before_the_request);
    RUN(ineligible_and_outside_the_program_are_not_ranked);
    return testlib_done("rank");
}
