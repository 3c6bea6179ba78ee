/* diag: error reporting shared by every module.
 *
 * Library code never prints and never exits: it records messages in a diag
 * and returns a sysexits-style status.  A diag keeps every message up to a
 * limit, then only counts, so a bad file is reported all at once.
 * Each message is one line: control characters in it (from a value it
 * quotes) are recorded as spaces. */
#ifndef ALLIANCE_DIAG_H
#define ALLIANCE_DIAG_H

#include <stddef.h>

/* Exit statuses, sysexits(3) values so schedulers can act on them. */
enum {
    DIAG_OK = 0,
    DIAG_USAGE = 64,     /* bad command line */
    DIAG_DATA = 65,      /* bad input data or rule file */
    DIAG_NOINPUT = 66,   /* input directory cannot be opened */
    DIAG_INTERNAL = 70,  /* bug or invariant broken in the engine */
    DIAG_OSERR = 71,     /* out of memory, fork failure... */
    DIAG_CANTCREAT = 73, /* output cannot be created */
    DIAG_IOERR = 74,     /* read or write failed */
    DIAG_TEMPFAIL = 75,  /* locked, try again later */
    DIAG_CONFIG = 78     /* missing dependency or configuration */
};

typedef struct diag {
    int status;     /* first non-zero status recorded, DIAG_OK if none */
    size_t count;   /* messages recorded, including those not kept */
    size_t limit;   /* messages kept in text; 0 means the default (50) */
    char *text;     /* kept messages, each ending with '\n'; may be NULL */
    size_t len, cap;
    int oom;        /* a message could not be stored */
} diag;

void diag_init(diag *d);
void diag_free(diag *d);
void diag_clear(diag *d);

/* Records one message, printf-style; returns status so callers can write
 * `return diag_add(d, DIAG_DATA, ...)`. */
int diag_add(diag *d, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records "file:line:col: message"; line or col <= 0 are left out. */
int diag_at(diag *d, int status, const char *file, long line, long col,
            const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* All kept messages, plus "... and N more" when some were dropped.
 * Never NULL. The returned string lives until the next diag call. */
const char *diag_text(diag *d);

/* from's messages (diag_text's lines) added to to, with from's status;
 * returns that status. For work done with a diag of its own, in another
 * thread or to be reported only if something else did not fail. */
int diag_append(diag *to, diag *from);

#endif
