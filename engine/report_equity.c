/* report_equity: the Équité territoriale sheet (Territorial equity), and
 * the paragraph of the Sommaire naming the territories furthest from
 * proportional (see include/equity.h for the figures).
 *
 * One table per level (sub-regions, then the territories of
 * territories.csv), its totals by formula, the level's spread (max/min
 * and Gini of dollars per low-income person), then one bar chart per
 * level of each row's share of the money against its share of the
 * low-income population. The figures are the engine's exact ones, written
 * as values: shares as percentages, ratios to two decimals. Its labels
 * live here, in both languages, beside the only code that uses them. */
#include "report_internal.h"

#include <stdio.h>
#include <string.h>

#include "equity.h"

enum {
    E_SHEET, E_TITLE, E_NOTE, E_SEC_SUB, E_SEC_TERR, E_TERRITORY, E_SUBREGION,
    E_POPULATION, E_LOW_INCOME, E_GRANTED, E_COMMITTED, E_MONEY,
    E_PER_INHABITANT, E_PER_LOW_INCOME, E_MONEY_SHARE, E_LOW_SHARE, E_RATIO,
    E_MAX_MIN, E_GINI, E_CHART_SUB, E_CHART_TERR, E_SUMMARY, E_FURTHEST,
    E_LINE, E_SPREAD, E_NONE, E_ABOVE, E_PROPORTIONAL, E_NO_MONEY, E_N
};

static const char *const words[E_N][2] = {
    [E_SHEET] = {"Équité territoriale", "Territorial equity"},
    [E_TITLE] = {"Équité territoriale : l'argent accordé et la population à "
                 "faible revenu",
                 "Territorial equity: money granted and the low-income "
                 "population"},
    [E_NOTE] = {"Ratio = part de l'argent / part de la population à faible "
                "revenu (1,00 = proportionnel). Argent = accordé dans cet "
                "appel + engagé lors des appels précédents.",
                "Ratio = share of the money / share of the low-income "
                "population (1.00 = proportional). Money = granted in this "
                "call + committed in earlier calls."},
    [E_SEC_SUB] = {"Par sous-région", "By sub-region"},
    [E_SEC_TERR] = {"Par territoire", "By territory"},
    [E_TERRITORY] = {"Territoire", "Territory"},
    [E_SUBREGION] = {"Sous-région", "Sub-region"},
    [E_POPULATION] = {"Population", "Population"},
    [E_LOW_INCOME] = {"Population à faible revenu", "Low-income population"},
    [E_GRANTED] = {"Accordé (cet appel)", "Granted (this call)"},
    [E_COMMITTED] = {"Engagé (appels précédents)", "Committed (earlier calls)"},
    [E_MONEY] = {"Argent", "Money"},
    [E_PER_INHABITANT] = {"$ par habitant", "$ per inhabitant"},
    [E_PER_LOW_INCOME] = {"$ par personne à faible revenu",
                          "$ per low-income person"},
    [E_MONEY_SHARE] = {"Part de l'argent", "Share of the money"},
    [E_LOW_SHARE] = {"Part de la population à faible revenu",
                     "Share of the low-income population"},
    [E_RATIO] = {"Ratio", "Ratio"},
    [E_MAX_MIN] = {"Écart max/min du $ par personne à faible revenu",
                   "Max/min of $ per low-income person"},
    [E_GINI] = {"Coefficient de Gini du $ par personne à faible revenu "
                "(pondéré par la population à faible revenu)",
                "Gini coefficient of $ per low-income person (weighted by "
                "the low-income population)"},
    [E_CHART_SUB] = {"Part de l'argent et de la population à faible revenu, "
                     "par sous-région",
                     "Share of the money and of the low-income population, "
                     "by sub-region"},
    [E_CHART_TERR] = {"Part de l'argent et de la population à faible revenu, "
                      "par territoire",
                      "Share of the money and of the low-income population, "
                      "by territory"},
    [E_SUMMARY] = {"Équité territoriale", "Territorial equity"},
    [E_FURTHEST] = {"Les plus loin de la proportionnalité (ratio = part de "
                    "l'argent / part de la population à faible revenu ; 1,00 "
                    "= proportionnel). En dessous :",
                    "Furthest from proportional (ratio = share of the money / "
                    "share of the low-income population; 1.00 = "
                    "proportional). Below:"},
    [E_ABOVE] = {"Au-dessus :", "Above:"},
    [E_PROPORTIONAL] = {"aucun", "none"},
    [E_LINE] = {"%s : %s %% de l'argent pour %s %% de la population à "
                "faible revenu, ratio %s",
                "%s: %s %% of the money for %s %% of the low-income "
                "population, ratio %s"},
    [E_SPREAD] = {"Écart max/min du $ par personne à faible revenu : %s ; "
                  "coefficient de Gini : %s (feuille « %s »)",
                  "Max/min of $ per low-income person: %s; Gini coefficient: "
                  "%s (sheet \"%s\")"},
    [E_NONE] = {"non défini", "undefined"},
    [E_NO_MONEY] = {"infini (un territoire n'a rien reçu)",
                    "infinite (a territory received nothing)"},
};

