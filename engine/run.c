/* run: see include/run.h. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allocate.h"
#include "commitments.h"
#include "equity.h"
#include "inputs.h"
#include "money.h"
#include "output.h"
#include "par.h"
#include "plan.h"
#include "rank.h"
#include "robust.h"
#include "runlog.h"
#include "report.h"
#include "schedule.h"
#include "split.h"
#include "store.h"

/* Everything a run builds, freed in one place whatever step failed. */
typedef struct run_state {
    inputs in;
    rules *rules;
    rules_results res;
    int64_t *weights;
    split_grid env;
    plan_set plan;
    rank_order order;
    alloc_result alloc;
    sched_list sched;
    robust_result robust;   /* margins, one-evaluator decisions */
    store *db;              /* the run store, once opened */
    int64_t started_ms;
    int64_t run_id;         /* the run's id in the store, once recorded */
    int store_failed;       /* the store itself failed: record nothing */
    commit_set calls;       /* earlier calls' commitments (commitments.h) */
    store_call call;        /* what the run store records of them */
    equity_map territories; /* each application's territory */
    equity_result equity;   /* territorial equity (equity.h) */
    int jobs;               /* threads to use (par_jobs) */
} run_state;

static void run_state_free(run_state *st)
{
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

static store_run_meta run_meta(const run_state *st, const run_options *opt)
{
    return (store_run_meta){st->started_ms, 0, opt->inputs_dir,
                            opt->rules_path, opt->libdir, opt->out_dir,
                            opt->replay_of, st->rules, &st->call};
}

/* The outputs and the store's rows, each written by its own task (par.h)
 * once the schedule is verified: from then on every input of theirs is
 * read-only, so they can run on different cores and write exactly what
 * they would write one after the other. */
typedef struct run_writes {
    const run_options *opt;
    const output_data *o;
    run_state *st;
    store_run_meta meta;
    report_options ro;
    char id[32];
    report_pending report;
    output_pending csv;
} run_writes;

static int task_store(void *arg, diag *d)
{
    run_writes *w = arg;
    return store_write_run_rows(w->st->db, w->st->run_id, &w->meta, w->o,
                                &w->st->order, d);
}

static int task_report(void *arg, diag *d)
{
    run_writes *w = arg;
    return report_prepare(w->opt->out_dir, &w->ro, w->o, &w->report, d);
}

static int task_csv(void *arg, diag *d)
{
    run_writes *w = arg;
    return output_prepare(w->opt->out_dir, w->o, &w->csv, d);
}

/* "store 2.1 s (cpu 2.0 s), report.xlsx ..., CSV files ...": each task's
 * wall and CPU time (make bench reads them). */
static void run_log_writes(runlog *log, const par_task *t, size_t n,
                           int with_store, int with_report, int jobs)
{
    static const char *const names[] = {"run store", "report.xlsx",
                                        "CSV files"};
    char line[256];
    size_t len = 0, k = 0;
    line[0] = '\0';
    for (int i = with_store ? 0 : 1; i < 3 && k < n; i++) {
        if (i == 1 && !with_report)
            continue;
        len += (size_t)snprintf(line + len, sizeof line - len,
                                "%s%s %.3f s (cpu %.3f s)", k ? ", " : "",
                                names[i], t[k].seconds, t[k].cpu);
        k++;
        if (len >= sizeof line)
            break;
    }
    if (log && k)
        runlog_detail(log, "%s%s", line, jobs > 1 && k > 1 ? ", side by side" : "");
}

/* The CSV files are renamed into place first, then the workbook: if any
 * output fails to be written, none replaces an earlier run's. The
 * workbook shows the run store's id when the run is recorded
 * (store_id > 0), else an id derived from the files and the clock.
 * With the store, its rows are written alongside (tasks[0]); a failure
 * is reported as the one-thread run would: store first, then workbook,
 * then CSV files. */
static int run_write(run_state *st, const run_options *opt, int64_t store_id,
                     const output_data *o, diag *d)
{
    run_writes w;
    memset(&w, 0, sizeof w);
    w.opt = opt;
    w.o = o;
    w.st = st;
    w.meta = run_meta(st, opt);
    snprintf(w.id, sizeof w.id, "%lld", (long long)store_id);
    w.ro = (report_options){opt->lang, opt->run_time, store_id > 0 ? w.id : NULL,
                            opt->inputs_dir, opt->rules_path};
    par_task tasks[3];
    size_t n = 0;
    memset(tasks, 0, sizeof tasks);
    int with_store = st->db && store_id > 0;
    if (with_store)
        tasks[n++] = (par_task){.fn = task_store, .arg = &w};
    size_t report_at = n;
    if (opt->out_dir && !opt->no_report)
        tasks[n++] = (par_task){.fn = task_report, .arg = &w};
    size_t csv_at = n;
    if (opt->out_dir)
        tasks[n++] = (par_task){.fn = task_csv, .arg = &w};
    par_run(tasks, n, st->jobs);
    int rc = par_first_failure(tasks, n, d);
    if (rc != 0 && with_store && tasks[0].rc != 0)
        st->store_failed = 1; /* rolled back by store_write_run_rows */
    if (rc == 0)
        run_log_writes(opt->stages, tasks, n, with_store, report_at < csv_at,
                       st->jobs);
    if (rc == 0 && opt->out_dir)
        rc = output_commit(&w.csv, d);
    if (rc == 0 && opt->out_dir && !opt->no_report)
        rc = report_commit(&w.report, d);
    output_discard(&w.csv);
    report_discard(&w.report); /* safe on the zeroed struct of --no-report */
    par_free(tasks, n);
    return rc;
}

/* The store step, then the outputs, in this order:
 *   1. the run and all its results are written in an open transaction
 *      (BEGIN IMMEDIATE: waiting for another writer happens here);
 *   2. the outputs are written and renamed into place (run_write);
 *   3. the transaction is committed.
 * The results of step 1 are written while the outputs of step 2 are
 * (run_write's tasks), but nothing is renamed before both are done, so
 * the order of what becomes visible is unchanged.
 * So a store failure (locked beyond the busy timeout, disk full, not a
 * database) stops the run before any output replaces an earlier one, and
 * an output failure rolls the transaction back, after which run_execute
 * records the run as failed with the output's error. Holding the write
 * lock, COMMIT in WAL mode fails only on an I/O error: that narrow window
 * (outputs renamed, run not recorded) is the one left, reported as such.
 * Committing before the outputs would instead risk a run recorded "ok"
 * whose outputs were never written. */
static int run_record(run_state *st, const run_options *opt,
                      const output_data *o, diag *d)
{
    if (!opt->db_path)
        return opt->out_dir ? run_write(st, opt, 0, o, d) : 0;
    store_run_meta m = run_meta(st, opt);
    int rc = store_open_run(&st->db, opt->db_path, st->in.n_apps, 0, d);
    if (rc == 0)
        rc = store_begin_run_row(st->db, &m, o, &st->order, &st->run_id, d);
    if (rc == 0 && (rc = run_write(st, opt, st->run_id, o, d)) != 0) {
        if (!st->store_failed)
            store_rollback(st->db);
        st->run_id = 0;
        return rc;
    }
    double t0 = runlog_now();
    if (rc == 0 && (rc = store_commit(st->db, d)) != 0 && opt->out_dir)
        diag_add(d, rc, "the outputs in %s were written, but the run is not "
                 "in the run store", opt->out_dir);
    st->store_failed = rc != 0;
    if (rc == 0 && opt->stages)
        runlog_detail(opt->stages, "run store commit %.3f s", runlog_now() - t0);
    return rc;
}

/* A failed run is recorded as failed with its error text, unless the
 * store itself is what failed. */
static void run_record_failure(run_state *st, const run_options *opt,
                               int status, diag *d)
{
    store_run_meta m = run_meta(st, opt);
    char *error = strdup(diag_text(d)); /* d grows if recording fails */
    if (!error)
        return;
    st->run_id = 0;
    if (st->db || store_open(&st->db, opt->db_path, STORE_WRITE, 0, d) == 0)
        store_record_failed(st->db, &m, status, error, &st->run_id, d);
    free(error);
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
    int rc = inputs_load(&st->in, opt->inputs_dir, d);
    if (rc == 0)
        rc = rules_open(&st->rules, opt->rules_path, opt->libdir, lim, d);
    if (rc == 0)
        rc = run_calls_load(st, opt, d);
    if (rc == 0)
        rc = equity_bind(&st->in, rules_config_get(st->rules),
                         &st->territories, d);
    if (rc == 0)
        runlog_stage(log, "load", "%zu application%s, %zu sub-region%s, "
                     "%zu fiscal year%s", st->in.n_apps,
                     st->in.n_apps == 1 ? "" : "s", st->in.n_split,
                     st->in.n_split == 1 ? "" : "s", st->in.n_years,
                     st->in.n_years == 1 ? "" : "s");
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
    runlog_stage(log, "rules", "%zu eligible", eligible);
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
                                  &st->robust, d);
    run_rerun_ctx x = {st, opt->rules_path};
    if (rc == 0 && cfg->robustness)
        rc = robust_evaluators(&st->in, &st->alloc, run_rerun, &x,
                               &st->robust, d);
    if (rc != 0)
        return rc;
    size_t margins = 0;
    for (size_t a = 0; a < st->in.n_apps; a++)
        margins += st->robust.margin[a] != ROBUST_NONE;
    runlog_stage(log, "robustness", "%zu margins%s%s%s, %zu evaluators left "
                 "out in turn, CPU %.3f s", margins,
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
        rc = run_rules(st, log, d);
    if (rc == 0)
        rc = run_allocation(st, opt, log, d);
    if (rc != 0 || opt->dry_run)
        return rc;
    const rules_config *cfg = rules_config_get(st->rules);
    output_data o = {&st->in, cfg, &st->res, &st->plan, &st->env,
                     &st->alloc, &st->sched,
                     st->equity.n_levels ? &st->equity : NULL, &st->robust};
    int lock = -1;
    if (opt->out_dir && (rc = output_lock(opt->out_dir, &lock, d)) != 0) {
        /* a locked folder's run may hold the store too: do not wait on it */
        st->store_failed = rc == DIAG_TEMPFAIL;
        return rc;
    }
    rc = run_record(st, opt, &o, d);
    output_unlock(lock);
    if (rc == 0)
        runlog_stage(log, "write", "%s%s", opt->out_dir ? opt->out_dir : "",
                     opt->db_path ? ", run store" : "");
    return rc;
}

/* Characters, not bytes, so accented names line up in the summary. */
static int utf8_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n > 36 ? 36 : n;
}

