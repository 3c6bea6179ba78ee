/* report: see include/report.h. The workbook's parts are written by the
 * other engine/report_*.c files (see report_internal.h). */
#include "report_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "dev"
#endif

/* constant_memory: each row goes to a temporary file as soon as the next
 * one starts, instead of a tree of every cell (measured at 100 000
 * applications: see README). It requires rows in increasing order, which
 * every sheet keeps, and inlines strings instead of sharing them. */
#define REPORT_CONSTANT_MEMORY 1
/* The last second Excel can show: 9999-12-31 23:59:59 UTC. */
#define CLOCK_MAX INT64_C(253402300799)

int report_parse_lang(const char *s, report_lang *out)
{
    if (!strcmp(s, "fr"))
        *out = REPORT_FR;
    else if (!strcmp(s, "en"))
        *out = REPORT_EN;
    else
        return -1;
    return 0;
}

static int parse_epoch(const char *s, int64_t *out)
{
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || (v = v * 10 + (*p - '0')) > CLOCK_MAX)
            return -1;
    }
    *out = v;
    return 0;
}

int report_clock(const char *sde, const char *as_of, int64_t now,
                 int64_t *out, diag *d)
{
    if (sde && *sde) {
        if (parse_epoch(sde, out) != 0)
            return diag_add(d, DIAG_USAGE, "SOURCE_DATE_EPOCH=%.40s is not a "
                            "number of seconds since 1970-01-01", sde);
        return 0;
    }
    if (as_of) {
        cal_date day;
        if (cal_parse_date(as_of, strlen(as_of), &day) != 0 || day < 0)
            return diag_add(d, DIAG_USAGE, "--as-of %.40s is not a date "
                            "YYYY-MM-DD from 1970 on", as_of);
        *out = (int64_t)day * 86400;
        return 0;
    }
    *out = now;
    return 0;
}

/* Sorting key of an application: sub-region and group packed in one
 * number (group 0 ranked, 1 on its sheet without a rank, 2 below the
 * threshold, 3 ineligible), then rank or -score, then id. */
typedef struct report_key {
    uint64_t where;
    int64_t key;
    const char *id;
    size_t app;
} report_key;

static int key_cmp(const void *a, const void *b)
{
    const report_key *x = a, *y = b;
    if (x->where != y->where)
        return x->where < y->where ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->id, y->id);
}

static report_key key_of(const output_data *o, size_t a)
{
    const decision *dec = &o->alloc->decisions[a];
    report_key k = {0, -o->res->score[a], o->in->apps[a].id, a};
    uint64_t group = 1;
    if (dec->status == DECISION_INELIGIBLE) {
        group = 3;
        k.key = 0;
    } else if (dec->status == DECISION_BELOW_THRESHOLD) {
        group = 2;
    } else if (dec->rank > 0) {
        group = 0;
        k.key = dec->rank;
    }
    k.where = (uint64_t)o->in->apps[a].subregion << 2 | group;
    return k;
}

/* c->order, and where each sub-region's two parts start in it. */
static int build_order(report_ctx *c)
{
    size_t n = c->o->in->n_apps, n_sub = c->o->env->n_sub;
    report_key *keys = malloc((n + 1) * sizeof *keys);
    c->order = malloc((n + 1) * sizeof *c->order);
    c->ranked_first = malloc((n_sub + 1) * sizeof *c->ranked_first);
    c->rejected_first = malloc((n_sub + 1) * sizeof *c->rejected_first);
    if (!keys || !c->order || !c->ranked_first || !c->rejected_first) {
        free(keys);
        return -1;
    }
    for (size_t a = 0; a < n; a++)
        keys[a] = key_of(c->o, a);
    qsort(keys, n, sizeof *keys, key_cmp);
    size_t i = 0;
    for (size_t a = 0; a < n; a++)
        c->order[a] = keys[a].app;
    for (size_t s = 0; s <= n_sub; s++) {
        c->ranked_first[s] = i;
        while (i < n && keys[i].where >> 2 == s && (keys[i].where & 3) < 2)
            i++;
        c->rejected_first[s] = i;
        while (i < n && keys[i].where >> 2 == s)
            i++;
    }
    free(keys);
    return 0;
}

/* The sheets visit the applications in rank order, far from the order
 * they were loaded in, so each row's application, decision, points and
 * strings were cache misses: a fifth of the sheets' time at 100 000
 * applications (perf: the first load of each, in app_row and strlen).
 * Row i + AHEAD's records are asked for now, and its strings, whose
 * addresses are in those records, half-way there. */
#define PREFETCH_AHEAD 8
#define PREFETCH REPORT_PREFETCH

