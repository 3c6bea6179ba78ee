/* calendar: see include/calendar.h.
 *
 * Plain proleptic Gregorian arithmetic on day numbers (Howard Hinnant's
 * days_from_civil / civil_from_days), so results never depend on the
 * machine's time zone or on time_t. */
#include "calendar.h"

/* Floor division, for negative day numbers and month offsets. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30,
                                           31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* m in 1..12; d may run past the month (it simply counts on). */
cal_date cal_from_ymd(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;                        /* [0, 399] */
    int64_t mp = m > 2 ? m - 3 : m + 9;                  /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return (cal_date)(era * 146097 + doe - 719468);
}

void cal_to_ymd(cal_date date, int *y, int *m, int *d)
{
    int64_t z = (int64_t)date + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Value of n ASCII digits at s, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int cal_parse_date(const char *s, size_t len, cal_date *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1
        || d > days_in_month(y, m))
        return -1;
    *out = cal_from_ymd(y, m, d);
    return 0;
}

static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

/* Years that do not fit the four digits the buffer holds come out as
 * "####-##-##" rather than overflowing it. */
char *cal_format_date(cal_date date, char buf[CAL_DATE_BUFSZ])
{
    int y, m, d;
    cal_to_ymd(date, &y, &m, &d);
    if (y < 0 || y > 9999) {
        const char bad[CAL_DATE_BUFSZ] = "####-##-##";
        for (int i = 0; i < CAL_DATE_BUFSZ; i++)
            buf[i] = bad[i];
        return buf;
    }
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
    return buf;
}

cal_date cal_add_months(cal_date date, int months)
{
    int y, m, d;
    cal_to_ymd(date, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int ny = (int)floor_div(total, 12);
    int nm = (int)(total - (int64_t)ny * 12) + 1;
    int last = days_in_month(ny, nm);
    return cal_from_ymd(ny, nm, d > last ? last : d);
}

int cal_fiscal_year(cal_date date)
{
    int y, m, d;
    cal_to_ymd(date, &y, &m, &d);
    return m >= 4 ? y : y - 1;
}

cal_date cal_fiscal_year_start(int fy)
{
    return cal_from_ymd(fy, 4, 1);
}

cal_date cal_fiscal_year_end(int fy)
{
    return cal_from_ymd(fy + 1, 3, 31);
}

/* "2024-2025", surrounding spaces and tabs allowed; the same year range as
 * dates, so both years are 1900-2999. */
int cal_parse_fiscal_year(const char *s, size_t len, int *fy)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len != 9 || s[4] != '-')
        return -1;
    int a = digits(s, 4), b = digits(s + 5, 4);
    if (a < 1900 || b > 2999 || b != a + 1)
        return -1;
    *fy = a;
    return 0;
}

char *cal_format_fiscal_year(int fy, char buf[CAL_FY_BUFSZ])
{
    if (fy < 0 || fy > 9998) {
        const char bad[CAL_FY_BUFSZ] = "####-####";
        for (int i = 0; i < CAL_FY_BUFSZ; i++)
            buf[i] = bad[i];
        return buf;
    }
    put_digits(buf, fy, 4);
    buf[4] = '-';
    put_digits(buf + 5, fy + 1, 4);
    buf[9] = '\0';
    return buf;
}
