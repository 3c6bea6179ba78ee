/* report_ranking: one sheet per sub-region: the applications still in
 * the running, in rank order, with their points, money and status. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns: rank, id, organisation, title, score, one per criterion, then
 * requested, granted, status, reasons, override justification. */
#define COL_CRITERIA 5
#define N_TAIL 5

typedef struct ranking_cols {
    lxw_col_t requested, granted, status, reasons, justification, n;
} ranking_cols;

static ranking_cols columns_of(const rules_config *cfg)
{
    lxw_col_t k = (lxw_col_t)(COL_CRITERIA + cfg->n_criteria);
    return (ranking_cols){k, k + 1, k + 2, k + 3, k + 4, k + N_TAIL};
}

static int header_row(report_sheet *s, lxw_row_t r, const ranking_cols *k)
{
    report_ctx *c = s->c;
    const rules_config *cfg = c->o->cfg;
    const char **head = malloc(k->n * sizeof *head);
    if (!head) {
        c->oom = 1;
        return -1;
    }
    static const report_label first[COL_CRITERIA] = {RL_RANK, RL_ID,
        RL_ORGANISATION, RL_TITLE, RL_SCORE};
    static const report_label tail[N_TAIL] = {RL_REQUESTED, RL_GRANTED,
        RL_STATUS, RL_REASONS, RL_JUSTIFICATION};
    for (int i = 0; i < COL_CRITERIA; i++)
        head[i] = report_text(c, first[i]);
    for (size_t i = 0; i < cfg->n_criteria; i++)
        head[COL_CRITERIA + i] = cfg->criteria[i].label;
    for (int i = 0; i < N_TAIL; i++)
        head[k->requested + (lxw_col_t)i] = report_text(c, tail[i]);
    rx_header(s, r, head, k->n);
    free(head);
    return 0;
}

/* Wrapped columns: the tallest decides the row's height. */
static size_t row_lines(const report_sheet *s, const ranking_cols *k,
                        const application *app, const char *justification)
{
    size_t lines = report_text_lines(s, 2, app->organisation);
    size_t more[3] = {report_text_lines(s, 3, app->title),
                      report_text_lines(s, k->reasons, s->c->reasons),
                      report_text_lines(s, k->justification, justification)};
    for (int i = 0; i < 3; i++)
        lines = more[i] > lines ? more[i] : lines;
    return lines;
}

static void app_row(report_sheet *s, lxw_row_t r, size_t a,
                    const ranking_cols *k)
{
    report_ctx *c = s->c;
    const output_data *o = c->o;
    const application *app = &o->in->apps[a];
    const decision *dec = &o->alloc->decisions[a];
    lxw_format **f = c->f.cell[dec->status < RS_PLAIN ? dec->status : RS_PLAIN];
    const char *just = dec->override_justification ? dec->override_justification : "";
    output_reasons(o, a, c->reasons, REPORT_REASONS_MAX);
    rx_row_lines(s, r, row_lines(s, k, app, just));
    if (dec->rank > 0)
        rx_int(s, r, 0, dec->rank, f[RK_INT]);
    rx_text(s, r, 1, app->id, f[RK_TEXT]);
    rx_text(s, r, 2, app->organisation, f[RK_WRAP]);
    rx_text(s, r, 3, app->title, f[RK_WRAP]);
    rx_points(s, r, 4, o->res->score[a], f[RK_POINTS]);
    for (size_t i = 0; i < o->cfg->n_criteria; i++)
        rx_points(s, r, (lxw_col_t)(COL_CRITERIA + i),
                  o->res->points[a * o->cfg->n_criteria + i], f[RK_POINTS]);
    rx_money(s, r, k->requested, app->requested, f[RK_MONEY]);
    rx_money(s, r, k->granted, dec->granted, f[RK_MONEY]);
    rx_text(s, r, k->status, report_status_text(c, dec->status), f[RK_TEXT]);
    /* empty: no cell, the row's conditional fill colours the gap */
    rx_text_some(s, r, k->reasons, c->reasons, f[RK_WRAP]);
    rx_text_some(s, r, k->justification, just, f[RK_WRAP]);
}

/* Requested and granted summed by formula (a plain 0 on an empty sheet:
 * there is no range to sum). */
static void total_row(report_sheet *s, lxw_row_t r, lxw_row_t first,
                      const ranking_cols *k, const int64_t sums[2])
{
    report_ctx *c = s->c;
    for (lxw_col_t col = 0; col < k->n; col++)
        if (col != k->requested && col != k->granted)
            rx_text(s, r, col, col ? "" : report_text(c, RL_TOTAL),
                    c->f.total[RK_TEXT]);
    lxw_col_t money_cols[2] = {k->requested, k->granted};
    for (int i = 0; i < 2; i++) {
        if (r > first)
            rx_sum(s, r, money_cols[i], first, r - 1, RK_MONEY, sums[i],
                   c->f.total[RK_MONEY]);
        else
            rx_money(s, r, money_cols[i], 0, c->f.total[RK_MONEY]);
    }
}

static void set_caps(report_sheet *s, const ranking_cols *k)
{
    report_set_cap(s, 1, 16);
    report_set_cap(s, 2, 30);
    report_set_cap(s, 3, 32);
    report_set_cap(s, k->status, 20);
    report_set_cap(s, k->reasons, 40);
    report_set_cap(s, k->justification, 30);
}

int report_ranking(report_ctx *c, size_t sub)
{
    ranking_cols k = columns_of(c->o->cfg);
    report_sheet s;
    char title[512];
    if (report_sheet_open(&s, c, c->sheet_name[sub], k.n) != 0) {
        report_sheet_close(&s, -1);
        return -1;
    }
    set_caps(&s, &k);
    /* The full name, as the tab's may be shortened; it must not widen
     * the rank column. */
    size_t n = (size_t)snprintf(title, sizeof title, "%s",
                                report_text(c, RL_RANKING_OF));
    report_clean_text(c->o->env->name[sub], title + n, sizeof title - n, 0);
    rx_text_free(&s, 0, 0, title, c->f.title);
    if (header_row(&s, 1, &k) != 0) {
        report_sheet_close(&s, 1);
        return -1;
    }
    lxw_row_t r = 2;
    int64_t sums[2] = {0, 0};
    unsigned statuses = 0;
    for (size_t i = c->ranked_first[sub]; i < c->rejected_first[sub]; i++, r++) {
        size_t a = c->order[i];
        report_prefetch(c, i, c->rejected_first[sub]);
        app_row(&s, r, a, &k);
        sums[0] += c->o->in->apps[a].requested;
        sums[1] += c->o->alloc->decisions[a].granted;
        statuses |= 1u << c->o->alloc->decisions[a].status;
    }
    if (r > 2)
        rx_status_fills(&s, 2, r - 1, k.status, statuses);
    report_keep(c, worksheet_autofilter(s.ws, 1, 0, r > 2 ? r - 1 : 1, k.n - 1));
    total_row(&s, r, 2, &k, sums);
    return report_sheet_close(&s, 1);
}
