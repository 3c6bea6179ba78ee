/* batch: the configuration of a batch of programs (regions) run together,
 * a small Lua file returning a list:
 *
 *   return {
 *     { name = "monteregie", inputs = "inputs/monteregie",
 *       rules = "rules/monteregie.lua", out = "outputs/monteregie" },
 *     { name = "lanaudiere", inputs = ..., rules = ..., out = ...,
 *       db = "/var/lib/alliance/lanaudiere.db", lib = "...", lang = "en" },
 *   }
 *
 * Relative paths are taken from the configuration file's folder, so a
 * crontab can run it from anywhere. The file runs in a bare Lua state
 * (base functions and string only): it is configuration, not code. */
#ifndef ALLIANCE_BATCH_H
#define ALLIANCE_BATCH_H

#include <stddef.h>
#include "diag.h"

typedef struct batch_program {
    char *name;
    char *inputs, *rules, *out;
    char *db;      /* NULL: the default, alliance.db in out */
    char *lib;     /* NULL: the default library */
    char *lang;    /* NULL: "fr" */
    int no_db;     /* db = false */
} batch_program;

typedef struct batch_config {
    batch_program *programs;
    size_t n;
} batch_config;

/* Reads and checks the file; every problem is reported (DIAG_DATA), e.g.
 * "batch.lua: program 2 (lanaudiere): missing 'rules'". */
int batch_load(const char *path, batch_config *cfg, diag *d);
void batch_free(batch_config *cfg);

#endif
