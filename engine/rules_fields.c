/* rules_fields: turns the text of extra CSV columns into Lua values, per
 * the types a rule file declares in `fields` (see include/rules.h).
 *
 * Numbers are read the way Québec spreadsheets write them: ',' or '.' as
 * the decimal separator, plain, no-break (U+00A0) or narrow no-break
 * (U+202F) spaces between groups of digits.  Money goes through
 * money_parse, dates through cal_parse_date, so every module agrees on
 * what a valid amount or date is. */
#include <stdint.h>
#include <string.h>

#include <lua.h>

#include "calendar.h"
#include "money.h"
#include "rules_internal.h"

#define NUMBER_MAX 64 /* longest plain number accepted, in bytes */

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Length of a thousands separator at s: ' ', U+00A0 or U+202F; else 0. */
static size_t group_space(const char *s, size_t len)
{
    if (len >= 1 && s[0] == ' ')
        return 1;
    if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    if (len >= 3 && (unsigned char)s[0] == 0xE2 &&
        (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xAF)
        return 3;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Copies the plain number s into buf without its thousands separators and
 * with '.' as the decimal point: [+-] digits [(.|,) digits].  Separators
 * must sit between two digits.  Returns the length written, or 0. */
static size_t clean_number(const char *s, size_t len, char *buf, int frac)
{
    size_t i = 0, n = 0, digits = 0;
    trim(&s, &len);
    if (i < len && (s[i] == '-' || s[i] == '+'))
        buf[n++] = s[i++];
    while (i < len && n < NUMBER_MAX - 1) {
        size_t g = group_space(s + i, len - i);
        if (is_digit(s[i])) {
            buf[n++] = s[i++];
            digits++;
        } else if (g && digits && i + g < len && is_digit(s[i + g])) {
            i += g;
        } else {
            break;
        }
    }
    if (frac && i < len && (s[i] == '.' || s[i] == ',') && i + 1 < len) {
        buf[n++] = '.';
        for (i++; i < len && is_digit(s[i]) && n < NUMBER_MAX - 1; i++)
            buf[n++] = s[i], digits++;
        if (buf[n - 1] == '.')
            return 0;
    }
    if (i != len || !digits)
        return 0;
    buf[n] = '\0';
    return n;
}

/* Length of the run of ASCII digits at the start of s[0..len). */
static size_t digit_run(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_digit(s[i]))
        i++;
    return i;
}

/* Cells are converted twice per evaluation (checked, then pushed), so the
 * forms spreadsheets write most, plain digits ("120", "156078.82"), skip
 * the general parsers.  Each fast path accepts only strings that the
 * general parser reads the same way, to the same value, and leaves the
 * others to it. */
#define FAST_DIGITS 9 /* below any limit: 10^9 - 1 fits everywhere */

static lua_Integer digits_value(const char *s, size_t n)
{
    lua_Integer v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Integers are accumulated exactly, refusing what does not fit. */
static int parse_integer(const char *s, size_t len, lua_Integer *out)
{
    if (len && len <= FAST_DIGITS && digit_run(s, len) == len)
        return *out = digits_value(s, len), 0;
    char buf[NUMBER_MAX];
    size_t n = clean_number(s, len, buf, 0);
    if (!n)
        return -1;
    const char *p = buf;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p; p++) {
        uint64_t digit = (uint64_t)(*p - '0');
        if (v > (limit - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    *out = neg ? (lua_Integer)(0 - v) : (lua_Integer)v;
    return 0;
}

/* Pushes the number; lua_stringtonumber reads '.' whatever the C locale
 * and keeps integers as integers, like tonumber() in a rule. */
static int push_number(lua_State *L, const char *s, size_t len)
{
    char buf[NUMBER_MAX];
    if (!clean_number(s, len, buf, 1))
        return -1;
    return lua_stringtonumber(L, buf) ? 0 : -1;
}

/* A number column's value, integer or float as lua_stringtonumber made
 * it (pushing a number never allocates, so this raises no error). */
static int read_number(lua_State *L, const char *s, size_t len,
                       rules_cell *c)
{
    if (push_number(L, s, len) != 0)
        return -1;
    if (lua_isinteger(L, -1)) {
        c->kind = RULES_CELL_INTEGER;
        c->i = lua_tointeger(L, -1);
    } else {
        c->kind = RULES_CELL_NUMBER;
        c->n = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return 0;
}

static int ascii_ieq(const char *a, size_t len, const char *b)
{
    size_t i = 0;
    for (; i < len && b[i]; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != b[i])
            return 0;
    }
    return i == len && !b[i];
}

static int parse_boolean(const char *s, size_t len, int *out)
{
    static const char *const yes[] = { "oui", "yes", "true", "vrai", "1" };
    static const char *const no[] = { "non", "no", "false", "faux", "0" };
    if (len == 3 && memcmp(s, "oui", 3) == 0) /* the usual spelling */
        return *out = 1, 0;
    if (len == 3 && memcmp(s, "non", 3) == 0)
        return *out = 0, 0;
    trim(&s, &len);
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (ascii_ieq(s, len, yes[i]))
            return *out = 1, 0;
        if (ascii_ieq(s, len, no[i]))
            return *out = 0, 0;
    }
    return -1;
}

static int read_oneof(const rules_field *f, const char *s, size_t len,
                      rules_cell *c)
{
    trim(&s, &len);
    for (size_t i = 0; i < f->n_options; i++)
        if (strlen(f->options[i]) == len &&
            memcmp(f->options[i], s, len) == 0) {
            c->kind = RULES_CELL_OPTION;
            c->i = (lua_Integer)i;
            return 0;
        }
    return -1;
}

/* "digits" or "digits.d[d]", as money_parse reads them (a lone '.' is
 * the decimal point; no grouping, sign or '$'); -1 for anything else. */
static int plain_money(const char *s, size_t len, int64_t *cents)
{
    size_t units = digit_run(s, len);
    if (units == 0 || units > FAST_DIGITS)
        return -1;
    int64_t v = digits_value(s, units) * 100;
    if (units == len)
        return *cents = v, 0;
    size_t frac = len - units - 1;
    if (s[units] != '.' || frac < 1 || frac > 2 ||
        digit_run(s + units + 1, frac) != frac)
        return -1;
    int64_t f = digits_value(s + units + 1, frac);
    *cents = v + (frac == 1 ? f * 10 : f);
    return 0;
}

static int read_money(const char *s, size_t len, rules_cell *c,
                      const char **why)
{
    int64_t cents;
    if (plain_money(s, len, &cents) != 0 &&
        money_parse(s, len, &cents, why) != 0)
        return -1;
    c->kind = RULES_CELL_NUMBER;
    c->n = (lua_Number)cents / 100.0;
    return 0;
}

static int read_date(const char *s, size_t len, rules_cell *c)
{
    cal_date date;
    trim(&s, &len);
    if (cal_parse_date(s, len, &date) != 0)
        return -1;
    c->kind = RULES_CELL_STRING;
    c->s = s;
    c->len = len;
    return 0;
}

int rules_read_cell(lua_State *L, const rules_field *f, const char *s,
                    rules_cell *c, const char **why)
{
    size_t len = strlen(s);
    int b;
    switch (f ? f->type : RULES_FIELD_TEXT) {
    case RULES_FIELD_TEXT:
        c->kind = RULES_CELL_STRING;
        c->s = s;
        c->len = len;
        return 0;
    case RULES_FIELD_INTEGER:
        if (parse_integer(s, len, &c->i) != 0)
            return *why = "is not an integer", -1;
        c->kind = RULES_CELL_INTEGER;
        return 0;
    case RULES_FIELD_NUMBER:
        if (read_number(L, s, len, c) != 0)
            return *why = "is not a number", -1;
        return 0;
    case RULES_FIELD_MONEY:
        return read_money(s, len, c, why);
    case RULES_FIELD_DATE:
        if (read_date(s, len, c) != 0)
            return *why = "is not a date (YYYY-MM-DD)", -1;
        return 0;
    case RULES_FIELD_BOOLEAN:
        if (parse_boolean(s, len, &b) != 0)
            return *why = "is not oui/non (yes/no, true/false, vrai/faux, "
                          "1/0)", -1;
        c->kind = RULES_CELL_BOOLEAN;
        c->i = b;
        return 0;
    case RULES_FIELD_ONEOF:
        if (read_oneof(f, s, len, c) != 0)
            return *why = "is not one of the values allowed by the rule "
                          "file's fields", -1;
        return 0;
    }
    return *why = "has an unknown type", -1;
}

void rules_push_read(lua_State *L, const rules_field *f, const rules_cell *c)
{
    switch (c->kind) {
    case RULES_CELL_STRING:
        lua_pushlstring(L, c->s, c->len);
        break;
    case RULES_CELL_INTEGER:
        lua_pushinteger(L, c->i);
        break;
    case RULES_CELL_NUMBER:
        lua_pushnumber(L, c->n);
        break;
    case RULES_CELL_BOOLEAN:
        lua_pushboolean(L, (int)c->i);
        break;
    case RULES_CELL_OPTION:
        lua_pushstring(L, f->options[c->i]);
        break;
    }
}

int rules_push_cell(lua_State *L, const rules_field *f, const char *s,
                    const char **why)
{
    rules_cell c;
    if (rules_read_cell(L, f, s, &c, why) != 0)
        return -1;
    rules_push_read(L, f, &c);
    return 0;
}

void rules_push_number_or_string(lua_State *L, const char *s)
{
    size_t len = strlen(s);
    if (push_number(L, s, len) != 0)
        lua_pushlstring(L, s, len);
}
