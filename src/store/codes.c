/*
 * The evaluators' themes and the codes staff give comments and focus groups (see store.h):
 * argument checks, then statements written once for every backend (see backend.h).
 */
#include "store/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/xalloc.h"
#include "store/backend.h"

/* A description may be empty; a name may not. */
static bool description_ok(const char *d)
{
    return !d || !*d || store_text_ok(d, STORE_THEME_DESCRIPTION_MAX);
}

int store_theme_add(struct store *s, const char *name, const char *description, int64_t *id)
{
    if (id)
        *id = 0;
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!store_text_ok(name, STORE_THEME_NAME_MAX) || !description_ok(description))
        return STORE_ERR_INVALID;
    /* The cap is checked in the insert itself, so two evaluators adding at once keep to it. */
    struct store_stmt st = {
        .sql = "INSERT INTO themes (name, description) SELECT CAST($1 AS TEXT), CAST($2 AS TEXT) "
               "WHERE (SELECT count(*) FROM themes) < $3 RETURNING id",
        .args = {SA_TEXT(name), SA_TEXT(description ? description : ""), SA_INT(STORE_THEMES_MAX)}};
    int rc = store_write_one(s, &st, true);
    if (rc == STORE_ERR_NOT_FOUND)
        return STORE_ERR_FULL;
    if (rc == STORE_OK && id)
        *id = st.returned;
    return rc;
}

int store_theme_update(struct store *s, int64_t id, const char *name, const char *description,
                       bool retired)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    if (!store_text_ok(name, STORE_THEME_NAME_MAX) || !description_ok(description))
        return STORE_ERR_INVALID;
    struct store_stmt st = {
        .sql = "UPDATE themes SET name = $1, description = $2, retired = $3 WHERE id = $4",
        .args = {SA_TEXT(name), SA_TEXT(description ? description : ""), SA_INT(retired),
                 SA_INT(id)}};
    return store_write_one(s, &st, true);
}

static bool read_theme(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    struct store_theme *t = elem;
    t->id = store_col_int(&c[0]);
    t->name = store_col_str(a, &c[1]);
    t->description = store_col_str(a, &c[2]);
    t->retired = store_col_int(&c[3]) != 0;
    if (!t->description)
        t->description = "";
    return t->name != NULL;
}

int store_themes(struct store *s, struct arena *a, struct store_theme **out, size_t *count)
{
    struct store_stmt q = {.sql = "SELECT id, name, description, retired FROM themes "
                                  "ORDER BY retired, name, id"};
    void *v;
    int rc = store_read_list(s, &q, read_theme, sizeof(**out), a, &v, count);
    *out = v;
    return rc;
}

/* ---- codes ---- */

/* One row of the union read by store_codes(): a theme (page NULL) or a page (theme 0). */
struct code_row {
    int64_t answer_id;
    const char *question_id;
    int64_t focus_group_id;
    int64_t theme_id;
    const char *page_id;
};

static bool read_code_row(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    struct code_row *r = elem;
    r->answer_id = store_col_int(&c[0]);
    r->question_id = store_col_str(a, &c[1]);
    r->focus_group_id = store_col_int(&c[2]);
    r->theme_id = store_col_int(&c[3]);
    r->page_id = store_col_str(a, &c[4]);
    return r->answer_id ? r->question_id != NULL : r->focus_group_id != 0;
}

static bool same_subject(const struct store_code *c, const struct code_row *r)
{
    return c->answer_id == r->answer_id && c->focus_group_id == r->focus_group_id &&
           (!c->question_id || strcmp(c->question_id, r->question_id) == 0);
}

int store_codes(struct store *s, struct arena *a, struct store_code **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    /* Rows of one comment or focus group come together, its themes in order. */
    struct store_stmt q = {
        .sql = "SELECT answer_id, question_id, 0, theme_id, CAST(NULL AS TEXT) "
               "FROM comment_themes "
               "UNION ALL SELECT answer_id, question_id, 0, 0, page_id FROM comment_pages "
               "UNION ALL SELECT 0, CAST(NULL AS TEXT), focus_group_id, theme_id, "
               "CAST(NULL AS TEXT) FROM focus_group_themes "
               "UNION ALL SELECT 0, CAST(NULL AS TEXT), focus_group_id, 0, page_id "
               "FROM focus_group_pages "
               "ORDER BY 3, 1, 2, 4"};
    void *v;
    size_t n;
    struct arena tmp = ARENA_INIT;
    int rc = store_read_list(s, &q, read_code_row, sizeof(struct code_row), &tmp, &v, &n);
    if (rc != STORE_OK)
        goto out;
    const struct code_row *rows = v;
    struct store_code *codes = arena_alloc(a, (n ? n : 1) * sizeof(*codes));
    size_t nc = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, themes = 0;
        struct store_code *c = &codes[nc++];
        *c = (struct store_code){
            .answer_id = rows[i].answer_id,
            .question_id = rows[i].question_id ? arena_strdup(a, rows[i].question_id) : NULL,
            .focus_group_id = rows[i].focus_group_id};
        for (; j < n && same_subject(c, &rows[j]); j++)
            themes += rows[j].theme_id != 0;
        c->themes = arena_alloc(a, (themes ? themes : 1) * sizeof(*c->themes));
        for (; i < j; i++) {
            if (rows[i].theme_id)
                c->themes[c->theme_count++] = rows[i].theme_id;
            else
                c->page_id = arena_strdup(a, rows[i].page_id);
        }
    }
    *out = codes;
    *count = nc;
