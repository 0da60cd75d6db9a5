/*
 * The store: schema, cohorts, durable answers with group commit, purge, read-only. The tests
 * that hold for every backend run against the one the environment selects (see
 * test_fixture_db.h); those about SQLite's file and locking run under SQLite alone.
 */
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <time.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"
#include "survey/pairing.h"
#include "test_fixture_db.h"
#include "test_fixture_old_schema.h"
#include "test_fixture_survey.h"

static time_t fake_now = 1717236000; /* 2024-06-01, around midday */

static time_t fake_clock(void)
{
    return fake_now;
}

static struct store *open_rw(const char *path)
{
    struct store_options opt = {.now = fake_clock};
    struct store *s = NULL;
    char err[256] = "";
    int rc = store_open(path, STORE_READ_WRITE, &opt, &s, err, sizeof(err));
    if (rc != STORE_OK)
        fail_msg("store_open(%s): %d %s", path, rc, err);
    return s;
}

static void new_cohort(struct store *s, const char *version, const char *school, char *code)
{
    struct survey sv = fx_survey(version);
    struct store_cohort_spec spec = {.label = "Year 9 PSHE", .school = school, .survey = &sv};
    assert_int_equal(store_cohort_create(s, &spec, code), STORE_OK);
}

static int64_t count_answers(struct store *s)
{
    int64_t n = -1;
    assert_int_equal(store_answer_count(s, &n), STORE_OK);
    return n;
}

static void pragma_text(const char *path, const char *sql, char *out, size_t size)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_new_file_has_schema_and_wal(void **state)
{
    (void)state;
    char *path = fx_tmp_db();
    struct store *s = open_rw(path);
    char v[128];
    pragma_text(path, "PRAGMA journal_mode", v, sizeof(v));
    assert_string_equal(v, "wal");
    pragma_text(path, "SELECT version FROM schema_version", v, sizeof(v));
    char want[16];
    snprintf(want, sizeof(want), "%d", STORE_SCHEMA_VERSION);
    assert_string_equal(v, want);
    pragma_text(path, "PRAGMA application_id", v, sizeof(v));
    assert_string_equal(v, "1886154859");
    /* The answers table keeps the day and nothing that could identify a pupil. */
    pragma_text(path,
                "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info("
                "'answers') ORDER BY cid)",
                v, sizeof(v));
    assert_string_equal(
        v, "id,cohort_id,package_version,day,body,served_version,pairing_word,part,language");
    store_close(s);
    /* Opening again does not migrate twice. */
    s = open_rw(path);
    store_close(s);
    pragma_text(path, "SELECT count(*) FROM schema_version", v, sizeof(v));
    assert_string_equal(v, "1");
    fx_tmp_free(path);
}

static unsigned file_mode(const char *path, const char *suffix)
{
    char name[4096];
    snprintf(name, sizeof(name), "%s%s", path, suffix);
    struct stat st;
    if (stat(name, &st) != 0)
        fail_msg("%s: %s", name, strerror(errno));
    return (unsigned)st.st_mode & 0777;
}

/* The file holds password hashes and answers: its owner alone may read it, whatever the
 * umask, and so may the write-ahead log and the shared-memory index beside it. */
static void test_new_file_is_private(void **state)
{
    (void)state;
    char *path = fx_tmp_db();
    mode_t old = umask(022);
    struct store *s = open_rw(path);
    char code[16];
    new_cohort(s, "1.0.0", "School A", code);
    assert_int_equal(file_mode(path, ""), 0600);
    assert_int_equal(file_mode(path, "-wal"), 0600);
    assert_int_equal(file_mode(path, "-shm"), 0600);
    store_close(s);
    umask(old);
    assert_int_equal(file_mode(path, ""), 0600);
    fx_tmp_free(path);
}

/*
 * Readers keep their statements between calls (a class code is looked up for every answer),
 * but not their read transactions: a checkpoint that empties the write-ahead log must find
 * no reader still looking at it, or the log would grow without end while a server runs.
 */
static void test_readers_hold_no_snapshot(void **state)
{
    (void)state;
    char *path = fx_tmp_db();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", "Hillside School", code);
    struct arena ar = ARENA_INIT;
    struct store_cohort c;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_cohort_get(s, code, &ar, &c), STORE_OK);
        assert_int_equal(store_cohort_get(s, "AAAAAAAA", &ar, &c), STORE_ERR_NOT_FOUND);
    }
    /* The kept statement sees a later write. */
    assert_int_equal(store_cohort_set_open(s, code, false), STORE_OK);
    assert_int_equal(store_cohort_get(s, code, &ar, &c), STORE_OK);
    assert_false(c.open);

    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0); /* 1 when a reader blocked it */
    sqlite3_finalize(st);
    sqlite3_close(db);
    arena_release(&ar);
    store_close(s);
    fx_tmp_free(path);
}

static void test_migrates_empty_file(void **state)
{
    (void)state;
    char *path = fx_tmp_db();
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    store_close(s);
    fx_tmp_free(path);
}

/* A database of schema version 1 (before schools had staff) keeps its accounts as evaluators. */
static void test_migrates_version_1(void **state)
{
    (void)state;
    char *path = fx_db_new();
    store_close(open_rw(path));
    fx_db_exec(path, "ALTER TABLE staff DROP COLUMN school_id;"
                     "ALTER TABLE cohorts DROP COLUMN expected_size;"
                     "ALTER TABLE focus_groups DROP COLUMN author;"
                     "ALTER TABLE focus_groups DROP COLUMN recorded_day;"
                     "ALTER TABLE focus_groups DROP COLUMN edited_by;"
                     "ALTER TABLE focus_groups DROP COLUMN edited_day;"
                     "ALTER TABLE answers DROP COLUMN served_version;"
                     "DROP TABLE comment_themes; DROP TABLE comment_pages;"
                     "DROP TABLE focus_group_themes; DROP TABLE focus_group_pages;"
                     "DROP TABLE themes; DROP TABLE secrets;"
                     "ALTER TABLE answers DROP COLUMN pairing_word;"
                     "ALTER TABLE answers DROP COLUMN part;"
                     "ALTER TABLE answers DROP COLUMN language;"
                     "ALTER TABLE staff DROP COLUMN comments_seen_day;"
                     "INSERT INTO staff (name, password_hash, created_day) "
                     "VALUES ('sam', '$argon2id$fake', 1);"
                     "UPDATE schema_version SET version = 1;");
    struct store *s = open_rw(path);
    struct arena a = ARENA_INIT;
    struct store_staff st;
    assert_int_equal(store_staff_get(s, "sam", &a, &st), STORE_OK);
    assert_null(st.school);
    assert_int_equal(store_staff_add(s, "kim", "$argon2id$k", "Hill School"), STORE_OK);
    store_close(s);
    char v[64];
    fx_db_text(path, "SELECT version FROM schema_version", v, sizeof(v));
    char want[16];
    snprintf(want, sizeof(want), "%d", STORE_SCHEMA_VERSION);
    assert_string_equal(v, want);
    arena_release(&a);
    fx_db_free(path);
}

static int keep_row(const struct store_answer_row *row, void *ctx)
{
    struct store_answer_row *out = ctx;
    out->cohort_id = row->cohort_id;
    out->day = row->day;
    out->body_len = row->body_len;
    assert_string_equal(row->package_version, "1.0.0");
    /* Stored before the served version was: it keeps its class's. */
    assert_string_equal(row->served_version, "1.0.0");
    /* Stored before pairing words were: none. */
    assert_null(row->pairing_word);
    /* Stored before parts were: answered in one sitting. */
    assert_null(row->part);
    /* Stored before languages were: not recorded. */
    assert_null(row->language);
    assert_memory_equal(row->body, "{\"old\":1}", row->body_len);
    return 0;
}

/*
 * A database made by an earlier planpack, at every earlier schema version and on either
 * backend, opens with this one: its rows read back as they were, and it takes new ones.
 */
