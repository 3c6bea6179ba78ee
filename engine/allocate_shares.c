/* allocate_shares: method = "equal_shares" (see rules/README.md). Each
 * sub-region is an election: its candidates (rank order, overrides left
 * out) are the projects, the evaluators who graded at least one of them
 * the voters, what its envelope holds for this call over all the fiscal
 * years their budget. The rule itself is equal_shares.c; this file builds
 * the elections from the inputs, lets every purchase through the same
 * checks as a greedy grant (each instalment fits its fiscal year, the
 * caps), runs add1, and the greedy completion. */
#include <stdlib.h>
#include <string.h>

#include "alloc_internal.h"
#include "equal_shares.h"

/* add1 stops after this many reruns whatever happens (see README). */
#define SHARES_ADD1_MAX_RUNS 100000
#define SHARES_DOLLAR 100

static const char *const how_names[ALLOC_SHARE_N_HOW] = {
    "", "bought", "unaffordable", "no_fit", "no_support", "completion",
};

const char *alloc_share_how_name(alloc_share_how h)
{
    return h < ALLOC_SHARE_N_HOW ? how_names[h] : "";
}

void alloc_shares_free(alloc_shares *s)
{
    if (!s)
        return;
    free(s->how);
    free(s->round);
    free(s->rho_num);
    free(s->rho_den);
    free(s->cost);
    free(s->supporters_left);
    free(s->payments);
    free(s->election);
    free(s);
}

/* One sub-region's election and what its runs need. */
typedef struct shares_job {
    alloc_ctx *c;
    size_t sub;
    size_t *apps;              /* project -> application */
    int64_t *cost;
    size_t *first;
    es_support *sup;
    const char **voter;        /* voter -> evaluator id */
    int64_t *base, *budget;    /* per voter: at k = 0, and this run's */
    es_election e;
    int strict;                /* add1 rerun: a purchase that does not fit
                                  makes the outcome infeasible */
    int32_t *short_year;       /* per project, this run */
    int64_t *saved;            /* the sub-region's granted cells */
    int64_t *org_saved;        /* org_granted, when there is a cap */
    size_t n_orgs;
} shares_job;

#define SHARES_INFEASIBLE (-2)
#define SHARES_BAD_WEIGHTS (-3)

static int shares_accept(void *ctx, size_t p)
{
    shares_job *j = ctx;
    alloc_ctx *c = j->c;
    size_t app = j->apps[p];
    int64_t g = j->cost[p];
    if (c->org && alloc_org_used(c, app) + g > c->cfg->max_per_org)
        return j->strict ? SHARES_INFEASIBLE : 0;
    int fits = alloc_fits(c, j->sub, app, g);
    if (fits < 0)
        return SHARES_BAD_WEIGHTS;
    if (!fits) {
        j->short_year[p] = c->short_year;
        return j->strict ? SHARES_INFEASIBLE : 0;
    }
    alloc_charge(c, j->sub, app, g);
    return 1;
}

/* ---- building the election ---------------------------------------------- */

typedef struct grade_key {
    const char *evaluator;
    size_t project;
    int32_t points;
} grade_key;

static int by_evaluator(const void *a, const void *b)
{
    const grade_key *x = a, *y = b;
    int c = strcmp(x->evaluator, y->evaluator);
    return c ? c : (x->project > y->project) - (x->project < y->project);
}

typedef struct utility_key {
    size_t project;
    uint32_t voter;
    __extension__ __int128 utility;
} utility_key;

static int by_project(const void *a, const void *b)
{
    const utility_key *x = a, *y = b;
    if (x->project != y->project)
        return x->project < y->project ? -1 : 1;
    return (x->voter > y->voter) - (x->voter < y->voter);
}

/* The candidates of the sub-region, in rank order, and their costs: the
 * request lowered to max_grant (a cap used up leaves it out). */
static size_t shares_projects(shares_job *j, long *project_of)
{
    alloc_ctx *c = j->c;
    size_t n = 0;
    for (size_t i = c->order->sub_first[j->sub]; i < c->order->sub_first[j->sub + 1]; i++) {
        size_t app = c->order->apps[i];
        decision *dec = &c->out->decisions[app];
        if (dec->status == DECISION_OVERRIDDEN)
            continue;
        dec->status = DECISION_WAITLISTED;
        int64_t t = alloc_target(c, app, alloc_org_used(c, app));
        if (t <= 0) {
            c->out->shares->how[app] = ALLOC_SHARE_NO_FIT;
            continue;
        }
        project_of[app] = (long)n;
        j->apps[n] = app;
        j->cost[n++] = t;
    }
    return n;
}

