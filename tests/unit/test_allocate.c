/* Allocation, ranking, planning and scheduling on hand-computed cases. */
#include <stdio.h>

#include "fixture.h"
#include "testlib.h"

#define K(dollars) ((int64_t)(dollars) * 100) /* dollars to cents */

/* One year, one sub-region of 100 000 $; requests 60k (90 pts),
 * 50k (80 pts), 30k (70 pts). */
static void three_projects(fx_program *p, rules_overflow mode, int min_partial)
{
    fx_init(p, 2024, 1, K(100000));
    size_t s = fx_sub(p, "Ouest", K(100000), 0);
    fx_app(p, "A", s, K(60000), 90, "2024-06-01", 12);
    fx_app(p, "B", s, K(50000), 80, "2024-06-01", 12);
    fx_app(p, "C", s, K(30000), 70, "2024-06-01", 12);
    p->cfg.on_overflow = mode;
    p->cfg.min_partial = min_partial;
}

TEST(skip_funds_what_fits_further_down)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p, RULES_OVERFLOW_SKIP, 1000);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, 0), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, 1), DECISION_WAITLISTED);
    CHECK_INT(fx_status(&p, 2), DECISION_FUNDED);
    CHECK_INT(fx_granted(&p, 1), 0);
    CHECK_INT(p.alloc.decisions[1].rank, 2);
    CHECK_INT(p.alloc.remaining[0], K(10000));
    fx_free(&p);
    diag_free(&d);
}

TEST(stop_waitlists_everything_after_the_first_overflow)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p, RULES_OVERFLOW_STOP, 1000);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, 0), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, 1), DECISION_WAITLISTED);
    CHECK_INT(fx_status(&p, 2), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.remaining[0], K(40000));
    fx_free(&p);
    diag_free(&d);
}

TEST(partial_grants_the_rest_above_the_minimum_share)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p, RULES_OVERFLOW_PARTIAL, 500);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, 1), DECISION_PARTIAL);
    CHECK_INT(fx_granted(&p, 1), K(40000));
    CHECK_INT(fx_status(&p, 2), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.remaining[0], 0);
    fx_free(&p);

    /* 40k is below 90 % of 50k: B waits, C (30k) fits. */
    three_projects(&p, RULES_OVERFLOW_PARTIAL, 900);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, 1), DECISION_WAITLISTED);
    CHECK_INT(fx_status(&p, 2), DECISION_FUNDED);
    fx_free(&p);
    diag_free(&d);
}

TEST(multi_year_project_needs_every_year_to_fit)
{
    /* Two years of 100k each; 50 % at signature, 50 % at the end. */
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 2, K(100000));
    size_t s = fx_sub(&p, "Est", K(200000), 0);
    fx_schedule(&p, 2, (int[]){50, 50}, (int[]){0, 1000});
    /* A: 2024-05-01 + 12 months -> 40k in 2024-2025, 40k in 2025-2026 */
    size_t a = fx_app(&p, "A", s, K(80000), 90, "2024-05-01", 12);
    /* B: entirely in 2025-2026 (start 2025-05-01, 6 months): 70k > 60k */
    size_t b = fx_app(&p, "B", s, K(70000), 80, "2025-05-01", 6);
    /* C: 2024-2025 then 2025-2026: 2 x 30k; 2025-2026 has 60k left */
    size_t c = fx_app(&p, "C", s, K(60000), 70, "2024-10-01", 12);
    /* D: 2 x 35k; both years have only 30k left */
    size_t e = fx_app(&p, "D", s, K(70000), 60, "2024-06-01", 12);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, a), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, b), DECISION_WAITLISTED);
    CHECK_INT(fx_status(&p, c), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, e), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.remaining[0], K(30000));
    CHECK_INT(p.alloc.remaining[1], K(30000));
    CHECK_INT(p.sched.n, 4);
    CHECK_INT(p.sched.items[1].year, 1);
    char due[CAL_DATE_BUFSZ];
    CHECK_STR(cal_format_date(p.sched.items[1].due, due), "2025-04-30");
    fx_free(&p);
    diag_free(&d);
}

TEST(instalments_carry_every_cent)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 3, K(100000));
    size_t s = fx_sub(&p, "Est", K(300000), 0);
    fx_schedule(&p, 3, (int[]){50, 40, 10}, (int[]){0, 500, 1000});
    size_t a = fx_app(&p, "A", s, 1000001, 90, "2024-04-01", 24); /* 10 000,01 $ */
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(p.sched.n, 3);
    CHECK_INT(p.sched.items[0].amount, 500001);
    CHECK_INT(p.sched.items[1].amount, 400000);
    CHECK_INT(p.sched.items[2].amount, 100000);
    CHECK_INT(p.sched.items[0].year, 0);
    CHECK_INT(p.sched.items[1].year, 1); /* 2025-04-01 */
    CHECK_INT(p.sched.items[2].year, 1); /* ends 2026-03-31 */
    CHECK_INT(fx_granted(&p, a), 1000001);
    fx_free(&p);
    diag_free(&d);
}

