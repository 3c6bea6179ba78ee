/* store_adopt: adopting a run and releasing commitments (see
 * include/store.h). Each is one write transaction (BEGIN IMMEDIATE), so
 * its checks and its rows see the same store: two analysts adopting or
 * releasing at once are serialised, and the second one is judged on
 * what the first did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "store_internal.h"

/* ---- adoption ---------------------------------------------------------- */

/* The first adoption of program matching cond (?1 program, ?2 the
 * value), or 0: its run and resolution into *run and res. */
static int find_adoption(store *s, const char *cond, const char *program,
                         int64_t value, int64_t *run, char res[128], diag *d)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT run_id, resolution FROM adoption"
             " WHERE program = ?1 AND %s ORDER BY id LIMIT 1", cond);
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_str(st, 1, program, &err);
    store_bind_i64(st, 2, value, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    *run = 0;
    if (step == SQLITE_ROW) {
        *run = sqlite3_column_int64(st, 0);
        const unsigned char *t = sqlite3_column_text(st, 1);
        snprintf(res, 128, "%s", t ? (const char *)t : "");
    } else if (step != SQLITE_DONE) {
        rc = store_fail(s, d, step, "reading adoptions");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Why run r cannot be adopted, or 0. */
static int adoptable(store *s, const store_run *r, diag *d)
{
    long long id = (long long)r->id;
    if (strcmp(r->status, "ok") != 0)
        return diag_add(d, DIAG_DATA, "run %lld failed; only a successful "
                        "run can be adopted", id);
    if (r->adopted[0])
        return diag_add(d, DIAG_DATA, "run %lld is already adopted "
                        "(resolution %s); an adoption is final", id,
                        r->adopted);
    if (!r->program[0])
        return diag_add(d, DIAG_DATA, "run %lld has no program name: give it "
                        "one (program = \"...\" in the rule file, or --program)"
                        " and run the call again", id);
    if (!strcmp(r->call_source, "csv"))
        return diag_add(d, DIAG_DATA, "run %lld took its commitments from "
                        "commitments.csv, which the store cannot vouch for: "
                        "run the call with the store's commitments", id);
    int64_t other;
    char res[128];
    int rc = find_adoption(s, "run_id > ?2", r->program, r->id, &other, res, d);
    if (rc == 0 && other)
        return diag_add(d, DIAG_DATA, "run %lld cannot be adopted: run %lld, "
                        "a later run of %s, is already adopted (resolution "
                        "%s)", id, (long long)other, r->program, res);
    if (rc == 0)
        rc = find_adoption(s, "id > ?2", r->program, r->basis_adoption, &other,
                           res, d);
    if (rc == 0 && other)
        return diag_add(d, DIAG_DATA, "run %lld cannot be adopted: run %lld "
                        "was adopted (resolution %s) after run %lld was made, "
                        "so its commitments were not subtracted; run the call "
                        "again", id, (long long)other, res, id);
    return rc;
}

static int insert_adoption(store *s, const store_run *r, const char *res,
                           int64_t now_ms, int64_t *id, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "INSERT INTO adoption (run_id, program,"
                              " resolution, adopted_at) VALUES (?1, ?2, ?3,"
                              " ?4)", &st, d);
    if (rc != 0)
        return rc;
    char at[32];
    store_iso_time(now_ms, at);
    int err = SQLITE_OK;
    store_bind_i64(st, 1, r->id, &err);
    store_bind_str(st, 2, r->program, &err);
    store_bind_str(st, 3, res, &err);
    store_bind_str(st, 4, at, &err);
    rc = store_row_done(s, st, err, "recording the adoption", d);
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_adopt(store *s, int64_t run, const char *resolution,
                int64_t now_ms, store_adoption *out, diag *d)
{
    memset(out, 0, sizeof *out);
    if (!resolution || !resolution[0])
        return diag_add(d, DIAG_DATA, "an adoption needs the committee's "
                        "resolution");
    int rc = store_begin(s, d);
    if (rc != 0)
        return rc;
    store_run r;
    rc = store_get_run(s, run, &r, d);
    if (rc == 0)
        rc = adoptable(s, &r, d);
    if (rc == 0)
        rc = insert_adoption(s, &r, resolution, now_ms, &out->id, d);
    if (rc == 0) {
        out->granted = r.granted;
        out->applications = r.n_granted;
        snprintf(out->program, sizeof out->program, "%s", r.program);
        rc = store_commit(s, d);
    } else {
        store_rollback(s);
    }
    store_run_free(&r);
    return rc;
}

/* ---- release ------------------------------------------------------------ */

/* One adopted instalment of the application, latest due first. */
typedef struct held {
    int64_t run, app, number;
    char due[16];
    int64_t amount, released;
} held;

typedef struct held_list {
    held *v;
    size_t n, cap;
} held_list;

static const char held_sql[] =
    "SELECT i.run_id, i.app, i.number, i.due, i.amount,"
    " coalesce((SELECT sum(p.amount) FROM release_part p"
    "  WHERE p.run_id = i.run_id AND p.app = i.app"
    "  AND p.number = i.number), 0)"
    " FROM adoption ad JOIN application a ON a.run_id = ad.run_id"
    " AND a.id = ?2 JOIN instalment i ON i.run_id = a.run_id"
    " AND i.app = a.app WHERE ad.program = ?1"
    " ORDER BY i.due DESC, ad.id DESC, i.number DESC";

static int held_add(held_list *h, sqlite3_stmt *st)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 8;
        held *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    held *x = &h->v[h->n++];
    *x = (held){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                sqlite3_column_int64(st, 2), "", sqlite3_column_int64(st, 4),
                sqlite3_column_int64(st, 5)};
    const unsigned char *due = sqlite3_column_text(st, 3);
    snprintf(x->due, sizeof x->due, "%s", due ? (const char *)due : "");
    return 0;
}

static int read_held(store *s, const char *program, const char *app,
                     held_list *h, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, held_sql, &st, d), step = SQLITE_DONE;
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_str(st, 1, program, &err);
    store_bind_str(st, 2, app, &err);
    if (err != SQLITE_OK)
        rc = store_fail(s, d, err, "reading commitments");
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        if (held_add(h, st) != 0)
            rc = diag_add(d, DIAG_OSERR, "out of memory");
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_fail(s, d, step, "reading commitments");
    sqlite3_finalize(st);
    return rc;
}