#define N_COLS 12
#define CHART_WIDTH 480
#define CHART_GAP 16

static const char *word(const report_ctx *c, int k)
{
    return words[k][c->opt->lang == REPORT_EN];
}

const char *report_equity_sheet_name(const report_ctx *c)
{
    return word(c, E_SHEET);
}

/* "12,34" in French, "12.34" in English; "" for EQUITY_NONE. */
static const char *shown(const report_ctx *c, int64_t v, int places,
                         char buf[32])
{
    equity_format(v, places == 4 ? 2 : places, buf);
    if (c->opt->lang != REPORT_EN) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = ',';
    }
    return *buf ? buf : word(c, E_NONE);
}

typedef struct equity_formats {
    lxw_format *percent, *percent_total, *ratio, *ratio_total;
} equity_formats;

static lxw_format *number_format(report_ctx *c, const char *num, int total)
{
    lxw_format *f = workbook_add_format(c->wb);
    if (!f) {
        c->oom = 1;
        return NULL;
    }
    format_set_num_format(f, num);
    if (total) {
        format_set_bold(f);
        format_set_top(f, LXW_BORDER_THIN);
    }
    return f;
}

static equity_formats make_formats(report_ctx *c)
{
    static const char pct[] = "[$-C0C]0.00\\ %", ratio[] = "[$-C0C]0.00";
    return (equity_formats){number_format(c, pct, 0), number_format(c, pct, 1),
                            number_format(c, ratio, 0),
                            number_format(c, ratio, 1)};
}

/* A share (ten-thousandths) as a percentage; nothing when undefined. */
static void share_cell(report_sheet *s, lxw_row_t r, lxw_col_t col,
                       int64_t v, lxw_format *f)
{
    if (v < 0)
        return;
    report_keep(s->c, worksheet_write_number(s->ws, r, col, (double)v / 10000, f));
    if (s->width[col] < 9)
        s->width[col] = 9;
}

static void some_money(report_sheet *s, lxw_row_t r, lxw_col_t col,
                       int64_t cents, lxw_format *f)
{
    if (cents >= 0)
        rx_money(s, r, col, cents, f);
}

static void figures(report_sheet *s, lxw_row_t r, const equity_row *row,
                    const equity_formats *ef, int total)
{
    report_ctx *c = s->c;
    lxw_format *money = total ? c->f.total[RK_MONEY] : c->f.cell[RS_PLAIN][RK_MONEY];
    some_money(s, r, 7, row->per_inhabitant, money);
    some_money(s, r, 8, row->per_low_income, money);
    share_cell(s, r, 9, row->money_share, total ? ef->percent_total : ef->percent);
    share_cell(s, r, 10, row->low_income_share,
               total ? ef->percent_total : ef->percent);
    if (row->ratio >= 0)
        rx_points(s, r, 11, row->ratio, total ? ef->ratio_total : ef->ratio);
}

