/* output_files: the output folder's files (see include/output.h): each
 * written beside its final name, checked, then renamed into place; the
 * folder's lock, and what killed runs left behind. The rows themselves
 * are output.c's and output_equity.c's. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output_internal.h"

#define OUTPUT_N_FILES 4

/* equity.csv (output_equity.c) only when the inputs have figures */
static const char *const output_names[OUTPUT_N_FILES] = {
    "decisions.csv", "disbursements.csv", "summary.csv", "equity.csv"};

typedef int (*output_writer)(FILE *fp, const output_data *o);

static char *output_path(const char *dir, const char *prefix, const char *name,
                         const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

/* Creates dir and its missing parents, like mkdir -p. */
static int output_mkdirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

static int output_one(const char *tmp, output_writer fn, const output_data *o,
                      diag *d)
{
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", tmp,
                        strerror(errno));
    int rc = fn(fp, o);
    int werr = ferror(fp);
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
        werr = 1;
    int saved = errno;
    if (fclose(fp) != 0)
        werr = 1;
    if (rc != 0)
        return diag_add(d, DIAG_OSERR, "out of memory writing %s", tmp);
    if (werr)
        return diag_add(d, DIAG_IOERR, "cannot write %s: %s", tmp,
                        strerror(saved ? saved : errno));
    return 0;
}

/* An earlier run's file that this run does not write (equity.csv of a
 * program that now has no figures) would be read as this run's: it goes
 * once the others are in place. */
static int output_drop_stale(const char *path, diag *d)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return diag_add(d, DIAG_CANTCREAT, "cannot remove %s (an earlier "
                        "run's, which this run has no figures for): %s", path,
                        strerror(errno));
    return 0;
}

void output_discard(output_pending *p)
{
    for (int i = 0; i < OUTPUT_N_FILES; i++) {
        if (p->tmp[i])
            unlink(p->tmp[i]);
        free(p->tmp[i]);
        free(p->final[i]);
        p->tmp[i] = p->final[i] = NULL;
    }
    free(p->stale);
    p->stale = NULL;
}

int output_prepare(const char *out_dir, const output_data *o,
                   output_pending *p, diag *d)
{
    static const output_writer writers[OUTPUT_N_FILES] = {
        output_decisions, output_disbursements, output_summary,
        output_equity};
    /* without figures, no equity.csv: an earlier run's goes (commit) */
    int n_files = o->equity ? OUTPUT_N_FILES : OUTPUT_N_FILES - 1;
    char suffix[32];
    memset(p, 0, sizeof *p);
    snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    if (output_mkdirs(out_dir) != 0)
        return diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", out_dir,
                        strerror(errno));
    int rc = 0;
    if (n_files < OUTPUT_N_FILES &&
        !(p->stale = output_path(out_dir, "", output_names[n_files], "")))
        rc = diag_add(d, DIAG_OSERR, "out of memory");
    for (int i = 0; i < n_files && rc == 0; i++) {
        p->tmp[i] = output_path(out_dir, ".", output_names[i], suffix);
        p->final[i] = output_path(out_dir, "", output_names[i], "");
        if (!p->tmp[i] || !p->final[i])
            rc = diag_add(d, DIAG_OSERR, "out of memory");
        else
            rc = output_one(p->tmp[i], writers[i], o, d);
    }
    /* A folder in the way would make a rename fail halfway through;
     * refuse before replacing anything. */
    for (int i = 0; i < n_files && rc == 0; i++) {
        struct stat st;
        if (stat(p->final[i], &st) == 0 && !S_ISREG(st.st_mode))
            rc = diag_add(d, DIAG_CANTCREAT, "cannot replace %s: not a file",
                          p->final[i]);
    }
    if (rc != 0)
        output_discard(p);
    return rc;
}

int output_commit(output_pending *p, diag *d)
{
    int rc = 0;
    for (int i = 0; i < OUTPUT_N_FILES && rc == 0; i++) {
        if (!p->tmp[i])
            continue; /* equity.csv of a program without figures */
        if (rename(p->tmp[i], p->final[i]) != 0)
            rc = diag_add(d, DIAG_CANTCREAT, "cannot rename %s to %s: %s",
                          p->tmp[i], p->final[i], strerror(errno));
        else {
            free(p->tmp[i]);
            p->tmp[i] = NULL;
        }
    }
    if (rc == 0 && p->stale)
        rc = output_drop_stale(p->stale, d);
    output_discard(p);
    return rc;
}

int output_write(const char *out_dir, const output_data *o, diag *d)
{
    output_pending p;
    int rc = output_prepare(out_dir, o, &p, d);
    return rc == 0 ? output_commit(&p, d) : rc;
}

/* ".decisions.csv.tmp-PID", ".report.xlsx.tmp-PID": an output written
 * beside its final name (here, or by report_prepare). */
static int output_is_tmp(const char *name)
{
    static const char *const finals[] = {"decisions.csv", "disbursements.csv",
                                         "summary.csv", "equity.csv",
                                         "report.xlsx"};
    if (name[0] != '.')
        return 0;
    for (size_t i = 0; i < sizeof finals / sizeof *finals; i++) {
        size_t n = strlen(finals[i]);
        const char *pid = name + 1 + n + strlen(".tmp-");
        if (strncmp(name + 1, finals[i], n) == 0
            && strncmp(name + 1 + n, ".tmp-", 5) == 0 && *pid
            && strspn(pid, "0123456789") == strlen(pid))
            return 1;
    }
    return 0;
}

/* Removes what runs killed while writing left behind: with the folder's
 * lock held, no other run is writing these. */
static void output_sweep(const char *out_dir)
{
    DIR *dir = opendir(out_dir);
    if (!dir)
        return;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (!output_is_tmp(e->d_name))
            continue;
        char *path = output_path(out_dir, "", e->d_name, "");
        if (path)
            unlink(path);
        free(path);
    }
    closedir(dir);
}

int output_lock(const char *out_dir, int *fd, diag *d)
{
    *fd = -1;
    if (output_mkdirs(out_dir) != 0)
        return diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", out_dir,
                        strerror(errno));
    char *path = output_path(out_dir, "", ".alliance.lock", "");
    if (!path)
        return diag_add(d, DIAG_OSERR, "out of memory");
    int lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    int rc = 0;
    if (lock < 0)
        rc = diag_add(d, DIAG_CANTCREAT, "cannot create %s: %s", path,
                      strerror(errno));
    else if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
        rc = errno == EWOULDBLOCK
                 ? diag_add(d, DIAG_TEMPFAIL, "%s is being written by another "
                            "run; try again when it is done", out_dir)
                 : diag_add(d, DIAG_IOERR, "cannot lock %s: %s", path,
                            strerror(errno));
        close(lock);
    } else {
        *fd = lock;
        output_sweep(out_dir);
    }
    free(path);
    return rc;
}

void output_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* closing releases the flock */
}
