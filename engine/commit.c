/* commit: what a call for projects starts from (see
 * include/commitments.h). */
#include "commitments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calendar.h"
#include "money.h"

/* ---- gathering the commitments ---------------------------------------- */

static int add_item(commit_set *c, const commit_item *it)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        commit_item *v = realloc(c->items, cap * sizeof *v);
        if (!v)
            return -1;
        c->items = v;
        c->cap = cap;
    }
    c->items[c->n++] = *it;
    return 0;
}

static int from_csv(commit_set *c, const inputs *in, diag *d)
{
    for (size_t i = 0; i < in->n_commitments; i++) {
        const commitment_row *r = &in->commitments[i];
        commit_item it = {r->application, r->subregion, r->fiscal_year,
                          r->amount, 0, r->resolution, 0, r->line};
        if (add_item(c, &it) != 0)
            return diag_add(d, DIAG_OSERR, "out of memory");
    }
    c->source = in->n_commitments ? COMMIT_CSV : COMMIT_NONE;
    return 0;
}

typedef struct gather {
    commit_set *c;
    inputs *in;
    diag *d;
} gather;

/* A store commitment, its strings copied into the inputs' arena. */
static int on_commitment(void *ctx, const store_commitment *sc)
{
    gather *g = ctx;
    commit_item it = {inputs_keep(g->in, sc->application),
                      inputs_keep(g->in, sc->envelope), sc->fiscal_year,
                      sc->committed, sc->released,
                      inputs_keep(g->in, sc->resolution), sc->run, 0};
    if (!it.application || !it.envelope || !it.resolution ||
        add_item(g->c, &it) != 0)
        return diag_add(g->d, DIAG_OSERR, "out of memory");
    return 0;
}

static int from_store(commit_set *c, const commit_options *o, store *s,
                      inputs *in, diag *d)
{
    int rc = o->basis ? (c->basis = *o->basis, 0)
                      : store_current_basis(s, &c->basis, d);
    size_t before = c->n;
    gather g = {c, in, d};
    if (rc == 0 && o->program && o->program[0])
        rc = store_commitments(s, o->program, &c->basis, on_commitment, &g, d);
    if (rc != 0)
        return rc;
    if (c->n > before && c->source == COMMIT_CSV)
        return diag_add(d, DIAG_DATA, "commitments.csv: the run store %s "
                        "holds commitments of %s too: use one or the other "
                        "(--no-db runs on commitments.csv alone)",
                        o->db_path, o->program);
    if (c->n > before)
        c->source = COMMIT_STORE;
    return 0;
}

/* The previous call's waitlist, when asked for. */
static int carry(commit_set *c, const commit_options *o, store *s,
                 inputs *in, diag *d)
{
    int64_t run = o->carry_from;
    int rc = 0;
    if (!run && (!o->program || !o->program[0]))
        return diag_add(d, DIAG_DATA, "--carry-waitlist: the program has no "
                        "name, so it has no earlier call");
    if (!run)
        rc = store_last_adopted(s, o->program, &c->basis, &run, d);
    if (rc == 0 && !run)
        return diag_add(d, DIAG_DATA, "--carry-waitlist: no run of %s is "
                        "adopted yet, so there is no waitlist to carry",
                        o->program);
    if (rc == 0)
        rc = commit_carry(c, s, run, in, d);
    if (rc == 0)
        c->carried_from = run;
    return rc;
}

static int file_exists(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0;
}

/* Everything the run store holds for this call. */
static int read_store(commit_set *c, const commit_options *o, inputs *in,
                      diag *d)
{
    int want_carry = o->carry_waitlist || o->carry_from;
    if (!file_exists(o->db_path)) {
        if (want_carry)
            return diag_add(d, DIAG_DATA, "--carry-waitlist: %s", o->db_path
                            ? "the run store does not exist yet"
                            : "needs the run store (not with --no-db)");
        return 0; /* a first run: nothing adopted yet */
    }
    store *s;
    int rc = store_open(&s, o->db_path, STORE_READ, 0, d);
    c->store_failed = rc != 0;
    if (rc == 0)
        rc = from_store(c, o, s, in, d);
    if (rc == 0 && want_carry)
        rc = carry(c, o, s, in, d);
    store_close(s);
    return rc;
}

