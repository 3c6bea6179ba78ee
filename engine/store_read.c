/* store_read: listing runs, a run's row and files, and the comparison of
 * two runs' decisions (see include/store.h). */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

const char *store_bag_keep(struct store_bag *b, const unsigned char *text)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32;
        char **v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return NULL;
        b->v = v;
        b->cap = cap;
    }
    char *copy = strdup(text ? (const char *)text : "");
    if (copy)
        b->v[b->n++] = copy;
    return copy;
}

void store_bag_free(struct store_bag *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i]);
    free(b->v);
    memset(b, 0, sizeof *b);
}

/* Text of column col: into bag when given, else the statement's own
 * (valid until the next step). NULL only when out of memory. */
static const char *text_col(sqlite3_stmt *st, int col, struct store_bag *bag)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (bag)
        return store_bag_keep(bag, t);
    return t ? (const char *)t : "";
}

int store_run_from_row(sqlite3_stmt *st, store_run *r, struct store_bag *bag)
{
    memset(r, 0, sizeof *r);
    const char **text[] = {&r->started_at, &r->finished_at, &r->engine_version,
                           &r->program, &r->inputs_dir, &r->rules_path,
                           &r->libdir, &r->out_dir, &r->status};
    r->id = sqlite3_column_int64(st, 0);
    for (int i = 0; i < 9; i++)
        if (!(*text[i] = text_col(st, 1 + i, bag)))
            return -1;
    r->exit_status = sqlite3_column_int(st, 10);
    if (!(r->error = text_col(st, 11, bag)))
        return -1;
    r->replay_of = sqlite3_column_int64(st, 12);
    r->first_year = sqlite3_column_int(st, 13);
    r->n_years = sqlite3_column_int(st, 14);
    r->threshold = sqlite3_column_int64(st, 15);
    if (!(r->leftover = text_col(st, 16, bag)))
        return -1;
    r->n_apps = sqlite3_column_int64(st, 17);
    r->n_eligible = sqlite3_column_int64(st, 18);
    r->n_ranked = sqlite3_column_int64(st, 19);
    r->n_granted = sqlite3_column_int64(st, 20);
    for (int i = 0; i < DECISION_N_STATUSES; i++)
        r->n_status[i] = sqlite3_column_int64(st, 21 + i);
    r->granted = sqlite3_column_int64(st, 27);
    r->envelope = sqlite3_column_int64(st, 28);
    if (!(r->call_source = text_col(st, 29, bag)))
        return -1;
    r->basis_adoption = sqlite3_column_int64(st, 30);
    r->basis_release = sqlite3_column_int64(st, 31);
    r->committed = sqlite3_column_int64(st, 32);
    r->resubmit = sqlite3_column_int(st, 33);
    r->carried_from = sqlite3_column_int64(st, 34);
    if (!(r->adopted = text_col(st, 35, bag)))
        return -1;
    return 0;
}

int store_list_runs(store *s, int (*fn)(void *ctx, const store_run *r),
                    void *ctx, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT " STORE_RUN_COLUMNS
                              " FROM run ORDER BY id DESC", &st, d);
    if (rc != 0)
        return rc;
    int step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_run r;
        store_run_from_row(st, &r, NULL);
        rc = fn(ctx, &r);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, d, step, "listing runs");
    sqlite3_finalize(st);
    return rc;
}

