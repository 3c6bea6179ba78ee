/* report_cells: formats and the cell writers that track column widths
 * (a sheet's opening, page setup and closing: report_sheet.c). */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "money.h"

/* See report.h: the fr-CA tag makes LibreOffice use 12 345,67 in every
 * locale; Excel follows the system's separators. */
#define FMT_MONEY "[$-C0C]#,##0.00\\ \"$\""
#define FMT_POINTS "[$-C0C]0.00"

/* Excel's longest cell text, in characters (we count bytes: safe). */
#define CELL_MAX 32767
/* Excel's date serial of 1970-01-01. */
#define EXCEL_EPOCH_1970 25569
#define LINE_HEIGHT 15.0
#define MAX_LINES 12
#define HEADER_WIDTH 10.0

/* Fill colours by decision status (Excel's good / neutral / bad family). */
static const lxw_color_t status_fill[DECISION_N_STATUSES] = {
    [DECISION_FUNDED] = 0xC6EFCE,          /* green */
    [DECISION_PARTIAL] = 0xE2EFDA,         /* pale green */
    [DECISION_WAITLISTED] = 0xFFEB9C,      /* yellow */
    [DECISION_BELOW_THRESHOLD] = 0xFCE4D6, /* orange */
    [DECISION_INELIGIBLE] = 0xFFC7CE,      /* red */
    [DECISION_OVERRIDDEN] = 0xDDEBF7,      /* blue */
};

static const char *const kind_format[RK_N_KINDS] = {
    [RK_MONEY] = FMT_MONEY, [RK_POINTS] = FMT_POINTS, [RK_INT] = "0",
    [RK_DATE] = "yyyy-mm-dd"};

void report_keep(report_ctx *c, lxw_error e)
{
    if (e != LXW_NO_ERROR && c->err == LXW_NO_ERROR)
        c->err = e;
}

static lxw_format *new_format(report_ctx *c)
{
    lxw_format *f = workbook_add_format(c->wb);
    if (!f)
        c->oom = 1;
    return f;
}

