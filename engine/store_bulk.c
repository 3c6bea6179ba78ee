/* store_bulk: the per-application tables written by one statement each.
 *
 * A run has a row per application in application and decision, and
 * more in check_failure and instalment: millions of rows. Stepping a
 * prepared INSERT once per row costs SQLite a whole statement each time
 * (bindings, opening and closing the table cursors, the end-of-statement
 * checks), about as much as the insert itself. So these tables are
 * filled by one INSERT ... SELECT each from alliance_rows, an eponymous
 * virtual table of this connection whose rows are produced on the fly by
 * a callback of the writer (store_results.c) from the run in memory.
 * Constraints and the transaction are SQLite's as before: only the
 * per-statement overhead goes (foreign keys: store_begin_unchecked).
 *
 * alliance_rows is a module of the connection, not part of the schema:
 * nothing is stored, the sqlite3 shell never sees it, and it is declared
 * direct-only, so a view or trigger in a doctored store file cannot call
 * it. With no store_bulk_insert under way it has no rows. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define BULK_MODULE "alliance_rows"

typedef struct bulk_table {
    sqlite3_vtab base;
    const store *s;           /* whose s->bulk gives the rows */
} bulk_table;

typedef struct bulk_cursor {
    sqlite3_vtab_cursor base;
    size_t row;
} bulk_cursor;

/* The module's one table: STORE_BULK_COLS untyped columns c0, c1, ...,
 * the INSERT's SELECT naming those its table has. */
static int bulk_connect(sqlite3 *db, void *aux, int argc,
                        const char *const *argv, sqlite3_vtab **out,
                        char **err)
{
    (void)argc, (void)argv, (void)err;
    static const char decl[] = "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6,"
                               " c7, c8, c9, c10, c11, c12, c13, c14, c15)";
    _Static_assert(STORE_BULK_COLS == 16, "decl names every column");
    int rc = sqlite3_declare_vtab(db, decl);
    if (rc == SQLITE_OK)
        rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    if (rc != SQLITE_OK)
        return rc;
    bulk_table *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->s = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int bulk_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

/* A full scan in row order is the only plan: no constraint is used. */
static int bulk_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    (void)t;
    info->estimatedCost = 1e6;
    info->estimatedRows = 1000000;
    return SQLITE_OK;
}

static int bulk_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    (void)t;
    bulk_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int bulk_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static int bulk_filter(sqlite3_vtab_cursor *c, int idx, const char *idx_str,
                       int argc, sqlite3_value **argv)
{
    (void)idx, (void)idx_str, (void)argc, (void)argv;
    ((bulk_cursor *)c)->row = 0;
    return SQLITE_OK;
}

static int bulk_next(sqlite3_vtab_cursor *c)
{
    ((bulk_cursor *)c)->row++;
    return SQLITE_OK;
}

static const store_bulk *bulk_of(sqlite3_vtab_cursor *c)
{
    return ((const bulk_table *)c->pVtab)->s->bulk;
}

static int bulk_eof(sqlite3_vtab_cursor *c)
{
    const store_bulk *b = bulk_of(c);
    return !b || ((bulk_cursor *)c)->row >= b->n;
}

static int bulk_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
    const store_bulk *b = bulk_of(c);
    return b->column(b->ctx, ((bulk_cursor *)c)->row, col, ctx);
}

static int bulk_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((bulk_cursor *)c)->row;
    return SQLITE_OK;
}

/* Eponymous only (no xCreate): the table is the module, by its name. */
static const sqlite3_module bulk_module = {
    .iVersion = 1,
    .xConnect = bulk_connect,
    .xBestIndex = bulk_best_index,
    .xDisconnect = bulk_disconnect,
    .xOpen = bulk_open,
    .xClose = bulk_close,
    .xFilter = bulk_filter,
    .xNext = bulk_next,
    .xEof = bulk_eof,
    .xColumn = bulk_column,
    .xRowid = bulk_rowid,
};

int store_bulk_register(store *s, diag *d)
{
    int rc = sqlite3_create_module_v2(s->db, BULK_MODULE, &bulk_module, s,
                                      NULL);
    return rc == SQLITE_OK ? 0 : store_fail(s, d, rc, "setting up");
}

int store_bulk_insert(store *s, const char *sql, int64_t run,
                      const store_bulk *rows, const char *what, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, d), err = SQLITE_OK;
    if (rc != 0)
        return rc;
    store_bind_i64(st, 1, run, &err);
    s->bulk = rows;
    rc = store_row_done(s, st, err, what, d);
    s->bulk = NULL;
    sqlite3_finalize(st);
    return rc;
}
