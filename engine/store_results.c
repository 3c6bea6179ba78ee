/* store_results: writes a successful run's results inside the run's
 * transaction (see store_write_results in store_internal.h).
 *
 * Speed matters (a million applications a run): the few rows of the rule
 * file's lists and the split grid go through cached prepared statements;
 * the per-application tables through one statement each (store_bulk.c),
 * their values produced row by row from the run in memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define STORE_REASONS_MAX 8192
#define STORE_CACHE_DEFAULT_KIB 2000 /* SQLite's */
#define STORE_CACHE_MAX_KIB (256 * 1024)
#define NO_SLOT SIZE_MAX

/* Buffers of the writer, allocated once per run. */
typedef struct writer {
    store *s;
    const output_data *o;
    const rank_order *order;
    int64_t run;
    diag *d;
    char *extra;              /* one application's extra values */
    size_t extra_cap;
    char *reasons;            /* STORE_REASONS_MAX */
    unsigned char *points;    /* n_criteria int32 */
    unsigned char *left_blob; /* n_years int64 */
    int64_t *left;            /* per reached application, n_years each */
    size_t *slot;             /* n_apps: its row in left, or NO_SLOT */
    size_t *first_item;       /* n_apps + 1 offsets into sched->items */
    size_t failure_app;       /* the application of the failure row */
} writer;

static void writer_free(writer *w)
{
    free(w->extra);
    free(w->reasons);
    free(w->points);
    free(w->left_blob);
    free(w->left);
    free(w->slot);
    free(w->first_item);
}

/* Disbursements are sorted by application: index them. */
static void index_items(writer *w)
{
    const sched_list *sl = w->o->sched;
    size_t n = w->o->in->n_apps;
    memset(w->first_item, 0, (n + 1) * sizeof *w->first_item);
    for (size_t i = 0; i < sl->n; i++)
        w->first_item[sl->items[i].app + 1]++;
    for (size_t a = 0; a < n; a++)
        w->first_item[a + 1] += w->first_item[a];
}

/* Records what app's envelope row has left in each year, then charges
 * the app's own instalments to spent. */
static void take_turn(writer *w, size_t app, size_t *next, int64_t *spent)
{
    const split_grid *g = w->o->env;
    size_t ny = g->n_years, row = w->o->alloc->decisions[app].source;
    w->slot[app] = *next;
    int64_t *left = &w->left[(*next)++ * ny];
    for (size_t y = 0; y < ny; y++)
        left[y] = g->cell[row * ny + y] -
                  alloc_committed(w->o->alloc, row * ny + y) -
                  spent[row * ny + y];
    for (size_t i = w->first_item[app]; i < w->first_item[app + 1]; i++) {
        const disbursement *ds = &w->o->sched->items[i];
        spent[ds->source * ny + (size_t)ds->year] += ds->amount;
    }
}

/* Replays the allocation's order from its results: forced grants first,
 * in overrides.csv order, then each sub-region's candidates in rank
 * order, as allocate does. What each envelope row had left when an
 * application's turn came is then exact, without allocate exposing its
 * intermediate states. */
static int compute_turns(writer *w)
{
    const output_data *o = w->o;
    size_t n = o->in->n_apps, ny = o->env->n_years;
    size_t reached = w->order->n + o->in->n_overrides;
    int64_t *spent = calloc(o->env->n_sub * ny + 1, sizeof *spent);
    w->left = malloc((reached * ny + 1) * sizeof *w->left);
    if (!spent || !w->left) {
        free(spent);
        return -1;
    }
    for (size_t a = 0; a < n; a++)
        w->slot[a] = NO_SLOT;
    size_t next = 0;
    for (size_t i = 0; i < o->in->n_overrides; i++) {
        const override_row *ov = &o->in->overrides[i];
        if (ov->kind == INPUTS_OVERRIDE_FUND && w->slot[ov->app] == NO_SLOT)
            take_turn(w, ov->app, &next, spent);
    }
    for (size_t i = 0; i < w->order->n; i++) {
        size_t app = w->order->apps[i];
        if (o->alloc->decisions[app].status != DECISION_OVERRIDDEN)
            take_turn(w, app, &next, spent);
    }
    free(spent);
    return 0;
}

