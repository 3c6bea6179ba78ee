/* rules: runs a region's Lua 5.4 rule file, sandboxed and resource-limited.
 *
 * A rule file returns a table (see rules/README.md):
 *   program    string, the program's name
 *   fields     { column = "text"|"integer"|"number"|"money"|"date"|"boolean"
 *                          | { "one", "of", "these" } }   extra column types
 *   checks     { { id=, label=, test=function(app, ctx) -> ok[, reason] }, ... }
 *   criteria   { { id=, label=, max=, score=function(app, ctx) -> points }, ... }
 *   threshold  minimum total score to be fundable
 *   allocate   { method = "greedy", on_overflow = "skip"|"stop"|"partial",
 *                min_partial_share = 0.5, leftover = "reserve"|"carry",
 *                max_grant = dollars, max_per_organisation = dollars }
 *   schedule   { { label=, share=, at= }, ... }  at: 0 = start, 1 = end
 *   split      function(subregions, ctx) -> { [name] = weight, ... }
 *
 * Points and scores are held in hundredths of a point (int), so totals
 * and the threshold comparison are exact and reproducible. */
#ifndef ALLIANCE_RULES_H
#define ALLIANCE_RULES_H

#include <stddef.h>
#include <stdint.h>
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
    size_t n_instalments;   /* >= 1; default: one instalment at start */
    int has_split;          /* the rule file defines split() */
} rules_config;

/* Results of every check and criterion for every application. */
typedef struct rules_failure {
    size_t app;             /* index into inputs.apps */
    size_t check;           /* index into config.checks */
    const char *reason;     /* the rule's reason, or the check's label */
} rules_failure;

typedef struct rules_results {
    size_t n_apps, n_checks, n_criteria;
    unsigned char *eligible;  /* n_apps: 1 when every check passed */
    int64_t *score;           /* n_apps: sum of points, hundredths */
    int32_t *points;          /* n_apps * n_criteria, hundredths, clamped */
    rules_failure *failures;  /* ordered by app, then check */
    size_t n_failures;
    size_t *first_failure;    /* n_apps + 1 offsets into failures */
    struct rules_pool *pool;  /* owns the reason strings */
} rules_results;

/* Loads and runs the rule file in a fresh sandbox (base functions without
 * dofile/loadfile/bytecode, string, table, math, utf8; require only from
 * libdir), then validates the returned table's shape. libdir may be NULL
 * (require is then unavailable). lim may be NULL for the defaults. */
int rules_open(rules **out, const char *path, const char *libdir,
               const rules_limits *lim, diag *d);
void rules_close(rules *r);

const rules_config *rules_config_get(const rules *r);

/* Runs every check and every criterion on every application. Criteria run
 * on all applications, eligible or not, so decisions can be explained.
 * Lua errors become "path:line: in check 'id' for application A0137: msg"
 * with DIAG_DATA. */
int rules_evaluate(rules *r, const inputs *in, rules_results *out, diag *d);
void rules_results_free(rules_results *res);

/* Calls the rule's split(); fills weights[n_split] with each subregion's
 * weight in parts per billion of the sum of weights. */
int rules_split(rules *r, const inputs *in, int64_t *weights, diag *d);

#endif
