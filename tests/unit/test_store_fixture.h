/* test_store_fixture: a small hand-built program (fixture.h) with criteria
 * and a failed check, its files in a temporary folder, and raw SQLite
 * access to check what the store wrote, for test_store*.c. */
#ifndef ALLIANCE_TEST_STORE_FIXTURE_H
#define ALLIANCE_TEST_STORE_FIXTURE_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "output.h"
#include "store.h"
#include "testlib.h"

#define SFX_INPUTS 3

typedef struct store_fx {
    fx_program p;
    char dir[64];              /* the temporary folder */
    char inputs[96], rules[96], db[96];
    rules_criterion crit[2];
    rules_check checks[1];
    rules_failure fail[1];
    int32_t points[FX_MAX * 2];
} store_fx;

static const char *const sfx_input_names[SFX_INPUTS] = {
    "applications.csv", "envelopes.csv", "split.csv"};

static inline void sfx_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* dir/inputs/{applications,envelopes,split}.csv and dir/rules.lua (their
 * content only matters to the hashes), and dir/store.db as the store. */
static inline void sfx_files(store_fx *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/alliance-store-XXXXXX");
    if (!mkdtemp(f->dir))
        abort();
    snprintf(f->inputs, sizeof f->inputs, "%s/inputs", f->dir);
    snprintf(f->rules, sizeof f->rules, "%s/rules.lua", f->dir);
    snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
    mkdir(f->inputs, 0777);
    for (int i = 0; i < SFX_INPUTS; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s", f->inputs, sfx_input_names[i]);
        sfx_write(path, sfx_input_names[i]);
    }
    sfx_write(f->rules, "return {}\n");
}

/* Ouest: 100 000 $ over 2024-2025 and 2025-2026 (50 000 $ a year), the
 * reserve the rest; instalments 50 % at the start and 50 % at the end.
 * A1 (score 80) asks 60 000 $, A2 (70) asks a2 cents, A3 (60) 30 000 $,
 * A4 fails the territory check. With a2 = 50 000 $, A2 does not fit. */
static inline int sfx_build(store_fx *f, int64_t a2)
{
    fx_program *p = &f->p;
    diag d;
    diag_init(&d);
    fx_init(p, 2024, 2, 6000000);
    fx_sub(p, "Ouest", 10000000, 0);
    fx_sub(p, "Réserve régionale", -1, 1);
    static const int percent[] = {50, 50}, at[] = {0, 1000};
    fx_schedule(p, 2, percent, at);
    fx_app(p, "A1", 0, 6000000, 80, "2024-06-01", 12);
    fx_app(p, "A2", 0, a2, 70, "2024-06-01", 12);
    fx_app(p, "A3", 0, 3000000, 60, "2024-06-01", 12);
    fx_app(p, "A4", 0, 1000000, 90, "2024-06-01", 12);
    p->eligible[3] = 0;
    f->crit[0] = (rules_criterion){"impact", "Impact", 6000};
    f->crit[1] = (rules_criterion){"budget", "Budget", 4000};
    f->checks[0] = (rules_check){"territoire", "Dans le territoire"};
    p->cfg.criteria = f->crit;
    p->cfg.n_criteria = 2;
    p->cfg.checks = f->checks;
    p->cfg.n_checks = 1;
    p->cfg.threshold = 5000;
    for (size_t a = 0; a < p->in.n_apps; a++) {
        f->points[2 * a] = (int32_t)(p->score[a] * 6 / 10);
        f->points[2 * a + 1] = (int32_t)(p->score[a] - p->score[a] * 6 / 10);
    }
    p->res.points = f->points;
    p->res.n_criteria = 2;
    int rc = fx_run(p, &d);
    /* after fx_run, which clears them: A4's failed check */
    f->fail[0] = (rules_failure){3, 0, "hors du territoire"};
    p->res.failures = f->fail;
    p->res.n_failures = 1;
    p->first_failure[4] = 1;
    if (rc != 0)
        printf("  fixture: %s", diag_text(&d));
    diag_free(&d);
    return rc;
}

static inline output_data sfx_output(store_fx *f)
{
    fx_program *p = &f->p;
    return (output_data){&p->in, &p->cfg, &p->res, &p->plan, &p->env,
                         &p->alloc, &p->sched, NULL};
}

static inline store_run_meta sfx_meta(store_fx *f)
{
    return (store_run_meta){1700000000123, 1700000001456, f->inputs, f->rules,
                            NULL, f->dir, 0, NULL, NULL};
}

/* Records the fixture's run; its id, or 0 after printing why not. */
static inline int64_t sfx_record(store_fx *f, store *s)
{
    output_data o = sfx_output(f);
    store_run_meta m = sfx_meta(f);
    diag d;
    diag_init(&d);
    int64_t id = 0;
    if (store_begin_run(s, &m, &o, &f->p.order, &id, &d) != 0 ||
        store_commit(s, &d) != 0) {
        printf("  record: %s", diag_text(&d));
        id = 0;
    }
    diag_free(&d);
    return id;
}

static inline store *sfx_open(store_fx *f)
{
    diag d;
    diag_init(&d);
    store *s = NULL;
    if (store_open(&s, f->db, STORE_WRITE, 0, &d) != 0)
        printf("  open: %s", diag_text(&d));
    diag_free(&d);
    return s;
}

/* The single integer a query answers (-1 when it fails), through a raw
 * connection: the tests check the store with SQL of their own. */
static inline long long sfx_int(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return v;
}

static inline void sfx_cleanup(store_fx *f)
{
    char path[160];
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", f->db, suffixes[i]);
        unlink(path);
    }
    for (int i = 0; i < SFX_INPUTS; i++) {
        snprintf(path, sizeof path, "%s/%s", f->inputs, sfx_input_names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/overrides.csv", f->inputs);
    unlink(path);
    unlink(f->rules);
    rmdir(f->inputs);
    rmdir(f->dir);
    fx_free(&f->p);
}

#endif
