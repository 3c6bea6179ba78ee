/* output: see include/output.h. */
#include "output.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "output_internal.h"

#define OUTPUT_REASONS_MAX 8192

/* Rows are built in one buffer and handed to stdio 64 KiB at a time: a
 * million decisions make some twenty million cells, and a stdio call per
 * cell (each taking the FILE lock) was a third of the writer's time. */
#define OUTPUT_FLUSH_AT 65536

typedef struct output_row {
    FILE *fp;
    int col;     /* cells so far in the current row, to place delimiters */
    int failed;  /* out of memory: the writer reports it at output_finish */
    char *buf;
    size_t len, cap;
} output_row;

/* Room for n more bytes (a buffer even for none: a row may start with an
 * empty cell). */
static char *output_room(output_row *r, size_t n)
{
    if (!r->buf || r->len + n > r->cap) {
        size_t cap = r->cap ? r->cap : OUTPUT_FLUSH_AT * 2;
        while (cap < r->len + n)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) {
            r->failed = 1;
            return NULL;
        }
        r->buf = b;
        r->cap = cap;
    }
    return r->buf + r->len;
}

static void output_put(output_row *r, const char *s, size_t n)
{
    char *p = output_room(r, n);
    if (p) {
        memcpy(p, s, n);
        r->len += n;
    }
}

/* Fields are quoted (by libcsv) only when they need it, so plain numbers
 * stay plain for every reader. */
static void output_cell(output_row *r, const char *s)
{
    if (r->col++)
        output_put(r, ",", 1);
    size_t n = strcspn(s, ",\"\r\n");
    if (s[n] == '\0') {
        output_put(r, s, n);
        return;
    }
    n += strlen(s + n);
    size_t need = csv_write(NULL, 0, s, n);
    char *p = output_room(r, need);
    if (p)
        r->len += csv_write(p, need, s, n);
}

/* Text from inputs or rules: neutralised against formula injection. */
static void output_text(output_row *r, const char *s)
{
    if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
        s[0] == '\t' || s[0] == '\r') {
        size_t n = strlen(s);
        char *q = malloc(n + 2);
        if (q) {
            q[0] = '\'';
            memcpy(q + 1, s, n + 1);
            output_cell(r, q);
            free(q);
            return;
        }
        output_cell(r, "'"); /* out of memory: never write the raw text */
        return;
    }
    output_cell(r, s);
}

/* Numbers never need quoting: formatted straight into the row. */
static void output_number(output_row *r, int64_t v, int cents)
{
    char *p = output_room(r, MONEY_BUFSZ + 1);
    if (!p)
        return;
    if (r->col++)
        *p++ = ',';
    const char *digits = cents ? money_format(v, p) : money_format_int(v, p);
    r->len = (size_t)(digits - r->buf) + strlen(digits);
}

static void output_money(output_row *r, int64_t cents)
{
    output_number(r, cents, 1);
}

/* Points and scores are hundredths: "72.50", written as cents are. */
static void output_points(output_row *r, int64_t hundredths)
{
    output_money(r, hundredths);
}

static void output_int(output_row *r, long long v)
{
    output_number(r, v, 0);
}

static void output_flush(output_row *r)
{
    if (r->len > 0 && r->fp) /* a short write sets ferror(fp): output_one
                                reports it */
        (void)fwrite(r->buf, 1, r->len, r->fp);
    r->len = 0;
}

static void output_end(output_row *r)
{
    output_put(r, "\n", 1);
    r->col = 0;
    if (r->fp && r->len >= OUTPUT_FLUSH_AT) /* no fp: rows kept (below) */
        output_flush(r);
}

/* Hands what is left to stdio and frees the buffer: -1 when a row could
 * not be built (out of memory). */
static int output_finish(output_row *r)
{
    output_flush(r);
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
    return r->failed ? -1 : 0;
}

