/* fuzz_parse: the money and date parsers on arbitrary bytes.
 *
 * money_parse: an accepted amount is within +-MONEY_MAX; formatting it
 * (machine form, Québec form with plain, no-break or narrow no-break
 * spaces, English "$12,345.67") and parsing that back gives the same
 * cents; a refusal says one of the three documented phrases; spaces
 * around an amount change nothing; a plain "-123.45" form (checked by a
 * model parser) parses to its value, or is "too large" beyond the limit.
 * The same round trips run on cents taken straight from the bytes.
 *
 * cal_parse_date / cal_parse_fiscal_year: an accepted date or fiscal year
 * formats back to the very bytes given (trimmed, for a fiscal year), and
 * dates agree with cal_to_ymd, cal_fiscal_year and cal_add_months. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "fuzz_util.h"
#include "money.h"

static const char WHY_NAN[] = "is not an amount";
static const char WHY_DECIMALS[] = "has more than two decimals";
static const char WHY_LARGE[] = "is too large";

static void parses_to(const char *s, int64_t want, const char *form)
{
    int64_t got = 0;
    const char *why = NULL;
    int rc = money_parse(s, strlen(s), &got, &why);
    FUZZ_CHECK(rc == 0 && got == want, "%s form \"%s\": rc %d (%s), got %lld, "
               "want %lld", form, s, rc, why ? why : "", (long long)got,
               (long long)want);
}

/* "$12,345.67" (or "-$12,345.67"). */
static void format_en(int64_t cents, char *buf, size_t cap)
{
    uint64_t u = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    char units[32];
    snprintf(units, sizeof units, "%llu", (unsigned long long)(u / 100));
    size_t n = strlen(units), o = 0;
    o += (size_t)snprintf(buf + o, cap - o, "%s$", cents < 0 ? "-" : "");
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = units[i];
    }
    snprintf(buf + o, cap - o, ".%02u", (unsigned)(u % 100));
}

