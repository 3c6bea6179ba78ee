/* CSV outputs: quoting, formula neutralisation, reasons, and no partial
 * replacement of earlier outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "output.h"
#include "testlib.h"

#define K(dollars) ((int64_t)(dollars) * 100)

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    if (buf && fread(buf, 1, (1 << 16) - 1, f) == 0 && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("  could not remove %s\n", dir);
}

static void program(fx_program *p)
{
    fx_init(p, 2024, 2, K(100000));
    size_t s = fx_sub(p, "Ouest, sud", K(200000), 0);
    fx_schedule(p, 2, (int[]){50, 50}, (int[]){0, 1000});
    size_t a = fx_app(p, "A1", s, K(60000), 90, "2024-06-01", 12);
    p->apps[a].organisation = "=HYPERLINK(\"http://x\")";
    size_t b = fx_app(p, "B2", s, K(10000), 50, "2024-06-01", 12);
    p->apps[b].organisation = "Coop \"Le Pont\", solidarité";
    p->cfg.threshold = 6000;
    fx_app(p, "C3", s, K(200000), 80, "2024-06-01", 12); /* too big */
    fx_app(p, "D4", s, K(1000), 99, "2028-06-01", 12);   /* outside */
}

static int write_outputs(fx_program *p, const char *dir, diag *d)
{
    robust_result rb;
    int rc = robust_margins(&p->in, &p->cfg, &p->res, &p->plan, &p->order,
                            &p->env, &p->alloc, 1, &rb, d);
    if (rc != 0)
        return rc;
    output_data o = {&p->in, &p->cfg, &p->res, &p->plan, &p->env,
                     &p->alloc, &p->sched, NULL, &rb};
    rc = output_write(dir, &o, d);
    robust_free(&rb);
    return rc;
}

TEST(decisions_are_ranked_quoted_and_neutralised)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char dir[] = "/tmp/alliance-output-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    program(&p);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(write_outputs(&p, dir, &d), 0);
    char *dec = slurp(dir, "decisions.csv");
    /* A1 falls behind C3 at 79.99; C3 passes A1 at 90.01 (at 90 the
       smaller request goes first) */
    CHECK_STR(dec,
              "rank,id,organisation,subregion,status,score,requested,granted,reasons,override_justification,margin,margin_rank,decided_by_one_evaluator\n"
              "1,A1,\"'=HYPERLINK(\"\"http://x\"\")\",\"Ouest, sud\",funded,90.00,60000.00,60000.00,,,10.01,2,\n"
              "2,C3,Organisme,\"Ouest, sud\",waitlisted,80.00,200000.00,0.00,enveloppe 2024-2025 insuffisante,,10.01,1,\n"
              ",B2,\"Coop \"\"Le Pont\"\", solidarité\",\"Ouest, sud\",below_threshold,50.00,10000.00,0.00,pointage 50.00 sous le seuil de 60.00,,,,\n"
              ",D4,Organisme,\"Ouest, sud\",ineligible,99.00,1000.00,0.00,\"versement 1 (Signature) dû le 2028-06-01, hors du programme (2024-04-01 au 2026-03-31)\",,,,\n");
    char *dis = slurp(dir, "disbursements.csv");
    CHECK_STR(dis,
              "id,subregion,envelope,fiscal_year,instalment,label,due_date,amount\n"
              "A1,\"Ouest, sud\",\"Ouest, sud\",2024-2025,1,Signature,2024-06-01,30000.00\n"
              "A1,\"Ouest, sud\",\"Ouest, sud\",2025-2026,2,Mi-parcours,2025-05-31,30000.00\n");
    char *sum = slurp(dir, "summary.csv");
    CHECK_CONTAINS(sum, "\"Ouest, sud\",2024-2025,100000.00,0.00,0.00,30000.00,70000.00,0.00,70000.00,,,,,,\n");
    CHECK_CONTAINS(sum, "\"Ouest, sud\",total,200000.00,0.00,0.00,60000.00,140000.00,0.00,140000.00,1,0,1,1,1,0\n");
    CHECK_CONTAINS(sum, "total,total,200000.00,0.00,0.00,60000.00,140000.00,0.00,140000.00,1,0,1,1,1,0\n");
    free(dec);
    free(dis);
    free(sum);
    remove_tree(dir);
    fx_free(&p);
    diag_free(&d);
}

TEST(a_failed_write_leaves_earlier_outputs_alone)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char dir[] = "/tmp/alliance-output-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[600];
    snprintf(path, sizeof path, "%s/decisions.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("earlier run\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    CHECK_INT(mkdir(path, 0700), 0); /* a folder in the way */
    program(&p);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(write_outputs(&p, dir, &d), DIAG_CANTCREAT);
    CHECK_CONTAINS(diag_text(&d), "summary.csv: not a file");
    char *dec = slurp(dir, "decisions.csv");
    CHECK_STR(dec, "earlier run\n");
    free(dec);
    char *dis = slurp(dir, "disbursements.csv");
    CHECK(dis == NULL); /* nothing new appeared, no temporary left */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s | grep tmp)\"", dir);
    CHECK_INT(system(cmd), 0);
    remove_tree(dir);
    fx_free(&p);
    diag_free(&d);
}

/* Ties (same sub-region, group and score) go by id, whether or not the
 * file listed its ids in order (two comparisons, one check of both). */
