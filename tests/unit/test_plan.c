/* plan: instalments laid onto each project's dates, from the schedule
 * table or from a schedule function's results (rules_results.dues). */
#include <stdio.h>

#include "fixture.h"
#include "testlib.h"

#define K(dollars) ((int64_t)(dollars) * 100) /* dollars to cents */

static const char *date_of(cal_date d, char *buf)
{
    return cal_format_date(d, buf);
}

/* Three fiscal years 2024-2025..2026-2027; A: 24 months from 2024-06-01,
 * B: no start (planned from the program's first day), 12 months. */
static void two_apps(fx_program *p)
{
    fx_init(p, 2024, 3, K(100000));
    size_t s = fx_sub(p, "Ouest", K(300000), 0);
    fx_app(p, "A", s, K(10000), 80, "2024-06-01", 24);
    fx_app(p, "B", s, K(10000), 80, NULL, 12);
}

TEST(table_schedule)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char buf[CAL_DATE_BUFSZ];
    two_apps(&p);
    static const int pct[] = { 50, 40, 10 }, at[] = { 0, 500, 1000 };
    fx_schedule(&p, 3, pct, at);
    CHECK_INT(plan_build(&p.in, &p.cfg, NULL, &p.plan, &d), 0);
    CHECK_INT(plan_count(&p.plan, 0), 3);
    CHECK_STR(date_of(p.plan.items[0].due, buf), "2024-06-01");
    CHECK_STR(date_of(p.plan.items[1].due, buf), "2025-06-01");
    /* the last day of the project, not a day after */
    CHECK_STR(date_of(p.plan.items[2].due, buf), "2026-05-31");
    CHECK_INT(p.plan.items[2].year, 2);
    CHECK_STR(date_of(p.plan.items[3].due, buf), "2024-04-01");
    CHECK_STR(plan_label(&p.plan, p.plan.items[4].label), "Mi-parcours");
    CHECK_INT(p.plan.n_labels, 3);
    CHECK_STR(plan_label(&p.plan, 99), "");
    int64_t out[3];
    CHECK_INT(plan_amounts(&p.plan, 0, K(1001), out), 0);
    CHECK_INT(out[0] + out[1] + out[2], K(1001));
    CHECK_INT(out[0], 50050);
    plan_free(&p.plan);
    diag_free(&d);
}

TEST(schedule_function_results)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char buf[CAL_DATE_BUFSZ], why[200];
    two_apps(&p);
    /* A: two instalments, one on a date; B: one, on a date after the
     * program (2027-04-01 is in 2027-2028) */
    rules_due dues[] = {
        { 700000, 250, 0, 1 },
        { 300000, RULES_AT_DATE, cal_from_ymd(2025, 12, 15), 0 },
        { 1000000, RULES_AT_DATE, cal_from_ymd(2027, 4, 1), 2 },
    };
    size_t first_due[] = { 0, 2, 3 };
    const char *labels[] = { "Solde", "Avance", "Tardif" };
    p.res.dues = dues;
    p.res.n_dues = 3;
    p.res.first_due = first_due;
    p.res.labels = labels;
    p.res.n_labels = 3;
    p.cfg.has_schedule_fn = 1;
    p.cfg.n_instalments = 0;
    CHECK_INT(plan_build(&p.in, &p.cfg, &p.res, &p.plan, &d), 0);
    CHECK_INT(plan_count(&p.plan, 0), 2);
    CHECK_INT(plan_count(&p.plan, 1), 1);
    CHECK_STR(date_of(p.plan.items[0].due, buf), "2024-12-01");
    CHECK_STR(plan_label(&p.plan, p.plan.items[0].label), "Avance");
    CHECK_STR(date_of(p.plan.items[1].due, buf), "2025-12-15");
    CHECK_INT(p.plan.items[1].year, 1);
    CHECK_INT(p.plan.weight[0], 700000);
    CHECK_INT(p.plan.inside[0], 1);
    CHECK_INT(p.plan.inside[1], 0);
    CHECK_INT(p.plan.items[2].year, -1);
    plan_explain(&p.plan, &p.in, &p.cfg, 1, why, sizeof why);
    CHECK_STR(why, "versement 1 (Tardif) dû le 2027-04-01, hors du programme "
                   "(2024-04-01 au 2027-03-31)");
    plan_free(&p.plan);
    /* a schedule function without its results is a bug, not a crash */
    CHECK_INT(plan_build(&p.in, &p.cfg, NULL, &p.plan, &d), DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "schedule function's results are missing");
    plan_free(&p.plan);
    diag_free(&d);
}

int main(void)
{
    RUN(table_schedule);
    RUN(schedule_function_results);
    return testlib_done("plan");
}