static int writer_open(writer *w, diag *d)
{
    const output_data *o = w->o;
    size_t n = o->in->n_apps;
    w->extra_cap = 256;
    w->extra = malloc(w->extra_cap);
    w->reasons = malloc(STORE_REASONS_MAX);
    w->points = malloc(o->cfg->n_criteria * 4 + 1);
    w->left_blob = malloc(o->env->n_years * 8 + 1);
    w->slot = malloc((n + 1) * sizeof *w->slot);
    w->first_item = malloc((n + 1) * sizeof *w->first_item);
    if (!w->extra || !w->reasons || !w->points || !w->left_blob ||
        !w->slot || !w->first_item)
        return diag_add(d, DIAG_OSERR, "out of memory");
    index_items(w);
    if (compute_turns(w) != 0)
        return diag_add(d, DIAG_OSERR, "out of memory");
    return 0;
}

/* ---- the rule file's lists and the split grid ------------------------ */

static int write_rules(writer *w)
{
    const rules_config *cfg = w->o->cfg;
    int rc = 0;
    for (size_t i = 0; i < cfg->n_checks && rc == 0; i++) {
        int err = SQLITE_OK;
        sqlite3_stmt *st = store_stmt(w->s, STORE_INS_CHECK, w->d, &rc);
        if (!st)
            break;
        store_bind_i64(st, 1, w->run, &err);
        store_bind_i64(st, 2, (int64_t)i, &err);
        store_bind_str(st, 3, cfg->checks[i].id, &err);
        store_bind_str(st, 4, cfg->checks[i].label, &err);
        rc = store_row_done(w->s, st, err, "recording a check", w->d);
    }
    for (size_t i = 0; i < cfg->n_criteria && rc == 0; i++) {
        int err = SQLITE_OK;
        sqlite3_stmt *st = store_stmt(w->s, STORE_INS_CRITERION, w->d, &rc);
        if (!st)
            break;
        store_bind_i64(st, 1, w->run, &err);
        store_bind_i64(st, 2, (int64_t)i, &err);
        store_bind_str(st, 3, cfg->criteria[i].id, &err);
        store_bind_str(st, 4, cfg->criteria[i].label, &err);
        store_bind_i64(st, 5, cfg->criteria[i].max, &err);
        rc = store_row_done(w->s, st, err, "recording a criterion", w->d);
    }
    return rc;
}

static int write_cell(writer *w, size_t s, size_t y)
{
    const split_grid *g = w->o->env;
    const alloc_result *r = w->o->alloc;
    size_t k = s * g->n_years + y;
    int rc = 0, err = SQLITE_OK;
    sqlite3_stmt *st = store_stmt(w->s, STORE_INS_CELL, w->d, &rc);
    if (!st)
        return rc;
    store_bind_i64(st, 1, w->run, &err);
    store_bind_i64(st, 2, (int64_t)s, &err);
    store_bind_i64(st, 3, g->first_year + (int64_t)y, &err);
    store_bind_i64(st, 4, g->cell[k], &err);
    store_bind_i64(st, 5, r->carried_in[k], &err);
    store_bind_i64(st, 6, r->granted[k], &err);
    store_bind_i64(st, 7, r->remaining[k], &err);
    store_bind_i64(st, 8, alloc_carried_out(r, g, s, y), &err);
    store_bind_i64(st, 9, alloc_to_reserve(r, g, s, y), &err);
    return store_row_done(w->s, st, err, "recording the split", w->d);
}

