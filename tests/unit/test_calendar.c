/* Unit tests for engine/calendar.c: day numbers, leap years, month
 * clamping, Québec fiscal years, parsing and formatting. */
#include "calendar.h"
#include "testlib.h"

static cal_date date_of(const char *s)
{
    cal_date d = -999999;
    if (cal_parse_date(s, strlen(s), &d) != 0)
        TESTLIB_FAIL("cal_parse_date(\"%s\") refused", s);
    return d;
}

static const char *text_of(cal_date d)
{
    static char buf[CAL_DATE_BUFSZ];
    return cal_format_date(d, buf);
}

TEST(day_numbers)
{
    CHECK_INT(cal_from_ymd(1970, 1, 1), 0);
    CHECK_INT(cal_from_ymd(1969, 12, 31), -1);
    CHECK_INT(cal_from_ymd(2000, 3, 1), 11017);
    CHECK_INT(cal_from_ymd(2024, 2, 29), 19782);
    CHECK_INT(cal_from_ymd(1900, 1, 1), -25567);
    CHECK_INT(cal_from_ymd(2999, 12, 31), 376199);
    CHECK_INT(cal_from_ymd(1600, 2, 29), -135081);
}

TEST(to_ymd_walks_every_day)
{
    /* an independent walk through the calendar, one day at a time */
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31};
    int y = 1890, m = 1, d = 1, bad = 0;
    for (cal_date day = cal_from_ymd(1890, 1, 1);
         day <= cal_from_ymd(2110, 12, 31); day++) {
        int yy, mm, dd;
        cal_to_ymd(day, &yy, &mm, &dd);
        if ((yy != y || mm != m || dd != d || cal_from_ymd(y, m, d) != day)
            && bad++ < 3)
            TESTLIB_FAIL("day %d: %d-%d-%d, expected %d-%d-%d", (int)day,
                         yy, mm, dd, y, m, d);
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (++d > dim[m - 1] + (m == 2 && leap)) {
            d = 1;
            if (++m > 12)
                m = 1, y++;
        }
    }
}

TEST(leap_years)
{
    cal_date d;
    CHECK_INT(cal_parse_date("2024-02-29", 10, &d), 0);
    CHECK_INT(cal_parse_date("2000-02-29", 10, &d), 0);
    CHECK_INT(cal_parse_date("2023-02-29", 10, &d), -1);
    CHECK_INT(cal_parse_date("1900-02-29", 10, &d), -1);
    CHECK_INT(cal_parse_date("2100-02-29", 10, &d), -1);
    CHECK_INT(date_of("2024-03-01") - date_of("2024-02-28"), 2);
    CHECK_INT(date_of("2023-03-01") - date_of("2023-02-28"), 1);
}

TEST(parse_date_strict)
{
    const char *bad[] = {"2024-02-30", "2024-04-31", "2024-13-01",
                         "2024-00-10", "2024-01-00", "2024-2-03",
                         "2024/01/01", " 2024-01-01", "2024-01-01 ",
                         "1899-12-31", "3000-01-01", "24-01-01",
                         "2024-01-0a", "", "2024-01-01T00"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cal_date d;
        if (cal_parse_date(bad[i], strlen(bad[i]), &d) != -1)
            TESTLIB_FAIL("\"%s\" accepted", bad[i]);
    }
    CHECK_INT(date_of("1900-01-01"), -25567);
    CHECK_INT(date_of("2999-12-31"), 376199);
    cal_date d = 0;
    CHECK_INT(cal_parse_date("2025-04-01xyz", 10, &d), 0); /* len honoured */
    CHECK_INT(d, 20179);
}

TEST(format_round_trip)
{
    const char *dates[] = {"1900-01-01", "1970-01-01", "2024-02-29",
                           "2025-03-31", "2025-04-01", "2999-12-31"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++)
        CHECK_STR(text_of(date_of(dates[i])), dates[i]);
    char buf[CAL_DATE_BUFSZ];
    CHECK(cal_format_date(0, buf) == buf);
    CHECK_STR(text_of(cal_from_ymd(10000, 1, 1)), "####-##-##");
    CHECK_STR(text_of(cal_from_ymd(-1, 12, 31)), "####-##-##");
    CHECK_STR(text_of(cal_from_ymd(9999, 12, 31)), "9999-12-31");
    CHECK_STR(text_of(cal_from_ymd(0, 1, 1)), "0000-01-01");
}

