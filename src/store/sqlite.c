/*
 * The SQLite backend.
 *
 * One writer thread (writer.c) owns the only read-write connection. Every write is a job on
 * its queue; the thread takes every job waiting (up to max_batch), runs them all in one
 * transaction and commits once, then wakes their submitters. While it waits for the disk,
 * new jobs queue up and go into the next transaction: group commit, which is what makes
 * synchronous=FULL affordable (one fsync per batch instead of one per answer).
 *
 * Readers use read-only connections from a small pool, so that reports never block
 * pupils and no second connection can ever write or checkpoint (Debian's SQLite 3.40
 * predates the fix for the WAL-reset bug, which needs two connections doing so at once).
 * Across processes a lock file next to the database keeps a second planpack from writing.
 *
 * Answers are one row each, with the whole answer as a JSON object: one INSERT per answer
 * keeps transactions small, an answer is stored or not as a whole, and a report reads one
 * row per answer instead of one per question (a million answers in well under a second).
 * SQLite's json functions and PostgreSQL's jsonb can still query it directly.
 */
#include "store/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <time.h>

#include "base/xalloc.h"
#include "store/schema.h"
#include "store/writer.h"

/* PRAGMA application_id marks the file as planpack's ("plpk"). */
#define APPLICATION_ID 0x706c706b
#define READER_POOL_MAX 16
#define SEEN_MAX 8
/* Answers stored by one INSERT at most: SQLite runs one statement for many rows at a lower
 * cost per row than one statement each. */
#define ROWS_PER_INSERT 16

struct sq;

/* A unit of work for the writer thread. */
struct job {
    struct writer_job base; /* first: the writer hands jobs back as writer_job pointers */
    int (*run)(struct sq *q, struct job *j);
    void *arg;
    bool atomic; /* several statements: undone together if the job fails */
};

struct sq {
    struct store base;
    char *path;
    sqlite3 *w; /* the writer connection; NULL when read-only */
    int lock_fd;
    sqlite3_stmt *st_cohort; /* writer: cohort id and state by code */
    sqlite3_stmt *st_count;  /* writer: a cohort's answers */
    sqlite3_stmt *st_answer; /* writer: insert one answer */
    /* writer: insert i + 1 answers in one statement, prepared when first needed */
    sqlite3_stmt *st_answers[ROWS_PER_INSERT];
    /* The writer's memo of the class codes the current transaction has looked up: a batch's
     * answers mostly come from a few classes. Emptied before every batch and after any job
     * other than storing answers, which could close a code. */
    struct seen_code {
        char code[WIRE_CODE_LEN + 1];
        int64_t id;
        bool open;
        int64_t room; /* answers the class may still take; -1: no limit */
    } seen[SEEN_MAX];
    size_t nseen;

    struct store_pool readers;
};

static void log_db(sqlite3 *db, const char *what)
{
    fprintf(stderr, "planpack: database: %s: %s\n", what,
            db ? sqlite3_errmsg(db) : "no connection");
}

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "planpack: database: %s\n", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return STORE_ERR_IO;
    }
    return STORE_OK;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        log_db(db, "prepare");
        *st = NULL;
        return STORE_ERR_IO;
    }
    return STORE_OK;
}

/* Maps a failed step to a status: a uniqueness violation is the caller's, the rest I/O. */
static int step_error(sqlite3 *db, int rc, const char *what)
{
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return STORE_ERR_EXISTS;
    log_db(db, what);
    return STORE_ERR_IO;
}

/* ---- the writer thread and its queue ---- */

static int run_submit(struct sq *q, struct job *j);
static bool lone_answer(const struct job *j);
static int insert_answers(struct sq *q, struct job **jobs, size_t n);

static int run_batch_job(struct sq *q, struct job *j)
{
    if (!j->atomic)
        return j->run(q, j);
    if (exec(q->w, "SAVEPOINT job") != STORE_OK)
        return STORE_ERR_IO;
    int rc = j->run(q, j);
    if (rc != STORE_OK && exec(q->w, "ROLLBACK TO job") != STORE_OK)
        return STORE_ERR_IO;
    if (exec(q->w, "RELEASE job") != STORE_OK)
        return STORE_ERR_IO;
    return rc;
}

