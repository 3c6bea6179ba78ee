/* run_record: a run's store rows and outputs, written side by side (par.h)
 * and made visible in the documented order; see run_record below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "report.h"
#include "run_internal.h"
#include "runlog.h"

static store_run_meta run_meta(const run_state *st, const run_options *opt)
{
    return (store_run_meta){st->started_ms, 0, opt->inputs_dir,
                            opt->rules_path, opt->libdir, opt->out_dir,
                            opt->replay_of, st->rules, &st->call};
}

/* The outputs and the store's rows, each written by its own task (par.h)
 * once the schedule is verified: from then on every input of theirs is
 * read-only, so they can run on different cores and write exactly what
 * they would write one after the other. */
typedef struct run_writes {
    const run_options *opt;
    const output_data *o;
    run_state *st;
    store_run_meta meta;
    report_options ro;
    char id[32];
    report_pending report;
    output_pending csv;
    double store_wait, csv_wait; /* at the workbook's gate, in seconds */
} run_writes;

static int task_store(void *arg, diag *d)
{
    run_writes *w = arg;
    w->store_wait = par_gate_wait(w->ro.sheets_done);
    return store_write_run_rows(w->st->db, w->st->run_id, &w->meta, w->o,
                                &w->st->order, d);
}

static int task_report(void *arg, diag *d)
{
    run_writes *w = arg;
    int rc = report_prepare(w->opt->out_dir, &w->ro, w->o, &w->report, d);
    par_gate_open(w->ro.sheets_done); /* whatever happened before the sheets */
    return rc;
}

static int task_csv(void *arg, diag *d)
{
    run_writes *w = arg;
    w->csv_wait = par_gate_wait(w->ro.sheets_done);
    return output_prepare(w->opt->out_dir, w->o, &w->csv, d);
}

/* "store 2.1 s (cpu 2.0 s), report.xlsx ..., CSV files ...": each task's
 * wall and CPU time (make bench reads them); the workbook's CPU counts
 * its helper threads' (rs: its stats, NULL without a workbook). Gated:
 * the store and CSV files waited for the workbook's sheets; their wall
 * time counts from then. */
static void run_log_writes(runlog *log, const par_task *t, size_t n,
                           int with_store, const report_stats *rs, int jobs,
                           int gated)
{
    static const char *const names[] = {"run store", "report.xlsx",
                                        "CSV files"};
    char line[320];
    size_t len = 0, k = 0;
    line[0] = '\0';
    for (int i = with_store ? 0 : 1; i < 3 && k < n; i++) {
        if (i == 1 && !rs)
            continue;
        len += (size_t)snprintf(line + len, sizeof line - len,
                                "%s%s %.3f s (cpu %.3f s%s%s)", k ? ", " : "",
                                names[i], t[k].seconds, t[k].cpu,
                                i == 1 && rs->sheet_threads > 1 ?
                                    ", sheets on 2 threads" : "",
                                i == 1 && rs->deflate_threads > 1 ?
                                    ", parts deflated on 2 threads" : "");
        k++;
        if (len >= sizeof line)
            break;
    }
    if (log && k)
        runlog_detail(log, "%s%s%s", line,
                      jobs > 1 && k > 1 ? ", side by side" : "",
                      gated ? ", the store and CSV files once the workbook's "
                              "sheets were written" : "");
}

/* par_run runs its first task in the caller's thread, and a task that
 * gets no thread after it: so with a gate the workbook (which opens it)
 * goes first, and the tasks waiting at it can never run before it in
 * one thread. The tasks keep their places in tasks[] (failures are
 * looked up in that order). */
static void run_tasks(par_task *tasks, size_t n, size_t report_at, int jobs,
                      int gated)
{
    if (!gated) {
        par_run(tasks, n, jobs);
        return;
    }
    par_task order[3];
    size_t k = 0, at[3];
    at[k] = report_at;
    order[k++] = tasks[report_at];
    for (size_t i = 0; i < n; i++)
        if (i != report_at) {
            at[k] = i;
            order[k++] = tasks[i];
        }
    par_run(order, n, jobs);
    for (size_t i = 0; i < n; i++)
        tasks[at[i]] = order[i]; /* each task's messages have one owner */
}

/* The CSV files are renamed into place first, then the workbook: if any
 * output fails to be written, none replaces an earlier run's. The
 * workbook shows the run store's id when the run is recorded
 * (store_id > 0), else an id derived from the files and the clock.
 * With the store, its rows are written alongside (tasks[0]); a failure
 * is reported as the one-thread run would: store first, then workbook,
 * then CSV files. */
