/* alliance run: one program on one input folder. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "diag.h"
#include "run.h"
#include "runlog.h"
#include "store.h"

#ifndef ALLIANCE_RULES_LIB
#define ALLIANCE_RULES_LIB "/usr/local/share/alliance/rules/lib"
#endif

static const char usage_run[] =
    "usage: alliance run --inputs DIR --rules FILE --out DIR\n"
    "                    [--db FILE | --no-db] [--lib DIR] [--lang fr|en]\n"
    "                    [--as-of DATE] [--no-report] [--dry-run]\n"
    "                    [--quiet | --verbose] [--program NAME]\n"
    "                    [--resubmit] [--carry-waitlist] [--jobs N]\n"
    "\n"
    "Reads DIR/applications.csv, DIR/envelopes.csv and DIR/split.csv, runs the\n"
    "rule file and writes decisions.csv, disbursements.csv, summary.csv and the\n"
    "committee's workbook report.xlsx in the output folder (created if\n"
    "needed). Nothing is written if any input, rule or invariant fails;\n"
    "earlier outputs are then left as they were. Every run, ok or failed, is\n"
    "recorded in the run store (see alliance runs, explain, diff, replay).\n"
    "\n"
    "options:\n"
    "  -i, --inputs DIR  folder holding the input CSV files\n"
    "  -r, --rules FILE  the region's Lua rule file\n"
    "  -o, --out DIR     output folder\n"
    "  -d, --db FILE     run store (default: OUT/" STORE_DEFAULT_NAME ")\n"
    "      --no-db       record nothing in a run store\n"
    "  -l, --lib DIR     shared Lua library for require() (default: the rule\n"
    "                    file's lib/ folder when present, else\n"
    "                    " ALLIANCE_RULES_LIB ")\n"
    "      --lang fr|en  language of report.xlsx (default fr)\n"
    "      --as-of DATE  the run's date, YYYY-MM-DD, for report.xlsx (default:\n"
    "                    now); SOURCE_DATE_EPOCH, when set, wins\n"
    "      --no-report   write the CSV files but not report.xlsx\n"
    "      --program NAME  the program's name, in place of the rule file's:\n"
    "                    a call allocates what the adopted runs of its\n"
    "                    program (alliance adopt) have not committed\n"
    "      --resubmit    an application already committed asks for more\n"
    "                    money on top of it (if the rule file allows it)\n"
    "      --carry-waitlist  rank the previous call's waitlist again with\n"
    "                    the new applications\n"
    "  -j, --jobs N      cores to use, at most 2 (default: both, or\n"
    "                    ALLIANCE_THREADS when set; 1 keeps one core): a big\n"
    "                    applications.csv is parsed by two threads, the\n"
    "                    rules of large programs run in two Lua states and\n"
    "                    the outputs and run store are written side by side;\n"
    "                    every output is the same whatever N\n"
    "  -n, --dry-run     check everything (inputs, rules, allocation, invariants)\n"
    "                    and write nothing: no outputs, no run store\n"
    "  -q, --quiet       print nothing on success, and no stage timings\n"
    "  -v, --verbose     more detail in the stage lines\n"
    "\n"
    "Each stage prints its time on stderr (a progress bar on a terminal). The\n"
    "output folder is locked while a run writes it: a second run on it exits\n"
    "75. Exit status: 0 ok, 64 usage, 65 data or rule error, 70 internal,\n"
    "73 cannot create output, 75 locked, see alliance(1).\n"
    "  -h, --help        show this help\n";

/* Long-only options. */
enum { OPT_LANG = 256, OPT_AS_OF, OPT_NO_DB, OPT_NO_REPORT, OPT_PROGRAM,
       OPT_RESUBMIT, OPT_CARRY };

/* The run store: --db, else alliance.db in the output folder, so the
 * record sits beside the outputs it explains; --no-db for none. *db is
 * what to free. Returns 0 or a status. */
static int run_db_path(run_options *opt, int no_db, char **db)
{
    *db = NULL;
    if (no_db && opt->db_path)
        return cli_usage_error(&cli_run, "--db and --no-db exclude each other");
    if (no_db || opt->db_path)
        return 0;
    size_t n = strlen(opt->out_dir) + sizeof "/" STORE_DEFAULT_NAME;
    if (!(*db = malloc(n))) {
        fprintf(stderr, "alliance: out of memory\n");
        return DIAG_OSERR;
    }
    snprintf(*db, n, "%s/%s", opt->out_dir, STORE_DEFAULT_NAME);
    opt->db_path = *db;
    return 0;
}

