/* report_labels: the workbook's words in French and English, and sheet
 * names that Excel accepts. */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

/* { French, English }, indexed by report_label. */
static const char *const labels[RL_N_LABELS][2] = {
    [RL_SHEET_SUMMARY] = {"Sommaire", "Summary"},
    [RL_SHEET_SCHEDULE] = {"Versements", "Disbursements"},
    [RL_SHEET_REJECTED] = {"Non retenues", "Not retained"},
    [RL_SHEET_PARAMS] = {"Paramètres", "Parameters"},
    [RL_SHEET_ROBUST] = {"Robustesse", "Robustness"},
    [RL_ROBUST_TITLE] = {"Décisions près de la ligne de coupure (marge sous "
                         "5 points) ou décidées par un seul évaluateur",
                         "Decisions near the cut line (margin under 5 points) "
                         "or decided by one evaluator"},
    [RL_MARGIN] = {"Marge (points)", "Margin (points)"},
    [RL_MARGIN_RANK] = {"Rang à la marge", "Rank at the margin"},
    [RL_DECIDED_BY] = {"Décidée par un seul évaluateur",
                       "Decided by one evaluator"},
    [RL_IN_WORDS] = {"En clair", "In words"},
    [RL_MARGINS_SKIPPED] = {"Marges non calculées : ", "Margins not computed: "},
    [RL_WITHOUT_GRADES] = {"sans les notes %s, la décision change",
                           "without the grades of %s, the decision changes"},
    [RL_REPORT_TITLE] = {"Rapport au comité de sélection",
                         "Selection committee report"},
    [RL_PROGRAM] = {"Programme", "Program"},
    [RL_RUN_ID] = {"Identifiant du traitement", "Run identifier"},
    [RL_RUN_DATE] = {"Date du traitement (UTC)", "Run date (UTC)"},
    [RL_APPLICATIONS] = {"Demandes reçues", "Applications received"},
    [RL_SEC_ENVELOPE] = {"Enveloppe par sous-région et exercice financier",
                         "Envelope by sub-region and fiscal year"},
    [RL_SEC_SUBREGIONS] = {"Demandé, accordé et non dépensé par sous-région",
                           "Requested, granted and unspent by sub-region"},
    [RL_SEC_YEARS] = {"Par exercice financier", "By fiscal year"},
    [RL_SEC_STATUS] = {"Décisions par statut", "Decisions by status"},
    [RL_SUBREGION] = {"Sous-région", "Sub-region"},
    [RL_FISCAL_YEAR] = {"Exercice financier", "Fiscal year"},
    [RL_TOTAL] = {"Total", "Total"},
    [RL_ENVELOPE] = {"Enveloppe", "Envelope"},
    [RL_REQUESTED] = {"Montant demandé", "Requested"},
    [RL_GRANTED] = {"Montant accordé", "Granted"},
    [RL_UNSPENT] = {"Non dépensé", "Unspent"},
    [RL_CARRIED_IN] = {"Reporté de l'exercice précédent",
                       "Carried from the previous year"},
    [RL_REMAINING] = {"Solde de l'exercice", "Left at year end"},
    [RL_CHART_SUBREGIONS] = {"Accordé et enveloppe par sous-région",
                             "Granted and envelope by sub-region"},
    [RL_CHART_YEARS] = {"Accordé et enveloppe par exercice financier",
                        "Granted and envelope by fiscal year"},
    [RL_RANK] = {"Rang", "Rank"},
    [RL_ID] = {"Dossier", "Application"},
    [RL_ORGANISATION] = {"Organisme", "Organisation"},
    [RL_TITLE] = {"Projet", "Project"},
    [RL_SCORE] = {"Pointage", "Score"},
    [RL_STATUS] = {"Statut", "Status"},
    [RL_REASONS] = {"Motifs", "Reasons"},
    [RL_JUSTIFICATION] = {"Justification de la dérogation",
                          "Override justification"},
    [RL_RANKING_OF] = {"Classement — ", "Ranking — "},
    [RL_INSTALMENT_NO] = {"N°", "No."},
    [RL_INSTALMENT] = {"Versement", "Instalment"},
    [RL_DUE_DATE] = {"Date prévue", "Due date"},
    [RL_SCHEDULE_TITLE] = {"Calendrier des versements", "Disbursement schedule"},
    [RL_TOTAL_OF] = {"Total — ", "Total — "},
    [RL_REJECTED_TITLE] = {"Demandes non retenues (non admissibles ou sous le seuil)",
                           "Applications not retained (ineligible or below the threshold)"},
    [RL_PARAMS_TITLE] = {"Paramètres du traitement", "Run parameters"},
    [RL_RULE_FILE] = {"Fichier de règles", "Rule file"},
    [RL_FILE] = {"Fichier", "File"},
    [RL_SHA256] = {"SHA-256", "SHA-256"},
    [RL_ENGINE_VERSION] = {"Version du moteur (alliance)",
                           "Engine version (alliance)"},
    [RL_XLSXWRITER_VERSION] = {"Version de libxlsxwriter", "libxlsxwriter version"},
    [RL_INPUT_FILE] = {"Fichier d'entrée", "Input file"},
    [RL_FILES] = {"Fichiers utilisés", "Files used"},
    [RL_ROLE] = {"Rôle", "Role"},
    [RL_THRESHOLD] = {"Seuil de pointage", "Score threshold"},
    [RL_ON_OVERFLOW] = {"Quand l'enveloppe est insuffisante",
                        "When the envelope runs short"},
    [RL_MIN_PARTIAL] = {"Part minimale d'un financement partiel (%)",
                        "Smallest partial grant (% of the request)"},
    [RL_GRID] = {"Grille d'analyse", "Scoring grid"},
    [RL_CRITERION] = {"Critère", "Criterion"},
    [RL_LABEL] = {"Libellé", "Label"},
    [RL_MAX_POINTS] = {"Points maximum", "Maximum points"},
    [RL_CHECKS] = {"Vérifications d'admissibilité", "Eligibility checks"},
    [RL_CHECK] = {"Vérification", "Check"},
    [RL_SHARE] = {"Part (%)", "Share (%)"},
    [RL_AT] = {"Moment (% de la durée du projet)",
               "When (% of the project's duration)"},
    [RL_SCHEDULE_BY_RULE] = {"Propre à chaque demande (fonction schedule des règles)",
                             "Per application (the rules' schedule function)"},
    [RL_OVERFLOW_SKIP] = {"passer à la demande suivante", "skip to the next application"},
    [RL_OVERFLOW_STOP] = {"arrêter le financement", "stop funding"},
    [RL_OVERFLOW_PARTIAL] = {"financer en partie", "grant part of the request"},
    [RL_LEFTOVER] = {"Solde annuel non dépensé", "Money left at year end"},
    [RL_LEFTOVER_RESERVE] = {"retourne à la réserve", "returns to the reserve"},
    [RL_LEFTOVER_CARRY] = {"reporté à l'exercice suivant", "carried to the next year"},
    [RL_MAX_GRANT] = {"Plafond par demande", "Cap per application"},
    [RL_MAX_PER_ORG] = {"Plafond par organisme", "Cap per organisation"},
    [RL_NONE] = {"aucun", "none"},
    [RL_PAGE_FOOTER] = {"Page &P de &N", "Page &P of &N"},
    [RL_COMMITTED] = {"Engagé (appels précédents)",
                      "Committed in earlier calls"},
    [RL_SEC_COMMITTED] = {"Engagé lors des appels précédents, par "
                          "sous-région et exercice financier",
                          "Committed in earlier calls, by sub-region and "
                          "fiscal year"},
    [RL_METHOD] = {"Méthode d'attribution", "Allocation method"},
    [RL_METHOD_GREEDY] = {"par rang, tant que l'enveloppe le permet",
                          "by rank, while the envelope lasts"},
    [RL_METHOD_SHARES] = {"parts égales entre les évaluateurs (Method of "
                          "Equal Shares)",
                          "equal shares among the evaluators (Method of "
                          "Equal Shares)"},
    [RL_COMPLETION] = {"Complément des parts égales",
                       "Equal shares completion"},
    [RL_COMPLETION_GREEDY] = {"le reste par rang (greedy)",
                              "the rest by rank (greedy)"},
    [RL_COMPLETION_NONE] = {"aucun (none)", "none"},
    [RL_COMPLETION_ADD1] = {"budgets relevés d'un dollar à la fois (add1)",
                            "budgets raised one dollar at a time (add1)"},
    [RL_UTILITY] = {"Utilité d'un projet pour un évaluateur",
                    "A project's utility for an evaluator"},
    [RL_UTILITY_POINTS] = {"ses points (points)", "its points (points)"},
    [RL_UTILITY_COST] = {"ses points fois le montant demandé (cost)",
                         "its points times the request (cost)"},
};

