/* bench_load: times inputs_load (the LOAD step) on an input folder.
 *
 *   bench_load DIR [RUNS [MIN_MBPS]]
 *
 * Loads DIR RUNS times (default 3) and reports the fastest run, since the
 * first one may also pay for reading the files from disk: input bytes per
 * second (MB = 10^6 bytes, the three CSV files), applications per second,
 * the process CPU time of that run, and the peak resident set size of the
 * process (getrusage).  The threads are those of a run (par_jobs: both
 * cores, or ALLIANCE_THREADS).  Exits 1 when the throughput is below
 * MIN_MBPS (default 0: report only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "diag.h"
#include "inputs.h"
#include "par.h"

static const char *const files[] = {"applications.csv", "envelopes.csv",
                                    "split.csv"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bytes of the input files, or -1 when one is missing. */
static long long input_bytes(const char *dir)
{
    long long total = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (stat(path, &st) != 0)
            return -1;
        total += (long long)st.st_size;
    }
    return total;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One load: its duration in seconds, or -1 when it failed; its CPU time
 * in *cpu. */
static double load_once(const char *dir, int jobs, size_t *n_apps,
                        double *cpu)
{
    inputs in;
    diag d;
    diag_init(&d);
    double t0 = now(), c0 = cpu_now();
    int rc = inputs_load_jobs(&in, dir, jobs, &d);
    double t = now() - t0;
    *cpu = cpu_now() - c0;
    if (rc != 0)
        fprintf(stderr, "bench_load: %s: load failed (status %d):\n%s", dir,
                rc, diag_text(&d));
    *n_apps = in.n_apps;
    inputs_free(&in);
    diag_free(&d);
    return rc != 0 ? -1 : t;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_load DIR [RUNS [MIN_MBPS]]\n");
        return 64;
    }
    const char *dir = argv[1];
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    double min_mbps = argc > 3 ? atof(argv[3]) : 0;
    long long bytes = input_bytes(dir);
    if (bytes < 0 || runs < 1) {
        fprintf(stderr, "bench_load: %s: missing input files or bad RUNS\n",
                dir);
        return 66;
    }
    double best = -1, best_cpu = 0;
    size_t n_apps = 0;
    int jobs = par_jobs(0);
    for (int r = 0; r < runs; r++) {
        double cpu;
        double t = load_once(dir, jobs, &n_apps, &cpu);
        if (t < 0)
            return 65;
        if (best < 0 || t < best)
            best = t, best_cpu = cpu;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mbps = (double)bytes / 1e6 / best;
    printf("load: %zu applications, %.1f MB in %.3f s (best of %d, %d "
           "thread%s, cpu %.3f s): %.1f MB/s, %.0f applications/s, peak RSS "
           "%.1f MB\n",
           n_apps, (double)bytes / 1e6, best, runs, jobs, jobs == 1 ? "" : "s",
           best_cpu, mbps, (double)n_apps / best,
           (double)ru.ru_maxrss / 1024.0);
    if (mbps < min_mbps) {
        printf("load: below the target of %.0f MB/s\n", min_mbps);
        return 1;
    }
    return 0;
}
