/*
 * The store's themes and codes (store/codes.c): the evaluators' list, the codes given
 * comments and focus groups, what happens to them when answers are purged and groups
 * deleted, and the database's secret. Run against the backend the environment selects
 * (see test_fixture_db.h), so scripts/run-tests runs them on SQLite and on PostgreSQL.
 */
#include "testutil.h"

#include <string.h>
#include <time.h>

#include "store/store.h"
#include "test_fixture_db.h"
#include "test_fixture_survey.h"

static time_t fake_now = 1717236000; /* 2024-06-01, around midday */

static time_t fake_clock(void)
{
    return fake_now;
}

static struct store *open_rw(const char *where)
{
    struct store_options opt = {.now = fake_clock};
    struct store *s = NULL;
    char err[256] = "";
    int rc = store_open(where, STORE_READ_WRITE, &opt, &s, err, sizeof(err));
    if (rc != STORE_OK)
        fail_msg("store_open(%s): %d %s", where, rc, err);
    return s;
}

static void test_theme_list(void **state)
{
    (void)state;
    char *where = fx_db_new();
    struct store *s = open_rw(where);
    int64_t length = 0, trust = 0, other = 0;
    assert_int_equal(store_theme_add(s, "Too long", "The lesson or story felt long", &length),
                     STORE_OK);
    assert_int_equal(store_theme_add(s, "Trust", NULL, &trust), STORE_OK);
    assert_true(length > 0 && trust > 0 && length != trust);
    assert_int_equal(store_theme_add(s, "Trust", "again", &other), STORE_ERR_EXISTS);
    assert_int_equal(other, 0);
    assert_int_equal(store_theme_add(s, "", NULL, NULL), STORE_ERR_INVALID);
    assert_int_equal(store_theme_add(s, "two\nlines", NULL, NULL), STORE_ERR_INVALID);

    /* Renamed and retired: a retired theme sorts after those in use. */
    assert_int_equal(store_theme_update(s, length, "Length", "", true), STORE_OK);
    assert_int_equal(store_theme_update(s, trust, "Length", "", false), STORE_ERR_EXISTS);
    assert_int_equal(store_theme_update(s, trust + length + 100, "Gone", "", false),
                     STORE_ERR_NOT_FOUND);
    struct arena a = ARENA_INIT;
    struct store_theme *v;
    size_t n;
    assert_int_equal(store_themes(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].name, "Trust");
    assert_string_equal(v[0].description, "");
    assert_false(v[0].retired);
    assert_string_equal(v[1].name, "Length");
    assert_true(v[1].retired);
    assert_int_equal(v[1].id, length);

    /* The list has a cap, which the insert itself keeps. */
    for (int i = 2; i < STORE_THEMES_MAX; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Theme %03d", i);
        assert_int_equal(store_theme_add(s, name, NULL, NULL), STORE_OK);
    }
    assert_int_equal(store_theme_add(s, "One too many", NULL, NULL), STORE_ERR_FULL);
    arena_release(&a);
    store_close(s);
    fx_db_free(where);
}

struct ids {
    int64_t v[16];
    size_t n;
};

static int collect_ids(const struct store_answer_row *row, void *ctx)
{
    struct ids *ids = ctx;
    assert_true(row->id > 0);
    if (ids->n < 16)
        ids->v[ids->n++] = row->id;
    return 0;
}

static const struct store_code *find_code(const struct store_code *v, size_t n, int64_t answer,
                                          int64_t group)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].answer_id == answer && v[i].focus_group_id == group)
            return &v[i];
    return NULL;
}

