/*
 * Staff accounts, their sessions and focus-group notes: argument checks, then statements
 * written once for every backend and run through its write() and read() (see backend.h).
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/backend.h"

/* A staff account's name: 1 to 100 bytes of UTF-8, without control characters. */
static bool valid_name(const char *name)
{
    return store_text_ok(name, 100);
}

int store_staff_add(struct store *s, const char *name, const char *password_hash,
                    const char *school)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!valid_name(name) || !password_hash || !*password_hash ||
        (school && !store_text_ok(school, 200)))
        return STORE_ERR_INVALID;
    /* The school first, made when new; an evaluator has none. */
    struct store_stmt st[] = {
        {.sql = STORE_SCHOOL_SQL, .args = {SA_TEXT(school)}},
        {.sql = "INSERT INTO staff (name, password_hash, created_day, school_id) "
                "VALUES ($1, $2, $3, (SELECT id FROM schools WHERE name = $4))",
         .args = {SA_TEXT(name), SA_TEXT(password_hash), SA_INT(store_today(s)), SA_TEXT(school)}},
    };
    return school ? s->be->write(s, st, 2) : s->be->write(s, &st[1], 1);
}

static bool read_staff(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    struct store_staff *f = elem;
    f->id = store_col_int(&c[0]);
    f->name = store_col_str(a, &c[1]);
    f->password_hash = store_col_str(a, &c[2]);
    f->failed_logins = (int)store_col_int(&c[3]);
    f->throttled_until = (time_t)store_col_int(&c[4]);
    f->school = store_col_str(a, &c[5]);
    return true;
}

int store_staff_get(struct store *s, const char *name, struct arena *a, struct store_staff *out)
{
    memset(out, 0, sizeof(*out));
    if (!valid_name(name))
        return STORE_ERR_NOT_FOUND;
    struct store_stmt q = {
        .sql = "SELECT f.id, f.name, f.password_hash, f.failed_logins, f.throttled_until, "
               "s.name FROM staff f LEFT JOIN schools s ON s.id = f.school_id WHERE f.name = $1",
        .args = {SA_TEXT(name)}};
    return store_read_one(s, &q, read_staff, sizeof(*out), a, out);
}

int store_staff_set_hash(struct store *s, int64_t staff_id, const char *password_hash)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!password_hash || !*password_hash)
        return STORE_ERR_INVALID;
    struct store_stmt st = {.sql = "UPDATE staff SET password_hash = $1 WHERE id = $2",
                            .args = {SA_TEXT(password_hash), SA_INT(staff_id)}};
    return store_write_one(s, &st, true);
}

int store_staff_set_throttle(struct store *s, int64_t staff_id, int failed_logins,
                             time_t throttled_until)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct store_stmt st = {
        .sql = "UPDATE staff SET failed_logins = $1, throttled_until = $2 WHERE id = $3",
        .args = {SA_INT(failed_logins), SA_INT((int64_t)throttled_until), SA_INT(staff_id)}};
    return store_write_one(s, &st, true);
}

int store_staff_set_comments_seen(struct store *s, int64_t staff_id, int day)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct store_stmt st = {.sql = "UPDATE staff SET comments_seen_day = $1 WHERE id = $2",
                            .args = {SA_INT(day), SA_INT(staff_id)}};
    return store_write_one(s, &st, true);
}

static bool read_staff_entry(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    struct store_staff_entry *e = elem;
    e->name = store_col_str(a, &c[0]);
    e->school = store_col_str(a, &c[1]);
    e->sessions = (int)store_col_int(&c[2]);
    return true;
}

int store_staff_list(struct store *s, time_t now, struct arena *a, struct store_staff_entry **out,
                     size_t *count)
{
    struct store_stmt q = {
        .sql = "SELECT f.name, s.name, (SELECT count(*) FROM sessions x "
               "WHERE x.staff_id = f.id AND x.last_seen > $1 AND x.created > $2) "
               "FROM staff f LEFT JOIN schools s ON s.id = f.school_id ORDER BY f.name",
        .args = {SA_INT((int64_t)now - (int64_t)30 * 60),
                 SA_INT((int64_t)now - STORE_SESSION_MAX_AGE)}};
    void *v;
    int rc = store_read_list(s, &q, read_staff_entry, sizeof(**out), a, &v, count);
    *out = v;
    return rc;
}

