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

/* The envelope of a cell, or what earlier calls committed in it. */
typedef int64_t (*cell_value)(const output_data *o, size_t sub, size_t y);

static int64_t envelope_cell(const output_data *o, size_t sub, size_t y)
{
    return split_cell(o->env, sub, y);
}

static int64_t committed_cell(const output_data *o, size_t sub, size_t y)
{
    return alloc_committed(o->alloc, sub * o->env->n_years + y);
}

static int64_t row_of(const output_data *o, size_t sub, cell_value v)
{
    int64_t sum = 0;
    for (size_t y = 0; y < o->env->n_years; y++)
        sum += v(o, sub, y);
    return sum;
}

/* A later call for projects: earlier calls committed some money. */
static int has_commitments(const output_data *o)
{
    for (size_t sub = 0; sub < o->env->n_sub; sub++)
        if (row_of(o, sub, committed_cell) != 0)
            return 1;
    return 0;
}

/* Envelope (or commitments) of each sub-region in each fiscal year,
 * totals by formula. */
static lxw_row_t envelope_block(report_sheet *s, lxw_row_t r,
                                report_label title, cell_value v)
{
    report_ctx *c = s->c;
    const split_grid *g = c->o->env;
    lxw_col_t last = (lxw_col_t)g->n_years, tc = last + 1;
    rx_text(s, r++, 0, report_text(c, title), c->f.section);
    r = years_header(s, r, RL_SUBREGION);
    lxw_row_t first = r;
    for (size_t sub = 0; sub < g->n_sub; sub++, r++) {
        rx_text(s, r, 0, g->name[sub], NULL);
        for (size_t y = 0; y < g->n_years; y++)
            rx_money(s, r, (lxw_col_t)(y + 1), v(c->o, sub, y), money(c));
        rx_sum_row(s, r, tc, 1, last, RK_MONEY, row_of(c->o, sub, v), money(c));
    }
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    int64_t all = 0;
    for (size_t y = 0; y < g->n_years; y++) {
        int64_t year = 0;
        for (size_t sub = 0; sub < g->n_sub; sub++)
            year += v(c->o, sub, y);
        rx_sum(s, r, (lxw_col_t)(y + 1), first, r - 1, RK_MONEY, year,
               c->f.total[RK_MONEY]);
        all += year;
    }
    rx_sum_row(s, r, tc, 1, last, RK_MONEY, all, c->f.total[RK_MONEY]);
    return r + 1;
}

/* Envelope, committed in earlier calls (a later call only), requested,
 * granted and unspent (= envelope - committed - granted over the
 * program) per sub-region. */
static lxw_row_t subregion_block(report_sheet *s, lxw_row_t r, rows_span *span,
                                 int calls)
{
    report_ctx *c = s->c;
    const split_grid *g = c->o->env;
    const char *head[] = {report_text(c, RL_SUBREGION), report_text(c, RL_ENVELOPE),
                          report_text(c, RL_COMMITTED), report_text(c, RL_REQUESTED),
                          report_text(c, RL_GRANTED), report_text(c, RL_UNSPENT)};
    int n = calls ? 5 : 4; /* money columns, the last one a formula */
    if (!calls)
        memmove(&head[2], &head[3], 3 * sizeof *head);
    int64_t total[5] = {0};
    rx_text(s, r++, 0, report_text(c, RL_SEC_SUBREGIONS), c->f.section);
    rx_header(s, r++, head, n + 1);
    span->first = r;
    for (size_t sub = 0; sub < g->n_sub; sub++, r++) {
        int64_t before = row_of(c->o, sub, committed_cell), v[5];
        int k = 0;
        v[k++] = envelope_of(g, sub);
        if (calls)
            v[k++] = before;
        v[k++] = report_requested(c, sub);
        v[k++] = granted_of(c->o, sub);
        v[k] = v[0] - before - v[k - 1];
        char formula[40];
        unsigned row = (unsigned)r + 1;
        if (calls)
            snprintf(formula, sizeof formula, "=B%u-C%u-E%u", row, row, row);
        else
            snprintf(formula, sizeof formula, "=B%u-D%u", row, row);
        rx_text(s, r, 0, g->name[sub], NULL);
        for (lxw_col_t j = 0; j + 1 < (lxw_col_t)n; j++)
            rx_money(s, r, j + 1, v[j], money(c));
        rx_formula(s, r, (lxw_col_t)n, formula, RK_MONEY, v[n - 1], money(c));
        for (int j = 0; j < n; j++)
            total[j] += v[j];
    }
    span->last = r - 1;
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    for (lxw_col_t j = 0; j < (lxw_col_t)n; j++)
        rx_sum(s, r, j + 1, span->first, span->last, RK_MONEY, total[j],
               c->f.total[RK_MONEY]);
    return r + 1;
}

/* One fiscal year: envelope, committed in earlier calls, granted,
 * carried in, left at year end. */
typedef struct year_sums {
    int64_t envelope, committed, granted, carried, remaining;
} year_sums;

