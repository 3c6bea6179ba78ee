/* par: see include/par.h. */
#include "par.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double par_clock(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int par_jobs(int requested)
{
    int n = requested;
    if (n <= 0) {
        const char *env = getenv("ALLIANCE_THREADS");
        char *end;
        long v = env && *env ? strtol(env, &end, 10) : 0;
        n = env && *env && *end == '\0' && v > 0 ? (v > 64 ? 64 : (int)v) : 0;
    }
    if (n <= 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (int)(cores > 64 ? 64 : cores) : 1;
    }
    return n > PAR_JOBS_MAX ? PAR_JOBS_MAX : n;
}

static void *par_body(void *arg)
{
    par_task *t = arg;
    double t0 = par_clock(CLOCK_MONOTONIC);
    double c0 = par_clock(CLOCK_THREAD_CPUTIME_ID);
    t->rc = t->fn(t->arg, &t->d);
    t->seconds = par_clock(CLOCK_MONOTONIC) - t0;
    t->cpu = par_clock(CLOCK_THREAD_CPUTIME_ID) - c0;
    t->ran = 1;
    return NULL;
}

static void par_reset(par_task *t)
{
    diag_init(&t->d);
    t->rc = 0;
    t->ran = 0;
    t->seconds = 0;
    t->cpu = 0;
}

int par_run(par_task *tasks, size_t n, int jobs)
{
    for (size_t i = 0; i < n; i++)
        par_reset(&tasks[i]);
    if (jobs <= 1 || n <= 1) {
        for (size_t i = 0; i < n; i++) {
            par_body(&tasks[i]);
            if (tasks[i].rc != 0)
                return tasks[i].rc;
        }
        return 0;
    }
    pthread_t *th = calloc(n, sizeof *th);
    unsigned char *started = calloc(n, 1);
    for (size_t i = 1; i < n; i++)
        if (th && started && pthread_create(&th[i], NULL, par_body, &tasks[i]) == 0)
            started[i] = 1;
    par_body(&tasks[0]);
    for (size_t i = 1; i < n; i++) {
        if (started && started[i])
            pthread_join(th[i], NULL);
        else
            par_body(&tasks[i]); /* no thread: the work still gets done */
    }
    free(th);
    free(started);
    for (size_t i = 0; i < n; i++)
        if (tasks[i].rc != 0)
            return tasks[i].rc;
    return 0;
}

struct par_later {
    pthread_t th;
};

par_later *par_start(par_task *t, int jobs)
{
    par_reset(t);
    par_later *h = jobs >= 2 ? malloc(sizeof *h) : NULL;
    if (h && pthread_create(&h->th, NULL, par_body, t) == 0)
        return h;
    free(h);
    par_body(t); /* no thread: the work still gets done, now */
    return NULL;
}

void par_wait(par_later *h)
{
    if (!h)
        return;
    pthread_join(h->th, NULL);
    free(h);
}

int par_first_failure(par_task *tasks, size_t n, diag *d)
{
    for (size_t i = 0; i < n; i++) {
        if (tasks[i].rc == 0)
            continue;
        diag_append(d, &tasks[i].d);
        if (!tasks[i].d.count)
            diag_add(d, tasks[i].rc, "a step failed without a message");
        return tasks[i].rc;
    }
    return 0;
}

void par_free(par_task *tasks, size_t n)
{
    for (size_t i = 0; i < n; i++)
        diag_free(&tasks[i].d);
}

struct par_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int open;
};

par_gate *par_gate_new(void)
{
    par_gate *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    if (pthread_mutex_init(&g->mu, NULL) != 0) {
        free(g);
        return NULL;
    }
    if (pthread_cond_init(&g->cv, NULL) != 0) {
        pthread_mutex_destroy(&g->mu);
        free(g);
        return NULL;
    }
    return g;
}

void par_gate_open(par_gate *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->open = 1;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

double par_gate_wait(par_gate *g)
{
    if (!g)
        return 0;
    double t0 = par_clock(CLOCK_MONOTONIC);
    pthread_mutex_lock(&g->mu);
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
    return par_clock(CLOCK_MONOTONIC) - t0;
}

void par_gate_free(par_gate *g)
{
    if (!g)
        return;
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}
