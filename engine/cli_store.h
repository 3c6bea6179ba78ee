/* cli_store: what the run store's commands (runs, explain, diff, replay)
 * share: their options' errors, opening the store, run ids, amounts. */
#ifndef ALLIANCE_CLI_STORE_H
#define ALLIANCE_CLI_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "money.h"
#include "store.h"

/* The store's help lines, shared by the commands' usages. */
#define CLI_STORE_DB_HELP                                                   \
    "  -d, --db FILE     the run store (default: " STORE_DEFAULT_NAME       \
    " in the current\n"                                                     \
    "                    folder; alliance run writes OUT/" STORE_DEFAULT_NAME ")\n"

/* getopt_long's ':' (missing value) or '?' (unknown option) as a usage
 * error of cmd (64). */
int cli_store_bad_option(const cli_command *cmd, int c, char **argv);

/* A run id argument: a positive integer. 0, or a usage error (64). */
int cli_store_run_id(const cli_command *cmd, const char *arg, int64_t *id);

/* Opens the store to read (db NULL: STORE_DEFAULT_NAME). 0, or the
 * status after printing why (66 no store, 75 locked...). */
int cli_store_open(const char *cmd, const char *db, store **s);

/* Prints d's messages as cmd's failure; returns the status. */
int cli_store_failed(const char *cmd, struct diag *d);

/* Amounts for people: "12 345,67 $" (fr) or "$12,345.67" (en). */
char *cli_store_money(int64_t cents, int en, char buf[MONEY_BUFSZ]);

/* Prints s as a CSV field (quoted when needed; text that a spreadsheet
 * would run as a formula prefixed with '), then sep. */
void cli_store_csv(FILE *f, const char *s, char sep);

/* Display width of UTF-8 text, in characters. */
int cli_store_width(const char *s);

#endif
