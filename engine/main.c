/* alliance: command-line entry point. Finds the command, lets it parse its
 * arguments, and exits with the sysexits status it returns. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "diag.h"

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "dev"
#endif

/* Every command, in the order alliance --help lists them. */
static const cli_command *const commands[] = {
    &cli_run,
    &cli_batch,
    &cli_check,
    &cli_test,
    &cli_runs,
    &cli_explain,
    &cli_diff,
    &cli_replay,
    &cli_adopt,
    &cli_release,
    &cli_commitments,
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

static void print_main_usage(FILE *f)
{
    fputs("usage: alliance COMMAND [OPTIONS]\n"
          "\n"
          "Rules-driven allocation of regional FQIS envelopes (Alliances pour la\n"
          "solidarité): loads applications, runs a region's Lua rule file, funds the\n"
          "best projects within each sub-region envelope and schedules instalments.\n"
          "\n"
          "commands:\n", f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  help       show this help, or a command's: alliance help run\n"
          "\n"
          "options:\n"
          "  -h, --help     show this help\n"
          "  -V, --version  show the version\n"
          "\n"
          "exit status: 0 ok, 64 usage, 65 data or rule error, 66 no run store,\n"
          "70 internal error, 71 system error, 73 cannot create output, 74 i/o\n"
          "error, 75 locked or temporary failure, 78 configuration.\n", f);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("alliance: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    if (cmd)
        fputs(cmd->usage, stderr);
    else
        print_main_usage(stderr);
    return DIAG_USAGE;
}

int cli_report_failure(const char *cmd, diag *d, const char *tail)
{
    fputs(diag_text(d), stderr);
    fprintf(stderr, "alliance: %s failed (%zu error%s)%s\n", cmd, d->count,
            d->count == 1 ? "" : "s", tail ? tail : "");
    return d->status ? d->status : DIAG_INTERNAL;
}

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(commands[i]->name, name))
            return commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f), a write must fail with EFBIG and
     * the run stop with its message (73 or 74, earlier outputs kept), not
     * be killed by SIGXFSZ halfway through. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2)
        return cli_usage_error(NULL, "missing command");
    const char *name = argv[1];
    if (!strcmp(name, "-h") || !strcmp(name, "--help") ||
        (!strcmp(name, "help") && argc == 2)) {
        print_main_usage(stdout);
        return 0;
    }
    if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
        printf("alliance %s\n", ALLIANCE_VERSION);
        return 0;
    }
    if (!strcmp(name, "help")) {
        const cli_command *cmd = find_command(argv[2]);
        if (!cmd)
            return cli_usage_error(NULL, "no help for unknown command %s", argv[2]);
        fputs(cmd->usage, stdout);
        return 0;
    }
    const cli_command *cmd = find_command(name);
    if (!cmd)
        return cli_usage_error(NULL, "unknown command %s", name);
    return cmd->main(argc - 1, argv + 1);
}
