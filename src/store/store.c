/*
 * The backend-independent half of the store: argument checks, day arithmetic, answer
 * encoding and masking, then a call through the backend's table.
 */
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/xalloc.h"
#include "store/backend.h"

/* Class codes remembered (struct cohort_memo), and for how long each serves. */
#define COHORT_MEMO 16
#define COHORT_MEMO_MS 1000

/*
 * A class code read lately. POST /feedback looks one up for every answer, which with
 * PostgreSQL is a round trip each. What a code stands for (its class, school and package
 * version) never changes; whether it is open may, so an entry serves for COHORT_MEMO_MS
 * only, and store_cohort_set_open() forgets it at once. Closing a code in another process
 * shows here within that time, and an answer to it is refused all the same: the writer
 * checks the code again in the answer's own transaction.
 */
struct cohort_memo {
    struct store_cohort c; /* its strings malloc'd */
    long long read_ms;     /* 0: the entry is empty */
};

static void memo_clear(struct cohort_memo *m)
{
    free((char *)m->c.label);
    free((char *)m->c.school);
    free((char *)m->c.package_id);
    free((char *)m->c.package_version);
    *m = (struct cohort_memo){0};
}

const char *store_strerror(int status)
{
    switch (status) {
    case STORE_OK:
        return "ok";
    case STORE_ERR_IO:
        return "the database failed (see the messages above)";
    case STORE_ERR_NOT_FOUND:
        return "not found";
    case STORE_ERR_CLOSED:
        return "that class code is closed";
    case STORE_ERR_EXISTS:
        return "that name is already taken";
    case STORE_ERR_LOCKED:
        return "another planpack process has the database open for writing";
    case STORE_ERR_SCHEMA:
        return "the database was made by a newer planpack, or is not a planpack database";
    case STORE_ERR_READ_ONLY:
        return "the database was opened read-only";
    case STORE_ERR_EXPIRED:
        return "the session has expired";
    case STORE_ERR_INVALID:
        return "invalid value";
    case STORE_ERR_NO_SPACE:
        return "the disk of the database is nearly full";
    case STORE_ERR_FULL:
        return "the class has all the answers its size allows";
    default:
        return "unknown error";
    }
}

static bool is_postgres_url(const char *where)
{
    return strncmp(where, "postgres://", 11) == 0 || strncmp(where, "postgresql://", 13) == 0;
}

int store_open(const char *where, enum store_mode mode, const struct store_options *opt,
               struct store **out, char *err, size_t err_len)
{
    *out = NULL;
    if (!where || !*where) {
        snprintf(err, err_len, "no database given");
        return STORE_ERR_INVALID;
    }
    if (strcmp(where, ":memory:") == 0 || strncmp(where, "file:", 5) == 0) {
        snprintf(err, err_len, "%s: give the path of a database file", where);
        return STORE_ERR_INVALID;
    }
    /* Both backends draw random numbers from libsodium (class codes, the order of a batch). */
    if (sodium_init() < 0) {
        snprintf(err, err_len, "libsodium could not start");
        return STORE_ERR_IO;
    }
    struct store_options o = {0};
    if (opt)
        o = *opt;
    if (o.busy_timeout_ms <= 0)
        o.busy_timeout_ms = 5000;
    if (o.max_batch == 0)
        o.max_batch = 1024;
    int rc = is_postgres_url(where) ? pg_store_open(where, mode, &o, out, err, err_len)
                                    : sqlite_store_open(where, mode, &o, out, err, err_len);
    if (rc == STORE_OK) {
        pthread_mutex_init(&(*out)->shelf_mu, NULL);
        (*out)->shelves = NULL;
        pthread_mutex_init(&(*out)->memo_mu, NULL);
        atomic_init(&(*out)->space_checked, 0);
        atomic_init(&(*out)->space_ok, true);
        (*out)->memo = xcalloc(COHORT_MEMO, sizeof(*(*out)->memo));
        (*out)->memo_next = 0;
        (*out)->memo_changes = 0;
    }
    return rc;
}

/* Copies s[0..n) into the buffer, or "***" in its place when hide is set. */
static void add_part(struct buf *b, const char *s, size_t n, bool hide)
{
    if (hide)
        buf_adds(b, "***");
    else
        buf_add(b, s, n);
}