/* Voters (evaluators by id) and each project's supporters with their
 * utility: the evaluator's points over all criteria, times the request
 * with utility = "cost". */
static int shares_supporters(shares_job *j, const long *project_of,
                             size_t n_projects, diag *d)
{
    const inputs *in = j->c->in;
    grade_key *g = malloc((in->n_evals + 1) * sizeof *g);
    utility_key *u = malloc((in->n_evals + 1) * sizeof *u);
    size_t n = 0, nu = 0, nv = 0;
    int rc = g && u ? 0 : diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t i = 0; rc == 0 && i < in->n_evals; i++)
        if (project_of[in->evals[i].app] >= 0)
            g[n++] = (grade_key){in->evals[i].evaluator,
                                 (size_t)project_of[in->evals[i].app],
                                 in->evals[i].points};
    if (rc == 0)
        qsort(g, n, sizeof *g, by_evaluator);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i == 0 || strcmp(g[i].evaluator, g[i - 1].evaluator) != 0)
            j->voter[nv++] = g[i].evaluator;
        if (nu && u[nu - 1].voter == nv - 1 && u[nu - 1].project == g[i].project)
            u[nu - 1].utility += g[i].points;
        else
            u[nu++] = (utility_key){g[i].project, (uint32_t)(nv - 1), g[i].points};
    }
    if (rc == 0)
        qsort(u, nu, sizeof *u, by_project);
    size_t ns = 0;
    memset(j->first, 0, (n_projects + 1) * sizeof *j->first);
    for (size_t i = 0; rc == 0 && i < nu; i++) {
        size_t app = j->apps[u[i].project];
        __extension__ __int128 x = u[i].utility;
        if (j->c->cfg->utility == RULES_UTILITY_COST)
            x *= in->apps[app].requested;
        if (x <= 0)
            continue;
        if (x > (INT64_C(1) << 62)) {
            rc = diag_add(d, DIAG_DATA, "equal shares in %s: application %s: "
                          "the utility of evaluator %s is too large",
                          in->split[j->sub].name, in->apps[app].id,
                          j->voter[u[i].voter]);
            break;
        }
        j->sup[ns++] = (es_support){u[i].voter, (int64_t)x};
        j->first[u[i].project + 1] = ns;
    }
    for (size_t p = 1; p <= n_projects; p++)
        if (j->first[p] < j->first[p - 1])
            j->first[p] = j->first[p - 1];
    j->e = (es_election){nv, j->budget, n_projects, j->cost, j->first, j->sup};
    free(g);
    free(u);
    return rc;
}

/* What the sub-region holds for this call (all years, overrides and
 * earlier calls' commitments taken), split equally: the first remainder
 * voters in evaluator id order get one cent more. */
static void shares_budgets(shares_job *j)
{
    alloc_ctx *c = j->c;
    int64_t total = 0;
    for (size_t y = 0; y < c->n_years; y++) {
        size_t k = j->sub * c->n_years + y;
        total += alloc_open_cell(c, k) - c->out->granted[k];
    }
    size_t n = j->e.n_voters;
    for (size_t v = 0; v < n; v++)
        j->base[v] = total / (int64_t)n + ((int64_t)v < total % (int64_t)n);
    memcpy(j->budget, j->base, n * sizeof *j->budget);
    c->out->shares->election[j->sub] =
        (alloc_share_election){n, n ? total / (int64_t)n : 0, 0, 0};
}

