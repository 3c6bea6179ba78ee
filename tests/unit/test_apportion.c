#include "apportion.h"
#include "testlib.h"

TEST(splits_exactly_in_proportion)
{
    int64_t w[] = {1, 1, 2}, out[3];
    CHECK_INT(apportion(400, w, 3, out), 0);
    CHECK_INT(out[0], 100);
    CHECK_INT(out[1], 100);
    CHECK_INT(out[2], 200);
}

TEST(gives_leftover_cents_to_largest_remainders)
{
    /* 100 cents in thirds: 33.33 each, one cent left for the first. */
    int64_t w[] = {1, 1, 1}, out[3];
    CHECK_INT(apportion(100, w, 3, out), 0);
    CHECK_INT(out[0], 34);
    CHECK_INT(out[1], 33);
    CHECK_INT(out[2], 33);
    /* 50/40/10 of 1001 cents: quotas 500.5, 400.4, 100.1 -> the .5 wins */
    int64_t s[] = {500000, 400000, 100000}, o2[3];
    CHECK_INT(apportion(1001, s, 3, o2), 0);
    CHECK_INT(o2[0], 501);
    CHECK_INT(o2[1], 400);
    CHECK_INT(o2[2], 100);
}

TEST(ties_go_to_the_lower_index)
{
    int64_t w[] = {1, 1, 1, 1}, out[4];
    CHECK_INT(apportion(2, w, 4, out), 0);
    CHECK_INT(out[0], 1);
    CHECK_INT(out[1], 1);
    CHECK_INT(out[2], 0);
    CHECK_INT(out[3], 0);
}

TEST(huge_amounts_and_weights_do_not_overflow)
{
    int64_t w[] = {INT64_MAX / 2, INT64_MAX / 2}, out[2];
    CHECK_INT(apportion(INT64_C(1000000000000001), w, 2, out), 0);
    CHECK_INT(out[0] + out[1], INT64_C(1000000000000001));
    CHECK_INT(out[0], INT64_C(500000000000001));
}

/* An independent largest-remainder: quotas in 128 bits, then the cents
 * left go one by one to the largest remainder not served yet (lowest
 * index first among equals), by scanning. */
static void reference(int64_t total, const int64_t *w, size_t n, int64_t *out)
{
    __extension__ __int128 sum = 0, rem[64];
    int served[64] = {0};
    int64_t given = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    for (size_t i = 0; i < n; i++) {
        out[i] = (int64_t)((__extension__(__int128) total * w[i]) / sum);
        rem[i] = (__extension__(__int128) total * w[i]) % sum;
        given += out[i];
    }
    for (int64_t k = 0; k < total - given; k++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!served[i] && (best == n || rem[i] > rem[best]))
                best = i;
        if (best == n)
            break; /* more cents left than parts: out[] is wrong anyway */
        served[best] = 1;
        out[best]++;
    }
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* Random totals and weights, small and near the 64-bit limits (where the
 * 64-bit path gives way to the 128-bit one), 1 to 40 parts. */
TEST(matches_an_independent_largest_remainder)
{
    uint64_t x = 88172645463325252u;
    int64_t w[64], out[64], want[64];
    for (int t = 0; t < 20000; t++) {
        size_t n = 1 + next(&x) % 40;
        int big = (int)(next(&x) % 4);
        int64_t total = (int64_t)(next(&x) >> (big == 0 ? 1 : big == 1 ? 20 : big == 2 ? 44 : 40));
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next(&x);
            w[i] = big == 0 ? (int64_t)(r % 1000) :
                   big == 1 ? (int64_t)(r >> 22) :
                   big == 2 ? (int64_t)(r % 7) * 100000 : (int64_t)(r >> 25);
        }
        w[0] += 1; /* a positive sum */
        if (big == 3) { /* at the 64-bit limit of the largest product, or past it */
            int64_t max_w = 0;
            for (size_t i = 0; i < n; i++)
                max_w = w[i] > max_w ? w[i] : max_w;
            int64_t limit = INT64_MAX / max_w;
            total = limit - (int64_t)(next(&x) % 2);
            if (next(&x) % 2)
                total += 1 + (int64_t)(next(&x) % (uint64_t)limit);
        }
        CHECK_INT(apportion(total, w, n, out), 0);
        reference(total, w, n, want);
        for (size_t i = 0; i < n; i++)
            if (out[i] != want[i]) {
                CHECK_INT(out[i], want[i]);
                return;
            }
    }
}

TEST(many_parts_sum_to_total)
{
    int64_t w[200], out[200], sum = 0;
    for (int i = 0; i < 200; i++)
        w[i] = (i * 7919) % 101;
    CHECK_INT(apportion(123456789, w, 200, out), 0);
    for (int i = 0; i < 200; i++) {
        sum += out[i];
        CHECK(out[i] >= 0);
        if (w[i] == 0)
            CHECK_INT(out[i], 0);
    }
    CHECK_INT(sum, 123456789);
}

TEST(refuses_invalid_arguments)
{
    int64_t zero[] = {0, 0}, neg[] = {1, -1}, out[2];
    CHECK_INT(apportion(10, zero, 2, out), -1);
    CHECK_INT(apportion(10, neg, 2, out), -1);
    CHECK_INT(apportion(-1, (int64_t[]){1, 1}, 2, out), -1);
    CHECK_INT(apportion(10, zero, 0, out), -1);
}

int main(void)
{
    RUN(splits_exactly_in_proportion);
    RUN(gives_leftover_cents_to_largest_remainders);
    RUN(ties_go_to_the_lower_index);
    RUN(huge_amounts_and_weights_do_not_overflow);
    RUN(matches_an_independent_largest_remainder);
    RUN(many_parts_sum_to_total);
    RUN(refuses_invalid_arguments);
    return testlib_done("apportion");
}
