/* csvread: streams a CSV file through libcsv, one row at a time.
 *
 * Accepts what spreadsheet exports produce: comma or semicolon delimiter
 * (detected on the header line), UTF-8 with or without BOM, CRLF, quoted
 * fields with delimiters, quotes and newlines, blank lines.  Refuses invalid
 * UTF-8, NUL bytes, unterminated quotes and oversized fields or headers with
 * a file:line:column message naming the column and showing the value, and
 * files that are not CSV text at all (a workbook, an image, UTF-16).  Rows
 * are handed over as NUL-terminated fields that stay valid only during the
 * callback. */
#ifndef ALLIANCE_CSVREAD_H
#define ALLIANCE_CSVREAD_H

#include <stddef.h>
#include "diag.h"
#include "hash.h"

#define CSVREAD_MAX_FIELD (1u << 20)  /* bytes in one field */
#define CSVREAD_MAX_COLUMNS 1024

typedef struct csvread_row {
    const char *const *field; /* field[i] is NUL-terminated */
    const size_t *len;        /* byte length of field[i] */
    size_t n;                 /* number of fields */
    size_t index;             /* 0 for the header, 1 for the first data row */
    long line;                /* physical line where the row starts, 1-based */
} csvread_row;

/* Called for the header and every data row; returns 0 to go on, non-zero
 * to stop (that value is returned by csvread_*). The callback reports its
 * own errors in the diag it was given through ctx. */
typedef int (*csvread_row_fn)(void *ctx, const csvread_row *row);

/* name is the file name used in messages ("applications.csv").
 * Returns 0, the callback's non-zero value, or a DIAG_* status after
 * recording the problem in d. An empty file (no header) is DIAG_DATA. */
int csvread_file(const char *path, const char *name, csvread_row_fn fn,
                 void *ctx, diag *d);
/* csvread_file, which also writes the SHA-256 of the bytes it read into
 * sha256: what the run store and the report record is then exactly what
 * was loaded, and the file is read once. "" unless the whole file was
 * read (the callback stopped it, or an error). */
int csvread_file_sha256(const char *path, const char *name, csvread_row_fn fn,
                        void *ctx, char sha256[HASH_SHA256_HEX], diag *d);
int csvread_mem(const char *data, size_t len, const char *name,
                csvread_row_fn fn, void *ctx, diag *d);

/* A big file read in two halves on two threads (csvread_par.c).  The
 * header and the rows of the first half go to fn(ctx) in the calling
 * thread, those of the second half to fn(ctx2) in a second thread, its
 * problems into d2.  The halves meet at a record boundary near the middle
 * (outside any quoted field), and each is fed to libcsv in the same
 * pieces as csvread_file would feed it, so every row, line number and
 * message is the one-thread read's; a data row's index counts from 1 in
 * each half. */
typedef struct csvread_halves {
    csvread_row_fn fn;
    void *ctx, *ctx2;
    diag *d2;
    /* Called in the calling thread once the header went to fn(ctx): sets
     * ctx2 up for the data rows; non-zero reads the rest in one thread.
     * rows: about how many data rows the file holds (from the lines of
     * its first 64 KiB), for what the caller may size in advance. */
    int (*ready)(void *ctx, void *ctx2, size_t rows);
} csvread_halves;

/* Files smaller than this many bytes are read in one thread: the default
 * (2 MiB), or ALLIANCE_CSV_SPLIT_MIN when set to a positive number (for
 * tests, which thus take the two-half path on small files). */
size_t csvread_split_min(void);

/* csvread_file_sha256 in two halves when the file is a regular one of at
 * least csvread_split_min() bytes that splits.  *split is 1 when it did:
 * ctx2's rows and d2's messages then come after ctx's and d's in the file
 * (the caller merges them, and the status returned is the second half's,
 * the first having succeeded); 0 when the whole file went to ctx as
 * csvread_file_sha256 would (whatever ctx2 got is to be dropped). */
int csvread_file_halves(const char *path, const char *name,
                        const csvread_halves *h,
                        char sha256[HASH_SHA256_HEX], diag *d, int *split);

/* A cell as shown in messages: its first 60 bytes or so (cut between two
 * characters, then "..."), tabs and line breaks as spaces, invalid UTF-8
 * and NUL bytes as \xHH, so a message is one line of valid text. */
#define CSVREAD_SHOW_MAX 64
void csvread_show(const char *s, size_t len, char out[CSVREAD_SHOW_MAX]);

/* Length of the character at s (len > 0 bytes left) when it is text the
 * reader accepts: ASCII, or valid UTF-8 other than U+FFFE and U+FFFF
 * (which no XML, hence no report.xlsx, can hold); 0 for a byte that
 * starts none. (NUL counts as ASCII here: the reader refuses it apart.) */
size_t csvread_char_len(const char *s, size_t len);

/* Normalises a header name for matching: lower case, accents folded
 * (é -> e, ...), spaces, '-' and '.' turned into '_', trimmed.
 * Writes at most cap bytes including the NUL. */
void csvread_normalise(const char *name, char *out, size_t cap);

#endif
