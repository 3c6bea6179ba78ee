/* equal_shares: the rule on small elections computed by hand. */
#include <string.h>

#include "equal_shares.h"
#include "testlib.h"

/* An election from a table: sup_of[p] lists (voter, utility) pairs
 * ending with voter -1. */
typedef struct hand {
    es_election e;
    int64_t budget[16], cost[16];
    size_t first[17];
    es_support sup[64];
} hand;

static void hand_make(hand *h, size_t n_voters, const int64_t *budget,
                      size_t n_projects, const int64_t *cost,
                      const int (*sup_of)[2 * 9 + 1])
{
    size_t n = 0;
    memcpy(h->budget, budget, n_voters * sizeof *budget);
    memcpy(h->cost, cost, n_projects * sizeof *cost);
    for (size_t p = 0; p < n_projects; p++) {
        h->first[p] = n;
        for (const int *v = sup_of[p]; *v >= 0; v += 2)
            h->sup[n++] = (es_support){(uint32_t)v[0], v[1]};
    }
    h->first[n_projects] = n;
    h->e = (es_election){n_voters, h->budget, n_projects, h->cost, h->first,
                         h->sup};
}

/* Peters, Pierczyński, Skowron / Lackner and Skowron's book, example with
 * 8 voters approving 3 x {c,d}, 2 x {a,b}, 2 x {a,c}, 1 x {b,d}, each
 * project costing 800, the budget 2400 (300 a voter). c goes first, its
 * 5 supporters paying 160 each (rho 1/5 of the cost); then a: its two
 * {a,c} supporters have 140 left and pay it all, the {a,b} ones 260 each
 * (rho 13/40 of the cost), below b's 800/3; d's supporters then have 720,
 * b's 380: neither is affordable. */