static void test_codes_set_and_read(void **state)
{
    (void)state;
    char *where = fx_db_new();
    struct store *s = open_rw(where);
    struct survey sv = fx_survey("1.0.0");
    struct store_cohort_spec spec = {.label = "Year 9", .school = "Hill School", .survey = &sv};
    char code[WIRE_CODE_LEN + 1];
    assert_int_equal(store_cohort_create(s, &spec, code), STORE_OK);
    for (int i = 0; i < 3; i++) {
        struct fx_answer f;
        fx_answer_make(&f, code, "1.0.0", "c2", i == 0 ? "It was long" : "I liked it");
        assert_int_equal(store_submit(s, &f.a), STORE_OK);
    }
    struct ids ids = {0};
    assert_int_equal(store_answers_each(s, 0, collect_ids, &ids), STORE_OK);
    assert_int_equal(ids.n, 3);
    assert_true(ids.v[0] != ids.v[1] && ids.v[1] != ids.v[2] && ids.v[0] != ids.v[2]);

    int64_t length, trust, old;
    assert_int_equal(store_theme_add(s, "Length", NULL, &length), STORE_OK);
    assert_int_equal(store_theme_add(s, "Trust", NULL, &trust), STORE_OK);
    assert_int_equal(store_theme_add(s, "Old", NULL, &old), STORE_OK);
    struct store_focus_group fg = {.day = store_today(s),
                                   .cohort_code = code,
                                   .notes = "n",
                                   .themes = "",
                                   .quotes = "",
                                   .author = "eva"};
    int64_t fgid;
    assert_int_equal(store_focus_group_add(s, &fg, &fgid), STORE_OK);

    int64_t both[] = {length, trust}, one[] = {old}, bogus[] = {trust, trust + old + 50};
    struct store_code set[] = {
        {.answer_id = ids.v[0],
         .question_id = "q-comment",
         .themes = both,
         .theme_count = 2,
         .page_id = "story"},
        {.answer_id = ids.v[1], .question_id = "q-comment", .themes = one, .theme_count = 1},
        {.focus_group_id = fgid, .themes = bogus, .theme_count = 2, .page_id = "support"},
    };
    assert_int_equal(store_codes_set(s, set, 3), STORE_OK);
    struct arena a = ARENA_INIT;
    struct store_code *v;
    size_t n;
    assert_int_equal(store_codes(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 3);
    const struct store_code *c0 = find_code(v, n, ids.v[0], 0);
    assert_non_null(c0);
    assert_string_equal(c0->question_id, "q-comment");
    assert_int_equal(c0->theme_count, 2);
    assert_int_equal(c0->themes[0], length < trust ? length : trust);
    assert_int_equal(c0->themes[1], length < trust ? trust : length);
    assert_string_equal(c0->page_id, "story");
    const struct store_code *f = find_code(v, n, 0, fgid);
    assert_non_null(f);
    assert_null(f->question_id);
    assert_int_equal(f->theme_count, 1); /* the theme that does not exist is left out */
    assert_int_equal(f->themes[0], trust);
    assert_string_equal(f->page_id, "support");

    /* Retiring "Old" keeps its code through a save that no longer offers it; a save
     * replaces the themes in use and the page. */
    assert_int_equal(store_theme_update(s, old, "Old", "", true), STORE_OK);
    struct store_code again[] = {
        {.answer_id = ids.v[0], .question_id = "q-comment", .themes = one, .theme_count = 1},
        {.answer_id = ids.v[1], .question_id = "q-comment", .themes = &trust, .theme_count = 1},
    };
    assert_int_equal(store_codes_set(s, again, 2), STORE_OK);
    assert_int_equal(store_codes(s, &a, &v, &n), STORE_OK);
    assert_null(find_code(v, n, ids.v[0], 0)); /* no theme in use, no page: nothing left */
    const struct store_code *c1 = find_code(v, n, ids.v[1], 0);
    assert_non_null(c1);
    assert_int_equal(c1->theme_count, 2);
    assert_int_equal(c1->themes[0], trust < old ? trust : old);
    assert_int_equal(c1->themes[1], trust < old ? old : trust);
    assert_null(c1->page_id);

    /* Bad arguments change nothing. */
    struct store_code bad = {
        .answer_id = ids.v[2], .question_id = "", .themes = &trust, .theme_count = 1};
    assert_int_equal(store_codes_set(s, &bad, 1), STORE_ERR_INVALID);
    bad = (struct store_code){
        .answer_id = ids.v[2], .focus_group_id = fgid, .question_id = "q-comment"};
    assert_int_equal(store_codes_set(s, &bad, 1), STORE_ERR_INVALID);

    /* Deleting the focus group, and purging the answers, take their codes with them. */
    assert_int_equal(store_focus_group_delete(s, fgid), STORE_OK);
    assert_int_equal(store_codes(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 1);
    fake_now += 40 * 86400;
    struct store_purged p;
    assert_int_equal(store_purge(s, 30, &p), STORE_OK);
    assert_int_equal(p.answers, 3);
    assert_int_equal(store_codes(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 0);
    /* A code for an answer that is gone stores nothing, and is no error. */
    assert_int_equal(store_codes_set(s, again, 2), STORE_OK);
    assert_int_equal(store_codes(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 0);
    /* The themes themselves stay. */
    struct store_theme *t;
    assert_int_equal(store_themes(s, &a, &t, &n), STORE_OK);
    assert_int_equal(n, 3);
    fake_now -= 40 * 86400;
    arena_release(&a);
    store_close(s);
    fx_db_free(where);
}

static void test_secret_is_made_once(void **state)
{
    (void)state;
    char *where = fx_db_new();
    struct store *s = open_rw(where);
    unsigned char a[STORE_SECRET_LEN], b[STORE_SECRET_LEN], zero[STORE_SECRET_LEN] = {0};
    assert_int_equal(store_secret(s, a), STORE_OK);
    assert_memory_not_equal(a, zero, sizeof(a));
    store_close(s);
    s = open_rw(where);
    assert_int_equal(store_secret(s, b), STORE_OK);
    assert_memory_equal(a, b, sizeof(a));
    store_close(s);
    /* Another database has another. */
    char *where2 = fx_db_new();
    s = open_rw(where2);
    assert_int_equal(store_secret(s, b), STORE_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    store_close(s);
    fx_db_free(where2);
    fx_db_free(where);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theme_list),
        cmocka_unit_test(test_codes_set_and_read),
        cmocka_unit_test(test_secret_is_made_once),
    };
    return cmocka_run_group_tests_name(fx_db_backend(), tests, NULL, NULL);
}
