/* Successive calls for projects: allocation on what earlier calls left,
 * the invariants the verifier adds for commitments, and the run store's
 * adoptions and releases (store_adopt.c, store_calls.c). */
#include "test_store_fixture.h"

#include "commitments.h"

#define K(dollars) ((int64_t)(dollars) * 100) /* dollars to cents */

/* One year, one sub-region of 100 000 $: A asks 60k (90 pts), B 50k
 * (80 pts), C 30k (70 pts). */
static void three_projects(fx_program *p)
{
    fx_init(p, 2024, 1, K(100000));
    size_t s = fx_sub(p, "Ouest", K(100000), 0);
    fx_app(p, "A", s, K(60000), 90, "2024-06-01", 12);
    fx_app(p, "B", s, K(50000), 80, "2024-06-01", 12);
    fx_app(p, "C", s, K(30000), 70, "2024-06-01", 12);
}

/* fx_run with what earlier calls committed. */
static int run_committed(fx_program *p, const int64_t *cell,
                         const int64_t *app, diag *d)
{
    alloc_commitments c = {cell, app};
    return fx_run_committed(p, &c, NULL, d);
}

TEST(a_later_call_allocates_what_commitments_leave)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p);
    int64_t cell[1] = {K(50000)};
    CHECK_INT(run_committed(&p, cell, NULL, &d), 0);
    /* 50k left: A (60k) no longer fits, B takes it all, C waits */
    CHECK_INT(fx_status(&p, 0), DECISION_WAITLISTED);
    CHECK_INT(fx_status(&p, 1), DECISION_FUNDED);
    CHECK_INT(fx_status(&p, 2), DECISION_WAITLISTED);
    CHECK_INT(p.alloc.committed[0], K(50000));
    CHECK_INT(p.alloc.remaining[0], 0);
    CHECK_INT(alloc_committed(&p.alloc, 0) + p.alloc.granted[0] +
                  alloc_to_reserve(&p.alloc, &p.env, 0, 0),
              K(100000));
    fx_free(&p);
    /* the same call on a fresh envelope funds A and C */
    three_projects(&p);
    CHECK_INT(run_committed(&p, NULL, NULL, &d), 0);
    CHECK_INT(fx_status(&p, 0), DECISION_FUNDED);
    CHECK_INT(alloc_committed(&p.alloc, 0), 0);
    fx_free(&p);
    diag_free(&d);
}

TEST(commitments_above_an_envelope_are_refused)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p);
    int64_t cell[1] = {K(100000) + 1};
    CHECK_INT(run_committed(&p, cell, NULL, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "Ouest, fiscal year 2024-2025: 100 000,01 $ "
                                  "committed in earlier calls, more than its "
                                  "envelope of 100 000,00 $");
    fx_free(&p);
    diag_free(&d);
}

TEST(verify_catches_commitments_breaking_the_envelope)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p);
    int64_t cell[1] = {K(40000)};
    CHECK_INT(run_committed(&p, cell, NULL, &d), 0);
    CHECK_INT(p.alloc.granted[0], K(60000)); /* A */
    /* one more cent committed than the allocator was told */
    p.alloc.committed[0] += 1;
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d),
              DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "Ouest, fiscal year 2024-2025: 60000.00 paid "
                                  "against an envelope of 100000.00 with 0.00 "
                                  "carried in and 40000.01 committed");
    /* the identity holds but commitments and grants exceed the envelope */
    p.alloc.committed[0] = K(50000);
    p.alloc.remaining[0] = K(-10000);
    diag_clear(&d);
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d),
              DIAG_INTERNAL);
    fx_free(&p);
    diag_free(&d);
}

TEST(a_resubmission_is_capped_with_its_commitment)
{
    fx_program p;
    diag d;
    diag_init(&d);
    three_projects(&p);
    p.cfg.max_grant = K(70000);
    int64_t app[3] = {K(40000), 0, 0};
    CHECK_INT(run_committed(&p, NULL, app, &d), 0);
    /* A had 40k: max_grant leaves it 30k of the 60k it asks for more */
    CHECK_INT(fx_status(&p, 0), DECISION_PARTIAL);
    CHECK_INT(fx_granted(&p, 0), K(30000));
    p.alloc.app_committed[0] += 1;
    CHECK_INT(sched_verify(&p.in, &p.cfg, &p.env, &p.alloc, &p.sched, &d),
              DIAG_INTERNAL);
    CHECK_CONTAINS(diag_text(&d), "application A: grant 30000.00 (40000.01 "
                                  "committed before) above max_grant");
    fx_free(&p);
    diag_free(&d);
}

/* ---- the run store ------------------------------------------------------ */

/* The store fixture's program (A1 and A3 funded, 90 000 $) in a fresh
 * store; NULL (a failed check) when it cannot be opened. */
static store *fixture_store(store_fx *f)
{
    sfx_files(f);
    CHECK_INT(sfx_build(f, 5000000), 0);
    store *s = sfx_open(f);
    CHECK(s != NULL);
    return s;
}

static int adopt(store *s, int64_t run, diag *d)
{
    store_adoption a;
    diag_clear(d);
    return store_adopt(s, run, "CA-2025-01", 1700000000000, &a, d);
}

/* Records the fixture's run as a call that saw the store's commitments
 * as they are now. */
