/* money: amounts are int64 cents from the moment they are parsed. */
#ifndef ALLIANCE_MONEY_H
#define ALLIANCE_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Largest amount accepted: 10^12 cents (ten billion dollars), so sums of
 * a million such amounts (10^18) still fit in int64 (9.2 x 10^18). */
#define MONEY_MAX INT64_C(1000000000000)

/* Room for any formatted amount, terminator included. */
#define MONEY_BUFSZ 40

/* Parses an amount as analysts export it: "12345.67", "12 345,67 $",
 * "12 345,67" (plain, no-break U+00A0 or narrow no-break U+202F spaces),
 * "$12,345.67", "-5", "1234". At most two decimals.
 * Returns 0 and sets *out, or -1 and sets *why to a static phrase that
 * completes `"<value>" <why>`, e.g. "is not an amount". */
int money_parse(const char *s, size_t len, int64_t *out, const char **why);

/* Machine form: "1234.56", "-0.05", "0.00". Returns buf. */
char *money_format(int64_t cents, char buf[MONEY_BUFSZ]);

/* An integer in the same way: "-12", "0". Returns buf. */
char *money_format_int(int64_t v, char buf[MONEY_BUFSZ]);

/* Québec display form with plain spaces: "12 345,67 $". Returns buf. */
char *money_format_fr(int64_t cents, char buf[MONEY_BUFSZ]);

#endif
