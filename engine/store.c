/* store: opening, migrating and the SQLite plumbing shared by the store
 * module's files. See include/store.h. */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store_internal.h"

int64_t store_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int store_status_of(int sqlrc)
{
    switch (sqlrc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DIAG_TEMPFAIL;
    case SQLITE_NOMEM: return DIAG_OSERR;
    case SQLITE_IOERR:
    case SQLITE_FULL: return DIAG_IOERR;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return DIAG_CANTCREAT;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return DIAG_DATA;
    default: return DIAG_INTERNAL;
    }
}

int store_fail(store *s, diag *d, int sqlrc, const char *what)
{
    int st = store_status_of(sqlrc);
    if (st == DIAG_TEMPFAIL)
        return diag_add(d, st, "%s: the run store is locked: another process "
                        "has been writing to it for more than %d s; try "
                        "again later", s->path, (s->busy_ms + 999) / 1000);
    if (st == DIAG_DATA)
        return diag_add(d, st, "%s: not an alliance run store (%s)", s->path,
                        sqlite3_errstr(sqlrc));
    /* an I/O error says which: "disk I/O error (No space left on
     * device)" */
    int sys = st == DIAG_IOERR && s->db ? sqlite3_system_errno(s->db) : 0;
    return diag_add(d, st, "%s: %s: %s%s%s%s", s->path, what,
                    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(sqlrc),
                    sys ? " (" : "", sys ? strerror(sys) : "", sys ? ")" : "");
}

int store_exec(store *s, const char *sql, diag *d)
{
    const char *tail = sql;
    while (*tail) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(s->db, tail, -1, &st, &tail);
        if (rc != SQLITE_OK)
            return store_fail(s, d, rc, "preparing the schema");
        if (!st)
            continue; /* only white space or a comment was left */
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ; /* PRAGMA journal_mode answers with a row */
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return store_fail(s, d, rc, "setting up");
    }
    return 0;
}

int store_prepare(store *s, const char *sql, sqlite3_stmt **st, diag *d)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? 0 : store_fail(s, d, rc, "preparing a query");
}

int store_step_done(store *s, sqlite3_stmt *st, const char *what, diag *d)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_DONE ? 0 : store_fail(s, d, rc, what);
}

static void store_keep_err(int *err, int rc)
{
    if (*err == SQLITE_OK)
        *err = rc;
}

void store_bind_i64(sqlite3_stmt *st, int col, int64_t v, int *err)
{
    store_keep_err(err, sqlite3_bind_int64(st, col, v));
}

void store_bind_str(sqlite3_stmt *st, int col, const char *v, int *err)
{
    store_keep_err(err, v ? sqlite3_bind_text(st, col, v, -1, SQLITE_STATIC)
                          : sqlite3_bind_null(st, col));
}

int store_row_done(store *s, sqlite3_stmt *st, int err, const char *what,
                   diag *d)
{
    if (err != SQLITE_OK)
        return store_fail(s, d, err, what);
    return store_step_done(s, st, what, d);
}

int store_begin(store *s, diag *d)
{
    int rc = store_exec(s, "BEGIN IMMEDIATE", d);
    s->in_txn = rc == 0;
    return rc;
}

/* The connection's other transactions check foreign keys again.
 * Outside a transaction this pragma only sets a flag. */
static void store_end_txn(store *s)
{
    s->in_txn = 0;
    s->reserved_id = 0;
    store_journal_end(s);
    if (s->fk_off) {
        diag ignored;
        diag_init(&ignored);
        store_exec(s, "PRAGMA foreign_keys = ON", &ignored);
        diag_free(&ignored);
        s->fk_off = 0;
    }
}

int store_begin_unchecked(store *s, diag *d)
{
    int rc = store_exec(s, "PRAGMA foreign_keys = OFF", d);
    if (rc != 0)
        return rc;
    s->fk_off = 1;
    if ((rc = store_journal_begin(s, d)) != 0)
        store_end_txn(s);
    return rc;
}

