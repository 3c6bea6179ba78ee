/* inputs: typed loading of a program's input folder (first step of a run).
 *
 *   applications.csv  id, organisation, subregion, requested, total_cost
 *                     [, title, org_type, start, months, any other column]
 *   envelopes.csv     fiscal_year, amount        (one row per fiscal year)
 *   split.csv         subregion [, amount | share] [, reserve]
 *                     [, any other column, e.g. population, low_income]
 *   evaluations.csv   application, evaluator, criterion, points  (optional)
 *   overrides.csv     application, decision, justification
 *                     [, amount, from_reserve]                  (optional)
 *   commitments.csv   application, subregion, fiscal_year, amount,
 *                     resolution                                (optional)
 *   territories.csv   territory, subregion, population, low_income
 *                                                               (optional)
 *
 * The full contract, with every alias and accepted form, is README.md
 * "Inputs"; the refusals are the corpus of tests/data/corpus/.
 *
 * Header names are matched case- and accent-insensitively, with French
 * aliases (organisme, sous_region, montant_demande, cout_total,
 * annee_financiere, montant, part...).  Every problem of every file is
 * reported in the diag, then inputs_load fails with DIAG_DATA. */
#ifndef ALLIANCE_INPUTS_H
#define ALLIANCE_INPUTS_H

#include <stddef.h>
#include <stdint.h>
#include "calendar.h"
#include "diag.h"
#include "hash.h"

/* A share in split.csv is held exactly as parts per billion: "0.25" or
 * "25 %" -> 250 000 000. */
#define INPUTS_SHARE_ONE INT64_C(1000000000)

typedef struct application {
    const char *id;
    const char *organisation;
    const char *subregion_name;
    const char *title;       /* "" when absent */
    const char *org_type;    /* "" when absent */
    size_t subregion;        /* index into inputs.split */
    int64_t requested;       /* cents, > 0 */
    int64_t total_cost;      /* cents, >= requested */
    cal_date start;          /* valid when has_start */
    int has_start;
    int months;              /* 0 when absent */
    long line;               /* line in applications.csv */
    const char **extra;      /* n_extra values, "" when empty */
} application;

typedef struct envelope_year {
    int fiscal_year;         /* first year: 2024 for 2024-2025 */
    int64_t amount;          /* cents, >= 0 */
    long line;
} envelope_year;

typedef struct subregion {
    const char *name;
    int is_reserve;          /* the regional reserve row */
    int has_amount;
    int64_t amount;          /* cents over the whole program */
    int has_share;
    int64_t share;           /* parts per INPUTS_SHARE_ONE */
    long line;
    const char **extra;      /* n_split_extra values */
    /* population and low_income (equity.h), when split.csv has them;
       still handed to split() as extra columns too */
    int has_people;          /* both cells filled */
    int64_t population, low_income;  /* persons, low_income <= population */
} subregion;

/* evaluations.csv (optional): one committee member's points on one
 * criterion of one application. Criterion ids are checked by the rules. */
typedef struct evaluation {
    size_t app;              /* index into inputs.apps */
    const char *evaluator;
    const char *criterion;   /* criterion id as written */
    int32_t points;          /* hundredths of a point, >= 0 */
    long line;
} evaluation;

/* overrides.csv (optional): the committee forces a decision. */
typedef enum inputs_override_kind {
    INPUTS_OVERRIDE_FUND,    /* "fund", "funded", "financer", "financé",
                                "accorder", "accordé", any case */
    INPUTS_OVERRIDE_REFUSE   /* "refuse", "refused", "refuser", "refusé" */
} inputs_override_kind;

typedef struct override_row {
    size_t app;              /* index into inputs.apps; one row per app */
    inputs_override_kind kind;
    int has_amount;          /* fund: the amount, else the request */
    int64_t amount;          /* cents, 0 < amount <= requested; the
                                request when !has_amount; 0 to refuse */
    const char *justification;  /* mandatory, non-empty */
    int from_reserve;        /* take the money from the regional reserve */
    long line;
} override_row;

/* commitments.csv (optional): money committed in earlier calls for
 * projects of the program, for a run without a run store (alliance
 * commitments --csv writes it from one; see commitments.h). */
