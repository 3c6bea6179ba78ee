/* store_results: writes a successful run's results inside the run's
 * transaction (see store_write_results in store_internal.h).
 *
 * Speed matters (a million applications a run): every row goes through
 * one cached prepared statement, reset and re-bound, and text is bound
 * SQLITE_STATIC from buffers reused row after row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define STORE_REASONS_MAX 8192
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

/* ---- applications, decisions, failed checks, instalments ------------- */

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

static int write_application(writer *w, size_t a)
{
    const application *app = &w->o->in->apps[a];
    if (join_values(w, app) != 0)
        return diag_add(w->d, DIAG_OSERR, "out of memory");
    int rc = 0, err = SQLITE_OK;
    sqlite3_stmt *st = store_stmt(w->s, STORE_INS_APP, w->d, &rc);
    if (!st)
        return rc;
    char start[CAL_DATE_BUFSZ];
    store_bind_i64(st, 1, w->run, &err);
    store_bind_i64(st, 2, (int64_t)a, &err);
    store_bind_str(st, 3, app->id, &err);
    store_bind_str(st, 4, app->organisation, &err);
    store_bind_i64(st, 5, (int64_t)app->subregion, &err);
    store_bind_str(st, 6, app->title ? app->title : "", &err);
    store_bind_str(st, 7, app->org_type ? app->org_type : "", &err);
    store_bind_i64(st, 8, app->requested, &err);
    store_bind_i64(st, 9, app->total_cost, &err);
    store_bind_str(st, 10, app->has_start ? cal_format_date(app->start, start)
                                          : NULL, &err);
    if (app->months > 0)
        store_bind_i64(st, 11, app->months, &err);
    store_bind_i64(st, 12, app->line, &err);
    store_bind_str(st, 13, w->extra, &err);
    return store_row_done(w->s, st, err, "recording an application", w->d);
}

static void bind_decision_blobs(writer *w, sqlite3_stmt *st, size_t a,
                                int *err)
{
    const rules_results *res = w->o->res;
    size_t nc = w->o->cfg->n_criteria, ny = w->o->env->n_years;
    for (size_t c = 0; c < nc; c++)
        store_put_i32(w->points + 4 * c, res->points[a * nc + c]);
    store_bind_blob(st, 7, w->points, 4 * nc, err);
    if (w->slot[a] == NO_SLOT)
        return; /* envelope_left stays NULL: never reached */
    for (size_t y = 0; y < ny; y++)
        store_put_i64(w->left_blob + 8 * y, w->left[w->slot[a] * ny + y]);
    store_bind_blob(st, 13, w->left_blob, 8 * ny, err);
}

static int write_decision(writer *w, size_t a)
{
    const decision *dec = &w->o->alloc->decisions[a];
    int rc = 0, err = SQLITE_OK;
    sqlite3_stmt *st = store_stmt(w->s, STORE_INS_DECISION, w->d, &rc);
    if (!st)
        return rc;
    output_reasons(w->o, a, w->reasons, STORE_REASONS_MAX);
    store_bind_i64(st, 1, w->run, &err);
    store_bind_i64(st, 2, (int64_t)a, &err);
    store_bind_str(st, 3, alloc_status_name(dec->status), &err);
    if (dec->rank > 0)
        store_bind_i64(st, 4, dec->rank, &err);
    store_bind_i64(st, 5, w->o->res->eligible[a], &err);
    store_bind_i64(st, 6, w->o->res->score[a], &err);
    store_bind_i64(st, 8, dec->granted, &err);
    store_bind_i64(st, 9, dec->source, &err);
    if (dec->short_year >= 0)
        store_bind_i64(st, 10, w->o->env->first_year + (int64_t)dec->short_year,
                       &err);
    store_bind_str(st, 11, dec->override_justification, &err);
    store_bind_str(st, 12, w->reasons, &err);
    bind_decision_blobs(w, st, a, &err);
    return store_row_done(w->s, st, err, "recording a decision", w->d);
}

static int write_failures(writer *w, size_t a)
{
    const rules_results *res = w->o->res;
    int rc = 0;
    for (size_t k = res->first_failure[a]; k < res->first_failure[a + 1] && rc == 0; k++) {
        int err = SQLITE_OK;
        sqlite3_stmt *st = store_stmt(w->s, STORE_INS_FAILURE, w->d, &rc);
        if (!st)
            break;
        store_bind_i64(st, 1, w->run, &err);
        store_bind_i64(st, 2, (int64_t)a, &err);
        store_bind_i64(st, 3, (int64_t)res->failures[k].check, &err);
        store_bind_str(st, 4, res->failures[k].reason ? res->failures[k].reason
                                                      : "", &err);
        rc = store_row_done(w->s, st, err, "recording a failed check", w->d);
    }
    return rc;
}

static int write_instalment(writer *w, const disbursement *ds)
{
    int rc = 0, err = SQLITE_OK;
    sqlite3_stmt *st = store_stmt(w->s, STORE_INS_INSTALMENT, w->d, &rc);
    if (!st)
        return rc;
    char due[CAL_DATE_BUFSZ];
    store_bind_i64(st, 1, w->run, &err);
    store_bind_i64(st, 2, (int64_t)ds->app, &err);
    store_bind_i64(st, 3, ds->number, &err);
    store_bind_str(st, 4, plan_label(w->o->plan, ds->label), &err);
    store_bind_str(st, 5, cal_format_date(ds->due, due), &err);
    store_bind_i64(st, 6, w->o->env->first_year + (int64_t)ds->year, &err);
    store_bind_i64(st, 7, ds->source, &err);
    store_bind_i64(st, 8, ds->amount, &err);
    return store_row_done(w->s, st, err, "recording an instalment", w->d);
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
    for (size_t a = 0; a < o->in->n_apps && rc == 0; a++) {
        if ((rc = write_application(&w, a)) == 0 &&
            (rc = write_decision(&w, a)) == 0)
            rc = write_failures(&w, a);
    }
    for (size_t i = 0; i < o->sched->n && rc == 0; i++)
        rc = write_instalment(&w, &o->sched->items[i]);
    writer_free(&w);
    return rc;
}
