/* rules: runs a region's Lua 5.4 rule file, sandboxed and resource-limited.
 *
 * A rule file returns a table (see rules/README.md):
 *   program    string, the program's name
 *   fields     { column = "text"|"integer"|"number"|"money"|"date"|"boolean"
 *                          | { "one", "of", "these" } }   extra column types
 *   checks     { { id=, label=, test=function(app, ctx) -> ok[, reason] }, ... }
 *   criteria   { { id=, label=, max=, score=function(app, ctx) -> points }, ... }
 *   threshold  minimum total score to be fundable
 *   allocate   function(candidates, envelope, ctx) -> { [id] = dollars }, or
 *              { method = "greedy"|"equal_shares",
 *                on_overflow = "skip"|"stop"|"partial",
 *                min_partial_share = 0.5, leftover = "reserve"|"carry",
 *                max_grant = dollars, max_per_organisation = dollars,
 *                allow_resubmit = false,
 *                completion = "greedy"|"none"|"add1",   (equal_shares)
 *                utility = "points"|"cost" }           (equal_shares)
 *   schedule   { { label=, share=, at= }, ... }  at: 0 = start, 1 = end
 *              or function(app, ctx) -> { { label=, share=, at= | date= } }
 *   split      function(subregions, ctx) -> { [name] = weight, ... }
 *   rank       function(app, ctx) -> number, replaces the score as the
 *              first ranking key (higher first)
 *   tiebreak   function(app, ctx) -> number, a key between the score (or
 *              rank) and the smaller request (higher first)
 *   grid_total the criteria's maxima must add up to it (default: 100,
 *              only a warning from rules_warnings when they do not)
 *   territory_column  the applications' column naming each one's
 *              territory of territories.csv (territorial equity)
 *   robustness false: no margins, no one-evaluator reruns (robust.h)
 *
 * Points and scores are held in hundredths of a point (int), so totals
 * and the threshold comparison are exact and reproducible. */
#ifndef ALLIANCE_RULES_H
#define ALLIANCE_RULES_H

#include <stddef.h>
#include <stdint.h>
#include "calendar.h"
#include "diag.h"
#include "inputs.h"

typedef struct rules rules;

typedef struct rules_limits {
    size_t memory;          /* bytes the Lua state may hold */
    uint64_t instructions;  /* VM instructions per rule call */
} rules_limits;

#define RULES_DEFAULT_MEMORY ((size_t)256 << 20)
#define RULES_DEFAULT_INSTRUCTIONS UINT64_C(50000000)

typedef enum {
    RULES_OVERFLOW_SKIP,    /* skip what does not fit, go on down the ranks */
    RULES_OVERFLOW_STOP,    /* stop at the first that does not fit */
    RULES_OVERFLOW_PARTIAL  /* grant what is left, if >= min_partial_share */
} rules_overflow;

typedef enum {
    RULES_LEFTOVER_RESERVE, /* a year's unspent money returns to the reserve */
    RULES_LEFTOVER_CARRY    /* it carries to the sub-region's next year */
} rules_leftover;

typedef enum {
    RULES_METHOD_GREEDY,       /* by rank, while the money lasts */
    RULES_METHOD_EQUAL_SHARES  /* the Method of Equal Shares over the
                                  evaluators (equal_shares.h) */
} rules_method;

typedef enum {
    RULES_COMPLETION_GREEDY,   /* the greedy method spends what is left */
    RULES_COMPLETION_NONE,     /* what equal shares leaves stays unspent */
    RULES_COMPLETION_ADD1      /* rerun with budgets one dollar higher */
} rules_completion;

typedef enum {
    RULES_UTILITY_POINTS,      /* the points an evaluator gave */
    RULES_UTILITY_COST         /* those points times the request */
} rules_utility;

typedef struct rules_check {
    const char *id;
    const char *label;
} rules_check;

typedef struct rules_criterion {
    const char *id;
    const char *label;
    int32_t max;            /* hundredths of a point */
} rules_criterion;

typedef struct rules_instalment {
    const char *label;
    int64_t share;          /* weight in millionths (50 % -> 500000) */
    int32_t at;             /* position in the project, 0..1000 permille */
} rules_instalment;