/* ---- applications already committed ---------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted, distinct application ids of the commitments. */
static const char **committed_ids(const commit_set *c, size_t *n)
{
    const char **ids = malloc((c->n + 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        ids[i] = c->items[i].application;
    qsort(ids, c->n, sizeof *ids, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        if (k == 0 || strcmp(ids[k - 1], ids[i]) != 0)
            ids[k++] = ids[i];
    *n = k;
    return ids;
}

static int refuse_committed(const commit_set *c, const commit_options *o,
                            const application *app, diag *d)
{
    const char *where = c->source == COMMIT_CSV ? "commitments.csv"
                                                : "an adopted run";
    if (!o->resubmit)
        return diag_at(d, DIAG_DATA, "applications.csv", app->line, 0,
                       "id: \"%s\" is already committed in %s: remove it, "
                       "or run with --resubmit to ask for more money on "
                       "top of its commitment", app->id, where);
    return diag_at(d, DIAG_DATA, "applications.csv", app->line, 0,
                   "id: \"%s\" is already committed in %s, and the rule "
                   "file does not allow resubmissions (allocate = { "
                   "allow_resubmit = true })", app->id, where);
}

static int check_resubmissions(commit_set *c, const commit_options *o,
                               const inputs *in, diag *d)
{
    size_t n;
    const char **ids = committed_ids(c, &n);
    if (!ids)
        return diag_add(d, DIAG_OSERR, "out of memory");
    c->n_apps = n;
    int rc = 0;
    for (size_t a = 0; a < in->n_apps; a++) {
        const char *id = in->apps[a].id;
        if (!bsearch(&id, ids, n, sizeof *ids, cmp_str))
            continue;
        if (!o->resubmit || !o->allow_resubmit) {
            int r = refuse_committed(c, o, &in->apps[a], d);
            rc = rc ? rc : r;
        }
    }
    free(ids);
    return rc;
}

int commit_load(commit_set *c, const commit_options *o, inputs *in, diag *d)
{
    memset(c, 0, sizeof *c);
    c->resubmit = o->resubmit;
    int rc = from_csv(c, in, d);
    if (rc == 0)
        rc = read_store(c, o, in, d);
    if (rc == 0)
        rc = check_resubmissions(c, o, in, d);
    return rc;
}

/* ---- against this call's split grid ---------------------------------- */

static long grid_row(const split_grid *g, const char *name)
{
    for (size_t s = 0; s < g->n_sub; s++)
        if (!strcmp(g->name[s], name))
            return (long)s;
    return -1;
}

static int bad_item(const commit_item *it, const char *what, diag *d)
{
    char fy[CAL_FY_BUFSZ];
    cal_format_fiscal_year(it->fiscal_year, fy);
    if (it->line)
        return diag_at(d, DIAG_DATA, "commitments.csv", it->line, 0,
                       "application %s: %s (%s, %s)", it->application, what,
                       it->envelope, fy);
    return diag_add(d, DIAG_DATA, "run %lld (resolution %s), application "
                    "%s: %s (%s, %s)", (long long)it->run, it->resolution,
                    it->application, what, it->envelope, fy);
}

/* The cell of item it, or a DIAG_DATA error. */
static int item_cell(const commit_item *it, const split_grid *g, size_t *k,
                     diag *d)
{
    long s = grid_row(g, it->envelope);
    int y = it->fiscal_year - g->first_year;
    if (s < 0)
        return bad_item(it, "its envelope row is not in this call's split", d);
    if (y < 0 || (size_t)y >= g->n_years)
        return bad_item(it, "its fiscal year is not in this call's "
                        "envelopes.csv", d);
    if (it->committed < 0 || it->released < 0 || it->released > it->committed)
        return diag_add(d, DIAG_INTERNAL, "application %s: %lld cents "
                        "released of %lld committed", it->application,
                        (long long)it->released, (long long)it->committed);
    *k = (size_t)s * g->n_years + (size_t)y;
    return 0;
}

typedef struct app_key {
    const char *id;
    size_t app;
} app_key;

static int app_key_cmp(const void *a, const void *b)
{
    return strcmp(((const app_key *)a)->id, ((const app_key *)b)->id);
}

/* A resubmission's own commitment, per application of this call. */
static int per_app(commit_set *c, const inputs *in, diag *d)
{
    app_key *keys = malloc((in->n_apps + 1) * sizeof *keys);
    if (!keys)
        return diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t a = 0; a < in->n_apps; a++)
        keys[a] = (app_key){in->apps[a].id, a};
    qsort(keys, in->n_apps, sizeof *keys, app_key_cmp);
    for (size_t i = 0; i < c->n; i++) {
        app_key k = {c->items[i].application, 0};
        const app_key *hit = bsearch(&k, keys, in->n_apps, sizeof *keys,
                                     app_key_cmp);
        if (!hit)
            continue;
        c->n_resubmitted += c->app[hit->app] == 0;
        c->app[hit->app] += c->items[i].committed - c->items[i].released;
    }
    free(keys);
    return 0;
}

int commit_resolve(commit_set *c, const inputs *in, const split_grid *g,
                   diag *d)
{
    c->cell = calloc(g->n_sub * g->n_years + 1, sizeof *c->cell);
    c->app = calloc(in->n_apps + 1, sizeof *c->app);
    if (!c->cell || !c->app)
        return diag_add(d, DIAG_OSERR, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t k = 0;
        int r = item_cell(&c->items[i], g, &k, d);
        if (r != 0) {
            rc = rc ? rc : r;
            continue;
        }
        int64_t net = c->items[i].committed - c->items[i].released;
        c->cell[k] += net;
        c->total += net;
    }
    return rc == 0 ? per_app(c, in, d) : rc;
}

alloc_commitments commit_for_alloc(const commit_set *c)
{
    return (alloc_commitments){c->cell, c->app};
}

store_call commit_for_store(const commit_set *c)
{
    static const char *const source[] = {NULL, "store", "csv"};
    return (store_call){source[c->source], c->basis.adoption,
                        c->basis.release, c->total, c->resubmit,
                        c->carried_from};
}

void commit_free(commit_set *c)
{
    free(c->items);
    free(c->cell);
    free(c->app);
    memset(c, 0, sizeof *c);
}

int commit_print_head(FILE *f, const commit_set *c)
{
    if (c->source == COMMIT_NONE && !c->n_carried)
        return 0;
    char m[MONEY_BUFSZ];
    fprintf(f, "  committed in earlier calls: %s for %zu application%s (%s)\n",
            money_format_fr(c->total, m), c->n_apps, c->n_apps == 1 ? "" : "s",
            c->source == COMMIT_CSV ? "commitments.csv"
            : c->source == COMMIT_STORE ? "adopted runs of the run store"
                                        : "none yet");
    if (c->n_resubmitted)
        fprintf(f, "  resubmitted: %zu application%s asking for more money\n",
                c->n_resubmitted, c->n_resubmitted == 1 ? "" : "s");
    if (c->n_carried)
        fprintf(f, "  carried: %zu waitlisted application%s of run %lld\n",
                c->n_carried, c->n_carried == 1 ? "" : "s",
                (long long)c->carried_from);
    return 1;
}
