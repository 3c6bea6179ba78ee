/* report_sheet: a sheet's life, shared by every sheet: opening it (its
 * worksheet, a bigger buffer for its rows' temporary file, the page
 * setup) and closing it (column widths, frozen and repeated header rows).
 * The cells in between: report_cells.c. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Landscape Letter, one page wide, program and sheet in the page header,
 * page numbers in the footer. */
static void page_setup(report_sheet *s)
{
    char program[200], hf[256];
    worksheet_set_landscape(s->ws);
    worksheet_set_paper(s->ws, 1); /* Letter: Canada's office paper */
    worksheet_fit_to_pages(s->ws, 1, 0);
    report_clean_text(s->c->o->cfg->program, program, sizeof program, 1);
    snprintf(hf, sizeof hf, "&L%s&R&A", program);
    report_keep(s->c, worksheet_set_header(s->ws, hf));
    snprintf(hf, sizeof hf, "&C%s", report_text(s->c, RL_PAGE_FOOTER));
    report_keep(s->c, worksheet_set_footer(s->ws, hf));
}

/* The sheet's rows go through a FILE (constant_memory mode) that
 * libxlsxwriter fprintf's every cell into. glibc gives it 4 KB: one write
 * system call per 4 KB, 25 000 for the 100 MB of XML of 100 000
 * applications. 64 KB takes a tenth off the sheets' time (measured; 1 MB
 * was slower: the buffer falls out of the cache). setvbuf is allowed
 * here because nothing was written yet.
 *
 * The buffer must outlive the FILE. libxlsxwriter 1.1.4 closes each
 * sheet's temporary file while workbook_close assembles that sheet, so
 * after a successful close the buffers are freed; after a failure some
 * FILEs may still be open (lxw_workbook_free never closes them, and glibc
 * flushes open FILEs at exit), so their buffers are parked for the rest
 * of the process, reachable. Another libxlsxwriter may close them
 * elsewhere: the default buffer is kept there. No memory: the default
 * buffer too, only slower. */
#define STREAM_BUF_SIZE (64 * 1024)

struct report_stream_buf {
    struct report_stream_buf *next;
    char data[STREAM_BUF_SIZE];
};

static struct report_stream_buf *parked;

void report_stream_buffer(report_ctx *c, FILE *fp)
{
    struct report_stream_buf *b;
    if (!fp || !(b = malloc(sizeof *b)))
        return;
    if (setvbuf(fp, b->data, _IOFBF, sizeof b->data) != 0) {
        free(b);
        return;
    }
    b->next = c->stream_bufs;
    c->stream_bufs = b;
}

static void bigger_stream_buffer(report_sheet *s)
{
#if LXW_VERSION_ID == 114
    report_stream_buffer(s->c, s->ws->optimize_tmpfile);
#else
    (void)s;
#endif
}

void report_stream_bufs_free(report_ctx *c, int closed)
{
    while (c->stream_bufs) {
        struct report_stream_buf *next = c->stream_bufs->next;
        if (closed) {
            free(c->stream_bufs);
        } else {
            c->stream_bufs->next = parked;
            parked = c->stream_bufs;
        }
        c->stream_bufs = next;
    }
}

void report_stream_bufs_adopt(report_ctx *to, report_ctx *from)
{
    struct report_stream_buf **end = &from->stream_bufs;
    while (*end)
        end = &(*end)->next;
    *end = to->stream_bufs;
    to->stream_bufs = from->stream_bufs;
    from->stream_bufs = NULL;
}

int report_sheet_open(report_sheet *s, report_ctx *c, const char *name,
                      lxw_col_t n_cols)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->name = name;
    s->n_cols = n_cols;
    s->width = calloc(n_cols ? n_cols : 1, sizeof *s->width);
    s->cap = calloc(n_cols ? n_cols : 1, sizeof *s->cap);
    if (!s->width || !s->cap) {
        c->oom = 1;
        return -1;
    }
    for (lxw_col_t col = 0; col < n_cols; col++)
        s->cap[col] = REPORT_DEFAULT_CAP;
    /* NULL: out of memory, or no temporary file in constant_memory mode
     * (report_par.c creates every sheet beforehand) */
    s->ws = c->sheet_ws ? c->sheet_ws : workbook_add_worksheet(c->wb, name);
    c->sheet_ws = NULL;
    if (!s->ws) {
        report_keep(c, LXW_ERROR_CREATING_TMPFILE);
        return -1;
    }
    bigger_stream_buffer(s);
    page_setup(s);
    return 0;
}

/* Fits the columns, freezes the rows down to header_row and repeats them
 * on every printed page (header_row < 0: neither). */
int report_sheet_close(report_sheet *s, long header_row)
{
    report_ctx *c = s->c;
    for (lxw_col_t col = 0; s->ws && col < s->n_cols; col++) {
        double w = s->width[col] + 2;
        report_keep(c, worksheet_set_column(s->ws, col, col, w < 6 ? 6 : w, NULL));
    }
    if (s->ws && header_row >= 0) {
        worksheet_freeze_panes(s->ws, (lxw_row_t)header_row + 1, 0);
        report_keep(c, worksheet_repeat_rows(s->ws, 0, (lxw_row_t)header_row));
    }
    free(s->width);
    free(s->cap);
    s->width = s->cap = NULL;
    return c->err != LXW_NO_ERROR || c->oom ? -1 : 0;
}