typedef struct rules_config {
    const char *program;    /* "" when the rule file names none */
    const rules_check *checks;
    size_t n_checks;
    const rules_criterion *criteria;
    size_t n_criteria;
    int64_t threshold;      /* hundredths of a point */
    rules_overflow on_overflow;
    int32_t min_partial;    /* permille of the request, for PARTIAL */
    rules_leftover leftover;
    int64_t max_grant;      /* cents per application, 0 for no cap */
    int64_t max_per_org;    /* cents per organisation, 0 for no cap */
    const rules_instalment *instalments;
    size_t n_instalments;   /* >= 1; default: one instalment at start;
                               0 when the schedule is a function */
    int has_split;          /* the rule file defines split() */
    int has_rank;           /* rank(): rules_results.rank is filled */
    int has_tiebreak;       /* tiebreak(): rules_results.tiebreak too */
    int has_allocate;       /* allocate is a function: see rules_allocate */
    int has_schedule_fn;    /* schedule is a function: instalments is
                               NULL, rules_results.dues holds the plans */
    int64_t grid_total;     /* declared grid_total, hundredths; 0: none */
    int robustness;         /* robustness: margins and one-evaluator
                               reruns (robust.h); 1 unless false */
    int allow_resubmit;     /* allocate.allow_resubmit: an application
                               committed in an earlier call may ask for
                               more money (with --resubmit) */
    rules_method method;    /* allocate.method */
    rules_completion completion; /* allocate.completion (equal shares) */
    rules_utility utility;  /* allocate.utility (equal shares) */
    const char *territory_column; /* the applications' column naming
                                     their territory of territories.csv
                                     (equity.h); "" when none */
} rules_config;

/* Results of every check and criterion for every application. */
typedef struct rules_failure {
    size_t app;             /* index into inputs.apps */
    size_t check;           /* index into config.checks */
    const char *reason;     /* the rule's reason, or the check's label */
} rules_failure;

/* One instalment returned by a schedule function. */
#define RULES_AT_DATE (-1)  /* rules_due.at when the rule gave a date */
typedef struct rules_due {
    int64_t share;          /* millionths; an application's sum to 1e6 */
    int32_t at;             /* permille of the project, or RULES_AT_DATE */
    cal_date date;          /* the rule's date, when at == RULES_AT_DATE */
    uint32_t label;         /* index into rules_results.labels */
} rules_due;

typedef struct rules_results {
    size_t n_apps, n_checks, n_criteria;
    unsigned char *eligible;  /* n_apps: 1 when every check passed */
    int64_t *score;           /* n_apps: sum of points, hundredths */
    int32_t *points;          /* n_apps * n_criteria, hundredths, clamped */
    rules_failure *failures;  /* ordered by app, then check */
    size_t n_failures;
    size_t *first_failure;    /* n_apps + 1 offsets into failures */
    double *rank;             /* n_apps: rank() keys; NULL without rank */
    double *tiebreak;         /* n_apps: tiebreak() keys; NULL without */
    rules_due *dues;          /* schedule function's instalments, by app */
    size_t n_dues;
    size_t *first_due;        /* n_apps + 1 offsets into dues; NULL when
                                 the schedule is a table */
    const char **labels;      /* instalment label table (schedule
                                 function): rules_due.label indexes it */
    size_t n_labels;
    size_t n_errors;          /* rule errors (rules_evaluate_all only) */
    int states;               /* Lua states that evaluated (1 or 2;
                                 rules_evaluate_jobs) */
    struct rules_pool *pool;  /* owns the reason and label strings */
} rules_results;

/* Loads and runs the rule file in a fresh sandbox (base functions without
 * dofile/loadfile/bytecode, string, table, math, utf8; require only from
 * libdir), then validates the returned table's shape. libdir may be NULL
 * (require is then unavailable). lim may be NULL for the defaults. */
int rules_open(rules **out, const char *path, const char *libdir,
               const rules_limits *lim, diag *d);
void rules_close(rules *r);

const rules_config *rules_config_get(const rules *r);

/* Called now and then during rules_evaluate with the applications done
 * so far, for a progress bar. fn may be NULL. */
typedef void (*rules_progress_fn)(void *ctx, size_t done, size_t total);
void rules_set_progress(rules *r, rules_progress_fn fn, void *ctx);

/* Replaces the rule file's program name (alliance run --program), for
 * ctx.program and everything that shows the program. Call it before
 * rules_evaluate. DIAG_OSERR when out of memory. (rules_program.c) */
int rules_set_program(rules *r, const char *program, diag *d);

