/* alliance check: an analyst's first look at a rule file, without
 * writing anything: its shape (every problem at once), the warnings of a
 * valid file, luacheck when installed, and optionally a dry run over an
 * input folder.  Everything goes to stdout: the listing is the output. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "equity.h"
#include "inputs.h"
#include "rules.h"

#ifndef ALLIANCE_RULES_LIB
#define ALLIANCE_RULES_LIB "/usr/local/share/alliance/rules/lib"
#endif

#define DRY_RUN_ERRORS 50 /* rule errors listed before the dry run stops */

static const char usage_check[] =
    "usage: alliance check RULES [--inputs DIR] [--lib DIR]\n"
    "\n"
    "Checks a rule file without running a program: loads it and lists every\n"
    "problem of its shape (unknown keys, missing labels, wrong types...) and\n"
    "its warnings (criteria maxima not adding up to 100 without grid_total),\n"
    "runs luacheck --codes --no-color on it when luacheck is installed, and\n"
    "with --inputs evaluates it on an input folder, listing every rule error\n"
    "with file:line and application and counting eligible applications\n"
    "(and checks each application's territory, territory_column, against\n"
    "the folder's territories.csv).\n"
    "Exit status 0 when there is no problem and no warning, 65 otherwise.\n"
    "\n"
    "options:\n"
    "  -i, --inputs DIR  dry-run the rules on this input folder\n"
    "  -l, --lib DIR     shared Lua library for require() (default: the rule\n"
    "                    file's lib/ folder when present, else\n"
    "                    " ALLIANCE_RULES_LIB ")\n"
    "  -h, --help        show this help\n";

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Shared by the commands that open a rule file (declared in cli.h). */
char *cli_default_libdir(const char *rules_path)
{
    const char *slash = strrchr(rules_path, '/');
    size_t dir_len = slash ? (size_t)(slash - rules_path) : 1;
    char *lib = malloc(dir_len + 5);
    if (!lib)
        return NULL;
    memcpy(lib, slash ? rules_path : ".", dir_len);
    memcpy(lib + dir_len, "/lib", 5);
    if (is_dir(lib))
        return lib;
    free(lib);
    return strdup(ALLIANCE_RULES_LIB);
}

/* ---- luacheck ----------------------------------------------------------- */

/* Is prog an executable file in one of PATH's folders? */
static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    char buf[4096];
    while (path && *path) {
        size_t len = strcspn(path, ":");
        if (len && len + strlen(prog) + 2 <= sizeof buf) {
            snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, prog);
            if (access(buf, X_OK) == 0)
                return 1;
        }
        path += len + (path[len] == ':');
    }
    return 0;
}

/* Runs luacheck on the file, its report going straight to stdout.
 * Returns the number of problems it stands for: 0 or 1. */