int store_get_run(store *s, int64_t id, store_run *out, diag *d)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT " STORE_RUN_COLUMNS
                              " FROM run WHERE id = ?1", &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_i64(st, 1, id, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    struct store_bag *bag = calloc(1, sizeof *bag);
    if (step == SQLITE_ROW && (!bag || store_run_from_row(st, out, bag) != 0))
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    else if (step == SQLITE_DONE)
        rc = diag_add(d, DIAG_DATA, "%s: no run %lld", s->path, (long long)id);
    else if (step != SQLITE_ROW)
        rc = store_fail(s, d, step, "reading a run");
    sqlite3_finalize(st);
    if (rc != 0) {
        if (bag)
            store_bag_free(bag);
        free(bag);
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->bag_ = bag;
    return 0;
}

void store_run_free(store_run *r)
{
    if (r->bag_) {
        store_bag_free(r->bag_);
        free(r->bag_);
    }
    memset(r, 0, sizeof *r);
}

int store_latest_run_of(store *s, const char *app_id, int64_t *id, diag *d)
{
    *id = 0;
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT r.id FROM run r JOIN application a"
                              " ON a.run_id = r.id AND a.id = ?1"
                              " WHERE r.status = 'ok' ORDER BY r.id DESC"
                              " LIMIT 1", &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_str(st, 1, app_id, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        rc = diag_add(d, DIAG_DATA, "%s: no successful run has an application "
                      "%s", s->path, app_id);
    else
        rc = store_fail(s, d, step, "finding the application");
    sqlite3_finalize(st);
    return rc;
}

int store_run_files(store *s, int64_t run,
                    int (*fn)(void *ctx, const store_file *f), void *ctx,
                    diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT role, name, path, sha256 FROM run_file"
                              " WHERE run_id = ?1 ORDER BY role, name", &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK, step = SQLITE_DONE;
    store_bind_i64(st, 1, run, &err);
    if (err != SQLITE_OK)
        rc = store_fail(s, d, err, "reading files");
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_file f = {text_col(st, 0, NULL), text_col(st, 1, NULL),
                        text_col(st, 2, NULL), text_col(st, 3, NULL)};
        rc = fn(ctx, &f);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, d, step, "reading files");
    sqlite3_finalize(st);
    return rc;
}

/* One count: the query's single integer answer for runs a and b. */
static int count_of(store *s, const char *sql, int64_t a, int64_t b,
                    int64_t *out, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_i64(st, 1, a, &err);
    if (sqlite3_bind_parameter_count(st) > 1)
        store_bind_i64(st, 2, b, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = store_fail(s, d, step, "comparing runs");
    sqlite3_finalize(st);
    return rc;
}

/* What a decision is, compared by application id (rows may be in another
 * order if the file was reordered, which changes no decision). */
#define DECISION_KEY                                                        \
    "SELECT a.id, d.status, d.rank, d.granted, s.name, d.short_year"        \
    " FROM application a JOIN decision d USING (run_id, app)"               \
    " JOIN subregion s ON s.run_id = d.run_id AND s.sub = d.source"         \
    " WHERE a.run_id = "
#define INSTALMENT_KEY                                                      \
    "SELECT a.id, i.number, i.label, i.due, i.fiscal_year, s.name, i.amount" \
    " FROM application a JOIN instalment i USING (run_id, app)"             \
    " JOIN subregion s ON s.run_id = i.run_id AND s.sub = i.source"         \
    " WHERE a.run_id = "

int store_compare(store *s, int64_t a, int64_t b, store_comparison *c,
                  diag *d)
{
    memset(c, 0, sizeof *c);
    int rc = count_of(s, "SELECT count(*) FROM decision WHERE run_id = ?1",
                      a, b, &c->decisions, d);
    if (rc == 0)
        rc = count_of(s, "SELECT count(*) FROM instalment WHERE run_id = ?1",
                      a, b, &c->instalments, d);
    /* compound SELECTs associate to the left: each EXCEPT is wrapped */
    if (rc == 0)
        rc = count_of(s, "SELECT count(DISTINCT id) FROM ("
                         "SELECT * FROM (" DECISION_KEY "?1 EXCEPT "
                         DECISION_KEY "?2) UNION ALL SELECT * FROM ("
                         DECISION_KEY "?2 EXCEPT " DECISION_KEY "?1))",
                      a, b, &c->decisions_differ, d);
    if (rc == 0)
        rc = count_of(s, "SELECT count(*) FROM ("
                         "SELECT * FROM (" INSTALMENT_KEY "?1 EXCEPT "
                         INSTALMENT_KEY "?2) UNION ALL SELECT * FROM ("
                         INSTALMENT_KEY "?2 EXCEPT " INSTALMENT_KEY "?1))",
                      a, b, &c->instalments_differ, d);
    return rc;
}
