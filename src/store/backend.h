/*
 * What a storage backend implements behind store.h. store.c and accounts.c check arguments,
 * encode answers and mask text once for every backend, and write every statement except
 * those that store and read answers once too, in SQL that SQLite and PostgreSQL both read;
 * a backend (sqlite.c, postgres.c) runs those statements through its write() and read(),
 * and moves answers its own fastest way. Not for use outside src/store.
 */
#ifndef PLANPACK_STORE_BACKEND_H
#define PLANPACK_STORE_BACKEND_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/buf.h"
#include "store/store.h"
#include "store/writer.h"
#include "survey/pairing.h"

/* An answer ready to be written: its class code, package versions and encoded body. */
struct store_pending {
    const char *code;
    const char *package_version;
    const char *served_version;
    const char *pairing_word; /* NULL: none */
    const char *part;         /* the survey part's stored name, or NULL: one sitting */
    const char *language;     /* the page's language tag, or NULL: not known */
    const char *body;
    size_t body_len;
    int day;
};

/*
 * An answer queued by store_submit_async(): store.c has the backend make the job that stores
 * p like any answer, with rc as the place for its status, and queues it on the writer.
 */
struct store_async {
    struct store_pending p; /* points into the members below */
    char code[WIRE_CODE_LEN + 1];
    char *package_version;
    char *served_version;
    char pairing_word[PAIRING_WORD_MAX];
    char language[WIRE_LANG_MAX + 1];
    struct buf body;
    int rc;
    store_done_fn *done;
    void *ctx;
};

/*
 * A value for a statement's parameter $N, which is args[N - 1] of its struct store_stmt.
 * Every statement is written once, in SQL that SQLite and PostgreSQL both read: $N
 * parameters, CAST(... AS ...) rather than ::, ON CONFLICT rather than OR IGNORE.
 */
struct store_arg {
    enum { STORE_ARG_END, STORE_ARG_NULL, STORE_ARG_INT, STORE_ARG_TEXT, STORE_ARG_BYTES } type;
    int64_t i;
    const void *p;
    size_t n; /* the length of bytes */
};

#define STORE_ARGS_MAX 8
#define SA_INT(v) ((struct store_arg){STORE_ARG_INT, (v), NULL, 0})
/* Text, or SQL NULL when s is NULL. */
#define SA_TEXT(s) ((struct store_arg){(s) ? STORE_ARG_TEXT : STORE_ARG_NULL, 0, (s), 0})
#define SA_BYTES(b, len) ((struct store_arg){STORE_ARG_BYTES, 0, (b), (len)})
#define SA_NULL ((struct store_arg){STORE_ARG_NULL, 0, NULL, 0})

/* One statement with its values (the unused ones zero: STORE_ARG_END), and what it did. */
struct store_stmt {
    const char *sql;
    struct store_arg args[STORE_ARGS_MAX];
    int64_t changes;  /* set by a write: the rows it changed */
    int64_t returned; /* set by a write: the first column of the first row it returned, or 0 */
};

/* A column of a row read, as text (integers in decimal); p is NULL for SQL NULL. */
struct store_col {
    const char *p;
    size_t n;
};

/* Called for each row a query returns, with its columns; non-zero stops and is returned. */
typedef int store_row_fn(const struct store_col *cols, size_t ncols, void *ctx);

/*
 * What differs between backends; store.c does the rest once. A backend's NAME_store_new()
 * makes its handle without touching the database, and store_open() then opens it the same
 * way for every backend: the writer (writer.h) set up with batch(), then for
 * STORE_READ_WRITE open_writer() and the writer thread started, then check_schema(). Answers
 * reach the database only as the jobs answers_job() makes, run by batch() on the writer
 * thread; every other write is write().
 */
struct store_backend {
    const char *name;
    bool local; /* see store_reads_are_local() */
    /* Frees the handle and every connection; the writer thread has already stopped. */
    void (*close)(struct store *s);
    /* The writer's callback: runs a batch of this backend's jobs (ctx is the store). */
    writer_batch_fn *batch;
    /*
     * Opens the one connection that writes answers, takes the lock that keeps other
     * processes from writing where the database needs one (SQLite), and brings the schema
     * to the current version; a store status, with a message in err.
     */
    int (*open_writer)(struct store *s, char *err, size_t err_len);
    /* Whether a reader finds a planpack database at the current schema version (as above). */
    int (*check_schema)(struct store *s, char *err, size_t err_len);
    /*
     * Runs st[0..n) in one transaction, all or none, and fills in each one's changes and
     * returned. STORE_OK; STORE_ERR_EXISTS when a row would break a uniqueness rule (or,
     * with SQLite, a reference: PostgreSQL says STORE_ERR_NOT_FOUND then); otherwise
     * STORE_ERR_IO, logged.
     */
    int (*write)(struct store *s, struct store_stmt *st, size_t n);
    /* Runs one query (q->changes and q->returned unused) and calls fn for each row. */
    int (*read)(struct store *s, const struct store_stmt *q, store_row_fn *fn, void *ctx);
    /*
     * Makes j (answers_job_size bytes, zeroed, beginning with its writer_job) the job that
     * stores p[0..n) in one transaction, all or none, each answer's status into rcs[i].
     */
    size_t answers_job_size;
    void (*answers_job)(struct writer_job *j, const struct store_pending *p, size_t n, int *rcs);
    /* cohort_id 0: all; then only part `part` of `parts`. */
    int (*answers_each)(struct store *s, int64_t cohort_id, unsigned part, unsigned parts,
                        int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx);
    /* Bytes free on the database's disk, for store_options.min_free_bytes; NULL: unknown. */
    int (*free_space)(struct store *s, unsigned long long *bytes);
    /* After purge deleted rows: overwrites or frees the space they held, as far as the
     * database can (SQLite's checkpoint, PostgreSQL's VACUUM). */
    int (*compact)(struct store *s);
};

