/* store_equity: records a run's territorial equity figures (equity.h)
 * in equity_level and equity_row (schema step 3, store_schema.c). */
#include <sqlite3.h>

#include "equity.h"
#include "store_internal.h"

static const char level_sql[] =
    "INSERT INTO equity_level (run_id, level, population, low_income,"
    " granted, committed, max_min, gini) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " ?7, ?8)";
static const char row_sql[] =
    "INSERT INTO equity_row (run_id, level, position, name, subregion,"
    " population, low_income, granted, committed, per_inhabitant,"
    " per_low_income, money_share, low_income_share, ratio) VALUES (?1, ?2,"
    " ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/* A figure, or NULL where its divisor was 0. */
static void bind_figure(sqlite3_stmt *st, int col, int64_t v, int *err)
{
    if (v == EQUITY_NONE) {
        int rc = sqlite3_bind_null(st, col);
        if (*err == SQLITE_OK)
            *err = rc;
    } else {
        store_bind_i64(st, col, v, err);
    }
}

static int write_level(store *s, sqlite3_stmt *lv, sqlite3_stmt *rw,
                       int64_t run, const equity_level *l, diag *d)
{
    const char *name = l->kind == EQUITY_SUBREGION ? "subregion" : "territory";
    int err = SQLITE_OK;
    sqlite3_reset(lv);
    store_bind_i64(lv, 1, run, &err);
    store_bind_str(lv, 2, name, &err);
    store_bind_i64(lv, 3, l->total.population, &err);
    store_bind_i64(lv, 4, l->total.low_income, &err);
    store_bind_i64(lv, 5, l->total.granted, &err);
    store_bind_i64(lv, 6, l->total.committed, &err);
    bind_figure(lv, 7, l->max_min, &err);
    bind_figure(lv, 8, l->gini, &err);
    int rc = store_row_done(s, lv, err, "recording the equity figures", d);
    for (size_t i = 0; rc == 0 && i < l->n; i++) {
        const equity_row *r = &l->rows[i];
        err = SQLITE_OK;
        sqlite3_reset(rw);
        store_bind_i64(rw, 1, run, &err);
        store_bind_str(rw, 2, name, &err);
        store_bind_i64(rw, 3, (int64_t)i, &err);
        store_bind_str(rw, 4, r->name, &err);
        store_bind_str(rw, 5, r->subregion, &err);
        store_bind_i64(rw, 6, r->population, &err);
        store_bind_i64(rw, 7, r->low_income, &err);
        store_bind_i64(rw, 8, r->granted, &err);
        store_bind_i64(rw, 9, r->committed, &err);
        bind_figure(rw, 10, r->per_inhabitant, &err);
        bind_figure(rw, 11, r->per_low_income, &err);
        bind_figure(rw, 12, r->money_share, &err);
        bind_figure(rw, 13, r->low_income_share, &err);
        bind_figure(rw, 14, r->ratio, &err);
        rc = store_row_done(s, rw, err, "recording the equity figures", d);
    }
    return rc;
}

int store_write_equity(store *s, int64_t run, const output_data *o, diag *d)
{
    const equity_result *e = o->equity;
    if (!e || !e->n_levels)
        return 0;
    sqlite3_stmt *lv = NULL, *rw = NULL;
    int rc = store_prepare(s, level_sql, &lv, d);
    if (rc == 0)
        rc = store_prepare(s, row_sql, &rw, d);
    for (size_t i = 0; rc == 0 && i < e->n_levels; i++)
        rc = write_level(s, lv, rw, run, &e->level[i], d);
    sqlite3_finalize(lv);
    sqlite3_finalize(rw);
    return rc;
}
