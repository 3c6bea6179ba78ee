/* inputs_par: applications.csv in two halves on two threads (see
 * inputs_internal.h, and csvread.h for how the file is cut).
 *
 * The second half goes through inputs_apps_row like the first, into a
 * loader of its own: its applications, its arena, its messages; the
 * sub-regions of split.csv are shared, read only.  The one thing a row
 * needs from the rows before it is the map of ids (a duplicate names the
 * line of the first), so the second half only notes, for each of its
 * applications, the hash of its id and how many messages came before the
 * id was checked.  The merge, in the calling thread, appends the
 * applications and puts their ids into the map in file order, replaying
 * the second half's messages with each duplicate where one thread would
 * have reported it: the same messages in the same order, the same map,
 * the same applications, the same cap on messages kept (diag.h). */
#include <stdlib.h>
#include <string.h>

#include "inputs_internal.h"

#define PREFETCH 16 /* ids ahead whose map slot is fetched */

typedef struct inputs_half {
    loader L;            /* first: csvread hands &L to inputs_apps_row */
    inputs in;           /* its applications */
    struct inputs_arena arena;
    diag d;
    size_t *msg_at;      /* per application: d.count when its id came */
    uint64_t *hash;      /* per application: its id's */
    size_t n_noted, cap; /* applications noted (all, unless out of memory) */
} inputs_half;

int inputs_half_defer(loader *L, const application *a, size_t len)
{
    inputs_half *h = L->half;
    size_t k = L->in->n_apps - 1;
    if (k >= h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 1024;
        size_t *at = realloc(h->msg_at, cap * sizeof *at);
        if (at)
            h->msg_at = at;
        uint64_t *hash = realloc(h->hash, cap * sizeof *hash);
        if (hash)
            h->hash = hash;
        if (!at || !hash)
            return -1;
        h->cap = cap;
    }
    h->msg_at[k] = L->d->count;
    h->hash[k] = len ? inputs_map_hash(a->id, len) : 0;
    h->n_noted = k + 1;
    return 0;
}

/* csvread's ready: the header is mapped, the second half's loader is
 * the first's with its own applications, arena and messages. */
static int half_ready(void *ctx, void *ctx2, size_t rows)
{
    loader *L = ctx;
    inputs_half *h = ctx2;
    if (L->status == DIAG_OSERR)
        return -1;
    /* the map of ids sized once for the whole file, rather than grown
     * (each time moving every id) in this thread and again at the merge */
    if (inputs_map_reserve(&L->ids, rows) != 0)
        return inputs_oom(L);
    h->L = *L;
    h->in = (inputs){.split = L->in->split, .n_split = L->in->n_split,
                     .arena = &h->arena};
    h->arena = (struct inputs_arena){.split_index = L->arena->split_index};
    h->L.in = &h->in;
    h->L.d = &h->d;
    h->L.arena = &h->arena;
    h->L.status = 0;
    h->L.t.n_rows = h->L.t.errors = 0;
    h->L.cap_apps = 0;
    h->L.known = NULL;
    h->L.ids = h->L.graded = h->L.overridden = (strmap){NULL, 0, 0};
    h->L.half = h;
    h->d.limit = L->d->limit; /* what past the cap would be dropped anyway */
    return 0;
}

static void half_free(inputs_half *h)
{
    inputs_arena_drop(&h->arena); /* the maps are the first loader's */
    free(h->in.apps);
    free(h->L.known);
    free(h->msg_at);
    free(h->hash);
    diag_free(&h->d);
}

/* The second half's messages, each one line of d.text (up to the cap)
 * or only counted (past it: the merged diag is past it too). */
typedef struct replay {
    const char *text;
    size_t kept, next;
} replay;

static void replay_upto(loader *L, const inputs_half *h, replay *r,
                        size_t upto)
{
    for (; r->next < upto; r->next++) {
        if (r->next >= r->kept) {
            diag_add(L->d, h->d.status, "%s", "");
            continue;
        }
        size_t len = strcspn(r->text, "\n");
        diag_add(L->d, h->d.status, "%.*s", (int)len, r->text);
        r->text += len + (r->text[len] == '\n');
    }
}

static size_t lines_in(const diag *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        n += d->text[i] == '\n';
    return n;
}

/* The second half after the first, in file order. */
static int half_merge(loader *L, inputs_half *h)
{
    inputs *in = L->in;
    size_t n1 = in->n_apps, n2 = h->in.n_apps;
    inputs_note(L, h->L.status);
    if (inputs_grow((void **)&in->apps, &L->cap_apps, n1 + n2,
                    sizeof *in->apps)
            != 0
        || inputs_map_reserve(&L->ids, L->ids.n + n2) != 0)
        return inputs_oom(L);
    if (n2)
        memcpy(in->apps + n1, h->in.apps, n2 * sizeof *in->apps);
    in->n_apps = n1 + n2;
    inputs_arena_adopt(L->arena, &h->arena);
    replay r = {h->d.text ? h->d.text : "", lines_in(&h->d), 0};
    for (size_t k = 0; k < h->n_noted; k++) {
        const application *a = &in->apps[n1 + k];
        /* the slots are spread over a map bigger than the caches */
        if (k + PREFETCH < h->n_noted)
            inputs_map_prefetch(&L->ids, h->hash[k + PREFETCH]);
        size_t len = strlen(a->id), first = n1 + k;
        if (len == 0)
            continue;
        replay_upto(L, h, &r, h->msg_at[k]);
        int rc = inputs_map_put(&L->ids, a->id, len, h->hash[k], &first);
        if (rc < 0)
            return inputs_oom(L);
        if (rc > 0)
            inputs_apps_duplicate(L, a, first);
    }
    replay_upto(L, h, &r, h->d.count);
    L->t.n_rows += h->L.t.n_rows;
    L->t.errors += h->L.t.errors;
    return 0;
}

int inputs_apps_read(loader *L, const char *path, char hex[HASH_SHA256_HEX])
{
    const char *file = L->t.file;
    if (L->jobs < 2)
        return csvread_file_sha256(path, file, inputs_apps_row, L, hex, L->d);
    inputs_half h;
    memset(&h, 0, sizeof h);
    csvread_halves halves = {inputs_apps_row, L, &h.L, &h.d, half_ready};
    int split;
    int rc = csvread_file_halves(path, file, &halves, hex, L->d, &split);
    if (split && half_merge(L, &h) != 0 && rc == 0)
        rc = DIAG_OSERR;
    L->in->apps_halves = split && rc == 0;
    half_free(&h);
    return rc;
}
