/* inputs_overrides: overrides.csv (optional), the committee's forced
 * decisions (see include/inputs.h).  A forced decision must say why, and
 * can only fund what was asked for: the amount is checked against the
 * application's request here, before any rule runs. */
#include <string.h>

#include "inputs_internal.h"
#include "money.h"

enum { O_APP, O_DECISION, O_AMOUNT, O_JUSTIFICATION, O_RESERVE, O_N };

static const char *const o_app[] = {"id", "demande", "no_demande",
                                    "numero_demande", "numero_de_demande",
                                    NULL};
static const char *const o_none[] = {NULL};
static const char *const o_amount[] = {"montant", NULL};
static const char *const o_reserve[] = {"reserve", "puiser_reserve",
                                        "puiser_dans_la_reserve", NULL};

const colspec inputs_overrides_spec[] = {
    [O_APP] = {"application", o_app, 1},
    [O_DECISION] = {"decision", o_none, 1},
    [O_AMOUNT] = {"amount", o_amount, 0},
    [O_JUSTIFICATION] = {"justification", o_none, 1},
    [O_RESERVE] = {"from_reserve", o_reserve, 0},
};
const size_t inputs_overrides_n_spec = O_N;

/* Decision words, case and accents folded ("Refusé" is "refuse"): 1 fund,
 * 0 refuse, -1 neither. */
static int parse_decision(const char *s, size_t len)
{
    static const char *const fund[] = {"fund",     "funded",   "financer",
                                       "finance",  "accorder", "accorde",
                                       NULL};
    static const char *const refuse[] = {"refuse", "refused", "refuser",
                                         NULL};
    return inputs_match_word(s, len, fund, refuse);
}

/* The amount of a fund decision: the request when the cell is empty,
 * else 0 < amount <= requested.  app is NULL when it is unknown. */
static void fund_amount(loader *L, const csvread_row *row, override_row *o,
                        const application *app)
{
    const char *s, *why;
    size_t len;
    char buf[MONEY_BUFSZ];
    if (!inputs_table_cell(&L->t, row, O_AMOUNT, &s, &len) || len == 0) {
        o->amount = app ? app->requested : 0;
        return;
    }
    o->has_amount = 1;
    if (money_parse(s, len, &o->amount, &why) != 0)
        inputs_cell_error(L, &L->t, row, O_AMOUNT, s, len, "%s", why);
    else if (o->amount <= 0)
        inputs_cell_error(L, &L->t, row, O_AMOUNT, s, len,
                          "must be more than 0 (leave it empty to fund the "
                          "amount requested)");
    else if (app && app->requested > 0 && o->amount > app->requested)
        inputs_cell_error(L, &L->t, row, O_AMOUNT, s, len,
                          "is more than the amount requested (%s)",
                          money_format(app->requested, buf));
}

/* A refusal has no amount and takes nothing from the reserve. */
static void refusal(loader *L, const csvread_row *row, override_row *o)
{
    const char *s;
    size_t len;
    if (inputs_table_cell(&L->t, row, O_AMOUNT, &s, &len) && len > 0)
        inputs_cell_error(L, &L->t, row, O_AMOUNT, s, len,
                          "must be empty when the decision is to refuse");
    if (o->from_reserve) {
        inputs_table_cell(&L->t, row, O_RESERVE, &s, &len);
        inputs_cell_error(L, &L->t, row, O_RESERVE, s, len,
                          "applies only when the decision is to fund");
    }
}

static void decision(loader *L, const csvread_row *row, override_row *o,
                     const application *app)
{
    const char *s;
    size_t len;
    int kind;
    if (!inputs_table_cell(&L->t, row, O_DECISION, &s, &len))
        return;
    if ((kind = parse_decision(s, len)) < 0) {
        inputs_cell_error(L, &L->t, row, O_DECISION, s, len,
                          "is not a decision (expected fund or refuse; "
                          "financer, accorder, refuser...)");
        return;
    }
    o->kind = kind ? INPUTS_OVERRIDE_FUND : INPUTS_OVERRIDE_REFUSE;
    if (kind)
        fund_amount(L, row, o, app);
    else
        refusal(L, row, o);
}

/* One override per application: two would contradict each other. */
static void check_unique(loader *L, const csvread_row *row, size_t app)
{
    const char *id = L->in->apps[app].id;
    size_t len = strlen(id), first = (size_t)row->line;
    int rc = inputs_map_put(&L->overridden, id, len, inputs_map_hash(id, len),
                            &first);
    if (rc < 0)
        inputs_oom(L);
    else if (rc > 0)
        inputs_cell_error(L, &L->t, row, O_APP, id, len,
                          "already has an override on line %zu (one per "
                          "application)",
                          first);
}

static void justification(loader *L, const csvread_row *row, override_row *o)
{
    const char *s;
    size_t len;
    if (!inputs_table_cell(&L->t, row, O_JUSTIFICATION, &s, &len))
        return;
    if (len == 0)
        inputs_cell_error(L, &L->t, row, O_JUSTIFICATION, s, len,
                          "is empty: every override must say why");
    else if (!(o->justification = inputs_strndup(L->arena, s, len)))
        inputs_oom(L);
}

int inputs_overrides_row(void *ctx, const csvread_row *row)
{
    loader *L = ctx;
    inputs *in = L->in;
    if (row->index == 0)
        return inputs_table_header(L, &L->t, row);
    override_row *o = inputs_table_item(L, row, (void **)&in->overrides,
                                        &in->n_overrides, &L->cap_overrides,
                                        sizeof *o);
    if (!o)
        return inputs_status(L);
    *o = (override_row){.justification = "", .line = row->line};
    int known = inputs_app_ref(L, row, O_APP, &o->app) == 0;
    if (known)
        check_unique(L, row, o->app);
    const char *s;
    size_t len;
    inputs_table_cell(&L->t, row, O_RESERVE, &s, &len);
    int reserve = inputs_parse_bool(s, len);
    o->from_reserve = reserve > 0;
    decision(L, row, o, known ? &in->apps[o->app] : NULL);
    justification(L, row, o);
    if (reserve < 0) /* reported last, in column order */
        inputs_cell_error(L, &L->t, row, O_RESERVE, s, len, "%s",
                          inputs_bool_expected);
    return inputs_status(L);
}