out:
    arena_release(&tmp);
    return rc;
}

/* A comment's statements: themes in use and page cleared, then each theme and the page
 * written where the answer and the theme still exist. */
static const char *const comment_sql[] = {
    "DELETE FROM comment_themes WHERE answer_id = $1 AND question_id = $2 AND "
    "theme_id IN (SELECT id FROM themes WHERE retired = 0)",
    "DELETE FROM comment_pages WHERE answer_id = $1 AND question_id = $2",
    "INSERT INTO comment_themes (answer_id, question_id, theme_id) "
    "SELECT a.id, CAST($2 AS TEXT), t.id FROM answers a, themes t "
    "WHERE a.id = $1 AND t.id = $3 AND t.retired = 0 ON CONFLICT DO NOTHING",
    "INSERT INTO comment_pages (answer_id, question_id, page_id) "
    "SELECT a.id, CAST($2 AS TEXT), CAST($3 AS TEXT) FROM answers a WHERE a.id = $1",
};

/* The same for a focus group ($2 unused, so that both take the same arguments). */
static const char *const focus_sql[] = {
    "DELETE FROM focus_group_themes WHERE focus_group_id = $1 AND CAST($2 AS TEXT) IS NULL AND "
    "theme_id IN (SELECT id FROM themes WHERE retired = 0)",
    "DELETE FROM focus_group_pages WHERE focus_group_id = $1 AND CAST($2 AS TEXT) IS NULL",
    "INSERT INTO focus_group_themes (focus_group_id, theme_id) "
    "SELECT f.id, t.id FROM focus_groups f, themes t "
    "WHERE f.id = $1 AND CAST($2 AS TEXT) IS NULL AND t.id = $3 AND t.retired = 0 "
    "ON CONFLICT DO NOTHING",
    "INSERT INTO focus_group_pages (focus_group_id, page_id) "
    "SELECT f.id, CAST($3 AS TEXT) FROM focus_groups f "
    "WHERE f.id = $1 AND CAST($2 AS TEXT) IS NULL",
};

static bool code_ok(const struct store_code *c)
{
    if (c->theme_count > STORE_CODE_THEMES_MAX || (c->page_id && !store_text_ok(c->page_id, 200)))
        return false;
    if (c->answer_id)
        return !c->focus_group_id && store_text_ok(c->question_id, 200);
    return c->focus_group_id && !c->question_id;
}

int store_codes_set(struct store *s, const struct store_code *v, size_t n)
{
    if (store_writable(s) != STORE_OK)
        return STORE_ERR_READ_ONLY;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!code_ok(&v[i]))
            return STORE_ERR_INVALID;
        total += 2 + v[i].theme_count + (v[i].page_id != NULL);
    }
    if (!total)
        return STORE_OK;
    struct store_stmt *st = xcalloc(total, sizeof(*st));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct store_code *c = &v[i];
        const char *const *sql = c->answer_id ? comment_sql : focus_sql;
        int64_t id = c->answer_id ? c->answer_id : c->focus_group_id;
        struct store_arg who = SA_INT(id), question = SA_TEXT(c->question_id);
        st[k++] = (struct store_stmt){.sql = sql[0], .args = {who, question}};
        st[k++] = (struct store_stmt){.sql = sql[1], .args = {who, question}};
        for (size_t j = 0; j < c->theme_count; j++)
            st[k++] =
                (struct store_stmt){.sql = sql[2], .args = {who, question, SA_INT(c->themes[j])}};
        if (c->page_id)
            st[k++] =
                (struct store_stmt){.sql = sql[3], .args = {who, question, SA_TEXT(c->page_id)}};
    }
    int rc = s->be->write(s, st, k);
    free(st);
    return rc;
}

/* ---- the database's secret ---- */

static bool read_secret(const struct store_col *c, size_t n, struct arena *a, void *elem)
{
    (void)n;
    (void)a;
    unsigned char *out = elem;
    size_t len = 0;
    return c[0].p && sodium_hex2bin(out, STORE_SECRET_LEN, c[0].p, c[0].n, NULL, &len, NULL) == 0 &&
           len == STORE_SECRET_LEN;
}

int store_secret(struct store *s, unsigned char out[STORE_SECRET_LEN])
{
    struct store_stmt q = {.sql = "SELECT value FROM secrets WHERE name = 'staff'"};
    struct arena a = ARENA_INIT;
    int rc = store_read_one(s, &q, read_secret, STORE_SECRET_LEN, &a, out);
    if (rc == STORE_ERR_NOT_FOUND && store_writable(s) == STORE_OK) {
        /* The first process to write it wins; every other reads what it wrote. */
        unsigned char key[STORE_SECRET_LEN];
        char hex[2 * STORE_SECRET_LEN + 1];
        randombytes_buf(key, sizeof(key));
        const char *value = sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
        struct store_stmt st = {.sql = "INSERT INTO secrets (name, value) VALUES ('staff', $1) "
                                       "ON CONFLICT DO NOTHING",
                                .args = {SA_TEXT(value)}};
        rc = store_write_one(s, &st, false);
        sodium_memzero(key, sizeof(key));
        if (rc == STORE_OK)
            rc = store_read_one(s, &q, read_secret, STORE_SECRET_LEN, &a, out);
    }
    arena_release(&a);
    return rc;
}
