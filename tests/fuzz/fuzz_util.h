/* fuzz_util: what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * FUZZ_CHECK(cond, ...) aborts with a message when a property fails, so
 * libFuzzer saves the input as a crash artifact. Scratch files go to a
 * per-process folder under /dev/shm (a tmpfs) when there is one, else
 * under $TMPDIR or /tmp; it is removed at exit. */
#ifndef ALLIANCE_FUZZ_UTIL_H
#define ALLIANCE_FUZZ_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_CHECK(cond, ...)                                              \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: property failed: %s\n  ", __FILE__,    \
                    __LINE__, #cond);                                      \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            abort();                                                       \
        }                                                                  \
    } while (0)

/* The source tree (rule files): $ALLIANCE_TOP, else where make built us. */
#ifndef FUZZ_TOP
#define FUZZ_TOP "."
#endif
static inline const char *fuzz_top(void)
{
    const char *t = getenv("ALLIANCE_TOP");
    return t && *t ? t : FUZZ_TOP;
}

static char fuzz_dir_path[256];

static void fuzz_dir_cleanup(void)
{
    static const char *const names[] = {
        "applications.csv", "envelopes.csv", "split.csv", "evaluations.csv",
        "overrides.csv", "decisions.csv", "disbursements.csv", "summary.csv"};
    char p[512];
    if (!fuzz_dir_path[0])
        return;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(p, sizeof p, "%s/%s", fuzz_dir_path, names[i]);
        unlink(p);
    }
    rmdir(fuzz_dir_path);
}

/* The scratch folder, created on first use. */
static inline const char *fuzz_dir(void)
{
    if (fuzz_dir_path[0])
        return fuzz_dir_path;
    const char *base = getenv("TMPDIR");
    struct stat st;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
        access("/dev/shm", W_OK) == 0)
        base = "/dev/shm";
    if (!base || !*base)
        base = "/tmp";
    snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/alliance-fuzz-XXXXXX",
             base);
    FUZZ_CHECK(mkdtemp(fuzz_dir_path) != NULL, "mkdtemp %s: %s",
               fuzz_dir_path, strerror(errno));
    atexit(fuzz_dir_cleanup);
    return fuzz_dir_path;
}

/* Writes len bytes as dir/name; data NULL removes the file instead. */
static inline void fuzz_put_file(const char *name, const void *data,
                                 size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", fuzz_dir(), name);
    if (!data) {
        unlink(p);
        return;
    }
    FILE *f = fopen(p, "wb");
    FUZZ_CHECK(f != NULL, "cannot create %s: %s", p, strerror(errno));
    FUZZ_CHECK(fwrite(data, 1, len, f) == len && fclose(f) == 0,
               "cannot write %s", p);
}

/* Is s (len bytes) text the engine accepts: valid UTF-8 (no overlongs,
 * surrogates or code points above U+10FFFF) without U+FFFE and U+FFFF,
 * which XML (report.xlsx) cannot hold? */
static inline int fuzz_utf8_ok(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = u[i];
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            n = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else
            return 0;
        if (len - i < n || u[i + 1] < lo || u[i + 1] > hi)
            return 0;
        for (size_t k = 2; k < n; k++)
            if ((u[i + k] & 0xC0) != 0x80)
                return 0;
        if (c == 0xEF && u[i + 1] == 0xBF && u[i + 2] >= 0xBE)
            return 0;
        i += n;
    }
    return 1;
}

/* A diag's text: valid UTF-8, each message one line (no control
 * character but the '\n' ending it). */
static inline void fuzz_check_messages(const char *text)
{
    size_t len = strlen(text);
    FUZZ_CHECK(fuzz_utf8_ok(text, len), "message not UTF-8: %s", text);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        FUZZ_CHECK(c == '\n' || c >= 0x20, "control byte 0x%02X at %zu in "
                   "messages:\n%s", c, i, text);
    }
    FUZZ_CHECK(len == 0 || text[len - 1] == '\n', "messages not ended by a "
               "newline: %s", text);
}

#endif
