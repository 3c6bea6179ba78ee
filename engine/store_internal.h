/* Private to the store module (store*.c): see include/store.h. */
#ifndef ALLIANCE_STORE_INTERNAL_H
#define ALLIANCE_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "store.h"

/* The statements of store_begin_run for the run's few rows, prepared
 * once per connection and reused (sqlite3_reset) for every row. The
 * per-application tables go through store_bulk_insert instead. */
enum store_stmt_id {
    STORE_INS_RUN,
    STORE_INS_FILE,
    STORE_INS_CHECK,
    STORE_INS_CRITERION,
    STORE_INS_SUB,
    STORE_INS_CELL,
    STORE_N_STMTS
};

/* Rows for one INSERT ... SELECT from the alliance_rows virtual table
 * (store_bulk.c): n rows, read once each, in order, column by column;
 * column() sets column col (0 .. STORE_BULK_COLS - 1) of row `row` with
 * sqlite3_result_*() and returns SQLITE_OK, or an SQLite error code
 * (SQLITE_NOMEM) that fails the statement. */
#define STORE_BULK_COLS 16
typedef struct store_bulk {
    size_t n;
    int (*column)(void *ctx, size_t row, int col, sqlite3_context *out);
    void *ctx;
} store_bulk;

struct store {
    sqlite3 *db;
    char *path;
    int busy_ms;
    int in_txn;                       /* a write transaction is open */
    int fk_off;                       /* foreign keys off until it ends */
    int large;                        /* opened for a large run */
    int journaled;                    /* this transaction: rollback journal */
    int64_t reserved_id;              /* store_begin_apps: the run's id */
    sqlite3_stmt *stmt[STORE_N_STMTS];
    const store_bulk *bulk;           /* during store_bulk_insert */
};

/* store_journal.c: a large run's transaction through a rollback journal
 * when no other connection has the store open (each page written once
 * instead of twice: to the WAL, then by the checkpoint). _begin opens
 * the transaction (BEGIN EXCLUSIVE when switched, BEGIN IMMEDIATE
 * otherwise); _end puts WAL mode back once it is over. */
int store_journal_begin(store *s, diag *d);
void store_journal_end(store *s);

/* store_schema.c */
extern const char *const *const store_migrations[];
extern const size_t store_n_migrations;

/* Records the failure of a SQLite call as a diag message naming the
 * database and what was being done, with the status it maps to
 * (busy -> DIAG_TEMPFAIL, ...). Returns that status. */
int store_fail(store *s, diag *d, int sqlrc, const char *what);

/* Runs constant SQL (one or more statements, no values) through
 * sqlite3_prepare_v2, statement by statement. */
int store_exec(store *s, const char *sql, diag *d);

/* Prepares a read query (finalize it after use). */
int store_prepare(store *s, const char *sql, sqlite3_stmt **st, diag *d);

/* One of the cached insert statements, reset with its bindings cleared;
 * NULL when it cannot be prepared (recorded in d, *rc set). */
sqlite3_stmt *store_stmt(store *s, enum store_stmt_id which, diag *d,
                         int *rc);

/* Steps an insert or update to SQLITE_DONE. */
int store_step_done(store *s, sqlite3_stmt *st, const char *what, diag *d);

/* BEGIN IMMEDIATE: takes the write lock now, so waiting for another
 * writer happens here (up to the busy timeout), never halfway through. */
int store_begin(store *s, diag *d);

/* store_begin with foreign keys off until the transaction ends (commit
 * or rollback turns them back on), for a run's own rows: every child
 * row names an application of the same run, written before it in the
 * same transaction, so the constraint holds by construction. Checking
 * it costs a lookup of the parent per row, and multi-row inserts with
 * immediate foreign keys keep a statement journal: at 1M applications
 * 870 MB of WAL read back and 580 MB of journal (0.5-0.8 s). */
int store_begin_unchecked(store *s, diag *d);

/* Binding helpers: the first failure is kept in *err (SQLITE_OK until
 * then), so a row's bindings are checked once, by store_row_done. Text
 * is SQLITE_STATIC: callers keep it alive until the step. NULL text
 * binds NULL. */
void store_bind_i64(sqlite3_stmt *st, int col, int64_t v, int *err);
void store_bind_str(sqlite3_stmt *st, int col, const char *v, int *err);

/* Registers the alliance_rows module on a writer's connection. */
int store_bulk_register(store *s, diag *d);