static void tie_order(const char *const *ids, const char *want)
{
    static fx_program p;
    diag d;
    diag_init(&d);
    char dir[] = "/tmp/alliance-output-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    fx_init(&p, 2024, 2, K(100000));
    size_t s = fx_sub(&p, "Ouest", K(200000), 0);
    fx_schedule(&p, 2, (int[]){50, 50}, (int[]){0, 1000});
    p.cfg.threshold = 6000;
    for (int i = 0; i < 6; i++) {
        size_t a = fx_app(&p, ids[i], s, K(100), 50, "2024-06-01", 12);
        p.eligible[a] = i % 2; /* odd: below the threshold, even: ineligible */
    }
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(write_outputs(&p, dir, &d), 0);
    char *dec = slurp(dir, "decisions.csv");
    char got[64] = "", *line = dec ? strchr(dec, '\n') : NULL;
    while (line && line[1]) {
        char id[8] = "";
        sscanf(line + 1, ",%7[^,]", id);
        strcat(got, id);
        strcat(got, " ");
        line = strchr(line + 1, '\n');
    }
    CHECK_STR(got, want);
    free(dec);
    remove_tree(dir);
    fx_free(&p);
    diag_free(&d);
}

TEST(ties_go_by_id_in_any_file_order)
{
    tie_order((const char *const[]){"A", "B", "C", "D", "E", "F"},
              "B D F A C E ");
    tie_order((const char *const[]){"F", "E", "D", "C", "B", "A"},
              "A C E B D F ");
}

/* Ranks that are not 1..k (never made by the engine) are still written in
 * order: the placing shortcut gives way to the sort. */
TEST(ranks_out_of_shape_are_sorted_not_lost)
{
    fx_program p;
    diag d;
    diag_init(&d);
    char dir[] = "/tmp/alliance-output-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    program(&p);
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(p.alloc.decisions[0].rank, 1);
    CHECK_INT(p.alloc.decisions[2].rank, 2);
    p.alloc.decisions[0].rank = 7; /* A1 after C3, beyond the count */
    CHECK_INT(write_outputs(&p, dir, &d), 0);
    char *dec = slurp(dir, "decisions.csv");
    CHECK(dec && strstr(dec, "\n2,C3,") && strstr(dec, "\n7,A1,") &&
          strstr(dec, "\n2,C3,") < strstr(dec, "\n7,A1,"));
    free(dec);
    remove_tree(dir);
    fx_free(&p);
    diag_free(&d);
}

static char *slurp_all(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    char *buf = malloc(1 << 22);
    *len = f && buf ? fread(buf, 1, (1 << 22) - 1, f) : 0;
    if (buf)
        buf[*len] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* Rows go to the file in 64 KiB batches through a growing buffer: rows
 * and fields larger than a batch, and many rows, come out whole. */
TEST(large_fields_and_many_rows_come_out_whole)
{
    static fx_program p;
    static char ids[FX_MAX][8], orgs[FX_MAX][3002], big[200001];
    diag d;
    diag_init(&d);
    char dir[] = "/tmp/alliance-output-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    fx_init(&p, 2024, 2, K(100000));
    size_t s = fx_sub(&p, "Ouest", K(200000), 0);
    fx_schedule(&p, 2, (int[]){50, 50}, (int[]){0, 1000});
    for (int i = 0; i < FX_MAX; i++) {
        snprintf(ids[i], sizeof ids[i], "A%02d", i);
        memset(orgs[i], 'a' + i % 26, 3000);
        orgs[i][0] = '"'; /* quoted, the quote doubled */
        orgs[i][1500] = ',';
        size_t a = fx_app(&p, ids[i], s, K(100), 90 - i % 30, "2024-06-01", 12);
        p.apps[a].organisation = orgs[i];
    }
    memset(big, 'z', sizeof big - 1);
    big[100] = ',';
    p.apps[7].organisation = big;
    CHECK_INT(fx_run(&p, &d), 0);
    CHECK_INT(write_outputs(&p, dir, &d), 0);
    size_t len;
    char *dec = slurp_all(dir, "decisions.csv", &len);
    size_t lines = 0, quotes = 0;
    for (size_t i = 0; i < len; i++) {
        lines += dec[i] == '\n';
        quotes += dec[i] == '"';
    }
    CHECK_INT(lines, FX_MAX + 1);
    CHECK_INT(quotes, (FX_MAX - 1) * 4 + 2);
    char *want = malloc(sizeof big + 8);
    snprintf(want, sizeof big + 8, ",\"%s\",", big);
    CHECK(strstr(dec, want) != NULL);
    snprintf(want, sizeof big + 8, ",\"\"\"%s\",", orgs[40] + 1);
    CHECK(strstr(dec, want) != NULL);
    CHECK(len > 0 && dec[len - 1] == '\n');
    free(want);
    free(dec);
    remove_tree(dir);
    fx_free(&p);
    diag_free(&d);
}

int main(void)
{
    RUN(decisions_are_ranked_quoted_and_neutralised);
    RUN(a_failed_write_leaves_earlier_outputs_alone);
    RUN(large_fields_and_many_rows_come_out_whole);
    RUN(ties_go_by_id_in_any_file_order);
    RUN(ranks_out_of_shape_are_sorted_not_lost);
    return testlib_done("output");
}
