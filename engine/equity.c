/* equity: see include/equity.h. */
#include "equity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"

__extension__ typedef unsigned __int128 equity_wide;

/* ---- exact arithmetic ------------------------------------------------ */

static int64_t wide_round(equity_wide num, equity_wide den)
{
    if (den == 0)
        return EQUITY_NONE;
    return (int64_t)((2 * num + den) / (2 * den)); /* half up, num >= 0 */
}

int64_t equity_quotient(int64_t num, int64_t num2, int64_t scale,
                        int64_t den, int64_t den2)
{
    return wide_round((equity_wide)num * (equity_wide)num2 * (equity_wide)scale,
                      (equity_wide)den * (equity_wide)den2);
}

const char *equity_format(int64_t v, int places, char buf[32])
{
    int64_t unit = places == 4 ? 10000 : 100;
    if (v < 0)
        buf[0] = '\0';
    else
        snprintf(buf, 32, "%lld.%0*lld", (long long)(v / unit), places,
                 (long long)(v % unit));
    return buf;
}

/* ---- binding applications to territories ----------------------------- */

void equity_map_free(equity_map *m)
{
    free(m->territory);
    memset(m, 0, sizeof *m);
}

/* The extra column of applications.csv the rule file names, or -1. */
static long find_column(const inputs *in, const char *name)
{
    char key[256];
    csvread_normalise(name, key, sizeof key);
    for (size_t k = 0; k < in->n_extra; k++)
        if (strcmp(in->extra_keys[k], key) == 0)
            return (long)k;
    return -1;
}

int equity_bind(const inputs *in, const rules_config *cfg, equity_map *m,
                diag *d)
{
    const char *col = cfg->territory_column ? cfg->territory_column : "";
    memset(m, 0, sizeof *m);
    if (!in->has_territories && !*col)
        return DIAG_OK;
    if (!in->has_territories) /* a rule file serves many input folders */
        return DIAG_OK;
    if (!*col) /* the territories still give the sub-regions' figures */
        return DIAG_OK;
    long k = find_column(in, col);
    if (k < 0)
        return diag_at(d, DIAG_DATA, "applications.csv", 1, 0,
                       "no column \"%s\" (the rule file's territory_column)",
                       col);
    m->column = in->extra_columns[k];
    m->n_apps = in->n_apps;
    if (!(m->territory = malloc((in->n_apps + 1) * sizeof *m->territory)))
        return diag_add(d, DIAG_OSERR, "out of memory");
    int rc = DIAG_OK;
    for (size_t a = 0; a < in->n_apps; a++) {
        const char *v = in->apps[a].extra[k];
        m->territory[a] = *v ? inputs_find_territory(in, v) : -1;
        if (*v && m->territory[a] < 0) {
            char shown[CSVREAD_SHOW_MAX];
            csvread_show(v, strlen(v), shown);
            rc = diag_at(d, DIAG_DATA, "applications.csv", in->apps[a].line,
                         m->column, "%s: \"%s\" is not a territory of "
                         "territories.csv", in->extra_names[k], shown);
        }
    }
    return rc;
}

/* ---- the figures of one level ----------------------------------------- */

static void row_figures(equity_row *r, int64_t money_all, int64_t low_all)
{
    int64_t m = r->granted + r->committed;
    r->per_inhabitant = equity_quotient(m, 1, 1, r->population, 1);
    r->per_low_income = equity_quotient(m, 1, 1, r->low_income, 1);
    r->money_share = equity_quotient(m, 1, 10000, money_all, 1);
    r->low_income_share = equity_quotient(r->low_income, 1, 10000, low_all, 1);
    r->ratio = equity_quotient(m, low_all, 100, money_all, r->low_income);
    r->ratio_fine = equity_quotient(m, low_all, 1000000, money_all,
                                    r->low_income);
}

/* Largest over smallest dollars per low-income person (M_i / L_i),
 * compared exactly by cross-multiplication; counts the rows with
 * low-income people left without money. */
