/* equity: territorial equity, the money of a call against the people of
 * each territory (a step after allocate and schedule, before the outputs).
 *
 * Two levels: the sub-regions (figures from split.csv's population and
 * low_income, or the sum of their territories in territories.csv), and,
 * when territories.csv is given, its territories (MRC, cities...), each
 * under one sub-region, an application's territory read from the
 * applications' column the rule file names (territory_column).
 *
 * For each row, with M the money (granted this call + committed by
 * earlier calls), P the population and L the low-income population, and
 * M_all, L_all the level's totals:
 *   per_inhabitant  M / P               cents, rounded half up
 *   per_low_income  M / L               cents, rounded half up
 *   money_share     M / M_all           ten-thousandths (0.1234 = 12.34 %)
 *   low_income_share L / L_all          ten-thousandths
 *   ratio           (M / M_all) / (L / L_all) = M L_all / (M_all L)
 *                                       hundredths (1.00 = proportional)
 * and for the level:
 *   max_min  largest over smallest dollars per low-income person, over
 *            the rows with L > 0 (hundredths)
 *   gini     the Gini coefficient of dollars per low-income person over
 *            the low-income persons (each row weighted by its L):
 *            sum_i sum_j |M_i L_j - M_j L_i| / (2 L_all M_all), hundredths
 * Every figure is an exact integer quotient rounded half up (all values
 * are >= 0): no floating point. A quotient whose divisor is 0 (no
 * inhabitant, no low-income person, no money at all, a smallest amount
 * of 0 for max_min, fewer than two rows with L > 0) is EQUITY_NONE, an
 * empty cell in the outputs.
 *
 * Money is counted where the project is: an application's grant goes to
 * its sub-region (even when an override charged it to the reserve) and
 * its territory. Earlier calls' commitments go to the sub-region whose
 * envelope row they are charged to; at the territory level only those of
 * this call's own applications (a resubmission) have a territory, the
 * others are left out there (commitments.csv and the store do not say
 * where they are). A granted application must have a territory, and it
 * must be one of its own sub-region: otherwise equity_compute fails with
 * DIAG_DATA naming applications.csv's line and column. */
#ifndef ALLIANCE_EQUITY_H
#define ALLIANCE_EQUITY_H

#include <stddef.h>
#include <stdint.h>

#include "allocate.h"
#include "diag.h"
#include "inputs.h"
#include "rules.h"
#include "split.h"

#define EQUITY_NONE INT64_C(-1)

typedef enum equity_level_kind { EQUITY_SUBREGION, EQUITY_TERRITORY } equity_level_kind;

/* Each application's territory (index into inputs.territories, -1 when
 * its cell is empty), from the rule file's territory_column. */
typedef struct equity_map {
    long *territory;     /* n_apps, or NULL without territories.csv */
    size_t n_apps;
    long column;         /* 1-based column of applications.csv */
} equity_map;

typedef struct equity_row {
    const char *name;
    const char *subregion;   /* the sub-region (itself at that level) */
    int64_t population, low_income;
    int64_t granted;         /* cents, this call */
    int64_t committed;       /* cents, earlier calls */
    int64_t per_inhabitant, per_low_income;  /* cents or EQUITY_NONE */
    int64_t money_share, low_income_share;   /* 1/10000 or EQUITY_NONE */
    int64_t ratio;                            /* 1/100 or EQUITY_NONE */
    int64_t ratio_fine;      /* millionths, to rank distances; or NONE */
} equity_row;

typedef struct equity_level {
    equity_level_kind kind;
    equity_row *rows;
    size_t n;
    equity_row total;        /* ratio and shares 1.00 when defined */
    int64_t max_min, gini;   /* hundredths or EQUITY_NONE */
    size_t unfunded;         /* rows with low-income people and no money:
                                max_min is then infinite (EQUITY_NONE) */
} equity_level;

typedef struct equity_result {
    equity_level level[2];
    size_t n_levels;         /* 0: no figures, no equity outputs */
    const char *why_none;    /* what is missing when n_levels is 0 */
} equity_result;

/* Checks the figures against the rule file: with territories.csv and the
 * rule file's territory_column (either alone only means no territory
 * level; the territories still give the sub-regions' figures), the
 * column exists and every non-empty
 * territory of an application is a row of territories.csv (else
 * DIAG_DATA at applications.csv:line:column). Before any rule runs. */
int equity_bind(const inputs *in, const rules_config *cfg, equity_map *m,
                diag *d);
void equity_map_free(equity_map *m);

/* The figures of every level, or n_levels 0 (and why_none) when the
 * inputs have none. */
int equity_compute(const inputs *in, const equity_map *m,
                   const split_grid *g, const alloc_result *a,
                   equity_result *out, diag *d);
void equity_free(equity_result *r);

/* Round half up of num / den for num >= 0, den > 0, as one integer
 * scaled by scale (100: hundredths); EQUITY_NONE when den is 0. */
int64_t equity_quotient(int64_t num, int64_t num2, int64_t scale,
                        int64_t den, int64_t den2);

/* "1.23" from hundredths (places 2) or "0.1234" from ten-thousandths
 * (places 4); "" for EQUITY_NONE. buf holds 32 bytes. */
const char *equity_format(int64_t v, int places, char buf[32]);

/* The (at most n) rows of l furthest from proportional on one side:
 * below (ratio < 1.00, lowest first) or above (ratio > 1.00, highest
 * first), compared exactly to the millionth, ties in file order; rows
 * without a ratio left out. Returns how many were found. */
size_t equity_furthest(const equity_level *l, size_t *rows, size_t n,
                       int below);

/* The finest level (territories when given), or NULL. */
const equity_level *equity_finest(const equity_result *r);

#endif
