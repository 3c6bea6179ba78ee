/* store_journal: a large run's one transaction through a rollback
 * journal instead of the WAL.
 *
 * In WAL mode every page of a run goes to the WAL, then the checkpoint
 * copies it into the database: a run of a million applications writes
 * its 424 MB twice, and the copy is most of its commit (bench_store:
 * 4.3 s in WAL mode, 2.1 s through a rollback journal). A rollback
 * journal keeps the original of the pages a transaction changes, and a
 * run changes few: its rows go into new pages at the end of the file,
 * which a rollback simply cuts off. So each page is written once.
 *
 * The price is WAL's promise that readers never wait: in rollback mode a
 * reader waits while the run holds the lock. So the switch is made only
 * for a large run (store_open_run), only when no other connection has
 * the store open at that moment (SQLite refuses to leave WAL mode
 * otherwise: the run then stays in WAL mode, as before), and the
 * transaction takes the exclusive lock at once (BEGIN EXCLUSIVE): a
 * connection arriving later waits for the commit, with its busy timeout,
 * and the run's own COMMIT can never be refused for a reader, once the
 * outputs are renamed. synchronous = FULL meanwhile, because NORMAL is
 * power-safe only in WAL mode. A killed run leaves a hot journal that
 * the next connection rolls back before reading anything. */
#include "store_internal.h"

/* sqlite3_busy_timeout(0) for the switch: with another connection open it
 * fails at once rather than after the busy timeout, and the run goes on
 * in WAL mode. */
static int switch_to_journal(store *s)
{
    sqlite3_busy_timeout(s->db, 0);
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = DELETE", -1,
                                &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW &&
             sqlite3_stricmp((const char *)sqlite3_column_text(st, 0),
                             "delete") == 0;
    sqlite3_finalize(st);
    sqlite3_busy_timeout(s->db, s->busy_ms);
    return ok;
}

int store_journal_begin(store *s, diag *d)
{
    if (!s->large || !switch_to_journal(s))
        return store_begin(s, d);
    s->journaled = 1;
    int rc = store_exec(s, "PRAGMA synchronous = FULL", d);
    if (rc == 0)
        rc = store_exec(s, "BEGIN EXCLUSIVE", d);
    s->in_txn = rc == 0;
    if (rc != 0)
        store_journal_end(s);
    return rc;
}

/* Back to the store's modes. The switch back to WAL waits for readers
 * that came meanwhile; if it fails the file stays in rollback mode,
 * which is correct too, until the next connection sets WAL again. */
void store_journal_end(store *s)
{
    if (!s->journaled)
        return;
    s->journaled = 0;
    diag ignored;
    diag_init(&ignored);
    store_exec(s, "PRAGMA synchronous = NORMAL", &ignored);
    store_exec(s, "PRAGMA journal_mode = WAL", &ignored);
    diag_free(&ignored);
}
