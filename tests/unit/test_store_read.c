/* Unit tests of the store module, reading side: listing runs, explain,
 * diff, the comparison behind replay and its check of the files. */
#include "test_store_fixture.h"

/* Records the fixture twice: run 1 as built (A2 asks 50 000 $ and does
 * not fit), run 2 with A2 asking 20 000 $ (it fits, A3 then does not). */
static int record_two(store_fx *f, store **s)
{
    sfx_files(f);
    *s = NULL;
    if (sfx_build(f, 5000000) != 0 || !(*s = sfx_open(f)) ||
        sfx_record(f, *s) != 1)
        return -1;
    fx_free(&f->p);
    if (sfx_build(f, 2000000) != 0)
        return -1;
    return sfx_record(f, *s) == 2 ? 0 : -1;
}

/* Each test's setup: the two runs recorded, the store open, a diag. */
typedef struct reader {
    store_fx f;
    store *s;
    diag d;
} reader;

static int reader_open(reader *r)
{
    diag_init(&r->d);
    return record_two(&r->f, &r->s);
}

static void reader_close(reader *r)
{
    store_close(r->s);
    diag_free(&r->d);
    sfx_cleanup(&r->f);
}

typedef struct listed {
    int n;
    int64_t first_id, granted;
} listed;

static int on_run(void *ctx, const store_run *r)
{
    listed *l = ctx;
    if (l->n++ == 0) {
        l->first_id = r->id;
        l->granted = r->granted;
    }
    return 0;
}

TEST(lists_runs_newest_first)
{
    reader r;
    CHECK_INT(reader_open(&r), 0);
    store *s = r.s;
    diag *d = &r.d;
    listed l = {0, 0, 0};
    CHECK_INT(s ? store_list_runs(s, on_run, &l, d) : -1, 0);
    CHECK_INT(l.n, 2);
    CHECK_INT(l.first_id, 2);
    CHECK_INT(l.granted, 8000000); /* A1 60 000 $ + A2 20 000 $ */
    store_run run;
    CHECK_INT(s ? store_get_run(s, 1, &run, d) : -1, 0);
    CHECK_STR(run.status, "ok");
    CHECK_STR(run.started_at, "2023-11-14T22:13:20.123Z");
    CHECK_STR(run.program, "test");
    CHECK_INT(run.n_status[DECISION_WAITLISTED], 1);
    CHECK_INT(run.first_year, 2024);
    store_run_free(&run);
    CHECK_INT(s ? store_get_run(s, 7, &run, d) : -1, DIAG_DATA);
    CHECK_CONTAINS(diag_text(d), "no run 7");
    int64_t id = 0;
    CHECK_INT(s ? store_latest_run_of(s, "A3", &id, d) : -1, 0);
    CHECK_INT(id, 2);
    CHECK_INT(s ? store_latest_run_of(s, "ZZ", &id, d) : -1, DIAG_DATA);
    reader_close(&r);
}

TEST(explains_a_waitlisted_application)
{
    reader r;
    CHECK_INT(reader_open(&r), 0);
    store *s = r.s;
    diag *d = &r.d;
    store_explanation e;
    CHECK_INT(s ? store_explain(s, 1, "A2", &e, d) : -1, 0);
    CHECK_STR(e.status, "waitlisted");
    CHECK_INT(e.rank, 2);
    CHECK_INT(e.n_ranked, 3);
    CHECK_INT(e.score, 7000);
    CHECK_INT(e.short_year, 2024);
    CHECK_STR(e.subregion, "Ouest");
    CHECK_INT(e.n_checks, 1);
    CHECK(e.n_checks == 1 && e.checks[0].reason == NULL);
    CHECK_INT(e.n_points, 2);
    if (e.n_points == 2) {
        CHECK_STR(e.points[0].id, "impact");
        CHECK_INT(e.points[0].points, 4200);
        CHECK_INT(e.points[1].max, 4000);
    }
    CHECK(e.left != NULL);
    if (e.left) {
        CHECK_INT(e.left[0], 2000000);
        CHECK_INT(e.left[1], 2000000);
    }
    CHECK_INT(e.n_instalments, 0);
    CHECK_CONTAINS(e.reasons, "2024-2025");
    store_explanation_free(&e);
    reader_close(&r);
}

TEST(explains_a_funded_and_an_ineligible_application)
{
    reader r;
    CHECK_INT(reader_open(&r), 0);
    store *s = r.s;
    diag *d = &r.d;
    store_explanation e;
    CHECK_INT(s ? store_explain(s, 1, "A1", &e, d) : -1, 0);
    CHECK_STR(e.status, "funded");
    CHECK_INT(e.granted, 6000000);
    CHECK_INT(e.n_instalments, 2);
    if (e.n_instalments == 2) {
        CHECK_STR(e.instalments[0].label, "Signature");
        CHECK_STR(e.instalments[0].due, "2024-06-01");
        CHECK_INT(e.instalments[1].fiscal_year, 2025);
        CHECK_INT(e.instalments[0].amount + e.instalments[1].amount, 6000000);
        CHECK_STR(e.instalments[1].envelope, "Ouest");
    }
    store_explanation_free(&e);
    CHECK_INT(s ? store_explain(s, 1, "A4", &e, d) : -1, 0);
    CHECK_STR(e.status, "ineligible");
    CHECK(e.n_checks == 1 && e.checks[0].reason &&
          !strcmp(e.checks[0].reason, "hors du territoire"));
    CHECK(e.left == NULL);
    CHECK_INT(e.rank, 0);
    store_explanation_free(&e);
    CHECK_INT(s ? store_explain(s, 1, "nope", &e, d) : -1, DIAG_DATA);
    CHECK_INT(s ? store_explain(s, 9, "A1", &e, d) : -1, DIAG_DATA);
    reader_close(&r);
}