/* The program holding the application: the one asked for, or the only
 * one that commits it. */
static int release_program(store *s, const store_release_req *q, char *out,
                           size_t cap, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT DISTINCT ad.program FROM adoption ad"
                              " JOIN application a ON a.run_id = ad.run_id"
                              " JOIN decision x USING (run_id, app)"
                              " WHERE a.id = ?1 AND x.granted > 0"
                              " AND (?2 IS NULL OR ad.program = ?2)"
                              " ORDER BY ad.program", &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK, step = SQLITE_DONE, n = 0;
    store_bind_str(st, 1, q->application, &err);
    store_bind_str(st, 2, q->program, &err);
    while (err == SQLITE_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        if (n++ == 0) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(out, cap, "%s", t ? (const char *)t : "");
        }
    if (err != SQLITE_OK || step != SQLITE_DONE)
        rc = store_fail(s, d, err != SQLITE_OK ? err : step, "reading adoptions");
    else if (n == 0)
        rc = diag_add(d, DIAG_DATA, "application %s has no commitment%s%s: "
                      "no adopted run granted it money", q->application,
                      q->program ? " in " : "", q->program ? q->program : "");
    else if (n > 1)
        rc = diag_add(d, DIAG_DATA, "application %s has commitments in "
                      "several programs: name one with --program",
                      q->application);
    sqlite3_finalize(st);
    return rc;
}

/* Sums what the application's instalments hold; *open is what is
 * committed and not yet paid nor released (due on or after as_of). */
static void held_sums(const held_list *h, const char *as_of,
                      store_release_done *out, int64_t *open)
{
    *open = 0;
    for (size_t i = 0; i < h->n; i++) {
        const held *x = &h->v[i];
        out->committed += x->amount;
        out->released_before += x->released;
        if (strcmp(x->due, as_of) < 0)
            out->paid += x->amount - x->released;
        else
            *open += x->amount - x->released;
    }
}

