/* Unit tests for engine/inputs*.c: good input folders (tests/data/inputs/)
 * load with exact cents, points, dates and lines; every case of the
 * bad-input corpus (tests/data/corpus/) is refused with the exact messages
 * of its expected.txt and leaves the result empty. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "inputs.h"
#include "testlib.h"

#define FIXTURES "tests/data/inputs/"

static cal_date day(const char *s)
{
    cal_date d = 0;
    cal_parse_date(s, strlen(s), &d);
    return d;
}

/* ---- good folders -------------------------------------------------- */

TEST(good_basic_applications)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_basic", &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(in.n_apps, 3);
    if (in.n_apps != 3)
        goto out;
    const application *a = &in.apps[0];
    CHECK_STR(a->id, "A-001");
    CHECK_STR(a->organisation, "Maison des jeunes");
    CHECK_STR(a->subregion_name, "Acton");
    CHECK_INT(a->subregion, 0);
    CHECK_INT(a->requested, 1234567);  /* "12 345,67 $" with U+00A0 */
    CHECK_INT(a->total_cost, 2000000); /* "20 000,00 $" */
    CHECK_STR(a->title, "Projet jeunesse");
    CHECK_STR(a->org_type, "OBNL");
    CHECK_INT(a->has_start, 1);
    CHECK_INT(a->start, day("2024-06-01"));
    CHECK_INT(a->months, 12);
    CHECK_INT(a->line, 2);
    CHECK_STR(a->extra[0], "haute");
    CHECK_STR(a->extra[1], "jeunes");

    a = &in.apps[1]; /* quoted cells, English amounts, empty optionals */
    CHECK_STR(a->id, "A-002");
    CHECK_STR(a->organisation, "Centre \"Le Pont\"");
    CHECK_STR(a->subregion_name, "Haute-Yamaska");
    CHECK_INT(a->subregion, 2);
    CHECK_INT(a->requested, 150050); /* "$1,500.50" */
    CHECK_INT(a->total_cost, 300000); /* "$3,000" */
    CHECK_STR(a->title, "Deux\r\nlignes");
    CHECK_STR(a->org_type, "Coop");
    CHECK_INT(a->has_start, 0);
    CHECK_INT(a->months, 0);
    CHECK_INT(a->line, 3);
    CHECK_STR(a->extra[0], "");
    CHECK_STR(a->extra[1], "");

    a = &in.apps[2]; /* after a two-line cell and a blank line */
    CHECK_STR(a->id, "A-003");
    CHECK_INT(a->subregion, 1);
    CHECK_INT(a->requested, 500000);
    CHECK_INT(a->total_cost, 500000);
    CHECK_STR(a->title, "");
    CHECK_STR(a->org_type, "");
    CHECK_INT(a->start, day("2025-04-01"));
    CHECK_INT(a->months, 24);
    CHECK_INT(a->line, 6);
    CHECK_STR(a->extra[1], "a\xC3\xAEn\xC3\xA9s");

    CHECK_INT(in.n_extra, 2);
    CHECK_STR(in.extra_names[0], "Priorit\xC3\xA9");
    CHECK_STR(in.extra_keys[0], "priorite");
    CHECK_INT(in.extra_columns[0], 10);
    CHECK_STR(in.extra_names[1], "Client\xC3\xA8le cible");
    CHECK_STR(in.extra_keys[1], "clientele_cible");
    CHECK_INT(in.extra_columns[1], 11);
out:
    inputs_free(&in);
    diag_free(&d);
}

