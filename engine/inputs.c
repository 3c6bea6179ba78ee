/* inputs: see include/inputs.h.
 *
 * The three files are read in dependency order: split.csv (the subregion
 * names that applications refer to), envelopes.csv (whose total bounds the
 * split amounts), then applications.csv.  Every file is read to the end
 * whatever its problems, so one run reports them all; only running out of
 * memory stops early.
 *
 * Built for a million applications: strings and small arrays go into an
 * arena of 1 MiB blocks (no malloc per cell), ids and subregion names are
 * found through hash maps (no quadratic scans). */
#include "inputs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void arena_free(struct inputs_arena *a)
{
    if (!a)
        return;
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    inputs_map_free(&a->split_index);
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

/* ---- messages ------------------------------------------------------ */

static void note(loader *L, int status)
{
    if (!L->status || status == DIAG_OSERR)
        L->status = status;
}

int inputs_oom(loader *L)
{
    if (L->status != DIAG_OSERR)
        diag_add(L->d, DIAG_OSERR, "out of memory while loading inputs");
    note(L, DIAG_OSERR);
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
    note(L, DIAG_DATA);
    L->t.errors++;
}

/* A value as shown in a message: at most 60 bytes (cut on a character
 * boundary), control characters as spaces. */
static void shown(char out[72], const char *s, size_t len)
{
    size_t n = len;
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
    strcpy(out + n, n < len ? "..." : "");
}

void inputs_cell_error(loader *L, const table *t, const csvread_row *row,
                       int i, const char *s, size_t len, const char *fmt, ...)
{
    char what[1024], value[72];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    shown(value, s, len);
    inputs_error(L, t->file, row->line, t->col[i] + 1, "%s: \"%s\" %s",
                 t->spec[i].key, value, what);
}

/* ---- header and rows ----------------------------------------------- */

static int spec_of(const table *t, const char *key)
{
    for (size_t i = 0; i < t->n_spec; i++) {
        if (strcmp(t->spec[i].key, key) == 0)
            return (int)i;
        for (const char *const *a = t->spec[i].aliases; *a; a++)
            if (strcmp(*a, key) == 0)
                return (int)i;
    }
    return -1;
}

static void missing_column(loader *L, const table *t, long line, size_t i)
{
    char also[512] = "";
    size_t n = 0;
    for (const char *const *a = t->spec[i].aliases; *a && n < sizeof also;
         a++) {
        int w = snprintf(also + n, sizeof also - n, "%s%s",
                         n ? ", " : " (also accepted: ", *a);
        n += w > 0 ? (size_t)w : 0;
    }
    if (n > 0 && n < sizeof also - 1)
        strcat(also, ")");
    inputs_error(L, t->file, line, 0, "missing required column '%s'%s",
                 t->spec[i].key, also);
}

static int table_alloc(loader *L, table *t, size_t n)
{
    struct inputs_arena *a = L->arena;
    t->extra_field =
        inputs_arena_alloc(a, n * sizeof *t->extra_field, _Alignof(size_t));
    t->extra_names = inputs_arena_alloc(a, n * sizeof *t->extra_names,
                                        _Alignof(const char *));
    t->extra_keys = inputs_arena_alloc(a, n * sizeof *t->extra_keys,
                                       _Alignof(const char *));
    t->extra_columns =
        inputs_arena_alloc(a, n * sizeof *t->extra_columns, _Alignof(long));
    t->unnamed =
        inputs_arena_alloc(a, n * sizeof *t->unnamed, _Alignof(size_t));
    return t->extra_field && t->extra_names && t->extra_keys
                   && t->extra_columns && t->unnamed
               ? 0
               : -1;
}

/* Maps one header cell (field f, normalised to key) to a column. */
static int header_cell(loader *L, table *t, const csvread_row *row, size_t f,
                       const char *key)
{
    const char *name = row->field[f];
    char nm[72];
    int i = spec_of(t, key);
    shown(nm, name, row->len[f]);
    if (i >= 0 && t->col[i] >= 0) {
        inputs_error(L, t->file, row->line, (long)f + 1,
                     "duplicate column \"%s\": '%s' is already column %ld", nm,
                     t->spec[i].key, t->col[i] + 1);
    } else if (i >= 0) {
        t->col[i] = (long)f;
    } else if (!*key) {
        t->unnamed[t->n_unnamed++] = f;
    } else {
        for (size_t k = 0; k < t->n_extra; k++)
            if (strcmp(t->extra_keys[k], key) == 0) {
                inputs_error(
                    L, t->file, row->line, (long)f + 1,
                    "duplicate column \"%s\": same name as column %ld", nm,
                    t->extra_columns[k]);
                return 0;
            }
        const char *copy = inputs_strndup(L->arena, name, row->len[f]);
        if (!copy)
            return inputs_oom(L);
        t->extra_field[t->n_extra] = f;
        t->extra_names[t->n_extra] = copy;
        t->extra_keys[t->n_extra] = key;
        t->extra_columns[t->n_extra++] = (long)f + 1;
    }
    return 0;
}

int inputs_table_header(loader *L, table *t, const csvread_row *row)
{
    if (table_alloc(L, t, row->n) != 0)
        return inputs_oom(L);
    t->n_fields = row->n;
    t->have_header = 1;
    for (size_t f = 0; f < row->n; f++) {
        /* normalising never makes a name longer */
        char *key = inputs_arena_alloc(L->arena, row->len[f] + 1, 1);
        if (!key)
            return inputs_oom(L);
        csvread_normalise(row->field[f], key, row->len[f] + 1);
        if (header_cell(L, t, row, f, key) != 0)
            return DIAG_OSERR;
    }
    for (size_t i = 0; i < t->n_spec; i++)
        if (t->spec[i].required && t->col[i] < 0)
            missing_column(L, t, row->line, i);
    return 0;
}

static int is_blank(const char *s, size_t len)
{
    inputs_trim(&s, &len);
    return len == 0;
}

/* Spreadsheets export rows of empty cells (";;;;") where cells were only
 * formatted: they are skipped like blank lines. */
static int row_empty(const csvread_row *row)
{
    for (size_t f = 0; f < row->n; f++)
        if (!is_blank(row->field[f], row->len[f]))
            return 0;
    return 1;
}

int inputs_table_row(loader *L, table *t, const csvread_row *row)
{
    if (row_empty(row))
        return 0;
    t->n_rows++;
    if (row->n != t->n_fields) {
        inputs_error(L, t->file, row->line, 0,
                     "row has %zu fields, the header has %zu", row->n,
                     t->n_fields);
        return 0;
    }
    for (size_t k = 0; k < t->n_unnamed; k++) {
        size_t f = t->unnamed[k];
        if (!is_blank(row->field[f], row->len[f]))
            inputs_error(L, t->file, row->line, (long)f + 1,
                         "a value in column %zu, which has no header name",
                         f + 1);
    }
    return 1;
}

int inputs_table_cell(const table *t, const csvread_row *row, int i,
                      const char **s, size_t *len)
{
    long c = t->col[i];
    if (c < 0) {
        *s = "";
        *len = 0;
        return 0;
    }
    *s = row->field[c];
    *len = row->len[c];
    inputs_trim(s, len);
    return 1;
}

const char **inputs_table_extras(loader *L, const table *t,
                                 const csvread_row *row)
{
    if (t->n_extra == 0)
        return NULL;
    const char **v = inputs_arena_alloc(L->arena, t->n_extra * sizeof *v,
                                        _Alignof(const char *));
    if (!v)
        return NULL;
    for (size_t k = 0; k < t->n_extra; k++) {
        size_t f = t->extra_field[k];
        if (!(v[k] = inputs_strndup(L->arena, row->field[f], row->len[f])))
            return NULL;
    }
    return v;
}

/* ---- driver -------------------------------------------------------- */

static void table_init(table *t, const char *file, const colspec *spec,
                       size_t n_spec)
{
    memset(t, 0, sizeof *t);
    t->file = file;
    t->spec = spec;
    t->n_spec = n_spec;
    for (size_t i = 0; i < INPUTS_MAX_SPEC; i++)
        t->col[i] = -1;
}

static void load_file(loader *L, const char *dir, const char *file,
                      const colspec *spec, size_t n_spec, csvread_row_fn fn)
{
    table_init(&L->t, file, spec, n_spec);
    if (L->status == DIAG_OSERR) {
        L->t.broken = 1;
        return;
    }
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path) {
        inputs_oom(L);
        L->t.broken = 1;
        return;
    }
    snprintf(path, n, "%s/%s", dir, file);
    int rc = csvread_file(path, file, fn, L, L->d);
    free(path);
    if (rc != 0) {
        note(L, rc);
        L->t.broken = 1;
    }
}

int inputs_load(inputs *in, const char *dir, diag *d)
{
    memset(in, 0, sizeof *in);
    loader L = {.in = in, .d = d};
    if (!(L.arena = in->arena = calloc(1, sizeof *L.arena)))
        return diag_add(d, DIAG_OSERR, "out of memory while loading inputs");
    load_file(&L, dir, "split.csv", inputs_split_spec, inputs_split_n_spec,
              inputs_split_row);
    inputs_split_finish(&L);
    load_file(&L, dir, "envelopes.csv", inputs_envelopes_spec,
              inputs_envelopes_n_spec, inputs_envelopes_row);
    inputs_envelopes_finish(&L);
    inputs_split_check_total(&L);
    load_file(&L, dir, "applications.csv", inputs_apps_spec,
              inputs_apps_n_spec, inputs_apps_row);
    inputs_apps_finish(&L);
    inputs_map_free(&L.ids);
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

long inputs_find_subregion(const inputs *in, const char *name)
{
    size_t len = strlen(name), index;
    if (!in->arena)
        return -1;
    inputs_trim(&name, &len);
    if (inputs_map_get(&in->arena->split_index, name, len,
                       inputs_map_hash(name, len), &index)
        != 0)
        return -1;
    return (long)index;
}
