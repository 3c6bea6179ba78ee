/* money: see include/money.h.
 *
 * Analysts export amounts from French- and English-Canadian spreadsheets,
 * so "12 345,67 $" and "$12,345.67" both arrive.  We read them with one
 * rule and never guess:
 *
 *   - Around the number: spaces (plain, U+00A0 no-break, U+202F narrow
 *     no-break) and tabs are trimmed; one '-' may lead (before or after a
 *     leading '$'); one '$' may lead or trail.
 *   - Spaces inside the number always group thousands.
 *   - When both '.' and ',' appear, the last one is the decimal separator
 *     (it must appear only once) and the other groups thousands.
 *   - A single ',' alone is the decimal separator (French Canada), unless
 *     the amount starts with '$' (English style, where ',' groups).
 *     A single '.' alone is the decimal separator.
 *   - Several ',' (or several '.') alone group thousands.
 *   - Grouping must be proper: 1 to 3 digits, then groups of exactly 3
 *     digits, with one kind of grouping separator in an amount.
 *   - At most two decimals ("has more than two decimals").
 *   - |amount| <= MONEY_MAX ("is too large").
 * Anything else "is not an amount": "12,3,4", "abc", "", "1 2 3,4,5".
 *
 * Digits are accumulated as integers; no strtod, so no binary rounding. */
#include "money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

enum { SEP_SPACE, SEP_DOT, SEP_COMMA, SEP_KINDS };

static const char WHY_NAN[] = "is not an amount";
static const char WHY_DECIMALS[] = "has more than two decimals";
static const char WHY_LARGE[] = "is too large";

/* Length of the space (plain, tab, U+00A0, U+202F) at s, or 0. */
static size_t space_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len >= 1 && (u[0] == ' ' || u[0] == '\t'))
        return 1;
    if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (len >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
        return 3;
    return 0;
}

/* Length of the space ending at s + len, or 0. */
static size_t space_before(const char *s, size_t len)
{
    if (len >= 1 && space_at(s + len - 1, 1))
        return 1;
    if (len >= 2 && space_at(s + len - 2, 2) == 2)
        return 2;
    if (len >= 3 && space_at(s + len - 3, 3) == 3)
        return 3;
    return 0;
}

static void trim(const char **s, size_t *len)
{
    size_t n;
    while ((n = space_at(*s, *len)) != 0) {
        *s += n;
        *len -= n;
    }
    while ((n = space_before(*s, *len)) != 0)
        *len -= n;
}

/* What the first pass learns about the number's separators. */
typedef struct shape {
    size_t count[SEP_KINDS];
    size_t n_sep;     /* separators in all */
    size_t last_dc;   /* index (among separators) of the last '.' or ',' */
    int last_dc_kind; /* SEP_DOT or SEP_COMMA, or -1 */
} shape;

/* Kind and length of the separator at s, or length 0. */
static size_t sep_at(const char *s, size_t len, int *kind)
{
    if (*s == '.' || *s == ',') {
        *kind = *s == '.' ? SEP_DOT : SEP_COMMA;
        return 1;
    }
    *kind = SEP_SPACE;
    return space_at(s, len);
}

/* First pass: only digits and separators, never two separators in a row,
 * none at either end. */
static int scan_shape(const char *s, size_t len, shape *sh)
{
    *sh = (shape){{0, 0, 0}, 0, 0, -1};
    size_t digits = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] >= '0' && s[i] <= '9') {
            digits++;
            i++;
            continue;
        }
        int kind;
        size_t n = sep_at(s + i, len - i, &kind);
        if (n == 0 || digits == 0)
            return -1;
        if (kind != SEP_SPACE) {
            sh->last_dc = sh->n_sep;
            sh->last_dc_kind = kind;
        }
        sh->count[kind]++;
        sh->n_sep++;
        digits = 0;
        i += n;
    }
    return digits > 0 ? 0 : -1;
}

/* Which separator (by index) is the decimal one: sets *dec, or
 * *dec = n_sep when there is none.  Returns -1 when ambiguous. */
static int decimal_index(const shape *sh, int dollar_first, size_t *dec)
{
    size_t dots = sh->count[SEP_DOT], commas = sh->count[SEP_COMMA];
    *dec = sh->n_sep;
    if (dots && commas) {
        if (sh->count[sh->last_dc_kind] != 1 || sh->count[SEP_SPACE])
            return -1;
        *dec = sh->last_dc;
    } else if (commas == 1 && !dollar_first) {
        *dec = sh->last_dc;
    } else if (dots == 1) {
        *dec = sh->last_dc;
    }
    if (*dec != sh->n_sep && *dec != sh->n_sep - 1)
        return -1; /* digits grouped after the decimals */
    /* what is not the decimal separator must be one kind of grouping */
    int kinds = 0;
    for (int k = 0; k < SEP_KINDS; k++) {
        size_t n = sh->count[k];
        if (*dec != sh->n_sep && k == sh->last_dc_kind)
            n--;
        kinds += n > 0;
    }
    return kinds <= 1 ? 0 : -1;
}

