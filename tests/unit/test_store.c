/* Unit tests of the store module, writing side: opening, the schema and
 * its migrations, recording a run in one transaction, failed runs, the
 * busy timeout, and the rules library files a rule file required.
 * Reading (explain, diff, compare, replay's check) is in
 * test_store_read.c. */
#include <sys/stat.h>

#include "test_store_fixture.h"
#include "../../engine/store_internal.h"

static void set_user_version(const char *db, int v)
{
    sqlite3 *h;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    if (sqlite3_open(db, &h) == SQLITE_OK)
        sqlite3_exec(h, sql, NULL, NULL, NULL);
    sqlite3_close(h);
}

TEST(open_creates_schema_in_wal_mode)
{
    store_fx f;
    sfx_files(&f);
    store *s = sfx_open(&f);
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(store_version(s), STORE_SCHEMA_VERSION);
        store_close(s);
    }
    CHECK_INT(sfx_int(f.db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    CHECK_INT(sfx_int(f.db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                            " ('run', 'run_file', 'application', 'decision',"
                            " 'check_failure', 'instalment', 'subregion',"
                            " 'envelope_cell', 'rule_check', 'rule_criterion')"), 10);
    /* opening again migrates nothing and keeps the version */
    s = sfx_open(&f);
    CHECK(s != NULL);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    sfx_cleanup(&f);
}

TEST(open_failures_have_their_status)
{
    store_fx f;
    sfx_files(&f);
    diag d;
    diag_init(&d);
    store *s;
    char path[160];
    snprintf(path, sizeof path, "%s/none.db", f.dir);
    CHECK_INT(store_open(&s, path, STORE_READ, 0, &d), DIAG_NOINPUT);
    CHECK(s == NULL);
    CHECK_CONTAINS(diag_text(&d), "no run store");
    diag_clear(&d);
    /* a store under a regular file cannot be created */
    snprintf(path, sizeof path, "%s/x.db", f.rules);
    CHECK_INT(store_open(&s, path, STORE_WRITE, 0, &d), DIAG_CANTCREAT);
    diag_clear(&d);
    /* a file that is not a database */
    CHECK_INT(store_open(&s, f.rules, STORE_READ, 0, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "not an alliance run store");
    diag_clear(&d);
    /* a store from a newer alliance is refused, not damaged */
    store_close(sfx_open(&f));
    set_user_version(f.db, STORE_SCHEMA_VERSION + 1);
    CHECK_INT(store_open(&s, f.db, STORE_WRITE, 0, &d), DIAG_CONFIG);
    CHECK_CONTAINS(diag_text(&d), "newer");
    diag_free(&d);
    sfx_cleanup(&f);
}

TEST(open_migrates_an_empty_database)
{
    store_fx f;
    sfx_files(&f);
    set_user_version(f.db, 0); /* an empty SQLite file at version 0 */
    store *s = sfx_open(&f);
    CHECK(s != NULL);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM sqlite_master WHERE name = 'run'"), 1);
    sfx_cleanup(&f);
}

/* A store created for a large run has 64 KiB pages, one created for a
 * small run or by store_open SQLite's 4 KiB; an existing store keeps its
 * own whatever run comes. */
TEST(page_size_follows_the_first_run)
{
    store_fx f;
    sfx_files(&f);
    diag d;
    diag_init(&d);
    store *s = NULL;
    CHECK_INT(store_open_run(&s, f.db, STORE_LARGE_RUN, 0, &d), 0);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "PRAGMA page_size"), 65536);
    CHECK_INT(sfx_int(f.db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    char small[160];
    snprintf(small, sizeof small, "%s/small.db", f.dir);
    CHECK_INT(store_open_run(&s, small, STORE_LARGE_RUN - 1, 0, &d), 0);
    store_close(s);
    CHECK_INT(sfx_int(small, "PRAGMA page_size"), 4096);
    CHECK_INT(store_open_run(&s, small, 1000000, 0, &d), 0);
    store_close(s);
    CHECK_INT(sfx_int(small, "PRAGMA page_size"), 4096);
    unlink(small);
    CHECK_INT(store_open(&s, small, STORE_WRITE, 0, &d), 0);
    store_close(s);
    CHECK_INT(sfx_int(small, "PRAGMA page_size"), 4096);
    unlink(small);
    diag_free(&d);
    sfx_cleanup(&f);
}

TEST(records_every_result)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    CHECK_INT(fx_status(&f.p, 1), DECISION_WAITLISTED);
    store *s = sfx_open(&f);
    int64_t id = s ? sfx_record(&f, s) : 0;
    CHECK_INT(id, 1);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run WHERE status = 'ok'"
                            " AND exit_status = 0 AND error IS NULL"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT n_apps * 1000 + n_ranked * 100 + n_granted * 10"
                            " + n_ineligible FROM run"), 4321);
    CHECK_INT(sfx_int(f.db, "SELECT granted FROM run"), 9000000);
    CHECK_INT(sfx_int(f.db, "SELECT envelope FROM run"), 12000000);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM application"), 4);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM decision"), 4);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM instalment"), 4);
    CHECK_INT(sfx_int(f.db, "SELECT sum(amount) FROM instalment"), 9000000);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM check_failure WHERE app = 3"
                            " AND reason = 'hors du territoire'"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM subregion"), 2);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM envelope_cell"), 4);
    CHECK_INT(sfx_int(f.db, "SELECT sum(granted + to_reserve) FROM envelope_cell"), 12000000);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run_file"), 4);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run_file WHERE role = 'rules'"
                            " AND name = 'rules.lua' AND length(sha256) = 64"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT short_year FROM decision WHERE app = 1"), 2024);
    CHECK_INT(sfx_int(f.db, "SELECT rank FROM decision WHERE app = 2"), 3);
    CHECK_INT(sfx_int(f.db, "SELECT rank IS NULL FROM decision WHERE app = 3"), 1);
    /* points: int32 little-endian hundredths, in criteria order */
    CHECK_INT(sfx_int(f.db, "SELECT hex(points) = '68100000F00A0000'"
                            " FROM decision WHERE app = 1"), 1);
    sfx_cleanup(&f);
}

