/*
 * The PostgreSQL backend, through libpq: the same tables, migrations and behaviour as the
 * SQLite backend, for a service that hosts many schools and runs several planpack processes
 * against one database.
 *
 * Answers: one writer thread per process (writer.c) owns a connection and gathers every
 * answer waiting into one transaction (group commit), as sqlite.c does; answers within a
 * batch are written in random order, many in one statement (one round trip and one plan
 * for many answers). Other processes have writers of their own: PostgreSQL serialises
 * their commits, so no lock between processes is needed. store_submit() returns STORE_OK only
 * once the transaction has committed with synchronous_commit on (COMMIT, or the one
 * statement that was the whole transaction, has returned), that is after the server flushed
 * the commit to its write-ahead log.
 *
 * Everything else (reads, and the small writes of staff, sessions, classes and purge) runs
 * on a small pool of connections, each used by one thread at a time, each statement in a
 * transaction of its own or with the few statements that belong together.
 *
 * Values only ever travel as parameters (PQexecParams, PQexecPrepared); the SQL text is
 * always a constant. Messages never show a URL's password.
 */
#include "store/backend.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "store/pq.h"
#include "store/schema.h"
#include "store/writer.h"

/*
 * Idle connections kept per process besides the writer's. More are opened while more threads
 * read at once (the server's threads, a report's parallel readers), and closed after: a
 * caller never waits for another's connection, so a thread that already holds one may ask
 * for a second without any risk of deadlock.
 */
#define POOL_MAX 8
/* The key of the advisory lock that keeps two processes from migrating at once ("plpk"). */
#define MIGRATION_LOCK "1886154859"
/* Rows fetched at a time when reading answers: bounded memory whatever the table's size. */
#define FETCH_SQL "FETCH 2000 FROM answers_cursor"

/*
 * A class's state for an answer: 1 when it takes it, 0 when it is closed, 2 when it has
 * all the answers its expected size allows (counting those before it in the statement, rn).
 */
#define CLASS_STATE                                                                                \
    "CASE WHEN k.open = 0 THEN 0 WHEN k.expected_size IS NOT NULL AND "                            \
    "(SELECT count(*) FROM answers x WHERE x.cohort_id = k.id) + rn > "                            \
    "k.expected_size * " CLASS_ANSWERS_PER_PUPIL " THEN 2 ELSE 1 END"
#define CLASS_ANSWERS_PER_PUPIL "10"
_Static_assert(STORE_ANSWERS_PER_PUPIL == 10, "CLASS_ANSWERS_PER_PUPIL is the same");

/*
 * Stores one answer unless its class is unknown, closed or full, in one round trip. The
 * result has no row for an unknown code, and the class's state otherwise (CLASS_STATE: the
 * insert happened when it is 1).
 */
#define INSERT_ANSWER_SQL                                                                          \
    "WITH c AS (SELECT k.id, " CLASS_STATE " AS state FROM (SELECT *, 1 AS rn FROM cohorts "       \
    "WHERE code = $1) k), "                                                                        \
    "i AS (INSERT INTO answers (cohort_id, package_version, day, body, served_version, "           \
    "pairing_word, part, language) SELECT id, $2::text, $3::integer, $4::text, $5::text, "         \
    "$6::text, $7::text, $8::text FROM c WHERE state = 1 RETURNING id) "                           \
    "SELECT state FROM c"

/*
 * Stores many answers in one statement, each unless its class is unknown or closed. The
 * answers go as eight arrays; the result has one row per answer, in order, with its class's
 * open flag: NULL for an unknown code, and the insert happened when it is neither NULL nor
 * 0. One statement instead of one per answer keeps the server's work per answer small.
 */
#define INSERT_ANSWERS_SQL                                                                         \
    "WITH a AS (SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], "          \
    "$5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY "                             \
    "AS a(code, version, day, body, served, word, part, lang, n)), "                               \
    "r AS (SELECT a.n, k.*, row_number() OVER (PARTITION BY k.id ORDER BY a.n) AS rn "             \
    "FROM a LEFT JOIN cohorts k ON k.code = a.code), "                                             \
    "c AS (SELECT r.n, r.id, CASE WHEN r.id IS NULL THEN NULL ELSE "                               \
    "(SELECT " CLASS_STATE " FROM (SELECT r.*) k) END AS state FROM r), "                          \
    "i AS (INSERT INTO answers (cohort_id, package_version, day, body, served_version, "           \
    "pairing_word, part, language) SELECT c.id, a.version, a.day, a.body, a.served, a.word, "      \
    "a.part, a.lang FROM a "                                                                       \
    "JOIN c ON c.n = a.n "                                                                         \
    "WHERE c.state = 1 "                                                                           \
    "ORDER BY a.n) "                                                                               \
    "SELECT state FROM c ORDER BY n"

