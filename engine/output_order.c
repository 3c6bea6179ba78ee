/* output_order: the order of decisions.csv's rows (see
 * output_internal.h). */
#include "output_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int output_key_cmp_head(const output_key *x, const output_key *y)
{
    if (x->subregion != y->subregion)
        return x->subregion < y->subregion ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return 0;
}

static int output_key_cmp(const void *a, const void *b)
{
    const output_key *x = a, *y = b;
    int c = output_key_cmp_head(x, y);
    return c ? c : strcmp(x->id, y->id);
}

/* When applications.csv lists its ids in ascending order (as exports
 * usually do), an id tie is decided by the load order: integers compared
 * instead of strings scattered through memory, a tenth of the writer's
 * time at a million applications. */
static int output_key_cmp_loaded(const void *a, const void *b)
{
    const output_key *x = a, *y = b;
    int c = output_key_cmp_head(x, y);
    return c ? c : x->app < y->app ? -1 : x->app > y->app;
}

static int output_ids_ascending(const inputs *in)
{
    for (size_t a = 1; a < in->n_apps; a++)
        if (strcmp(in->apps[a - 1].id, in->apps[a].id) >= 0)
            return 0;
    return 1;
}

/* 0 ranked, 1 below the threshold, 2 ineligible or never ranked. */
static int output_group_of(const output_data *o, size_t a)
{
    const decision *dec = &o->alloc->decisions[a];
    return dec->rank > 0 ? 0 : dec->status == DECISION_BELOW_THRESHOLD ? 1 : 2;
}

static output_key output_key_of(const output_data *o, size_t a)
{
    output_key k = {o->in->apps[a].subregion, output_group_of(o, a), 0,
                    o->in->apps[a].id, a};
    if (k.group == 0)
        k.order = o->alloc->decisions[a].rank;
    else if (k.group == 1)
        k.order = -o->res->score[a];
    return k;
}

/* The order needs no general sort: per sub-region, ranked applications
 * go straight to their rank's place and the others are sorted within
 * their group only (a third of the applications, at a million, instead
 * of all of them). With ids ascending in the file, as exports usually
 * list them, ineligible ones stay in load order and ties are broken by
 * load order: integers compared instead of strings scattered through
 * memory. -1 when ranks are not 1..k in a sub-region: the caller sorts
 * instead. */
static int output_order_placed(const output_data *o, output_key *keys)
{
    size_t n = o->in->n_apps, nb = o->in->n_split * 3;
    size_t *start = calloc(2 * (nb + 1), sizeof *start), *next = start + nb + 1;
    if (!start)
        return -1;
    for (size_t a = 0; a < n; a++)
        start[o->in->apps[a].subregion * 3 + (size_t)output_group_of(o, a) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        start[b] += start[b - 1];
    memcpy(next, start, (nb + 1) * sizeof *next);
    for (size_t i = 0; i < n; i++)
        keys[i].app = SIZE_MAX;
    int rc = 0;
    for (size_t a = 0; a < n && rc == 0; a++) {
        output_key k = output_key_of(o, a);
        size_t b = k.subregion * 3 + (size_t)k.group, at;
        if (k.group != 0)
            at = next[b]++;
        else if ((at = start[b] + (size_t)k.order - 1) >= start[b + 1] ||
                 keys[at].app != SIZE_MAX)
            rc = -1;
        if (rc == 0)
            keys[at] = k;
    }
    int ascending = rc == 0 && output_ids_ascending(o->in);
    for (size_t b = 0; b < nb && rc == 0; b++)
        if (b % 3 == 1 || (b % 3 == 2 && !ascending))
            qsort(keys + start[b], start[b + 1] - start[b], sizeof *keys,
                  ascending ? output_key_cmp_loaded : output_key_cmp);
    free(start);
    return rc;
}

output_key *output_order(const output_data *o)
{
    size_t n = o->in->n_apps;
    output_key *keys = malloc((n + 1) * sizeof *keys);
    if (!keys)
        return NULL;
    if (output_order_placed(o, keys) == 0)
        return keys;
    for (size_t a = 0; a < n; a++)
        keys[a] = output_key_of(o, a);
    qsort(keys, n, sizeof *keys, output_key_cmp);
    return keys;
}