TEST(good_basic_envelopes_and_split)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_basic", &d), 0);
    CHECK_INT(in.n_years, 2);
    CHECK_INT(in.n_split, 4);
    if (in.n_years != 2 || in.n_split != 4)
        goto out;
    /* written 2025 first: sorted */
    CHECK_INT(in.years[0].fiscal_year, 2024);
    CHECK_INT(in.years[0].amount, 100000000); /* U+202F grouping */
    CHECK_INT(in.years[0].line, 3);
    CHECK_INT(in.years[1].fiscal_year, 2025);
    CHECK_INT(in.years[1].amount, 150000000);
    CHECK_INT(in.years[1].line, 2);
    CHECK_INT(inputs_envelope_total(&in), 250000000);

    const subregion *s = in.split;
    CHECK_STR(s[0].name, "Acton");
    CHECK_INT(s[0].has_share, 1);
    CHECK_INT(s[0].share, 250000000); /* "25 %" */
    CHECK_INT(s[0].has_amount, 0);
    CHECK_INT(s[0].is_reserve, 0);
    CHECK_INT(s[0].line, 2);
    CHECK_STR(s[0].extra[0], "15 000");
    CHECK_INT(s[1].share, 305000000); /* "30,5 %" */
    CHECK_INT(s[2].share, 345000000); /* "34,5<U+00A0>%" */
    CHECK_STR(s[3].name, "R\xC3\xA9serve r\xC3\xA9gionale");
    CHECK_INT(s[3].is_reserve, 1); /* "OUI" */
    CHECK_INT(s[3].share, 100000000); /* "10%" */
    CHECK_STR(s[3].extra[0], "");
    CHECK_INT(in.n_split_extra, 1);
    CHECK_STR(in.split_extra_names[0], "Population");
    CHECK_STR(in.split_extra_keys[0], "population");

    CHECK_INT(inputs_find_subregion(&in, "Haute-Yamaska"), 2);
    CHECK_INT(inputs_find_subregion(&in, "  Acton\t"), 0);
    CHECK_INT(inputs_find_subregion(&in, "R\xC3\xA9serve r\xC3\xA9gionale"),
              3);
    CHECK_INT(inputs_find_subregion(&in, "acton"), -1);
    CHECK_INT(inputs_find_subregion(&in, "Granby"), -1);
    CHECK_INT(inputs_find_subregion(&in, ""), -1);
out:
    inputs_free(&in);
    diag_free(&d);
}

TEST(good_amounts_and_no_applications)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_amounts", &d), 0);
    CHECK_STR(diag_text(&d), "");
    /* header only, then rows of empty cells: no applications */
    CHECK_INT(in.n_apps, 0);
    CHECK_INT(in.n_extra, 0); /* unnamed empty columns are not extras */
    CHECK_INT(in.n_years, 3);
    CHECK_INT(inputs_envelope_total(&in), 100000000);
    CHECK_INT(in.n_split, 3);
    if (in.n_split == 3 && in.n_years == 3) {
        CHECK_INT(in.years[2].fiscal_year, 2026);
        CHECK_INT(in.years[2].amount, 0);
        CHECK_INT(in.split[0].has_amount, 1);
        CHECK_INT(in.split[0].amount, 25000000);
        CHECK_INT(in.split[0].has_share, 0);
        CHECK_INT(in.split[1].amount, 50000000);
        CHECK_INT(in.split[1].is_reserve, 0); /* "non" */
        CHECK_INT(in.split[2].is_reserve, 1); /* "x" */
        CHECK_INT(in.split[2].has_amount, 0); /* takes the rest */
        CHECK_INT(in.n_split_extra, 0);
    }
    inputs_free(&in);
    diag_free(&d);
}

TEST(shares_exact_and_within_tolerance)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_shares", &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(in.n_split, 3);
    if (in.n_split == 3) {
        CHECK_INT(in.split[0].share, 333333333); /* "0,333333333" */
        CHECK_INT(in.split[1].share, 333333333); /* "33.33333333 %" */
        CHECK_INT(in.split[2].share, 333333333); /* "0.3333333334" */
    }
    CHECK_INT(in.n_apps, 1);
    if (in.n_apps == 1)
        CHECK_INT(in.apps[0].subregion, 1);
    inputs_free(&in);
    diag_free(&d);
}

/* ---- evaluations and overrides ------------------------------------ */

TEST(evaluations_load_in_hundredths)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_evals_overrides", &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(in.n_evals, 5); /* the blank line is skipped */
    if (in.n_evals == 5) {
        const evaluation *e = in.evals;
        CHECK_INT(e[0].app, 0);
        CHECK_STR(e[0].evaluator, "Marie Tremblay");
        CHECK_STR(e[0].criterion, "impact");
        CHECK_INT(e[0].points, 850); /* "8,5" */
        CHECK_INT(e[0].line, 2);
        CHECK_INT(e[1].points, 725); /* "7.25" */
        CHECK_STR(e[1].evaluator, "Jean Roy");
        CHECK_INT(e[2].app, 1);
        CHECK_INT(e[2].points, 0);
        CHECK_STR(e[3].criterion, "partenariat");
        CHECK_INT(e[3].points, 1000);
        CHECK_INT(e[4].app, 2);
        CHECK_INT(e[4].points, 1200); /* " 12 " */
        CHECK_INT(e[4].line, 7);
    }
    inputs_free(&in);
    diag_free(&d);
}