/* Answers waiting for the writer: one answer, or several stored all or none. */
struct job {
    struct writer_job base; /* first: the writer hands jobs back as writer_job pointers */
    const struct store_pending *p;
    size_t n;
    int *rcs;
};

struct pg {
    struct store base;
    char *url;    /* as given, password and all: only ever handed to libpq */
    char *shown;  /* the URL for messages, password hidden */
    char *secret; /* the password, removed from any message libpq makes; NULL when none */

    PGconn *w; /* the writer's connection; NULL when read-only */

    struct store_pool idle;
};

/* ---- messages ---- */

/* Copies msg into out without its trailing newline and with the URL's password masked. */
static void clean_message(const struct pg *q, const char *msg, char *out, size_t out_len)
{
    snprintf(out, out_len, "%s", msg && *msg ? msg : "no message");
    size_t n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
    if (!q->secret || !*q->secret)
        return;
    size_t sl = strlen(q->secret);
    for (char *p = strstr(out, q->secret); p; p = strstr(p, q->secret)) {
        memset(p, '*', sl);
        p += sl;
    }
}

static void log_pg(const struct pg *q, const char *what, const char *msg)
{
    char clean[1024];
    clean_message(q, msg, clean, sizeof(clean));
    fprintf(stderr, "planpack: database %s: %s: %s\n", q->shown, what, clean);
}

/* ---- statements ---- */

/* Parameters of one statement: text (or NULL) unless given as bytes. */
struct params {
    int n;
    const char *v[8];
    int len[8];
    int fmt[8];
    char num[8][24];
};

static void p_text(struct params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n++] = 0;
}

static void p_int(struct params *p, int64_t i)
{
    snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)i);
    p_text(p, p->num[p->n]);
}

/* Bytes sent as they are (binary format): a token hash, or text with its length. */
static void p_bytes(struct params *p, const void *b, size_t n)
{
    p->v[p->n] = b;
    p->len[p->n] = (int)n;
    p->fmt[p->n++] = 1;
}

/* The status a failed statement means for the caller; anything unexpected is logged. */
static int result_error(const struct pg *q, const PGresult *r, const char *what)
{
    const char *state = r ? pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    if (state && strcmp(state, "23505") == 0)
        return STORE_ERR_EXISTS; /* unique_violation */
    if (state && strcmp(state, "23503") == 0)
        return STORE_ERR_NOT_FOUND; /* foreign_key_violation: what it refers to is gone */
    if (state && strcmp(state, "25006") == 0)
        return STORE_ERR_READ_ONLY; /* read_only_sql_transaction */
    log_pg(q, what, r ? pq.PQresultErrorMessage(r) : "out of memory");
    return STORE_ERR_IO;
}

/*
 * Runs sql with parameters p (may be NULL) on c. On STORE_OK, *res (when not NULL) gets the
 * result, which the caller clears; every result is cleared otherwise.
 */
static int run(const struct pg *q, PGconn *c, const char *sql, const struct params *p,
               PGresult **res)
{
    if (res)
        *res = NULL;
    PGresult *r = pq.PQexecParams(c, sql, p ? p->n : 0, NULL, p ? p->v : NULL, p ? p->len : NULL,
                                  p ? p->fmt : NULL, 0);
    ExecStatusType st = pq.PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (res)
            *res = r;
        else
            pq.PQclear(r);
        return STORE_OK;
    }
    int rc = result_error(q, r, sql);
    pq.PQclear(r);
    return rc;
}

/* Rows a statement changed, from its command tag. */
static int64_t changed_rows(PGresult *r)
{
    return strtoll(pq.PQcmdTuples(r), NULL, 10);
}

static int64_t get_int(const PGresult *r, int row, int col)
{
    return strtoll(pq.PQgetvalue(r, row, col), NULL, 10);
}

/* ---- connections ---- */

/*
 * Opens a connection to the store's database. Every connection commits synchronously, and
 * a read-only store's connections cannot write at all, whatever the server's defaults.
 */