void store_location_shown(const char *where, char *out, size_t out_len)
{
    if (!is_postgres_url(where)) {
        snprintf(out, out_len, "%s", where);
        return;
    }
    struct buf b;
    /* The address with its password left out is never longer than the address. */
    buf_init(&b, strlen(where) + 64);
    /* postgres://user:PASSWORD@host/db?...&password=PASSWORD&... */
    const char *auth = strstr(where, "://") + 3;
    const char *auth_end = auth + strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (colon) {
        add_part(&b, where, (size_t)(colon + 1 - where), false);
        add_part(&b, colon + 1, (size_t)(at - colon - 1), true);
        add_part(&b, at, (size_t)(auth_end - at), false);
    } else {
        add_part(&b, where, (size_t)(auth_end - where), false);
    }
    /* Query parameters: each "password=..." value hidden. */
    for (const char *p = auth_end; *p;) {
        size_t n = strcspn(p + 1, "?&#") + 1;
        bool secret = (*p == '?' || *p == '&') && strncmp(p + 1, "password=", 9) == 0;
        add_part(&b, p, secret ? 10 : n, false);
        if (secret)
            add_part(&b, p + 10, n - 10, n > 10);
        p += n;
    }
    snprintf(out, out_len, "%s", b.ptr ? b.ptr : "");
    buf_release(&b);
}

/* Every snapshot read at one time; kept, with the arena holding them, until close. */
struct survey_shelf {
    struct survey_shelf *next;
    struct arena a;
    struct survey *all;
    size_t count;
};

void store_close(struct store *s)
{
    if (!s)
        return;
    while (s->shelves) {
        struct survey_shelf *sh = s->shelves;
        s->shelves = sh->next;
        arena_release(&sh->a);
        free(sh);
    }
    pthread_mutex_destroy(&s->shelf_mu);
    for (size_t i = 0; i < COHORT_MEMO; i++)
        memo_clear(&s->memo[i]);
    free(s->memo);
    pthread_mutex_destroy(&s->memo_mu);
    s->be->close(s);
}

bool store_reads_are_local(const struct store *s)
{
    return s->be->local;
}

time_t store_now(const struct store *s)
{
    return s->opt.now ? s->opt.now() : time(NULL);
}

int store_day_from_time(time_t t)
{
    return date_from_time(t);
}

int store_today(const struct store *s)
{
    return store_day_from_time(store_now(s));
}

void store_day_format(int day, char out[11])
{
    date_format(day, out);
}

/* Any date base/date.h reads, from the store's day 0 (1970-01-01) on. */
int store_day_parse(const char *s, int *day)
{
    int v = 0;
    if (date_parse(s, &v) != 0 || v < 0)
        return -1;
    *day = v;
    return 0;
}

static int writable(const struct store *s)
{
    return s->mode == STORE_READ_WRITE ? STORE_OK : STORE_ERR_READ_ONLY;
}

int store_survey_put(struct store *s, const struct survey *sv, bool *changed)
{
    if (changed)
        *changed = false;
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!sv->package_id || !*sv->package_id || !sv->package_version || !*sv->package_version)
        return STORE_ERR_INVALID;
    struct buf b;
    buf_init(&b, STORE_SURVEY_MAX);
    survey_encode(sv, &b);
    bool dummy;
    int rc = buf_ok(&b) ? s->be->survey_put(s, sv->package_id, sv->package_version, b.ptr,
                                            changed ? changed : &dummy)
                        : STORE_ERR_INVALID;
    buf_release(&b);
    return rc;
}

int store_surveys(struct store *s, struct arena *a, struct survey **out, size_t *count)
{
    return s->be->surveys(s, a, out, count);
}

static const struct survey *shelf_find(const struct survey_shelf *sh, const char *package_id,
                                       const char *version)
{
    for (size_t i = 0; sh && i < sh->count; i++)
        if (sh->all[i].package_id && sh->all[i].package_version &&
            strcmp(sh->all[i].package_id, package_id) == 0 &&
            strcmp(sh->all[i].package_version, version) == 0)
            return &sh->all[i];
    return NULL;
}

