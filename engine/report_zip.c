/* report_zip: what libxlsxwriter 1.1.4 hands to minizip, adjusted and
 * checked on the way (see report_internal.h).
 *
 * libxlsxwriter reaches minizip through the dynamic linker, which finds
 * the definitions below first (the program before its libraries); each
 * hands the call on to minizip's own (dlsym RTLD_NEXT). libxlsxwriter
 * still writes, minizip still zips, zlib still deflates. Where the linker
 * does not interpose (no ELF, minizip linked statically) the parts stay
 * at level 6 and unchecked here: tests/unit/test_report.c fails then.
 * Nothing else in the program uses minizip, and the program writes one
 * workbook at a time (batch --jobs forks), so one watch is enough.
 *
 * 1. The deflate level. libxlsxwriter has no option for it: it opens every
 *    part with Z_DEFAULT_COMPRESSION (6). At 100 000 applications that
 *    deflate was half the report's time (0.72 s of CPU for 93 MB of XML),
 *    while Z_BEST_SPEED (1) takes 0.22 s for a file of 11.4 MB instead of
 *    8.5 MB. The entries' flags tell which level wrote them (minizip sets
 *    bits 1 and 2 for level 1).
 *
 * 2. Write errors. Every part is first written to a temporary file, then
 *    copied into the zip; libxlsxwriter checks neither its fprintf's nor
 *    the fflush before the copy, and the rewind that follows clears the
 *    FILE's error flag. A full /tmp, or a file size limit, gave a
 *    "successful" report.xlsx with sheets cut short. So every part copied
 *    into the zip must end with its closing tag ('>'), and a sheet's part
 *    must hold at least the bytes its rows' temporary file had before the
 *    copy (report_zip_watch). Otherwise closing the entry fails, and
 *    libxlsxwriter reports a zip error.
 *
 * 3. Both cores. Each part is deflated in pieces (report_deflate.c), on
 *    two threads when the run has two jobs, and minizip, its entry opened
 *    raw, writes the pieces' stream as it is. */
#define _GNU_SOURCE /* dlsym's RTLD_NEXT */
#include "report_internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZIP_LEVEL 1            /* zlib's Z_BEST_SPEED */
#define ZIP_DEFAULT_LEVEL (-1) /* zlib's Z_DEFAULT_COMPRESSION */
#define ZIP_ERRNO (-1)
#define ZIP_INTERNALERROR (-104)
#define ZIP_DEFLATED 8         /* zlib's Z_DEFLATED */

static report_zip_check *watched;

/* The entry being copied. */
static struct {
    uint64_t bytes, min_bytes;
    unsigned char last;      /* its last byte other than white space */
    char name[REPORT_ZIP_NAME];
    report_deflate *z;       /* its stream, when deflated here */
} entry;

void report_zip_watch(report_zip_check *z)
{
    report_deflate_free(entry.z); /* an entry libxlsxwriter gave up on */
    entry.z = NULL;
    watched = z;
    if (z) {
        z->failed = 0;
        z->entry[0] = '\0';
    }
}

/* minizip 1.1's prototypes (zip.h), with its zipFile and zip_fileinfo *
 * as the pointers they are and uInt, uLong spelled out. */
typedef int (*zip_open_fn)(void *, const char *, const void *, const void *,
                           unsigned, const void *, unsigned, const char *,
                           int, int, int, int, int, int, const char *,
                           unsigned long, unsigned long, unsigned long, int);
typedef int (*zip_write_fn)(void *, const void *, unsigned);
typedef int (*zip_close_fn)(void *);
typedef int (*zip_close_raw_fn)(void *, unsigned long long, unsigned long);

/* minizip's own definitions, looked up once (the program writes one
 * workbook at a time); a NULL one was not found. */
static struct {
    zip_open_fn open;
    zip_write_fn write;
    zip_close_fn close;
    zip_close_raw_fn close_raw;
} next;

