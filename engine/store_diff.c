/* store_diff: what changed between two runs (alliance diff). Applications
 * and envelope rows are matched by id and by name, not by position, so a
 * reordered file or split changes nothing by itself. */
#include <string.h>

#include "store_internal.h"

static const char files_sql[] =
    "SELECT k.role, k.name, fa.sha256, fb.sha256 FROM"
    " (SELECT role, name FROM run_file WHERE run_id IN (?1, ?2)"
    "  GROUP BY role, name) k"
    " LEFT JOIN run_file fa ON fa.run_id = ?1 AND fa.role = k.role"
    "  AND fa.name = k.name"
    " LEFT JOIN run_file fb ON fb.run_id = ?2 AND fb.role = k.role"
    "  AND fb.name = k.name"
    " WHERE fa.sha256 IS NOT fb.sha256 ORDER BY k.role, k.name";

static const char apps_sql[] =
    "SELECT k.id, s.name, da.status, db.status, da.rank, db.rank,"
    " da.granted, db.granted FROM"
    " (SELECT id FROM application WHERE run_id = ?1"
    "  UNION SELECT id FROM application WHERE run_id = ?2) k"
    " LEFT JOIN application aa ON aa.run_id = ?1 AND aa.id = k.id"
    " LEFT JOIN decision da ON da.run_id = ?1 AND da.app = aa.app"
    " LEFT JOIN application ab ON ab.run_id = ?2 AND ab.id = k.id"
    " LEFT JOIN decision db ON db.run_id = ?2 AND db.app = ab.app"
    " LEFT JOIN subregion s ON s.run_id = coalesce(ab.run_id, aa.run_id)"
    "  AND s.sub = coalesce(ab.sub, aa.sub)"
    " WHERE da.status IS NOT db.status OR da.rank IS NOT db.rank"
    "  OR da.granted IS NOT db.granted"
    " ORDER BY coalesce(ab.sub, aa.sub), k.id";

#define GRANTED_BY_ROW(run)                                                 \
    "(SELECT s.name, min(s.sub) AS sub, sum(c.granted) AS granted"          \
    " FROM subregion s JOIN envelope_cell c USING (run_id, sub)"            \
    " WHERE s.run_id = " run " GROUP BY s.name)"

static const char money_sql[] =
    "SELECT k.name, sa.granted, sb.granted FROM"
    " (SELECT name FROM subregion WHERE run_id IN (?1, ?2) GROUP BY name) k"
    " LEFT JOIN " GRANTED_BY_ROW("?1") " sa ON sa.name = k.name"
    " LEFT JOIN " GRANTED_BY_ROW("?2") " sb ON sb.name = k.name"
    " ORDER BY coalesce(sb.sub, sa.sub), k.name";

/* NULL for SQL NULL, else the text (valid until the next step). */
static const char *opt_text(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? NULL : (const char *)sqlite3_column_text(st, col);
}

static const char *text(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

static int file_row(const store_diff_fns *fns, sqlite3_stmt *st)
{
    store_file_change c = {text(st, 0), text(st, 1), opt_text(st, 2),
                           opt_text(st, 3)};
    return fns->file ? fns->file(fns->ctx, &c) : 0;
}

static int app_row(const store_diff_fns *fns, sqlite3_stmt *st)
{
    store_app_change c = {
        text(st, 0), text(st, 1), opt_text(st, 2), opt_text(st, 3),
        (uint32_t)sqlite3_column_int64(st, 4),
        (uint32_t)sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
        sqlite3_column_int64(st, 7)};
    return fns->app ? fns->app(fns->ctx, &c) : 0;
}

static int money_row(const store_diff_fns *fns, sqlite3_stmt *st)
{
    store_money_change c = {text(st, 0), sqlite3_column_int64(st, 1),
                            sqlite3_column_int64(st, 2)};
    return fns->money ? fns->money(fns->ctx, &c) : 0;
}

static int diff_query(store *s, const char *sql, int64_t a, int64_t b,
                      int (*row)(const store_diff_fns *, sqlite3_stmt *),
                      const store_diff_fns *fns, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK, step = SQLITE_DONE;
    store_bind_i64(st, 1, a, &err);
    store_bind_i64(st, 2, b, &err);
    if (err != SQLITE_OK)
        rc = store_fail(s, d, err, "comparing runs");
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = row(fns, st);
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, d, step, "comparing runs");
    sqlite3_finalize(st);
    return rc;
}

/* DIAG_DATA unless run id exists and succeeded. */
static int need_ok_run(store *s, int64_t id, diag *d)
{
    store_run r;
    int rc = store_get_run(s, id, &r, d);
    if (rc == 0 && strcmp(r.status, "ok") != 0)
        rc = diag_add(d, DIAG_DATA, "run %lld failed; it decided nothing: %s",
                      (long long)id, r.error);
    store_run_free(&r);
    return rc;
}

int store_diff(store *s, int64_t a, int64_t b, const store_diff_fns *fns,
               diag *d)
{
    int rc = need_ok_run(s, a, d);
    if (rc == 0)
        rc = need_ok_run(s, b, d);
    if (rc == 0)
        rc = diff_query(s, files_sql, a, b, file_row, fns, d);
    if (rc == 0)
        rc = diff_query(s, apps_sql, a, b, app_row, fns, d);
    if (rc == 0)
        rc = diff_query(s, money_sql, a, b, money_row, fns, d);
    return rc;
}
