/* inputs_table: how every input file's header is mapped to the columns
 * its module knows (canonical names and French aliases, matched after
 * csvread_normalise), and how each row is gated before its cells are
 * read: blank rows skipped, ragged rows and values without a header
 * refused.  See inputs_internal.h. */
#include <stdio.h>
#include <string.h>

#include "inputs_internal.h"

void inputs_table_init(table *t, const char *file, const colspec *spec,
                       size_t n_spec)
{
    memset(t, 0, sizeof *t);
    t->file = file;
    t->spec = spec;
    t->n_spec = n_spec;
    for (size_t i = 0; i < INPUTS_MAX_SPEC; i++)
        t->col[i] = -1;
}

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
    char nm[CSVREAD_SHOW_MAX];
    int i = spec_of(t, key);
    csvread_show(name, row->len[f], nm);
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

/* The name of field f in messages: its key, the header text of an extra
 * column, or "" for a column without a name. */
static const char *column_name(const table *t, size_t f)
{
    for (size_t i = 0; i < t->n_spec; i++)
        if (t->col[i] == (long)f)
            return t->spec[i].key;
    for (size_t k = 0; k < t->n_extra; k++)
        if (t->extra_field[k] == f)
            return t->extra_names[k];
    return "";
}

/* A row with too few or too many fields: a delimiter was lost, or a cell
 * holding one was not quoted.  Names the first field out of step. */
static void ragged(loader *L, const table *t, const csvread_row *row)
{
    char value[CSVREAD_SHOW_MAX];
    size_t f = row->n < t->n_fields ? row->n : t->n_fields;
    if (row->n < t->n_fields) {
        /* an extra column's name is header text as written: shown like a
         * value, so the message stays one short line */
        const char *name = column_name(t, f);
        char shown[CSVREAD_SHOW_MAX];
        csvread_show(name, strlen(name), shown);
        inputs_error(L, t->file, row->line, (long)f + 1,
                     "%s%sno value: the row has %zu fields, the header %zu "
                     "(is a delimiter missing?)",
                     shown, *shown ? ": " : "", row->n, t->n_fields);
        return;
    }
    csvread_show(row->field[f], row->len[f], value);
    inputs_error(L, t->file, row->line, (long)f + 1,
                 "\"%s\" is past the last column: the row has %zu fields, "
                 "the header %zu (is a cell holding the delimiter not "
                 "quoted?)",
                 value, row->n, t->n_fields);
}

int inputs_table_row(loader *L, table *t, const csvread_row *row)
{
    if (row_empty(row))
        return 0;
    t->n_rows++;
    if (row->n != t->n_fields) {
        ragged(L, t, row);
        return 0;
    }
    for (size_t k = 0; k < t->n_unnamed; k++) {
        size_t f = t->unnamed[k];
        char value[CSVREAD_SHOW_MAX];
        if (is_blank(row->field[f], row->len[f]))
            continue;
        csvread_show(row->field[f], row->len[f], value);
        inputs_error(L, t->file, row->line, (long)f + 1,
                     "\"%s\" is in column %zu, which has no header name",
                     value, f + 1);
    }
    return 1;
}

void *inputs_table_item(loader *L, const csvread_row *row, void **items,
                        size_t *n, size_t *cap, size_t size)
{
    if (!inputs_table_row(L, &L->t, row))
        return NULL;
    if (inputs_grow(items, cap, *n + 1, size) != 0) {
        inputs_oom(L);
        return NULL;
    }
    return (char *)*items + (*n)++ * size;
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