static void minizip_resolve(void)
{
    static int done;
    if (done)
        return;
    union { void *p; zip_open_fn f; } o = {dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64")};
    union { void *p; zip_write_fn f; } w = {dlsym(RTLD_NEXT, "zipWriteInFileInZip")};
    union { void *p; zip_close_fn f; } c = {dlsym(RTLD_NEXT, "zipCloseFileInZip")};
    union { void *p; zip_close_raw_fn f; } r = {dlsym(RTLD_NEXT, "zipCloseFileInZipRaw64")};
    next.open = o.f;
    next.write = w.f;
    next.close = c.f;
    next.close_raw = r.f;
    done = 1;
}

/* What the rows' temporary file of sheet N (1-based: the entry
 * xl/worksheets/sheetN.xml) held; 0 for other parts. */
static uint64_t min_bytes_of(const char *name)
{
    static const char prefix[] = "xl/worksheets/sheet";
    if (!watched || strncmp(name, prefix, sizeof prefix - 1))
        return 0;
    char *end;
    unsigned long n = strtoul(name + sizeof prefix - 1, &end, 10);
    if (strcmp(end, ".xml") || n == 0 || n > watched->n_sheets)
        return 0;
    return watched->sheet_bytes[n - 1];
}

static int is_space(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

/* The entry's last piece, then minizip closes it with the stream's CRC
 * and size (it has only seen the deflated bytes). */
static int close_deflated(void *file)
{
    unsigned long crc;
    uint64_t total;
    int rc = report_deflate_finish(entry.z, &crc, &total);
    double cpu;
    size_t helped = report_deflate_helped(entry.z, &cpu);
    if (watched) {
        watched->deflate_cpu += cpu;
        watched->deflate_helped += helped;
    }
    report_deflate_free(entry.z);
    entry.z = NULL;
    if (!next.close_raw)
        return ZIP_INTERNALERROR;
    if (rc != 0)
        return ZIP_ERRNO;
    return next.close_raw(file, total, crc);
}

int zipOpenNewFileInZip4_64(void *file, const char *name, const void *info,
                            const void *local, unsigned n_local,
                            const void *global, unsigned n_global,
                            const char *comment, int method, int level,
                            int raw, int bits, int mem, int strategy,
                            const char *password, unsigned long crc,
                            unsigned long made_by, unsigned long flags,
                            int zip64)
{
    minizip_resolve();
    if (!next.open)
        return ZIP_INTERNALERROR; /* libxlsxwriter reports it */
    if (level == ZIP_DEFAULT_LEVEL)
        level = ZIP_LEVEL;
    entry.bytes = 0;
    entry.last = 0;
    entry.min_bytes = min_bytes_of(name);
    snprintf(entry.name, sizeof entry.name, "%s", name);
    report_deflate_free(entry.z);
    entry.z = NULL;
    if (watched && method == ZIP_DEFLATED && !raw) {
        if (!next.write || !next.close_raw)
            return ZIP_INTERNALERROR;
        entry.z = report_deflate_new(level, bits, mem, strategy, watched->jobs,
                                     next.write, file);
        if (!entry.z)
            return ZIP_INTERNALERROR;
        raw = 1; /* the header is the same: minizip sets it from level */
    }
    int rc = next.open(file, name, info, local, n_local, global, n_global,
                       comment, method, level, raw, bits, mem, strategy,
                       password, crc, made_by, flags, zip64);
    if (rc != 0) {
        report_deflate_free(entry.z);
        entry.z = NULL;
    }
    return rc;
}

int zipWriteInFileInZip(void *file, const void *buf, unsigned len)
{
    minizip_resolve();
    if (!next.write)
        return ZIP_INTERNALERROR;
    const unsigned char *b = buf;
    entry.bytes += len;
    for (unsigned i = len; i > 0; i--)
        if (!is_space(b[i - 1])) {
            entry.last = b[i - 1];
            break;
        }
    if (entry.z)
        return report_deflate_add(entry.z, buf, len) == 0 ? 0 : ZIP_ERRNO;
    return next.write(file, buf, len);
}

int zipCloseFileInZip(void *file)
{
    minizip_resolve();
    if (!next.close)
        return ZIP_INTERNALERROR;
    int rc = entry.z ? close_deflated(file) : next.close(file);
    if (watched && rc == 0 &&
        (entry.last != '>' || entry.bytes < entry.min_bytes)) {
        watched->failed = 1;
        snprintf(watched->entry, sizeof watched->entry, "%s", entry.name);
        return ZIP_ERRNO;
    }
    return rc;
}
