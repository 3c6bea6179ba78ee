/* Private to allocate.c and allocate_setup.c. */
#ifndef ALLIANCE_ALLOC_INTERNAL_H
#define ALLIANCE_ALLOC_INTERNAL_H

#include "allocate.h"

typedef struct alloc_ctx {
    const inputs *in;
    const rules_config *cfg;
    const rules_results *res;
    const plan_set *plan;
    const rank_order *order;
    const split_grid *env;
    alloc_result *out;
    size_t n_years;
    int carry;             /* leftover = "carry" */
    int64_t *amounts;      /* scratch: one per instalment */
    int64_t *need;         /* scratch: one per fiscal year */
    int32_t short_year;    /* set by alloc_fits when it says no */
    size_t *org;           /* n_apps: dense organisation number, or NULL
                              when there is no per-organisation cap */
    int64_t *org_granted;  /* per organisation number */
    const int64_t *committed; /* out->committed: per cell, earlier calls */
} alloc_ctx;

/* cm may be NULL: nothing committed. */
int alloc_ctx_open(alloc_ctx *c, const inputs *in, const rules_config *cfg,
                   const rules_results *res, const plan_set *plan,
                   const rank_order *order, const split_grid *env,
                   const alloc_commitments *cm, alloc_result *out);

/* What cell k holds for this call before any grant: its envelope less
 * what earlier calls committed. */
static inline int64_t alloc_open_cell(const alloc_ctx *c, size_t k)
{
    return c->env->cell[k] - c->committed[k];
}

/* DIAG_DATA when earlier calls committed more than a cell (or, carrying,
 * than the years up to it) holds (allocate_setup.c). */
int alloc_check_committed(const alloc_ctx *c, diag *d);
void alloc_ctx_close(alloc_ctx *c);

/* Numbers organisations by name into c->org, with c->org_granted zeroed
 * (allocate_setup.c). Returns -1 when out of memory. */
int alloc_number_orgs(alloc_ctx *c);

/* What a grant draws from each fiscal year, into c->need (allocate.c). */
int alloc_need(alloc_ctx *c, size_t app, int64_t grant);
int alloc_fits(alloc_ctx *c, size_t row, size_t app, int64_t grant);
int alloc_fits_got(alloc_ctx *c, size_t row, const int64_t *got, size_t app,
                   int64_t grant);
int alloc_fits_need(alloc_ctx *c, size_t row, const int64_t *got,
                    const int64_t *need);
/* The request lowered to the caps, org_used granted to its organisation
 * already (allocate.c). */
int64_t alloc_target(const alloc_ctx *c, size_t app, int64_t org_used);
void alloc_take(alloc_ctx *c, size_t row);
/* alloc_take, and the grant counted against its organisation's cap. */
void alloc_charge(alloc_ctx *c, size_t row, size_t app, int64_t g);

/* What the application's organisation was granted so far (0 without
 * max_per_organisation). */
static inline int64_t alloc_org_used(const alloc_ctx *c, size_t app)
{
    return c->org ? c->org_granted[c->org[app]] : 0;
}

/* The greedy method's decision for one candidate (allocate.c). */
int alloc_choose(alloc_ctx *c, size_t sub, const int64_t *got,
                 int64_t org_used, size_t app, alloc_choice *ch);
/* The same, given what the whole request draws per fiscal year (drawn,
 * alloc_need's for the request, or NULL): a target that is the request
 * is tested on it instead of drawing it again. */
int alloc_choose_drawn(alloc_ctx *c, size_t sub, const int64_t *got,
                       int64_t org_used, size_t app, const int64_t *drawn,
                       alloc_choice *ch);

/* Applies overrides.csv before the greedy pass. */
int alloc_overrides(alloc_ctx *c, diag *d);

/* Grants every sub-region as p proposes, after checking each grant
 * (allocate_proposed.c). */
int alloc_proposed(alloc_ctx *c, const alloc_proposer *p, diag *d);

/* The greedy method over every sub-region's candidates not decided yet
 * (allocate.c). */
int alloc_greedy(alloc_ctx *c, diag *d);

/* The Method of Equal Shares, then its completion (allocate_shares.c). */
int alloc_equal_shares(alloc_ctx *c, diag *d);
void alloc_shares_free(alloc_shares *s);

/* Caps and bookkeeping shared by both deciders (allocate.c). */
void alloc_grant(alloc_ctx *c, size_t row, size_t app, int64_t g,
                 decision *dec);

#endif
