/* store_explain: everything recorded about one application in one run
 * (alliance explain), gathered into a store_explanation. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

typedef struct explain_job {
    store *s;
    store_explanation *e;
    struct store_bag *bag;
    int64_t run, app, sub;
    diag *d;
} explain_job;

static int oom(explain_job *j)
{
    return diag_add(j->d, DIAG_OSERR, "out of memory");
}

/* Prepares sql with ?1 = the run and, when the query has it, ?2 = the
 * application (or, for the rank count, its sub-region) as given. */
static int prepare_for(explain_job *j, const char *sql, int64_t second,
                       sqlite3_stmt **st)
{
    int rc = store_prepare(j->s, sql, st, j->d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_i64(*st, 1, j->run, &err);
    if (sqlite3_bind_parameter_count(*st) > 1)
        store_bind_i64(*st, 2, second, &err);
    if (err != SQLITE_OK) {
        sqlite3_finalize(*st);
        return store_fail(j->s, j->d, err, "explaining");
    }
    return 0;
}

/* Steps st to its end, calling row() on each row; finalizes st. */
static int each_row(explain_job *j, sqlite3_stmt *st,
                    int (*row)(explain_job *j, sqlite3_stmt *st))
{
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = row(j, st);
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(j->s, j->d, step, "explaining");
    sqlite3_finalize(st);
    return rc;
}

static const char *keep(explain_job *j, sqlite3_stmt *st, int col)
{
    return store_bag_keep(j->bag, sqlite3_column_text(st, col));
}

/* Grows an array of n items of size sz to hold one more: its capacity
 * is 4, then doubles whenever n reaches a power of two. */
static int grow(void **v, size_t n, size_t sz)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return 0;
    void *g = realloc(*v, (n ? 2 * n : 4) * sz);
    if (!g)
        return -1;
    *v = g;
    return 0;
}

/* ---- the application and its decision -------------------------------- */

static const char app_sql[] =
    "SELECT a.app, a.sub, a.id, a.organisation, a.title, a.org_type,"
    " s.name, a.requested, a.total_cost, a.start, a.months, d.status,"
    " d.eligible, d.score, d.rank, d.granted, src.name, d.short_year,"
    " d.override_justification, d.reasons, d.points, d.envelope_left"
    " FROM application a JOIN decision d USING (run_id, app)"
    " JOIN subregion s ON s.run_id = a.run_id AND s.sub = a.sub"
    " JOIN subregion src ON src.run_id = d.run_id AND src.sub = d.source"
    " WHERE a.run_id = ?1 AND a.id = ?2";

static int read_left(explain_job *j, sqlite3_stmt *st, int col)
{
    size_t n = (size_t)sqlite3_column_bytes(st, col) / 8;
    const unsigned char *p = sqlite3_column_blob(st, col);
    if (!p || n == 0)
        return 0; /* never reached its turn */
    if (!(j->e->left = calloc((size_t)j->e->run.n_years + 1, sizeof *j->e->left)))
        return -1;
    for (size_t y = 0; y < n && y < (size_t)j->e->run.n_years; y++)
        j->e->left[y] = store_get_i64(p + 8 * y);
    return 0;
}

static int app_row(explain_job *j, sqlite3_stmt *st)
{
    store_explanation *e = j->e;
    j->app = sqlite3_column_int64(st, 0);
    j->sub = sqlite3_column_int64(st, 1);
    const char **text[] = {&e->id, &e->organisation, &e->title, &e->org_type,
                           &e->subregion};
    for (int i = 0; i < 5; i++)
        if (!(*text[i] = keep(j, st, 2 + i)))
            return oom(j);
    e->requested = sqlite3_column_int64(st, 7);
    e->total_cost = sqlite3_column_int64(st, 8);
    e->months = sqlite3_column_int(st, 10);
    e->eligible = sqlite3_column_int(st, 12);
    e->score = sqlite3_column_int64(st, 13);
    e->rank = (uint32_t)sqlite3_column_int64(st, 14);
    e->granted = sqlite3_column_int64(st, 15);
    e->short_year = sqlite3_column_int(st, 17);
    if (!(e->start = keep(j, st, 9)) || !(e->status = keep(j, st, 11)) ||
        !(e->source = keep(j, st, 16)) || !(e->reasons = keep(j, st, 19)))
        return oom(j);
    if (sqlite3_column_type(st, 18) != SQLITE_NULL &&
        !(e->override_justification = keep(j, st, 18)))
        return oom(j);
    /* points: kept until read_points has the criteria */
    size_t nb = (size_t)sqlite3_column_bytes(st, 20);
    const unsigned char *p = sqlite3_column_blob(st, 20);
    e->n_points = nb / 4;
    if (e->n_points && !(e->points = calloc(e->n_points, sizeof *e->points)))
        return oom(j);
    for (size_t c = 0; c < e->n_points; c++)
        e->points[c].points = store_get_i32(p + 4 * c);
    return read_left(j, st, 21) == 0 ? 0 : oom(j);
}

