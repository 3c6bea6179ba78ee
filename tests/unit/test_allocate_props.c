/* Property test: random programs through split -> plan -> rank ->
 * allocate -> schedule, with every money invariant re-checked here,
 * independently of the engine's own verifier. */
#include <stdlib.h>

#include "fixture.h"
#include "testlib.h"

#define ROUNDS 10000

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned rnd(unsigned n) /* xorshift: the same sequence everywhere */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

static char ids[FX_MAX][16];
static const char *orgs[] = {"Coop A", "OBNL B", "Ville C", "MRC D"};

static void random_schedule(fx_program *p)
{
    int n = 1 + (int)rnd(3), left = 100, pct[3], at[3];
    for (int i = 0; i < n; i++) {
        pct[i] = i == n - 1 ? left : 1 + (int)rnd((unsigned)(left - (n - 1 - i)));
        left -= pct[i];
        at[i] = i == 0 ? 0 : (int)rnd(1001);
    }
    fx_schedule(p, (size_t)n, pct, at);
}

static void random_program(fx_program *p)
{
    int years = 1 + (int)rnd(5);
    fx_init(p, 2024, years, 0);
    int64_t total = 0;
    for (int y = 0; y < years; y++)
        total += p->years[y].amount = 1 + (int64_t)rnd(50000000);
    int subs = 1 + (int)rnd(4);
    int64_t left = total;
    for (int s = 0; s < subs; s++) {
        int64_t amount = left > 0 ? (int64_t)rnd((unsigned)(left / 2 + 1)) : 0;
        fx_sub(p, "S", amount, 0);
        left -= amount;
    }
    if (rnd(2))
        fx_sub(p, "Réserve", -1, 1);
    random_schedule(p);
    int apps = (int)rnd(40);
    for (int a = 0; a < apps; a++) {
        char start[16];
        snprintf(ids[a], sizeof ids[a], "A%02d", a);
        snprintf(start, sizeof start, "%d-%02d-15", 2024 + (int)rnd((unsigned)years),
                 1 + (int)rnd(12));
        size_t i = fx_app(p, ids[a], rnd((unsigned)subs), 1 + (int64_t)rnd(20000000),
                          (int)rnd(100), start, 1 + (int)rnd(36));
        p->apps[i].organisation = orgs[rnd(4)];
        p->eligible[i] = rnd(10) != 0;
    }
    p->cfg.threshold = (int64_t)rnd(50) * 100;
    p->cfg.on_overflow = (rules_overflow)rnd(3);
    p->cfg.min_partial = 1 + (int32_t)rnd(1000);
    p->cfg.leftover = rnd(2) ? RULES_LEFTOVER_CARRY : RULES_LEFTOVER_RESERVE;
    p->cfg.max_grant = rnd(4) ? 0 : 1 + (int64_t)rnd(10000000);
    p->cfg.max_per_org = rnd(4) ? 0 : 1 + (int64_t)rnd(30000000);
    for (int k = 0; k < apps && k < 3; k++)
        if (rnd(8) == 0)
            fx_override(p, (size_t)k, rnd(2) ? INPUTS_OVERRIDE_FUND : INPUTS_OVERRIDE_REFUSE,
                        rnd(2) ? -1 : 1 + (int64_t)rnd((unsigned)p->apps[k].requested),
                        (int)rnd(2));
}

/* Does `need` (per year) fit row `row` as it finally stands? */
static int fits_final(const fx_program *p, size_t row, const int64_t *need)
{
    int64_t slack = 0;
    for (size_t y = 0; y < p->env.n_years; y++) {
        size_t k = row * p->env.n_years + y;
        int64_t left = p->env.cell[k] - p->alloc.granted[k];
        if (p->cfg.leftover == RULES_LEFTOVER_CARRY) {
            slack += left - need[y];
            if (slack < 0)
                return 0;
        } else if (need[y] > left) {
            return 0;
        }
    }
    return 1;
}

