/* output: writes a run's results as CSV files in the output folder.
 *
 *   decisions.csv      one row per application, by sub-region then rank:
 *                      rank, id, organisation, subregion, status, score,
 *                      points per criterion, requested, granted, reasons,
 *                      override_justification, margin, margin_rank,
 *                      decided_by_one_evaluator (robust.h)
 *   disbursements.csv  id, subregion, fiscal_year, instalment, label,
 *                      due_date, amount
 *   summary.csv        per sub-region and fiscal year: envelope,
 *                      committed (in earlier calls for projects),
 *                      carried_in, granted, unspent, carried_out,
 *                      to_reserve; per sub-region: counts by status
 *
 * Values are in machine form (cents as "1234.56", dates "2025-04-01"),
 * UTF-8, RFC 4180 (quoting by libcsv). Text starting with = + - @ or a tab
 * is prefixed with ' so no spreadsheet runs it as a formula. Files are
 * written beside their final names and renamed into place only when all
 * of them were written, so a failure leaves earlier outputs as they were. */
#ifndef ALLIANCE_OUTPUT_H
#define ALLIANCE_OUTPUT_H

#include "allocate.h"
#include "diag.h"
#include "inputs.h"
#include "plan.h"
#include "robust.h"
#include "rules.h"
#include "schedule.h"
#include "split.h"

typedef struct output_data {
    const inputs *in;
    const rules_config *cfg;
    const rules_results *res;
    const plan_set *plan;
    const split_grid *env;
    const alloc_result *alloc;
    const sched_list *sched;
    const struct equity_result *equity; /* NULL: no figures (equity.h) */
    const robust_result *robust; /* NULL: the robustness columns empty */
} output_data;

int output_write(const char *out_dir, const output_data *o, diag *d);

/* output_write in two steps, for a run that writes its other outputs at
 * the same time: output_prepare writes the temporary files
 * (.NAME.tmp-PID) and checks that nothing but files stands in the way;
 * output_commit renames them into place (a failed rename removes what is
 * left). output_discard removes the temporary files; both leave p empty,
 * and output_discard is safe on an empty or already committed p. */
typedef struct output_pending {
    char *tmp[4], *final[4]; /* the CSV files (equity.csv may be absent) */
    char *stale;             /* equity.csv to remove, or NULL */
} output_pending;
int output_prepare(const char *out_dir, const output_data *o,
                   output_pending *p, diag *d);
int output_commit(output_pending *p, diag *d);
void output_discard(output_pending *p);

/* Takes the output folder's lock (creating the folder and its lock file
 * .alliance.lock), so two runs never write the same outputs at once.
 * Never waits: a folder locked by another run is DIAG_TEMPFAIL (75), for
 * the scheduler to try again later. *fd receives the lock, -1 on failure.
 * Once locked, the temporary outputs of runs killed while writing there
 * (.decisions.csv.tmp-PID, .report.xlsx.tmp-PID...) are removed. */
int output_lock(const char *out_dir, int *fd, diag *d);
void output_unlock(int fd);

/* Writes the explanation of a decision ("type_organisme: ...; part_fqis:
 * ...") into buf. */
void output_reasons(const output_data *o, size_t app, char *buf, size_t cap);

#endif
