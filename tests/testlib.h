/* testlib: a minimal test harness, one executable per module.
 *
 *   TEST(parses_plain) { CHECK_INT(f(1), 2); }
 *   int main(void) { RUN(parses_plain); return testlib_done("money"); }
 *
 * A test passes when none of its CHECKs failed; every failed CHECK prints
 * file:line and the values. testlib_done prints "# money: N passed, N failed"
 * which tests/run.sh adds up. */
#ifndef ALLIANCE_TESTLIB_H
#define ALLIANCE_TESTLIB_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int testlib_passed, testlib_failed, testlib_current_failed;

#define TEST(name) static void name(void)

#define RUN(name)                                                          \
    do {                                                                   \
        testlib_current_failed = 0;                                        \
        name();                                                            \
        if (testlib_current_failed) {                                      \
            testlib_failed++;                                              \
            printf("FAIL %s\n", #name);                                    \
        } else {                                                           \
            testlib_passed++;                                              \
            printf("ok   %s\n", #name);                                    \
        }                                                                  \
    } while (0)

#define TESTLIB_FAIL(...)                                                  \
    do {                                                                   \
        testlib_current_failed = 1;                                        \
        printf("  %s:%d: ", __FILE__, __LINE__);                           \
        printf(__VA_ARGS__);                                               \
        printf("\n");                                                      \
    } while (0)

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) TESTLIB_FAIL("CHECK(%s)", #cond);                     \
    } while (0)

#define CHECK_INT(a, b)                                                    \
    do {                                                                   \
        long long testlib_a = (long long)(a), testlib_b = (long long)(b);  \
        if (testlib_a != testlib_b)                                        \
            TESTLIB_FAIL("%s == %lld, expected %s == %lld", #a, testlib_a, \
                         #b, testlib_b);                                   \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *testlib_a = (a), *testlib_b = (b);                     \
        if (!testlib_a || !testlib_b || strcmp(testlib_a, testlib_b) != 0) \
            TESTLIB_FAIL("%s == \"%s\", expected \"%s\"", #a,              \
                         testlib_a ? testlib_a : "(null)",                 \
                         testlib_b ? testlib_b : "(null)");                \
    } while (0)

/* Checks that haystack contains needle (for error messages). */
#define CHECK_CONTAINS(haystack, needle)                                   \
    do {                                                                   \
        const char *testlib_h = (haystack), *testlib_n = (needle);         \
        if (!testlib_h || !strstr(testlib_h, testlib_n))                   \
            TESTLIB_FAIL("%s does not contain \"%s\": \"%s\"", #haystack,  \
                         testlib_n, testlib_h ? testlib_h : "(null)");     \
    } while (0)

static inline int testlib_done(const char *suite)
{
    printf("# %s: %d passed, %d failed\n", suite, testlib_passed,
           testlib_failed);
    return testlib_failed ? 1 : 0;
}

#endif
