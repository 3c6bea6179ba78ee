/* inputs: see include/inputs.h.
 *
 * The files are read in dependency order: split.csv (the subregion
 * names that applications refer to), envelopes.csv (whose total bounds the
 * split amounts), applications.csv, then the optional evaluations.csv and
 * overrides.csv (which name applications).  Every file is read to the end
 * whatever its problems, so one run reports them all; only running out of
 * memory stops early.
 *
 * Built for a million applications: strings and small arrays go into an
 * arena of 1 MiB blocks (no malloc per cell), ids and subregion names are
 * found through hash maps (no quadratic scans). */
#include "inputs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "inputs_internal.h"

/* ---- arena --------------------------------------------------------- */

#define ARENA_BLOCK ((size_t)1 << 20)

typedef struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    max_align_t data[]; /* cap bytes */
} arena_block;

static arena_block *arena_block_new(size_t cap, arena_block *next)
{
    arena_block *b = malloc(sizeof *b + cap);
    if (b)
        *b = (arena_block){next, cap, 0};
    return b;
}

/* align is a power of two no larger than max_align_t's. */
void *inputs_arena_alloc(struct inputs_arena *a, size_t size, size_t align)
{
    arena_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->cap || b->cap - at < size) {
        if (size > ARENA_BLOCK / 4) {
            /* big: its own block, behind the current one so the room left
             * there is not lost */
            arena_block *big = arena_block_new(size, b ? b->next : NULL);
            if (!big)
                return NULL;
            big->used = size;
            if (b)
                b->next = big;
            else
                a->head = big;
            return big->data;
        }
        if (!(b = arena_block_new(ARENA_BLOCK, a->head)))
            return NULL;
        a->head = b;
        at = 0;
    }
    b->used = at + size;
    return (char *)b->data + at;
}

const char *inputs_strndup(struct inputs_arena *a, const char *s, size_t len)
{
    if (len == 0)
        return "";
    char *p = inputs_arena_alloc(a, len + 1, 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void inputs_arena_adopt(struct inputs_arena *dst, struct inputs_arena *src)
{
    arena_block *tail = src->head;
    if (!tail)
        return;
    while (tail->next)
        tail = tail->next;
    /* behind dst's current block, whose room left stays in use */
    if (dst->head) {
        tail->next = dst->head->next;
        dst->head->next = src->head;
    } else {
        dst->head = src->head;
    }
    src->head = NULL;
}

void inputs_arena_drop(struct inputs_arena *a)
{
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

static void arena_free(struct inputs_arena *a)
{
    if (!a)
        return;
    inputs_arena_drop(a);
    inputs_map_free(&a->split_index);
    inputs_map_free(&a->territory_index);
    free(a);
}

/* ---- string map ---------------------------------------------------- */

uint64_t inputs_map_hash(const char *s, size_t len)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(1099511628211);
    }
    return h ^ (h >> 29); /* mix the high bits into the slot index */
}

static strmap_slot *strmap_find(const strmap *m, const char *s, size_t len,
                                uint64_t hash)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        strmap_slot *e = &m->slot[i];
        if (!e->key
            || (e->hash == hash && memcmp(e->key, s, len) == 0
                && e->key[len] == '\0'))
            return e;
    }
}

static int strmap_grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    strmap_slot *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return -1;
    strmap old = *m;
    *m = (strmap){slot, cap, old.n};
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i].key)
            *strmap_find(m, old.slot[i].key, strlen(old.slot[i].key),
                         old.slot[i].hash) = old.slot[i];
    free(old.slot);
    return 0;
}

void inputs_map_prefetch(const strmap *m, uint64_t hash)
{
    if (m->cap)
        __builtin_prefetch(&m->slot[(size_t)hash & (m->cap - 1)]);
}

int inputs_map_reserve(strmap *m, size_t n)
{
    while (n * 2 > m->cap)
        if (strmap_grow(m) != 0)
            return -1;
    return 0;
}

int inputs_map_put(strmap *m, const char *key, size_t len, uint64_t hash,
                   size_t *value)
{
    if ((m->n + 1) * 2 > m->cap && strmap_grow(m) != 0)
        return -1;
    strmap_slot *e = strmap_find(m, key, len, hash);
    if (e->key) {
        *value = e->value;
        return 1;
    }
    *e = (strmap_slot){key, hash, *value};
    m->n++;
    return 0;
}

