/* cli_store: see cli_store.h. */
#include "cli_store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

int cli_store_bad_option(const cli_command *cmd, int c, char **argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option %s", argv[optind - 1]);
}

int cli_store_run_id(const cli_command *cmd, const char *arg, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || v <= 0)
        return cli_usage_error(cmd, "%s is not a run id (a positive number; "
                               "alliance runs lists them)", arg);
    *id = v;
    return 0;
}

int cli_store_failed(const char *cmd, diag *d)
{
    fputs(diag_text(d), stderr);
    fprintf(stderr, "alliance: %s failed\n", cmd);
    return d->status ? d->status : DIAG_INTERNAL;
}

int cli_store_open(const char *cmd, const char *db, store **s)
{
    diag d;
    diag_init(&d);
    int rc = store_open(s, db ? db : STORE_DEFAULT_NAME, STORE_READ, 0, &d);
    if (rc != 0)
        rc = cli_store_failed(cmd, &d);
    diag_free(&d);
    return rc;
}

/* "$12,345.67": English-speaking readers' form. */
static char *money_en(int64_t cents, char buf[MONEY_BUFSZ])
{
    uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, u / 100);
    char *p = buf;
    if (cents < 0)
        *p++ = '-';
    *p++ = '$';
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            *p++ = ',';
        *p++ = digits[i];
    }
    snprintf(p, 8, ".%02u", (unsigned)(u % 100));
    return buf;
}

char *cli_store_money(int64_t cents, int en, char buf[MONEY_BUFSZ])
{
    return en ? money_en(cents, buf) : money_format_fr(cents, buf);
}

void cli_store_csv(FILE *f, const char *s, char sep)
{
    int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    if (formula || strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        if (formula)
            fputc('\'', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(sep, f);
}

int cli_store_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}