static PGconn *connect_db(const struct pg *q, char *err, size_t err_len)
{
    /* Keywords before dbname may be overridden by the URL; those after it may not. */
    const char *const keys[] = {"connect_timeout", "dbname", "fallback_application_name",
                                "client_encoding", NULL};
    const char *const vals[] = {"10", q->url, "planpack", "UTF8", NULL};
    PGconn *c = pq.PQconnectdbParams(keys, vals, 1);
    char clean[768];
    if (!c || pq.PQstatus(c) != CONNECTION_OK) {
        clean_message(q, c ? pq.PQerrorMessage(c) : "out of memory", clean, sizeof(clean));
        snprintf(err, err_len, "cannot connect to %s: %s", q->shown, clean);
        pq.PQfinish(c);
        return NULL;
    }
    const char *setup = q->base.mode == STORE_READ_ONLY
                            ? "SET synchronous_commit = on; SET default_transaction_read_only = on"
                            : "SET synchronous_commit = on";
    PGresult *r = pq.PQexec(c, setup);
    if (pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
        clean_message(q, pq.PQresultErrorMessage(r), clean, sizeof(clean));
        snprintf(err, err_len, "%s: %s", q->shown, clean);
        pq.PQclear(r);
        pq.PQfinish(c);
        return NULL;
    }
    pq.PQclear(r);
    return c;
}

/* A pool connection for this thread alone, or NULL (logged) when none can be opened. */
static PGconn *pool_get(struct pg *q)
{
    PGconn *c = store_pool_take(&q->idle);
    if (c)
        return c;
    char err[1024];
    c = connect_db(q, err, sizeof(err));
    if (!c)
        fprintf(stderr, "planpack: database: %s\n", err);
    return c;
}

/* Gives a connection back; a broken one, one left inside a transaction, or one more than the
 * pool keeps is closed. */
static void pool_put(struct pg *q, PGconn *c)
{
    if (!c)
        return;
    bool keep = pq.PQstatus(c) == CONNECTION_OK && pq.PQtransactionStatus(c) == PQTRANS_IDLE;
    if (!keep || !store_pool_give(&q->idle, c))
        pq.PQfinish(c);
}

/* Ends a transaction that failed part-way; a broken connection needs nothing. */
static void rollback(PGconn *c)
{
    PGTransactionStatusType t = pq.PQtransactionStatus(c);
    if (t == PQTRANS_INTRANS || t == PQTRANS_INERROR)
        pq.PQclear(pq.PQexec(c, "ROLLBACK"));
}

/* Runs fn inside one transaction on a pool connection: committed when it returns STORE_OK. */
static int in_transaction(struct pg *q, int (*fn)(struct pg *q, PGconn *c, void *arg), void *arg)
{
    if (q->base.mode != STORE_READ_WRITE)
        return STORE_ERR_READ_ONLY;
    PGconn *c = pool_get(q);
    if (!c)
        return STORE_ERR_IO;
    int rc = run(q, c, "BEGIN", NULL, NULL);
    if (rc == STORE_OK)
        rc = fn(q, c, arg);
    if (rc == STORE_OK)
        rc = run(q, c, "COMMIT", NULL, NULL);
    if (rc != STORE_OK)
        rollback(c);
    pool_put(q, c);
    return rc;
}

/* ---- statements written for every backend (see struct store_stmt) ---- */

_Static_assert(STORE_ARGS_MAX <= sizeof(((struct params *)0)->v) / sizeof(const char *),
               "every value of a statement fits its parameters");

/* The parameters $1, $2, ... of a statement from its values. */
static void params_of(const struct store_arg *args, struct params *p)
{
    for (size_t i = 0; i < STORE_ARGS_MAX && args[i].type != STORE_ARG_END; i++) {
        switch (args[i].type) {
        case STORE_ARG_INT:
            p_int(p, args[i].i);
            break;
        case STORE_ARG_TEXT:
            p_text(p, args[i].p);
            break;
        case STORE_ARG_BYTES:
            p_bytes(p, args[i].p, args[i].n);
            break;
        default:
            p_text(p, NULL);
        }
    }
}

struct write {
    struct store_stmt *st;
    size_t n;
};

static int run_write(struct pg *q, PGconn *c, void *arg)
{
    struct write *w = arg;
    for (size_t i = 0; i < w->n; i++) {
        struct store_stmt *s = &w->st[i];
        struct params p = {0};
        params_of(s->args, &p);
        PGresult *r;
        int rc = run(q, c, s->sql, &p, &r);
        if (rc != STORE_OK)
            return rc;
        s->changes = changed_rows(r);
        s->returned = pq.PQntuples(r) > 0 ? get_int(r, 0, 0) : 0;
        pq.PQclear(r);
    }
    return STORE_OK;
}

/* Writes other than answers are few and small: a transaction of their own on the pool, which
 * the server orders with every other process's. */
static int pg_write(struct store *s, struct store_stmt *st, size_t n)
{
    struct write w = {st, n};
    return in_transaction((struct pg *)s, run_write, &w);
}