static const char *const statuses[DECISION_N_STATUSES][2] = {
    [DECISION_FUNDED] = {"Financé", "Funded"},
    [DECISION_PARTIAL] = {"Financé en partie", "Partially funded"},
    [DECISION_WAITLISTED] = {"En attente", "Waitlisted"},
    [DECISION_BELOW_THRESHOLD] = {"Sous le seuil", "Below threshold"},
    [DECISION_INELIGIBLE] = {"Non admissible", "Ineligible"},
    [DECISION_OVERRIDDEN] = {"Décision du comité", "Committee decision"},
};

const char *report_text(const report_ctx *c, report_label k)
{
    return labels[k][c->opt->lang == REPORT_EN];
}

const char *report_status_text(const report_ctx *c, decision_status s)
{
    return s < DECISION_N_STATUSES ? statuses[s][c->opt->lang == REPORT_EN] : "?";
}

/* Bytes of the character at p (inputs are valid UTF-8: csvread refuses
 * anything else), never past the terminator. */
static size_t char_len(const char *p)
{
    unsigned char b = (unsigned char)*p;
    size_t k = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < k; i++)
        if (!p[i])
            return i;
    return k;
}

/* Excel refuses []:*?/\ and control characters in sheet names, and an
 * apostrophe at either end; those become '-' or are dropped. At most 31
 * characters, trailing spaces removed. */
