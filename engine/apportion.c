/* apportion: see include/apportion.h. */
#include "apportion.h"

#include <stdint.h>
#include <stdlib.h>

/* Products of up to 10^15 cents by weights up to 2^63 need 128 bits. */
__extension__ typedef __int128 apportion_wide;

#define APPORTION_STACK 64

typedef struct apportion_part {
    apportion_wide rem;
    size_t index;
} apportion_part;

/* Largest remainder first; equal remainders keep file order, so the
 * result never depends on the sort's stability. */
static int part_before(const apportion_part *x, const apportion_part *y)
{
    return x->rem != y->rem ? x->rem > y->rem : x->index < y->index;
}

static int apportion_cmp(const void *a, const void *b)
{
    const apportion_part *x = a, *y = b;
    return part_before(x, y) ? -1 : part_before(y, x);
}

/* A schedule has a handful of instalments: an insertion sort beats
 * qsort's calls through a pointer there, and the order is the same (the
 * comparison is total). */
static void sort_parts(apportion_part *part, size_t n)
{
    if (n > 16) {
        qsort(part, n, sizeof *part, apportion_cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        apportion_part p = part[i];
        size_t j = i;
        for (; j > 0 && part_before(&p, &part[j - 1]); j--)
            part[j] = part[j - 1];
        part[j] = p;
    }
}

/* The quotas and remainders; in 64 bits when every product fits (the
 * usual amounts and weights), since 128-bit division is a library call. */
static int64_t quotas(int64_t total, const int64_t *weights, size_t n,
                      apportion_wide sum, int64_t max_w, int64_t *out,
                      apportion_part *part)
{
    int64_t given = 0;
    int narrow = sum <= INT64_MAX && (max_w == 0 || total <= INT64_MAX / max_w);
    for (size_t i = 0; i < n; i++) {
        if (narrow) {
            int64_t p = total * weights[i], s = (int64_t)sum;
            out[i] = p / s;
            part[i].rem = p % s;
        } else {
            apportion_wide p = (apportion_wide)total * weights[i];
            out[i] = (int64_t)(p / sum);
            part[i].rem = p % sum;
        }
        part[i].index = i;
        given += out[i];
    }
    return given;
}

int apportion(int64_t total, const int64_t *weights, size_t n, int64_t *out)
{
    if (total < 0 || n == 0)
        return -1;
    apportion_wide sum = 0;
    int64_t max_w = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return -1;
        sum += weights[i];
        if (weights[i] > max_w)
            max_w = weights[i];
    }
    if (sum <= 0)
        return -1;

    apportion_part stack[APPORTION_STACK];
    apportion_part *part = stack;
    if (n > APPORTION_STACK && !(part = malloc(n * sizeof *part)))
        return -1;

    int64_t left = total - quotas(total, weights, n, sum, max_w, out, part);
    if (left > 0) { /* fewer than n cents */
        sort_parts(part, n);
        for (int64_t k = 0; k < left; k++)
            out[part[k].index]++;
    }
    if (part != stack)
        free(part);
    return 0;
}
