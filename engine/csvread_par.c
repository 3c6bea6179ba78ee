/* csvread_par: csvread_file_halves (see include/csvread.h), a big CSV
 * file parsed by two threads, for the load of a million applications.
 *
 * The file is read into memory.  The calling thread reads the header,
 * then a second thread finds where the second half starts: the first line
 * end at or after the cut that is outside any quoted field.  Quote parity
 * from a record boundary is exact for what libcsv accepts in strict mode
 * (a quote opens a field, closes it, or is doubled inside it; anything
 * else is an error), and the header's end is such a boundary.  The same
 * scan counts the lines before the second half, so its line numbers are
 * the file's.
 * The second thread then hashes the whole file (SHA-256 is sequential:
 * one pass, while the first thread parses) and parses its half.
 *
 * Both halves are fed to libcsv in the pieces csvread_file feeds: cut at
 * every CSVREAD_CHUNK bytes from the start of the file and at every line
 * end, so the oversized-field checks between pieces fire where they do in
 * one thread.  When the first half stops (a structural error, a callback's
 * non-zero value) the read is over, as in one thread, and the second
 * half's work is dropped.  If libcsv were still inside a row at the
 * boundary (it cannot be, but the check is cheap) the first thread reads
 * the rest of the file itself. */
#include "csvread.h"
#include "csvread_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SPLIT_MIN ((size_t)2 << 20)
/* The first half's share of the data rows, in percent.  Per byte the
 * first thread does more (inputs puts its ids in the map as it goes, the
 * second half's at the merge), the second thread also scans up to the
 * cut and hashes the whole file: 45 balances their CPU times at 1 000 000
 * applications (1.2-1.4 s each, measured per thread). */
#define FIRST_SHARE 45
#define HASH_STEP ((size_t)1 << 20) /* bytes hashed between cancel checks */

size_t csvread_split_min(void)
{
    const char *env = getenv("ALLIANCE_CSV_SPLIT_MIN");
    char *end;
    long long v = env && *env ? strtoll(env, &end, 10) : 0;
    return env && *env && *end == '\0' && v > 0 ? (size_t)v : SPLIT_MIN;
}

/* The second half: found, hashed and parsed by the second thread. */
typedef struct second {
    const char *data;
    size_t len, from, cut; /* the scan starts at from (a boundary) */
    long from_line;        /* the line at from */
    reader r;              /* set up by the first thread */
    char *hex;             /* NULL: no hash wanted */
    int hash_failed;
    /* the split, under mu: decided once the scan is over */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int decided, found;
    size_t start;          /* where the second half starts */
    atomic_int cancel;     /* the first thread no longer wants it */
} second;

/* 0x01 in each byte of the 8 at s that equals c, 0 in the others (exact:
 * no carry crosses a byte). */
static uint64_t match8(const unsigned char *s, unsigned char c)
{
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
    uint64_t w;
    memcpy(&w, s, sizeof w);
    w ^= UINT64_C(0x0101010101010101) * c;
    return ~(((w & low7) + low7) | w | low7) >> 7;
}

/* The sum of the 8 byte counters in acc. */
static size_t sum8(uint64_t acc)
{
    const uint64_t even = UINT64_C(0x00FF00FF00FF00FF);
    acc = (acc & even) + ((acc >> 8) & even); /* 4 counters of 16 bits */
    return (size_t)((acc * UINT64_C(0x0001000100010001)) >> 48);
}

/* Quotes and line ends in s[0..len), 8 bytes at a time: the scan before
 * the second half starts reads half the file. */
static void count_marks(const char *s, size_t len, size_t *quotes,
                        long *lines)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t q = 0, nl = 0, i = 0;
    while (i + 8 <= len) {
        uint64_t qa = 0, na = 0; /* byte counters: at most 255 steps */
        for (int k = 0; k < 255 && i + 8 <= len; k++, i += 8) {
            qa += match8(u + i, '"');
            na += match8(u + i, '\n');
        }
        q += sum8(qa);
        nl += sum8(na);
    }
    for (; i < len; i++) {
        q += u[i] == '"';
        nl += u[i] == '\n';
    }
    *quotes = q;
    *lines = (long)nl;
}

/* The first line end at or after the cut outside quotes: sets start (just
 * after it) and r.line; found is 0 when the rest of the file has none or
 * nothing follows it. */
static void find_start(second *s)
{
    size_t quotes;
    long lines;
    count_marks(s->data + s->from, s->cut - s->from, &quotes, &lines);
    int quoted = (int)(quotes & 1);
    for (size_t i = s->cut; i < s->len; i++) {
        char c = s->data[i];
        if (c == '"') {
            quoted = !quoted;
        } else if (c == '\n') {
            lines++;
            if (!quoted) {
                s->start = i + 1;
                s->found = s->start < s->len;
                break;
            }
        }
    }
    s->r.line = s->from_line + lines;
}

