/* alliance adopt: the committee adopted a run's decisions; its grants and
 * instalments become commitments of its program (see commitments.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_store.h"

static const char usage_adopt[] =
    "usage: alliance adopt RUN_ID --resolution TEXT [--db FILE]\n"
    "\n"
    "Records that the selection committee adopted the decisions of run\n"
    "RUN_ID (alliance runs lists them), with its resolution number or minute\n"
    "reference. The run's grants and instalments become commitments of its\n"
    "program: a later alliance run of the program allocates only what they\n"
    "leave, sub-region by sub-region and fiscal year by fiscal year. An\n"
    "adoption is final: the adopted run can no longer change.\n"
    "\n"
    "Refused (65) for an unknown or failed run, a run without a program name,\n"
    "a run already adopted, a run whose commitments came from\n"
    "commitments.csv, a run of a program whose later run is already adopted,\n"
    "and a run made before another adoption of its program (it did not\n"
    "subtract those commitments: run the call again).\n"
    "\n"
    "options:\n"
    "  -R, --resolution TEXT  the committee's resolution (mandatory)\n"
    CLI_STORE_DB_HELP
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0 adopted, 64 usage, 65 refused, 66 no store, 75 locked.\n";

static int adopt(const char *db, int64_t run, const char *resolution)
{
    store *s;
    int rc = cli_store_open("adopt", db, &s);
    if (rc != 0)
        return rc;
    diag d;
    diag_init(&d);
    store_adoption a;
    rc = store_adopt(s, run, resolution, store_now_ms(), &a, &d);
    if (rc != 0) {
        rc = cli_store_failed("adopt", &d);
    } else {
        char m[MONEY_BUFSZ];
        printf("run %lld adopted (resolution %s): %s committed to %lld "
               "application%s of %s\n", (long long)run, resolution,
               cli_store_money(a.granted, 0, m), (long long)a.applications,
               a.applications == 1 ? "" : "s", a.program);
    }
    diag_free(&d);
    store_close(s);
    return rc;
}

static int adopt_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"resolution", required_argument, NULL, 'R'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *resolution = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":R:d:h", opts, NULL)) != -1) {
        if (c == 'R')
            resolution = optarg;
        else if (c == 'd')
            db = optarg;
        else if (c == 'h') {
            fputs(usage_adopt, stdout);
            return 0;
        } else
            return cli_store_bad_option(&cli_adopt, c, argv);
    }
    int64_t run;
    if (argc - optind != 1)
        return cli_usage_error(&cli_adopt, "adopt needs one run id");
    if (!resolution || !resolution[strspn(resolution, " \t")])
        return cli_usage_error(&cli_adopt, "adopt needs --resolution: the "
                               "committee's resolution number or minute "
                               "reference");
    if (cli_store_run_id(&cli_adopt, argv[optind], &run) != 0)
        return DIAG_USAGE;
    return adopt(db, run, resolution);
}

const cli_command cli_adopt = {
    "adopt", "record the committee's adoption of a run: its grants become "
    "commitments", usage_adopt, adopt_main};
