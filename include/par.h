/* par: runs a few independent tasks on the machine's cores, for steps
 * whose results must not depend on how many cores ran them.
 *
 * Each task owns what it writes; par only starts and joins them. With
 * one job the tasks run in order in the calling thread and the first
 * failure stops the rest (as a run did before threads), so a failure is
 * reported the same way whatever the number of jobs: callers look at
 * the tasks' statuses in task order. */
#ifndef ALLIANCE_PAR_H
#define ALLIANCE_PAR_H

#include <stddef.h>

#include "diag.h"

#define PAR_JOBS_MAX 2  /* what the engine splits its work into */

typedef struct par_task {
    int (*fn)(void *arg, diag *d); /* returns 0 or a status */
    void *arg;
    int rc;        /* fn's status (0 when it did not run) */
    int ran;       /* 0: not run, an earlier task failed (one job) */
    double seconds;  /* fn's wall time */
    double cpu;      /* and the CPU time of the thread that ran it */
    diag d;        /* the task's own messages (par_run inits, caller frees
                      with par_free) */
} par_task;

/* The number of jobs to use: requested when > 0 (capped at
 * PAR_JOBS_MAX), else the environment variable ALLIANCE_THREADS when set
 * to a positive number, else the online cores, capped at PAR_JOBS_MAX. */
int par_jobs(int requested);

/* Runs tasks[0..n): with jobs >= 2 each task after the first in its own
 * thread and the first in the caller's (a thread that cannot be started
 * runs in the caller's thread instead); with jobs <= 1 in order, stopping
 * after the first failure. Returns the status of the first task, in task
 * order, that failed (0 when none did). */
int par_run(par_task *tasks, size_t n, int jobs);

/* The messages of the first failed task (in task order) added to d;
 * returns its status, 0 when none failed. */
int par_first_failure(par_task *tasks, size_t n, diag *d);

void par_free(par_task *tasks, size_t n);

/* A task started now and waited for later, for work that the caller's
 * next steps do not need (opening the run store while the rules run).
 * par_start runs t in a thread of its own when jobs >= 2, else (or when
 * no thread can be started) at once in the caller's thread, and returns
 * the handle par_wait takes (NULL when t has already run). par_wait
 * joins the thread and frees the handle; t's fields are the caller's to
 * read only after it. Either way t->d must be freed with par_free. */
typedef struct par_later par_later;
par_later *par_start(par_task *t, int jobs);
void par_wait(par_later *h);

/* A gate that tasks beside a long one wait at until it has done the
 * part of its work that can use both cores (the workbook's sheets), so
 * that they share a core with its one-thread tail instead of slowing its
 * two-thread part. par_gate_open may be called any number of times, from
 * any thread; par_gate_wait returns the seconds it waited (at once, 0,
 * on a NULL gate). A gate is
 * only for tasks that run in threads of their own (jobs >= 2): with one
 * job a task waiting at a gate that a later task opens would wait
 * forever. */
typedef struct par_gate par_gate;
par_gate *par_gate_new(void);   /* NULL when out of memory */
void par_gate_open(par_gate *g);
double par_gate_wait(par_gate *g);
void par_gate_free(par_gate *g);

#endif