int store_commit(store *s, diag *d)
{
    int rc = store_exec(s, "COMMIT", d);
    if (rc != 0)
        store_rollback(s);
    store_end_txn(s);
    return rc;
}

void store_rollback(store *s)
{
    if (s && s->db && !sqlite3_get_autocommit(s->db)) {
        diag ignored; /* the error that led here is the one reported */
        diag_init(&ignored);
        store_exec(s, "ROLLBACK", &ignored);
        diag_free(&ignored);
    }
    if (s)
        store_end_txn(s);
}

/* The integer a PRAGMA answers (0 when it answers nothing). */
static int store_pragma_int(store *s, const char *sql, int *v,
                            const char *what, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, d);
    if (rc != 0)
        return rc;
    int step = sqlite3_step(st);
    *v = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE
               ? 0 : store_fail(s, d, step, what);
}

static int store_read_version(store *s, int *v, diag *d)
{
    return store_pragma_int(s, "PRAGMA user_version", v,
                            "reading the schema version", d);
}

/* SQLite checkpoints the WAL into the database when a commit leaves it
 * over 1000 pages: 4 MB at 4 KiB a page, but 64 MB at 64 KiB, and a run
 * of 100 000 applications (45 MB) would then be copied at store_close
 * instead of at its commit. The threshold is kept at about 4 MB, so a
 * run's commit checkpoints whatever the store's page size. */
static int store_set_checkpoint(store *s, diag *d)
{
    int page = 0;
    int rc = store_pragma_int(s, "PRAGMA page_size", &page,
                              "reading the page size", d);
    if (rc == 0 && page > 4096)
        sqlite3_wal_autocheckpoint(s->db, 1000 * 4096 / page);
    return rc;
}

int store_version(store *s)
{
    diag d;
    diag_init(&d);
    int v = -1;
    if (store_read_version(s, &v, &d) != 0)
        v = -1;
    diag_free(&d);
    return v;
}

/* Applies the missing migration steps in one transaction. The version is
 * read again under the write lock: another process may have just done it. */
static int store_migrate(store *s, diag *d)
{
    int v, rc = store_read_version(s, &v, d);
    if (rc == 0 && v == (int)store_n_migrations)
        return 0;
    if (rc == 0 && v > (int)store_n_migrations)
        return diag_add(d, DIAG_CONFIG, "%s: run store schema %d is newer "
                        "than this alliance's (%d); use a newer alliance",
                        s->path, v, (int)store_n_migrations);
    if (rc == 0)
        rc = store_begin(s, d);
    if (rc == 0)
        rc = store_read_version(s, &v, d);
    for (size_t i = (size_t)(v < 0 ? 0 : v); rc == 0 && i < store_n_migrations; i++)
        for (const char *const *sql = store_migrations[i]; rc == 0 && *sql; sql++)
            rc = store_exec(s, *sql, d);
    if (rc == 0)
        return store_commit(s, d);
    store_rollback(s);
    return rc;
}

/* Creates the folders leading to path's file, like mkdir -p, so the
 * default store can live in an output folder not written yet. */
static int store_mkdirs(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    int rc = 0;
    for (char *slash = strchr(p + 1, '/'); slash && rc == 0;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = -1;
        *slash = '/';
    }
    free(p);
    return rc;
}

