/* alliance: command-line entry point. Parses arguments, calls the library,
 * prints what it reports, and exits with a sysexits status. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "run.h"

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "dev"
#endif
#ifndef ALLIANCE_RULES_LIB
#define ALLIANCE_RULES_LIB "/usr/local/share/alliance/rules/lib"
#endif

static const char usage_main[] =
    "usage: alliance COMMAND [OPTIONS]\n"
    "\n"
    "Rules-driven allocation of regional FQIS envelopes (Alliances pour la\n"
    "solidarité): loads applications, runs a region's Lua rule file, funds the\n"
    "best projects within each sub-region envelope and schedules instalments.\n"
    "\n"
    "commands:\n"
    "  run       run a program on an input folder and write the decisions\n"
    "  help      show this help, or a command's: alliance help run\n"
    "\n"
    "options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "exit status: 0 ok, 64 usage, 65 data or rule error, 70 internal error,\n"
    "71 system error, 73 cannot create output, 74 i/o error, 78 configuration.\n";

static const char usage_run[] =
    "usage: alliance run --inputs DIR --rules FILE --out DIR [--db FILE]\n"
    "                    [--lib DIR] [--quiet]\n"
    "\n"
    "Reads DIR/applications.csv, DIR/envelopes.csv and DIR/split.csv, runs the\n"
    "rule file and writes decisions.csv, disbursements.csv and summary.csv in\n"
    "the output folder (created if needed). Nothing is written if any input,\n"
    "rule or invariant fails; earlier outputs are then left as they were.\n"
    "\n"
    "options:\n"
    "  -i, --inputs DIR  folder holding the input CSV files\n"
    "  -r, --rules FILE  the region's Lua rule file\n"
    "  -o, --out DIR     output folder\n"
    "  -d, --db FILE     run store (reserved; not written yet)\n"
    "  -l, --lib DIR     shared Lua library for require() (default: the rule\n"
    "                    file's lib/ folder when present, else\n"
    "                    " ALLIANCE_RULES_LIB ")\n"
    "  -q, --quiet       print nothing on success\n"
    "  -h, --help        show this help\n";

static int usage_error(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "alliance: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return DIAG_USAGE;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The rule file's own lib/ folder wins, so a checkout runs its rules
 * with its library; installed copies fall back to the shared one. */
static char *default_libdir(const char *rules_path)
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

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inputs", required_argument, NULL, 'i'},
        {"rules", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},
        {"db", required_argument, NULL, 'd'},
        {"lib", required_argument, NULL, 'l'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.log = stdout;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":i:r:o:d:l:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': opt.inputs_dir = optarg; break;
        case 'r': opt.rules_path = optarg; break;
        case 'o': opt.out_dir = optarg; break;
        case 'd': opt.db_path = optarg; break;
        case 'l': opt.libdir = optarg; break;
        case 'q': opt.log = NULL; break;
        case 'h': fputs(usage_run, stdout); return 0;
        case ':': return usage_error(usage_run, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(usage_run, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error(usage_run, "unexpected argument %s", argv[optind]);
    if (!opt.inputs_dir || !opt.rules_path || !opt.out_dir)
        return usage_error(usage_run, "%s", "run needs --inputs, --rules and --out");

    char *libdir = NULL;
    if (!opt.libdir) {
        if (!(libdir = default_libdir(opt.rules_path))) {
            fprintf(stderr, "alliance: out of memory\n");
            return DIAG_OSERR;
        }
        opt.libdir = libdir;
    }
    diag d;
    diag_init(&d);
    int rc = run_execute(&opt, &d);
    if (rc != 0) {
        fputs(diag_text(&d), stderr);
        fprintf(stderr, "alliance: run failed (%zu error%s); nothing was written\n",
                d.count, d.count == 1 ? "" : "s");
    }
    diag_free(&d);
    free(libdir);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(usage_main, "%s", "missing command");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
        (!strcmp(cmd, "help") && argc == 2)) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("alliance %s\n", ALLIANCE_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        if (!strcmp(argv[2], "run")) {
            fputs(usage_run, stdout);
            return 0;
        }
        return usage_error(usage_main, "no help for unknown command %s", argv[2]);
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    return usage_error(usage_main, "unknown command %s", cmd);
}
