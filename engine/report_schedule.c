/* report_schedule: the Versements sheet: every instalment, grouped by the
 * envelope it draws on, its amount in its fiscal year's column, with a
 * SUBTOTAL per sub-region and for the region.
 *
 * No fiscal-year column beside the amounts: the column an amount stands
 * in is its fiscal year (its header, repeated on every printed page), so
 * the year as text said it a second time on 45 000 rows (2.8 MB of XML
 * at 100 000 applications). */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns: sub-region, id, organisation, instalment number, label, due
 * date, then one per fiscal year. */
#define COL_YEARS 6

typedef struct sched_groups {
    size_t *items;   /* disbursement indexes, grouped */
    size_t *first;   /* n_sub + 1 offsets into items */
} sched_groups;

static size_t source_of(const report_ctx *c, const disbursement *ds)
{
    return ds->source < c->o->env->n_sub ? ds->source
                                         : c->o->in->apps[ds->app].subregion;
}

/* counts[0..n-1] become start offsets, counts[n] the total. */
static void to_offsets(size_t *counts, size_t n)
{
    size_t sum = 0;
    for (size_t i = 0; i <= n; i++) {
        size_t k = i < n ? counts[i] : 0;
        counts[i] = sum;
        sum += k;
    }
}

/* Groups the disbursements by envelope (split-grid row), each group in
 * the sheets' application order, then instalment order: two counting
 * sorts, so the result does not depend on the schedule's own order. */
static void group(const report_ctx *c, sched_groups *g, size_t *app_first,
                  size_t *next, size_t *by_app)
{
    const sched_list *sl = c->o->sched;
    size_t n_apps = c->o->in->n_apps, n_sub = c->o->env->n_sub;
    for (size_t i = 0; i < sl->n; i++) {
        app_first[sl->items[i].app]++;
        g->first[source_of(c, &sl->items[i])]++;
    }
    to_offsets(app_first, n_apps);
    to_offsets(g->first, n_sub);
    memcpy(next, app_first, (n_apps + 1) * sizeof *next);
    for (size_t i = 0; i < sl->n; i++)
        by_app[next[sl->items[i].app]++] = i;
    memcpy(next, g->first, (n_sub + 1) * sizeof *next);
    for (size_t i = 0; i < n_apps; i++) {
        size_t a = c->order[i];
        for (size_t k = app_first[a]; k < app_first[a + 1]; k++)
            g->items[next[source_of(c, &sl->items[by_app[k]])]++] = by_app[k];
    }
}

static int groups_build(const report_ctx *c, sched_groups *g)
{
    size_t n = c->o->sched->n, n_apps = c->o->in->n_apps;
    size_t n_sub = c->o->env->n_sub;
    size_t *app_first = calloc(n_apps + 1, sizeof *app_first);
    size_t *next = malloc(((n_apps > n_sub ? n_apps : n_sub) + 1) * sizeof *next);
    size_t *by_app = malloc((n + 1) * sizeof *by_app);
    g->items = malloc((n + 1) * sizeof *g->items);
    g->first = calloc(n_sub + 1, sizeof *g->first);
    int rc = app_first && next && by_app && g->items && g->first ? 0 : -1;
    if (rc == 0)
        group(c, g, app_first, next, by_app);
    free(app_first);
    free(next);
    free(by_app);
    return rc;
}

static void header(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const split_grid *g = c->o->env;
    static const report_label labels[COL_YEARS] = {RL_SUBREGION, RL_ID,
        RL_ORGANISATION, RL_INSTALMENT_NO, RL_INSTALMENT, RL_DUE_DATE};
    const char *head[COL_YEARS];
    for (int i = 0; i < COL_YEARS; i++)
        head[i] = report_text(c, labels[i]);
    rx_header(s, r, head, COL_YEARS);
    char fy[CAL_FY_BUFSZ];
    for (size_t y = 0; y < g->n_years; y++)
        rx_text(s, r, (lxw_col_t)(COL_YEARS + y),
                cal_format_fiscal_year(g->first_year + (int)y, fy), c->f.header);
}