void report_prefetch(const report_ctx *c, size_t i, size_t end)
{
    const output_data *o = c->o;
    if (i + PREFETCH_AHEAD < end) {
        size_t a = c->order[i + PREFETCH_AHEAD];
        PREFETCH(&o->in->apps[a]);
        PREFETCH(&o->in->apps[a].extra);
        PREFETCH(&o->alloc->decisions[a]);
        PREFETCH(&o->res->score[a]);
        PREFETCH(&o->res->points[a * o->cfg->n_criteria]);
        PREFETCH(&o->res->first_failure[a]);
    }
    if (i + PREFETCH_AHEAD / 2 < end) {
        const application *app = &o->in->apps[c->order[i + PREFETCH_AHEAD / 2]];
        PREFETCH(app->id);
        PREFETCH(app->organisation);
        PREFETCH(app->title);
    }
}

int64_t report_requested(const report_ctx *c, size_t sub)
{
    int64_t sum = 0;
    for (size_t i = c->ranked_first[sub]; i < c->ranked_first[sub + 1]; i++)
        sum += c->o->in->apps[c->order[i]].requested;
    return sum;
}

const char *report_instalment_label(const report_ctx *c, const disbursement *ds)
{
    const rules_config *cfg = c->o->cfg;
    const rules_results *res = c->o->res;
    if (cfg->has_schedule_fn)
        return res->labels && ds->label < res->n_labels ? res->labels[ds->label] : "";
    return ds->label < cfg->n_instalments ? cfg->instalments[ds->label].label : "";
}

/* Title, author and dates of the document. libxlsxwriter reads a
 * created time of 0 as "now": the epoch itself becomes one second. */
static void set_properties(report_ctx *c)
{
    char program[256], title[400], author[] = "alliance", comments[200];
    report_clean_text(c->o->cfg->program, program, sizeof program, 0);
    snprintf(title, sizeof title, "%s — %s", report_text(c, RL_REPORT_TITLE),
             program);
    snprintf(comments, sizeof comments, "alliance %s, %s %s", ALLIANCE_VERSION,
             report_text(c, RL_RUN_ID), c->run_id);
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    p.title = title;
    p.subject = program;
    p.author = author;
    p.comments = comments;
    p.created = (time_t)(c->opt->run_time > 0 ? c->opt->run_time : 1);
    report_keep(c, workbook_set_properties(c->wb, &p));
}

/* What each sheet's rows came to in its temporary file, once the file
 * took them all: a write error there (disk full, file size limit) is
 * caught now, and report_zip.c checks later that the copy into the zip
 * lost nothing. */
static int measure_sheets(report_ctx *c, const report_plan *plan,
                          report_zip_check *z)
{
#if LXW_VERSION_ID == 114
    size_t n = 0;
    lxw_worksheet *ws;
    STAILQ_FOREACH(ws, c->wb->worksheets, list_pointers)
        n++;
    uint64_t *bytes = calloc(n ? n : 1, sizeof *bytes);
    if (!bytes) {
        c->oom = 1;
        return -1;
    }
    z->sheet_bytes = bytes;
    z->n_sheets = n;
    STAILQ_FOREACH(ws, c->wb->worksheets, list_pointers) {
        FILE *fp = ws->optimize_tmpfile;
        off_t at;
        errno = 0;
        if (fp && (fflush(fp) != 0 || ferror(fp) || (at = ftello(fp)) < 0)) {
            snprintf(c->bad_part, sizeof c->bad_part, "sheet '%s'", ws->name);
            c->bad_errno = errno ? errno : report_sheet_errno(plan, ws);
            report_keep(c, LXW_ERROR_ZIP_FILE_ADD);
            return -1;
        }
        *bytes++ = fp ? (uint64_t)at : 0;
    }
#else
    (void)c, (void)plan, (void)z; /* only the closing tags are checked */
#endif
    return 0;
}

/* The sheets, then the writers waiting beside the workbook may go: what
 * is left of it (zipping the parts) runs on one thread. */
static int sheets_write(report_ctx *c, report_plan **plan, report_stats *st)
{
    int rc = report_sheets_write(c, c->opt->jobs, plan, &st->sheet_threads,
                                 &st->helper_cpu);
    par_gate_open(c->opt->sheets_done);
    return rc;
}

static int write_workbook(report_ctx *c, const char *path, report_stats *st)
{
    lxw_workbook_options wo = {REPORT_CONSTANT_MEMORY, NULL, 0};
    if (!(c->wb = workbook_new_opt(path, &wo))) {
        c->oom = 1;
        return -1;
    }
    set_properties(c);
    report_zip_check z = {0};
    z.jobs = c->opt->jobs;
    report_plan *plan = NULL;
    if (report_formats_init(c) != 0 ||
        sheets_write(c, &plan, st) != 0 ||
        measure_sheets(c, plan, &z) != 0) {
        lxw_workbook_free(c->wb); /* frees without writing anything */
        c->wb = NULL;
        report_stream_bufs_free(c, 0);
        report_sheets_free(plan);
        free(z.sheet_bytes);
        return -1;
    }
    report_zip_watch(&z);
    lxw_error e = workbook_close(c->wb);
    report_zip_watch(NULL);
    st->helper_cpu += z.deflate_cpu;
    st->deflate_threads = z.deflate_helped ? 2 : 1;
    free(z.sheet_bytes);
    c->wb = NULL;
    report_stream_bufs_free(c, e == LXW_NO_ERROR);
    report_sheets_free(plan);
    report_keep(c, e);
    if (z.failed)
        snprintf(c->bad_part, sizeof c->bad_part, "part %s", z.entry);
    return c->err == LXW_NO_ERROR ? 0 : -1;
}

