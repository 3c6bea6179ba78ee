/* run: one complete run of a program, from the input folder to the
 * outputs, in the one direction data flows:
 *   load -> rules (checks, criteria) -> split -> plan -> rank -> allocate
 *   -> schedule (and verify) -> output.
 * Nothing is written unless every step succeeded. */
#ifndef ALLIANCE_RUN_H
#define ALLIANCE_RUN_H

#include <stdio.h>
#include "diag.h"
#include "rules.h"

typedef struct run_options {
    const char *inputs_dir;
    const char *rules_path;
    const char *out_dir;
    const char *db_path;     /* reserved for the run store; may be NULL */
    const char *libdir;      /* rules/lib for require(); may be NULL */
    rules_limits limits;     /* zeros mean the defaults */
    FILE *log;               /* summary goes here; NULL for silence */
} run_options;

/* Returns DIAG_OK or the status of the first error, recorded in d. */
int run_execute(const run_options *opt, diag *d);

#endif
