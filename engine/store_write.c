/* store_write: records a run, ok or failed (see include/store.h). The
 * results themselves are written by store_results.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_internal.h"

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "dev"
#endif

static const char *const stmt_sql[STORE_N_STMTS] = {
    [STORE_INS_RUN] =
        "INSERT INTO run (started_at, finished_at, engine_version, program,"
        " inputs_dir, rules_path, lib_dir, out_dir, status, exit_status,"
        " error, replay_of, first_year, n_years, threshold, on_overflow,"
        " leftover, extra_names, n_apps, n_eligible, n_ranked, n_granted,"
        " n_funded, n_partial, n_waitlisted, n_below, n_ineligible,"
        " n_overridden, granted, envelope, id) VALUES (?1, ?2, ?3, ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
        " ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
    [STORE_INS_FILE] =
        "INSERT INTO run_file (run_id, role, name, path, sha256)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [STORE_INS_CHECK] =
        "INSERT INTO rule_check (run_id, idx, id, label) VALUES (?1, ?2, ?3, ?4)",
    [STORE_INS_CRITERION] =
        "INSERT INTO rule_criterion (run_id, idx, id, label, max)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [STORE_INS_SUB] =
        "INSERT INTO subregion (run_id, sub, name, is_reserve, total)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [STORE_INS_CELL] =
        "INSERT INTO envelope_cell (run_id, sub, fiscal_year, envelope,"
        " carried_in, granted, remaining, carried_out, to_reserve)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
};

sqlite3_stmt *store_stmt(store *s, enum store_stmt_id which, diag *d,
                         int *rc)
{
    sqlite3_stmt **st = &s->stmt[which];
    if (!*st) {
        int r = sqlite3_prepare_v2(s->db, stmt_sql[which], -1, st, NULL);
        if (r != SQLITE_OK) {
            *st = NULL;
            *rc = store_fail(s, d, r, "preparing an insert");
            return NULL;
        }
        return *st;
    }
    /* reset returns the last step's error, already reported then */
    (void)sqlite3_reset(*st);
    if ((*rc = sqlite3_clear_bindings(*st)) != SQLITE_OK) {
        *rc = store_fail(s, d, *rc, "clearing an insert");
        return NULL;
    }
    return *st;
}

/* "2026-11-23T06:28:51.123Z" */
void store_iso_time(int64_t ms, char buf[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    size_t n = gmtime_r(&t, &tm) ? strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm) : 0;
    if (n == 0)
        n = (size_t)snprintf(buf, 32, "1970-01-01T00:00:00");
    snprintf(buf + n, 32 - n, ".%03dZ", (int)(ms % 1000));
}

/* The run's folders, absolute when they resolve. */
typedef struct store_paths {
    char *inputs, *rules, *lib, *out;
} store_paths;

static void paths_free(store_paths *p)
{
    free(p->inputs);
    free(p->rules);
    free(p->lib);
    free(p->out);
}

