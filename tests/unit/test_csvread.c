/* Unit tests for engine/csvread.c: delimiters, BOM, CRLF, quoting, exact
 * line numbers, every refusal with its file:line:col message, streaming
 * across chunks, and header-name normalisation. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "csvread.h"
#include "testlib.h"

/* Rows rendered as "index@line:field|field\n", with CR and LF inside
 * fields shown as \r and \n. */
typedef struct collect {
    char out[16384];
    size_t len;
    size_t rows;
    size_t stop_at; /* row index whose callback returns 42; 0: never */
    int bad_len;    /* a field whose len disagreed with its NUL */
    uint64_t sum;   /* FNV-1a of the whole rendering, past out's size */
    long last_line;
} collect;

static void put(collect *c, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        c->sum = (c->sum ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    if (c->len + n < sizeof c->out) {
        memcpy(c->out + c->len, s, n + 1);
        c->len += n;
    }
}

static int collect_row(void *ctx, const csvread_row *row)
{
    collect *c = ctx;
    char head[64];
    snprintf(head, sizeof head, "%zu@%ld:", row->index, row->line);
    put(c, head);
    for (size_t i = 0; i < row->n; i++) {
        if (strlen(row->field[i]) != row->len[i])
            c->bad_len = 1;
        if (i > 0)
            put(c, "|");
        for (const char *p = row->field[i]; *p; p++) {
            char ch[2] = {*p, '\0'};
            put(c, *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : ch);
        }
    }
    put(c, "\n");
    c->rows++;
    c->last_line = row->line;
    return c->stop_at && row->index == c->stop_at ? 42 : 0;
}

/* Parses text (len bytes) as "t.csv"; returns the status. */
static int run(const char *text, size_t len, collect *c, diag *d)
{
    memset(c, 0, sizeof *c);
    diag_init(d);
    return csvread_mem(text, len, "t.csv", collect_row, c, d);
}

#define CHECK_ROWS(text, expected)                                         \
    do {                                                                   \
        collect c_;                                                        \
        diag d_;                                                           \
        CHECK_INT(run(text, sizeof text - 1, &c_, &d_), 0);                \
        CHECK_STR(c_.out, expected);                                       \
        CHECK_STR(diag_text(&d_), "");                                     \
        CHECK_INT(c_.bad_len, 0);                                          \
        diag_free(&d_);                                                    \
    } while (0)

/* The only message is exactly msg, the status DIAG_DATA, and the rows
 * handed over before the problem are rows. */
#define CHECK_REFUSED(text, rows, msg)                                     \
    do {                                                                   \
        collect c_;                                                        \
        diag d_;                                                           \
        CHECK_INT(run(text, sizeof text - 1, &c_, &d_), DIAG_DATA);        \
        CHECK_STR(diag_text(&d_), msg "\n");                               \
        CHECK_INT(d_.count, 1);                                            \
        CHECK_STR(c_.out, rows);                                           \
        diag_free(&d_);                                                    \
    } while (0)

TEST(comma_rows)
{
    CHECK_ROWS("a,b,c\n1,2,3\n", "0@1:a|b|c\n1@2:1|2|3\n");
    CHECK_ROWS("a,b\n1,\n,2\n", "0@1:a|b\n1@2:1|\n2@3:|2\n");
}

TEST(semicolon_detected)
{
    CHECK_ROWS("a;b;c\n1,5;2,25;3\n", "0@1:a|b|c\n1@2:1,5|2,25|3\n");
    /* commas inside quotes do not count */
    CHECK_ROWS("\"x,y,z\";a;b\n1;2;3\n", "0@1:x,y,z|a|b\n1@2:1|2|3\n");
    /* nor do semicolons */
    CHECK_ROWS("\"x;y;z\",a,b\n1;2,3,4\n", "0@1:x;y;z|a|b\n1@2:1;2|3|4\n");
    /* a single column: comma by default, so ';' stays in the field */
    CHECK_ROWS("name\nx;y\n", "0@1:name\n1@2:x;y\n");
    /* the header line, not later lines, decides */
    CHECK_ROWS("a;b\n1,2,3;4\n", "0@1:a|b\n1@2:1,2,3|4\n");
}

TEST(bom_skipped)
{
    CHECK_ROWS("\xEF\xBB\xBFid;nom\n1;x\n", "0@1:id|nom\n1@2:1|x\n");
    CHECK_ROWS("\xEF\xBB\xBF\n\nid\n1\n", "0@3:id\n1@4:1\n");
}

TEST(crlf_and_blank_lines)
{
    CHECK_ROWS("a,b\r\n1,2\r\n\r\n3,4\r\n", "0@1:a|b\n1@2:1|2\n2@4:3|4\n");
    CHECK_ROWS("\n\n  \na,b\n\n1,2\n\n \t\n\r\n",
               "0@4:a|b\n1@6:1|2\n");
    /* no newline at the end */
    CHECK_ROWS("a,b\n1,2", "0@1:a|b\n1@2:1|2\n");
    CHECK_ROWS("a,b\r\n1,2\r", "0@1:a|b\n1@2:1|2\n");
}

TEST(spaces_around_unquoted_fields_are_trimmed)
{
    CHECK_ROWS("a , b\n  1 ,\t2\t\n", "0@1:a|b\n1@2:1|2\n");
    CHECK_ROWS("a\n\" x \"\n", "0@1:a\n1@2: x \n");
}

TEST(quoted_fields)
{
    /* delimiter, doubled quote and newline inside quotes; the next row's
     * line counts the newline */
    CHECK_ROWS("id,text,n\n1,\"a, \"\"b\"\"\nc\",2\n3,x,4\n",
               "0@1:id|text|n\n1@2:1|a, \"b\"\\nc|2\n2@4:3|x|4\n");
    /* a quoted first field over three lines starts its row on the first */
    CHECK_ROWS("h1,h2\n\"x\ny\nz\",1\nq,2\n",
               "0@1:h1|h2\n1@2:x\\ny\\nz|1\n2@5:q|2\n");
    /* CRLF inside a quoted field is kept; lines still counted on LF */
    CHECK_ROWS("h\r\n\"a\r\nb\"\r\nc\r\n", "0@1:h\n1@2:a\\r\\nb\n2@4:c\n");
    /* blank lines inside quotes are data, not skipped */
    CHECK_ROWS("h;i\n\"\n\n\";1\n\n2;3\n", "0@1:h|i\n1@2:\\n\\n|1\n2@6:2|3\n");
    CHECK_ROWS("h\n\"\"\n", "0@1:h\n1@2:\n");
}

TEST(utf8_accepted)
{
    CHECK_ROWS("nom,montant\nCaf\xC3\xA9,5\xE2\x80\xAF" "000 \xE2\x82\xAC\n"
               "\xF0\x9F\x98\x80,\xC2\xA0\n",
               "0@1:nom|montant\n1@2:Caf\xC3\xA9|5\xE2\x80\xAF"
               "000 \xE2\x82\xAC\n2@3:\xF0\x9F\x98\x80|\xC2\xA0\n");
}

TEST(invalid_utf8_refused)
{
    CHECK_REFUSED("id,name\n1,caf\xE9\n", "0@1:id|name\n",
                  "t.csv:2:2: name: \"caf\\xE9\" is not valid UTF-8 (byte "
                  "0xE9): save the file as \"CSV UTF-8\"");
    /* the line of the byte itself, inside a multi-line field */
    CHECK_REFUSED("a,b\n1,\"x\ny\xE9\"\n", "0@1:a|b\n",
                  "t.csv:3:2: b: \"x y\\xE9\" is not valid UTF-8 (byte 0xE9): "
                  "save the file as \"CSV UTF-8\"");
    /* Windows-1252 apostrophe: a stray continuation byte */
    CHECK_REFUSED("a\nl\x92" "eau\n", "0@1:a\n",
                  "t.csv:2:1: a: \"l\\x92eau\" is not valid UTF-8 (byte "
                  "0x92): save the file as \"CSV UTF-8\"");
    /* overlong '/', surrogate, beyond U+10FFFF, truncated at the end */
    CHECK_REFUSED("a\n\xC0\xAF\n", "0@1:a\n",
                  "t.csv:2:1: a: \"\\xC0\\xAF\" is not valid UTF-8 (byte "
                  "0xC0): save the file as \"CSV UTF-8\"");
    CHECK_REFUSED("a\nx\xED\xA0\x80\n", "0@1:a\n",
                  "t.csv:2:1: a: \"x\\xED\\xA0\\x80\" is not valid UTF-8 "
                  "(byte 0xED): save the file as \"CSV UTF-8\"");
    CHECK_REFUSED("a\n\xF5\x80\x80\x80\n", "0@1:a\n",
                  "t.csv:2:1: a: \"\\xF5\\x80\\x80\\x80\" is not valid UTF-8 "
                  "(byte 0xF5): save the file as \"CSV UTF-8\"");
    CHECK_REFUSED("a,b\n1,\xE2\x82", "0@1:a|b\n",
                  "t.csv:2:2: b: \"\\xE2\\x82\" is not valid UTF-8 (byte "
                  "0xE2): save the file as \"CSV UTF-8\"");
    /* in the header: no column name to give */
    CHECK_REFUSED("Sous-r\xE9gion\n", "",
                  "t.csv:1:1: \"Sous-r\\xE9gion\" is not valid UTF-8 (byte "
                  "0xE9): save the file as \"CSV UTF-8\"");
}

TEST(nul_byte_refused)
{
    CHECK_REFUSED("a,b\n1,x\0y\n", "0@1:a|b\n",
                  "t.csv:2:2: b: \"x\\x00y\" holds a NUL byte: this is not a "
                  "text file; save it as \"CSV UTF-8\"");
}

TEST(bad_bytes_found_past_the_first_word)
{
    /* the scan goes 8 bytes at a time over plain ASCII */
    CHECK_REFUSED("a,b\n1,abcdefghijklmnop\0qrstuvwxyz\n", "0@1:a|b\n",
                  "t.csv:2:2: b: \"abcdefghijklmnop\\x00qrstuvwxyz\" holds a "
                  "NUL byte: this is not a text file; save it as \"CSV "
                  "UTF-8\"");
    CHECK_REFUSED("a\n\"abcdefgh\nijklmnopqrstuvwx\xE9yz\"\n", "0@1:a\n",
                  "t.csv:3:1: a: \"abcdefgh ijklmnopqrstuvwx\\xE9yz\" is not "
                  "valid UTF-8 (byte 0xE9): save the file as \"CSV UTF-8\"");
    CHECK_ROWS("a\nabcdefgh\xC3\xA9ijklmnop\xE2\x82\xAC"
               "qrstuvwxyz01234567\n",
               "0@1:a\n1@2:abcdefgh\xC3\xA9ijklmnop\xE2\x82\xAC"
               "qrstuvwxyz01234567\n");
}

TEST(unterminated_quote_refused)
{
    CHECK_REFUSED("a,b\n1,\"open\nmore\n", "0@1:a|b\n",
                  "t.csv:2:2: b: \"open more \" is missing its closing '\"' "
                  "(unterminated quote)");
    CHECK_REFUSED("a,b\n1,2\n\n\n\"x\n\n", "0@1:a|b\n1@2:1|2\n",
                  "t.csv:5:1: a: \"x  \" is missing its closing '\"' "
                  "(unterminated quote)");
}

TEST(stray_quotes_refused)
{
    CHECK_REFUSED("a,b\n1,x\"y\n", "0@1:a|b\n",
                  "t.csv:2:2: b: \"x\" is followed by a stray '\"' (a field "
                  "that holds quotes must be quoted, each quote doubled)");
    CHECK_REFUSED("a,b\n\"x\"y,1\n", "0@1:a|b\n",
                  "t.csv:2:1: a: \"x\" has text after its closing quote (a "
                  "field that holds quotes must be quoted, each quote "
                  "doubled)");
    CHECK_REFUSED("a,b\n1,\"x\"  y\n", "0@1:a|b\n",
                  "t.csv:2:2: b: \"x\" has text after its closing quote (a "
                  "field that holds quotes must be quoted, each quote "
                  "doubled)");
    /* a quoted cell running over lines, closed by what was meant to open
     * the next one: reported where the cell starts */
    CHECK_REFUSED("a,b\n1,\"x\ny\"z\n", "0@1:a|b\n",
                  "t.csv:2:2: b: \"x y\" has text after its closing quote on "
                  "line 3 (is a closing quote missing?)");
    /* on the line where it is, after a multi-line field */
    CHECK_REFUSED("a,b\n\"x\ny\",z\"\n", "0@1:a|b\n",
                  "t.csv:3:2: b: \"z\" is followed by a stray '\"' (a field "
                  "that holds quotes must be quoted, each quote doubled)");
}

TEST(empty_files_refused)
{
    CHECK_REFUSED("", "", "t.csv: empty file: expected a header line");
    CHECK_REFUSED("\xEF\xBB\xBF", "",
                  "t.csv: empty file: expected a header line");
    CHECK_REFUSED("\xEF\xBB\xBF\r\n\n  \n", "",
                  "t.csv: empty file: expected a header line");
}

#define NOT_CSV                                                            \
    "t.csv: is not a CSV file (an Excel workbook? save it as CSV UTF-8)"

TEST(not_csv_refused)
{
    /* a workbook (xlsx and ods are zip files), an old .xls (OLE2) */
    CHECK_REFUSED("PK\x03\x04\x14\0\x06\0id,name\n", "", NOT_CSV);
    CHECK_REFUSED("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" "a,b\n", "", NOT_CSV);
    /* a PNG: its first line is not UTF-8 and NUL bytes follow */
    CHECK_REFUSED("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0", "", NOT_CSV);
    /* a NUL in the header line */
    CHECK_REFUSED("id\0,name\n1,2\n", "", NOT_CSV);
    CHECK_REFUSED("\xFF\xFE" "i\0d\0\n\0", "",
                  "t.csv: is UTF-16 text (\"Unicode text\"): save it as "
                  "\"CSV UTF-8\"");
    CHECK_REFUSED("\xFE\xFF\0i\0d", "",
                  "t.csv: is UTF-16 text (\"Unicode text\"): save it as "
                  "\"CSV UTF-8\"");
    /* Latin-1 text with no NUL is text in the wrong encoding */
    CHECK_REFUSED("a\n\xE9t\xE9\n", "0@1:a\n",
                  "t.csv:2:1: a: \"\\xE9t\\xE9\" is not valid UTF-8 (byte "
                  "0xE9): save the file as \"CSV UTF-8\"");
    /* "PK" as plain text is fine */
    CHECK_ROWS("PK,x\n1,2\n", "0@1:PK|x\n1@2:1|2\n");
}

/* Past the header's last column, there is no name to give. */
TEST(structural_error_past_the_last_column)
{
    CHECK_REFUSED("a\n1,\xE9\n", "0@1:a\n",
                  "t.csv:2:2: \"\\xE9\" is not valid UTF-8 (byte 0xE9): save "
                  "the file as \"CSV UTF-8\"");
    CHECK_REFUSED(",b\n\xE9,1\n", "0@1:|b\n",
                  "t.csv:2:1: \"\\xE9\" is not valid UTF-8 (byte 0xE9): save "
                  "the file as \"CSV UTF-8\"");
}

static const char *show(const char *s, size_t len)
{
    static char out[CSVREAD_SHOW_MAX];
    csvread_show(s, len, out);
    return out;
}

TEST(show_values)
{
    CHECK_STR(show("", 0), "");
    CHECK_STR(show("12,3,4", 6), "12,3,4");
    CHECK_STR(show("a\tb\r\nc", 6), "a b  c");
    CHECK_STR(show("x\0y\xE9\xC3\xA9", 6), "x\\x00y\\xE9\xC3\xA9");
    char big[100];
    memset(big, 'x', sizeof big);
    CHECK_INT(strlen(show(big, 60)), 60);
    CHECK_INT(strlen(show(big, 61)), 63); /* 60 bytes and "..." */
    CHECK_STR(show(big, 61) + 60, "...");
    /* never half a character, nor half an escape */
    memcpy(big + 59, "\xC3\xA9", 2);
    CHECK_STR(show(big, 61) + 58, "x...");
    memcpy(big + 57, "\xFF", 1);
    CHECK_STR(show(big, 61) + 56, "x...");
}

/* "h\n1,<n bytes of x>\n" or with an opening quote and no closing one. */
static char *big_field_text(size_t n, int open_quote, size_t *len)
{
    char *s = malloc(n + 16);
    if (!s)
        return NULL;
    size_t k = (size_t)sprintf(s, "h,i\n1,%s", open_quote ? "\"" : "");
    memset(s + k, 'x', n);
    k += n;
    s[k++] = '\n';
    *len = k;
    return s;
}

#define LONG_X_MSG                                                         \
    "t.csv:2:2: i: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"        \
    "xxxxxxxxxxxx...\" is longer than 1048576 bytes (is a closing quote "   \
    "missing?)\n"

TEST(field_size_limit)
{
    size_t len;
    collect c;
    diag d;
    char *s = big_field_text(CSVREAD_MAX_FIELD, 0, &len);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(run(s, len, &c, &d), 0);
    CHECK_INT(c.rows, 2);
    diag_free(&d);
    free(s);

    s = big_field_text(CSVREAD_MAX_FIELD + 1, 0, &len);
    CHECK_INT(run(s, len, &c, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), LONG_X_MSG);
    CHECK_INT(c.rows, 1);
    diag_free(&d);
    free(s);

    /* a missing closing quote in a big file stops at the limit, not at
     * the end of the file */
    s = big_field_text(5 * CSVREAD_MAX_FIELD, 1, &len);
    CHECK_INT(run(s, len, &c, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), LONG_X_MSG);
    diag_free(&d);
    free(s);
}

TEST(column_limit)
{
    size_t n = CSVREAD_MAX_COLUMNS + 1;
    char *s = malloc(2 * n + 8);
    collect c;
    diag d;
    CHECK(s != NULL);
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = 'c';
        s[2 * i + 1] = ',';
    }
    s[2 * n - 1] = '\n';
    CHECK_INT(run(s, 2 * n, &c, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), "t.csv:1:1025: more than 1024 columns\n");
    CHECK_INT(c.rows, 0);
    diag_free(&d);
    s[2 * n - 3] = '\n'; /* 1024 columns are fine */
    CHECK_INT(run(s, 2 * n - 2, &c, &d), 0);
    CHECK_INT(c.rows, 1);
    diag_free(&d);
    free(s);
}