/* The run clock (see report_clock): SOURCE_DATE_EPOCH, --as-of or now. */
static int run_clock(const char *as_of, run_options *opt)
{
    diag d;
    diag_init(&d);
    int rc = report_clock(getenv("SOURCE_DATE_EPOCH"), as_of,
                          (int64_t)time(NULL), &opt->run_time, &d);
    if (rc != 0) {
        const char *msg = diag_text(&d);
        rc = cli_usage_error(&cli_run, "%.*s", (int)strcspn(msg, "\n"), msg);
    }
    diag_free(&d);
    return rc;
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
        {"lang", required_argument, NULL, OPT_LANG},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"no-db", no_argument, NULL, OPT_NO_DB},
        {"dry-run", no_argument, NULL, 'n'},
        {"no-report", no_argument, NULL, OPT_NO_REPORT},
        {"program", required_argument, NULL, OPT_PROGRAM},
        {"resubmit", no_argument, NULL, OPT_RESUBMIT},
        {"carry-waitlist", no_argument, NULL, OPT_CARRY},
        {"jobs", required_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.log = stdout;
    const char *as_of = NULL;
    int c, no_db = 0;
    optind = 1;
    opterr = 0;
    runlog_level level = RUNLOG_NORMAL;
    while ((c = getopt_long(argc, argv, ":i:r:o:d:l:j:nqvh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': opt.inputs_dir = optarg; break;
        case 'r': opt.rules_path = optarg; break;
        case 'o': opt.out_dir = optarg; break;
        case 'd': opt.db_path = optarg; break;
        case 'l': opt.libdir = optarg; break;
        case 'q': opt.log = NULL; level = RUNLOG_QUIET; break;
        case 'v': level = RUNLOG_VERBOSE; break;
        case 'n': opt.dry_run = 1; break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || end == optarg || j < 1 || j > 64)
                return cli_usage_error(&cli_run, "--jobs must be 1 to 64, not %s",
                                       optarg);
            opt.jobs = (int)j;
            break;
        }
        case OPT_LANG:
            if (report_parse_lang(optarg, &opt.lang) != 0)
                return cli_usage_error(&cli_run, "--lang must be fr or en, not %s",
                                       optarg);
            break;
        case OPT_AS_OF: as_of = optarg; break;
        case OPT_NO_DB: no_db = 1; break;
        case OPT_NO_REPORT: opt.no_report = 1; break;
        case OPT_PROGRAM:
            if (!optarg[0])
                return cli_usage_error(&cli_run, "--program needs a name");
            opt.program = optarg;
            break;
        case OPT_RESUBMIT: opt.resubmit = 1; break;
        case OPT_CARRY: opt.carry_waitlist = 1; break;
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
    if (run_clock(as_of, &opt) != 0)
        return DIAG_USAGE;
    runlog log;
    runlog_open(&log, stderr, level);
    opt.stages = &log;
    return cli_run_program(&opt, no_db);
}

int cli_run_program(run_options *opt, int no_db)
{
    char *db = NULL;
    int64_t run_id = 0;
    int db_rc = run_db_path(opt, no_db || opt->dry_run, &db);
    if (db_rc != 0)
        return db_rc;
    opt->run_id = &run_id;
    char *libdir = NULL;
    if (!opt->libdir) {
        if (!(libdir = cli_default_libdir(opt->rules_path))) {
            free(db);
            fprintf(stderr, "alliance: out of memory\n");
            return DIAG_OSERR;
        }
        opt->libdir = libdir;
    }
    diag d;
    diag_init(&d);
    int rc = run_execute(opt, &d);
    if (rc != 0)
        rc = cli_report_failure("run", &d, "; nothing was written");
    if (rc != 0 && run_id)
        fprintf(stderr, "alliance: recorded as failed run %lld in %s\n",
                (long long)run_id, opt->db_path);
    if (rc == 0 && opt->stages)
        runlog_total(opt->stages);
    diag_free(&d);
    free(libdir);
    free(db);
    return rc;
}

const cli_command cli_run = {
    "run", "run a program on an input folder and write the decisions",
    usage_run, run_main};