static int write_grid(writer *w)
{
    const split_grid *g = w->o->env;
    int rc = 0;
    for (size_t s = 0; s < g->n_sub && rc == 0; s++) {
        int err = SQLITE_OK;
        sqlite3_stmt *st = store_stmt(w->s, STORE_INS_SUB, w->d, &rc);
        if (!st)
            break;
        store_bind_i64(st, 1, w->run, &err);
        store_bind_i64(st, 2, (int64_t)s, &err);
        store_bind_str(st, 3, g->name[s], &err);
        store_bind_i64(st, 4, g->is_reserve[s], &err);
        store_bind_i64(st, 5, g->total[s], &err);
        rc = store_row_done(w->s, st, err, "recording the split", w->d);
        for (size_t y = 0; y < g->n_years && rc == 0; y++)
            rc = write_cell(w, s, y);
    }
    return rc;
}

/* ---- applications, decisions, failed checks, instalments ------------- *
 * One INSERT ... SELECT per table (store_bulk.c): the callbacks below give
 * a row's columns, ?1 the run. Text that lives as long as the run in
 * memory (ids, names, labels) is passed SQLITE_STATIC, uncopied; text
 * and blobs built in the writer's buffers, reused row after row, are
 * copied (SQLITE_TRANSIENT, into memory SQLite keeps from row to row).
 * OR ROLLBACK: a failed insert fails the whole run's transaction anyway,
 * and with the default ABORT SQLite would journal every page an insert
 * changes so as to undo that statement alone (60 MB at 1M). */

static const char app_sql[] =
    "INSERT OR ROLLBACK INTO application (run_id, app, id, organisation,"
    " sub, title, org_type, requested, total_cost, start, months, line,"
    " extra)"
    " SELECT ?1, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12"
    " FROM alliance_rows";
static const char decision_sql[] =
    "INSERT OR ROLLBACK INTO decision (run_id, app, status, rank, eligible,"
    " score, points, granted, source, short_year, override_justification,"
    " reasons, envelope_left)"
    " SELECT ?1, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12"
    " FROM alliance_rows";
static const char failure_sql[] =
    "INSERT OR ROLLBACK INTO check_failure (run_id, app, check_idx, reason)"
    " SELECT ?1, c1, c2, c3 FROM alliance_rows";
static const char instalment_sql[] =
    "INSERT OR ROLLBACK INTO instalment (run_id, app, number, label, due,"
    " fiscal_year, source, amount)"
    " SELECT ?1, c1, c2, c3, c4, c5, c6, c7 FROM alliance_rows";

/* NULL text is SQL NULL, as store_bind_str binds it. */
static int put_text(sqlite3_context *out, const char *v)
{
    if (v)
        sqlite3_result_text(out, v, -1, SQLITE_STATIC);
    else
        sqlite3_result_null(out);
    return SQLITE_OK;
}

static int put_copy(sqlite3_context *out, const char *v)
{
    sqlite3_result_text(out, v, -1, SQLITE_TRANSIENT);
    return SQLITE_OK;
}

static int put_i64(sqlite3_context *out, int64_t v)
{
    sqlite3_result_int64(out, v);
    return SQLITE_OK;
}

/* An integer, or NULL when absent. */
static int put_opt(sqlite3_context *out, int present, int64_t v)
{
    if (present)
        sqlite3_result_int64(out, v);
    else
        sqlite3_result_null(out);
    return SQLITE_OK;
}

/* The application's extra values joined by U+001F, in w->extra. */
static int join_values(writer *w, const application *app)
{
    size_t n = w->o->in->n_extra, len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(app->extra[i]) + 1;
    if (len > w->extra_cap) {
        char *grown = realloc(w->extra, len);
        if (!grown)
            return -1;
        w->extra = grown;
        w->extra_cap = len;
    }
    char *p = w->extra;
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = '\x1f';
        size_t l = strlen(app->extra[i]);
        memcpy(p, app->extra[i], l);
        p += l;
    }
    *p = '\0';
    return 0;
}

