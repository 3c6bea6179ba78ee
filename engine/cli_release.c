/* alliance release: frees money from a commitment (a project abandoned or
 * under-spent), for a later call of the program to use. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "cli_store.h"

static const char usage_release[] =
    "usage: alliance release APPLICATION --amount X|all --reason TEXT\n"
    "                        [--as-of DATE] [--program NAME] [--db FILE]\n"
    "\n"
    "Frees X dollars (all: everything not yet paid) of the money committed to\n"
    "APPLICATION by adopted runs, and records it with its reason. The money\n"
    "comes from its unpaid instalments, the latest first: an instalment due\n"
    "before the as-of date is considered paid and keeps its money. The next\n"
    "alliance run of the program can allocate what was released, in the\n"
    "sub-regions and fiscal years it came from. A release is final; release\n"
    "again to free more.\n"
    "\n"
    "options:\n"
    "  -a, --amount X|all     dollars to release (12345.67, 12 345,67 $), or\n"
    "                         all that is committed and unpaid\n"
    "  -R, --reason TEXT      why (mandatory): project abandoned, under-spent...\n"
    "      --as-of DATE       YYYY-MM-DD (default: today, UTC): instalments\n"
    "                         due before it are paid\n"
    "  -p, --program NAME     when the application is committed in several\n"
    "                         programs\n"
    CLI_STORE_DB_HELP
    "  -h, --help             show this help\n"
    "\n"
    "exit status: 0 released, 64 usage, 65 refused (no commitment, more than\n"
    "is committed and unpaid), 66 no store, 75 locked.\n";

enum { OPT_AS_OF = 256 };

/* "all", or an amount as the inputs accept it. */
static int parse_amount(const char *arg, store_release_req *q)
{
    const char *why;
    if (!strcmp(arg, "all")) {
        q->all = 1;
        return 0;
    }
    if (money_parse(arg, strlen(arg), &q->amount, &why) != 0)
        return cli_usage_error(&cli_release, "--amount: \"%s\" %s", arg, why);
    if (q->amount <= 0)
        return cli_usage_error(&cli_release, "--amount must be more than 0");
    return 0;
}

static void today(char buf[CAL_DATE_BUFSZ])
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, CAL_DATE_BUFSZ, "%Y-%m-%d", &tm))
        snprintf(buf, CAL_DATE_BUFSZ, "1970-01-01");
}

static int release(const char *db, const store_release_req *q)
{
    store *s;
    int rc = cli_store_open("release", db, &s);
    if (rc != 0)
        return rc;
    diag d;
    diag_init(&d);
    store_release_done r;
    rc = store_release(s, q, &r, &d);
    if (rc != 0) {
        rc = cli_store_failed("release", &d);
    } else {
        char a[MONEY_BUFSZ], b[MONEY_BUFSZ], c[MONEY_BUFSZ];
        printf("released %s of %s (%s) from %lld instalment%s: %s\n"
               "  committed %s, paid before %s %s\n",
               cli_store_money(r.amount, 0, a), q->application, r.program,
               (long long)r.instalments, r.instalments == 1 ? "" : "s",
               q->reason, cli_store_money(r.committed, 0, b), q->as_of,
               cli_store_money(r.paid, 0, c));
    }
    diag_free(&d);
    store_close(s);
    return rc;
}

static int release_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"amount", required_argument, NULL, 'a'},
        {"reason", required_argument, NULL, 'R'},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"program", required_argument, NULL, 'p'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    store_release_req q = {0};
    const char *db = NULL, *amount = NULL;
    char date[CAL_DATE_BUFSZ];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":a:R:p:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': amount = optarg; break;
        case 'R': q.reason = optarg; break;
        case 'p': q.program = optarg; break;
        case 'd': db = optarg; break;
        case OPT_AS_OF: q.as_of = optarg; break;
        case 'h': fputs(usage_release, stdout); return 0;
        default: return cli_store_bad_option(&cli_release, c, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error(&cli_release, "release needs one application");
    q.application = argv[optind];
    if (!amount || !q.reason || !q.reason[strspn(q.reason, " \t")])
        return cli_usage_error(&cli_release, "release needs --amount and "
                               "--reason");
    if (parse_amount(amount, &q) != 0)
        return DIAG_USAGE;
    cal_date day;
    if (q.as_of && cal_parse_date(q.as_of, strlen(q.as_of), &day) != 0)
        return cli_usage_error(&cli_release, "--as-of: \"%s\" is not a date "
                               "(YYYY-MM-DD)", q.as_of);
    /* the store compares it with due dates as text: its canonical form */
    if (q.as_of)
        cal_format_date(day, date);
    else
        today(date);
    q.as_of = date;
    q.now_ms = store_now_ms();
    return release(db, &q);
}

const cli_command cli_release = {
    "release", "free money from a commitment for a later call", usage_release,
    release_main};