/*
 * Looks on the newest shelf, which holds every snapshot stored when it was read; a version
 * stored since (a new class for a new version) is found by reading them all again onto a
 * new shelf. Older shelves stay until close: pointers into them may be in use.
 */
int store_survey_get(struct store *s, const char *package_id, const char *version,
                     const struct survey **out)
{
    *out = NULL;
    pthread_mutex_lock(&s->shelf_mu);
    const struct survey *found = shelf_find(s->shelves, package_id, version);
    int rc = STORE_OK;
    if (!found) {
        struct survey_shelf *sh = xcalloc(1, sizeof(*sh));
        rc = s->be->surveys(s, &sh->a, &sh->all, &sh->count);
        found = rc == STORE_OK ? shelf_find(sh, package_id, version) : NULL;
        if (found) {
            sh->next = s->shelves;
            s->shelves = sh;
        } else {
            /* Nothing new: keep memory from growing with every miss. */
            arena_release(&sh->a);
            free(sh);
        }
    }
    pthread_mutex_unlock(&s->shelf_mu);
    if (rc != STORE_OK)
        return rc;
    *out = found;
    return found ? STORE_OK : STORE_ERR_NOT_FOUND;
}

/*
 * Whether UTF-8 text holds a control character (see utf8_control()). A name or label is
 * printed in terminals and logs, where one could move the cursor, hide text or retitle
 * the window.
 */
static bool has_control(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (utf8_control(t + i, n - i))
            return true;
    return false;
}

/* A label or school name: 1 to 200 bytes of UTF-8, without control characters. */
static bool valid_text(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    return n > 0 && n <= 200 && utf8_valid(t, n) && !has_control(t, n);
}

int store_cohort_create(struct store *s, const struct store_cohort_spec *spec,
                        char code[WIRE_CODE_LEN + 1])
{
    code[0] = '\0';
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!valid_text(spec->label) || !spec->survey || (spec->school && !valid_text(spec->school)) ||
        spec->expected_size < 0 || spec->expected_size > STORE_CLASS_SIZE_MAX)
        return STORE_ERR_INVALID;
    int rc = store_survey_put(s, spec->survey, NULL);
    if (rc != STORE_OK)
        return rc;
    return s->be->cohort_create(s, spec->label, spec->school, spec->expected_size,
                                spec->survey->package_id, spec->survey->package_version, code);
}

int store_cohort_answers(struct store *s, int64_t cohort_id, int64_t *count)
{
    *count = 0;
    return s->be->cohort_answers(s, cohort_id, count);
}

static long long monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Copies c, with its strings into a, or malloc'd when a is NULL. */
static void cohort_copy(struct store_cohort *out, const struct store_cohort *c, struct arena *a)
{
    *out = *c;
    const char **strings[] = {&out->label, &out->school, &out->package_id, &out->package_version};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (*strings[i])
            *strings[i] = a ? arena_strdup(a, *strings[i]) : xstrdup(*strings[i]);
}

/* The entry for code, or NULL. Called with memo_mu held. */
static struct cohort_memo *memo_find(struct store *s, const char *code)
{
    for (size_t i = 0; i < COHORT_MEMO; i++)
        if (s->memo[i].read_ms && strcmp(s->memo[i].c.code, code) == 0)
            return &s->memo[i];
    return NULL;
}

/* Copies a fresh entry for code into out; false when there is none. *changes gets
 * memo_changes, for memo_put(). */
static bool memo_get(struct store *s, const char *code, long long now, struct arena *a,
                     struct store_cohort *out, unsigned long *changes)
{
    pthread_mutex_lock(&s->memo_mu);
    struct cohort_memo *m = memo_find(s, code);
    bool fresh = m && now - m->read_ms < COHORT_MEMO_MS;
    if (fresh)
        cohort_copy(out, &m->c, a);
    *changes = s->memo_changes;
    pthread_mutex_unlock(&s->memo_mu);
    return fresh;
}

/*
 * Remembers c, read from the database at read_ms. Not when a code was opened or closed
 * through this store since the read began (changes): c might say what that changed.
 */