/*
 * Runs a batch of jobs in one transaction (the writer's callback); an I/O failure anywhere
 * fails them all. A job that must be alone (the checkpoint after a purge) runs by itself,
 * outside any batch transaction.
 *
 * Answers get increasing row ids, which keeps each commit to a few pages (random ids would
 * touch a page per answer and multiply what every fsync must write). So that row order says
 * as little as possible about who answered when, the writer hands the jobs of a batch over
 * in random order, and no read exposes row order: reports aggregate, the CSV export
 * shuffles each class.
 */
static void run_batch(void *ctx, struct writer_job **jobs, size_t n)
{
    struct sq *q = ctx;
    if (n == 1 && jobs[0]->alone) {
        struct job *j = (struct job *)jobs[0];
        j->base.rc = j->run(q, j);
        return;
    }
    int rc = exec(q->w, "BEGIN IMMEDIATE");
    q->nseen = 0;
    for (size_t i = 0; rc == STORE_OK && i < n;) {
        /* Answers that stand alone, side by side in the batch, go in one statement. */
        size_t k = 0;
        while (i + k < n && k < ROWS_PER_INSERT && lone_answer((struct job *)jobs[i + k]))
            k++;
        if (k > 1) {
            rc = insert_answers(q, (struct job **)&jobs[i], k);
            i += k;
            continue;
        }
        struct job *j = (struct job *)jobs[i++];
        j->base.rc = run_batch_job(q, j);
        if (j->run != run_submit)
            q->nseen = 0;
        if (j->base.rc == STORE_ERR_IO)
            rc = STORE_ERR_IO;
    }
    if (rc == STORE_OK)
        rc = exec(q->w, "COMMIT");
    if (rc != STORE_OK) {
        if (!sqlite3_get_autocommit(q->w))
            (void)exec(q->w, "ROLLBACK");
        for (size_t i = 0; i < n; i++)
            jobs[i]->rc = STORE_ERR_IO;
    }
}

/* Queues a job and waits until the transaction that ran it has committed or failed. */
static int submit_job(struct sq *q, struct job *j)
{
    return writer_submit(&q->base.writer, &j->base);
}

/* ---- readers ---- */

static int open_conn(const char *path, bool write, int timeout_ms, sqlite3 **out)
{
    int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        *out = NULL;
        return rc;
    }
    sqlite3_busy_timeout(db, timeout_ms);
    sqlite3_extended_result_codes(db, 1);
    *out = db;
    return SQLITE_OK;
}

static sqlite3 *reader_get(struct sq *q)
{
    sqlite3 *db = store_pool_take(&q->readers);
    if (!db) {
        if (open_conn(q->path, false, q->base.opt.busy_timeout_ms, &db) != SQLITE_OK) {
            fprintf(stderr, "planpack: database: cannot open %s for reading\n", q->path);
            return NULL;
        }
    }
    return db;
}

/* Closes a reader connection with the statements it kept (see reader_prepare). */
static void reader_close(sqlite3 *db)
{
    sqlite3_stmt *st;
    while ((st = sqlite3_next_stmt(db, NULL)))
        sqlite3_finalize(st);
    sqlite3_close(db);
}

static void reader_put(struct sq *q, sqlite3 *db)
{
    if (db && !store_pool_give(&q->readers, db))
        reader_close(db);
}

/*
 * A reader's statement for sql, prepared on its first use and then kept with the
 * connection: readers run the same few queries again and again (a class code is looked up
 * for every answer). A kept statement is found by its text among the connection's
 * statements, which are a dozen at most. Give it back with reader_release, never finalise it.
 */
static int reader_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
    for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st))
        if (!sqlite3_stmt_busy(st) && strcmp(sqlite3_sql(st), sql) == 0) {
            *out = st;
            return STORE_OK;
        }
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL) != SQLITE_OK) {
        log_db(db, "prepare");
        *out = NULL;
        return STORE_ERR_IO;
    }
    return STORE_OK;
}

