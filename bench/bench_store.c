/* bench_store: times the run store's write of one run.
 *
 *   bench_store DIR RULES LIBDIR DB [RUNS [MAX_SECONDS]]
 *
 * Runs the pipeline once on the input folder DIR with the rule file RULES
 * (require() from LIBDIR), then records that run RUNS times (default 3),
 * each into a fresh database DB, and reports the fastest: the time of
 * store_begin_run + store_commit (hashing the files, every row, the
 * commit), rows per second and the database's size. One core: the
 * program is single-threaded. Exits 1 when the time is above MAX_SECONDS
 * (default 0: report only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "allocate.h"
#include "inputs.h"
#include "output.h"
#include "plan.h"
#include "rank.h"
#include "schedule.h"
#include "split.h"
#include "store.h"

typedef struct program {
    inputs in;
    rules *rules;
    rules_results res;
    int64_t *weights;
    split_grid env;
    plan_set plan;
    rank_order order;
    alloc_result alloc;
    sched_list sched;
} program;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The steps of run.c, without outputs. */
static int pipeline(program *p, const char *dir, const char *rules_path,
                    const char *libdir, diag *d)
{
    int rc = inputs_load(&p->in, dir, d);
    if (rc == 0)
        rc = rules_open(&p->rules, rules_path, libdir, NULL, d);
    if (rc != 0)
        return rc;
    const rules_config *cfg = rules_config_get(p->rules);
    if ((rc = rules_evaluate(p->rules, &p->in, &p->res, d)) != 0)
        return rc;
    if (cfg->has_split) {
        if (!(p->weights = calloc(p->in.n_split + 1, sizeof *p->weights)))
            return diag_add(d, DIAG_OSERR, "out of memory");
        if ((rc = rules_split(p->rules, &p->in, p->weights, d)) != 0)
            return rc;
    }
    if ((rc = split_compute(&p->in, p->weights, &p->env, d)) != 0 ||
        (rc = plan_build(&p->in, cfg, &p->res, &p->plan, d)) != 0 ||
        (rc = rank_build(&p->in, cfg, &p->res, &p->plan, &p->order, d)) != 0 ||
        (rc = alloc_run(&p->in, cfg, &p->res, &p->plan, &p->order, &p->env,
                        &p->alloc, d)) != 0)
        return rc;
    return sched_build(&p->in, &p->plan, &p->alloc, &p->sched, d);
}

static void program_free(program *p)
{
    sched_free(&p->sched);
    alloc_free(&p->alloc);
    rank_free(&p->order);
    plan_free(&p->plan);
    split_free(&p->env);
    free(p->weights);
    rules_results_free(&p->res);
    rules_close(p->rules);
    inputs_free(&p->in);
}

static void remove_db(const char *db)
{
    char path[4200];
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
        unlink(path);
    }
}

/* One store of the run into a fresh db: its seconds, or -1. */
static double store_once(const program *p, const store_run_meta *m,
                         const char *db)
{
    output_data o = {&p->in, rules_config_get(p->rules), &p->res, &p->plan,
                     &p->env, &p->alloc, &p->sched};
    diag d;
    diag_init(&d);
    remove_db(db);
    store *s = NULL;
    int64_t id;
    double t = -1, t0 = 0;
    if (store_open(&s, db, STORE_WRITE, 0, &d) == 0) {
        t0 = now();
        if (store_begin_run(s, m, &o, &p->order, &id, &d) == 0 &&
            store_commit(s, &d) == 0)
            t = now() - t0;
    }
    store_close(s);
    if (t < 0)
        fprintf(stderr, "bench_store: %s", diag_text(&d));
    diag_free(&d);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench_store DIR RULES LIBDIR DB [RUNS "
                        "[MAX_SECONDS]]\n");
        return 64;
    }
    int runs = argc > 5 ? atoi(argv[5]) : 3;
    double max_s = argc > 6 ? atof(argv[6]) : 0;
    program p;
    memset(&p, 0, sizeof p);
    diag d;
    diag_init(&d);
    if (pipeline(&p, argv[1], argv[2], argv[3], &d) != 0) {
        fprintf(stderr, "bench_store: the run failed:\n%s", diag_text(&d));
        return 65;
    }
    store_run_meta m = {store_now_ms(), 0, argv[1], argv[2], argv[3], NULL, 0,
                        p.rules};
    double best = -1;
    for (int r = 0; r < (runs < 1 ? 1 : runs); r++) {
        double t = store_once(&p, &m, argv[4]);
        if (t < 0) {
            program_free(&p);
            diag_free(&d);
            return 70;
        }
        if (best < 0 || t < best)
            best = t;
    }
    struct stat st;
    double mb = stat(argv[4], &st) == 0 ? (double)st.st_size / 1e6 : 0;
    size_t rows = 2 * p.in.n_apps + p.res.n_failures + p.sched.n;
    printf("store: %zu applications (%zu rows, %.1f MB) written in %.3f s "
           "(best of %d): %.0f rows/s\n", p.in.n_apps, rows, mb, best, runs,
           (double)rows / best);
    program_free(&p);
    diag_free(&d);
    remove_db(argv[4]);
    if (max_s > 0 && best > max_s) {
        printf("store: above the target of %.1f s\n", max_s);
        return 1;
    }
    return 0;
}