static int read_application(explain_job *j, const char *app_id)
{
    sqlite3_stmt *st;
    int rc = store_prepare(j->s, app_sql, &st, j->d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_i64(st, 1, j->run, &err);
    store_bind_str(st, 2, app_id, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    if (step == SQLITE_ROW)
        rc = app_row(j, st);
    else if (step == SQLITE_DONE)
        rc = diag_add(j->d, DIAG_DATA, "run %lld has no application %s",
                      (long long)j->run, app_id);
    else
        rc = store_fail(j->s, j->d, step, "explaining");
    sqlite3_finalize(st);
    return rc;
}

/* ---- checks, criteria, instalments ----------------------------------- */

static int check_row(explain_job *j, sqlite3_stmt *st)
{
    store_explanation *e = j->e;
    if (grow((void **)&e->checks, e->n_checks, sizeof *e->checks) != 0)
        return oom(j);
    store_check_result *c = &e->checks[e->n_checks++];
    memset(c, 0, sizeof *c);
    if (!(c->id = keep(j, st, 0)) || !(c->label = keep(j, st, 1)))
        return oom(j);
    if (sqlite3_column_type(st, 2) != SQLITE_NULL && !(c->reason = keep(j, st, 2)))
        return oom(j);
    return 0;
}

static int criterion_row(explain_job *j, sqlite3_stmt *st)
{
    store_explanation *e = j->e;
    size_t idx = (size_t)sqlite3_column_int64(st, 3);
    if (idx >= e->n_points)
        return 0; /* a criterion without points: not this schema */
    store_points *p = &e->points[idx];
    if (!(p->id = keep(j, st, 0)) || !(p->label = keep(j, st, 1)))
        return oom(j);
    p->max = sqlite3_column_int(st, 2);
    return 0;
}

static int instalment_row(explain_job *j, sqlite3_stmt *st)
{
    store_explanation *e = j->e;
    if (grow((void **)&e->instalments, e->n_instalments, sizeof *e->instalments) != 0)
        return oom(j);
    store_instalment *i = &e->instalments[e->n_instalments++];
    i->number = (uint32_t)sqlite3_column_int64(st, 0);
    i->fiscal_year = sqlite3_column_int(st, 3);
    i->amount = sqlite3_column_int64(st, 5);
    if (!(i->label = keep(j, st, 1)) || !(i->due = keep(j, st, 2)) ||
        !(i->envelope = keep(j, st, 4)))
        return oom(j);
    return 0;
}

static int count_row(explain_job *j, sqlite3_stmt *st)
{
    j->e->n_ranked = (uint32_t)sqlite3_column_int64(st, 0);
    return 0;
}

static int read_details(explain_job *j)
{
    static const struct {
        const char *sql;
        int (*row)(explain_job *j, sqlite3_stmt *st);
        int by_sub;
    } parts[] = {
        {"SELECT c.id, c.label, f.reason FROM rule_check c"
         " LEFT JOIN check_failure f ON f.run_id = c.run_id AND f.app = ?2"
         " AND f.check_idx = c.idx WHERE c.run_id = ?1 ORDER BY c.idx",
         check_row, 0},
        {"SELECT id, label, max, idx FROM rule_criterion WHERE run_id = ?1"
         " ORDER BY idx", criterion_row, 0},
        {"SELECT i.number, i.label, i.due, i.fiscal_year, s.name, i.amount"
         " FROM instalment i JOIN subregion s ON s.run_id = i.run_id"
         " AND s.sub = i.source WHERE i.run_id = ?1 AND i.app = ?2"
         " ORDER BY i.number", instalment_row, 0},
        {"SELECT count(*) FROM application a JOIN decision d"
         " USING (run_id, app) WHERE a.run_id = ?1 AND a.sub = ?2"
         " AND d.rank IS NOT NULL", count_row, 1},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof parts / sizeof *parts && rc == 0; i++) {
        sqlite3_stmt *st;
        rc = prepare_for(j, parts[i].sql, parts[i].by_sub ? j->sub : j->app, &st);
        if (rc == 0)
            rc = each_row(j, st, parts[i].row);
    }
    return rc;
}

/* ---- equal shares ---------------------------------------------------- */

static int share_row(explain_job *j, sqlite3_stmt *st)
{
    store_share *h = j->e->share = calloc(1, sizeof *h);
    if (!h || !(h->how = keep(j, st, 0)) || !(h->completion = keep(j, st, 7)) ||
        !(h->utility = keep(j, st, 8)))
        return oom(j);
    h->round = (uint32_t)sqlite3_column_int64(st, 1);
    h->rho_num = sqlite3_column_int64(st, 2);
    h->rho_den = sqlite3_column_int64(st, 3);
    h->cost = sqlite3_column_int64(st, 4);
    h->supporters_left = sqlite3_column_int64(st, 5);
    h->voters = sqlite3_column_int64(st, 6);
    h->budget = sqlite3_column_int64(st, 9);
    h->increment = sqlite3_column_int64(st, 10);
    return 0;
}

static int payment_row(explain_job *j, sqlite3_stmt *st)
{
    store_share *h = j->e->share;
    if (!h)
        return 0;
    if (grow((void **)&h->payments, h->n_payments, sizeof *h->payments) != 0)
        return oom(j);
    store_share_payment *p = &h->payments[h->n_payments++];
    p->amount = sqlite3_column_int64(st, 1);
    return (p->evaluator = keep(j, st, 0)) ? 0 : oom(j);
}

static int read_shares(explain_job *j)
{
    static const char share_sql[] =
        "SELECT d.how, d.round, d.rho_num, d.rho_den, d.cost,"
        " d.supporters_left, e.voters, e.completion, e.utility, e.budget,"
        " e.increment FROM share_decision d JOIN application a"
        " USING (run_id, app) JOIN share_election e"
        " ON e.run_id = a.run_id AND e.sub = a.sub"
        " WHERE d.run_id = ?1 AND d.app = ?2";
    static const char payment_sql[] =
        "SELECT evaluator, amount FROM share_payment"
        " WHERE run_id = ?1 AND app = ?2 ORDER BY evaluator";
    sqlite3_stmt *st;
    int rc = prepare_for(j, share_sql, j->app, &st);
    if (rc == 0)
        rc = each_row(j, st, share_row);
    if (rc == 0 && j->e->share)
        rc = prepare_for(j, payment_sql, j->app, &st);
    if (rc == 0 && j->e->share)
        rc = each_row(j, st, payment_row);
    return rc;
}

int store_explain(store *s, int64_t run, const char *app_id,
                  store_explanation *out, diag *d)
{
    memset(out, 0, sizeof *out);
    int rc = store_get_run(s, run, &out->run, d);
    if (rc != 0)
        return rc;
    if (strcmp(out->run.status, "ok") != 0) {
        rc = diag_add(d, DIAG_DATA, "run %lld failed; it decided nothing: %s",
                      (long long)run, out->run.error);
        store_explanation_free(out);
        return rc;
    }
    if (!(out->bag = calloc(1, sizeof *out->bag))) {
        store_explanation_free(out);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    explain_job j = {s, out, out->bag, run, 0, 0, d};
    rc = read_application(&j, app_id);
    if (rc == 0)
        rc = read_details(&j);
    if (rc == 0)
        rc = read_shares(&j);
    if (rc != 0)
        store_explanation_free(out);
    return rc;
}

void store_explanation_free(store_explanation *e)
{
    store_run_free(&e->run);
    if (e->bag) {
        store_bag_free(e->bag);
        free(e->bag);
    }
    free(e->checks);
    free(e->points);
    free(e->left);
    free(e->instalments);
    if (e->share)
        free(e->share->payments);
    free(e->share);
    memset(e, 0, sizeof *e);
}
