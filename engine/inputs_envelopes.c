/* inputs_envelopes: envelopes.csv, the program's money by fiscal year
 * (see include/inputs.h).  Years may come in any order; they are sorted,
 * and must then follow each other with no gap, since the allocation
 * spreads projects over consecutive years. */
#include <stdlib.h>

#include "inputs_internal.h"
#include "money.h"

enum { E_YEAR, E_AMOUNT, E_N };

static const char *const e_year[] = {"annee_financiere", "exercice", "annee",
                                     NULL};
static const char *const e_amount[] = {"montant", "enveloppe", NULL};

const colspec inputs_envelopes_spec[] = {
    [E_YEAR] = {"fiscal_year", e_year, 1},
    [E_AMOUNT] = {"amount", e_amount, 1},
};
const size_t inputs_envelopes_n_spec = E_N;

#define NO_YEAR (-1) /* fiscal_year of a row whose year was refused */

int inputs_envelopes_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    const table *t = &L->t;
    if (row->index == 0)
        return inputs_table_header(L, &L->t, row);
    envelope_year *y = inputs_table_item(L, row, (void **)&in->years,
                                         &in->n_years, &L->cap_years,
                                         sizeof *y);
    if (!y)
        return inputs_status(L);
    *y = (envelope_year){NO_YEAR, 0, row->line};
    const char *s, *why;
    size_t len;
    if (inputs_table_cell(t, row, E_YEAR, &s, &len)
        && cal_parse_fiscal_year(s, len, &y->fiscal_year) != 0) {
        y->fiscal_year = NO_YEAR;
        inputs_cell_error(L, t, row, E_YEAR, s, len,
                          "is not a fiscal year (expected e.g. 2024-2025)");
    }
    if (!inputs_table_cell(t, row, E_AMOUNT, &s, &len))
        return 0;
    if (money_parse(s, len, &y->amount, &why) != 0)
        inputs_cell_error(L, t, row, E_AMOUNT, s, len, "%s", why);
    else if (y->amount < 0)
        inputs_cell_error(L, t, row, E_AMOUNT, s, len, "must not be negative");
    return 0;
}

static int by_year_then_line(const void *a, const void *b)
{
    const envelope_year *x = a, *y = b;
    if (x->fiscal_year != y->fiscal_year)
        return x->fiscal_year < y->fiscal_year ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Years are sorted: a repeat sits right after the first of its kind. */
static void check_sequence(loader *L)
{
    const inputs *in = L->in;
    const table *t = &L->t;
    long col = t->col[E_YEAR] + 1;
    for (size_t k = 1; k < in->n_years; k++) {
        const envelope_year *prev = &in->years[k - 1], *y = &in->years[k];
        char a[CAL_FY_BUFSZ], b[CAL_FY_BUFSZ], c[CAL_FY_BUFSZ];
        char e[CAL_FY_BUFSZ];
        if (prev->fiscal_year == NO_YEAR || y->fiscal_year == NO_YEAR)
            continue;
        cal_format_fiscal_year(y->fiscal_year, a);
        if (y->fiscal_year == prev->fiscal_year) {
            inputs_error(L, t->file, y->line, col,
                         "fiscal_year: \"%s\" is a duplicate of line %ld", a,
                         prev->line);
        } else if (y->fiscal_year == prev->fiscal_year + 2) {
            inputs_error(L, t->file, y->line, col,
                         "fiscal_year: \"%s\" does not follow %s (line %ld): "
                         "%s is missing",
                         a, cal_format_fiscal_year(prev->fiscal_year, b),
                         prev->line,
                         cal_format_fiscal_year(prev->fiscal_year + 1, c));
        } else if (y->fiscal_year > prev->fiscal_year + 2) {
            inputs_error(L, t->file, y->line, col,
                         "fiscal_year: \"%s\" does not follow %s (line %ld): "
                         "%s to %s are missing",
                         a, cal_format_fiscal_year(prev->fiscal_year, b),
                         prev->line,
                         cal_format_fiscal_year(prev->fiscal_year + 1, c),
                         cal_format_fiscal_year(y->fiscal_year - 1, e));
        }
    }
}

void inputs_envelopes_finish(loader *L)
{
    inputs *in = L->in;
    const table *t = &L->t;
    if (t->broken || !t->have_header)
        return;
    if (t->n_rows == 0) {
        inputs_error(L, t->file, 0, 0,
                     "no fiscal years: expected one row per fiscal year");
        return;
    }
    if (in->n_years > 1) /* years is NULL when every row was refused */
        qsort(in->years, in->n_years, sizeof *in->years, by_year_then_line);
    if (t->col[E_YEAR] >= 0)
        check_sequence(L);
    /* the total is trusted only when this file had no problem */
    L->years_ok = t->errors == 0;
}