/* A query on a pool connection; each statement sees what was committed when it started. */
static int pg_read(struct store *s, const struct store_stmt *qs, store_row_fn *fn, void *ctx)
{
    struct pg *q = (struct pg *)s;
    struct params p = {0};
    params_of(qs->args, &p);
    PGconn *c = pool_get(q);
    if (!c)
        return STORE_ERR_IO;
    PGresult *r;
    int rc = run(q, c, qs->sql, &p, &r);
    pool_put(q, c);
    if (rc != STORE_OK)
        return rc;
    struct store_col cols[16];
    int rows = pq.PQntuples(r), n = pq.PQnfields(r);
    n = n < 16 ? n : 16;
    for (int i = 0; rc == STORE_OK && i < rows; i++) {
        for (int k = 0; k < n; k++) {
            cols[k].p = pq.PQgetisnull(r, i, k) ? NULL : pq.PQgetvalue(r, i, k);
            cols[k].n = (size_t)pq.PQgetlength(r, i, k);
        }
        rc = fn(cols, (size_t)n, ctx);
    }
    pq.PQclear(r);
    return rc;
}

/* ---- the writer thread and its queue ---- */

/* Prepares the writer's connection after it was opened or reopened. */
static int writer_setup(struct pg *q)
{
    static const char *const statements[][2] = {
        {"insert_answer", INSERT_ANSWER_SQL},
        {"insert_answers", INSERT_ANSWERS_SQL},
    };
    int rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < sizeof(statements) / sizeof(statements[0]); i++) {
        PGresult *r = pq.PQprepare(q->w, statements[i][0], statements[i][1], 0, NULL);
        if (pq.PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = result_error(q, r, "prepare");
        pq.PQclear(r);
    }
    return rc;
}

/* A writer connection that works: the server may have restarted since the last batch. */
static int writer_ready(struct pg *q)
{
    if (q->w && pq.PQstatus(q->w) == CONNECTION_OK)
        return STORE_OK;
    pq.PQfinish(q->w);
    char err[1024];
    q->w = connect_db(q, err, sizeof(err));
    if (!q->w) {
        fprintf(stderr, "planpack: database: %s\n", err);
        return STORE_ERR_IO;
    }
    return writer_setup(q);
}

/* What the result of INSERT_ANSWER_SQL means for its answer. */
static int answer_status(const struct pg *q, const PGresult *r)
{
    if (pq.PQresultStatus(r) != PGRES_TUPLES_OK)
        return result_error(q, r, "storing an answer");
    if (pq.PQntuples(r) == 0)
        return STORE_ERR_NOT_FOUND;
    int64_t state = get_int(r, 0, 0);
    return state == 1 ? STORE_OK : state == 2 ? STORE_ERR_FULL : STORE_ERR_CLOSED;
}

static int insert_answer(struct pg *q, const struct store_pending *a)
{
    struct params p = {0};
    p_text(&p, a->code);
    p_text(&p, a->package_version);
    p_int(&p, a->day);
    p_bytes(&p, a->body, a->body_len);
    p_text(&p, a->served_version);
    p_text(&p, a->pairing_word); /* NULL: none */
    p_text(&p, a->part);         /* NULL: one sitting */
    p_text(&p, a->language);     /* NULL: not known */
    PGresult *r = pq.PQexecPrepared(q->w, "insert_answer", p.n, p.v, p.len, p.fmt, 0);
    int rc = answer_status(q, r);
    pq.PQclear(r);
    return rc;
}

/* Answers stored by one statement at most, so that its arrays stay a few megabytes. */
#define ANSWERS_PER_STATEMENT 256

/* Appends text as one element of a PostgreSQL array literal: quoted, with " and \ escaped. */
static void array_element(struct buf *b, const char *text, size_t len)
{
    buf_addc(b, b->len ? ',' : '{');
    buf_addc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"' || text[i] == '\\')
            buf_addc(b, '\\');
        buf_addc(b, text[i]);
    }
    buf_addc(b, '"');
}

/* The number of arrays INSERT_ANSWERS_SQL takes, one per column. */
#define ANSWER_ARRAYS 8

