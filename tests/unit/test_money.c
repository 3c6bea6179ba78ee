/* Unit tests for engine/money.c: parsing every accepted format, every
 * refusal with its reason, exact cents, bounds and both output forms. */
#include "money.h"
#include "testlib.h"

#define CHECK_AMOUNT(text, cents)                                          \
    do {                                                                   \
        int64_t v_ = -123456789;                                           \
        const char *why_ = NULL;                                           \
        CHECK_INT(money_parse(text, strlen(text), &v_, &why_), 0);         \
        CHECK_INT(v_, cents);                                              \
    } while (0)

#define CHECK_REFUSED(text, reason)                                        \
    do {                                                                   \
        int64_t v_ = 0;                                                    \
        const char *why_ = NULL;                                           \
        CHECK_INT(money_parse(text, strlen(text), &v_, &why_), -1);        \
        CHECK_STR(why_, reason);                                           \
    } while (0)

TEST(plain_decimal_point)
{
    CHECK_AMOUNT("12345.67", 1234567);
    CHECK_AMOUNT("0.05", 5);
    CHECK_AMOUNT("1.5", 150);
    CHECK_AMOUNT("0", 0);
}

TEST(whole_numbers_and_negatives)
{
    CHECK_AMOUNT("12345", 1234500);
    CHECK_AMOUNT("-5", -500);
    CHECK_AMOUNT("-0.05", -5);
    CHECK_AMOUNT("-0", 0);
    CHECK_AMOUNT("007", 700);
}

TEST(french_format_with_plain_spaces)
{
    CHECK_AMOUNT("12 345,67 $", 1234567);
    CHECK_AMOUNT("12 345,67", 1234567);
    CHECK_AMOUNT("12 345,67$", 1234567);
    CHECK_AMOUNT("1 234 567,89 $", 123456789);
    CHECK_AMOUNT("-12 345,67 $", -1234567);
    CHECK_AMOUNT("1,5", 150);
    CHECK_AMOUNT("0,05 $", 5);
}

TEST(french_format_with_no_break_spaces)
{
    /* U+00A0 as grouping and before '$' */
    CHECK_AMOUNT("12\xC2\xA0" "345,67\xC2\xA0$", 1234567);
    /* U+202F narrow no-break space, what Excel fr-CA writes */
    CHECK_AMOUNT("12\xE2\x80\xAF" "345,67\xE2\x80\xAF$", 1234567);
    CHECK_AMOUNT("1\xE2\x80\xAF" "234\xC2\xA0" "567", 123456700);
    /* and around the value */
    CHECK_AMOUNT("\xC2\xA0" "5,00 $\xE2\x80\xAF", 500);
}

TEST(english_format)
{
    CHECK_AMOUNT("$12,345.67", 1234567);
    CHECK_AMOUNT("$1,234", 123400);  /* a leading '$': ',' groups */
    CHECK_AMOUNT("$5", 500);
    CHECK_AMOUNT("$ 5", 500);
    CHECK_AMOUNT("-$5.25", -525);
    CHECK_AMOUNT("$-5.25", -525);
    CHECK_AMOUNT("1,234.56", 123456);
    CHECK_AMOUNT("1,234,567.89", 123456789);
    CHECK_AMOUNT("1,234,567", 123456700); /* several ',' group */
}

TEST(both_separators_last_is_decimal)
{
    CHECK_AMOUNT("1.234,56", 123456);
    CHECK_AMOUNT("1.234.567,8", 123456780);
    CHECK_AMOUNT("1,234.5", 123450);
}

TEST(several_dots_group)
{
    CHECK_AMOUNT("1.234.567", 123456700);
}

TEST(surrounding_spaces_and_currency)
{
    CHECK_AMOUNT("  42  ", 4200);
    CHECK_AMOUNT("\t42\t", 4200);
    CHECK_AMOUNT("5$", 500);
    CHECK_AMOUNT(" 5 $ ", 500);
    CHECK_AMOUNT("$5 ", 500);
}

TEST(length_is_honoured)
{
    int64_t v = 0;
    const char *why = NULL;
    CHECK_INT(money_parse("12345", 3, &v, &why), 0);
    CHECK_INT(v, 12300);
    CHECK_INT(money_parse("7.25xyz", 4, &v, &why), 0);
    CHECK_INT(v, 725);
}

TEST(exact_cents_no_binary_rounding)
{
    /* each of these goes wrong through a double: 0.29 * 100 = 28.999... */
    CHECK_AMOUNT("0.29", 29);
    CHECK_AMOUNT("1.15", 115);
    CHECK_AMOUNT("4.35", 435);
    CHECK_AMOUNT("1 234 567 890,45", 123456789045);
    CHECK_AMOUNT("9999999999.93", 999999999993);
    CHECK_AMOUNT("8589934591.99", 858993459199); /* cents above 2^32 */
}

TEST(bounds)
{
    CHECK_AMOUNT("10000000000", MONEY_MAX);
    CHECK_AMOUNT("10 000 000 000,00 $", MONEY_MAX);
    CHECK_AMOUNT("-10000000000.00", -MONEY_MAX);
    CHECK_AMOUNT("9999999999.99", MONEY_MAX - 1);
    CHECK_REFUSED("10000000000.01", "is too large");
    CHECK_REFUSED("-10000000000.01", "is too large");
    CHECK_REFUSED("10000000001", "is too large");
    CHECK_REFUSED("99999999999999999999999999999", "is too large");
    CHECK_REFUSED("$99,999,999,999,999,999,999.99", "is too large");
}

