/* alliance test: runs a rule file's test scenarios (a cases file) and
 * prints what differs, case by case, then "N cases, N passed, N failed". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"
#include "rules.h"

static const char usage_test[] =
    "usage: alliance test RULES CASES [--lib DIR]\n"
    "\n"
    "Runs the test scenarios of a rule file. CASES is a Lua file, run in the\n"
    "rule file's sandbox, that returns a list of cases: an application (its\n"
    "columns as in applications.csv), optionally committee grades, and the\n"
    "expected outcome (eligible = true, or fails = { check ids }; points per\n"
    "criterion; score; above_threshold). Each case is evaluated alone; every\n"
    "difference is printed as\n"
    "    case 3 \"name\": check part_fqis: expected fail, got pass\n"
    "then a last line \"N cases, N passed, N failed\". Exit status 0 when\n"
    "every case passes, 65 otherwise (or when a file is wrong).\n"
    "\n"
    "options:\n"
    "  -l, --lib DIR  shared Lua library for require() (default: the rule\n"
    "                 file's lib/ folder when present, else the installed one)\n"
    "  -h, --help     show this help\n";

/* Each line of a case's differences, prefixed with the case. */
static void print_case(size_t i, const rules_case_result *c)
{
    const char *line = c->diff;
    while (line && *line) {
        size_t len = strcspn(line, "\n");
        if (*c->name)
            printf("case %zu \"%s\": %.*s\n", i, c->name, (int)len, line);
        else
            printf("case %zu: %.*s\n", i, (int)len, line);
        line += len + (line[len] == '\n');
    }
}

static int test_files(const char *rules_path, const char *cases_path,
                      const char *libdir)
{
    diag d;
    diag_init(&d);
    rules *r = NULL;
    rules_test_report rep;
    memset(&rep, 0, sizeof rep);
    int rc = rules_open(&r, rules_path, libdir, NULL, &d);
    if (rc == DIAG_OK)
        rc = rules_test(r, cases_path, &rep, &d);
    if (rc != DIAG_OK) {
        rc = cli_report_failure("test", &d, NULL);
    } else {
        for (size_t i = 0; i < rep.n_cases; i++)
            print_case(i + 1, &rep.cases[i]);
        printf("%zu cases, %zu passed, %zu failed\n", rep.n_cases,
               rep.n_cases - rep.n_failed, rep.n_failed);
        rc = rep.n_failed ? DIAG_DATA : DIAG_OK;
    }
    rules_test_report_free(&rep);
    rules_close(r);
    diag_free(&d);
    return rc;
}

static int test_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"lib", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *libdir = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":l:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': libdir = optarg; break;
        case 'h': fputs(usage_test, stdout); return 0;
        case ':':
            return cli_usage_error(&cli_test, "option %s needs a value",
                                   argv[optind - 1]);
        default:
            return cli_usage_error(&cli_test, "unknown option %s",
                                   argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error(&cli_test, "test needs a rule file and a "
                               "cases file");
    char *own_lib = libdir ? NULL : cli_default_libdir(argv[optind]);
    if (!libdir && !own_lib) {
        fprintf(stderr, "alliance: out of memory\n");
        return DIAG_OSERR;
    }
    int rc = test_files(argv[optind], argv[optind + 1],
                        libdir ? libdir : own_lib);
    free(own_lib);
    return rc;
}

const cli_command cli_test = {
    "test", "run a rule file's test scenarios and print what differs",
    usage_test, test_main};
