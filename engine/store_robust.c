/* store_robust: a run's robustness (robust.h) in the run store. Table
 * robustness holds a row for each application with a margin or decided
 * by one evaluator; run.margins_skipped says why margins were not
 * computed, NULL when they were (its default names the runs recorded
 * before robustness existed, so explain does not read "none" there). */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

typedef struct rb_writer {
    const robust_result *rb;
    size_t *apps;        /* the applications with a row */
    char names[1024];    /* one row's evaluators */
} rb_writer;

static int rb_column(void *ctx, size_t row, int col, sqlite3_context *out)
{
    rb_writer *w = ctx;
    size_t a = w->apps[row];
    int has = w->rb->margin[a] != ROBUST_NONE;
    switch (col) {
    case 1: sqlite3_result_int64(out, (sqlite3_int64)a); break;
    case 2:
        if (has)
            sqlite3_result_int64(out, w->rb->margin[a]);
        else
            sqlite3_result_null(out);
        break;
    case 3:
        if (has)
            sqlite3_result_int64(out, w->rb->margin_rank[a]);
        else
            sqlite3_result_null(out);
        break;
    case 4:
        robust_by_names(w->rb, a, w->names, sizeof w->names);
        if (w->names[0])
            sqlite3_result_text(out, w->names, -1, SQLITE_TRANSIENT);
        else
            sqlite3_result_null(out);
        break;
    default: sqlite3_result_null(out);
    }
    return SQLITE_OK;
}

static const char robust_sql[] =
    "INSERT OR ROLLBACK INTO robustness (run_id, app, margin, margin_rank,"
    " decided_by) SELECT ?1, c1, c2, c3, c4 FROM alliance_rows";

static int rb_skipped(store *s, int64_t run, const char *why, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "UPDATE run SET margins_skipped = ?1"
                              " WHERE id = ?2", &st, d);
    if (rc != 0)
        return rc;
    int err = 0;
    store_bind_str(st, 1, why, &err);
    store_bind_i64(st, 2, run, &err);
    rc = store_row_done(s, st, err, "recording the robustness", d);
    sqlite3_finalize(st);
    return rc;
}

int store_write_robust(store *s, int64_t run, const output_data *o, diag *d)
{
    const robust_result *rb = o->robust;
    if (!rb)
        return rb_skipped(s, run, "not computed", d);
    rb_writer w = {rb, malloc((rb->n_apps + 1) * sizeof *w.apps), ""};
    if (!w.apps)
        return diag_add(d, DIAG_OSERR, "out of memory");
    size_t n = 0;
    for (size_t a = 0; a < rb->n_apps; a++)
        if (rb->margin[a] != ROBUST_NONE ||
            (rb->evaluators && rb->first_by[a + 1] > rb->first_by[a]))
            w.apps[n++] = a;
    store_bulk rows = {n, rb_column, &w};
    int rc = store_bulk_insert(s, robust_sql, run, &rows,
                               "recording the robustness", d);
    if (rc == 0)
        rc = rb_skipped(s, run, rb->margins ? NULL
                                : rb->why_not ? rb->why_not : "not computed", d);
    free(w.apps);
    return rc;
}
