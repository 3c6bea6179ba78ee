/* fuzz_inputs: the input contract (inputs_load) on arbitrary files.
 *
 * The bytes are cut on the line "##" (FUZZ_SEP) into split.csv,
 * envelopes.csv, applications.csv, evaluations.csv and overrides.csv, in
 * that order; a file with no part is not written (a missing required file
 * is refused, a missing optional one is simply absent). They are written
 * into a scratch folder and loaded.
 *
 * Properties: inputs_load returns 0 or DIAG_DATA, with messages exactly
 * when it fails, each message one line of valid text, and an empty inputs
 * on failure. What it accepts keeps the contract of include/inputs.h and
 * README "Inputs": consecutive fiscal years with amounts in [0, MONEY_MAX],
 * unique sub-region names with at most one reserve, amounts or shares not
 * mixed, split amounts within the envelope, shares summing to 1 within a
 * millionth; unique non-empty ids, a non-reserve sub-region per
 * application, 0 < requested <= total_cost <= MONEY_MAX, months 0..1200,
 * start dates 1900..2999; evaluations and overrides naming loaded
 * applications, at most one override per application, a forced amount
 * within the request, a justification; every string valid UTF-8.
 *
 * What loads then goes through rules/monteregie.lua (typed extra columns:
 * text, one-of, integer, boolean, money), whose evaluation returns 0 or
 * DIAG_DATA, with messages of one line each. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "fuzz_util.h"
#include "inputs.h"
#include "money.h"
#include "rules.h"

#define FUZZ_SEP "\n##\n"
#define N_FILES 5

static const char *const files[N_FILES] = {
    "split.csv", "envelopes.csv", "applications.csv", "evaluations.csv",
    "overrides.csv"};

static void text_ok(const char *s, const char *what)
{
    FUZZ_CHECK(s != NULL, "%s is NULL", what);
    FUZZ_CHECK(fuzz_utf8_ok(s, strlen(s)), "%s is not UTF-8", what);
}

static void check_inputs(const inputs *in)
{
    FUZZ_CHECK(in->n_years >= 1, "no fiscal year");
    int64_t total = 0;
    for (size_t y = 0; y < in->n_years; y++) {
        const envelope_year *e = &in->years[y];
        FUZZ_CHECK(e->amount >= 0 && e->amount <= MONEY_MAX, "envelope %lld",
                   (long long)e->amount);
        FUZZ_CHECK(e->fiscal_year >= 1900 && e->fiscal_year <= 2998,
                   "fiscal year %d", e->fiscal_year);
        FUZZ_CHECK(y == 0 || e->fiscal_year == in->years[y - 1].fiscal_year + 1,
                   "years %d then %d", in->years[y - 1].fiscal_year,
                   e->fiscal_year);
        total += e->amount;
    }
    FUZZ_CHECK(inputs_envelope_total(in) == total, "envelope total");

    FUZZ_CHECK(in->n_split >= 1, "no sub-region");
    size_t reserves = 0, amounts = 0, shares = 0, plain = 0;
    int64_t sum_amount = 0, sum_share = 0;
    for (size_t s = 0; s < in->n_split; s++) {
        const subregion *r = &in->split[s];
        text_ok(r->name, "sub-region name");
        FUZZ_CHECK(r->name[0] != '\0', "empty sub-region name");
        FUZZ_CHECK(inputs_find_subregion(in, r->name) == (long)s,
                   "sub-region %zu not found by name (duplicate?)", s);
        for (size_t k = 0; k < s; k++)
            FUZZ_CHECK(strcmp(in->split[k].name, r->name) != 0,
                       "duplicate sub-region");
        for (size_t e = 0; e < in->n_split_extra; e++)
            text_ok(r->extra[e], "split extra cell");
        reserves += r->is_reserve != 0;
        FUZZ_CHECK(!(r->has_amount && r->has_share), "amount and share");
        if (r->has_amount) {
            FUZZ_CHECK(r->amount >= 0 && r->amount <= MONEY_MAX, "amount");
            sum_amount += r->amount;
            amounts++;
        } else if (r->has_share) {
            FUZZ_CHECK(r->share >= 0 && r->share <= INPUTS_SHARE_ONE,
                       "share %lld", (long long)r->share);
            sum_share += r->share;
            shares++;
        } else if (!r->is_reserve) {
            plain++;
        }
    }
    FUZZ_CHECK(reserves <= 1, "%zu reserves", reserves);
    FUZZ_CHECK(!(amounts && shares), "amounts and shares mixed");
    FUZZ_CHECK(!((amounts || shares) && plain), "a sub-region without value");
    FUZZ_CHECK(sum_amount <= total, "split amounts %lld over the envelope "
               "%lld", (long long)sum_amount, (long long)total);
    if (shares)
        FUZZ_CHECK(sum_share >= INPUTS_SHARE_ONE - 1000 &&
                       sum_share <= INPUTS_SHARE_ONE + 1000,
                   "shares sum to %lld ppb", (long long)sum_share);
    for (size_t e = 0; e < in->n_split_extra; e++) {
        text_ok(in->split_extra_names[e], "split extra name");
        text_ok(in->split_extra_keys[e], "split extra key");
    }

    for (size_t e = 0; e < in->n_extra; e++) {
        text_ok(in->extra_names[e], "extra name");
        text_ok(in->extra_keys[e], "extra key");
        FUZZ_CHECK(in->extra_columns[e] >= 1, "extra column number");
    }
    for (size_t a = 0; a < in->n_apps; a++) {
        const application *p = &in->apps[a];
        text_ok(p->id, "id");
        text_ok(p->organisation, "organisation");
        text_ok(p->subregion_name, "subregion");
        text_ok(p->title, "title");
        text_ok(p->org_type, "org_type");
        FUZZ_CHECK(p->id[0] && p->organisation[0], "empty id or organisation");
        for (size_t k = 0; k < a && k < 64; k++)
            FUZZ_CHECK(strcmp(in->apps[k].id, p->id) != 0, "duplicate id %s",
                       p->id);
        FUZZ_CHECK(p->subregion < in->n_split &&
                       !in->split[p->subregion].is_reserve,
                   "application %s in sub-region %zu", p->id, p->subregion);
        FUZZ_CHECK(p->requested > 0 && p->requested <= p->total_cost &&
                       p->total_cost <= MONEY_MAX,
                   "%s: requested %lld, total cost %lld", p->id,
                   (long long)p->requested, (long long)p->total_cost);
        FUZZ_CHECK(p->months >= 0 && p->months <= 1200, "months %d",
                   p->months);
        if (p->has_start) {
            int y, m, d;
            cal_to_ymd(p->start, &y, &m, &d);
            FUZZ_CHECK(y >= 1900 && y <= 2999, "start year %d", y);
        }
        for (size_t e = 0; e < in->n_extra; e++)
            text_ok(p->extra[e], "extra cell");
    }
    for (size_t i = 0; i < in->n_evals; i++) {
        const evaluation *v = &in->evals[i];
        FUZZ_CHECK(v->app < in->n_apps && v->points >= 0, "evaluation %zu",
                   i);
        text_ok(v->evaluator, "evaluator");
        text_ok(v->criterion, "criterion");
    }
    for (size_t i = 0; i < in->n_overrides; i++) {
        const override_row *o = &in->overrides[i];
        FUZZ_CHECK(o->app < in->n_apps, "override of app %zu", o->app);
        for (size_t k = 0; k < i; k++)
            FUZZ_CHECK(in->overrides[k].app != o->app, "two overrides");
        text_ok(o->justification, "justification");
        FUZZ_CHECK(o->justification[0] != '\0', "empty justification");
        if (o->kind == INPUTS_OVERRIDE_FUND)
            FUZZ_CHECK(o->amount > 0 &&
                           o->amount <= in->apps[o->app].requested,
                       "forced amount %lld", (long long)o->amount);
        else
            FUZZ_CHECK(o->amount == 0 && !o->from_reserve, "refusal");
    }
}

static rules *typed_rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char path[1024], lib[1024];
    diag d;
    diag_init(&d);
    snprintf(path, sizeof path, "%s/rules/monteregie.lua", fuzz_top());
    snprintf(lib, sizeof lib, "%s/rules/lib", fuzz_top());
    FUZZ_CHECK(rules_open(&typed_rules, path, lib, NULL, &d) == 0,
               "rules_open %s: %s", path, diag_text(&d));
    diag_free(&d);
    return 0;
}

/* The rule file on loaded inputs: typed cells refused with one-line
 * messages, never another status. */
