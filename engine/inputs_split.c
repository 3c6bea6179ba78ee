/* inputs_split: split.csv, the subregions and how the envelope is split
 * between them (see include/inputs.h).
 *
 * A file gives amounts, or shares, or neither (the rule file's split()
 * then decides); mixing them would leave the split ambiguous.  When one
 * subregion has a value, all do, except the regional reserve row, which
 * otherwise takes what is left. */
#include <stdio.h>
#include <string.h>

#include "inputs_internal.h"
#include "money.h"

enum { S_NAME, S_AMOUNT, S_SHARE, S_RESERVE, S_N };

static const char *const s_name[] = {"sous_region", "territoire", "mrc", NULL};
static const char *const s_amount[] = {"montant", "enveloppe", NULL};
static const char *const s_share[] = {"part", "proportion", "pourcentage",
                                      NULL};
static const char *const s_reserve[] = {"reserve_regionale", NULL};

const colspec inputs_split_spec[] = {
    [S_NAME] = {"subregion", s_name, 1},
    [S_AMOUNT] = {"amount", s_amount, 0},
    [S_SHARE] = {"share", s_share, 0},
    [S_RESERVE] = {"reserve", s_reserve, 0},
};
const size_t inputs_split_n_spec = S_N;

/* ---- values -------------------------------------------------------- */

/* Digits of a share: "0.25", "0,25" or "25" (with *percent: of 100) into
 * parts per billion, exactly up to 9 decimals (7 for a percentage), then
 * rounded half up.  Values far above 1 saturate; the caller refuses them. */
static int share_digits(const char *s, size_t len, int percent, int64_t *out)
{
    int64_t scale = percent ? INT64_C(10000000) : INPUTS_SHARE_ONE;
    int64_t units = 0, frac = 0, weight = scale;
    size_t i = 0;
    int round_up = 0, after_point = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        if (units < 1000000)
            units = units * 10 + (s[i] - '0');
    if (i == 0)
        return -1;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        after_point = 1;
        i++;
    }
    size_t first_frac = i;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        if (weight >= 10) {
            weight /= 10;
            frac += (s[i] - '0') * weight;
        } else if (weight == 1) {
            round_up = s[i] >= '5';
            weight = 0; /* later digits are below the rounding one */
        }
    }
    if (i != len || (after_point && i == first_frac))
        return -1;
    *out = units * scale + frac + round_up;
    return 0;
}

/* "0.25", "0,25", "25 %", "25%", "1": 0 and *ppb, or -1. */
static int parse_share(const char *s, size_t len, int64_t *ppb)
{
    int neg = 0, percent = 0;
    if (len && s[len - 1] == '%') {
        percent = 1;
        len--;
        inputs_trim(&s, &len);
    }
    if (len && *s == '-') {
        neg = 1;
        s++, len--;
    }
    if (share_digits(s, len, percent, ppb) != 0)
        return -1;
    if (neg)
        *ppb = -*ppb;
    return 0;
}

/* "0.95" from 950000000 parts per billion. */
static void format_share(int64_t ppb, char buf[32])
{
    int64_t whole = ppb / INPUTS_SHARE_ONE, frac = ppb % INPUTS_SHARE_ONE;
    int n = snprintf(buf, 32, "%lld.%09lld", (long long)whole,
                     (long long)(frac < 0 ? -frac : frac));
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
}

/* ---- rows ---------------------------------------------------------- */

static void split_name(loader *L, const csvread_row *row, subregion *sr)
{
    const table *t = &L->t;
    const char *s;
    size_t len;
    if (!inputs_table_cell(t, row, S_NAME, &s, &len))
        return;
    if (len == 0) {
        inputs_cell_error(L, t, row, S_NAME, s, len, "is empty");
        return;
    }
    if (!(sr->name = inputs_strndup(L->arena, s, len))) {
        inputs_oom(L);
        return;
    }
    size_t first = L->in->n_split; /* the value stored for a new name */
    int rc = inputs_map_put(&L->arena->split_index, sr->name, len,
                            inputs_map_hash(s, len), &first);
    if (rc < 0)
        inputs_oom(L);
    else if (rc > 0)
        inputs_cell_error(L, t, row, S_NAME, s, len,
                          "is a duplicate of line %ld",
                          L->in->split[first].line);
}

static void split_reserve(loader *L, const csvread_row *row, subregion *sr)
{
    const char *s;
    size_t len;
    inputs_table_cell(&L->t, row, S_RESERVE, &s, &len);
    int yes = inputs_parse_bool(s, len);
    if (yes < 0) {
        inputs_cell_error(L, &L->t, row, S_RESERVE, s, len, "%s",
                          inputs_bool_expected);
        return;
    }
    if (yes && L->reserve_line) {
        inputs_cell_error(L, &L->t, row, S_RESERVE, s, len,
                          "marks a second reserve row (the first is line %ld)",
                          L->reserve_line);
        return;
    }
    if (yes)
        L->reserve_line = row->line;
    sr->is_reserve = yes;
}

/* has_amount and has_share say the cell is not empty, even when its value
 * is refused, so the "every row or none" check sees what was written. */
