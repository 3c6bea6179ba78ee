/* Unit tests for engine/inputs*.c: good input folders load with exact
 * cents, dates and lines; every refusal has its own fixture folder under
 * tests/data/inputs/ and its exact message; several problems are all
 * reported at once. */
#include <stdlib.h>
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

/* ---- refusals ------------------------------------------------------ */

/* Loads FIXTURES/fixture: DIAG_DATA, exactly these messages (in any
 * order, each a whole line), and an empty result. */
static void refused(const char *fixture, const char *const *msgs)
{
    char dir[256];
    inputs in;
    diag d;
    size_t n = 0;
    snprintf(dir, sizeof dir, FIXTURES "%s", fixture);
    diag_init(&d);
    int rc = inputs_load(&in, dir, &d);
    const char *text = diag_text(&d);
    if (rc != DIAG_DATA)
        TESTLIB_FAIL("%s: status %d, expected %d", fixture, rc, DIAG_DATA);
    for (; msgs[n]; n++) {
        char line[1024];
        snprintf(line, sizeof line, "%s\n", msgs[n]);
        if (!strstr(text, line))
            TESTLIB_FAIL("%s: no message\n    %s\n  in\n%s", fixture,
                         msgs[n], text);
    }
    if (d.count != n)
        TESTLIB_FAIL("%s: %zu messages, expected %zu:\n%s", fixture, d.count,
                     n, text);
    if (in.apps || in.n_apps || in.years || in.split || in.arena
        || in.extra_names || in.n_extra)
        TESTLIB_FAIL("%s: result not left empty", fixture);
    inputs_free(&in); /* still safe */
    diag_free(&d);
}

#define REFUSED(fixture, ...)                                              \
    do {                                                                   \
        const char *const msgs_[] = {__VA_ARGS__, NULL};                   \
        refused(fixture, msgs_);                                           \
    } while (0)

TEST(refuses_missing_or_empty_files)
{
    REFUSED("missing_file",
            "applications.csv: cannot open tests/data/inputs/missing_file/"
            "applications.csv: No such file or directory");
    REFUSED("empty_applications",
            "applications.csv: empty file: expected a header line");
    REFUSED("empty_envelopes",
            "envelopes.csv: no fiscal years: expected one row per fiscal "
            "year");
    REFUSED("empty_split",
            "split.csv: no subregions: expected one row per subregion");
}

TEST(refuses_bad_headers)
{
    REFUSED("missing_column",
            "applications.csv:1: missing required column 'requested' (also "
            "accepted: montant_demande, demande, amount_requested)");
    REFUSED("missing_split_column",
            "split.csv:1: missing required column 'subregion' (also "
            "accepted: sous_region, territoire, mrc)");
    REFUSED("duplicate_column",
            "applications.csv:1:6: duplicate column \"Montant "
            "demand\xC3\xA9\": 'requested' is already column 4",
            "applications.csv:1:8: duplicate column \"Priorit\xC3\xA9\": same "
            "name as column 7");
}

TEST(refuses_bad_rows)
{
    REFUSED("ragged_row",
            "applications.csv:3: row has 9 fields, the header has 10");
    REFUSED("value_without_header",
            "applications.csv:3:6: a value in column 6, which has no header "
            "name");
}

TEST(refuses_bad_application_values)
{
    REFUSED("empty_id", "applications.csv:3:1: id: \"\" is empty");
    REFUSED("duplicate_id",
            "applications.csv:4:1: id: \"A-001\" is a duplicate of line 2");
    REFUSED("unknown_subregion",
            "applications.csv:3:3: subregion: \"Granby\" is not in split.csv "
            "(known: Acton, Brome-Missisquoi, Haute-Yamaska)");
    REFUSED("reserve_subregion",
            "applications.csv:3:3: subregion: \"R\xC3\xA9serve "
            "r\xC3\xA9gionale\" is the regional reserve (split.csv line 5), "
            "not a subregion");
    REFUSED("bad_requested",
            "applications.csv:3:4: requested: \"12,3,4\" is not an amount");
    REFUSED("zero_requested",
            "applications.csv:3:4: requested: \"0\" must be more than 0");
    REFUSED("cost_below_requested",
            "applications.csv:3:5: total_cost: \"500\" is less than the "
            "amount requested (1000.00)");
    REFUSED("bad_start",
            "applications.csv:3:8: start: \"2024-02-30\" is not a date "
            "(expected YYYY-MM-DD, e.g. 2025-04-01)");
    REFUSED("bad_months",
            "applications.csv:3:9: months: \"douze\" is not a whole number "
            "of months from 1 to 1200");
    REFUSED("zero_months",
            "applications.csv:3:9: months: \"0\" is not a whole number of "
            "months from 1 to 1200");
}