static int run_write(run_state *st, const run_options *opt, int64_t store_id,
                     const output_data *o, diag *d)
{
    run_writes w;
    memset(&w, 0, sizeof w);
    w.opt = opt;
    w.o = o;
    w.st = st;
    w.meta = run_meta(st, opt);
    snprintf(w.id, sizeof w.id, "%lld", (long long)store_id);
    w.ro = (report_options){opt->lang, opt->run_time, store_id > 0 ? w.id : NULL,
                            opt->inputs_dir, opt->rules_path, st->jobs, NULL};
    par_task tasks[3];
    size_t n = 0;
    memset(tasks, 0, sizeof tasks);
    int with_store = st->db && store_id > 0;
    if (with_store)
        tasks[n++] = (par_task){.fn = task_store, .arg = &w};
    size_t report_at = n;
    if (opt->out_dir && !opt->no_report)
        tasks[n++] = (par_task){.fn = task_report, .arg = &w};
    size_t csv_at = n;
    if (opt->out_dir)
        tasks[n++] = (par_task){.fn = task_csv, .arg = &w};
    /* the store and the CSV files wait for the workbook's sheets (both
     * cores) and share a core with its zipping; no gate, no wait (one
     * job, or a gate that could not be made) */
    if (st->jobs >= 2 && report_at < csv_at)
        w.ro.sheets_done = par_gate_new();
    run_tasks(tasks, n, report_at, st->jobs, w.ro.sheets_done != NULL);
    int rc = par_first_failure(tasks, n, d);
    if (rc != 0 && with_store && tasks[0].rc != 0)
        st->store_failed = 1; /* rolled back by store_write_run_rows */
    if (rc == 0 && report_at < csv_at)
        tasks[report_at].cpu += w.report.stats.helper_cpu;
    if (with_store)
        tasks[0].seconds -= w.store_wait;
    if (opt->out_dir)
        tasks[csv_at].seconds -= w.csv_wait;
    if (rc == 0)
        run_log_writes(opt->stages, tasks, n, with_store,
                       report_at < csv_at ? &w.report.stats : NULL,
                       st->jobs, w.ro.sheets_done != NULL);
    if (rc == 0 && opt->out_dir)
        rc = output_commit(&w.csv, d);
    if (rc == 0 && opt->out_dir && !opt->no_report)
        rc = report_commit(&w.report, d);
    output_discard(&w.csv);
    report_discard(&w.report); /* safe on the zeroed struct of --no-report */
    par_free(tasks, n);
    par_gate_free(w.ro.sheets_done);
    return rc;
}

static int task_open_early(void *arg, diag *d)
{
    run_state *st = arg;
    /* a writer ahead (a large run holding the store) is not waited for
     * here: run_record then opens the store the usual way, and a locked
     * output folder still fails at once */
    int rc = store_open_run(&st->db, st->early_path, st->in.n_apps, 1, d);
    if (rc == 0)
        store_set_busy(st->db, 0);
    return rc;
}

/* Creating a store (its schema) costs more than a small run's rules: at
 * 1 000 applications about 7 ms of the 50. */
void run_store_open_early(run_state *st, const run_options *opt)
{
    if (!opt->db_path || opt->dry_run || st->jobs < 2)
        return;
    st->early_path = opt->db_path;
    st->early = (par_task){.fn = task_open_early, .arg = st};
    st->early_wait = par_start(&st->early, st->jobs);
}

void run_store_settle(run_state *st)
{
    if (!st->early_path)
        return;
    par_wait(st->early_wait);
    par_free(&st->early, 1); /* a failure is the store step's to report */
    st->early_wait = NULL;
    st->early_path = NULL;
}

/* The early opening, said on -v when it is what the run uses. */
static void run_store_settled(run_state *st, const run_options *opt)
{
    int early = st->early_path != NULL;
    run_store_settle(st);
    if (early && st->db && opt->stages)
        runlog_detail(opt->stages, "run store opened while the rules ran "
                      "(%.3f s)", st->early.seconds);
}

int run_lock(run_state *st, const run_options *opt, diag *d)
{
    if (st->lock >= 0 || !opt->out_dir)
        return 0;
    int rc = output_lock(opt->out_dir, &st->lock, d);
    /* a locked folder's run may hold the store too: do not wait on it */
    if (rc == DIAG_TEMPFAIL)
        st->store_failed = 1;
    return rc;
}

static int task_apps(void *arg, diag *d)
{
    run_state *st = arg;
    return store_write_apps(st->db, st->run_id, &st->in, d);
}

/* The store opened (early or now) and its transaction begun, with the
 * run's id reserved. */
static int run_store_begin(run_state *st, const run_options *opt, diag *d)
{
    run_store_settled(st, opt);
    int rc = st->db ? 0 : store_open_run(&st->db, opt->db_path,
                                          st->in.n_apps, 0, d);
    if (rc == 0)
        rc = store_begin_apps(st->db, &st->in, &st->run_id, d);
    return rc;
}

