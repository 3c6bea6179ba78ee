/* csvread: see include/csvread.h.
 *
 * libcsv does the CSV parsing; this module adds what spreadsheet exports
 * need around it: delimiter detection, BOM, encoding checks, limits, and
 * exact physical line numbers.  For the line numbers we feed libcsv one
 * physical line at a time (split on '\n'), so whenever a callback fires we
 * know which line libcsv is on.  A field's start line is remembered when
 * it begins: after a delimiter it is the delimiter's line, and at the start
 * of a row it is the first non-blank line fed (libcsv skips blank lines
 * between rows).  That also tells where an unterminated quote opened. */
#include "csvread.h"
#include "csvread_internal.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void fail(reader *r, int status, long line, long col, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));

/* Records the first structural problem; later ones are consequences. */
static void fail(reader *r, int status, long line, long col, const char *fmt,
                 ...)
{
    char msg[512];
    va_list ap;
    if (r->status)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_at(r->d, status, r->name, line, col, "%s", msg);
    r->status = status;
}

static void oom(reader *r)
{
    if (!r->status)
        r->status =
            diag_add(r->d, DIAG_OSERR, "%s: out of memory", r->name);
}

static void cell_fail(reader *r, long line, long col, const char *s,
                      size_t len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A problem with one cell: "name: \"value\" what", so that structural
 * errors read like the typed ones of inputs (the name is left out in the
 * header and past its last column). */
static void cell_fail(reader *r, long line, long col, const char *s,
                      size_t len, const char *fmt, ...)
{
    char what[256], value[CSVREAD_SHOW_MAX];
    const char *name = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    csvread_show(s, len, value);
    if (r->index > 0 && col >= 1 && (size_t)col <= r->n_names)
        name = r->names + (size_t)(col - 1) * CSVREAD_SHOW_MAX;
    fail(r, DIAG_DATA, line, col, "%s%s\"%s\" %s", name, *name ? ": " : "",
         value, what);
}

/* Length of the valid UTF-8 sequence at s (non-ASCII lead), or 0.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid,
 * and so are the noncharacters U+FFFE and U+FFFF, which XML (report.xlsx)
 * cannot hold. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    if (c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
        return 0;
    return n;
}

size_t csvread_char_len(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    return u[0] < 0x80 ? 1 : utf8_seq(u, len);
}

/* Do the 8 bytes at s hold only ASCII without NUL?  (The usual case,
 * checked a word at a time: this scan sees every byte of the file.) */
static int plain_ascii8(const unsigned char *s)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t highs = UINT64_C(0x8080808080808080);
    uint64_t w;
    memcpy(&w, s, sizeof w);
    return ((w | ((w - ones) & ~w)) & highs) == 0;
}

/* Offset of the first NUL or invalid UTF-8 byte in s, or len. */
static size_t bad_byte(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i + 8 <= len && plain_ascii8(s + i))
        i += 8;
    while (i < len) {
        if (s[i] >= 0x01 && s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = s[i] ? utf8_seq(s + i, len - i) : 0;
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

static long count_newlines(const char *s, size_t len)
{
    long n = 0;
    for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s)));
         p++)
        n++;
    return n;
}

/* Refuses NUL bytes and invalid UTF-8, at the exact line of the byte. */
static int check_text(reader *r, const char *s, size_t len, long line,
                      long col)
{
    size_t i = bad_byte((const unsigned char *)s, len);
    if (i == len)
        return 0;
    line += count_newlines(s, i);
    if (s[i] == '\0')
        cell_fail(r, line, col, s, len,
                  "holds a NUL byte: this is not a text file; save it as "
                  "\"CSV UTF-8\"");
    else if (len - i >= 3 && memcmp(s + i, "\xEF\xBF", 2) == 0
             && (unsigned char)s[i + 2] >= 0xBE)
        cell_fail(r, line, col, s, len, "holds U+%04X, which is not a "
                  "character", 0xFFC0u | ((unsigned char)s[i + 2] & 0x3Fu));
    else
        cell_fail(r, line, col, s, len,
                  "is not valid UTF-8 (byte 0x%02X): save the file as "
                  "\"CSV UTF-8\"",
                  (unsigned)(unsigned char)s[i]);
    return -1;
}