static void test_migrates_old_databases(void **state)
{
    (void)state;
    for (int version = 1; version <= FX_OLD_SCHEMA_NEWEST; version++) {
        char *where = fx_db_new();
        fx_old_schema_build(where, version);
        fx_db_exec(where, "INSERT INTO schools (name) VALUES ('Hill School');"
                          "INSERT INTO cohorts (code, label, school_id, package_id, "
                          "package_version, created_day) VALUES ('ABCD2345', 'Year 8', 1, "
                          "'sharing-images', '1.0.0', 19000);"
                          "INSERT INTO answers (cohort_id, package_version, day, body) "
                          "VALUES (1, '1.0.0', 19000, '{\"old\":1}');"
                          "INSERT INTO staff (name, password_hash, created_day) "
                          "VALUES ('sam', '$argon2id$fake', 1);"
                          "INSERT INTO focus_groups (day, cohort_id, themes, notes, quotes) "
                          "VALUES (19001, 1, 'trust', 'notes', 'quote');");
        if (version >= 2)
            fx_db_exec(where, "UPDATE staff SET school_id = 1");
        if (version >= 3)
            fx_db_exec(where, "UPDATE cohorts SET expected_size = 30");

        struct store *s = open_rw(where);
        struct arena a = ARENA_INIT;
        struct store_cohort c;
        assert_int_equal(store_cohort_get(s, "ABCD2345", &a, &c), STORE_OK);
        assert_string_equal(c.label, "Year 8");
        assert_string_equal(c.school, "Hill School");
        assert_string_equal(c.package_version, "1.0.0");
        assert_int_equal(c.created_day, 19000);
        assert_true(c.open);
        assert_int_equal(c.expected_size, version >= 3 ? 30 : 0);
        struct store_answer_row row = {0};
        assert_int_equal(store_answers_each(s, c.id, keep_row, &row), STORE_OK);
        assert_int_equal(row.cohort_id, c.id);
        assert_int_equal(row.day, 19000);
        struct store_staff st;
        assert_int_equal(store_staff_get(s, "sam", &a, &st), STORE_OK);
        if (version >= 2)
            assert_string_equal(st.school, "Hill School");
        else
            assert_null(st.school);
        struct store_focus_group *fg;
        size_t n;
        assert_int_equal(store_focus_groups(s, &a, &fg, &n), STORE_OK);
        assert_int_equal(n, 1);
        assert_string_equal(fg[0].cohort_code, "ABCD2345");
        assert_string_equal(fg[0].notes, "notes");
        /* Recorded before planpack kept who and when: dated by its meeting day. */
        assert_null(fg[0].author);
        assert_int_equal(fg[0].recorded_day, 19001);
        assert_null(fg[0].edited_by);
        /* It takes new rows of every kind. */
        struct fx_answer f;
        fx_answer_make(&f, "ABCD2345", "1.0.0", "c2", NULL);
        assert_int_equal(store_submit(s, &f.a), STORE_OK);
        assert_int_equal(count_answers(s), 2);
        char code[WIRE_CODE_LEN + 1];
        new_cohort(s, "1.1.0", "Dale Academy", code);
        assert_int_equal(store_staff_add(s, "kim", "$argon2id$k", "Hill School"), STORE_OK);
        unsigned char hash[STORE_TOKEN_HASH_LEN] = {7};
        assert_int_equal(store_session_create(s, hash, st.id, "csrf", fake_now), STORE_OK);
        store_close(s);

        char v[64], want[16];
        fx_db_text(where, "SELECT version FROM schema_version", v, sizeof(v));
        snprintf(want, sizeof(want), "%d", STORE_SCHEMA_VERSION);
        assert_string_equal(v, want);
        struct store *r = NULL;
        char err[256];
        assert_int_equal(store_open(where, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);
        assert_int_equal(count_answers(r), 2);
        store_close(r);
        arena_release(&a);
        fx_db_free(where);
    }
}

struct versions_seen {
    int served_1_0, served_1_1;
    int words;
    int64_t ids[32];
    size_t nids;
};

static int count_versions(const struct store_answer_row *row, void *ctx)
{
    struct versions_seen *v = ctx;
    /* The body keeps the meaning of its class's survey whatever was served. */
    assert_string_equal(row->package_version, "1.0.0");
    if (strcmp(row->served_version, "1.0.0") == 0)
        v->served_1_0++;
    else if (strcmp(row->served_version, "1.1.0") == 0)
        v->served_1_1++;
    else
        fail_msg("served version %s", row->served_version);
    /* The pairing word given, and nothing for the answer without one. */
    if (row->pairing_word) {
        assert_string_equal(row->pairing_word, "green otter");
        v->words++;
    }
    /* Every row its own id. */
    assert_true(row->id > 0 && v->nids < 32);
    for (size_t i = 0; i < v->nids; i++)
        assert_true(v->ids[i] != row->id);
    v->ids[v->nids++] = row->id;
    return 0;
}

static void told_ok(void *ctx, int status)
{
    assert_int_equal(status, STORE_OK);
    atomic_fetch_add((atomic_int *)ctx, 1);
}

/*
 * A class made under 1.0.0 answered while the server serves 1.1.0: each answer keeps the
 * version served, by every way of storing one; without one given, its class's. So with the
 * pairing word (a queued answer's copied: the caller's is gone once the call returns); one
 * too long for its field is refused.
 */
static void test_served_version_stored(void **state)
{
    (void)state;
    char *where = fx_db_new();
    struct store *s = open_rw(where);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    struct fx_answer f[6];
    struct survey_answer many[3];
    for (int i = 0; i < 6; i++) {
        fx_answer_make(&f[i], code, "1.0.0", "c2", NULL);
        f[i].a.served_version = i == 5 ? NULL : "1.1.0";
        f[i].a.pairing_word = i == 5 ? NULL : "green otter";
    }
    assert_int_equal(store_submit(s, &f[0].a), STORE_OK);
    /* Queued together, these go many to a statement. */
    atomic_int told = 0;
    for (int i = 0; i < 20; i++) {
        char word[PAIRING_WORD_MAX] = "green otter";
        f[1].a.pairing_word = word;
        assert_int_equal(store_submit_async(s, &f[1].a, told_ok, &told), STORE_OK);
        memset(word, 'x', sizeof(word) - 1);
    }
    for (int i = 0; i < 3; i++)
        many[i] = f[2 + i].a;
    assert_int_equal(store_submit_many(s, many, 3), STORE_OK);
    assert_int_equal(store_submit(s, &f[5].a), STORE_OK);
    char too_long[PAIRING_WORD_MAX + 1];
    memset(too_long, 'a', PAIRING_WORD_MAX);
    too_long[PAIRING_WORD_MAX] = '\0';
    f[5].a.pairing_word = too_long;
    assert_int_equal(store_submit(s, &f[5].a), STORE_ERR_INVALID);
    store_close(s);
    assert_int_equal(atomic_load(&told), 20);

    s = open_rw(where);
    struct versions_seen v = {0};
    assert_int_equal(store_answers_each(s, 0, count_versions, &v), STORE_OK);
    assert_int_equal(v.served_1_1, 24);
    assert_int_equal(v.served_1_0, 1);
    assert_int_equal(v.words, 24);
    /* The class's words, for the server to draw a new one apart from them. */
    struct arena a = ARENA_INIT;
    struct store_cohort c;
    assert_int_equal(store_cohort_get(s, code, &a, &c), STORE_OK);
    const char **words;
    size_t nwords;
    assert_int_equal(store_pairing_words(s, c.id, &a, &words, &nwords), STORE_OK);
    assert_int_equal(nwords, 24);
    for (size_t i = 0; i < nwords; i++)
        assert_string_equal(words[i], "green otter");
    assert_int_equal(store_pairing_words(s, c.id + 1000, &a, &words, &nwords), STORE_OK);
    assert_int_equal(nwords, 0);
    arena_release(&a);
    store_close(s);
    fx_db_free(where);
}

struct parts_seen {
    int start, end, later, none;
};

static int count_parts(const struct store_answer_row *row, void *ctx)
{
    struct parts_seen *v = ctx;
    if (!row->part)
        v->none++;
    else if (strcmp(row->part, "start") == 0)
        v->start++;
    else if (strcmp(row->part, "end") == 0)
        v->end++;
    else if (strcmp(row->part, "later") == 0)
        v->later++;
    else
        fail_msg("part %s", row->part);
    return 0;
}

/*
 * Each answer keeps the survey part it was given in, by every way of storing one; without
 * one it has none (one sitting); a name that is not a part's is refused and nothing stored.
 */
static void test_part_stored(void **state)
{
    (void)state;
    char *where = fx_db_new();
    struct store *s = open_rw(where);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    struct fx_answer f[6];
    struct survey_answer many[3];
    static const char *const parts[6] = {"start", "end", "later", "start", "end", NULL};
    for (int i = 0; i < 6; i++) {
        fx_answer_make(&f[i], code, "1.0.0", "c2", NULL);
        f[i].a.part = parts[i];
    }
    assert_int_equal(store_submit(s, &f[0].a), STORE_OK);
    atomic_int told = 0;
    for (int i = 0; i < 20; i++) {
        /* The async copy must not lean on the caller's string. */
        char later[8] = "later";
        f[2].a.part = later;
        assert_int_equal(store_submit_async(s, &f[2].a, told_ok, &told), STORE_OK);
        memset(later, 'x', sizeof(later) - 1);
    }
    for (int i = 0; i < 3; i++)
        many[i] = f[i == 0 ? 1 : 2 + i].a;
    assert_int_equal(store_submit_many(s, many, 3), STORE_OK);
    assert_int_equal(store_submit(s, &f[5].a), STORE_OK);
    f[1].a.part = "retro"; /* asked in the end part, never a part of its own */
    assert_int_equal(store_submit(s, &f[1].a), STORE_ERR_INVALID);
    f[1].a.part = "";
    assert_int_equal(store_submit(s, &f[1].a), STORE_ERR_INVALID);
    store_close(s);
    assert_int_equal(atomic_load(&told), 20);

    s = open_rw(where);
    struct parts_seen v = {0};
    assert_int_equal(store_answers_each(s, 0, count_parts, &v), STORE_OK);
    assert_int_equal(v.start, 2);
    assert_int_equal(v.end, 2);
    assert_int_equal(v.later, 20);
    assert_int_equal(v.none, 1);
    store_close(s);
    fx_db_free(where);
}

struct languages_seen {
    int en, cy, none;
};

static int count_languages(const struct store_answer_row *row, void *ctx)
{
    struct languages_seen *v = ctx;
    if (!row->language)
        v->none++;
    else if (strcmp(row->language, "en-GB") == 0)
        v->en++;
    else if (strcmp(row->language, "cy") == 0)
        v->cy++;
    else
        fail_msg("language %s", row->language);
    return 0;
}

/*
 * Each answer keeps the language of the page it was given on, by every way of storing one;
 * without one it has none; a tag longer than any the form takes is refused.
 */
static void test_language_stored(void **state)
{
    (void)state;
    char *where = fx_db_new();
    struct store *s = open_rw(where);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    struct fx_answer f[4];
    static const char *const langs[4] = {"en-GB", "cy", NULL, "cy"};
    for (int i = 0; i < 4; i++) {
        fx_answer_make(&f[i], code, "1.0.0", "c2", NULL);
        f[i].a.language = langs[i];
    }
    assert_int_equal(store_submit(s, &f[0].a), STORE_OK);
    atomic_int told = 0;
    for (int i = 0; i < 5; i++) {
        /* The async copy must not lean on the caller's string. */
        char cy[4] = "cy";
        f[1].a.language = cy;
        assert_int_equal(store_submit_async(s, &f[1].a, told_ok, &told), STORE_OK);
        memset(cy, 'x', sizeof(cy) - 1);
    }
    struct survey_answer many[3] = {f[0].a, f[2].a, f[3].a};
    assert_int_equal(store_submit_many(s, many, 3), STORE_OK);
    char long_tag[WIRE_LANG_MAX + 2];
    memset(long_tag, 'a', sizeof(long_tag) - 1);
    long_tag[sizeof(long_tag) - 1] = '\0';
    f[0].a.language = long_tag;
    assert_int_equal(store_submit(s, &f[0].a), STORE_ERR_INVALID);
    store_close(s);
    assert_int_equal(atomic_load(&told), 5);

    s = open_rw(where);
    struct languages_seen v = {0};
    assert_int_equal(store_answers_each(s, 0, count_languages, &v), STORE_OK);
    assert_int_equal(v.en, 2);
    assert_int_equal(v.cy, 6);
    assert_int_equal(v.none, 1);
    store_close(s);
    fx_db_free(where);
}

static void test_refuses_text_file(void **state)
{
    (void)state;
    char err[256];
    struct store *s = NULL;
    /* Not SQLite at all. */
    char *path = fx_tmp_db();
    FILE *f = fopen(path, "w");
    fputs("this is a text file, not a database, and it is long enough to look like one......"
          "................................................................................",
          f);
    fclose(f);
    assert_int_equal(store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)),
                     STORE_ERR_SCHEMA);
    assert_null(s);
    fx_tmp_free(path);
}

