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
        const decision *dec = &alloc->decisions[a];
        if (dec->granted <= 0)
            continue;
        if (plan_amounts(plan, a, dec->granted, amounts) != 0) {
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
                .app = a, .number = (uint32_t)(i + 1), .label = items[i].label,
                .due = items[i].due, .year = items[i].year,
                .source = dec->source, .amount = amounts[i]};
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

static int sched_verify_grants(const inputs *in, const rules_config *cfg,
                               const alloc_result *alloc, const int64_t *paid,
                               diag *d)
{
    char a[MONEY_BUFSZ], b[MONEY_BUFSZ], c[MONEY_BUFSZ];
    for (size_t i = 0; i < in->n_apps; i++) {
        const decision *dec = &alloc->decisions[i];
        int64_t g = dec->granted;
        const char *id = in->apps[i].id;
        if (g < 0 || g > in->apps[i].requested)
            return diag_add(d, DIAG_INTERNAL,
                            "application %s: grant %s outside 0..%s", id,
                            money_format(g, a),
                            money_format(in->apps[i].requested, b));
        /* a resubmission's cap holds for its commitment and grant */
        int64_t before = alloc_app_committed(alloc, i);
        if (before < 0 || (cfg->max_grant && g + before > cfg->max_grant &&
                           dec->status != DECISION_OVERRIDDEN))
            return diag_add(d, DIAG_INTERNAL,
                            "application %s: grant %s (%s committed before) "
                            "above max_grant %s", id, money_format(g, a),
                            money_format(before, c),
                            money_format(cfg->max_grant, b));
        if (paid[i] != g)
            return diag_add(d, DIAG_INTERNAL,
                            "application %s: instalments sum to %s, grant is %s",
                            id, money_format(paid[i], a), money_format(g, b));
    }
    return 0;
}

typedef struct sched_org {
    const char *name;
    int64_t granted;
} sched_org;

static int sched_org_cmp(const void *x, const void *y)
{
    return strcmp(((const sched_org *)x)->name, ((const sched_org *)y)->name);
}

/* Sums ranked grants by organisation, independently of the allocator. */
static int sched_verify_orgs(const inputs *in, const rules_config *cfg,
                             const alloc_result *alloc, diag *d)
{
    if (!cfg->max_per_org)
        return 0;
    sched_org *orgs = malloc((in->n_apps + 1) * sizeof *orgs);
    if (!orgs)
        return diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t a = 0; a < in->n_apps; a++) {
        int forced = alloc->decisions[a].status == DECISION_OVERRIDDEN;
        orgs[a] = (sched_org){in->apps[a].organisation,
                              forced ? 0 : alloc->decisions[a].granted};
    }
    qsort(orgs, in->n_apps, sizeof *orgs, sched_org_cmp);
    int rc = 0;
    int64_t sum = 0;
    for (size_t i = 0; i < in->n_apps && rc == 0; i++) {
        sum = i > 0 && !strcmp(orgs[i].name, orgs[i - 1].name) ? sum : 0;
        sum += orgs[i].granted;
        if (sum > cfg->max_per_org) {
            char a[MONEY_BUFSZ];
            rc = diag_add(d, DIAG_INTERNAL,
                          "organisation %s: %s granted, above "
                          "max_per_organisation", orgs[i].name,
                          money_format(sum, a));
        }
    }
    free(orgs);
    return rc;
}

/* One cell: what earlier calls committed and this call pays fit within
 * the envelope plus what was carried in; carries only what it has left,
 * only forward; adds committed + granted + to_reserve to the grand total
 * (all the calls' money and what remains). */
static int sched_verify_cell(const split_grid *env, const alloc_result *al,
                             const int64_t *paid, size_t s, size_t y,
                             int64_t *accounted, diag *d)
{
    size_t k = s * env->n_years + y;
    int64_t in = al->carried_in[k], before = alloc_committed(al, k);
    int64_t prev_left = y > 0 ? al->remaining[k - 1] : 0;
    int ok = paid[k] == al->granted[k] && in >= 0 && before >= 0 &&
             (in == 0 || in == prev_left) &&
             before + paid[k] <= env->cell[k] + in &&
             al->remaining[k] == env->cell[k] - before + in - paid[k];
    if (!ok) {
        char a[MONEY_BUFSZ], b[MONEY_BUFSZ], c[MONEY_BUFSZ], e[MONEY_BUFSZ];
        char fy[CAL_FY_BUFSZ];
        return diag_add(d, DIAG_INTERNAL,
                        "%s, fiscal year %s: %s paid against an envelope of "
                        "%s with %s carried in and %s committed in earlier "
                        "calls", env->name[s],
                        cal_format_fiscal_year(env->first_year + (int)y, fy),
                        money_format(paid[k], a), money_format(env->cell[k], b),
                        money_format(in, c), money_format(before, e));
    }
    *accounted += before + paid[k] + alloc_to_reserve(al, env, s, y);
    return 0;
}

static int sched_verify_cells(const split_grid *env, const int64_t *paid,
                              const alloc_result *alloc, diag *d)
{
    int64_t envelope = 0, accounted = 0;
    for (size_t s = 0; s < env->n_sub; s++)
        for (size_t y = 0; y < env->n_years; y++) {
            int rc = sched_verify_cell(env, alloc, paid, s, y, &accounted, d);
            if (rc != 0)
                return rc;
            envelope += env->cell[s * env->n_years + y];
        }
    if (accounted != envelope) {
        char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
        return diag_add(d, DIAG_INTERNAL,
                        "committed + granted + unspent = %s, envelope = %s",
                        money_format(accounted, a), money_format(envelope, b));
    }
    return 0;
}

int sched_verify(const inputs *in, const rules_config *cfg,
                 const split_grid *env, const alloc_result *alloc,
                 const sched_list *s, diag *d)
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
        if (ds->year < 0 || (size_t)ds->year >= env->n_years ||
            ds->amount <= 0 || ds->source >= env->n_sub) {
            rc = diag_add(d, DIAG_INTERNAL,
                          "application %s: instalment %u outside the program",
                          in->apps[ds->app].id, ds->number);
            goto done;
        }
        paid[ds->app] += ds->amount;
        cell_paid[ds->source * env->n_years + (size_t)ds->year] += ds->amount;
    }
    rc = sched_verify_grants(in, cfg, alloc, paid, d);
    if (rc == 0)
        rc = sched_verify_orgs(in, cfg, alloc, d);
    if (rc == 0)
        rc = sched_verify_cells(env, cell_paid, alloc, d);
done:
    free(paid);
    free(cell_paid);
    return rc;
}
