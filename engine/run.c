/* run: see include/run.h. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "money.h"
#include "par.h"
#include "run_internal.h"
#include "runlog.h"

static void run_state_free(run_state *st)
{
    run_store_settle(st);
    output_unlock(st->lock);
    store_close(st->db);
    equity_free(&st->equity);
    equity_map_free(&st->territories);
    robust_free(&st->robust);
    commit_free(&st->calls);
    sched_free(&st->sched);
    alloc_free(&st->alloc);
    rank_free(&st->order);
    plan_free(&st->plan);
    split_free(&st->env);
    free(st->weights);
    rules_results_free(&st->res);
    rules_close(st->rules);
    inputs_free(&st->in);
}

static int run_split(run_state *st, diag *d)
{
    const rules_config *cfg = rules_config_get(st->rules);
    if (cfg->has_split) {
        st->weights = calloc(st->in.n_split + 1, sizeof *st->weights);
        if (!st->weights)
            return diag_add(d, DIAG_OSERR, "out of memory");
        int rc = rules_split(st->rules, &st->in, st->weights, d);
        if (rc != 0)
            return rc;
    }
    return split_compute(&st->in, st->weights, &st->env, d);
}

/* What the rule's allocate function is shown: the run's own results, or
 * a one-evaluator rerun's. */
typedef struct run_view {
    run_state *st;
    const inputs *in;
    const rules_results *res;
    const plan_set *plan;
    const rank_order *order;
} run_view;

/* The rule's allocate function behind the allocation core's proposer
 * interface: run is where rules and plans meet, so neither module reaches
 * into the other. Each candidate is described by the share of its grant
 * falling in each fiscal year. */
static int run_propose(void *ctx, size_t sub, const size_t *apps, size_t n,
                       const int64_t *remaining, int64_t *grants, diag *d)
{
    const run_view *v = ctx;
    run_state *st = v->st;
    size_t n_years = st->in.n_years;
    rules_candidate *cand = malloc(n * sizeof *cand);
    int64_t *shares = calloc(n * n_years, sizeof *shares);
    int rc = cand && shares ? 0 : diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const plan_set *p = v->plan;
        for (size_t k = p->first[apps[i]]; k < p->first[apps[i] + 1]; k++)
            shares[i * n_years + (size_t)p->items[k].year] += p->weight[k];
        cand[i] = (rules_candidate){apps[i], v->order->rank[apps[i]],
                                    &shares[i * n_years]};
    }
    if (rc == 0)
        rc = rules_allocate(st->rules, v->in, v->res, sub, cand, n,
                            remaining, grants, d);
    free(cand);
    free(shares);
    return rc;
}

/* A call for projects of a program: --program, then what earlier calls
 * committed and, asked to, the previous call's waitlist (appended to the
 * inputs, so the rules evaluate it with the new applications). */
static int run_calls_load(run_state *st, const run_options *opt, diag *d)
{
    if (opt->program && rules_set_program(st->rules, opt->program, d) != 0)
        return DIAG_OSERR;
    const rules_config *cfg = rules_config_get(st->rules);
    commit_options co = {opt->db_path, cfg->program, opt->resubmit,
                         cfg->allow_resubmit, opt->carry_waitlist, opt->basis,
                         opt->carry_from};
    int rc = commit_load(&st->calls, &co, &st->in, d);
    st->store_failed = st->calls.store_failed;
    return rc;
}

static int run_allocate(run_state *st, const run_options *opt, diag *d)
{
    const rules_config *cfg = rules_config_get(st->rules);
    run_view view = {st, &st->in, &st->res, &st->plan, &st->order};
    alloc_proposer by_rule = {run_propose, &view, opt->rules_path};
    int rc = commit_resolve(&st->calls, &st->in, &st->env, d);
    alloc_commitments before = commit_for_alloc(&st->calls);
    st->call = commit_for_store(&st->calls);
    return rc ? rc : alloc_run_committed(&st->in, cfg, &st->res, &st->plan,
                                         &st->order, &st->env, &before,
                                         cfg->has_allocate ? &by_rule : NULL,
                                         &st->alloc, d);
}

static void run_progress(void *ctx, size_t done, size_t total)
{
    runlog_progress(ctx, "rules", done, total);
}

static int run_load(run_state *st, const run_options *opt, runlog *log,
                    diag *d)
{
    const rules_limits *lim =
        opt->limits.memory || opt->limits.instructions ? &opt->limits : NULL;
    int rc = inputs_load_jobs(&st->in, opt->inputs_dir, st->jobs, d);
    if (rc == 0)
        rc = rules_open(&st->rules, opt->rules_path, opt->libdir, lim, d);
    if (rc == 0)
        rc = run_calls_load(st, opt, d);
    if (rc == 0)
        rc = equity_bind(&st->in, rules_config_get(st->rules),
                         &st->territories, d);
    if (rc == 0)
        runlog_stage(log, "load", "%zu application%s, %zu sub-region%s, "
                     "%zu fiscal year%s%s", st->in.n_apps,
                     st->in.n_apps == 1 ? "" : "s", st->in.n_split,
                     st->in.n_split == 1 ? "" : "s", st->in.n_years,
                     st->in.n_years == 1 ? "" : "s",
                     st->in.apps_halves ? ", read in two halves" : "");
    return rc;
}

