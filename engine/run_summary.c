/* run_summary: what a successful run prints on opt->log. */
#include <stdio.h>
#include <string.h>

#include "money.h"
#include "run_internal.h"

/* Characters, not bytes, so accented names line up in the summary. */
static int utf8_width(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n > 36 ? 36 : n;
}

/* The equity lines: per row of each level, money against people, then
 * the level's spread. */
static void run_print_equity(FILE *f, const equity_result *e)
{
    for (size_t i = 0; i < e->n_levels; i++) {
        const equity_level *l = &e->level[i];
        char a[64], b[32], c[32], m[MONEY_BUFSZ], p[MONEY_BUFSZ];
        fprintf(f, "  %-36s %18s %14s %9s %9s %6s\n",
                l->kind == EQUITY_SUBREGION ? "equity by sub-region"
                                            : "equity by territory",
                "granted+committed", "$/low-income", "money", "low-inc.",
                "ratio");
        for (size_t k = 0; k < l->n; k++) {
            const equity_row *r = &l->rows[k];
            fprintf(f, "  %s%*s %18s %14s %8s%% %8s%% %6s\n", r->name,
                    (int)(36 - utf8_width(r->name)), "",
                    money_format_fr(r->granted + r->committed, m),
                    r->per_low_income < 0 ? ""
                        : money_format_fr(r->per_low_income, p),
                    equity_format(r->money_share, 2, a),
                    equity_format(r->low_income_share, 2, b),
                    equity_format(r->ratio, 2, c));
        }
        if (l->max_min < 0 && l->unfunded)
            snprintf(a, sizeof a, "infinite (%zu got nothing)", l->unfunded);
        else if (!*equity_format(l->max_min, 2, a))
            strcpy(a, "-");
        fprintf(f, "  spread: max/min %s, Gini %s (dollars per low-income "
                   "person)\n", a, *equity_format(l->gini, 2, b) ? b : "-");
    }
}

void run_print_summary(const run_state *st, const run_options *opt)
{
    FILE *f = opt->log;
    const rules_config *cfg = rules_config_get(st->rules);
    size_t count[DECISION_N_STATUSES] = {0}, eligible = 0;
    for (size_t a = 0; a < st->in.n_apps; a++) {
        count[st->alloc.decisions[a].status]++;
        eligible += st->res.eligible[a];
    }
    fprintf(f, "%s\n", cfg->program[0] ? cfg->program : opt->rules_path);
    fprintf(f, "  applications: %zu read, %zu eligible, %zu ranked (at or above "
               "the threshold)\n", st->in.n_apps, eligible, st->order.n);
    fprintf(f, "  decisions: %zu funded, %zu partially funded, %zu waitlisted, "
               "%zu below threshold, %zu ineligible\n",
            count[DECISION_FUNDED], count[DECISION_PARTIAL],
            count[DECISION_WAITLISTED], count[DECISION_BELOW_THRESHOLD],
            count[DECISION_INELIGIBLE]);
    /* a later call: what earlier calls committed, in its own column */
    int calls = commit_print_head(f, &st->calls);
    fprintf(f, "  %-36s %18s%*s %18s %18s\n", "sub-region", "envelope",
            calls ? 19 : 0, calls ? "committed earlier" : "",
            calls ? "granted now" : "granted", "unspent");
    const split_grid *g = &st->env;
    for (size_t s = 0; s < g->n_sub; s++) {
        int64_t env = 0, granted = 0, before = 0;
        for (size_t y = 0; y < g->n_years; y++) {
            env += g->cell[s * g->n_years + y];
            granted += st->alloc.granted[s * g->n_years + y];
            before += alloc_committed(&st->alloc, s * g->n_years + y);
        }
        char e[MONEY_BUFSZ], gr[MONEY_BUFSZ], u[MONEY_BUFSZ], c[MONEY_BUFSZ];
        /* width counts bytes: pad names by hand for accented letters */
        fprintf(f, "  %s%*s %18s%*s %18s %18s\n", g->name[s],
                (int)(36 - utf8_width(g->name[s])), "",
                money_format_fr(env, e), calls ? 19 : 0,
                calls ? money_format_fr(before, c) : "",
                money_format_fr(granted, gr),
                money_format_fr(env - before - granted, u));
    }
    run_print_equity(f, &st->equity);
    if (opt->dry_run)
        fprintf(f, "dry run: everything checked, nothing written\n");
    else
        fprintf(f, "outputs: %s/decisions.csv, disbursements.csv, summary.csv"
                   "%s%s\n", opt->out_dir,
                st->equity.n_levels ? ", equity.csv" : "",
                opt->no_report ? "" : ", report.xlsx");
}