/* What the envelope had left at each turn: A1 saw it whole, A2 what A1
 * left, and A3 the same (A2 took nothing); A4 never had a turn. */
TEST(records_the_envelope_at_each_turn)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    store *s = sfx_open(&f);
    CHECK_INT(s ? sfx_record(&f, s) : 0, 1);
    store_close(s);
    /* 50 000 $ = 0x4C4B40 cents, 20 000 $ = 0x1E8480 */
    CHECK_INT(sfx_int(f.db, "SELECT hex(envelope_left) = '404B4C0000000000404B4C0000000000'"
                            " FROM decision WHERE app = 0"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT hex(envelope_left) = '80841E000000000080841E0000000000'"
                            " FROM decision WHERE app = 1"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT hex(envelope_left) = '80841E000000000080841E0000000000'"
                            " FROM decision WHERE app = 2"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT envelope_left IS NULL FROM decision WHERE app = 3"), 1);
    sfx_cleanup(&f);
}

TEST(rollback_leaves_nothing)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    store *s = sfx_open(&f);
    output_data o = sfx_output(&f);
    store_run_meta m = sfx_meta(&f);
    diag d;
    diag_init(&d);
    int64_t id = 0;
    CHECK_INT(s ? store_begin_run(s, &m, &o, &f.p.order, &id, &d) : -1, 0);
    CHECK_INT(id, 1);
    /* uncommitted: another connection sees no run */
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run"), 0);
    store_rollback(s);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run"), 0);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM application"), 0);
    diag_free(&d);
    sfx_cleanup(&f);
}

/* Whether the connection refuses a decision of no application. */
static int refuses_orphan(store *s)
{
    int rc = sqlite3_exec(s->db, "INSERT INTO decision (run_id, app, status,"
                          " eligible, score, points, granted, source, reasons)"
                          " VALUES (1, 999, 'funded', 1, 0, x'', 0, 0, '')",
                          NULL, NULL, NULL);
    return rc == SQLITE_CONSTRAINT_FOREIGNKEY;
}

static int foreign_keys_on(store *s)
{
    sqlite3_stmt *st;
    int on = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_keys", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            on = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return on;
}

/* A run's rows are written without foreign key checks (store.c); the
 * connection's next transactions check them again, after a commit or a
 * rollback. */