int inputs_map_get(const strmap *m, const char *s, size_t len, uint64_t hash,
                   size_t *value)
{
    if (!m->cap)
        return -1;
    const strmap_slot *e = strmap_find(m, s, len, hash);
    if (!e->key)
        return -1;
    *value = e->value;
    return 0;
}

void inputs_map_free(strmap *m)
{
    free(m->slot);
    *m = (strmap){NULL, 0, 0};
}

/* ---- small helpers ------------------------------------------------- */

int inputs_grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < n)
        c *= 2;
    void *p = realloc(*arr, c * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

void inputs_trim(const char **s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)*s;
    size_t b = 0, e = *len;
    for (;;) {
        if (b < e && (u[b] == ' ' || u[b] == '\t'))
            b++;
        else if (e - b >= 2 && u[b] == 0xC2 && u[b + 1] == 0xA0)
            b += 2;
        else if (e - b >= 3 && u[b] == 0xE2 && u[b + 1] == 0x80
                 && u[b + 2] == 0xAF)
            b += 3;
        else
            break;
    }
    for (;;) {
        if (e > b && (u[e - 1] == ' ' || u[e - 1] == '\t'))
            e--;
        else if (e - b >= 2 && u[e - 2] == 0xC2 && u[e - 1] == 0xA0)
            e -= 2;
        else if (e - b >= 3 && u[e - 3] == 0xE2 && u[e - 2] == 0x80
                 && u[e - 1] == 0xAF)
            e -= 3;
        else
            break;
    }
    *s += b;
    *len = e - b;
}

const char inputs_bool_expected[] =
    "is not yes or no (expected oui, non, yes, no, vrai, faux, true, false, "
    "1, 0, x or empty)";

