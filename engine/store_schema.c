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

/* Successive calls for projects (schema 2): adoptions and releases.
 *  - adoption: the committee adopted a run's decisions (a resolution):
 *    its instalments become commitments of its program. One per run;
 *  - release / release_part: money freed from a commitment's unpaid
 *    instalments, with its reason, and which instalments gave it;
 *  - run gains what the call started from: where its commitments came
 *    from (call_source: 'store', 'csv', or NULL for none), the last
 *    adoption and release it saw (basis_*: a replay uses the same ones),
 *    the money they committed, --resubmit, and the run whose waitlist it
 *    carried; envelope_cell gains the money committed per cell;
 *  - adopted runs, adoptions and releases are immutable: triggers refuse
 *    any UPDATE or DELETE of them, whoever writes to the file. */
#define IMMUTABLE(table, key)                                               \
    "CREATE TRIGGER " table "_adopted_update BEFORE UPDATE ON " table       \
    " WHEN EXISTS (SELECT 1 FROM adoption WHERE run_id = OLD." key ")"      \
    " BEGIN SELECT RAISE(ABORT, 'an adopted run cannot change'); END",      \
    "CREATE TRIGGER " table "_adopted_delete BEFORE DELETE ON " table       \
    " WHEN EXISTS (SELECT 1 FROM adoption WHERE run_id = OLD." key ")"      \
    " BEGIN SELECT RAISE(ABORT, 'an adopted run cannot change'); END"
#define APPEND_ONLY(table)                                                  \
    "CREATE TRIGGER " table "_no_update BEFORE UPDATE ON " table            \
    " BEGIN SELECT RAISE(ABORT, '" table " rows cannot change'); END",      \
    "CREATE TRIGGER " table "_no_delete BEFORE DELETE ON " table            \
    " BEGIN SELECT RAISE(ABORT, '" table " rows cannot change'); END"

static const char *const step2[] = {
    "ALTER TABLE run ADD COLUMN call_source TEXT"
    " CHECK (call_source IN ('store', 'csv'))",
    "ALTER TABLE run ADD COLUMN basis_adoption INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE run ADD COLUMN basis_release INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE run ADD COLUMN committed INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE run ADD COLUMN resubmit INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE run ADD COLUMN carried_from INTEGER REFERENCES run(id)",
    "ALTER TABLE envelope_cell ADD COLUMN committed INTEGER NOT NULL"
    " DEFAULT 0",
    "CREATE TABLE adoption ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " run_id INTEGER NOT NULL UNIQUE REFERENCES run(id),"
    " program TEXT NOT NULL CHECK (program <> ''),"
    " resolution TEXT NOT NULL CHECK (resolution <> ''),"
    " adopted_at TEXT NOT NULL)",
    "CREATE INDEX adoption_program ON adoption (program, run_id)",
    "CREATE TABLE release ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " program TEXT NOT NULL, application TEXT NOT NULL,"
    " amount INTEGER NOT NULL CHECK (amount > 0),"
    " reason TEXT NOT NULL CHECK (reason <> ''),"
    " as_of TEXT NOT NULL," /* instalments due before it are paid */
    " released_at TEXT NOT NULL)",
    "CREATE TABLE release_part ("
    " release_id INTEGER NOT NULL REFERENCES release(id),"
    " run_id INTEGER NOT NULL, app INTEGER NOT NULL,"
    " number INTEGER NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0),"
    " PRIMARY KEY (release_id, run_id, app, number),"
    " FOREIGN KEY (run_id, app, number) REFERENCES instalment)"
    " WITHOUT ROWID",
    "CREATE INDEX release_part_instalment ON release_part"
    " (run_id, app, number)",
    IMMUTABLE("run", "id"), IMMUTABLE("application", "run_id"),
    IMMUTABLE("decision", "run_id"), IMMUTABLE("instalment", "run_id"),
    IMMUTABLE("envelope_cell", "run_id"), IMMUTABLE("subregion", "run_id"),
    IMMUTABLE("check_failure", "run_id"), IMMUTABLE("run_file", "run_id"),
    APPEND_ONLY("adoption"), APPEND_ONLY("release"),
    APPEND_ONLY("release_part"),
    "DROP VIEW summary_view",
    "CREATE VIEW summary_view AS"
    " SELECT c.run_id, s.name AS envelope, c.fiscal_year,"
    " c.envelope / 100.0 AS envelope_amount,"
    " c.committed / 100.0 AS committed,"
    " c.carried_in / 100.0 AS carried_in, c.granted / 100.0 AS granted,"
    " c.remaining / 100.0 AS unspent, c.carried_out / 100.0 AS carried_out,"
    " c.to_reserve / 100.0 AS to_reserve"
    " FROM envelope_cell c JOIN subregion s USING (run_id, sub)",
    /* every adopted instalment with what releases took from it */
    "CREATE VIEW commitment_view AS"
    " SELECT ad.program, ad.run_id, ad.resolution, a.id AS application,"
    " s.name AS envelope, i.fiscal_year, i.number, i.due,"
    " i.amount / 100.0 AS committed,"
    " coalesce((SELECT sum(p.amount) FROM release_part p"
    "  WHERE p.run_id = i.run_id AND p.app = i.app"
    "  AND p.number = i.number), 0) / 100.0 AS released"
    " FROM adoption ad JOIN instalment i ON i.run_id = ad.run_id"
    " JOIN application a ON a.run_id = i.run_id AND a.app = i.app"
    " JOIN subregion s ON s.run_id = i.run_id AND s.sub = i.source",
    "PRAGMA user_version = 2",
    NULL};

