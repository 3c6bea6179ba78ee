/* inputs_apps: applications.csv, one funding request per row (see
 * include/inputs.h).  The hot path of a load: a row costs a few hash
 * look-ups and arena copies, never a malloc of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs_internal.h"
#include "money.h"

enum {
    A_ID,
    A_ORG,
    A_SUB,
    A_REQ,
    A_COST,
    A_TITLE,
    A_TYPE,
    A_START,
    A_MONTHS,
    A_N
};

/* The brief's aliases, plus the "de"/"du" forms French headers take */
static const char *const a_id[] = {
    "no", "numero", "no_demande", "numero_demande", "numero_de_demande", NULL};
static const char *const a_org[] = {"organisme", "organization", "promoteur",
                                    NULL};
/* "Sous-région " normalises to sous_region like "sous_région" does */
static const char *const a_sub[] = {"sous_region", "territoire", NULL};
static const char *const a_req[] = {"montant_demande", "demande",
                                    "amount_requested", NULL};
static const char *const a_cost[] = {"cout_total", "cout_projet",
                                     "cout_du_projet", NULL};
static const char *const a_title[] = {"titre", "projet", "nom_projet",
                                      "nom_du_projet", NULL};
static const char *const a_type[] = {"type_organisme", "type",
                                     "type_d_organisme", NULL};
static const char *const a_start[] = {"debut", "date_debut", "start_date",
                                      "date_de_debut", NULL};
static const char *const a_months[] = {"mois", "duree", "duree_mois", NULL};

const colspec inputs_apps_spec[] = {
    [A_ID] = {"id", a_id, 1},
    [A_ORG] = {"organisation", a_org, 1},
    [A_SUB] = {"subregion", a_sub, 1},
    [A_REQ] = {"requested", a_req, 1},
    [A_COST] = {"total_cost", a_cost, 1},
    [A_TITLE] = {"title", a_title, 0},
    [A_TYPE] = {"org_type", a_type, 0},
    [A_START] = {"start", a_start, 0},
    [A_MONTHS] = {"months", a_months, 0},
};
const size_t inputs_apps_n_spec = A_N;

#define MAX_MONTHS 1200 /* a century: anything longer is a typing error */

/* A text cell copied into the arena; required ones must not be empty. */
static const char *app_text(loader *L, const csvread_row *row, int i,
                            int required)
{
    const char *s, *copy;
    size_t len;
    if (!inputs_table_cell(&L->t, row, i, &s, &len))
        return "";
    if (len == 0 && required) {
        inputs_cell_error(L, &L->t, row, i, s, len, "is empty");
        return "";
    }
    if (!(copy = inputs_strndup(L->arena, s, len))) {
        inputs_oom(L);
        return "";
    }
    return copy;
}

/* a is the last of inputs.apps; the map keeps the first of each id.  In
 * the second half of a two-thread read the map is the first half's, so
 * the check waits for the merge (inputs_par.c). */
static void app_id(loader *L, const csvread_row *row, application *a)
{
    a->id = app_text(L, row, A_ID, 1);
    size_t len = strlen(a->id), first = L->in->n_apps - 1;
    if (L->half) {
        if (inputs_half_defer(L, a, len) != 0)
            inputs_oom(L);
        return;
    }
    if (len == 0)
        return;
    int rc = inputs_map_put(&L->ids, a->id, len, inputs_map_hash(a->id, len),
                            &first);
    if (rc < 0)
        inputs_oom(L);
    else if (rc > 0)
        inputs_apps_duplicate(L, a, first);
}

void inputs_apps_duplicate(loader *L, const application *a, size_t first)
{
    csvread_row row = {.line = a->line}; /* all a cell message needs */
    inputs_cell_error(L, &L->t, &row, A_ID, a->id, strlen(a->id),
                      "is a duplicate of line %ld", L->in->apps[first].line);
}

/* "A, B, C": the subregions an application may name, built once. */
static const char *known_subregions(loader *L)
{
    const size_t cap = 400;
    if (L->known || !(L->known = malloc(cap)))
        return L->known ? L->known : "...";
    size_t n = 0;
    L->known[0] = '\0';
    for (size_t k = 0; k < L->in->n_split; k++) {
        const subregion *sr = &L->in->split[k];
        /* a name written twice (already refused) is listed once */
        if (sr->is_reserve || !*sr->name
            || inputs_find_subregion(L->in, sr->name) != (long)k)
            continue;
        /* shown like a value: one line, long names cut */
        char shown[CSVREAD_SHOW_MAX];
        csvread_show(sr->name, strlen(sr->name), shown);
        int w = snprintf(L->known + n, cap - n, "%s%s", n ? ", " : "", shown);
        if (w < 0 || (size_t)w >= cap - n) {
            snprintf(L->known + n, cap - n, "%s", n ? ", ..." : "...");
            break;
        }
        n += (size_t)w;
    }
    return L->known;
}

