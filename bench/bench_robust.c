/* bench_robust: times the margins (robust_margins) on one thread and two.
 *
 *   bench_robust DIR RULES [LIBDIR [ROUNDS]]
 *
 * Loads the program of DIR with the rule file RULES, evaluates, ranks
 * and allocates it once (as alliance run does, without commitments of
 * earlier calls), then computes the margins ROUNDS times (default 3)
 * with one job and with two, reporting each round's CPU time (user +
 * system, getrusage: the machine may be shared) and wall time, and
 * checks that both give the same margins. Exits 1 when they differ. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "allocate.h"
#include "inputs.h"
#include "plan.h"
#include "rank.h"
#include "robust.h"
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

typedef struct program {
    inputs in;
    rules *r;
    rules_config cfg;
    rules_results res;
    int64_t *weights;
    split_grid env;
    plan_set plan;
    rank_order order;
    alloc_result alloc;
} program;

static int load(program *p, const char *dir, const char *rules_path,
                const char *lib, diag *d)
{
    int rc = inputs_load(&p->in, dir, d);
    if (rc == 0)
        rc = rules_open(&p->r, rules_path, lib, NULL, d);
    if (rc != 0)
        return rc;
    p->cfg = *rules_config_get(p->r);
    if ((rc = rules_evaluate_jobs(p->r, &p->in, 2, &p->res, d)) != 0)
        return rc;
    if (p->cfg.has_split) {
        p->weights = calloc(p->in.n_split + 1, sizeof *p->weights);
        if (!p->weights || rules_split(p->r, &p->in, p->weights, d) != 0)
            return 1;
    }
    if ((rc = split_compute(&p->in, p->weights, &p->env, d)) != 0 ||
        (rc = plan_build(&p->in, &p->cfg, &p->res, &p->plan, d)) != 0 ||
        (rc = rank_build(&p->in, &p->cfg, &p->res, &p->plan, &p->order, d)) != 0)
        return rc;
    return alloc_run(&p->in, &p->cfg, &p->res, &p->plan, &p->order, &p->env,
                     &p->alloc, d);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_robust DIR RULES [LIBDIR [ROUNDS]]\n");
        return 64;
    }
    int rounds = argc > 4 ? atoi(argv[4]) : 3;
    static program p;
    diag d;
    diag_init(&d);
    if (load(&p, argv[1], argv[2], argc > 3 ? argv[3] : NULL, &d) != 0) {
        fprintf(stderr, "bench_robust: %s\n", diag_text(&d));
        return 1;
    }
    robust_result first = {0};
    int differ = 0;
    for (int round = 0; round < rounds; round++)
        for (int jobs = 1; jobs <= 2; jobs++) {
            robust_result rb;
            double c0 = cpu_now(), w0 = wall_now();
            int rc = robust_margins(&p.in, &p.cfg, &p.res, &p.plan, &p.order,
                                    &p.env, &p.alloc, jobs, &rb, &d);
            double cpu = cpu_now() - c0, wall = wall_now() - w0;
            if (rc != 0) {
                fprintf(stderr, "bench_robust: %s\n", diag_text(&d));
                return 1;
            }
            size_t margins = 0;
            for (size_t a = 0; a < p.in.n_apps; a++)
                margins += rb.margin[a] != ROBUST_NONE;
            printf("margins: %zu applications, %zu margins, %d job%s "
                   "(%d thread%s): %.3f s CPU, %.3f s wall\n", p.in.n_apps,
                   margins, jobs, jobs > 1 ? "s" : "", rb.threads,
                   rb.threads > 1 ? "s" : "", cpu, wall);
            if (!first.margin) {
                first = rb;
                continue;
            }
            if (memcmp(first.margin, rb.margin, p.in.n_apps * sizeof *rb.margin) ||
                memcmp(first.margin_rank, rb.margin_rank,
                       p.in.n_apps * sizeof *rb.margin_rank))
                differ = 1;
            robust_free(&rb);
        }
    if (differ)
        printf("margins: one job and two DIFFER\n");
    robust_free(&first);
    alloc_free(&p.alloc);
    rank_free(&p.order);
    plan_free(&p.plan);
    split_free(&p.env);
    free(p.weights);
    rules_results_free(&p.res);
    rules_close(p.r);
    inputs_free(&p.in);
    diag_free(&d);
    return differ;
}
