/*
 * The store's schema for every backend (see schema.h).
 */
#include "store/schema.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/store.h"

const struct store_dialect store_dialect_sqlite = {
    /* An INTEGER PRIMARY KEY is the row id itself: 64 bits, numbered by SQLite. */
    .id = "INTEGER PRIMARY KEY",
    .int64 = "INTEGER",
    .bytes = "BLOB",
};

const struct store_dialect store_dialect_postgres = {
    .id = "BIGSERIAL PRIMARY KEY",
    .int64 = "BIGINT",
    .bytes = "BYTEA",
};

/* migrations[i] takes the schema from version i to i + 1. Append; never edit one shipped. */
static const char *const migrations[] = {
    /* 1: the first schema. */
    "CREATE TABLE schools ("
    "  id {id},"
    "  name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE surveys ("
    "  package_id TEXT NOT NULL,"
    "  package_version TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (package_id, package_version));"
    "CREATE TABLE cohorts ("
    "  id {id},"
    "  code TEXT NOT NULL UNIQUE,"
    "  label TEXT NOT NULL,"
    "  school_id {int64} REFERENCES schools(id),"
    "  package_id TEXT NOT NULL,"
    "  package_version TEXT NOT NULL,"
    "  created_day INTEGER NOT NULL,"
    "  open INTEGER NOT NULL DEFAULT 1);"
    /* day is the only time kept; the writer shuffles each batch so that row order says
     * little about who answered when (see run_batch() in sqlite.c). */
    "CREATE TABLE answers ("
    "  id {id},"
    "  cohort_id {int64} NOT NULL REFERENCES cohorts(id),"
    "  package_version TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE INDEX answers_by_cohort ON answers(cohort_id);"
    "CREATE TABLE staff ("
    "  id {id},"
    "  name TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  created_day INTEGER NOT NULL,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  throttled_until {int64} NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    "  token_hash {bytes} PRIMARY KEY,"
    "  staff_id {int64} NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created {int64} NOT NULL,"
    "  last_seen {int64} NOT NULL);"
    "CREATE TABLE focus_groups ("
    "  id {id},"
    "  day INTEGER NOT NULL,"
    "  cohort_id {int64} REFERENCES cohorts(id),"
    "  themes TEXT NOT NULL,"
    "  notes TEXT NOT NULL,"
    "  quotes TEXT NOT NULL);",
    /* 2: staff belong to a school, or (NULL) evaluate across schools. */
    "ALTER TABLE staff ADD COLUMN school_id {int64} REFERENCES schools(id);",
    /* 3: a class's expected size, which caps its answers (NULL: none given, no cap). */
    "ALTER TABLE cohorts ADD COLUMN expected_size INTEGER;",
    /* 4: who recorded a focus group and on which day, and who last changed it when. Groups
     * recorded before are dated by their meeting day, the nearest day known. */
    "ALTER TABLE focus_groups ADD COLUMN author TEXT;"
    "ALTER TABLE focus_groups ADD COLUMN recorded_day INTEGER;"
    "ALTER TABLE focus_groups ADD COLUMN edited_by TEXT;"
    "ALTER TABLE focus_groups ADD COLUMN edited_day INTEGER;"
    "UPDATE focus_groups SET recorded_day = day;",
    /* 5: the package version the server was serving when each answer came, which is what
     * pupils saw (a class's code may predate it). Earlier answers were all stored under
     * their class's version, so that is what they keep. */
    "ALTER TABLE answers ADD COLUMN served_version TEXT;"
    "UPDATE answers SET served_version = "
    "  (SELECT c.package_version FROM cohorts c WHERE c.id = answers.cohort_id);",
    /* 6: the evaluators' list of themes, and the themes and package page staff give each
     * comment (a text answer: its answer row and question) and each focus group. Codes go
     * with what they code when it is purged or deleted. secrets holds keys made once for
     * the whole database (see store_secret()). */
    "CREATE TABLE themes ("
    "  id {id},"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  retired INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE comment_themes ("
    "  answer_id {int64} NOT NULL REFERENCES answers(id) ON DELETE CASCADE,"
    "  question_id TEXT NOT NULL,"
    "  theme_id {int64} NOT NULL REFERENCES themes(id),"
    "  PRIMARY KEY (answer_id, question_id, theme_id));"
    "CREATE TABLE comment_pages ("
    "  answer_id {int64} NOT NULL REFERENCES answers(id) ON DELETE CASCADE,"
    "  question_id TEXT NOT NULL,"
    "  page_id TEXT NOT NULL,"
    "  PRIMARY KEY (answer_id, question_id));"
    "CREATE TABLE focus_group_themes ("
    "  focus_group_id {int64} NOT NULL REFERENCES focus_groups(id) ON DELETE CASCADE,"
    "  theme_id {int64} NOT NULL REFERENCES themes(id),"
    "  PRIMARY KEY (focus_group_id, theme_id));"
    "CREATE TABLE focus_group_pages ("
    "  focus_group_id {int64} PRIMARY KEY REFERENCES focus_groups(id) ON DELETE CASCADE,"
    "  page_id TEXT NOT NULL);"
    "CREATE TABLE secrets ("
    "  name TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);",
    /* 7: the pairing word (survey/pairing.h) of an answer, normalised: the one the server
     * gave with a start answer, or the one a pupil typed with an end answer; NULL: none. It
     * pairs a pupil's answers in reports and is never shown or exported. */
    "ALTER TABLE answers ADD COLUMN pairing_word TEXT;",
    /* 8: the survey part each answer was given in ("start", "end" or "later"). Answers
     * stored before had every question on one form, answered in one sitting: NULL. */
    "ALTER TABLE answers ADD COLUMN part TEXT;",
    /* 9: the day each account last opened the comments to read first, so that the home page
     * tells of those sent since (NULL: never opened). */
    "ALTER TABLE staff ADD COLUMN comments_seen_day INTEGER;",
    /* 10: the language tag of the page each answer was given on ("en-GB", "cy"), so that
     * reports can be read by language. Answers stored before came from pages in their
     * package's own language, which the store was never told: NULL, "not recorded". */
    "ALTER TABLE answers ADD COLUMN language TEXT;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == STORE_SCHEMA_VERSION,
               "one migration per schema version");

/* Appends sql to b with each {name} of the dialect replaced by its spelling in d. */
static void add_in_dialect(struct buf *b, const struct store_dialect *d, const char *sql)
{
    const struct {
        const char *name;
        const char *word;
    } words[] = {{"{id}", d->id}, {"{int64}", d->int64}, {"{bytes}", d->bytes}};
    for (const char *p = sql; *p;) {
        size_t n = strcspn(p, "{");
        buf_add(b, p, n);
        p += n;
        if (!*p)
            break;
        size_t i = 0;
        while (i < sizeof(words) / sizeof(words[0]) &&
               strncmp(p, words[i].name, strlen(words[i].name)) != 0)
            i++;
        if (i == sizeof(words) / sizeof(words[0])) {
            buf_addc(b, *p++); /* not a name: SQL's own brace, kept */
            continue;
        }
        buf_adds(b, words[i].word);
        p += strlen(words[i].name);
    }
}

/* The schema's SQL is a few KiB; no migration comes near this. */
#define MIGRATION_MAX ((size_t)256 << 10)

int store_schema_upgrade(const struct store_dialect *d, int64_t from, store_exec_fn *exec,
                         void *ctx, char *err, size_t err_len)
{
    int rc = STORE_OK;
    if (from == 0)
        rc = exec(ctx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    for (int64_t v = from; rc == STORE_OK && v < STORE_SCHEMA_VERSION; v++) {
        struct buf b;
        buf_init(&b, MIGRATION_MAX);
        add_in_dialect(&b, d, migrations[v]);
        buf_addf(&b, "DELETE FROM schema_version; INSERT INTO schema_version VALUES (%lld);",
                 (long long)v + 1);
        rc = buf_ok(&b) ? exec(ctx, b.ptr) : STORE_ERR_INVALID;
        buf_release(&b);
        if (rc != STORE_OK)
            snprintf(err, err_len,
                     "migrating to schema version %lld failed (see the message above)",
                     (long long)v + 1);
    }
    return rc;
}

int store_schema_check(const char *where, int64_t version, bool upgrading, char *err,
                       size_t err_len)
{
    if (version > STORE_SCHEMA_VERSION) {
        snprintf(err, err_len,
                 "the database has schema version %lld, newer than this planpack's %d; use a "
                 "newer planpack",
                 (long long)version, STORE_SCHEMA_VERSION);
        return STORE_ERR_SCHEMA;
    }
    if (!upgrading && version != STORE_SCHEMA_VERSION) {
        snprintf(err, err_len,
                 "%s has schema version %lld; open it once for writing (planpack serve or "
                 "purge) to bring it to version %d",
                 where, (long long)version, STORE_SCHEMA_VERSION);
        return STORE_ERR_SCHEMA;
    }
    return STORE_OK;
}
