/* report_internal: what engine/report*.c share; not a public contract.
 *
 * report.c           public API: clock, temporary file and rename, workbook
 * report_cells.c     cell writers, formats, column widths
 * report_sheet.c     a sheet opened (page setup, row buffer) and closed
 * report_labels.c    French and English labels, sheet names
 * report_summary.c   Sommaire (tables and charts)
 * report_ranking.c   one sheet per sub-region
 * report_schedule.c  Versements
 * report_rejected.c  Non retenues
 * report_robust.c    Robustesse (margins, one-evaluator decisions)
 * report_params.c    Paramètres and the file hashes
 * report_equity.c    Équité territoriale, and the Sommaire's paragraph
 * report_zip.c       what libxlsxwriter hands minizip: level, write checks
 *
 * Writers never stop on a libxlsxwriter error: the first one is kept in
 * report_ctx.err (checked after each sheet), so the sheet code reads as a
 * layout, not as error handling. Rows are written in increasing order on
 * every sheet, as libxlsxwriter's constant_memory mode requires. */
#ifndef ALLIANCE_REPORT_INTERNAL_H
#define ALLIANCE_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xlsxwriter.h>

#include "hash.h"
#include "output.h"
#include "report.h"

/* Room for an application's reasons (output_reasons) or failed checks. */
#define REPORT_REASONS_MAX 8192

/* Labels, each in French and English (report_labels.c). */
typedef enum report_label {
    RL_SHEET_SUMMARY, RL_SHEET_SCHEDULE, RL_SHEET_REJECTED, RL_SHEET_PARAMS,
    RL_REPORT_TITLE, RL_PROGRAM, RL_RUN_ID, RL_RUN_DATE, RL_APPLICATIONS,
    RL_SEC_ENVELOPE, RL_SEC_SUBREGIONS, RL_SEC_YEARS, RL_SEC_STATUS,
    RL_SUBREGION, RL_FISCAL_YEAR, RL_TOTAL, RL_ENVELOPE, RL_REQUESTED,
    RL_GRANTED, RL_UNSPENT, RL_CARRIED_IN, RL_REMAINING,
    RL_CHART_SUBREGIONS, RL_CHART_YEARS,
    RL_RANK, RL_ID, RL_ORGANISATION, RL_TITLE, RL_SCORE, RL_STATUS,
    RL_REASONS, RL_JUSTIFICATION, RL_RANKING_OF,
    RL_INSTALMENT_NO, RL_INSTALMENT, RL_DUE_DATE, RL_SCHEDULE_TITLE,
    RL_TOTAL_OF, RL_REJECTED_TITLE,
    RL_PARAMS_TITLE, RL_RULE_FILE, RL_FILE, RL_SHA256, RL_ENGINE_VERSION,
    RL_XLSXWRITER_VERSION, RL_INPUT_FILE, RL_FILES, RL_ROLE, RL_THRESHOLD, RL_ON_OVERFLOW,
    RL_MIN_PARTIAL, RL_GRID, RL_CRITERION, RL_LABEL, RL_MAX_POINTS,
    RL_CHECKS, RL_CHECK, RL_SHARE, RL_AT, RL_SCHEDULE_BY_RULE,
    RL_OVERFLOW_SKIP, RL_OVERFLOW_STOP, RL_OVERFLOW_PARTIAL,
    RL_LEFTOVER, RL_LEFTOVER_RESERVE, RL_LEFTOVER_CARRY, RL_MAX_GRANT,
    RL_MAX_PER_ORG, RL_NONE, RL_PAGE_FOOTER,
    RL_COMMITTED, RL_SEC_COMMITTED,
    RL_METHOD, RL_METHOD_GREEDY, RL_METHOD_SHARES, RL_COMPLETION,
    RL_COMPLETION_GREEDY, RL_COMPLETION_NONE, RL_COMPLETION_ADD1, RL_UTILITY,
    RL_UTILITY_POINTS, RL_UTILITY_COST,
    RL_SHEET_ROBUST, RL_ROBUST_TITLE, RL_MARGIN, RL_MARGIN_RANK,
    RL_DECIDED_BY, RL_IN_WORDS, RL_MARGINS_SKIPPED, RL_WITHOUT_GRADES,
    RL_N_LABELS
} report_label;

