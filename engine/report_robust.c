/* report_robust: the Robustesse sheet (robust.h). Per sub-region, the
 * decisions nearest the cut line: every candidate whose margin is under
 * 5 points and every application whose status one evaluator's grades
 * decide, by margin (smallest first, none last), then rank, then id. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns: sub-region, rank, id, organisation, status, score, margin,
 * rank at the margin, decided by one evaluator, in words. */
#define N_COLS 10
#define NEAR 500 /* hundredths: "under 5 points" */

typedef struct rr_key {
    size_t sub;
    int64_t margin;   /* INT64_MAX for none */
    uint32_t rank;    /* UINT32_MAX when not ranked */
    const char *id;
    size_t app;
} rr_key;

static int rr_cmp(const void *a, const void *b)
{
    const rr_key *x = a, *y = b;
    if (x->sub != y->sub)
        return x->sub < y->sub ? -1 : 1;
    if (x->margin != y->margin)
        return x->margin < y->margin ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int rr_listed(const robust_result *rb, const decision *dec, size_t a)
{
    int candidate = dec->status == DECISION_FUNDED ||
                    dec->status == DECISION_PARTIAL ||
                    dec->status == DECISION_WAITLISTED;
    int by_one = rb->evaluators && rb->first_by[a + 1] > rb->first_by[a];
    return by_one || (candidate && rb->margin[a] != ROBUST_NONE &&
                      rb->margin[a] < NEAR);
}

/* French elides "de" before a vowel: "d'Amélie", "de Marc". */
static const char *rr_fr_of(const char *name)
{
    const unsigned char *u = (const unsigned char *)name;
    /* À Â Ä È É Ê Ë Î Ï Ô Ö Ù Û Ü and their lower case, in UTF-8 */
    static const char accented[] = "\x80\x82\x84\x88\x89\x8a\x8b\x8e\x8f"
                                   "\x94\x96\x99\x9b\x9c";
    int vowel = (u[0] && strchr("AEIOUYaeiouy", u[0])) ||
                (u[0] == 0xC3 &&
                 memchr(accented, u[1] & ~0x20, sizeof accented - 1));
    return vowel ? "d'" : "de ";
}

/* The margin in words, then the evaluators whose absence changes it. */
static void rr_words(const report_ctx *c, size_t a, char *buf, size_t cap)
{
    const robust_result *rb = c->o->robust;
    int en = c->opt->lang == REPORT_EN;
    char names[1024];
    robust_describe(c->o->alloc->decisions[a].status, rb->margins
                    ? rb->margin[a] : ROBUST_NONE, en, buf, cap);
    if (!rb->margins)
        buf[0] = '\0';
    size_t n = 0; /* "d'A ou de B": each alone changes it */
    names[0] = '\0';
    for (size_t k = rb->evaluators ? rb->first_by[a] : 0;
         rb->evaluators && k < rb->first_by[a + 1] && n < sizeof names; k++) {
        const char *name = rb->evaluator[rb->by[k]];
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s%s",
                              n ? (en ? " or " : " ou ") : "",
                              en ? "" : rr_fr_of(name), name);
    }
    if (!names[0])
        return;
    char tail[1200];
    snprintf(tail, sizeof tail, report_text(c, RL_WITHOUT_GRADES), names);
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "%s%s", len ? (en ? "; " : " ; ") : "",
             tail);
}

static void rr_row(report_sheet *s, lxw_row_t r, size_t a)
{
    report_ctx *c = s->c;
    const output_data *o = c->o;
    const robust_result *rb = o->robust;
    const application *app = &o->in->apps[a];
    const decision *dec = &o->alloc->decisions[a];
    lxw_format **f = c->f.cell[dec->status < RS_PLAIN ? dec->status : RS_PLAIN];
    char names[1024];
    robust_by_names(rb, a, names, sizeof names);
    rr_words(c, a, c->reasons, REPORT_REASONS_MAX);
    rx_text(s, r, 0, app->subregion_name, f[RK_TEXT]);
    if (dec->rank)
        rx_int(s, r, 1, dec->rank, f[RK_INT]);
    rx_text(s, r, 2, app->id, f[RK_TEXT]);
    rx_text(s, r, 3, app->organisation, f[RK_WRAP]);
    rx_text(s, r, 4, report_status_text(c, dec->status), f[RK_TEXT]);
    rx_points(s, r, 5, o->res->score[a], f[RK_POINTS]);
    if (rb->margins && rb->margin[a] != ROBUST_NONE) {
        rx_points(s, r, 6, rb->margin[a], f[RK_POINTS]);
        rx_int(s, r, 7, rb->margin_rank[a], f[RK_INT]);
    }
    rx_text_some(s, r, 8, names, f[RK_WRAP]);
    rx_text(s, r, 9, c->reasons, f[RK_WRAP]);
}

static void rr_header(report_sheet *s, lxw_row_t r)
{
    static const report_label labels[N_COLS] = {RL_SUBREGION, RL_RANK, RL_ID,
        RL_ORGANISATION, RL_STATUS, RL_SCORE, RL_MARGIN, RL_MARGIN_RANK,
        RL_DECIDED_BY, RL_IN_WORDS};
    static const double caps[N_COLS] = {30, 8, 16, 30, 20, 10, 10, 10, 30, 60};
    const char *head[N_COLS];
    for (int i = 0; i < N_COLS; i++) {
        head[i] = report_text(s->c, labels[i]);
        report_set_cap(s, (lxw_col_t)i, caps[i]);
    }
    rx_header(s, r, head, N_COLS);
}

/* The listed applications in sheet order; NULL when out of memory. */
static rr_key *rr_keys(const report_ctx *c, size_t *n)
{
    const output_data *o = c->o;
    rr_key *keys = malloc((o->in->n_apps + 1) * sizeof *keys);
    *n = 0;
    for (size_t a = 0; keys && a < o->in->n_apps; a++) {
        const decision *dec = &o->alloc->decisions[a];
        if (!rr_listed(o->robust, dec, a))
            continue;
        int64_t m = o->robust->margin[a];
        keys[(*n)++] = (rr_key){o->in->apps[a].subregion,
                                m == ROBUST_NONE ? INT64_MAX : m,
                                dec->rank ? dec->rank : UINT32_MAX,
                                o->in->apps[a].id, a};
    }
    if (keys)
        qsort(keys, *n, sizeof *keys, rr_cmp);
    return keys;
}

int report_robust(report_ctx *c)
{
    if (!c->o->robust)
        return 0;
    size_t n;
    rr_key *keys = rr_keys(c, &n);
    report_sheet s;
    if (!keys || report_sheet_open(&s, c, c->fixed_name[4], N_COLS) != 0) {
        c->oom |= !keys;
        free(keys);
        if (keys)
            report_sheet_close(&s, -1);
        return -1;
    }
    rx_text_free(&s, 0, 0, report_text(c, RL_ROBUST_TITLE), c->f.title);
    lxw_row_t r = 1;
    if (!c->o->robust->margins) {
        char note[200];
        snprintf(note, sizeof note, "%s%s", report_text(c, RL_MARGINS_SKIPPED),
                 c->o->robust->why_not ? c->o->robust->why_not : "");
        rx_text_free(&s, r++, 0, note, c->f.label);
    }
    rr_header(&s, r);
    lxw_row_t first = ++r;
    for (size_t i = 0; i < n; i++)
        rr_row(&s, r++, keys[i].app);
    free(keys);
    report_keep(c, worksheet_autofilter(s.ws, first - 1, 0,
                                        r > first ? r - 1 : first - 1,
                                        N_COLS - 1));
    return report_sheet_close(&s, (long)first - 1);
}