TEST(add_months_clamps)
{
    CHECK_STR(text_of(cal_add_months(date_of("2025-01-31"), 1)),
              "2025-02-28");
    CHECK_STR(text_of(cal_add_months(date_of("2024-01-31"), 1)),
              "2024-02-29");
    CHECK_STR(text_of(cal_add_months(date_of("2024-03-31"), -1)),
              "2024-02-29");
    CHECK_STR(text_of(cal_add_months(date_of("2024-08-31"), 1)),
              "2024-09-30");
    CHECK_STR(text_of(cal_add_months(date_of("2024-12-15"), 1)),
              "2025-01-15");
    CHECK_STR(text_of(cal_add_months(date_of("2024-02-29"), 12)),
              "2025-02-28");
    CHECK_STR(text_of(cal_add_months(date_of("2024-02-29"), 48)),
              "2028-02-29");
    CHECK_STR(text_of(cal_add_months(date_of("2025-01-15"), -13)),
              "2023-12-15");
    CHECK_STR(text_of(cal_add_months(date_of("2025-04-01"), 0)),
              "2025-04-01");
    CHECK_STR(text_of(cal_add_months(date_of("2025-04-01"), 36)),
              "2028-04-01");
}

TEST(fiscal_years)
{
    CHECK_INT(cal_fiscal_year(date_of("2025-03-31")), 2024);
    CHECK_INT(cal_fiscal_year(date_of("2025-04-01")), 2025);
    CHECK_INT(cal_fiscal_year(date_of("2025-01-01")), 2024);
    CHECK_INT(cal_fiscal_year(date_of("2024-12-31")), 2024);
    CHECK_INT(cal_fiscal_year_start(2024), date_of("2024-04-01"));
    CHECK_INT(cal_fiscal_year_end(2024), date_of("2025-03-31"));
    CHECK_INT(cal_fiscal_year_end(2023), date_of("2024-03-31"));
}

TEST(parse_fiscal_year)
{
    int fy = 0;
    CHECK_INT(cal_parse_fiscal_year("2024-2025", 9, &fy), 0);
    CHECK_INT(fy, 2024);
    fy = 0;
    CHECK_INT(cal_parse_fiscal_year("  2024-2025\t", 12, &fy), 0);
    CHECK_INT(fy, 2024);
    CHECK_INT(cal_parse_fiscal_year("1900-1901", 9, &fy), 0);
    CHECK_INT(fy, 1900);
    CHECK_INT(cal_parse_fiscal_year("2998-2999", 9, &fy), 0);
    CHECK_INT(fy, 2998);
    const char *bad[] = {"2024-2026", "2024-2024", "2025-2024", "2024-25",
                         "24-25", "2024", "2024 2025",
                         "2024\342\200\2232025", /* an en dash */
                         "1899-1900", "2999-3000", "", "2024-2025-2026",
                         "abcd-efgh"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cal_parse_fiscal_year(bad[i], strlen(bad[i]), &fy) != -1)
            TESTLIB_FAIL("\"%s\" accepted", bad[i]);
}

TEST(format_fiscal_year)
{
    char buf[CAL_FY_BUFSZ];
    CHECK_STR(cal_format_fiscal_year(2024, buf), "2024-2025");
    CHECK_STR(cal_format_fiscal_year(1999, buf), "1999-2000");
    CHECK_STR(cal_format_fiscal_year(10000, buf), "####-####");
    int fy = 0;
    CHECK_INT(cal_parse_fiscal_year(cal_format_fiscal_year(2031, buf), 9,
                                    &fy), 0);
    CHECK_INT(fy, 2031);
}

int main(void)
{
    RUN(day_numbers);
    RUN(to_ymd_walks_every_day);
    RUN(leap_years);
    RUN(parse_date_strict);
    RUN(format_round_trip);
    RUN(add_months_clamps);
    RUN(fiscal_years);
    RUN(parse_fiscal_year);
    RUN(format_fiscal_year);
    return testlib_done("calendar");
}
