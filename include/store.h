/* store: the run store, a SQLite database recording every run, so that
 * committees and auditors can ask months later what was decided, with
 * which rules and inputs, and why.
 *
 * A run is written in one transaction: the run (times, engine version,
 * program, folders, status and error), the SHA-256 of every input file,
 * of the rule file and of every rules library file it required, the
 * applications as loaded, the failed checks (a check not listed passed),
 * each criterion's points, the decisions with the envelope left at each
 * application's turn, the instalments, the split grid and the summary.
 * A failed run is recorded as failed, with its error and file hashes and
 * nothing else. A crash leaves no partial run: SQLite rolls an unfinished
 * transaction back.
 *
 * The database is in WAL mode (readers never block the writer), with
 * foreign keys on, synchronous = NORMAL (a crash of the process loses
 * nothing committed; a power loss may lose the last runs, never corrupt
 * the file) and a busy timeout, so that two runs on one database queue
 * rather than fail. The schema is versioned with PRAGMA user_version and
 * migrated forward on open (see store_schema.c). Every statement is
 * prepared once and bound; no SQL is built from values.
 *
 * Statuses: DIAG_TEMPFAIL when another process holds the database longer
 * than the busy timeout, DIAG_CANTCREAT when it cannot be created or
 * written, DIAG_NOINPUT when a database to read does not exist, DIAG_DATA
 * for a file that is not a run store or an unknown run id, DIAG_CONFIG
 * for a store written by a newer alliance, DIAG_IOERR, DIAG_OSERR. */
#ifndef ALLIANCE_STORE_H
#define ALLIANCE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "output.h"
#include "rank.h"
#include "rules.h"

#define STORE_SCHEMA_VERSION 5
#define STORE_BUSY_TIMEOUT_MS 10000
#define STORE_DEFAULT_NAME "alliance.db"

typedef struct store store;

typedef enum store_mode {
    STORE_READ,   /* the database must exist */
    STORE_WRITE   /* created, with its folder, when missing */
} store_mode;

/* Opens (and migrates) the store at path; busy_ms <= 0 means the
 * environment's ALLIANCE_BUSY_TIMEOUT_MS (milliseconds) when set, else
 * STORE_BUSY_TIMEOUT_MS. On failure *out is NULL. */
int store_open(store **out, const char *path, store_mode mode, int busy_ms,
               diag *d);
void store_close(store *s);

/* store_open (STORE_WRITE) for recording a run of n_apps applications:
 * a store it creates is laid out for runs that size, with 64 KiB pages
 * from STORE_LARGE_RUN applications on (SQLite's 4 KiB below, so that a
 * small program's store stays small). An existing store keeps its own
 * page size. */
#define STORE_LARGE_RUN 10000
int store_open_run(store **out, const char *path, size_t n_apps, int busy_ms,
                   diag *d);

/* The busy timeout from now on (busy_ms as store_open's): a store opened
 * with a short one, not to wait on another writer ahead of time, gets
 * the usual one back for its run. */
void store_set_busy(store *s, int busy_ms);

/* The schema version of the open database (PRAGMA user_version). */
int store_version(store *s);

/* Milliseconds since 1970-01-01 UTC, for store_run_meta. */
int64_t store_now_ms(void);

/* What a run of a call for projects started from (see commitments.h):
 * recorded with the run, so a replay starts from the same point. */
typedef struct store_call {
    const char *source;       /* "store", "csv", or NULL: no commitments */
    int64_t basis_adoption;   /* the last adoption and release the run */
    int64_t basis_release;    /* saw (store_basis) */
    int64_t committed;        /* cents committed in earlier calls */
    int resubmit;             /* --resubmit */
    int64_t carried_from;     /* the run whose waitlist it carried, 0 */
} store_call;

/* What the store records about a run besides its results. Paths are
 * stored absolute when they resolve, so a replay works from anywhere. */
typedef struct store_run_meta {
    int64_t started_ms;
    int64_t finished_ms;     /* 0: when the store step runs */
    const char *inputs_dir;
    const char *rules_path;
    const char *libdir;      /* may be NULL */
    const char *out_dir;     /* may be NULL (a replay without outputs) */
    int64_t replay_of;       /* the run replayed, 0 for none */
    const rules *rules;      /* NULL when the rule file did not load */
    const store_call *call;  /* NULL: nothing to record (a first call) */
} store_run_meta;

