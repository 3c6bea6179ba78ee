/* bench_floor: what this machine can do at best, for bench/RESULTS.md's
 * floors of each stage.
 *
 *   bench_floor CSV_FILE SCRATCH_DIR [ROWS [MB]]
 *
 * - csv: libcsv's raw read rate: CSV_FILE read in 64 KiB blocks and
 *   parsed by csv_parse with callbacks that do nothing (the load stage
 *   also types, checks and hashes every cell);
 * - sqlite: SQLite's insert rate into a bare table (no index, no
 *   constraint; one integer key, two integers and a 40-byte text a row;
 *   one transaction, prepared statement, the store's pragmas: WAL,
 *   synchronous NORMAL, 64 KiB pages), ROWS rows (default 1 000 000),
 *   commit and checkpoint included;
 * - disk: the write rate of a file of MB megabytes (default 256) written
 *   in 1 MiB blocks then fsync'ed, as an output file is.
 * Each is the best of three. Prints one line each. */
#include <csv.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_field(void *s, size_t n, void *ctx)
{
    (void)s;
    *(size_t *)ctx += n;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    (void)ctx;
}

/* Seconds to parse the file, -1 on error; *bytes its size. */
static double csv_once(const char *path, size_t *bytes)
{
    FILE *f = fopen(path, "rb");
    struct csv_parser p;
    if (!f || csv_init(&p, CSV_APPEND_NULL) != 0) {
        if (f)
            fclose(f);
        return -1;
    }
    static char buf[65536];
    size_t n, cells = 0;
    *bytes = 0;
    double t0 = now();
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        *bytes += n;
        if (csv_parse(&p, buf, n, on_field, on_row, &cells) != n)
            break;
    }
    csv_fini(&p, on_field, on_row, &cells);
    double t = now() - t0;
    csv_free(&p);
    fclose(f);
    return t;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fprintf(stderr, "bench_floor: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return rc;
}

static double sqlite_once(const char *dir, long rows)
{
    char path[4096], wal[4200];
    snprintf(path, sizeof path, "%s/floor.db", dir);
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(path);
    unlink(wal);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    double t0 = now(), t = -1;
    sqlite3_stmt *st = NULL;
    if (exec(db, "PRAGMA page_size = 65536; PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "CREATE TABLE t (k INTEGER PRIMARY KEY, a INTEGER,"
                 " b INTEGER, c TEXT); BEGIN") == SQLITE_OK &&
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)", -1,
                           &st, NULL) == SQLITE_OK) {
        static const char text[] = "0123456789012345678901234567890123456789";
        long i = 0;
        for (; i < rows; i++) {
            sqlite3_bind_int64(st, 1, i);
            sqlite3_bind_int64(st, 2, i * 7);
            sqlite3_bind_int64(st, 3, 1000000 - i);
            sqlite3_bind_text(st, 4, text, 40, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE || sqlite3_reset(st) != SQLITE_OK)
                break;
        }
        if (i == rows && exec(db, "COMMIT") == SQLITE_OK &&
            sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                      NULL, NULL) == SQLITE_OK)
            t = now() - t0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(path);
    unlink(wal);
    return t;
}

static double disk_once(const char *dir, long mb)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/floor.bin", dir);
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    double t0 = now();
    long i = 0;
    for (; i < mb; i++)
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
            break;
    int ok = i == mb && fsync(fd) == 0;
    double t = now() - t0;
    close(fd);
    unlink(path);
    return ok ? t : -1;
}

static double best(double a, double b)
{
    return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_floor CSV_FILE SCRATCH_DIR [ROWS [MB]]\n");
        return 64;
    }
    long rows = argc > 3 ? atol(argv[3]) : 1000000;
    long mb = argc > 4 ? atol(argv[4]) : 256;
    double tc = -1, ts = -1, td = -1;
    size_t bytes = 0;
    for (int r = 0; r < 3; r++) {
        tc = best(tc, csv_once(argv[1], &bytes));
        ts = best(ts, sqlite_once(argv[2], rows));
        td = best(td, disk_once(argv[2], mb));
    }
    if (tc <= 0 || ts <= 0 || td <= 0) {
        fprintf(stderr, "bench_floor: a measure failed\n");
        return 70;
    }
    printf("floor: libcsv raw read %.1f MB/s (%.1f MB in %.3f s)\n",
           (double)bytes / 1e6 / tc, (double)bytes / 1e6, tc);
    printf("floor: SQLite bare-table insert %.0f rows/s (%ld rows in %.3f s, "
           "commit and checkpoint included)\n", (double)rows / ts, rows, ts);
    printf("floor: disk write %.1f MB/s (%ld MiB written and fsync'ed in %.3f s)\n",
           (double)mb * 1.048576 / td, mb, td);
    return 0;
}