static void test_refuses_foreign_and_newer_databases(void **state)
{
    (void)state;
    char err[256];
    struct store *s = NULL;
    /* Another program's database. */
    char *path = fx_db_new();
    fx_db_exec(path, "CREATE TABLE photos (x INTEGER)");
    assert_int_equal(store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)),
                     STORE_ERR_SCHEMA);
    assert_null(s);
    assert_non_null(strstr(err, "not a planpack database"));
    fx_db_free(path);

    /* A newer planpack's database. */
    path = fx_db_new();
    s = open_rw(path);
    store_close(s);
    fx_db_exec(path, "UPDATE schema_version SET version = 99");
    s = NULL;
    assert_int_equal(store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)),
                     STORE_ERR_SCHEMA);
    assert_non_null(strstr(err, "newer"));
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &s, err, sizeof(err)),
                     STORE_ERR_SCHEMA);
    assert_null(s);
    fx_db_free(path);
}

static void test_refuses_bad_locations(void **state)
{
    (void)state;
    char err[256];
    struct store *s = NULL;
    assert_int_equal(store_open(":memory:", STORE_READ_WRITE, NULL, &s, err, sizeof(err)),
                     STORE_ERR_INVALID);
    /* Nothing listens on port 1: a clear message, and never the password. */
    const char *urls[] = {"postgres://planpack:hunter2@127.0.0.1:1/feedback",
                          "postgresql://planpack@127.0.0.1:1/feedback?password=hunter2"};
    for (size_t i = 0; i < 2; i++) {
        err[0] = '\0';
        assert_int_equal(store_open(urls[i], STORE_READ_ONLY, NULL, &s, err, sizeof(err)),
                         STORE_ERR_IO);
        assert_null(s);
        assert_non_null(strstr(err, "cannot connect to postgres"));
        assert_non_null(strstr(err, "127.0.0.1"));
        assert_non_null(strstr(err, "***"));
        assert_null(strstr(err, "hunter2"));
    }
}

static void test_location_shown_hides_passwords(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"./planpack.db", "./planpack.db"},
        {"postgres://pp:s3cret@db.example:5432/feedback",
         "postgres://pp:***@db.example:5432/feedback"},
        {"postgresql://pp@db/feedback", "postgresql://pp@db/feedback"},
        {"postgresql:///feedback?host=/run/pg&password=s3cret&user=pp",
         "postgresql:///feedback?host=/run/pg&password=***&user=pp"},
        {"postgres://a:b@c@h/d?password=x", "postgres://a:***@h/d?password=***"},
        {"postgres://h/d?sslmode=require", "postgres://h/d?sslmode=require"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[256];
        store_location_shown(cases[i][0], out, sizeof(out));
        assert_string_equal(out, cases[i][1]);
    }
}

