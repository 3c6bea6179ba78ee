/* run: one complete run of a program, from the input folder to the
 * outputs, in the one direction data flows:
 *   load -> rules (checks, criteria) -> split -> plan -> rank -> allocate
 *   -> schedule (and verify) -> output (CSV files and report.xlsx).
 * Nothing is written unless every step succeeded. */
#ifndef ALLIANCE_RUN_H
#define ALLIANCE_RUN_H

#include <stdint.h>
#include <stdio.h>
#include "diag.h"
#include "report.h"
#include "rules.h"

typedef struct run_options {
    const char *inputs_dir;
    const char *rules_path;
    const char *out_dir;     /* NULL: no outputs (a replay) */
    const char *db_path;     /* the run store (store.h); NULL: none */
    const char *libdir;      /* rules/lib for require(); may be NULL */
    rules_limits limits;     /* zeros mean the defaults */
    FILE *log;               /* summary goes here; NULL for silence */
    report_lang lang;        /* report.xlsx labels: REPORT_FR (0) or _EN */
    int64_t run_time;        /* the run clock, seconds since 1970 UTC
                                (report_clock): report.xlsx's dates */
    int64_t replay_of;       /* store id of the run this one replays, 0 */
    int64_t *run_id;         /* may be NULL; receives the run's store id
                                (0 when it was not recorded) */
    struct runlog *stages;   /* stage timings and progress; may be NULL */
    int dry_run;             /* check everything, write nothing (no
                                outputs, no run store) */
    int no_report;           /* the CSV files only, no report.xlsx */
    int jobs;                /* threads (par_jobs): 0 for the default,
                                1 keeps one core */
    /* successive calls for projects (commitments.h) */
    const char *program;     /* --program: in place of the rule file's */
    int resubmit;            /* --resubmit */
    int carry_waitlist;      /* --carry-waitlist */
    const struct store_basis *basis; /* a replay: the commitments as the
                                        replayed run saw them; NULL: now */
    int64_t carry_from;      /* a replay: the run whose waitlist the
                                replayed run carried, 0 */
} run_options;

/* Returns DIAG_OK or the status of the first error, recorded in d.
 * With a db_path, the run is recorded in the run store, ok or failed
 * (see run_record in run.c for the order of store and outputs). */
int run_execute(const run_options *opt, diag *d);

#endif