static int cancelled(second *s)
{
    return atomic_load_explicit(&s->cancel, memory_order_relaxed);
}

/* Feeds data[from..to) in the pieces csvread_file would: never across a
 * multiple of CSVREAD_CHUNK (csvread_feed cuts at line ends). */
static void feed_range(reader *r, const char *data, size_t from, size_t to,
                       second *s)
{
    while (from < to && !r->status && !(s && cancelled(s))) {
        size_t end = (from / CSVREAD_CHUNK + 1) * CSVREAD_CHUNK;
        if (end > to)
            end = to;
        csvread_feed(r, data + from, end - from);
        from = end;
    }
}

static void hash_all(second *s)
{
    hash_sha256 *h = hash_sha256_begin();
    int bad = !h;
    for (size_t at = 0; !bad && at < s->len && !cancelled(s);
         at += HASH_STEP) {
        size_t n = s->len - at < HASH_STEP ? s->len - at : HASH_STEP;
        bad = hash_sha256_add(h, s->data + at, n) != 0;
    }
    if (bad || cancelled(s)) {
        hash_sha256_free(h);
        s->hash_failed = 1;
    } else if (hash_sha256_end(h, s->hex) != 0) { /* frees h */
        s->hash_failed = 1;
    }
}

static void *second_run(void *arg)
{
    second *s = arg;
    find_start(s);
    pthread_mutex_lock(&s->mu);
    s->decided = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->found) {
        if (s->hex)
            hash_all(s);
        feed_range(&s->r, s->data, s->start, s->len, s);
    }
    /* the end of the file: its last row, an unterminated quote (or,
     * cancelled, what is dropped anyway) */
    csvread_reader_finish(&s->r);
    return NULL;
}

/* Does libcsv stand between two rows, as after a line end outside quotes? */
static int between_rows(const reader *r)
{
    return !r->status && r->n == 0 && r->p.entry_pos == 0 && !r->p.quoted;
}

static int hash_data(const char *data, size_t len, const char *name,
                    char sha256[HASH_SHA256_HEX], diag *d)
{
    if (!sha256)
        return 0;
    hash_sha256 *h = hash_sha256_begin();
    if (!h || hash_sha256_add(h, data, len) != 0) {
        hash_sha256_free(h);
        return diag_add(d, DIAG_OSERR, "%s: out of memory", name);
    }
    if (hash_sha256_end(h, sha256) != 0)
        return diag_add(d, DIAG_OSERR, "%s: out of memory", name);
    return 0;
}

/* The rest of the file in this thread, as csvread_file_sha256 reads it. */
static int one_thread(reader *r, const char *data, size_t len, size_t from,
                      const char *name, char sha256[HASH_SHA256_HEX],
                      diag *d)
{
    feed_range(r, data, from, len, NULL);
    int rc = csvread_reader_finish(r);
    return rc ? rc : hash_data(data, len, name, sha256, d);
}

/* The second half's reader: the first's delimiter and header names. */
static int second_init(second *s, const reader *r1, const csvread_halves *h)
{
    csvread_reader_init(&s->r, r1->name, h->fn, h->ctx2, h->d2);
    csv_set_delim(&s->r.p, csv_get_delim((struct csv_parser *)&r1->p));
    s->r.index = 1; /* past the header */
    if (r1->n_names) {
        size_t n = r1->n_names * CSVREAD_SHOW_MAX + 1;
        if (!(s->r.names = malloc(n))) {
            csvread_reader_finish(&s->r);
            return -1;
        }
        memcpy(s->r.names, r1->names, n);
        s->r.n_names = r1->n_names;
    }
    return 0;
}