/* Snapshots are read once and kept; a version stored later is still found. */
static void test_survey_get(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    const struct survey *first = NULL, *again = NULL, *later = NULL;
    assert_int_equal(store_survey_get(s, "sharing-images", "1.0.0", &first), STORE_OK);
    assert_non_null(first);
    assert_string_equal(first->package_version, "1.0.0");
    struct survey want = fx_survey("1.0.0");
    assert_int_equal(first->count, want.count);
    assert_string_equal(first->questions[0].id, want.questions[0].id);
    assert_int_equal(store_survey_get(s, "sharing-images", "1.1.0", &later), STORE_ERR_NOT_FOUND);
    assert_null(later);
    assert_int_equal(store_survey_get(s, "another-package", "1.0.0", &later), STORE_ERR_NOT_FOUND);
    /* A class for a version stored after the first read: its snapshot is read then. */
    new_cohort(s, "1.1.0", NULL, code);
    assert_int_equal(store_survey_get(s, "sharing-images", "1.1.0", &later), STORE_OK);
    assert_string_equal(later->package_version, "1.1.0");
    /* The first answer's snapshot is still there, and the same one. */
    assert_int_equal(store_survey_get(s, "sharing-images", "1.0.0", &again), STORE_OK);
    assert_string_equal(first->package_version, "1.0.0");
    assert_string_equal(again->package_version, "1.0.0");
    store_close(s);
    fx_db_free(path);
}

static void test_cohorts(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", "Hillside School", a);
    new_cohort(s, "1.1.0", "Hillside School", b);
    assert_int_equal(strlen(a), WIRE_CODE_LEN);
    assert_int_equal(strspn(a, WIRE_CODE_ALPHABET), WIRE_CODE_LEN);
    assert_string_not_equal(a, b);

    struct arena ar = ARENA_INIT;
    struct store_cohort c;
    assert_int_equal(store_cohort_get(s, b, &ar, &c), STORE_OK);
    assert_string_equal(c.code, b);
    assert_string_equal(c.label, "Year 9 PSHE");
    assert_string_equal(c.school, "Hillside School");
    assert_string_equal(c.package_id, "sharing-images");
    assert_string_equal(c.package_version, "1.1.0");
    assert_int_equal(c.created_day, store_today(s));
    assert_true(c.open);
    assert_int_equal(store_cohort_get(s, "AAAAAAAA", &ar, &c), STORE_ERR_NOT_FOUND);

    assert_int_equal(store_cohort_set_open(s, b, false), STORE_OK);
    assert_int_equal(store_cohort_get(s, b, &ar, &c), STORE_OK);
    assert_false(c.open);
    assert_int_equal(store_cohort_set_open(s, "AAAAAAAA", false), STORE_ERR_NOT_FOUND);

    struct store_cohort *all;
    size_t n;
    assert_int_equal(store_cohorts(s, &ar, &all, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].code, a);
    assert_string_equal(all[1].code, b);

    /* Both versions' surveys were kept, with the change log of 1.1.0. */
    struct survey *sv;
    assert_int_equal(store_surveys(s, &ar, &sv, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(sv[1].package_version, "1.1.0");
    assert_int_equal(sv[1].count, 7);
    assert_int_equal(sv[1].change_count, 1);
    assert_string_equal(sv[1].questions[6].id, "q-comment");
    assert_int_equal(sv[1].questions[6].max_length, 100);
    assert_string_equal(sv[1].questions[0].options[4].label, "Very");

    /* Empty, too long, or holding a control character (C0, DEL, C1): refused. */
    char too_long[202];
    memset(too_long, 'x', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = '\0';
    const char *bad_labels[] = {"", too_long, "9X\x1b[31m", "9X\tPSHE", "9X\x7f", "9X\xc2\x9b"};
    for (size_t i = 0; i < sizeof(bad_labels) / sizeof(*bad_labels); i++) {
        struct store_cohort_spec bad = {.label = bad_labels[i], .survey = &sv[0]};
        assert_int_equal(store_cohort_create(s, &bad, a), STORE_ERR_INVALID);
        bad = (struct store_cohort_spec){.label = "9X", .school = bad_labels[i], .survey = &sv[0]};
        assert_int_equal(store_cohort_create(s, &bad, a), STORE_ERR_INVALID);
    }
    struct store_cohort_spec good = {.label = "Caf\xc3\xa9 \xc2\xa0 9X", .survey = &sv[0]};
    assert_int_equal(store_cohort_create(s, &good, a), STORE_OK);
    arena_release(&ar);
    store_close(s);
    fx_db_free(path);
}

static long long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - since->tv_sec) * 1000 +
           (now.tv_nsec - since->tv_nsec) / 1000000;
}

/*
 * A store remembers the class codes it has read for a second (POST /feedback reads one for
 * every answer); its own store_cohort_set_open() forgets at once, and a change made through
 * another store shows within that second.
 */
static void test_cohort_memo(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *w = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(w, "1.0.0", "Hillside School", code);
    struct store *r = NULL;
    char err[256];
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);

    struct arena ar = ARENA_INIT;
    struct store_cohort c;
    struct timespec read_at;
    clock_gettime(CLOCK_MONOTONIC, &read_at);
    assert_int_equal(store_cohort_get(r, code, &ar, &c), STORE_OK);
    assert_true(c.open);
    assert_int_equal(store_cohort_get(w, code, &ar, &c), STORE_OK);
    assert_true(c.open);

    assert_int_equal(store_cohort_set_open(w, code, false), STORE_OK);
    assert_int_equal(store_cohort_get(w, code, &ar, &c), STORE_OK);
    assert_false(c.open); /* the store that closed it knows at once */
    assert_int_equal(store_cohort_get(r, code, &ar, &c), STORE_OK);
    if (elapsed_ms(&read_at) < 500) /* a busy machine may have let the second pass */
        assert_true(c.open);
    /* What r remembered is whole: its strings are its own copies. */
    assert_string_equal(c.code, code);
    assert_string_equal(c.school, "Hillside School");
    assert_string_equal(c.package_version, "1.0.0");

    struct timespec pause = {1, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_int_equal(store_cohort_get(r, code, &ar, &c), STORE_OK);
    assert_false(c.open);
    /* Reopened, and again the store that did it knows at once. */
    assert_int_equal(store_cohort_set_open(w, code, true), STORE_OK);
    assert_int_equal(store_cohort_get(w, code, &ar, &c), STORE_OK);
    assert_true(c.open);
    /* A code that is not there is asked for every time, never remembered. */
    assert_int_equal(store_cohort_get(r, "AAAAAAAA", &ar, &c), STORE_ERR_NOT_FOUND);
    arena_release(&ar);
    store_close(r);
    store_close(w);
    fx_db_free(path);
}

struct collect {
    int rows;
    char last_body[512];
    int day;
    const char *version_seen;
    char version[16];
};

static int collect_row(const struct store_answer_row *row, void *ctx)
{
    struct collect *c = ctx;
    c->rows++;
    snprintf(c->last_body, sizeof(c->last_body), "%.*s", (int)row->body_len, row->body);
    snprintf(c->version, sizeof(c->version), "%s", row->package_version);
    c->day = row->day;
    return 0;
}

static void test_submit_round_trip_and_refusals(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);

    struct fx_answer f;
    fx_answer_make(&f, code, "1.0.0", "c4", "It was \"good\"");
    assert_int_equal(store_submit(s, &f.a), STORE_OK);
    struct collect c = {0};
    assert_int_equal(store_answers_each(s, 0, collect_row, &c), STORE_OK);
    assert_int_equal(c.rows, 1);
    assert_string_equal(c.last_body, "{\"q-confident-end\":\"c4\",\"q-comment\":\"It was "
                                     "\\\"good\\\"\"}");
    assert_string_equal(c.version, "1.0.0");
    assert_int_equal(c.day, store_today(s));

    /* An unknown code and a closed one store nothing. */
    fx_answer_make(&f, "ZZZZZZZZ", "1.0.0", "c4", NULL);
    assert_int_equal(store_submit(s, &f.a), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_cohort_set_open(s, code, false), STORE_OK);
    fx_answer_make(&f, code, "1.0.0", "c4", NULL);
    assert_int_equal(store_submit(s, &f.a), STORE_ERR_CLOSED);
    assert_int_equal(count_answers(s), 1);

    /* store_submit_many is all or none: one closed code fails the lot. */
    char open_code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, open_code);
    struct fx_answer g[3];
    fx_answer_make(&g[0], open_code, "1.0.0", "c1", NULL);
    fx_answer_make(&g[1], open_code, "1.0.0", "c2", NULL);
    fx_answer_make(&g[2], code, "1.0.0", "c3", NULL);
    struct survey_answer many[3] = {g[0].a, g[1].a, g[2].a};
    assert_int_equal(store_submit_many(s, many, 3), STORE_ERR_CLOSED);
    assert_int_equal(count_answers(s), 1);
    assert_int_equal(store_submit_many(s, many, 2), STORE_OK);
    assert_int_equal(count_answers(s), 3);

    /* An answer with nothing in it is refused before the database. */
    fx_answer_make(&f, open_code, "1.0.0", NULL, NULL);
    assert_int_equal(store_submit(s, &f.a), STORE_ERR_INVALID);
    assert_int_equal(count_answers(s), 3);
    store_close(s);
    fx_db_free(path);
}