/* Stores jobs[0, n) of one answer each with INSERT_ANSWERS_SQL and sets each job's rc. */
static int insert_answers(struct pg *q, struct job **jobs, size_t n)
{
    struct buf arrays[ANSWER_ARRAYS];
    for (size_t k = 0; k < ANSWER_ARRAYS; k++)
        buf_init(&arrays[k], BUF_MAX_DEFAULT);
    for (size_t i = 0; i < n; i++) {
        const struct store_pending *a = jobs[i]->p;
        char day[24];
        int day_len = snprintf(day, sizeof(day), "%d", a->day);
        array_element(&arrays[0], a->code, strlen(a->code));
        array_element(&arrays[1], a->package_version, strlen(a->package_version));
        array_element(&arrays[2], day, (size_t)day_len);
        array_element(&arrays[3], a->body, a->body_len);
        array_element(&arrays[4], a->served_version, strlen(a->served_version));
        if (a->pairing_word)
            array_element(&arrays[5], a->pairing_word, strlen(a->pairing_word));
        else /* an unquoted NULL is SQL's NULL */
            buf_adds(&arrays[5], arrays[5].len ? ",NULL" : "{NULL");
        if (a->part)
            array_element(&arrays[6], a->part, strlen(a->part));
        else /* one sitting */
            buf_adds(&arrays[6], arrays[6].len ? ",NULL" : "{NULL");
        if (a->language)
            array_element(&arrays[7], a->language, strlen(a->language));
        else /* not known */
            buf_adds(&arrays[7], arrays[7].len ? ",NULL" : "{NULL");
    }
    struct params p = {0};
    bool ok = true;
    for (size_t k = 0; k < ANSWER_ARRAYS; k++) {
        buf_addc(&arrays[k], '}');
        ok = ok && buf_ok(&arrays[k]);
        p_text(&p, arrays[k].ptr);
    }
    int rc = STORE_ERR_IO;
    if (ok) {
        PGresult *r = pq.PQexecPrepared(q->w, "insert_answers", p.n, p.v, p.len, p.fmt, 0);
        if (pq.PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = result_error(q, r, "storing answers");
        else if ((size_t)pq.PQntuples(r) == n) {
            for (size_t i = 0; i < n; i++)
                jobs[i]->base.rc = jobs[i]->rcs[0] =
                    pq.PQgetisnull(r, (int)i, 0) ? STORE_ERR_NOT_FOUND
                    : get_int(r, (int)i, 0) == 1 ? STORE_OK
                    : get_int(r, (int)i, 0) == 2 ? STORE_ERR_FULL
                                                 : STORE_ERR_CLOSED;
            rc = STORE_OK;
        }
        pq.PQclear(r);
    }
    for (size_t k = 0; k < ANSWER_ARRAYS; k++)
        buf_release(&arrays[k]);
    return rc == STORE_OK ? STORE_OK : STORE_ERR_IO;
}

/*
 * Stores jobs of one answer each, inside the batch's transaction, a statement for many of
 * them at a time: what keeps the writer from paying a statement per answer.
 */
static int store_answers(struct pg *q, struct job **jobs, size_t n)
{
    for (size_t start = 0; start < n; start += ANSWERS_PER_STATEMENT) {
        size_t k = n - start < ANSWERS_PER_STATEMENT ? n - start : ANSWERS_PER_STATEMENT;
        if (insert_answers(q, jobs + start, k) != STORE_OK)
            return STORE_ERR_IO;
    }
    return STORE_OK;
}

/* Stores a job of several answers, all or none, inside the batch's transaction. */
static int run_job(struct pg *q, struct job *j)
{
    if (run(q, q->w, "SAVEPOINT job", NULL, NULL) != STORE_OK)
        return STORE_ERR_IO;
    int rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < j->n; i++)
        rc = j->rcs[i] = insert_answer(q, &j->p[i]);
    if (rc == STORE_ERR_IO)
        return rc;
    if (rc != STORE_OK && run(q, q->w, "ROLLBACK TO SAVEPOINT job", NULL, NULL) != STORE_OK)
        return STORE_ERR_IO;
    if (run(q, q->w, "RELEASE SAVEPOINT job", NULL, NULL) != STORE_OK)
        return STORE_ERR_IO;
    return rc;
}

/* A backend job from the writer's view of it, which is its first member. */
static struct job *job_of(struct writer_job *w)
{
    return (struct job *)w;
}

/*
 * Runs jobs order[0..n) in one transaction; any database error fails them all. Jobs of one
 * answer go first, many to a statement, in the (random) order given; jobs of several
 * answers follow.
 *
 * A batch that is one statement (the usual case) is sent without BEGIN and COMMIT: a
 * statement on its own is a transaction, committed and flushed before its result comes
 * back. That saves two round trips, which for a single answer cost over half as much as
 * the commit itself (bench/ingest: 2,254 answers/s with them, 3,668 without).
 */
