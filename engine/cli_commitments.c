/* alliance commitments: what adopted runs of a program committed, less
 * what was released, per application, envelope row and fiscal year. With
 * --csv it writes commitments.csv, which a run without a store reads: the
 * store's commitments and the file give the same decisions. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "cli_store.h"

static const char usage_commitments[] =
    "usage: alliance commitments [--program NAME] [--db FILE] [--csv]\n"
    "\n"
    "Lists the commitments of a program: for each adopted run (and its\n"
    "resolution), each application it funded, envelope row and fiscal year,\n"
    "the money committed, released since, and still committed.\n"
    "\n"
    "With --csv, commitments.csv on stdout, with the columns\n"
    "  application,subregion,fiscal_year,amount,resolution\n"
    "(amount: still committed, in machine form; 0.00 when all of it was\n"
    "released, so that the application stays known as committed). Put it in\n"
    "an input folder to run a call without the run store (--no-db): the\n"
    "decisions are the same.\n"
    "\n"
    "options:\n"
    "  -p, --program NAME  the program (default: the only one with adopted\n"
    "                      runs)\n"
    CLI_STORE_DB_HELP
    "      --csv         commitments.csv rather than text\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0, 64 usage, 65 no adopted run, or several programs and\n"
    "no --program, 66 no store, 75 locked.\n";

enum { OPT_CSV = 256 };

typedef struct listing {
    FILE *f;
    int csv;
    size_t n;
    int64_t committed, released;
} listing;

static int on_row(void *ctx, const store_commitment *c)
{
    listing *l = ctx;
    char fy[CAL_FY_BUFSZ], a[MONEY_BUFSZ], b[MONEY_BUFSZ], e[MONEY_BUFSZ];
    cal_format_fiscal_year(c->fiscal_year, fy);
    l->n++;
    l->committed += c->committed;
    l->released += c->released;
    if (l->csv) {
        cli_store_csv(l->f, c->application, ',');
        cli_store_csv(l->f, c->envelope, ',');
        fprintf(l->f, "%s,%s,", fy, money_format(c->committed - c->released, a));
        cli_store_csv(l->f, c->resolution, '\n');
        return 0;
    }
    if (l->n == 1)
        fprintf(l->f, "%5s  %-16s  %-20s  %-36s  %-9s  %16s  %16s  %16s\n",
                "run", "application", "resolution", "envelope", "year",
                "committed", "released", "still committed");
    fprintf(l->f, "%5lld  %-16s  %-20s  %s%*s  %-9s  %16s  %16s  %16s\n",
            (long long)c->run, c->application, c->resolution, c->envelope,
            36 - cli_store_width(c->envelope) > 0
                ? 36 - cli_store_width(c->envelope) : 0, "", fy,
            cli_store_money(c->committed, 0, a),
            cli_store_money(c->released, 0, b),
            cli_store_money(c->committed - c->released, 0, e));
    return 0;
}

static int list(store *s, const char *program, int csv)
{
    diag d;
    diag_init(&d);
    char only[256];
    store_basis b;
    int rc = 0;
    if (!program && (rc = store_only_program(s, only, sizeof only, &d)) == 0)
        program = only;
    if (rc == 0)
        rc = store_current_basis(s, &b, &d);
    listing l = {stdout, csv, 0, 0, 0};
    if (rc == 0 && csv)
        fputs("application,subregion,fiscal_year,amount,resolution\n", stdout);
    if (rc == 0)
        rc = store_commitments(s, program, &b, on_row, &l, &d);
    if (rc != 0) {
        rc = cli_store_failed("commitments", &d);
    } else if (!csv) {
        char a[MONEY_BUFSZ], c[MONEY_BUFSZ];
        printf("%s: %s committed, %s still committed after releases "
               "(%zu row%s)\n", program, cli_store_money(l.committed, 0, a),
               cli_store_money(l.committed - l.released, 0, c), l.n,
               l.n == 1 ? "" : "s");
    }
    diag_free(&d);
    return rc;
}

static int commitments_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"program", required_argument, NULL, 'p'},
        {"db", required_argument, NULL, 'd'},
        {"csv", no_argument, NULL, OPT_CSV},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *program = NULL;
    int c, csv = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:d:h", opts, NULL)) != -1) {
        if (c == 'p')
            program = optarg;
        else if (c == 'd')
            db = optarg;
        else if (c == OPT_CSV)
            csv = 1;
        else if (c == 'h') {
            fputs(usage_commitments, stdout);
            return 0;
        } else
            return cli_store_bad_option(&cli_commitments, c, argv);
    }
    if (optind < argc)
        return cli_usage_error(&cli_commitments, "unexpected argument %s",
                               argv[optind]);
    store *s;
    int rc = cli_store_open("commitments", db, &s);
    if (rc != 0)
        return rc;
    rc = list(s, program, csv);
    store_close(s);
    return rc;
}

const cli_command cli_commitments = {
    "commitments", "list a program's commitments, or export commitments.csv",
    usage_commitments, commitments_main};