int inputs_match_word(const char *s, size_t len, const char *const *first,
                      const char *const *second)
{
    char copy[24], key[24];
    if (len >= sizeof copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    csvread_normalise(copy, key, sizeof key);
    for (const char *const *w = first; *w; w++)
        if (strcmp(key, *w) == 0)
            return 1;
    for (const char *const *w = second; *w; w++)
        if (strcmp(key, *w) == 0)
            return 0;
    return -1;
}

int inputs_parse_bool(const char *s, size_t len)
{
    /* the words rules_fields accepts for a boolean column, and "x" */
    static const char *const yes[] = {"oui", "yes", "vrai", "true", "1",
                                      "x", NULL};
    static const char *const no[] = {"non", "no", "faux", "false", "0", NULL};
    return len == 0 ? 0 : inputs_match_word(s, len, yes, no);
}

/* ---- messages ------------------------------------------------------ */

void inputs_note(loader *L, int status)
{
    if (!L->status || status == DIAG_OSERR)
        L->status = status;
}

int inputs_oom(loader *L)
{
    if (L->status != DIAG_OSERR)
        diag_add(L->d, DIAG_OSERR, "out of memory while loading inputs");
    inputs_note(L, DIAG_OSERR);
    return DIAG_OSERR;
}

void inputs_error(loader *L, const char *file, long line, long col,
                  const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    diag_at(L->d, DIAG_DATA, file, line, col, "%s", what);
    inputs_note(L, DIAG_DATA);
    L->t.errors++;
}

void inputs_cell_error(loader *L, const table *t, const csvread_row *row,
                       int i, const char *s, size_t len, const char *fmt, ...)
{
    char what[1024], value[CSVREAD_SHOW_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    csvread_show(s, len, value);
    inputs_error(L, t->file, row->line, t->col[i] + 1, "%s: \"%s\" %s",
                 t->spec[i].key, value, what);
}

/* ---- driver -------------------------------------------------------- */

/* Reads dir/file through fn.  An optional file that does not exist is
 * simply absent (left broken, so nothing is checked across its rows). */
static void load_file(loader *L, const char *dir, const char *file,
                      const colspec *spec, size_t n_spec, csvread_row_fn fn,
                      int optional)
{
    struct stat st;
    inputs_table_init(&L->t, file, spec, n_spec);
    L->t.broken = 1;
    if (L->status == DIAG_OSERR)
        return;
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path) {
        inputs_oom(L);
        return;
    }
    snprintf(path, n, "%s/%s", dir, file);
    int rc = 0;
    if (!optional || stat(path, &st) == 0 || errno != ENOENT) {
        char hex[HASH_SHA256_HEX];
        /* applications.csv: the one file big enough for two threads */
        rc = fn == inputs_apps_row
                 ? inputs_apps_read(L, path, hex)
                 : csvread_file_sha256(path, file, fn, L, hex, L->d);
        L->t.broken = rc != 0;
        inputs *in = L->in;
        if (rc == 0 && hex[0] && in->n_digests < INPUTS_MAX_FILES) {
            in->digests[in->n_digests].file = file;
            memcpy(in->digests[in->n_digests++].sha256, hex, sizeof hex);
        }
    }
    free(path);
    if (rc != 0)
        inputs_note(L, rc);
}

const char *inputs_sha256(const inputs *in, const char *file)
{
    for (size_t i = 0; in && i < in->n_digests; i++)
        if (!strcmp(in->digests[i].file, file))
            return in->digests[i].sha256;
    return NULL;
}

int inputs_load(inputs *in, const char *dir, diag *d)
{
    return inputs_load_jobs(in, dir, 1, d);
}

int inputs_load_jobs(inputs *in, const char *dir, int jobs, diag *d)
{
    memset(in, 0, sizeof *in);
    loader L = {.in = in, .d = d, .jobs = jobs};
    if (!(L.arena = in->arena = calloc(1, sizeof *L.arena)))
        return diag_add(d, DIAG_OSERR, "out of memory while loading inputs");
    load_file(&L, dir, "split.csv", inputs_split_spec, inputs_split_n_spec,
              inputs_split_row, 0);
    inputs_split_finish(&L);
    load_file(&L, dir, "envelopes.csv", inputs_envelopes_spec,
              inputs_envelopes_n_spec, inputs_envelopes_row, 0);
    inputs_envelopes_finish(&L);
    inputs_split_check_total(&L);
    load_file(&L, dir, "applications.csv", inputs_apps_spec,
              inputs_apps_n_spec, inputs_apps_row, 0);
    inputs_apps_finish(&L);
    load_file(&L, dir, "evaluations.csv", inputs_evals_spec,
              inputs_evals_n_spec, inputs_evals_row, 1);
    load_file(&L, dir, "overrides.csv", inputs_overrides_spec,
              inputs_overrides_n_spec, inputs_overrides_row, 1);
    load_file(&L, dir, "commitments.csv", inputs_commitments_spec,
              inputs_commitments_n_spec, inputs_commitments_row, 1);
    load_file(&L, dir, "territories.csv", inputs_territories_spec,
              inputs_territories_n_spec, inputs_territories_row, 1);
    inputs_territories_finish(&L);
    inputs_map_free(&L.ids);
    inputs_map_free(&L.graded);
    inputs_map_free(&L.overridden);
    free(L.known);
    if (L.status) {
        inputs_free(in);
        return L.status;
    }
    return DIAG_OK;
}

void inputs_free(inputs *in)
{
    free(in->apps);
    free(in->years);
    free(in->split);
    free(in->evals);
    free(in->overrides);
    free(in->commitments);
    free(in->territories);
    arena_free(in->arena);
    memset(in, 0, sizeof *in);
}

int64_t inputs_envelope_total(const inputs *in)
{
    int64_t total = 0;
    for (size_t i = 0; i < in->n_years; i++)
        total += in->years[i].amount;
    return total;
}

/* The index a name maps to in m (after trimming), or -1. */
static long find_name(const strmap *m, const char *name)
{
    size_t len = strlen(name), index;
    inputs_trim(&name, &len);
    if (inputs_map_get(m, name, len, inputs_map_hash(name, len), &index) != 0)
        return -1;
    return (long)index;
}

long inputs_find_subregion(const inputs *in, const char *name)
{
    return in->arena ? find_name(&in->arena->split_index, name) : -1;
}

long inputs_find_territory(const inputs *in, const char *name)
{
    return in->arena ? find_name(&in->arena->territory_index, name) : -1;
}