TEST(callback_stops_the_read)
{
    collect c;
    diag d;
    const char text[] = "a\n1\n2\n3\n";
    memset(&c, 0, sizeof c);
    diag_init(&d);
    c.stop_at = 2;
    CHECK_INT(csvread_mem(text, sizeof text - 1, "t.csv", collect_row, &c,
                          &d), 42);
    CHECK_STR(c.out, "0@1:a\n1@2:1\n2@3:2\n");
    CHECK_INT(d.count, 0);
    diag_free(&d);
}

TEST(first_structural_error_only)
{
    /* the second bad byte is never looked at */
    CHECK_REFUSED("a\n\xE9\n\xE9\n\"\n", "0@1:a\n",
                  "t.csv:2:1: a: \"\\xE9\" is not valid UTF-8 (byte 0xE9): "
                  "save the file as \"CSV UTF-8\"");
}

TEST(missing_file)
{
    diag d;
    diag_init(&d);
    CHECK_INT(csvread_file("tests/data/inputs/no-such.csv", "no-such.csv",
                           collect_row, NULL, &d), DIAG_DATA);
    CHECK_STR(diag_text(&d), "no-such.csv: cannot open "
                             "tests/data/inputs/no-such.csv: No such file or "
                             "directory\n");
    diag_free(&d);
}

