/* alliance explain: why an application got what it got, in plain French
 * (or English), from what the run store recorded. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "cli_store.h"

static const char usage_explain[] =
    "usage: alliance explain APPLICATION [--run ID] [--db FILE] [--lang fr|en]\n"
    "\n"
    "Explains the decision on one application: each eligibility check (passed\n"
    "or failed, and why), each criterion's points out of its maximum, the score\n"
    "against the threshold, the rank in its sub-region, what its envelope had\n"
    "left in each fiscal year when its turn came, and its instalments.\n"
    "\n"
    "options:\n"
    "  -r, --run ID      the run (default: the newest successful run that has\n"
    "                    this application)\n"
    CLI_STORE_DB_HELP
    "      --lang fr|en  language (default fr); the reasons recorded by the\n"
    "                    engine stay in French\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0, 64 usage, 65 unknown run or application, or a failed run,\n"
    "66 no store, 75 locked.\n";

/* Every phrase, in French then English. */
typedef struct words {
    const char *application, *project, *subregion, *requested, *total_cost;
    const char *run, *rules, *decision, *granted, *checks, *none, *passed;
    const char *failed, *grid, *score, *threshold, *reached, *not_reached;
    const char *rank, *of, *in, *not_ranked, *envelope, *not_reached_turn;
    const char *carry, *instalments, *fiscal_year, *charged, *reasons;
    const char *justification;
    const char *status[DECISION_N_STATUSES];
    char decimal;
    const char *colon;    /* French sets a space before ':' */
    const char *head;     /* the same, ending a heading line */
} words;

static const words words_fr = {
    "Demande", "Projet", "Sous-région", "demandé", "coût total",
    "Exécution", "règles", "Décision", "accordé", "Vérifications d'admissibilité",
    "aucune", "réussie", "échouée", "Grille d'analyse", "Pointage", "seuil",
    "atteint", "non atteint", "Rang", "sur", "dans",
    "non classée (non admissible ou sous le seuil)",
    "Enveloppe à son tour (restant par exercice, avant sa subvention)",
    "sans objet (non classée)",
    "avec le report des reliquats, le restant des exercices précédents "
    "s'ajoute",
    "Versements", "exercice", "imputé à", "Motifs", "Justification du comité",
    {"financée", "financée en partie", "en attente (enveloppe épuisée)",
     "sous le seuil", "non admissible", "décision imposée par le comité"},
    ',', " : ", " :"};

static const words words_en = {
    "Application", "Project", "Sub-region", "requested", "total cost",
    "Run", "rules", "Decision", "granted", "Eligibility checks", "none",
    "passed", "failed", "Analysis grid", "Score", "threshold", "reached",
    "not reached", "Rank", "of", "in",
    "not ranked (ineligible or below the threshold)",
    "Envelope at its turn (left per fiscal year, before its grant)",
    "not applicable (not ranked)",
    "with leftover carried forward, what earlier years left adds up",
    "Instalments", "fiscal year", "charged to", "Reasons",
    "Committee's justification",
    {"funded", "partially funded", "waitlisted (envelope exhausted)",
     "below the threshold", "ineligible", "decision forced by the committee"},
    '.', ": ", ":"};

typedef struct explain_out {
    FILE *f;
    const words *w;
    int en;
} explain_out;

/* Hundredths of a point: "72,50" or "72.50". */
static const char *points(int64_t h, char decimal, char buf[32])
{
    int64_t a = h < 0 ? -h : h;
    snprintf(buf, 32, "%s%lld%c%02lld", h < 0 ? "-" : "", (long long)(a / 100),
             decimal, (long long)(a % 100));
    return buf;
}

static const char *status_words(const words *w, const char *status)
{
    for (int s = 0; s < DECISION_N_STATUSES; s++)
        if (!strcmp(status, alloc_status_name((decision_status)s)))
            return w->status[s];
    return status;
}

static void print_head(const explain_out *o, const store_explanation *e)
{
    const words *w = o->w;
    const char *c = w->colon;
    char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ];
    fprintf(o->f, "%s %s — %s\n", w->application, e->id, e->organisation);
    if (e->title[0])
        fprintf(o->f, "  %s%s%s\n", w->project, c, e->title);
    fprintf(o->f, "  %s%s%s, %s %s (%s %s)\n", w->subregion, c, e->subregion,
            w->requested, cli_store_money(e->requested, o->en, m1),
            w->total_cost, cli_store_money(e->total_cost, o->en, m2));
    fprintf(o->f, "%s %lld, %.10s %.8s UTC (%s; %s %s)\n", w->run,
            (long long)e->run.id, e->run.started_at, e->run.started_at + 11,
            e->run.program, w->rules, e->run.rules_path);
    fprintf(o->f, "\n%s%s%s — %s %s\n", w->decision, c,
            status_words(w, e->status), cli_store_money(e->granted, o->en, m1),
            w->granted);
}