static int run_rules(run_state *st, runlog *log, diag *d)
{
    rules_set_progress(st->rules, log->bar ? run_progress : NULL, log);
    int rc = rules_evaluate_jobs(st->rules, &st->in, st->jobs, &st->res, d);
    rules_set_progress(st->rules, NULL, NULL);
    if (rc != 0)
        return rc;
    size_t eligible = 0;
    for (size_t a = 0; a < st->in.n_apps; a++)
        eligible += st->res.eligible[a];
    runlog_stage(log, "rules", "%zu eligible%s", eligible,
                 st->res.states == 2 ? ", two Lua states" : "");
    return 0;
}

/* Territorial equity, from the decisions and the figures; said once on
 * stderr (the stage log) when the inputs have no figures. */
static int run_equity(run_state *st, runlog *log, diag *d)
{
    int rc = equity_compute(&st->in, &st->territories, &st->env, &st->alloc,
                            &st->equity, d);
    if (rc != 0)
        return rc;
    const char *col = rules_config_get(st->rules)->territory_column;
    const char *why = "";
    if (col && *col && !st->in.has_territories)
        why = " (no territories.csv: no territory level)";
    else if (st->in.has_territories && !st->territories.territory)
        why = " (the rule file names no territory_column: no territory level)";
    const equity_result *e = &st->equity;
    if (!e->n_levels)
        runlog_stage(log, "equity", "%s: no equity outputs", e->why_none);
    else if (e->n_levels == 1)
        runlog_stage(log, "equity", "%zu sub-regions%s", e->level[0].n, why);
    else
        runlog_stage(log, "equity", "%zu sub-regions, %zu territories",
                     e->level[0].n, e->level[1].n);
    return 0;
}


/* One evaluator left out (robust_rerun_fn): the rules' scoring again on
 * the kept evaluations only, then plan, rank and allocate as the run did
 * them, on the same envelopes and commitments. */
typedef struct run_rerun_ctx {
    run_state *st;
    const char *rules_path;
} run_rerun_ctx;

static int run_rerun(void *ctx, const unsigned char *keep,
                     decision_status *status, diag *d)
{
    const run_rerun_ctx *x = ctx;
    run_state *st = x->st;
    const rules_config *cfg = rules_config_get(st->rules);
    inputs in = st->in; /* shares everything but the evaluations */
    in.evals = malloc((st->in.n_evals + 1) * sizeof *in.evals);
    if (!in.evals)
        return diag_add(d, DIAG_OSERR, "out of memory");
    in.n_evals = 0;
    for (size_t i = 0; i < st->in.n_evals; i++)
        if (keep[i])
            in.evals[in.n_evals++] = st->in.evals[i];
    rules_results res = {0};
    plan_set plan = {0};
    rank_order order = {0};
    alloc_result alloc = {0};
    run_view view = {st, &in, &res, &plan, &order};
    alloc_proposer by_rule = {run_propose, &view, x->rules_path};
    alloc_commitments before = commit_for_alloc(&st->calls);
    int rc = rules_evaluate(st->rules, &in, &res, d);
    if (rc == 0 && (rc = plan_build(&in, cfg, &res, &plan, d)) == 0 &&
        (rc = rank_build(&in, cfg, &res, &plan, &order, d)) == 0)
        rc = alloc_run_committed(&in, cfg, &res, &plan, &order, &st->env,
                                 &before, cfg->has_allocate ? &by_rule : NULL,
                                 &alloc, d);
    for (size_t a = 0; rc == 0 && a < in.n_apps; a++)
        status[a] = alloc.decisions[a].status;
    alloc_free(&alloc);
    rank_free(&order);
    plan_free(&plan);
    rules_results_free(&res);
    free(in.evals);
    return rc;
}

/* Margins (robust.h) when the run ranks by score with the greedy method,
 * then the one-evaluator reruns; robustness = false skips both. */