/* Ends a kept statement's read transaction and forgets its parameters. */
static void reader_release(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* ---- statements written for every backend (see struct store_stmt) ---- */

/* Binds each parameter $N of st to args[N - 1]. */
static int bind_args(sqlite3 *db, sqlite3_stmt *st, const struct store_arg *args)
{
    int n = sqlite3_bind_parameter_count(st);
    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        long k = name && name[0] == '$' ? strtol(name + 1, NULL, 10) : 0;
        if (k < 1 || k > STORE_ARGS_MAX || args[k - 1].type == STORE_ARG_END) {
            fprintf(stderr, "planpack: database: %s: no value for %s\n", sqlite3_sql(st),
                    name ? name : "a parameter");
            return STORE_ERR_IO;
        }
        const struct store_arg *a = &args[k - 1];
        int rc;
        switch (a->type) {
        case STORE_ARG_INT:
            rc = sqlite3_bind_int64(st, i, a->i);
            break;
        case STORE_ARG_TEXT:
            rc = sqlite3_bind_text(st, i, a->p, -1, SQLITE_STATIC);
            break;
        case STORE_ARG_BYTES:
            rc = sqlite3_bind_blob(st, i, a->p, (int)a->n, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(st, i);
        }
        if (rc != SQLITE_OK) {
            log_db(db, "binding a value");
            return STORE_ERR_IO;
        }
    }
    return STORE_OK;
}

/* Runs one statement of a write on the writer's connection. */
static int run_stmt(struct sq *q, struct store_stmt *s)
{
    sqlite3_stmt *st;
    s->changes = s->returned = 0;
    if (prepare(q->w, s->sql, &st) != STORE_OK)
        return STORE_ERR_IO;
    int rc = bind_args(q->w, st, s->args);
    if (rc == STORE_OK) {
        int step, rows = 0;
        while ((step = sqlite3_step(st)) == SQLITE_ROW)
            if (rows++ == 0)
                s->returned = sqlite3_column_int64(st, 0);
        rc = step == SQLITE_DONE ? STORE_OK : step_error(q->w, step, s->sql);
    }
    if (rc == STORE_OK)
        s->changes = sqlite3_changes64(q->w);
    sqlite3_finalize(st);
    return rc;
}

struct write_job {
    struct store_stmt *st;
    size_t n;
};

static int run_write(struct sq *q, struct job *j)
{
    struct write_job *w = j->arg;
    for (size_t i = 0; i < w->n; i++) {
        int rc = run_stmt(q, &w->st[i]);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* Every write is a job for the writer: SQLite's only connection that writes. */
static int sq_write(struct store *s, struct store_stmt *st, size_t n)
{
    struct write_job w = {st, n};
    struct job j = {.run = run_write, .arg = &w, .atomic = n > 1};
    return submit_job((struct sq *)s, &j);
}

/* Reads on a pooled read-only connection, with the statement kept there (reader_prepare). */
static int sq_read(struct store *s, const struct store_stmt *q, store_row_fn *fn, void *ctx)
{
    struct sq *sq = (struct sq *)s;
    sqlite3 *db = reader_get(sq);
    sqlite3_stmt *st = NULL;
    int rc = STORE_ERR_IO;
    if (!db || reader_prepare(db, q->sql, &st) != STORE_OK ||
        bind_args(db, st, q->args) != STORE_OK)
        goto out;
    struct store_col cols[16];
    int step = SQLITE_DONE;
    rc = STORE_OK;
    while (rc == STORE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        n = n < 16 ? n : 16;
        for (int i = 0; i < n; i++) {
            cols[i].p = (const char *)sqlite3_column_text(st, i);
            cols[i].n = (size_t)sqlite3_column_bytes(st, i);
        }
        rc = fn(cols, (size_t)n, ctx);
    }
    if (rc == STORE_OK && step != SQLITE_DONE) {
        log_db(db, q->sql);
        rc = STORE_ERR_IO;
    }
out:
    reader_release(st);
    reader_put(sq, db);
    return rc;
}

/* ---- schema ---- */

static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    if (prepare(db, sql, &st) != STORE_OK)
        return STORE_ERR_IO;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERR_IO;
}

/* Reads the schema version; -1 when the file holds tables that are not planpack's. */
static int schema_version(sqlite3 *db, int64_t *version, char *err, size_t err_len)
{
    int64_t app = 0, tables = 0, has_version = 0;
    if (query_int(db, "PRAGMA application_id", &app) != STORE_OK ||
        query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", &tables) !=
            STORE_OK ||
        query_int(db,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                  "'schema_version'",
                  &has_version) != STORE_OK) {
        snprintf(err, err_len, "%s", sqlite3_errmsg(db));
        return STORE_ERR_IO;
    }
    if ((app != 0 && app != APPLICATION_ID) || (tables > 0 && !has_version)) {
        snprintf(err, err_len, "the file is not a planpack database");
        return STORE_ERR_SCHEMA;
    }
    *version = 0;
    if (has_version &&
        query_int(db, "SELECT max(version) FROM schema_version", version) != STORE_OK) {
        snprintf(err, err_len, "%s", sqlite3_errmsg(db));
        return STORE_ERR_IO;
    }
    return store_schema_check(NULL, *version, true, err, err_len);
}

static int exec_cb(void *db, const char *sql)
{
    return exec(db, sql);
}

static int migrate(sqlite3 *db, char *err, size_t err_len)
{
    if (exec(db, "BEGIN IMMEDIATE") != STORE_OK) {
        snprintf(err, err_len, "cannot start a transaction: %s", sqlite3_errmsg(db));
        return STORE_ERR_IO;
    }
    int64_t version = 0;
    int rc = schema_version(db, &version, err, err_len);
    if (rc == STORE_OK && version == 0)
        rc = exec(db, "PRAGMA application_id = 1886154859;");
    if (rc == STORE_OK)
        rc = store_schema_upgrade(&store_dialect_sqlite, version, exec_cb, db, err, err_len);
    if (rc == STORE_OK && exec(db, "COMMIT") != STORE_OK) {
        snprintf(err, err_len, "committing the schema failed: %s", sqlite3_errmsg(db));
        rc = STORE_ERR_IO;
    }
    if (rc != STORE_OK && !sqlite3_get_autocommit(db))
        (void)exec(db, "ROLLBACK");
    return rc;
}

_Static_assert(APPLICATION_ID == 1886154859, "the literal in migrate() matches");

/* ---- open and close ---- */

static const struct store_backend sqlite_backend;

static void sq_close(struct store *s)
{
    struct sq *q = (struct sq *)s;
    for (sqlite3 *db; (db = store_pool_take(&q->readers));)
        reader_close(db);
    sqlite3_finalize(q->st_cohort);
    sqlite3_finalize(q->st_count);
    sqlite3_finalize(q->st_answer);
    for (size_t i = 0; i < ROWS_PER_INSERT; i++)
        sqlite3_finalize(q->st_answers[i]);
    /* The writer closes last: as the last connection it checkpoints and removes the WAL. */
    if (q->w && sqlite3_close(q->w) != SQLITE_OK)
        log_db(q->w, "close");
    if (q->lock_fd >= 0)
        close(q->lock_fd);
    store_pool_release(&q->readers);
    free(q->path);
    free(q);
}

static int take_lock(struct sq *q, char *err, size_t err_len)
{
    size_t n = strlen(q->path) + 6;
    char *lock = xmalloc(n);
    snprintf(lock, n, "%s-lock", q->path);
    q->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int rc = STORE_OK;
    if (q->lock_fd < 0) {
        snprintf(err, err_len, "%s: %s", lock, strerror(errno));
        rc = STORE_ERR_IO;
    } else if (flock(q->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, err_len,
                 "%s is open for writing by another planpack process (planpack serve?): stop "
                 "it first",
                 q->path);
        rc = errno == EWOULDBLOCK ? STORE_ERR_LOCKED : STORE_ERR_IO;
    }
    free(lock);
    return rc;
}

/*
 * The database holds password hashes and pupils' answers, so it is made readable by its owner
 * alone, whatever the umask. SQLite gives the -wal and -shm files it creates the mode of the
 * database file, so creating the database first, 0600, covers all three.
 */
static int create_private(const char *path, char *err, size_t err_len)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == EEXIST)
        return STORE_OK;
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return STORE_ERR_IO;
    }
    close(fd);
    return STORE_OK;
}