/*
 * Reads the rows of q through the backend, each into an element of size bytes that fn fills
 * (false skips the row), strings into a; the array goes into a too (*out, *count).
 */
typedef bool store_elem_fn(const struct store_col *cols, size_t ncols, struct arena *a, void *elem);
__attribute__((warn_unused_result)) int store_read_list(struct store *s, const struct store_stmt *q,
                                                        store_elem_fn *fn, size_t size,
                                                        struct arena *a, void **out, size_t *count);
/* The first row of q into out (size bytes): STORE_ERR_NOT_FOUND when there is none. */
__attribute__((warn_unused_result)) int store_read_one(struct store *s, const struct store_stmt *q,
                                                       store_elem_fn *fn, size_t size,
                                                       struct arena *a, void *out);
/* The one integer q returns (count(*) and the like) into *out. */
__attribute__((warn_unused_result)) int store_read_int(struct store *s, const struct store_stmt *q,
                                                       int64_t *out);
/* Writes one statement; STORE_ERR_NOT_FOUND when need_change and it changed no row. */
__attribute__((warn_unused_result)) int store_write_one(struct store *s, struct store_stmt *st,
                                                        bool need_change);
/* A column as an integer (0 for NULL), or as a string in a (NULL for NULL). */
int64_t store_col_int(const struct store_col *c);
char *store_col_str(struct arena *a, const struct store_col *c);
/* A name or label: 1 to max bytes of UTF-8 without control characters. */
bool store_text_ok(const char *t, size_t max);
/* Makes the school named $1 unless it exists: the first statement of a write that refers to
 * it as (SELECT id FROM schools WHERE name = ...). */
#define STORE_SCHOOL_SQL "INSERT INTO schools (name) VALUES ($1) ON CONFLICT DO NOTHING"
/* Whether the store may write: STORE_OK or STORE_ERR_READ_ONLY. */
int store_writable(const struct store *s);

/* Idle connections a backend keeps for reading, each taken by one thread at a time. */
#define STORE_POOL_MAX 16
struct store_pool {
    pthread_mutex_t mu;
    void *idle[STORE_POOL_MAX];
    size_t n;
    size_t max; /* at most STORE_POOL_MAX */
};

void store_pool_init(struct store_pool *p, size_t max);
/* An idle connection, now the caller's; NULL when there is none (the caller opens one). */
void *store_pool_take(struct store_pool *p);
/* Keeps c for the next taker: true, or false when the pool is full and c stays the caller's. */
bool store_pool_give(struct store_pool *p, void *c);
/* Frees the pool itself once store_pool_take() has emptied it. */
void store_pool_release(struct store_pool *p);

/* Survey snapshots as store_survey_get() keeps them (store.c's own). */
struct survey_shelf;

/* The part of every backend's handle that store.c reads; backends embed it first. */
struct store {
    const struct store_backend *be;
    enum store_mode mode;
    struct store_options opt;
    /* Set up by store_open() once the backend has opened: the snapshots read so far, */
    pthread_mutex_t shelf_mu;
    struct survey_shelf *shelves;
    /* and the class codes read lately (see store_cohort_get()). */
    pthread_mutex_t memo_mu;
    struct cohort_memo *memo;
    size_t memo_next;
    unsigned long memo_changes; /* codes opened or closed through this store */
    /* Whether the disk had room at the last look, and when that was (seconds). */
    _Atomic long long space_checked;
    atomic_bool space_ok;
    /* The group-commit writer: started by store_open() for STORE_READ_WRITE. */
    struct writer writer;
};

/* Sessions older than this (absolute limit) are deleted by purge whatever their use. */
#define STORE_SESSION_MAX_AGE ((time_t)12 * 60 * 60)

/*
 * A backend's handle for the database at path or url, not yet opened:
 * STORE_OK and *out, or a status with a message in err. store_open() opens it.
 */
int sqlite_store_new(const char *path, struct store **out, char *err, size_t err_len);
/* url is a postgres:// or postgresql:// URL, as libpq reads it. */
int pg_store_new(const char *url, struct store **out, char *err, size_t err_len);

#endif