TEST(ties_break_on_smaller_request_then_id)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 1, K(100000));
    size_t s = fx_sub(&p, "Ouest", K(100000), 0);
    size_t x = fx_app(&p, "X", s, K(50000), 80, "2024-06-01", 12);
    size_t b = fx_app(&p, "B", s, K(40000), 80, "2024-06-01", 12);
    size_t a = fx_app(&p, "A", s, K(40000), 80, "2024-06-01", 12);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(p.alloc.decisions[a].rank, 1);
    CHECK_INT(p.alloc.decisions[b].rank, 2);
    CHECK_INT(p.alloc.decisions[x].rank, 3);
    CHECK_INT(fx_status(&p, x), DECISION_WAITLISTED);
    fx_free(&p);
    diag_free(&d);
}

TEST(statuses_for_ineligible_below_threshold_and_outside_plan)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 2, K(100000));
    size_t s = fx_sub(&p, "Ouest", K(200000), 0);
    p.cfg.threshold = 6000;
    size_t low = fx_app(&p, "LOW", s, K(1000), 59, "2024-06-01", 12);
    size_t bad = fx_app(&p, "BAD", s, K(1000), 95, "2024-06-01", 12);
    p.eligible[bad] = 0;
    fx_schedule(&p, 2, (int[]){50, 50}, (int[]){0, 1000});
    size_t late = fx_app(&p, "LATE", s, K(1000), 95, "2025-06-01", 12);
    size_t ok = fx_app(&p, "OK", s, K(1000), 60, "2024-06-01", 12);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, low), DECISION_BELOW_THRESHOLD);
    CHECK_INT(fx_status(&p, bad), DECISION_INELIGIBLE);
    CHECK_INT(fx_status(&p, late), DECISION_INELIGIBLE);
    CHECK_INT(fx_status(&p, ok), DECISION_FUNDED);
    CHECK_INT(p.alloc.decisions[ok].rank, 1);
    CHECK_INT(p.alloc.decisions[low].rank, 0);
    char why[256];
    plan_explain(&p.plan, &p.in, &p.cfg, late, why, sizeof why);
    CHECK_CONTAINS(why, "dû le 2026-05-31, hors du programme (2024-04-01 au 2026-03-31)");
    plan_explain(&p.plan, &p.in, &p.cfg, ok, why, sizeof why);
    CHECK_STR(why, "");
    fx_free(&p);
    diag_free(&d);
}

/* Participatory budgeting's greedy rule: fund by descending votes, skip
 * what does not fit, go on. Budget 1000; projects (cost, votes):
 * P1 (600, 50), P2 (500, 40), P3 (300, 30), P4 (200, 20), P5 (100, 10).
 * Greedy: P1 (400 left), skip P2, P3 (100 left), skip P4, P5 (0 left). */
TEST(skip_is_the_greedy_rule_of_participatory_budgeting)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 1, K(1000));
    size_t s = fx_sub(&p, "District", K(1000), 0);
    int cost[] = {600, 500, 300, 200, 100}, votes[] = {50, 40, 30, 20, 10};
    const char *ids[] = {"P1", "P2", "P3", "P4", "P5"};
    for (int i = 0; i < 5; i++)
        fx_app(&p, ids[i], s, K(cost[i]), votes[i], "2024-06-01", 6);
    CHECK_INT(fx_run(&p, &d), 0);
    decision_status want[] = {DECISION_FUNDED, DECISION_WAITLISTED,
                              DECISION_FUNDED, DECISION_WAITLISTED,
                              DECISION_FUNDED};
    for (int i = 0; i < 5; i++)
        CHECK_INT(fx_status(&p, (size_t)i), want[i]);
    CHECK_INT(p.alloc.remaining[0], 0);
    fx_free(&p);
    diag_free(&d);
}

TEST(verify_rejects_a_tampered_allocation)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p, RULES_OVERFLOW_SKIP, 1000);
    CHECK_INT(fx_run(&p, &d), 0);
    p.alloc.decisions[0].granted += 1;
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d), DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "application A: grant 60000.01 outside 0..60000.00");
    p.apps[0].requested += 1;
    diag_clear(&d);
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d), DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "application A: instalments sum to 60000.00, grant is 60000.01");
    p.apps[0].requested -= 1;
    p.alloc.decisions[0].granted -= 1;
    p.sched.items[0].amount += K(50000);
    p.alloc.decisions[0].granted += K(50000);
    p.apps[0].requested += K(50000);
    diag_clear(&d);
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d), DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "Ouest, fiscal year 2024-2025: 140000.00 paid against an envelope of 100000.00");
    fx_free(&p);
    diag_free(&d);
}

