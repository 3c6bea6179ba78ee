/* alliance runs: the runs of a store, newest first, with key figures. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_store.h"

static const char usage_runs[] =
    "usage: alliance runs [--db FILE]\n"
    "\n"
    "Lists the runs recorded in the run store, newest first: id, start (UTC),\n"
    "status, applications, applications funded, money granted, envelope and\n"
    "program (or, for a failed run, the first line of its error). A replay\n"
    "names the run it replays.\n"
    "\n"
    "options:\n"
    CLI_STORE_DB_HELP
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0, 64 usage, 65 not a run store, 66 no store, 75 locked.\n";

typedef struct runs_ctx {
    FILE *out;
    size_t n;
} runs_ctx;

/* "2026-11-23T06:28:51.123Z" -> "2026-11-23 06:28:51" */
static void short_time(const char *iso, char buf[20])
{
    snprintf(buf, 20, "%.19s", iso);
    if (strlen(buf) > 10)
        buf[10] = ' ';
}

static int print_run(void *vc, const store_run *r)
{
    runs_ctx *c = vc;
    char when[20], g[MONEY_BUFSZ], e[MONEY_BUFSZ];
    short_time(r->started_at, when);
    if (c->n++ == 0)
        fprintf(c->out, "%5s  %-19s  %-6s  %12s  %6s  %18s  %18s  %s\n", "id",
                "started (UTC)", "status", "applications", "funded", "granted",
                "envelope", "program");
    if (strcmp(r->status, "ok") != 0) {
        fprintf(c->out, "%5lld  %-19s  %-6s  %12s  %6s  %18s  %18s  %.*s\n",
                (long long)r->id, when, "failed", "-", "-", "-", "-",
                (int)strcspn(r->error, "\n"), r->error);
        return 0;
    }
    fprintf(c->out, "%5lld  %-19s  %-6s  %12lld  %6lld  %18s  %18s  %s",
            (long long)r->id, when, r->status, (long long)r->n_apps,
            (long long)r->n_granted, cli_store_money(r->granted, 0, g),
            cli_store_money(r->envelope, 0, e),
            r->program[0] ? r->program : r->rules_path);
    if (r->replay_of)
        fprintf(c->out, " (replay of run %lld)", (long long)r->replay_of);
    fputc('\n', c->out);
    return 0;
}

static int runs_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'h') {
            fputs(usage_runs, stdout);
            return 0;
        } else
            return cli_store_bad_option(&cli_runs, c, argv);
    }
    if (optind < argc)
        return cli_usage_error(&cli_runs, "unexpected argument %s", argv[optind]);
    store *s;
    int rc = cli_store_open("runs", db, &s);
    if (rc != 0)
        return rc;
    diag d;
    diag_init(&d);
    runs_ctx ctx = {stdout, 0};
    rc = store_list_runs(s, print_run, &ctx, &d);
    if (rc != 0)
        rc = cli_store_failed("runs", &d);
    else if (ctx.n == 0)
        printf("no run in %s yet\n", db ? db : STORE_DEFAULT_NAME);
    diag_free(&d);
    store_close(s);
    return rc;
}

const cli_command cli_runs = {
    "runs", "list the runs recorded in a run store", usage_runs, runs_main};
