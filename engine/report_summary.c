/* report_summary: the Sommaire sheet: the program at a glance, its money
 * by sub-region and fiscal year, decisions by status, and two charts. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two charts side by side, 480 x 288 pixels each at scale 1: one page
 * wide in landscape. They go above the tables, whose rows may run onto
 * the next pages: a page break never cuts a chart in two. */
#define CHART_GAP 16
#define CHART_WIDTH 480
#define CHART_ROWS 16 /* 288 pixels of 20-pixel rows, and a margin */

/* Where a table's body lies, for the charts. */
typedef struct rows_span {
    lxw_row_t first, last;
} rows_span;

static lxw_format *money(const report_ctx *c)
{
    return c->f.cell[RS_PLAIN][RK_MONEY];
}

static lxw_row_t head_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    lxw_format *label = c->f.label;
    /* values spill over the empty cells beside them: they must not widen
     * the tables' columns */
    rx_text_free(s, r++, 0, report_text(c, RL_REPORT_TITLE), c->f.title);
    rx_text(s, r, 0, report_text(c, RL_PROGRAM), label);
    rx_text_free(s, r++, 1, c->o->cfg->program, NULL);
    rx_text(s, r, 0, report_text(c, RL_RUN_ID), label);
    rx_text_free(s, r++, 1, c->run_id, NULL);
    rx_text(s, r, 0, report_text(c, RL_RUN_DATE), label);
    rx_run_time(s, r++, 1);
    rx_text(s, r, 0, report_text(c, RL_APPLICATIONS), label);
    rx_int(s, r++, 1, (int64_t)c->o->in->n_apps, c->f.count_left);
    return r;
}

/* Section title, then a header row of labels written one by one (fiscal
 * years are computed, not label constants). */
static void header_cell(report_sheet *s, lxw_row_t r, lxw_col_t col,
                        const char *text)
{
    rx_text(s, r, col, text, s->c->f.header);
}

static lxw_row_t years_header(report_sheet *s, lxw_row_t r, report_label first)
{
    const split_grid *g = s->c->o->env;
    char fy[CAL_FY_BUFSZ];
    header_cell(s, r, 0, report_text(s->c, first));
    for (size_t y = 0; y < g->n_years; y++)
        header_cell(s, r, (lxw_col_t)(y + 1),
                    cal_format_fiscal_year(g->first_year + (int)y, fy));
    header_cell(s, r, (lxw_col_t)(g->n_years + 1), report_text(s->c, RL_TOTAL));
    return r + 1;
}

static int64_t envelope_of(const split_grid *g, size_t sub)
{
    int64_t sum = 0;
    for (size_t y = 0; y < g->n_years; y++)
        sum += split_cell(g, sub, y);
    return sum;
}

static int64_t granted_of(const output_data *o, size_t sub)
{
    int64_t sum = 0;
    for (size_t y = 0; y < o->env->n_years; y++)
        sum += o->alloc->granted[sub * o->env->n_years + y];
    return sum;
}

/* Envelope of each sub-region in each fiscal year, totals by formula. */
static lxw_row_t envelope_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const split_grid *g = c->o->env;
    lxw_col_t last = (lxw_col_t)g->n_years, tc = last + 1;
    rx_text(s, r++, 0, report_text(c, RL_SEC_ENVELOPE), c->f.section);
    r = years_header(s, r, RL_SUBREGION);
    lxw_row_t first = r;
    for (size_t sub = 0; sub < g->n_sub; sub++, r++) {
        rx_text(s, r, 0, g->name[sub], NULL);
        for (size_t y = 0; y < g->n_years; y++)
            rx_money(s, r, (lxw_col_t)(y + 1), split_cell(g, sub, y), money(c));
        rx_sum_row(s, r, tc, 1, last, RK_MONEY, envelope_of(g, sub), money(c));
    }
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    int64_t all = 0;
    for (size_t y = 0; y < g->n_years; y++) {
        int64_t year = 0;
        for (size_t sub = 0; sub < g->n_sub; sub++)
            year += split_cell(g, sub, y);
        rx_sum(s, r, (lxw_col_t)(y + 1), first, r - 1, RK_MONEY, year,
               c->f.total[RK_MONEY]);
        all += year;
    }
    rx_sum_row(s, r, tc, 1, last, RK_MONEY, all, c->f.total[RK_MONEY]);
    return r + 1;
}

/* Envelope, requested, granted and unspent (= envelope - granted over
 * the program) per sub-region. */
