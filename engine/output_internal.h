/* output_internal: what engine/output.c, output_order.c, output_equity.c
 * and output_files.c share. */
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

/* The files' rows, each writer 0 or -1 when out of memory (output_files.c
 * opens, checks and renames the files): decisions.csv, disbursements.csv,
 * summary.csv (output.c) and equity.csv (output_equity.c). */
int output_decisions(FILE *fp, const output_data *o);
int output_disbursements(FILE *fp, const output_data *o);
int output_summary(FILE *fp, const output_data *o);
int output_equity(FILE *fp, const output_data *o);

#endif
