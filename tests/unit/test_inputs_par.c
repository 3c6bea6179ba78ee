/* Unit tests for engine/inputs_par.c (applications.csv in two halves on
 * two threads): generated input folders, good and bad, loaded with one
 * thread and with two give the same status, the same messages and the
 * same applications, every field compared; each generated file is
 * checked to take the two-half path (csvread_file_halves splits it).
 * The corpus of bad inputs, every file split, gives its expected.txt. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvread.h"
#include "inputs.h"
#include "testlib.h"

#define CORPUS "tests/data/corpus/"
#define ROWS 3000

/* ---- generated folders --------------------------------------------- */

typedef struct edit {
    int row;          /* 1-based data row replaced, 0: end of list */
    const char *line; /* the whole row, without its line end */
} edit;

typedef struct shape {
    int bom, crlf, semicolon;
    int rows;
    const edit *edits;
} shape;

static const char *const subs[] = {"Acton", "Brome-Missisquoi",
                                   "Haute-Yamaska"};

/* Data row i (1-based) as gen_apps.py would vary it: quoted money with a
 * decimal comma, quoted titles holding delimiters, quotes and line ends,
 * optional dates and months, an extra column. */
static void app_row(FILE *f, const shape *s, int i)
{
    char d = s->semicolon ? ';' : ',';
    const char *nl = s->crlf ? "\r\n" : "\n";
    fprintf(f, "A-%06d%cOrg %d%c%s%c", i, d, i % 97, d, subs[i % 3], d);
    if (i % 3 == 0)
        fprintf(f, "\"%d %03d,%02d $\"%c", 1 + i % 40, i % 1000, i % 100, d);
    else
        fprintf(f, "%d.%02d%c", 1000 + i, i % 100, d);
    fprintf(f, "%d%c", 90000 + i, d);
    if (i % 7 == 0)
        fprintf(f, "\"Projet, \"\"%d\"\"; suite%s et fin\"%c", i, nl, d);
    else
        fprintf(f, "Projet %d%c", i, d);
    fprintf(f, "%s%c%s%cn%d%s", i % 2 ? "2025-04-01" : "", d,
            i % 5 ? "12" : "", d, i, nl);
}

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* A folder in /tmp with split.csv, envelopes.csv and applications.csv
 * of shape s; dir receives its path. */