TEST(book_example_buys_c_then_a)
{
    hand h;
    static const int sup[4][19] = {
        {3, 1, 4, 1, 5, 1, 6, 1, -1},         /* a */
        {3, 1, 4, 1, 7, 1, -1},               /* b */
        {0, 1, 1, 1, 2, 1, 5, 1, 6, 1, -1},   /* c */
        {0, 1, 1, 1, 2, 1, 7, 1, -1},         /* d */
    };
    int64_t budget[8] = {300, 300, 300, 300, 300, 300, 300, 300};
    hand_make(&h, 8, budget, 4, (int64_t[]){800, 800, 800, 800}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    CHECK_INT(o.n_bought, 2);
    CHECK_INT(o.bought[0], 2);
    CHECK_INT(o.bought[1], 0);
    CHECK_INT(es_frac_cmp(o.rho_num[2], o.rho_den[2], 160, 1), 0);
    CHECK_INT(es_frac_cmp(o.rho_num[0], o.rho_den[0], 260, 1), 0);
    CHECK_INT(o.state[1], ES_UNAFFORDABLE);
    CHECK_INT(o.state[3], ES_UNAFFORDABLE);
    const int64_t left[8] = {140, 140, 140, 40, 40, 0, 0, 300};
    for (int v = 0; v < 8; v++)
        CHECK_INT(o.left[v], left[v]);
    CHECK_INT(o.spent, 1600);
    CHECK_INT(es_supporters_left(&h.e, &o, 3), 720);
    CHECK_INT(es_supporters_left(&h.e, &o, 1), 380);
    es_outcome_free(&o);
}

/* 100 cents between three: 33 each and the cent left to the lowest
 * voter, all remainders being equal. */
TEST(missing_cents_go_to_the_largest_remainders)
{
    hand h;
    static const int sup[1][19] = {{0, 1, 1, 1, 2, 1, -1}};
    hand_make(&h, 3, (int64_t[]){100, 100, 100}, 1, (int64_t[]){100}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    CHECK_INT(o.paid[0], 34);
    CHECK_INT(o.paid[1], 33);
    CHECK_INT(o.paid[2], 33);
    es_outcome_free(&o);
    /* utilities 1, 2, 4 for a cost of 100: rho 100/7, owed 14.29, 28.57,
     * 57.14: floors 14, 28, 57 (99), the cent to the largest remainder
     * (4/7, voter 1) */
    static const int sup2[1][19] = {{0, 1, 1, 2, 2, 4, -1}};
    hand_make(&h, 3, (int64_t[]){100, 100, 100}, 1, (int64_t[]){100}, sup2);
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    CHECK_INT(o.paid[0], 14);
    CHECK_INT(o.paid[1], 29);
    CHECK_INT(o.paid[2], 57);
    es_outcome_free(&o);
}

/* A supporter short of its equal share pays all it has, the others the
 * rest in proportion to their utility. */
TEST(a_poor_supporter_pays_what_it_has)
{
    hand h;
    static const int sup[1][19] = {{0, 1, 1, 1, 2, 2, -1}};
    hand_make(&h, 3, (int64_t[]){10, 100, 100}, 1, (int64_t[]){130}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    /* rho: 10 + r + 2r = 130, r = 40 > 10 = voter 0's budget */
    CHECK_INT(es_frac_cmp(o.rho_num[0], o.rho_den[0], 40, 1), 0);
    CHECK_INT(o.paid[0], 10);
    CHECK_INT(o.paid[1], 40);
    CHECK_INT(o.paid[2], 80);
    CHECK_INT(o.left[2], 20);
    es_outcome_free(&o);
}

/* Cost utilities (utility = points x cost): the price per dollar decides.
 * X (60, both) at rho 60/120 goes before Y (40, voter 0 alone, rho 1);
 * voter 0 then has 20 left: Y is not affordable. */
TEST(cost_utilities_compare_the_price_per_dollar)
{
    hand h;
    static const int sup[2][19] = {{0, 40, -1}, {0, 60, 1, 60, -1}};
    hand_make(&h, 2, (int64_t[]){50, 50}, 2, (int64_t[]){40, 60}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    CHECK_INT(o.n_bought, 1);
    CHECK_INT(o.bought[0], 1);
    CHECK_INT(o.state[0], ES_UNAFFORDABLE);
    CHECK_INT(o.left[0], 20);
    es_outcome_free(&o);
}

/* Equal rho: the lower index (the rule file's ranking order) wins. */
TEST(ties_go_to_the_ranking_order)
{
    hand h;
    static const int sup[3][19] = {{0, 1, -1}, {1, 1, -1}, {0, 1, 1, 1, -1}};
    hand_make(&h, 2, (int64_t[]){50, 50}, 3, (int64_t[]){50, 50, 100}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    /* all three at rho 50 */
    CHECK_INT(o.n_bought, 2);
    CHECK_INT(o.bought[0], 0);
    CHECK_INT(o.bought[1], 1);
    CHECK_INT(o.state[2], ES_UNAFFORDABLE);
    es_outcome_free(&o);
}

static int refuse_first(void *ctx, size_t p)
{
    (void)p;
    return (*(int *)ctx)++ == 0 ? 0 : 1;
}

static int stop_now(void *ctx, size_t p)
{
    (void)ctx;
    (void)p;
    return -7;
}

/* A project accept() refuses is dropped without payment; the rule goes
 * on with the next; a negative answer stops it. */
TEST(accept_refuses_or_stops)
{
    hand h;
    static const int sup[2][19] = {{0, 1, 1, 1, -1}, {0, 1, 1, 1, -1}};
    hand_make(&h, 2, (int64_t[]){50, 50}, 2, (int64_t[]){60, 80}, sup);
    es_outcome o;
    int calls = 0;
    CHECK_INT(es_run(&h.e, refuse_first, &calls, &o), 0);
    CHECK_INT(o.state[0], ES_REFUSED);
    CHECK_INT(o.round[0], 1);
    CHECK_INT(o.state[1], ES_BOUGHT);
    CHECK_INT(o.round[1], 2);
    CHECK_INT(o.left[0] + o.left[1], 20);
    es_outcome_free(&o);
    CHECK_INT(es_run(&h.e, stop_now, NULL, &o), -7);
    CHECK_INT(o.n_bought, 0);
    es_outcome_free(&o);
}

TEST(nobody_and_nothing)
{
    hand h;
    static const int sup[1][19] = {{-1}};
    hand_make(&h, 0, (int64_t[]){0}, 1, (int64_t[]){10}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    CHECK_INT(o.n_bought, 0);
    CHECK_INT(o.state[0], ES_UNAFFORDABLE);
    es_outcome_free(&o);
}

/* Near the 2^62 bounds the fractions are still compared exactly; past
 * them the election is refused, not miscomputed. */
TEST(large_numbers_are_exact_or_refused)
{
    int64_t big = INT64_C(1) << 62;
    CHECK_INT(es_frac_cmp(big - 1, big, big - 2, big - 1), 1);
    CHECK_INT(es_frac_cmp(big, big - 1, big, big - 1), 0);
    hand h;
    static const int sup[1][19] = {{0, 1, 1, 1, -1}};
    hand_make(&h, 2, (int64_t[]){big / 2, big / 2}, 1, (int64_t[]){big - 1}, sup);
    es_outcome o;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), 0);
    CHECK_INT(o.n_bought, 1);
    CHECK_INT(o.paid[0] + o.paid[1], big - 1);
    es_outcome_free(&o);
    h.sup[0].utility = big;
    CHECK_INT(es_run(&h.e, NULL, NULL, &o), ES_EOVERFLOW);
    es_outcome_free(&o);
}

int main(void)
{
    RUN(book_example_buys_c_then_a);
    RUN(missing_cents_go_to_the_largest_remainders);
    RUN(a_poor_supporter_pays_what_it_has);
    RUN(cost_utilities_compare_the_price_per_dollar);
    RUN(ties_go_to_the_ranking_order);
    RUN(accept_refuses_or_stops);
    RUN(nobody_and_nothing);
    RUN(large_numbers_are_exact_or_refused);
    return testlib_done("equal_shares");
}
