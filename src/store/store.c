/*
 * The backend-independent half of the store: argument checks, day arithmetic, answer
 * encoding, survey snapshots, classes and purge as statements every backend runs (see
 * backend.h), and the helpers that run them. Staff accounts, sessions and focus groups are
 * in accounts.c.
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
    struct store *s = NULL;
    int rc = is_postgres_url(where) ? pg_store_new(where, &s, err, err_len)
                                    : sqlite_store_new(where, &s, err, err_len);
    if (rc != STORE_OK)
        return rc;
    /* The same for every backend: the writer, and the one connection that writes. */
    s->mode = mode;
    s->opt = o;
    writer_init(&s->writer, s->be->batch, s, o.max_batch);
    if (mode == STORE_READ_WRITE) {
        rc = s->be->open_writer(s, err, err_len);
        if (rc == STORE_OK && writer_start(&s->writer) != 0) {
            snprintf(err, err_len, "cannot start the writer thread");
            rc = STORE_ERR_IO;
        }
    }
    if (rc == STORE_OK)
        rc = s->be->check_schema(s, err, err_len);
    if (rc != STORE_OK) {
        writer_release(&s->writer);
        s->be->close(s);
        return rc;
    }
    pthread_mutex_init(&s->shelf_mu, NULL);
    s->shelves = NULL;
    pthread_mutex_init(&s->memo_mu, NULL);
    atomic_init(&s->space_checked, 0);
    atomic_init(&s->space_ok, true);
    s->memo = xcalloc(COHORT_MEMO, sizeof(*s->memo));
    s->memo_next = 0;
    s->memo_changes = 0;
    *out = s;
    return STORE_OK;
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
    /* Every queued write is done before the backend closes its connections. */
    writer_release(&s->writer);
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

int store_writable(const struct store *s)
{
    return s->mode == STORE_READ_WRITE ? STORE_OK : STORE_ERR_READ_ONLY;
}

/* ---- statements through the backend (see backend.h) ---- */

int64_t store_col_int(const struct store_col *c)
{
    return c->p ? strtoll(c->p, NULL, 10) : 0;
}

char *store_col_str(struct arena *a, const struct store_col *c)
{
    return c->p ? arena_strndup(a, c->p, c->n) : NULL;
}

/* Elements read so far (store_read_list), in memory of their own until the last row. */
struct elems {
    store_elem_fn *fn;
    size_t size;
    struct arena *a;
    char *v;
    size_t n, cap;
};

static int add_elem(const struct store_col *cols, size_t ncols, void *ctx)
{
    struct elems *e = ctx;
    e->v = xgrow(e->v, &e->cap, e->n + 1, e->size);
    char *elem = e->v + e->n * e->size;
    memset(elem, 0, e->size);
    if (e->fn(cols, ncols, e->a, elem))
        e->n++;
    return 0;
}

int store_read_list(struct store *s, const struct store_stmt *q, store_elem_fn *fn, size_t size,
                    struct arena *a, void **out, size_t *count)
{
    struct elems e = {fn, size, a, NULL, 0, 0};
    int rc = s->be->read(s, q, add_elem, &e);
    *out = NULL;
    *count = 0;
    if (rc == STORE_OK) {
        *out = arena_alloc(a, e.n ? e.n * size : 1);
        if (e.n)
            memcpy(*out, e.v, e.n * size);
        *count = e.n;
    }
    free(e.v);
    return rc;
}

int store_read_one(struct store *s, const struct store_stmt *q, store_elem_fn *fn, size_t size,
                   struct arena *a, void *out)
{
    void *v;
    size_t n;
    int rc = store_read_list(s, q, fn, size, a, &v, &n);
    if (rc == STORE_OK && n == 0)
        return STORE_ERR_NOT_FOUND;
    if (rc == STORE_OK)
        memcpy(out, v, size);
    return rc;
}

static int first_int(const struct store_col *cols, size_t ncols, void *ctx)
{
    *(int64_t *)ctx = ncols ? store_col_int(&cols[0]) : 0;
    return 0;
}

int store_read_int(struct store *s, const struct store_stmt *q, int64_t *out)
{
    *out = 0;
    return s->be->read(s, q, first_int, out);
}

int store_write_one(struct store *s, struct store_stmt *st, bool need_change)
{
    int rc = s->be->write(s, st, 1);
    return rc == STORE_OK && need_change && st->changes == 0 ? STORE_ERR_NOT_FOUND : rc;
}

void store_pool_init(struct store_pool *p, size_t max)
{
    pthread_mutex_init(&p->mu, NULL);
    p->n = 0;
    p->max = max < STORE_POOL_MAX ? max : STORE_POOL_MAX;
}

void *store_pool_take(struct store_pool *p)
{
    pthread_mutex_lock(&p->mu);
    void *c = p->n ? p->idle[--p->n] : NULL;
    pthread_mutex_unlock(&p->mu);
    return c;
}

