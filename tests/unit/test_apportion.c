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
    RUN(many_parts_sum_to_total);
    RUN(refuses_invalid_arguments);
    return testlib_done("apportion");
}