/* The id of the account named name, for a change to it. */
static int staff_id_of(struct store *s, const char *name, int64_t *id)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct arena a = ARENA_INIT;
    struct store_staff st;
    int rc = store_staff_get(s, name, &a, &st);
    *id = st.id;
    arena_release(&a);
    return rc;
}

/* An account and its sessions go together (the sessions by ON DELETE CASCADE). */
int store_staff_remove(struct store *s, const char *name)
{
    int64_t id;
    int rc = staff_id_of(s, name, &id);
    struct store_stmt st = {.sql = "DELETE FROM staff WHERE id = $1", .args = {SA_INT(id)}};
    return rc == STORE_OK ? store_write_one(s, &st, true) : rc;
}

int store_staff_end_sessions(struct store *s, const char *name, int64_t *ended)
{
    int64_t id;
    int rc = staff_id_of(s, name, &id);
    struct store_stmt st = {.sql = "DELETE FROM sessions WHERE staff_id = $1",
                            .args = {SA_INT(id)}};
    if (rc == STORE_OK)
        rc = store_write_one(s, &st, false);
    if (ended)
        *ended = rc == STORE_OK ? st.changes : 0;
    return rc;
}

int store_session_create(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                         int64_t staff_id, const char *csrf, time_t now)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!csrf || !*csrf)
        return STORE_ERR_INVALID;
    struct store_stmt st = {.sql = "INSERT INTO sessions (token_hash, staff_id, csrf, created, "
                                   "last_seen) VALUES ($1, $2, $3, $4, $4)",
                            .args = {SA_BYTES(hash, STORE_TOKEN_HASH_LEN), SA_INT(staff_id),
                                     SA_TEXT(csrf), SA_INT((int64_t)now)}};
    int rc = store_write_one(s, &st, false);
    /* A refused row means there is no such account. */
    return rc == STORE_ERR_EXISTS ? STORE_ERR_NOT_FOUND : rc;
}

static bool read_session(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    struct store_session *e = elem;
    e->staff_id = store_col_int(&c[0]);
    e->staff_name = store_col_str(a, &c[1]);
    e->csrf = store_col_str(a, &c[2]);
    e->created = (time_t)store_col_int(&c[3]);
    e->last_seen = (time_t)store_col_int(&c[4]);
    e->school = store_col_str(a, &c[5]);
    e->comments_seen_day = c[6].p ? (int)store_col_int(&c[6]) : -1;
    return true;
}

int store_session_get(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                      struct arena *a, struct store_session *out)
{
    memset(out, 0, sizeof(*out));
    struct store_stmt q = {.sql =
                               "SELECT s.staff_id, f.name, s.csrf, s.created, s.last_seen, c.name, "
                               "f.comments_seen_day FROM "
                               "sessions s JOIN staff f ON f.id = s.staff_id "
                               "LEFT JOIN schools c ON c.id = f.school_id WHERE s.token_hash = $1",
                           .args = {SA_BYTES(hash, STORE_TOKEN_HASH_LEN)}};
    return store_read_one(s, &q, read_session, sizeof(*out), a, out);
}

int store_session_touch(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], time_t now)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct store_stmt st = {.sql = "UPDATE sessions SET last_seen = $1 WHERE token_hash = $2",
                            .args = {SA_INT((int64_t)now), SA_BYTES(hash, STORE_TOKEN_HASH_LEN)}};
    return store_write_one(s, &st, true);
}

