/* alliance replay: runs a recorded run again, on the same files, and
 * confirms that it decides the same. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_store.h"
#include "run.h"

static const char usage_replay[] =
    "usage: alliance replay RUN_ID [--db FILE] [--quiet]\n"
    "\n"
    "Runs a recorded run again with the input folder, rule file and rules\n"
    "library it used, after checking that every file it read still has the\n"
    "SHA-256 recorded (and that no optional input, evaluations.csv,\n"
    "overrides.csv or territories.csv, has appeared since), then compares the\n"
    "decisions and instalments of both runs. The replay is recorded in the\n"
    "store as a new run naming the run it replays; it writes no output files.\n"
    "\n"
    "options:\n"
    CLI_STORE_DB_HELP
    "  -q, --quiet       print nothing when the replay is identical\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0 identical decisions and instalments, 70 they differ (see\n"
    "alliance diff), 65 the files changed since, or an unknown or failed run,\n"
    "64 usage, 66 no store, 75 locked; a replay that fails exits as run does.\n";

typedef struct replay_check {
    int64_t run;
    size_t changed;
} replay_check;

static int on_changed(void *ctx, const store_file *f, const char *now)
{
    replay_check *c = ctx;
    c->changed++;
    if (!f->sha256[0])
        fprintf(stderr, "alliance: %s was not there in run %lld\n", f->path,
                (long long)c->run);
    else if (!now)
        fprintf(stderr, "alliance: %s (%s %s of run %lld) cannot be read "
                "any more\n", f->path, f->role, f->name, (long long)c->run);
    else
        fprintf(stderr, "alliance: %s changed since run %lld (SHA-256 %.16s... "
                "then, %.16s... now)\n", f->path, (long long)c->run, f->sha256,
                now);
    return 0;
}

/* 0 when every file is as recorded; 65 (after saying which) otherwise. */
static int verify(store *s, const store_run *r, diag *d)
{
    replay_check c = {r->id, 0};
    int rc = store_verify_files(s, r->id, r->inputs_dir, on_changed, &c, d);
    if (rc != 0)
        return cli_store_failed("replay", d);
    if (c.changed) {
        fprintf(stderr, "alliance: replay of run %lld refused: %zu file%s "
                "no longer match%s what the run read\n", (long long)r->id,
                c.changed, c.changed == 1 ? "" : "s", c.changed == 1 ? "es" : "");
        return DIAG_DATA;
    }
    return 0;
}

static int rerun(const store_run *r, const char *db, int64_t *id)
{
    run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.inputs_dir = r->inputs_dir;
    opt.rules_path = r->rules_path;
    opt.libdir = r->libdir[0] ? r->libdir : NULL;
    opt.db_path = db;
    opt.replay_of = r->id;
    opt.run_id = id;
    /* the same call: its program, and the commitments and waitlist it
     * started from, whatever was adopted or released since */
    store_basis basis = {r->basis_adoption, r->basis_release};
    opt.program = r->program[0] ? r->program : NULL;
    opt.basis = &basis;
    opt.resubmit = r->resubmit;
    opt.carry_from = r->carried_from;
    diag d;
    diag_init(&d);
    int rc = run_execute(&opt, &d);
    if (rc != 0)
        rc = cli_report_failure("replay", &d, NULL);
    diag_free(&d);
    return rc;
}

static int compare(store *s, int64_t old, int64_t now, int quiet)
{
    diag d;
    diag_init(&d);
    store_comparison a, b;
    int rc = store_compare(s, old, now, &a, &d);
    if (rc == 0)
        rc = store_compare(s, now, old, &b, &d);
    if (rc != 0) {
        rc = cli_store_failed("replay", &d);
    } else if (a.decisions_differ || a.instalments_differ ||
               a.decisions != b.decisions || a.instalments != b.instalments) {
        printf("run %lld replays run %lld: DIFFERENT: %lld decision%s and "
               "%lld instalment%s differ (alliance diff %lld %lld)\n",
               (long long)now, (long long)old, (long long)a.decisions_differ,
               a.decisions_differ == 1 ? "" : "s",
               (long long)a.instalments_differ,
               a.instalments_differ == 1 ? "" : "s", (long long)old,
               (long long)now);
        rc = DIAG_INTERNAL;
    } else if (!quiet) {
        printf("run %lld replays run %lld: identical (%lld decisions, %lld "
               "instalments)\n", (long long)now, (long long)old,
               (long long)a.decisions, (long long)a.instalments);
    }
    diag_free(&d);
    return rc;
}

static int replay(store *s, int64_t id, const char *db, int quiet)
{
    diag d;
    diag_init(&d);
    store_run r;
    int rc = store_get_run(s, id, &r, &d);
    if (rc != 0) {
        rc = cli_store_failed("replay", &d);
    } else if (strcmp(r.status, "ok") != 0) {
        fprintf(stderr, "alliance: run %lld failed; only a successful run can "
                "be replayed\n", (long long)id);
        rc = DIAG_DATA;
    } else if ((rc = verify(s, &r, &d)) == 0) {
        int64_t now = 0;
        rc = rerun(&r, db, &now);
        if (rc == 0)
            rc = compare(s, id, now, quiet);
    }
    store_run_free(&r);
    diag_free(&d);
    return rc;
}

static int replay_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int c, quiet = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:qh", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'q')
            quiet = 1;
        else if (c == 'h') {
            fputs(usage_replay, stdout);
            return 0;
        } else
            return cli_store_bad_option(&cli_replay, c, argv);
    }
    int64_t id;
    if (argc - optind != 1)
        return cli_usage_error(&cli_replay, "replay needs one run id");
    if (cli_store_run_id(&cli_replay, argv[optind], &id) != 0)
        return DIAG_USAGE;
    store *s;
    int rc = cli_store_open("replay", db, &s);
    if (rc != 0)
        return rc;
    rc = replay(s, id, db ? db : STORE_DEFAULT_NAME, quiet);
    store_close(s);
    return rc;
}

const cli_command cli_replay = {
    "replay", "run a recorded run again and confirm the same decisions",
    usage_replay, replay_main};