static int sq_open_writer(struct store *s, char *err, size_t err_len)
{
    struct sq *q = (struct sq *)s;
    int rc = take_lock(q, err, err_len);
    if (rc != STORE_OK)
        return rc;
    rc = create_private(q->path, err, err_len);
    if (rc != STORE_OK)
        return rc;
    if (open_conn(q->path, true, q->base.opt.busy_timeout_ms, &q->w) != SQLITE_OK) {
        snprintf(err, err_len, "cannot open %s: %s", q->path, strerror(errno));
        return STORE_ERR_IO;
    }
    /* WAL lets reports read while pupils' answers are written; FULL makes every commit
     * durable before it is acknowledged; secure_delete makes purge overwrite what it removes. */
    sqlite3_stmt *st;
    if (prepare(q->w, "PRAGMA journal_mode = WAL", &st) != STORE_OK) {
        snprintf(err, err_len, "%s: %s", q->path, sqlite3_errmsg(q->w));
        return sqlite3_errcode(q->w) == SQLITE_NOTADB ? STORE_ERR_SCHEMA : STORE_ERR_IO;
    }
    int step = sqlite3_step(st);
    bool wal = step == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) {
        snprintf(err, err_len, "%s: cannot use write-ahead logging: %s", q->path,
                 sqlite3_errmsg(q->w));
        return (sqlite3_extended_errcode(q->w) & 0xff) == SQLITE_NOTADB ? STORE_ERR_SCHEMA
                                                                        : STORE_ERR_IO;
    }
    if (exec(q->w, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                   "PRAGMA secure_delete = ON;") != STORE_OK) {
        snprintf(err, err_len, "%s: %s", q->path, sqlite3_errmsg(q->w));
        return STORE_ERR_IO;
    }
    rc = migrate(q->w, err, err_len);
    if (rc != STORE_OK)
        return rc;
    if (prepare(q->w, "SELECT id, open, expected_size FROM cohorts WHERE code = ?",
                &q->st_cohort) != STORE_OK ||
        prepare(q->w, "SELECT count(*) FROM answers WHERE cohort_id = ?", &q->st_count) !=
            STORE_OK ||
        prepare(q->w,
                "INSERT INTO answers (cohort_id, package_version, day, body, served_version, "
                "pairing_word, part, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                &q->st_answer) != STORE_OK) {
        snprintf(err, err_len, "%s: %s", q->path, sqlite3_errmsg(q->w));
        return STORE_ERR_IO;
    }
    return STORE_OK;
}