static void output_cat(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

/* Appends "; " (unless first) then the reason "a" or "a: b", truncating
 * at cap - 1. */
static void output_append(char *buf, size_t cap, size_t *len, const char *a,
                          const char *b)
{
    if (*len)
        output_cat(buf, cap, len, "; ");
    output_cat(buf, cap, len, a);
    if (b) {
        output_cat(buf, cap, len, ": ");
        output_cat(buf, cap, len, b);
    }
}

/* Why equal shares did not buy it (the store has the details). */
static void output_share_reason(const alloc_shares *sh, size_t app, char *buf,
                                size_t cap)
{
    char left[MONEY_BUFSZ], cost[MONEY_BUFSZ];
    if (sh->how[app] == ALLOC_SHARE_NO_SUPPORT)
        snprintf(buf, cap, "parts égales : aucun évaluateur ne lui a donné "
                 "de point");
    else
        snprintf(buf, cap, "parts égales : ses évaluateurs n'avaient plus que "
                 "%s pour un coût de %s", money_format_fr(sh->supporters_left[app], left),
                 money_format_fr(sh->cost[app], cost));
}

void output_reasons(const output_data *o, size_t app, char *buf, size_t cap)
{
    size_t len = 0;
    char part[OUTPUT_REASONS_MAX];
    buf[0] = '\0';
    const rules_results *res = o->res;
    for (size_t k = res->first_failure[app]; k < res->first_failure[app + 1]; k++) {
        const rules_failure *f = &res->failures[k];
        output_append(buf, cap, &len, o->cfg->checks[f->check].id, f->reason);
    }
    plan_explain(o->plan, o->in, o->cfg, app, part, sizeof part);
    if (part[0])
        output_append(buf, cap, &len, part, NULL);
    const decision *dec = &o->alloc->decisions[app];
    if (dec->status == DECISION_BELOW_THRESHOLD) {
        char score[MONEY_BUFSZ], threshold[MONEY_BUFSZ]; /* both hundredths */
        output_append(buf, cap, &len, "pointage ", NULL);
        output_cat(buf, cap, &len, money_format(res->score[app], score));
        output_cat(buf, cap, &len, " sous le seuil de ");
        output_cat(buf, cap, &len, money_format(o->cfg->threshold, threshold));
    } else if (dec->status == DECISION_WAITLISTED && dec->short_year >= 0) {
        char fy[CAL_FY_BUFSZ];
        snprintf(part, sizeof part, "enveloppe %s insuffisante",
                 cal_format_fiscal_year(o->env->first_year + dec->short_year, fy));
        output_append(buf, cap, &len, part, NULL);
    } else if (dec->status == DECISION_WAITLISTED && o->alloc->shares &&
               o->alloc->shares->how[app] != ALLOC_SHARE_NO_FIT) {
        output_share_reason(o->alloc->shares, app, part, sizeof part);
        output_append(buf, cap, &len, part, NULL);
    } else if (dec->status == DECISION_WAITLISTED) {
        output_append(buf, cap, &len, "plafond par organisme atteint", NULL);
    } else if (dec->status == DECISION_PARTIAL) {
        output_append(buf, cap, &len, "financement partiel (enveloppe ou plafond)", NULL);
    } else if (dec->status == DECISION_OVERRIDDEN) {
        output_append(buf, cap, &len, dec->granted > 0
                                          ? "financement imposé par le comité"
                                          : "refus imposé par le comité", NULL);
    }
}

/* margin (points, empty for none), margin_rank, the evaluators. */
static void output_robust(output_row *r, const robust_result *rb, size_t a,
                          char *buf, size_t cap)
{
    if (rb && rb->margin[a] != ROBUST_NONE) {
        output_points(r, rb->margin[a]);
        output_int(r, rb->margin_rank[a]);
    } else {
        output_cell(r, "");
        output_cell(r, "");
    }
    buf[0] = '\0';
    if (rb)
        robust_by_names(rb, a, buf, cap);
    output_text(r, buf);
}

/* One decision's row, application a's, at the end of r. */
static void output_decision_row(output_row *r, const output_data *o, size_t a,
                                char *reasons)
{
    const application *app = &o->in->apps[a];
    const decision *dec = &o->alloc->decisions[a];
    if (dec->rank > 0)
        output_int(r, dec->rank);
    else
        output_cell(r, "");
    output_text(r, app->id);
    output_text(r, app->organisation);
    output_text(r, app->subregion_name);
    output_cell(r, alloc_status_name(dec->status));
    output_points(r, o->res->score[a]);
    for (size_t c = 0; c < o->cfg->n_criteria; c++)
        output_points(r, o->res->points[a * o->cfg->n_criteria + c]);
    output_money(r, app->requested);
    output_money(r, dec->granted);
    output_reasons(o, a, reasons, OUTPUT_REASONS_MAX);
    output_text(r, reasons);
    output_text(r, dec->override_justification ? dec->override_justification : "");
    output_robust(r, o->robust, a, reasons, OUTPUT_REASONS_MAX);
    output_end(r);
}

/* decisions.csv's rows come in rank order, each from a different place in
 * every per-application array: built in that order, at a million
 * applications, the writer spent two thirds of its time waiting for
 * memory (a cache and TLB miss on each array a row reads; software
 * prefetching did not help, measured). So the rows are built in
 * application order, reading every array front to back, into one buffer
 * (rows, with at[a] where row a starts), then copied out in rank order:
 * one contiguous read per row. The buffer holds the file once (188 MB at
 * a million applications) and lives only while the file is written. */
int output_decisions(FILE *fp, const output_data *o)
{
    size_t n = o->in->n_apps;
    output_key *keys = output_order(o);
    char *reasons = malloc(OUTPUT_REASONS_MAX);
    size_t *at = malloc((n + 1) * sizeof *at);
    output_row rows = {.fp = NULL};
    int rc = keys && reasons && at ? 0 : -1;
    for (size_t a = 0; rc == 0 && a < n; a++) {
        at[a] = rows.len;
        output_decision_row(&rows, o, a, reasons);
    }
    if (at)
        at[n] = rows.len;
    rc = rc || rows.failed ? -1 : 0;
    output_row r = {.fp = fp};
    const char *head[] = {"rank", "id", "organisation", "subregion", "status",
                          "score"};
    for (size_t i = 0; rc == 0 && i < sizeof head / sizeof *head; i++)
        output_cell(&r, head[i]);
    for (size_t c = 0; rc == 0 && c < o->cfg->n_criteria; c++)
        output_text(&r, o->cfg->criteria[c].id);
    if (rc == 0) {
        output_cell(&r, "requested");
        output_cell(&r, "granted");
        output_cell(&r, "reasons");
        output_cell(&r, "override_justification");
        output_cell(&r, "margin");
        output_cell(&r, "margin_rank");
        output_cell(&r, "decided_by_one_evaluator");
        output_end(&r);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t a = keys[i].app;
        output_put(&r, rows.buf + at[a], at[a + 1] - at[a]);
        if (r.len >= OUTPUT_FLUSH_AT)
            output_flush(&r);
    }
    free(keys);
    free(reasons);
    free(at);
    output_finish(&rows);
    int finished = output_finish(&r);
    return rc ? rc : finished;
}

int output_disbursements(FILE *fp, const output_data *o)
{
    output_row r = {.fp = fp};
    const char *head[] = {"id", "subregion", "envelope", "fiscal_year",
                          "instalment", "label", "due_date", "amount"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        output_cell(&r, head[i]);
    output_end(&r);
    for (size_t i = 0; i < o->sched->n; i++) {
        const disbursement *ds = &o->sched->items[i];
        const application *app = &o->in->apps[ds->app];
        char fy[CAL_FY_BUFSZ], due[CAL_DATE_BUFSZ];
        output_text(&r, app->id);
        output_text(&r, app->subregion_name);
        output_text(&r, o->env->name[ds->source]);
        output_cell(&r, cal_format_fiscal_year(o->env->first_year + ds->year, fy));
        output_int(&r, ds->number);
        output_text(&r, plan_label(o->plan, ds->label));
        output_cell(&r, cal_format_date(ds->due, due));
        output_money(&r, ds->amount);
        output_end(&r);
    }
    return output_finish(&r);
}

/* The money columns of one summary.csv row. */
typedef struct output_cellsum {
    int64_t envelope, carried_in, granted, unspent, carried_out, to_reserve;
    int64_t committed;  /* in earlier calls for projects */
} output_cellsum;

static void output_add(output_cellsum *t, const output_cellsum *c)
{
    t->envelope += c->envelope;
    t->carried_in += c->carried_in;
    t->granted += c->granted;
    t->carried_out += c->carried_out;
    t->to_reserve += c->to_reserve;
    t->committed += c->committed;
    t->unspent = t->to_reserve; /* over several years: what is finally left */
}

static output_cellsum output_cell_of(const output_data *o, size_t s, size_t y)
{
    const split_grid *g = o->env;
    size_t k = s * g->n_years + y;
    return (output_cellsum){g->cell[k], o->alloc->carried_in[k],
                            o->alloc->granted[k], o->alloc->remaining[k],
                            alloc_carried_out(o->alloc, g, s, y),
                            alloc_to_reserve(o->alloc, g, s, y),
                            alloc_committed(o->alloc, k)};
}

static void output_summary_row(output_row *r, const char *sub, const char *fy,
                               const output_cellsum *m, const size_t *counts)
{
    output_text(r, sub);
    output_cell(r, fy);
    output_money(r, m->envelope);
    output_money(r, m->committed);
    output_money(r, m->carried_in);
    output_money(r, m->granted);
    output_money(r, m->unspent);
    output_money(r, m->carried_out);
    output_money(r, m->to_reserve);
    for (int s = 0; s < DECISION_N_STATUSES; s++) {
        if (counts)
            output_int(r, (long long)counts[s]);
        else
            output_cell(r, "");
    }
    output_end(r);
}

static void output_summary_head(output_row *r)
{
    const char *head[] = {"subregion", "fiscal_year", "envelope", "committed",
                          "carried_in", "granted", "unspent", "carried_out",
                          "to_reserve"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        output_cell(r, head[i]);
    for (int s = 0; s < DECISION_N_STATUSES; s++)
        output_cell(r, alloc_status_name((decision_status)s));
    output_end(r);
}

/* Rows per sub-region and year, a total row per sub-region with the counts
 * by status, then the same for the whole region under "total". Over
 * several years, unspent is what finally ends in the reserve. */
int output_summary(FILE *fp, const output_data *o)
{
    const split_grid *g = o->env;
    size_t *counts = calloc((g->n_sub + 1) * DECISION_N_STATUSES, sizeof *counts);
    output_cellsum *year_total = calloc(g->n_years, sizeof *year_total);
    if (!counts || !year_total) {
        free(counts);
        free(year_total);
        return -1;
    }
    size_t *all = &counts[g->n_sub * DECISION_N_STATUSES];
    for (size_t a = 0; a < o->in->n_apps; a++) {
        decision_status st = o->alloc->decisions[a].status;
        counts[o->in->apps[a].subregion * DECISION_N_STATUSES + st]++;
        all[st]++;
    }
    output_row r = {.fp = fp};
    output_summary_head(&r);
    char fy[CAL_FY_BUFSZ];
    output_cellsum region = {0};
    for (size_t s = 0; s < g->n_sub; s++) {
        output_cellsum sub = {0};
        for (size_t y = 0; y < g->n_years; y++) {
            output_cellsum c = output_cell_of(o, s, y);
            cal_format_fiscal_year(g->first_year + (int)y, fy);
            output_summary_row(&r, g->name[s], fy, &c, NULL);
            output_add(&sub, &c);
            output_add(&year_total[y], &c);
        }
        output_summary_row(&r, g->name[s], "total", &sub,
                           &counts[s * DECISION_N_STATUSES]);
        output_add(&region, &sub);
    }
    for (size_t y = 0; y < g->n_years; y++) {
        year_total[y].unspent = 0;
        for (size_t s = 0; s < g->n_sub; s++)
            year_total[y].unspent += o->alloc->remaining[s * g->n_years + y];
        cal_format_fiscal_year(g->first_year + (int)y, fy);
        output_summary_row(&r, "total", fy, &year_total[y], NULL);
    }
    output_summary_row(&r, "total", "total", &region, all);
    free(counts);
    free(year_total);
    return output_finish(&r);
}
