/* report_deflate: a workbook part deflated in pieces, two at a time on
 * two threads, the same bytes on one (see report_internal.h).
 *
 * At 100 000 applications the workbook's parts hold about 100 MB of
 * XML, and libxlsxwriter zips them one after the other at its close,
 * each through one zlib stream: 0.4 s of CPU on one core while the other
 * waits. Here a part is cut into pieces of RD_PIECE bytes; each piece is
 * deflated by a zlib stream of its own, primed with the 32 KiB before it
 * (deflateSetDictionary, as pigz does, so matches still reach back into
 * the previous piece), and ended with Z_SYNC_FLUSH (the last one with
 * Z_FINISH). Ends byte-aligned and none but the last final, the pieces
 * put end to end are one deflate stream, which minizip writes as it is
 * (an entry opened raw) with the CRC-32 and size computed here.
 *
 * Where the pieces are cut depends on the part's bytes only, never on
 * the number of threads: with two, piece 2k goes to a worker thread
 * while the caller gathers and deflates piece 2k+1, then both are
 * written in order; with one, the caller deflates each piece in turn. */
#include "report_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define RD_PIECE REPORT_DEFLATE_PIECE
#define RD_WINDOW 32768u /* deflate's window: the dictionary's size */

typedef struct rd_piece {
    unsigned char *in;
    size_t n_in;
    unsigned char dict[RD_WINDOW];
    size_t n_dict;
    unsigned char *out;
    size_t n_out, cap_out;
    unsigned long crc;
    int finish;
    int rc;                      /* 0, or -1: zlib failed or no memory */
} rd_piece;

struct report_deflate {
    int level, bits, mem, strategy, jobs;
    rd_piece piece[2];
    int filling;                 /* the piece being gathered */
    int busy;                    /* piece[0] is with the worker */
    pthread_t worker;
    unsigned char tail[RD_WINDOW]; /* the part's last bytes so far */
    size_t n_tail;
    unsigned long crc;
    uint64_t total;
    report_deflate_write write;
    void *file;
    int failed;
    double worker_cpu;           /* seconds, the worker threads' CPU */
    size_t helped;               /* pieces the workers deflated */
};

report_deflate *report_deflate_new(int level, int bits, int mem,
                                   int strategy, int jobs,
                                   report_deflate_write write, void *file)
{
    report_deflate *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    *z = (report_deflate){.level = level, .bits = bits, .mem = mem,
                          .strategy = strategy, .jobs = jobs,
                          .write = write, .file = file};
    for (int i = 0; i < 2; i++)
        if (!(z->piece[i].in = malloc(RD_PIECE))) {
            report_deflate_free(z);
            return NULL;
        }
    z->crc = crc32(0L, Z_NULL, 0);
    return z;
}

static int grow_out(rd_piece *p, size_t need)
{
    if (need <= p->cap_out)
        return 0;
    unsigned char *out = realloc(p->out, need);
    if (!out)
        return -1;
    p->out = out;
    p->cap_out = need;
    return 0;
}

static int deflate_all(z_stream *zs, rd_piece *p)
{
    int flush = p->finish ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
        /* a sync marker or the final block's end need a few bytes more
         * than deflateBound's worst case of the data alone */
        size_t need = p->n_out + deflateBound(zs, zs->avail_in) + 64;
        if (grow_out(p, need) != 0)
            return -1;
        zs->next_out = p->out + p->n_out;
        zs->avail_out = (uInt)(p->cap_out - p->n_out);
        int ret = deflate(zs, flush);
        p->n_out = p->cap_out - zs->avail_out;
        if (ret == Z_STREAM_END || (ret == Z_OK && !p->finish &&
                                    zs->avail_in == 0 && zs->avail_out > 0))
            return 0;
        /* more room is the only thing deflate may still need here */
        if ((ret != Z_OK && ret != Z_BUF_ERROR) || zs->avail_out > 0)
            return -1;
    }
}

static void piece_deflate(const report_deflate *z, rd_piece *p)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    p->n_out = 0;
    p->rc = -1;
    p->crc = crc32(crc32(0L, Z_NULL, 0), p->in, (uInt)p->n_in);
    if (deflateInit2(&zs, z->level, Z_DEFLATED, z->bits, z->mem,
                     z->strategy) != Z_OK)
        return;
    zs.next_in = p->in;
    zs.avail_in = (uInt)p->n_in;
    if ((p->n_dict == 0 ||
         deflateSetDictionary(&zs, p->dict, (uInt)p->n_dict) == Z_OK) &&
        deflate_all(&zs, p) == 0)
        p->rc = 0;
    deflateEnd(&zs);
}

