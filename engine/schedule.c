/* schedule: see include/schedule.h. */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"

static size_t sched_count(const plan_set *plan, const alloc_result *alloc,
                          size_t *most)
{
    size_t n = 0;
    *most = 1;
    for (size_t a = 0; a < plan->n_apps; a++) {
        if (plan_count(plan, a) > *most)
            *most = plan_count(plan, a);
        if (alloc->decisions[a].granted > 0)
            n += plan_count(plan, a);
    }
    return n;
}

int sched_build(const inputs *in, const plan_set *plan,
                const alloc_result *alloc, sched_list *out, diag *d)
{
    memset(out, 0, sizeof *out);
    size_t most;
    size_t cap = sched_count(plan, alloc, &most);
    out->items = malloc((cap + 1) * sizeof *out->items);
    int64_t *amounts = malloc(most * sizeof *amounts);
    if (!out->items || !amounts) {
        free(amounts);
        sched_free(out);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    for (size_t a = 0; a < in->n_apps; a++) {
        int64_t grant = alloc->decisions[a].granted;
        if (grant <= 0)
            continue;
        if (plan_amounts(plan, a, grant, amounts) != 0) {
            free(amounts);
            sched_free(out);
            return diag_add(d, DIAG_INTERNAL,
                            "schedule: invalid plan for %s", in->apps[a].id);
        }
        const plan_instalment *items = &plan->items[plan->first[a]];
        for (size_t i = 0; i < plan_count(plan, a); i++) {
            if (amounts[i] == 0)
                continue;
            out->items[out->n++] = (disbursement){
                a, (uint32_t)(i + 1), items[i].label, items[i].due,
                items[i].year, amounts[i]};
        }
    }
    free(amounts);
    return 0;
}

void sched_free(sched_list *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

static int sched_verify_grants(const inputs *in, const alloc_result *alloc,
                               const int64_t *paid, diag *d)
{
    char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
    for (size_t i = 0; i < in->n_apps; i++) {
        int64_t g = alloc->decisions[i].granted;
        const char *id = in->apps[i].id;
        if (g < 0 || g > in->apps[i].requested)
            return diag_add(d, DIAG_INTERNAL,
                            "application %s: grant %s outside 0..%s", id,
                            money_format(g, a),
                            money_format(in->apps[i].requested, b));
        if (paid[i] != g)
            return diag_add(d, DIAG_INTERNAL,
                            "application %s: instalments sum to %s, grant is %s",
                            id, money_format(paid[i], a), money_format(g, b));
    }
    return 0;
}

static int sched_verify_cells(const split_grid *env, const int64_t *cell_paid,
                              const alloc_result *alloc, diag *d)
{
    char a[MONEY_BUFSZ], b[MONEY_BUFSZ], fy[CAL_FY_BUFSZ];
    int64_t envelope = 0, granted = 0, unspent = 0;
    for (size_t s = 0; s < env->n_sub; s++)
        for (size_t y = 0; y < env->n_years; y++) {
            size_t k = s * env->n_years + y;
            if (cell_paid[k] > env->cell[k] || cell_paid[k] != alloc->granted[k] ||
                alloc->remaining[k] != env->cell[k] - cell_paid[k])
                return diag_add(d, DIAG_INTERNAL,
                                "%s, fiscal year %s: %s paid against an "
                                "envelope of %s", env->name[s],
                                cal_format_fiscal_year(env->first_year + (int)y, fy),
                                money_format(cell_paid[k], a),
                                money_format(env->cell[k], b));
            envelope += env->cell[k];
            granted += cell_paid[k];
            unspent += alloc->remaining[k];
        }
    if (granted + unspent != envelope)
        return diag_add(d, DIAG_INTERNAL,
                        "granted + unspent = %s, envelope = %s",
                        money_format(granted + unspent, a),
                        money_format(envelope, b));
    return 0;
}

int sched_verify(const inputs *in, const split_grid *env,
                 const alloc_result *alloc, const sched_list *s, diag *d)
{
    int64_t *paid = calloc(in->n_apps + 1, sizeof *paid);
    int64_t *cell_paid = calloc(env->n_sub * env->n_years, sizeof *cell_paid);
    int rc = 0;
    if (!paid || !cell_paid) {
        rc = diag_add(d, DIAG_OSERR, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s->n; i++) {
        const disbursement *ds = &s->items[i];
        if (ds->year < 0 || (size_t)ds->year >= env->n_years || ds->amount <= 0) {
            rc = diag_add(d, DIAG_INTERNAL,
                          "application %s: instalment %u outside the program",
                          in->apps[ds->app].id, ds->number);
            goto done;
        }
        paid[ds->app] += ds->amount;
        cell_paid[in->apps[ds->app].subregion * env->n_years + (size_t)ds->year] +=
            ds->amount;
    }
    rc = sched_verify_grants(in, alloc, paid, d);
    if (rc == 0)
        rc = sched_verify_cells(env, cell_paid, alloc, d);
done:
    free(paid);
    free(cell_paid);
    return rc;
}