static int app_column(void *ctx, size_t a, int col, sqlite3_context *out)
{
    writer *w = ctx;
    const application *app = &w->o->in->apps[a];
    char date[CAL_DATE_BUFSZ];
    switch (col) {
    case 1: return put_i64(out, (int64_t)a);
    case 2: return put_text(out, app->id);
    case 3: return put_text(out, app->organisation);
    case 4: return put_i64(out, (int64_t)app->subregion);
    case 5: return put_text(out, app->title ? app->title : "");
    case 6: return put_text(out, app->org_type ? app->org_type : "");
    case 7: return put_i64(out, app->requested);
    case 8: return put_i64(out, app->total_cost);
    case 9:
        return app->has_start ? put_copy(out, cal_format_date(app->start, date))
                              : put_text(out, NULL);
    case 10: return put_opt(out, app->months > 0, app->months);
    case 11: return put_i64(out, app->line);
    case 12: return join_values(w, app) == 0 ? put_copy(out, w->extra)
                                             : SQLITE_NOMEM;
    default: return put_text(out, NULL);
    }
}

/* Criterion points, int32 LE hundredths in rule_criterion order. */
static int put_points(writer *w, size_t a, sqlite3_context *out)
{
    size_t nc = w->o->cfg->n_criteria;
    for (size_t c = 0; c < nc; c++)
        store_put_i32(w->points + 4 * c, w->o->res->points[a * nc + c]);
    if (nc == 0)
        sqlite3_result_zeroblob(out, 0); /* empty, not NULL */
    else
        sqlite3_result_blob(out, w->points, (int)(4 * nc), SQLITE_TRANSIENT);
    return SQLITE_OK;
}

/* What the application's envelope row had left in each year at its turn,
 * int64 LE cents; NULL when it was never reached. */
static int put_left(writer *w, size_t a, sqlite3_context *out)
{
    size_t ny = w->o->env->n_years;
    if (w->slot[a] == NO_SLOT)
        return put_text(out, NULL);
    for (size_t y = 0; y < ny; y++)
        store_put_i64(w->left_blob + 8 * y, w->left[w->slot[a] * ny + y]);
    if (ny == 0)
        sqlite3_result_zeroblob(out, 0);
    else
        sqlite3_result_blob(out, w->left_blob, (int)(8 * ny), SQLITE_TRANSIENT);
    return SQLITE_OK;
}

static int decision_column(void *ctx, size_t a, int col, sqlite3_context *out)
{
    writer *w = ctx;
    const decision *dec = &w->o->alloc->decisions[a];
    switch (col) {
    case 1: return put_i64(out, (int64_t)a);
    case 2: return put_text(out, alloc_status_name(dec->status));
    case 3: return put_opt(out, dec->rank > 0, dec->rank);
    case 4: return put_i64(out, w->o->res->eligible[a]);
    case 5: return put_i64(out, w->o->res->score[a]);
    case 6: return put_points(w, a, out);
    case 7: return put_i64(out, dec->granted);
    case 8: return put_i64(out, dec->source);
    case 9:
        return put_opt(out, dec->short_year >= 0,
                       w->o->env->first_year + (int64_t)dec->short_year);
    case 10: return put_text(out, dec->override_justification);
    case 11:
        output_reasons(w->o, a, w->reasons, STORE_REASONS_MAX);
        return put_copy(out, w->reasons);
    case 12: return put_left(w, a, out);
    default: return put_text(out, NULL);
    }
}

/* Failures are stored application by application (first_failure): the
 * rows come in that order, so the application only moves forward. */
static int failure_column(void *ctx, size_t k, int col, sqlite3_context *out)
{
    writer *w = ctx;
    const rules_results *res = w->o->res;
    if (k < res->first_failure[w->failure_app])
        w->failure_app = 0;
    while (res->first_failure[w->failure_app + 1] <= k)
        w->failure_app++;
    const rules_failure *f = &res->failures[k];
    switch (col) {
    case 1: return put_i64(out, (int64_t)w->failure_app);
    case 2: return put_i64(out, (int64_t)f->check);
    case 3: return put_text(out, f->reason ? f->reason : "");
    default: return put_text(out, NULL);
    }
}