/* Hashes the files, then begins a write transaction (waiting up to the
 * busy timeout for another writer) and writes the run, status ok, with
 * every result. Nothing is visible to others before store_commit;
 * store_rollback discards it. On failure the transaction is rolled back.
 * *id is the new run's id. */
int store_begin_run(store *s, const store_run_meta *m, const output_data *o,
                    const rank_order *order, int64_t *id, diag *d);
/* store_begin_run in four steps, so the rows can be written while the
 * run goes on: store_begin_apps begins the write transaction (waiting
 * here for another writer) and sets *id to the id the run will have;
 * store_write_apps writes the applications as loaded (which the
 * allocation does not change, so while it runs); store_begin_run_row
 * writes the run row with that id; store_write_run_rows every other
 * result (while other threads write the outputs that show the id). The
 * connection is used by one thread at a time. On failure each rolls
 * back. */
int store_begin_apps(store *s, const inputs *in, int64_t *id, diag *d);
int store_write_apps(store *s, int64_t id, const inputs *in, diag *d);
int store_begin_run_row(store *s, const store_run_meta *m,
                        const output_data *o, const rank_order *order,
                        int64_t *id, diag *d);
int store_write_run_rows(store *s, int64_t id, const store_run_meta *m,
                         const output_data *o, const rank_order *order,
                         diag *d);
int store_commit(store *s, diag *d);
void store_rollback(store *s);

/* Records a failed run in its own transaction: its row with the exit
 * status and error text, and the hashes of the files it could read. */
int store_record_failed(store *s, const store_run_meta *m, int status,
                        const char *error, int64_t *id, diag *d);

/* ---- reading (store_read.c, store_explain.c, store_diff.c) ---------- */

/* A run as listed; strings are "" when unknown, never NULL. Counts and
 * amounts are 0 for a failed run. */
typedef struct store_run {
    int64_t id;
    const char *started_at;   /* "2026-11-23T06:28:51.123Z", UTC */
    const char *finished_at;
    const char *engine_version;
    const char *program;
    const char *inputs_dir, *rules_path, *libdir, *out_dir;
    const char *status;       /* "ok" or "failed" */
    int exit_status;
    const char *error;
    int64_t replay_of;        /* 0 for none */
    int first_year, n_years;
    int64_t threshold;        /* hundredths of a point */
    const char *leftover;     /* "reserve" or "carry" */
    int64_t n_apps, n_eligible, n_ranked;
    int64_t n_granted;        /* applications granted money */
    int64_t n_status[DECISION_N_STATUSES];
    int64_t granted, envelope; /* cents */
    struct store_bag *bag_;   /* owns store_get_run's strings */
    /* schema 2: successive calls (0 or "" for older runs) */
    const char *call_source;  /* "store", "csv" or "" */
    int64_t basis_adoption, basis_release;
    int64_t committed;        /* cents committed in earlier calls */
    int resubmit;
    int64_t carried_from;
    const char *adopted;      /* its adoption's resolution, "" if none */
} store_run;

/* Calls fn on every run, newest first; strings live during the call.
 * A non-zero return from fn stops and is returned. */
int store_list_runs(store *s, int (*fn)(void *ctx, const store_run *r),
                    void *ctx, diag *d);

/* A run's row, copied: free with store_run_free. DIAG_DATA when there
 * is no such run. */
int store_get_run(store *s, int64_t id, store_run *out, diag *d);
void store_run_free(store_run *r);

/* The newest successful run holding application app_id; DIAG_DATA
 * when none does. */
int store_latest_run_of(store *s, const char *app_id, int64_t *id, diag *d);

/* A file a run read, with its SHA-256. role: "input", "rules", "lib". */
typedef struct store_file {
    const char *role, *name, *path, *sha256;
} store_file;

int store_run_files(store *s, int64_t run,
                    int (*fn)(void *ctx, const store_file *f), void *ctx,
                    diag *d);

/* Hashes again every file run `run` read, and each optional input file
 * (evaluations.csv, overrides.csv) it did not have but inputs_dir now
 * holds; calls fn for each that differs, with now its SHA-256 today, or
 * NULL when it cannot be read (f->sha256 is "" for a file the run did
 * not have). A non-zero return from fn stops and is returned. */