/* The equity lines: per row of each level, money against people, then
 * the level's spread. */
static void run_print_equity(FILE *f, const equity_result *e)
{
    for (size_t i = 0; i < e->n_levels; i++) {
        const equity_level *l = &e->level[i];
        char a[64], b[32], c[32], m[MONEY_BUFSZ], p[MONEY_BUFSZ];
        fprintf(f, "  %-36s %18s %14s %9s %9s %6s\n",
                l->kind == EQUITY_SUBREGION ? "equity by sub-region"
                                            : "equity by territory",
                "granted+committed", "$/low-income", "money", "low-inc.",
                "ratio");
        for (size_t k = 0; k < l->n; k++) {
            const equity_row *r = &l->rows[k];
            fprintf(f, "  %s%*s %18s %14s %8s%% %8s%% %6s\n", r->name,
                    (int)(36 - utf8_width(r->name)), "",
                    money_format_fr(r->granted + r->committed, m),
                    r->per_low_income < 0 ? ""
                        : money_format_fr(r->per_low_income, p),
                    equity_format(r->money_share, 2, a),
                    equity_format(r->low_income_share, 2, b),
                    equity_format(r->ratio, 2, c));
        }
        if (l->max_min < 0 && l->unfunded)
            snprintf(a, sizeof a, "infinite (%zu got nothing)", l->unfunded);
        else if (!*equity_format(l->max_min, 2, a))
            strcpy(a, "-");
        fprintf(f, "  spread: max/min %s, Gini %s (dollars per low-income "
                   "person)\n", a, *equity_format(l->gini, 2, b) ? b : "-");
    }
}

