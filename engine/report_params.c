/* report_params: the Paramètres sheet (what produced these decisions), and
 * the SHA-256 of the rule file and input files it shows. */
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef ALLIANCE_VERSION
#define ALLIANCE_VERSION "dev"
#endif

/* The files a run reads from its input folder; the last two only when
 * present. */
static const char *const input_files[] = {"applications.csv", "envelopes.csv",
                                          "split.csv", "evaluations.csv",
                                          "overrides.csv", "territories.csv"};
#define N_INPUT_FILES (sizeof input_files / sizeof *input_files)
#define N_REQUIRED 3

static int hash_input(report_ctx *c, size_t i, diag *d)
{
    report_hashes *h = &c->h;
    size_t n = strlen(c->opt->inputs_dir) + strlen(input_files[i]) + 2;
    char *path = malloc(n);
    if (!path)
        return diag_add(d, DIAG_OSERR, "out of memory");
    snprintf(path, n, "%s/%s", c->opt->inputs_dir, input_files[i]);
    struct stat st;
    int rc = 0;
    /* the bytes the run parsed, when it loaded the file */
    const char *loaded = inputs_sha256(c->o->in, input_files[i]);
    if (loaded) {
        memcpy(h->input[h->n_inputs], loaded, HASH_SHA256_HEX);
        h->input_names[h->n_inputs++] = input_files[i];
    } else if (i < N_REQUIRED || stat(path, &st) == 0) {
        rc = hash_file_sha256(path, h->input[h->n_inputs], d);
        h->input_names[h->n_inputs++] = input_files[i];
    }
    free(path);
    return rc;
}

/* Unless given, the run id is a digest of what the run read and when:
 * the same run always has the same id. */
static int derive_run_id(report_ctx *c, diag *d)
{
    if (c->opt->run_id) {
        snprintf(c->run_id, sizeof c->run_id, "%s", c->opt->run_id);
        return 0;
    }
    char buf[HASH_SHA256_HEX * (N_INPUT_FILES + 1) + 32], hex[HASH_SHA256_HEX];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s\n", c->h.rules);
    for (size_t i = 0; i < c->h.n_inputs; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", c->h.input[i]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%lld",
                          (long long)c->opt->run_time);
    if (hash_sha256_hex(buf, n, hex) != 0)
        return diag_add(d, DIAG_OSERR, "out of memory");
    snprintf(c->run_id, sizeof c->run_id, "%.12s", hex);
    return 0;
}

int report_hashes_compute(report_ctx *c, diag *d)
{
    int rc = 0;
    if (c->opt->rules_path)
        rc = hash_file_sha256(c->opt->rules_path, c->h.rules, d);
    for (size_t i = 0; rc == 0 && c->opt->inputs_dir && i < N_INPUT_FILES; i++)
        rc = hash_input(c, i, d);
    return rc == 0 ? derive_run_id(c, d) : rc;
}

static lxw_row_t pair(report_sheet *s, lxw_row_t r, report_label k,
                      const char *value)
{
    rx_text(s, r, 0, report_text(s->c, k), s->c->f.label);
    rx_text(s, r, 1, value, NULL);
    return r + 1;
}

static lxw_row_t run_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    r = pair(s, r, RL_PROGRAM, c->o->cfg->program);
    r = pair(s, r, RL_ENGINE_VERSION, ALLIANCE_VERSION);
    r = pair(s, r, RL_XLSXWRITER_VERSION, LXW_VERSION);
    r = pair(s, r, RL_RUN_ID, c->run_id);
    rx_text(s, r, 0, report_text(c, RL_RUN_DATE), c->f.label);
    rx_run_time(s, r, 1);
    return r + 1;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static lxw_row_t files_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const char *head[] = {report_text(c, RL_ROLE), report_text(c, RL_FILE),
                          report_text(c, RL_SHA256)};
    rx_text(s, r++, 0, report_text(c, RL_FILES), c->f.section);
    rx_header(s, r++, head, 3);
    if (c->opt->rules_path) {
        rx_text(s, r, 0, report_text(c, RL_RULE_FILE), NULL);
        rx_text(s, r, 1, base_name(c->opt->rules_path), NULL);
        rx_text(s, r++, 2, c->h.rules, NULL);
    }
    for (size_t i = 0; i < c->h.n_inputs; i++, r++) {
        rx_text(s, r, 0, report_text(c, RL_INPUT_FILE), NULL);
        rx_text(s, r, 1, c->h.input_names[i], NULL);
        rx_text(s, r, 2, c->h.input[i], NULL);
    }
    return r;
}

static lxw_row_t cap_row(report_sheet *s, lxw_row_t r, report_label k,
                         int64_t cents)
{
    rx_text(s, r, 0, report_text(s->c, k), s->c->f.label);
    if (cents > 0)
        rx_money(s, r, 1, cents, s->c->f.money_left);
    else
        rx_text(s, r, 1, report_text(s->c, RL_NONE), NULL);
    return r + 1;
}

/* The allocation method, and the options of equal shares. */
static lxw_row_t method_rows(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const rules_config *cfg = c->o->cfg;
    static const report_label completion[] = {
        RL_COMPLETION_GREEDY, RL_COMPLETION_NONE, RL_COMPLETION_ADD1};
    if (cfg->method != RULES_METHOD_EQUAL_SHARES)
        return pair(s, r, RL_METHOD, report_text(c, RL_METHOD_GREEDY));
    r = pair(s, r, RL_METHOD, report_text(c, RL_METHOD_SHARES));
    r = pair(s, r, RL_COMPLETION, report_text(c, completion[cfg->completion]));
    return pair(s, r, RL_UTILITY,
                report_text(c, cfg->utility == RULES_UTILITY_COST
                                   ? RL_UTILITY_COST : RL_UTILITY_POINTS));
}