static int run_robustness(run_state *st, const run_options *opt, runlog *log,
                          diag *d)
{
    const rules_config *cfg = rules_config_get(st->rules);
    clock_t t0 = clock();
    const char *why = !cfg->robustness ? "robustness = false"
                      : cfg->has_rank  ? "rank()"
                      : cfg->has_allocate ? "allocate function"
                      : cfg->method == RULES_METHOD_EQUAL_SHARES ? "equal shares"
                                                                 : NULL;
    int rc = why ? robust_none(st->in.n_apps, why, &st->robust, d)
                 : robust_margins(&st->in, cfg, &st->res, &st->plan,
                                  &st->order, &st->env, &st->alloc,
                                  st->jobs, &st->robust, d);
    run_rerun_ctx x = {st, opt->rules_path};
    if (rc == 0 && cfg->robustness)
        rc = robust_evaluators(&st->in, &st->alloc, run_rerun, &x,
                               &st->robust, d);
    if (rc != 0)
        return rc;
    size_t margins = 0;
    for (size_t a = 0; a < st->in.n_apps; a++)
        margins += st->robust.margin[a] != ROBUST_NONE;
    runlog_stage(log, "robustness", "%zu margins%s%s%s%s, %zu evaluators "
                 "left out in turn, CPU %.3f s", margins,
                 st->robust.threads > 1 ? " on two threads" : "",
                 why ? " (not computed: " : "", why ? why : "", why ? ")" : "",
                 st->robust.n_evaluators,
                 (double)(clock() - t0) / CLOCKS_PER_SEC);
    return 0;
}

/* split -> plan -> rank -> allocate -> schedule -> verify -> robustness
 * -> equity */
static int run_allocation(run_state *st, const run_options *opt, runlog *log,
                          diag *d)
{
    const rules_config *cfg = rules_config_get(st->rules);
    int rc;
    if ((rc = run_split(st, d)) != 0 ||
        (rc = plan_build(&st->in, cfg, &st->res, &st->plan, d)) != 0 ||
        (rc = rank_build(&st->in, cfg, &st->res, &st->plan, &st->order, d)) != 0 ||
        (rc = run_allocate(st, opt, d)) != 0)
        return rc;
    runlog_stage(log, "allocate", "%zu ranked", st->order.n);
    for (size_t s = 0; s < st->env.n_sub; s++) {
        int64_t env = 0, granted = 0;
        for (size_t y = 0; y < st->env.n_years; y++) {
            env += split_cell(&st->env, s, y);
            granted += st->alloc.granted[s * st->env.n_years + y];
        }
        char e[MONEY_BUFSZ], g[MONEY_BUFSZ];
        runlog_detail(log, "%s: %s granted of %s", st->env.name[s],
                      money_format_fr(granted, g), money_format_fr(env, e));
    }
    if ((rc = sched_build(&st->in, &st->plan, &st->alloc, &st->sched, d)) != 0 ||
        (rc = sched_verify(&st->in, cfg, &st->env, &st->alloc, &st->sched, d)) != 0)
        return rc;
    runlog_stage(log, "schedule", "%zu instalments, invariants verified",
                 st->sched.n);
    rc = run_robustness(st, opt, log, d);
    return rc != 0 ? rc : run_equity(st, log, d);
}

static int run_steps(run_state *st, const run_options *opt, diag *d)
{
    runlog quiet, *log = opt->stages;
    if (!log) {
        runlog_open(&quiet, NULL, RUNLOG_QUIET);
        log = &quiet;
    }
    int rc = run_load(st, opt, log, d);
    if (rc == 0)
        run_store_open_early(st, opt);
    if (rc == 0)
        rc = run_rules(st, log, d);
    if (rc == 0)
        rc = run_beside_apps(st, opt, log, run_allocation, d);
    if (rc != 0 || opt->dry_run)
        return rc;
    const rules_config *cfg = rules_config_get(st->rules);
    output_data o = {&st->in, cfg, &st->res, &st->plan, &st->env,
                     &st->alloc, &st->sched,
                     st->equity.n_levels ? &st->equity : NULL, &st->robust};
    if ((rc = run_lock(st, opt, d)) != 0)
        return rc;
    rc = run_record(st, opt, &o, d);
    output_unlock(st->lock);
    st->lock = -1;
    if (rc == 0)
        runlog_stage(log, "write", "%s%s", opt->out_dir ? opt->out_dir : "",
                     opt->db_path ? ", run store" : "");
    return rc;
}

int run_execute(const run_options *opt, diag *d)
{
    run_state st;
    memset(&st, 0, sizeof st);
    st.started_ms = store_now_ms();
    st.jobs = par_jobs(opt->jobs);
    st.lock = -1;
    int rc = run_steps(&st, opt, d);
    if (rc != 0 && opt->db_path && !st.store_failed && !opt->dry_run)
        run_record_failure(&st, opt, rc, d);
    if (opt->run_id)
        *opt->run_id = st.run_id;
    if (rc == 0 && opt->log)
        run_print_summary(&st, opt);
    if (rc == 0 && opt->log && st.run_id)
        fprintf(opt->log, "run %lld recorded in %s\n", (long long)st.run_id,
                opt->db_path);
    run_state_free(&st);
    return rc;
}
