/* output_internal: what engine/output.c and engine/output_order.c share. */
#ifndef ALLIANCE_OUTPUT_INTERNAL_H
#define ALLIANCE_OUTPUT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"

/* decisions.csv order: sub-region, then ranked candidates by rank, then
 * below-threshold by score, then ineligible, each tie broken by id. */
typedef struct output_key {
    size_t subregion;
    int group;
    int64_t order;
    const char *id;
    size_t app;
} output_key;

/* The applications in decisions.csv's order (n_apps keys, malloc'd; NULL
 * when out of memory). */
output_key *output_order(const output_data *o);

/* equity.csv (output_equity.c): 0, or -1 when out of memory. */
int output_equity(FILE *fp, const output_data *o);

#endif