static lxw_format *kind_new(report_ctx *c, report_kind k)
{
    lxw_format *f = new_format(c);
    if (!f)
        return NULL;
    if (kind_format[k])
        format_set_num_format(f, kind_format[k]);
    if (k == RK_WRAP)
        format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static int styled_formats(report_ctx *c)
{
    report_formats *f = &c->f;
    for (int st = 0; st < RS_N; st++)
        for (int k = 0; k < RK_N_KINDS; k++) {
            if (!(f->cell[st][k] = kind_new(c, (report_kind)k)))
                return -1;
            if (st < RS_PLAIN)
                format_set_bg_color(f->cell[st][k], status_fill[st]);
        }
    for (int st = 0; st < RS_PLAIN; st++) {
        if (!(f->fill[st] = new_format(c)))
            return -1;
        format_set_bg_color(f->fill[st], status_fill[st]);
    }
    for (int k = 0; k < RK_N_KINDS; k++) {
        if (!(f->total[k] = kind_new(c, (report_kind)k)))
            return -1;
        format_set_bold(f->total[k]);
        format_set_top(f->total[k], LXW_BORDER_THIN);
    }
    return 0;
}

int report_formats_init(report_ctx *c)
{
    report_formats *f = &c->f;
    if (!(f->title = new_format(c)) || !(f->section = new_format(c)) ||
        !(f->header = new_format(c)) || !(f->label = new_format(c)) ||
        !(f->datetime = new_format(c)) || !(f->count_left = new_format(c)) ||
        !(f->points_left = new_format(c)) || !(f->money_left = new_format(c)))
        return -1;
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    format_set_bold(f->section);
    format_set_font_size(f->section, 12);
    format_set_bold(f->header);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_CENTER);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(f->header, 0xD9D9D9);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_bold(f->label);
    format_set_align(f->label, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(f->datetime, "yyyy-mm-dd hh:mm");
    format_set_align(f->datetime, LXW_ALIGN_LEFT);
    format_set_num_format(f->count_left, "0");
    format_set_align(f->count_left, LXW_ALIGN_LEFT);
    format_set_num_format(f->points_left, FMT_POINTS);
    format_set_align(f->points_left, LXW_ALIGN_LEFT);
    format_set_num_format(f->money_left, FMT_MONEY);
    format_set_align(f->money_left, LXW_ALIGN_LEFT);
    return styled_formats(c);
}

/* Characters of s (UTF-8), and of its longest line in *widest. */
static size_t text_chars(const char *s, size_t *widest)
{
    size_t n = 0, line = 0, w = 0;
    for (; *s; s++) {
        if (((unsigned char)*s & 0xC0) == 0x80)
            continue;
        n++;
        line = *s == '\n' ? 0 : line + 1;
        if (line > w)
            w = line;
    }
    *widest = w;
    return n;
}

static void widen(report_sheet *s, lxw_col_t col, double chars)
{
    if (col >= s->n_cols)
        return;
    if (chars > s->cap[col])
        chars = s->cap[col];
    if (chars > s->width[col])
        s->width[col] = chars;
}

void report_set_cap(report_sheet *s, lxw_col_t col, double cap)
{
    if (col < s->n_cols)
        s->cap[col] = cap;
}

/* The text with what XML cannot hold (see csvread_char_len; libxlsxwriter
 * escapes control characters) replaced by U+FFFD, malloc'd; NULL
 * when there is nothing to replace (or no memory: *oom). Input cells are
 * always fine (csvread refuses the rest); a rule's reason or label may
 * not be: string.sub cutting a character in two. An invalid byte would
 * make the whole workbook unreadable. */
static char *xml_clean(const char *text, size_t len, int *oom)
{
    size_t i = 0, n = 1, o = 0;
    /* ASCII is always one whole character: only the rest needs a look */
    while (i < len && ((unsigned char)text[i] < 0x80 ||
                       (n = csvread_char_len(text + i, len - i)) != 0))
        i += (unsigned char)text[i] < 0x80 ? 1 : n;
    if (i == len)
        return NULL;
    char *out = malloc(3 * len + 1);
    if (!out) {
        *oom = 1;
        return NULL;
    }
    for (i = 0; i < len; i += n ? n : 1) {
        n = csvread_char_len(text + i, len - i);
        memcpy(out + o, n ? text + i : "\xEF\xBF\xBD", n ? n : 3);
        o += n ? n : 3;
    }
    out[o] = '\0';
    return out;
}

/* Text cells only: never worksheet_write_formula, so "=1+1" stays text.
 * Longer than Excel allows: cut between two characters. */
static void text_cell(report_sheet *s, lxw_row_t r, lxw_col_t col,
                      const char *text, size_t len, lxw_format *f)
{
    if (len == 0) {
        if (f)
            report_keep(s->c, worksheet_write_blank(s->ws, r, col, f));
        return;
    }
    if (len <= CELL_MAX) {
        report_keep(s->c, worksheet_write_string(s->ws, r, col, text, f));
        return;
    }
    char *cut = malloc(CELL_MAX + 1);
    if (!cut) {
        s->c->oom = 1;
        return;
    }
    len = CELL_MAX;
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
        len--;
    memcpy(cut, text, len);
    cut[len] = '\0';
    report_keep(s->c, worksheet_write_string(s->ws, r, col, cut, f));
    free(cut);
}

static void text_of_len(report_sheet *s, lxw_row_t r, lxw_col_t col,
                        const char *text, size_t len, lxw_format *f)
{
    int oom = 0;
    char *clean = xml_clean(text, len, &oom);
    if (oom)
        s->c->oom = 1;
    else
        text_cell(s, r, col, clean ? clean : text, clean ? strlen(clean) : len, f);
    free(clean);
}

void rx_text_free(report_sheet *s, lxw_row_t r, lxw_col_t col,
                  const char *text, lxw_format *f)
{
    text_of_len(s, r, col, text, strlen(text), f);
}

void rx_text(report_sheet *s, lxw_row_t r, lxw_col_t col, const char *text,
             lxw_format *f)
{
    size_t widest, len = strlen(text);
    /* Characters are never more than bytes: a text no longer than the
     * column is wide, or a column at its cap, cannot widen it. */
    if (col < s->n_cols && s->width[col] < s->cap[col] &&
        (double)len > s->width[col]) {
        text_chars(text, &widest);
        widen(s, col, (double)widest);
    }
    text_of_len(s, r, col, text, len, f);
}

void rx_text_some(report_sheet *s, lxw_row_t r, lxw_col_t col,
                  const char *text, lxw_format *f)
{
    if (*text)
        rx_text(s, r, col, text, f);
}

/* One conditional format per status: the whole row in the status's fill
 * where the status column says so. The cells written carry the same fill
 * in their own format (a reader without conditional formats still shows
 * it); the empty ones, left out, get it from here. */
void report_fills_apply(report_ctx *c, lxw_worksheet *ws, const report_fills *f)
{
    char ref[LXW_MAX_CELL_NAME_LENGTH], formula[128];
    lxw_rowcol_to_cell_abs(ref, f->first, f->status_col, 0, 1);
    for (int st = 0; st < DECISION_N_STATUSES; st++) {
        if (!(f->statuses >> st & 1u))
            continue;
        /* our own labels, none with a quote */
        snprintf(formula, sizeof formula, "=%s=\"%s\"", ref,
                 report_status_text(c, (decision_status)st));
        lxw_conditional_format cf;
        memset(&cf, 0, sizeof cf);
        cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
        cf.value_string = formula;
        cf.format = c->f.fill[st];
        report_keep(c, worksheet_conditional_format_range(
                           ws, f->first, 0, f->last, f->last_col, &cf));
    }
}

void rx_status_fills(report_sheet *s, lxw_row_t first, lxw_row_t last,
                     lxw_col_t status_col, unsigned statuses)
{
    report_fills f = {first, last, status_col, (lxw_col_t)(s->n_cols - 1),
                      statuses};
    if (s->c->defer_fills)
        report_defer_fills(s->c, &f);
    else
        report_fills_apply(s->c, s->ws, &f);
}

static double money_width(int64_t cents)
{
    char buf[MONEY_BUFSZ];
    return (double)strlen(money_format_fr(cents, buf)) + 1;
}


/* Characters of v in decimal, its sign included (what "%lld" prints,
 * counted without printf: this runs for every number of the workbook). */
static size_t int_chars(int64_t v)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    size_t n = v < 0 ? 2 : 1;
    for (; u >= 10; u /= 10)
        n++;
    return n;
}

