/* csvread_internal: what engine/csvread.c shares with csvread_par.c (the
 * read of a big file in two halves); not a public contract. */
#ifndef ALLIANCE_CSVREAD_INTERNAL_H
#define ALLIANCE_CSVREAD_INTERNAL_H

#include <csv.h>
#include <stddef.h>

#include "csvread.h"

#define CSVREAD_CHUNK (64u * 1024u) /* bytes read from the file at once */
#define CSVREAD_BLK (64u * 1024u)   /* libcsv grows its field buffer so */

typedef struct reader {
    struct csv_parser p;
    const char *name;
    diag *d;
    csvread_row_fn fn;
    void *ctx;
    long line;        /* physical line being fed, 1-based */
    long field_line;  /* line where the pending field starts; 0: unknown */
    long row_line;    /* line where the pending row starts */
    char *buf;        /* the pending row's fields, each NUL-terminated */
    size_t buf_len, buf_cap;
    size_t *off, *lens; /* per field: offset in buf, length */
    const char **ptrs;
    size_t n, cap;    /* fields in the pending row, room in the arrays */
    size_t index;     /* rows handed over so far */
    int status;       /* first error or callback value: stop feeding */
    char *names;      /* header names as shown, CSVREAD_SHOW_MAX apart */
    size_t n_names;
} reader;

void csvread_reader_init(reader *r, const char *name, csvread_row_fn fn,
                         void *ctx, diag *d);
/* Handles the start of the data (s: the first CSVREAD_CHUNK bytes, or
 * the whole file when shorter): refuses what is not CSV text, skips a BOM,
 * picks the delimiter.  Returns the number of bytes to skip. */
size_t csvread_begin(reader *r, const char *s, size_t len);
/* Feeds s to libcsv one physical line at a time.  The pieces fed, hence
 * the messages, depend on where the caller cuts the data: csvread_file
 * cuts it every CSVREAD_CHUNK bytes from the start of the file. */
void csvread_feed(reader *r, const char *s, size_t len);
/* Ends the read (the last row, an unterminated quote, an empty file) and
 * frees the reader; returns its status. */
int csvread_reader_finish(reader *r);

#endif