static int grow_row(reader *r, size_t len)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        size_t *off = realloc(r->off, cap * sizeof *off);
        if (off)
            r->off = off;
        size_t *lens = realloc(r->lens, cap * sizeof *lens);
        if (lens)
            r->lens = lens;
        const char **ptrs = realloc(r->ptrs, cap * sizeof *ptrs);
        if (ptrs)
            r->ptrs = ptrs;
        if (!off || !lens || !ptrs)
            return -1;
        r->cap = cap;
    }
    if (r->buf_cap - r->buf_len < len + 1) {
        size_t cap = r->buf_cap ? r->buf_cap : 4096;
        while (cap - r->buf_len < len + 1)
            cap *= 2;
        char *buf = realloc(r->buf, cap);
        if (!buf)
            return -1;
        r->buf = buf;
        r->buf_cap = cap;
    }
    return 0;
}

static void too_long(reader *r, long line, long col, const void *s,
                     size_t len)
{
    cell_fail(r, line, col, s, len,
              "is longer than %u bytes (is a closing quote missing?)",
              (unsigned)CSVREAD_MAX_FIELD);
}

/* The header's names, kept to name the column of later structural
 * errors (the callback has its own copy). */
static void keep_names(reader *r)
{
    free(r->names);
    r->n_names = 0;
    if (!(r->names = malloc(r->n * CSVREAD_SHOW_MAX + 1))) {
        oom(r);
        return;
    }
    for (size_t i = 0; i < r->n; i++)
        csvread_show(r->buf + r->off[i], r->lens[i],
                     r->names + i * CSVREAD_SHOW_MAX);
    r->n_names = r->n;
}

/* libcsv field callback: checks the field and keeps a copy for the row. */
static void on_field(void *data, size_t len, void *v)
{
    reader *r = v;
    if (r->status)
        return;
    /* field_line is 0 only after a lone CR ended a row mid-line */
    long line = r->field_line ? r->field_line
                              : r->line - count_newlines(data, len);
    long col = (long)r->n + 1;
    if (r->n == 0)
        r->row_line = line;
    if (r->n >= CSVREAD_MAX_COLUMNS) {
        fail(r, DIAG_DATA, line, col, "more than %u columns",
             (unsigned)CSVREAD_MAX_COLUMNS);
        return;
    }
    if (len > CSVREAD_MAX_FIELD) {
        too_long(r, line, col, data, len);
        return;
    }
    if (check_text(r, data, len, line, col) != 0)
        return;
    if (grow_row(r, len) != 0) {
        oom(r);
        return;
    }
    memcpy(r->buf + r->buf_len, data, len);
    r->buf[r->buf_len + len] = '\0';
    r->off[r->n] = r->buf_len;
    r->lens[r->n] = len;
    r->buf_len += len + 1;
    r->n++;
    r->field_line = r->line;
}

/* libcsv row callback: hands the row over. */
static void on_row(int c, void *v)
{
    reader *r = v;
    (void)c;
    if (r->status)
        return;
    for (size_t i = 0; i < r->n; i++)
        r->ptrs[i] = r->buf + r->off[i];
    if (r->index == 0)
        keep_names(r);
    if (r->status)
        return;
    csvread_row row = {r->ptrs, r->lens, r->n, r->index, r->row_line};
    int rc = r->fn ? r->fn(r->ctx, &row) : 0;
    r->index++;
    r->n = 0;
    r->buf_len = 0;
    r->field_line = 0;
    if (rc)
        r->status = rc;
}

static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* The field libcsv is still reading, for messages (struct csv_parser is
 * public: csv.h documents entry_buf and entry_pos).  After a closing quote
 * libcsv holds that quote and the spaces after it tentatively: closed
 * leaves them out. */
static size_t pending(const reader *r, const char **s, int closed)
{
    size_t drop = closed ? r->p.spaces + 1 : 0;
    *s = (const char *)r->p.entry_buf;
    return r->p.entry_pos > drop ? r->p.entry_pos - drop : 0;
}

