/*
 * Validating feedback forms: every kind of bad answer is refused with a message naming the
 * question, and nothing reaches the store; good answers are stored as validated.
 */
#include "testutil.h"

#include "survey/json.h"
#include "store/store.h"
#include "test_fixture_survey.h"

struct ctx {
    char *path;
    struct store *s;
    char code[WIRE_CODE_LEN + 1];
    struct survey sv;
};

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof(*c));
    c->path = fx_tmp_db();
    char err[256];
    assert_int_equal(store_open(c->path, STORE_READ_WRITE, NULL, &c->s, err, sizeof(err)),
                     STORE_OK);
    c->sv = fx_survey("1.0.0");
    struct store_cohort_spec spec = {.label = "Year 9", .survey = &c->sv};
    assert_int_equal(store_cohort_create(c->s, &spec, c->code), STORE_OK);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    store_close(c->s);
    fx_tmp_free(c->path);
    free(c);
    return 0;
}

static int64_t stored(struct ctx *c)
{
    int64_t n = -1;
    assert_int_equal(store_answer_count(c->s, &n), STORE_OK);
    return n;
}

/*
 * What POST /feedback does: decode, look the code up, validate, store only when valid.
 * Returns the error kind (SURVEY_E_NONE when stored); the message goes to msg.
 */
static int submit_form(struct ctx *c, const char *body, char *msg, size_t msg_size,
                       const char **question)
{
    struct arena a = ARENA_INIT;
    struct form f;
    int kind = SURVEY_E_NONE;
    msg[0] = '\0';
    int frc = form_decode(body, strlen(body), 100000, &a, &f);
    if (frc != FORM_OK) {
        snprintf(msg, msg_size, "%s", form_error_message(frc));
        kind = SURVEY_E_BAD_TEXT;
        goto out;
    }
    char code[WIRE_CODE_LEN + 1];
    struct store_cohort co;
    struct survey_cohort sc;
    const struct survey_cohort *found = NULL;
    if (survey_form_code(&f, code) == 0 && store_cohort_get(c->s, code, &a, &co) == STORE_OK) {
        store_cohort_for_survey(&co, &sc);
        found = &sc;
    }
    struct survey_answer ans;
    struct survey_error err;
    if (survey_validate(&c->sv, &f, found, &a, &ans, &err) != 0) {
        snprintf(msg, msg_size, "%s", err.message);
        if (question)
            *question = err.question_id;
        kind = err.kind;
        goto out;
    }
    assert_int_equal(store_submit(c->s, &ans), STORE_OK);
out:
    arena_release(&a);
    return kind;
}

static void expect_refused(struct ctx *c, const char *body, int kind, const char *question_id,
                           const char *words)
{
    int64_t before = stored(c);
    char msg[400];
    const char *q = NULL;
    int got = submit_form(c, body, msg, sizeof(msg), &q);
    if (got != kind)
        fail_msg("%s: kind %d, wanted %d (%s)", body, got, kind, msg);
    if (question_id)
        assert_string_equal(q, question_id);
    if (words && !strstr(msg, words))
        fail_msg("%s: message '%s' lacks '%s'", body, msg, words);
    assert_int_equal(stored(c), before);
}

static int copy_body(const struct store_answer_row *row, void *ctx)
{
    snprintf(ctx, 600, "%.*s", (int)row->body_len, row->body);
    return 0;
}