TEST(overrides_load)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_evals_overrides", &d), 0);
    CHECK_INT(in.n_overrides, 3);
    if (in.n_overrides == 3) {
        const override_row *o = in.overrides;
        CHECK_INT(o[0].app, 0);
        CHECK_INT(o[0].kind, INPUTS_OVERRIDE_FUND); /* "Financé" */
        CHECK_INT(o[0].has_amount, 0);
        CHECK_INT(o[0].amount, 1234567); /* the request */
        CHECK_INT(o[0].from_reserve, 1);
        CHECK_STR(o[0].justification, "Priorit\xC3\xA9 du comit\xC3\xA9");
        CHECK_INT(o[0].line, 2);
        CHECK_INT(o[1].app, 1);
        CHECK_INT(o[1].kind, INPUTS_OVERRIDE_REFUSE); /* "REFUSER" */
        CHECK_INT(o[1].has_amount, 0);
        CHECK_INT(o[1].from_reserve, 0);
        CHECK_STR(o[1].justification,
                  "Projet d\xC3\xA9j\xC3\xA0 financ\xC3\xA9; voir \"Ville\"");
        CHECK_INT(o[2].kind, INPUTS_OVERRIDE_FUND); /* "accorder" */
        CHECK_INT(o[2].has_amount, 1);
        CHECK_INT(o[2].amount, 400000);
        CHECK_INT(o[2].from_reserve, 0);
    }
    inputs_free(&in);
    diag_free(&d);
}

TEST(optional_files_may_be_absent)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_basic", &d), 0);
    CHECK_INT(in.n_evals, 0);
    CHECK(in.evals == NULL);
    CHECK_INT(in.n_overrides, 0);
    CHECK(in.overrides == NULL);
    inputs_free(&in);
    diag_free(&d);
}

/* ---- refusals ------------------------------------------------------ */

/* The bad-input corpus (tests/data/corpus/README.md) is checked through
 * the binary by tests/e2e/test_inputs.sh; here through the library, for
 * what the binary cannot show: the status, and a result left empty. */
#define CORPUS "tests/data/corpus/"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    long n;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0
        && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)n + 1))) {
        text[fread(text, 1, (size_t)n, f)] = '\0';
    }
    if (f)
        fclose(f);
    return text;
}

static int result_empty(const inputs *in)
{
    return !in->apps && !in->n_apps && !in->years && !in->split
           && !in->arena && !in->extra_names && !in->n_extra && !in->evals
           && !in->n_evals && !in->overrides && !in->n_overrides;
}

/* Loads CORPUS/name: DIAG_DATA, exactly the messages of its expected.txt,
 * and an empty result. */
static void refused(const char *name)
{
    char dir[512], path[600];
    inputs in;
    diag d;
    snprintf(dir, sizeof dir, CORPUS "%s", name);
    snprintf(path, sizeof path, "%s/expected.txt", dir);
    char *expected = slurp(path);
    diag_init(&d);
    int rc = inputs_load(&in, dir, &d);
    if (rc != DIAG_DATA)
        TESTLIB_FAIL("%s: status %d, expected %d", name, rc, DIAG_DATA);
    if (!expected || strcmp(diag_text(&d), expected) != 0)
        TESTLIB_FAIL("%s: messages\n%s  expected\n%s", name, diag_text(&d),
                     expected ? expected : "(no expected.txt)\n");
    if (!result_empty(&in))
        TESTLIB_FAIL("%s: result not left empty", name);
    inputs_free(&in); /* still safe */
    diag_free(&d);
    free(expected);
}