static void instalment_row(report_sheet *s, lxw_row_t r, const disbursement *ds,
                           size_t src)
{
    report_ctx *c = s->c;
    lxw_format **f = c->f.cell[RS_PLAIN];
    const application *app = &c->o->in->apps[ds->app];
    rx_text(s, r, 0, c->o->env->name[src], NULL);
    rx_text(s, r, 1, app->id, NULL);
    rx_text(s, r, 2, app->organisation, NULL);
    rx_int(s, r, 3, ds->number, f[RK_INT]);
    rx_text(s, r, 4, report_instalment_label(c, ds), NULL);
    rx_date(s, r, 5, ds->due, f[RK_DATE]);
    rx_money(s, r, (lxw_col_t)(COL_YEARS + ds->year), ds->amount, f[RK_MONEY]);
}

/* label, then per fiscal year =SUBTOTAL(9, rows first..r-1) cached at
 * values[y]; SUBTOTAL so the region's total can skip the sub-regions'. */
static void subtotal_row(report_sheet *s, lxw_row_t r, lxw_row_t first,
                         const char *label, const int64_t *values)
{
    report_ctx *c = s->c;
    for (lxw_col_t col = 0; col < COL_YEARS; col++)
        rx_text(s, r, col, col ? "" : label, c->f.total[RK_TEXT]);
    for (size_t y = 0; y < c->o->env->n_years; y++) {
        lxw_col_t col = (lxw_col_t)(COL_YEARS + y);
        char range[40], formula[64];
        lxw_rowcol_to_range(range, first, col, r - 1, col);
        snprintf(formula, sizeof formula, "=SUBTOTAL(9,%s)", range);
        if (r > first)
            rx_formula(s, r, col, formula, RK_MONEY, values[y], c->f.total[RK_MONEY]);
        else
            rx_money(s, r, col, 0, c->f.total[RK_MONEY]);
    }
}

/* One envelope's instalments and their subtotal; returns the next row. */
static lxw_row_t group_rows(report_sheet *s, lxw_row_t r, const sched_groups *g,
                            size_t src)
{
    report_ctx *c = s->c;
    lxw_row_t first = r;
    char label[512];
    for (size_t i = g->first[src]; i < g->first[src + 1]; i++, r++)
        instalment_row(s, r, &c->o->sched->items[g->items[i]], src);
    size_t n = (size_t)snprintf(label, sizeof label, "%s", report_text(c, RL_TOTAL_OF));
    report_clean_text(c->o->env->name[src], label + n, sizeof label - n, 0);
    subtotal_row(s, r, first, label, &c->o->alloc->granted[src * c->o->env->n_years]);
    return r + 1;
}

static int write_sheet(report_sheet *s, const sched_groups *g)
{
    report_ctx *c = s->c;
    const split_grid *env = c->o->env;
    int64_t *year = calloc(env->n_years + 1, sizeof *year);
    if (!year) {
        c->oom = 1;
        return -1;
    }
    rx_text(s, 0, 0, report_text(c, RL_SCHEDULE_TITLE), c->f.title);
    header(s, 1);
    lxw_row_t r = 2;
    for (size_t src = 0; src < env->n_sub; src++) {
        for (size_t y = 0; y < env->n_years; y++)
            year[y] += c->o->alloc->granted[src * env->n_years + y];
        if (g->first[src + 1] > g->first[src])
            r = group_rows(s, r, g, src);
    }
    subtotal_row(s, r, 2, report_text(c, RL_TOTAL), year);
    free(year);
    return 0;
}

int report_schedule(report_ctx *c)
{
    report_sheet s;
    sched_groups g = {NULL, NULL};
    lxw_col_t n_cols = (lxw_col_t)(COL_YEARS + c->o->env->n_years);
    int rc = -1;
    if (groups_build(c, &g) != 0) {
        c->oom = 1;
    } else if (report_sheet_open(&s, c, c->fixed_name[1], n_cols) != 0) {
        report_sheet_close(&s, -1);
    } else {
        report_set_cap(&s, 0, 30);
        report_set_cap(&s, 2, 35);
        report_set_cap(&s, 4, 25);
        write_sheet(&s, &g);
        rc = report_sheet_close(&s, 1);
    }
    free(g.items);
    free(g.first);
    return rc;
}
