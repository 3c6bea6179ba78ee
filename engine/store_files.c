/* store_files: the files a run read and their SHA-256, as recorded, and
 * as checked again by a replay. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "store_internal.h"

/* Every file inputs_load may read, mandatory first. An optional file a
 * run did not have is checked by replay too: adding overrides.csv
 * changes the results as surely as editing one. */
static const char *const input_names[] = {
    "applications.csv", "envelopes.csv", "split.csv", "evaluations.csv",
    "overrides.csv", "commitments.csv", "territories.csv"};
#define N_INPUT_NAMES (sizeof input_names / sizeof *input_names)

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *store_abspath(const char *path)
{
    char *p = path ? realpath(path, NULL) : NULL;
    return p ? p : path ? strdup(path) : NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The file's SHA-256 now, or NULL when it cannot be read (that is what
 * the caller reports, so the message itself is not wanted). */
static const char *hash_now(const char *path, char hex[HASH_SHA256_HEX])
{
    diag quiet;
    diag_init(&quiet);
    int rc = hash_file_sha256(path, hex, &quiet);
    diag_free(&quiet);
    return rc == 0 ? hex : NULL;
}

/* Completes the entry hash_add is filling: its name and absolute path. */
static int hash_keep(store_hashes *h, const char *name, const char *path,
                     diag *d)
{
    store_hashed *f = &h->v[h->n];
    f->name = strdup(name);
    f->path = store_abspath(path);
    if (!f->name || !f->path) {
        free(f->name);
        free(f->path);
        return diag_add(d, DIAG_OSERR, "out of memory");
    }
    h->n++;
    return 0;
}

/* The next entry, zeroed, for role; NULL when out of memory. */
static store_hashed *hash_slot(store_hashes *h, const char *role)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        store_hashed *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return NULL;
        h->v = v;
        h->cap = cap;
    }
    store_hashed *f = &h->v[h->n];
    memset(f, 0, sizeof *f);
    f->role = role;
    return f;
}

/* Hashes path as (role, name). A file that cannot be read is an error
 * when strict (a successful run just read it), else left out. */
static int hash_add(store_hashes *h, const char *role, const char *name,
                    const char *path, int strict, diag *d)
{
    store_hashed *f = hash_slot(h, role);
    if (!f)
        return diag_add(d, DIAG_OSERR, "out of memory");
    if (!strict)
        return hash_now(path, f->sha256) ? hash_keep(h, name, path, d) : 0;
    int rc = hash_file_sha256(path, f->sha256, d);
    return rc != 0 ? rc : hash_keep(h, name, path, d);
}

/* An input file the run loaded: its digest as parsed. */
static int hash_loaded(store_hashes *h, const char *name, const char *path,
                       const char *sha256, diag *d)
{
    store_hashed *f = hash_slot(h, "input");
    if (!f)
        return diag_add(d, DIAG_OSERR, "out of memory");
    memcpy(f->sha256, sha256, HASH_SHA256_HEX);
    return hash_keep(h, name, path, d);
}

static int hash_inputs(store_hashes *h, const char *dir, const inputs *loaded,
                       int strict, diag *d)
{
    int rc = 0;
    for (size_t i = 0; i < N_INPUT_NAMES && rc == 0; i++) {
        char *path = join(dir, input_names[i]);
        if (!path)
            return diag_add(d, DIAG_OSERR, "out of memory");
        const char *sha256 = inputs_sha256(loaded, input_names[i]);
        if (sha256 && strict)
            rc = hash_loaded(h, input_names[i], path, sha256, d);
        else if (is_file(path))
            rc = hash_add(h, "input", input_names[i], path, strict, d);
        free(path);
    }
    return rc;
}

/* The library files the rule file required, named relative to libdir. */
static int hash_lib(store_hashes *h, const rules *r, const char *libdir,
                    int strict, diag *d)
{
    char **paths;
    size_t n;
    int rc = rules_required_files(r, &paths, &n, d);
    size_t skip = libdir ? strlen(libdir) + 1 : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *name = strlen(paths[i]) > skip ? paths[i] + skip : paths[i];
        rc = hash_add(h, "lib", name, paths[i], strict, d);
    }
    rules_required_free(paths, n);
    return rc;
}

int store_hash_run(store_hashes *h, const store_run_meta *m,
                   const inputs *loaded, int strict, diag *d)
{
    memset(h, 0, sizeof *h);
    int rc = hash_inputs(h, m->inputs_dir, loaded, strict, d);
    if (rc == 0 && (strict || is_file(m->rules_path)))
        rc = hash_add(h, "rules", base_name(m->rules_path), m->rules_path,
                      strict, d);
    if (rc == 0 && m->rules)
        rc = hash_lib(h, m->rules, m->libdir, strict, d);
    if (rc != 0)
        store_hashes_free(h);
    return rc;
}

void store_hashes_free(store_hashes *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].name);
        free(h->v[i].path);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

/* ---- replay: are the files still those the run read? ---------------- */

typedef struct verify_ctx {
    store_changed_fn fn;
    void *ctx;
    unsigned recorded;   /* bit i: input_names[i] was recorded */
} verify_ctx;

static int verify_one(void *vc, const store_file *f)
{
    verify_ctx *v = vc;
    char hex[HASH_SHA256_HEX];
    const char *now = hash_now(f->path, hex);
    for (size_t i = 0; i < N_INPUT_NAMES; i++)
        if (!strcmp(f->role, "input") && !strcmp(f->name, input_names[i]))
            v->recorded |= 1u << i;
    if (now && !strcmp(now, f->sha256))
        return 0;
    return v->fn(v->ctx, f, now);
}

int store_verify_files(store *s, int64_t run, const char *inputs_dir,
                       store_changed_fn fn, void *ctx, diag *d)
{
    verify_ctx v = {fn, ctx, 0};
    int rc = store_run_files(s, run, verify_one, &v, d);
    for (size_t i = 0; i < N_INPUT_NAMES && rc == 0; i++) {
        if (v.recorded & (1u << i))
            continue;
        char *path = join(inputs_dir, input_names[i]);
        if (!path)
            return diag_add(d, DIAG_OSERR, "out of memory");
        if (is_file(path)) {
            store_file added = {"input", input_names[i], path, ""};
            char hex[HASH_SHA256_HEX];
            rc = fn(ctx, &added, hash_now(path, hex));
        }
        free(path);
    }
    return rc;
}
