/* alliance batch: several programs (regions) from one configuration file,
 * each in its own process so that one failure, or one crash, never stops
 * the others. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "diag.h"
#include "report.h"
#include "run.h"
#include "runlog.h"

static const char usage_batch[] =
    "usage: alliance batch CONFIG [--jobs N] [--dry-run] [--quiet | --verbose]\n"
    "                      [--as-of DATE]\n"
    "\n"
    "Runs every program listed in CONFIG, a Lua file returning\n"
    "  { { name = \"monteregie\", inputs = \"inputs/monteregie\",\n"
    "      rules = \"rules/monteregie.lua\", out = \"outputs/monteregie\",\n"
    "      [db = \"FILE\" | db = false], [lib = \"DIR\"], [lang = \"fr\"] }, ... }\n"
    "with paths relative to CONFIG's folder. Each program runs as alliance run\n"
    "would, in its own process; one failure does not stop the others.\n"
    "\n"
    "options:\n"
    "  -j, --jobs N      run up to N programs at once (default 1); with N > 1\n"
    "                    each program uses one core (see alliance run --jobs)\n"
    "  -n, --dry-run     check every program, write nothing\n"
    "  -q, --quiet       only failures\n"
    "  -v, --verbose     stage details\n"
    "      --as-of DATE  the run date for the reports (SOURCE_DATE_EPOCH wins)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Prints one line per program (ok or failed, with its exit status). Exit\n"
    "status: 0 when every program succeeded, else the status of the first\n"
    "program (in CONFIG's order) that failed; 64 usage, 65 bad CONFIG.\n";

typedef struct batch_opts {
    int jobs, dry_run;
    runlog_level level;
    int64_t run_time;
} batch_opts;

/* In the child: one program, as alliance run. */
static int batch_child(const batch_program *p, const batch_opts *bo)
{
    run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.inputs_dir = p->inputs;
    opt.rules_path = p->rules;
    opt.out_dir = p->out;
    opt.db_path = p->db;
    opt.libdir = p->lib;
    opt.dry_run = bo->dry_run;
    opt.run_time = bo->run_time;
    opt.jobs = bo->jobs > 1 ? 1 : 0; /* programs side by side: a core each */
    if (p->lang && report_parse_lang(p->lang, &opt.lang) != 0) {
        fprintf(stderr, "%s: lang must be fr or en, not %s\n", p->name, p->lang);
        return DIAG_DATA;
    }
    runlog log;
    runlog_open(&log, stderr, bo->level);
    log.who = p->name;
    log.bar = log.bar && bo->jobs == 1; /* parallel bars would garble */
    opt.stages = &log;
    return cli_run_program(&opt, p->no_db);
}

static int batch_status(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    return DIAG_INTERNAL; /* killed by a signal: a crash */
}

/* Waits for one child; records its status by program. */
static void batch_reap(const batch_config *cfg, pid_t *pids, int *status,
                       const double *started, int quiet)
{
    int ws;
    pid_t pid = wait(&ws);
    for (size_t i = 0; pid > 0 && i < cfg->n; i++) {
        if (pids[i] != pid)
            continue;
        status[i] = batch_status(ws);
        pids[i] = 0;
        if (!quiet || status[i] != 0)
            fprintf(stderr, "alliance batch: %s %s (exit %d) in %.3f s\n",
                    cfg->programs[i].name, status[i] ? "failed" : "ok",
                    status[i], runlog_now() - started[i]);
    }
}

static int batch_run_all(const batch_config *cfg, const batch_opts *bo)
{
    pid_t *pids = calloc(cfg->n, sizeof *pids);
    int *status = calloc(cfg->n, sizeof *status);
    double *started = calloc(cfg->n, sizeof *started);
    if (!pids || !status || !started) {
        free(pids), free(status), free(started);
        fprintf(stderr, "alliance: out of memory\n");
        return DIAG_OSERR;
    }
    int running = 0;
    fflush(NULL); /* nothing buffered may be written twice by the children */
    for (size_t i = 0; i < cfg->n; i++) {
        while (running >= bo->jobs) {
            batch_reap(cfg, pids, status, started, bo->level == RUNLOG_QUIET);
            running--;
        }
        started[i] = runlog_now();
        pid_t pid = fork();
        if (pid == 0)
            _exit(batch_child(&cfg->programs[i], bo));
        if (pid < 0) {
            perror("alliance: fork");
            status[i] = DIAG_OSERR;
            continue;
        }
        pids[i] = pid;
        running++;
    }
    for (; running > 0; running--)
        batch_reap(cfg, pids, status, started, bo->level == RUNLOG_QUIET);
    int rc = 0;
    for (size_t i = 0; i < cfg->n && rc == 0; i++)
        rc = status[i];
    free(pids), free(status), free(started);
    return rc;
}

static int batch_parse(int argc, char **argv, batch_opts *bo, const char **cfg)
{
    static const struct option opts[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"dry-run", no_argument, NULL, 'n'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"as-of", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *as_of = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":j:nqvh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'j':
            bo->jobs = (int)strtol(optarg, &end, 10);
            if (*end || bo->jobs < 1 || bo->jobs > 64)
                return cli_usage_error(&cli_batch, "--jobs must be 1 to 64, not %s", optarg);
            break;
        case 'n': bo->dry_run = 1; break;
        case 'q': bo->level = RUNLOG_QUIET; break;
        case 'v': bo->level = RUNLOG_VERBOSE; break;
        case 'a': as_of = optarg; break;
        case 'h': fputs(usage_batch, stdout); return -1;
        case ':': return cli_usage_error(&cli_batch, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(&cli_batch, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(&cli_batch, "batch needs one CONFIG file");
    *cfg = argv[optind];
    diag d;
    diag_init(&d);
    int rc = report_clock(getenv("SOURCE_DATE_EPOCH"), as_of, (int64_t)time(NULL),
                          &bo->run_time, &d);
    if (rc != 0)
        rc = cli_usage_error(&cli_batch, "%.*s", (int)strcspn(diag_text(&d), "\n"),
                             diag_text(&d));
    diag_free(&d);
    return rc;
}

static int batch_main(int argc, char **argv)
{
    batch_opts bo = {1, 0, RUNLOG_NORMAL, 0};
    const char *path = NULL;
    int rc = batch_parse(argc, argv, &bo, &path);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    batch_config cfg;
    diag d;
    diag_init(&d);
    rc = batch_load(path, &cfg, &d);
    if (rc != 0) {
        rc = cli_report_failure("batch", &d, "; no program was run");
        diag_free(&d);
        return rc;
    }
    diag_free(&d);
    rc = batch_run_all(&cfg, &bo);
    batch_free(&cfg);
    return rc;
}

const cli_command cli_batch = {
    "batch", "run several programs from one configuration file",
    usage_batch, batch_main};