TEST(not_an_amount)
{
    const char *bad[] = {
        "12,3,4", "abc", "", "   ", "1 2 3,4,5", "$", "-", "--5", "5-",
        ".5", "5.", "1..5", "1,,5", "12a", "1e5", "+5", "(5.00)",
        "1,2.3",        /* ',' groups, but "2" is no group of 3 */
        "$1,23",        /* ',' groups after '$': "23" is no group */
        "1,234 567",    /* digits grouped after the decimals */
        "1 234.567,89", /* two kinds of grouping */
        "$1 234,56",    /* English '$' and French grouping */
        "12 34",        /* a group of 2 */
        "1234 567",     /* a first group of 4 */
        "1,234.567.89", /* the decimal separator twice */
        "5 $ $", "$5$", "\xC2\xA0", "1\xC2", "0x10",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t v = 0;
        const char *why = NULL;
        if (money_parse(bad[i], strlen(bad[i]), &v, &why) != -1
            || !why || strcmp(why, "is not an amount") != 0)
            TESTLIB_FAIL("\"%s\" accepted or wrong reason (%s)", bad[i],
                         why ? why : "none");
    }
}

TEST(more_than_two_decimals)
{
    CHECK_REFUSED("1.234", "has more than two decimals");
    CHECK_REFUSED("12,345", "has more than two decimals"); /* French */
    CHECK_REFUSED("1 234,567", "has more than two decimals");
    CHECK_REFUSED("$1,234.567", "has more than two decimals");
    CHECK_REFUSED("0.001", "has more than two decimals");
}

TEST(format_machine)
{
    char buf[MONEY_BUFSZ];
    CHECK_STR(money_format(123456, buf), "1234.56");
    CHECK_STR(money_format(-5, buf), "-0.05");
    CHECK_STR(money_format(0, buf), "0.00");
    CHECK_STR(money_format(-500, buf), "-5.00");
    CHECK_STR(money_format(7, buf), "0.07");
    CHECK_STR(money_format(MONEY_MAX, buf), "10000000000.00");
    CHECK_STR(money_format(INT64_MIN, buf), "-92233720368547758.08");
    CHECK(money_format(1, buf) == buf);
}

TEST(format_integer)
{
    char buf[MONEY_BUFSZ];
    CHECK_STR(money_format_int(0, buf), "0");
    CHECK_STR(money_format_int(7, buf), "7");
    CHECK_STR(money_format_int(-12, buf), "-12");
    CHECK_STR(money_format_int(1000000, buf), "1000000");
    CHECK_STR(money_format_int(INT64_MAX, buf), "9223372036854775807");
    CHECK_STR(money_format_int(INT64_MIN, buf), "-9223372036854775808");
    CHECK(money_format_int(1, buf) == buf);
}

TEST(format_french)
{
    char buf[MONEY_BUFSZ];
    CHECK_STR(money_format_fr(1234567, buf), "12 345,67 $");
    CHECK_STR(money_format_fr(-500, buf), "-5,00 $");
    CHECK_STR(money_format_fr(0, buf), "0,00 $");
    CHECK_STR(money_format_fr(99999, buf), "999,99 $");
    CHECK_STR(money_format_fr(100000, buf), "1 000,00 $");
    CHECK_STR(money_format_fr(-123456789, buf), "-1 234 567,89 $");
    CHECK_STR(money_format_fr(MONEY_MAX, buf), "10 000 000 000,00 $");
    CHECK_STR(money_format_fr(INT64_MIN, buf),
              "-92 233 720 368 547 758,08 $");
    CHECK(money_format_fr(1, buf) == buf);
}

TEST(round_trips)
{
    const int64_t values[] = {0, 1, -1, 5, 99, 100, 12345, -1234567,
                              100000000, MONEY_MAX, -MONEY_MAX};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
        int64_t x = 0, y = 0;
        const char *why;
        money_format(values[i], a);
        money_format_fr(values[i], b);
        CHECK_INT(money_parse(a, strlen(a), &x, &why), 0);
        CHECK_INT(x, values[i]);
        CHECK_INT(money_parse(b, strlen(b), &y, &why), 0);
        CHECK_INT(y, values[i]);
    }
}

int main(void)
{
    RUN(plain_decimal_point);
    RUN(whole_numbers_and_negatives);
    RUN(french_format_with_plain_spaces);
    RUN(french_format_with_no_break_spaces);
    RUN(english_format);
    RUN(both_separators_last_is_decimal);
    RUN(several_dots_group);
    RUN(surrounding_spaces_and_currency);
    RUN(length_is_honoured);
    RUN(exact_cents_no_binary_rounding);
    RUN(bounds);
    RUN(not_an_amount);
    RUN(more_than_two_decimals);
    RUN(format_machine);
    RUN(format_integer);
    RUN(format_french);
    RUN(round_trips);
    return testlib_done("money");
}