static void clean_name(const char *in, char *out, size_t max_chars)
{
    size_t n = 0, chars = 0;
    while (*in == '\'')
        in++;
    for (const char *p = in; *p && chars < max_chars;) {
        size_t k = char_len(p);
        if (k == 1 && ((unsigned char)*p < 0x20 || strchr("[]:*?/\\", *p)))
            out[n++] = '-';
        else
            for (size_t i = 0; i < k; i++)
                out[n++] = p[i];
        p += k;
        chars++;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\''))
        n--;
    out[n] = '\0';
    if (n == 0)
        strcpy(out, "-");
}

/* Excel compares sheet names ignoring case: fold ASCII and Latin-1
 * capitals (U+00C0-U+00DE but U+00D7, UTF-8 C3 80-9E) to compare alike.
 * Returns the folded character at p and its length in *k. */
static unsigned fold_at(const unsigned char *p, size_t *k)
{
    if (p[0] == 0xC3 && p[1]) {
        *k = 2;
        int upper = p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97;
        return 0xC300u | (unsigned)(p[1] + (upper ? 0x20 : 0));
    }
    *k = 1;
    return p[0] >= 'A' && p[0] <= 'Z' ? p[0] + 32u : p[0];
}

static int same_name(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;
    for (;;) {
        size_t kx, ky;
        unsigned fx = fold_at(x, &kx), fy = fold_at(y, &ky);
        if (fx != fy)
            return 0;
        if (!fx)
            return 1;
        x += kx;
        y += ky;
    }
}

/* Whether name clashes with a fixed sheet, Excel's reserved "History",
 * or the sheet of an earlier sub-region. */
static int name_taken(const report_ctx *c, size_t sub, const char *name)
{
    if (same_name(name, "History")
        || same_name(name, report_equity_sheet_name(c)))
        return 1;
    for (int i = 0; i < 5; i++)
        if (same_name(name, c->fixed_name[i]))
            return 1;
    for (size_t t = 0; t < sub; t++)
        if (c->sheet_name[t] && same_name(name, c->sheet_name[t]))
            return 1;
    return 0;
}

#define NAME_BYTES (LXW_SHEETNAME_MAX * 4 + 16)

/* "Name", or "Name (2)", "Name (3)"... shortened to fit 31 characters. */
static void unique_name(const report_ctx *c, size_t sub, const char *in,
                        char *out)
{
    clean_name(in, out, LXW_SHEETNAME_MAX);
    for (unsigned k = 2; name_taken(c, sub, out); k++) {
        char suffix[16];
        int n = snprintf(suffix, sizeof suffix, " (%u)", k);
        clean_name(in, out, LXW_SHEETNAME_MAX - (size_t)n);
        strcat(out, suffix);
    }
}

int report_sheet_names(report_ctx *c)
{
    static const report_label fixed[5] = {RL_SHEET_SUMMARY, RL_SHEET_SCHEDULE,
                                          RL_SHEET_REJECTED, RL_SHEET_PARAMS,
                                          RL_SHEET_ROBUST};
    const split_grid *g = c->o->env;
    for (int i = 0; i < 5; i++)
        c->fixed_name[i] = report_text(c, fixed[i]);
    c->sheet_name = calloc(g->n_sub + 1, sizeof *c->sheet_name);
    if (!c->sheet_name)
        return -1;
    /* Reserves receive no applications: no sheet. */
    for (size_t s = 0; s < g->n_sub; s++) {
        if (g->is_reserve[s])
            continue;
        if (!(c->sheet_name[s] = malloc(NAME_BYTES)))
            return -1;
        unique_name(c, s, g->name[s], c->sheet_name[s]);
    }
    return 0;
}

void report_sheet_names_free(report_ctx *c)
{
    if (!c->sheet_name)
        return;
    for (size_t s = 0; s < c->o->env->n_sub; s++)
        free(c->sheet_name[s]);
    free(c->sheet_name);
    c->sheet_name = NULL;
}

/* Document properties and page headers are XML text that libxlsxwriter
 * does not clean of control characters; page headers also give '&' a
 * meaning, so it is doubled there. */
void report_clean_text(const char *s, char *out, size_t max, int hf)
{
    size_t n = 0;
    for (const char *p = s; *p;) {
        size_t k = char_len(p);
        int amp = hf && *p == '&';
        if (n + k + (size_t)amp >= max)
            break;
        if (amp)
            out[n++] = '&';
        for (size_t i = 0; i < k; i++)
            out[n++] = (unsigned char)p[i] < 0x20 ? ' ' : p[i];
        p += k;
    }
    out[n] = '\0';
}
