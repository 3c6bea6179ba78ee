/* inputs_commitments: commitments.csv (optional), the money earlier calls
 * for projects of the program committed, when the run has no run store
 * to read it from (see include/inputs.h and commitments.h).  It is what
 * `alliance commitments --csv` writes, so a store's commitments can be
 * carried to a run without one and give the same decisions.
 *
 * The application ids are those of earlier calls: they are not checked
 * against applications.csv here (an id found there too is a resubmission,
 * which the commitments module refuses or accepts).  Sub-region names and
 * fiscal years are checked against split.csv and envelopes.csv, so a
 * typo is reported with its line like any other input error. */
#include <stdlib.h>
#include <string.h>

#include "inputs_internal.h"
#include "money.h"
#include "split.h"

enum { C_APP, C_SUB, C_YEAR, C_AMOUNT, C_RESOLUTION, C_N };

static const char *const c_app[] = {"id", "demande", "no_demande",
                                    "numero_demande", "numero_de_demande",
                                    NULL};
static const char *const c_sub[] = {"sous_region", "territoire", "envelope",
                                    "enveloppe", NULL};
static const char *const c_year[] = {"annee_financiere", "exercice", "annee",
                                     NULL};
static const char *const c_amount[] = {"montant", "engagement",
                                       "montant_engage", NULL};
static const char *const c_resolution[] = {"no_resolution",
                                           "numero_resolution",
                                           "numero_de_resolution", NULL};

const colspec inputs_commitments_spec[] = {
    [C_APP] = {"application", c_app, 1},
    [C_SUB] = {"subregion", c_sub, 1},
    [C_YEAR] = {"fiscal_year", c_year, 1},
    [C_AMOUNT] = {"amount", c_amount, 1},
    [C_RESOLUTION] = {"resolution", c_resolution, 1},
};
const size_t inputs_commitments_n_spec = C_N;

/* A required text cell kept in the arena; reported when empty. */
static const char *text_cell(loader *L, const csvread_row *row, int i,
                             const char *empty_why)
{
    const char *s;
    size_t len;
    if (!inputs_table_cell(&L->t, row, i, &s, &len))
        return "";
    if (len == 0) {
        inputs_cell_error(L, &L->t, row, i, s, len, "%s", empty_why);
        return "";
    }
    const char *kept = inputs_strndup(L->arena, s, len);
    if (!kept)
        inputs_oom(L);
    return kept ? kept : "";
}

/* The envelope row: a split.csv row or the implicit reserve, which only
 * exists once split computes it (checked again against the grid). */
static void envelope_row(loader *L, const csvread_row *row, commitment_row *c)
{
    c->subregion = text_cell(L, row, C_SUB, "is empty");
    if (!c->subregion[0] || !L->split_names_ok ||
        inputs_find_subregion(L->in, c->subregion) >= 0 ||
        strcmp(c->subregion, SPLIT_IMPLICIT_RESERVE) == 0)
        return;
    inputs_cell_error(L, &L->t, row, C_SUB, c->subregion,
                      strlen(c->subregion), "is not in split.csv (known: %s)",
                      L->known ? L->known : "");
}

static void year_of(loader *L, const csvread_row *row, commitment_row *c)
{
    const char *s;
    size_t len;
    if (!inputs_table_cell(&L->t, row, C_YEAR, &s, &len))
        return;
    if (cal_parse_fiscal_year(s, len, &c->fiscal_year) != 0) {
        inputs_cell_error(L, &L->t, row, C_YEAR, s, len,
                          "is not a fiscal year (expected e.g. 2024-2025)");
        return;
    }
    const inputs *in = L->in;
    if (!L->years_ok || in->n_years == 0)
        return;
    int first = in->years[0].fiscal_year;
    int last = in->years[in->n_years - 1].fiscal_year;
    if (c->fiscal_year < first || c->fiscal_year > last) {
        char a[CAL_FY_BUFSZ], b[CAL_FY_BUFSZ];
        inputs_cell_error(L, &L->t, row, C_YEAR, s, len,
                          "is not a fiscal year of envelopes.csv (%s to %s)",
                          cal_format_fiscal_year(first, a),
                          cal_format_fiscal_year(last, b));
    }
}

static void amount_of(loader *L, const csvread_row *row, commitment_row *c)
{
    const char *s, *why;
    size_t len;
    if (!inputs_table_cell(&L->t, row, C_AMOUNT, &s, &len))
        return;
    if (money_parse(s, len, &c->amount, &why) != 0)
        inputs_cell_error(L, &L->t, row, C_AMOUNT, s, len, "%s", why);
    else if (c->amount < 0)
        inputs_cell_error(L, &L->t, row, C_AMOUNT, s, len,
                          "must not be negative (a release lowers the amount "
                          "still committed)");
}

int inputs_commitments_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    if (row->index == 0)
        return inputs_table_header(L, &L->t, row);
    commitment_row *c = inputs_table_item(L, row, (void **)&in->commitments,
                                          &in->n_commitments,
                                          &L->cap_commitments, sizeof *c);
    if (!c)
        return inputs_status(L);
    *c = (commitment_row){.application = "", .subregion = "",
                          .resolution = "", .line = row->line};
    c->application = text_cell(L, row, C_APP, "is empty");
    envelope_row(L, row, c);
    year_of(L, row, c);
    amount_of(L, row, c);
    c->resolution = text_cell(L, row, C_RESOLUTION,
                              "is empty: every commitment comes from a "
                              "resolution of the committee");
    return inputs_status(L);
}

/* ---- applications carried from an earlier call ---------------------- */

application *inputs_append_apps(inputs *in, size_t n)
{
    application *apps = realloc(in->apps, (in->n_apps + n + 1) * sizeof *apps);
    if (!apps)
        return NULL;
    in->apps = apps;
    memset(&apps[in->n_apps], 0, (n + 1) * sizeof *apps);
    return &apps[in->n_apps];
}

const char *inputs_keep(inputs *in, const char *s)
{
    return in->arena ? inputs_strndup(in->arena, s, strlen(s)) : NULL;
}

const char **inputs_keep_extras(inputs *in)
{
    if (!in->arena)
        return NULL;
    const char **v = inputs_arena_alloc(in->arena,
                                        (in->n_extra + 1) * sizeof *v,
                                        _Alignof(const char *));
    for (size_t i = 0; v && i <= in->n_extra; i++)
        v[i] = "";
    return v;
}