/* The rows' failure is the store's (store_failed: nothing to record the
 * run in), and its message alone, as with one job. */
static int run_apps_failed(run_state *st, diag *d)
{
    int rc = par_first_failure(&st->apps, 1, d);
    st->store_failed = 1;
    st->run_id = 0;
    return rc;
}

int run_beside_apps(run_state *st, const run_options *opt, runlog *log,
                    run_step *step, diag *d)
{
    if (!opt->db_path || opt->dry_run)
        return step(st, opt, log, d);
    int rc = run_lock(st, opt, d);
    if (rc != 0)
        return rc;
    if ((rc = run_store_begin(st, opt, d)) != 0) {
        st->store_failed = 1; /* cannot be created, locked, not a store */
        st->run_id = 0;
        return rc;
    }
    st->apps = (par_task){.fn = task_apps, .arg = st};
    par_later *h = par_start(&st->apps, st->jobs);
    if (!h && st->apps.rc != 0) /* one job: the rows stop the run */
        rc = run_apps_failed(st, d);
    else if (!h) /* one job: the rows are done */
        rc = step(st, opt, log, d);
    else {
        diag mine;
        diag_init(&mine);
        int step_rc = step(st, opt, log, &mine);
        par_wait(h);
        if (st->apps.rc != 0)
            rc = run_apps_failed(st, d);
        else {
            if (mine.count)
                diag_append(d, &mine);
            rc = step_rc;
        }
        diag_free(&mine);
    }
    if (rc == 0 && opt->stages)
        runlog_detail(opt->stages,
                      "run store applications %.3f s (cpu %.3f s)%s",
                      st->apps.seconds, st->apps.cpu,
                      h ? ", beside the allocation" : "");
    par_free(&st->apps, 1);
    if (rc != 0 && !st->store_failed) {
        store_rollback(st->db); /* the failure is then recorded */
        st->run_id = 0;
    }
    return rc;
}

/* The store step, then the outputs, in this order:
 *   1. the run and all its results are written in an open transaction
 *      (BEGIN IMMEDIATE: waiting for another writer happens here);
 *   2. the outputs are written and renamed into place (run_write);
 *   3. the transaction is committed.
 * Step 1 begins before the allocation (run_beside_apps): the
 * application rows, which only the load made, are written while the run
 * allocates, and a failure from there on rolls them back.
 * The results of step 1 are written while the outputs of step 2 are
 * (run_write's tasks), but nothing is renamed before both are done, so
 * the order of what becomes visible is unchanged.
 * So a store failure (locked beyond the busy timeout, disk full, not a
 * database) stops the run before any output replaces an earlier one, and
 * an output failure rolls the transaction back, after which run_execute
 * records the run as failed with the output's error. Holding the write
 * lock, COMMIT in WAL mode fails only on an I/O error: that narrow window
 * (outputs renamed, run not recorded) is the one left, reported as such.
 * Committing before the outputs would instead risk a run recorded "ok"
 * whose outputs were never written. */
int run_record(run_state *st, const run_options *opt, const output_data *o,
               diag *d)
{
    if (!opt->db_path)
        return opt->out_dir ? run_write(st, opt, 0, o, d) : 0;
    store_run_meta m = run_meta(st, opt);
    int rc = store_begin_run_row(st->db, &m, o, &st->order, &st->run_id, d);
    if (rc == 0 && (rc = run_write(st, opt, st->run_id, o, d)) != 0) {
        if (!st->store_failed)
            store_rollback(st->db);
        st->run_id = 0;
        return rc;
    }
    double t0 = runlog_now();
    if (rc == 0 && (rc = store_commit(st->db, d)) != 0 && opt->out_dir)
        diag_add(d, rc, "the outputs in %s were written, but the run is not "
                 "in the run store", opt->out_dir);
    st->store_failed = rc != 0;
    if (rc == 0 && opt->stages)
        runlog_detail(opt->stages, "run store commit %.3f s", runlog_now() - t0);
    return rc;
}

/* A failed run is recorded as failed with its error text, unless the
 * store itself is what failed. */
void run_record_failure(run_state *st, const run_options *opt, int status,
                        diag *d)
{
    store_run_meta m = run_meta(st, opt);
    run_store_settled(st, opt);
    char *error = strdup(diag_text(d)); /* d grows if recording fails */
    if (!error)
        return;
    st->run_id = 0;
    if (st->db || store_open(&st->db, opt->db_path, STORE_WRITE, 0, d) == 0)
        store_record_failed(st->db, &m, status, error, &st->run_id, d);
    free(error);
}
