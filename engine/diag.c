/* diag: see include/diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIAG_DEFAULT_LIMIT 50

void diag_init(diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_free(diag *d)
{
    free(d->text);
    diag_init(d);
}

void diag_clear(diag *d)
{
    size_t limit = d->limit;
    diag_free(d);
    d->limit = limit;
}

static int diag_reserve(diag *d, size_t more)
{
    if (d->len + more + 1 <= d->cap)
        return 0;
    size_t cap = d->cap ? d->cap : 256;
    while (cap < d->len + more + 1)
        cap *= 2;
    char *text = realloc(d->text, cap);
    if (!text)
        return -1;
    d->text = text;
    d->cap = cap;
    return 0;
}

static void diag_vappend(diag *d, const char *prefix, const char *fmt,
                         va_list ap)
{
    size_t limit = d->limit ? d->limit : DIAG_DEFAULT_LIMIT;
    d->count++;
    if (d->count > limit)
        return;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    size_t plen = strlen(prefix);
    if (n < 0 || diag_reserve(d, plen + (size_t)n + 1) != 0) {
        d->oom = 1;
        return;
    }
    memcpy(d->text + d->len, prefix, plen);
    d->len += plen;
    vsnprintf(d->text + d->len, (size_t)n + 1, fmt, ap);
    /* one line per message, whatever a value quoted in it holds */
    for (size_t i = d->len; i < d->len + (size_t)n; i++)
        if ((unsigned char)d->text[i] < 0x20 || d->text[i] == 0x7F)
            d->text[i] = ' ';
    d->len += (size_t)n;
    d->text[d->len++] = '\n';
    d->text[d->len] = '\0';
}

int diag_add(diag *d, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vappend(d, "", fmt, ap);
    va_end(ap);
    if (!d->status)
        d->status = status;
    return status;
}

int diag_at(diag *d, int status, const char *file, long line, long col,
            const char *fmt, ...)
{
    char prefix[512];
    if (line > 0 && col > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld:%ld: ", file, line, col);
    else if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%ld: ", file, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", file);
    va_list ap;
    va_start(ap, fmt);
    diag_vappend(d, prefix, fmt, ap);
    va_end(ap);
    if (!d->status)
        d->status = status;
    return status;
}

const char *diag_text(diag *d)
{
    size_t limit = d->limit ? d->limit : DIAG_DEFAULT_LIMIT;
    if (d->count > limit && !d->oom) {
        char more[64];
        int n = snprintf(more, sizeof more, "... and %zu more\n",
                         d->count - limit);
        if (diag_reserve(d, (size_t)n) == 0) {
            memcpy(d->text + d->len, more, (size_t)n + 1);
            /* not added to len: the note is rebuilt on every call */
        }
    }
    if (d->oom)
        return d->text && d->len ? d->text : "out of memory while reporting errors\n";
    return d->text ? d->text : "";
}

int diag_append(diag *to, diag *from)
{
    /* one line at a time: diag_add keeps each message whole */
    const char *text = diag_text(from);
    while (*text) {
        size_t len = strcspn(text, "\n");
        diag_add(to, from->status, "%.*s", (int)len, text);
        text += len + (text[len] == '\n');
    }
    return from->status;
}