static void evaluate(const inputs *in)
{
    diag d;
    diag_init(&d);
    rules_results res;
    int rc = rules_evaluate(typed_rules, in, &res, &d);
    FUZZ_CHECK(rc == 0 || rc == DIAG_DATA, "rules_evaluate: %d\n%s", rc,
               diag_text(&d));
    FUZZ_CHECK((rc == 0) == (d.count == 0), "status %d with %zu messages",
               rc, d.count);
    fuzz_check_messages(diag_text(&d));
    if (rc == 0)
        rules_results_free(&res);
    diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *end = s + size;
    size_t sep = strlen(FUZZ_SEP);
    for (int f = 0; f < N_FILES; f++) {
        if (!s) {
            fuzz_put_file(files[f], NULL, 0);
            continue;
        }
        const char *cut = NULL;
        for (const char *p = s; p + sep <= end; p++)
            if (*p == '\n' && memcmp(p, FUZZ_SEP, sep) == 0) {
                cut = p;
                break;
            }
        fuzz_put_file(files[f], s, (size_t)((cut ? cut : end) - s));
        s = cut ? cut + sep : NULL;
    }
    inputs in;
    diag d;
    diag_init(&d);
    int rc = inputs_load(&in, fuzz_dir(), &d);
    FUZZ_CHECK(rc == 0 || rc == DIAG_DATA, "status %d:\n%s", rc,
               diag_text(&d));
    FUZZ_CHECK((rc == 0) == (d.count == 0), "status %d with %zu messages",
               rc, d.count);
    fuzz_check_messages(diag_text(&d));
    if (rc == 0) {
        check_inputs(&in);
        evaluate(&in);
    } else
        FUZZ_CHECK(in.n_apps == 0 && in.apps == NULL && in.arena == NULL,
                   "inputs left after a failure");
    inputs_free(&in);
    diag_free(&d);
    return 0;
}