static lxw_row_t subregion_block(report_sheet *s, lxw_row_t r, rows_span *span)
{
    report_ctx *c = s->c;
    const split_grid *g = c->o->env;
    const char *head[] = {report_text(c, RL_SUBREGION), report_text(c, RL_ENVELOPE),
                          report_text(c, RL_REQUESTED), report_text(c, RL_GRANTED),
                          report_text(c, RL_UNSPENT)};
    int64_t total[4] = {0};
    rx_text(s, r++, 0, report_text(c, RL_SEC_SUBREGIONS), c->f.section);
    rx_header(s, r++, head, 5);
    span->first = r;
    for (size_t sub = 0; sub < g->n_sub; sub++, r++) {
        int64_t v[4] = {envelope_of(g, sub), report_requested(c, sub),
                        granted_of(c->o, sub), 0};
        v[3] = v[0] - v[2];
        char formula[40];
        snprintf(formula, sizeof formula, "=B%u-D%u", (unsigned)r + 1,
                 (unsigned)r + 1);
        rx_text(s, r, 0, g->name[sub], NULL);
        for (lxw_col_t k = 0; k < 3; k++)
            rx_money(s, r, k + 1, v[k], money(c));
        rx_formula(s, r, 4, formula, RK_MONEY, v[3], money(c));
        for (int k = 0; k < 4; k++)
            total[k] += v[k];
    }
    span->last = r - 1;
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    for (lxw_col_t k = 0; k < 4; k++)
        rx_sum(s, r, k + 1, span->first, span->last, RK_MONEY, total[k],
               c->f.total[RK_MONEY]);
    return r + 1;
}

/* One fiscal year: envelope, granted, carried in, left at year end. */
typedef struct year_sums {
    int64_t envelope, granted, carried, remaining;
} year_sums;

static year_sums year_of(const output_data *o, size_t y)
{
    year_sums t = {0, 0, 0, 0};
    for (size_t sub = 0; sub < o->env->n_sub; sub++) {
        size_t k = sub * o->env->n_years + y;
        t.envelope += o->env->cell[k];
        t.granted += o->alloc->granted[k];
        t.carried += o->alloc->carried_in ? o->alloc->carried_in[k] : 0;
        t.remaining += o->alloc->remaining[k];
    }
    return t;
}

static int has_carry(const output_data *o)
{
    for (size_t y = 0; y < o->env->n_years; y++)
        if (year_of(o, y).carried != 0)
            return 1;
    return 0;
}

static void year_row(report_sheet *s, lxw_row_t r, size_t y, int carry)
{
    report_ctx *c = s->c;
    year_sums t = year_of(c->o, y);
    char fy[CAL_FY_BUFSZ], formula[48];
    unsigned n = (unsigned)r + 1;
    rx_text(s, r, 0, cal_format_fiscal_year(c->o->env->first_year + (int)y, fy), NULL);
    rx_money(s, r, 1, t.envelope, money(c));
    rx_money(s, r, 2, t.granted, money(c));
    if (carry) {
        rx_money(s, r, 3, t.carried, money(c));
        snprintf(formula, sizeof formula, "=B%u+D%u-C%u", n, n, n);
    } else {
        snprintf(formula, sizeof formula, "=B%u-C%u", n, n);
    }
    rx_formula(s, r, carry ? 4 : 3, formula, RK_MONEY, t.remaining, money(c));
}

/* The region's money per fiscal year. The total's balance is what stays
 * unspent over the program: envelope - granted. */
static lxw_row_t year_block(report_sheet *s, lxw_row_t r, rows_span *span)
{
    report_ctx *c = s->c;
    int carry = has_carry(c->o);
    const char *head[] = {report_text(c, RL_FISCAL_YEAR), report_text(c, RL_ENVELOPE),
                          report_text(c, RL_GRANTED), report_text(c, RL_CARRIED_IN),
                          report_text(c, RL_REMAINING)};
    if (!carry)
        head[3] = head[4];
    rx_text(s, r++, 0, report_text(c, RL_SEC_YEARS), c->f.section);
    rx_header(s, r++, head, carry ? 5 : 4);
    span->first = r;
    year_sums all = {0, 0, 0, 0};
    for (size_t y = 0; y < c->o->env->n_years; y++, r++) {
        year_row(s, r, y, carry);
        year_sums t = year_of(c->o, y);
        all.envelope += t.envelope;
        all.granted += t.granted;
    }
    span->last = r - 1;
    char formula[40];
    snprintf(formula, sizeof formula, "=B%u-C%u", (unsigned)r + 1, (unsigned)r + 1);
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    rx_sum(s, r, 1, span->first, span->last, RK_MONEY, all.envelope,
           c->f.total[RK_MONEY]);
    rx_sum(s, r, 2, span->first, span->last, RK_MONEY, all.granted,
           c->f.total[RK_MONEY]);
    if (carry)
        rx_text(s, r, 3, "", c->f.total[RK_TEXT]);
    rx_formula(s, r, carry ? 4 : 3, formula, RK_MONEY,
               all.envelope - all.granted, c->f.total[RK_MONEY]);
    return r + 1;
}

static lxw_row_t status_header(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    header_cell(s, r, 0, report_text(c, RL_SUBREGION));
    for (int st = 0; st < DECISION_N_STATUSES; st++)
        header_cell(s, r, (lxw_col_t)(st + 1),
                    report_status_text(c, (decision_status)st));
    header_cell(s, r, DECISION_N_STATUSES + 1, report_text(c, RL_TOTAL));
    return r + 1;
}