/* s with every plain space replaced by sp. */
static void respace(const char *s, const char *sp, char *out, size_t cap)
{
    size_t o = 0, k = strlen(sp);
    for (; *s && o + k < cap; s++) {
        if (*s == ' ') {
            memcpy(out + o, sp, k);
            o += k;
        } else {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
}

static void money_round_trips(int64_t cents)
{
    char buf[MONEY_BUFSZ], fr[MONEY_BUFSZ], sp[4 * MONEY_BUFSZ];
    parses_to(money_format(cents, buf), cents, "machine");
    money_format_fr(cents, fr);
    parses_to(fr, cents, "fr");
    respace(fr, "\xC2\xA0", sp, sizeof sp);
    parses_to(sp, cents, "fr no-break space");
    respace(fr, "\xE2\x80\xAF", sp, sizeof sp);
    parses_to(sp, cents, "fr narrow no-break space");
    format_en(cents, sp, sizeof sp);
    parses_to(sp, cents, "en");
}

/* Model of the plain machine form: -?[0-9]+(\.[0-9]{1,2})?. Returns 1
 * and the value (saturated above MONEY_MAX) when s has that form. */
static int plain_amount(const char *s, size_t len, int64_t *cents)
{
    size_t i = 0;
    int neg = 0;
    uint64_t units = 0;
    if (i < len && s[i] == '-')
        neg = 1, i++;
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (units <= (uint64_t)MONEY_MAX)
            units = units * 10 + (uint64_t)(s[i] - '0');
        i++;
    }
    if (i == start)
        return 0;
    unsigned frac = 0, nfrac = 0;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9' && nfrac < 3)
            frac = frac * 10 + (unsigned)(s[i++] - '0'), nfrac++;
        if (nfrac == 0 || nfrac > 2)
            return 0;
        if (nfrac == 1)
            frac *= 10;
    }
    if (i != len)
        return 0;
    uint64_t v = units > (uint64_t)MONEY_MAX ? (uint64_t)MONEY_MAX + 1
                                             : units * 100 + frac;
    if (v > (uint64_t)MONEY_MAX)
        v = (uint64_t)MONEY_MAX + 1;
    *cents = neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

static void fuzz_money(const char *s, size_t len)
{
    int64_t cents = 0;
    const char *why = NULL;
    int rc = money_parse(s, len, &cents, &why);
    int64_t model;
    if (plain_amount(s, len, &model)) {
        if (model > MONEY_MAX || model < -MONEY_MAX)
            FUZZ_CHECK(rc == -1 && why && !strcmp(why, WHY_LARGE), "\"%.*s\" beyond the "
                       "limit: rc %d", (int)len, s, rc);
        else
            FUZZ_CHECK(rc == 0 && cents == model, "\"%.*s\": rc %d, %lld "
                       "instead of %lld", (int)len, s, rc, (long long)cents,
                       (long long)model);
    }
    if (rc != 0) {
        FUZZ_CHECK(rc == -1 && why && (!strcmp(why, WHY_NAN) || !strcmp(why, WHY_DECIMALS) ||
                                !strcmp(why, WHY_LARGE)),
                   "refusal rc %d why %p", rc, (const void *)why);
        return;
    }
    FUZZ_CHECK(cents >= -MONEY_MAX && cents <= MONEY_MAX, "%lld out of range",
               (long long)cents);
    money_round_trips(cents);
    if (len < 4096) { /* spaces around change nothing */
        char padded[4096 + 8];
        memcpy(padded, " \t", 2);
        memcpy(padded + 2, s, len);
        memcpy(padded + 2 + len, "\xC2\xA0 ", 3);
        int64_t again = 0;
        FUZZ_CHECK(money_parse(padded, len + 5, &again, &why) == 0 &&
                       again == cents,
                   "padded \"%.*s\" differs", (int)len, s);
    }
}

static void fuzz_dates(const char *s, size_t len, const uint8_t *data,
                       size_t size)
{
    cal_date date;
    if (cal_parse_date(s, len, &date) == 0) {
        char buf[CAL_DATE_BUFSZ];
        cal_format_date(date, buf);
        FUZZ_CHECK(len == 10 && memcmp(buf, s, 10) == 0, "\"%.*s\" formats "
                   "as %s", (int)len, s, buf);
        int y, m, d;
        cal_to_ymd(date, &y, &m, &d);
        FUZZ_CHECK(y >= 1900 && y <= 2999 && cal_from_ymd(y, m, d) == date,
                   "ymd %d-%d-%d", y, m, d);
        int fy = cal_fiscal_year(date);
        FUZZ_CHECK(cal_fiscal_year_start(fy) <= date &&
                       date <= cal_fiscal_year_end(fy),
                   "%s outside its fiscal year %d", buf, fy);
        int months = size > 0 ? (int)data[size - 1] - 128 : 1;
        cal_date later = cal_add_months(date, months);
        int y2, m2, d2;
        cal_to_ymd(later, &y2, &m2, &d2);
        FUZZ_CHECK((y2 * 12 + m2) - (y * 12 + m) == months && d2 <= d,
                   "%s + %d months = %d-%02d-%02d", buf, months, y2, m2, d2);
        FUZZ_CHECK(cal_add_months(date, 0) == date, "+0 months moved %s",
                   buf);
    }
    int fy;
    if (cal_parse_fiscal_year(s, len, &fy) == 0) {
        char buf[CAL_FY_BUFSZ];
        cal_format_fiscal_year(fy, buf);
        const char *t = s;
        size_t n = len;
        while (n && (*t == ' ' || *t == '\t'))
            t++, n--;
        while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
            n--;
        FUZZ_CHECK(fy >= 1900 && fy <= 2998 && n == 9 &&
                       memcmp(buf, t, 9) == 0,
                   "\"%.*s\" formats as %s", (int)len, s, buf);
    }
    /* day numbers taken from the bytes: ymd round trip, and the next day
     * is one more */
    if (size >= 4) {
        int32_t raw;
        memcpy(&raw, data, sizeof raw);
        cal_date x = (cal_date)(raw % 800000); /* about +-2190 years */
        int y, m, d;
        cal_to_ymd(x, &y, &m, &d);
        FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
                       cal_from_ymd(y, m, d) == x,
                   "day %d gives %d-%d-%d", (int)x, y, m, d);
        char buf[CAL_DATE_BUFSZ];
        cal_format_date(x, buf);
        cal_date back;
        if (y >= 1900 && y <= 2999)
            FUZZ_CHECK(cal_parse_date(buf, 10, &back) == 0 && back == x,
                       "%s does not parse back", buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    fuzz_money(s, size);
    if (size >= 8) {
        uint64_t raw;
        memcpy(&raw, data, sizeof raw);
        int64_t cents = (int64_t)(raw % (2 * (uint64_t)MONEY_MAX + 1)) -
                        MONEY_MAX;
        money_round_trips(cents);
        money_round_trips(cents % 100000); /* small ones, often */
    }
    fuzz_dates(s, size, data, size);
    return 0;
}
