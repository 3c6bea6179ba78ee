/* report_rejected: the Non retenues sheet: applications below the
 * threshold or ineligible, with every check they failed.
 *
 * One column of reasons, not two: a separate "failed checks" column
 * (labels) beside the run's reasons (check ids) said the same thing twice
 * for every ineligible application, and was empty for every one below
 * the threshold; at 100 000 applications the pair cost 41 000 cells and
 * 2.3 MB of XML for no added word. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* Columns: sub-region, id, organisation, title, status, score, requested,
 * reasons. */
#define N_COLS 8
#define COL_REASONS 7

/* Appends s to buf (cap bytes, len used), cut between characters. */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n >= cap) {
        n = cap - 1 - *len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

/* One line per failed check: "label : reason" (French spacing), or the
 * label alone when the rule gave no other reason. */
static void failed_checks(const report_ctx *c, size_t a, char *buf, size_t cap)
{
    const rules_results *res = c->o->res;
    const char *sep = c->opt->lang == REPORT_EN ? ": " : " : ";
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = res->first_failure[a]; k < res->first_failure[a + 1]; k++) {
        const rules_failure *f = &res->failures[k];
        const char *label = c->o->cfg->checks[f->check].label;
        if (len)
            append(buf, cap, &len, "\n");
        append(buf, cap, &len, label);
        if (f->reason && strcmp(f->reason, label) != 0) {
            append(buf, cap, &len, sep);
            append(buf, cap, &len, f->reason);
        }
    }
}

/* Why the application is not retained, one reason a line. An ineligible
 * one: its failed checks by label (the run's reasons name them by id),
 * then a plan outside the program, if so, which is the only other
 * reason output_reasons gives it. Below the threshold: the run's
 * reasons (the score against the threshold). */
static void reasons(const report_ctx *c, size_t a, char *buf, size_t cap)
{
    const output_data *o = c->o;
    char plan[REPORT_REASONS_MAX];
    failed_checks(c, a, buf, cap);
    if (!buf[0]) {
        output_reasons(o, a, buf, cap);
        return;
    }
    plan_explain(o->plan, o->in, o->cfg, a, plan, sizeof plan);
    if (plan[0]) {
        size_t len = strlen(buf);
        append(buf, cap, &len, "\n");
        append(buf, cap, &len, plan);
    }
}

static void app_row(report_sheet *s, lxw_row_t r, size_t a)
{
    report_ctx *c = s->c;
    const output_data *o = c->o;
    const application *app = &o->in->apps[a];
    const decision *dec = &o->alloc->decisions[a];
    lxw_format **f = c->f.cell[dec->status < RS_PLAIN ? dec->status : RS_PLAIN];
    reasons(c, a, c->reasons, REPORT_REASONS_MAX);
    size_t lines[3] = {report_text_lines(s, 2, app->organisation),
                       report_text_lines(s, 3, app->title),
                       report_text_lines(s, COL_REASONS, c->reasons)};
    for (int i = 1; i < 3; i++)
        lines[0] = lines[i] > lines[0] ? lines[i] : lines[0];
    rx_row_lines(s, r, lines[0]);
    rx_text(s, r, 0, app->subregion_name, f[RK_TEXT]);
    rx_text(s, r, 1, app->id, f[RK_TEXT]);
    rx_text(s, r, 2, app->organisation, f[RK_WRAP]);
    rx_text(s, r, 3, app->title, f[RK_WRAP]);
    rx_text(s, r, 4, report_status_text(c, dec->status), f[RK_TEXT]);
    rx_points(s, r, 5, o->res->score[a], f[RK_POINTS]);
    rx_money(s, r, 6, app->requested, f[RK_MONEY]);
    rx_text(s, r, COL_REASONS, c->reasons, f[RK_WRAP]);
}

static void header(report_sheet *s, lxw_row_t r)
{
    static const report_label labels[N_COLS] = {RL_SUBREGION, RL_ID,
        RL_ORGANISATION, RL_TITLE, RL_STATUS, RL_SCORE, RL_REQUESTED,
        RL_REASONS};
    const char *head[N_COLS];
    for (int i = 0; i < N_COLS; i++)
        head[i] = report_text(s->c, labels[i]);
    rx_header(s, r, head, N_COLS);
}

static void set_caps(report_sheet *s)
{
    static const double caps[N_COLS] = {30, 16, 30, 32, 20, 10, 18, 60};
    for (lxw_col_t col = 0; col < N_COLS; col++)
        report_set_cap(s, col, caps[col]);
}

int report_rejected(report_ctx *c)
{
    report_sheet s;
    if (report_sheet_open(&s, c, c->fixed_name[2], N_COLS) != 0) {
        report_sheet_close(&s, -1);
        return -1;
    }
    set_caps(&s);
    rx_text(&s, 0, 0, report_text(c, RL_REJECTED_TITLE), c->f.title);
    header(&s, 1);
    lxw_row_t r = 2;
    for (size_t sub = 0; sub < c->o->env->n_sub; sub++)
        for (size_t i = c->rejected_first[sub]; i < c->ranked_first[sub + 1]; i++) {
            report_prefetch(c, i, c->ranked_first[sub + 1]);
            app_row(&s, r++, c->order[i]);
        }
    report_keep(c, worksheet_autofilter(s.ws, 1, 0, r > 2 ? r - 1 : 1, N_COLS - 1));
    return report_sheet_close(&s, 1);
}
