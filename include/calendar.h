/* calendar: civil dates and Québec government fiscal years
 * (1 April to 31 March, named "2024-2025" and numbered by their first year). */
#ifndef ALLIANCE_CALENDAR_H
#define ALLIANCE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t cal_date; /* days since 1970-01-01, proleptic Gregorian */

#define CAL_DATE_BUFSZ 11 /* "YYYY-MM-DD" + NUL */
#define CAL_FY_BUFSZ 10   /* "YYYY-YYYY" + NUL */

cal_date cal_from_ymd(int y, int m, int d);
void cal_to_ymd(cal_date date, int *y, int *m, int *d);

/* Strict "YYYY-MM-DD" with a real day (2024-02-30 is refused), years
 * 1900-2999. Returns 0 or -1. */
int cal_parse_date(const char *s, size_t len, cal_date *out);
char *cal_format_date(cal_date date, char buf[CAL_DATE_BUFSZ]);

/* Adds months, clamping to the month's last day (01-31 + 1 -> 02-28). */
cal_date cal_add_months(cal_date date, int months);

/* First year of the fiscal year holding date: 2025-03-31 -> 2024. */
int cal_fiscal_year(cal_date date);
cal_date cal_fiscal_year_start(int fy); /* fy-04-01 */
cal_date cal_fiscal_year_end(int fy);   /* (fy+1)-03-31 */

/* "2024-2025" (second year must follow the first). Returns 0 or -1. */
int cal_parse_fiscal_year(const char *s, size_t len, int *fy);
char *cal_format_fiscal_year(int fy, char buf[CAL_FY_BUFSZ]);

#endif
