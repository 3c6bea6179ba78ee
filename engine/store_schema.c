/* store_schema: the run store's schema, as forward migrations.
 *
 * Step i, a NULL-terminated list of statements, takes a database from
 * user_version i to i + 1 and ends by setting that version itself, so
 * the version always names the tables present. store_open applies the
 * missing steps in order in one transaction. A released step is never edited: a change is a new step.
 *
 * Layout choices, for a million applications a run:
 *  - check results: only failures are rows (check_failure); the run's
 *    check list (rule_check) says what was run, so passing is implied;
 *  - criterion points: one BLOB per decision, int32 little-endian
 *    hundredths in rule_criterion order, rather than one row per
 *    application and criterion: a tenth of the rows and of the insert
 *    time for a typical six-criterion grid, and explain reads them whole
 *    anyway;
 *  - envelope_left: int64 little-endian cents per fiscal year, what the
 *    application's envelope row had left in each year when its turn came
 *    (before its own grant), for explain;
 *  - amounts are integer cents, points hundredths, fiscal years their
 *    first calendar year (2025 for 2025-2026), dates "YYYY-MM-DD", times
 *    ISO 8601 UTC with milliseconds;
 *  - the views (decision_view, summary_view) are for people reading the
 *    store with the sqlite3 shell. */
#include <stddef.h>

#include "store_internal.h"

static const char *const step1[] = {
    "CREATE TABLE run ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " started_at TEXT NOT NULL,"
    " finished_at TEXT NOT NULL,"
    " engine_version TEXT NOT NULL,"
    " program TEXT,"
    " inputs_dir TEXT NOT NULL,"
    " rules_path TEXT NOT NULL,"
    " lib_dir TEXT,"
    " out_dir TEXT,"
    " status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),"
    " exit_status INTEGER NOT NULL,"
    " error TEXT,"
    " replay_of INTEGER REFERENCES run(id),"
    " first_year INTEGER, n_years INTEGER, threshold INTEGER,"
    " on_overflow TEXT, leftover TEXT,"
    " extra_names TEXT," /* extra application columns, joined by U+001F */
    " n_apps INTEGER, n_eligible INTEGER, n_ranked INTEGER,"
    " n_granted INTEGER," /* applications granted money */
    /* decisions by status, in decision_status order */
    " n_funded INTEGER, n_partial INTEGER, n_waitlisted INTEGER,"
    " n_below INTEGER, n_ineligible INTEGER, n_overridden INTEGER,"
    " granted INTEGER, envelope INTEGER)",
    "CREATE TABLE run_file ("
    " run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL CHECK (role IN ('input', 'rules', 'lib')),"
    " name TEXT NOT NULL,"
    " path TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " PRIMARY KEY (run_id, role, name)) WITHOUT ROWID",
    "CREATE TABLE rule_check ("
    " run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL,"
    " PRIMARY KEY (run_id, idx)) WITHOUT ROWID",
    "CREATE TABLE rule_criterion ("
    " run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL,"
    " max INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, idx)) WITHOUT ROWID",
    "CREATE TABLE subregion (" /* the split grid's rows */
    " run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    " sub INTEGER NOT NULL, name TEXT NOT NULL,"
    " is_reserve INTEGER NOT NULL, total INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, sub)) WITHOUT ROWID",
    "CREATE TABLE envelope_cell (" /* split grid and summary, per cell */
    " run_id INTEGER NOT NULL, sub INTEGER NOT NULL,"
    " fiscal_year INTEGER NOT NULL,"
    " envelope INTEGER NOT NULL, carried_in INTEGER NOT NULL,"
    " granted INTEGER NOT NULL, remaining INTEGER NOT NULL,"
    " carried_out INTEGER NOT NULL, to_reserve INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, sub, fiscal_year),"
    " FOREIGN KEY (run_id, sub) REFERENCES subregion ON DELETE CASCADE)"
    " WITHOUT ROWID",
    "CREATE TABLE application (" /* as loaded */
    " run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    " app INTEGER NOT NULL," /* 0-based, in applications.csv order */
    " id TEXT NOT NULL, organisation TEXT NOT NULL,"
    " sub INTEGER NOT NULL, title TEXT NOT NULL, org_type TEXT NOT NULL,"
    " requested INTEGER NOT NULL, total_cost INTEGER NOT NULL,"
    " start TEXT, months INTEGER, line INTEGER NOT NULL,"
    " extra TEXT NOT NULL," /* values of run.extra_names, U+001F-joined */
    " PRIMARY KEY (run_id, app)) WITHOUT ROWID",
    "CREATE UNIQUE INDEX application_id ON application (run_id, id)",
    "CREATE TABLE decision ("
    " run_id INTEGER NOT NULL, app INTEGER NOT NULL,"
    " status TEXT NOT NULL, rank INTEGER," /* NULL: not ranked */
    " eligible INTEGER NOT NULL, score INTEGER NOT NULL,"
    " points BLOB NOT NULL, granted INTEGER NOT NULL,"
    " source INTEGER NOT NULL," /* subregion.sub charged */
    " short_year INTEGER, override_justification TEXT,"
    " reasons TEXT NOT NULL, envelope_left BLOB,"
    " PRIMARY KEY (run_id, app),"
    " FOREIGN KEY (run_id, app) REFERENCES application ON DELETE CASCADE)"
    " WITHOUT ROWID",
    "CREATE TABLE check_failure ("
    " run_id INTEGER NOT NULL, app INTEGER NOT NULL,"
    " check_idx INTEGER NOT NULL, reason TEXT NOT NULL,"
    " PRIMARY KEY (run_id, app, check_idx),"
    " FOREIGN KEY (run_id, app) REFERENCES application ON DELETE CASCADE)"
    " WITHOUT ROWID",
    "CREATE TABLE instalment ("
    " run_id INTEGER NOT NULL, app INTEGER NOT NULL,"
    " number INTEGER NOT NULL, label TEXT NOT NULL, due TEXT NOT NULL,"
    " fiscal_year INTEGER NOT NULL, source INTEGER NOT NULL,"
    " amount INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, app, number),"
    " FOREIGN KEY (run_id, app) REFERENCES application ON DELETE CASCADE)"
    " WITHOUT ROWID",
    "CREATE VIEW decision_view AS"
    " SELECT a.run_id, s.name AS subregion, d.rank, a.id, a.organisation,"
    " d.status, d.score / 100.0 AS score, a.requested / 100.0 AS requested,"
    " d.granted / 100.0 AS granted, d.reasons, d.override_justification"
    " FROM application a JOIN decision d USING (run_id, app)"
    " JOIN subregion s ON s.run_id = a.run_id AND s.sub = a.sub",
    "CREATE VIEW summary_view AS"
    " SELECT c.run_id, s.name AS envelope, c.fiscal_year,"
    " c.envelope / 100.0 AS envelope_amount,"
    " c.carried_in / 100.0 AS carried_in, c.granted / 100.0 AS granted,"
    " c.remaining / 100.0 AS unspent, c.carried_out / 100.0 AS carried_out,"
    " c.to_reserve / 100.0 AS to_reserve"
    " FROM envelope_cell c JOIN subregion s USING (run_id, sub)",
    "PRAGMA user_version = 1",
    NULL};

const char *const *const store_migrations[] = {step1};
const size_t store_n_migrations =
    sizeof store_migrations / sizeof *store_migrations;

_Static_assert(sizeof store_migrations / sizeof *store_migrations ==
                   STORE_SCHEMA_VERSION,
               "one migration step per schema version");
