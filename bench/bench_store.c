/* bench_store: times the run store's write of one run.
 *
 *   bench_store DIR RULES LIBDIR DB [RUNS [MAX_SECONDS [CSV_DIR]]]
 *
 * Runs the pipeline once on the input folder DIR with the rule file RULES
 * (require() from LIBDIR), then records that run RUNS times (default 3),
 * each into a fresh database DB, and reports the fastest: the time of
 * store_open + store_begin_run + store_commit + store_close (hashing the
 * files, every row, the commit and the checkpoints, up to the moment the
 * database is complete on its own), its CPU time (user and system), rows
 * per second and the database's size. The last run's database is left
 * in place for inspection (sqlite3 DB, dbstat). One core: the program is
 * single-threaded. Exits 1 when the time is above MAX_SECONDS (default
 * 0: report only). With CSV_DIR, the three CSV files of the run are
 * also written RUNS times into CSV_DIR (as temporary files, removed),
 * and the fastest write is reported the same way; with RUNS 0, only the
 * CSV files, five times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

/* CPU seconds of this process so far: user, system. */
static void cpu(double out[2])
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    out[0] = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    out[1] = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* What one store of the run cost: wall seconds of each step (open,
 * rows, commit, close) and CPU seconds of the whole. */
typedef struct cost {
    double wall, step[4], user, sys;
} cost;

/* One store of the run into a fresh db; wall is -1 on failure. */
static cost store_once(const program *p, const store_run_meta *m,
                       const char *db)
{
    output_data o = {&p->in, rules_config_get(p->rules), &p->res, &p->plan,
                     &p->env, &p->alloc, &p->sched, NULL, NULL};
    diag d;
    diag_init(&d);
    remove_db(db);
    store *s = NULL;
    int64_t id;
    cost c = {-1, {0, 0, 0, 0}, 0, 0};
    double c0[2], c1[2], t[5];
    cpu(c0);
    t[0] = now();
    int rc = store_open_run(&s, db, p->in.n_apps, 0, &d);
    t[1] = now();
    if (rc == 0)
        rc = store_begin_run(s, m, &o, &p->order, &id, &d);
    t[2] = now();
    if (rc == 0)
        rc = store_commit(s, &d);
    t[3] = now();
    store_close(s);
    t[4] = now();
    cpu(c1);
    if (rc == 0) {
        c.wall = t[4] - t[0];
        for (int i = 0; i < 4; i++)
            c.step[i] = t[i + 1] - t[i];
        c.user = c1[0] - c0[0];
        c.sys = c1[1] - c0[1];
    } else {
        fprintf(stderr, "bench_store: %s", diag_text(&d));
    }
    diag_free(&d);
    return c;
}

/* One write of the CSV files (output_prepare, then discarded). */
static cost csv_once(const program *p, const char *dir)
{
    output_data o = {&p->in, rules_config_get(p->rules), &p->res, &p->plan,
                     &p->env, &p->alloc, &p->sched, NULL, NULL};
    diag d;
    diag_init(&d);
    output_pending pend;
    cost c = {-1, {0, 0, 0, 0}, 0, 0};
    double c0[2], c1[2];
    cpu(c0);
    double t0 = now();
    int rc = output_prepare(dir, &o, &pend, &d);
    double t1 = now();
    cpu(c1);
    if (rc == 0) {
        c.wall = t1 - t0;
        c.user = c1[0] - c0[0];
        c.sys = c1[1] - c0[1];
        output_discard(&pend);
    } else {
        fprintf(stderr, "bench_store: %s", diag_text(&d));
    }
    diag_free(&d);
    return c;
}

static int bench_csv(const program *p, const char *dir, int runs)
{
    cost best = {-1, {0, 0, 0, 0}, 0, 0};
    for (int r = 0; r < (runs < 1 ? 1 : runs); r++) {
        cost c = csv_once(p, dir);
        if (c.wall < 0)
            return 70;
        if (best.wall < 0 || c.user + c.sys < best.user + best.sys)
            best = c;
    }
    printf("csv: %zu applications written in %.3f s (least CPU of %d: "
           "%.3f user %.3f sys)\n", p->in.n_apps, best.wall, runs,
           best.user, best.sys);
    return 0;
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
                        p.rules, NULL};
    cost best = {-1, {0, 0, 0, 0}, 0, 0};
    if (runs == 0 && argc > 7) { /* the CSV files only */
        int rc = bench_csv(&p, argv[7], 5);
        program_free(&p);
        diag_free(&d);
        return rc;
    }
    for (int r = 0; r < (runs < 1 ? 1 : runs); r++) {
        cost c = store_once(&p, &m, argv[4]);
        if (c.wall < 0) {
            program_free(&p);
            diag_free(&d);
            return 70;
        }
        if (best.wall < 0 || c.wall < best.wall)
            best = c;
    }
    if (argc > 7 && bench_csv(&p, argv[7], runs) != 0) {
        program_free(&p);
        diag_free(&d);
        return 70;
    }
    struct stat st;
    double mb = stat(argv[4], &st) == 0 ? (double)st.st_size / 1e6 : 0;
    size_t rows = 2 * p.in.n_apps + p.res.n_failures + p.sched.n;
    printf("store: %zu applications (%zu rows, %.1f MB) written in %.3f s "
           "(best of %d; CPU %.3f user %.3f sys; open %.3f rows %.3f commit "
           "%.3f close %.3f): %.0f rows/s\n", p.in.n_apps, rows, mb,
           best.wall, runs, best.user, best.sys, best.step[0], best.step[1],
           best.step[2], best.step[3], (double)rows / best.wall);
    program_free(&p);
    diag_free(&d);
    if (max_s > 0 && best.wall > max_s) {
        printf("store: above the target of %.1f s\n", max_s);
        return 1;
    }
    return 0;
}
