/* Unit tests of engine/rules_fields.c: the typed cells of extra columns.
 *
 * The usual spellings (plain digits, "156078.82", "oui") skip the general
 * parsers; these tests hold the fast paths to the general ones: every
 * string of a large generated set must convert to the same value, or fail
 * the same way, whichever path it takes. */
#include <lauxlib.h>
#include <lualib.h>

#include "../../engine/rules_internal.h"
#include "money.h"
#include "testlib.h"

/* Strings built from the characters that matter to the parsers, up to
 * four of them, and typical amounts around the fast paths' limits. */
static const char alphabet[] = "0159.,- $a";

static size_t make_string(size_t k, char *buf)
{
    size_t n = 0, base = sizeof alphabet - 1;
    while (k > 0 && n < 4) {
        buf[n++] = alphabet[(k - 1) % base];
        k = (k - 1) / base;
    }
    buf[n] = '\0';
    return n;
}

static const char *const samples[] = {
    "0", "7", "120", "000123", "999999999", "1000000000", "9999999999",
    "99999999999", "123456789012", "9223372036854775807",
    "9223372036854775808", "156078.82", "156078.8", "156078.", ".82",
    "156078.823", "1.05", "0.00", "12 345,67", "12 345,67 $", "$12,345.67",
    "-5", "+5", " 42", "42 ", "4 2", "1e5", "0x10", "", "oui", "non", "OUI",
    " oui", "oui ", "Non", "yes", "vrai", "faux", "1", "0", "ouii", "no",
    "noo", "nom", "oux", "ou", "Oui", "noN", "o", "n", "y",
    NULL
};

static rules_field field_of(rules_field_type type)
{
    rules_field f = { "x", type, NULL, 0 };
    return f;
}

/* The money column's value, or a failure, against money_parse. */
static void check_money(lua_State *L, const char *s)
{
    rules_field f = field_of(RULES_FIELD_MONEY);
    const char *why = "", *why_ref = "";
    int64_t cents;
    int ref = money_parse(s, strlen(s), &cents, &why_ref);
    int got = rules_push_cell(L, &f, s, &why);
    CHECK_INT(got, ref);
    if (got != 0 || ref != 0) {
        if (got != 0 && ref != 0)
            CHECK_STR(why, why_ref);
        return;
    }
    if (!lua_isnumber(L, -1) || lua_isinteger(L, -1) ||
        lua_tonumber(L, -1) != (lua_Number)cents / 100.0)
        TESTLIB_FAIL("money \"%s\": %.17g, expected %.17g", s,
                     lua_tonumber(L, -1), (lua_Number)cents / 100.0);
    lua_pop(L, 1);
}

/* An integer column: the general path is the reference, run on the same
 * string with a leading space that only it accepts (it trims). */
static void check_integer(lua_State *L, const char *s)
{
    rules_field f = field_of(RULES_FIELD_INTEGER);
    char spaced[64];
    const char *why = "";
    snprintf(spaced, sizeof spaced, " %s", s);
    int got = rules_push_cell(L, &f, s, &why);
    int ref = *s ? rules_push_cell(L, &f, spaced, &why) : -1;
    CHECK_INT(got, ref);
    if (got != 0 || ref != 0) {
        if (got == 0 || ref == 0)
            lua_pop(L, 1);
        return;
    }
    if (!lua_isinteger(L, -1) || !lua_isinteger(L, -2) ||
        lua_tointeger(L, -1) != lua_tointeger(L, -2))
        TESTLIB_FAIL("integer \"%s\": %lld, expected %lld", s,
                     (long long)lua_tointeger(L, -2),
                     (long long)lua_tointeger(L, -1));
    lua_pop(L, 2);
}

/* A boolean column: "oui" and "non" against their spaced forms. */
static void check_boolean(lua_State *L, const char *s)
{
    rules_field f = field_of(RULES_FIELD_BOOLEAN);
    char spaced[64];
    const char *why = "";
    snprintf(spaced, sizeof spaced, "%s ", s);
    int got = rules_push_cell(L, &f, s, &why);
    int ref = rules_push_cell(L, &f, spaced, &why);
    if (got != ref)
        TESTLIB_FAIL("boolean \"%s\": %d, expected %d", s, got, ref);
    if (got != 0 || ref != 0) {
        if (got == 0 || ref == 0)
            lua_pop(L, 1);
        return;
    }
    CHECK_INT(lua_toboolean(L, -2), lua_toboolean(L, -1));
    lua_pop(L, 2);
}

static void check_all(lua_State *L, const char *s)
{
    check_money(L, s);
    check_integer(L, s);
    check_boolean(L, s);
    if (lua_gettop(L) != 0) {
        TESTLIB_FAIL("\"%s\" left %d values on the stack", s, lua_gettop(L));
        lua_settop(L, 0);
    }
}

TEST(fast_paths_agree_with_the_general_parsers)
{
    lua_State *L = luaL_newstate();
    CHECK(L != NULL);
    if (!L)
        return;
    for (size_t i = 0; samples[i]; i++)
        check_all(L, samples[i]);
    char buf[8];
    size_t base = sizeof alphabet - 1;
    size_t total = base * base * base * base + base * base * base +
                   base * base + base + 1;
    for (size_t k = 0; k < total; k++) {
        make_string(k, buf);
        check_all(L, buf);
    }
    lua_close(L);
}

TEST(cells_as_documented)
{
    lua_State *L = luaL_newstate();
    CHECK(L != NULL);
    if (!L)
        return;
    const char *why = "";
    rules_field money = field_of(RULES_FIELD_MONEY);
    rules_field integer = field_of(RULES_FIELD_INTEGER);
    rules_field boolean = field_of(RULES_FIELD_BOOLEAN);
    CHECK_INT(rules_push_cell(L, &money, "156078.8", &why), 0);
    CHECK(lua_tonumber(L, -1) == 156078.8);
    CHECK_INT(rules_push_cell(L, &money, "12 345,67 $", &why), 0);
    CHECK(lua_tonumber(L, -1) == 12345.67);
    CHECK_INT(rules_push_cell(L, &money, "1.234", &why), -1);
    CHECK_STR(why, "has more than two decimals");
    CHECK_INT(rules_push_cell(L, &integer, "120", &why), 0);
    CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 120);
    CHECK_INT(rules_push_cell(L, &integer, "12 345", &why), 0);
    CHECK(lua_tointeger(L, -1) == 12345);
    CHECK_INT(rules_push_cell(L, &integer, "1.5", &why), -1);
    CHECK_STR(why, "is not an integer");
    CHECK_INT(rules_push_cell(L, &boolean, "oui", &why), 0);
    CHECK(lua_isboolean(L, -1) && lua_toboolean(L, -1));
    CHECK_INT(rules_push_cell(L, &boolean, "NON", &why), 0);
    CHECK(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
    CHECK_INT(lua_gettop(L), 6);
    lua_close(L);
}

int main(void)
{
    RUN(fast_paths_agree_with_the_general_parsers);
    RUN(cells_as_documented);
    return testlib_done("rules_fields");
}