TEST(foreign_keys_return_after_the_run)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    store *s = sfx_open(&f);
    output_data o = sfx_output(&f);
    store_run_meta m = sfx_meta(&f);
    diag d;
    diag_init(&d);
    int64_t id = 0;
    for (int commit = 0; commit <= 1 && s; commit++) {
        CHECK_INT(store_begin_run(s, &m, &o, &f.p.order, &id, &d), 0);
        CHECK_INT(foreign_keys_on(s), 0); /* inside the run's transaction */
        if (commit)
            CHECK_INT(store_commit(s, &d), 0);
        else
            store_rollback(s);
        CHECK(refuses_orphan(s));
    }
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM decision WHERE app = 999"), 0);
    diag_free(&d);
    sfx_cleanup(&f);
}

/* The journal mode a connection sees: 1 for "delete", 0 for "wal". */
static int journaled(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) ==
        SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(st, 0);
            v = strcmp(m, "delete") == 0 ? 1 : strcmp(m, "wal") == 0 ? 0 : -1;
        }
        sqlite3_finalize(st);
    }
    return v;
}

/* Whether another connection can read the store right now. */
static int readable(const char *db)
{
    sqlite3 *h;
    int rc = sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, "SELECT count(*) FROM run", NULL, NULL, NULL);
    sqlite3_close(h);
    return rc == SQLITE_OK;
}

/* A large run alone on the store writes through a rollback journal
 * (store_journal.c), holding the store until its commit or rollback,
 * then puts WAL mode back; with another connection open it stays in WAL
 * mode and that connection reads on; a small run never switches. */
TEST(large_run_writes_through_a_rollback_journal)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    output_data o = sfx_output(&f);
    store_run_meta m = sfx_meta(&f);
    diag d;
    diag_init(&d);
    store *s = NULL;
    int64_t id = 0;
    CHECK_INT(store_open_run(&s, f.db, STORE_LARGE_RUN, 0, &d), 0);
    for (int commit = 0; commit <= 1 && s; commit++) {
        CHECK_INT(store_begin_run(s, &m, &o, &f.p.order, &id, &d), 0);
        CHECK_INT(journaled(s->db), 1);
        CHECK(!readable(f.db));
        if (commit)
            CHECK_INT(store_commit(s, &d), 0);
        else
            store_rollback(s);
        CHECK_INT(journaled(s->db), 0);
        CHECK(readable(f.db));
    }
    sqlite3 *other;
    CHECK_INT(sqlite3_open(f.db, &other), SQLITE_OK);
    CHECK_INT(sqlite3_exec(other, "SELECT count(*) FROM run", NULL, NULL,
                           NULL), SQLITE_OK);
    CHECK_INT(s ? store_begin_run(s, &m, &o, &f.p.order, &id, &d) : -1, 0);
    CHECK_INT(s ? journaled(s->db) : -1, 0);
    CHECK_INT(sqlite3_exec(other, "SELECT count(*) FROM decision", NULL,
                           NULL, NULL), SQLITE_OK);
    CHECK_INT(s ? store_commit(s, &d) : -1, 0);
    sqlite3_close(other);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run"), 2);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM decision WHERE run_id = 1"),
              sfx_int(f.db, "SELECT count(*) FROM decision WHERE run_id = 2"));
    s = sfx_open(&f); /* store_open: a small run's */
    CHECK_INT(s ? store_begin_run(s, &m, &o, &f.p.order, &id, &d) : -1, 0);
    CHECK_INT(s ? journaled(s->db) : -1, 0);
    CHECK(readable(f.db));
    store_rollback(s);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run"), 2);
    diag_free(&d);
    sfx_cleanup(&f);
}

TEST(failed_run_is_recorded_alone)
{
    store_fx f;
    sfx_files(&f);
    store *s = sfx_open(&f);
    store_run_meta m = sfx_meta(&f);
    diag d;
    diag_init(&d);
    int64_t id = 0;
    CHECK_INT(s ? store_record_failed(s, &m, DIAG_DATA,
                                      "applications.csv:3:4: bad amount\n",
                                      &id, &d) : -1, 0);
    CHECK_INT(id, 1);
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run WHERE status = 'failed'"
                            " AND exit_status = 65 AND error LIKE '%bad amount%'"
                            " AND n_apps IS NULL"), 1);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run_file"), 4);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM application"), 0);
    diag_free(&d);
    sfx_cleanup(&f);
}