static int run_batch(struct pg *q, struct writer_job **order, size_t n)
{
    int rc = writer_ready(q);
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    struct job **singles = xmalloc((n ? n : 1) * sizeof(*singles));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (job_of(order[i])->n == 1)
            singles[k++] = job_of(order[i]);
    bool block = k < n || n > ANSWERS_PER_STATEMENT;
    if (rc == STORE_OK && block)
        rc = run(q, q->w, "BEGIN", NULL, NULL);
    if (rc == STORE_OK)
        rc = store_answers(q, singles, k);
    free(singles);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        if (job_of(order[i])->n == 1)
            continue;
        order[i]->rc = run_job(q, job_of(order[i]));
        if (order[i]->rc == STORE_ERR_IO)
            rc = STORE_ERR_IO;
    }
    /* COMMIT returns once the commit record is flushed (synchronous_commit = on). */
    if (rc == STORE_OK && block)
        rc = run(q, q->w, "COMMIT", NULL, NULL);
    if (rc != STORE_OK) {
        if (q->w)
            rollback(q->w);
        for (size_t i = 0; i < n; i++)
            order[i]->rc = STORE_ERR_IO;
    }
    return rc;
}

/*
 * Writes a batch (the writer's callback; its jobs come in random order, so that row ids say
 * as little as possible about who answered when, see sqlite.c). When the batch fails while
 * the server is still there, one bad answer must not cost the others theirs: each job is
 * tried again on its own.
 */
static void write_batch(void *ctx, struct writer_job **order, size_t n)
{
    struct pg *q = ctx;
    if (run_batch(q, order, n) != STORE_OK && n > 1 && q->w && pq.PQstatus(q->w) == CONNECTION_OK)
        for (size_t i = 0; i < n; i++)
            (void)run_batch(q, &order[i], 1);
}

/* ---- schema ---- */

/* Reads the schema version; STORE_ERR_SCHEMA when the database is not planpack's or newer. */
static int schema_version(struct pg *q, PGconn *c, int64_t *version, int64_t *tables, char *err,
                          size_t err_len)
{
    PGresult *r;
    int rc = run(q, c,
                 "SELECT count(*), count(*) FILTER (WHERE tablename = 'schema_version') "
                 "FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
                 NULL, &r);
    if (rc != STORE_OK) {
        snprintf(err, err_len, "%s: cannot read the list of tables", q->shown);
        return rc;
    }
    *tables = get_int(r, 0, 0);
    bool has_version = get_int(r, 0, 1) > 0;
    pq.PQclear(r);
    *version = 0;
    if (*tables > 0 && !has_version) {
        snprintf(err, err_len, "%s is not a planpack database (it holds other tables)", q->shown);
        return STORE_ERR_SCHEMA;
    }
    if (has_version) {
        if (run(q, c, "SELECT coalesce(max(version), 0) FROM schema_version", NULL, &r) !=
            STORE_OK) {
            snprintf(err, err_len, "%s: cannot read the schema version", q->shown);
            return STORE_ERR_IO;
        }
        *version = get_int(r, 0, 0);
        pq.PQclear(r);
    }
    return store_schema_check(NULL, *version, true, err, err_len);
}

/* The connection store_schema_upgrade() runs its statements on. */
struct exec_ctx {
    struct pg *q;
    PGconn *c;
};

/* Several statements and no values: the simple protocol runs them all. */
static int exec_cb(void *ctx, const char *sql)
{
    struct exec_ctx *x = ctx;
    PGresult *r = pq.PQexec(x->c, sql);
    int rc = pq.PQresultStatus(r) == PGRES_COMMAND_OK
                 ? STORE_OK
                 : result_error(x->q, r, "migrating the schema");
    pq.PQclear(r);
    return rc;
}

/*
 * Brings the schema to the current version in one transaction. Several planpack processes
 * may start at once: the advisory lock makes the others wait, and then find the work done.
 * PostgreSQL's DDL is transactional, so a failed migration leaves the old schema intact.
 */