/* Two years of 100k; 50 % at the start, 50 % at the end of 12 months.
 * Without carry, A (2024-2025 only, 150k) never fits a 100k year; with
 * carry, B's unspent 2024-2025 money is still there in 2025-2026. */
TEST(carry_moves_unspent_money_to_the_next_year_only)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 2, K(100000));
    size_t s = fx_sub(&p, "Est", K(200000), 0);
    size_t a = fx_app(&p, "A", s, K(40000), 90, "2024-04-01", 6);   /* 40k in 2024 */
    size_t b = fx_app(&p, "B", s, K(150000), 80, "2025-04-01", 6);  /* 150k in 2025 */
    size_t c = fx_app(&p, "C", s, K(70000), 70, "2024-04-01", 6);   /* 70k in 2024 */
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, a), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, b), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.decisions[b].short_year, 1);
    CHECK_INT(fx_status(&p, c), DECISION_WAITLISTED);
    CHECK_INT(alloc_to_reserve(&p.alloc, &p.env, 0, 0), K(60000));
    fx_free(&p);

    p.cfg.leftover = RULES_LEFTOVER_CARRY;
    CHECK_INT(fx_run(&p, &d), 0);
    /* 2024: A takes 40k, 60k carried; 2025: 100k + 60k covers B's 150k */
    CHECK_INT(fx_status(&p, a), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, b), DECISION_FUNDED);
    /* C's 70k in 2024 does not fit its 60k: 2025 money never flows back */
    CHECK_INT(fx_status(&p, c), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.decisions[c].short_year, 0);
    CHECK_INT(p.alloc.carried_in[1], K(60000));
    CHECK_INT(p.alloc.remaining[0], K(60000));
    CHECK_INT(p.alloc.remaining[1], K(10000));
    CHECK_INT(alloc_carried_out(&p.alloc, &p.env, 0, 0), K(60000));
    CHECK_INT(alloc_to_reserve(&p.alloc, &p.env, 0, 0), 0);
    CHECK_INT(alloc_to_reserve(&p.alloc, &p.env, 0, 1), K(10000));
    fx_free(&p);
    diag_free(&d);
}

TEST(overrides_come_first_and_carry_their_justification)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p, RULES_OVERFLOW_SKIP, 1000);
    /* the committee funds C at 25k and refuses A */
    fx_override(&p, 2, INPUTS_OVERRIDE_FUND, K(25000), 0);
    fx_override(&p, 0, INPUTS_OVERRIDE_REFUSE, -1, 0);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, 0), DECISION_OVERRIDDEN);
    CHECK_INT(fx_granted(&p, 0), 0);
    CHECK_INT(fx_status(&p, 2), DECISION_OVERRIDDEN);
    CHECK_INT(fx_granted(&p, 2), K(25000));
    CHECK_STR(p.alloc.decisions[2].override_justification, "Résolution CA-2025-17");
    CHECK_INT(p.alloc.decisions[2].rank, 3); /* keeps its rank */
    CHECK_INT(fx_status(&p, 1), DECISION_FUNDED); /* 50k of the 75k left */
    CHECK_INT(p.alloc.remaining[0], K(25000));
    fx_free(&p);
    diag_free(&d);
}

TEST(an_override_breaking_the_envelope_needs_the_reserve)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 1, K(150000));
    size_t s = fx_sub(&p, "Ouest", K(100000), 0);
    size_t r = fx_sub(&p, "Réserve", -1, 1);
    size_t big = fx_app(&p, "BIG", s, K(120000), 10, "2024-06-01", 6);
    fx_override(&p, big, INPUTS_OVERRIDE_FUND, -1, 0);
    CHECK_INT(fx_run(&p, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "overrides.csv:2: application BIG: forcing 120 000,00 $ exceeds what is left of Ouest in 2024-2025");
    fx_free(&p);
    diag_clear(&d);

    p.overrides[0].from_reserve = 1;
    p.overrides[0].amount = K(50000);
    p.overrides[0].has_amount = 1;
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_granted(&p, big), K(50000));
    CHECK_INT(p.alloc.decisions[big].source, r);
    CHECK_INT(p.sched.items[0].source, r);
    CHECK_INT(p.alloc.granted[r], K(50000));
    CHECK_INT(p.alloc.granted[s], 0);
    fx_free(&p);
    diag_free(&d);
}