static int sq_check_schema(struct store *s, char *err, size_t err_len)
{
    struct sq *q = (struct sq *)s;
    if (access(q->path, F_OK) != 0) {
        snprintf(err, err_len,
                 "%s: no such database (planpack cohort new, staff add and serve create it)",
                 q->path);
        return STORE_ERR_NOT_FOUND;
    }
    sqlite3 *db = reader_get(q);
    if (!db) {
        snprintf(err, err_len, "cannot open %s for reading", q->path);
        return STORE_ERR_IO;
    }
    int64_t version = 0;
    int rc = schema_version(db, &version, err, err_len);
    if (rc == STORE_OK)
        rc = store_schema_check(q->path, version, false, err, err_len);
    reader_put(q, db);
    return rc;
}

int sqlite_store_new(const char *path, struct store **out, char *err, size_t err_len)
{
    (void)err;
    (void)err_len;
    struct sq *q = xcalloc(1, sizeof(*q));
    q->base.be = &sqlite_backend;
    q->path = xstrdup(path);
    q->lock_fd = -1;
    store_pool_init(&q->readers, READER_POOL_MAX);
    *out = &q->base;
    return STORE_OK;
}

/* ---- answers ---- */

struct submit_job {
    const struct store_pending *p;
    size_t n;
    int *rcs;
};