static size_t run_luacheck(const char *rules_path)
{
    if (!on_path("luacheck")) {
        printf("luacheck: not installed, skipped\n");
        return 0;
    }
    fflush(stdout); /* before the child writes to the same stream */
    pid_t pid = fork();
    if (pid == 0) {
        execlp("luacheck", "luacheck", "--codes", "--no-color", rules_path,
               (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        printf("luacheck: could not be run\n");
        return 1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    /* 1: warnings, 2: errors, more: luacheck itself failed */
    if (WIFEXITED(status) && WEXITSTATUS(status) <= 2)
        printf("luacheck: found problems (above)\n");
    else
        printf("luacheck: failed (status %d)\n",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 1;
}

/* ---- the dry run -------------------------------------------------------- */

static void print_counts(const char *dir, const rules_config *cfg,
                         const rules_results *res)
{
    size_t eligible = 0, above = 0;
    for (size_t a = 0; a < res->n_apps; a++) {
        eligible += res->eligible[a];
        above += res->eligible[a] && res->score[a] >= cfg->threshold;
    }
    printf("dry run on %s: %zu applications, %zu eligible, %zu at or above "
           "the threshold", dir, res->n_apps, eligible, above);
    if (res->n_errors)
        printf(" (%zu rule error%s: those applications count as "
               "ineligible)", res->n_errors, res->n_errors == 1 ? "" : "s");
    printf("\n");
}

/* Loads the inputs, evaluates every rule (going on past rule errors) and
 * calls split() when the file has one.  Problems go to d. */
static void dry_run(rules *r, const char *dir, diag *d)
{
    inputs in;
    rules_results res;
    if (inputs_load(&in, dir, d) != DIAG_OK) {
        inputs_free(&in);
        return;
    }
    /* territories.csv against the rule file's territory_column */
    equity_map territories;
    equity_bind(&in, rules_config_get(r), &territories, d);
    equity_map_free(&territories);
    int st = rules_evaluate_all(r, &in, DRY_RUN_ERRORS, &res, d);
    if (st == DIAG_OK || res.eligible)
        print_counts(dir, rules_config_get(r), &res);
    rules_results_free(&res);
    if (rules_config_get(r)->has_split) {
        int64_t *w = calloc(in.n_split + 1, sizeof *w);
        if (!w)
            diag_add(d, DIAG_OSERR, "out of memory");
        else
            rules_split(r, &in, w, d);
        free(w);
    }
    inputs_free(&in);
}

/* ---- the command -------------------------------------------------------- */

/* Prints the problems gathered so far and counts them. */
static size_t flush_problems(diag *d, int *status)
{
    size_t n = d->count;
    fputs(diag_text(d), stdout);
    if (d->status == DIAG_OSERR)
        *status = DIAG_OSERR;
    diag_clear(d);
    return n;
}

static int check_file(const char *path, const char *libdir,
                      const char *inputs_dir)
{
    diag d;
    diag_init(&d);
    d.limit = 500;
    rules *r = NULL;
    int status = DIAG_DATA;
    if (rules_open(&r, path, libdir, NULL, &d) == DIAG_OK) {
        const rules_config *cfg = rules_config_get(r);
        printf("%s: %zu checks, %zu criteria, threshold %lld.%02lld\n", path,
               cfg->n_checks, cfg->n_criteria,
               (long long)(cfg->threshold / 100),
               (long long)(cfg->threshold % 100));
        if (cfg->method == RULES_METHOD_EQUAL_SHARES)
            printf("%s: allocation by equal shares over the evaluators "
                   "(completion %s, utility %s)\n", path,
                   (const char *[]){"greedy", "none", "add1"}[cfg->completion],
                   cfg->utility == RULES_UTILITY_COST ? "cost" : "points");
        rules_warnings(r, &d);
    }
    size_t n = flush_problems(&d, &status);
    n += run_luacheck(path);
    if (r && inputs_dir) {
        dry_run(r, inputs_dir, &d);
        n += flush_problems(&d, &status);
    }
    rules_close(r);
    diag_free(&d);
    if (n == 0) {
        printf("%s: no problem found\n", path);
        return 0;
    }
    printf("%s: %zu problem%s\n", path, n, n == 1 ? "" : "s");
    return status;
}

static int check_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inputs", required_argument, NULL, 'i'},
        {"lib", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *inputs_dir = NULL, *libdir = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:l:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': inputs_dir = optarg; break;
        case 'l': libdir = optarg; break;
        case 'h': fputs(usage_check, stdout); return 0;
        case ':':
            return cli_usage_error(&cli_check, "option %s needs a value",
                                   argv[optind - 1]);
        default:
            return cli_usage_error(&cli_check, "unknown option %s",
                                   argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error(&cli_check, "check needs one rule file");
    char *own_lib = libdir ? NULL : cli_default_libdir(argv[optind]);
    if (!libdir && !own_lib) {
        fprintf(stderr, "alliance: out of memory\n");
        return DIAG_OSERR;
    }
    int rc = check_file(argv[optind], libdir ? libdir : own_lib, inputs_dir);
    free(own_lib);
    return rc;
}

const cli_command cli_check = {
    "check", "check a rule file: shape, warnings, luacheck, dry run",
    usage_check, check_main};