/* A value in cells' units: money in cents and points in hundredths
 * become dollars and points ("%.2f": the units, the point, two
 * digits); counts stay. */
static double scaled(report_kind kind, int64_t v, double *width)
{
    if (kind == RK_MONEY) {
        *width = money_width(v);
        return (double)v / 100.0;
    }
    if (kind == RK_POINTS) {
        *width = (double)(int_chars(v / 100) + (v < 0 && v > -100) + 3);
        return (double)v / 100.0;
    }
    *width = (double)int_chars(v);
    return (double)v;
}

static void rx_scaled(report_sheet *s, lxw_row_t r, lxw_col_t col,
                      report_kind kind, int64_t v, lxw_format *f)
{
    double width, value = scaled(kind, v, &width);
    widen(s, col, width);
    report_keep(s->c, worksheet_write_number(s->ws, r, col, value, f));
}

void rx_money(report_sheet *s, lxw_row_t r, lxw_col_t col, int64_t cents,
              lxw_format *f)
{
    rx_scaled(s, r, col, RK_MONEY, cents, f);
}

void rx_points(report_sheet *s, lxw_row_t r, lxw_col_t col,
               int64_t hundredths, lxw_format *f)
{
    rx_scaled(s, r, col, RK_POINTS, hundredths, f);
}

void rx_int(report_sheet *s, lxw_row_t r, lxw_col_t col, int64_t v,
            lxw_format *f)
{
    rx_scaled(s, r, col, RK_INT, v, f);
}

/* A real date: Excel's serial day number, shown by the date format. */
void rx_date(report_sheet *s, lxw_row_t r, lxw_col_t col, cal_date date,
             lxw_format *f)
{
    widen(s, col, CAL_DATE_BUFSZ);
    report_keep(s->c, worksheet_write_number(s->ws, r, col,
                                             (double)date + EXCEL_EPOCH_1970, f));
}

