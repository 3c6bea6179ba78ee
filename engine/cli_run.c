/* alliance run: one program on one input folder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "diag.h"
#include "run.h"

#ifndef ALLIANCE_RULES_LIB
#define ALLIANCE_RULES_LIB "/usr/local/share/alliance/rules/lib"
#endif

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

static int run_main(int argc, char **argv)
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
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:r:o:d:l:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': opt.inputs_dir = optarg; break;
        case 'r': opt.rules_path = optarg; break;
        case 'o': opt.out_dir = optarg; break;
        case 'd': opt.db_path = optarg; break;
        case 'l': opt.libdir = optarg; break;
        case 'q': opt.log = NULL; break;
        case 'h': fputs(usage_run, stdout); return 0;
        case ':':
            return cli_usage_error(&cli_run, "option %s needs a value",
                                   argv[optind - 1]);
        default:
            return cli_usage_error(&cli_run, "unknown option %s",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(&cli_run, "unexpected argument %s", argv[optind]);
    if (!opt.inputs_dir || !opt.rules_path || !opt.out_dir)
        return cli_usage_error(&cli_run, "run needs --inputs, --rules and --out");

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
    if (rc != 0)
        rc = cli_report_failure("run", &d, "; nothing was written");
    diag_free(&d);
    free(libdir);
    return rc;
}

const cli_command cli_run = {
    "run", "run a program on an input folder and write the decisions",
    usage_run, run_main};