/* libcsv stopped at s[done]: a stray quote or text after a closing one. */
static void parse_error(reader *r, const char *s, size_t done)
{
    long col = (long)r->n + 1;
    int err = csv_error(&r->p);
    const char *v;
    size_t n = pending(r, &v, s[done] != '"');
    if (err == CSV_ENOMEM)
        oom(r);
    else if (err != CSV_EPARSE)
        fail(r, DIAG_DATA, r->line, col, "field too long");
    else if (s[done] == '"')
        cell_fail(r, r->line, col, v, n,
                  "is followed by a stray '\"' (a field that holds quotes "
                  "must be quoted, each quote doubled)");
    else if (r->field_line && r->field_line < r->line)
        /* a quoted cell that ran over lines: the quote that closed it was
         * most likely meant to open the next one */
        cell_fail(r, r->field_line, col, v, n,
                  "has text after its closing quote on line %ld (is a "
                  "closing quote missing?)",
                  r->line);
    else
        cell_fail(r, r->line, col, v, n,
                  "has text after its closing quote (a field that holds "
                  "quotes must be quoted, each quote doubled)");
}

/* Feeds part of one physical line (s holds at most one '\n', at its end). */
static void feed_piece(reader *r, const char *s, size_t len)
{
    if (!r->field_line && !blank(s, len))
        r->field_line = r->line;
    size_t done = csv_parse(&r->p, s, len, on_field, on_row, r);
    if (r->status)
        return;
    if (done < len) {
        parse_error(r, s, done);
        return;
    }
    /* a field still open must not grow without bound (a missing quote in
     * a big file would otherwise buffer the whole rest of it) */
    if (csv_get_buffer_size(&r->p) > CSVREAD_MAX_FIELD + 2 * CSVREAD_BLK) {
        const char *v;
        size_t n = pending(r, &v, 0);
        too_long(r, r->field_line, (long)r->n + 1, v, n);
    }
}

void csvread_feed(reader *r, const char *s, size_t len)
{
    while (len && !r->status) {
        const char *nl = memchr(s, '\n', len);
        size_t n = nl ? (size_t)(nl - s) + 1 : len;
        feed_piece(r, s, n);
        if (nl)
            r->line++;
        s += n;
        len -= n;
    }
}

/* ';' when the header line (the first non-blank one) has more semicolons
 * than commas outside quotes, else ','. */
static unsigned char detect_delim(const char *s, size_t len)
{
    size_t semi = 0, comma = 0;
    int quoted = 0, seen = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' && seen)
            break;
        else if (c == ';')
            semi++;
        else if (c == ',')
            comma++;
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            seen = 1;
    }
    return semi > comma ? ';' : ',';
}

#define SNIFF 4096 /* bytes looked at to tell a binary file */

/* Is this a workbook, an image or another binary file rather than text?
 * Zip (xlsx, ods) and OLE2 (xls) signatures, a NUL byte in the first line,
 * or a first line that is not UTF-8 with a NUL close behind it (PNG).
 * A stray NUL further down is reported where it is instead. */
