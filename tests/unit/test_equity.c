/* Territorial equity: exact quotients, the figures of a level, the spread,
 * the rows furthest from proportional (equity.h). Hand-computed cases; the
 * examples and generated programs are recomputed with fractions by
 * tests/e2e/check_equity.py. */
#include <string.h>

#include "equity.h"
#include "testlib.h"

TEST(quotients_round_half_up_and_refuse_zero_divisors)
{
    CHECK_INT(equity_quotient(1, 1, 1, 2, 1), 1);     /* 0.5 -> 1 */
    CHECK_INT(equity_quotient(1, 1, 1, 3, 1), 0);     /* 0.33 -> 0 */
    CHECK_INT(equity_quotient(2, 1, 1, 3, 1), 1);     /* 0.67 -> 1 */
    CHECK_INT(equity_quotient(5, 1, 100, 4, 1), 125);
    CHECK_INT(equity_quotient(7, 3, 100, 0, 5), EQUITY_NONE);
    /* products beyond 64 bits: 10 G$ in cents times 1e9 persons */
    CHECK_INT(equity_quotient(INT64_C(1000000000000), 1000000000, 100,
                              INT64_C(1000000000000), 1000000000), 100);
}

TEST(formats_two_and_four_places)
{
    char buf[32];
    CHECK_STR(equity_format(1234, 4, buf), "0.1234");
    CHECK_STR(equity_format(10000, 4, buf), "1.0000");
    CHECK_STR(equity_format(105, 2, buf), "1.05");
    CHECK_STR(equity_format(7, 2, buf), "0.07");
    CHECK_STR(equity_format(EQUITY_NONE, 2, buf), "");
}

/* Sub-regions A, B (and C when n_sub is 3), a reserve; one application
 * per sub-region granted money[i] cents. */
typedef struct program {
    inputs in;
    subregion split[4];
    application apps[3];
    decision dec[3];
    split_grid g;
    alloc_result a;
    equity_map m;
} program;

static void program_init(program *p, size_t n_sub, const int64_t *pop,
                         const int64_t *low, const int64_t *money)
{
    static const char *const names[] = {"A", "B", "C", "Réserve"};
    memset(p, 0, sizeof *p);
    for (size_t s = 0; s < n_sub; s++) {
        p->split[s] = (subregion){.name = names[s], .has_people = 1,
                                  .population = pop[s], .low_income = low[s]};
        p->apps[s] = (application){.id = names[s], .subregion = s};
        p->dec[s] = (decision){.status = DECISION_FUNDED, .granted = money[s]};
    }
    p->split[n_sub] = (subregion){.name = names[3], .is_reserve = 1};
    p->in.split = p->split;
    p->in.n_split = n_sub + 1;
    p->in.apps = p->apps;
    p->in.n_apps = n_sub;
    p->in.split_population_column = 3;
    p->in.split_low_income_column = 4;
    p->g.n_years = 1;
    p->a.decisions = p->dec;
}

TEST(two_subregions_figures_spread_and_gini)
{
    program p;
    diag d;
    diag_init(&d);
    /* A: 30 $ for 10 low-income people of 100; B: 10 $ for 30 of 300 */
    program_init(&p, 2, (int64_t[]){100, 300}, (int64_t[]){10, 30},
                 (int64_t[]){3000, 1000});
    equity_result e;
    CHECK_INT(equity_compute(&p.in, &p.m, &p.g, &p.a, &e, &d), DIAG_OK);
    CHECK_INT(e.n_levels, 1);
    const equity_level *l = &e.level[0];
    CHECK_INT(l->n, 2); /* the reserve is no territory */
    CHECK_INT(l->rows[0].per_inhabitant, 30);   /* 0.30 $ */
    CHECK_INT(l->rows[0].per_low_income, 300);  /* 3.00 $ */
    CHECK_INT(l->rows[1].per_low_income, 33);   /* 0.333 $ */
    CHECK_INT(l->rows[0].money_share, 7500);
    CHECK_INT(l->rows[0].low_income_share, 2500);
    CHECK_INT(l->rows[0].ratio, 300);
    CHECK_INT(l->rows[1].ratio, 33);
    CHECK_INT(l->total.ratio, 100);
    CHECK_INT(l->max_min, 900);  /* 3.00 / 0.333... = 9 */
    CHECK_INT(l->gini, 50);      /* |3000*30 - 1000*10| * 2 / (2*40*4000) */
    size_t rows[2];
    CHECK_INT(equity_furthest(l, rows, 2, 1), 1);
    CHECK_INT(rows[0], 1);
    CHECK_INT(equity_furthest(l, rows, 2, 0), 1);
    CHECK_INT(rows[0], 0);
    equity_free(&e);
    diag_free(&d);
}