/* Another connection holds the write lock: after the busy timeout the
 * run gives up with DIAG_TEMPFAIL and writes nothing. */
TEST(busy_beyond_the_timeout_is_tempfail)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    store_close(sfx_open(&f));
    sqlite3 *holder;
    CHECK_INT(sqlite3_open(f.db, &holder), SQLITE_OK);
    CHECK_INT(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    diag d;
    diag_init(&d);
    store *s = NULL;
    CHECK_INT(store_open(&s, f.db, STORE_WRITE, 100, &d), 0);
    output_data o = sfx_output(&f);
    store_run_meta m = sfx_meta(&f);
    int64_t id = 0;
    CHECK_INT(s ? store_begin_run(s, &m, &o, &f.p.order, &id, &d) : -1,
              DIAG_TEMPFAIL);
    CHECK_CONTAINS(diag_text(&d), "locked");
    CHECK_INT(id, 0);
    sqlite3_exec(holder, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(holder);
    /* once free, the same connection records the run */
    diag_clear(&d);
    CHECK_INT(s ? store_begin_run(s, &m, &o, &f.p.order, &id, &d) : -1, 0);
    CHECK_INT(s ? store_commit(s, &d) : -1, 0);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run"), 1);
    store_close(s);
    diag_free(&d);
    sfx_cleanup(&f);
}

TEST(required_library_files)
{
    diag d;
    diag_init(&d);
    rules *r = NULL;
    CHECK_INT(rules_open(&r, "tests/data/rules/require_ok.lua",
                         "tests/data/rules/lib", NULL, &d), 0);
    char **paths = NULL;
    size_t n = 0;
    CHECK_INT(r ? rules_required_files(r, &paths, &n, &d) : -1, 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(paths[0], "tests/data/rules/lib/helpers.lua");
        CHECK_STR(paths[1], "tests/data/rules/lib/sub/util.lua");
    }
    rules_required_free(paths, n);
    rules_close(r);
    /* a rule file requiring nothing */
    CHECK_INT(rules_open(&r, "tests/data/rules/good.lua",
                         "tests/data/rules/lib", NULL, &d), 0);
    CHECK_INT(r ? rules_required_files(r, &paths, &n, &d) : -1, 0);
    CHECK_INT(n, 0);
    CHECK(paths == NULL);
    rules_close(r);
    diag_free(&d);
}

/* The required files are hashed with the run, named from the libdir. */
TEST(records_the_library_files)
{
    store_fx f;
    sfx_files(&f);
    CHECK_INT(sfx_build(&f, 5000000), 0);
    diag d;
    diag_init(&d);
    rules *r = NULL;
    CHECK_INT(rules_open(&r, "tests/data/rules/require_ok.lua",
                         "tests/data/rules/lib", NULL, &d), 0);
    store *s = sfx_open(&f);
    output_data o = sfx_output(&f);
    store_run_meta m = sfx_meta(&f);
    m.rules = r;
    m.libdir = "tests/data/rules/lib";
    int64_t id = 0;
    CHECK_INT(s ? store_begin_run(s, &m, &o, &f.p.order, &id, &d) : -1, 0);
    CHECK_INT(s ? store_commit(s, &d) : -1, 0);
    store_close(s);
    rules_close(r);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM run_file WHERE role = 'lib'"
                            " AND name IN ('helpers.lua', 'sub/util.lua')"
                            " AND path LIKE '/%'"), 2);
    diag_free(&d);
    sfx_cleanup(&f);
}

int main(void)
{
    RUN(open_creates_schema_in_wal_mode);
    RUN(open_failures_have_their_status);
    RUN(open_migrates_an_empty_database);
    RUN(page_size_follows_the_first_run);
    RUN(records_every_result);
    RUN(records_the_envelope_at_each_turn);
    RUN(rollback_leaves_nothing);
    RUN(foreign_keys_return_after_the_run);
    RUN(large_run_writes_through_a_rollback_journal);
    RUN(failed_run_is_recorded_alone);
    RUN(busy_beyond_the_timeout_is_tempfail);
    RUN(required_library_files);
    RUN(records_the_library_files);
    return testlib_done("store");
}
