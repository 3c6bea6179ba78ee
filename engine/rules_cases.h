/* rules_cases.h: the cases of a rule test file, between the Lua side that
 * reads them (rules_cases.c) and the C side that runs and compares them
 * (rules_cases_run.c).  Internal to the rules module. */
#ifndef ALLIANCE_RULES_CASES_H
#define ALLIANCE_RULES_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "rules_internal.h"

#define CASE_UNSET INT64_MIN /* an expectation the case does not state */

typedef struct test_case {
    const char *name;         /* "" when unnamed */
    application app;          /* app.extra = cells; app.line = case number */
    const char **keys;        /* extra column keys, n_cols */
    const char **cells;       /* their values as CSV text, "" for nil */
    size_t n_cols;
    evaluation *evals;        /* its grades, app index 0 */
    size_t n_evals;
    int eligible;             /* -1 not stated, else 0 or 1 */
    unsigned char *fails;     /* n_checks flags; NULL when not stated */
    int64_t *points;          /* n_criteria hundredths, or CASE_UNSET */
    int64_t score;            /* hundredths, or CASE_UNSET */
    int above;                /* above_threshold: -1 not stated, 0, 1 */
} test_case;

typedef struct test_run {
    rules_job job;
    const char *path;         /* the cases file */
    struct rules_pool *strs;  /* every string of the cases */
    test_case *cases;
    size_t n_cases;
    envelope_year *years;     /* the program: fiscal_years, envelope */
    size_t n_years;
    subregion *subs;          /* subregions, or those the cases name */
    size_t n_subs;
    int subs_given;           /* the file lists its subregions */
} test_run;

/* "cases.lua: case 3 \"name\": message" (DIAG_DATA), or "cases.lua:
 * message" for i == 0. */
int rules_case_err(test_run *t, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies a string into t->strs; raises a Lua memory error when full. */
const char *rules_case_keep(test_run *t, const char *s, size_t len);

/* Reads case i's grades and expectations from the case table at index e
 * (rules_cases_expect.c). */
int rules_cases_grades(test_run *t, size_t i, int e);
int rules_cases_expect(test_run *t, size_t i, int e);

/* Runs the cases file in r's sandbox and reads its cases into t, every
 * problem reported in t->job.d.  Returns a diag status. */
int rules_cases_load(test_run *t);

/* Frees what rules_cases_load allocated (safe on a zeroed run). */
void rules_cases_free(test_run *t);

#endif