/* A file of several 64 KiB chunks, with multi-line fields across chunk
 * boundaries, reads exactly as the same bytes in memory, and its SHA-256
 * comes with it. */
TEST(file_streams_like_memory)
{
    char path[] = "/tmp/test_csvread_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    size_t len = 0;
    char *text = malloc(600000);
    collect *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    CHECK(f && text && a && b);
    if (!f || !text || !a || !b)
        return;
    len += (size_t)sprintf(text, "\xEF\xBB\xBFid;texte;montant\r\n");
    for (int i = 1; i <= 12000; i++)
        len += (size_t)sprintf(text + len,
                               i % 7 ? "%d;plain %d;%d,50\r\n"
                                     : "%d;\"two\r\nlines %d\";%d\r\n",
                               i, i, i);
    CHECK(len > 4 * 65536); /* five chunks */
    fwrite(text, 1, len, f);
    fclose(f);

    diag d;
    CHECK_INT(run(text, len, a, &d), 0);
    diag_free(&d);
    memset(b, 0, sizeof *b);
    char got[HASH_SHA256_HEX], want[HASH_SHA256_HEX];
    CHECK_INT(csvread_file_sha256(path, "t.csv", collect_row, b, got, &d), 0);
    CHECK_STR(diag_text(&d), "");
    diag_free(&d);
    /* the digest of every byte, the BOM included, read once */
    CHECK_INT(hash_sha256_hex(text, len, want), 0);
    CHECK_STR(got, want);
    CHECK_INT(b->rows, 12001);
    CHECK_INT(a->rows, 12001);
    CHECK(a->sum == b->sum);
    CHECK(strncmp(b->out, "0@1:id|texte|montant\n1@2:1|plain 1|1,50\n", 40)
          == 0);
    /* rows 7, 14, ... 11998 took two lines each: 1714 of them before
     * row 12000, which follows the header and 11999 rows */
    CHECK_INT(b->last_line, 1 + 11999 + 1714 + 1);
    /* a read the callback stops has no digest */
    memset(b, 0, sizeof *b);
    b->stop_at = 5000;
    CHECK_INT(csvread_file_sha256(path, "t.csv", collect_row, b, got, &d), 42);
    CHECK_STR(got, "");
    diag_free(&d);
    remove(path);
    free(a);
    free(b);
    free(text);
}

