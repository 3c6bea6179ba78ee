/* inputs_people: the population figures for territorial equity
 * (include/equity.h): split.csv's population and low_income columns, and
 * territories.csv (optional).
 *
 * split.csv's two columns stay extra columns (the rule file's split()
 * reads them); they are also parsed here, strictly, wherever they are
 * present: whole numbers of persons (grouped by spaces or not), at most
 * INPUTS_PEOPLE_MAX, the low-income population at most the population,
 * both empty on the reserve row (it is not a territory) and both filled
 * on every other row.
 *
 * territories.csv names each territory's sub-region; when split.csv has
 * figures too, each sub-region's must be the sum of its territories', so
 * the two levels of the equity tables tell the same story. */
#include <stdio.h>
#include <string.h>

#include "inputs_internal.h"

#define INPUTS_PEOPLE_MAX INT64_C(1000000000)

static const char *const k_population[] = {"population", NULL};
static const char *const k_low_income[] = {
    "low_income", "population_faible_revenu", "personnes_faible_revenu",
    "pfr", "population_a_faible_revenu", "personnes_a_faible_revenu", NULL};

enum { T_NAME, T_SUB, T_POPULATION, T_LOW_INCOME, T_N };

static const char *const t_name[] = {"territoire", "mrc", "municipalite",
                                     "ville", NULL};
static const char *const t_sub[] = {"sous_region", NULL};
static const char *const t_population[] = {NULL};

const colspec inputs_territories_spec[] = {
    [T_NAME] = {"territory", t_name, 1},
    [T_SUB] = {"subregion", t_sub, 1},
    [T_POPULATION] = {"population", t_population, 1},
    [T_LOW_INCOME] = {"low_income", k_low_income + 1, 1},
};
const size_t inputs_territories_n_spec = T_N;

/* "44168", "44 168" (plain, no-break or narrow no-break spaces between
 * groups of three): 0 and *out, or what is wrong. */
static const char *parse_people(const char *s, size_t len, int64_t *out)
{
    static const char nan[] =
        "is not a whole number of persons (expected e.g. 44168 or 44 168)";
    int64_t v = 0;
    size_t digits = 0, group = 0, groups = 0;
    if (len == 0)
        return nan;
    if (s[0] == '-')
        return "must not be negative";
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t sp = c == ' ' ? 1
                    : (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) ? 2
                    : (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80
                       && (unsigned char)s[i + 2] == 0xAF) ? 3 : 0;
        if (sp) {
            if (group == 0 || (groups > 0 && group != 3) || group > 3)
                return nan;
            groups++;
            group = 0;
            i += sp;
            continue;
        }
        if (c < '0' || c > '9')
            return nan;
        if (v <= INPUTS_PEOPLE_MAX)
            v = v * 10 + (c - '0');
        digits++;
        group++;
        i++;
    }
    if (digits == 0 || (groups > 0 && group != 3))
        return nan;
    if (v > INPUTS_PEOPLE_MAX)
        return "is too large (at most 1000000000 persons)";
    *out = v;
    return NULL;
}

static void people_error(loader *L, const char *file, long line, long col,
                         const char *key, const char *s, const char *what)
{
    char value[CSVREAD_SHOW_MAX];
    csvread_show(s, strlen(s), value);
    inputs_error(L, file, line, col, "%s: \"%s\" %s", key, value, what);
}

/* ---- split.csv ------------------------------------------------------ */

/* The extra column of split.csv holding one of names, or -1; a second
 * one is a duplicate column. */
static long people_column(loader *L, const char *const *names)
{
    const table *t = &L->t;
    long found = -1;
    for (size_t k = 0; k < t->n_extra; k++) {
        int match = 0;
        for (const char *const *n = names; *n; n++)
            match |= strcmp(t->extra_keys[k], *n) == 0;
        if (!match)
            continue;
        if (found >= 0)
            inputs_error(L, t->file, 1, t->extra_columns[k],
                         "duplicate column \"%s\": '%s' is already column %ld",
                         t->extra_names[k], names[0],
                         t->extra_columns[found]);
        else
            found = (long)k;
    }
    return found;
}

/* One cell: *v set when it is valid; 1 when it is filled. */
static int people_cell(loader *L, const subregion *sr, long k,
                       const char *key, int64_t *v, int *bad)
{
    const table *t = &L->t;
    const char *s = sr->extra ? sr->extra[k] : "";
    size_t len = strlen(s);
    inputs_trim(&s, &len);
    long col = t->extra_columns[k];
    char copy[CSVREAD_SHOW_MAX];
    snprintf(copy, sizeof copy, "%.*s", (int)len, s);
    if (sr->is_reserve) {
        if (len)
            people_error(L, t->file, sr->line, col, key, copy,
                         "is on the reserve row, which is not a territory: "
                         "leave it empty");
        return 0;
    }
    const char *why = len ? parse_people(s, len, v) : NULL;
    if (!len)
        why = "is missing (every sub-region but the reserve needs one)";
    if (why) {
        people_error(L, t->file, sr->line, col, key, copy, why);
        *bad = 1;
        return 0;
    }
    return 1;
}

