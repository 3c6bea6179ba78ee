/* report_par: the workbook's sheets on one core or two, the same bytes
 * either way.
 *
 * In constant_memory mode each worksheet streams its rows into its own
 * temporary file, so two sheets can be filled at once if nothing shared
 * changes. Two things are shared:
 *   - the worksheets themselves, numbered as they are added: all of them
 *     are added first, in tab order (the plan below);
 *   - the formats' numbers (xf and dxf indices). libxlsxwriter numbers a
 *     format when it first writes a cell with it, in a table of the
 *     workbook's, so the numbers follow the order of first use in the
 *     one-thread run: the sheets' rows in tab order, then (at close) each
 *     sheet's last row.
 * So the caller's thread writes the first sheets in tab order, numbering
 * formats as the one-thread run does, while a helper writes the last ones
 * (from the end, until the two meet) with its own copies of the formats,
 * each carrying a code instead of a number (codes_assign), and keeps its
 * conditional fills for later. Once both are done, the caller adopts the
 * helper's sheets in tab order: it copies each temporary file with every
 * code replaced by the format's real number (numbering the new ones as it
 * meets them, as the one-thread run did), points the pending last row at
 * the real formats, and adds the fills. Then the sheets that add formats
 * or charts of their own (Équité territoriale) and Paramètres, in order.
 *
 * Errors: each thread stops at its first failing sheet; the caller's
 * sheets all come before the helper's, and the caller writes every sheet
 * before the helper's first, so the first failure in tab order is the
 * one reported, as in the one-thread run. */
#include "report_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "equity.h"

long report_par_test_split = -1;

typedef enum job_kind {
    JK_SUMMARY, JK_RANKING, JK_SCHEDULE, JK_REJECTED, JK_ROBUST, JK_EQUITY,
    JK_PARAMS
} job_kind;

struct report_job {
    job_kind kind;
    size_t sub;              /* JK_RANKING */
    const char *name;
    lxw_worksheet *ws;
    report_fills *fills;     /* kept by the helper (defer_fills) */
    size_t n_fills;
    int write_errno;         /* why its adopted rows' file lost data */
};

struct report_plan {
    struct report_job *job;  /* tab order */
    size_t n;
    /* Sheets the helper may write: [first, end). They use no format or
     * chart but the context's (report_formats). */
    size_t first, end;
    lxw_format *copy[REPORT_N_FORMATS]; /* the helper's formats, by slot */
    int32_t code[REPORT_N_FORMATS];     /* each one's code */
    size_t slot_of[REPORT_N_FORMATS + 1]; /* by code */
    int32_t number[REPORT_N_FORMATS];   /* each one's real xf index, or -1 */
};

void report_defer_fills(report_ctx *c, const report_fills *f)
{
    struct report_job *j = c->job;
    report_fills *more = j ? realloc(j->fills, (j->n_fills + 1) * sizeof *more) : NULL;
    if (!more) {
        c->oom = 1;
        return;
    }
    more[j->n_fills++] = *f;
    j->fills = more;
}

static void add_job(report_plan *p, job_kind k, size_t sub, const char *name)
{
    p->job[p->n++] = (struct report_job){k, sub, name, NULL, NULL, 0, 0};
}

/* The sheets report_summary ... report_params write, in tab order, each
 * one's worksheet added now (a sheet that would not be written has no
 * job: see report_robust and report_equity). */
static int sheets_plan(report_ctx *c, report_plan *p)
{
    const output_data *o = c->o;
    p->job = calloc(o->env->n_sub + 6, sizeof *p->job);
    if (!p->job) {
        c->oom = 1;
        return -1;
    }
    add_job(p, JK_SUMMARY, 0, c->fixed_name[0]);
    p->first = p->n;
    for (size_t s = 0; s < o->env->n_sub; s++)
        if (c->sheet_name[s])
            add_job(p, JK_RANKING, s, c->sheet_name[s]);
    add_job(p, JK_SCHEDULE, 0, c->fixed_name[1]);
    add_job(p, JK_REJECTED, 0, c->fixed_name[2]);
    if (o->robust)
        add_job(p, JK_ROBUST, 0, c->fixed_name[4]);
    p->end = p->n;
    if (o->equity && o->equity->n_levels)
        add_job(p, JK_EQUITY, 0, report_equity_sheet_name(c));
    add_job(p, JK_PARAMS, 0, c->fixed_name[3]);
    for (size_t i = 0; i < p->n; i++)
        if (!(p->job[i].ws = workbook_add_worksheet(c->wb, p->job[i].name))) {
            report_keep(c, LXW_ERROR_CREATING_TMPFILE);
            return -1;
        }
    return 0;
}

