/* rules_par: the rules evaluated by two Lua states at once, one per
 * core, over the two halves of the applications (rules_evaluate_jobs,
 * see include/rules.h).
 *
 * The second state is opened from the same rule file, library and limits
 * (and --program name), so it runs the same code in the same sandbox.
 * Each state writes its applications' slots of the per-application
 * arrays (disjoint, so shared); the failures, the instalments of a
 * schedule function and their labels are kept per state, then appended
 * in application order, labels numbered by first appearance as one
 * state would have numbered them. Errors: the first half's first,
 * which is the first in file order.
 *
 * What would make results depend on the split is state carried from one
 * application to the next inside Lua. math.random is one (counted by
 * the sandbox): when the second state drew from it, its half is thrown
 * away and evaluated again by the first state, after its own half, as a
 * single state does. (Rule files are documented to keep no other state
 * between applications.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "rules_internal.h"

/* Below this, a second Lua state costs more than it saves. */
#define RULES_PAR_MIN 4096

typedef struct rules_part {
    struct rules *r;
    const inputs *in;
    rules_results *out;
    size_t lo, hi;
} rules_part;

static int part_run(void *arg, diag *d)
{
    rules_part *p = arg;
    return rules_eval_part(p->r, p->in, p->out, p->lo, p->hi, d);
}

/* The second state's view: the shared per-application arrays, its own
 * lists and offsets. */
static int part_results(rules_results *b, const rules_results *a,
                        const rules_config *cfg)
{
    *b = *a;
    b->failures = NULL;
    b->n_failures = 0;
    b->dues = NULL;
    b->n_dues = 0;
    b->labels = NULL;
    b->n_labels = 0;
    b->n_errors = 0;
    b->pool = calloc(1, sizeof *b->pool);
    b->first_failure = calloc(a->n_apps + 1, sizeof *b->first_failure);
    b->first_due = cfg->has_schedule_fn
                       ? calloc(a->n_apps + 1, sizeof *b->first_due) : NULL;
    return b->pool && b->first_failure &&
                   (b->first_due || !cfg->has_schedule_fn) ? 0 : -1;
}

/* Frees what part_results made, not the shared arrays. */
static void part_free(rules_results *b)
{
    free(b->failures);
    free(b->dues);
    free(b->labels);
    free(b->first_failure);
    free(b->first_due);
    if (b->pool) {
        rules_pool_free(b->pool);
        free(b->pool);
    }
    memset(b, 0, sizeof *b);
}

/* The shared slots of applications mid.. as results_alloc left them
 * (scores add up points, checks only clear eligible). */
static void part_reset(rules_results *a, size_t mid)
{
    size_t n = a->n_apps - mid;
    memset(a->eligible + mid, 1, n);
    memset(a->score + mid, 0, n * sizeof *a->score);
    memset(a->points + mid * a->n_criteria, 0,
           n * a->n_criteria * sizeof *a->points);
    if (a->rank)
        memset(a->rank + mid, 0, n * sizeof *a->rank);
    if (a->tiebreak)
        memset(a->tiebreak + mid, 0, n * sizeof *a->tiebreak);
}

static int merge_failures(rules_results *a, const rules_results *b, size_t mid)
{
    if (b->n_failures) {
        rules_failure *f = realloc(a->failures, (a->n_failures + b->n_failures)
                                                    * sizeof *f);
        if (!f)
            return -1;
        memcpy(f + a->n_failures, b->failures, b->n_failures * sizeof *f);
        a->failures = f;
    }
    for (size_t i = mid; i <= a->n_apps; i++)
        a->first_failure[i] = b->first_failure[i] + a->n_failures;
    a->n_failures += b->n_failures;
    return 0;
}

/* Label i of b as numbered in a, added there when new. */
static long merge_label(rules_results *a, const char *label)
{
    for (size_t i = 0; i < a->n_labels; i++)
        if (strcmp(a->labels[i], label) == 0)
            return (long)i;
    const char **l = realloc(a->labels, (a->n_labels + 1) * sizeof *l);
    if (!l)
        return -1;
    a->labels = l;
    a->labels[a->n_labels] = label;
    return (long)a->n_labels++;
}

