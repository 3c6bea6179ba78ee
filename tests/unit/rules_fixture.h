/* rules_fixture: hand-built inputs and helpers shared by the unit tests
 * of the rules module (test_rules.c, test_rules_api.c).  Run from the
 * repo root: fixtures are read from tests/data/rules/, modules for
 * require from tests/data/rules/lib/.  The inputs are built by hand (arena
 * NULL, never inputs_free'd). */
#ifndef ALLIANCE_RULES_FIXTURE_H
#define ALLIANCE_RULES_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "diag.h"
#include "inputs.h"
#include "rules.h"
#include "testlib.h"

#define DATA "tests/data/rules/"
#define LIB DATA "lib"

/* Small limits keep the hostile fixtures quick, under valgrind too. */
static const rules_limits small = { (size_t)32 << 20, UINT64_C(2000000) };

/* ---- hand-built inputs -------------------------------------------------- */

#define N_APPS 3
#define N_EXTRA 7
#define N_SPLIT 3

static const char *extra_names[N_EXTRA] = {
    "Participants", "Cofinancement", "Partenaire", "Type", "Ratio",
    "Signé le", "Note"
};
static const char *extra_keys[N_EXTRA] = {
    "participants", "cofinancement", "partenaire", "type", "ratio",
    "signe_le", "note"
};
static const long extra_columns[N_EXTRA] = { 10, 11, 12, 13, 14, 15, 16 };
static const char *split_names[2] = { "Population", "Poids" };
static const char *split_keys[2] = { "population", "poids" };

typedef struct fixture {
    application apps[N_APPS];
    const char *cells[N_APPS][N_EXTRA];
    envelope_year years[2];
    subregion split[N_SPLIT];
    const char *split_cells[N_SPLIT][2];
    inputs in;
} fixture;

static inline void set_app(application *a, const char *id, const char *org,
                    size_t sub, const char *title, int64_t requested,
                    int64_t total, long line)
{
    static const char *subs[] = { "Haut-Richelieu", "Longueuil" };
    memset(a, 0, sizeof *a);
    a->id = id;
    a->organisation = org;
    a->subregion = sub;
    a->subregion_name = subs[sub];
    a->title = title;
    a->org_type = title[0] ? "OBNL" : "";
    a->requested = requested;
    a->total_cost = total;
    a->line = line;
}

static inline void set_sub(subregion *s, const char *name, const char **cells,
                    long line)
{
    memset(s, 0, sizeof *s);
    s->name = name;
    s->line = line;
    s->extra = cells;
}

/* Three applications, two fiscal years, three subregions (the last one
 * the regional reserve); the cells are changed by some tests. */
static inline void fixture_init(fixture *f)
{
    static const char *cells[N_APPS][N_EXTRA] = {
        { "25", "12 345,67 $", "oui", "OBNL", "0,5", "2024-05-01", "bien" },
        { "8", "0", "non", "coop", "1 234,5", "", "" },
        { "40", "", "", "OBNL", "", "", "note trois" },
    };
    memset(f, 0, sizeof *f);
    memcpy(f->cells, cells, sizeof cells);
    set_app(&f->apps[0], "A1", "Org Un", 0, "Projet un", 4000000, 6000000, 2);
    f->apps[0].has_start = 1;
    f->apps[0].start = cal_from_ymd(2024, 4, 1);
    f->apps[0].months = 24;
    set_app(&f->apps[1], "A2", "Org Deux", 1, "", 9000000, 10000000, 3);
    set_app(&f->apps[2], "A3", "Org Trois", 0, "Projet trois", 1000000,
            5000000, 4);
    for (size_t i = 0; i < N_APPS; i++)
        f->apps[i].extra = f->cells[i];
    f->years[0] = (envelope_year){ 2024, 100000000, 2 };
    f->years[1] = (envelope_year){ 2025, 150000050, 3 };
    static const char *scells[N_SPLIT][2] = {
        { "120 000", "1" }, { "250000", "1" }, { "", "1" }
    };
    memcpy(f->split_cells, scells, sizeof scells);
    set_sub(&f->split[0], "Haut-Richelieu", f->split_cells[0], 2);
    set_sub(&f->split[1], "Longueuil", f->split_cells[1], 3);
    f->split[1].has_amount = 1;
    f->split[1].amount = 50000000;
    set_sub(&f->split[2], "Réserve régionale", f->split_cells[2], 4);
    f->split[2].is_reserve = 1;
    f->split[2].has_share = 1;
    f->split[2].share = 50000000;

    inputs *in = &f->in;
    in->apps = f->apps;
    in->n_apps = N_APPS;
    in->extra_names = extra_names;
    in->extra_keys = extra_keys;
    in->extra_columns = extra_columns;
    in->n_extra = N_EXTRA;
    in->years = f->years;
    in->n_years = 2;
    in->split = f->split;
    in->n_split = N_SPLIT;
    in->split_extra_names = split_names;
    in->split_extra_keys = split_keys;
    in->n_split_extra = 2;
}

/* ---- helpers ------------------------------------------------------------ */

static inline int open_lim(rules **r, const char *name, const rules_limits *lim,
                    diag *d)
{
    char path[256];
    snprintf(path, sizeof path, DATA "%s", name);
    return rules_open(r, path, LIB, lim, d);
}

static inline int open_rules(rules **r, const char *name, diag *d)
{
    return open_lim(r, name, &small, d);
}

/* Opens name and evaluates the fixture; returns rules_evaluate's status
 * (or rules_open's), with the diag's text in d. */
static inline int evaluate(const char *name, fixture *f, rules_results *res,
                    diag *d)
{
    rules *r;
    int st = open_rules(&r, name, d);
    if (st != 0)
        return st;
    st = rules_evaluate(r, &f->in, res, d);
    rules_close(r);
    return st;
}

/* Expects opening name to fail with status and exactly message. */
static inline void expect_open_error(const char *name, int status,
                              const char *message)
{
    diag d;
    diag_init(&d);
    rules *r = (rules *)&d; /* must be reset to NULL */
    CHECK_INT(open_rules(&r, name, &d), status);
    CHECK(r == NULL);
    CHECK_STR(diag_text(&d), message);
    diag_free(&d);
}

/* Expects evaluating name on the fixture to fail with exactly message,
 * leaving the results empty. */
static inline void expect_eval_error(const char *name, const char *message)
{
    fixture f;
    fixture_init(&f);
    rules_results res;
    diag d;
    diag_init(&d);
    CHECK_INT(evaluate(name, &f, &res, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), message);
    CHECK(res.eligible == NULL && res.failures == NULL && res.pool == NULL);
    rules_results_free(&res);
    diag_free(&d);
}

static inline double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

#endif