static void data_row(report_sheet *s, lxw_row_t r, const equity_row *row,
                     const equity_formats *ef)
{
    report_ctx *c = s->c;
    lxw_format *num = c->f.cell[RS_PLAIN][RK_INT];
    lxw_format *money = c->f.cell[RS_PLAIN][RK_MONEY];
    char formula[32];
    rx_text(s, r, 0, row->name, NULL);
    rx_text(s, r, 1, row->subregion, NULL);
    rx_int(s, r, 2, row->population, num);
    rx_int(s, r, 3, row->low_income, num);
    rx_money(s, r, 4, row->granted, money);
    rx_money(s, r, 5, row->committed, money);
    snprintf(formula, sizeof formula, "=E%u+F%u", (unsigned)r + 1,
             (unsigned)r + 1);
    rx_formula(s, r, 6, formula, RK_MONEY, row->granted + row->committed,
               money);
    figures(s, r, row, ef, 0);
}

/* One level's table, its totals and spread; *first and *last receive its
 * body's rows, for the chart. */
static lxw_row_t level_table(report_sheet *s, lxw_row_t r,
                             const equity_level *l, const equity_formats *ef,
                             lxw_row_t *first, lxw_row_t *last)
{
    report_ctx *c = s->c;
    const char *head[N_COLS];
    static const int cols[N_COLS] = {
        E_TERRITORY, E_SUBREGION, E_POPULATION, E_LOW_INCOME, E_GRANTED,
        E_COMMITTED, E_MONEY, E_PER_INHABITANT, E_PER_LOW_INCOME,
        E_MONEY_SHARE, E_LOW_SHARE, E_RATIO};
    for (int i = 0; i < N_COLS; i++)
        head[i] = word(c, cols[i]);
    if (l->kind == EQUITY_SUBREGION)
        head[0] = word(c, E_SUBREGION);
    rx_text(s, r++, 0, word(c, l->kind == EQUITY_SUBREGION ? E_SEC_SUB
                                                          : E_SEC_TERR),
            c->f.section);
    rx_header(s, r++, head, N_COLS);
    *first = r;
    for (size_t i = 0; i < l->n; i++)
        data_row(s, r++, &l->rows[i], ef);
    *last = r - 1;
    const equity_row *t = &l->total;
    int64_t sums[5] = {t->population, t->low_income, t->granted, t->committed,
                       t->granted + t->committed};
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    rx_text(s, r, 1, "", c->f.total[RK_TEXT]);
    for (lxw_col_t k = 0; k < 5; k++)
        rx_sum(s, r, k + 2, *first, *last, k < 2 ? RK_INT : RK_MONEY, sums[k],
               c->f.total[k < 2 ? RK_INT : RK_MONEY]);
    figures(s, r++, t, ef, 1);
    rx_text_free(s, r, 0, word(c, E_MAX_MIN), c->f.label);
    if (l->max_min >= 0)
        rx_points(s, r, 11, l->max_min, ef->ratio);
    r++;
    rx_text_free(s, r, 0, word(c, E_GINI), c->f.label);
    if (l->gini >= 0)
        rx_points(s, r, 11, l->gini, ef->ratio);
    return r + 2;
}

static void series(report_sheet *s, lxw_chart *ch, lxw_row_t first,
                   lxw_row_t last, lxw_col_t col, int name)
{
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (!se) {
        s->c->oom = 1;
        return;
    }
    chart_series_set_categories(se, s->name, first, 0, last, 0);
    chart_series_set_values(se, s->name, first, col, last, col);
    chart_series_set_name(se, word(s->c, name));
}

/* Horizontal bars, the money's share beside the low-income share, a bar
 * pair per row: taller for many territories. */