static int job_body(report_ctx *c, const struct report_job *j)
{
    switch (j->kind) {
    case JK_SUMMARY: return report_summary(c);
    case JK_RANKING: return report_ranking(c, j->sub);
    case JK_SCHEDULE: return report_schedule(c);
    case JK_REJECTED: return report_rejected(c);
    case JK_ROBUST: return report_robust(c);
    case JK_EQUITY: return report_equity(c);
    case JK_PARAMS: return report_params(c);
    }
    return -1;
}

static int run_job(report_ctx *c, struct report_job *j)
{
    c->sheet_ws = j->ws;
    c->job = j;
    int rc = job_body(c, j);
    /* a sheet the plan added but its writer skipped would be an empty
     * extra tab: the plan and the writers disagree */
    if (rc == 0 && c->sheet_ws) {
        report_keep(c, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        rc = -1;
    }
    c->sheet_ws = NULL;
    c->job = NULL;
    return rc;
}

static int run_range(report_ctx *c, report_plan *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (run_job(c, &p->job[i]) != 0)
            return -1;
    return 0;
}

/* Codes 1 to REPORT_N_FORMATS, one per slot. The nine formats the
 * Sommaire numbers first (1 to 9 in the one-thread run) have the
 * one-digit ones, so a helper's temporary file is as long as it will be
 * once adopted (a file size limit stops the same sheet), give or take
 * other Sommaires. */
static void codes_assign(const report_ctx *c, report_plan *p)
{
    const report_formats *f = &c->f;
    lxw_format *const first[] = {f->title, f->label, f->datetime,
        f->count_left, f->section, f->header, f->cell[RS_PLAIN][RK_MONEY],
        f->total[RK_TEXT], f->total[RK_MONEY]};
    int32_t next = (int32_t)(sizeof first / sizeof first[0]) + 1;
    for (size_t k = 0; k < REPORT_N_FORMATS; k++) {
        p->code[k] = 0;
        for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
            if (f->slot[k] == first[i])
                p->code[k] = (int32_t)i + 1;
        if (!p->code[k])
            p->code[k] = next++;
        p->slot_of[p->code[k]] = k;
    }
}

/* The helper's context: the caller's, with its own scratch, errors,
 * stream buffers and formats (copies numbered by code, so libxlsxwriter
 * never looks them up in the workbook's table). */
static int helper_ctx(report_ctx *c, report_plan *p, report_ctx *h)
{
    *h = *c;
    h->stream_bufs = NULL;
    h->defer_fills = 1;
    if (!(h->reasons = malloc(REPORT_REASONS_MAX)))
        return -1;
    for (size_t k = 0; k < REPORT_N_FORMATS; k++) {
        if (!(p->copy[k] = malloc(sizeof *p->copy[k])))
            return -1;
        memcpy(p->copy[k], c->f.slot[k], sizeof *p->copy[k]);
        p->copy[k]->xf_index = p->code[k];
        h->f.slot[k] = p->copy[k];
    }
    return 0;
}

/* The two threads' shares: the jobs [front, back) are not taken yet;
 * the caller takes from the front, the helper from the back (with
 * split: the caller below it, the helper from it on). */
typedef struct sharing {
    pthread_mutex_t mu;
    report_plan *p;
    report_ctx *helper;
    size_t front, back, split;
    int caller_failed;
    double helper_cpu;
} sharing;

static int take(sharing *sh, int helper, size_t *job)
{
    pthread_mutex_lock(&sh->mu);
    int free_ = sh->split == SIZE_MAX;
    int ok = sh->front < sh->back &&
             (helper ? !sh->caller_failed && (free_ || sh->back > sh->split)
                     : free_ || sh->front < sh->split);
    if (ok)
        *job = helper ? --sh->back : sh->front++;
    pthread_mutex_unlock(&sh->mu);
    return ok;
}

double report_thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *helper_body(void *arg)
{
    sharing *sh = arg;
    double c0 = report_thread_cpu();
    size_t j;
    while (take(sh, 1, &j))
        if (run_job(sh->helper, &sh->p->job[j]) != 0)
            break; /* the jobs before j are the caller's */
    sh->helper_cpu = report_thread_cpu() - c0;
    return NULL;
}

static void take_error(report_ctx *c, const report_ctx *h)
{
    c->err = h->err;
    c->oom = h->oom;
    c->bad_errno = h->bad_errno;
    memcpy(c->bad_part, h->bad_part, sizeof c->bad_part);
}

/* Adopting a helper's sheet (libxlsxwriter 1.1.4's worksheet: its rows'
 * temporary file and the pending last row). */
#define PATCH_CHUNK (256 * 1024)
#define PATCH_TAG_MAX 4096 /* libxlsxwriter's tags in sheetData: < 100 */

/* The real number of the format of code; libxlsxwriter
 * numbers it now if nothing did yet, as when the one-thread run first
 * wrote it. -1: not one of our codes. */
static int32_t number_of(report_ctx *c, report_plan *p, long code)
{
    if (code < 1 || code > (long)REPORT_N_FORMATS)
        return -1;
    size_t k = p->slot_of[code];
    int32_t *n = &p->number[k];
    if (*n < 0)
        *n = lxw_format_get_xf_index(c->f.slot[k]);
    return *n;
}

/* The cell tag at t ("<c r=\"A1\" s=\"code\"..."): *len, the bytes up
 * to and with the code's closing quote, and its code (0: no s=, -1: not
 * as libxlsxwriter writes it). n: the bytes available. */
static long cell_code(const char *t, size_t n, size_t *len)
{
    static const char r[] = "<c r=\"", st[] = " s=\"";
    size_t i = sizeof r - 1;
    if (n < i || memcmp(t, r, i) != 0)
        return 0;
    const char *q = memchr(t + i, '"', n - i);
    if (!q)
        return -1;
    i = (size_t)(q - t) + 1;
    if (n - i < sizeof st - 1 || memcmp(t + i, st, sizeof st - 1) != 0)
        return 0;
    i += sizeof st - 1;
    long code = 0;
    while (i < n && t[i] >= '0' && t[i] <= '9' && code < 100000)
        code = code * 10 + (t[i++] - '0');
    if (i >= n || t[i] != '"')
        return -1;
    *len = i + 1;
    return code;
}

/* buf[0..n) into out, the cells' codes as numbers (no s= for number 0,
 * as libxlsxwriter writes it); returns the bytes consumed (a tag cut by
 * the end of the chunk waits for the next one, unless at_end), or -1.
 * Only the cells carry codes: rows are set without a format
 * (rx_row_lines). '<' only starts a tag: text has it escaped. */
static long patch_chunk(report_ctx *c, report_plan *p, const char *buf,
                        size_t n, int at_end, FILE *out, char *obuf,
                        int *write_errno)
{
    size_t i = 0, copied = 0, o = 0, end = n;
    const char *lt;
    while (i < n && (lt = memchr(buf + i, '<', n - i))) {
        i = (size_t)(lt - buf);
        if (n - i < PATCH_TAG_MAX && !at_end && !memchr(lt, '>', n - i)) {
            end = i; /* the rest of the tag is in the next chunk */
            break;
        }
        size_t len = 0;
        long code = cell_code(lt, n - i, &len);
        int32_t number = code > 0 ? number_of(c, p, code) : 0;
        if (code < 0 || number < 0)
            return -1;
        if (code == 0) {
            i++;
            continue;
        }
        size_t a = len - 1; /* back to the " s=" before the code */
        while (lt[a - 1] != '=')
            a--;
        a -= 3;
        memcpy(obuf + o, buf + copied, i + a - copied);
        o += i + a - copied;
        if (number > 0)
            o += (size_t)sprintf(obuf + o, " s=\"%d\"", (int)number);
        i += len;
        copied = i;
    }
    memcpy(obuf + o, buf + copied, end - copied);
    o += end - copied;
    /* a write error stays in out's flag, for measure_sheets */
    if (fwrite(obuf, 1, o, out) != o && !*write_errno)
        *write_errno = errno;
    return (long)end;
}

/* in (read from its start) copied into out with the codes as numbers. */
static int patch_file(report_ctx *c, report_plan *p, FILE *in, FILE *out,
                      int *write_errno)
{
    /* every tag may grow by a few digits: twice the room is plenty */
    char *buf = malloc(PATCH_CHUNK + PATCH_TAG_MAX);
    char *obuf = malloc(2 * (PATCH_CHUNK + PATCH_TAG_MAX));
    size_t have = 0;
    int rc = buf && obuf ? 0 : -1;
    rewind(in);
    while (rc == 0) {
        size_t got = fread(buf + have, 1, PATCH_CHUNK, in);
        have += got;
        long used = patch_chunk(c, p, buf, have, got == 0, out, obuf,
                                write_errno);
        if (used < 0 || ferror(in)) {
            rc = -1;
            break;
        }
        memmove(buf, buf + used, have - (size_t)used);
        have -= (size_t)used;
        if (got == 0)
            break;
    }
    free(buf);
    free(obuf);
    return rc;
}

/* Cells of the pending row with one of the helper's formats get the
 * real one (libxlsxwriter writes the row when the workbook closes). */
static void pending_row_formats(report_ctx *c, report_plan *p, lxw_worksheet *ws)
{
    for (lxw_col_t col = 0; ws->array && col < LXW_COL_MAX; col++) {
        lxw_cell *cell = ws->array[col];
        int32_t code = cell && cell->format ? cell->format->xf_index : 0;
        if (code < 1 || code > (int32_t)REPORT_N_FORMATS)
            continue;
        size_t k = p->slot_of[code];
        if (p->copy[k] == cell->format)
            cell->format = c->f.slot[k];
    }
    lxw_row *row = ws->optimize_row;
    for (size_t k = 0; row && row->format && k < REPORT_N_FORMATS; k++)
        if (row->format == p->copy[k])
            row->format = c->f.slot[k];
}

/* A helper's sheet, as if the caller had written it, in tab order after
 * the sheets before it. A temporary file that failed is left for
 * measure_sheets to report (the first in tab order), as the one-thread
 * run does. */
static int adopt_sheet(report_ctx *c, report_plan *p, struct report_job *j)
{
    lxw_worksheet *ws = j->ws;
    FILE *in = ws->optimize_tmpfile;
    if (in && !ferror(in) && fflush(in) != 0)
        j->write_errno = errno; /* measure_sheets's fflush may not see it */
    else if (in && !ferror(in)) {
        FILE *out = lxw_tmpfile(NULL);
        if (!out) {
            report_keep(c, LXW_ERROR_CREATING_TMPFILE);
            return -1;
        }
        report_stream_buffer(c, out);
        if (patch_file(c, p, in, out, &j->write_errno) != 0) {
            fclose(out);
            report_keep(c, LXW_ERROR_READING_TMPFILE);
            return -1;
        }
        /* the rows go to ws->file, which is the same FILE until the
         * workbook closes and writes the pending row there */
        if (ws->file == in)
            ws->file = out;
        ws->optimize_tmpfile = out;
        fclose(in);
    }
    pending_row_formats(c, p, ws);
    for (size_t i = 0; i < j->n_fills; i++)
        report_fills_apply(c, ws, &j->fills[i]);
    return c->err != LXW_NO_ERROR || c->oom ? -1 : 0;
}

static int run_two(report_ctx *c, report_plan *p, int *threads,
                   double *helper_cpu)
{
    report_ctx h;
    sharing sh = {.p = p, .helper = &h, .front = p->first, .back = p->end,
                  .split = SIZE_MAX};
    if (report_par_test_split >= 0)
        sh.split = (size_t)report_par_test_split;
    pthread_t th;
    codes_assign(c, p);
    if (helper_ctx(c, p, &h) != 0) {
        free(h.reasons);
        c->oom = 1;
        return -1;
    }
    pthread_mutex_init(&sh.mu, NULL);
    /* no thread: the caller takes every job from the front */
    int started = pthread_create(&th, NULL, helper_body, &sh) == 0;
    if (!started)
        sh.split = SIZE_MAX;
    int rc = run_range(c, p, 0, p->first);
    size_t j;
    while (rc == 0 && take(&sh, 0, &j))
        rc = run_job(c, &p->job[j]);
    if (rc != 0) {
        pthread_mutex_lock(&sh.mu);
        sh.caller_failed = 1;
        pthread_mutex_unlock(&sh.mu);
    }
    if (started)
        pthread_join(th, NULL);
    par_gate_open(c->opt->sheets_done); /* adopting and zipping: one thread */
    pthread_mutex_destroy(&sh.mu);
    report_stream_bufs_adopt(c, &h);
    free(h.reasons);
    *helper_cpu = sh.helper_cpu;
    *threads = sh.back < p->end ? 2 : 1; /* the helper wrote a sheet */
    if (rc != 0)
        return -1;
    if (h.err != LXW_NO_ERROR || h.oom) {
        take_error(c, &h);
        return -1;
    }
    for (size_t i = sh.back; i < p->end; i++)
        if (adopt_sheet(c, p, &p->job[i]) != 0)
            return -1;
    return 0;
}

int report_sheets_write(report_ctx *c, int jobs, report_plan **plan,
                        int *threads, double *helper_cpu)
{
    report_plan *p = calloc(1, sizeof *p);
    *plan = p;
    *threads = 1;
    *helper_cpu = 0;
    if (!p) {
        c->oom = 1;
        return -1;
    }
    for (size_t k = 0; k < REPORT_N_FORMATS; k++)
        p->number[k] = -1;
    if (sheets_plan(c, p) != 0)
        return -1;
#if LXW_VERSION_ID == 114 /* report_adopt_sheet reads its worksheets */
    if (jobs >= 2 && p->end - p->first >= 2) {
        if (run_two(c, p, threads, helper_cpu) != 0)
            return -1;
        return run_range(c, p, p->end, p->n);
    }
#else
    (void)jobs;
#endif
    return run_range(c, p, 0, p->n);
}

int report_sheet_errno(const report_plan *p, const lxw_worksheet *ws)
{
    for (size_t i = 0; p && i < p->n; i++)
        if (p->job[i].ws == ws)
            return p->job[i].write_errno;
    return 0;
}

void report_sheets_free(report_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->job[i].fills);
    free(p->job);
    for (size_t k = 0; k < REPORT_N_FORMATS; k++)
        free(p->copy[k]);
    free(p);
}
