/* commit_carry: the previous call's waitlist, carried into this call's
 * inputs (--carry-waitlist; see include/commitments.h). The applications
 * come back as the earlier run loaded them, matched to this call by
 * names: the sub-region by its name in split.csv, each extra column by
 * its normalised header (a column this call does not have is dropped,
 * one it has that the earlier call did not is empty). */
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "commitments.h"
#include "csvread.h"

typedef struct carrier {
    commit_set *c;
    inputs *in;
    int64_t run;
    const char **ids;       /* applications.csv's ids, sorted */
    size_t n_ids;
    application *fresh;     /* the carried ones, before they are counted */
    size_t n_fresh, cap;
    diag *d;
} carrier;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The index-th field of text split at U+001F into out (cap bytes). */
static void field(const char *text, size_t index, char *out, size_t cap)
{
    for (; index > 0 && text; index--) {
        text = strchr(text, '\x1f');
        if (text)
            text++;
    }
    size_t n = text ? strcspn(text, "\x1f") : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, text ? text : "", n);
    out[n] = '\0';
}

/* Each extra column of this call, valued from the earlier run's column
 * of the same normalised name. */
static int map_extras(carrier *k, const store_waiting *w, application *app)
{
    inputs *in = k->in;
    if (!(app->extra = inputs_keep_extras(in)))
        return -1;
    char name[256], key[256], value[4096];
    for (size_t j = 0; w->extra_names[0]; j++) {
        field(w->extra_names, j, name, sizeof name);
        if (!name[0])
            break;
        csvread_normalise(name, key, sizeof key);
        for (size_t i = 0; i < in->n_extra; i++) {
            if (strcmp(in->extra_keys[i], key) != 0)
                continue;
            field(w->extra, j, value, sizeof value);
            if (!(app->extra[i] = inputs_keep(in, value)))
                return -1;
        }
    }
    return 0;
}

static int fill(carrier *k, const store_waiting *w, application *app,
                long sub)
{
    inputs *in = k->in;
    *app = (application){.subregion = (size_t)sub,
                         .subregion_name = in->split[sub].name,
                         .requested = w->requested,
                         .total_cost = w->total_cost, .months = w->months};
    app->has_start = w->start[0] &&
                     cal_parse_date(w->start, strlen(w->start), &app->start) == 0;
    if (!(app->id = inputs_keep(in, w->id)) ||
        !(app->organisation = inputs_keep(in, w->organisation)) ||
        !(app->title = inputs_keep(in, w->title)) ||
        !(app->org_type = inputs_keep(in, w->org_type)))
        return -1;
    return map_extras(k, w, app);
}

static int on_waiting(void *ctx, const store_waiting *w)
{
    carrier *k = ctx;
    const char *id = w->id;
    if (bsearch(&id, k->ids, k->n_ids, sizeof *k->ids, cmp_str))
        return 0; /* applications.csv has it again: its row wins */
    long sub = inputs_find_subregion(k->in, w->subregion);
    if (sub < 0 || k->in->split[sub].is_reserve)
        return diag_add(k->d, DIAG_DATA, "--carry-waitlist: application %s "
                        "of run %lld: its sub-region \"%s\" is not in "
                        "split.csv", w->id, (long long)k->run, w->subregion);
    if (k->n_fresh == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 16;
        application *v = realloc(k->fresh, cap * sizeof *v);
        if (!v)
            return diag_add(k->d, DIAG_OSERR, "out of memory");
        k->fresh = v;
        k->cap = cap;
    }
    if (fill(k, w, &k->fresh[k->n_fresh], sub) != 0)
        return diag_add(k->d, DIAG_OSERR, "out of memory");
    k->n_fresh++;
    return 0;
}

int commit_carry(commit_set *c, store *s, int64_t run, inputs *in, diag *d)
{
    carrier k = {.c = c, .in = in, .run = run, .d = d};
    k.ids = malloc((in->n_apps + 1) * sizeof *k.ids);
    if (!k.ids)
        return diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t a = 0; a < in->n_apps; a++)
        k.ids[a] = in->apps[a].id;
    k.n_ids = in->n_apps;
    qsort(k.ids, k.n_ids, sizeof *k.ids, cmp_str);
    int rc = store_waitlist(s, run, on_waiting, &k, d);
    application *room = rc == 0 && k.n_fresh ? inputs_append_apps(in, k.n_fresh)
                                             : NULL;
    if (rc == 0 && k.n_fresh && !room)
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    if (room) {
        memcpy(room, k.fresh, k.n_fresh * sizeof *room);
        in->n_apps += k.n_fresh;
        c->n_carried = k.n_fresh;
    }
    free(k.fresh);
    free(k.ids);
    return rc;
}
