/*
 * The store's schema, written once for every backend: the list of migrations that builds
 * the tables, in which the few words SQLite and PostgreSQL spell differently are named
 * ({id}, {int64}, {bytes}) and each backend's dialect fills them in. Not for use outside
 * src/store.
 *
 * A schema change is a new migration at the end of the list in schema.c, with
 * STORE_SCHEMA_VERSION (store.h) one higher. A migration that has shipped is never edited:
 * databases made with it exist, and each is brought forward from the version it has.
 */
#ifndef PLANPACK_STORE_SCHEMA_H
#define PLANPACK_STORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How one backend spells the types whose names differ. */
struct store_dialect {
    const char *id;    /* {id}: a 64-bit primary key the database numbers itself */
    const char *int64; /* {int64}: a 64-bit integer, for columns that refer to an {id} */
    const char *bytes; /* {bytes}: a byte string (a token hash) */
};

extern const struct store_dialect store_dialect_sqlite;
extern const struct store_dialect store_dialect_postgres;

/*
 * Runs sql, one or more statements without parameters, on the backend's connection inside
 * the transaction of the whole upgrade; STORE_OK or a status (the backend says why on
 * stderr).
 */
typedef int store_exec_fn(void *ctx, const char *sql);

/*
 * Brings a schema at version from (0: no tables yet) to STORE_SCHEMA_VERSION by running
 * each migration, and the update of schema_version after it, through exec. The caller
 * holds the transaction and commits it only on STORE_OK; otherwise err (err_len bytes)
 * names the version that failed.
 */
__attribute__((warn_unused_result)) int store_schema_upgrade(const struct store_dialect *d,
                                                             int64_t from, store_exec_fn *exec,
                                                             void *ctx, char *err, size_t err_len);

/*
 * Whether a database at schema version can be used: STORE_OK, or STORE_ERR_SCHEMA with the
 * reason in err (err_len bytes) when it is newer than this planpack's, or when it is older
 * and not upgrading (only the writer brings a schema forward; where names the database in
 * that message).
 */
__attribute__((warn_unused_result)) int
store_schema_check(const char *where, int64_t version, bool upgrading, char *err, size_t err_len);

#endif