static int64_t max_min(equity_level *l)
{
    const equity_row *hi = NULL, *lo = NULL;
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const equity_row *r = &l->rows[i];
        if (r->low_income == 0)
            continue;
        equity_wide m = (equity_wide)(r->granted + r->committed);
        n++;
        l->unfunded += m == 0;
        if (!hi || m * (equity_wide)hi->low_income
                       > (equity_wide)(hi->granted + hi->committed)
                             * (equity_wide)r->low_income)
            hi = r;
        if (!lo || m * (equity_wide)lo->low_income
                       < (equity_wide)(lo->granted + lo->committed)
                             * (equity_wide)r->low_income)
            lo = r;
    }
    if (n < 2)
        return EQUITY_NONE;
    return equity_quotient(hi->granted + hi->committed, lo->low_income, 100,
                           lo->granted + lo->committed, hi->low_income);
}

/* Gini of dollars per low-income person, each row weighted by its
 * low-income population: sum |M_i L_j - M_j L_i| / (2 L M). */
static int64_t gini(const equity_level *l, int64_t money_all, int64_t low_all)
{
    equity_wide sum = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t j = 0; j < l->n; j++) {
            const equity_row *a = &l->rows[i], *b = &l->rows[j];
            equity_wide x = (equity_wide)(a->granted + a->committed)
                            * (equity_wide)b->low_income;
            equity_wide y = (equity_wide)(b->granted + b->committed)
                            * (equity_wide)a->low_income;
            sum += x > y ? x - y : y - x;
        }
    return wide_round(sum * 100, (equity_wide)2 * (equity_wide)low_all
                                     * (equity_wide)money_all);
}

static void level_figures(equity_level *l)
{
    equity_row *t = &l->total;
    for (size_t i = 0; i < l->n; i++) {
        t->population += l->rows[i].population;
        t->low_income += l->rows[i].low_income;
        t->granted += l->rows[i].granted;
        t->committed += l->rows[i].committed;
    }
    int64_t money_all = t->granted + t->committed;
    for (size_t i = 0; i < l->n; i++)
        row_figures(&l->rows[i], money_all, t->low_income);
    row_figures(t, money_all, t->low_income);
    l->max_min = max_min(l);
    l->gini = gini(l, money_all, t->low_income);
}

/* ---- attributing the money -------------------------------------------- */

static int sub_level(const inputs *in, const split_grid *g,
                     const alloc_result *a, equity_level *l, size_t *index,
                     diag *d)
{
    l->kind = EQUITY_SUBREGION;
    if (!(l->rows = calloc(in->n_split + 1, sizeof *l->rows)))
        return diag_add(d, DIAG_OSERR, "out of memory");
    for (size_t k = 0; k < in->n_split; k++) {
        const subregion *sr = &in->split[k];
        index[k] = (size_t)-1;
        if (sr->is_reserve)
            continue;
        equity_row *r = &l->rows[l->n];
        index[k] = l->n++;
        r->name = r->subregion = sr->name;
        for (size_t y = 0; y < g->n_years; y++)
            r->committed += alloc_committed(a, k * g->n_years + y);
    }
    for (size_t app = 0; app < in->n_apps; app++) {
        size_t k = index[in->apps[app].subregion];
        if (k != (size_t)-1)
            l->rows[k].granted += a->decisions[app].granted;
    }
    return DIAG_OK;
}

/* Sub-region figures: split.csv's, else the sum of the territories'. */
static void sub_people(const inputs *in, equity_level *l, const size_t *index)
{
    for (size_t k = 0; k < in->n_split; k++) {
        if (index[k] == (size_t)-1 || !in->split[k].has_people)
            continue;
        l->rows[index[k]].population = in->split[k].population;
        l->rows[index[k]].low_income = in->split[k].low_income;
    }
    if (in->split_population_column && in->split_low_income_column)
        return;
    for (size_t t = 0; t < in->n_territories; t++) {
        equity_row *r = &l->rows[index[in->territories[t].subregion]];
        r->population += in->territories[t].population;
        r->low_income += in->territories[t].low_income;
    }
}

static int money_error(const inputs *in, const equity_map *m, size_t app,
                       const char *what, diag *d)
{
    const application *ap = &in->apps[app];
    return diag_at(d, DIAG_DATA, "applications.csv", ap->line, m->column,
                   "application %s is granted money but %s", ap->id, what);
}

