/* fuzz_csv: the CSV layer (csvread_mem) on arbitrary bytes.
 *
 * Properties: it returns 0 or DIAG_DATA (never crashes, hangs or leaks);
 * each row handed over has at most CSVREAD_MAX_COLUMNS fields of at most
 * CSVREAD_MAX_FIELD bytes, each NUL-terminated at its length, without NUL
 * and in valid UTF-8; rows are numbered 0, 1, 2... on non-decreasing
 * physical lines within the file; a refusal is reported with messages of
 * one line of valid text each. A callback's non-zero value stops the read
 * and is returned. csvread_show and csvread_normalise of every field stay
 * in their buffers and give valid text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csvread.h"
#include "diag.h"
#include "fuzz_util.h"

typedef struct ctx {
    size_t rows;
    long last_line;
    long max_line;
    size_t stop_at;      /* row index at which the callback stops, or 0 */
} ctx;

static int on_row(void *v, const csvread_row *row)
{
    ctx *c = v;
    FUZZ_CHECK(row->index == c->rows, "row index %zu, expected %zu",
               row->index, c->rows);
    FUZZ_CHECK(row->n >= 1 && row->n <= CSVREAD_MAX_COLUMNS, "%zu fields",
               row->n);
    FUZZ_CHECK(row->line >= 1 && row->line >= c->last_line &&
                   row->line <= c->max_line,
               "row %zu on line %ld (previous %ld, file has %ld)", row->index,
               row->line, c->last_line, c->max_line);
    for (size_t i = 0; i < row->n; i++) {
        const char *f = row->field[i];
        size_t len = row->len[i];
        FUZZ_CHECK(len <= CSVREAD_MAX_FIELD, "field of %zu bytes", len);
        FUZZ_CHECK(f[len] == '\0', "field %zu not NUL-terminated", i);
        FUZZ_CHECK(memchr(f, '\0', len) == NULL, "NUL inside field %zu", i);
        FUZZ_CHECK(fuzz_utf8_ok(f, len), "field %zu not UTF-8", i);
        char shown[CSVREAD_SHOW_MAX];
        csvread_show(f, len, shown);
        size_t n = strlen(shown);
        FUZZ_CHECK(n < CSVREAD_SHOW_MAX && fuzz_utf8_ok(shown, n),
                   "csvread_show gave %zu bytes", n);
        for (size_t k = 0; k < n; k++)
            FUZZ_CHECK((unsigned char)shown[k] >= 0x20,
                       "control byte in shown value");
        if (row->index == 0) {
            char key[64];
            csvread_normalise(f, key, sizeof key);
            FUZZ_CHECK(strlen(key) < sizeof key, "normalised too long");
            csvread_normalise(f, key, 1);
            FUZZ_CHECK(key[0] == '\0', "cap 1 must give \"\"");
        }
    }
    c->last_line = row->line;
    c->rows++;
    return c->stop_at && row->index + 1 == c->stop_at ? 42 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the first byte picks where the callback stops (0: never) */
    size_t stop_at = 0;
    if (size > 0) {
        stop_at = data[0] < 0xF0 ? 0 : (size_t)(data[0] - 0xEF);
        data++, size--;
    }
    ctx c = {0, 0, 1, stop_at};
    for (size_t i = 0; i < size; i++)
        c.max_line += data[i] == '\n';
    diag d;
    diag_init(&d);
    int rc = csvread_mem((const char *)data, size, "fuzz.csv", on_row, &c,
                         &d);
    if (rc == 42) {
        FUZZ_CHECK(stop_at && c.rows == stop_at, "stopped after %zu rows",
                   c.rows);
        FUZZ_CHECK(d.count == 0, "a stop is not an error");
    } else {
        FUZZ_CHECK(rc == 0 || rc == DIAG_DATA, "status %d", rc);
        FUZZ_CHECK((rc == 0) == (d.count == 0), "status %d with %zu "
                   "messages", rc, d.count);
        FUZZ_CHECK(rc != 0 || c.rows >= 1, "no header, yet accepted");
    }
    fuzz_check_messages(diag_text(&d));
    diag_free(&d);
    return 0;
}