static void memo_put(struct store *s, const struct store_cohort *c, long long read_ms,
                     unsigned long changes)
{
    pthread_mutex_lock(&s->memo_mu);
    if (s->memo_changes != changes) {
        pthread_mutex_unlock(&s->memo_mu);
        return;
    }
    struct cohort_memo *m = memo_find(s, c->code);
    if (!m) {
        m = &s->memo[s->memo_next];
        s->memo_next = (s->memo_next + 1) % COHORT_MEMO;
    }
    memo_clear(m);
    cohort_copy(&m->c, c, NULL);
    m->read_ms = read_ms ? read_ms : 1;
    pthread_mutex_unlock(&s->memo_mu);
}

static void memo_forget(struct store *s, const char *code)
{
    pthread_mutex_lock(&s->memo_mu);
    struct cohort_memo *m = memo_find(s, code);
    if (m)
        m->read_ms = 0;
    s->memo_changes++;
    pthread_mutex_unlock(&s->memo_mu);
}

int store_cohort_get(struct store *s, const char *code, struct arena *a, struct store_cohort *out)
{
    memset(out, 0, sizeof(*out));
    if (!code || strlen(code) != WIRE_CODE_LEN)
        return STORE_ERR_NOT_FOUND;
    long long now = monotonic_ms();
    unsigned long changes;
    if (memo_get(s, code, now, a, out, &changes))
        return STORE_OK;
    int rc = s->be->cohort_get(s, code, a, out);
    if (rc == STORE_OK)
        memo_put(s, out, now, changes);
    return rc;
}

int store_cohort_set_open(struct store *s, const char *code, bool open)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!code || strlen(code) != WIRE_CODE_LEN)
        return STORE_ERR_NOT_FOUND;
    int rc = s->be->cohort_set_open(s, code, open);
    memo_forget(s, code); /* after the change: a read that began before it is not kept */
    return rc;
}

int store_cohorts(struct store *s, struct arena *a, struct store_cohort **out, size_t *count)
{
    return s->be->cohorts(s, a, out, count);
}

void store_cohort_for_survey(const struct store_cohort *c, struct survey_cohort *out)
{
    out->code = c->code;
    out->package_id = c->package_id;
    out->package_version = c->package_version;
    out->open = c->open;
}

/* Encodes answers for the backend; bodies live in bufs the caller releases. */
static int prepare(struct store *s, const struct survey_answer *a, size_t n,
                   struct store_pending *p, struct buf *bodies)
{
    for (size_t i = 0; i < n; i++) {
        buf_init(&bodies[i], 1 << 20);
        if (strlen(a[i].code) != WIRE_CODE_LEN || !a[i].package_version || !*a[i].package_version ||
            a[i].item_count == 0)
            return STORE_ERR_INVALID;
        survey_answer_encode(&a[i], &bodies[i]);
        if (!buf_ok(&bodies[i]))
            return STORE_ERR_INVALID;
        p[i].code = a[i].code;
        p[i].package_version = a[i].package_version;
        p[i].body = bodies[i].ptr;
        p[i].body_len = bodies[i].len;
        p[i].day = store_today(s);
    }
    return STORE_OK;
}

static int submit(struct store *s, const struct survey_answer *a, size_t n)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (n == 0)
        return STORE_OK;
    struct store_pending *p = xcalloc(n, sizeof(*p));
    struct buf *bodies = xcalloc(n, sizeof(*bodies));
    int *rcs = xcalloc(n, sizeof(*rcs));
    int rc = prepare(s, a, n, p, bodies);
    if (rc == STORE_OK)
        rc = s->be->submit(s, p, n, true, rcs);
    for (size_t i = 0; i < n; i++)
        buf_release(&bodies[i]);
    free(bodies);
    free(p);
    free(rcs);
    return rc;
}

static bool disk_has_room(struct store *s);

int store_submit(struct store *s, const struct survey_answer *a)
{
    return disk_has_room(s) ? submit(s, a, 1) : STORE_ERR_NO_SPACE;
}

static void store_async_free(struct store_async *req)
{
    buf_release(&req->body);
    free(req->package_version);
    free(req);
}

/* A queued answer's job has ended (writer_job.finished): tells its submitter, frees all. */
static void async_finished(struct writer_job *j)
{
    struct store_async *req = j->ctx;
    req->done(req->ctx, j->rc);
    store_async_free(req);
    free(j); /* the backend's job, which begins with j */
}

