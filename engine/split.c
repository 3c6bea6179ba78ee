/* split: see include/split.h. */
#include "split.h"

#include <stdlib.h>
#include <string.h>

#include "apportion.h"
#include "money.h"

static long split_reserve_row(const inputs *in)
{
    for (size_t i = 0; i < in->n_split; i++)
        if (in->split[i].is_reserve)
            return (long)i;
    return -1;
}

static int split_any(const inputs *in, int amounts)
{
    for (size_t i = 0; i < in->n_split; i++)
        if (amounts ? in->split[i].has_amount : in->split[i].has_share)
            return 1;
    return 0;
}

/* Fixed amounts: the reserve (explicit or implicit) takes the rest. */
static int split_from_amounts(const inputs *in, int64_t envelope,
                              int64_t *total, int *implicit, diag *d)
{
    int64_t sum = 0;
    for (size_t i = 0; i < in->n_split; i++) {
        total[i] = in->split[i].has_amount ? in->split[i].amount : 0;
        sum += total[i];
    }
    if (sum > envelope) {
        char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
        return diag_at(d, DIAG_DATA, "split.csv", 0, 0,
                       "amounts sum to %s, above the envelope of %s",
                       money_format(sum, a), money_format(envelope, b));
    }
    long r = split_reserve_row(in);
    if (r >= 0)
        total[r] += envelope - sum;
    else if (envelope > sum) {
        total[in->n_split] = envelope - sum;
        *implicit = 1;
    }
    return 0;
}

static int split_totals(const inputs *in, const int64_t *weights,
                        int64_t envelope, int64_t *total, int *implicit,
                        diag *d)
{
    *implicit = 0;
    if (weights || !split_any(in, 1)) {
        const int64_t *w = weights;
        int64_t *shares = NULL;
        if (!w) {
            if (!split_any(in, 0))
                return diag_at(d, DIAG_DATA, "split.csv", 0, 0,
                               "no amount or share column, and the rule "
                               "file defines no split()");
            if (!(shares = malloc(in->n_split * sizeof *shares)))
                return diag_add(d, DIAG_OSERR, "out of memory");
            for (size_t i = 0; i < in->n_split; i++)
                shares[i] = in->split[i].has_share ? in->split[i].share : 0;
            w = shares;
        }
        int rc = apportion(envelope, w, in->n_split, total);
        free(shares);
        if (rc != 0)
            return diag_at(d, DIAG_DATA, "split.csv", 0, 0,
                           "shares or weights are all zero");
        return 0;
    }
    return split_from_amounts(in, envelope, total, implicit, d);
}

static int split_alloc(split_grid *g, size_t n_sub, size_t n_years)
{
    g->n_sub = n_sub;
    g->n_years = n_years;
    g->name = calloc(n_sub, sizeof *g->name);
    g->is_reserve = calloc(n_sub, 1);
    g->total = calloc(n_sub, sizeof *g->total);
    g->cell = calloc(n_sub * n_years, sizeof *g->cell);
    return g->name && g->is_reserve && g->total && g->cell ? 0 : -1;
}

/* Products of cents by cents need 128 bits. */
__extension__ typedef __int128 split_wide;

/* The largest-remainder method is not monotone (the Alabama paradox): a
 * larger cumulative envelope can give a part one cent less than the year
 * before had, a negative cell. Such a part keeps what it had; the cents
 * come back from the parts that gained this year, those most above their
 * exact quota first (ties: the later row). Columns still sum to the
 * year's envelope, and the last year still ends on every row's total. */
static void split_monotone(const split_grid *g, int64_t cumulative,
                           const int64_t *prev, int64_t *cur)
{
    split_wide envelope = 0;
    int64_t owed = 0;
    for (size_t s = 0; s < g->n_sub; s++) {
        envelope += g->total[s];
        if (cur[s] < prev[s]) {
            owed += prev[s] - cur[s];
            cur[s] = prev[s];
        }
    }
    while (owed > 0) {
        size_t best = g->n_sub;
        split_wide best_over = 0;
        for (size_t s = 0; s < g->n_sub; s++) {
            if (cur[s] <= prev[s])
                continue;
            split_wide over = (split_wide)cur[s] * envelope
                              - (split_wide)cumulative * g->total[s];
            if (best == g->n_sub || over >= best_over) {
                best = s;
                best_over = over;
            }
        }
        if (best == g->n_sub)
            return; /* cannot happen: the year brought what is owed */
        cur[best]--;
        owed--;
    }
}

/* Each year's column is the difference between the apportionment of the
 * cumulative envelope at its end and at the end of the year before. */
static int split_years(const inputs *in, split_grid *g, diag *d)
{
    int64_t *prev = calloc(g->n_sub, sizeof *prev);
    int64_t *cur = calloc(g->n_sub, sizeof *cur);
    int rc = prev && cur ? 0 : diag_add(d, DIAG_OSERR, "out of memory");
    int64_t cumulative = 0;
    for (size_t y = 0; rc == 0 && y < g->n_years; y++) {
        cumulative += in->years[y].amount;
        if (cumulative == 0)
            continue; /* leading empty years stay at zero */
        if (apportion(cumulative, g->total, g->n_sub, cur) != 0) {
            rc = diag_add(d, DIAG_INTERNAL, "split: cannot apportion");
            break;
        }
        split_monotone(g, cumulative, prev, cur);
        for (size_t s = 0; s < g->n_sub; s++) {
            int64_t c = cur[s] - prev[s];
            if (c < 0) {
                rc = diag_add(d, DIAG_INTERNAL,
                              "split: negative cell for %s", g->name[s]);
                break;
            }
            g->cell[s * g->n_years + y] = c;
            prev[s] = cur[s];
        }
    }
    free(prev);
    free(cur);
    return rc;
}

int split_compute(const inputs *in, const int64_t *weights, split_grid *g,
                  diag *d)
{
    memset(g, 0, sizeof *g);
    int64_t envelope = inputs_envelope_total(in);
    if (in->n_split == 0 || in->n_years == 0)
        return diag_add(d, DIAG_DATA, "no sub-region or no fiscal year");
    if (envelope <= 0)
        return diag_at(d, DIAG_DATA, "envelopes.csv", 0, 0,
                       "the total envelope is zero");
    if (split_alloc(g, in->n_split + 1, in->n_years) != 0) {
        split_free(g);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    int implicit = 0;
    int rc = split_totals(in, weights, envelope, g->total, &implicit, d);
    if (rc != 0) {
        split_free(g);
        return rc;
    }
    g->n_sub = in->n_split + (size_t)implicit;
    g->first_year = in->years[0].fiscal_year;
    for (size_t s = 0; s < in->n_split; s++) {
        g->name[s] = in->split[s].name;
        g->is_reserve[s] = (unsigned char)in->split[s].is_reserve;
    }
    if (implicit) {
        g->name[in->n_split] = SPLIT_IMPLICIT_RESERVE;
        g->is_reserve[in->n_split] = 1;
    }
    rc = split_years(in, g, d);
    if (rc != 0)
        split_free(g);
    return rc;
}

void split_free(split_grid *g)
{
    free(g->name);
    free(g->is_reserve);
    free(g->total);
    free(g->cell);
    memset(g, 0, sizeof *g);
}