struct submitter {
    struct store *s;
    const char *code;
    int index;
    int count;
    int ok;
};

static void *submit_many_threads(void *arg)
{
    struct submitter *t = arg;
    for (int i = 0; i < t->count; i++) {
        char text[64];
        snprintf(text, sizeof(text), "answer-%03d-%03d", t->index, i);
        struct fx_answer f;
        fx_answer_make(&f, t->code, "1.0.0", "c3", text);
        if (store_submit(t->s, &f.a) == STORE_OK)
            t->ok++;
    }
    return NULL;
}

struct seen {
    unsigned char *counts;
    int threads;
    int per;
    int bad;
    int64_t *classes; /* when not NULL: the class id each answer must be stored with */
};

static int count_seen(const struct store_answer_row *row, void *ctx)
{
    struct seen *s = ctx;
    char body[512];
    snprintf(body, sizeof(body), "%.*s", (int)row->body_len, row->body);
    const char *p = strstr(body, "answer-");
    int t, i;
    if (!p || sscanf(p, "answer-%d-%d", &t, &i) != 2 || t >= s->threads || i >= s->per) {
        s->bad++;
        return 0;
    }
    s->counts[t * s->per + i]++;
    if (s->classes && s->classes[t * s->per + i] != row->cohort_id)
        s->bad++;
    return 0;
}

static void test_group_commit_many_threads(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    enum { THREADS = 32, PER = 40 };
    pthread_t th[THREADS];
    struct submitter sub[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sub[i] = (struct submitter){s, code, i, PER, 0};
        assert_int_equal(pthread_create(&th[i], NULL, submit_many_threads, &sub[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(sub[i].ok, PER);
    }
    /* Read back from a separate read-only store: every acknowledged answer, exactly once. */
    struct store *r = NULL;
    char err[256];
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);
    struct seen seen = {calloc(THREADS * PER, 1), THREADS, PER, 0, NULL};
    assert_int_equal(store_answers_each(r, 0, count_seen, &seen), STORE_OK);
    assert_int_equal(seen.bad, 0);
    for (int i = 0; i < THREADS * PER; i++)
        assert_int_equal(seen.counts[i], 1);
    free(seen.counts);
    store_close(r);
    store_close(s);
    fx_db_free(path);
}

/* What store_submit_async() told one answer, and how many times. */
struct told {
    atomic_int calls;
    atomic_int status;
};

static void tell(void *ctx, int status)
{
    struct told *t = ctx;
    atomic_store(&t->status, status);
    atomic_fetch_add(&t->calls, 1);
}

static void submit_async(struct store *s, const char *code, int t, int i, struct told *told)
{
    char text[64];
    snprintf(text, sizeof(text), "answer-%03d-%03d", t, i);
    struct fx_answer f;
    fx_answer_make(&f, code, "1.0.0", "c3", text);
    assert_int_equal(store_submit_async(s, &f.a, tell, told), STORE_OK);
}

/*
 * Answers queued without waiting, beside threads that wait: each is told its status once,
 * closing the store first tells every answer still queued, and a code closed meanwhile
 * refuses every answer queued after the close.
 */
static void test_submit_async(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1], second[WIRE_CODE_LEN + 1], other[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    new_cohort(s, "1.0.0", NULL, second);
    new_cohort(s, "1.0.0", NULL, other);
    enum { THREADS = 4, PER = 25, QUEUED = 300, LATE = 40 };
    pthread_t th[THREADS];
    struct submitter sub[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sub[i] = (struct submitter){s, code, i, PER, 0};
        assert_int_equal(pthread_create(&th[i], NULL, submit_many_threads, &sub[i]), 0);
    }
    static struct told told[QUEUED + LATE];
    memset(told, 0, sizeof(told));
    /* Queued answers alternate between two classes, stored many to a statement. */
    for (int i = 0; i < QUEUED; i++)
        submit_async(s, i % 2 ? second : code, THREADS, i, &told[i]);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(sub[i].ok, PER);
    }
    /* Once the close has returned, answers for the other code are refused, every one, even
     * though an answer for it was just stored while it was open. */
    struct fx_answer f;
    char text[64];
    snprintf(text, sizeof(text), "answer-%03d-%03d", THREADS + 1, QUEUED - 1);
    fx_answer_make(&f, other, "1.0.0", "c3", text);
    assert_int_equal(store_submit(s, &f.a), STORE_OK);
    assert_int_equal(store_cohort_set_open(s, other, false), STORE_OK);
    for (int i = 0; i < LATE; i++)
        submit_async(s, other, THREADS + 1, i, &told[QUEUED + i]);
    fx_answer_make(&f, "ZZZZZZZZ", "1.0.0", "c3", NULL);
    struct told unknown = {0};
    assert_int_equal(store_submit_async(s, &f.a, tell, &unknown), STORE_OK);
    store_close(s); /* returns once every queued answer has been told */
    for (int i = 0; i < QUEUED + LATE; i++) {
        assert_int_equal(atomic_load(&told[i].calls), 1);
        assert_int_equal(atomic_load(&told[i].status), i < QUEUED ? STORE_OK : STORE_ERR_CLOSED);
    }
    assert_int_equal(atomic_load(&unknown.calls), 1);
    assert_int_equal(atomic_load(&unknown.status), STORE_ERR_NOT_FOUND);

    /* Every acknowledged answer is stored exactly once; no refused one is. */
    struct store *r = NULL;
    char err[256];
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);
    struct arena a = ARENA_INIT;
    struct store_cohort first_class, second_class, other_class;
    assert_int_equal(store_cohort_get(r, code, &a, &first_class), STORE_OK);
    assert_int_equal(store_cohort_get(r, second, &a, &second_class), STORE_OK);
    assert_int_equal(store_cohort_get(r, other, &a, &other_class), STORE_OK);
    int64_t *classes = calloc((THREADS + 2) * QUEUED, sizeof(*classes));
    for (int t = 0; t < THREADS + 2; t++)
        for (int i = 0; i < QUEUED; i++)
            classes[t * QUEUED + i] = t > THREADS                 ? other_class.id
                                      : t < THREADS || i % 2 == 0 ? first_class.id
                                                                  : second_class.id;
    struct seen seen = {calloc((THREADS + 2) * QUEUED, 1), THREADS + 2, QUEUED, 0, classes};
    assert_int_equal(store_answers_each(r, 0, count_seen, &seen), STORE_OK);
    assert_int_equal(seen.bad, 0);
    free(classes);
    arena_release(&a);
    for (int t = 0; t < THREADS + 2; t++)
        for (int i = 0; i < QUEUED; i++) {
            int want = t < THREADS ? i < PER : t == THREADS || i == QUEUED - 1;
            assert_int_equal(seen.counts[t * QUEUED + i], want);
        }
    free(seen.counts);
    /* A read-only store queues nothing and never calls back. */
    struct told never = {0};
    fx_answer_make(&f, code, "1.0.0", "c3", NULL);
    assert_int_equal(store_submit_async(r, &f.a, tell, &never), STORE_ERR_READ_ONLY);
    assert_int_equal(atomic_load(&never.calls), 0);
    store_close(r);
    fx_db_free(path);
}

