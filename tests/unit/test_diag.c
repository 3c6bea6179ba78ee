#include "diag.h"
#include "testlib.h"

TEST(formats_positions)
{
    diag d;
    diag_init(&d);
    CHECK_INT(diag_at(&d, DIAG_DATA, "applications.csv", 57, 6,
                      "requested: \"%s\" is not an amount", "12,3,4"),
              DIAG_DATA);
    diag_at(&d, DIAG_INTERNAL, "split.csv", 3, 0, "line only");
    diag_at(&d, DIAG_DATA, "envelopes.csv", 0, 0, "file only");
    CHECK_STR(diag_text(&d),
              "applications.csv:57:6: requested: \"12,3,4\" is not an amount\n"
              "split.csv:3: line only\n"
              "envelopes.csv: file only\n");
    CHECK_INT(d.status, DIAG_DATA); /* the first status is kept */
    CHECK_INT(d.count, 3);
    diag_free(&d);
}

TEST(keeps_up_to_the_limit_then_counts)
{
    diag d;
    diag_init(&d);
    d.limit = 3;
    for (int i = 0; i < 10; i++)
        diag_add(&d, DIAG_DATA, "error %d", i);
    CHECK_STR(diag_text(&d), "error 0\nerror 1\nerror 2\n... and 7 more\n");
    CHECK_INT(d.count, 10);
    /* asking twice does not repeat the note */
    CHECK_STR(diag_text(&d), "error 0\nerror 1\nerror 2\n... and 7 more\n");
    diag_clear(&d);
    CHECK_INT(d.limit, 3);
    CHECK_INT(d.count, 0);
    CHECK_STR(diag_text(&d), "");
    diag_free(&d);
}

TEST(default_limit_is_fifty)
{
    diag d;
    diag_init(&d);
    for (int i = 0; i < 51; i++)
        diag_add(&d, DIAG_DATA, "e");
    CHECK_CONTAINS(diag_text(&d), "... and 1 more\n");
    diag_free(&d);
}

/* Found by tests/fuzz/fuzz_inputs: a value quoted in a message may hold
 * line breaks and control characters; the message stays one line. */
TEST(one_line_per_message)
{
    diag d;
    diag_init(&d);
    diag_at(&d, DIAG_DATA, "applications.csv", 3, 2, "\"%s\" is wrong",
            "a\nb\r\tc\x01\x7F");
    CHECK_STR(diag_text(&d), "applications.csv:3:2: \"a b  c  \" is wrong\n");
    diag_free(&d);
}

int main(void)
{
    RUN(formats_positions);
    RUN(keeps_up_to_the_limit_then_counts);
    RUN(default_limit_is_fifty);
    RUN(one_line_per_message);
    return testlib_done("diag");
}
