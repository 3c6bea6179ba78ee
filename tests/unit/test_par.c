#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "par.h"
#include "testlib.h"

/* A task that records which thread ran it and fails with status rc. */
typedef struct probe {
    int rc;
    int ran;
    pthread_t by;
} probe;

static int probe_fn(void *arg, diag *d)
{
    probe *p = arg;
    p->ran++;
    p->by = pthread_self();
    if (p->rc)
        diag_add(d, p->rc, "task failed with %d", p->rc);
    return p->rc;
}

static void tasks_of(par_task *t, probe *p, size_t n)
{
    memset(t, 0, n * sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = (par_task){.fn = probe_fn, .arg = &p[i]};
}

/* One job: in order, in the caller's thread, stopping at the first
 * failure, as a run did before threads. */
TEST(one_job_runs_in_order_and_stops)
{
    probe p[3] = {{0, 0, 0}, {DIAG_IOERR, 0, 0}, {0, 0, 0}};
    par_task t[3];
    tasks_of(t, p, 3);
    CHECK_INT(par_run(t, 3, 1), DIAG_IOERR);
    CHECK_INT(p[0].ran, 1);
    CHECK_INT(p[1].ran, 1);
    CHECK_INT(p[2].ran, 0);
    CHECK(pthread_equal(p[0].by, pthread_self()));
    CHECK(pthread_equal(p[1].by, pthread_self()));
    diag d;
    diag_init(&d);
    CHECK_INT(par_first_failure(t, 3, &d), DIAG_IOERR);
    CHECK_STR(diag_text(&d), "task failed with 74\n");
    diag_free(&d);
    par_free(t, 3);
}

/* Two jobs: every task runs, the first in the caller's thread, the
 * others in their own; the failure reported is the first in task order,
 * whichever finished first. */
TEST(two_jobs_run_all_and_report_in_task_order)
{
    probe p[3] = {{0, 0, 0}, {DIAG_CANTCREAT, 0, 0}, {DIAG_IOERR, 0, 0}};
    par_task t[3];
    tasks_of(t, p, 3);
    CHECK_INT(par_run(t, 3, 2), DIAG_CANTCREAT);
    for (int i = 0; i < 3; i++)
        CHECK_INT(p[i].ran, 1);
    CHECK(pthread_equal(p[0].by, pthread_self()));
    CHECK(!pthread_equal(p[1].by, pthread_self()));
    CHECK(!pthread_equal(p[2].by, pthread_self()));
    diag d;
    diag_init(&d);
    CHECK_INT(par_first_failure(t, 3, &d), DIAG_CANTCREAT);
    CHECK_STR(diag_text(&d), "task failed with 73\n");
    diag_free(&d);
    par_free(t, 3);
}

TEST(no_failure_is_zero)
{
    probe p[2] = {{0, 0, 0}, {0, 0, 0}};
    par_task t[2];
    tasks_of(t, p, 2);
    CHECK_INT(par_run(t, 2, 2), 0);
    diag d;
    diag_init(&d);
    CHECK_INT(par_first_failure(t, 2, &d), 0);
    CHECK_STR(diag_text(&d), "");
    diag_free(&d);
    par_free(t, 2);
}

/* A started task runs in a thread of its own with two jobs, while the
 * caller goes on; with one job it has run before par_start returns. */
TEST(started_task_runs_beside_the_caller)
{
    probe p = {DIAG_CANTCREAT, 0, 0};
    par_task t = {.fn = probe_fn, .arg = &p};
    par_later *h = par_start(&t, 2);
    CHECK(h != NULL);
    par_wait(h);
    CHECK_INT(p.ran, 1);
    CHECK_INT(t.ran, 1);
    CHECK_INT(t.rc, DIAG_CANTCREAT);
    CHECK(!pthread_equal(p.by, pthread_self()));
    diag d;
    diag_init(&d);
    CHECK_INT(par_first_failure(&t, 1, &d), DIAG_CANTCREAT);
    CHECK_STR(diag_text(&d), "task failed with 73\n");
    diag_free(&d);
    par_free(&t, 1);

    probe q = {0, 0, 0};
    par_task u = {.fn = probe_fn, .arg = &q};
    CHECK(par_start(&u, 1) == NULL);
    CHECK_INT(q.ran, 1);
    CHECK(pthread_equal(q.by, pthread_self()));
    par_wait(NULL);
    par_free(&u, 1);
}

/* --jobs wins, then ALLIANCE_THREADS, then the cores; never above
 * PAR_JOBS_MAX; a malformed variable is ignored. */
TEST(jobs_from_option_environment_and_cores)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int by_cores = cores >= PAR_JOBS_MAX ? PAR_JOBS_MAX : cores < 1 ? 1 : (int)cores;
    setenv("ALLIANCE_THREADS", "1", 1);
    CHECK_INT(par_jobs(0), 1);
    CHECK_INT(par_jobs(2), 2);
    CHECK_INT(par_jobs(64), PAR_JOBS_MAX);
    setenv("ALLIANCE_THREADS", "8", 1);
    CHECK_INT(par_jobs(0), PAR_JOBS_MAX);
    CHECK_INT(par_jobs(1), 1);
    setenv("ALLIANCE_THREADS", "two", 1);
    CHECK_INT(par_jobs(0), by_cores);
    setenv("ALLIANCE_THREADS", "0", 1);
    CHECK_INT(par_jobs(0), by_cores);
    unsetenv("ALLIANCE_THREADS");
    CHECK_INT(par_jobs(0), by_cores);
}

/* The opener's writes before par_gate_open are seen after par_gate_wait. */
typedef struct opener {
    par_gate *g;
    int done;
} opener;

static void *open_later(void *arg)
{
    opener *o = arg;
    struct timespec ms20 = {0, 20000000};
    nanosleep(&ms20, NULL); /* the waiter is most likely waiting by now */
    o->done = 1;
    par_gate_open(o->g);
    return NULL;
}

TEST(a_gate_holds_its_waiters_until_opened)
{
    opener o = {par_gate_new(), 0};
    CHECK(o.g != NULL);
    pthread_t th;
    CHECK_INT(pthread_create(&th, NULL, open_later, &o), 0);
    double waited = par_gate_wait(o.g);
    CHECK_INT(o.done, 1);
    CHECK(waited >= 0);
    pthread_join(th, NULL);
    par_gate_open(o.g); /* again: still open, and waiting returns */
    par_gate_wait(o.g);
    par_gate_free(o.g);
    CHECK(par_gate_wait(NULL) == 0); /* no gate: no wait */
    par_gate_open(NULL);
    par_gate_free(NULL);
}

int main(void)
{
    RUN(one_job_runs_in_order_and_stops);
    RUN(two_jobs_run_all_and_report_in_task_order);
    RUN(no_failure_is_zero);
    RUN(started_task_runs_beside_the_caller);
    RUN(jobs_from_option_environment_and_cores);
    RUN(a_gate_holds_its_waiters_until_opened);
    return testlib_done("par");
}