/* Threshold and allocation options, as the rule file sets them. */
static lxw_row_t policy_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const rules_config *cfg = c->o->cfg;
    static const report_label overflow[] = {RL_OVERFLOW_SKIP, RL_OVERFLOW_STOP,
                                            RL_OVERFLOW_PARTIAL};
    rx_text(s, r, 0, report_text(c, RL_THRESHOLD), c->f.label);
    rx_points(s, r++, 1, cfg->threshold, c->f.points_left);
    r = method_rows(s, r);
    r = pair(s, r, RL_ON_OVERFLOW, report_text(c, overflow[cfg->on_overflow]));
    if (cfg->on_overflow == RULES_OVERFLOW_PARTIAL) {
        rx_text(s, r, 0, report_text(c, RL_MIN_PARTIAL), c->f.label);
        rx_points(s, r++, 1, (int64_t)cfg->min_partial * 10, c->f.points_left);
    }
    r = pair(s, r, RL_LEFTOVER,
             report_text(c, cfg->leftover == RULES_LEFTOVER_CARRY
                                ? RL_LEFTOVER_CARRY : RL_LEFTOVER_RESERVE));
    r = cap_row(s, r, RL_MAX_GRANT, cfg->max_grant);
    return cap_row(s, r, RL_MAX_PER_ORG, cfg->max_per_org);
}

static lxw_row_t grid_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const rules_config *cfg = c->o->cfg;
    const char *head[] = {report_text(c, RL_CRITERION), report_text(c, RL_LABEL),
                          report_text(c, RL_MAX_POINTS)};
    rx_text(s, r++, 0, report_text(c, RL_GRID), c->f.section);
    rx_header(s, r++, head, 3);
    lxw_row_t first = r;
    int64_t total = 0;
    for (size_t k = 0; k < cfg->n_criteria; k++, r++) {
        rx_text(s, r, 0, cfg->criteria[k].id, NULL);
        rx_text(s, r, 1, cfg->criteria[k].label, NULL);
        rx_points(s, r, 2, cfg->criteria[k].max, c->f.cell[RS_PLAIN][RK_POINTS]);
        total += cfg->criteria[k].max;
    }
    rx_text(s, r, 0, report_text(c, RL_TOTAL), c->f.total[RK_TEXT]);
    rx_text(s, r, 1, "", c->f.total[RK_TEXT]);
    if (r > first)
        rx_sum(s, r, 2, first, r - 1, RK_POINTS, total, c->f.total[RK_POINTS]);
    return r + 1;
}

static lxw_row_t checks_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const rules_config *cfg = c->o->cfg;
    const char *head[] = {report_text(c, RL_CHECK), report_text(c, RL_LABEL)};
    rx_text(s, r++, 0, report_text(c, RL_CHECKS), c->f.section);
    rx_header(s, r++, head, 2);
    for (size_t k = 0; k < cfg->n_checks; k++, r++) {
        rx_text(s, r, 0, cfg->checks[k].id, NULL);
        rx_text(s, r, 1, cfg->checks[k].label, NULL);
    }
    return r;
}

/* Shares and positions in percent, kept in hundredths like points. */
static lxw_row_t schedule_block(report_sheet *s, lxw_row_t r)
{
    report_ctx *c = s->c;
    const rules_config *cfg = c->o->cfg;
    lxw_format *pct = c->f.cell[RS_PLAIN][RK_POINTS];
    const char *head[] = {report_text(c, RL_INSTALMENT), report_text(c, RL_SHARE),
                          report_text(c, RL_AT)};
    rx_text(s, r++, 0, report_text(c, RL_SCHEDULE_TITLE), c->f.section);
    if (cfg->has_schedule_fn)
        return pair(s, r, RL_INSTALMENT, report_text(c, RL_SCHEDULE_BY_RULE));
    rx_header(s, r++, head, 3);
    for (size_t k = 0; k < cfg->n_instalments; k++, r++) {
        rx_text(s, r, 0, cfg->instalments[k].label, NULL);
        rx_points(s, r, 1, cfg->instalments[k].share / 100, pct);
        rx_points(s, r, 2, (int64_t)cfg->instalments[k].at * 10, pct);
    }
    return r;
}

int report_params(report_ctx *c)
{
    report_sheet s;
    if (report_sheet_open(&s, c, c->fixed_name[3], 3) != 0) {
        report_sheet_close(&s, -1);
        return -1;
    }
    report_set_cap(&s, 0, 40);
    report_set_cap(&s, 1, 60);
    report_set_cap(&s, 2, 66); /* a SHA-256 in full */
    lxw_row_t r = 0;
    rx_text(&s, r++, 0, report_text(c, RL_PARAMS_TITLE), c->f.title);
    r = run_block(&s, r);
    r = files_block(&s, r + 1);
    r = policy_block(&s, r + 1);
    r = grid_block(&s, r + 1);
    r = checks_block(&s, r + 1);
    schedule_block(&s, r + 1);
    return report_sheet_close(&s, -1);
}
