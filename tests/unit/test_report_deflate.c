/* report_deflate: a part deflated in pieces is one deflate stream that
 * zlib's own inflate turns back into the part, with the CRC-32 and size
 * of the whole, the same bytes on one thread or two, and about the size
 * of a single zlib stream. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "testlib.h"

#include "../../engine/report_internal.h"

#define PIECE ((size_t)REPORT_DEFLATE_PIECE)

typedef struct sink {
    unsigned char *buf;
    size_t n, cap;
    size_t fail_after;  /* writes that succeed; SIZE_MAX: all */
    size_t writes;
} sink;

static int sink_write(void *file, const void *buf, unsigned len)
{
    sink *s = file;
    if (s->writes++ >= s->fail_after)
        return -1;
    if (s->n + len > s->cap) {
        size_t cap = (s->n + len) * 2;
        unsigned char *b = realloc(s->buf, cap);
        if (!b)
            return -1;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->n, buf, len);
    s->n += len;
    return 0;
}

/* Rows of sheet XML, as libxlsxwriter writes them: repetitive, with
 * numbers that vary (a fixed generator, so every run has the same). */
static unsigned char *sheet_like(size_t n)
{
    unsigned char *b = malloc(n ? n : 1);
    uint64_t x = 42;
    size_t at = 0;
    while (b && at < n) {
        char row[160];
        x = x * 6364136223846793005u + 1442695040888963407u;
        int len = snprintf(row, sizeof row,
                           "<row r=\"%u\"><c r=\"A%u\" t=\"inlineStr\"><is><t>BEN-%07u"
                           "</t></is></c><c r=\"B%u\" s=\"3\"><v>%u.%02u</v></c></row>",
                           (unsigned)(at / 97), (unsigned)(at / 97),
                           (unsigned)(x >> 44), (unsigned)(at / 97),
                           (unsigned)(x >> 40) % 100000, (unsigned)(x >> 20) % 100);
        size_t k = (size_t)len < n - at ? (size_t)len : n - at;
        memcpy(b + at, row, k);
        at += k;
    }
    return b;
}

/* What deflating data of n bytes in pieces on jobs threads gave, handed
 * over step bytes at a time into a sink whose writes fail after
 * fail_after of them: 0, -1 when the part failed, -2 when there was no
 * report_deflate to fail. */
static int deflated_into(const unsigned char *data, size_t n, int jobs,
                         size_t step, size_t fail_after, sink *out,
                         unsigned long *crc, uint64_t *total)
{
    memset(out, 0, sizeof *out);
    out->fail_after = fail_after;
    report_deflate *z = report_deflate_new(1, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                           jobs, sink_write, out);
    if (!z)
        return -2;
    int rc = 0;
    for (size_t at = 0; at < n && rc == 0; at += step)
        rc = report_deflate_add(z, data + at, n - at < step ? n - at : step);
    if (report_deflate_finish(z, crc, total) != 0)
        rc = -1;
    report_deflate_free(z);
    return rc;
}

static int deflated(const unsigned char *data, size_t n, int jobs, size_t step,
                    sink *out, unsigned long *crc, uint64_t *total)
{
    return deflated_into(data, n, jobs, step, SIZE_MAX, out, crc, total);
}

/* zlib's inflate of a raw stream; 0 when it is whole, ends at its last
 * byte and gives back exactly want[0..n). */
static int inflates_to(const sink *s, const unsigned char *want, size_t n)
{
    unsigned char *back = malloc(n + 1);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (!back || inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
        free(back);
        return -1;
    }
    zs.next_in = s->buf;
    zs.avail_in = (uInt)s->n;
    zs.next_out = back;
    zs.avail_out = (uInt)(n + 1);
    int ret = inflate(&zs, Z_FINISH);
    int ok = ret == Z_STREAM_END && zs.avail_in == 0 && zs.total_out == n &&
             memcmp(back, want, n) == 0;
    inflateEnd(&zs);
    free(back);
    return ok ? 0 : -1;
}

/* One zlib stream over the whole, as minizip makes it: its size. */
static size_t one_stream_size(const unsigned char *data, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    size_t cap = deflateBound(&zs, n);
    unsigned char *out = malloc(cap);
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    size_t size = out && deflate(&zs, Z_FINISH) == Z_STREAM_END ? zs.total_out : 0;
    deflateEnd(&zs);
    free(out);
    return size;
}

TEST(pieces_inflate_to_the_part_with_its_crc_on_one_thread_and_two)
{
    const size_t sizes[] = {0, 1, 1000, PIECE - 1, PIECE, PIECE + 1, 2 * PIECE,
                            3 * PIECE + 12345, 5 * PIECE};
    unsigned char *data = sheet_like(5 * PIECE + 12345);
    CHECK(data != NULL);
    for (size_t i = 0; data && i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = sizes[i];
        sink one, two;
        unsigned long crc1 = 1, crc2 = 2;
        uint64_t total1 = 1, total2 = 2;
        /* libxlsxwriter hands its parts over in 16 KiB reads; odd steps
         * cut the pieces elsewhere in the calls */
        CHECK_INT(deflated(data, n, 1, 16384, &one, &crc1, &total1), 0);
        CHECK_INT(deflated(data, n, 2, 7777, &two, &crc2, &total2), 0);
        CHECK(total1 == n && total2 == n);
        unsigned long want = crc32(crc32(0L, Z_NULL, 0), data, (uInt)n);
        CHECK(crc1 == want && crc2 == want);
        CHECK_INT(inflates_to(&one, data, n), 0);
        CHECK(one.n == two.n && memcmp(one.buf, two.buf, one.n) == 0);
        if (n >= 2 * PIECE) /* the dictionaries keep it near one stream */
            CHECK(one.n <= one_stream_size(data, n) * 1005 / 1000 + 64);
        if (i + 1 == sizeof sizes / sizeof *sizes)
            printf("  %zu bytes: %zu deflated (one stream: %zu)\n", n, one.n,
                   one_stream_size(data, n));
        free(one.buf);
        free(two.buf);
    }
    free(data);
}

TEST(a_failed_write_fails_the_part_and_joins_the_worker)
{
    size_t n = 4 * PIECE + 5;
    unsigned char *data = sheet_like(n);
    CHECK(data != NULL);
    for (int jobs = 1; data && jobs <= 2; jobs++)
        for (size_t ok_writes = 0; ok_writes < 4; ok_writes++) {
            sink s;
            unsigned long crc;
            uint64_t total;
            CHECK_INT(deflated_into(data, n, jobs, 16384, ok_writes, &s, &crc,
                                    &total), -1);
            CHECK(s.n == 0 || ok_writes > 0);
            free(s.buf);
        }
    free(data);
}

TEST(a_part_abandoned_midway_is_freed)
{
    unsigned char *data = sheet_like(3 * PIECE);
    sink s;
    memset(&s, 0, sizeof s);
    s.fail_after = SIZE_MAX;
    report_deflate *z = report_deflate_new(1, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, 2,
                                           sink_write, &s);
    CHECK(data && z);
    if (data && z) /* a piece with the worker when it is freed */
        CHECK_INT(report_deflate_add(z, data, PIECE + 10), 0);
    report_deflate_free(z);
    free(s.buf);
    free(data);
}

int main(void)
{
    RUN(pieces_inflate_to_the_part_with_its_crc_on_one_thread_and_two);
    RUN(a_failed_write_fails_the_part_and_joins_the_worker);
    RUN(a_part_abandoned_midway_is_freed);
    return testlib_done("report_deflate");
}