static void test_good_answer_stored(void **state)
{
    struct ctx *c = *state;
    char body[600], msg[400];
    /* The code typed in lower case with a hyphen; multi-choice repeated; text encoded. */
    snprintf(body, sizeof(body),
             "c=%.4s-%.4s&q-confident-end=c4&q-topics=story&q-topics=support&q-topics=story"
             "&q-useful=not-sure&q-best=prefer-not-to-say&q-confident-start="
             "&q-comment=Good.+Mail+me%%3A+jo%%40example.com+or+07700+900123",
             c->code, c->code + 4);
    for (char *p = body + 2; *p != '&'; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    assert_int_equal(submit_form(c, body, msg, sizeof(msg), NULL), SURVEY_E_NONE);
    assert_int_equal(stored(c), 1);
    /* What reached the database: masked text, options in form order without repeats. */
    char got[600] = "";
    assert_int_equal(store_answers_each(c->s, 0, copy_body, got), STORE_OK);
    assert_string_equal(got, "{\"q-confident-end\":\"c4\",\"q-topics\":[\"story\",\"support\"],"
                             "\"q-useful\":\"not-sure\",\"q-best\":null,\"q-comment\":\"Good. "
                             "Mail me: [email removed] or [phone number removed]\"}");
}

static void test_validated_answer_contents(void **state)
{
    struct ctx *c = *state;
    struct arena a = ARENA_INIT;
    struct form f;
    char body[400];
    snprintf(body, sizeof(body),
             "q-comment=++hi%%0D%%0Athere++&q-topics=support&q-topics=story&c=%s"
             "&q-useful=prefer-not-to-say&q-confident-end=c5",
             c->code);
    assert_int_equal(form_decode(body, strlen(body), 10000, &a, &f), FORM_OK);
    struct survey_cohort sc = {c->code, "sharing-images", "1.0.0", true};
    struct survey_answer ans;
    struct survey_error err;
    assert_int_equal(survey_validate(&c->sv, &f, &sc, &a, &ans, &err), 0);
    assert_string_equal(ans.code, c->code);
    assert_string_equal(ans.package_version, "1.0.0");
    /* Survey order, only answered questions. */
    assert_int_equal(ans.item_count, 4);
    assert_string_equal(ans.items[0].question_id, "q-confident-end");
    assert_string_equal(ans.items[0].values[0], "c5");
    assert_string_equal(ans.items[1].question_id, "q-topics");
    assert_int_equal(ans.items[1].value_count, 2);
    assert_string_equal(ans.items[1].values[0], "support");
    assert_string_equal(ans.items[1].values[1], "story");
    assert_string_equal(ans.items[2].question_id, "q-useful");
    assert_true(ans.items[2].prefer_not);
    assert_string_equal(ans.items[3].question_id, "q-comment");
    assert_string_equal(ans.items[3].values[0], "hi\nthere");

    /* The stored form, and back. */
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    survey_answer_encode(&ans, &b);
    assert_string_equal(b.ptr, "{\"q-confident-end\":\"c5\",\"q-topics\":[\"support\",\"story\"],"
                               "\"q-useful\":null,\"q-comment\":\"hi\\nthere\"}");
    struct survey_decoder d;
    survey_decoder_init(&d);
    const struct survey_item *items;
    size_t n;
    assert_int_equal(survey_answer_decode(&d, b.ptr, b.len, &items, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(items[1].values[1], "story");
    assert_true(items[2].prefer_not);
    assert_string_equal(items[3].values[0], "hi\nthere");
    assert_int_equal(survey_answer_decode(&d, "{\"a\":", 5, &items, &n), -1);
    assert_int_equal(survey_answer_decode(&d, "{\"a\":\"\\u0000\"}", 14, &items, &n), -1);
    assert_int_equal(survey_answer_decode(&d, "{} x", 4, &items, &n), -1);
    survey_decoder_release(&d);
    buf_release(&b);
    arena_release(&a);
}

/* The pieces of body, one line each as KIND:TEXT (Q question, V value, P prefer not). */
static char *pieces_of(const char *body, size_t len)
{
    struct survey_piece pcs[64];
    size_t n;
    assert_true(SURVEY_PIECES_MAX(len) <= 64);
    if (survey_answer_pieces(body, len, pcs, &n) != 0)
        return NULL;
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    for (size_t i = 0; i < n; i++) {
        buf_addc(&b, pcs[i].kind == SURVEY_PIECE_QUESTION ? 'Q'
                     : pcs[i].kind == SURVEY_PIECE_VALUE  ? 'V'
                                                          : 'P');
        buf_addc(&b, ':');
        if (pcs[i].kind != SURVEY_PIECE_PREFER_NOT)
            assert_int_equal(survey_piece_text(&pcs[i], &b), 0);
        buf_addc(&b, '\n');
    }
    return buf_detach(&b, NULL);
}

static void test_answer_reader(void **state)
{
    (void)state;
    const char *body = " { \"q-a\" : \"x\" , \"q-b\":[ \"y\",\"z\" ],\"q-c\":null,"
                       "\"q-d\":[],\"q-\\\"e\":\"a\\\\\\\"b\\u00e9\"} ";
    char *p = pieces_of(body, strlen(body));
    assert_non_null(p);
    assert_string_equal(p, "Q:q-a\nV:x\nQ:q-b\nV:y\nV:z\nQ:q-c\nP:\nQ:q-d\nQ:q-\"e\n"
                           "V:a\\\"b\xc3\xa9\n");
    free(p);
    p = pieces_of("{}", 2);
    assert_string_equal(p, "");
    free(p);
    /* The smallest pieces: three bytes each, as SURVEY_PIECES_MAX allows for. */
    const char *tight = "{\"\":[\"\",\"\",\"\"]}";
    p = pieces_of(tight, strlen(tight));
    assert_string_equal(p, "Q:\nV:\nV:\nV:\n");
    free(p);
    static const char *const bad[] = {
        "",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1}",
        "{\"a\":nul}",
        "{\"a\":\"b\",}",
        "{\"a\":[\"b\",]}",
        "{\"a\":\"b\"} x",
        "{\"a\":\"b\\\"}",
        "[]",
        "{\"a\":[\"b\"}",
        "{\"a\" \"b\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (pieces_of(bad[i], strlen(bad[i])) != NULL)
            fail_msg("accepted: %s", bad[i]);
    /* Structure is the reader's; content is checked when a string is unescaped. */
    struct survey_piece pcs[8];
    size_t n;
    assert_int_equal(survey_answer_pieces("{\"a\":\"\\u0000\"}", 14, pcs, &n), 0);
    assert_int_equal(n, 2);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    assert_int_equal(survey_piece_text(&pcs[1], &b), -1);
    assert_true(survey_piece_escaped(&pcs[1]));
    assert_false(survey_piece_escaped(&pcs[0]));
    buf_release(&b);
}

static void test_every_bad_answer_refused(void **state)
{
    struct ctx *c = *state;
    char b[700];
    expect_refused(c, "q-confident-end=c4", SURVEY_E_CODE_MISSING, NULL, "class code");
    expect_refused(c, "c=&q-confident-end=c4", SURVEY_E_CODE_MISSING, NULL, "class code");
    expect_refused(c, "c=ABCDEFGH&q-confident-end=c4", SURVEY_E_CODE_UNKNOWN, NULL, "not found");
    expect_refused(c, "c=ABC&q-confident-end=c4", SURVEY_E_CODE_UNKNOWN, NULL, "not found");
    snprintf(b, sizeof(b), "c=%s&c=%s&q-confident-end=c4", c->code, c->code);
    expect_refused(c, b, SURVEY_E_CODE_UNKNOWN, NULL, NULL);

    snprintf(b, sizeof(b), "c=%s&q-favourite-colour=blue", c->code);
    expect_refused(c, b, SURVEY_E_UNKNOWN_QUESTION, NULL, "q-favourite-colour");
    snprintf(b, sizeof(b), "c=%s&q-confident-end=c6", c->code);
    expect_refused(c, b, SURVEY_E_BAD_OPTION, "q-confident-end",
                   "\"c6\" is not one of the answers to the question \"Now, how confident");
    snprintf(b, sizeof(b), "c=%s&q-useful=maybe", c->code);
    expect_refused(c, b, SURVEY_E_BAD_OPTION, "q-useful", "Was the lesson useful?");
    snprintf(b, sizeof(b), "c=%s&q-topics=story&q-topics=dancing", c->code);
    expect_refused(c, b, SURVEY_E_BAD_OPTION, "q-topics", "dancing");
    snprintf(b, sizeof(b), "c=%s&q-best=story&q-best=plan", c->code);
    expect_refused(c, b, SURVEY_E_TOO_MANY, "q-best", "takes one answer");
    snprintf(b, sizeof(b), "c=%s&q-comment=one&q-comment=two", c->code);
    expect_refused(c, b, SURVEY_E_TOO_MANY, "q-comment", NULL);
    snprintf(b, sizeof(b), "c=%s&q-topics=story&q-topics=prefer-not-to-say", c->code);
    expect_refused(c, b, SURVEY_E_PREFER_AND_OPTION, "q-topics", "prefer not to say");
    /* 101 characters where 100 are allowed. */
    snprintf(b, sizeof(b), "c=%s&q-comment=%0101d", c->code, 0);
    expect_refused(c, b, SURVEY_E_TOO_LONG, "q-comment",
                   "101 characters long; please keep it to 100");
    snprintf(b, sizeof(b), "c=%s", c->code);
    expect_refused(c, b, SURVEY_E_EMPTY, NULL, "No question was answered");
    snprintf(b, sizeof(b), "c=%s&q-confident-end=&q-comment=", c->code);
    expect_refused(c, b, SURVEY_E_EMPTY, NULL, NULL);
    /* Invalid UTF-8 stops at the decoder, before validation. */
    snprintf(b, sizeof(b), "c=%s&q-comment=%%C3%%28", c->code);
    expect_refused(c, b, SURVEY_E_BAD_TEXT, NULL, "UTF-8");
    assert_int_equal(stored(c), 0);
}

static void test_length_counts_characters(void **state)
{
    struct ctx *c = *state;
    /* 100 two-byte characters fit a 100-character limit. */
    char b[1000];
    int n = snprintf(b, sizeof(b), "c=%s&q-comment=", c->code);
    for (int i = 0; i < 100; i++)
        n += snprintf(b + n, sizeof(b) - (size_t)n, "%%C3%%A9");
    char msg[400];
    assert_int_equal(submit_form(c, b, msg, sizeof(msg), NULL), SURVEY_E_NONE);
    assert_int_equal(stored(c), 1);
}

/* A refused form reports every problem at once, in the order of the form. */
static void test_every_problem_reported(void **state)
{
    struct ctx *c = *state;
    char comment[102];
    memset(comment, 'x', 101);
    comment[101] = '\0';
    struct form_field fields[] = {{"c", "ABCD-EFGH"},
                                  {"q-useful", "maybe"},
                                  {"q-confident-end", "c4"},
                                  {"q-comment", comment}};
    struct form f = {fields, 4};
    struct arena a = ARENA_INIT;
    struct survey_answer ans;
    struct survey_error err;
    assert_int_equal(survey_validate(&c->sv, &f, NULL, &a, &ans, &err), -1);
    assert_int_equal(err.count, 3);
    assert_int_equal(err.kind, SURVEY_E_CODE_UNKNOWN);
    assert_int_equal(err.problems[0].kind, SURVEY_E_CODE_UNKNOWN);
    assert_null(err.problems[0].question_id);
    assert_string_equal(err.message, err.problems[0].message);
    /* The questions in survey order, whatever the order of the fields. */
    const char *first = c->sv.questions[0].id;
    for (size_t i = 0; i < c->sv.count; i++)
        if (strcmp(c->sv.questions[i].id, "q-useful") == 0 ||
            strcmp(c->sv.questions[i].id, "q-comment") == 0) {
            first = c->sv.questions[i].id;
            break;
        }
    assert_string_equal(err.problems[1].question_id, first);
    assert_int_equal(err.problems[strcmp(first, "q-useful") == 0 ? 1 : 2].kind,
                     SURVEY_E_BAD_OPTION);
    assert_int_equal(err.problems[strcmp(first, "q-useful") == 0 ? 2 : 1].kind, SURVEY_E_TOO_LONG);
    assert_int_equal(ans.item_count, 0);
    arena_release(&a);
}

/* A line break counts as one character, as the form's maxlength counts it, though it comes
 * as CR LF. */
static void test_line_break_is_one_character(void **state)
{
    struct ctx *c = *state;
    char b[400];
    /* 49 + 1 + 50 characters where 100 are allowed; 101 bytes once the break is CR LF. */
    snprintf(b, sizeof(b), "c=%s&q-comment=%049d%%0D%%0A%050d", c->code, 0, 0);
    char msg[400];
    assert_int_equal(submit_form(c, b, msg, sizeof(msg), NULL), SURVEY_E_NONE);
    assert_int_equal(stored(c), 1);
    /* A bare CR is still a character of its own. */
    snprintf(b, sizeof(b), "c=%s&q-comment=%%0D%0100d", c->code, 0);
    assert_int_equal(submit_form(c, b, msg, sizeof(msg), NULL), SURVEY_E_TOO_LONG);
}

static void test_bad_bytes_reaching_validation(void **state)
{
    struct ctx *c = *state;
    /* A form built by other means than form_decode is still checked. */
    struct form_field fields[] = {{"c", c->code}, {"q-comment", "bad \xC3\x28 bytes"}};
    struct form f = {fields, 2};
    struct survey_cohort sc = {c->code, "sharing-images", "1.0.0", true};
    struct arena a = ARENA_INIT;
    struct survey_answer ans;
    struct survey_error err;
    assert_int_equal(survey_validate(&c->sv, &f, &sc, &a, &ans, &err), -1);
    assert_int_equal(err.kind, SURVEY_E_BAD_TEXT);
    assert_int_equal(ans.item_count, 0);
    arena_release(&a);
}

static void test_closed_and_other_version(void **state)
{
    struct ctx *c = *state;
    char b[200];
    snprintf(b, sizeof(b), "c=%s&q-confident-end=c4", c->code);
    assert_int_equal(store_cohort_set_open(c->s, c->code, false), STORE_OK);
    expect_refused(c, b, SURVEY_E_CODE_CLOSED, NULL, "has closed");
    assert_int_equal(store_cohort_set_open(c->s, c->code, true), STORE_OK);

    /* A code made for version 1.1.0 does not take answers to 1.0.0's survey. */
    struct survey v11 = fx_survey("1.1.0");
    struct store_cohort_spec spec = {.label = "Year 10", .survey = &v11};
    char other[WIRE_CODE_LEN + 1];
    assert_int_equal(store_cohort_create(c->s, &spec, other), STORE_OK);
    snprintf(b, sizeof(b), "c=%s&q-confident-end=c4", other);
    expect_refused(c, b, SURVEY_E_CODE_VERSION, NULL, "different version");
    assert_int_equal(stored(c), 0);
}

static void test_codes(void **state)
{
    (void)state;
    char code[WIRE_CODE_LEN + 1];
    assert_int_equal(wire_code_normalise("abcd-efgh", code), 0);
    assert_string_equal(code, "ABCDEFGH");
    assert_int_equal(wire_code_normalise(" ab cd ef gh ", code), 0);
    assert_string_equal(code, "ABCDEFGH");
    assert_int_equal(wire_code_normalise("ABCDEFG", code), -1);
    assert_int_equal(wire_code_normalise("ABCDEFGHJ", code), -1);
    assert_int_equal(wire_code_normalise("ABCDEFG0", code), -1); /* no zero */
    assert_int_equal(wire_code_normalise("ABCDEFGO", code), -1); /* no O */
    assert_int_equal(wire_code_normalise("ABCDEFG1", code), -1);
    assert_string_equal(code, "");
    for (int i = 0; i < 200; i++) {
        survey_code_generate(code);
        assert_int_equal(strlen(code), WIRE_CODE_LEN);
        assert_int_equal(strspn(code, WIRE_CODE_ALPHABET), WIRE_CODE_LEN);
    }
}

/* Numbers a double cannot hold, and bytes that are not JSON, are refused (found by fuzz_json). */
static void test_json_refuses_what_it_cannot_hold(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct json_value v;
    assert_int_equal(json_parse("12", 2, &a, &v), 0);
    assert_true(v.type == JSON_NUMBER && v.number == 12);
    static const char *const bad[] = {"1e999", "-12.5e2222222222223", "[1e400]"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(json_parse(bad[i], strlen(bad[i]), &a, &v), -1);
    /* A NUL byte after a number is not part of it. */
    assert_int_equal(json_parse("1\0", 2, &a, &v), -1);
    /* A snapshot whose max_length no author could give gets the default. */
    static const char snap[] = "{\"package\":\"p\",\"version\":\"1\",\"questions\":[{\"id\":\"q\","
                               "\"type\":\"text\",\"when\":\"end\",\"text\":\"T\",\"max_length\":"
                               "1e300}]}";
    struct survey sv;
    assert_int_equal(survey_decode(snap, sizeof(snap) - 1, &a, &sv), 0);
    assert_int_equal(sv.count, 1);
    assert_int_equal(sv.questions[0].max_length, SURVEY_TEXT_DEFAULT);
    arena_release(&a);
}

/* A knowledge item's right answer is kept in the snapshot, so that old answers can be scored;
 * one that is not among the question's answers is dropped. */
static void test_snapshot_keeps_the_right_answer(void **state)
{
    (void)state;
    struct survey_question q[2] = {
        {.id = "q-law",
         .type = SURVEY_YESNO,
         .when = SURVEY_START,
         .text = "It is the law.",
         .correct = "yes"},
        {.id = "q-tell", .type = SURVEY_YESNO, .when = SURVEY_END, .text = "Would you tell?"},
    };
    struct survey sv = {.package_id = "p", .package_version = "1", .questions = q, .count = 2};
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    survey_encode(&sv, &b);
    struct arena a = ARENA_INIT;
    struct survey back;
    assert_int_equal(survey_decode(b.ptr, b.len, &a, &back), 0);
    assert_string_equal(back.questions[0].correct, "yes");
    assert_null(back.questions[1].correct);
    static const char odd[] = "{\"package\":\"p\",\"version\":\"1\",\"questions\":[{\"id\":"
                              "\"q\",\"type\":\"yesno\",\"when\":\"end\",\"text\":\"T\","
                              "\"correct\":\"maybe\"}]}";
    assert_int_equal(survey_decode(odd, sizeof(odd) - 1, &a, &back), 0);
    assert_null(back.questions[0].correct);
    buf_release(&b);
    arena_release(&a);
}

static void test_snapshot_round_trip(void **state)
{
    (void)state;
    struct survey sv = fx_survey("1.1.0");
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    survey_encode(&sv, &b);
    struct arena a = ARENA_INIT;
    struct survey back;
    assert_int_equal(survey_decode(b.ptr, b.len, &a, &back), 0);
    assert_string_equal(back.package_id, "sharing-images");
    assert_string_equal(back.package_version, "1.1.0");
    assert_int_equal(back.count, sv.count);
    for (size_t i = 0; i < sv.count; i++) {
        assert_string_equal(back.questions[i].id, sv.questions[i].id);
        assert_int_equal(back.questions[i].type, sv.questions[i].type);
        assert_int_equal(back.questions[i].when, sv.questions[i].when);
        assert_string_equal(back.questions[i].text, sv.questions[i].text);
        assert_int_equal(back.questions[i].option_count, sv.questions[i].option_count);
    }
    assert_int_equal(back.questions[6].max_length, 100);
    assert_string_equal(back.changes[0], fx_changes[0]);
    assert_int_equal(survey_decode("{\"package\":1}", 13, &a, &back), -1);
    assert_int_equal(survey_decode("[]", 2, &a, &back), -1);
    buf_release(&b);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_answer_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validated_answer_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_bad_answer_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_length_counts_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_problem_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_break_is_one_character, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bytes_reaching_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_and_other_version, setup, teardown),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_snapshot_round_trip),
        cmocka_unit_test(test_snapshot_keeps_the_right_answer),
        cmocka_unit_test(test_json_refuses_what_it_cannot_hold),
        cmocka_unit_test(test_answer_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