TEST(refuses_bad_envelopes)
{
    REFUSED("bad_fiscal_year",
            "envelopes.csv:2:1: fiscal_year: \"2024-2026\" is not a fiscal "
            "year (expected e.g. 2024-2025)");
    REFUSED("duplicate_year",
            "envelopes.csv:3:1: fiscal_year: \"2024-2025\" is a duplicate of "
            "line 2");
    REFUSED("year_gap",
            "envelopes.csv:3:1: fiscal_year: \"2026-2027\" does not follow "
            "2024-2025 (line 2): 2025-2026 is missing");
    REFUSED("negative_envelope",
            "envelopes.csv:2:2: amount: \"-5\" must not be negative");
}

TEST(refuses_bad_split)
{
    REFUSED("duplicate_subregion",
            "split.csv:3:1: subregion: \"Acton\" is a duplicate of line 2");
    REFUSED("mixed_split",
            "split.csv: both amount (column 2) and share (column 3) have "
            "values; give one or the other");
    REFUSED("share_missing",
            "split.csv:3:2: share: \"\" is missing (the other subregions "
            "have one; only the reserve row may be empty)");
    REFUSED("shares_sum", "split.csv: shares add up to 0.9, not 1");
    REFUSED("share_range",
            "split.csv:2:2: share: \"1.5\" is not between 0 and 1 (0 % and "
            "100 %)",
            "split.csv:3:2: share: \"-0.5\" is not between 0 and 1 (0 % and "
            "100 %)");
    REFUSED("bad_share",
            "split.csv:2:2: share: \"abc\" is not a share (expected e.g. "
            "0.25, 0,25 or 25 %)");
    REFUSED("split_over_envelope",
            "split.csv: amounts add up to 2500000.00, more than the "
            "2000000.00 of envelopes.csv");
    REFUSED("bad_reserve",
            "split.csv:2:3: reserve: \"peut-\xC3\xAAtre\" is not yes or no "
            "(expected oui, non, yes, no, true, false, 1, 0, x or empty)");
    REFUSED("second_reserve",
            "split.csv:5:3: reserve: \"yes\" marks a second reserve row (the "
            "first is line 4)");
}

TEST(reports_every_error_of_every_file)
{
    REFUSED("many_errors",
            "split.csv:3:3: reserve: \"peut-\xC3\xAAtre\" is not yes or no "
            "(expected oui, non, yes, no, true, false, 1, 0, x or empty)",
            "envelopes.csv:3:2: amount: \"abc\" is not an amount",
            "applications.csv:2:4: requested: \"12,3,4\" is not an amount",
            "applications.csv:3:2: organisation: \"\" is empty",
            "applications.csv:3:3: subregion: \"Granby\" is not in split.csv "
            "(known: Acton, Brome-Missisquoi, Haute-Yamaska)",
            "applications.csv:3:5: total_cost: \"4000\" is less than the "
            "amount requested (5000.00)",
            "applications.csv:3:8: start: \"2025-13-01\" is not a date "
            "(expected YYYY-MM-DD, e.g. 2025-04-01)",
            "applications.csv:3:9: months: \"0\" is not a whole number of "
            "months from 1 to 1200",
            "applications.csv:4:1: id: \"A-001\" is a duplicate of line 2",
            "applications.csv:4:4: requested: \"1.234\" has more than two "
            "decimals",
            "applications.csv:5: row has 4 fields, the header has 10");
}

TEST(structural_error_stops_only_its_file)
{
    REFUSED("bad_utf8",
            "split.csv:3:1: subregion: \"Acton\" is a duplicate of line 2",
            "applications.csv:3:2: invalid UTF-8 byte 0xE9; save the file as "
            "\"CSV UTF-8\"");
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
    RUN(refuses_missing_or_empty_files);
    RUN(refuses_bad_headers);
    RUN(refuses_bad_rows);
    RUN(refuses_bad_application_values);
    RUN(refuses_bad_envelopes);
    RUN(refuses_bad_split);
    RUN(reports_every_error_of_every_file);
    RUN(structural_error_stops_only_its_file);
    RUN(big_cells_load);
    RUN(free_is_safe_on_empty_and_twice);
    return testlib_done("inputs");
}