/* Finds the class of code, as the current transaction sees it (see struct sq's seen). */
static int find_code(struct sq *q, const char *code, struct seen_code **out)
{
    for (size_t i = 0; i < q->nseen; i++)
        if (memcmp(q->seen[i].code, code, sizeof(q->seen[i].code)) == 0) {
            *out = &q->seen[i];
            return STORE_OK;
        }
    sqlite3_stmt *st = q->st_cohort;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? STORE_ERR_NOT_FOUND : step_error(q->w, rc, "finding a code");
    }
    /* When the memo is full the last entry is reused: it still serves this answer. */
    struct seen_code *c = &q->seen[q->nseen < SEEN_MAX ? q->nseen++ : SEEN_MAX - 1];
    memcpy(c->code, code, sizeof(c->code));
    c->id = sqlite3_column_int64(st, 0);
    c->open = sqlite3_column_int(st, 1) != 0;
    int64_t size = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    c->room = -1;
    if (size > 0) {
        /* The transaction's own rows count too: this connection sees them. */
        sqlite3_stmt *n = q->st_count;
        sqlite3_reset(n);
        sqlite3_bind_int64(n, 1, c->id);
        rc = sqlite3_step(n);
        int64_t have = rc == SQLITE_ROW ? sqlite3_column_int64(n, 0) : 0;
        sqlite3_reset(n);
        if (rc != SQLITE_ROW) {
            c->code[0] = '\0'; /* no code matches it */
            return step_error(q->w, rc, "counting a class's answers");
        }
        c->room = size * STORE_ANSWERS_PER_PUPIL - have;
        if (c->room < 0)
            c->room = 0;
    }
    *out = c;
    return STORE_OK;
}

/* Whether the class can take one more answer; takes its place if so. */
static int take_room(struct seen_code *c)
{
    if (!c->open)
        return STORE_ERR_CLOSED;
    if (c->room == 0)
        return STORE_ERR_FULL;
    if (c->room > 0)
        c->room--;
    return STORE_OK;
}

static int insert_answer(struct sq *q, const struct store_pending *p)
{
    struct seen_code *c;
    int rc = find_code(q, p->code, &c);
    if (rc != STORE_OK)
        return rc;
    rc = take_room(c);
    if (rc != STORE_OK)
        return rc;
    int64_t cohort = c->id;
    sqlite3_stmt *st = q->st_answer;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, cohort);
    sqlite3_bind_text(st, 2, p->package_version, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, p->day);
    sqlite3_bind_text(st, 4, p->body, (int)p->body_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, p->served_version, -1, SQLITE_STATIC);
    if (p->pairing_word)
        sqlite3_bind_text(st, 6, p->pairing_word, -1, SQLITE_STATIC);
    if (p->part)
        sqlite3_bind_text(st, 7, p->part, -1, SQLITE_STATIC);
    if (p->language)
        sqlite3_bind_text(st, 8, p->language, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? STORE_OK : step_error(q->w, rc, "storing an answer");
}