static int paths_resolve(store_paths *p, const store_run_meta *m, diag *d)
{
    p->inputs = store_abspath(m->inputs_dir);
    p->rules = store_abspath(m->rules_path);
    p->lib = store_abspath(m->libdir);
    p->out = store_abspath(m->out_dir);
    if (!p->inputs || !p->rules || (m->libdir && !p->lib) ||
        (m->out_dir && !p->out)) {
        paths_free(p);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    return 0;
}

/* Columns 1-12 of the run row: what every run has. */
static void bind_run_head(sqlite3_stmt *st, const store_run_meta *m,
                          const store_paths *p, const char *times[2],
                          const rules_config *cfg, int status,
                          const char *error, int *err)
{
    store_bind_str(st, 1, times[0], err);
    store_bind_str(st, 2, times[1], err);
    store_bind_str(st, 3, ALLIANCE_VERSION, err);
    store_bind_str(st, 4, cfg ? cfg->program : NULL, err);
    store_bind_str(st, 5, p->inputs, err);
    store_bind_str(st, 6, p->rules, err);
    store_bind_str(st, 7, p->lib, err);
    store_bind_str(st, 8, p->out, err);
    store_bind_str(st, 9, status == 0 ? "ok" : "failed", err);
    store_bind_i64(st, 10, status, err);
    store_bind_str(st, 11, error, err);
    if (m->replay_of > 0)
        store_bind_i64(st, 12, m->replay_of, err);
}

/* Columns 13-30: the program's shape and key figures (ok runs only). */
static void bind_run_figures(sqlite3_stmt *st, const output_data *o,
                             const rank_order *order, const char *extra,
                             int *err)
{
    static const char *const overflow[] = {"skip", "stop", "partial"};
    const split_grid *g = o->env;
    int64_t n[DECISION_N_STATUSES] = {0}, eligible = 0, with_grant = 0;
    int64_t granted = 0, envelope = 0;
    for (size_t a = 0; a < o->in->n_apps; a++) {
        const decision *dec = &o->alloc->decisions[a];
        n[dec->status]++;
        eligible += o->res->eligible[a];
        with_grant += dec->granted > 0;
        granted += dec->granted;
    }
    for (size_t k = 0; k < g->n_sub * g->n_years; k++)
        envelope += g->cell[k];
    store_bind_i64(st, 13, g->first_year, err);
    store_bind_i64(st, 14, (int64_t)g->n_years, err);
    store_bind_i64(st, 15, o->cfg->threshold, err);
    store_bind_str(st, 16, overflow[o->cfg->on_overflow], err);
    store_bind_str(st, 17, o->cfg->leftover == RULES_LEFTOVER_CARRY
                               ? "carry" : "reserve", err);
    store_bind_str(st, 18, extra, err);
    store_bind_i64(st, 19, (int64_t)o->in->n_apps, err);
    store_bind_i64(st, 20, eligible, err);
    store_bind_i64(st, 21, (int64_t)order->n, err);
    store_bind_i64(st, 22, with_grant, err);
    for (int i = 0; i < DECISION_N_STATUSES; i++)
        store_bind_i64(st, 23 + i, n[i], err);
    store_bind_i64(st, 29, granted, err);
    store_bind_i64(st, 30, envelope, err);
}

/* The extra column names joined by U+001F (the unit separator: it
 * cannot occur in a CSV header the inputs accept). */
static char *join_extra(const char *const *v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *out = malloc(len), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = '\x1f';
        size_t l = strlen(v[i]);
        memcpy(p, v[i], l);
        p += l;
    }
    *p = '\0';
    return out;
}