static int territory_level(const inputs *in, const equity_map *m,
                           const alloc_result *a, equity_level *l, diag *d)
{
    l->kind = EQUITY_TERRITORY;
    if (!(l->rows = calloc(in->n_territories + 1, sizeof *l->rows)))
        return diag_add(d, DIAG_OSERR, "out of memory");
    l->n = in->n_territories;
    for (size_t t = 0; t < l->n; t++) {
        const territory_row *tr = &in->territories[t];
        l->rows[t] = (equity_row){.name = tr->name,
                                  .subregion = in->split[tr->subregion].name,
                                  .population = tr->population,
                                  .low_income = tr->low_income};
    }
    int rc = DIAG_OK;
    for (size_t app = 0; app < in->n_apps; app++) {
        int64_t money = a->decisions[app].granted;
        int64_t before = alloc_app_committed(a, app);
        if (money == 0 && before == 0)
            continue;
        long t = m->territory[app];
        char what[512];
        if (t < 0) {
            rc = money_error(in, m, app, "has no territory", d);
            continue;
        }
        if (in->territories[t].subregion != in->apps[app].subregion) {
            snprintf(what, sizeof what, "its territory \"%s\" is in the "
                     "sub-region \"%s\", not \"%s\"", l->rows[t].name,
                     l->rows[t].subregion, in->apps[app].subregion_name);
            rc = money_error(in, m, app, what, d);
            continue;
        }
        l->rows[t].granted += money;
        l->rows[t].committed += before;
    }
    return rc;
}

void equity_free(equity_result *r)
{
    for (size_t i = 0; i < 2; i++)
        free(r->level[i].rows);
    memset(r, 0, sizeof *r);
}

static const char *missing(const inputs *in)
{
    if (!in->split_population_column && !in->split_low_income_column)
        return "no population figures (split.csv has no population and "
               "low_income columns, and there is no territories.csv)";
    if (!in->split_low_income_column)
        return "split.csv has a population column but no low_income";
    return "split.csv has a low_income column but no population";
}

int equity_compute(const inputs *in, const equity_map *m,
                   const split_grid *g, const alloc_result *a,
                   equity_result *out, diag *d)
{
    memset(out, 0, sizeof *out);
    int split_people = in->split_population_column
                       && in->split_low_income_column;
    if (!split_people && !in->has_territories) {
        out->why_none = missing(in);
        return DIAG_OK;
    }
    size_t *index = malloc((in->n_split + 1) * sizeof *index);
    if (!index)
        return diag_add(d, DIAG_OSERR, "out of memory");
    int rc = sub_level(in, g, a, &out->level[0], index, d);
    if (rc == 0)
        sub_people(in, &out->level[0], index);
    free(index);
    out->n_levels = rc == 0;
    if (rc == 0 && in->has_territories && m->territory) {
        rc = territory_level(in, m, a, &out->level[1], d);
        out->n_levels = 2;
    }
    for (size_t i = 0; rc == 0 && i < out->n_levels; i++)
        level_figures(&out->level[i]);
    if (rc != 0)
        equity_free(out);
    return rc;
}

const equity_level *equity_finest(const equity_result *r)
{
    return r && r->n_levels ? &r->level[r->n_levels - 1] : NULL;
}

/* Is a further from proportional than b on its side of 1.00? */
static int further(const equity_row *a, const equity_row *b, int below)
{
    return below ? a->ratio_fine < b->ratio_fine : a->ratio_fine > b->ratio_fine;
}

size_t equity_furthest(const equity_level *l, size_t *rows, size_t n,
                       int below)
{
    size_t found = 0;
    for (size_t i = 0; i < l->n; i++) {
        int64_t q = l->rows[i].ratio_fine;
        if (q == EQUITY_NONE || (below ? q >= 1000000 : q <= 1000000))
            continue;
        size_t at = found < n ? found++ : n;
        while (at > 0 && further(&l->rows[i], &l->rows[rows[at - 1]], below)) {
            if (at < n)
                rows[at] = rows[at - 1];
            at--;
        }
        if (at < n)
            rows[at] = i;
    }
    return found;
}
