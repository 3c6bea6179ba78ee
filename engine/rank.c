/* rank: see include/rank.h. */
#include "rank.h"

#include <stdlib.h>
#include <string.h>

typedef struct rank_key {
    size_t subregion;
    double primary;     /* rank() key, or the score */
    double tiebreak;    /* tiebreak() key, or 0 */
    int64_t requested;
    const char *id;
    size_t app;
} rank_key;

/* Higher first; the keys are never NaN (rules_evaluate refuses it). */
static int rank_desc(double x, double y)
{
    return x > y ? -1 : x < y ? 1 : 0;
}

static int rank_cmp(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    int c;
    if (x->subregion != y->subregion)
        return x->subregion < y->subregion ? -1 : 1;
    if ((c = rank_desc(x->primary, y->primary)) != 0 ||
        (c = rank_desc(x->tiebreak, y->tiebreak)) != 0)
        return c;
    if (x->requested != y->requested)
        return x->requested < y->requested ? -1 : 1;
    return strcmp(x->id, y->id); /* ids are unique: the order is total */
}

static int rank_is_candidate(const rules_config *cfg,
                             const rules_results *res, const plan_set *plan,
                             size_t a)
{
    return res->eligible[a] && res->score[a] >= cfg->threshold &&
           plan->inside[a];
}

/* Scores are exact in a double: hundredths of at most 1e15 points. */
static rank_key rank_key_of(const inputs *in, const rules_results *res,
                            size_t a)
{
    const application *app = &in->apps[a];
    return (rank_key){app->subregion,
                      res->rank ? res->rank[a] : (double)res->score[a],
                      res->tiebreak ? res->tiebreak[a] : 0.0, app->requested,
                      app->id, a};
}

int rank_before(const inputs *in, const rules_results *res, size_t a,
                int64_t score, size_t b)
{
    if (a == b && score == res->score[a])
        return 0;
    rank_key x = rank_key_of(in, res, a), y = rank_key_of(in, res, b);
    if (!res->rank)
        x.primary = (double)score;
    return rank_cmp(&x, &y) < 0;
}

int rank_build(const inputs *in, const rules_config *cfg,
               const rules_results *res, const plan_set *plan,
               rank_order *r, diag *d)
{
    memset(r, 0, sizeof *r);
    rank_key *keys = malloc((in->n_apps + 1) * sizeof *keys);
    r->apps = malloc((in->n_apps + 1) * sizeof *r->apps);
    r->sub_first = calloc(in->n_split + 1, sizeof *r->sub_first);
    r->rank = calloc(in->n_apps + 1, sizeof *r->rank);
    if (!keys || !r->apps || !r->sub_first || !r->rank) {
        free(keys);
        rank_free(r);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    size_t n = 0;
    for (size_t a = 0; a < in->n_apps; a++)
        if (rank_is_candidate(cfg, res, plan, a))
            keys[n++] = rank_key_of(in, res, a);
    qsort(keys, n, sizeof *keys, rank_cmp);
    r->n = n;
    size_t s = 0;
    uint32_t rank = 0;
    for (size_t i = 0; i < n; i++) {
        while (s < keys[i].subregion) {
            r->sub_first[++s] = i;
            rank = 0;
        }
        r->apps[i] = keys[i].app;
        r->rank[keys[i].app] = ++rank;
    }
    while (s < in->n_split)
        r->sub_first[++s] = n;
    free(keys);
    return 0;
}

void rank_free(rank_order *r)
{
    free(r->apps);
    free(r->sub_first);
    free(r->rank);
    memset(r, 0, sizeof *r);
}