static int binary(const char *s, size_t len)
{
    size_t n = len < SNIFF ? len : SNIFF;
    const char *nl = memchr(s, '\n', n);
    size_t first = nl ? (size_t)(nl - s) : n;
    if ((len >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
        || (len >= 8
            && memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        || memchr(s, '\0', first))
        return 1;
    return bad_byte((const unsigned char *)s, first) < first
           && memchr(s, '\0', n) != NULL;
}

/* Handles the start of the data: refuses what is not CSV text, skips a
 * BOM, picks the delimiter.  Returns the number of bytes to skip. */
size_t csvread_begin(reader *r, const char *s, size_t len)
{
    if (len >= 2
        && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0)) {
        fail(r, DIAG_DATA, 0, 0,
             "is UTF-16 text (\"Unicode text\"): save it as \"CSV UTF-8\"");
        return len;
    }
    if (binary(s, len)) {
        fail(r, DIAG_DATA, 0, 0,
             "is not a CSV file (an Excel workbook? save it as CSV UTF-8)");
        return len;
    }
    size_t skip = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    csv_set_delim(&r->p, detect_delim(s + skip, len - skip));
    return skip;
}

void csvread_reader_init(reader *r, const char *name, csvread_row_fn fn,
                           void *ctx, diag *d)
{
    memset(r, 0, sizeof *r);
    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_blk_size(&r->p, CSVREAD_BLK);
    r->name = name;
    r->d = d;
    r->fn = fn;
    r->ctx = ctx;
    r->line = 1;
}

int csvread_reader_finish(reader *r)
{
    if (!r->status && csv_fini(&r->p, on_field, on_row, r) != 0) {
        const char *v;
        size_t n = pending(r, &v, 0);
        cell_fail(r, r->field_line ? r->field_line : r->line,
                  (long)r->n + 1, v, n,
                  "is missing its closing '\"' (unterminated quote)");
    }
    if (!r->status && r->index == 0)
        fail(r, DIAG_DATA, 0, 0, "empty file: expected a header line");
    csv_free(&r->p);
    free(r->buf);
    free(r->off);
    free(r->lens);
    free(r->ptrs);
    free(r->names);
    return r->status;
}

int csvread_mem(const char *data, size_t len, const char *name,
                csvread_row_fn fn, void *ctx, diag *d)
{
    reader r;
    csvread_reader_init(&r, name, fn, ctx, d);
    size_t skip = csvread_begin(&r, data, len);
    csvread_feed(&r, data + skip, len - skip);
    return csvread_reader_finish(&r);
}

int csvread_file_sha256(const char *path, const char *name, csvread_row_fn fn,
                        void *ctx, char sha256[HASH_SHA256_HEX], diag *d)
{
    if (sha256)
        sha256[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return diag_at(d, DIAG_DATA, name, 0, 0, "cannot open %s: %s", path,
                       strerror(errno));
    char *chunk = malloc(CSVREAD_CHUNK);
    hash_sha256 *h = sha256 ? hash_sha256_begin() : NULL;
    if (!chunk || (sha256 && !h)) {
        free(chunk);
        hash_sha256_free(h);
        fclose(f);
        return diag_add(d, DIAG_OSERR, "%s: out of memory", name);
    }
    reader r;
    csvread_reader_init(&r, name, fn, ctx, d);
    int first = 1;
    size_t got;
    /* fread fills the whole chunk unless the file ends, so the BOM and the
     * header line (if under 64 KiB) are in the first one */
    while (!r.status && (got = fread(chunk, 1, CSVREAD_CHUNK, f)) > 0) {
        if (h && hash_sha256_add(h, chunk, got) != 0) {
            fail(&r, DIAG_OSERR, 0, 0, "%s: out of memory", name);
            break;
        }
        size_t skip = first ? csvread_begin(&r, chunk, got) : 0;
        first = 0;
        csvread_feed(&r, chunk + skip, got - skip);
    }
    if (!r.status && ferror(f))
        fail(&r, DIAG_IOERR, 0, 0, "cannot read %s: %s", path,
             strerror(errno));
    free(chunk);
    fclose(f);
    int rc = csvread_reader_finish(&r);
    if (rc == 0 && h && hash_sha256_end(h, sha256) != 0)
        rc = diag_add(d, DIAG_OSERR, "%s: out of memory", name);
    else if (rc != 0)
        hash_sha256_free(h);
    return rc;
}

int csvread_file(const char *path, const char *name, csvread_row_fn fn,
                 void *ctx, diag *d)
{
    return csvread_file_sha256(path, name, fn, ctx, NULL, d);
}

void csvread_show(const char *s, size_t len, char out[CSVREAD_SHOW_MAX])
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    while (i < len) {
        char esc[5];
        const char *piece = esc;
        size_t n = 1, w;
        if (u[i] >= 0x80 && (n = utf8_seq(u + i, len - i)) != 0) {
            piece = s + i; /* a whole character */
            w = n;
        } else if (u[i] >= 0x80 || u[i] == 0) {
            snprintf(esc, sizeof esc, "\\x%02X", u[i]);
            n = 1;
            w = 4;
        } else {
            esc[0] = u[i] < 0x20 ? ' ' : s[i]; /* keep the message one line */
            n = w = 1;
        }
        if (o + w > CSVREAD_SHOW_MAX - 4)
            break;
        memcpy(out + o, piece, w);
        o += w;
        i += n;
    }
    strcpy(out + o, i < len ? "..." : "");
}