static void print_checks(const explain_out *o, const store_explanation *e)
{
    const words *w = o->w;
    if (e->n_checks)
        fprintf(o->f, "%s%s\n", w->checks, w->head);
    else
        fprintf(o->f, "%s%s%s\n", w->checks, w->colon, w->none);
    for (size_t i = 0; i < e->n_checks; i++) {
        const store_check_result *k = &e->checks[i];
        fprintf(o->f, "  [%s] %s — %s", k->reason ? w->failed : w->passed,
                k->id, k->label);
        if (k->reason && strcmp(k->reason, k->label) != 0)
            fprintf(o->f, "%s%s", w->colon, k->reason);
        fputc('\n', o->f);
    }
}

static void print_grid(const explain_out *o, const store_explanation *e)
{
    const words *w = o->w;
    const char *c = w->colon;
    char p[32], m[32], t[32];
    int64_t total_max = 0;
    fprintf(o->f, "%s%s\n", w->grid, w->head);
    for (size_t i = 0; i < e->n_points; i++) {
        const store_points *k = &e->points[i];
        total_max += k->max;
        fprintf(o->f, "  %s — %s%s%s / %s\n", k->id ? k->id : "?",
                k->label ? k->label : "", c, points(k->points, w->decimal, p),
                points(k->max, w->decimal, m));
    }
    fprintf(o->f, "%s%s%s / %s (%s%s%s)%s%s\n", w->score, c,
            points(e->score, w->decimal, p), points(total_max, w->decimal, m),
            w->threshold, c, points(e->run.threshold, w->decimal, t), c,
            e->score >= e->run.threshold ? w->reached : w->not_reached);
    if (e->rank)
        fprintf(o->f, "%s%s%u %s %u %s %s\n", w->rank, c, e->rank, w->of,
                e->n_ranked, w->in, e->subregion);
    else
        fprintf(o->f, "%s%s%s\n", w->rank, c, w->not_ranked);
}

/* What the envelope row had left in each year at the application's turn;
 * the first year short of money, for a waitlisted one, is marked. */
static void print_envelope(const explain_out *o, const store_explanation *e)
{
    const words *w = o->w;
    char fy[CAL_FY_BUFSZ], m[MONEY_BUFSZ];
    if (!e->left) {
        fprintf(o->f, "%s%s%s\n", w->envelope, w->colon, w->not_reached_turn);
        return;
    }
    fprintf(o->f, "%s — %s%s\n", w->envelope, e->source, w->head);
    for (int y = 0; y < e->run.n_years; y++)
        fprintf(o->f, "  %s%s%s%s\n",
                cal_format_fiscal_year(e->run.first_year + y, fy), w->colon,
                cli_store_money(e->left[y], o->en, m),
                e->short_year == e->run.first_year + y ? "  <--" : "");
    if (!strcmp(e->run.leftover, "carry"))
        fprintf(o->f, "  (%s)\n", w->carry);
}

/* Phrases of the equal-shares section, French then English. */
static const char *const share_words[2][10] = {
    {"Méthode des parts égales (utilité : %s, complément : %s)",
     "  %s : %lld évaluateurs, budget de %s chacun",
     " (dont %s ajoutés par add1)",
     "  Achetée à l'étape %u (rho = %lld/%lld), payée par ses évaluateurs :",
     "  Non abordable : ses évaluateurs n'avaient plus que %s pour un coût de %s",
     "  Choisie à l'étape %u, mais écartée : un exercice manquait d'argent ou "
     "un plafond était atteint",
     "  Aucun évaluateur ne lui a donné de point",
     "  Non achetée par les parts égales (ses évaluateurs n'avaient plus que "
     "%s pour un coût de %s) ; financée par le complément glouton",
     "    total", "points"},
    {"Method of Equal Shares (utility: %s, completion: %s)",
     "  %s: %lld evaluators, a budget of %s each",
     " (%s of it added by add1)",
     "  Bought at step %u (rho = %lld/%lld), paid by its evaluators:",
     "  Not affordable: its evaluators had only %s left for a cost of %s",
     "  Chosen at step %u but skipped: a fiscal year was short of money or a "
     "cap was reached",
     "  No evaluator gave it a point",
     "  Not bought by equal shares (its evaluators had only %s left for a "
     "cost of %s); funded by the greedy completion",
     "    total", "points"}};

