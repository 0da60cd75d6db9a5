/*
 * Databases as earlier planpacks made them, for the tests that open them with this one. The
 * texts are the migrations exactly as each backend shipped them up to schema version 3
 * (before the two backends shared one list): frozen here, never edited, so that a change to
 * today's list cannot hide a database in the field that no longer migrates.
 */
#ifndef PLANPACK_TEST_FIXTURE_OLD_SCHEMA_H
#define PLANPACK_TEST_FIXTURE_OLD_SCHEMA_H

#include "test_fixture_db.h"

static const char *const fx_old_sqlite_migrations[] = {
    "CREATE TABLE schools ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE surveys ("
    "  package_id TEXT NOT NULL,"
    "  package_version TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (package_id, package_version));"
    "CREATE TABLE cohorts ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  label TEXT NOT NULL,"
    "  school_id INTEGER REFERENCES schools(id),"
    "  package_id TEXT NOT NULL,"
    "  package_version TEXT NOT NULL,"
    "  created_day INTEGER NOT NULL,"
    "  open INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE answers ("
    "  id INTEGER PRIMARY KEY,"
    "  cohort_id INTEGER NOT NULL REFERENCES cohorts(id),"
    "  package_version TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE INDEX answers_by_cohort ON answers(cohort_id);"
    "CREATE TABLE staff ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  created_day INTEGER NOT NULL,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  throttled_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    "  token_hash BLOB PRIMARY KEY,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL);"
    "CREATE TABLE focus_groups ("
    "  id INTEGER PRIMARY KEY,"
    "  day INTEGER NOT NULL,"
    "  cohort_id INTEGER REFERENCES cohorts(id),"
    "  themes TEXT NOT NULL,"
    "  notes TEXT NOT NULL,"
    "  quotes TEXT NOT NULL);",
    "ALTER TABLE staff ADD COLUMN school_id INTEGER REFERENCES schools(id);",
    "ALTER TABLE cohorts ADD COLUMN expected_size INTEGER;",
};

static const char *const fx_old_pg_migrations[] = {
    "CREATE TABLE schools ("
    "  id BIGSERIAL PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE surveys ("
    "  package_id TEXT NOT NULL,"
    "  package_version TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (package_id, package_version));"
    "CREATE TABLE cohorts ("
    "  id BIGSERIAL PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  label TEXT NOT NULL,"
    "  school_id BIGINT REFERENCES schools(id),"
    "  package_id TEXT NOT NULL,"
    "  package_version TEXT NOT NULL,"
    "  created_day INTEGER NOT NULL,"
    "  open INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE answers ("
    "  id BIGSERIAL PRIMARY KEY,"
    "  cohort_id BIGINT NOT NULL REFERENCES cohorts(id),"
    "  package_version TEXT NOT NULL,"
    "  day INTEGER NOT NULL,"
    "  body TEXT NOT NULL);"
    "CREATE INDEX answers_by_cohort ON answers(cohort_id);"
    "CREATE TABLE staff ("
    "  id BIGSERIAL PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  created_day INTEGER NOT NULL,"
    "  failed_logins INTEGER NOT NULL DEFAULT 0,"
    "  throttled_until BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    "  token_hash BYTEA PRIMARY KEY,"
    "  staff_id BIGINT NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created BIGINT NOT NULL,"
    "  last_seen BIGINT NOT NULL);"
    "CREATE TABLE focus_groups ("
    "  id BIGSERIAL PRIMARY KEY,"
    "  day INTEGER NOT NULL,"
    "  cohort_id BIGINT REFERENCES cohorts(id),"
    "  themes TEXT NOT NULL,"
    "  notes TEXT NOT NULL,"
    "  quotes TEXT NOT NULL);",
    "ALTER TABLE staff ADD COLUMN school_id BIGINT REFERENCES schools(id);",
    "ALTER TABLE cohorts ADD COLUMN expected_size INTEGER;",
};

#define FX_OLD_SCHEMA_NEWEST 3
_Static_assert(sizeof(fx_old_sqlite_migrations) / sizeof(fx_old_sqlite_migrations[0]) ==
                   FX_OLD_SCHEMA_NEWEST,
               "one text per version");
_Static_assert(sizeof(fx_old_pg_migrations) / sizeof(fx_old_pg_migrations[0]) ==
                   FX_OLD_SCHEMA_NEWEST,
               "one text per version");

/*
 * Makes the (empty) database at where a planpack database of schema version `version`
 * (1 to FX_OLD_SCHEMA_NEWEST) as the planpack of that time left it.
 */
static inline void fx_old_schema_build(const char *where, int version)
{
    const char *const *m = fx_is_pg() ? fx_old_pg_migrations : fx_old_sqlite_migrations;
    fx_db_exec(where, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
    if (!fx_is_pg())
        fx_db_exec(where, "PRAGMA application_id = 1886154859");
    for (int v = 0; v < version; v++)
        fx_db_exec(where, m[v]);
    char sql[64];
    snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES (%d)", version);
    fx_db_exec(where, sql);
}

#endif