static int insert_run(store *s, const store_run_meta *m, const store_paths *p,
                      int status, const char *error, const output_data *o,
                      const rank_order *order, int64_t *id, diag *d)
{
    int rc = 0, err = SQLITE_OK;
    sqlite3_stmt *st = store_stmt(s, STORE_INS_RUN, d, &rc);
    if (!st)
        return rc;
    char started[32], finished[32];
    store_iso_time(m->started_ms, started);
    store_iso_time(m->finished_ms ? m->finished_ms : store_now_ms(), finished);
    const char *times[2] = {started, finished};
    const rules_config *cfg = o ? o->cfg
                                : m->rules ? rules_config_get(m->rules) : NULL;
    bind_run_head(st, m, p, times, cfg, status, error, &err);
    if (s->reserved_id > 0) /* else NULL: the next id */
        store_bind_i64(st, 31, s->reserved_id, &err);
    char *extra = NULL;
    if (o) {
        if (!(extra = join_extra(o->in->extra_names, o->in->n_extra)))
            return diag_add(d, DIAG_OSERR, "out of memory");
        bind_run_figures(st, o, order, extra, &err);
    }
    rc = store_row_done(s, st, err, "recording the run", d);
    free(extra);
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int insert_files(store *s, int64_t run, const store_hashes *h, diag *d)
{
    int rc = 0;
    for (size_t i = 0; i < h->n && rc == 0; i++) {
        int err = SQLITE_OK;
        sqlite3_stmt *st = store_stmt(s, STORE_INS_FILE, d, &rc);
        if (!st)
            break;
        store_bind_i64(st, 1, run, &err);
        store_bind_str(st, 2, h->v[i].role, &err);
        store_bind_str(st, 3, h->v[i].name, &err);
        store_bind_str(st, 4, h->v[i].path, &err);
        store_bind_str(st, 5, h->v[i].sha256, &err);
        rc = store_row_done(s, st, err, "recording a file hash", d);
    }
    return rc;
}

/* Hashes, then writes the run row and its files inside a transaction
 * left open for the caller: with the results to write (o), the one
 * store_begin_apps began (without foreign key checks, the run's id
 * reserved), else one of its own. */
static int begin_with_row(store *s, const store_run_meta *m, int status,
                          const char *error, const output_data *o,
                          const rank_order *order, int64_t *id, diag *d)
{
    store_hashes h;
    store_paths p = {0};
    int rc = store_hash_run(&h, m, o ? o->in : NULL, status == 0, d);
    if (rc != 0)
        return rc;
    if (o && !(s->in_txn && s->reserved_id > 0))
        rc = diag_add(d, DIAG_INTERNAL, "the run row before store_begin_apps");
    if (rc == 0 && (rc = paths_resolve(&p, m, d)) == 0 &&
        (rc = o ? 0 : store_begin(s, d)) == 0 &&
        (rc = insert_run(s, m, &p, status, error, o, order, id, d)) == 0)
        rc = insert_files(s, *id, &h, d);
    if (rc != 0)
        store_rollback(s);
    store_hashes_free(&h);
    paths_free(&p);
    return rc;
}

int store_begin_run_row(store *s, const store_run_meta *m,
                        const output_data *o, const rank_order *order,
                        int64_t *id, diag *d)
{
    *id = 0;
    int rc = begin_with_row(s, m, 0, NULL, o, order, id, d);
    if (rc != 0)
        *id = 0;
    return rc;
}

/* The id the next run row gets: AUTOINCREMENT's, the larger of the
 * last one given out and the largest there. */
static int reserve_run_id(store *s, int64_t *id, diag *d)
{
    static const char sql[] =
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence"
        " WHERE name = 'run'), 0), coalesce((SELECT max(id) FROM run), 0)) + 1";
    sqlite3_stmt *st = NULL;
    int err = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (err == SQLITE_OK && (err = sqlite3_step(st)) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        err = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return err == SQLITE_OK ? 0
                            : store_fail(s, d, err, "reserving the run's id");
}

int store_begin_apps(store *s, const inputs *in, int64_t *id, diag *d)
{
    *id = 0;
    int rc = store_begin_unchecked(s, d);
    if (rc == 0 && (rc = reserve_run_id(s, id, d)) == 0)
        rc = store_set_cache_for(s, in, d);
    if (rc != 0) {
        store_rollback(s);
        *id = 0;
    }
    s->reserved_id = *id;
    return rc;
}

int store_write_apps(store *s, int64_t id, const inputs *in, diag *d)
{
    int rc = store_write_app_rows(s, id, in, d);
    if (rc != 0)
        store_rollback(s);
    return rc;
}

int store_write_run_rows(store *s, int64_t id, const store_run_meta *m,
                         const output_data *o, const rank_order *order,
                         diag *d)
{
    int rc = store_write_results(s, id, o, order, d);
    if (rc == 0)
        rc = store_write_robust(s, id, o, d);
    if (rc == 0)
        rc = store_write_call(s, id, m, o, d);
    if (rc == 0)
        rc = store_write_equity(s, id, o, d);
    if (rc != 0)
        store_rollback(s);
    return rc;
}

int store_begin_run(store *s, const store_run_meta *m, const output_data *o,
                    const rank_order *order, int64_t *id, diag *d)
{
    int rc = store_begin_apps(s, o->in, id, d);
    if (rc == 0)
        rc = store_write_apps(s, *id, o->in, d);
    if (rc == 0)
        rc = store_begin_run_row(s, m, o, order, id, d);
    if (rc == 0 && (rc = store_write_run_rows(s, *id, m, o, order, d)) != 0)
        *id = 0;
    return rc;
}

int store_record_failed(store *s, const store_run_meta *m, int status,
                        const char *error, int64_t *id, diag *d)
{
    *id = 0;
    int rc = begin_with_row(s, m, status ? status : DIAG_INTERNAL, error,
                            NULL, NULL, id, d);
    if (rc == 0)
        rc = store_commit(s, d);
    if (rc != 0)
        *id = 0;
    return rc;
}