static int64_t record_call(store_fx *f, store *s)
{
    diag d;
    diag_init(&d);
    store_basis b = {0, 0};
    store_current_basis(s, &b, &d);
    store_call call = {"store", b.adoption, b.release, 0, 0, 0};
    output_data o = sfx_output(f);
    store_run_meta m = sfx_meta(f);
    m.call = &call;
    int64_t id = 0;
    if (store_begin_run(s, &m, &o, &f->p.order, &id, &d) != 0 ||
        store_commit(s, &d) != 0)
        id = 0;
    diag_free(&d);
    return id;
}

TEST(adoption_is_final_and_in_order)
{
    store_fx f;
    diag d;
    diag_init(&d);
    store *s = fixture_store(&f);
    if (!s)
        return;
    int64_t r1 = sfx_record(&f, s), r2 = sfx_record(&f, s);
    CHECK_INT(adopt(s, r1, &d), 0);
    CHECK_INT(adopt(s, r1, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "already adopted (resolution CA-2025-01)");
    /* run 2 was made before run 1's adoption: it did not subtract it */
    CHECK_INT(adopt(s, r2, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "was adopted (resolution CA-2025-01) after "
                                  "run 2 was made");
    int64_t r3 = record_call(&f, s), r4 = record_call(&f, s);
    CHECK_INT(adopt(s, r4, &d), 0);
    CHECK_INT(adopt(s, r3, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "a later run of test, is already adopted");
    int64_t failed = 0;
    store_run_meta m = sfx_meta(&f);
    CHECK_INT(store_record_failed(s, &m, DIAG_DATA, "x", &failed, &d), 0);
    CHECK_INT(adopt(s, failed, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "failed; only a successful run");
    CHECK_INT(adopt(s, 99, &d), DIAG_DATA);
    /* the database itself refuses to change an adopted run */
    store_close(s);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM adoption"), 2);
    sfx_int(f.db, "UPDATE decision SET granted = granted + 1 WHERE run_id = 1");
    sfx_int(f.db, "DELETE FROM adoption");
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM adoption"), 2);
    CHECK_INT(sfx_int(f.db, "SELECT sum(granted) FROM decision WHERE run_id = 1"),
              9000000);
    diag_free(&d);
    sfx_cleanup(&f);
}

typedef struct sums {
    int64_t committed, released;
} sums;

static int add_up(void *ctx, const store_commitment *c)
{
    sums *t = ctx;
    t->committed += c->committed;
    t->released += c->released;
    return 0;
}

static sums commitments_now(store *s)
{
    sums t = {0, 0};
    diag d;
    diag_init(&d);
    store_basis b;
    store_current_basis(s, &b, &d);
    store_commitments(s, "test", &b, add_up, &t, &d);
    diag_free(&d);
    return t;
}

TEST(release_takes_unpaid_money_latest_first)
{
    store_fx f;
    diag d;
    diag_init(&d);
    store *s = fixture_store(&f);
    if (!s)
        return;
    CHECK_INT(adopt(s, sfx_record(&f, s), &d), 0);
    /* A1: 30 000 $ due 2024-06-01 (paid by 2025-01-01), 30 000 $ due
     * 2025-05-31 (not yet) */
    store_release_req q = {"A1", NULL, "Projet réduit", "2025-01-01", 4000000,
                           0, 1700000000000};
    store_release_done r;
    CHECK_INT(store_release(s, &q, &r, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "cannot release 40 000,00 $: 30 000,00 $ is "
                                  "committed and not yet paid");
    q.amount = 2000000;
    diag_clear(&d);
    CHECK_INT(store_release(s, &q, &r, &d), 0);
    CHECK_INT(r.amount, 2000000);
    CHECK_INT(r.paid, 3000000);
    CHECK_INT(r.instalments, 1);
    CHECK_STR(r.program, "test");
    sums t = commitments_now(s);
    CHECK_INT(t.committed, 9000000);
    CHECK_INT(t.released, 2000000);
    q.all = 1;
    CHECK_INT(store_release(s, &q, &r, &d), 0);
    CHECK_INT(r.amount, 1000000);
    CHECK_INT(store_release(s, &q, &r, &d), DIAG_DATA);
    q = (store_release_req){"A1", NULL, "x", "2025-01-01", -5, 0, 0};
    CHECK_INT(store_release(s, &q, &r, &d), DIAG_DATA);
    q.application = "A2"; /* waitlisted: nothing committed */
    q.amount = 100;
    diag_clear(&d);
    CHECK_INT(store_release(s, &q, &r, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), "application A2 has no commitment");
    t = commitments_now(s);
    CHECK_INT(t.released, 3000000);
    CHECK_INT(sfx_int(f.db, "SELECT count(*) FROM release"), 2);
    store_close(s);
    diag_free(&d);
    sfx_cleanup(&f);
}

int main(void)
{
    RUN(a_later_call_allocates_what_commitments_leave);
    RUN(commitments_above_an_envelope_are_refused);
    RUN(verify_catches_commitments_breaking_the_envelope);
    RUN(a_resubmission_is_capped_with_its_commitment);
    RUN(adoption_is_final_and_in_order);
    RUN(release_takes_unpaid_money_latest_first);
    return testlib_done("commitments");
}