bool store_pool_give(struct store_pool *p, void *c)
{
    pthread_mutex_lock(&p->mu);
    bool kept = p->n < p->max;
    if (kept)
        p->idle[p->n++] = c;
    pthread_mutex_unlock(&p->mu);
    return kept;
}

void store_pool_release(struct store_pool *p)
{
    pthread_mutex_destroy(&p->mu);
}

/* ---- survey snapshots ---- */

/* A snapshot being stored, and whether the one stored before differs from it. */
struct survey_check {
    const char *body;
    bool *changed;
};

static int body_differs(const struct store_col *cols, size_t ncols, void *ctx)
{
    struct survey_check *c = ctx;
    (void)ncols;
    *c->changed =
        cols[0].p && (cols[0].n != strlen(c->body) || memcmp(cols[0].p, c->body, cols[0].n) != 0);
    return 0;
}

int store_survey_put(struct store *s, const struct survey *sv, bool *changed)
{
    if (changed)
        *changed = false;
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!sv->package_id || !*sv->package_id || !sv->package_version || !*sv->package_version)
        return STORE_ERR_INVALID;
    struct buf b;
    buf_init(&b, STORE_SURVEY_MAX);
    survey_encode(sv, &b);
    /* Stored unless it is already; then it differs only if the package changed meanwhile. */
    struct store_stmt st = {
        .sql = "INSERT INTO surveys (package_id, package_version, body) VALUES ($1, $2, $3) "
               "ON CONFLICT DO NOTHING",
        .args = {SA_TEXT(sv->package_id), SA_TEXT(sv->package_version), SA_TEXT(b.ptr)}};
    int rc = buf_ok(&b) ? s->be->write(s, &st, 1) : STORE_ERR_INVALID;
    if (rc == STORE_OK && st.changes == 0 && changed) {
        st.sql = "SELECT body FROM surveys WHERE package_id = $1 AND package_version = $2";
        st.args[2] = (struct store_arg){0};
        rc = s->be->read(s, &st, body_differs, &(struct survey_check){b.ptr, changed});
    }
    buf_release(&b);
    return rc;
}

static bool read_survey(const struct store_col *cols, size_t ncols, struct arena *a, void *elem)
{
    (void)ncols;
    if (cols[0].p && survey_decode(cols[0].p, cols[0].n, a, elem) == 0)
        return true;
    fprintf(stderr, "planpack: database: a stored survey could not be read; skipped\n");
    return false;
}

int store_surveys(struct store *s, struct arena *a, struct survey **out, size_t *count)
{
    struct store_stmt q = {.sql = "SELECT body FROM surveys ORDER BY package_id, package_version"};
    void *v;
    int rc = store_read_list(s, &q, read_survey, sizeof(**out), a, &v, count);
    *out = v;
    return rc;
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
        rc = store_surveys(s, &sh->a, &sh->all, &sh->count);
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

bool store_text_ok(const char *t, size_t max)
{
    size_t n = t ? strlen(t) : 0;
    return n > 0 && n <= max && utf8_valid(t, n) && !has_control(t, n);
}

/* A label or school name: 1 to 200 bytes of UTF-8, without control characters. */
static bool valid_text(const char *t)
{
    return store_text_ok(t, 200);
}

/* ---- schools and cohorts ---- */

/* Writes the class with a fresh random code; a code can collide with an old one, so it
 * tries again with another. */
static int cohort_insert(struct store *s, const struct store_cohort_spec *spec,
                         char code[WIRE_CODE_LEN + 1])
{
    struct store_stmt st[] = {
        {.sql = STORE_SCHOOL_SQL, .args = {SA_TEXT(spec->school)}},
        {.sql = "INSERT INTO cohorts (code, label, school_id, package_id, package_version, "
                "created_day, expected_size) VALUES ($1, $2, "
                "(SELECT id FROM schools WHERE name = $3), $4, $5, $6, $7) "
                "ON CONFLICT (code) DO NOTHING",
         .args = {SA_TEXT(code), SA_TEXT(spec->label), SA_TEXT(spec->school),
                  SA_TEXT(spec->survey->package_id), SA_TEXT(spec->survey->package_version),
                  SA_INT(store_today(s)),
                  spec->expected_size ? SA_INT(spec->expected_size) : SA_NULL}},
    };
    for (int attempt = 0; attempt < 20; attempt++) {
        survey_code_generate(code);
        int rc = spec->school ? s->be->write(s, st, 2) : s->be->write(s, &st[1], 1);
        if (rc != STORE_OK || st[1].changes == 1)
            return rc;
    }
    return STORE_ERR_IO;
}

int store_cohort_create(struct store *s, const struct store_cohort_spec *spec,
                        char code[WIRE_CODE_LEN + 1])
{
    code[0] = '\0';
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!valid_text(spec->label) || !spec->survey || (spec->school && !valid_text(spec->school)) ||
        spec->expected_size < 0 || spec->expected_size > STORE_CLASS_SIZE_MAX)
        return STORE_ERR_INVALID;
    int rc = store_survey_put(s, spec->survey, NULL);
    if (rc != STORE_OK)
        return rc;
    rc = cohort_insert(s, spec, code);
    if (rc != STORE_OK)
        code[0] = '\0';
    return rc;
}