/* Line numbers at the end of a big file, through a callback that keeps
 * only the last row. */
static int last_row(void *ctx, const csvread_row *row)
{
    long *line = ctx;
    *line = row->line;
    return 0;
}

TEST(line_numbers_at_the_end_of_a_big_file)
{
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    CHECK(text != NULL);
    if (!text)
        return;
    len += (size_t)sprintf(text, "a,b\n");
    long line = 1;
    for (int i = 1; i <= 20000; i++) {
        int two = i % 5 == 0;
        len += (size_t)sprintf(text + len, two ? "\"%d\n\",x\n\n" : "%d,y\n",
                               i);
        line += two ? 3 : 1; /* the field's newline and a blank line */
    }
    len += (size_t)sprintf(text + len, "last,row\n");
    line++;
    long got = 0;
    diag d;
    diag_init(&d);
    CHECK_INT(csvread_mem(text, len, "t.csv", last_row, &got, &d), 0);
    CHECK_INT(got, line);
    CHECK_INT(got, 1 + 16000 + 4000 * 3 + 1);
    diag_free(&d);
    free(text);
}

static const char *norm(const char *s, size_t cap)
{
    static char out[256];
    memset(out, '@', sizeof out);
    csvread_normalise(s, out, cap);
    return out;
}

TEST(normalise_names)
{
    CHECK_STR(norm("Montant demand\xC3\xA9", 256), "montant_demande");
    CHECK_STR(norm("  Sous-r\xC3\xA9gion ", 256), "sous_region");
    CHECK_STR(norm("No.", 256), "no");
    CHECK_STR(norm("CO\xC3\x9BT TOTAL", 256), "cout_total");
    CHECK_STR(norm("Ann\xC3\xA9" "e financi\xC3\xA8re", 256),
              "annee_financiere");
    CHECK_STR(norm("Type d'organisme", 256), "type_d_organisme");
    CHECK_STR(norm("Type d\xE2\x80\x99organisme", 256), "type_d_organisme");
    CHECK_STR(norm("R\xC3\xA9serve\xC2\xA0r\xC3\xA9gionale", 256),
              "reserve_regionale");
    CHECK_STR(norm("a\xE2\x80\xAF" "b", 256), "a_b");
    CHECK_STR(norm("__a--b. .c__", 256), "a_b_c");
    CHECK_STR(norm("\xC5\x92uvre c\xC5\x93ur", 256), "oeuvre_coeur");
    CHECK_STR(norm("\xC3\x89\xC3\x88\xC3\x8A\xC3\x8B\xC3\x80\xC3\x82\xC3\x84"
                   "\xC3\x8E\xC3\x8F\xC3\x94\xC3\x96\xC3\x99\xC3\x9B\xC3\x9C"
                   "\xC3\x87", 256),
              "eeeeaaaiioouuuc");
    CHECK_STR(norm("\xC3\xA9\xC3\xA8\xC3\xAA\xC3\xAB\xC3\xA0\xC3\xA2\xC3\xA4"
                   "\xC3\xAE\xC3\xAF\xC3\xB4\xC3\xB6\xC3\xB9\xC3\xBB\xC3\xBC"
                   "\xC3\xA7", 256),
              "eeeeaaaiioouuuc");
    CHECK_STR(norm("N\xC2\xB0 2\xC3\x97" "3", 256), "n\xC2\xB0_2\xC3\x97" "3");
    CHECK_STR(norm("", 256), "");
    CHECK_STR(norm(" - . ", 256), "");
    CHECK_STR(norm("total_cost", 256), "total_cost");
    CHECK_STR(norm("Dur\xC3\xA9" "e (mois)", 256), "duree_mois");
}