static int store_connect(store *s, store_mode mode, int large, diag *d)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                (mode == STORE_WRITE ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
    if (rc != SQLITE_OK && s->db == NULL)
        return diag_add(d, DIAG_OSERR, "out of memory");
    if (rc != SQLITE_OK && mode == STORE_READ)
        return diag_add(d, DIAG_NOINPUT, "%s: cannot open the run store: %s",
                        s->path, sqlite3_errmsg(s->db));
    if (rc != SQLITE_OK)
        return diag_add(d, DIAG_CANTCREAT, "%s: cannot create the run store: "
                        "%s", s->path, sqlite3_errmsg(s->db));
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, s->busy_ms);
    /* Large pages are set before WAL mode, which writes the first page:
     * SQLite ignores the pragma once the file has one, so an existing
     * store keeps its own page size.
     * WAL: readers (alliance runs, explain) never block a run, and a
     * killed run's frames are simply ignored on the next open. NORMAL is
     * crash-safe in WAL mode; only a power loss may drop the last runs. */
    rc = store_exec(s, large ? "PRAGMA page_size = 65536;" : "", d);
    if (rc == 0)
        rc = store_exec(s, "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON;", d);
    return rc == 0 && mode == STORE_WRITE ? store_bulk_register(s, d) : rc;
}

/* busy_ms, else $ALLIANCE_BUSY_TIMEOUT_MS (whole milliseconds, > 0: for
 * tests and schedulers that would rather retry sooner), else
 * STORE_BUSY_TIMEOUT_MS. */
static int store_busy_ms(int busy_ms)
{
    const char *env = getenv("ALLIANCE_BUSY_TIMEOUT_MS");
    if (busy_ms > 0 || !env || !*env)
        return busy_ms > 0 ? busy_ms : STORE_BUSY_TIMEOUT_MS;
    char *end;
    errno = 0;
    long v = strtol(env, &end, 10);
    return *end || errno || v <= 0 || v > INT_MAX ? STORE_BUSY_TIMEOUT_MS
                                                  : (int)v;
}

/* large: a store created here gets 64 KiB pages (store_open_run). */
static int store_open_paged(store **out, const char *path, store_mode mode,
                            int busy_ms, int large, diag *d)
{
    *out = NULL;
    struct stat st;
    if (mode == STORE_READ && stat(path, &st) != 0)
        return diag_add(d, DIAG_NOINPUT, "%s: no run store there (alliance "
                        "run writes one, by default " STORE_DEFAULT_NAME
                        " in its output folder)", path);
    if (mode == STORE_WRITE && store_mkdirs(path) != 0)
        return diag_add(d, DIAG_CANTCREAT, "%s: cannot create its folder: %s",
                        path, strerror(errno));
    store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    s->busy_ms = store_busy_ms(busy_ms);
    s->large = large;
    int rc = store_connect(s, mode, large, d);
    if (rc == 0)
        rc = store_migrate(s, d);
    if (rc == 0)
        rc = store_set_checkpoint(s, d);
    if (rc != 0) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_set_busy(store *s, int busy_ms)
{
    s->busy_ms = store_busy_ms(busy_ms);
    sqlite3_busy_timeout(s->db, s->busy_ms);
}

int store_open(store **out, const char *path, store_mode mode, int busy_ms,
               diag *d)
{
    return store_open_paged(out, path, mode, busy_ms, 0, d);
}

/* A run writes hundreds of bytes per application; at a million, 4 KiB
 * pages cost a third more of the store's time than 64 KiB ones (WAL
 * frames, the checkpoint's copies, B-tree splits: bench_store), while a
 * small program's store would grow eightfold for nothing (one page at
 * least per table and index). */
int store_open_run(store **out, const char *path, size_t n_apps, int busy_ms,
                   diag *d)
{
    return store_open_paged(out, path, STORE_WRITE, busy_ms,
                            n_apps >= STORE_LARGE_RUN, d);
}

void store_close(store *s)
{
    if (!s)
        return;
    store_rollback(s);
    for (int i = 0; i < STORE_N_STMTS; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

void store_put_i32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

void store_put_i64(unsigned char *p, int64_t v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

int32_t store_get_i32(const unsigned char *p)
{
    uint32_t u = 0;
    for (int i = 0; i < 4; i++)
        u |= (uint32_t)p[i] << (8 * i);
    return (int32_t)u;
}

int64_t store_get_i64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    return (int64_t)u;
}