static void app_subregion(loader *L, const csvread_row *row, application *a)
{
    const char *s;
    size_t len, index;
    if (!inputs_table_cell(&L->t, row, A_SUB, &s, &len))
        return;
    if (len == 0) {
        inputs_cell_error(L, &L->t, row, A_SUB, s, len, "is empty");
        return;
    }
    if (!L->split_names_ok) { /* split.csv is unusable: nothing to check */
        if (!(a->subregion_name = inputs_strndup(L->arena, s, len)))
            inputs_oom(L);
        return;
    }
    if (inputs_map_get(&L->arena->split_index, s, len, inputs_map_hash(s, len),
                       &index)
        != 0) {
        inputs_cell_error(L, &L->t, row, A_SUB, s, len,
                          "is not in split.csv (known: %s)",
                          known_subregions(L));
        return;
    }
    if (L->in->split[index].is_reserve)
        inputs_cell_error(
            L, &L->t, row, A_SUB, s, len,
            "is the regional reserve (split.csv line %ld), not a "
            "subregion",
            L->in->split[index].line);
    a->subregion = index;
    a->subregion_name = L->in->split[index].name; /* shared, not copied */
}

static void app_amounts(loader *L, const csvread_row *row, application *a)
{
    const char *s, *why;
    size_t len;
    int req_ok = 0;
    if (inputs_table_cell(&L->t, row, A_REQ, &s, &len)) {
        if (money_parse(s, len, &a->requested, &why) != 0)
            inputs_cell_error(L, &L->t, row, A_REQ, s, len, "%s", why);
        else if (a->requested <= 0)
            inputs_cell_error(L, &L->t, row, A_REQ, s, len,
                              "must be more than 0");
        else
            req_ok = 1;
    }
    if (!inputs_table_cell(&L->t, row, A_COST, &s, &len))
        return;
    if (money_parse(s, len, &a->total_cost, &why) != 0) {
        inputs_cell_error(L, &L->t, row, A_COST, s, len, "%s", why);
    } else if (req_ok && a->total_cost < a->requested) {
        char buf[MONEY_BUFSZ];
        inputs_cell_error(L, &L->t, row, A_COST, s, len,
                          "is less than the amount requested (%s)",
                          money_format(a->requested, buf));
    }
}

static void app_start(loader *L, const csvread_row *row, application *a)
{
    const char *s;
    size_t len;
    if (!inputs_table_cell(&L->t, row, A_START, &s, &len) || len == 0)
        return;
    if (cal_parse_date(s, len, &a->start) != 0)
        inputs_cell_error(
            L, &L->t, row, A_START, s, len,
            "is not a date (expected YYYY-MM-DD, e.g. 2025-04-01)");
    else
        a->has_start = 1;
}

static void app_months(loader *L, const csvread_row *row, application *a)
{
    const char *s;
    size_t len;
    long v = 0;
    if (!inputs_table_cell(&L->t, row, A_MONTHS, &s, &len) || len == 0)
        return;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || v > MAX_MONTHS) {
            v = -1;
            break;
        }
        v = v * 10 + (s[i] - '0');
    }
    if (v < 1 || v > MAX_MONTHS)
        inputs_cell_error(L, &L->t, row, A_MONTHS, s, len,
                          "is not a whole number of months from 1 to %d",
                          MAX_MONTHS);
    else
        a->months = (int)v;
}

int inputs_apps_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    if (row->index == 0) {
        int rc = inputs_table_header(L, &L->t, row);
        in->extra_names = L->t.extra_names;
        in->extra_keys = L->t.extra_keys;
        in->extra_columns = L->t.extra_columns;
        in->n_extra = L->t.n_extra;
        return rc;
    }
    application *a = inputs_table_item(L, row, (void **)&in->apps,
                                       &in->n_apps, &L->cap_apps, sizeof *a);
    if (!a)
        return inputs_status(L);
    *a = (application){
        .id = "", .organisation = "", .subregion_name = "", .line = row->line};
    app_id(L, row, a);
    a->organisation = app_text(L, row, A_ORG, 1);
    app_subregion(L, row, a);
    app_amounts(L, row, a);
    a->title = app_text(L, row, A_TITLE, 0);
    a->org_type = app_text(L, row, A_TYPE, 0);
    app_start(L, row, a);
    app_months(L, row, a);
    a->extra = inputs_table_extras(L, &L->t, row);
    if (L->t.n_extra && !a->extra)
        return inputs_oom(L);
    return inputs_status(L);
}

/* Nothing to check across rows beyond duplicate ids, done on the way;
 * an applications.csv with a header only is a program with no requests.
 * Once the whole file is read, its ids can tell evaluations and overrides
 * that name an unknown application. */
void inputs_apps_finish(loader *L)
{
    L->apps_ok = !L->t.broken && L->t.col[A_ID] >= 0;
}

int inputs_app_ref(loader *L, const csvread_row *row, int i, size_t *app)
{
    const char *s;
    size_t len;
    if (!inputs_table_cell(&L->t, row, i, &s, &len))
        return -1;
    if (len == 0) {
        inputs_cell_error(L, &L->t, row, i, s, len, "is empty");
        return -1;
    }
    if (!L->apps_ok)
        return -1;
    if (inputs_map_get(&L->ids, s, len, inputs_map_hash(s, len), app) != 0) {
        inputs_cell_error(L, &L->t, row, i, s, len,
                          "is not an id of applications.csv");
        return -1;
    }
    return 0;
}
