/* output_equity: equity.csv, the territorial equity figures (equity.h).
 *
 *   level, territory, subregion, population, low_income, granted,
 *   committed, total, per_inhabitant, per_low_income, money_share,
 *   low_income_share, ratio, max_min, gini
 *
 * One row per sub-region (level "subregion"), then the level's "total"
 * row, which alone has max_min and gini; then the same for the
 * territories of territories.csv (level "territory") when given. Money in
 * dollars to the cent, shares as proportions to four decimals (0.1234 is
 * 12.34 %), ratio, max_min and gini to two decimals; a figure without a
 * divisor (no inhabitant, no low-income person, no money) is empty. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "equity.h"
#include "money.h"
#include "output_internal.h"

/* A cell, quoted when needed; text from the inputs starting with = + - @
 * gets a ' so no spreadsheet runs it (as output.c does). */
static int cell(FILE *fp, int first, const char *s, int text)
{
    if (!first)
        fputc(',', fp);
    char *q = NULL;
    if (text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'
                 || s[0] == '\t' || s[0] == '\r')) {
        size_t n = strlen(s);
        if (!(q = malloc(n + 2)))
            return -1;
        q[0] = '\'';
        memcpy(q + 1, s, n + 1);
        s = q;
    }
    int rc = 0;
    if (s[strcspn(s, ",\"\r\n")] == '\0')
        fputs(s, fp); /* a short write sets ferror: output_one reports it */
    else
        rc = csv_fwrite(fp, s, strlen(s)) == 0 ? 0 : -1;
    free(q);
    return rc;
}

static void number(FILE *fp, int64_t v, int money, int places)
{
    char buf[MONEY_BUFSZ];
    fputc(',', fp);
    if (money)
        fputs(v < 0 ? "" : money_format(v, buf), fp);
    else if (places)
        fputs(equity_format(v, places, buf), fp);
    else
        fputs(money_format_int(v, buf), fp);
}

static int row(FILE *fp, const char *level, const equity_row *r,
               const char *name, const char *sub, const equity_level *l)
{
    int rc = cell(fp, 1, level, 0);
    rc |= cell(fp, 0, name, 1);
    rc |= cell(fp, 0, sub, 1);
    number(fp, r->population, 0, 0);
    number(fp, r->low_income, 0, 0);
    number(fp, r->granted, 1, 0);
    number(fp, r->committed, 1, 0);
    number(fp, r->granted + r->committed, 1, 0);
    number(fp, r->per_inhabitant, 1, 0);
    number(fp, r->per_low_income, 1, 0);
    number(fp, r->money_share, 0, 4);
    number(fp, r->low_income_share, 0, 4);
    number(fp, r->ratio, 0, 2);
    number(fp, l ? l->max_min : EQUITY_NONE, 0, 2);
    number(fp, l ? l->gini : EQUITY_NONE, 0, 2);
    fputc('\n', fp);
    return rc;
}

int output_equity(FILE *fp, const output_data *o)
{
    const equity_result *e = o->equity;
    fputs("level,territory,subregion,population,low_income,granted,"
          "committed,total,per_inhabitant,per_low_income,money_share,"
          "low_income_share,ratio,max_min,gini\n", fp);
    int rc = 0;
    for (size_t i = 0; i < e->n_levels; i++) {
        const equity_level *l = &e->level[i];
        const char *level = l->kind == EQUITY_SUBREGION ? "subregion"
                                                        : "territory";
        for (size_t k = 0; k < l->n; k++)
            rc |= row(fp, level, &l->rows[k], l->rows[k].name,
                      l->rows[k].subregion, NULL);
        rc |= row(fp, level, &l->total, "total", "", l);
    }
    return rc ? -1 : 0;
}