int store_async_enqueue(struct writer *w, struct writer_job *j, struct store_async *req)
{
    j->finished = async_finished;
    j->ctx = req;
    int rc = writer_enqueue(w, j);
    if (rc != STORE_OK)
        free(j);
    return rc;
}

/*
 * Whether the database's disk has room for answers: looked at once a second at most, and
 * said on stderr when it changes, so that the operator sees why answers are refused.
 */
static bool disk_has_room(struct store *s)
{
    if (!s->opt.min_free_bytes || !s->be->free_space)
        return true;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    long long now = (long long)ts.tv_sec;
    if (atomic_exchange(&s->space_checked, now) != now) {
        unsigned long long bytes;
        bool ok = s->be->free_space(s, &bytes) != 0 || bytes >= s->opt.min_free_bytes;
        bool was = atomic_exchange(&s->space_ok, ok);
        if (was && !ok)
            fprintf(stderr,
                    "planpack: the database's disk has less than %llu MiB free; new answers "
                    "are refused (503) until there is more\n",
                    s->opt.min_free_bytes >> 20);
        else if (!was && ok)
            fprintf(stderr, "planpack: the database's disk has room again; answers are taken\n");
    }
    return atomic_load(&s->space_ok);
}

int store_submit_async(struct store *s, const struct survey_answer *a, store_done_fn *done,
                       void *ctx)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!disk_has_room(s))
        return STORE_ERR_NO_SPACE;
    struct store_async *req = xcalloc(1, sizeof(*req));
    int rc = prepare(s, a, 1, &req->p, &req->body);
    if (rc == STORE_OK) {
        /* The answer is the caller's only until this returns. */
        memcpy(req->code, a->code, sizeof(req->code));
        req->package_version = xstrdup(a->package_version);
        req->p.code = req->code;
        req->p.package_version = req->package_version;
        req->done = done;
        req->ctx = ctx;
        rc = s->be->submit_async(s, req);
    }
    if (rc != STORE_OK)
        store_async_free(req);
    return rc;
}

int store_submit_many(struct store *s, const struct survey_answer *a, size_t n)
{
    return submit(s, a, n);
}

int store_answers_each(struct store *s, int64_t cohort_id,
                       int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx)
{
    return s->be->answers_each(s, cohort_id, 0, 1, fn, ctx);
}

int store_answers_each_part(struct store *s, unsigned part, unsigned parts,
                            int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx)
{
    if (parts == 0 || part >= parts)
        return STORE_ERR_INVALID;
    return s->be->answers_each(s, 0, part, parts, fn, ctx);
}

int store_answer_count(struct store *s, int64_t *count)
{
    return s->be->answer_count(s, count);
}

int store_purge(struct store *s, int days, struct store_purged *deleted)
{
    struct store_purged dummy;
    if (!deleted)
        deleted = &dummy;
    *deleted = (struct store_purged){0};
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (days < 0 || days > 100000)
        return STORE_ERR_INVALID;
    return s->be->purge(s, store_today(s) - days, store_now(s) - STORE_SESSION_MAX_AGE, deleted);
}

/* A staff account's name: 1 to 100 bytes of UTF-8, without control characters. */
static bool valid_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 0 && n <= 100 && utf8_valid(name, n) && !has_control(name, n);
}

int store_staff_add(struct store *s, const char *name, const char *password_hash,
                    const char *school)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!valid_name(name) || !password_hash || !*password_hash || (school && !valid_text(school)))
        return STORE_ERR_INVALID;
    return s->be->staff_add(s, name, password_hash, school, store_today(s));
}

int store_staff_get(struct store *s, const char *name, struct arena *a, struct store_staff *out)
{
    memset(out, 0, sizeof(*out));
    if (!valid_name(name))
        return STORE_ERR_NOT_FOUND;
    return s->be->staff_get(s, name, a, out);
}

int store_staff_set_hash(struct store *s, int64_t staff_id, const char *password_hash)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!password_hash || !*password_hash)
        return STORE_ERR_INVALID;
    return s->be->staff_set_hash(s, staff_id, password_hash);
}

int store_staff_set_throttle(struct store *s, int64_t staff_id, int failed_logins,
                             time_t throttled_until)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    return s->be->staff_set_throttle(s, staff_id, failed_logins, throttled_until);
}