typedef struct commitment_row {
    const char *application; /* an application id of an earlier call */
    const char *subregion;   /* the envelope row charged: a row of
                                split.csv, or the implicit reserve */
    int fiscal_year;         /* first year: 2025 for 2025-2026; one of
                                envelopes.csv's years */
    int64_t amount;          /* cents, >= 0: still committed (0 when all
                                of it was released) */
    const char *resolution;  /* the committee's resolution, not empty */
    long line;
} commitment_row;

/* territories.csv (optional): the territories below the sub-regions
 * (MRC, cities) with their people, for territorial equity (equity.h). */
typedef struct territory_row {
    const char *name;        /* unique */
    size_t subregion;        /* index into inputs.split, not the reserve */
    int64_t population, low_income;  /* persons, low_income <= population */
    long line;
} territory_row;

/* A file as it was loaded: its name in the input folder ("split.csv", a
 * string constant) and the SHA-256 of the bytes parsed. */
#define INPUTS_MAX_FILES 8
typedef struct inputs_digest {
    const char *file;
    char sha256[HASH_SHA256_HEX];
} inputs_digest;

typedef struct inputs {
    application *apps;
    size_t n_apps;
    const char **extra_names;    /* extra application columns, header text */
    const char **extra_keys;     /* the same, csvread_normalise()d */
    const long *extra_columns;   /* their 1-based column numbers */
    size_t n_extra;

    envelope_year *years;        /* sorted, consecutive fiscal years */
    size_t n_years;

    subregion *split;            /* in file order */
    size_t n_split;
    const char **split_extra_names;
    const char **split_extra_keys; /* csvread_normalise()d */
    size_t n_split_extra;

    evaluation *evals;           /* evaluations.csv, in file order */
    size_t n_evals;
    override_row *overrides;     /* overrides.csv, in file order */
    size_t n_overrides;

    struct inputs_arena *arena;  /* owns every string above */

    commitment_row *commitments; /* commitments.csv, in file order */
    size_t n_commitments;

    inputs_digest digests[INPUTS_MAX_FILES]; /* the files loaded */
    size_t n_digests;

    /* territorial equity (equity.h) */
    long split_population_column;  /* 1-based in split.csv, 0: absent */
    long split_low_income_column;
    territory_row *territories;    /* territories.csv, in file order */
    size_t n_territories;
    int has_territories;           /* territories.csv was read */
    int apps_halves;               /* applications.csv parsed in two
                                      halves on two threads (inputs_par) */
} inputs;

/* Loads dir/applications.csv, dir/envelopes.csv and dir/split.csv, and
 * dir/evaluations.csv and dir/overrides.csv when they exist.
 * On failure *in is left empty (safe to inputs_free). */
int inputs_load(inputs *in, const char *dir, diag *d);
/* inputs_load on up to jobs threads (par_jobs): with jobs >= 2 a big
 * applications.csv is parsed in two halves on two threads (csvread.h,
 * csvread_file_halves), with the same results and messages. */
int inputs_load_jobs(inputs *in, const char *dir, int jobs, diag *d);
void inputs_free(inputs *in);

/* The SHA-256 of the input folder's file (its name, "applications.csv")
 * as loaded, or NULL when it was not loaded (absent, or not an input). */
const char *inputs_sha256(const inputs *in, const char *file);

/* Total of envelopes.csv, in cents. */
int64_t inputs_envelope_total(const inputs *in);

/* Index of the named territory of territories.csv, or -1 (exact match
 * after trimming). */
long inputs_find_territory(const inputs *in, const char *name);

/* Index of the named subregion, or -1. Exact match after trimming. */
long inputs_find_subregion(const inputs *in, const char *name);

/* Room for n more applications at the end of in->apps (zeroed), for
 * applications carried from an earlier call; NULL when out of memory.
 * The caller fills them, strings from inputs_keep, then adds n to
 * in->n_apps. (inputs_commitments.c) */
application *inputs_append_apps(inputs *in, size_t n);

/* A copy of s owned by in (freed by inputs_free); NULL when out of
 * memory. */
const char *inputs_keep(inputs *in, const char *s);

/* An application's extra values (in->n_extra of them, all ""), owned by
 * in; NULL when out of memory. */
const char **inputs_keep_extras(inputs *in);

#endif
