/* fixture: hand-built programs for the allocation-side unit tests, so
 * they do not depend on CSV loading or Lua. */
#ifndef ALLIANCE_FIXTURE_H
#define ALLIANCE_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "allocate.h"
#include "calendar.h"
#include "inputs.h"
#include "plan.h"
#include "rank.h"
#include "rules.h"
#include "schedule.h"
#include "split.h"

#define FX_MAX 64

typedef struct fx_program {
    inputs in;
    application apps[FX_MAX];
    envelope_year years[8];
    subregion split[8];
    override_row overrides[8];
    rules_config cfg;
    rules_instalment inst[8];
    rules_results res;
    unsigned char eligible[FX_MAX];
    int64_t score[FX_MAX];
    size_t first_failure[FX_MAX + 1];
    /* results of fx_run */
    split_grid env;
    plan_set plan;
    rank_order order;
    alloc_result alloc;
    sched_list sched;
} fx_program;

/* n_years fiscal years from first_year, each with per_year cents; one
 * instalment at the start; greedy skip; threshold 0. */
static inline void fx_init(fx_program *p, int first_year, int n_years,
                           int64_t per_year)
{
    memset(p, 0, sizeof *p);
    for (int y = 0; y < n_years; y++)
        p->years[y] = (envelope_year){first_year + y, per_year, y + 2};
    p->in.years = p->years;
    p->in.n_years = (size_t)n_years;
    p->in.apps = p->apps;
    p->in.split = p->split;
    p->in.overrides = p->overrides;
    p->inst[0] = (rules_instalment){"Versement unique", 1000000, 0};
    p->cfg.program = "test";
    p->cfg.instalments = p->inst;
    p->cfg.n_instalments = 1;
    p->cfg.on_overflow = RULES_OVERFLOW_SKIP;
    p->cfg.min_partial = 1000;
    p->res.eligible = p->eligible;
    p->res.score = p->score;
    p->res.first_failure = p->first_failure;
}

/* A sub-region with a program-wide amount (cents), or -1 for none. */
static inline size_t fx_sub(fx_program *p, const char *name, int64_t amount,
                            int reserve)
{
    size_t s = p->in.n_split++;
    p->split[s] = (subregion){name, reserve, amount >= 0, amount >= 0 ? amount : 0,
                              0, 0, (long)s + 2, NULL, 0, 0, 0};
    return s;
}

/* An eligible application; score in points (hundredths internally). */
static inline size_t fx_app(fx_program *p, const char *id, size_t sub,
                            int64_t requested, int score, const char *start,
                            int months)
{
    size_t a = p->in.n_apps++;
    application *app = &p->apps[a];
    memset(app, 0, sizeof *app);
    app->id = id;
    app->organisation = "Organisme";
    app->subregion_name = p->split[sub].name;
    app->title = "";
    app->org_type = "obnl";
    app->subregion = sub;
    app->requested = requested;
    app->total_cost = requested * 2;
    app->months = months;
    app->line = (long)a + 2;
    if (start) {
        int y, m, d;
        sscanf(start, "%d-%d-%d", &y, &m, &d);
        app->start = cal_from_ymd(y, m, d);
        app->has_start = 1;
    }
    p->eligible[a] = 1;
    p->score[a] = (int64_t)score * 100;
    p->res.n_apps = p->in.n_apps;
    return a;
}

/* A committee override; amount -1 means the request. */
static inline void fx_override(fx_program *p, size_t app,
                               inputs_override_kind kind, int64_t amount,
                               int from_reserve)
{
    size_t i = p->in.n_overrides++;
    p->overrides[i] = (override_row){.app = app, .kind = kind,
                                     .has_amount = amount >= 0,
                                     .amount = amount >= 0 ? amount : 0,
                                     .justification = "Résolution CA-2025-17",
                                     .from_reserve = from_reserve,
                                     .line = (long)i + 2};
}

static inline void fx_schedule(fx_program *p, size_t n, const int *percent,
                               const int *at_permille)
{
    static const char *labels[] = {"Signature", "Mi-parcours", "Rapport final",
                                   "4", "5", "6", "7", "8"};
    for (size_t i = 0; i < n; i++)
        p->inst[i] = (rules_instalment){labels[i], (int64_t)percent[i] * 10000,
                                        at_permille[i]};
    p->cfg.n_instalments = n;
}

/* Runs split -> plan -> rank -> allocate (greedy, or the proposer's
 * grants) on what earlier calls left (committed may be NULL) ->
 * schedule -> verify. */
static inline int fx_run_committed(fx_program *p,
                                   const alloc_commitments *committed,
                                   const alloc_proposer *prop, diag *d)
{
    int rc;
    for (size_t a = 0; a <= p->in.n_apps; a++)
        p->first_failure[a] = 0;
    if ((rc = split_compute(&p->in, NULL, &p->env, d)) != 0 ||
        (rc = plan_build(&p->in, &p->cfg, &p->res, &p->plan, d)) != 0 ||
        (rc = rank_build(&p->in, &p->cfg, &p->res, &p->plan, &p->order, d)) != 0 ||
        (rc = alloc_run_committed(&p->in, &p->cfg, &p->res, &p->plan,
                                  &p->order, &p->env, committed, prop,
                                  &p->alloc, d)) != 0 ||
        (rc = sched_build(&p->in, &p->plan, &p->alloc, &p->sched, d)) != 0)
        return rc;
    return sched_verify(&p->in, &p->cfg, &p->env, &p->alloc, &p->sched, d);
}

static inline int fx_run_with(fx_program *p, const alloc_proposer *prop,
                              diag *d)
{
    return fx_run_committed(p, NULL, prop, d);
}

static inline int fx_run(fx_program *p, diag *d)
{
    return fx_run_with(p, NULL, d);
}

static inline void fx_free(fx_program *p)
{
    sched_free(&p->sched);
    alloc_free(&p->alloc);
    rank_free(&p->order);
    plan_free(&p->plan);
    split_free(&p->env);
}

static inline decision_status fx_status(const fx_program *p, size_t a)
{
    return p->alloc.decisions[a].status;
}

static inline int64_t fx_granted(const fx_program *p, size_t a)
{
    return p->alloc.decisions[a].granted;
}

#endif
