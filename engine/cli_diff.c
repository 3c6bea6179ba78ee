/* alliance diff: what changed between two recorded runs, typically before
 * and after a rule edit. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_store.h"

static const char usage_diff[] =
    "usage: alliance diff RUN_A RUN_B [--db FILE] [--csv]\n"
    "\n"
    "Compares two successful runs: the input, rule and library files whose\n"
    "SHA-256 differ, the applications whose status, rank or grant changed (by\n"
    "sub-region, then id), and the money granted per envelope (sub-region or\n"
    "reserve) in each run.\n"
    "\n"
    "With --csv, one table on stdout with the columns\n"
    "  kind,key,subregion,a,b,rank_a,rank_b,granted_a,granted_b,change\n"
    "where kind is file (key role/name, a and b the SHA-256, change added,\n"
    "removed or changed), application (key its id, a and b the statuses,\n"
    "change granted_b - granted_a) or envelope (key its name, change\n"
    "granted_b - granted_a); amounts in machine form (1234.56).\n"
    "\n"
    "options:\n"
    CLI_STORE_DB_HELP
    "      --csv         a table rather than text\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0 (whether or not anything changed), 64 usage, 65 unknown\n"
    "or failed run, 66 no store, 75 locked.\n";

typedef struct diff_out {
    FILE *f;
    int csv;
    int section;       /* text: the section being printed, 0 before any */
    size_t files, apps;
    int64_t a, b;
} diff_out;

enum { SEC_FILES = 1, SEC_APPS, SEC_MONEY, SEC_END };

/* Text mode: moves on to section `to`, printing the headings on the way
 * and saying so for a section that had nothing. */
static void enter(diff_out *o, int to)
{
    while (o->section < to) {
        if (o->section == SEC_FILES && o->files == 0)
            fprintf(o->f, "  (none: the same input, rule and library files)\n");
        if (o->section == SEC_APPS)
            fprintf(o->f, "  %zu application%s changed\n", o->apps,
                    o->apps == 1 ? "" : "s");
        if (++o->section == SEC_FILES)
            fprintf(o->f, "files that differ:\n");
        else if (o->section == SEC_APPS)
            fprintf(o->f, "applications whose status, rank or grant "
                    "changed:\n");
        else if (o->section == SEC_MONEY)
            fprintf(o->f, "money granted per envelope (run %lld -> run "
                    "%lld):\n", (long long)o->a, (long long)o->b);
    }
}

static const char *file_change(const store_file_change *c)
{
    return !c->sha_a ? "added" : !c->sha_b ? "removed" : "changed";
}

static int on_file(void *ctx, const store_file_change *c)
{
    diff_out *o = ctx;
    char key[512];
    snprintf(key, sizeof key, "%s/%s", c->role, c->name);
    if (o->csv) {
        fputs("file,", o->f);
        cli_store_csv(o->f, key, ',');
        fprintf(o->f, ",%s,%s,,,,,%s\n", c->sha_a ? c->sha_a : "",
                c->sha_b ? c->sha_b : "", file_change(c));
        return 0;
    }
    enter(o, SEC_FILES);
    o->files++;
    fprintf(o->f, "  %-6s %-20s %.12s -> %.12s (%s)\n", c->role, c->name,
            c->sha_a ? c->sha_a : "-", c->sha_b ? c->sha_b : "-",
            file_change(c));
    return 0;
}

static void csv_money(FILE *f, int64_t cents, char sep)
{
    char buf[MONEY_BUFSZ];
    fprintf(f, "%s%c", money_format(cents, buf), sep);
}

