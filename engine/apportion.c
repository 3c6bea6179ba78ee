/* apportion: see include/apportion.h. */
#include "apportion.h"

#include <stdlib.h>

/* Products of up to 10^15 cents by weights up to 2^63 need 128 bits. */
__extension__ typedef __int128 apportion_wide;

#define APPORTION_STACK 64

typedef struct apportion_part {
    apportion_wide rem;
    size_t index;
} apportion_part;

/* Largest remainder first; equal remainders keep file order, so the
 * result never depends on qsort's instability. */
static int apportion_cmp(const void *a, const void *b)
{
    const apportion_part *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

int apportion(int64_t total, const int64_t *weights, size_t n, int64_t *out)
{
    if (total < 0 || n == 0)
        return -1;
    apportion_wide sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return -1;
        sum += weights[i];
    }
    if (sum <= 0)
        return -1;

    apportion_part stack[APPORTION_STACK];
    apportion_part *part = stack;
    if (n > APPORTION_STACK && !(part = malloc(n * sizeof *part)))
        return -1;

    int64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        apportion_wide p = (apportion_wide)total * weights[i];
        out[i] = (int64_t)(p / sum);
        part[i].rem = p % sum;
        part[i].index = i;
        given += out[i];
    }
    int64_t left = total - given; /* fewer than n cents */
    if (left > 0) {
        qsort(part, n, sizeof *part, apportion_cmp);
        for (int64_t k = 0; k < left; k++)
            out[part[k].index]++;
    }
    if (part != stack)
        free(part);
    return 0;
}