int store_session_end(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN])
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct store_stmt st = {.sql = "DELETE FROM sessions WHERE token_hash = $1",
                            .args = {SA_BYTES(hash, STORE_TOKEN_HASH_LEN)}};
    return store_write_one(s, &st, false);
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
    if (id)
        *id = 0;
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct arena a = ARENA_INIT;
    struct store_focus_group c = {0};
    int rc = fg_clean(fg, fg->author, &a, &c);
    /* The class is found by its code; a code that names none stores nothing. */
    struct store_stmt st = {
        .sql = "INSERT INTO focus_groups (day, cohort_id, themes, notes, quotes, author, "
               "recorded_day) "
               "SELECT CAST($1 AS INTEGER), c.id, CAST($3 AS TEXT), CAST($4 AS TEXT), "
               "CAST($5 AS TEXT), CAST($6 AS TEXT), CAST($7 AS INTEGER) "
               "FROM (SELECT CAST($2 AS TEXT) AS code) k LEFT JOIN cohorts c ON c.code = k.code "
               "WHERE k.code IS NULL OR c.id IS NOT NULL RETURNING id",
        .args = {SA_INT(c.day), SA_TEXT(c.cohort_code), SA_TEXT(c.themes), SA_TEXT(c.notes),
                 SA_TEXT(c.quotes), SA_TEXT(c.author), SA_INT(store_today(s))}};
    if (rc == STORE_OK)
        rc = store_write_one(s, &st, true);
    if (rc == STORE_OK && id)
        *id = st.returned;
    arena_release(&a);
    return rc;
}

int store_focus_group_update(struct store *s, const struct store_focus_group *fg)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct arena a = ARENA_INIT;
    struct store_focus_group c = {0};
    int rc = fg_clean(fg, fg->edited_by, &a, &c);
    /* Nothing changes when the class code names no class. */
    struct store_stmt st = {
        .sql = "UPDATE focus_groups SET day = $1, "
               "cohort_id = (SELECT id FROM cohorts WHERE code = CAST($2 AS TEXT)), "
               "themes = $3, notes = $4, quotes = $5, edited_by = $6, edited_day = $7 "
               "WHERE id = $8 AND (CAST($2 AS TEXT) IS NULL OR "
               "EXISTS (SELECT 1 FROM cohorts WHERE code = CAST($2 AS TEXT)))",
        .args = {SA_INT(c.day), SA_TEXT(c.cohort_code), SA_TEXT(c.themes), SA_TEXT(c.notes),
                 SA_TEXT(c.quotes), SA_TEXT(c.edited_by), SA_INT(store_today(s)), SA_INT(c.id)}};
    if (rc == STORE_OK)
        rc = store_write_one(s, &st, true);
    arena_release(&a);
    return rc;
}

int store_focus_group_delete(struct store *s, int64_t id)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    struct store_stmt st = {.sql = "DELETE FROM focus_groups WHERE id = $1", .args = {SA_INT(id)}};
    return store_write_one(s, &st, true);
}

static bool read_focus_group(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    struct store_focus_group *g = elem;
    g->id = store_col_int(&c[0]);
    g->day = (int)store_col_int(&c[1]);
    g->cohort_code = store_col_str(a, &c[2]);
    g->themes = store_col_str(a, &c[3]);
    g->notes = store_col_str(a, &c[4]);
    g->quotes = store_col_str(a, &c[5]);
    g->author = store_col_str(a, &c[6]);
    g->recorded_day = (int)store_col_int(&c[7]);
    g->edited_by = store_col_str(a, &c[8]);
    g->edited_day = (int)store_col_int(&c[9]);
    return true;
}

int store_focus_groups(struct store *s, struct arena *a, struct store_focus_group **out,
                       size_t *count)
{
    struct store_stmt q = {.sql = "SELECT f.id, f.day, c.code, f.themes, f.notes, f.quotes, "
                                  "f.author, f.recorded_day, f.edited_by, f.edited_day FROM "
                                  "focus_groups f LEFT JOIN cohorts c ON c.id = f.cohort_id "
                                  "ORDER BY f.day, f.id"};
    void *v;
    int rc = store_read_list(s, &q, read_focus_group, sizeof(**out), a, &v, count);
    *out = v;
    return rc;
}