void rx_run_time(report_sheet *s, lxw_row_t r, lxw_col_t col)
{
    widen(s, col, 16);
    double serial = (double)s->c->opt->run_time / 86400.0 + EXCEL_EPOCH_1970;
    report_keep(s->c, worksheet_write_number(s->ws, r, col, serial,
                                             s->c->f.datetime));
}

void rx_formula(report_sheet *s, lxw_row_t r, lxw_col_t col,
                const char *formula, report_kind kind, int64_t value,
                lxw_format *f)
{
    double width, cached = scaled(kind, value, &width);
    widen(s, col, width);
    report_keep(s->c, worksheet_write_formula_num(s->ws, r, col, formula, f,
                                                  cached));
}

static void sum_range(report_sheet *s, lxw_row_t r, lxw_col_t col,
                      const char *range, report_kind kind, int64_t value,
                      lxw_format *f)
{
    char formula[64];
    snprintf(formula, sizeof formula, "=SUM(%s)", range);
    rx_formula(s, r, col, formula, kind, value, f);
}

void rx_sum(report_sheet *s, lxw_row_t r, lxw_col_t col, lxw_row_t first,
            lxw_row_t last, report_kind kind, int64_t value, lxw_format *f)
{
    char range[40];
    lxw_rowcol_to_range(range, first, col, last, col);
    sum_range(s, r, col, range, kind, value, f);
}

void rx_sum_row(report_sheet *s, lxw_row_t r, lxw_col_t col, lxw_col_t first,
                lxw_col_t last, report_kind kind, int64_t value, lxw_format *f)
{
    char range[40];
    lxw_rowcol_to_range(range, r, first, r, last);
    sum_range(s, r, col, range, kind, value, f);
}

/* Lines a wrapped cell needs at its column's width (the cap: a wrapped
 * column is as wide as its cap, plus a margin). Words do not fill lines
 * exactly, but letters are narrower than the width unit (a digit): the
 * two roughly cancel out. */
static size_t line_count(size_t chars, double cap)
{
    size_t lines = (size_t)((double)chars / cap);
    return (double)lines * cap < (double)chars ? lines + 1 : (lines ? lines : 1);
}

size_t report_text_lines(const report_sheet *s, lxw_col_t col, const char *text)
{
    double cap = col < s->n_cols ? s->cap[col] : REPORT_DEFAULT_CAP;
    size_t lines = 0, line = 0;
    for (const char *p = text;; p++) {
        if (*p == '\n' || !*p) {
            lines += line_count(line, cap);
            line = 0;
            if (!*p)
                break;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            line++;
        }
    }
    return lines;
}

void rx_row_lines(report_sheet *s, lxw_row_t r, size_t lines)
{
    if (lines <= 1)
        return;
    if (lines > MAX_LINES)
        lines = MAX_LINES;
    report_keep(s->c, worksheet_set_row(s->ws, r, LINE_HEIGHT * (double)lines,
                                        NULL));
}

/* A header label needs its longest word on one line; the rest wraps. */
static double header_width(const char *label, size_t *lines)
{
    size_t word = 0, longest = 0, widest;
    size_t chars = text_chars(label, &widest);
    for (const char *p = label;; p++) {
        if (*p == ' ' || !*p) {
            longest = word > longest ? word : longest;
            word = 0;
            if (!*p)
                break;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            word++;
        }
    }
    double w = (double)chars < HEADER_WIDTH ? (double)chars : HEADER_WIDTH;
    if ((double)longest > w)
        w = (double)longest;
    *lines = line_count(chars, w);
    return w;
}

void rx_header(report_sheet *s, lxw_row_t r, const char *const *labels,
               lxw_col_t n)
{
    size_t lines = 1;
    for (lxw_col_t col = 0; col < n; col++) {
        size_t l, chars, widest;
        widen(s, col, header_width(labels[col], &l));
        /* a column already widened by rows above wraps the label less */
        chars = text_chars(labels[col], &widest);
        if (col < s->n_cols)
            l = line_count(chars, s->width[col]);
        lines = l > lines ? l : lines;
    }
    rx_row_lines(s, r, lines);
    for (lxw_col_t col = 0; col < n; col++)
        report_keep(s->c, worksheet_write_string(s->ws, r, col, labels[col],
                                                 s->c->f.header));
}