int store_staff_list(struct store *s, time_t now, struct arena *a, struct store_staff_entry **out,
                     size_t *count)
{
    *out = NULL;
    *count = 0;
    return s->be->staff_list(s, now, a, out, count);
}

/* The id of the account named name, for a change to it. */
static int staff_id_of(struct store *s, const char *name, int64_t *id)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct arena a = ARENA_INIT;
    struct store_staff st;
    int rc = store_staff_get(s, name, &a, &st);
    *id = st.id;
    arena_release(&a);
    return rc;
}

int store_staff_remove(struct store *s, const char *name)
{
    int64_t id;
    int rc = staff_id_of(s, name, &id);
    return rc == STORE_OK ? s->be->staff_remove(s, id) : rc;
}

int store_staff_end_sessions(struct store *s, const char *name, int64_t *ended)
{
    int64_t id, n = 0;
    int rc = staff_id_of(s, name, &id);
    if (rc == STORE_OK)
        rc = s->be->staff_end_sessions(s, id, &n);
    if (ended)
        *ended = n;
    return rc;
}

int store_session_create(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                         int64_t staff_id, const char *csrf, time_t now)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!csrf || !*csrf)
        return STORE_ERR_INVALID;
    return s->be->session_create(s, hash, staff_id, csrf, now);
}

int store_session_get(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                      struct arena *a, struct store_session *out)
{
    memset(out, 0, sizeof(*out));
    return s->be->session_get(s, hash, a, out);
}

int store_session_touch(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], time_t now)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    return s->be->session_touch(s, hash, now);
}

int store_session_end(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    return s->be->session_end(s, hash);
}

/* Notes and quotes are masked like pupils' text; themes are tags and only cleaned. */
static const char *masked(struct arena *a, const char *s)
{
    if (!s)
        return "";
    struct buf b;
    buf_init(&b, 8 * strlen(s) + 64);
    survey_clean_text(s, strlen(s), &b);
    const char *r = arena_strndup(a, b.ptr ? b.ptr : "", b.len);
    buf_release(&b);
    return r;
}

/*
 * A focus group as it is written: texts checked and masked into a, the account's name
 * (who recorded or changed it) checked. STORE_ERR_INVALID when a text cannot be stored.
 */
static int fg_clean(const struct store_focus_group *fg, const char *who, struct arena *a,
                    struct store_focus_group *out)
{
    /* 10,000 characters of notes, as the staff page promises, are up to 40,000 bytes. */
    const char *texts[] = {fg->themes, fg->notes, fg->quotes, fg->cohort_code, who};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (texts[i] && (strlen(texts[i]) > 40000 || !utf8_valid(texts[i], strlen(texts[i]))))
            return STORE_ERR_INVALID;
    if (who && !valid_name(who))
        return STORE_ERR_INVALID;
    *out = *fg;
    out->themes = masked(a, fg->themes);
    out->notes = masked(a, fg->notes);
    out->quotes = masked(a, fg->quotes);
    return STORE_OK;
}

int store_focus_group_add(struct store *s, const struct store_focus_group *fg, int64_t *id)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct arena a = ARENA_INIT;
    struct store_focus_group clean;
    int64_t dummy;
    int rc = fg_clean(fg, fg->author, &a, &clean);
    if (rc == STORE_OK)
        rc = s->be->focus_group_add(s, &clean, store_today(s), id ? id : &dummy);
    arena_release(&a);
    return rc;
}

int store_focus_group_update(struct store *s, const struct store_focus_group *fg)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct arena a = ARENA_INIT;
    struct store_focus_group clean;
    int rc = fg_clean(fg, fg->edited_by, &a, &clean);
    if (rc == STORE_OK)
        rc = s->be->focus_group_update(s, &clean, store_today(s));
    arena_release(&a);
    return rc;
}

int store_focus_group_delete(struct store *s, int64_t id)
{
    if (writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    return s->be->focus_group_delete(s, id);
}

int store_focus_groups(struct store *s, struct arena *a, struct store_focus_group **out,
                       size_t *count)
{
    return s->be->focus_groups(s, a, out, count);
}
