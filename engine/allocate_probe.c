/* allocate_probe: the greedy method's decision for one candidate against
 * a state its caller holds (see alloc_probe_open in allocate.h). */
#include <stdlib.h>
#include <string.h>

#include "alloc_internal.h"

struct alloc_probe {
    alloc_ctx c;
    alloc_result view;   /* the caller's result, shared, never written */
    size_t n_orgs;
};

int alloc_probe_open(alloc_probe **out, const inputs *in,
                     const rules_config *cfg, const rules_results *res,
                     const plan_set *plan, const rank_order *order,
                     const split_grid *env, const alloc_result *r)
{
    alloc_probe *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return -1;
    p->view = *r;
    size_t most = 1;
    for (size_t a = 0; a < plan->n_apps; a++)
        if (plan_count(plan, a) > most)
            most = plan_count(plan, a);
    p->c = (alloc_ctx){.in = in, .cfg = cfg, .res = res, .plan = plan,
                       .order = order, .env = env, .out = &p->view,
                       .n_years = env->n_years,
                       .carry = cfg->leftover == RULES_LEFTOVER_CARRY,
                       .short_year = -1, .committed = r->committed};
    p->c.amounts = malloc(most * sizeof *p->c.amounts);
    p->c.need = malloc((env->n_years + 1) * sizeof *p->c.need);
    if (!p->c.amounts || !p->c.need || !r->committed || !r->app_committed ||
        (cfg->max_per_org && alloc_number_orgs(&p->c) != 0)) {
        alloc_probe_close(p);
        *out = NULL;
        return -1;
    }
    for (size_t a = 0; p->c.org && a < in->n_apps; a++)
        if (p->c.org[a] + 1 > p->n_orgs)
            p->n_orgs = p->c.org[a] + 1;
    if (p->n_orgs == 0)
        p->n_orgs = 1;
    return 0;
}

void alloc_probe_close(alloc_probe *p)
{
    if (!p)
        return;
    alloc_ctx_close(&p->c);
    free(p);
}

/* alloc_choose's decision, and what it draws into need. */
static int probe_choose(alloc_probe *p, size_t sub, const int64_t *got,
                        int64_t org_used, size_t app, const int64_t *drawn,
                        alloc_choice *ch, int64_t *need)
{
    int r = alloc_choose_drawn(&p->c, sub, got, org_used, app, drawn, ch);
    if (r >= 0 && ch->grant > 0)
        memcpy(need, p->c.need, p->c.n_years * sizeof *need);
    else
        memset(need, 0, p->c.n_years * sizeof *need);
    return r;
}

int alloc_probe_choose(alloc_probe *p, size_t sub, const int64_t *got,
                       int64_t org_used, size_t app, alloc_choice *ch,
                       int64_t *need)
{
    return probe_choose(p, sub, got, org_used, app, NULL, ch, need);
}

int alloc_probe_ask(alloc_probe *p, size_t app, alloc_ask *a, int64_t *draw)
{
    a->requested = p->c.in->apps[app].requested;
    a->target = alloc_target(&p->c, app, 0);
    return alloc_probe_need(p, app, a->requested, draw);
}

int alloc_probe_choose_drawn(alloc_probe *p, size_t sub, const int64_t *got,
                             int64_t org_used, size_t app,
                             const int64_t *draw, alloc_choice *ch,
                             int64_t *need)
{
    return probe_choose(p, sub, got, org_used, app, draw, ch, need);
}

int alloc_probe_need(alloc_probe *p, size_t app, int64_t grant,
                     int64_t *need)
{
    memset(need, 0, p->c.n_years * sizeof *need);
    if (grant <= 0)
        return 0;
    if (alloc_need(&p->c, app, grant) != 0)
        return -1;
    memcpy(need, p->c.need, p->c.n_years * sizeof *need);
    return 0;
}

size_t alloc_probe_org(const alloc_probe *p, size_t app)
{
    return p->c.org ? p->c.org[app] : 0;
}

size_t alloc_probe_n_orgs(const alloc_probe *p)
{
    return p->n_orgs;
}

int64_t alloc_probe_target(const alloc_probe *p, size_t app, int64_t org_used)
{
    return alloc_target(&p->c, app, org_used);
}

int alloc_probe_fits(alloc_probe *p, size_t sub, const int64_t *got,
                     const int64_t *need)
{
    return alloc_fits_need(&p->c, sub, got, need);
}

const int64_t *alloc_probe_drawn(const alloc_probe *p)
{
    return p->c.need;
}