static void chart(report_sheet *s, lxw_row_t at, int x_offset, int title,
                  lxw_row_t first, lxw_row_t last)
{
    report_ctx *c = s->c;
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_BAR);
    if (!ch) {
        c->oom = 1;
        return;
    }
    chart_title_set_name(ch, word(c, title));
    series(s, ch, first, last, 9, E_MONEY_SHARE);
    series(s, ch, first, last, 10, E_LOW_SHARE);
    chart_axis_set_num_format(chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y),
                              "0 %");
    /* first row at the top, as in the table */
    chart_axis_set_reverse(chart_axis_get(ch, LXW_CHART_AXIS_TYPE_X));
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    double rows = (double)(last - first + 1);
    char description[200];
    snprintf(description, sizeof description, "%s", word(c, title));
    lxw_chart_options opt = {.x_offset = x_offset, .x_scale = 1,
                             .y_scale = rows > 8 ? rows / 8 : 1,
                             .description = description};
    report_keep(c, worksheet_insert_chart_opt(s->ws, at, 0, ch, &opt));
}

int report_equity(report_ctx *c)
{
    const equity_result *e = c->o->equity;
    if (!e || !e->n_levels)
        return 0;
    report_sheet s;
    if (report_sheet_open(&s, c, word(c, E_SHEET), N_COLS) != 0) {
        report_sheet_close(&s, -1);
        return -1;
    }
    report_set_cap(&s, 0, 32);
    report_set_cap(&s, 1, 30);
    equity_formats ef = make_formats(c);
    if (c->oom)
        return report_sheet_close(&s, -1);
    lxw_row_t r = 0, first[2], last[2];
    rx_text_free(&s, r++, 0, word(c, E_TITLE), c->f.title);
    rx_text_free(&s, r++, 0, c->o->cfg->program, NULL);
    rx_text_free(&s, r++, 0, word(c, E_NOTE), NULL);
    r++;
    for (size_t i = 0; i < e->n_levels; i++)
        r = level_table(&s, r, &e->level[i], &ef, &first[i], &last[i]);
    for (size_t i = 0; i < e->n_levels; i++)
        chart(&s, r, (int)i * (CHART_WIDTH + CHART_GAP),
              i ? E_CHART_TERR : E_CHART_SUB, first[i], last[i]);
    return report_sheet_close(&s, -1);
}

/* Up to two rows on one side of proportional, one line each. */
static lxw_row_t side(report_sheet *s, lxw_row_t r, const equity_level *l,
                      int below)
{
    report_ctx *c = s->c;
    size_t rows[2];
    size_t n = equity_furthest(l, rows, 2, below);
    char line[1024], name[512], a[32], b[32], k[32];
    if (n == 0)
        rx_text_free(s, r++, 0, word(c, E_PROPORTIONAL), NULL);
    for (size_t i = 0; i < n; i++) {
        const equity_row *row = &l->rows[rows[i]];
        if (l->kind == EQUITY_TERRITORY)
            snprintf(name, sizeof name, "%s (%s)", row->name, row->subregion);
        else
            snprintf(name, sizeof name, "%s", row->name);
        snprintf(line, sizeof line, word(c, E_LINE), name,
                 shown(c, row->money_share, 4, a),
                 shown(c, row->low_income_share, 4, b),
                 shown(c, row->ratio, 2, k));
        rx_text_free(s, r++, 0, line, NULL);
    }
    return r;
}

/* The Sommaire's paragraph: the rows of the finest level furthest from
 * proportional, below then above, then that level's spread. */
lxw_row_t report_equity_summary(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const equity_level *l = equity_finest(c->o->equity);
    if (!l)
        return r;
    char line[1024], a[32], b[32];
    rx_text_free(s, r++, 0, word(c, E_SUMMARY), c->f.section);
    rx_text_free(s, r++, 0, word(c, E_FURTHEST), NULL);
    r = side(s, r, l, 1);
    rx_text_free(s, r++, 0, word(c, E_ABOVE), NULL);
    r = side(s, r, l, 0);
    const char *spread = l->max_min < 0 && l->unfunded
                             ? word(c, E_NO_MONEY)
                             : shown(c, l->max_min, 2, a);
    snprintf(line, sizeof line, word(c, E_SPREAD), spread,
             shown(c, l->gini, 2, b), word(c, E_SHEET));
    rx_text_free(s, r++, 0, line, NULL);
    return r;
}