static void run_print_summary(const run_state *st, const run_options *opt)
{
    FILE *f = opt->log;
    const rules_config *cfg = rules_config_get(st->rules);
    size_t count[DECISION_N_STATUSES] = {0}, eligible = 0;
    for (size_t a = 0; a < st->in.n_apps; a++) {
        count[st->alloc.decisions[a].status]++;
        eligible += st->res.eligible[a];
    }
    fprintf(f, "%s\n", cfg->program[0] ? cfg->program : opt->rules_path);
    fprintf(f, "  applications: %zu read, %zu eligible, %zu ranked (at or above "
               "the threshold)\n", st->in.n_apps, eligible, st->order.n);
    fprintf(f, "  decisions: %zu funded, %zu partially funded, %zu waitlisted, "
               "%zu below threshold, %zu ineligible\n",
            count[DECISION_FUNDED], count[DECISION_PARTIAL],
            count[DECISION_WAITLISTED], count[DECISION_BELOW_THRESHOLD],
            count[DECISION_INELIGIBLE]);
    /* a later call: what earlier calls committed, in its own column */
    int calls = commit_print_head(f, &st->calls);
    fprintf(f, "  %-36s %18s%*s %18s %18s\n", "sub-region", "envelope",
            calls ? 19 : 0, calls ? "committed earlier" : "",
            calls ? "granted now" : "granted", "unspent");
    const split_grid *g = &st->env;
    for (size_t s = 0; s < g->n_sub; s++) {
        int64_t env = 0, granted = 0, before = 0;
        for (size_t y = 0; y < g->n_years; y++) {
            env += g->cell[s * g->n_years + y];
            granted += st->alloc.granted[s * g->n_years + y];
            before += alloc_committed(&st->alloc, s * g->n_years + y);
        }
        char e[MONEY_BUFSZ], gr[MONEY_BUFSZ], u[MONEY_BUFSZ], c[MONEY_BUFSZ];
        /* width counts bytes: pad names by hand for accented letters */
        fprintf(f, "  %s%*s %18s%*s %18s %18s\n", g->name[s],
                (int)(36 - utf8_width(g->name[s])), "",
                money_format_fr(env, e), calls ? 19 : 0,
                calls ? money_format_fr(before, c) : "",
                money_format_fr(granted, gr),
                money_format_fr(env - before - granted, u));
    }
    run_print_equity(f, &st->equity);
    if (opt->dry_run)
        fprintf(f, "dry run: everything checked, nothing written\n");
    else
        fprintf(f, "outputs: %s/decisions.csv, disbursements.csv, summary.csv"
                   "%s%s\n", opt->out_dir,
                st->equity.n_levels ? ", equity.csv" : "",
                opt->no_report ? "" : ", report.xlsx");
}

int run_execute(const run_options *opt, diag *d)
{
    run_state st;
    memset(&st, 0, sizeof st);
    st.started_ms = store_now_ms();
    st.jobs = par_jobs(opt->jobs);
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