static int shares_open(shares_job *j, alloc_ctx *c, size_t sub, diag *d)
{
    size_t na = c->in->n_apps + 1, ne = c->in->n_evals + 1;
    *j = (shares_job){.c = c, .sub = sub};
    j->apps = malloc(na * sizeof *j->apps);
    j->cost = malloc(na * sizeof *j->cost);
    j->first = malloc((na + 1) * sizeof *j->first);
    j->sup = malloc(ne * sizeof *j->sup);
    j->voter = malloc(ne * sizeof *j->voter);
    j->base = malloc(ne * sizeof *j->base);
    j->budget = malloc(ne * sizeof *j->budget);
    j->short_year = malloc(na * sizeof *j->short_year);
    j->saved = malloc((c->n_years + 1) * sizeof *j->saved);
    j->n_orgs = c->org ? c->in->n_apps + 1 : 0;
    j->org_saved = malloc((j->n_orgs + 1) * sizeof *j->org_saved);
    long *project_of = malloc(na * sizeof *project_of);
    if (!j->apps || !j->cost || !j->first || !j->sup || !j->voter ||
        !j->base || !j->budget || !j->short_year || !j->saved ||
        !j->org_saved || !project_of) {
        free(project_of);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    for (size_t a = 0; a < c->in->n_apps; a++)
        project_of[a] = -1;
    size_t n = shares_projects(j, project_of);
    int rc = shares_supporters(j, project_of, n, d);
    free(project_of);
    if (rc == 0)
        shares_budgets(j);
    memcpy(j->saved, &c->out->granted[sub * c->n_years],
           c->n_years * sizeof *j->saved);
    if (c->org)
        memcpy(j->org_saved, c->org_granted, j->n_orgs * sizeof *j->org_saved);
    return rc;
}

static void shares_close(shares_job *j)
{
    free(j->apps);
    free(j->cost);
    free(j->first);
    free(j->sup);
    free(j->voter);
    free(j->base);
    free(j->budget);
    free(j->short_year);
    free(j->saved);
    free(j->org_saved);
}

/* ---- running it ----------------------------------------------------------- */

/* Back to the state before the election (grants of this sub-region). */
static void shares_restore(shares_job *j)
{
    alloc_ctx *c = j->c;
    memcpy(&c->out->granted[j->sub * c->n_years], j->saved,
           c->n_years * sizeof *j->saved);
    if (c->org)
        memcpy(c->org_granted, j->org_saved, j->n_orgs * sizeof *j->org_saved);
}

static int shares_once(shares_job *j, int64_t increment, es_outcome *out,
                       diag *d)
{
    shares_restore(j);
    for (size_t v = 0; v < j->e.n_voters; v++)
        j->budget[v] = j->base[v] + increment;
    for (size_t p = 0; p < j->e.n_projects; p++)
        j->short_year[p] = -1;
    j->strict = increment > 0;
    int rc = es_run(&j->e, shares_accept, j, out);
    j->c->out->shares->election[j->sub].runs++;
    if (rc == 0 || rc == SHARES_INFEASIBLE)
        return rc;
    if (rc == SHARES_BAD_WEIGHTS)
        return diag_add(d, DIAG_INTERNAL, "allocate: invalid instalment "
                        "weights in %s", j->c->in->split[j->sub].name);
    if (rc == ES_EOVERFLOW)
        return diag_add(d, DIAG_DATA, "equal shares in %s: amounts or "
                        "utilities too large", j->c->in->split[j->sub].name);
    return diag_add(d, DIAG_OSERR, "out of memory");
}

/* Every project someone values is bought: more budget cannot change the
 * selection. */
static int shares_all_supported(const shares_job *j, const es_outcome *out)
{
    for (size_t p = 0; p < j->e.n_projects; p++)
        if (out->state[p] != ES_BOUGHT && j->first[p] < j->first[p + 1])
            return 0;
    return 1;
}

/* completion = "add1": the rule again with every budget one dollar
 * higher, until a purchase no longer fits: the last outcome that fitted
 * is kept (*best, its run's short years in j). An outcome that is already
 * exhaustive (nothing left out fits the money left) may still change for
 * another that fits: the reruns go on (Wieliczka 2023 needs it). They
 * stop early only when every project someone values is bought (more
 * budget cannot change the selection), or after SHARES_ADD1_MAX_RUNS. */
static int shares_add1(shares_job *j, es_outcome *best, diag *d)
{
    int32_t *kept = malloc((j->e.n_projects + 1) * sizeof *kept);
    if (!kept)
        return diag_add(d, DIAG_OSERR, "out of memory");
    memcpy(kept, j->short_year, j->e.n_projects * sizeof *kept);
    int64_t k = 0;
    int rc = 0;
    while (rc == 0 && !shares_all_supported(j, best) &&
           j->c->out->shares->election[j->sub].runs < SHARES_ADD1_MAX_RUNS) {
        es_outcome next;
        rc = shares_once(j, (k + 1) * SHARES_DOLLAR, &next, d);
        if (rc == 0) {
            es_outcome_free(best);
            *best = next;
            memcpy(kept, j->short_year, j->e.n_projects * sizeof *kept);
            k++;
        } else {
            es_outcome_free(&next);
        }
    }
    memcpy(j->short_year, kept, j->e.n_projects * sizeof *kept);
    free(kept);
    alloc_share_election *el = &j->c->out->shares->election[j->sub];
    el->increment = k * SHARES_DOLLAR;
    el->budget += el->increment;
    return rc == SHARES_INFEASIBLE ? 0 : rc;
}

static int shares_record_payments(alloc_shares *sh, const shares_job *j,
                                  const es_outcome *out, size_t p)
{
    size_t need = sh->n_payments + (j->first[p + 1] - j->first[p]);
    alloc_share_payment *g = realloc(sh->payments, (need + 1) * sizeof *g);
    if (!g)
        return -1;
    sh->payments = g;
    for (size_t k = j->first[p]; k < j->first[p + 1]; k++)
        if (out->paid[k] > 0)
            g[sh->n_payments++] = (alloc_share_payment){
                j->apps[p], j->voter[j->sup[k].voter], out->paid[k]};
    return 0;
}

/* Grants what the kept outcome bought, in its order (each fitted then),
 * and says why the others were not. */
static int shares_apply(shares_job *j, const es_outcome *out, diag *d)
{
    alloc_ctx *c = j->c;
    alloc_shares *sh = c->out->shares;
    shares_restore(j);
    for (size_t i = 0; i < out->n_bought; i++) {
        size_t p = out->bought[i], app = j->apps[p];
        if (alloc_fits(c, j->sub, app, j->cost[p]) != 1)
            return diag_add(d, DIAG_INTERNAL, "equal shares: %s no longer "
                            "fits", c->in->apps[app].id);
        decision *dec = &c->out->decisions[app];
        dec->short_year = -1;
        alloc_grant(c, j->sub, app, j->cost[p], dec);
        if (shares_record_payments(sh, j, out, p) != 0)
            return diag_add(d, DIAG_OSERR, "out of memory");
    }
    for (size_t p = 0; p < j->e.n_projects; p++) {
        size_t app = j->apps[p];
        sh->cost[app] = j->cost[p];
        sh->round[app] = out->round[p];
        sh->rho_num[app] = out->rho_num[p];
        sh->rho_den[app] = out->rho_den[p];
        sh->supporters_left[app] = es_supporters_left(&j->e, out, p);
        sh->how[app] = out->state[p] == ES_BOUGHT ? ALLOC_SHARE_BOUGHT
                     : out->state[p] == ES_REFUSED ? ALLOC_SHARE_NO_FIT
                     : j->first[p] == j->first[p + 1] ? ALLOC_SHARE_NO_SUPPORT
                     : ALLOC_SHARE_UNAFFORDABLE;
        if (out->state[p] == ES_REFUSED)
            c->out->decisions[app].short_year = j->short_year[p];
    }
    return 0;
}

static int shares_subregion(alloc_ctx *c, size_t sub, diag *d)
{
    shares_job j;
    es_outcome out;
    memset(&out, 0, sizeof out);
    int rc = shares_open(&j, c, sub, d);
    if (rc == 0)
        rc = shares_once(&j, 0, &out, d);
    if (rc == 0 && c->cfg->completion == RULES_COMPLETION_ADD1)
        rc = shares_add1(&j, &out, d);
    if (rc == 0)
        rc = shares_apply(&j, &out, d);
    es_outcome_free(&out);
    shares_close(&j);
    return rc;
}

static alloc_shares *shares_new(size_t n_apps, size_t n_sub)
{
    alloc_shares *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->how = calloc(n_apps + 1, 1);
    s->round = calloc(n_apps + 1, sizeof *s->round);
    s->rho_num = calloc(n_apps + 1, sizeof *s->rho_num);
    s->rho_den = calloc(n_apps + 1, sizeof *s->rho_den);
    s->cost = calloc(n_apps + 1, sizeof *s->cost);
    s->supporters_left = calloc(n_apps + 1, sizeof *s->supporters_left);
    s->election = calloc(n_sub + 1, sizeof *s->election);
    if (!s->how || !s->round || !s->rho_num || !s->rho_den || !s->cost ||
        !s->supporters_left || !s->election) {
        alloc_shares_free(s);
        return NULL;
    }
    return s;
}

int alloc_equal_shares(alloc_ctx *c, diag *d)
{
    /* no file is a mistake; a file without rows, no grades yet */
    if (!inputs_sha256(c->in, "evaluations.csv") && c->order->n > 0)
        return diag_add(d, DIAG_DATA, "allocate.method = \"equal_shares\" "
                        "needs evaluations.csv: its evaluators are the voters");
    if (!(c->out->shares = shares_new(c->in->n_apps, c->in->n_split)))
        return diag_add(d, DIAG_OSERR, "out of memory");
    int rc = 0;
    for (size_t s = 0; rc == 0 && s < c->in->n_split; s++)
        rc = shares_subregion(c, s, d);
    if (rc != 0 || c->cfg->completion != RULES_COMPLETION_GREEDY)
        return rc;
    rc = alloc_greedy(c, d);
    for (size_t a = 0; rc == 0 && a < c->in->n_apps; a++)
        if (c->out->decisions[a].granted > 0 &&
            c->out->decisions[a].status != DECISION_OVERRIDDEN &&
            c->out->shares->how[a] != ALLOC_SHARE_BOUGHT)
            c->out->shares->how[a] = ALLOC_SHARE_COMPLETION;
    return rc;
}