static void split_values(loader *L, const csvread_row *row, subregion *sr)
{
    const table *t = &L->t;
    const char *s, *why;
    size_t len;
    if (inputs_table_cell(t, row, S_AMOUNT, &s, &len) && len > 0) {
        sr->has_amount = 1;
        if (money_parse(s, len, &sr->amount, &why) != 0) {
            L->split_amount_bad = 1;
            inputs_cell_error(L, t, row, S_AMOUNT, s, len, "%s", why);
        } else if (sr->amount < 0) {
            L->split_amount_bad = 1;
            inputs_cell_error(L, t, row, S_AMOUNT, s, len,
                              "must not be negative");
        }
    }
    if (inputs_table_cell(t, row, S_SHARE, &s, &len) && len > 0) {
        sr->has_share = 1;
        if (parse_share(s, len, &sr->share) != 0) {
            L->split_share_bad = 1;
            inputs_cell_error(
                L, t, row, S_SHARE, s, len,
                "is not a share (expected e.g. 0.25, 0,25 or 25 %%)");
        } else if (sr->share < 0 || sr->share > INPUTS_SHARE_ONE) {
            L->split_share_bad = 1;
            inputs_cell_error(L, t, row, S_SHARE, s, len,
                              "is not between 0 and 1 (0 %% and 100 %%)");
        }
    }
}

int inputs_split_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    if (row->index == 0) {
        int rc = inputs_table_header(L, &L->t, row);
        in->split_extra_names = L->t.extra_names;
        in->split_extra_keys = L->t.extra_keys;
        in->n_split_extra = L->t.n_extra;
        return rc;
    }
    if (!inputs_table_row(L, &L->t, row))
        return 0;
    if (inputs_grow((void **)&in->split, &L->cap_split, in->n_split + 1,
                    sizeof *in->split)
        != 0)
        return inputs_oom(L);
    subregion *sr = &in->split[in->n_split];
    *sr = (subregion){.name = "", .line = row->line};
    split_name(L, row, sr);
    split_reserve(L, row, sr);
    split_values(L, row, sr);
    sr->extra = inputs_table_extras(L, &L->t, row);
    if (L->t.n_extra && !sr->extra)
        return inputs_oom(L);
    in->n_split++;
    return inputs_status(L);
}

/* ---- whole file ---------------------------------------------------- */

/* Every subregion but the reserve needs a value of the kind in use. */
static void split_need(loader *L, int i, int amounts)
{
    for (size_t k = 0; k < L->in->n_split; k++) {
        const subregion *sr = &L->in->split[k];
        if (sr->is_reserve || (amounts ? sr->has_amount : sr->has_share))
            continue;
        inputs_error(L, L->t.file, sr->line, L->t.col[i] + 1,
                     "%s: \"\" is missing (the other subregions have one; "
                     "only the reserve row may be empty)",
                     L->t.spec[i].key);
    }
}

static void split_shares_sum(loader *L)
{
    int64_t sum = 0;
    for (size_t k = 0; k < L->in->n_split; k++)
        sum += L->in->split[k].has_share ? L->in->split[k].share : 0;
    /* a tolerance of 1e-6 for shares typed with few decimals (1/3) */
    if (sum < INPUTS_SHARE_ONE - 1000 || sum > INPUTS_SHARE_ONE + 1000) {
        char buf[32];
        format_share(sum, buf);
        inputs_error(L, L->t.file, 0, 0,
                     "shares add up to %s, not 1 (0.999999 to 1.000001 is "
                     "accepted)",
                     buf);
    }
}

static void split_kind(loader *L)
{
    size_t amounts = 0, shares = 0;
    for (size_t k = 0; k < L->in->n_split; k++) {
        amounts += L->in->split[k].has_amount != 0;
        shares += L->in->split[k].has_share != 0;
    }
    if (amounts && shares) {
        inputs_error(L, L->t.file, 0, 0,
                     "both amount (column %ld) and share (column %ld) have "
                     "values; give one or the other",
                     L->t.col[S_AMOUNT] + 1, L->t.col[S_SHARE] + 1);
    } else if (amounts) {
        split_need(L, S_AMOUNT, 1);
    } else if (shares) {
        split_need(L, S_SHARE, 0);
        if (!L->split_share_bad)
            split_shares_sum(L);
    }
}

void inputs_split_finish(loader *L)
{
    table *t = &L->t;
    if (t->broken || !t->have_header)
        return;
    /* with no names, every application would be "unknown": say it once */
    L->split_names_ok = t->col[S_NAME] >= 0 && L->in->n_split > 0;
    if (t->n_rows == 0) {
        inputs_error(L, t->file, 0, 0,
                     "no subregions: expected one row per subregion");
        return;
    }
    split_kind(L);
    inputs_split_people(L);
}

/* Amounts are shares of the whole program: together they must fit in the
 * envelopes. */
void inputs_split_check_total(loader *L)
{
    const inputs *in = L->in;
    int64_t sum = 0;
    int saturated = 0;
    if (!L->years_ok || L->split_amount_bad)
        return;
    /* valid years are at most 1099 amounts of MONEY_MAX: no overflow */
    int64_t total = inputs_envelope_total(in);
    /* each amount is in [0, MONEY_MAX]; a hostile file could have enough
     * rows to overflow, so the sum saturates */
    for (size_t k = 0; k < in->n_split; k++) {
        int64_t a = in->split[k].has_amount ? in->split[k].amount : 0;
        if (sum > INT64_MAX - a)
            saturated = 1;
        else
            sum += a;
    }
    if (saturated || sum > total) {
        char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
        inputs_error(L, "split.csv", 0, 0,
                     "amounts add up to %s%s, more than the %s of "
                     "envelopes.csv",
                     saturated ? "over " : "", money_format(sum, a),
                     money_format(total, b));
    }
}