/* Cell kinds, for formats and widths. */
typedef enum report_kind {
    RK_TEXT, RK_WRAP, RK_MONEY, RK_POINTS, RK_INT, RK_DATE, RK_N_KINDS
} report_kind;

/* Row styles: one per decision status (its fill colour), then plain. */
#define RS_PLAIN DECISION_N_STATUSES
#define RS_N (DECISION_N_STATUSES + 1)

/* Every format, also as one array (slot): report_par.c gives a second
 * thread its own copies. */
#define REPORT_N_FORMATS (8 + RS_N * RK_N_KINDS + RK_N_KINDS + DECISION_N_STATUSES)
typedef struct report_formats {
    union {
        struct {
            lxw_format *title, *section, *header, *label, *datetime;
            lxw_format *count_left, *points_left, *money_left; /* in a text column */
            lxw_format *cell[RS_N][RK_N_KINDS];
            lxw_format *total[RK_N_KINDS];  /* bold, top border */
            lxw_format *fill[DECISION_N_STATUSES]; /* conditional formats' fills */
        };
        lxw_format *slot[REPORT_N_FORMATS];
    };
} report_formats;

typedef struct report_hashes {
    char rules[HASH_SHA256_HEX];
    const char *input_names[6];
    char input[6][HASH_SHA256_HEX];
    size_t n_inputs;
} report_hashes;

/* report_zip.c: while a check is watched, closing a zip entry fails
 * (libxlsxwriter then reports LXW_ERROR_ZIP_FILE_ADD) when the part it
 * holds does not end with '>' or when sheet N's part is shorter than
 * sheet_bytes[N - 1]; failed and entry say which. NULL stops watching. */
#define REPORT_ZIP_NAME 64
typedef struct report_zip_check {
    uint64_t *sheet_bytes;        /* per worksheet, in workbook order */
    size_t n_sheets;
    int jobs;                     /* threads to deflate a part on */
    double deflate_cpu;           /* their CPU besides the caller's */
    size_t deflate_helped;        /* pieces deflated by a second thread */
    int failed;
    char entry[REPORT_ZIP_NAME];
} report_zip_check;
void report_zip_watch(report_zip_check *z);

/* report_par.c: the calling thread's CPU time, in seconds. */
double report_thread_cpu(void);

/* report_deflate.c: one zip entry's deflate stream, made of pieces
 * deflated on jobs threads (at most two), the same bytes for any jobs.
 * report_deflate_add takes the part's bytes in order and hands each
 * deflated piece to write(file, ...) (minizip's zipWriteInFileInZip on
 * an entry opened raw); report_deflate_finish writes the last piece and
 * gives the part's CRC-32 and size, for zipCloseFileInZipRaw64. Both
 * return 0, or -1 when zlib, memory or write failed (then the entry is
 * to be abandoned). level, bits, mem and strategy are deflateInit2's. */
#define REPORT_DEFLATE_PIECE (1u << 20) /* bytes of a part per piece */
typedef int (*report_deflate_write)(void *file, const void *buf, unsigned len);
typedef struct report_deflate report_deflate;
report_deflate *report_deflate_new(int level, int bits, int mem,
                                   int strategy, int jobs,
                                   report_deflate_write write, void *file);
int report_deflate_add(report_deflate *z, const void *buf, size_t len);
int report_deflate_finish(report_deflate *z, unsigned long *crc,
                          uint64_t *total);
/* The pieces deflated by the second thread, and its CPU seconds. */
size_t report_deflate_helped(const report_deflate *z, double *cpu);
void report_deflate_free(report_deflate *z);

