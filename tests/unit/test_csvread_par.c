/* Unit tests for engine/csvread_par.c (csvread_file_halves): the rows of
 * the two halves, put end to end, are the one-thread read's (fields and
 * line numbers), the SHA-256 is the file's, the messages are the same;
 * where no record boundary follows the cut, or the first half stops the
 * read, the whole file goes to the first context. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "csvread.h"
#include "testlib.h"

/* Each row rendered as "line:|field|field" and hashed (FNV-1a): the
 * index is left out (it counts from 1 in each half). */
#define MAX_ROWS 8192
typedef struct rows {
    uint64_t sum[MAX_ROWS];
    size_t n;
} rows;

static uint64_t put(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    return h;
}

static int take(void *ctx, const csvread_row *row)
{
    rows *r = ctx;
    char head[32];
    int n = snprintf(head, sizeof head, "%ld:", row->line);
    uint64_t h = put(UINT64_C(14695981039346656037), head, (size_t)n);
    for (size_t i = 0; i < row->n; i++) {
        h = put(h, "|", 1);
        h = put(h, row->field[i], row->len[i]);
    }
    if (r->n < MAX_ROWS)
        r->sum[r->n] = h;
    r->n++;
    return 0;
}

static int ready(void *ctx, void *ctx2, size_t n)
{
    (void)ctx;
    (void)ctx2;
    (void)n;
    return 0;
}

static const char *write_tmp(const char *text, size_t len)
{
    static char path[64];
    strcpy(path, "/tmp/test_csvread_par_XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    ssize_t w = write(fd, text, len);
    close(fd);
    return w == (ssize_t)len ? path : NULL;
}

typedef struct result {
    int rc, split;
    rows first, second;
    char sha[HASH_SHA256_HEX];
    char msgs[2048];
} result;

/* One thread (everything in first) or two. */
static void read_file(const char *path, int two, result *res)
{
    diag d, d2;
    memset(res, 0, sizeof *res);
    diag_init(&d);
    diag_init(&d2);
    if (two) {
        csvread_halves h = {take, &res->first, &res->second, &d2, ready};
        res->rc =
            csvread_file_halves(path, "t.csv", &h, res->sha, &d, &res->split);
    } else {
        res->rc =
            csvread_file_sha256(path, "t.csv", take, &res->first, res->sha, &d);
    }
    snprintf(res->msgs, sizeof res->msgs, "%s%s", diag_text(&d),
             res->split ? diag_text(&d2) : "");
    diag_free(&d);
    diag_free(&d2);
}

static result one, two;

/* The two-thread read of text: split or not as wanted, the same status,
 * messages and SHA-256, and the halves' rows end to end the one-thread
 * read's rows. */
static void same_as_one_thread(const char *text, size_t len, int want_split)
{
    const char *path = write_tmp(text, len);
    CHECK(path != NULL);
    if (!path)
        return;
    read_file(path, 0, &one);
    read_file(path, 1, &two);
    CHECK_INT(two.rc, one.rc);
    CHECK_INT(two.split, want_split);
    CHECK_STR(two.msgs, one.msgs);
    CHECK_STR(two.sha, one.sha);
    size_t n1 = two.first.n, n2 = two.split ? two.second.n : 0;
    CHECK_INT(n1 + n2, one.first.n);
    CHECK(one.first.n <= MAX_ROWS);
    if (want_split)
        CHECK(n1 > 1 && n2 > 0);
    for (size_t i = 0; i < n1 + n2 && i < one.first.n && i < MAX_ROWS; i++) {
        uint64_t got = i < n1 ? two.first.sum[i] : two.second.sum[i - n1];
        if (got != one.first.sum[i]) {
            TESTLIB_FAIL("row %zu differs (first half: %zu rows)", i, n1);
            break;
        }
    }
    unlink(path);
}

/* n data rows "k,text k" with a header, CRLF or not, a BOM or not. */
static size_t plain(char *buf, size_t cap, int n, int bom, int crlf)
{
    size_t o = (size_t)snprintf(buf, cap, "%sid,text%s", bom ? "\xEF\xBB\xBF" : "",
                                crlf ? "\r\n" : "\n");
    for (int k = 1; k <= n && o < cap; k++)
        o += (size_t)snprintf(buf + o, cap - o, "%d,\"text, %d\"%s", k, k,
                              crlf ? "\r\n" : "\n");
    return o;
}

static char buf[4 << 20];

TEST(plain_files_split)
{
    for (int bom = 0; bom <= 1; bom++)
        for (int crlf = 0; crlf <= 1; crlf++)
            same_as_one_thread(buf, plain(buf, sizeof buf, 5000, bom, crlf),
                               1);
}

TEST(one_quoted_cell_to_the_end_does_not_split)
{
    size_t o = (size_t)snprintf(buf, sizeof buf, "id,text\n1,\"");
    while (o < 200000)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "a; b, \"\"c\"\"\n");
    o += (size_t)snprintf(buf + o, sizeof buf - o, "\"\n");
    same_as_one_thread(buf, o, 0);
}

TEST(stray_quote_in_the_first_half_does_not_split)
{
    size_t o = plain(buf, sizeof buf, 5000, 0, 0);
    memcpy(buf + 1000, "x\"y", 3);
    same_as_one_thread(buf, o, 0);
    CHECK_INT(one.rc, DIAG_DATA);
}

TEST(error_in_the_second_half_is_the_status)
{
    size_t o = plain(buf, sizeof buf, 5000, 0, 0);
    buf[o - 30] = '\xFF';
    same_as_one_thread(buf, o, 1);
    CHECK(one.rc == DIAG_DATA && strstr(one.msgs, "text: "));
    o = plain(buf, sizeof buf, 5000, 0, 1);
    o += (size_t)snprintf(buf + o, sizeof buf - o, "9,\"open\r\n");
    same_as_one_thread(buf, o, 1);
    CHECK(one.rc == DIAG_DATA && strstr(one.msgs, "unterminated"));
}

TEST(oversized_field_in_the_second_half)
{
    /* 5000 rows of 400 bytes, then the 1.5 MiB field: the cut (45 %)
     * falls before it */
    size_t o = (size_t)snprintf(buf, sizeof buf, "id,text\n");
    for (int k = 1; k <= 5000; k++) {
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%d,", k);
        memset(buf + o, 'a' + k % 26, 400);
        o += 400;
        buf[o++] = '\n';
    }
    o += (size_t)snprintf(buf + o, sizeof buf - o, "9,");
    memset(buf + o, 'x', (3u << 20) / 2);
    o += (3u << 20) / 2;
    o += (size_t)snprintf(buf + o, sizeof buf - o, "\n10,y\n");
    same_as_one_thread(buf, o, 1);
    CHECK(one.rc == DIAG_DATA && strstr(one.msgs, "is longer than"));
}

int main(void)
{
    setenv("ALLIANCE_CSV_SPLIT_MIN", "1", 1);
    RUN(plain_files_split);
    RUN(one_quoted_cell_to_the_end_does_not_split);
    RUN(stray_quote_in_the_first_half_does_not_split);
    RUN(error_in_the_second_half_is_the_status);
    RUN(oversized_field_in_the_second_half);
    return testlib_done("csvread_par");
}