static int merge_dues(rules_results *a, const rules_results *b, size_t mid)
{
    if (!a->first_due)
        return 0;
    uint32_t *map = calloc(b->n_labels ? b->n_labels : 1, sizeof *map);
    if (!map)
        return -1;
    for (size_t i = 0; i < b->n_labels; i++) {
        long k = merge_label(a, b->labels[i]);
        if (k < 0) {
            free(map);
            return -1;
        }
        map[i] = (uint32_t)k;
    }
    rules_due *du = b->n_dues ? realloc(a->dues, (a->n_dues + b->n_dues)
                                                     * sizeof *du) : a->dues;
    if (b->n_dues && !du) {
        free(map);
        return -1;
    }
    for (size_t i = 0; i < b->n_dues; i++) {
        du[a->n_dues + i] = b->dues[i];
        du[a->n_dues + i].label = map[b->dues[i].label];
    }
    a->dues = du;
    for (size_t i = mid; i <= a->n_apps; i++)
        a->first_due[i] = b->first_due[i] + a->n_dues;
    a->n_dues += b->n_dues;
    free(map);
    return 0;
}

/* The second state runs the same rules: a rule file changed on disk
 * between the two opens would not. */
static int same_rules(const struct rules *x, const struct rules *y)
{
    const rules_config *a = &x->cfg, *b = &y->cfg;
    if (a->n_checks != b->n_checks || a->n_criteria != b->n_criteria ||
        a->threshold != b->threshold || a->has_rank != b->has_rank ||
        a->has_tiebreak != b->has_tiebreak ||
        a->has_schedule_fn != b->has_schedule_fn)
        return 0;
    for (size_t i = 0; i < a->n_checks; i++)
        if (strcmp(a->checks[i].id, b->checks[i].id) != 0)
            return 0;
    for (size_t i = 0; i < a->n_criteria; i++)
        if (strcmp(a->criteria[i].id, b->criteria[i].id) != 0 ||
            a->criteria[i].max != b->criteria[i].max)
            return 0;
    return 1;
}

/* The second state, or NULL to evaluate with one (it cannot be opened:
 * the first is there, so the run goes on with it). */
static struct rules *open_sibling(const struct rules *r)
{
    struct rules *s = NULL;
    diag quiet;
    diag_init(&quiet);
    if (rules_open_sibling(&s, r, &quiet) != DIAG_OK || !same_rules(r, s)) {
        rules_close(s);
        s = NULL;
    }
    diag_free(&quiet);
    return s;
}

/* What the second state's rules printed, after the first state's. */
static void flush_prints(struct rules *r2)
{
    if (r2->prints_len) {
        fwrite(r2->prints, 1, r2->prints_len, stderr);
        fflush(stderr);
    }
    r2->prints_len = 0;
}

static int evaluate_two(struct rules *r, struct rules *r2, const inputs *in,
                        rules_results *out, diag *d)
{
    size_t n = in->n_apps, mid = n / 2;
    rules_results b;
    memset(&b, 0, sizeof b);
    if (rules_results_alloc(out, &r->cfg, n) != 0 ||
        part_results(&b, out, &r->cfg) != 0) {
        part_free(&b);
        rules_results_free(out);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    rules_part parts[2] = {{r, in, out, 0, mid}, {r2, in, &b, mid, n}};
    par_task tasks[2] = {{.fn = part_run, .arg = &parts[0]},
                         {.fn = part_run, .arg = &parts[1]}};
    unsigned long drawn = r2->random_calls;
    par_run(tasks, 2, 2);
    /* the first half is what one state gives; the second is when the
     * second state drew no random number (else even its error is not) */
    int redo = tasks[0].rc == DIAG_OK && r2->random_calls != drawn;
    int st = redo ? DIAG_OK : par_first_failure(tasks, 2, d);
    if (!redo && tasks[0].rc == DIAG_OK)
        flush_prints(r2); /* the lines one state would have printed */
    par_free(tasks, 2);
    if (redo) {
        /* the second half again, by the first state, after its half */
        part_reset(out, mid);
        part_free(&b);
        if (part_results(&b, out, &r->cfg) != 0)
            st = diag_add(d, DIAG_OSERR, "out of memory");
        else
            st = rules_eval_part(r, in, &b, mid, n, d);
    }
    if (st == DIAG_OK &&
        (merge_failures(out, &b, mid) != 0 || merge_dues(out, &b, mid) != 0))
        st = diag_add(d, DIAG_OSERR, "out of memory");
    if (st == DIAG_OK) {
        rules_pool_take(out->pool, b.pool);
        out->states = redo ? 1 : 2;
    }
    part_free(&b);
    if (st != DIAG_OK)
        rules_results_free(out);
    return st;
}

int rules_evaluate_jobs(rules *r, const inputs *in, int jobs,
                        rules_results *out, diag *d)
{
    struct rules *r2 = jobs < 2 || in->n_apps <= RULES_PAR_MIN
                           ? NULL : open_sibling(r);
    if (!r2) {
        int st = rules_evaluate(r, in, out, d);
        if (st == DIAG_OK)
            out->states = 1;
        return st;
    }
    int st = evaluate_two(r, r2, in, out, d);
    rules_close(r2);
    return st;
}