typedef struct diffs {
    int files, apps, money;
    int64_t moved;      /* sum of granted_b - granted_a over envelopes */
    char last_app[16];
} diffs;

static int on_file(void *ctx, const store_file_change *c)
{
    (void)c;
    ((diffs *)ctx)->files++;
    return 0;
}

static int on_app(void *ctx, const store_app_change *c)
{
    diffs *x = ctx;
    x->apps++;
    snprintf(x->last_app, sizeof x->last_app, "%s", c->id);
    return 0;
}

static int on_money(void *ctx, const store_money_change *c)
{
    diffs *x = ctx;
    x->money++;
    x->moved += c->granted_b - c->granted_a;
    return 0;
}

TEST(diff_names_what_changed)
{
    reader r;
    CHECK_INT(reader_open(&r), 0);
    store *s = r.s;
    diag *d = &r.d;
    diffs x = {0};
    store_diff_fns fns = {&x, on_file, on_app, on_money};
    CHECK_INT(s ? store_diff(s, 1, 2, &fns, d) : -1, 0);
    CHECK_INT(x.files, 0);
    /* A2 waitlisted -> funded, A3 funded -> waitlisted */
    CHECK_INT(x.apps, 2);
    CHECK_STR(x.last_app, "A3");
    CHECK_INT(x.money, 2);
    CHECK_INT(x.moved, 8000000 - 9000000);
    memset(&x, 0, sizeof x);
    CHECK_INT(s ? store_diff(s, 1, 1, &fns, d) : -1, 0);
    CHECK_INT(x.apps, 0);
    CHECK_INT(s ? store_diff(s, 1, 5, &fns, d) : -1, DIAG_DATA);
    reader_close(&r);
}

TEST(compare_counts_differences)
{
    reader r;
    CHECK_INT(reader_open(&r), 0);
    store *s = r.s;
    diag *d = &r.d;
    CHECK_INT(s ? sfx_record(&r.f, s) : 0, 3); /* run 3: the same as run 2 */
    store_comparison c;
    CHECK_INT(s ? store_compare(s, 2, 3, &c, d) : -1, 0);
    CHECK_INT(c.decisions, 4);
    CHECK_INT(c.instalments, 4);
    CHECK_INT(c.decisions_differ, 0);
    CHECK_INT(c.instalments_differ, 0);
    CHECK_INT(s ? store_compare(s, 1, 2, &c, d) : -1, 0);
    CHECK_INT(c.decisions_differ, 2);
    CHECK(c.instalments_differ > 0);
    reader_close(&r);
}

typedef struct changed {
    int n;
    char name[32];
    int now_null;
} changed;

static int on_changed(void *ctx, const store_file *f, const char *now)
{
    changed *c = ctx;
    c->n++;
    snprintf(c->name, sizeof c->name, "%s", f->name);
    c->now_null = now == NULL;
    return 0;
}

TEST(verify_files_finds_changes)
{
    reader r;
    CHECK_INT(reader_open(&r), 0);
    store *s = r.s;
    diag *d = &r.d;
    changed c = {0};
    CHECK_INT(s ? store_verify_files(s, 1, r.f.inputs, on_changed, &c, d) : -1, 0);
    CHECK_INT(c.n, 0);
    char path[160];
    snprintf(path, sizeof path, "%s/split.csv", r.f.inputs);
    sfx_write(path, "split.csv, edited");
    CHECK_INT(s ? store_verify_files(s, 1, r.f.inputs, on_changed, &c, d) : -1, 0);
    CHECK_INT(c.n, 1);
    CHECK_STR(c.name, "split.csv");
    /* an optional input the run did not have */
    sfx_write(path, "split.csv");
    snprintf(path, sizeof path, "%s/overrides.csv", r.f.inputs);
    sfx_write(path, "id,decision\n");
    memset(&c, 0, sizeof c);
    CHECK_INT(s ? store_verify_files(s, 1, r.f.inputs, on_changed, &c, d) : -1, 0);
    CHECK_INT(c.n, 1);
    CHECK_STR(c.name, "overrides.csv");
    /* a file gone */
    unlink(path);
    unlink(r.f.rules);
    memset(&c, 0, sizeof c);
    CHECK_INT(s ? store_verify_files(s, 1, r.f.inputs, on_changed, &c, d) : -1, 0);
    CHECK_INT(c.n, 1);
    CHECK_INT(c.now_null, 1);
    reader_close(&r);
}

int main(void)
{
    RUN(lists_runs_newest_first);
    RUN(explains_a_waitlisted_application);
    RUN(explains_a_funded_and_an_ineligible_application);
    RUN(diff_names_what_changed);
    RUN(compare_counts_differences);
    RUN(verify_files_finds_changes);
    return testlib_done("store_read");
}
