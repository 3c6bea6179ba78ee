/* The rule file's allocate function, through rules_allocate: what it
 * sees, and the shape checks on what it returns. */
#include "rules_fixture.h"

static const int64_t share_first_year[2] = {1000000, 0};

static int call(const char *file, fixture *f, size_t sub, int64_t *grants,
                diag *d)
{
    rules *r;
    rules_results res;
    int st = open_rules(&r, file, d);
    if (st != 0)
        return st;
    st = rules_evaluate(r, &f->in, &res, d);
    rules_candidate cand[2] = {{0, 1, share_first_year}, {2, 2, share_first_year}};
    int64_t left[2] = {2500000, 0}; /* 25 000 $ in 2024-2025 */
    if (st == 0) {
        CHECK_INT(rules_config_get(r)->has_allocate, 1);
        st = rules_allocate(r, &f->in, &res, sub, cand, 2, left, grants, d);
    }
    rules_results_free(&res);
    rules_close(r);
    return st;
}

TEST(the_function_sees_ranked_candidates_and_what_is_left)
{
    fixture f;
    fixture_init(&f);
    diag d;
    diag_init(&d);
    int64_t grants[2] = {-1, -1};
    CHECK_INT(call("allocate_fn.lua", &f, 0, grants, &d), 0);
    CHECK_INT(grants[0], 2000000); /* half of A1's 40 000 $ */
    CHECK_INT(grants[1], 500000);  /* half of A3: the last 5 000 $ */
    diag_free(&d);
}

static void expect_refusal(const char *mode, const char *message)
{
    fixture f;
    fixture_init(&f);
    f.apps[0].title = mode;
    diag d;
    diag_init(&d);
    int64_t grants[2];
    CHECK_INT(call("allocate_fn_bad.lua", &f, 0, grants, &d), DIAG_DATA);
    CHECK_CONTAINS(diag_text(&d), message);
    diag_free(&d);
}

TEST(wrong_answers_are_refused_with_the_rule_position)
{
    const char *pos = DATA "allocate_fn_bad.lua:4: allocate() for Haut-Richelieu: ";
    char want[256];
    snprintf(want, sizeof want, "%s\"ZA\" is not a candidate of this sub-region", pos);
    expect_refusal("unknown", want);
    snprintf(want, sizeof want, "%sapplication A1: grant 10.005 is not an amount "
             "of dollars >= 0 in whole cents", pos);
    expect_refusal("fraction", want);
    expect_refusal("negative", "application A1: grant -1 is not an amount");
    expect_refusal("string", "application A1: grant a string is not an amount");
    expect_refusal("notable", "returned a number, expected a table { [id] = dollars }");
    expect_refusal("error", "allocate_fn_bad.lua:12: in allocate() for Haut-Richelieu: boom");
}

int main(void)
{
    RUN(the_function_sees_ranked_candidates_and_what_is_left);
    RUN(wrong_answers_are_refused_with_the_rule_position);
    return testlib_done("rules_allocate");
}