/* Who paid for it and how much, or why it could not be bought. */
static void print_shares(const explain_out *o, const store_explanation *e)
{
    const store_share *h = e->share;
    const char *const *w = share_words[o->en];
    char m1[MONEY_BUFSZ], m2[MONEY_BUFSZ];
    if (!h)
        return;
    fprintf(o->f, w[0], h->utility, h->completion);
    fprintf(o->f, "\n");
    fprintf(o->f, w[1], e->subregion, (long long)h->voters,
            cli_store_money(h->budget, o->en, m1));
    if (h->increment)
        fprintf(o->f, w[2], cli_store_money(h->increment, o->en, m1));
    fprintf(o->f, "\n");
    if (!strcmp(h->how, "bought")) {
        int64_t total = 0;
        fprintf(o->f, w[3], h->round, (long long)h->rho_num,
                (long long)h->rho_den);
        fprintf(o->f, "\n");
        for (size_t i = 0; i < h->n_payments; i++) {
            total += h->payments[i].amount;
            fprintf(o->f, "    %s%s%s\n", h->payments[i].evaluator, o->w->colon,
                    cli_store_money(h->payments[i].amount, o->en, m1));
        }
        fprintf(o->f, "%s%s%s\n", w[8], o->w->colon,
                cli_store_money(total, o->en, m1));
    } else if (!strcmp(h->how, "no_fit")) {
        fprintf(o->f, w[5], h->round);
        fprintf(o->f, "\n");
    } else if (!strcmp(h->how, "no_support")) {
        fprintf(o->f, "%s\n", w[6]);
    } else {
        fprintf(o->f, !strcmp(h->how, "completion") ? w[7] : w[4],
                cli_store_money(h->supporters_left, o->en, m1),
                cli_store_money(h->cost, o->en, m2));
        fprintf(o->f, "\n");
    }
}

static void print_tail(const explain_out *o, const store_explanation *e)
{
    const words *w = o->w;
    char fy[CAL_FY_BUFSZ], m[MONEY_BUFSZ];
    if (e->n_instalments)
        fprintf(o->f, "%s%s\n", w->instalments, w->head);
    else
        fprintf(o->f, "%s%s-\n", w->instalments, w->colon);
    for (size_t i = 0; i < e->n_instalments; i++) {
        const store_instalment *in = &e->instalments[i];
        fprintf(o->f, "  %u. %s — %s (%s %s)%s%s", in->number, in->label,
                in->due, w->fiscal_year,
                cal_format_fiscal_year(in->fiscal_year, fy), w->colon,
                cli_store_money(in->amount, o->en, m));
        if (strcmp(in->envelope, e->subregion) != 0)
            fprintf(o->f, " [%s %s]", w->charged, in->envelope);
        fputc('\n', o->f);
    }
    if (e->reasons[0])
        fprintf(o->f, "%s%s%s\n", w->reasons, w->colon, e->reasons);
    if (e->override_justification)
        fprintf(o->f, "%s%s%s\n", w->justification, w->colon,
                e->override_justification);
}

static int explain(store *s, const char *app, int64_t run, int en)
{
    diag d;
    diag_init(&d);
    store_explanation e;
    int rc = run ? 0 : store_latest_run_of(s, app, &run, &d);
    if (rc == 0)
        rc = store_explain(s, run, app, &e, &d);
    if (rc != 0) {
        rc = cli_store_failed("explain", &d);
        diag_free(&d);
        return rc;
    }
    explain_out o = {stdout, en ? &words_en : &words_fr, en};
    print_head(&o, &e);
    print_checks(&o, &e);
    print_grid(&o, &e);
    if (e.share) /* bought in its own order, not at a turn in rank order */
        print_shares(&o, &e);
    else
        print_envelope(&o, &e);
    print_tail(&o, &e);
    store_explanation_free(&e);
    diag_free(&d);
    return 0;
}

enum { OPT_LANG = 256 };

static int explain_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"run", required_argument, NULL, 'r'},
        {"db", required_argument, NULL, 'd'},
        {"lang", required_argument, NULL, OPT_LANG},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL;
    int64_t run = 0;
    int c, en = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:d:h", opts, NULL)) != -1) {
        if (c == 'r' && cli_store_run_id(&cli_explain, optarg, &run) != 0)
            return DIAG_USAGE;
        if (c == 'd')
            db = optarg;
        else if (c == OPT_LANG && strcmp(optarg, "fr") && strcmp(optarg, "en"))
            return cli_usage_error(&cli_explain, "--lang must be fr or en, not "
                                   "%s", optarg);
        else if (c == OPT_LANG)
            en = !strcmp(optarg, "en");
        else if (c == 'h') {
            fputs(usage_explain, stdout);
            return 0;
        } else if (c != 'r')
            return cli_store_bad_option(&cli_explain, c, argv);
    }
    if (optind != argc - 1)
        return cli_usage_error(&cli_explain, optind == argc
                               ? "explain needs an application id"
                               : "explain takes one application id");
    store *s;
    int rc = cli_store_open("explain", db, &s);
    if (rc != 0)
        return rc;
    rc = explain(s, argv[optind], run, en);
    store_close(s);
    return rc;
}

const cli_command cli_explain = {
    "explain", "explain the decision on one application of a recorded run",
    usage_explain, explain_main};