/* A libxlsxwriter error as a diag status and message. */
static int report_failure(const report_ctx *c, const char *path, diag *d)
{
    lxw_error e = c->err;
    if (c->bad_part[0])
        return diag_add(d, DIAG_IOERR, "cannot write %s: %s lost data in "
                        "libxlsxwriter's temporary files (%s; disk full or "
                        "file size limit?)", path, c->bad_part,
                        c->bad_errno ? strerror(c->bad_errno) : "write error");
    if (c->oom || e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return diag_add(d, DIAG_OSERR, "out of memory writing %s", path);
    if (e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE ||
        e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
        return diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", path,
                        lxw_strerror(e));
    if (e >= LXW_ERROR_READING_TMPFILE && e <= LXW_ERROR_ZIP_CLOSE)
        return diag_add(d, DIAG_IOERR, "cannot write %s: %s", path,
                        lxw_strerror(e));
    return diag_add(d, DIAG_INTERNAL, "%s: libxlsxwriter refused: %s", path,
                    lxw_strerror(e));
}

/* The file is complete on disk before anyone renames it into place. */
static int sync_file(const char *path, diag *d)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        return diag_add(d, DIAG_IOERR, "cannot write %s: %s", path,
                        strerror(saved));
    }
    close(fd);
    return 0;
}

static void ctx_free(report_ctx *c)
{
    report_sheet_names_free(c);
    free(c->order);
    free(c->ranked_first);
    free(c->rejected_first);
    free(c->reasons);
}

/* libxlsxwriter creates the file only when closing the workbook, and then
 * prints its own message: find out first, with errno's reason. */
static int can_create(const char *path, diag *d)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", path,
                        strerror(errno));
    fclose(fp);
    return 0;
}

static int write_report(const char *path, const report_options *ro,
                        const output_data *o, report_stats *st, diag *d)
{
    report_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.opt = ro;
    c.err = LXW_NO_ERROR;
    int rc = report_hashes_compute(&c, d);
    if (rc == 0)
        rc = can_create(path, d);
    if (rc != 0)
        return rc;
    if (build_order(&c) != 0 || report_sheet_names(&c) != 0 ||
        !(c.reasons = malloc(REPORT_REASONS_MAX)))
        rc = diag_add(d, DIAG_OSERR, "out of memory writing %s", path);
    else if (write_workbook(&c, path, st) != 0)
        rc = report_failure(&c, path, d);
    else
        rc = sync_file(path, d);
    if (rc != 0)
        unlink(path); /* no half-written workbook */
    ctx_free(&c);
    return rc;
}

int report_write(const char *path, const report_options *ro,
                 const output_data *o, diag *d)
{
    report_stats st;
    return write_report(path, ro, o, &st, d);
}

static char *join(const char *dir, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s", dir, name, suffix);
    return p;
}

/* mkdir -p: creates the missing parents first, from the deepest. */
static int make_dirs(char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    char *slash = strrchr(path, '/');
    if (errno != ENOENT || !slash || slash == path)
        return -1;
    *slash = '\0';
    int rc = make_dirs(path);
    *slash = '/';
    if (rc != 0)
        return -1;
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int report_prepare(const char *out_dir, const report_options *ro,
                   const output_data *o, report_pending *p, diag *d)
{
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    memset(p, 0, sizeof *p);
    char *dir = strdup(out_dir);
    int made = dir ? make_dirs(dir) : -1;
    int saved = errno;
    free(dir);
    if (made != 0)
        return diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", out_dir,
                        strerror(saved));
    p->tmp = join(out_dir, ".report.xlsx", suffix);
    p->final = join(out_dir, "report.xlsx", "");
    if (!p->tmp || !p->final) {
        report_discard(p);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    struct stat st;
    int rc = 0;
    if (stat(p->final, &st) == 0 && !S_ISREG(st.st_mode))
        rc = diag_add(d, DIAG_CANTCREAT, "cannot replace %s: not a file",
                      p->final);
    if (rc == 0)
        rc = write_report(p->tmp, ro, o, &p->stats, d);
    if (rc != 0)
        report_discard(p);
    return rc;
}

int report_commit(report_pending *p, diag *d)
{
    if (rename(p->tmp, p->final) != 0)
        return diag_add(d, DIAG_CANTCREAT, "cannot rename %s to %s: %s",
                        p->tmp, p->final, strerror(errno));
    free(p->tmp);
    p->tmp = NULL;
    return 0;
}

void report_discard(report_pending *p)
{
    if (p->tmp)
        unlink(p->tmp);
    free(p->tmp);
    free(p->final);
    p->tmp = p->final = NULL;
}