typedef int (*store_changed_fn)(void *ctx, const store_file *f,
                                const char *now);
int store_verify_files(store *s, int64_t run, const char *inputs_dir,
                       store_changed_fn fn, void *ctx, diag *d);

/* Why an application got what it got (alliance explain). */
typedef struct store_check_result {
    const char *id, *label;
    const char *reason;       /* NULL: passed */
} store_check_result;

typedef struct store_points {
    const char *id, *label;
    int32_t points, max;      /* hundredths */
} store_points;

typedef struct store_instalment {
    uint32_t number;
    const char *label, *due, *envelope;
    int fiscal_year;          /* first year: 2025 for 2025-2026 */
    int64_t amount;
} store_instalment;

/* How the Method of Equal Shares treated an application. */
typedef struct store_share_payment {
    const char *evaluator;
    int64_t amount;           /* cents */
} store_share_payment;

typedef struct store_share {
    const char *how;          /* alloc_share_how_name() */
    const char *completion, *utility;
    uint32_t round;           /* step it was chosen at, 0: never */
    int64_t rho_num, rho_den; /* den 0: never chosen */
    int64_t cost, supporters_left;
    int64_t voters, budget, increment;   /* its sub-region's election */
    store_share_payment *payments;       /* by evaluator id */
    size_t n_payments;
} store_share;

typedef struct store_explanation {
    store_run run;
    const char *id, *organisation, *title, *org_type, *subregion;
    int64_t requested, total_cost;
    const char *start;        /* "" when absent */
    int months;
    const char *status;
    int eligible;
    int64_t score;
    uint32_t rank, n_ranked;  /* n_ranked: in its sub-region */
    int64_t granted;
    const char *source;       /* the envelope row charged */
    int short_year;           /* first fiscal year short of money, or 0 */
    const char *override_justification, *reasons;
    store_check_result *checks;
    size_t n_checks;
    store_points *points;
    size_t n_points;
    int64_t *left;            /* run.n_years: left in each fiscal year of
                                 source at its turn; NULL if not reached */
    store_instalment *instalments;
    size_t n_instalments;
    /* schema 5: robustness (robust.h) */
    int64_t margin;           /* hundredths, or ROBUST_NONE */
    uint32_t margin_rank;     /* 0 with no margin */
    const char *decided_by;   /* evaluators, ';'-separated, NULL: none */
    const char *margins_skipped; /* why margins were not computed, NULL */
    struct store_bag *bag;    /* owns every string above */
    store_share *share;       /* equal shares decided it, else NULL */
} store_explanation;

/* DIAG_DATA when the run does not exist, failed, or lacks app_id. */
int store_explain(store *s, int64_t run, const char *app_id,
                  store_explanation *out, diag *d);
void store_explanation_free(store_explanation *e);

/* What changed between runs a and b (alliance diff). */
typedef struct store_file_change {
    const char *role, *name;
    const char *sha_a, *sha_b; /* NULL when the run did not read it */
} store_file_change;

typedef struct store_app_change {
    const char *id, *subregion;
    const char *status_a, *status_b; /* NULL when not in that run */
    uint32_t rank_a, rank_b;         /* 0: not ranked */
    int64_t granted_a, granted_b;
} store_app_change;

typedef struct store_money_change {
    const char *envelope;            /* envelope row (sub-region) name */
    int64_t granted_a, granted_b;
} store_money_change;

typedef struct store_diff_fns {
    void *ctx;
    int (*file)(void *ctx, const store_file_change *c);
    int (*app)(void *ctx, const store_app_change *c);
    int (*money)(void *ctx, const store_money_change *c);
} store_diff_fns;

/* Calls fns->file for every file whose hash differs (or that only one
 * run read), fns->app for every application whose status, rank or grant
 * differs (by sub-region, then id), fns->money for every envelope row
 * (both runs', by name). DIAG_DATA when a run does not exist or failed. */
int store_diff(store *s, int64_t a, int64_t b, const store_diff_fns *fns,
               diag *d);

