/* apportion: divides an amount of cents between parts in proportion to
 * integer weights, exactly (largest-remainder, or Hamilton, method).
 *
 * Every part first gets floor(total * weight / sum); the cents left over
 * (fewer than the number of parts) go one each to the parts with the
 * largest remainders, ties to the lower index. The parts always sum to
 * total. Used for sub-region splits and instalments alike. */
#ifndef ALLIANCE_APPORTION_H
#define ALLIANCE_APPORTION_H

#include <stddef.h>
#include <stdint.h>

/* total >= 0, weights >= 0 with a positive sum (weights up to INT64_MAX).
 * Returns 0, or -1 when the arguments are invalid or memory runs out
 * (n > 64 needs a scratch allocation). */
int apportion(int64_t total, const int64_t *weights, size_t n, int64_t *out);

#endif
