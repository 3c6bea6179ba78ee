/* split: divides the regional envelope between sub-regions and fiscal
 * years, to the cent.
 *
 * Each sub-region's total over the program comes from split.csv amounts,
 * shares, or the rule file's split() weights; shares and weights are
 * turned into cents by apportion(). The regional reserve takes whatever
 * the sub-regions leave (an explicit reserve row, or an implicit one).
 *
 * Each total is then spread over the fiscal years in proportion to the
 * regional envelope of each year, by apportioning the cumulative envelope
 * at the end of every year: every column sums to that year's envelope
 * and every row to its sub-region's total, exactly. No cell is negative:
 * a part that the largest-remainder method would give a cent less than
 * the year before (the Alabama paradox) keeps it, the cent coming from
 * that year's gainers most above their exact quota. */
#ifndef ALLIANCE_SPLIT_H
#define ALLIANCE_SPLIT_H

#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "inputs.h"

typedef struct split_grid {
    size_t n_sub;        /* inputs.n_split, plus one when implicit reserve */
    size_t n_years;
    int first_year;      /* fiscal year of column 0 */
    const char **name;   /* n_sub names (borrowed from inputs, or static) */
    unsigned char *is_reserve;
    int64_t *total;      /* n_sub: cents over the whole program */
    int64_t *cell;       /* n_sub * n_years: cell[s * n_years + y] */
} split_grid;

#define SPLIT_IMPLICIT_RESERVE "Réserve régionale (non répartie)"

/* weights: the rule file's split() result in parts per billion, one per
 * inputs.split row, or NULL to use split.csv amounts or shares. */
int split_compute(const inputs *in, const int64_t *weights, split_grid *g,
                  diag *d);
void split_free(split_grid *g);

static inline int64_t split_cell(const split_grid *g, size_t s, size_t y)
{
    return g->cell[s * g->n_years + y];
}

#endif