/* Decisions and instalments of two runs, compared (alliance replay). */
typedef struct store_comparison {
    int64_t decisions;         /* in run a */
    int64_t instalments;       /* in run a */
    int64_t decisions_differ;  /* applications whose decision differs */
    int64_t instalments_differ;/* instalments in one run, not the other */
} store_comparison;

int store_compare(store *s, int64_t a, int64_t b, store_comparison *c,
                  diag *d);

/* ---- successive calls for projects (store_calls.c) ------------------ *
 * A committee adopts a run: its grants and instalments become the
 * commitments of its program. A later call of the program allocates what
 * they leave. A release frees money from a commitment's unpaid
 * instalments. Adoptions and releases are never changed nor removed. */

/* The newest adoption and release ids: what a run saw of the
 * commitments, so its replay sees the same. 0 when there are none. */
typedef struct store_basis {
    int64_t adoption, release;
} store_basis;

int store_current_basis(store *s, store_basis *b, diag *d);

/* One adopted run's money for one application in one envelope row and
 * fiscal year, as of basis b. Strings live during the callback. */
typedef struct store_commitment {
    int64_t run;              /* the adopted run */
    const char *resolution;
    const char *application;
    const char *envelope;     /* the split row charged (its name) */
    int fiscal_year;          /* 2025 for 2025-2026 */
    int64_t committed;        /* cents adopted */
    int64_t released;         /* cents released since, <= committed */
} store_commitment;

/* Calls fn for each commitment of program within b, by adoption, then
 * application order, envelope row and fiscal year. */
int store_commitments(store *s, const char *program, const store_basis *b,
                      int (*fn)(void *ctx, const store_commitment *c),
                      void *ctx, diag *d);

/* The newest adopted run of program within b, or 0 (the previous call,
 * whose waitlist --carry-waitlist takes). */
int store_last_adopted(store *s, const char *program, const store_basis *b,
                       int64_t *run, diag *d);

/* A waitlisted application of a run, as the run loaded it. extra holds
 * the run's extra column values joined by U+001F, extra_names their
 * names likewise. Strings live during the callback. */
typedef struct store_waiting {
    const char *id, *organisation, *subregion, *title, *org_type;
    int64_t requested, total_cost;
    const char *start;        /* "" when absent */
    int months;               /* 0 when absent */
    long line;
    const char *extra, *extra_names;
} store_waiting;

int store_waitlist(store *s, int64_t run,
                   int (*fn)(void *ctx, const store_waiting *w), void *ctx,
                   diag *d);

/* Adopts run `run` with the committee's resolution (not empty). Refused
 * (DIAG_DATA, saying why) for an unknown or failed run, a run without a
 * program name, a run already adopted, a run whose commitments came
 * from commitments.csv, while a later run of its program is adopted, or
 * when an adoption of its program came after the run (it did not
 * subtract those commitments: run the call again). */
typedef struct store_adoption {
    int64_t id;               /* the adoption's id */
    int64_t granted;          /* cents the run committed */
    int64_t applications;     /* applications with a grant */
    char program[256];        /* cut to fit */
} store_adoption;

int store_adopt(store *s, int64_t run, const char *resolution,
                int64_t now_ms, store_adoption *out, diag *d);

/* A release: amount cents (or, with all set, everything unpaid) of
 * application's commitments in program (NULL: the one program that has
 * it) freed from its instalments due on or after as_of ("YYYY-MM-DD";
 * those due before are paid), latest first. Refused (DIAG_DATA) when the
 * application has no commitment, or the amount is not more than 0 and
 * at most what is committed and unpaid. */
typedef struct store_release_req {
    const char *application, *program, *reason, *as_of;
    int64_t amount;
    int all;
    int64_t now_ms;
} store_release_req;

typedef struct store_release_done {
    int64_t id;
    int64_t amount;           /* cents released */
    int64_t committed;        /* the application's commitments, cents */
    int64_t released_before;  /* released by earlier releases */
    int64_t paid;             /* in instalments due before as_of */
    int64_t instalments;      /* instalments it took money from */
    char program[256];
} store_release_done;

int store_release(store *s, const store_release_req *req,
                  store_release_done *out, diag *d);

/* The only program with adoptions, in buf (cap bytes); DIAG_DATA naming
 * them when there are several (name one), or none. */
int store_only_program(store *s, char *buf, size_t cap, diag *d);

#endif
