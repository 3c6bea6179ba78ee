/* run: see include/run.h. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "allocate.h"
#include "inputs.h"
#include "money.h"
#include "output.h"
#include "plan.h"
#include "rank.h"
#include "schedule.h"
#include "split.h"

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
} run_state;

static void run_state_free(run_state *st)
{
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

static int run_steps(run_state *st, const run_options *opt, diag *d)
{
    const rules_limits *lim =
        opt->limits.memory || opt->limits.instructions ? &opt->limits : NULL;
    int rc = inputs_load(&st->in, opt->inputs_dir, d);
    if (rc == 0)
        rc = rules_open(&st->rules, opt->rules_path, opt->libdir, lim, d);
    if (rc != 0)
        return rc;
    const rules_config *cfg = rules_config_get(st->rules);
    if ((rc = rules_evaluate(st->rules, &st->in, &st->res, d)) != 0 ||
        (rc = run_split(st, d)) != 0 ||
        (rc = plan_build(&st->in, cfg, &st->plan, d)) != 0 ||
        (rc = rank_build(&st->in, cfg, &st->res, &st->plan, &st->order, d)) != 0 ||
        (rc = alloc_run(&st->in, cfg, &st->res, &st->plan, &st->order,
                        &st->env, &st->alloc, d)) != 0 ||
        (rc = sched_build(&st->in, &st->plan, &st->alloc, &st->sched, d)) != 0 ||
        (rc = sched_verify(&st->in, cfg, &st->env, &st->alloc, &st->sched, d)) != 0)
        return rc;
    output_data o = {&st->in, cfg, &st->res, &st->plan, &st->env,
                     &st->alloc, &st->sched};
    return output_write(opt->out_dir, &o, d);
}

/* Characters, not bytes, so accented names line up in the summary. */
static int utf8_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n > 36 ? 36 : n;
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
    fprintf(f, "  %-36s %18s %18s %18s\n", "sub-region", "envelope",
            "granted", "unspent");
    const split_grid *g = &st->env;
    for (size_t s = 0; s < g->n_sub; s++) {
        int64_t env = 0, granted = 0;
        for (size_t y = 0; y < g->n_years; y++) {
            env += g->cell[s * g->n_years + y];
            granted += st->alloc.granted[s * g->n_years + y];
        }
        char e[MONEY_BUFSZ], gr[MONEY_BUFSZ], u[MONEY_BUFSZ];
        /* width counts bytes: pad names by hand for accented letters */
        fprintf(f, "  %s%*s %18s %18s %18s\n", g->name[s],
                (int)(36 - utf8_width(g->name[s])), "",
                money_format_fr(env, e), money_format_fr(granted, gr),
                money_format_fr(env - granted, u));
    }
    fprintf(f, "outputs: %s/decisions.csv, disbursements.csv, summary.csv\n",
            opt->out_dir);
}

int run_execute(const run_options *opt, diag *d)
{
    run_state st;
    memset(&st, 0, sizeof st);
    int rc = run_steps(&st, opt, d);
    if (rc == 0 && opt->log)
        run_print_summary(&st, opt);
    run_state_free(&st);
    return rc;
}