/* Is group g (the digits before separator g) properly sized?  Groups
 * 0..dec form the units; when there are several, the first holds 1 to 3
 * digits and the others exactly 3. */
static int group_ok(size_t g, size_t dec, size_t digits)
{
    if (g > dec || dec == 0)
        return 1;
    return g == 0 ? digits <= 3 : digits == 3;
}

/* Second pass: checks group sizes and accumulates the value.  Separator
 * dec is the decimal one (dec == n_sep: none), so group dec + 1 holds the
 * decimals. */
static int accumulate(const char *s, size_t len, size_t n_sep, size_t dec,
                      uint64_t *cents, const char **why)
{
    uint64_t units = 0, frac = 0;
    size_t g = 0, digits = 0, frac_len = 0;
    int too_large = 0;
    for (size_t i = 0; i < len;) {
        int kind;
        size_t n = sep_at(s + i, len - i, &kind);
        if (n > 0) {
            if (!group_ok(g, dec, digits))
                return *why = WHY_NAN, -1;
            g++;
            digits = 0;
            i += n;
            continue;
        }
        unsigned digit = (unsigned)(s[i++] - '0');
        digits++;
        if (dec < n_sep && g == dec + 1) {
            frac = frac * 10 + digit;
            frac_len++;
        } else if (units > (uint64_t)MONEY_MAX / 100) {
            too_large = 1; /* stop accumulating before it overflows */
        } else {
            units = units * 10 + digit;
        }
    }
    if (!group_ok(g, dec, digits))
        return *why = WHY_NAN, -1;
    if (frac_len > 2)
        return *why = WHY_DECIMALS, -1;
    if (frac_len == 1)
        frac *= 10;
    if (too_large || units > (uint64_t)MONEY_MAX / 100)
        return *why = WHY_LARGE, -1;
    *cents = units * 100 + frac;
    if (*cents > (uint64_t)MONEY_MAX)
        return *why = WHY_LARGE, -1;
    return 0;
}

int money_parse(const char *s, size_t len, int64_t *out, const char **why)
{
    int neg = 0, dollar_first = 0;
    trim(&s, &len);
    if (len && *s == '-') {
        neg = 1;
        s++, len--;
    }
    if (len && *s == '$') {
        dollar_first = 1;
        s++, len--;
        trim(&s, &len);
        if (!neg && len && *s == '-') { /* "$-5" */
            neg = 1;
            s++, len--;
        }
    } else if (len && s[len - 1] == '$') {
        len--;
        trim(&s, &len);
    }
    shape sh;
    size_t dec;
    uint64_t cents;
    if (scan_shape(s, len, &sh) != 0
        || decimal_index(&sh, dollar_first, &dec) != 0)
        return *why = WHY_NAN, -1;
    if (accumulate(s, len, sh.n_sep, dec, &cents, why) != 0)
        return -1;
    *out = neg ? -(int64_t)cents : (int64_t)cents;
    return 0;
}

static uint64_t magnitude(int64_t cents)
{
    return cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
}

/* Digits written backwards into the end of buf; returns where they start.
 * A million decisions format several million amounts: snprintf was a
 * tenth of the CSV writer's time. */
static char *format_digits(uint64_t u, int decimals, char *end)
{
    *--end = '\0';
    for (int i = 0; i < decimals; i++, u /= 10)
        *--end = (char)('0' + u % 10);
    if (decimals > 0)
        *--end = '.';
    do {
        *--end = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    return end;
}

static char *format_signed(int64_t v, int decimals, char buf[MONEY_BUFSZ])
{
    char tmp[MONEY_BUFSZ];
    char *p = format_digits(magnitude(v), decimals, tmp + sizeof tmp);
    if (v < 0)
        *--p = '-';
    memcpy(buf, p, (size_t)(tmp + sizeof tmp - p));
    return buf;
}

char *money_format(int64_t cents, char buf[MONEY_BUFSZ])
{
    return format_signed(cents, 2, buf);
}

char *money_format_int(int64_t v, char buf[MONEY_BUFSZ])
{
    return format_signed(v, 0, buf);
}

char *money_format_fr(int64_t cents, char buf[MONEY_BUFSZ])
{
    uint64_t u = magnitude(cents), units = u / 100;
    char tmp[MONEY_BUFSZ];
    size_t n = sizeof tmp;
    /* written backwards: " $", the cents, ',', then grouped units */
    tmp[--n] = '\0';
    tmp[--n] = '$';
    tmp[--n] = ' ';
    tmp[--n] = (char)('0' + u % 10);
    tmp[--n] = (char)('0' + u / 10 % 10);
    tmp[--n] = ',';
    for (int digits = 0; digits == 0 || units > 0; digits++) {
        if (digits > 0 && digits % 3 == 0)
            tmp[--n] = ' ';
        tmp[--n] = (char)('0' + units % 10);
        units /= 10;
    }
    if (cents < 0)
        tmp[--n] = '-';
    size_t i = 0;
    while (n < sizeof tmp)
        buf[i++] = tmp[n++];
    return buf;
}