typedef struct report_ctx {
    lxw_workbook *wb;
    const output_data *o;
    const report_options *opt;
    report_formats f;
    report_hashes h;
    char run_id[HASH_SHA256_HEX];
    lxw_error err;           /* first libxlsxwriter error, LXW_NO_ERROR */
    char bad_part[REPORT_ZIP_NAME + 48]; /* a sheet or part that lost data */
    int bad_errno;           /* why, when known */
    int oom;                 /* an allocation of ours failed */
    char *reasons;           /* OUTPUT_REASONS_MAX bytes of scratch */
    /* buffers of the sheets' temporary files (report_sheet.c) */
    struct report_stream_buf *stream_bufs;
    /* Applications in sheet order: by sub-region, then those on the
     * sub-region's sheet by rank, then below threshold by score, then
     * ineligible, ties by id. */
    size_t *order;
    size_t *ranked_first;    /* n_sub + 1: the sub-region sheet's part */
    size_t *rejected_first;  /* n_sub + 1: the Non retenues part */
    char **sheet_name;       /* n_sub; NULL: no sheet (no application) */
    const char *fixed_name[5];     /* the fixed sheets' names (the fifth:
                                      Robustesse, report_robust.c) */
    /* report_par.c: the worksheet the next report_sheet_open fills
     * (created beforehand, in tab order), and the sheet's conditional
     * fills, kept for later instead of added (defer_fills: a second
     * thread must not number the workbook's formats). */
    lxw_worksheet *sheet_ws;
    struct report_job *job;
    int defer_fills;
} report_ctx;

/* A worksheet being written, and the widest cell seen in each column. */
typedef struct report_sheet {
    report_ctx *c;
    lxw_worksheet *ws;
    const char *name;
    double *width;           /* characters, n_cols */
    double *cap;             /* largest width, n_cols; wrap beyond it */
    lxw_col_t n_cols;
} report_sheet;

/* report_labels.c */
const char *report_text(const report_ctx *c, report_label k);
const char *report_status_text(const report_ctx *c, decision_status s);
/* Sheet names: the fixed five, then one per sub-region with applications,
 * cleaned to Excel's rules and unique. 0, or -1 when out of memory. */
int report_sheet_names(report_ctx *c);
void report_sheet_names_free(report_ctx *c);
/* s without control characters (spaces instead), cut between characters
 * to fit max bytes; for a page header or footer (hf), & doubled. */
void report_clean_text(const char *s, char *out, size_t max, int hf);

/* report_cells.c */
int report_formats_init(report_ctx *c);

/* report_sheet.c */
/* closed: workbook_close succeeded (libxlsxwriter closed every sheet's
 * temporary file). */
void report_stream_bufs_free(report_ctx *c, int closed);
/* fp (nothing written to it yet) with a bigger buffer, kept in c. */
void report_stream_buffer(report_ctx *c, FILE *fp);
/* from's buffers become to's (report_par.c: the helper's). */
void report_stream_bufs_adopt(report_ctx *to, report_ctx *from);
int report_sheet_open(report_sheet *s, report_ctx *c, const char *name,
                      lxw_col_t n_cols);
int report_sheet_close(report_sheet *s, long header_row);

/* report_cells.c: the cells */
#define REPORT_DEFAULT_CAP 60.0 /* a column's width cap, in characters */
void report_set_cap(report_sheet *s, lxw_col_t col, double cap);
void rx_text(report_sheet *s, lxw_row_t r, lxw_col_t col, const char *text,
             lxw_format *f);
/* The same, without widening the column (titles, values that may spill
 * over empty neighbours). */
void rx_text_free(report_sheet *s, lxw_row_t r, lxw_col_t col,
                  const char *text, lxw_format *f);
/* rx_text, but nothing at all for "" (rx_text writes a formatted blank
 * cell: 74 000 of them on the sub-region sheets of 100 000 applications,
 * through libxlsxwriter's slowest path). */
void rx_text_some(report_sheet *s, lxw_row_t r, lxw_col_t col,
                  const char *text, lxw_format *f);
/* Conditional fills over rows first..last (all columns) by the text of
 * status_col: one rule per status whose bit is set in statuses. */
void rx_status_fills(report_sheet *s, lxw_row_t first, lxw_row_t last,
                     lxw_col_t status_col, unsigned statuses);
/* The same call, as rx_status_fills makes it on ws (or keeps it in
 * c->job when c->defer_fills). */
typedef struct report_fills {
    lxw_row_t first, last;
    lxw_col_t status_col, last_col;
    unsigned statuses;
} report_fills;
void report_fills_apply(report_ctx *c, lxw_worksheet *ws, const report_fills *f);
void rx_money(report_sheet *s, lxw_row_t r, lxw_col_t col, int64_t cents,
              lxw_format *f);
