/* store_shares: what the Method of Equal Shares decided (alloc_shares),
 * into share_election, share_decision and share_payment, inside the
 * run's transaction (store_write_results calls it). Nothing for a run of
 * another method. */
#include <stdlib.h>

#include "store_internal.h"

typedef struct shares_writer {
    const output_data *o;
    const alloc_shares *sh;
    size_t *apps;              /* applications the rule saw */
    size_t *subs;              /* sub-regions with an election */
} shares_writer;

static const char election_sql[] =
    "INSERT OR ROLLBACK INTO share_election (run_id, sub, completion,"
    " utility, voters, budget, increment, runs)"
    " SELECT ?1, c1, c2, c3, c4, c5, c6, c7 FROM alliance_rows";
static const char decision_sql[] =
    "INSERT OR ROLLBACK INTO share_decision (run_id, app, how, round,"
    " rho_num, rho_den, cost, supporters_left)"
    " SELECT ?1, c1, c2, c3, c4, c5, c6, c7 FROM alliance_rows";
static const char payment_sql[] =
    "INSERT OR ROLLBACK INTO share_payment (run_id, app, evaluator, amount)"
    " SELECT ?1, c1, c2, c3 FROM alliance_rows";

static int put(sqlite3_context *out, int present, int64_t v)
{
    if (present)
        sqlite3_result_int64(out, v);
    else
        sqlite3_result_null(out);
    return SQLITE_OK;
}

static int put_name(sqlite3_context *out, const char *v)
{
    sqlite3_result_text(out, v, -1, SQLITE_STATIC);
    return SQLITE_OK;
}

static int election_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
    static const char *const completion[] = {"greedy", "none", "add1"};
    static const char *const utility[] = {"points", "cost"};
    const shares_writer *w = ctx;
    const alloc_share_election *e = &w->sh->election[w->subs[i]];
    switch (col) {
    case 1: return put(out, 1, (int64_t)w->subs[i]);
    case 2: return put_name(out, completion[w->o->cfg->completion]);
    case 3: return put_name(out, utility[w->o->cfg->utility]);
    case 4: return put(out, 1, (int64_t)e->voters);
    case 5: return put(out, 1, e->budget);
    case 6: return put(out, 1, e->increment);
    case 7: return put(out, 1, e->runs);
    default: return put(out, 0, 0);
    }
}

static int decision_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
    const shares_writer *w = ctx;
    size_t a = w->apps[i];
    const alloc_shares *sh = w->sh;
    switch (col) {
    case 1: return put(out, 1, (int64_t)a);
    case 2: return put_name(out, alloc_share_how_name(sh->how[a]));
    case 3: return put(out, sh->round[a] > 0, sh->round[a]);
    case 4: return put(out, sh->rho_den[a] > 0, sh->rho_num[a]);
    case 5: return put(out, sh->rho_den[a] > 0, sh->rho_den[a]);
    case 6: return put(out, 1, sh->cost[a]);
    case 7: return put(out, 1, sh->supporters_left[a]);
    default: return put(out, 0, 0);
    }
}

static int payment_column(void *ctx, size_t i, int col, sqlite3_context *out)
{
    const shares_writer *w = ctx;
    const alloc_share_payment *p = &w->sh->payments[i];
    switch (col) {
    case 1: return put(out, 1, (int64_t)p->app);
    case 2: return put_name(out, p->evaluator);
    case 3: return put(out, 1, p->cents);
    default: return put(out, 0, 0);
    }
}

int store_write_shares(store *s, int64_t run, const output_data *o, diag *d)
{
    const alloc_shares *sh = o->alloc->shares;
    if (!sh)
        return 0;
    size_t n_apps = 0, n_subs = 0;
    shares_writer w = {o, sh, malloc((o->in->n_apps + 1) * sizeof *w.apps),
                       malloc((o->in->n_split + 1) * sizeof *w.subs)};
    if (!w.apps || !w.subs) {
        free(w.apps);
        free(w.subs);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    for (size_t a = 0; a < o->in->n_apps; a++)
        if (sh->how[a] != ALLOC_SHARE_NONE)
            w.apps[n_apps++] = a;
    for (size_t k = 0; k < o->in->n_split; k++)
        if (sh->election[k].runs > 0)
            w.subs[n_subs++] = k;
    const struct {
        const char *sql, *what;
        store_bulk rows;
    } tables[] = {
        {election_sql, "recording the equal-shares elections",
         {n_subs, election_column, &w}},
        {decision_sql, "recording the equal-shares decisions",
         {n_apps, decision_column, &w}},
        {payment_sql, "recording the equal-shares payments",
         {sh->n_payments, payment_column, &w}},
    };
    int rc = 0;
    for (size_t t = 0; t < sizeof tables / sizeof *tables && rc == 0; t++)
        rc = store_bulk_insert(s, tables[t].sql, run, &tables[t].rows,
                               tables[t].what, d);
    free(w.apps);
    free(w.subs);
    return rc;
}