int store_cohort_answers(struct store *s, int64_t cohort_id, int64_t *count)
{
    struct store_stmt q = {.sql = "SELECT count(*) FROM answers WHERE cohort_id = $1",
                           .args = {SA_INT(cohort_id)}};
    return store_read_int(s, &q, count);
}

static bool read_word(const struct store_col *cols, size_t ncols, struct arena *a, void *elem)
{
    (void)ncols;
    *(const char **)elem = store_col_str(a, &cols[0]);
    return cols[0].p != NULL;
}

int store_pairing_words(struct store *s, int64_t cohort_id, struct arena *a, const char ***out,
                        size_t *count)
{
    struct store_stmt q = {.sql = "SELECT pairing_word FROM answers WHERE cohort_id = $1 AND "
                                  "pairing_word IS NOT NULL",
                           .args = {SA_INT(cohort_id)}};
    void *list = NULL;
    int rc = store_read_list(s, &q, read_word, sizeof(const char *), a, &list, count);
    *out = list;
    return rc;
}

static bool read_served(const struct store_col *cols, size_t ncols, struct arena *a, void *elem)
{
    (void)ncols;
    struct store_served *v = elem;
    v->cohort_id = store_col_int(&cols[0]);
    v->version = store_col_str(a, &cols[1]);
    v->language = store_col_str(a, &cols[2]);
    v->answers = store_col_int(&cols[3]);
    return v->version != NULL;
}

int store_served_versions(struct store *s, struct arena *a, struct store_served **out,
                          size_t *count)
{
    struct store_stmt q = {.sql = "SELECT cohort_id, COALESCE(served_version, package_version), "
                                  "language, count(*) FROM answers GROUP BY 1, 2, 3"};
    void *v = NULL;
    int rc = store_read_list(s, &q, read_served, sizeof(**out), a, &v, count);
    *out = v;
    return rc;
}

#define COHORT_COLUMNS                                                                             \
    "SELECT c.id, c.code, c.label, s.name, c.package_id, c.package_version, c.created_day, "       \
    "c.open, c.expected_size FROM cohorts c LEFT JOIN schools s ON s.id = c.school_id "

static bool read_cohort(const struct store_col *cols, size_t ncols, struct arena *a, void *elem)
{
    (void)ncols;
    struct store_cohort *c = elem;
    c->id = store_col_int(&cols[0]);
    snprintf(c->code, sizeof(c->code), "%.*s", (int)cols[1].n, cols[1].p ? cols[1].p : "");
    c->label = store_col_str(a, &cols[2]);
    c->school = store_col_str(a, &cols[3]);
    c->package_id = store_col_str(a, &cols[4]);
    c->package_version = store_col_str(a, &cols[5]);
    c->created_day = (int)store_col_int(&cols[6]);
    c->open = store_col_int(&cols[7]) != 0;
    c->expected_size = (int)store_col_int(&cols[8]);
    return true;
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
    struct store_stmt q = {.sql = COHORT_COLUMNS "WHERE c.code = $1", .args = {SA_TEXT(code)}};
    int rc = store_read_one(s, &q, read_cohort, sizeof(*out), a, out);
    if (rc == STORE_OK)
        memo_put(s, out, now, changes);
    return rc;
}

int store_cohort_set_open(struct store *s, const char *code, bool open)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!code || strlen(code) != WIRE_CODE_LEN)
        return STORE_ERR_NOT_FOUND;
    struct store_stmt st = {.sql = "UPDATE cohorts SET open = $1 WHERE code = $2",
                            .args = {SA_INT(open), SA_TEXT(code)}};
    int rc = store_write_one(s, &st, true);
    memo_forget(s, code); /* after the change: a read that began before it is not kept */
    return rc;
}