/* Decisions by status for each sub-region that receives applications. */
static lxw_row_t status_block(report_sheet *s, lxw_row_t r, const size_t *counts)
{
    report_ctx *c = s->c;
    const split_grid *g = c->o->env;
    lxw_format *num = c->f.cell[RS_PLAIN][RK_INT];
    const lxw_col_t tc = DECISION_N_STATUSES + 1;
    rx_text(s, r++, 0, report_text(c, RL_SEC_STATUS), c->f.section);
    r = status_header(s, r);
    lxw_row_t first = r;
    for (size_t sub = 0; sub < g->n_sub; sub++) {
        if (g->is_reserve[sub])
            continue;
        const size_t *n = &counts[sub * DECISION_N_STATUSES];
        int64_t all = 0;
        rx_text(s, r, 0, g->name[sub], NULL);
        for (int st = 0; st < DECISION_N_STATUSES; st++) {
            rx_int(s, r, (lxw_col_t)(st + 1), (int64_t)n[st], num);
            all += (int64_t)n[st];
        }
        rx_sum_row(s, r++, tc, 1, DECISION_N_STATUSES, RK_INT, all, num);
    }
    const size_t *n = &counts[g->n_sub * DECISION_N_STATUSES];
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    for (int st = 0; st < DECISION_N_STATUSES; st++) {
        if (r > first)
            rx_sum(s, r, (lxw_col_t)(st + 1), first, r - 1, RK_INT,
                   (int64_t)n[st], c->f.total[RK_INT]);
    }
    if (r > first)
        rx_sum_row(s, r, tc, 1, DECISION_N_STATUSES, RK_INT,
                   (int64_t)c->o->in->n_apps, c->f.total[RK_INT]);
    return r + 1;
}

/* Counts by sub-region and status, then the region's (row n_sub). */
static size_t *count_statuses(const output_data *o)
{
    size_t n_sub = o->env->n_sub;
    size_t *counts = calloc((n_sub + 1) * DECISION_N_STATUSES, sizeof *counts);
    if (!counts)
        return NULL;
    for (size_t a = 0; a < o->in->n_apps; a++) {
        decision_status st = o->alloc->decisions[a].status;
        counts[o->in->apps[a].subregion * DECISION_N_STATUSES + st]++;
        counts[n_sub * DECISION_N_STATUSES + st]++;
    }
    return counts;
}

static void add_series(report_sheet *s, lxw_chart *ch, const rows_span *span,
                       lxw_col_t col, report_label name)
{
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (!se) {
        s->c->oom = 1;
        return;
    }
    chart_series_set_categories(se, s->name, span->first, 0, span->last, 0);
    chart_series_set_values(se, s->name, span->first, col, span->last, col);
    chart_series_set_name(se, report_text(s->c, name));
}

/* A column chart of the envelope against the grants, over span. */
static void add_chart(report_sheet *s, lxw_row_t at, int x_offset,
                      report_label title, const rows_span *span,
                      lxw_col_t granted_col)
{
    report_ctx *c = s->c;
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_COLUMN);
    if (!ch) {
        c->oom = 1;
        return;
    }
    char description[200];
    snprintf(description, sizeof description, "%s", report_text(c, title));
    chart_title_set_name(ch, report_text(c, title));
    add_series(s, ch, span, 1, RL_ENVELOPE);
    add_series(s, ch, span, granted_col, RL_GRANTED);
    chart_axis_set_num_format(chart_axis_get(ch, LXW_CHART_AXIS_TYPE_Y),
                              "[$-C0C]#,##0\\ \"$\"");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opt = {.x_offset = x_offset, .x_scale = 1, .y_scale = 1,
                             .description = description};
    report_keep(c, worksheet_insert_chart_opt(s->ws, at, 0, ch, &opt));
}

int report_summary(report_ctx *c)
{
    report_sheet s;
    size_t *counts = count_statuses(c->o);
    if (!counts) {
        c->oom = 1;
        return -1;
    }
    /* the widest table: statuses and their total, or years and theirs */
    size_t n_cols = c->o->env->n_years > DECISION_N_STATUSES
                        ? c->o->env->n_years + 2 : DECISION_N_STATUSES + 2;
    if (report_sheet_open(&s, c, c->fixed_name[0], (lxw_col_t)n_cols) != 0) {
        free(counts);
        report_sheet_close(&s, -1);
        return -1;
    }
    report_set_cap(&s, 0, 45);
    rows_span subs, years;
    lxw_row_t r = head_block(&s, 0), charts = r + 1;
    r = envelope_block(&s, charts + CHART_ROWS);
    r = subregion_block(&s, r + 1, &subs);
    r = year_block(&s, r + 1, &years);
    status_block(&s, r + 1, counts);
    add_chart(&s, charts, 0, RL_CHART_SUBREGIONS, &subs, 3);
    add_chart(&s, charts, CHART_WIDTH + CHART_GAP, RL_CHART_YEARS, &years, 2);
    free(counts);
    return report_sheet_close(&s, -1);
}