/* Runs sql, an INSERT ... SELECT ... FROM alliance_rows, once, with ?1
 * the run and rows as the virtual table's content; what names the rows
 * for messages. */
int store_bulk_insert(store *s, const char *sql, int64_t run,
                      const store_bulk *rows, const char *what, diag *d);

/* Steps the bound statement to SQLITE_DONE, unless a binding failed. */
int store_row_done(store *s, sqlite3_stmt *st, int err, const char *what,
                   diag *d);

/* Strings copied out of statements, freed at once. */
struct store_bag {
    char **v;
    size_t n, cap;
};

/* A copy of text ("" for NULL) owned by b, or NULL when out of memory. */
const char *store_bag_keep(struct store_bag *b, const unsigned char *text);
void store_bag_free(struct store_bag *b);

/* Column col of a store_run query (STORE_RUN_COLUMNS) into r, strings
 * pointing into the statement, or into bag when bag is not NULL.
 * Returns 0, or -1 when out of memory. */
#define STORE_RUN_COLUMNS                                                   \
    "id, started_at, finished_at, engine_version, program, inputs_dir,"     \
    " rules_path, lib_dir, out_dir, status, exit_status, error, replay_of," \
    " first_year, n_years, threshold, leftover, n_apps, n_eligible,"        \
    " n_ranked, n_granted, n_funded, n_partial, n_waitlisted, n_below,"     \
    " n_ineligible, n_overridden, granted, envelope, call_source,"          \
    " basis_adoption, basis_release, committed, resubmit, carried_from,"    \
    " (SELECT resolution FROM adoption WHERE adoption.run_id = run.id)"
int store_run_from_row(sqlite3_stmt *st, store_run *r, struct store_bag *bag);

/* "2026-11-23T06:28:51.123Z" (store_write.c). */
void store_iso_time(int64_t ms, char buf[32]);

/* Records what a call started from (m->call) on run `run`, inside its
 * open transaction: the run's columns and each cell's commitments
 * (store_calls.c). Nothing to do when m->call is NULL. */
int store_write_call(store *s, int64_t run, const store_run_meta *m,
                     const output_data *o, diag *d);

/* Writes a successful run's results as rows of run `run`, inside the
 * open transaction (store_results.c). */
/* store_equity.c: the territorial equity figures, when the run has them. */
int store_write_equity(store *s, int64_t run, const output_data *o, diag *d);

int store_write_results(store *s, int64_t run, const output_data *o,
                        const rank_order *order, diag *d);

/* The application rows of run `run` (store_results.c), and the page
 * cache they need, which stays until store_write_results is done. */
int store_write_app_rows(store *s, int64_t run, const inputs *in, diag *d);
int store_set_cache_for(store *s, const inputs *in, diag *d);

/* The equal-shares tables of a run that used the method (store_shares.c);
 * 0 and nothing written for any other run. */
int store_write_shares(store *s, int64_t run, const output_data *o, diag *d);

/* Writes a run's robustness (o->robust) as rows of run `run`, inside the
 * open transaction (store_robust.c). */
int store_write_robust(store *s, int64_t run, const output_data *o, diag *d);

/* The files of a run with their SHA-256 (store_files.c). */
typedef struct store_hashed {
    const char *role;          /* "input", "rules", "lib" */
    char *name, *path;         /* path absolute when it resolves */
    char sha256[HASH_SHA256_HEX];
} store_hashed;

typedef struct store_hashes {
    store_hashed *v;
    size_t n, cap;
} store_hashes;

/* Hashes the input files present in m->inputs_dir, the rule file and the
 * library files m->rules required. strict (a successful run): a file
 * that cannot be read is an error; otherwise it is left out. A file in
 * loaded (may be NULL) gets the digest of the bytes the run parsed,
 * without reading it again. */
int store_hash_run(store_hashes *h, const store_run_meta *m,
                   const inputs *loaded, int strict, diag *d);
void store_hashes_free(store_hashes *h);

/* realpath(path), or a copy of path when it does not resolve; NULL when
 * path is NULL or memory runs out. */
char *store_abspath(const char *path);

/* Little-endian packing of the BLOB columns. */
void store_put_i32(unsigned char *p, int32_t v);
void store_put_i64(unsigned char *p, int64_t v);
int32_t store_get_i32(const unsigned char *p);
int64_t store_get_i64(const unsigned char *p);

#endif
