/*
 * "The database under test", for tests that hold for every store backend: a fresh SQLite
 * file, or, when the environment variable PLANPACK_TEST_PG names a PostgreSQL server (a
 * postgres:// URL of a database there, as scripts/pg start prints), a fresh database
 * created on that server for the test and dropped after it.
 *
 * A test program's main() calls fx_db_backend() once, then runs its backend-independent
 * tests against that backend, and its SQLite-only tests (file bytes, PRAGMAs, the writer
 * lock) only when the backend is SQLite.
 */
#ifndef PLANPACK_TEST_FIXTURE_DB_H
#define PLANPACK_TEST_FIXTURE_DB_H

#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_fixture_survey.h"

/* The server's URL when the tests run against PostgreSQL; NULL for SQLite. */
static const char *fx_pg;

/* Reads PLANPACK_TEST_PG and names the backend; call once at the start of main(). */
static inline const char *fx_db_backend(void)
{
    const char *url = getenv("PLANPACK_TEST_PG");
    fx_pg = url && *url ? url : NULL;
    if (sodium_init() < 0)
        abort();
    return fx_pg ? "postgres" : "sqlite";
}

static inline bool fx_is_pg(void)
{
    return fx_pg != NULL;
}

/* url with its database name replaced by db, keeping its query (host=, user=, ...). */
static inline char *fx_pg_url_with_db(const char *url, const char *db)
{
    const char *auth = strstr(url, "://");
    if (!auth)
        abort();
    auth += 3;
    const char *path = auth + strcspn(auth, "/?");
    const char *query = path + strcspn(path, "?");
    size_t n = strlen(url) + strlen(db) + 2;
    char *out = malloc(n);
    snprintf(out, n, "%.*s/%s%s", (int)(path - url), url, db, query);
    return out;
}

/* Runs sql (several statements allowed) on a PostgreSQL database; aborts the test on error. */
static inline void fx_pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("cannot connect to the test server: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

/* The database name in a URL made by fx_db_new(). */
static inline const char *fx_pg_db_name(const char *where, char *out, size_t size)
{
    const char *p = strstr(where, "://") + 3;
    p += strcspn(p, "/?");
    if (*p == '/')
        p++;
    snprintf(out, size, "%.*s", (int)strcspn(p, "?"), p);
    return out;
}

/* A fresh, empty database for the backend under test; free it with fx_db_free(). */
static inline char *fx_db_new(void)
{
    if (!fx_pg)
        return fx_tmp_db();
    unsigned char r[6];
    randombytes_buf(r, sizeof(r));
    char name[64], sql[128];
    snprintf(name, sizeof(name), "planpack_test_%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
             r[4], r[5]);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", name);
    fx_pg_exec(fx_pg, sql);
    return fx_pg_url_with_db(fx_pg, name);
}

static inline void fx_db_free(char *where)
{
    if (!where)
        return;
    if (!fx_pg) {
        fx_tmp_free(where);
        return;
    }
    char name[64], sql[160];
    snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)",
             fx_pg_db_name(where, name, sizeof(name)));
    fx_pg_exec(fx_pg, sql);
    free(where);
}

/* Runs sql directly on the database under test (behind the store's back); fails on error. */
static inline void fx_db_exec(const char *where, const char *sql)
{
    if (fx_pg) {
        fx_pg_exec(where, sql);
        return;
    }
    sqlite3 *db;
    char *msg = NULL;
    if (sqlite3_open(where, &db) != SQLITE_OK || sqlite3_exec(db, sql, NULL, NULL, &msg))
        fail_msg("%s: %s", sql, msg ? msg : sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* The first column of the first row of a query on the database under test, as text. */
static inline void fx_db_text(const char *where, const char *sql, char *out, size_t size)
{
    out[0] = '\0';
    if (fx_pg) {
        PGconn *c = PQconnectdb(where);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
            fail_msg("%s: %s", sql, PQresultErrorMessage(r));
        snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        PQfinish(c);
        return;
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open_v2(where, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: no row", sql);
    snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

#endif
