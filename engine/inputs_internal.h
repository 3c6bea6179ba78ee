/* inputs_internal: what engine/inputs*.c share; not a public contract.
 *
 * inputs.c        arena, string map, messages, driver
 * inputs_table.c  column mapping, row gating
 * inputs_split.c  split.csv
 * inputs_envelopes.c envelopes.csv
 * inputs_apps.c   applications.csv
 * inputs_evals.c  evaluations.csv (optional)
 * inputs_overrides.c overrides.csv (optional)
 * inputs_commitments.c commitments.csv (optional)
 * inputs_people.c  split.csv's population figures, territories.csv
 * inputs_par.c    applications.csv in two halves on two threads */
#ifndef ALLIANCE_INPUTS_INTERNAL_H
#define ALLIANCE_INPUTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "csvread.h"
#include "inputs.h"

/* Open-addressing hash map from NUL-terminated strings (owned elsewhere,
 * usually by the arena) to a size_t. */
typedef struct strmap_slot {
    const char *key; /* NULL: empty slot */
    uint64_t hash;
    size_t value;
} strmap_slot;

typedef struct strmap {
    strmap_slot *slot;
    size_t cap, n; /* cap is 0 or a power of two */
} strmap;

uint64_t inputs_map_hash(const char *s, size_t len);
/* Adds key (len bytes, NUL-terminated, kept by pointer) unless present.
 * Returns 0 when added, 1 when present (*value set to its value), -1 when
 * out of memory. */
int inputs_map_put(strmap *m, const char *key, size_t len, uint64_t hash,
                   size_t *value);
/* 0 and *value set, or -1 when absent. */
int inputs_map_get(const strmap *m, const char *s, size_t len, uint64_t hash,
                   size_t *value);
void inputs_map_free(strmap *m);
/* Asks the CPU for the slot a key of that hash is looked for first: a
 * look-up that follows soon finds it in the cache. */
void inputs_map_prefetch(const strmap *m, uint64_t hash);
/* Room for n keys in all without growing; -1 when out of memory. */
int inputs_map_reserve(strmap *m, size_t n);

struct arena_block;

/* Owns every string and small array of an inputs, in big blocks. */
struct inputs_arena {
    struct arena_block *head;
    strmap split_index; /* subregion name -> index into inputs.split */
    strmap territory_index; /* territory name -> inputs.territories */
};

/* NULL when out of memory. */
void *inputs_arena_alloc(struct inputs_arena *a, size_t size, size_t align);
/* A NUL-terminated copy; "" (not a copy) when len is 0; NULL when out of
 * memory. */
const char *inputs_strndup(struct inputs_arena *a, const char *s, size_t len);
/* Moves src's blocks into dst (what they hold stays where it is), or
 * frees them; src's maps are left alone. */
void inputs_arena_adopt(struct inputs_arena *dst, struct inputs_arena *src);
void inputs_arena_drop(struct inputs_arena *a);

/* A column a file knows, by its canonical name and French aliases. */
typedef struct colspec {
    const char *key;            /* canonical, used in messages */
    const char *const *aliases; /* NULL-terminated, normalised */
    int required;
} colspec;

#define INPUTS_MAX_SPEC 12

/* One file's header, as mapped. */
typedef struct table {
    const char *file; /* "applications.csv" */
    const colspec *spec;
    size_t n_spec;
    long col[INPUTS_MAX_SPEC]; /* 0-based field of each spec, or -1 */
    size_t n_fields;           /* in the header */
    int have_header;
    int broken;          /* unreadable or structurally bad */
    size_t n_rows;       /* data rows, blank ones left out */
    size_t errors;       /* problems reported in this file */
    size_t *extra_field; /* 0-based fields of the extra columns */
    const char **extra_names, **extra_keys;
    long *extra_columns; /* 1-based */
    size_t n_extra;
    size_t *unnamed; /* fields with an empty header */
    size_t n_unnamed;
} table;

typedef struct loader {
    inputs *in;
    diag *d;
    struct inputs_arena *arena;
    int status; /* first problem: DIAG_DATA or DIAG_OSERR */
    table t;    /* the file being read */
    size_t cap_apps, cap_years, cap_split, cap_evals, cap_overrides;
    /* split.csv */
    int split_names_ok; /* names usable to check applications */
    int split_amount_bad, split_share_bad;
    long reserve_line;
    char *known; /* "A, B, C": subregions for messages */
    /* envelopes.csv */
    int years_ok;
    /* applications.csv */
    strmap ids;  /* id -> index into inputs.apps */
    int apps_ok; /* ids usable to check evaluations and overrides */
    /* evaluations.csv, overrides.csv */
    strmap graded;     /* application, evaluator, criterion -> line */
    strmap overridden; /* id -> line */
    size_t cap_commitments; /* commitments.csv */
    size_t cap_territories; /* territories.csv */
    int jobs;               /* threads applications.csv may use */
    /* the second half of applications.csv, in a second thread: its ids
     * are checked when it is merged (inputs_par.c), NULL otherwise */
    struct inputs_half *half;
} loader;

