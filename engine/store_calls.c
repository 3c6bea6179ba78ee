/* store_calls: the run store's side of successive calls for projects:
 * what a run started from, the commitments of a program, the waitlist a
 * later call carries (see include/store.h). Adoptions and releases are
 * written by store_adopt.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* Prepares sql and binds ?1.. to the n integers of v. */
static int prepare_ints(store *s, const char *sql, const int64_t *v, int n,
                        sqlite3_stmt **st, diag *d)
{
    int rc = store_prepare(s, sql, st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    for (int i = 0; i < n; i++)
        store_bind_i64(*st, i + 1, v[i], &err);
    if (err != SQLITE_OK) {
        sqlite3_finalize(*st);
        return store_fail(s, d, err, "reading commitments");
    }
    return 0;
}

/* ---- what a run started from ----------------------------------------- */

static int write_cells(store *s, int64_t run, const output_data *o, diag *d)
{
    static const char sql[] = "UPDATE envelope_cell SET committed = ?4"
                              " WHERE run_id = ?1 AND sub = ?2"
                              " AND fiscal_year = ?3";
    const split_grid *g = o->env;
    sqlite3_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, d);
    for (size_t k = 0; rc == 0 && k < g->n_sub * g->n_years; k++) {
        int64_t c = alloc_committed(o->alloc, k);
        if (c == 0)
            continue; /* the column's default */
        int err = SQLITE_OK;
        (void)sqlite3_reset(st); /* the last step's error was reported */
        store_bind_i64(st, 1, run, &err);
        store_bind_i64(st, 2, (int64_t)(k / g->n_years), &err);
        store_bind_i64(st, 3, g->first_year + (int64_t)(k % g->n_years), &err);
        store_bind_i64(st, 4, c, &err);
        rc = store_row_done(s, st, err, "recording commitments", d);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_write_call(store *s, int64_t run, const store_run_meta *m,
                     const output_data *o, diag *d)
{
    const store_call *c = m->call;
    if (!c)
        return 0;
    sqlite3_stmt *st;
    int rc = store_prepare(s, "UPDATE run SET call_source = ?2,"
                              " basis_adoption = ?3, basis_release = ?4,"
                              " committed = ?5, resubmit = ?6,"
                              " carried_from = ?7 WHERE id = ?1", &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_i64(st, 1, run, &err);
    store_bind_str(st, 2, c->source, &err);
    store_bind_i64(st, 3, c->basis_adoption, &err);
    store_bind_i64(st, 4, c->basis_release, &err);
    store_bind_i64(st, 5, c->committed, &err);
    store_bind_i64(st, 6, c->resubmit != 0, &err);
    if (c->carried_from > 0)
        store_bind_i64(st, 7, c->carried_from, &err);
    rc = store_row_done(s, st, err, "recording the call", d);
    sqlite3_finalize(st);
    return rc == 0 ? write_cells(s, run, o, d) : rc;
}

/* ---- reading commitments --------------------------------------------- */

int store_current_basis(store *s, store_basis *b, diag *d)
{
    *b = (store_basis){0, 0};
    sqlite3_stmt *st;
    int rc = prepare_ints(s, "SELECT (SELECT coalesce(max(id), 0) FROM"
                             " adoption), (SELECT coalesce(max(id), 0) FROM"
                             " release)", NULL, 0, &st, d);
    if (rc != 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *b = (store_basis){sqlite3_column_int64(st, 0),
                           sqlite3_column_int64(st, 1)};
    else
        rc = store_fail(s, d, step, "reading commitments");
    sqlite3_finalize(st);
    return rc;
}

/* Per adopted run, application, envelope row and fiscal year: what was
 * committed and what releases within the basis took back. */
static const char commitments_sql[] =
    "SELECT ad.run_id, ad.resolution, a.id, s.name, i.fiscal_year,"
    " sum(i.amount), sum(coalesce((SELECT sum(p.amount) FROM release_part p"
    "  WHERE p.run_id = i.run_id AND p.app = i.app AND p.number = i.number"
    "  AND p.release_id <= ?3), 0))"
    " FROM adoption ad JOIN instalment i ON i.run_id = ad.run_id"
    " JOIN application a ON a.run_id = i.run_id AND a.app = i.app"
    " JOIN subregion s ON s.run_id = i.run_id AND s.sub = i.source"
    " WHERE ad.program = ?4 AND ad.id <= ?2"
    " GROUP BY ad.id, i.app, i.source, i.fiscal_year"
    " ORDER BY ad.id, i.app, i.source, i.fiscal_year";

int store_commitments(store *s, const char *program, const store_basis *b,
                      int (*fn)(void *ctx, const store_commitment *c),
                      void *ctx, diag *d)
{
    int64_t v[3] = {0, b->adoption, b->release};
    sqlite3_stmt *st;
    int rc = prepare_ints(s, commitments_sql, v, 3, &st, d), step = SQLITE_DONE;
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_str(st, 4, program, &err);
    if (err != SQLITE_OK)
        rc = store_fail(s, d, err, "reading commitments");
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_commitment c = {
            sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2),
            (const char *)sqlite3_column_text(st, 3), sqlite3_column_int(st, 4),
            sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6)};
        if (!c.resolution || !c.application || !c.envelope)
            rc = diag_add(d, DIAG_OSERR, "out of memory");
        else
            rc = fn(ctx, &c);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, d, step, "reading commitments");
    sqlite3_finalize(st);
    return rc;
}

int store_last_adopted(store *s, const char *program, const store_basis *b,
                       int64_t *run, diag *d)
{
    *run = 0;
    sqlite3_stmt *st;
    int64_t v[1] = {b->adoption};
    int rc = prepare_ints(s, "SELECT coalesce(max(run_id), 0) FROM adoption"
                             " WHERE id <= ?1 AND program = ?2", v, 1, &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_str(st, 2, program, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    if (step == SQLITE_ROW)
        *run = sqlite3_column_int64(st, 0);
    else
        rc = store_fail(s, d, step, "finding the previous call");
    sqlite3_finalize(st);
    return rc;
}

static const char waitlist_sql[] =
    "SELECT a.id, a.organisation, s.name, a.title, a.org_type, a.requested,"
    " a.total_cost, coalesce(a.start, ''), coalesce(a.months, 0), a.line,"
    " a.extra, coalesce(r.extra_names, '')"
    " FROM application a JOIN decision d USING (run_id, app)"
    " JOIN subregion s ON s.run_id = a.run_id AND s.sub = a.sub"
    " JOIN run r ON r.id = a.run_id"
    " WHERE a.run_id = ?1 AND d.status = 'waitlisted' ORDER BY a.app";

static const char *col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

int store_waitlist(store *s, int64_t run,
                   int (*fn)(void *ctx, const store_waiting *w), void *ctx,
                   diag *d)
{
    sqlite3_stmt *st;
    int64_t v[1] = {run};
    int rc = prepare_ints(s, waitlist_sql, v, 1, &st, d), step = SQLITE_DONE;
    if (rc != 0)
        return rc;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_waiting w = {
            col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
            col_text(st, 4), sqlite3_column_int64(st, 5),
            sqlite3_column_int64(st, 6), col_text(st, 7),
            sqlite3_column_int(st, 8), (long)sqlite3_column_int64(st, 9),
            col_text(st, 10), col_text(st, 11)};
        rc = fn(ctx, &w);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, d, step, "reading the waitlist");
    sqlite3_finalize(st);
    return rc;
}

int store_only_program(store *s, char *buf, size_t cap, diag *d)
{
    sqlite3_stmt *st;
    int rc = prepare_ints(s, "SELECT DISTINCT program FROM adoption"
                             " ORDER BY program", NULL, 0, &st, d);
    if (rc != 0)
        return rc;
    char names[1024] = "";
    size_t n = 0, len = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = col_text(st, 0);
        if (n++ == 0)
            snprintf(buf, cap, "%s", p);
        int w = snprintf(names + len, sizeof names - len, "%s\"%s\"",
                         len ? ", " : "", p);
        if (w > 0 && len + (size_t)w < sizeof names)
            len += (size_t)w;
    }
    if (step != SQLITE_DONE)
        rc = store_fail(s, d, step, "listing programs");
    else if (n == 0)
        rc = diag_add(d, DIAG_DATA, "%s: no run of any program is adopted yet "
                      "(alliance adopt)", s->path);
    else if (n > 1)
        rc = diag_add(d, DIAG_DATA, "%s: several programs have adopted runs "
                      "(%s): name one with --program", s->path, names);
    sqlite3_finalize(st);
    return rc;
}