int store_cohorts(struct store *s, struct arena *a, struct store_cohort **out, size_t *count)
{
    struct store_stmt q = {.sql = COHORT_COLUMNS "ORDER BY c.id"};
    void *v;
    int rc = store_read_list(s, &q, read_cohort, sizeof(**out), a, &v, count);
    *out = v;
    return rc;
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
        int part = a[i].part ? wire_part_index(a[i].part) : -1;
        if (strlen(a[i].code) != WIRE_CODE_LEN || !a[i].package_version || !*a[i].package_version ||
            a[i].item_count == 0 ||
            (a[i].pairing_word && strlen(a[i].pairing_word) >= PAIRING_WORD_MAX) ||
            (a[i].part && part < 0) || (a[i].language && strlen(a[i].language) > WIRE_LANG_MAX))
            return STORE_ERR_INVALID;
        survey_answer_encode(&a[i], &bodies[i]);
        if (!buf_ok(&bodies[i]))
            return STORE_ERR_INVALID;
        p[i].code = a[i].code;
        p[i].package_version = a[i].package_version;
        p[i].served_version = a[i].served_version && *a[i].served_version ? a[i].served_version
                                                                          : a[i].package_version;
        p[i].pairing_word = a[i].pairing_word && *a[i].pairing_word ? a[i].pairing_word : NULL;
        /* The static name, which outlives the caller's answer (store_submit_async()). */
        p[i].part = part >= 0 ? wire_when_name((unsigned)part) : NULL;
        p[i].language = a[i].language && *a[i].language ? a[i].language : NULL;
        p[i].body = bodies[i].ptr;
        p[i].body_len = bodies[i].len;
        p[i].day = store_today(s);
    }
    return STORE_OK;
}

static int submit(struct store *s, const struct survey_answer *a, size_t n)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (n == 0)
        return STORE_OK;
    struct store_pending *p = xcalloc(n, sizeof(*p));
    struct buf *bodies = xcalloc(n, sizeof(*bodies));
    int *rcs = xcalloc(n, sizeof(*rcs));
    int rc = prepare(s, a, n, p, bodies);
    if (rc == STORE_OK) {
        /* One job: the answers are stored in one transaction, all or none. */
        struct writer_job *j = xcalloc(1, s->be->answers_job_size);
        s->be->answers_job(j, p, n, rcs);
        rc = writer_submit(&s->writer, j);
        free(j);
    }
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
    free(req->served_version);
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

/*
 * Queues req's answer as the backend's job, without waiting: once its transaction has ended,
 * the writer thread tells req's submitter its status and frees the job and req. Returns as
 * writer_enqueue(); on failure req stays the caller's.
 */
static int async_enqueue(struct store *s, struct store_async *req)
{
    struct writer_job *j = xcalloc(1, s->be->answers_job_size);
    s->be->answers_job(j, &req->p, 1, &req->rc);
    j->finished = async_finished;
    j->ctx = req;
    int rc = writer_enqueue(&s->writer, j);
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
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!disk_has_room(s))
        return STORE_ERR_NO_SPACE;
    struct store_async *req = xcalloc(1, sizeof(*req));
    int rc = prepare(s, a, 1, &req->p, &req->body);
    if (rc == STORE_OK) {
        /* The answer is the caller's only until this returns. */
        memcpy(req->code, a->code, sizeof(req->code));
        req->package_version = xstrdup(a->package_version);
        req->served_version = xstrdup(req->p.served_version);
        req->p.code = req->code;
        req->p.package_version = req->package_version;
        req->p.served_version = req->served_version;
        if (req->p.pairing_word) {
            memcpy(req->pairing_word, req->p.pairing_word, strlen(req->p.pairing_word) + 1);
            req->p.pairing_word = req->pairing_word;
        }
        if (req->p.language) {
            memcpy(req->language, req->p.language, strlen(req->p.language) + 1);
            req->p.language = req->language;
        }
        req->done = done;
        req->ctx = ctx;
        rc = async_enqueue(s, req);
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
    struct store_stmt q = {.sql = "SELECT count(*) FROM answers"};
    return store_read_int(s, &q, count);
}

int store_purge(struct store *s, int days, struct store_purged *deleted)
{
    struct store_purged dummy;
    if (!deleted)
        deleted = &dummy;
    *deleted = (struct store_purged){0};
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (days < 0 || days > 100000)
        return STORE_ERR_INVALID;
    /* Focus groups go by the day they were recorded, whatever meeting day was typed. */
    int64_t before_day = store_today(s) - days;
    struct store_stmt st[] = {
        {.sql = "DELETE FROM answers WHERE day < $1", .args = {SA_INT(before_day)}},
        {.sql = "DELETE FROM focus_groups WHERE recorded_day < $1", .args = {SA_INT(before_day)}},
        {.sql = "DELETE FROM sessions WHERE created < $1",
         .args = {SA_INT((int64_t)store_now(s) - STORE_SESSION_MAX_AGE)}},
    };
    int rc = s->be->write(s, st, sizeof(st) / sizeof(st[0]));
    if (rc != STORE_OK)
        return rc;
    *deleted = (struct store_purged){st[0].changes, st[1].changes, st[2].changes};
    /* The rows are gone from every query; now from the database's files as far as it can. */
    return s->be->compact(s);
}