static int migrate(struct pg *q, PGconn *c, char *err, size_t err_len)
{
    int rc = run(q, c, "BEGIN", NULL, NULL);
    if (rc == STORE_OK)
        rc = run(q, c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", NULL, NULL);
    if (rc != STORE_OK) {
        snprintf(err, err_len, "%s: cannot start the schema check", q->shown);
        rollback(c);
        return STORE_ERR_IO;
    }
    int64_t version = 0, tables = 0;
    rc = schema_version(q, c, &version, &tables, err, err_len);
    struct exec_ctx x = {q, c};
    if (rc == STORE_OK)
        rc = store_schema_upgrade(&store_dialect_postgres, version, exec_cb, &x, err, err_len);
    if (rc == STORE_OK && run(q, c, "COMMIT", NULL, NULL) != STORE_OK) {
        snprintf(err, err_len, "committing the schema failed (see above)");
        rc = STORE_ERR_IO;
    }
    if (rc != STORE_OK)
        rollback(c);
    return rc;
}

/* A read-only store needs a database at the current version, made by a writer. */
static int pg_check_schema(struct store *s, char *err, size_t err_len)
{
    struct pg *q = (struct pg *)s;
    PGconn *c = connect_db(q, err, err_len);
    if (!c)
        return STORE_ERR_IO;
    int64_t version = 0, tables = 0;
    int rc = schema_version(q, c, &version, &tables, err, err_len);
    if (rc == STORE_OK && tables == 0) {
        snprintf(err, err_len,
                 "%s holds no planpack data yet (planpack cohort new, staff add and serve "
                 "create it)",
                 q->shown);
        rc = STORE_ERR_NOT_FOUND;
    } else if (rc == STORE_OK) {
        rc = store_schema_check(q->shown, version, false, err, err_len);
    }
    pool_put(q, c); /* the pool's first connection */
    return rc;
}

/* ---- open and close ---- */

static const struct store_backend postgres_backend;

static void pg_close(struct store *s)
{
    struct pg *q = (struct pg *)s;
    pq.PQfinish(q->w);
    for (PGconn *c; (c = store_pool_take(&q->idle));)
        pq.PQfinish(c);
    store_pool_release(&q->idle);
    free(q->url);
    free(q->shown);
    free(q->secret);
    free(q);
}

/* Notes the URL's password so that no message can show it, even one libpq wrote. */
static void find_secret(struct pg *q)
{
    PQconninfoOption *opts = pq.PQconninfoParse(q->url, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            q->secret = xstrdup(o->val);
    pq.PQconninfoFree(opts);
}

static int pg_open_writer(struct store *s, char *err, size_t err_len)
{
    struct pg *q = (struct pg *)s;
    q->w = connect_db(q, err, err_len);
    if (!q->w)
        return STORE_ERR_IO;
    int rc = migrate(q, q->w, err, err_len);
    if (rc != STORE_OK)
        return rc;
    if (writer_setup(q) != STORE_OK) {
        snprintf(err, err_len, "%s: cannot prepare the answer statement", q->shown);
        return STORE_ERR_IO;
    }
    /* With fsync off, a commit is not durable, whatever planpack does: say so. */
    PGresult *r;
    if (run(q, q->w, "SHOW fsync", NULL, &r) == STORE_OK) {
        if (strcmp(pq.PQgetvalue(r, 0, 0), "on") != 0)
            fprintf(stderr,
                    "planpack: database %s: the server runs with fsync off; answers "
                    "may be lost in a crash\n",
                    q->shown);
        pq.PQclear(r);
    }
    return STORE_OK;
}

int pg_store_new(const char *url, struct store **out, char *err, size_t err_len)
{
    if (pq_load(err, err_len) != 0)
        return STORE_ERR_IO;
    struct pg *q = xcalloc(1, sizeof(*q));
    q->base.be = &postgres_backend;
    q->url = xstrdup(url);
    char shown[512];
    store_location_shown(url, shown, sizeof(shown));
    q->shown = xstrdup(shown);
    find_secret(q);
    store_pool_init(&q->idle, POOL_MAX);
    *out = &q->base;
    return STORE_OK;
}

/* ---- answers ---- */

static void pg_answers_job(struct writer_job *w, const struct store_pending *p, size_t n, int *rcs)
{
    *(struct job *)w = (struct job){.p = p, .n = n, .rcs = rcs};
}

/* Calls fn for each row of a fetched block; non-zero from fn stops. */
static int each_row(PGresult *r, int (*fn)(const struct store_answer_row *row, void *ctx),
                    void *ctx)
{
    for (int i = 0; i < pq.PQntuples(r); i++) {
        struct store_answer_row row = {
            .cohort_id = get_int(r, i, 0),
            .package_version = pq.PQgetvalue(r, i, 1),
            .day = (int)get_int(r, i, 2),
            .body = pq.PQgetvalue(r, i, 3),
            .body_len = (size_t)pq.PQgetlength(r, i, 3),
            .served_version =
                pq.PQgetisnull(r, i, 4) ? pq.PQgetvalue(r, i, 1) : pq.PQgetvalue(r, i, 4),
            .id = get_int(r, i, 5),
            .pairing_word = pq.PQgetisnull(r, i, 6) ? NULL : pq.PQgetvalue(r, i, 6),
            .part = pq.PQgetisnull(r, i, 7) ? NULL : pq.PQgetvalue(r, i, 7),
            .language = pq.PQgetisnull(r, i, 8) ? NULL : pq.PQgetvalue(r, i, 8),
        };
        int rc = fn(&row, ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The id range [lo, hi] of part `part` of `parts`, ranges of about equal size (as sqlite.c). */
static int part_range(struct pg *q, PGconn *c, unsigned part, unsigned parts, int64_t *lo,
                      int64_t *hi)
{
    *lo = INT64_MIN;
    *hi = INT64_MAX;
    if (parts <= 1)
        return STORE_OK;
    PGresult *r;
    int rc = run(q, c, "SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM answers", NULL, &r);
    if (rc != STORE_OK)
        return rc;
    int64_t min = get_int(r, 0, 0), max = get_int(r, 0, 1);
    pq.PQclear(r);
    int64_t span = max - min + 1, step = span / parts + 1;
    *lo = part == 0 ? INT64_MIN : min + step * part;
    *hi = part + 1 == parts ? INT64_MAX : min + step * (part + 1) - 1;
    return STORE_OK;
}

/*
 * Reads through a cursor, a block of rows at a time, so that a million answers never sit in
 * memory at once; all inside one read-only transaction, which sees one snapshot throughout.
 */
static int pg_answers_each(struct store *s, int64_t cohort_id, unsigned part, unsigned parts,
                           int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx)
{
    struct pg *q = (struct pg *)s;
    PGconn *c = pool_get(q);
    if (!c)
        return STORE_ERR_IO;
    int rc = run(q, c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL, NULL);
    int64_t lo = 0, hi = 0;
    if (rc == STORE_OK && !cohort_id)
        rc = part_range(q, c, part, parts, &lo, &hi);
    struct params p = {0};
    if (cohort_id) {
        p_int(&p, cohort_id);
    } else {
        p_int(&p, lo);
        p_int(&p, hi);
    }
    if (rc == STORE_OK)
        rc = run(
            q, c,
            cohort_id
                ? "DECLARE answers_cursor NO SCROLL CURSOR FOR SELECT cohort_id, "
                  "package_version, day, body, served_version, id, pairing_word, part, language "
                  "FROM answers "
                  "WHERE cohort_id = $1"
                : "DECLARE answers_cursor NO SCROLL CURSOR FOR SELECT cohort_id, "
                  "package_version, day, body, served_version, id, pairing_word, part, language "
                  "FROM answers "
                  "WHERE id BETWEEN $1 AND $2",
            &p, NULL);
    while (rc == STORE_OK) {
        PGresult *r;
        rc = run(q, c, FETCH_SQL, NULL, &r);
        if (rc != STORE_OK)
            break;
        int rows = pq.PQntuples(r);
        rc = each_row(r, fn, ctx);
        pq.PQclear(r);
        if (rows == 0)
            break;
    }
    /* Reading only: ending the transaction either way releases the cursor. */
    rollback(c);
    pool_put(q, c);
    return rc;
}

/*
 * After a purge, vacuums the tables it deleted from. What PostgreSQL can promise here is less
 * than SQLite's secure_delete: VACUUM marks the deleted rows' space free for new rows, but
 * leaves their bytes on the page until new rows overwrite them, and the write-ahead log,
 * its archive, replicas and backups keep older copies until they are recycled. The rows are
 * gone from every query at once; to have their bytes gone from the disk, run the server on
 * an encrypted volume and keep the WAL archive and backups no longer than answers are kept
 * (docs/deploy.md).
 */
static int pg_compact(struct store *s)
{
    struct pg *q = (struct pg *)s;
    /* VACUUM cannot run inside a transaction block; on its own it takes no values. */
    PGconn *c = pool_get(q);
    if (!c)
        return STORE_ERR_IO;
    /* The codes given comments and focus groups are deleted with them (ON DELETE CASCADE). */
    PGresult *r = pq.PQexec(c, "VACUUM answers, focus_groups, sessions, comment_themes, "
                               "comment_pages, focus_group_themes, focus_group_pages");
    int rc = pq.PQresultStatus(r) == PGRES_COMMAND_OK ? STORE_OK : result_error(q, r, "vacuum");
    pq.PQclear(r);
    pool_put(q, c);
    return rc;
}

static const struct store_backend postgres_backend = {
    .name = "postgres",
    .local = false,
    .close = pg_close,
    .batch = write_batch,
    .open_writer = pg_open_writer,
    .check_schema = pg_check_schema,
    .write = pg_write,
    .read = pg_read,
    .answers_job_size = sizeof(struct job),
    .answers_job = pg_answers_job,
    .answers_each = pg_answers_each,
    .compact = pg_compact,
};