static int run_submit(struct sq *q, struct job *j)
{
    struct submit_job *a = j->arg;
    for (size_t i = 0; i < a->n; i++) {
        int rc = insert_answer(q, &a->p[i]);
        a->rcs[i] = rc;
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* A job of one answer that stands alone (not all-or-none with others). */
static bool lone_answer(const struct job *j)
{
    return j->run == run_submit && !j->atomic && ((const struct submit_job *)j->arg)->n == 1;
}

/* The statement that inserts n answers (1 <= n <= ROWS_PER_INSERT), prepared once. */
static sqlite3_stmt *insert_rows(struct sq *q, size_t n)
{
    sqlite3_stmt **st = &q->st_answers[n - 1];
    if (!*st) {
        struct buf sql;
        buf_init(&sql, (size_t)64 * 1024);
        buf_adds(&sql, "INSERT INTO answers (cohort_id, package_version, day, body, "
                       "served_version, pairing_word, part, language) VALUES ");
        for (size_t i = 0; i < n; i++)
            buf_adds(&sql, i ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)");
        if (prepare(q->w, sql.ptr, st) != STORE_OK)
            *st = NULL;
        buf_release(&sql);
    }
    return *st;
}

/*
 * Stores n lone answers (see lone_answer()) with one INSERT for all those whose class is
 * open, and sets each job's status, as run_submit() would have one by one. Returns
 * STORE_ERR_IO when the database failed (the batch then fails as a whole).
 */
static int insert_answers(struct sq *q, struct job **jobs, size_t n)
{
    struct job *rows[ROWS_PER_INSERT];
    int64_t cohorts[ROWS_PER_INSERT];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        struct submit_job *a = jobs[i]->arg;
        struct seen_code *c;
        int rc = find_code(q, a->p->code, &c);
        if (rc == STORE_OK)
            rc = take_room(c);
        if (rc == STORE_ERR_IO)
            return rc;
        jobs[i]->base.rc = a->rcs[0] = rc;
        if (rc == STORE_OK) {
            cohorts[m] = c->id;
            rows[m++] = jobs[i];
        }
    }
    if (m == 0)
        return STORE_OK;
    sqlite3_stmt *st = insert_rows(q, m);
    if (!st)
        return STORE_ERR_IO;
    for (size_t i = 0; i < m; i++) {
        const struct store_pending *p = ((struct submit_job *)rows[i]->arg)->p;
        int at = (int)(8 * i);
        sqlite3_bind_int64(st, at + 1, cohorts[i]);
        sqlite3_bind_text(st, at + 2, p->package_version, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, at + 3, p->day);
        sqlite3_bind_text(st, at + 4, p->body, (int)p->body_len, SQLITE_STATIC);
        sqlite3_bind_text(st, at + 5, p->served_version, -1, SQLITE_STATIC);
        if (p->pairing_word)
            sqlite3_bind_text(st, at + 6, p->pairing_word, -1, SQLITE_STATIC);
        if (p->part)
            sqlite3_bind_text(st, at + 7, p->part, -1, SQLITE_STATIC);
        if (p->language)
            sqlite3_bind_text(st, at + 8, p->language, -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? STORE_OK : step_error(q->w, rc, "storing answers");
}

/* Answers as a job: the job that stores them, and what it stores. */
struct answers_job {
    struct job job; /* first */
    struct submit_job a;
};

static void sq_answers_job(struct writer_job *w, const struct store_pending *p, size_t n, int *rcs)
{
    struct answers_job *j = (struct answers_job *)w;
    j->a = (struct submit_job){p, n, rcs};
    j->job = (struct job){.run = run_submit, .arg = &j->a, .atomic = n > 1};
}

static int sq_answers_each(struct store *s, int64_t cohort_id, unsigned part, unsigned parts,
                           int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx)
{
    struct sq *q = (struct sq *)s;
    sqlite3 *db = reader_get(q);
    sqlite3_stmt *st = NULL;
    int rc = STORE_ERR_IO;
    if (!db)
        goto out;
    /*
     * Reading the whole table, mapping it saves a copy of every page. Only for the scan:
     * a mapped connection maps the file again whenever it has grown, which, with answers
     * arriving all the time, would cost every small read (a class code looked up for each
     * answer) an unmapping and a flush of every core's address cache. Only readers map;
     * the writer writes through the usual calls.
     */
    (void)exec(db, "PRAGMA mmap_size = 1073741824");
    /* Callers get rows in table order: aggregate them, or shuffle them (report_write_csv)
     * before showing them one by one. Parts are ranges of row ids of about equal size. */
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (parts > 1) {
        int64_t min = 0, max = 0;
        if (query_int(db, "SELECT min(id) FROM answers", &min) != STORE_OK ||
            query_int(db, "SELECT max(id) FROM answers", &max) != STORE_OK)
            goto out;
        int64_t span = max - min + 1, step = span / parts + 1;
        lo = part == 0 ? INT64_MIN : min + step * part;
        hi = part + 1 == parts ? INT64_MAX : min + step * (part + 1) - 1;
    }
    const char *sql = cohort_id ? "SELECT cohort_id, package_version, day, body, served_version, "
                                  "id, pairing_word, part, language FROM answers "
                                  "WHERE cohort_id = ?"
                                : "SELECT cohort_id, package_version, day, body, served_version, "
                                  "id, pairing_word, part, language FROM answers "
                                  "WHERE id BETWEEN ? AND ?";
    if (prepare(db, sql, &st) != STORE_OK)
        goto out;
    if (cohort_id) {
        sqlite3_bind_int64(st, 1, cohort_id);
    } else {
        sqlite3_bind_int64(st, 1, lo);
        sqlite3_bind_int64(st, 2, hi);
    }
    int step;
    rc = STORE_OK;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_answer_row row = {
            .cohort_id = sqlite3_column_int64(st, 0),
            .package_version = (const char *)sqlite3_column_text(st, 1),
            .day = sqlite3_column_int(st, 2),
            /* As a blob: SQLite then hands over the bytes in place, with no NUL to add. */
            .body = (const char *)sqlite3_column_blob(st, 3),
            .body_len = (size_t)sqlite3_column_bytes(st, 3),
            .id = sqlite3_column_int64(st, 5),
        };
        if (!row.package_version || !row.body)
            continue;
        row.served_version = (const char *)sqlite3_column_text(st, 4);
        if (!row.served_version)
            row.served_version = row.package_version;
        row.pairing_word = (const char *)sqlite3_column_text(st, 6);
        row.part = (const char *)sqlite3_column_text(st, 7);
        row.language = (const char *)sqlite3_column_text(st, 8);
        rc = fn(&row, ctx);
        if (rc != 0)
            goto out;
    }
    if (step != SQLITE_DONE) {
        log_db(db, "reading answers");
        rc = STORE_ERR_IO;
    }
out:
    sqlite3_finalize(st);
    if (db)
        (void)exec(db, "PRAGMA mmap_size = 0");
    reader_put(q, db);
    return rc;
}

/* Free bytes on the disk of the database file, for unprivileged writers (f_bavail). */
static int sq_free_space(struct store *s, unsigned long long *bytes)
{
    struct statvfs v;
    if (statvfs(((struct sq *)s)->path, &v) != 0)
        return -1;
    *bytes = (unsigned long long)v.f_bavail * v.f_frsize;
    return 0;
}

static int checkpoint_truncate(struct sq *q)
{
    /* A reader still on an old snapshot makes the checkpoint give up; wait and retry. */
    for (int attempt = 0; attempt < 50; attempt++) {
        int log_frames = -1, done_frames = -1;
        int rc = sqlite3_wal_checkpoint_v2(q->w, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames,
                                           &done_frames);
        if (rc == SQLITE_OK)
            return STORE_OK;
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
            log_db(q->w, "checkpoint");
            return STORE_ERR_IO;
        }
        usleep(100 * 1000);
    }
    fprintf(stderr, "planpack: database: readers kept the checkpoint from finishing; the "
                    "deleted rows are overwritten at the next checkpoint\n");
    return STORE_OK;
}

/* After a purge: secure_delete zeroed the rows in the new page images; the checkpoint writes
 * them over the old ones in the database file and empties the log that still held the old
 * rows. A job of its own, outside any transaction. */
static int run_checkpoint(struct sq *q, struct job *j)
{
    (void)j;
    return checkpoint_truncate(q);
}

static int sq_compact(struct store *s)
{
    struct job j = {.run = run_checkpoint, .base.alone = true};
    return submit_job((struct sq *)s, &j);
}

static const struct store_backend sqlite_backend = {
    .name = "sqlite",
    .local = true,
    .close = sq_close,
    .batch = run_batch,
    .open_writer = sq_open_writer,
    .check_schema = sq_check_schema,
    .write = sq_write,
    .read = sq_read,
    .answers_job_size = sizeof(struct answers_job),
    .answers_job = sq_answers_job,
    .answers_each = sq_answers_each,
    .free_space = sq_free_space,
    .compact = sq_compact,
};
