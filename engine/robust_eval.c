/* robust_eval: decisions that one evaluator's grades decide (robust.h).
 * Each evaluator is left out of every application in turn; the caller
 * reruns scoring, ranking and allocation, and the statuses are compared
 * with the run's. */
#include <stdlib.h>
#include <string.h>

#include "robust.h"

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct evaluator names, sorted. */
static int rb_evaluators(const inputs *in, robust_result *out)
{
    out->evaluator = malloc((in->n_evals + 1) * sizeof *out->evaluator);
    if (!out->evaluator)
        return -1;
    for (size_t i = 0; i < in->n_evals; i++)
        out->evaluator[i] = in->evals[i].evaluator;
    qsort(out->evaluator, in->n_evals, sizeof *out->evaluator, name_cmp);
    size_t n = 0;
    for (size_t i = 0; i < in->n_evals; i++)
        if (n == 0 || strcmp(out->evaluator[n - 1], out->evaluator[i]) != 0)
            out->evaluator[n++] = out->evaluator[i];
    out->n_evaluators = n;
    return 0;
}

/* by[] from the per-evaluator statuses: changed[e * n_apps + a]. */
static int rb_collect(robust_result *out, const unsigned char *changed)
{
    size_t n_apps = out->n_apps, n = 0;
    for (size_t k = 0; k < out->n_evaluators * n_apps; k++)
        n += changed[k];
    out->by = malloc((n + 1) * sizeof *out->by);
    if (!out->by)
        return -1;
    n = 0;
    for (size_t a = 0; a < n_apps; a++) {
        out->first_by[a] = n;
        for (size_t e = 0; e < out->n_evaluators; e++)
            if (changed[e * n_apps + a])
                out->by[n++] = (uint32_t)e;
    }
    out->first_by[n_apps] = n;
    return 0;
}

int robust_evaluators(const inputs *in, const alloc_result *alloc,
                      robust_rerun_fn rerun, void *ctx, robust_result *out,
                      diag *d)
{
    if (!in->n_evals)
        return 0;
    if (rb_evaluators(in, out) != 0)
        return diag_add(d, DIAG_OSERR, "out of memory");
    size_t n_apps = out->n_apps, n_ev = out->n_evaluators;
    unsigned char *keep = malloc(in->n_evals);
    unsigned char *changed = calloc(n_ev * n_apps + 1, 1);
    decision_status *status = malloc((n_apps + 1) * sizeof *status);
    int rc = keep && changed && status ? 0 : diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t e = 0; rc == 0 && e < n_ev; e++) {
        for (size_t i = 0; i < in->n_evals; i++)
            keep[i] = strcmp(in->evals[i].evaluator, out->evaluator[e]) != 0;
        rc = rerun(ctx, keep, status, d);
        if (rc != 0) {
            diag_add(d, rc, "robustness: scoring without the grades of "
                     "evaluator \"%s\" failed (robustness = false in the "
                     "rule file turns the reruns off)", out->evaluator[e]);
            break;
        }
        for (size_t a = 0; a < n_apps; a++)
            changed[e * n_apps + a] = status[a] != alloc->decisions[a].status;
    }
    if (rc == 0 && rb_collect(out, changed) != 0)
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    if (rc == 0)
        out->evaluators = 1;
    free(keep);
    free(changed);
    free(status);
    return rc;
}

void robust_by_names(const robust_result *r, size_t app, char *buf,
                     size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    if (!r->evaluators)
        return;
    for (size_t k = r->first_by[app]; k < r->first_by[app + 1]; k++) {
        const char *name = r->evaluator[r->by[k]];
        size_t n = strlen(name);
        if (len + n + 2 > cap)
            break;
        if (len)
            buf[len++] = ';';
        memcpy(buf + len, name, n + 1);
        len += n;
    }
}
