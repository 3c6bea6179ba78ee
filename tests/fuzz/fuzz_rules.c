/* fuzz_rules: the rule bridge and the allocation chain on applications
 * derived from the fuzz bytes.
 *
 * The bytes drive a generator of valid input folders: which rule file
 * (rules/monteregie.lua, rules/lanaudiere.lua, or tests/fuzz/rules/
 * options.lua for partial grants, carry, caps, rank, tiebreak and a
 * schedule function), the fiscal years and their envelopes, the split
 * (amounts or shares, or population figures for Lanaudière's split()),
 * then up to 63 applications with every column the rules read (sub-region,
 * MRC, organisation type, priority, amounts, dates, durations, people
 * reached, partners, yes/no columns, sometimes empty or out of range),
 * committee grades and overrides. Each rule file is opened once
 * (rules_open) and evaluated on every input.
 *
 * Properties: the generated folder loads (inputs_load returns 0: the
 * generator writes only what the contract accepts); rules_evaluate
 * returns 0 (a shipped rule file must not fail on valid inputs); the
 * split, plan, ranking, allocation (a data error only for an override
 * that does not fit), schedule and sched_verify all return 0; no step
 * ever reports an internal error; decisions agree with eligibility and
 * the threshold; the CSV outputs are written. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "allocate.h"
#include "diag.h"
#include "fuzz_util.h"
#include "inputs.h"
#include "output.h"
#include "plan.h"
#include "rank.h"
#include "rules.h"
#include "schedule.h"
#include "split.h"

/* ---- reading the bytes --------------------------------------------- */

typedef struct bytes {
    const uint8_t *p;
    size_t n;
} bytes;

static unsigned u8(bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static uint32_t u32(bytes *b)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | u8(b);
    return v;
}

/* 0..n-1 */
static unsigned pick(bytes *b, unsigned n)
{
    return u8(b) % n;
}

/* ---- a growing text buffer ------------------------------------------ */

typedef struct text {
    char buf[1 << 16];
    size_t len;
} text;

static void put(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    FUZZ_CHECK(n >= 0 && (size_t)n < sizeof t->buf - t->len, "text full");
    t->len += (size_t)n;
}