static void *worker_body(void *arg)
{
    report_deflate *z = arg;
    double c0 = report_thread_cpu();
    piece_deflate(z, &z->piece[0]);
    z->worker_cpu += report_thread_cpu() - c0; /* read after the join */
    return NULL;
}

/* The piece's dictionary is what came before it; the tail moves on. */
static void piece_seal(report_deflate *z, rd_piece *p, int finish)
{
    memcpy(p->dict, z->tail, z->n_tail);
    p->n_dict = z->n_tail;
    p->finish = finish;
    if (p->n_in >= RD_WINDOW) {
        memcpy(z->tail, p->in + p->n_in - RD_WINDOW, RD_WINDOW);
        z->n_tail = RD_WINDOW;
    } else {
        size_t keep = z->n_tail + p->n_in > RD_WINDOW ?
                          RD_WINDOW - p->n_in : z->n_tail;
        memmove(z->tail, z->tail + z->n_tail - keep, keep);
        memcpy(z->tail + keep, p->in, p->n_in);
        z->n_tail = keep + p->n_in;
    }
}

static int piece_write(report_deflate *z, rd_piece *p)
{
    if (p->rc != 0)
        return -1;
    z->crc = crc32_combine(z->crc, p->crc, (z_off_t)p->n_in);
    z->total += p->n_in;
    for (size_t at = 0; at < p->n_out;) {
        size_t n = p->n_out - at > (1u << 30) ? (1u << 30) : p->n_out - at;
        if (z->write(z->file, p->out + at, (unsigned)n) != 0)
            return -1;
        at += n;
    }
    p->n_in = 0;
    return 0;
}

/* Piece 0 with the worker, if it has it, written before anything else. */
static int worker_done(report_deflate *z)
{
    if (!z->busy)
        return 0;
    pthread_join(z->worker, NULL);
    z->busy = 0;
    return piece_write(z, &z->piece[0]);
}

/* The piece being gathered is sealed: deflated by the worker (an even
 * piece, with two jobs) or here, and written in order. */
static int piece_done(report_deflate *z, int finish)
{
    rd_piece *p = &z->piece[z->filling];
    piece_seal(z, p, finish);
    if (z->filling == 0 && z->jobs >= 2 && !finish &&
        pthread_create(&z->worker, NULL, worker_body, z) == 0) {
        z->busy = 1;
        z->helped++;
        z->filling = 1;
        return 0;
    }
    piece_deflate(z, p);
    int rc = worker_done(z);
    if (piece_write(z, p) != 0)
        rc = -1;
    z->filling = 0;
    return rc;
}

int report_deflate_add(report_deflate *z, const void *buf, size_t len)
{
    const unsigned char *b = buf;
    while (len > 0 && !z->failed) {
        rd_piece *p = &z->piece[z->filling];
        size_t n = RD_PIECE - p->n_in < len ? RD_PIECE - p->n_in : len;
        memcpy(p->in + p->n_in, b, n);
        p->n_in += n;
        b += n;
        len -= n;
        if (p->n_in == RD_PIECE && piece_done(z, 0) != 0)
            z->failed = 1;
    }
    return z->failed ? -1 : 0;
}

size_t report_deflate_helped(const report_deflate *z, double *cpu)
{
    *cpu = z->worker_cpu;
    return z->helped;
}

int report_deflate_finish(report_deflate *z, unsigned long *crc,
                          uint64_t *total)
{
    if (!z->failed && piece_done(z, 1) != 0)
        z->failed = 1;
    if (worker_done(z) != 0) /* after a failure: the worker is joined */
        z->failed = 1;
    *crc = z->crc;
    *total = z->total;
    return z->failed ? -1 : 0;
}

void report_deflate_free(report_deflate *z)
{
    if (!z)
        return;
    if (z->busy)
        pthread_join(z->worker, NULL);
    for (int i = 0; i < 2; i++) {
        free(z->piece[i].in);
        free(z->piece[i].out);
    }
    free(z);
}
