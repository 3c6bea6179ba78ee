/* cli: the commands of the alliance program. Each command parses its own
 * arguments (argv[0] is the command name), prints its own help for
 * --help, and returns a sysexits status (see diag.h). */
#ifndef ALLIANCE_CLI_H
#define ALLIANCE_CLI_H

typedef struct cli_command {
    const char *name;
    const char *summary;   /* one line for alliance --help */
    const char *usage;     /* full help text */
    int (*main)(int argc, char **argv);
} cli_command;

extern const cli_command cli_run;
extern const cli_command cli_batch;
extern const cli_command cli_check;
extern const cli_command cli_test;
extern const cli_command cli_runs;
extern const cli_command cli_explain;
extern const cli_command cli_diff;
extern const cli_command cli_replay;
extern const cli_command cli_adopt;
extern const cli_command cli_release;
extern const cli_command cli_commitments;

/* The library folder for require(): the rule file's own lib/ folder when
 * it exists (a checkout runs its rules with its library), else the
 * installed one.  malloc'd; NULL when out of memory. */
char *cli_default_libdir(const char *rules_path);

/* Prints "alliance: <message>" and the command's usage to stderr;
 * returns DIAG_USAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints diag's messages to stderr, then "alliance: <cmd> failed (N
 * errors)<tail>"; returns the diag's status (DIAG_INTERNAL if none). */
struct diag;
int cli_report_failure(const char *cmd, struct diag *d, const char *tail);

/* Runs one program as alliance run does: the run store defaults to
 * alliance.db in the output folder (none with no_db or a dry run), the
 * rules library to cli_default_libdir; prints the failure, or the stage
 * total. Returns the run's status. */
struct run_options;
int cli_run_program(struct run_options *opt, int no_db);

#endif
