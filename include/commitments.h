/* commitments: successive calls for projects of one program.
 *
 * A program's multi-year envelope is spent through several calls. When
 * the committee adopts a call's run (alliance adopt), its grants and
 * instalments become commitments of the program; a release (alliance
 * release) later frees money from a commitment's unpaid instalments. A
 * new call only allocates what commitments leave, sub-region by
 * sub-region and fiscal year by fiscal year.
 *
 * This module gathers what a call starts from, before allocation:
 *   - the commitments: from the run store's adopted runs of the program
 *     (less their releases), or, without a store, from commitments.csv
 *     in the inputs (what `alliance commitments --csv` exports), never
 *     both;
 *   - with --carry-waitlist, the waitlisted applications of the previous
 *     call (the newest adopted run), appended to the inputs so the
 *     current rules rank them again with the new ones (a row of
 *     applications.csv with the same id wins: that is how an analyst
 *     updates a carried application, or has the committee grade it
 *     again in evaluations.csv);
 *   - an application of this call whose id is already committed is
 *     refused (a data error naming it), unless --resubmit is given and
 *     the rule file allows it (allocate.allow_resubmit = true): it is then
 *     a request for more money on top of its commitment, and max_grant
 *     caps the two together.
 * commit_resolve then maps the commitments onto the split grid: the money
 * committed per cell (envelope row by name, fiscal year), which the
 * allocation subtracts (alloc_run_committed) and the outputs show. */
#ifndef ALLIANCE_COMMITMENTS_H
#define ALLIANCE_COMMITMENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "allocate.h"
#include "diag.h"
#include "inputs.h"
#include "split.h"
#include "store.h"

typedef enum commit_source {
    COMMIT_NONE,   /* a first call: nothing committed yet */
    COMMIT_STORE,  /* adopted runs of the run store */
    COMMIT_CSV     /* commitments.csv */
} commit_source;

/* One application's money in one envelope row and fiscal year. */
typedef struct commit_item {
    const char *application;
    const char *envelope;     /* the split row's name */
    int fiscal_year;          /* 2025 for 2025-2026 */
    int64_t committed;        /* cents adopted (commitments.csv: amount) */
    int64_t released;         /* cents released since; 0..committed */
    const char *resolution;
    int64_t run;              /* the adopted run; 0 from commitments.csv */
    long line;                /* commitments.csv line; 0 from the store */
} commit_item;

typedef struct commit_options {
    const char *db_path;      /* the run store; NULL: none */
    const char *program;      /* the program's name ("" for none) */
    int resubmit;             /* --resubmit */
    int allow_resubmit;       /* the rule file's allocate.allow_resubmit */
    int carry_waitlist;       /* --carry-waitlist */
    const store_basis *basis; /* a replay: the commitments as the run it
                                 replays saw them; NULL: as they are now */
    int64_t carry_from;       /* a replay: the run whose waitlist the
                                 replayed run carried; 0 */
} commit_options;

typedef struct commit_set {
    commit_source source;
    commit_item *items;       /* strings owned by the inputs */
    size_t n, cap;
    store_basis basis;        /* what the store held when read */
    int resubmit;
    int64_t carried_from;     /* the run whose waitlist was carried, 0 */
    size_t n_carried;         /* applications carried */
    size_t n_apps;            /* applications of the program committed */
    int store_failed;         /* the run store itself failed */
    /* commit_resolve */
    int64_t *cell;            /* n_sub * n_years: cents still committed */
    int64_t *app;             /* n_apps of the inputs: a resubmission's
                                 commitment, 0 for the others */
    int64_t total;            /* cents still committed, all cells */
    size_t n_resubmitted;
} commit_set;

/* Reads the commitments and, asked to, the carried waitlist (appended to
 * in); refuses applications already committed unless resubmitted. On
 * failure c->store_failed says whether the store itself failed (locked,
 * not a store), so that the run does not try to record its failure in
 * it. c is always safe to commit_free. */
int commit_load(commit_set *c, const commit_options *o, inputs *in, diag *d);

/* Per cell and per application, against this call's split grid: an
 * envelope row or fiscal year unknown to it is a DIAG_DATA error, and so
 * is a store commitment with more released than committed. */
int commit_resolve(commit_set *c, const inputs *in, const split_grid *g,
                   diag *d);

/* What alloc_run_committed subtracts (all NULL before commit_resolve). */
alloc_commitments commit_for_alloc(const commit_set *c);

/* What the run store records about the call. */
store_call commit_for_store(const commit_set *c);

void commit_free(commit_set *c);

/* For a later call (commitments, or a carried waitlist), prints to f the
 * line saying what earlier calls committed ("committed in earlier calls:
 * ...") and returns 1; prints nothing and returns 0 for a first call.
 * f is the run's summary stream, given by the caller. */
int commit_print_head(FILE *f, const commit_set *c);

/* ---- commit_carry.c -------------------------------------------------- */

/* Appends the waitlisted applications of run `run` to in (those whose id
 * applications.csv has are left out); c->n_carried counts them. */
int commit_carry(commit_set *c, store *s, int64_t run, inputs *in,
                 diag *d);

#endif