/* Runs every check and every criterion on every application. Criteria run
 * on all applications, eligible or not, so decisions can be explained.
 * Lua errors become "path:line: in check 'id' for application A0137: msg"
 * with DIAG_DATA. */
int rules_evaluate(rules *r, const inputs *in, rules_results *out, diag *d);

/* rules_evaluate on up to jobs cores (rules_par.c): above a few thousand
 * applications with jobs >= 2, a second Lua state opened from the same
 * rule file, library, limits and program name evaluates the second half
 * of the applications. The results, and the error of a failing run
 * (the first in file order), are those of rules_evaluate. Each state has
 * the memory limit. */
int rules_evaluate_jobs(rules *r, const inputs *in, int jobs,
                        rules_results *out, diag *d);
void rules_results_free(rules_results *res);

/* The same, but a failing rule call does not stop the evaluation (for
 * alliance check): every error is reported, up to max_errors, then the
 * evaluation stops.  An application whose rule failed is left ineligible.
 * Returns DIAG_OK when every call succeeded; DIAG_DATA when some rule
 * failed, with out complete (out->n_errors > 0) and to be freed as after
 * a success; any other status (bad inputs, out of memory) leaves out
 * empty. */
int rules_evaluate_all(rules *r, const inputs *in, size_t max_errors,
                       rules_results *out, diag *d);

/* Problems of a valid rule file that do not stop a run (alliance check):
 * criteria maxima that do not add up to 100 without a grid_total saying
 * so.  Adds one message per problem to w; returns their number. */
size_t rules_warnings(const rules *r, diag *w);

/* ---- rule test scenarios (alliance test) ---- */

/* One case of a cases file: its name and what differed. */
typedef struct rules_case_result {
    const char *name;       /* the case's name, "" when it has none */
    char *diff;             /* "check x: expected fail, got pass\n"...,
                               NULL when the case passed */
} rules_case_result;

typedef struct rules_test_report {
    rules_case_result *cases;
    size_t n_cases, n_failed;
    struct rules_pool *pool; /* owns the names */
} rules_test_report;

/* Runs the cases file at path (see rules/README.md, "Testing a rule
 * file"): a Lua file run in r's sandbox that returns a list of cases,
 * each an application, optional grades and the expected outcome.  Each
 * case is evaluated alone, as a one-application input folder would be,
 * and compared with what it expects.  Returns DIAG_OK when the cases ran,
 * whatever their outcome (see rep), or a diag status when the cases file
 * itself is wrong, every problem reported in d and rep left empty. */
int rules_test(rules *r, const char *path, rules_test_report *rep, diag *d);
void rules_test_report_free(rules_test_report *rep);

/* A candidate handed to the rule's allocate() function. */
typedef struct rules_candidate {
    size_t app;                /* index into inputs.apps */
    uint32_t rank;             /* in its sub-region */
    const int64_t *year_share; /* inputs.n_years entries: millionths of a
                                  grant paid in each fiscal year */
} rules_candidate;

/* Calls the rule's allocate(candidates, envelope, ctx) for one sub-region
 * (config.has_allocate): candidates in rank order, envelope.left what is
 * left per fiscal year (remaining[n_years], cents). Fills grants[n] in
 * cents from the { [id] = dollars } it returns (absent ids get 0). Only
 * the answer's shape is checked here (known ids, finite amounts >= 0 in
 * whole cents); the C allocation core validates the grants themselves. */
int rules_allocate(rules *r, const inputs *in, const rules_results *res,
                   size_t subregion, const rules_candidate *cand, size_t n,
                   const int64_t *remaining, int64_t *grants, diag *d);

/* Calls the rule's split(); fills weights[n_split] with each subregion's
 * weight in parts per billion of the sum of weights. */
int rules_split(rules *r, const inputs *in, int64_t *weights, diag *d);

/* The files of the rules library that require() has loaded so far (at
 * load time, or from inside rule functions during an evaluation): the
 * paths it read, "<libdir>/<module, dots as slashes>.lua", sorted, each
 * once; a module that failed to load is left out. The run store hashes
 * them so a replay can tell the library changed. *paths is a malloc'ed
 * array of *n malloc'ed strings (NULL when there is none), freed with
 * rules_required_free. Returns 0, or DIAG_OSERR recorded in d.
 * (rules_required.c) */
int rules_required_files(const rules *r, char ***paths, size_t *n, diag *d);
void rules_required_free(char **paths, size_t n);

#endif