static void second_join(second *s, pthread_t th)
{
    pthread_join(th, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
}

/* The data rows after the header (at from) in two halves. */
static int two_halves(reader *r, const char *data, size_t len, size_t from,
                      const csvread_halves *h, char sha256[HASH_SHA256_HEX],
                      diag *d, int *split)
{
    char hex[HASH_SHA256_HEX];
    second s = {.data = data, .len = len, .from = from,
                .from_line = r->line, .hex = sha256 ? hex : NULL};
    s.cut = from + (len - from) / 100 * FIRST_SHARE;
    atomic_init(&s.cancel, 0);
    pthread_t th;
    if (second_init(&s, r, h) != 0)
        return one_thread(r, data, len, from, r->name, sha256, d);
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    if (pthread_create(&th, NULL, second_run, &s) != 0) {
        csvread_reader_finish(&s.r);
        pthread_cond_destroy(&s.cv);
        pthread_mutex_destroy(&s.mu);
        return one_thread(r, data, len, from, r->name, sha256, d);
    }
    feed_range(r, data, from, s.cut, NULL);
    pthread_mutex_lock(&s.mu);
    while (!s.decided)
        pthread_cond_wait(&s.cv, &s.mu);
    pthread_mutex_unlock(&s.mu);
    size_t end = s.found ? s.start : len;
    feed_range(r, data, s.cut, end, NULL);
    if (!s.found || !between_rows(r)) {
        atomic_store(&s.cancel, 1);
        second_join(&s, th);
        return one_thread(r, data, len, end, r->name, sha256, d);
    }
    csvread_reader_finish(r); /* between rows: nothing pending */
    second_join(&s, th);
    *split = 1;
    int rc = s.r.status;
    if (rc == 0 && sha256 && s.hash_failed)
        rc = diag_add(d, DIAG_OSERR, "%s: out of memory", r->name);
    if (rc == 0 && sha256)
        memcpy(sha256, hex, sizeof hex);
    return rc;
}

/* The header (and blank lines before it) fed one line at a time; returns
 * where the data rows start. */
static size_t feed_header(reader *r, const char *data, size_t from,
                          size_t len)
{
    while (from < len && !r->status && r->index == 0) {
        const char *nl = memchr(data + from, '\n', len - from);
        size_t end = nl ? (size_t)(nl - data) + 1 : len;
        feed_range(r, data, from, end, NULL);
        from = end;
    }
    return from;
}

/* The data rows of the file (from on) if they are like the lines of its
 * first CSVREAD_CHUNK bytes, but no more than one per ROW_MIN bytes (the
 * caller sizes memory on it). */
#define ROW_MIN 32
static size_t rows_guess(const char *data, size_t len, size_t from)
{
    size_t n = len - from < CSVREAD_CHUNK ? len - from : CSVREAD_CHUNK;
    size_t quotes;
    long lines;
    count_marks(data + from, n, &quotes, &lines);
    double rows = (double)(len - from) / (double)n * (double)lines;
    return rows < (double)((len - from) / ROW_MIN) ? (size_t)rows
                                                   : (len - from) / ROW_MIN;
}

/* Bytes of fd from off into buf, up to want: fewer at the end of the
 * file, -1 on a read error. */
typedef struct piece {
    int fd;
    char *buf;
    size_t off, want;
    ssize_t got;
} piece;

static void *read_piece(void *arg)
{
    piece *p = arg;
    size_t got = 0;
    while (got < p->want) {
        ssize_t n = pread(p->fd, p->buf + got, p->want - got,
                          (off_t)(p->off + got));
        if (n == 0)
            break;
        if (n < 0 && errno != EINTR) {
            p->got = -1;
            return NULL;
        }
        got += n > 0 ? (size_t)n : 0;
    }
    p->got = (ssize_t)got;
    return NULL;
}

/* The whole file in memory, when it is a regular one big enough to split,
 * its two halves read by two threads (the copy and the page faults of
 * the buffer are then shared, as the parse is). Read, not mapped: a
 * mapped file cut short by another process while the load reads it ends
 * the program with SIGBUS; a read just gets fewer bytes, which parse and
 * hash as the file they are. Any failure leaves the file to
 * csvread_file_sha256, which says what went wrong. */
static char *read_file(const char *path, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
        && (uintmax_t)st.st_size >= csvread_split_min()
        && (uintmax_t)st.st_size < SIZE_MAX / 2)
        data = malloc((size_t)st.st_size);
    if (data) {
        size_t size = (size_t)st.st_size, half = size / 2;
        piece p1 = {fd, data, 0, half, 0};
        piece p2 = {fd, data + half, half, size - half, 0};
        pthread_t th;
        int threaded = pthread_create(&th, NULL, read_piece, &p2) == 0;
        read_piece(&p1);
        if (threaded)
            pthread_join(th, NULL);
        else
            read_piece(&p2);
        if (p1.got < 0 || p2.got < 0) {
            free(data);
            data = NULL;
        } else /* a file cut short: what there is up to the first gap */
            *len = (size_t)p1.got < half ? (size_t)p1.got
                                         : half + (size_t)p2.got;
    }
    close(fd);
    return data;
}

int csvread_file_halves(const char *path, const char *name,
                        const csvread_halves *h,
                        char sha256[HASH_SHA256_HEX], diag *d, int *split)
{
    size_t len = 0;
    char *data = read_file(path, &len);
    *split = 0;
    if (!data) /* small, not a file, or unreadable: said as usual */
        return csvread_file_sha256(path, name, h->fn, h->ctx, sha256, d);
    if (sha256)
        sha256[0] = '\0';
    reader r;
    csvread_reader_init(&r, name, h->fn, h->ctx, d);
    size_t from =
        csvread_begin(&r, data, len < CSVREAD_CHUNK ? len : CSVREAD_CHUNK);
    from = feed_header(&r, data, from, len);
    int rc;
    if (from < len && between_rows(&r)
        && h->ready(h->ctx, h->ctx2, rows_guess(data, len, from)) == 0)
        rc = two_halves(&r, data, len, from, h, sha256, d, split);
    else
        rc = one_thread(&r, data, len, from, name, sha256, d);
    free(data);
    return rc;
}