TEST(zero_divisors_give_no_figure)
{
    program p;
    diag d;
    diag_init(&d);
    /* C has no inhabitant; nobody got money */
    program_init(&p, 3, (int64_t[]){100, 50, 0}, (int64_t[]){10, 0, 0},
                 (int64_t[]){0, 0, 0});
    equity_result e;
    CHECK_INT(equity_compute(&p.in, &p.m, &p.g, &p.a, &e, &d), DIAG_OK);
    const equity_level *l = &e.level[0];
    CHECK_INT(l->rows[0].per_inhabitant, 0);
    CHECK_INT(l->rows[2].per_inhabitant, EQUITY_NONE);
    CHECK_INT(l->rows[1].per_low_income, EQUITY_NONE);
    CHECK_INT(l->rows[0].money_share, EQUITY_NONE);
    CHECK_INT(l->rows[0].ratio, EQUITY_NONE);
    CHECK_INT(l->rows[1].low_income_share, 0);
    CHECK_INT(l->max_min, EQUITY_NONE); /* one row with low-income people */
    CHECK_INT(l->gini, EQUITY_NONE);
    size_t rows[2];
    CHECK_INT(equity_furthest(l, rows, 2, 1), 0);
    equity_free(&e);
    diag_free(&d);
}

TEST(one_row_with_low_income_people_has_no_max_min)
{
    program p;
    diag d;
    diag_init(&d);
    program_init(&p, 2, (int64_t[]){100, 50}, (int64_t[]){10, 0},
                 (int64_t[]){500, 700});
    equity_result e;
    CHECK_INT(equity_compute(&p.in, &p.m, &p.g, &p.a, &e, &d), DIAG_OK);
    const equity_level *l = &e.level[0];
    CHECK_INT(l->max_min, EQUITY_NONE);
    /* B's money reaches nobody with a low income: |700*10 - 0| twice over
     * 2 * 10 * 1200 */
    CHECK_INT(l->gini, 58);
    CHECK_INT(l->rows[0].ratio, 42); /* 500/1200 of the money, all of L */
    equity_free(&e);
    diag_free(&d);
}

TEST(without_figures_nothing_is_computed)
{
    program p;
    diag d;
    diag_init(&d);
    program_init(&p, 2, (int64_t[]){1, 1}, (int64_t[]){0, 0},
                 (int64_t[]){1, 1});
    p.in.split_low_income_column = 0;
    equity_result e;
    CHECK_INT(equity_compute(&p.in, &p.m, &p.g, &p.a, &e, &d), DIAG_OK);
    CHECK_INT(e.n_levels, 0);
    CHECK(strstr(e.why_none, "no low_income") != NULL);
    equity_free(&e);
    diag_free(&d);
}

int main(void)
{
    RUN(quotients_round_half_up_and_refuse_zero_divisors);
    RUN(formats_two_and_four_places);
    RUN(two_subregions_figures_spread_and_gini);
    RUN(zero_divisors_give_no_figure);
    RUN(one_row_with_low_income_people_has_no_max_min);
    RUN(without_figures_nothing_is_computed);
    return testlib_done("equity");
}