void inputs_split_people(loader *L)
{
    inputs *in = L->in;
    long p = people_column(L, k_population), l = people_column(L, k_low_income);
    in->split_population_column = p >= 0 ? L->t.extra_columns[p] : 0;
    in->split_low_income_column = l >= 0 ? L->t.extra_columns[l] : 0;
    for (size_t i = 0; i < in->n_split; i++) {
        subregion *sr = &in->split[i];
        int bad = 0, has_p = 0, has_l = 0;
        if (p >= 0)
            has_p = people_cell(L, sr, p, "population", &sr->population, &bad);
        if (l >= 0)
            has_l = people_cell(L, sr, l, "low_income", &sr->low_income, &bad);
        if (has_p && has_l && sr->low_income > sr->population) {
            char shown[32];
            snprintf(shown, sizeof shown, "%lld", (long long)sr->low_income);
            char what[96];
            snprintf(what, sizeof what, "is more than the population (%lld)",
                     (long long)sr->population);
            people_error(L, L->t.file, sr->line, in->split_low_income_column,
                         "low_income", shown, what);
            bad = 1;
        }
        sr->has_people = has_p && has_l && !bad;
    }
}

/* ---- territories.csv ------------------------------------------------ */

static void territory_name(loader *L, const csvread_row *row, territory_row *t)
{
    const char *s;
    size_t len, first = L->in->n_territories - 1;
    if (!inputs_table_cell(&L->t, row, T_NAME, &s, &len))
        return;
    if (len == 0) {
        inputs_cell_error(L, &L->t, row, T_NAME, s, len, "is empty");
        return;
    }
    if (!(t->name = inputs_strndup(L->arena, s, len))) {
        inputs_oom(L);
        return;
    }
    int rc = inputs_map_put(&L->arena->territory_index, t->name, len,
                            inputs_map_hash(s, len), &first);
    if (rc < 0)
        inputs_oom(L);
    else if (rc > 0)
        inputs_cell_error(L, &L->t, row, T_NAME, s, len,
                          "is a duplicate of line %ld",
                          L->in->territories[first].line);
}

static void territory_sub(loader *L, const csvread_row *row, territory_row *t)
{
    const char *s;
    size_t len;
    if (!inputs_table_cell(&L->t, row, T_SUB, &s, &len) || !L->split_names_ok)
        return;
    char name[CSVREAD_SHOW_MAX];
    snprintf(name, sizeof name, "%.*s", (int)len, s);
    long k = len ? inputs_find_subregion(L->in, name) : -1;
    if (k < 0)
        inputs_cell_error(L, &L->t, row, T_SUB, s, len,
                          "is not a sub-region of split.csv");
    else if (L->in->split[k].is_reserve)
        inputs_cell_error(L, &L->t, row, T_SUB, s, len,
                          "is the reserve row of split.csv, not a sub-region");
    else
        t->subregion = (size_t)k;
}

/* One figure of a row; 0 and *v, or -1 once reported (or absent: the
 * missing column is reported with the header). */
static int territory_figure(loader *L, const csvread_row *row, int i,
                            int64_t *v)
{
    const char *s, *why;
    size_t len;
    if (!inputs_table_cell(&L->t, row, i, &s, &len))
        return -1;
    why = len ? parse_people(s, len, v) : "is missing";
    if (why) {
        inputs_cell_error(L, &L->t, row, i, s, len, "%s", why);
        return -1;
    }
    return 0;
}

static void territory_figures(loader *L, const csvread_row *row,
                              territory_row *t)
{
    int ok = territory_figure(L, row, T_POPULATION, &t->population) == 0;
    if (territory_figure(L, row, T_LOW_INCOME, &t->low_income) == 0 && ok
        && t->low_income > t->population) {
        const char *s;
        size_t len;
        inputs_table_cell(&L->t, row, T_LOW_INCOME, &s, &len);
        inputs_cell_error(L, &L->t, row, T_LOW_INCOME, s, len,
                          "is more than the population (%lld)",
                          (long long)t->population);
    }
}

int inputs_territories_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    if (row->index == 0)
        return inputs_table_header(L, &L->t, row);
    territory_row *t = inputs_table_item(L, row, (void **)&in->territories,
                                         &in->n_territories,
                                         &L->cap_territories, sizeof *t);
    if (!t)
        return inputs_status(L);
    *t = (territory_row){.name = "", .line = row->line};
    territory_name(L, row, t);
    territory_sub(L, row, t);
    territory_figures(L, row, t);
    return inputs_status(L);
}

/* Each sub-region has territories; with figures in split.csv too, they
 * add up to them. */
void inputs_territories_finish(loader *L)
{
    inputs *in = L->in;
    if (L->t.broken || !L->t.have_header || L->status || !L->split_names_ok)
        return;
    in->has_territories = 1;
    if (L->t.n_rows == 0) {
        inputs_error(L, L->t.file, 0, 0,
                     "no territories: expected one row per territory");
        return;
    }
    for (size_t k = 0; k < in->n_split; k++) {
        const subregion *sr = &in->split[k];
        int64_t pop = 0, low = 0;
        size_t n = 0;
        for (size_t i = 0; i < in->n_territories; i++)
            if (in->territories[i].subregion == k) {
                pop += in->territories[i].population;
                low += in->territories[i].low_income;
                n++;
            }
        if (sr->is_reserve)
            continue;
        if (n == 0) {
            inputs_error(L, L->t.file, 0, 0,
                         "no territory of the sub-region \"%s\" (split.csv "
                         "line %ld): every sub-region needs its territories",
                         sr->name, sr->line);
        } else if (sr->has_people && sr->population != pop) {
            inputs_error(L, "split.csv", sr->line, in->split_population_column,
                         "population: \"%lld\" is not the sum of the "
                         "sub-region's territories in territories.csv (%lld)",
                         (long long)sr->population, (long long)pop);
        } else if (sr->has_people && sr->low_income != low) {
            inputs_error(L, "split.csv", sr->line, in->split_low_income_column,
                         "low_income: \"%lld\" is not the sum of the "
                         "sub-region's territories in territories.csv (%lld)",
                         (long long)sr->low_income, (long long)low);
        }
    }
}