TEST(caps_lower_grants_per_application_and_organisation)
{
    fx_program p;
    diag d;
    diag_init(&d);
    fx_init(&p, 2024, 1, K(500000));
    size_t s = fx_sub(&p, "Ouest", K(500000), 0);
    size_t a = fx_app(&p, "A", s, K(80000), 90, "2024-06-01", 6);
    size_t b = fx_app(&p, "B", s, K(30000), 80, "2024-06-01", 6);
    size_t c = fx_app(&p, "C", s, K(30000), 70, "2024-06-01", 6);
    size_t e = fx_app(&p, "E", s, K(30000), 60, "2024-06-01", 6);
    p.apps[a].organisation = p.apps[b].organisation = p.apps[c].organisation = "Coop";
    p.cfg.max_grant = K(50000);
    p.cfg.max_per_org = K(70000);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(fx_status(&p, a), DECISION_PARTIAL); /* 80k capped at 50k */
    CHECK_INT(fx_granted(&p, a), K(50000));
    CHECK_INT(fx_status(&p, b), DECISION_PARTIAL); /* 20k left for Coop */
    CHECK_INT(fx_granted(&p, b), K(20000));
    CHECK_INT(fx_status(&p, c), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.decisions[c].short_year, -1);
    CHECK_INT(fx_status(&p, e), DECISION_FUNDED);
    /* the verifier catches a cap broken behind the allocator's back */
    p.alloc.decisions[e].granted = K(30000);
    p.cfg.max_grant = K(25000);
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d), DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "above max_grant");
    fx_free(&p);
    diag_free(&d);
}

/* A stand-in for the rule's allocate function: proposes fixed grants. */
typedef struct fixed_grants {
    const int64_t *grants;
    int calls;
} fixed_grants;

static int propose_fixed(void *ctx, size_t sub, const size_t *apps, size_t n,
                         const int64_t *remaining, int64_t *grants, diag *d)
{
    fixed_grants *f = ctx;
    (void)sub;
    (void)d;
    f->calls++;
    CHECK_INT(remaining[0], K(100000));
    for (size_t i = 0; i < n; i++)
        grants[i] = f->grants[apps[i]];
    return 0;
}

TEST(proposed_grants_are_checked_never_clamped)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p, RULES_OVERFLOW_SKIP, 1000);
    /* A 60k fully, B 30k of 50k, C nothing */
    fixed_grants f = {(const int64_t[]){K(60000), K(30000), 0}, 0};
    alloc_proposer prop = {propose_fixed, &f, "rules/x.lua"};
    CHECK_INT(fx_run_with(&p, &prop, &d), 0);
    CHECK_INT(f.calls, 1);
    CHECK_INT(fx_status(&p, 0), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, 1), DECISION_PARTIAL);
    CHECK_INT(fx_granted(&p, 1), K(30000));
    CHECK_INT(fx_status(&p, 2), DECISION_WAITLISTED);
    fx_free(&p);

    f.grants = (const int64_t[]){K(60000), K(50000), 0}; /* 110k > 100k */
    CHECK_INT(fx_run_with(&p, &prop, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "rules/x.lua: allocate() for Ouest: application B: "
                                  "grant of 50 000,00 $ does not fit what is left in 2024-2025");
    fx_free(&p);
    diag_clear(&d);

    f.grants = (const int64_t[]){K(60001), 0, 0};
    CHECK_INT(fx_run_with(&p, &prop, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "application A: grant of 60 001,00 $ is above the request of 60 000,00 $");
    fx_free(&p);
    diag_free(&d);
}

int main(void)
{
    RUN(skip_funds_what_fits_further_down);
    RUN(stop_waitlists_everything_after_the_first_overflow);
    RUN(partial_grants_the_rest_above_the_minimum_share);
    RUN(multi_year_project_needs_every_year_to_fit);
    RUN(instalments_carry_every_cent);
    RUN(ties_break_on_smaller_request_then_id);
    RUN(statuses_for_ineligible_below_threshold_and_outside_plan);
    RUN(skip_is_the_greedy_rule_of_participatory_budgeting);
    RUN(verify_rejects_a_tampered_allocation);
    RUN(carry_moves_unspent_money_to_the_next_year_only);
    RUN(overrides_come_first_and_carry_their_justification);
    RUN(an_override_breaking_the_envelope_needs_the_reserve);
    RUN(caps_lower_grants_per_application_and_organisation);
    RUN(proposed_grants_are_checked_never_clamped);
    return testlib_done("allocate");
}