void rx_points(report_sheet *s, lxw_row_t r, lxw_col_t col,
               int64_t hundredths, lxw_format *f);
void rx_int(report_sheet *s, lxw_row_t r, lxw_col_t col, int64_t v,
            lxw_format *f);
void rx_date(report_sheet *s, lxw_row_t r, lxw_col_t col, cal_date date,
             lxw_format *f);
/* The run clock, as a date and time. */
void rx_run_time(report_sheet *s, lxw_row_t r, lxw_col_t col);
/* A formula with its cached value, value in the kind's engine units
 * (cents, hundredths of a point, or a count). */
void rx_formula(report_sheet *s, lxw_row_t r, lxw_col_t col,
                const char *formula, report_kind kind, int64_t value,
                lxw_format *f);
/* =SUM(first:last) down col, with its cached value. */
void rx_sum(report_sheet *s, lxw_row_t r, lxw_col_t col, lxw_row_t first,
            lxw_row_t last, report_kind kind, int64_t value, lxw_format *f);
/* =SUM(first:last) across row r, written at col. */
void rx_sum_row(report_sheet *s, lxw_row_t r, lxw_col_t col, lxw_col_t first,
                lxw_col_t last, report_kind kind, int64_t value, lxw_format *f);
/* A header row: labels in bold on a grey fill, wrapped. */
void rx_header(report_sheet *s, lxw_row_t r, const char *const *labels,
               lxw_col_t n);
/* Keeps the first libxlsxwriter error. */
void report_keep(report_ctx *c, lxw_error e);
/* Row height for the longest wrapped text of a row. */
void rx_row_lines(report_sheet *s, lxw_row_t r, size_t lines);
size_t report_text_lines(const report_sheet *s, lxw_col_t col,
                         const char *text);

/* Sheets. Each returns 0 or -1; the reason is in c->err or c->oom. */
int report_summary(report_ctx *c);
int report_ranking(report_ctx *c, size_t sub);
int report_schedule(report_ctx *c);
int report_rejected(report_ctx *c);
int report_robust(report_ctx *c);
int report_params(report_ctx *c);
/* report_equity.c: the sheet (none without figures), its name, and the
 * Sommaire's paragraph at row r (returns the row after it). */
int report_equity(report_ctx *c);
const char *report_equity_sheet_name(const report_ctx *c);
lxw_row_t report_equity_summary(report_sheet *s, lxw_row_t r);

/* report_par.c: every sheet, in tab order, on one thread or two
 * (jobs >= 2); 0 or -1 (the reason in c, as the one-thread run gives
 * it). *plan holds what must live until the workbook is closed or freed:
 * report_sheets_free after that. helper_cpu: the second thread's CPU
 * seconds; *threads: 1 or 2. */
typedef struct report_plan report_plan;
int report_sheets_write(report_ctx *c, int jobs, report_plan **plan,
                        int *threads, double *helper_cpu);
void report_sheets_free(report_plan *plan);
/* Why ws's rows' file lost data when report_par.c copied it (an errno
 * value), or 0. */
int report_sheet_errno(const report_plan *plan, const lxw_worksheet *ws);
/* Tests: >= 0 makes the second thread take the sheets from that one on
 * (in the plan's order) instead of sharing them out as they finish. */
extern long report_par_test_split;
/* Adds a conditional fill call to c->job (report_par.c). */
void report_defer_fills(report_ctx *c, const report_fills *f);

/* report_params.c: hashes of the rule file and input files, run id. */
int report_hashes_compute(report_ctx *c, diag *d);

/* Helpers shared by the sheets. */
/* A hint to the caches, where the compiler has one. */
#if defined(__GNUC__)
#define REPORT_PREFETCH(p) __builtin_prefetch(p)
#else
#define REPORT_PREFETCH(p) ((void)(p))
#endif
/* Hints the caches about c->order[i + a few] (rows up to end). */
void report_prefetch(const report_ctx *c, size_t i, size_t end);
int64_t report_requested(const report_ctx *c, size_t sub);
const char *report_instalment_label(const report_ctx *c,
                                    const disbursement *ds);

#endif
