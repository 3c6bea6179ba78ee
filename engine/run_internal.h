/* run_internal: what engine/run.c, run_record.c and run_summary.c share:
 * the state a run builds, and the steps after the allocation. */
#ifndef ALLIANCE_RUN_INTERNAL_H
#define ALLIANCE_RUN_INTERNAL_H

#include <stdint.h>

#include "allocate.h"
#include "commitments.h"
#include "equity.h"
#include "inputs.h"
#include "output.h"
#include "par.h"
#include "plan.h"
#include "rank.h"
#include "robust.h"
#include "run.h"
#include "runlog.h"
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
    const char *early_path; /* the store being opened early, if any */
    par_task early;         /* its opening (run_store_open_early) */
    par_later *early_wait;
    par_task apps;          /* the application rows (run_beside_apps) */
    int lock;               /* the output folder's lock, -1 for none */
} run_state;

/* Opens the run store on the second core while the rules run, when the
 * run has one and two jobs; run_store_settle waits for it (st->db is
 * then the store, or NULL when that attempt failed and the store step
 * is to open it itself, with its own messages). Both run_record.c. */
void run_store_open_early(run_state *st, const run_options *opt);
void run_store_settle(run_state *st);

/* The output folder locked (once; nothing to do without one): a second
 * run on it exits 75 at once. Taken before the run store's transaction
 * begins, so such a run never waits on the store. run_record.c. */
int run_lock(run_state *st, const run_options *opt, diag *d);

/* step (the allocation and what follows it up to the outputs) while the
 * application rows go into the run store on the other core: the store's
 * transaction is begun first (waiting for another writer there), and a
 * failure of the rows is reported as the one-job run reports it, where
 * the rows are written before the step: alone. Without a store (or on a
 * dry run) just step. run_record.c. */
typedef int run_step(run_state *st, const run_options *opt, runlog *log,
                     diag *d);
int run_beside_apps(run_state *st, const run_options *opt, runlog *log,
                    run_step *step, diag *d);

/* The run store's rows and the outputs, written and then renamed and
 * committed in the documented order (run_record.c). */
int run_record(run_state *st, const run_options *opt, const output_data *o,
               diag *d);
/* A failed run recorded as failed with its error text (run_record.c). */
void run_record_failure(run_state *st, const run_options *opt, int status,
                        diag *d);
/* The summary on opt->log after a successful run (run_summary.c). */
void run_print_summary(const run_state *st, const run_options *opt);

#endif