static int instalment_column(void *ctx, size_t i, int col,
                             sqlite3_context *out)
{
    writer *w = ctx;
    const disbursement *ds = &w->o->sched->items[i];
    char due[CAL_DATE_BUFSZ];
    switch (col) {
    case 1: return put_i64(out, (int64_t)ds->app);
    case 2: return put_i64(out, ds->number);
    case 3: return put_text(out, plan_label(w->o->plan, ds->label));
    case 4: return put_copy(out, cal_format_date(ds->due, due));
    case 5: return put_i64(out, w->o->env->first_year + (int64_t)ds->year);
    case 6: return put_i64(out, ds->source);
    case 7: return put_i64(out, ds->amount);
    default: return put_text(out, NULL);
    }
}

static int write_rows(writer *w)
{
    const output_data *o = w->o;
    const struct {
        const char *sql, *what;
        store_bulk rows;
    } tables[] = {
        {decision_sql, "recording the decisions",
         {o->in->n_apps, decision_column, w}},
        {failure_sql, "recording the failed checks",
         {o->res->first_failure[o->in->n_apps], failure_column, w}},
        {instalment_sql, "recording the instalments",
         {o->sched->n, instalment_column, w}},
    };
    int rc = 0;
    for (size_t t = 0; t < sizeof tables / sizeof *tables && rc == 0; t++)
        rc = store_bulk_insert(w->s, tables[t].sql, w->run, &tables[t].rows,
                               tables[t].what, w->d);
    return rc;
}

/* The page cache, in KiB, for writing the rows: the unique index on
 * application ids (run_id, id) is filled in the order of
 * applications.csv, anywhere in the index when the ids are not sorted.
 * With SQLite's default 2 MiB cache each such insert then evicts a page
 * to the WAL and reads another back (1M shuffled applications: 4 s of
 * CPU for the application rows instead of 0.8 s); a cache holding the
 * whole index (an id and about a dozen bytes of overhead per entry,
 * twice that for half-full pages) keeps it at 1.7 s. Never below the
 * default; at 1M applications of 11-character ids, about 50 MiB. */
static int64_t cache_kib(const inputs *in)
{
    int64_t bytes = 0;
    for (size_t a = 0; a < in->n_apps; a++)
        bytes += (int64_t)strlen(in->apps[a].id) + 12;
    int64_t kib = 2 * bytes / 1024 + 2000;
    return kib < STORE_CACHE_MAX_KIB ? kib : STORE_CACHE_MAX_KIB;
}

/* PRAGMA cache_size takes no bound parameter: the SQL is built, but
 * from an integer computed here, no text from the inputs. */
static int set_cache(store *s, int64_t kib, diag *d)
{
    char sql[48];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld", (long long)kib);
    return store_exec(s, sql, d);
}

int store_set_cache_for(store *s, const inputs *in, diag *d)
{
    return set_cache(s, cache_kib(in), d);
}

/* Only the inputs: written while the run allocates (run_record.c). */
int store_write_app_rows(store *s, int64_t run, const inputs *in, diag *d)
{
    output_data o = {.in = in};
    writer w = {.s = s, .o = &o, .run = run, .d = d};
    w.extra_cap = 256;
    if (!(w.extra = malloc(w.extra_cap)))
        return diag_add(d, DIAG_OSERR, "out of memory");
    store_bulk rows = {in->n_apps, app_column, &w};
    int rc = store_bulk_insert(s, app_sql, run, &rows,
                               "recording the applications", d);
    writer_free(&w);
    return rc;
}

int store_write_results(store *s, int64_t run, const output_data *o,
                        const rank_order *order, diag *d)
{
    writer w = {.s = s, .o = o, .order = order, .run = run, .d = d};
    int rc = writer_open(&w, d);
    if (rc == 0)
        rc = write_rules(&w);
    if (rc == 0)
        rc = write_grid(&w);
    if (rc == 0)
        rc = write_rows(&w);
    if (rc == 0)
        rc = store_write_shares(s, run, o, d);
    /* back to the default: the memory goes as the dirty pages go to the
     * WAL, which the commit would do anyway */
    if (rc == 0)
        rc = set_cache(s, STORE_CACHE_DEFAULT_KIB, d);
    writer_free(&w);
    return rc;
}