/* cents as "1234.56" */
static void put_money(text *t, int64_t cents)
{
    put(t, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

/* s as one CSV field, quoted, its quotes doubled */
static void put_field(text *t, const char *s)
{
    put(t, "\"");
    for (; *s; s++) {
        if (*s == '"')
            put(t, "\"");
        put(t, "%c", *s);
    }
    put(t, "\"");
}

/* ---- the regions ------------------------------------------------------ */

enum { R_MONTEREGIE, R_LANAUDIERE, R_OPTIONS, N_RULES };

static const char *const rule_paths[N_RULES] = {
    "rules/monteregie.lua", "rules/lanaudiere.lua",
    "tests/fuzz/rules/options.lua"};

static const char *const mon_subs[] = {
    "Ouest de la Montérégie", "Est de la Montérégie",
    "Agglomération de Longueuil"};
static const char *const lan_subs[] = {
    "D'Autray", "Joliette", "Matawinie", "Montcalm", "Les Moulins",
    "L'Assomption"};

/* MRC or cities: of both regions, and strangers. */
static const char *const mrcs[] = {
    "Vaudreuil-Soulanges", "Roussillon", "Acton", "Rouville", "Longueuil",
    "Brossard", "Boucherville", "D'Autray", "Joliette", "Matawinie",
    "Les Moulins", "L'Assomption", "Montcalm", "Gaspé", ""};
static const char *const org_types[] = {
    "obnl", "cooperative", "municipalite", "mrc", "conseil_bande",
    "centre_recherche", "entreprise", "OBNL", ""};
static const char *const priorities[] = {
    "securite_alimentaire", "logement_social", "reussite_educative",
    "transport_collectif", "insertion_emploi", "participation_sociale",
    "autre", ""};
static const char *const organisations[] = {
    "Centre d'entraide", "=HYPERLINK(\"http://x\",\"y\")", "Ville de Joliette",
    "Coop \"Le Pont\"", "Maison de la famille", "@SUM(A1)",
    "Table de concertation", "Carrefour jeunesse-emploi"};
static const char *const yes_no[] = {"oui", "non", "", "Vrai", "true", "0"};
#define N_OF(a) (sizeof a / sizeof *a)

static rules *rule_files[N_RULES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char path[1024], lib[1024];
    snprintf(lib, sizeof lib, "%s/rules/lib", fuzz_top());
    for (int i = 0; i < N_RULES; i++) {
        diag d;
        diag_init(&d);
        snprintf(path, sizeof path, "%s/%s", fuzz_top(), rule_paths[i]);
        int rc = rules_open(&rule_files[i], path, lib, NULL, &d);
        FUZZ_CHECK(rc == 0, "rules_open %s: %s", path, diag_text(&d));
        diag_free(&d);
    }
    return 0;
}

/* ---- the generator ---------------------------------------------------- */

typedef struct gen {
    int region;
    int first_year, n_years;
    int64_t total;           /* envelope, cents */
    const char *const *subs;
    size_t n_subs;
    int has_overrides;
} gen;

static text file;

static void gen_envelopes(bytes *b, gen *g)
{
    file.len = 0;
    g->n_years = 1 + (int)pick(b, 6);
    g->first_year = 2021 + (int)pick(b, 6);
    g->total = 0;
    put(&file, "fiscal_year,amount\n");
    /* in any order: the loader sorts them */
    int rot = (int)pick(b, (unsigned)g->n_years);
    for (int k = 0; k < g->n_years; k++) {
        int y = g->first_year + (k + rot) % g->n_years;
        int64_t amount = (int64_t)(u32(b) % 400000000u); /* < 4 M$ */
        if (pick(b, 8) == 0)
            amount = 0;
        g->total += amount;
        put(&file, "%d-%d,", y, y + 1);
        put_money(&file, amount);
        put(&file, "\n");
    }
    fuzz_put_file("envelopes.csv", file.buf, file.len);
}

static void gen_split(bytes *b, gen *g)
{
    file.len = 0;
    int reserve = pick(b, 3) != 0;
    if (g->region == R_LANAUDIERE) {
        g->subs = lan_subs;
        g->n_subs = N_OF(lan_subs);
        put(&file, "subregion,population,low_income,reserve\n");
        for (size_t s = 0; s < g->n_subs; s++) {
            /* the low-income population is part of the population */
            unsigned pop = u32(b) % 200000u;
            unsigned low = u32(b) % (pop < 20000u ? pop + 1 : 20000u);
            put(&file, "%s,%u,%u,non\n", g->subs[s], pop, low);
        }
        if (reserve)
            put(&file, "Réserve régionale,,,oui\n");
    } else {
        g->subs = mon_subs;
        g->n_subs = N_OF(mon_subs);
        unsigned w[N_OF(mon_subs)], sum = 0;
        for (size_t s = 0; s < g->n_subs; s++)
            sum += w[s] = u8(b);
        if (pick(b, 2) == 0 || sum == 0) {
            /* amounts: together at most the envelope */
            unsigned spare = reserve ? u8(b) : 0;
            put(&file, "subregion,amount,reserve\n");
            for (size_t s = 0; s < g->n_subs; s++) {
                put(&file, "\"%s\",", g->subs[s]);
                put_money(&file, sum + spare
                                     ? (int64_t)((__int128)g->total * w[s] /
                                                 (sum + spare))
                                     : 0);
                put(&file, ",non\n");
            }
            if (reserve)
                put(&file, "Réserve régionale,,oui\n");
        } else {
            /* shares in billionths, summing to exactly one */
            put(&file, "subregion,share,reserve\n");
            int64_t left = INPUTS_SHARE_ONE;
            unsigned all = sum + (reserve ? u8(b) : 0);
            for (size_t s = 0; s < g->n_subs; s++) {
                int64_t share = INPUTS_SHARE_ONE * w[s] / all;
                if (s + 1 == g->n_subs && !reserve)
                    share = left;
                left -= share;
                put(&file, "%s,%lld.%09lld,non\n", g->subs[s],
                    (long long)(share / INPUTS_SHARE_ONE),
                    (long long)(share % INPUTS_SHARE_ONE));
            }
            if (reserve)
                put(&file, "Réserve régionale,%lld.%09lld,oui\n",
                    (long long)(left / INPUTS_SHARE_ONE),
                    (long long)(left % INPUTS_SHARE_ONE));
        }
    }
    fuzz_put_file("split.csv", file.buf, file.len);
}

static void put_date(text *t, bytes *b, const gen *g)
{
    int y = g->first_year - 1 + (int)pick(b, (unsigned)g->n_years + 2);
    int m = 1 + (int)pick(b, 12), d = 1 + (int)pick(b, 28);
    if (pick(b, 16) == 0)
        d = m == 2 ? 29 - (y % 4 != 0) : 30 + (m != 4 && m != 6 && m != 9 &&
                                               m != 11);
    put(t, "%04d-%02d-%02d", y, m, d);
}

/* Applications, then their grades and overrides. Returns how many. */
static size_t gen_apps(bytes *b, gen *g, int64_t *requested)
{
    static text grades, overrides;
    file.len = grades.len = overrides.len = 0;
    size_t n = pick(b, 64);
    put(&file, "id,organisation,title,subregion,mrc,org_type,priorite,"
               "requested,total_cost,autres_financements,start,months,"
               "personnes_rejointes,partenaires,participation,innovation,"
               "activite_recurrente\n");
    put(&grades, "application,evaluator,criterion,points\n");
    put(&overrides, "application,decision,amount,justification,from_reserve\n");
    const rules_config *cfg = rules_config_get(rule_files[g->region]);
    size_t n_overrides = 0;
    for (size_t a = 0; a < n; a++) {
        unsigned flags = u8(b);
        int64_t req = 1 + (int64_t)(u32(b) % (flags & 1 ? 50000000u : 500000000u));
        int64_t cost = req + (int64_t)(u32(b) % (uint32_t)(req < 400000000 ? 2 * req + 1 : req));
        requested[a] = req;
        put(&file, "F-%03zu,", a);
        put_field(&file, organisations[pick(b, N_OF(organisations))]);
        put(&file, ",Projet %zu,", a);
        put_field(&file, g->subs[pick(b, (unsigned)g->n_subs)]);
        put(&file, ",");
        put_field(&file, mrcs[pick(b, N_OF(mrcs))]);
        put(&file, ",%s,%s,", org_types[pick(b, N_OF(org_types))],
            priorities[pick(b, N_OF(priorities))]);
        put_money(&file, req);
        put(&file, ",");
        put_money(&file, cost);
        put(&file, ",");
        if (flags & 2)
            put_money(&file, (int64_t)(u32(b) % 100000000u));
        put(&file, ",");
        if (!(flags & 4))
            put_date(&file, b, g);
        put(&file, ",");
        if (!(flags & 8))
            put(&file, "%u", 1 + pick(b, 60));
        put(&file, ",");
        if (!(flags & 16))
            put(&file, "%u", u8(b) * 3);
        put(&file, ",");
        if (!(flags & 32))
            put(&file, "%u", pick(b, 13));
        put(&file, ",%s,%s,%s\n", yes_no[pick(b, N_OF(yes_no))],
            yes_no[pick(b, N_OF(yes_no))],
            pick(b, 4) ? "non" : yes_no[pick(b, N_OF(yes_no))]);
        /* grades: 0 to 3 evaluators on one criterion */
        if (flags & 64 && cfg->n_criteria) {
            const rules_criterion *c = &cfg->criteria[pick(b, (unsigned)cfg->n_criteria)];
            unsigned k = pick(b, 4);
            for (unsigned e = 0; e < k; e++)
                put(&grades, "F-%03zu,Membre %u,%s,%u.%s\n", a, e, c->id,
                    pick(b, (unsigned)(c->max / 100) + 3), pick(b, 2) ? "5" : "25");
        }
        /* overrides: a few, funding (from the reserve or not) or refusing */
        if (flags & 128 && pick(b, 4) == 0 && n_overrides < 4) {
            n_overrides++;
            unsigned kind = pick(b, 4);
            if (kind == 0) {
                put(&overrides, "F-%03zu,refuser,,Refus du comité,\n", a);
            } else {
                put(&overrides, "F-%03zu,financer,", a);
                if (kind == 1)
                    put_money(&overrides, 1 + (int64_t)(u32(b) % (uint64_t)req));
                put(&overrides, ",Choix du comité,%s\n", kind == 3 ? "oui" : "non");
            }
        }
    }
    fuzz_put_file("applications.csv", file.buf, file.len);
    fuzz_put_file("evaluations.csv", grades.buf, grades.len);
    fuzz_put_file("overrides.csv", n_overrides ? overrides.buf : NULL,
                  overrides.len);
    g->has_overrides = n_overrides > 0;
    return n;
}

/* ---- the chain -------------------------------------------------------- */

#define STEP_OK(rc, d, what)                                               \
    FUZZ_CHECK((rc) == 0, "%s: status %d\n%s", what, rc, diag_text(d))

static void check_decisions(const inputs *in, const rules_config *cfg,
                            const rules_results *res, const plan_set *plan,
                            const alloc_result *al)
{
    for (size_t a = 0; a < in->n_apps; a++) {
        const decision *dc = &al->decisions[a];
        FUZZ_CHECK(dc->status < DECISION_N_STATUSES, "status");
        FUZZ_CHECK(dc->granted >= 0 && dc->granted <= in->apps[a].requested,
                   "%s granted %lld", in->apps[a].id, (long long)dc->granted);
        if (dc->status == DECISION_OVERRIDDEN)
            continue;
        const char *id = in->apps[a].id, *st = alloc_status_name(dc->status);
        int candidate = res->eligible[a] && plan->inside[a];
        if (!res->eligible[a] || dc->status == DECISION_INELIGIBLE)
            FUZZ_CHECK(dc->status == DECISION_INELIGIBLE && !candidate,
                       "%s: eligible %d, plan inside %d, yet %s", id,
                       res->eligible[a], plan->inside[a], st);
        if (dc->status == DECISION_BELOW_THRESHOLD)
            FUZZ_CHECK(res->eligible[a] && res->score[a] < cfg->threshold,
                       "%s: below threshold with %lld", id,
                       (long long)res->score[a]);
        if (candidate)
            FUZZ_CHECK((dc->status == DECISION_BELOW_THRESHOLD) ==
                           (res->score[a] < cfg->threshold),
                       "%s: score %lld, threshold %lld, %s", id,
                       (long long)res->score[a], (long long)cfg->threshold, st);
        FUZZ_CHECK((dc->granted > 0) == (dc->status == DECISION_FUNDED ||
                                         dc->status == DECISION_PARTIAL),
                   "%s: %s with %lld", in->apps[a].id,
                   alloc_status_name(dc->status), (long long)dc->granted);
        for (size_t c = 0; c < cfg->n_criteria; c++) {
            int32_t p = res->points[a * cfg->n_criteria + c];
            FUZZ_CHECK(p >= 0 && p <= cfg->criteria[c].max, "points %d", p);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes b = {data, size};
    gen g;
    memset(&g, 0, sizeof g);
    g.region = (int)pick(&b, N_RULES);
    static int64_t requested[64];
    gen_envelopes(&b, &g);
    gen_split(&b, &g);
    gen_apps(&b, &g, requested);

    diag d;
    diag_init(&d);
    inputs in;
    int rc = inputs_load(&in, fuzz_dir(), &d);
    STEP_OK(rc, &d, "inputs_load of a generated folder");

    rules *r = rule_files[g.region];
    const rules_config *cfg = rules_config_get(r);
    /* zeroed: each is freed whatever step stopped the chain */
    rules_results res = {0};
    split_grid env = {0};
    plan_set plan = {0};
    rank_order order = {0};
    alloc_result al = {0};
    sched_list sched = {0};
    int64_t weights[16];

    rc = rules_evaluate(r, &in, &res, &d);
    STEP_OK(rc, &d, "rules_evaluate");
    if (cfg->has_split) {
        FUZZ_CHECK(in.n_split < 16, "too many sub-regions");
        rc = rules_split(r, &in, weights, &d);
        /* Lanaudière's split() fails, as it should, when every figure is
         * zero (0/0): a data error naming the rule file */
        FUZZ_CHECK(rc == 0 || rc == DIAG_DATA, "rules_split: %d\n%s", rc,
                   diag_text(&d));
    }
    if (rc == 0) {
        rc = split_compute(&in, cfg->has_split ? weights : NULL, &env, &d);
        /* refused: an envelope of zero, or weights of 0/0 */
        FUZZ_CHECK(rc == 0 || (rc == DIAG_DATA && (cfg->has_split ||
                                                   g.total == 0)),
                   "split_compute: %d\n%s", rc, diag_text(&d));
    }
    if (rc == 0) {
        STEP_OK(plan_build(&in, cfg, &res, &plan, &d), &d, "plan_build");
        STEP_OK(rank_build(&in, cfg, &res, &plan, &order, &d), &d,
                "rank_build");
        rc = alloc_run_with(&in, cfg, &res, &plan, &order, &env, NULL, &al,
                            &d);
        FUZZ_CHECK(rc == 0 || (rc == DIAG_DATA && g.has_overrides),
                   "alloc_run: %d\n%s", rc, diag_text(&d));
    }
    if (rc == 0) {
        STEP_OK(sched_build(&in, &plan, &al, &sched, &d), &d, "sched_build");
        STEP_OK(sched_verify(&in, cfg, &env, &al, &sched, &d), &d,
                "sched_verify");
        check_decisions(&in, cfg, &res, &plan, &al);
        output_data o = {&in, cfg, &res, &plan, &env, &al, &sched, NULL};
        STEP_OK(output_write(fuzz_dir(), &o, &d), &d, "output_write");
    }
    FUZZ_CHECK(d.status != DIAG_INTERNAL, "internal error:\n%s",
               diag_text(&d));
    fuzz_check_messages(diag_text(&d));

    sched_free(&sched);
    alloc_free(&al);
    rank_free(&order);
    plan_free(&plan);
    split_free(&env);
    rules_results_free(&res);
    inputs_free(&in);
    diag_free(&d);
    return 0;
}