static int insert_release(store *s, const store_release_req *q,
                          const char *program, int64_t amount, int64_t *id,
                          diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "INSERT INTO release (program, application,"
                              " amount, reason, as_of, released_at) VALUES"
                              " (?1, ?2, ?3, ?4, ?5, ?6)", &st, d);
    if (rc != 0)
        return rc;
    char at[32];
    store_iso_time(q->now_ms, at);
    int err = SQLITE_OK;
    store_bind_str(st, 1, program, &err);
    store_bind_str(st, 2, q->application, &err);
    store_bind_i64(st, 3, amount, &err);
    store_bind_str(st, 4, q->reason, &err);
    store_bind_str(st, 5, q->as_of, &err);
    store_bind_str(st, 6, at, &err);
    rc = store_row_done(s, st, err, "recording the release", d);
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* Takes amount from the unpaid instalments, latest first. */
static int insert_parts(store *s, int64_t release, const held_list *h,
                        const char *as_of, int64_t amount,
                        store_release_done *out, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "INSERT INTO release_part (release_id, run_id,"
                              " app, number, amount) VALUES (?1, ?2, ?3, ?4,"
                              " ?5)", &st, d);
    for (size_t i = 0; rc == 0 && amount > 0 && i < h->n; i++) {
        const held *x = &h->v[i];
        int64_t part = x->amount - x->released;
        if (strcmp(x->due, as_of) < 0 || part <= 0)
            continue; /* paid, or already released */
        if (part > amount)
            part = amount;
        int err = SQLITE_OK;
        (void)sqlite3_reset(st); /* the last step's error was reported */
        store_bind_i64(st, 1, release, &err);
        store_bind_i64(st, 2, x->run, &err);
        store_bind_i64(st, 3, x->app, &err);
        store_bind_i64(st, 4, x->number, &err);
        store_bind_i64(st, 5, part, &err);
        rc = store_row_done(s, st, err, "recording the release", d);
        amount -= part;
        out->instalments++;
    }
    if (st)
        sqlite3_finalize(st);
    if (rc == 0 && amount != 0)
        rc = diag_add(d, DIAG_INTERNAL, "release: %lld cents left over",
                      (long long)amount);
    return rc;
}

/* Re-derived from the rows just written, whatever the code above did: no
 * instalment has more released than committed, and the release's parts
 * add up to it. */
static int verify_release(store *s, int64_t release, int64_t amount, diag *d)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT (SELECT count(*) FROM (SELECT 1 FROM"
                              " release_part p JOIN instalment i USING"
                              " (run_id, app, number) GROUP BY p.run_id,"
                              " p.app, p.number HAVING sum(p.amount) >"
                              " min(i.amount))), (SELECT coalesce(sum(amount),"
                              " 0) FROM release_part WHERE release_id = ?1)",
                           &st, d);
    if (rc != 0)
        return rc;
    int err = SQLITE_OK;
    store_bind_i64(st, 1, release, &err);
    int step = err == SQLITE_OK ? sqlite3_step(st) : err;
    if (step != SQLITE_ROW)
        rc = store_fail(s, d, step, "checking the release");
    else if (sqlite3_column_int64(st, 0) != 0 ||
             sqlite3_column_int64(st, 1) != amount)
        rc = diag_add(d, DIAG_INTERNAL, "release %lld: released money does "
                      "not match the instalments", (long long)release);
    sqlite3_finalize(st);
    return rc;
}

static int release_amount(const store_release_req *q, int64_t open,
                          const store_release_done *o, int64_t *amount,
                          diag *d)
{
    char a[MONEY_BUFSZ], b[MONEY_BUFSZ], c[MONEY_BUFSZ], e[MONEY_BUFSZ];
    char f[MONEY_BUFSZ];
    *amount = q->all ? open : q->amount;
    if (*amount > 0 && *amount <= open)
        return 0;
    if (!q->all && q->amount <= 0)
        return diag_add(d, DIAG_DATA, "the amount to release must be more "
                        "than 0, not %s", money_format_fr(q->amount, a));
    return diag_add(d, DIAG_DATA, "application %s: cannot release %s: %s is "
                    "committed and not yet paid (committed %s, paid before "
                    "%s %s, released earlier %s)", q->application,
                    money_format_fr(*amount, a), money_format_fr(open, b),
                    money_format_fr(o->committed, c), q->as_of,
                    money_format_fr(o->paid, e),
                    money_format_fr(o->released_before, f));
}

static int release_in_txn(store *s, const store_release_req *q,
                          store_release_done *out, diag *d)
{
    held_list h = {0};
    int64_t open, amount;
    int rc = release_program(s, q, out->program, sizeof out->program, d);
    if (rc == 0)
        rc = read_held(s, out->program, q->application, &h, d);
    if (rc == 0) {
        held_sums(&h, q->as_of, out, &open);
        rc = release_amount(q, open, out, &amount, d);
    }
    if (rc == 0)
        rc = insert_release(s, q, out->program, amount, &out->id, d);
    if (rc == 0)
        rc = insert_parts(s, out->id, &h, q->as_of, amount, out, d);
    if (rc == 0)
        rc = verify_release(s, out->id, amount, d);
    if (rc == 0)
        out->amount = amount;
    free(h.v);
    return rc;
}

int store_release(store *s, const store_release_req *q,
                  store_release_done *out, diag *d)
{
    memset(out, 0, sizeof *out);
    if (!q->reason || !q->reason[0])
        return diag_add(d, DIAG_DATA, "a release needs its reason");
    int rc = store_begin(s, d);
    if (rc != 0)
        return rc;
    rc = release_in_txn(s, q, out, d);
    if (rc == 0)
        rc = store_commit(s, d);
    else
        store_rollback(s);
    return rc;
}
