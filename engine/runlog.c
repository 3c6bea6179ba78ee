/* runlog: see include/runlog.h. */
#include "runlog.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define RUNLOG_BAR_WIDTH 30

double runlog_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void runlog_open(runlog *l, FILE *f, runlog_level level)
{
    const char *term = getenv("TERM");
    l->f = level == RUNLOG_QUIET ? NULL : f;
    l->level = level;
    l->bar = l->f && isatty(fileno(l->f)) && term && strcmp(term, "dumb") != 0;
    l->who = "alliance";
    l->started = l->stage_started = runlog_now();
}

/* Each line goes out in one write, so lines of programs running side by
 * side (alliance batch --jobs) never interleave. */
static void runlog_line(runlog *l, const char *head, const char *tail,
                        const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof line, "%s%s", l->bar ? "\r\033[K" : "", head);
    if (n < 0 || (size_t)n >= sizeof line - 2)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = m < 0 ? (size_t)n
                       : (size_t)n + ((size_t)m < sizeof line - (size_t)n - 1
                                          ? (size_t)m
                                          : sizeof line - (size_t)n - 2);
    size_t t = strlen(tail);
    if (len + t < sizeof line - 1) {
        memcpy(line + len, tail, t);
        len += t;
    }
    line[len++] = '\n';
    fwrite(line, 1, len, l->f);
    fflush(l->f);
}

void runlog_stage(runlog *l, const char *stage, const char *fmt, ...)
{
    double now = runlog_now();
    if (l->f) {
        char head[128];
        snprintf(head, sizeof head, "%s: %-10s %8.3f s  ", l->who, stage,
                 now - l->stage_started);
        /* verbose: the peak so far, so a benchmark sees which stage
         * needs the memory */
        char tail[64] = "";
        if (l->level >= RUNLOG_VERBOSE)
            snprintf(tail, sizeof tail, "  (peak %.1f MiB)", runlog_peak_mib());
        va_list ap;
        va_start(ap, fmt);
        runlog_line(l, head, tail, fmt, ap);
        va_end(ap);
    }
    l->stage_started = now;
}

void runlog_detail(runlog *l, const char *fmt, ...)
{
    if (!l->f || l->level < RUNLOG_VERBOSE)
        return;
    char head[128];
    snprintf(head, sizeof head, "%s:   ", l->who);
    va_list ap;
    va_start(ap, fmt);
    runlog_line(l, head, "", fmt, ap);
    va_end(ap);
}

void runlog_progress(runlog *l, const char *stage, size_t done, size_t total)
{
    if (!l->bar || total == 0)
        return;
    int filled = (int)((double)done / (double)total * RUNLOG_BAR_WIDTH);
    char bar[RUNLOG_BAR_WIDTH + 1];
    memset(bar, '#', (size_t)filled);
    memset(bar + filled, '.', (size_t)(RUNLOG_BAR_WIDTH - filled));
    bar[RUNLOG_BAR_WIDTH] = '\0';
    fprintf(l->f, "\r\033[K%s: %-10s [%s] %zu/%zu", l->who, stage, bar, done, total);
    fflush(l->f);
}

static void runlog_total_line(runlog *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    runlog_line(l, "", "", fmt, ap);
    va_end(ap);
}

static double runlog_mib(const struct rusage *ru)
{
    return (double)ru->ru_maxrss / 1024.0; /* ru_maxrss is KiB on Linux */
}

double runlog_peak_mib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? runlog_mib(&ru) : 0;
}

static double runlog_seconds(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* The CPU seconds, user and system, beside the wall time: they tell
 * computing from waiting (disk, locks). */
void runlog_total(runlog *l)
{
    struct rusage ru;
    double user = 0, sys = 0, peak_mib = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        user = runlog_seconds(ru.ru_utime);
        sys = runlog_seconds(ru.ru_stime);
        peak_mib = runlog_mib(&ru);
    }
    double now = runlog_now();
    if (l->f)
        runlog_total_line(l, "%s: %-10s %8.3f s  cpu %.2f s user + %.2f s "
                          "system  peak memory %.1f MiB", l->who, "total",
                          now - l->started, user, sys, peak_mib);
    l->stage_started = now;
}