/* inputs_table.c: mapping a header and gating rows (1: check the row). */
void inputs_table_init(table *t, const char *file, const colspec *spec,
                       size_t n_spec);
int inputs_table_header(loader *L, table *t, const csvread_row *row);
int inputs_table_row(loader *L, table *t, const csvread_row *row);
/* The slot of a data row to check at the end of *items (*n of size bytes,
 * room for *cap), grown; NULL when the row is skipped or refused as a whole,
 * or memory ran out (the callback then returns inputs_status). */
void *inputs_table_item(loader *L, const csvread_row *row, void **items,
                        size_t *n, size_t *cap, size_t size);
/* The trimmed cell of spec i; 0 (and "") when the column is absent. */
int inputs_table_cell(const table *t, const csvread_row *row, int i,
                      const char **s, size_t *len);
/* Copies of the extra cells, "" when empty; NULL when out of memory
 * (or when there are no extra columns: check t->n_extra). */
const char **inputs_table_extras(loader *L, const table *t,
                                 const csvread_row *row);

/* inputs.c: messages.  inputs_cell_error prints
 * "file:line:col: key: \"value\" what". */
void inputs_cell_error(loader *L, const table *t, const csvread_row *row,
                       int i, const char *s, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
void inputs_error(loader *L, const char *file, long line, long col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* What a row callback returns: only running out of memory stops a read
 * (DIAG_OSERR); data errors let it go on to report the rest. */
static inline int inputs_status(const loader *L)
{
    return L->status == DIAG_OSERR ? DIAG_OSERR : 0;
}
/* Keeps status as the loader's (the first, or running out of memory). */
void inputs_note(loader *L, int status);
/* Records "out of memory" once; returns DIAG_OSERR for callbacks. */
int inputs_oom(loader *L);
/* Grows *arr (holding *cap items of size) to hold n items. */
int inputs_grow(void **arr, size_t *cap, size_t n, size_t size);
/* Spaces, tabs, U+00A0 and U+202F trimmed. */
void inputs_trim(const char **s, size_t *len);
/* oui/non/yes/no/vrai/faux/true/false/1/0/x or empty, any case: 1, 0 or
 * -1; what
 * a refusal says is expected. */
int inputs_parse_bool(const char *s, size_t len);
/* s (len bytes) with case and accents folded as header names are: 1 when
 * it is a word of first, 0 of second, -1 neither.  Lists end with NULL. */
int inputs_match_word(const char *s, size_t len, const char *const *first,
                      const char *const *second);
extern const char inputs_bool_expected[];

/* One function per file, called by the driver in this order. */
extern const colspec inputs_split_spec[];
extern const size_t inputs_split_n_spec;
int inputs_split_row(void *ctx, const csvread_row *row);
void inputs_split_finish(loader *L);

extern const colspec inputs_envelopes_spec[];
extern const size_t inputs_envelopes_n_spec;
int inputs_envelopes_row(void *ctx, const csvread_row *row);
void inputs_envelopes_finish(loader *L);
void inputs_split_check_total(loader *L); /* needs both files above */

extern const colspec inputs_apps_spec[];
extern const size_t inputs_apps_n_spec;
int inputs_apps_row(void *ctx, const csvread_row *row);
void inputs_apps_finish(loader *L);
/* The application named in cell i (evaluations, overrides): 0 and *app,
 * or -1 once the problem is reported (or when applications.csv cannot
 * tell, the run failing anyway). */
int inputs_app_ref(loader *L, const csvread_row *row, int i, size_t *app);
/* "id: "A-1" is a duplicate of line N" on a, N being the line of
 * in->apps[first]. */
void inputs_apps_duplicate(loader *L, const application *a, size_t first);

/* inputs_par.c: reads applications.csv (path) through inputs_apps_row,
 * in two halves when L->jobs > 1 and the file is big; its SHA-256 into
 * hex.  Returns what csvread_file_sha256 would. */
int inputs_apps_read(loader *L, const char *path, char hex[HASH_SHA256_HEX]);
/* In the second half: notes application a (the last of L->in->apps,
 * its id len bytes) for the check of its id at the merge; -1 when out of
 * memory. */
int inputs_half_defer(loader *L, const application *a, size_t len);

extern const colspec inputs_evals_spec[];
extern const size_t inputs_evals_n_spec;
int inputs_evals_row(void *ctx, const csvread_row *row);

extern const colspec inputs_overrides_spec[];
extern const size_t inputs_overrides_n_spec;
int inputs_overrides_row(void *ctx, const csvread_row *row);

extern const colspec inputs_commitments_spec[];
extern const size_t inputs_commitments_n_spec;
int inputs_commitments_row(void *ctx, const csvread_row *row);

/* inputs_people.c: split.csv's population and low_income (called at the
 * end of inputs_split_finish), then territories.csv. */
void inputs_split_people(loader *L);
extern const colspec inputs_territories_spec[];
extern const size_t inputs_territories_n_spec;
int inputs_territories_row(void *ctx, const csvread_row *row);
void inputs_territories_finish(loader *L);

#endif
