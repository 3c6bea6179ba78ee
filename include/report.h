/* report: the committee's workbook, report.xlsx (libxlsxwriter).
 *
 *   Sommaire      program, run id and date; envelope per sub-region and
 *                 fiscal year; requested, granted and unspent per
 *                 sub-region and per year; decisions by status; a chart
 *                 of granted vs envelope per sub-region and one per year
 *   one sheet per sub-region with applications (reserves have none):
 *                 the applications still in the running (funded, partly
 *                 funded, waitlisted, overridden) in rank order, with
 *                 score, points per criterion, requested, granted,
 *                 status, reasons, override justification and SUM totals
 *   Versements    every instalment, by sub-region and project, its amount
 *                 in its fiscal year's column; SUBTOTAL per sub-region and
 *                 for the region
 *   Non retenues  below-threshold and ineligible applications, with one
 *                 column of reasons: every failed check by its label, a
 *                 plan outside the program, or the score under the
 *                 threshold
 *   Paramètres    rule file and input files with their SHA-256, engine
 *                 version, threshold, criteria grid, checks, instalments
 *
 * Labels are French, or English with REPORT_EN (sheet names too). Amounts
 * are numbers (dollars) formatted [$-C0C]#,##0.00\ "$": LibreOffice shows
 * 12 345,67 $ in every locale (the fr-CA tag sets its separators), Excel
 * uses the system's separators (12 345,67 $ in fr-CA, 12,345.67 $ in
 * en-US). Points use [$-C0C]0.00; dates are real dates shown yyyy-mm-dd;
 * fiscal years are text, 2025-2026. Every formula carries its cached
 * value, computed by the engine in cents, so a reader that does not
 * recalculate (openpyxl, a viewer) shows the engine's figures.
 *
 * Text from inputs and rules is always written as a string cell, never as
 * a formula: an organisation named "=1+1" stays that text.
 *
 * Deterministic: the document's dates come from run_time only, and
 * Debian's libxlsxwriter 1.1.4 dates every zip entry 1980-01-01, so the
 * same data and run_time give a byte-identical file. Its parts are
 * deflated at zlib's fastest level (report_zip.c: zipOpenNewFileInZip4_64). */
#ifndef ALLIANCE_REPORT_H
#define ALLIANCE_REPORT_H

#include <stdint.h>
#include "diag.h"
#include "output.h"
#include "par.h"

typedef enum report_lang { REPORT_FR, REPORT_EN } report_lang;

typedef struct report_options {
    report_lang lang;
    int64_t run_time;        /* the run clock: seconds since 1970, UTC */
    const char *run_id;      /* the run store's id; NULL: derived (see
                                report_prepare) */
    const char *inputs_dir;  /* the input files are hashed from here */
    const char *rules_path;  /* shown by its base name, with its hash */
    int jobs;                /* cores for the sheets (par_jobs); <= 1: one */
    par_gate *sheets_done;   /* opened once the sheets are written and the
                                rest of the workbook is on one thread (or
                                when it fails); NULL: none */
} report_options;

/* "fr" or "en". Returns 0, or -1 for anything else. */
int report_parse_lang(const char *s, report_lang *out);

/* The run clock, following the reproducible-builds convention: the
 * SOURCE_DATE_EPOCH value sde (decimal seconds) when non-NULL and
 * non-empty, else as_of ("YYYY-MM-DD", midnight UTC) when non-NULL, else
 * now. Returns 0, or DIAG_USAGE (recorded in d) for a malformed value. */
int report_clock(const char *sde, const char *as_of, int64_t now,
                 int64_t *out, diag *d);

/* How the sheets were written and their parts deflated: on 1 thread or
 * 2, and the helpers' CPU seconds (the caller's are its own thread's). */
typedef struct report_stats {
    int sheet_threads;
    int deflate_threads;
    double helper_cpu;
} report_stats;

/* A workbook written beside its final name, not yet renamed. */
typedef struct report_pending {
    char *tmp;               /* out_dir/.report.xlsx.tmp-PID */
    char *final;             /* out_dir/report.xlsx */
    report_stats stats;
} report_pending;

/* Creates out_dir if needed and writes the workbook as p->tmp, so a run
 * can write its CSV files and then report_commit() it: nothing is
 * renamed before everything was written. Also refuses a non-file in the
 * way of out_dir/report.xlsx. The run id, unless ro->run_id is given, is
 * the first 12 hex digits of the SHA-256 of the rule file's and input
 * files' SHA-256 and run_time: the same run has the same id.
 * On failure p holds nothing (report_discard is still safe). */
int report_prepare(const char *out_dir, const report_options *ro,
                   const output_data *o, report_pending *p, diag *d);

/* Renames p->tmp to p->final. */
int report_commit(report_pending *p, diag *d);

/* Removes p->tmp if still there; frees p. Safe on a zeroed p. */
void report_discard(report_pending *p);

/* Writes the workbook at path (no temporary, no rename). */
int report_write(const char *path, const report_options *ro,
                 const output_data *o, diag *d);

#endif
