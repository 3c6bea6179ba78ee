/* runlog: what a run says on stderr while it works, for people and for
 * schedulers: one line per stage with its time, a progress bar when
 * stderr is a terminal (never in cron or CI), and the total with the peak
 * memory at the end.
 *
 *   alliance: load         0.012 s  150 applications
 *   alliance: rules        0.031 s  130 eligible, 102 ranked
 *   ...
 *   alliance: total        0.080 s  peak memory 12.4 MiB */
#ifndef ALLIANCE_RUNLOG_H
#define ALLIANCE_RUNLOG_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    RUNLOG_QUIET,    /* nothing */
    RUNLOG_NORMAL,   /* stages and total */
    RUNLOG_VERBOSE   /* and details (per sub-region...) */
} runlog_level;

typedef struct runlog {
    FILE *f;             /* NULL: silent */
    const char *who;     /* line prefix: "alliance", or a batch program */
    runlog_level level;
    int bar;             /* draw progress bars (f is a terminal) */
    double started, stage_started;
} runlog;

/* f may be NULL. Progress bars only when f is a terminal and TERM is
 * not "dumb". */
void runlog_open(runlog *l, FILE *f, runlog_level level);

/* Ends the current stage: "alliance: <stage> <seconds> s  <detail>",
 * verbose adding "  (peak <MiB> MiB)": the process's peak memory so far. */
void runlog_stage(runlog *l, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A detail line, shown only when verbose. */
void runlog_detail(runlog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Redraws the progress bar of the current stage (terminals only). */
void runlog_progress(runlog *l, const char *stage, size_t done, size_t total);

/* The total time, the CPU time (user and system) and the process's peak
 * resident memory. */
void runlog_total(runlog *l);

/* The process's peak resident memory so far, MiB. */
double runlog_peak_mib(void);

/* Seconds on a monotonic clock. */
double runlog_now(void);

#endif