static void test_read_only_and_writer_lock(void **state)
{
    (void)state;
    char *path = fx_tmp_db();
    struct store *r = NULL;
    char err[256];
    /* Reading never creates a database. */
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &r, err, sizeof(err)),
                     STORE_ERR_NOT_FOUND);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);

    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    /* A second writer is refused while the first is open. */
    struct store *s2 = NULL;
    assert_int_equal(store_open(path, STORE_READ_WRITE, NULL, &s2, err, sizeof(err)),
                     STORE_ERR_LOCKED);
    assert_non_null(strstr(err, "another planpack"));
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);
    struct fx_answer f;
    fx_answer_make(&f, code, "1.0.0", "c2", NULL);
    assert_int_equal(store_submit(r, &f.a), STORE_ERR_READ_ONLY);
    assert_int_equal(store_cohort_set_open(r, code, false), STORE_ERR_READ_ONLY);
    assert_int_equal(store_submit(s, &f.a), STORE_OK);
    /* The reader sees the writer's committed answer. */
    assert_int_equal(count_answers(r), 1);
    store_close(r);
    store_close(s);
    /* Once the first has closed, a writer may open again; and a reader on a closed file. */
    s = open_rw(path);
    store_close(s);
    assert_int_equal(store_open(path, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);
    assert_int_equal(count_answers(r), 1);
    store_close(r);
    fx_tmp_free(path);
}

/* Whether needle occurs anywhere in the file's bytes. */
static int file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    int found = memmem(buf, n, needle, strlen(needle)) != NULL;
    free(buf);
    return found;
}

/*
 * A signal sent to the process goes to any thread that does not block it: `planpack serve`
 * blocks SIGTERM only after it has opened the store, so the writer thread must never take
 * it (its default action would end the process at once instead of a clean stop).
 */
static void test_writer_never_takes_sigterm(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &term, &old), 0);
    assert_int_equal(kill(getpid(), SIGTERM), 0);
    /* Still alive: the signal waits for this thread, which takes it here. */
    struct timespec wait = {5, 0};
    assert_int_equal(sigtimedwait(&term, NULL, &wait), SIGTERM);
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    store_close(s);
    fx_db_free(path);
}