/* The Method of Equal Shares (allocate.method = "equal_shares"): rows
 * only for runs that used it.
 *  - share_election: per sub-region, its voters (evaluators), the budget
 *    each had (cents, add1's increment included) and the options;
 *  - share_decision: per candidate, how the rule treated it (bought,
 *    unaffordable, no_fit, no_support, completion), the step it was
 *    chosen at, its rho as a fraction, the price asked and what its
 *    supporters had left at the end;
 *  - share_payment: who paid how much for each bought application. */
static const char *const step3[] = {
    "CREATE TABLE share_election ("
    " run_id INTEGER NOT NULL, sub INTEGER NOT NULL,"
    " completion TEXT NOT NULL, utility TEXT NOT NULL,"
    " voters INTEGER NOT NULL, budget INTEGER NOT NULL,"
    " increment INTEGER NOT NULL, runs INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, sub),"
    " FOREIGN KEY (run_id, sub) REFERENCES subregion ON DELETE CASCADE)"
    " WITHOUT ROWID",
    "CREATE TABLE share_decision ("
    " run_id INTEGER NOT NULL, app INTEGER NOT NULL,"
    " how TEXT NOT NULL, round INTEGER," /* NULL: never chosen */
    " rho_num INTEGER, rho_den INTEGER,"
    " cost INTEGER NOT NULL, supporters_left INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, app),"
    " FOREIGN KEY (run_id, app) REFERENCES application ON DELETE CASCADE)"
    " WITHOUT ROWID",
    "CREATE TABLE share_payment ("
    " run_id INTEGER NOT NULL, app INTEGER NOT NULL,"
    " evaluator TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount > 0),"
    " PRIMARY KEY (run_id, app, evaluator),"
    " FOREIGN KEY (run_id, app) REFERENCES application ON DELETE CASCADE)"
    " WITHOUT ROWID",
    IMMUTABLE("share_election", "run_id"),
    IMMUTABLE("share_decision", "run_id"),
    IMMUTABLE("share_payment", "run_id"),
    "PRAGMA user_version = 3",
    NULL};

/* Territorial equity (equity.h): per run, each level (sub-regions, the
 * territories of territories.csv) with its totals and spread, and each
 * of its rows with its people and money and the figures as equity.csv
 * shows them (cents, shares in ten-thousandths, ratios in hundredths;
 * NULL where a divisor was 0). A run without figures has no rows. */
static const char *const step4[] = {
    "CREATE TABLE equity_level ("
    " run_id INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    " level TEXT NOT NULL CHECK (level IN ('subregion', 'territory')),"
    " population INTEGER NOT NULL, low_income INTEGER NOT NULL,"
    " granted INTEGER NOT NULL, committed INTEGER NOT NULL,"
    " max_min INTEGER, gini INTEGER,"
    " PRIMARY KEY (run_id, level)) WITHOUT ROWID",
    "CREATE TABLE equity_row ("
    " run_id INTEGER NOT NULL, level TEXT NOT NULL,"
    " position INTEGER NOT NULL," /* in the file the row comes from */
    " name TEXT NOT NULL, subregion TEXT NOT NULL,"
    " population INTEGER NOT NULL, low_income INTEGER NOT NULL,"
    " granted INTEGER NOT NULL, committed INTEGER NOT NULL,"
    " per_inhabitant INTEGER, per_low_income INTEGER,"
    " money_share INTEGER, low_income_share INTEGER, ratio INTEGER,"
    " PRIMARY KEY (run_id, level, position),"
    " FOREIGN KEY (run_id, level) REFERENCES equity_level ON DELETE CASCADE)"
    " WITHOUT ROWID",
    IMMUTABLE("equity_level", "run_id"), IMMUTABLE("equity_row", "run_id"),
    "PRAGMA user_version = 4",
    NULL};

const char *const *const store_migrations[] = {step1, step2, step3, step4};
const size_t store_n_migrations =
    sizeof store_migrations / sizeof *store_migrations;

_Static_assert(sizeof store_migrations / sizeof *store_migrations ==
                   STORE_SCHEMA_VERSION,
               "one migration step per schema version");