static int gen(const shape *s, char dir[64])
{
    strcpy(dir, "/tmp/test_inputs_par_XXXXXX");
    if (!mkdtemp(dir)
        || write_text(dir, "split.csv",
                      "subregion,amount,reserve\nActon,500000,non\n"
                      "Brome-Missisquoi,700000,non\nHaute-Yamaska,800000,"
                      "non\nRéserve régionale,,oui\n")
        || write_text(dir, "envelopes.csv",
                      "fiscal_year,amount\n2024-2025,2000000\n"))
        return -1;
    char path[600];
    snprintf(path, sizeof path, "%s/applications.csv", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    char d = s->semicolon ? ';' : ',';
    if (s->bom)
        fputs("\xEF\xBB\xBF", f);
    fprintf(f, "id%corganisation%csubregion%crequested%ctotal_cost%ctitle%c"
               "start%cmonths%cnote%s",
            d, d, d, d, d, d, d, d, s->crlf ? "\r\n" : "\n");
    for (int i = 1; i <= s->rows; i++) {
        const edit *e = s->edits;
        while (e && e->row && e->row != i)
            e++;
        if (e && e->row)
            fprintf(f, "%s%s", e->line, s->crlf ? "\r\n" : "\n");
        else
            app_row(f, s, i);
    }
    return fclose(f);
}

static void rm_folder(const char *dir)
{
    static const char *const files[] = {"applications.csv", "envelopes.csv",
                                        "split.csv"};
    for (size_t i = 0; i < 3; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static int count_row(void *ctx, const csvread_row *row)
{
    (void)row;
    ++*(size_t *)ctx;
    return 0;
}

static int ready(void *ctx, void *ctx2, size_t rows)
{
    (void)ctx;
    (void)ctx2;
    (void)rows;
    return 0;
}

/* Does csvread_file_halves cut dir's applications.csv in two? */
static int splits(const char *dir)
{
    char path[600];
    size_t n1 = 0, n2 = 0;
    diag d, d2;
    diag_init(&d);
    diag_init(&d2);
    snprintf(path, sizeof path, "%s/applications.csv", dir);
    csvread_halves h = {count_row, &n1, &n2, &d2, ready};
    int split = 0;
    csvread_file_halves(path, "applications.csv", &h, NULL, &d, &split);
    diag_free(&d);
    diag_free(&d2);
    return split && n1 > 1 && n2 > 0;
}

/* ---- comparing two loads ------------------------------------------- */

static int same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int same_app(const inputs *x, const inputs *y, size_t i)
{
    const application *a = &x->apps[i], *b = &y->apps[i];
    int same = same_str(a->id, b->id)
               && same_str(a->organisation, b->organisation)
               && same_str(a->subregion_name, b->subregion_name)
               && same_str(a->title, b->title)
               && same_str(a->org_type, b->org_type)
               && a->subregion == b->subregion
               && a->requested == b->requested
               && a->total_cost == b->total_cost
               && a->has_start == b->has_start
               && (!a->has_start || a->start == b->start)
               && a->months == b->months && a->line == b->line
               && !a->extra == !b->extra;
    for (size_t k = 0; same && a->extra && k < x->n_extra; k++)
        same = same_str(a->extra[k], b->extra[k]);
    return same;
}

static int same_inputs(const inputs *x, const inputs *y)
{
    if (x->n_apps != y->n_apps || x->n_extra != y->n_extra
        || x->n_split != y->n_split || x->n_years != y->n_years
        || x->n_digests != y->n_digests)
        return 0;
    for (size_t k = 0; k < x->n_extra; k++)
        if (!same_str(x->extra_names[k], y->extra_names[k])
            || !same_str(x->extra_keys[k], y->extra_keys[k])
            || x->extra_columns[k] != y->extra_columns[k])
            return 0;
    for (size_t i = 0; i < x->n_digests; i++)
        if (!same_str(x->digests[i].file, y->digests[i].file)
            || !same_str(x->digests[i].sha256, y->digests[i].sha256))
            return 0;
    for (size_t i = 0; i < x->n_apps; i++)
        if (!same_app(x, y, i)) {
            printf("  application %zu (line %ld) differs\n", i,
                   x->apps[i].line);
            return 0;
        }
    return 1;
}

/* Loads dir with one thread and with two: the same status (want), the
 * same messages, the same result; the messages into msgs (the caller
 * frees). dir's applications.csv must split, unless its first half
 * stops the read (the second is then dropped). */
static void same_loads(const char *dir, int must_split, int want,
                       char **msgs)
{
    inputs one, two;
    diag d1, d2;
    diag_init(&d1);
    diag_init(&d2);
    CHECK(splits(dir) || !must_split);
    CHECK_INT(inputs_load_jobs(&one, dir, 1, &d1), want);
    CHECK_INT(inputs_load_jobs(&two, dir, 2, &d2), want);
    CHECK_STR(diag_text(&d2), diag_text(&d1));
    CHECK_INT(d2.count, d1.count);
    CHECK(same_inputs(&one, &two));
    if (want == 0)
        CHECK_INT(one.n_apps, ROWS);
    if (msgs)
        *msgs = strdup(diag_text(&d1));
    inputs_free(&one);
    inputs_free(&two);
    diag_free(&d1);
    diag_free(&d2);
}

static int occurrences(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* gen + same_loads + checks that each of want_lines is in the messages */
static void case_of(const shape *s, int want, const char *const *lines)
{
    char dir[64], *msgs = NULL;
    CHECK_INT(gen(s, dir), 0);
    same_loads(dir, 1, want, &msgs);
    for (; lines && *lines; lines++)
        if (!msgs || !strstr(msgs, *lines))
            TESTLIB_FAIL("no \"%s\" in\n%s", *lines, msgs ? msgs : "");
    free(msgs);
    rm_folder(dir);
}

/* ---- good files ---------------------------------------------------- */

TEST(good_file_same_with_two_threads)
{
    shape s = {.rows = ROWS};
    case_of(&s, 0, NULL);
}

TEST(bom_crlf_semicolon_same_with_two_threads)
{
    shape s = {.bom = 1, .crlf = 1, .semicolon = 1, .rows = ROWS};
    case_of(&s, 0, NULL);
    shape crlf = {.crlf = 1, .rows = ROWS};
    case_of(&crlf, 0, NULL);
    shape bom = {.bom = 1, .rows = ROWS};
    case_of(&bom, 0, NULL);
}

/* The row straddling the cut (55 % of the data) holds a quoted cell of
 * many lines with delimiters and quotes: the second half starts after
 * it, and the lines after it keep their numbers. */
TEST(quoted_lines_across_the_cut)
{
    static char big[40000];
    size_t n = (size_t)snprintf(big, sizeof big,
                                "A-%06d,Org,Acton,10,10,\"", ROWS / 2);
    while (n < sizeof big - 200)
        n += (size_t)snprintf(big + n, sizeof big - n,
                              "ligne; avec, des \"\"guillemets\"\"\n");
    snprintf(big + n, sizeof big - n, "fin\",2025-04-01,12,x");
    edit e[] = {{ROWS / 2, big}, {ROWS / 2 + 3, "A-000001,Dup,Acton,1,1,t,,,"},
                {0, NULL}};
    for (int at = ROWS / 2 - 40; at <= ROWS / 2 + 60; at += 50) {
        e[0].row = at;
        shape s = {.rows = ROWS, .edits = e};
        static const char *const dup[] = {"is a duplicate of line 2", NULL};
        case_of(&s, DIAG_DATA, dup);
    }
}

/* ---- data errors in either half ------------------------------------ */

static const edit first_half[] = {
    {10, "A-000010,Org,Acton,12x,100,t,,,"},
    {0, NULL}};
static const edit second_half[] = {
    {ROWS - 10, "A-002990,Org,Acton,100,100,t,2025-13-45,,"},
    {0, NULL}};
static const edit both_halves[] = {
    {10, "A-000010,Org,Nowhere,100,100,t,,,"},
    {ROWS - 10, "A-002990,Org,Acton,100,50,t,,,"},
    {ROWS - 5, "A-002995,Org,Acton,100,100,t,,0,"},
    {0, NULL}};

TEST(errors_in_the_first_half)
{
    shape s = {.rows = ROWS, .edits = first_half};
    static const char *const want[] = {":4: requested: \"12x\"", NULL};
    case_of(&s, DIAG_DATA, want);
}

TEST(errors_in_the_second_half)
{
    shape s = {.rows = ROWS, .edits = second_half};
    static const char *const want[] = {"applications.csv:", "start", NULL};
    case_of(&s, DIAG_DATA, want);
}

TEST(errors_in_both_halves_in_file_order)
{
    shape s = {.rows = ROWS, .edits = both_halves};
    static const char *const want[] = {"Nowhere", "total_cost", "months",
                                       NULL};
    case_of(&s, DIAG_DATA, want);
}

/* A duplicate in the second half names the first occurrence, in the
 * first half or in the second; a third names the first too; an id cell
 * with another error in the same row keeps the one-thread order. */
TEST(duplicates_across_halves)
{
    static const edit e[] = {
        {2400, "A-000005,Dup,Acton,100,100,t,,,"},
        {2500, "A-000005,Dup,Acton,100x,100,t,,,"},
        {2600, "A-002550,Dup,Acton,100,100,t,,,"},
        {2700, ",Empty,Acton,100,100,t,,,"},
        {40, "A-000039,Dup,Acton,100,100,t,,,"},
        {0, NULL}};
    for (int crlf = 0; crlf <= 1; crlf++) {
        shape s = {.crlf = crlf, .rows = ROWS, .edits = e};
        char dir[64], *msgs = NULL;
        CHECK_INT(gen(&s, dir), 0);
        same_loads(dir, 1, DIAG_DATA, &msgs);
        CHECK_INT(occurrences(msgs, "is a duplicate of line"), 4);
        CHECK_INT(occurrences(msgs, ":1: id: \"A-000005\" is a duplicate "
                                    "of line 6\n"),
                  2);
        CHECK_INT(occurrences(msgs, "A-002550\" is a duplicate"), 1);
        CHECK_INT(occurrences(msgs, "id: \"\" is empty"), 1);
        free(msgs);
        rm_folder(dir);
    }
}

/* More errors than diag keeps, on both sides of the cut: the same kept
 * messages and the same "... and N more". */
TEST(error_cap_across_halves)
{
    static edit e[121];
    static char lines[120][64];
    for (int k = 0; k < 120; k++) {
        int row = k < 60 ? 100 + k * 10 : 1700 + k * 10;
        snprintf(lines[k], sizeof lines[k],
                 "A-%06d,Org,Acton,%s,100,t,,,", k % 2 ? 5 : row,
                 k % 3 ? "-1" : "1");
        e[k] = (edit){row, lines[k]};
    }
    e[120] = (edit){0, NULL};
    shape s = {.rows = ROWS, .edits = e};
    static const char *const want[] = {"... and ", NULL};
    case_of(&s, DIAG_DATA, want);
}

/* ---- structural errors: the read stops at the first ------------------ */

TEST(structural_error_in_the_first_half_stops_the_read)
{
    static const edit e[] = {
        {100, "A-000100,Org,Acton,100,100,t\"x,,,"},
        {2900, "A-002900,Org,Acton,-5,100,t,,,"},
        {0, NULL}};
    shape s = {.rows = ROWS, .edits = e};
    char dir[64], *msgs = NULL;
    CHECK_INT(gen(&s, dir), 0);
    same_loads(dir, 0, DIAG_DATA, &msgs);
    CHECK(msgs && strstr(msgs, "stray") && !strstr(msgs, "-5"));
    free(msgs);
    rm_folder(dir);
}

TEST(structural_error_in_the_second_half)
{
    static const edit e[] = {
        {50, "A-000050,Org,Acton,-5,100,t,,,"},
        {2800, "A-002800,Org,Acton,100,100,t\xC3(,,,"},
        {2900, "A-002900,Org,Acton,-7,100,t,,,"},
        {0, NULL}};
    shape s = {.rows = ROWS, .edits = e};
    static const char *const want[] = {"-5", "UTF-8", NULL};
    case_of(&s, DIAG_DATA, want);
    static const edit open[] = {{ROWS, "A-003000,Org,Acton,1,1,\"open,,,"},
                                {0, NULL}};
    shape unterminated = {.rows = ROWS, .edits = open};
    static const char *const quote[] = {"unterminated quote", NULL};
    case_of(&unterminated, DIAG_DATA, quote);
}

/* ---- the corpus, every file cut in two ------------------------------ */

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

TEST(corpus_same_messages_with_two_threads)
{
    DIR *dir = opendir(CORPUS);
    struct dirent *e;
    size_t n = 0;
    CHECK(dir != NULL);
    while (dir && (e = readdir(dir))) {
        char path[600], folder[600];
        struct stat st;
        snprintf(path, sizeof path, CORPUS "%s/expected.txt", e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0
            || strcmp(e->d_name, "field_10mb") == 0)
            continue;
        snprintf(folder, sizeof folder, CORPUS "%s", e->d_name);
        char *expected = slurp(path);
        inputs in;
        diag d;
        diag_init(&d);
        int rc = inputs_load_jobs(&in, folder, 2, &d);
        if (rc != DIAG_DATA || !expected
            || strcmp(diag_text(&d), expected) != 0)
            TESTLIB_FAIL("%s: status %d, messages\n%s  expected\n%s",
                         e->d_name, rc, diag_text(&d),
                         expected ? expected : "");
        inputs_free(&in);
        diag_free(&d);
        free(expected);
        n++;
    }
    if (dir)
        closedir(dir);
    CHECK(n > 40);
}

int main(void)
{
    /* every file above a byte is cut: the generated ones and the corpus */
    setenv("ALLIANCE_CSV_SPLIT_MIN", "1", 1);
    RUN(good_file_same_with_two_threads);
    RUN(bom_crlf_semicolon_same_with_two_threads);
    RUN(quoted_lines_across_the_cut);
    RUN(errors_in_the_first_half);
    RUN(errors_in_the_second_half);
    RUN(errors_in_both_halves_in_file_order);
    RUN(duplicates_across_halves);
    RUN(error_cap_across_halves);
    RUN(structural_error_in_the_first_half_stops_the_read);
    RUN(structural_error_in_the_second_half);
    RUN(corpus_same_messages_with_two_threads);
    return testlib_done("inputs_par");
}