static void test_purge_really_deletes(void **state)
{
    (void)state;
    char *path = fx_db_new();
    char wal[600];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    time_t start = fake_now;

    /* Forty days ago: answers that must go. */
    fake_now = start - 40 * 86400;
    for (int i = 0; i < 50; i++) {
        char text[64];
        snprintf(text, sizeof(text), "OLDSECRET-%02d-marker", i);
        struct fx_answer f;
        fx_answer_make(&f, code, "1.0.0", "c1", text);
        assert_int_equal(store_submit(s, &f.a), STORE_OK);
    }
    /* Recorded forty days ago about a meeting on that day, and one whose typed meeting day
     * is recent: purge goes by the day it was recorded, not the day typed. */
    struct store_focus_group fg = {.day = store_today(s),
                                   .cohort_code = code,
                                   .themes = "length",
                                   .notes = "OLDNOTES said it was long",
                                   .quotes = "too long",
                                   .author = "sam"};
    assert_int_equal(store_focus_group_add(s, &fg, NULL), STORE_OK);
    fg.day = store_day_from_time(start);
    fg.notes = "OLDTYPED a meeting day typed as today";
    assert_int_equal(store_focus_group_add(s, &fg, NULL), STORE_OK);
    /* Ten days ago: answers that stay. */
    fake_now = start - 10 * 86400;
    for (int i = 0; i < 5; i++) {
        struct fx_answer f;
        fx_answer_make(&f, code, "1.0.0", "c5", "NEWKEEP-marker");
        assert_int_equal(store_submit(s, &f.a), STORE_OK);
    }
    /* Today: a focus group about a meeting typed as sixty days ago, which stays. */
    fake_now = start;
    fg.day = store_today(s) - 60;
    fg.notes = "NEWNOTES recorded today";
    assert_int_equal(store_focus_group_add(s, &fg, NULL), STORE_OK);
    assert_int_equal(count_answers(s), 55);

    struct store_purged deleted = {-1, -1, -1};
    assert_int_equal(store_purge(s, 30, &deleted), STORE_OK);
    assert_int_equal(deleted.answers, 50);
    assert_int_equal(deleted.focus_groups, 2);
    assert_int_equal(deleted.sessions, 0);
    assert_int_equal(count_answers(s), 5);
    struct arena a = ARENA_INIT;
    struct store_focus_group *fgs;
    size_t n;
    assert_int_equal(store_focus_groups(s, &a, &fgs, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(fgs[0].notes, "NEWNOTES recorded today");
    assert_int_equal(fgs[0].recorded_day, store_today(s));
    arena_release(&a);

    /* SQLite: gone from the bytes of the database and its log, even before closing.
     * (PostgreSQL vacuums, which frees the rows' space without overwriting it at once.) */
    if (!fx_is_pg()) {
        assert_false(file_contains(path, "OLDSECRET"));
        assert_false(file_contains(wal, "OLDSECRET"));
        assert_false(file_contains(path, "OLDNOTES"));
        assert_false(file_contains(path, "OLDTYPED"));
    }
    store_close(s);
    if (!fx_is_pg()) {
        assert_false(file_contains(path, "OLDSECRET"));
        assert_true(file_contains(path, "NEWKEEP"));
    }
    assert_int_equal(store_purge(s = open_rw(path), -1, NULL), STORE_ERR_INVALID);
    store_close(s);
    fx_db_free(path);
}

static void test_staff_and_sessions_rows(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    assert_int_equal(store_staff_add(s, "sam", "$argon2id$fake", NULL), STORE_OK);
    assert_int_equal(store_staff_add(s, "sam", "$argon2id$other", NULL), STORE_ERR_EXISTS);
    assert_int_equal(store_staff_add(s, "", "$argon2id$other", NULL), STORE_ERR_INVALID);
    assert_int_equal(store_staff_add(s, "bad\nname", "$argon2id$other", NULL), STORE_ERR_INVALID);
    assert_int_equal(store_staff_add(s, "bad\xc2\x9bname", "$argon2id$other", NULL),
                     STORE_ERR_INVALID);
    assert_int_equal(store_staff_add(s, "kim", "$argon2id$other", ""), STORE_ERR_INVALID);
    /* Two accounts of one school share it; the school is made by the first. */
    assert_int_equal(store_staff_add(s, "kim", "$argon2id$k", "Hill School"), STORE_OK);
    assert_int_equal(store_staff_add(s, "lee", "$argon2id$l", "Hill School"), STORE_OK);
    struct arena a = ARENA_INIT;
    struct store_staff st;
    assert_int_equal(store_staff_get(s, "kim", &a, &st), STORE_OK);
    assert_string_equal(st.school, "Hill School");
    assert_int_equal(store_staff_get(s, "lee", &a, &st), STORE_OK);
    assert_string_equal(st.school, "Hill School");
    assert_int_equal(store_staff_get(s, "sam", &a, &st), STORE_OK);
    assert_null(st.school);
    assert_string_equal(st.password_hash, "$argon2id$fake");
    assert_int_equal(store_staff_set_throttle(s, st.id, 3, 1000), STORE_OK);
    assert_int_equal(store_staff_get(s, "sam", &a, &st), STORE_OK);
    assert_int_equal(st.failed_logins, 3);
    assert_int_equal(st.throttled_until, 1000);
    struct store_staff none;
    assert_int_equal(store_staff_get(s, "nobody", &a, &none), STORE_ERR_NOT_FOUND);

    unsigned char h[STORE_TOKEN_HASH_LEN] = {1, 2, 3};
    assert_int_equal(store_session_create(s, h, st.id, "csrf-token", 5000), STORE_OK);
    struct store_session ses;
    assert_int_equal(store_session_get(s, h, &a, &ses), STORE_OK);
    assert_string_equal(ses.staff_name, "sam");
    assert_null(ses.school);
    assert_string_equal(ses.csrf, "csrf-token");
    assert_int_equal(ses.created, 5000);
    assert_int_equal(store_session_touch(s, h, 6000), STORE_OK);
    assert_int_equal(store_session_get(s, h, &a, &ses), STORE_OK);
    assert_int_equal(ses.last_seen, 6000);
    assert_int_equal(store_session_end(s, h), STORE_OK);
    assert_int_equal(store_session_get(s, h, &a, &ses), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_session_touch(s, h, 7000), STORE_ERR_NOT_FOUND);
    /* A session for an account that does not exist is refused. */
    assert_int_equal(store_session_create(s, h, 999, "x", 1), STORE_ERR_NOT_FOUND);
    arena_release(&a);
    store_close(s);
    fx_db_free(path);
}

static void test_staff_list_remove_end_sessions(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    assert_int_equal(store_staff_add(s, "sam", "$argon2id$s", NULL), STORE_OK);
    assert_int_equal(store_staff_add(s, "kim", "$argon2id$k", "Hill School"), STORE_OK);
    struct arena a = ARENA_INIT;
    struct store_staff sam, kim;
    assert_int_equal(store_staff_get(s, "sam", &a, &sam), STORE_OK);
    assert_int_equal(store_staff_get(s, "kim", &a, &kim), STORE_OK);
    time_t now = 100000;
    unsigned char h1[STORE_TOKEN_HASH_LEN] = {1}, h2[STORE_TOKEN_HASH_LEN] = {2},
                  h3[STORE_TOKEN_HASH_LEN] = {3}, h4[STORE_TOKEN_HASH_LEN] = {4};
    assert_int_equal(store_session_create(s, h1, sam.id, "c1", now), STORE_OK);
    assert_int_equal(store_session_create(s, h2, sam.id, "c2", now), STORE_OK);
    assert_int_equal(store_session_create(s, h3, kim.id, "c3", now), STORE_OK);
    /* A session idle past the limit is not counted as in use. */
    assert_int_equal(store_session_create(s, h4, kim.id, "c4", now - 3600), STORE_OK);
    struct store_staff_entry *e;
    size_t n;
    assert_int_equal(store_staff_list(s, now + 60, &a, &e, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].name, "kim");
    assert_string_equal(e[0].school, "Hill School");
    assert_int_equal(e[0].sessions, 1);
    assert_string_equal(e[1].name, "sam");
    assert_null(e[1].school);
    assert_int_equal(e[1].sessions, 2);

    int64_t ended = -1;
    assert_int_equal(store_staff_end_sessions(s, "sam", &ended), STORE_OK);
    assert_int_equal(ended, 2);
    struct store_session ses;
    assert_int_equal(store_session_get(s, h1, &a, &ses), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_session_get(s, h3, &a, &ses), STORE_OK);
    assert_int_equal(store_staff_end_sessions(s, "nobody", &ended), STORE_ERR_NOT_FOUND);

    assert_int_equal(store_staff_remove(s, "kim"), STORE_OK);
    assert_int_equal(store_session_get(s, h3, &a, &ses), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_staff_get(s, "kim", &a, &kim), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_staff_remove(s, "kim"), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_staff_list(s, now, &a, &e, &n), STORE_OK);
    assert_int_equal(n, 1);
    arena_release(&a);
    store_close(s);
    fx_db_free(path);
}

static void test_focus_groups_are_masked(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    struct store_focus_group fg = {.day = store_today(s),
                                   .cohort_code = code,
                                   .themes = "humour, length",
                                   .notes = "One pupil gave their email jo@example.com",
                                   .quotes = "\"call me on 07700 900123\"\n\"the jokes helped\""};
    int64_t id = 0;
    assert_int_equal(store_focus_group_add(s, &fg, &id), STORE_OK);
    assert_true(id > 0);
    fg.cohort_code = "ZZZZZZZZ";
    assert_int_equal(store_focus_group_add(s, &fg, &id), STORE_ERR_NOT_FOUND);
    struct arena a = ARENA_INIT;
    struct store_focus_group *v;
    size_t n;
    assert_int_equal(store_focus_groups(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].cohort_code, code);
    assert_string_equal(v[0].themes, "humour, length");
    assert_string_equal(v[0].notes, "One pupil gave their email [email removed]");
    assert_string_equal(v[0].quotes, "\"call me on [phone number removed]\"\n\"the jokes helped\"");
    arena_release(&a);
    store_close(s);
    fx_db_free(path);
}

/*
 * A focus group records who wrote it and on which day; it can be changed, which records
 * who changed it and when, and deleted, overwriting its text in a SQLite file.
 */
static void test_focus_groups_edited_and_deleted(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1], other[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    new_cohort(s, "1.0.0", NULL, other);
    struct store_focus_group fg = {.day = store_today(s) - 3,
                                   .cohort_code = code,
                                   .themes = "trust",
                                   .notes = "MISTYPEDNAME Jo said it helped",
                                   .quotes = "",
                                   .author = "anna"};
    int64_t id = 0, keep = 0;
    assert_int_equal(store_focus_group_add(s, &fg, &id), STORE_OK);
    fg.notes = "Another group";
    assert_int_equal(store_focus_group_add(s, &fg, &keep), STORE_OK);
    struct arena a = ARENA_INIT;
    struct store_focus_group *v;
    size_t n;
    assert_int_equal(store_focus_groups(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].author, "anna");
    assert_int_equal(v[0].recorded_day, store_today(s));
    assert_int_equal(v[0].day, store_today(s) - 3);
    assert_null(v[0].edited_by);

    struct store_focus_group change = {.id = id,
                                       .day = store_today(s) - 2,
                                       .cohort_code = other,
                                       .themes = "trust, blocking",
                                       .notes = "A pupil (name removed) said it helped; a@b.org",
                                       .quotes = "it helped",
                                       .edited_by = "eva"};
    assert_int_equal(store_focus_group_update(s, &change), STORE_OK);
    change.id = id + keep + 100;
    assert_int_equal(store_focus_group_update(s, &change), STORE_ERR_NOT_FOUND);
    change.id = id;
    change.cohort_code = "ZZZZZZZZ";
    assert_int_equal(store_focus_group_update(s, &change), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_focus_groups(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 2);
    const struct store_focus_group *e = v[0].id == id ? &v[0] : &v[1];
    assert_int_equal(e->day, store_today(s) - 2);
    assert_string_equal(e->cohort_code, other);
    assert_string_equal(e->notes, "A pupil (name removed) said it helped; [email removed]");
    assert_string_equal(e->author, "anna");
    assert_string_equal(e->edited_by, "eva");
    assert_int_equal(e->edited_day, store_today(s));
    assert_int_equal(e->recorded_day, store_today(s));

    assert_int_equal(store_focus_group_delete(s, id), STORE_OK);
    assert_int_equal(store_focus_group_delete(s, id), STORE_ERR_NOT_FOUND);
    assert_int_equal(store_focus_groups(s, &a, &v, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].id, keep);
    arena_release(&a);
    store_close(s);
    if (!fx_is_pg())
        assert_false(file_contains(path, "MISTYPEDNAME"));
    fx_db_free(path);
}

/* PostgreSQL: the same tables as SQLite, migrated once however many processes start at once. */
struct opener {
    const char *where;
    int rc;
};

static void *open_and_close(void *arg)
{
    struct opener *o = arg;
    struct store *s = NULL;
    char err[256];
    o->rc = store_open(o->where, STORE_READ_WRITE, NULL, &s, err, sizeof(err));
    store_close(s);
    return NULL;
}

static void test_pg_schema_migrated_once(void **state)
{
    (void)state;
    char *url = fx_db_new();
    enum { OPENERS = 6 };
    pthread_t th[OPENERS];
    struct opener o[OPENERS];
    for (int i = 0; i < OPENERS; i++) {
        o[i] = (struct opener){url, -100};
        assert_int_equal(pthread_create(&th[i], NULL, open_and_close, &o[i]), 0);
    }
    for (int i = 0; i < OPENERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(o[i].rc, STORE_OK);
    }
    char v[128];
    fx_db_text(url, "SELECT string_agg(version::text, ',') FROM schema_version", v, sizeof(v));
    char want[16];
    snprintf(want, sizeof(want), "%d", STORE_SCHEMA_VERSION);
    assert_string_equal(v, want);
    fx_db_text(url,
               "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM "
               "information_schema.columns WHERE table_name = 'answers'",
               v, sizeof(v));
    assert_string_equal(
        v, "id,cohort_id,package_version,day,body,served_version,pairing_word,part,language");
    fx_db_text(url,
               "SELECT data_type FROM information_schema.columns WHERE table_name = 'sessions' "
               "AND column_name = 'token_hash'",
               v, sizeof(v));
    assert_string_equal(v, "bytea");
    fx_db_free(url);
}

/* PostgreSQL: several writers share one database; a reader sees what each committed. */
static void test_pg_writers_share_a_database(void **state)
{
    (void)state;
    char *url = fx_db_new();
    struct store *r = NULL;
    char err[256];
    /* Reading an empty database creates nothing and says why. */
    assert_int_equal(store_open(url, STORE_READ_ONLY, NULL, &r, err, sizeof(err)),
                     STORE_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "no planpack data"));
    struct store *a = open_rw(url), *b = open_rw(url);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(a, "1.0.0", "Hill School", code);
    struct fx_answer f;
    fx_answer_make(&f, code, "1.0.0", "c2", NULL);
    assert_int_equal(store_submit(a, &f.a), STORE_OK);
    assert_int_equal(store_submit(b, &f.a), STORE_OK);
    /* A class closed through one is closed for the other at once. */
    assert_int_equal(store_cohort_set_open(a, code, false), STORE_OK);
    assert_int_equal(store_submit(b, &f.a), STORE_ERR_CLOSED);
    assert_int_equal(store_staff_add(b, "kim", "$argon2id$k", "Hill School"), STORE_OK);
    assert_int_equal(store_staff_add(a, "kim", "$argon2id$k", NULL), STORE_ERR_EXISTS);

    assert_int_equal(store_open(url, STORE_READ_ONLY, NULL, &r, err, sizeof(err)), STORE_OK);
    assert_int_equal(count_answers(r), 2);
    assert_int_equal(store_submit(r, &f.a), STORE_ERR_READ_ONLY);
    assert_int_equal(store_purge(r, 0, NULL), STORE_ERR_READ_ONLY);
    struct arena ar = ARENA_INIT;
    struct store_cohort *all;
    size_t n;
    assert_int_equal(store_cohorts(r, &ar, &all, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(all[0].school, "Hill School");
    arena_release(&ar);
    store_close(r);
    store_close(b);
    store_close(a);
    fx_db_free(url);
}

static int count_rows(const struct store_answer_row *row, void *ctx)
{
    (void)row;
    (*(int64_t *)ctx)++;
    return 0;
}

static int stop_at_3(const struct store_answer_row *row, void *ctx)
{
    (void)row;
    return ++*(int *)ctx == 3 ? 42 : 0;
}

/* Reading in parts covers every row once, across fetch blocks; a callback may stop early. */
static void test_answers_in_parts(void **state)
{
    (void)state;
    char *path = fx_db_new();
    struct store *s = open_rw(path);
    char code[WIRE_CODE_LEN + 1];
    new_cohort(s, "1.0.0", NULL, code);
    enum { N = 5000 };
    struct fx_answer *f = calloc(N, sizeof(*f));
    struct survey_answer *many = calloc(N, sizeof(*many));
    for (int i = 0; i < N; i++) {
        fx_answer_make(&f[i], code, "1.0.0", "c3", NULL);
        many[i] = f[i].a;
    }
    assert_int_equal(store_submit_many(s, many, N), STORE_OK);
    free(many);
    free(f);
    for (unsigned parts = 1; parts <= 4; parts++) {
        int64_t total = 0;
        for (unsigned part = 0; part < parts; part++)
            assert_int_equal(store_answers_each_part(s, part, parts, count_rows, &total), STORE_OK);
        assert_int_equal(total, N);
    }
    int seen = 0;
    assert_int_equal(store_answers_each(s, 0, stop_at_3, &seen), 42);
    assert_int_equal(seen, 3);
    /* The store still works after a read that stopped early. */
    assert_int_equal(count_answers(s), N);
    assert_int_equal(store_answers_each_part(s, 2, 2, count_rows, &(int64_t){0}),
                     STORE_ERR_INVALID);
    store_close(s);
    fx_db_free(path);
}

static void test_days(void **state)
{
    (void)state;
    char d[11];
    store_day_format(0, d);
    assert_string_equal(d, "1970-01-01");
    store_day_format(19875, d);
    assert_string_equal(d, "2024-06-01");
    int day;
    assert_int_equal(store_day_parse("2024-02-29", &day), 0);
    assert_int_equal(day, 19782);
    assert_int_equal(store_day_parse("2023-02-29", &day), -1);
    assert_int_equal(store_day_parse("2024-6-1", &day), -1);
    assert_int_equal(store_day_parse("2024-06-01x", &day), -1);
}

int main(void)
{
    const char *backend = fx_db_backend();
    /* Every backend. */
    const struct CMUnitTest common[] = {
        cmocka_unit_test(test_migrates_version_1),
        cmocka_unit_test(test_migrates_old_databases),
        cmocka_unit_test(test_served_version_stored),
        cmocka_unit_test(test_part_stored),
        cmocka_unit_test(test_language_stored),
        cmocka_unit_test(test_refuses_foreign_and_newer_databases),
        cmocka_unit_test(test_cohorts),
        cmocka_unit_test(test_cohort_memo),
        cmocka_unit_test(test_survey_get),
        cmocka_unit_test(test_submit_round_trip_and_refusals),
        cmocka_unit_test(test_group_commit_many_threads),
        cmocka_unit_test(test_submit_async),
        cmocka_unit_test(test_answers_in_parts),
        cmocka_unit_test(test_purge_really_deletes),
        cmocka_unit_test(test_writer_never_takes_sigterm),
        cmocka_unit_test(test_staff_and_sessions_rows),
        cmocka_unit_test(test_staff_list_remove_end_sessions),
        cmocka_unit_test(test_focus_groups_are_masked),
        cmocka_unit_test(test_focus_groups_edited_and_deleted),
    };
    /* SQLite's file, PRAGMAs and writer lock; and what needs no database at all. */
    const struct CMUnitTest sqlite_only[] = {
        cmocka_unit_test(test_new_file_has_schema_and_wal),
        cmocka_unit_test(test_new_file_is_private),
        cmocka_unit_test(test_readers_hold_no_snapshot),
        cmocka_unit_test(test_migrates_empty_file),
        cmocka_unit_test(test_refuses_text_file),
        cmocka_unit_test(test_refuses_bad_locations),
        cmocka_unit_test(test_location_shown_hides_passwords),
        cmocka_unit_test(test_read_only_and_writer_lock),
        cmocka_unit_test(test_days),
    };
    const struct CMUnitTest postgres_only[] = {
        cmocka_unit_test(test_pg_schema_migrated_once),
        cmocka_unit_test(test_pg_writers_share_a_database),
    };
    int failed = cmocka_run_group_tests_name(backend, common, NULL, NULL);
    if (fx_is_pg())
        return failed + cmocka_run_group_tests_name("postgres only", postgres_only, NULL, NULL);
    return failed + cmocka_run_group_tests_name("sqlite only", sqlite_only, NULL, NULL);
}