static year_sums year_of(const output_data *o, size_t y)
{
    year_sums t = {0, 0, 0, 0, 0};
    for (size_t sub = 0; sub < o->env->n_sub; sub++) {
        size_t k = sub * o->env->n_years + y;
        t.envelope += o->env->cell[k];
        t.committed += alloc_committed(o->alloc, k);
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

/* The year table's columns: committed only in a later call, carried in
 * only when money was carried; 0 for a column left out. */
typedef struct year_cols {
    lxw_col_t committed, granted, carried, remaining;
} year_cols;

static year_cols year_layout(int calls, int carry)
{
    year_cols k = {0, 2, 0, 0};
    if (calls)
        k = (year_cols){2, 3, 0, 0};
    if (carry)
        k.carried = k.granted + 1;
    k.remaining = (lxw_col_t)(k.granted + 1 + (carry != 0));
    return k;
}

/* "=B5-C5-D5+E5": envelope - committed - granted + carried in. */
static void year_formula(char *buf, size_t cap, const year_cols *k, unsigned n)
{
    int len = snprintf(buf, cap, "=B%u", n);
    if (k->committed && len > 0)
        len += snprintf(buf + len, cap - (size_t)len, "-%c%u",
                        'A' + k->committed, n);
    if (len > 0)
        len += snprintf(buf + len, cap - (size_t)len, "-%c%u",
                        'A' + k->granted, n);
    if (k->carried && len > 0)
        snprintf(buf + len, cap - (size_t)len, "+%c%u", 'A' + k->carried, n);
}

static void year_row(report_sheet *s, lxw_row_t r, size_t y, const year_cols *k)
{
    report_ctx *c = s->c;
    year_sums t = year_of(c->o, y);
    char fy[CAL_FY_BUFSZ], formula[64];
    rx_text(s, r, 0, cal_format_fiscal_year(c->o->env->first_year + (int)y, fy), NULL);
    rx_money(s, r, 1, t.envelope, money(c));
    if (k->committed)
        rx_money(s, r, k->committed, t.committed, money(c));
    rx_money(s, r, k->granted, t.granted, money(c));
    if (k->carried)
        rx_money(s, r, k->carried, t.carried, money(c));
    year_formula(formula, sizeof formula, k, (unsigned)r + 1);
    rx_formula(s, r, k->remaining, formula, RK_MONEY, t.remaining, money(c));
}

static void year_header(report_sheet *s, lxw_row_t r, const year_cols *k)
{
    report_ctx *c = s->c;
    header_cell(s, r, 0, report_text(c, RL_FISCAL_YEAR));
    header_cell(s, r, 1, report_text(c, RL_ENVELOPE));
    if (k->committed)
        header_cell(s, r, k->committed, report_text(c, RL_COMMITTED));
    header_cell(s, r, k->granted, report_text(c, RL_GRANTED));
    if (k->carried)
        header_cell(s, r, k->carried, report_text(c, RL_CARRIED_IN));
    header_cell(s, r, k->remaining, report_text(c, RL_REMAINING));
}

/* The region's money per fiscal year. The total's balance is what stays
 * unspent over the program: envelope - committed - granted. */
static lxw_row_t year_block(report_sheet *s, lxw_row_t r, rows_span *span,
                            int calls)
{
    report_ctx *c = s->c;
    year_cols k = year_layout(calls, has_carry(c->o));
    rx_text(s, r++, 0, report_text(c, RL_SEC_YEARS), c->f.section);
    year_header(s, r++, &k);
    span->first = r;
    year_sums all = {0, 0, 0, 0, 0};
    for (size_t y = 0; y < c->o->env->n_years; y++, r++) {
        year_row(s, r, y, &k);
        year_sums t = year_of(c->o, y);
        all.envelope += t.envelope;
        all.committed += t.committed;
        all.granted += t.granted;
    }
    span->last = r - 1;
    year_cols no_carry = k;
    no_carry.carried = 0;
    char formula[64];
    year_formula(formula, sizeof formula, &no_carry, (unsigned)r + 1);
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    rx_sum(s, r, 1, span->first, span->last, RK_MONEY, all.envelope,
           c->f.total[RK_MONEY]);
    if (k.committed)
        rx_sum(s, r, k.committed, span->first, span->last, RK_MONEY,
               all.committed, c->f.total[RK_MONEY]);
    rx_sum(s, r, k.granted, span->first, span->last, RK_MONEY, all.granted,
           c->f.total[RK_MONEY]);
    if (k.carried)
        rx_text(s, r, k.carried, "", c->f.total[RK_TEXT]);
    rx_formula(s, r, k.remaining, formula, RK_MONEY,
               all.envelope - all.committed - all.granted, c->f.total[RK_MONEY]);
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
    int calls = has_commitments(c->o);
    lxw_row_t r = head_block(&s, 0), charts = r + 1;
    r = envelope_block(&s, charts + CHART_ROWS, RL_SEC_ENVELOPE, envelope_cell);
    if (calls)
        r = envelope_block(&s, r + 1, RL_SEC_COMMITTED, committed_cell);
    r = subregion_block(&s, r + 1, &subs, calls);
    r = year_block(&s, r + 1, &years, calls);
    r = status_block(&s, r + 1, counts);
    report_equity_summary(&s, r + 1);
    add_chart(&s, charts, 0, RL_CHART_SUBREGIONS, &subs, calls ? 4 : 3);
    add_chart(&s, charts, CHART_WIDTH + CHART_GAP, RL_CHART_YEARS, &years,
              year_layout(calls, has_carry(c->o)).granted);
    free(counts);
    return report_sheet_close(&s, -1);
}