static int on_app(void *ctx, const store_app_change *c)
{
    diff_out *o = ctx;
    char ga[MONEY_BUFSZ], gb[MONEY_BUFSZ], ra[16] = "-", rb[16] = "-";
    if (c->rank_a)
        snprintf(ra, sizeof ra, "%u", c->rank_a);
    if (c->rank_b)
        snprintf(rb, sizeof rb, "%u", c->rank_b);
    if (o->csv) {
        fputs("application,", o->f);
        cli_store_csv(o->f, c->id, ',');
        cli_store_csv(o->f, c->subregion, ',');
        fprintf(o->f, "%s,%s,%s,%s,", c->status_a ? c->status_a : "",
                c->status_b ? c->status_b : "", c->rank_a ? ra : "",
                c->rank_b ? rb : "");
        csv_money(o->f, c->granted_a, ',');
        csv_money(o->f, c->granted_b, ',');
        csv_money(o->f, c->granted_b - c->granted_a, '\n');
        return 0;
    }
    enter(o, SEC_APPS);
    o->apps++;
    fprintf(o->f, "  %-16s %s: %s -> %s, rank %s -> %s, granted %s -> %s\n",
            c->id, c->subregion, c->status_a ? c->status_a : "(absent)",
            c->status_b ? c->status_b : "(absent)", ra, rb,
            cli_store_money(c->granted_a, 0, ga),
            cli_store_money(c->granted_b, 0, gb));
    return 0;
}

static int on_money(void *ctx, const store_money_change *c)
{
    diff_out *o = ctx;
    char ga[MONEY_BUFSZ], gb[MONEY_BUFSZ], dd[MONEY_BUFSZ];
    int64_t delta = c->granted_b - c->granted_a;
    if (o->csv) {
        fputs("envelope,", o->f);
        cli_store_csv(o->f, c->envelope, ',');
        fputs(",,,,,", o->f);
        csv_money(o->f, c->granted_a, ',');
        csv_money(o->f, c->granted_b, ',');
        csv_money(o->f, delta, '\n');
        return 0;
    }
    enter(o, SEC_MONEY);
    int w = cli_store_width(c->envelope);
    fprintf(o->f, "  %s%*s %18s -> %18s  (%s%s)\n", c->envelope,
            w > 36 ? 0 : 36 - w, "", cli_store_money(c->granted_a, 0, ga),
            cli_store_money(c->granted_b, 0, gb), delta > 0 ? "+" : "",
            cli_store_money(delta, 0, dd));
    return 0;
}

static int diff(store *s, int64_t a, int64_t b, int csv)
{
    diff_out o = {stdout, csv, 0, 0, 0, a, b};
    store_diff_fns fns = {&o, on_file, on_app, on_money};
    diag d;
    diag_init(&d);
    if (csv)
        fputs("kind,key,subregion,a,b,rank_a,rank_b,granted_a,granted_b,"
              "change\n", stdout);
    else
        printf("run %lld -> run %lld\n", (long long)a, (long long)b);
    int rc = store_diff(s, a, b, &fns, &d);
    if (rc != 0)
        rc = cli_store_failed("diff", &d);
    else if (!csv)
        enter(&o, SEC_END);
    diag_free(&d);
    return rc;
}

enum { OPT_CSV = 256 };

static int diff_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"csv", no_argument, NULL, OPT_CSV},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c, csv = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:h", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == OPT_CSV)
            csv = 1;
        else if (c == 'h') {
            fputs(usage_diff, stdout);
            return 0;
        } else
            return cli_store_bad_option(&cli_diff, c, argv);
    }
    int64_t a, b;
    if (argc - optind != 2)
        return cli_usage_error(&cli_diff, "diff needs two run ids");
    if (cli_store_run_id(&cli_diff, argv[optind], &a) != 0 ||
        cli_store_run_id(&cli_diff, argv[optind + 1], &b) != 0)
        return DIAG_USAGE;
    store *s;
    int rc = cli_store_open("diff", db, &s);
    if (rc != 0)
        return rc;
    rc = diff(s, a, b, csv);
    store_close(s);
    return rc;
}

const cli_command cli_diff = {
    "diff", "compare two recorded runs: files, decisions, money",
    usage_diff, diff_main};