TEST(refuses_the_corpus)
{
    DIR *dir = opendir(CORPUS);
    struct dirent *e;
    size_t n = 0;
    CHECK(dir != NULL);
    while (dir && (e = readdir(dir))) {
        char path[600];
        struct stat st;
        snprintf(path, sizeof path, CORPUS "%s/expected.txt", e->d_name);
        /* field_10mb: its big file is written by the e2e script only */
        if (e->d_name[0] == '.' || stat(path, &st) != 0
            || strcmp(e->d_name, "field_10mb") == 0)
            continue;
        refused(e->d_name);
        n++;
    }
    if (dir)
        closedir(dir);
    CHECK(n >= 45); /* the corpus was found, not skipped */
}

/* The baseline of the corpus loads, with both optional files. */
TEST(corpus_baseline_loads)
{
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, CORPUS "valid", &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(in.n_apps, 3);
    CHECK_INT(in.n_evals, 3);
    CHECK_INT(in.n_overrides, 2);
    inputs_free(&in);
    diag_free(&d);
}

static int write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Cells bigger than a quarter of an arena block get blocks of their own;
 * the small strings around them must stay intact. */
TEST(big_cells_load)
{
    char dir[] = "/tmp/test_inputs_XXXXXX";
    size_t big = 400000, hlen = 300000;
    char *text = malloc(2 * big + hlen + 1024);
    CHECK(mkdtemp(dir) != NULL && text != NULL);
    if (!text)
        return;
    int n = sprintf(text, "id,organisation,subregion,requested,total_cost,"
                          "title,");
    memset(text + n, 'h', hlen); /* a 300 KB header name: an extra */
    n += (int)hlen;
    n += sprintf(text + n, "\nA1,Org,Acton,5,5,");
    memset(text + n, 't', big);
    n += (int)big;
    n += sprintf(text + n, ",x\nA2,Org2,Acton,6,6,short,");
    memset(text + n, 'e', big);
    n += (int)big;
    sprintf(text + n, "\n");
    CHECK_INT(write_file(dir, "applications.csv", text), 0);
    CHECK_INT(write_file(dir, "envelopes.csv",
                         "fiscal_year,amount\n2024-2025,100\n"), 0);
    CHECK_INT(write_file(dir, "split.csv", "subregion\nActon\n"), 0);
    inputs in;
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, dir, &d), 0);
    CHECK_STR(diag_text(&d), "");
    CHECK_INT(in.n_apps, 2);
    CHECK_INT(in.n_extra, 1);
    if (in.n_apps == 2 && in.n_extra == 1) {
        CHECK_INT(strlen(in.extra_names[0]), hlen);
        CHECK_INT(strlen(in.extra_keys[0]), hlen);
        CHECK_INT(strlen(in.apps[0].title), big);
        CHECK_INT(in.apps[0].title[big - 1], 't');
        CHECK_STR(in.apps[0].extra[0], "x");
        CHECK_STR(in.apps[1].id, "A2");
        CHECK_STR(in.apps[1].title, "short");
        CHECK_INT(strlen(in.apps[1].extra[0]), big);
        CHECK_INT(in.apps[1].requested, 600);
    }
    inputs_free(&in);
    diag_free(&d);
    const char *files[] = {"applications.csv", "envelopes.csv", "split.csv"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(text, 1024, "%s/%s", dir, files[i]);
        remove(text);
    }
    rmdir(dir);
    free(text);
}

TEST(free_is_safe_on_empty_and_twice)
{
    inputs in;
    memset(&in, 0, sizeof in);
    inputs_free(&in);
    inputs_free(&in);
    CHECK_INT(inputs_envelope_total(&in), 0);
    CHECK_INT(inputs_find_subregion(&in, "Acton"), -1);
    diag d;
    diag_init(&d);
    CHECK_INT(inputs_load(&in, FIXTURES "good_basic", &d), 0);
    inputs_free(&in);
    inputs_free(&in);
    CHECK(in.apps == NULL && in.arena == NULL && in.n_apps == 0);
    diag_free(&d);
}

int main(void)
{
    RUN(good_basic_applications);
    RUN(good_basic_envelopes_and_split);
    RUN(good_amounts_and_no_applications);
    RUN(shares_exact_and_within_tolerance);
    RUN(evaluations_load_in_hundredths);
    RUN(overrides_load);
    RUN(optional_files_may_be_absent);
    RUN(refuses_the_corpus);
    RUN(corpus_baseline_loads);
    RUN(big_cells_load);
    RUN(free_is_safe_on_empty_and_twice);
    return testlib_done("inputs");
}
