/* bench_shares: times allocate.method = "equal_shares".
 *
 *   bench_shares DIR [MAX_SECONDS]
 *
 * Loads the program of DIR (bench/gen_shares.py: three sub-regions of
 * 10 000 applications, 10 evaluators each) and its rules.lua, evaluates
 * and ranks once, then runs the allocation step (alloc_run) with each
 * completion (none, greedy, add1) and reports its CPU time (user +
 * system, getrusage: the machine may be shared) and wall time, per
 * sub-region of 10 000 applications. Exits 1 when completion "greedy"
 * (the default) takes more CPU than MAX_SECONDS per sub-region (default
 * 1). One core: the program is single-threaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "allocate.h"
#include "inputs.h"
#include "plan.h"
#include "rank.h"
#include "split.h"

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_shares DIR [MAX_SECONDS]\n");
        return 64;
    }
    double max = argc > 2 ? atof(argv[2]) : 1;
    char rules_path[4096];
    snprintf(rules_path, sizeof rules_path, "%s/rules.lua", argv[1]);
    inputs in;
    rules *r = NULL;
    rules_results res;
    split_grid env;
    plan_set plan;
    rank_order order;
    diag d;
    diag_init(&d);
    memset(&res, 0, sizeof res);
    int rc = inputs_load(&in, argv[1], &d);
    if (rc == 0)
        rc = rules_open(&r, rules_path, NULL, NULL, &d);
    rules_config cfg;
    if (rc == 0) {
        cfg = *rules_config_get(r);
        rc = rules_evaluate(r, &in, &res, &d);
    }
    if (rc == 0 && (rc = split_compute(&in, NULL, &env, &d)) == 0 &&
        (rc = plan_build(&in, &cfg, &res, &plan, &d)) == 0)
        rc = rank_build(&in, &cfg, &res, &plan, &order, &d);
    if (rc != 0) {
        fprintf(stderr, "bench_shares: %s\n", diag_text(&d));
        return 1;
    }
    static const char *const names[] = {"greedy", "none", "add1"};
    int missed = 0;
    for (int k = 0; k < 3; k++) {
        alloc_result out;
        cfg.method = RULES_METHOD_EQUAL_SHARES;
        cfg.completion = (rules_completion)k;
        double c0 = cpu_now(), w0 = wall_now();
        rc = alloc_run(&in, &cfg, &res, &plan, &order, &env, &out, &d);
        double cpu = cpu_now() - c0, wall = wall_now() - w0;
        if (rc != 0) {
            fprintf(stderr, "bench_shares: %s\n", diag_text(&d));
            return 1;
        }
        size_t funded = 0, runs = 0;
        for (size_t a = 0; a < in.n_apps; a++)
            funded += out.decisions[a].granted > 0;
        for (size_t s = 0; s < in.n_split; s++)
            runs += out.shares->election[s].runs;
        double per = cpu / (double)in.n_split;
        int ok = k != 0 || per < max;
        missed |= !ok;
        printf("equal shares: %zu applications in %zu sub-regions, "
               "completion %-6s %7.3f s CPU (%.3f s wall), %.3f s CPU per "
               "sub-region%s; %zu funded, %zu runs of the rule\n",
               in.n_apps, in.n_split, names[k], cpu, wall, per,
               k == 0 ? (ok ? " (target 1 s: ok)" : " (target 1 s: MISSED)") : "",
               funded, runs);
        alloc_free(&out);
    }
    rank_free(&order);
    plan_free(&plan);
    split_free(&env);
    rules_results_free(&res);
    rules_close(r);
    inputs_free(&in);
    diag_free(&d);
    return missed;
}