/* Returns a description of the first broken invariant, or NULL. */
static const char *broken(fx_program *p)
{
    const split_grid *g = &p->env;
    int64_t paid_app[FX_MAX] = {0}, paid_cell[8 * 8] = {0};
    for (size_t i = 0; i < p->sched.n; i++) {
        const disbursement *ds = &p->sched.items[i];
        if (ds->year < 0 || (size_t)ds->year >= g->n_years || ds->amount <= 0)
            return "instalment outside the program";
        paid_app[ds->app] += ds->amount;
        paid_cell[ds->source * g->n_years + (size_t)ds->year] += ds->amount;
    }
    for (size_t a = 0; a < p->in.n_apps; a++) {
        const decision *dec = &p->alloc.decisions[a];
        if (dec->granted < 0 || dec->granted > p->apps[a].requested)
            return "grant outside 0..requested";
        if (paid_app[a] != dec->granted)
            return "instalments do not sum to the grant";
        int money = dec->status == DECISION_FUNDED || dec->status == DECISION_PARTIAL;
        if (dec->status != DECISION_OVERRIDDEN && money != (dec->granted > 0))
            return "status and grant disagree";
        if (dec->status == DECISION_FUNDED && dec->granted != p->apps[a].requested)
            return "funded below the request";
        if (p->cfg.max_grant && dec->status != DECISION_OVERRIDDEN &&
            dec->granted > p->cfg.max_grant)
            return "grant above max_grant";
    }
    int64_t envelope = 0, accounted = 0;
    for (size_t s = 0; s < g->n_sub; s++) {
        int64_t cum_env = 0, cum_paid = 0;
        for (size_t y = 0; y < g->n_years; y++) {
            size_t k = s * g->n_years + y;
            cum_env += g->cell[k];
            cum_paid += paid_cell[k];
            if (paid_cell[k] != p->alloc.granted[k])
                return "cell grants disagree with disbursements";
            if (p->cfg.leftover == RULES_LEFTOVER_CARRY ? cum_paid > cum_env
                                                        : paid_cell[k] > g->cell[k])
                return "envelope exceeded";
            envelope += g->cell[k];
            accounted += paid_cell[k] + alloc_to_reserve(&p->alloc, g, s, y);
        }
    }
    if (accounted != envelope)
        return "granted + unspent != envelope";
    return NULL;
}

/* In skip mode without caps, a waitlisted candidate cannot fit what is
 * finally left: money only ever goes down. */
static const char *greedy_broken(fx_program *p)
{
    if (p->cfg.on_overflow != RULES_OVERFLOW_SKIP || p->cfg.max_grant ||
        p->cfg.max_per_org)
        return NULL;
    for (size_t a = 0; a < p->in.n_apps; a++) {
        if (p->alloc.decisions[a].status != DECISION_WAITLISTED)
            continue;
        int64_t amounts[8], need[8] = {0};
        plan_amounts(&p->plan, a, p->apps[a].requested, amounts);
        for (size_t i = 0; i < plan_count(&p->plan, a); i++)
            need[p->plan.items[p->plan.first[a] + i].year] += amounts[i];
        if (fits_final(p, p->apps[a].subregion, need))
            return "a waitlisted project fits what is left";
    }
    return NULL;
}

TEST(invariants_hold_on_random_programs)
{
    int runs = 0, refused = 0, failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
        fx_program p;
        diag d;
        diag_init(&d);
        random_program(&p);
        int rc = fx_run(&p, &d);
        const char *why = NULL;
        if (rc == DIAG_DATA && p.in.n_overrides > 0)
            refused++; /* an override that does not fit: refused, as it must */
        else if (rc != 0)
            why = diag_text(&d);
        else if (!(why = broken(&p)))
            why = greedy_broken(&p);
        if (why && failures++ < 5)
            TESTLIB_FAIL("round %d: %s", round, why);
        runs += rc == 0;
        fx_free(&p);
        diag_free(&d);
    }
    printf("  %d programs allocated, %d refused overrides\n", runs, refused);
    CHECK(runs > ROUNDS * 8 / 10);
}

TEST(same_program_same_decisions)
{
    for (int round = 0; round < 200; round++) {
        unsigned long long seed = rng_state;
        fx_program p, q;
        diag d;
        diag_init(&d);
        random_program(&p);
        rng_state = seed;
        random_program(&q);
        int rp = fx_run(&p, &d), rq = fx_run(&q, &d);
        CHECK_INT(rp, rq);
        for (size_t a = 0; rp == 0 && a < p.in.n_apps; a++) {
            CHECK_INT(p.alloc.decisions[a].status, q.alloc.decisions[a].status);
            CHECK_INT(p.alloc.decisions[a].granted, q.alloc.decisions[a].granted);
        }
        fx_free(&p);
        fx_free(&q);
        diag_free(&d);
    }
}

int main(void)
{
    RUN(invariants_hold_on_random_programs);
    RUN(same_program_same_decisions);
    return testlib_done("allocate_props");
}