TEST(normalise_respects_capacity)
{
    CHECK_STR(norm("abcdef", 4), "abc");
    CHECK_STR(norm("ab cd", 4), "ab"); /* no dangling '_' */
    CHECK_STR(norm("ab cd", 5), "ab_c");
    CHECK_STR(norm("a\xE2\x82\xAC", 5), "a\xE2\x82\xAC");
    CHECK_STR(norm("a\xE2\x82\xAC", 4), "a"); /* never half a character */
    CHECK_STR(norm("\xC3\x86z", 2), "");      /* nor half of "ae" */
    CHECK_STR(norm("\xC3\x86z", 3), "ae");
    CHECK_STR(norm("x", 1), "");
    char out[1] = {'@'};
    csvread_normalise("abc", out, 0);
    CHECK_INT(out[0], '@');
}

int main(void)
{
    RUN(comma_rows);
    RUN(semicolon_detected);
    RUN(bom_skipped);
    RUN(crlf_and_blank_lines);
    RUN(spaces_around_unquoted_fields_are_trimmed);
    RUN(quoted_fields);
    RUN(utf8_accepted);
    RUN(invalid_utf8_refused);
    RUN(nul_byte_refused);
    RUN(bad_bytes_found_past_the_first_word);
    RUN(unterminated_quote_refused);
    RUN(stray_quotes_refused);
    RUN(empty_files_refused);
    RUN(not_csv_refused);
    RUN(structural_error_past_the_last_column);
    RUN(show_values);
    RUN(field_size_limit);
    RUN(column_limit);
    RUN(callback_stops_the_read);
    RUN(first_structural_error_only);
    RUN(missing_file);
    RUN(file_streams_like_memory);
    RUN(line_numbers_at_the_end_of_a_big_file);
    RUN(normalise_names);
    RUN(normalise_respects_capacity);
    return testlib_done("csvread");
}
