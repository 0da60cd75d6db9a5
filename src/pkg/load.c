/*
 * The package loader: package.yaml and each listed pages/<id>.md, read into the model.
 *
 * Everything that can be seen in one file at a time is reported here, every problem and
 * not only the first: YAML syntax, unknown keys, missing or mistyped values, ids of the
 * wrong form, and duplicate ids across the package. Whole-package checks (links, images,
 * story paths, reading age) are in check.c.
 */
#include "pkg/pkg.h"
#include "pkg/internal.h"
#include "pkg/svg.h"
#include "pkg/yamltree.h"
#include "base/reserved.h"
#include "survey/wire.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/form.h"
#include "base/xalloc.h"

/* Page ids are checked where package.yaml lists them; these are the others. */
enum id_kind {
    ID_STEP,
    ID_CHARACTER,
    ID_GROUP,
    ID_QUESTION,
    ID_STRATEGY,
    ID_REPLY,
    ID_SECTION,
    ID_SURVEY,
    ID_OPTION,
    ID_SUPPORT,
    ID_ADDRESS,
};

static const char *const id_kind_names[] = {
    "step",         "character",       "question group", "question",      "strategy", "reply",
    "plan section", "survey question", "option",         "support entry", "address",
};

/* One id as written, kept until the end of loading to find duplicates in one sort. */
struct id_use {
    enum id_kind kind;
    const void *scope; /* NULL: unique in the package; else unique within this item */
    const char *id;
    const char *file;
    int line;
    size_t order;
    const char *what;  /* addresses: what has this address */
    const void *owner; /* addresses: the page it belongs to */
};

/* A key that "did you mean" offered for a misspelt one, so its absence is not reported too. */
struct suggested {
    const struct ynode *map;
    const char *key;
    struct suggested *next;
};

struct loader {
    struct pkg_impl *impl;
    struct pkg *p;
    struct arena *a;  /* the package's: what the model keeps */
    struct arena tmp; /* YAML trees and message parts, freed when loading ends */
    const struct fileset *fs;
    struct diag_list *diags;
    const char *file; /* the file being read */
    struct id_use *ids;
    size_t id_count;
    size_t id_cap;
    struct suggested *suggested;
};

static const char *const page_kind_names[] = {
    "text", "story", "questions", "strategies", "plan", "support", "survey", "lesson", "letter"};
static const char *const audience_names[] = {"pupil", "parent", "teacher"};
static const char *const plan_kind_names[] = {"strategies", "replies",  "words",
                                              "adults",     "contacts", "text"};
static const char *const survey_type_names[WIRE_TYPE_COUNT] = WIRE_TYPE_NAMES;
static const char *const survey_when_names[WIRE_WHEN_COUNT] = WIRE_WHEN_NAMES;
static const char *const slide_kind_names[] = {"title", "text", "story",   "questions",
                                               "ways",  "plan", "support", "feedback"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A kind added to pkg.h without its name here would be read as another; the build stops. */
_Static_assert(COUNT(page_kind_names) == PAGE_LETTER + 1, "a name for every page kind");
_Static_assert(COUNT(audience_names) == AUDIENCE_TEACHER + 1, "a name for every audience");
_Static_assert(COUNT(plan_kind_names) == PLAN_TEXT + 1, "a name for every plan section kind");
_Static_assert(COUNT(slide_kind_names) == SLIDE_FEEDBACK + 1, "a name for every slide kind");

static void report(struct loader *L, enum diag_severity sev, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct loader *L, enum diag_severity sev, int line, const char *fmt, ...)
{
    struct buf b;
    buf_init(&b, 2048);
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    diag_add(L->diags, sev, L->file, line, "%s", b.ptr ? b.ptr : "");
    buf_release(&b);
}

#define ERR(L, line, ...) report((L), DIAG_ERROR, (line), __VA_ARGS__)
#define WARN(L, line, ...) report((L), DIAG_WARNING, (line), __VA_ARGS__)

/* "strategy 'humour'" when the id is known, else "a strategy". */
static const char *subject(struct loader *L, const char *noun, const char *id)
{
    if (id)
        return arena_printf(&L->tmp, "%s '%s'", noun, id);
    bool vowel = strchr("aeiou", noun[0]) != NULL;
    return arena_printf(&L->tmp, "%s %s", vowel ? "an" : "a", noun);
}

static void join_names(struct buf *b, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n && names[i]; i++)
        buf_addf(b, "%s%s", i ? ", " : "", names[i]);
}

static int find_name(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

/* Reports an unknown value among names: "unknown WHAT 'x'; did you mean 'y'? (WHATs: ...)". */
static void report_unknown_name(struct loader *L, int line, const char *what, const char *value,
                                const char *const *names, size_t n)
{
    struct suggest sg;
    suggest_init(&sg, value);
    for (size_t i = 0; i < n; i++)
        suggest_try(&sg, names[i]);
    struct buf list;
    buf_init(&list, 1024);
    join_names(&list, names, n);
    if (sg.best)
        ERR(L, line, "unknown %s '%s'; did you mean '%s'? (one of: %s)", what, value, sg.best,
            list.ptr);
    else
        ERR(L, line, "unknown %s '%s' (one of: %s)", what, value, list.ptr);
    buf_release(&list);
}

static void note_id(struct loader *L, enum id_kind kind, const void *scope, const char *id,
                    int line, const char *what, const void *owner)
{
    if (!id)
        return;
    XGROW(L->ids, L->id_cap, L->id_count + 1);
    L->ids[L->id_count] = (struct id_use){kind, scope, id, L->file, line, L->id_count, what, owner};
    L->id_count++;
}

/* ---- reading values ---- */

static bool scalar_blank(const struct ynode *v)
{
    if (v->kind != YNODE_SCALAR)
        return false;
    if (v->plain && (strcmp(v->str, "~") == 0 || strcasecmp(v->str, "null") == 0))
        return true;
    for (size_t i = 0; i < v->len; i++)
        if (v->str[i] != ' ' && v->str[i] != '\t' && v->str[i] != '\n' && v->str[i] != '\r')
            return false;
    return true;
}

static void note_suggested(struct loader *L, const struct ynode *map, const char *key)
{
    struct suggested *s = arena_alloc(&L->tmp, sizeof(*s));
    *s = (struct suggested){map, key, L->suggested};
    L->suggested = s;
}

static bool was_suggested(const struct loader *L, const struct ynode *map, const char *key)
{
    for (const struct suggested *s = L->suggested; s; s = s->next)
        if (s->map == map && strcmp(s->key, key) == 0)
            return true;
    return false;
}

/* Reports each key of map that is not in known (a NULL-terminated list). */
static void check_keys(struct loader *L, const struct ynode *map, const char *const *known,
                       const char *where)
{
    for (const struct ynode *m = map->first; m; m = m->next) {
        bool found = false;
        for (size_t i = 0; known[i]; i++)
            if (strcmp(known[i], m->key) == 0)
                found = true;
        if (found)
            continue;
        struct suggest sg;
        suggest_init(&sg, m->key);
        for (size_t i = 0; known[i]; i++)
            suggest_try(&sg, known[i]);
        if (sg.best) {
            ERR(L, m->key_line, "unknown key '%s' in %s; did you mean '%s'?", m->key, where,
                sg.best);
            note_suggested(L, map, sg.best);
        } else {
            struct buf list;
            buf_init(&list, 1024);
            for (size_t i = 0; known[i]; i++)
                buf_addf(&list, "%s%s", i ? ", " : "", known[i]);
            ERR(L, m->key_line, "unknown key '%s' in %s (known keys: %s)", m->key, where, list.ptr);
            buf_release(&list);
        }
    }
}

/* A text value, copied into the package; NULL when absent or blank (reported if required). */
static const char *get_text(struct loader *L, const struct ynode *map, const char *key,
                            bool required, const char *subj)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v) {
        if (required && !was_suggested(L, map, key))
            ERR(L, map->line, "%s has no '%s'", subj, key);
        return NULL;
    }
    if (v->kind != YNODE_SCALAR) {
        ERR(L, v->line, "'%s' should be text, not %s", key, ytree_kind_name(v));
        return NULL;
    }
    if (scalar_blank(v)) {
        if (required)
            ERR(L, v->line, "'%s' is empty", key);
        return NULL;
    }
    return arena_strndup(L->a, v->str, v->len);
}

/* The line of a member's value, or of the map when the member is absent. */
static int line_of(const struct ynode *map, const char *key)
{
    const struct ynode *v = ytree_get(map, key);
    return v ? v->line : map->line;
}

static bool get_bool(struct loader *L, const struct ynode *map, const char *key)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v)
        return false;
    if (v->kind == YNODE_SCALAR && v->plain) {
        if (strcasecmp(v->str, "true") == 0 || strcasecmp(v->str, "yes") == 0)
            return true;
        if (strcasecmp(v->str, "false") == 0 || strcasecmp(v->str, "no") == 0)
            return false;
    }
    ERR(L, v->line, "'%s' should be true or false, not %s%s%s", key,
        v->kind == YNODE_SCALAR ? "'" : "", v->kind == YNODE_SCALAR ? v->str : ytree_kind_name(v),
        v->kind == YNODE_SCALAR ? "'" : "");
    return false;
}

/* A list value; NULL when absent or empty (reported if required). */
static const struct ynode *get_list(struct loader *L, const struct ynode *map, const char *key,
                                    bool required, const char *subj)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v || scalar_blank(v)) {
        if (required && !(v == NULL && was_suggested(L, map, key)))
            ERR(L, v ? v->line : map->line, "%s has no '%s'", subj, key);
        return NULL;
    }
    if (v->kind != YNODE_SEQ) {
        ERR(L, v->line, "'%s' should be a list (lines starting with '- '), not %s", key,
            ytree_kind_name(v));
        return NULL;
    }
    if (v->count == 0) {
        if (required)
            ERR(L, v->line, "'%s' is an empty list", key);
        return NULL;
    }
    return v;
}

/* Whether a list item is a set of keys; reports it when not. */
static bool item_is_map(struct loader *L, const struct ynode *item, const char *list_key,
                        const char *example)
{
    if (item->kind == YNODE_MAP)
        return true;
    ERR(L, item->line, "each item of '%s' should be a set of keys (like '%s'), not %s", list_key,
        example, ytree_kind_name(item));
    return false;
}

/* A required id: checked for form and noted for the duplicate check. */
static const char *get_id(struct loader *L, const struct ynode *map, const char *noun,
                          enum id_kind kind, const void *scope)
{
    const char *id = get_text(L, map, "id", true, subject(L, noun, NULL));
    if (!id)
        return NULL;
    int line = line_of(map, "id");
    if (!pkg_id_valid(id)) {
        ERR(L, line,
            "'%s' is not a valid id: use lower-case letters, digits and single hyphens, "
            "starting with a letter (at most %d characters), e.g. 'say-no'",
            id, PKG_ID_MAX);
        return id;
    }
    note_id(L, kind, scope, id, line, NULL, NULL);
    return id;
}

static void *alloc_items(struct loader *L, const struct ynode *list, size_t size)
{
    return arena_alloc(L->a, (list ? list->count : 0) * size + 1);
}

static struct diag_loc here(struct loader *L, int line)
{
    return (struct diag_loc){L->file, line};
}

/* ---- package.yaml ---- */

static const char *const package_keys[] = {"id",       "title",     "version",     "language",
                                           "audience", "publisher", "reading_age", "exit_url",
                                           "pages",    "support",   "changes",     NULL};
static const char *const support_keys[] = {"id",   "name",  "for",    "phone",   "sms",       "url",
                                           "chat", "hours", "source", "checked", "emergency", NULL};
static const char *const change_keys[] = {"version", "date", "items", NULL};

bool pkg_language_valid(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z'))
        n++;
    if (n < 2 || n > 3)
        return false;
    s += n;
    while (*s == '-') {
        s++;
        n = 0;
        while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
               (s[n] >= '0' && s[n] <= '9'))
            n++;
        if (n < 1 || n > 8)
            return false;
        s += n;
    }
    return *s == '\0';
}

static void check_https(struct loader *L, const struct ynode *map, const char *key,
                        const char *value)
{
    if (value && !pkg_https_url_valid(value))
        ERR(L, line_of(map, key),
            "'%s' is not a web address planpack can use: it must start with https:// and a "
            "host name, e.g. https://www.childline.org.uk/",
            value);
}

static void check_date(struct loader *L, const struct ynode *map, const char *key,
                       const char *value)
{
    if (value && !pkg_date_valid(value))
        ERR(L, line_of(map, key), "'%s' is not a real date written YYYY-MM-DD, e.g. 2024-09-01",
            value);
}

static void load_support(struct loader *L, const struct ynode *list)
{
    struct pkg *p = L->p;
    p->support = alloc_items(L, list, sizeof(*p->support));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "support", "id: childline"))
            continue;
        check_keys(L, item, support_keys, "a support entry");
        struct pkg_support *s = &p->support[p->support_count++];
        s->loc = here(L, item->line);
        s->id = get_id(L, item, "support entry", ID_SUPPORT, NULL);
        const char *subj = subject(L, "support entry", s->id);
        s->name = get_text(L, item, "name", true, subj);
        s->about = get_text(L, item, "for", true, subj);
        s->phone = get_text(L, item, "phone", false, subj);
        s->sms = get_text(L, item, "sms", false, subj);
        s->url = get_text(L, item, "url", false, subj);
        s->chat = get_text(L, item, "chat", false, subj);
        s->hours = get_text(L, item, "hours", false, subj);
        s->source = get_text(L, item, "source", true, subj);
        s->checked = get_text(L, item, "checked", true, subj);
        s->emergency = get_bool(L, item, "emergency");
        if (s->phone) {
            char tel[32];
            if (pkg_phone_normalise(s->phone, tel, sizeof(tel)))
                s->tel = arena_strdup(L->a, tel);
            else
                ERR(L, line_of(item, "phone"),
                    "'%s' is not a UK phone number planpack recognises: write it as it is "
                    "dialled, in digits and spaces, e.g. 0800 1111, 999, 116 123 or "
                    "0808 800 5000",
                    s->phone);
        }
        if (s->sms && !pkg_sms_valid(s->sms))
            ERR(L, line_of(item, "sms"),
                "'%s' is not a number to text: use 5 to 11 digits, e.g. 85258", s->sms);
        check_https(L, item, "url", s->url);
        check_https(L, item, "chat", s->chat);
        check_https(L, item, "source", s->source);
        check_date(L, item, "checked", s->checked);
        if (!s->phone && !s->sms && !s->url && !s->chat)
            ERR(L, item->line,
                "%s gives no way to get in touch: add a 'phone', 'sms', 'url' or 'chat'", subj);
    }
}

static void load_changes(struct loader *L, const struct ynode *list)
{
    struct pkg *p = L->p;
    p->changes = alloc_items(L, list, sizeof(*p->changes));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "changes", "version: 1.0.0"))
            continue;
        check_keys(L, item, change_keys, "a change");
        struct pkg_change *c = &p->changes[p->change_count++];
        c->loc = here(L, item->line);
        c->version = get_text(L, item, "version", true, "a change");
        c->date = get_text(L, item, "date", true, "a change");
        if (c->version && !pkg_version_valid(c->version))
            ERR(L, line_of(item, "version"),
                "'%s' is not a version number: use MAJOR.MINOR.PATCH, e.g. 1.0.0", c->version);
        check_date(L, item, "date", c->date);
        const struct ynode *items = get_list(L, item, "items", true, "a change");
        if (!items)
            continue;
        c->items = alloc_items(L, items, sizeof(*c->items));
        for (const struct ynode *t = items->first; t; t = t->next) {
            if (t->kind != YNODE_SCALAR || scalar_blank(t)) {
                ERR(L, t->line,
                    "each item of 'items' should be a line of text saying what "
                    "changed");
                continue;
            }
            c->items[c->item_count++] = arena_strndup(L->a, t->str, t->len);
        }
    }
}

static void load_reading_age(struct loader *L, const struct ynode *root)
{
    L->p->reading_age = 11;
    const struct ynode *v = ytree_get(root, "reading_age");
    if (!v) {
        ERR(L, root->line, "package.yaml has no 'reading_age'");
        return;
    }
    if (v->kind == YNODE_SCALAR && v->len > 0 && v->len < 16) {
        char *end = NULL;
        double d = strtod(v->str, &end);
        if (end && *end == '\0' && isfinite(d) && d >= 7 && d <= 18) {
            L->p->reading_age = d;
            return;
        }
    }
    ERR(L, v->line, "'reading_age' should be a number of years from 7 to 18%s%s%s",
        v->kind == YNODE_SCALAR ? ", not '" : "", v->kind == YNODE_SCALAR ? v->str : "",
        v->kind == YNODE_SCALAR ? "'" : "");
}

/* Reads package.yaml; returns its tree, or NULL when it cannot be read as a set of keys. */
static const struct ynode *load_manifest(struct loader *L, const struct file_entry *e)
{
    struct pkg *p = L->p;
    L->file = "package.yaml";
    if (e->len > PKG_MAX_YAML_BYTES) {
        ERR(L, 1, "package.yaml is larger than %zu bytes, the most allowed", PKG_MAX_YAML_BYTES);
        return NULL;
    }
    const struct ynode *root =
        ytree_parse(&L->tmp, (const char *)e->data, e->len, 1, L->file, L->diags);
    if (!root)
        return NULL;
    if (root->kind != YNODE_MAP) {
        ERR(L, root->line,
            "package.yaml should be a set of keys such as 'id: my-package' and 'title: ...', "
            "not %s",
            ytree_kind_name(root));
        return NULL;
    }
    check_keys(L, root, package_keys, "package.yaml");
    p->id = get_text(L, root, "id", true, "package.yaml");
    if (p->id && !pkg_id_valid(p->id))
        ERR(L, line_of(root, "id"),
            "'%s' is not a valid id: use lower-case letters, digits and single hyphens, "
            "starting with a letter (at most %d characters), e.g. 'say-no'",
            p->id, PKG_ID_MAX);
    p->title = get_text(L, root, "title", true, "package.yaml");
    p->version = get_text(L, root, "version", true, "package.yaml");
    if (p->version && !pkg_version_valid(p->version))
        ERR(L, line_of(root, "version"),
            "'%s' is not a version number: use MAJOR.MINOR.PATCH, e.g. 1.0.0", p->version);
    p->language = get_text(L, root, "language", true, "package.yaml");
    if (p->language && !pkg_language_valid(p->language))
        ERR(L, line_of(root, "language"), "'%s' is not a language tag: use one such as en-GB or cy",
            p->language);
    p->audience = get_text(L, root, "audience", true, "package.yaml");
    p->publisher = get_text(L, root, "publisher", false, "package.yaml");
    load_reading_age(L, root);
    p->exit_url = get_text(L, root, "exit_url", false, "package.yaml");
    check_https(L, root, "exit_url", p->exit_url);
    const struct ynode *support = get_list(L, root, "support", false, "package.yaml");
    if (support)
        load_support(L, support);
    const struct ynode *changes = get_list(L, root, "changes", false, "package.yaml");
    if (changes)
        load_changes(L, changes);
    return root;
}

/* ---- pages ---- */

static const char *const common_keys[] = {"title", "nav_title", "summary", "kind", "audience"};
/* The keys each kind adds, indexed by enum pkg_page_kind. */
static const char *const kind_keys[][3] = {
    [PAGE_TEXT] = {NULL},
    [PAGE_STORY] = {"characters", "steps", NULL},
    [PAGE_QUESTIONS] = {"groups", NULL},
    [PAGE_STRATEGIES] = {"strategies", NULL},
    [PAGE_PLAN] = {"sections", NULL},
    [PAGE_SUPPORT] = {NULL},
    [PAGE_SURVEY] = {"questions", NULL},
    [PAGE_LESSON] = {"slides", NULL},
    [PAGE_LETTER] = {NULL},
};
_Static_assert(COUNT(kind_keys) == PAGE_LETTER + 1, "the keys of every page kind");

static const char *const character_keys[] = {"id", "name", "me", NULL};
static const char *const step_keys[] = {"id",      "title",  "messages", "text",
                                        "choices", "ending", NULL};
static const char *const message_keys[] = {"from", "text", NULL};
static const char *const choice_keys[] = {"text", "next", NULL};
static const char *const group_keys[] = {"id", "title", "questions", NULL};
static const char *const question_keys[] = {"id", "text", "hint", NULL};
static const char *const strategy_keys[] = {"id",  "title",   "summary", "when",
                                            "how", "replies", NULL};
static const char *const reply_keys[] = {"id", "text", "image", "alt", NULL};
static const char *const section_keys[] = {"id", "title", "kind", "prompt", NULL};
static const char *const survey_keys[] = {"id",      "type",       "when", "text",
                                          "options", "max_length", NULL};
static const char *const option_keys[] = {"id", "label", NULL};
static const char *const slide_keys[] = {"show",     "title",        "text",      "minutes",
                                         "say",      "safeguarding", "questions", "ways",
                                         "services", "steps",        NULL};
static const char *const step_note_keys[] = {"step", "say", "safeguarding", NULL};

static void check_page_keys(struct loader *L, const struct ynode *fm, enum pkg_page_kind kind,
                            bool kind_known)
{
    const char *allowed[COUNT(common_keys) + 4];
    size_t n = 0;
    for (size_t i = 0; i < COUNT(common_keys); i++)
        allowed[n++] = common_keys[i];
    for (size_t i = 0; kind_keys[kind][i]; i++)
        allowed[n++] = kind_keys[kind][i];
    allowed[n] = NULL;
    for (const struct ynode *m = fm->first; m; m = m->next) {
        if (find_name(allowed, n, m->key) >= 0)
            continue;
        int other = -1;
        for (size_t k = 0; k < COUNT(kind_keys) && other < 0; k++)
            for (size_t i = 0; kind_keys[k][i]; i++)
                if (strcmp(kind_keys[k][i], m->key) == 0)
                    other = (int)k;
        if (other >= 0) {
            if (kind_known)
                ERR(L, m->key_line, "'%s' is for pages of kind '%s', but this page's kind is '%s'",
                    m->key, page_kind_names[other], page_kind_names[kind]);
            continue;
        }
        struct suggest sg;
        suggest_init(&sg, m->key);
        for (size_t i = 0; i < n; i++)
            suggest_try(&sg, allowed[i]);
        if (sg.best) {
            ERR(L, m->key_line, "unknown key '%s' in the front matter; did you mean '%s'?", m->key,
                sg.best);
            note_suggested(L, fm, sg.best);
        } else {
            struct buf list;
            buf_init(&list, 1024);
            join_names(&list, allowed, n);
            ERR(L, m->key_line, "unknown key '%s' in the front matter (known keys: %s)", m->key,
                list.ptr);
            buf_release(&list);
        }
    }
}

static const struct pkg_character *find_character(const struct pkg_story *s, const char *id)
{
    for (size_t i = 0; i < s->character_count; i++)
        if (s->characters[i].id && strcmp(s->characters[i].id, id) == 0)
            return &s->characters[i];
    return NULL;
}

static void load_messages(struct loader *L, struct pkg_step *step, const struct pkg_story *story,
                          const struct ynode *list)
{
    step->messages = alloc_items(L, list, sizeof(*step->messages));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "messages", "from: alex"))
            continue;
        check_keys(L, item, message_keys, "a message");
        struct pkg_message *m = &step->messages[step->message_count++];
        m->loc = here(L, item->line);
        m->text = get_text(L, item, "text", true, "a message");
        const char *from = get_text(L, item, "from", false, "a message");
        if (!from)
            continue;
        m->from = find_character(story, from);
        if (m->from)
            continue;
        if (story->character_count == 0) {
            ERR(L, line_of(item, "from"),
                "message from '%s', but the story has no 'characters' to say who that is", from);
            continue;
        }
        struct suggest sg;
        suggest_init(&sg, from);
        /* Suggestions cost a comparison per character; a huge cast gets none. */
        for (size_t i = 0; i < story->character_count && story->character_count <= 500; i++)
            suggest_try(&sg, story->characters[i].id);
        if (sg.best)
            ERR(L, line_of(item, "from"),
                "message from '%s', who is not a character in this story; did you mean '%s'?", from,
                sg.best);
        else
            ERR(L, line_of(item, "from"), "message from '%s', who is not a character in this story",
                from);
    }
}

static void load_choices(struct loader *L, struct pkg_step *step, const struct ynode *list)
{
    step->choices = alloc_items(L, list, sizeof(*step->choices));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "choices", "text: Say no"))
            continue;
        check_keys(L, item, choice_keys, "a choice");
        struct pkg_choice *c = &step->choices[step->choice_count++];
        c->loc = here(L, line_of(item, "next"));
        c->text = get_text(L, item, "text", true, "a choice");
        c->next_id = get_text(L, item, "next", true, "a choice");
    }
}

static void load_ending(struct loader *L, struct pkg_step *step, const struct ynode *v)
{
    if (v->kind != YNODE_SCALAR) {
        ERR(L, v->line, "'ending' should be the ending's title, not %s", ytree_kind_name(v));
        return;
    }
    if (v->plain && (strcasecmp(v->str, "false") == 0 || strcasecmp(v->str, "no") == 0))
        return;
    step->ending = true;
    if (scalar_blank(v) ||
        (v->plain && (strcasecmp(v->str, "true") == 0 || strcasecmp(v->str, "yes") == 0)))
        return;
    step->ending_title = arena_strndup(L->a, v->str, v->len);
}

static void load_story(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                       const struct ynode *fm)
{
    struct pkg_story *story = &page->story;
    const struct ynode *chars = get_list(L, fm, "characters", false, "the front matter");
    if (chars) {
        story->characters = alloc_items(L, chars, sizeof(*story->characters));
        const struct pkg_character *me = NULL;
        for (const struct ynode *item = chars->first; item; item = item->next) {
            if (!item_is_map(L, item, "characters", "id: sam"))
                continue;
            check_keys(L, item, character_keys, "a character");
            struct pkg_character *c = &story->characters[story->character_count++];
            c->loc = here(L, item->line);
            c->id = get_id(L, item, "character", ID_CHARACTER, page);
            c->name = get_text(L, item, "name", true, subject(L, "character", c->id));
            c->me = get_bool(L, item, "me");
            if (c->me && me)
                ERR(L, line_of(item, "me"),
                    "only one character can be 'me' (the reader), and '%s' already is",
                    me->id     ? me->id
                    : me->name ? me->name
                               : "another");
            else if (c->me)
                me = c;
        }
    }
    const struct ynode *steps = get_list(L, fm, "steps", true, "the front matter");
    const struct ynode *steps_member = ytree_get(fm, "steps");
    note->steps_line = steps_member ? steps_member->key_line : fm->line;
    if (!steps)
        return;
    story->steps = alloc_items(L, steps, sizeof(*story->steps));
    for (const struct ynode *item = steps->first; item; item = item->next) {
        if (!item_is_map(L, item, "steps", "id: start"))
            continue;
        check_keys(L, item, step_keys, "a story step");
        struct pkg_step *s = &story->steps[story->step_count++];
        s->loc = here(L, item->line);
        s->id = get_id(L, item, "step", ID_STEP, NULL);
        if (s->id && pkg_id_valid(s->id) && pkg_id_valid(page->id))
            note_id(L, ID_ADDRESS, NULL, arena_printf(L->a, "%s-%s", page->id, s->id),
                    line_of(item, "id"),
                    arena_printf(&L->tmp, "step '%s' of page '%s'", s->id, page->id), page);
        const char *subj = subject(L, "step", s->id);
        s->title = get_text(L, item, "title", false, subj);
        const struct ynode *messages = get_list(L, item, "messages", false, subj);
        if (messages)
            load_messages(L, s, story, messages);
        s->text = get_text(L, item, "text", false, subj);
        const struct ynode *text = ytree_get(item, "text");
        s->text_line = text ? text->text_line : s->loc.line;
        const struct ynode *choices = get_list(L, item, "choices", false, subj);
        if (choices)
            load_choices(L, s, choices);
        const struct ynode *ending = ytree_get(item, "ending");
        if (ending)
            load_ending(L, s, ending);
        if (s->message_count == 0 && !s->text)
            ERR(L, item->line, "%s is empty: give it 'messages' or 'text'", subj);
    }
    /* Choices are resolved once every step is known; check.c reports those that are not. */
    for (size_t i = 0; i < story->step_count; i++)
        for (size_t j = 0; j < story->steps[i].choice_count; j++) {
            struct pkg_choice *c = &story->steps[i].choices[j];
            c->next = c->next_id ? pkg_step(story, c->next_id) : NULL;
        }
}

static void load_questions(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *groups = get_list(L, fm, "groups", true, "the front matter");
    if (!groups)
        return;
    page->groups = alloc_items(L, groups, sizeof(*page->groups));
    for (const struct ynode *item = groups->first; item; item = item->next) {
        if (!item_is_map(L, item, "groups", "id: why"))
            continue;
        check_keys(L, item, group_keys, "a question group");
        struct pkg_question_group *g = &page->groups[page->group_count++];
        g->loc = here(L, item->line);
        g->id = get_id(L, item, "question group", ID_GROUP, NULL);
        const char *subj = subject(L, "question group", g->id);
        g->title = get_text(L, item, "title", true, subj);
        const struct ynode *qs = get_list(L, item, "questions", true, subj);
        if (!qs)
            continue;
        g->questions = alloc_items(L, qs, sizeof(*g->questions));
        for (const struct ynode *qi = qs->first; qi; qi = qi->next) {
            if (!item_is_map(L, qi, "questions", "id: q-why-ask"))
                continue;
            check_keys(L, qi, question_keys, "a question");
            struct pkg_question *q = &g->questions[g->question_count++];
            q->loc = here(L, qi->line);
            q->id = get_id(L, qi, "question", ID_QUESTION, NULL);
            const char *qsubj = subject(L, "question", q->id);
            q->text = get_text(L, qi, "text", true, qsubj);
            q->hint = get_text(L, qi, "hint", false, qsubj);
        }
    }
}

static void load_replies(struct loader *L, struct pkg_strategy *s, const struct ynode *list)
{
    s->replies = alloc_items(L, list, sizeof(*s->replies));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "replies", "id: r-pizza"))
            continue;
        check_keys(L, item, reply_keys, "a reply");
        struct pkg_reply *r = &s->replies[s->reply_count++];
        r->loc = here(L, item->line);
        r->id = get_id(L, item, "reply", ID_REPLY, NULL);
        const char *subj = subject(L, "reply", r->id);
        r->text = get_text(L, item, "text", true, subj);
        r->image = get_text(L, item, "image", false, subj);
        r->alt = get_text(L, item, "alt", false, subj);
        if (r->alt && !r->image)
            WARN(L, line_of(item, "alt"), "'alt' describes a picture, but %s has no 'image'", subj);
    }
}

static void load_strategies(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "strategies", true, "the front matter");
    if (!list)
        return;
    page->strategies = alloc_items(L, list, sizeof(*page->strategies));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "strategies", "id: say-no"))
            continue;
        check_keys(L, item, strategy_keys, "a strategy");
        struct pkg_strategy *s = &page->strategies[page->strategy_count++];
        s->loc = here(L, item->line);
        s->id = get_id(L, item, "strategy", ID_STRATEGY, NULL);
        const char *subj = subject(L, "strategy", s->id);
        s->title = get_text(L, item, "title", true, subj);
        s->summary = get_text(L, item, "summary", false, subj);
        s->when = get_text(L, item, "when", false, subj);
        s->how = get_text(L, item, "how", false, subj);
        const struct ynode *how = ytree_get(item, "how");
        s->how_line = how ? how->text_line : s->loc.line;
        const struct ynode *replies = get_list(L, item, "replies", false, subj);
        if (replies)
            load_replies(L, s, replies);
        if (!s->summary && !s->when && !s->how && s->reply_count == 0)
            ERR(L, item->line, "%s says nothing: give it a 'summary', 'when', 'how' or 'replies'",
                subj);
    }
}

static void load_plan(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "sections", true, "the front matter");
    if (!list)
        return;
    page->plan_sections = alloc_items(L, list, sizeof(*page->plan_sections));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "sections", "id: my-ways"))
            continue;
        check_keys(L, item, section_keys, "a plan section");
        struct pkg_plan_section *s = &page->plan_sections[page->plan_section_count++];
        s->loc = here(L, item->line);
        s->id = get_id(L, item, "plan section", ID_SECTION, NULL);
        const char *subj = subject(L, "plan section", s->id);
        s->title = get_text(L, item, "title", true, subj);
        s->prompt = get_text(L, item, "prompt", false, subj);
        const char *kind = get_text(L, item, "kind", true, subj);
        s->kind = PLAN_TEXT;
        if (kind) {
            int k = find_name(plan_kind_names, COUNT(plan_kind_names), kind);
            if (k >= 0)
                s->kind = (enum pkg_plan_kind)k;
            else
                report_unknown_name(L, line_of(item, "kind"), "plan section kind", kind,
                                    plan_kind_names, COUNT(plan_kind_names));
        }
    }
}

static void load_options(struct loader *L, struct survey_question *q, const struct ynode *list)
{
    q->options = alloc_items(L, list, sizeof(*q->options));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "options", "id: c1"))
            continue;
        check_keys(L, item, option_keys, "an option");
        struct survey_option *o = &q->options[q->option_count++];
        o->loc = here(L, item->line);
        o->id = get_id(L, item, "option", ID_OPTION, q);
        o->label = get_text(L, item, "label", true, subject(L, "option", o->id));
    }
}

static void load_max_length(struct loader *L, struct survey_question *q,
                            const struct ynode *item, const char *subj, bool have_type)
{
    const struct ynode *v = ytree_get(item, "max_length");
    q->max_length = q->type == SURVEY_TEXT ? SURVEY_TEXT_DEFAULT : 0;
    if (!v)
        return;
    if (have_type && q->type != SURVEY_TEXT) {
        ERR(L, v->line, "'max_length' is only for 'text' questions, and %s is a '%s' question",
            subj, survey_type_names[q->type]);
        return;
    }
    long n = 0;
    char *end = NULL;
    if (v->kind == YNODE_SCALAR && v->len > 0 && v->len < 8)
        n = strtol(v->str, &end, 10);
    if (!end || *end != '\0' || n < 1 || n > SURVEY_TEXT_MAX) {
        ERR(L, v->line, "'max_length' should be a whole number from 1 to %d", SURVEY_TEXT_MAX);
        return;
    }
    q->max_length = (size_t)n;
}

static void load_survey(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "questions", true, "the front matter");
    if (!list)
        return;
    page->survey = alloc_items(L, list, sizeof(*page->survey));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "questions", "id: q-confident"))
            continue;
        check_keys(L, item, survey_keys, "a survey question");
        struct survey_question *q = &page->survey[page->survey_count++];
        q->loc = here(L, item->line);
        q->id = get_id(L, item, "survey question", ID_SURVEY, NULL);
        const char *subj = subject(L, "question", q->id);
        q->text = get_text(L, item, "text", true, subj);
        q->when = SURVEY_END;
        const char *when = get_text(L, item, "when", false, subj);
        if (when) {
            int w = find_name(survey_when_names, COUNT(survey_when_names), when);
            if (w >= 0)
                q->when = (enum survey_when)w;
            else
                report_unknown_name(L, line_of(item, "when"), "'when' value", when,
                                    survey_when_names, COUNT(survey_when_names));
        }
        const char *type = get_text(L, item, "type", true, subj);
        bool have_type = false;
        q->type = SURVEY_TEXT;
        if (type) {
            int t = find_name(survey_type_names, COUNT(survey_type_names), type);
            if (t >= 0) {
                q->type = (enum survey_type)t;
                have_type = true;
            } else {
                report_unknown_name(L, line_of(item, "type"), "question type", type,
                                    survey_type_names, COUNT(survey_type_names));
            }
        }
        const struct ynode *options = get_list(L, item, "options", false, subj);
        if (options)
            load_options(L, q, options);
        load_max_length(L, q, item, subj, have_type);
        if (!have_type)
            continue;
        int line = options ? options->key_line : item->line;
        switch (q->type) {
        case SURVEY_SCALE:
            if (q->option_count != 5)
                ERR(L, line, "%s is a 'scale' question, so it needs exactly 5 options, not %zu",
                    subj, q->option_count);
            break;
        case SURVEY_SINGLE:
        case SURVEY_MULTI:
            if (q->option_count < 2)
                ERR(L, line, "%s is a '%s' question, so it needs at least 2 options, not %zu", subj,
                    survey_type_names[q->type], q->option_count);
            break;
        case SURVEY_YESNO:
            if (options)
                ERR(L, line,
                    "%s is a 'yesno' question, so it takes no 'options' (yes, no and not sure "
                    "are built in)",
                    subj);
            break;
        case SURVEY_TEXT:
            if (options)
                ERR(L, line, "%s is a 'text' question, so it takes no 'options'", subj);
            break;
        }
    }
}

/* ---- lesson slides ---- */

/* The key that lists what a slide shows, by what it shows; NULL when it takes none. */
static const char *slide_list_key(enum pkg_slide_kind k)
{
    switch (k) {
    case SLIDE_QUESTIONS:
        return "questions";
    case SLIDE_WAYS:
        return "ways";
    case SLIDE_SUPPORT:
        return "services";
    case SLIDE_STORY:
        return "steps";
    case SLIDE_TITLE:
    case SLIDE_TEXT:
    case SLIDE_PLAN:
    case SLIDE_FEEDBACK:
        break;
    }
    return NULL;
}

static void load_notes(struct loader *L, const struct ynode *map, const char *subj,
                       struct pkg_notes *n)
{
    n->say = get_text(L, map, "say", false, subj);
    const struct ynode *say = ytree_get(map, "say");
    n->say_line = say ? say->text_line : map->line;
    n->safeguarding = get_text(L, map, "safeguarding", false, subj);
    const struct ynode *sg = ytree_get(map, "safeguarding");
    n->safeguarding_line = sg ? sg->text_line : map->line;
}

static void load_minutes(struct loader *L, struct pkg_slide *s, const struct ynode *item)
{
    const struct ynode *v = ytree_get(item, "minutes");
    if (!v)
        return;
    long n = 0;
    char *end = NULL;
    if (v->kind == YNODE_SCALAR && v->len > 0 && v->len < 8)
        n = strtol(v->str, &end, 10);
    if (!end || *end != '\0' || n < 1 || n > 120) {
        ERR(L, v->line, "'minutes' should be a whole number of minutes from 1 to 120");
        return;
    }
    s->minutes = (int)n;
}

/* The ids a slide lists under key: each must be an id; check.c finds what they name. */
static void load_refs(struct loader *L, struct pkg_slide *s, const struct ynode *item,
                      const char *key)
{
    const struct ynode *list = get_list(L, item, key, false, "a slide");
    if (!list)
        return;
    s->refs = alloc_items(L, list, sizeof(*s->refs));
    for (const struct ynode *v = list->first; v; v = v->next) {
        if (v->kind != YNODE_SCALAR || !pkg_id_valid(v->str)) {
            ERR(L, v->line, "each item of '%s' should be the id of one of the package's %s", key,
                strcmp(key, "questions") == 0 ? "questions (e.g. '- q-why-ask')"
                : strcmp(key, "ways") == 0    ? "strategies (e.g. '- say-no')"
                                              : "support entries (e.g. '- childline')");
            continue;
        }
        s->refs[s->ref_count++] = (struct pkg_ref){here(L, v->line), arena_strdup(L->a, v->str)};
    }
}

static void load_step_notes(struct loader *L, struct pkg_slide *s, const struct ynode *item)
{
    const struct ynode *list = get_list(L, item, "steps", false, "a slide");
    if (!list)
        return;
    s->step_notes = alloc_items(L, list, sizeof(*s->step_notes));
    for (const struct ynode *v = list->first; v; v = v->next) {
        if (!item_is_map(L, v, "steps", "step: start"))
            continue;
        check_keys(L, v, step_note_keys, "a step's notes");
        struct pkg_step_notes *n = &s->step_notes[s->step_note_count++];
        n->loc = here(L, v->line);
        n->step = get_text(L, v, "step", true, "a step's notes");
        load_notes(L, v, "a step's notes", &n->notes);
        if (!n->notes.say && !n->notes.safeguarding)
            ERR(L, v->line, "the notes for step '%s' are empty: give them 'say' or 'safeguarding'",
                n->step ? n->step : "?");
    }
}

static void load_lesson(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "slides", true, "the front matter");
    if (!list)
        return;
    page->slides = alloc_items(L, list, sizeof(*page->slides));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "slides", "show: title"))
            continue;
        check_keys(L, item, slide_keys, "a slide");
        struct pkg_slide *s = &page->slides[page->slide_count++];
        s->loc = here(L, item->line);
        s->show = SLIDE_TEXT;
        const char *show = get_text(L, item, "show", true, "a slide");
        bool known = false;
        if (show) {
            int k = find_name(slide_kind_names, COUNT(slide_kind_names), show);
            if (k >= 0) {
                s->show = (enum pkg_slide_kind)k;
                known = true;
            } else {
                report_unknown_name(L, line_of(item, "show"), "kind of slide", show,
                                    slide_kind_names, COUNT(slide_kind_names));
            }
        }
        s->title = get_text(L, item, "title", known && s->show == SLIDE_TEXT, "a text slide");
        s->text = get_text(L, item, "text", false, "a slide");
        const struct ynode *text = ytree_get(item, "text");
        s->text_line = text ? text->text_line : s->loc.line;
        load_minutes(L, s, item);
        load_notes(L, item, "a slide", &s->notes);
        /* Each list key belongs to one kind of slide. */
        static const enum pkg_slide_kind listing[] = {SLIDE_QUESTIONS, SLIDE_WAYS, SLIDE_SUPPORT,
                                                      SLIDE_STORY};
        const char *mine = known ? slide_list_key(s->show) : NULL;
        for (size_t i = 0; known && i < COUNT(listing); i++) {
            const char *key = slide_list_key(listing[i]);
            const struct ynode *v = ytree_get(item, key);
            if (v && listing[i] != s->show)
                ERR(L, v->key_line, "'%s' is for slides that show '%s', but this slide shows '%s'",
                    key, slide_kind_names[listing[i]], slide_kind_names[s->show]);
        }
        if (!mine)
            continue;
        if (s->show == SLIDE_STORY)
            load_step_notes(L, s, item);
        else
            load_refs(L, s, item, mine);
    }
}

static void load_front_matter(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                              const struct ynode *fm)
{
    bool kind_known = true;
    const char *kind = get_text(L, fm, "kind", false, "the front matter");
    if (kind) {
        int k = find_name(page_kind_names, COUNT(page_kind_names), kind);
        if (k >= 0) {
            page->kind = (enum pkg_page_kind)k;
        } else {
            report_unknown_name(L, line_of(fm, "kind"), "page kind", kind, page_kind_names,
                                COUNT(page_kind_names));
            kind_known = false;
            note->broken = true;
        }
    }
    check_page_keys(L, fm, page->kind, kind_known);
    page->title = get_text(L, fm, "title", true, "the front matter");
    page->nav_title = get_text(L, fm, "nav_title", false, "the front matter");
    page->summary = get_text(L, fm, "summary", false, "the front matter");
    const char *audience = get_text(L, fm, "audience", false, "the front matter");
    /* A lesson is for teachers and a letter for parents unless the author says otherwise. */
    if (page->kind == PAGE_LESSON)
        page->audience = AUDIENCE_TEACHER;
    else if (page->kind == PAGE_LETTER)
        page->audience = AUDIENCE_PARENT;
    if (audience) {
        int a = find_name(audience_names, COUNT(audience_names), audience);
        if (a >= 0)
            page->audience = (enum pkg_audience)a;
        else
            report_unknown_name(L, line_of(fm, "audience"), "audience", audience, audience_names,
                                COUNT(audience_names));
    }
    if (!kind_known)
        return;
    switch (page->kind) {
    case PAGE_STORY:
        load_story(L, page, note, fm);
        break;
    case PAGE_QUESTIONS:
        load_questions(L, page, fm);
        break;
    case PAGE_STRATEGIES:
        load_strategies(L, page, fm);
        break;
    case PAGE_PLAN:
        load_plan(L, page, fm);
        break;
    case PAGE_SURVEY:
        load_survey(L, page, fm);
        break;
    case PAGE_LESSON:
        load_lesson(L, page, fm);
        break;
    case PAGE_TEXT:
    case PAGE_SUPPORT:
    case PAGE_LETTER:
        break;
    }
}

/* One line of s from pos: its end (at '\n' or len) and whether it is a front matter fence. */
static size_t line_end(const char *s, size_t len, size_t pos)
{
    const char *nl = memchr(s + pos, '\n', len - pos);
    return nl ? (size_t)(nl - s) : len;
}

static bool is_fence(const char *s, size_t start, size_t end, bool closing)
{
    while (end > start && (s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (end - start != 3)
        return false;
    return memcmp(s + start, "---", 3) == 0 || (closing && memcmp(s + start, "...", 3) == 0);
}

/* The body as text the model can keep: valid UTF-8, or reported at its first bad line. */
static void keep_body(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                      const char *s, size_t len, int first_line)
{
    page->body = "";
    if (utf8_valid(s, len)) {
        page->body = arena_strndup(L->a, s, len);
        return;
    }
    int line = first_line;
    size_t pos = 0;
    while (pos < len) {
        size_t end = line_end(s, len, pos);
        if (!utf8_valid(s + pos, end - pos))
            break;
        pos = end + 1;
        line++;
    }
    ERR(L, line, "this line is not valid UTF-8 text (or holds a NUL byte): save the file as UTF-8");
    note->broken = true;
}

static void load_page(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                      const struct file_entry *e)
{
    L->file = page->loc.file;
    page->body = "";
    page->body_line = 1;
    const char *s = (const char *)e->data;
    size_t len = e->len;
    if (len > PKG_MAX_PAGE_BYTES) {
        ERR(L, 1, "the page is larger than %zu bytes, the most allowed", PKG_MAX_PAGE_BYTES);
        note->broken = true;
        goto out;
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    size_t end = line_end(s, len, pos);
    if (!is_fence(s, pos, end, false)) {
        ERR(L, 1,
            "the page must start with front matter: a line '---', then lines such as "
            "'title: ...', then another line '---'");
        note->broken = true;
        keep_body(L, page, note, s + pos, len - pos, 1);
        goto out;
    }
    size_t fm_start = end < len ? end + 1 : len;
    int line = 2;
    size_t at = fm_start;
    size_t close_start = len;
    size_t close_end = len;
    while (at < len) {
        size_t e2 = line_end(s, len, at);
        if (is_fence(s, at, e2, true)) {
            close_start = at;
            close_end = e2;
            break;
        }
        at = e2 + 1;
        line++;
    }
    if (close_start == len) {
        ERR(L, 1,
            "the front matter that starts on line 1 is never closed: add a line '---' "
            "after it");
        note->broken = true;
        goto out;
    }
    const struct ynode *fm =
        ytree_parse(&L->tmp, s + fm_start, close_start - fm_start, 2, L->file, L->diags);
    if (!fm) {
        note->broken = true;
    } else if (fm->kind != YNODE_MAP) {
        ERR(L, fm->line, "the front matter should be keys such as 'title: ...', not %s",
            ytree_kind_name(fm));
        note->broken = true;
    } else {
        load_front_matter(L, page, note, fm);
    }
    size_t body_start = close_end < len ? close_end + 1 : len;
    page->body_line = line + 1;
    keep_body(L, page, note, s + body_start, len - body_start, page->body_line);
out:
    if (!page->title)
        page->title = page->id;
}

/* Whether path is a page file directly in pages/; sets its id's length. */
static bool page_file(const char *path, size_t *id_len)
{
    if (strncmp(path, "pages/", 6) != 0)
        return false;
    const char *name = path + 6;
    size_t n = strlen(name);
    if (n <= 3 || strchr(name, '/') || strcmp(name + n - 3, ".md") != 0)
        return false;
    *id_len = n - 3;
    return true;
}

static void add_page(struct loader *L, const char *id, int line, const struct file_entry *e)
{
    struct pkg *p = L->p;
    struct pkg_page *page = &p->pages[p->page_count];
    struct pkg_page_note *note = &L->impl->notes[p->page_count];
    p->page_count++;
    page->id = arena_strdup(L->a, id);
    page->loc = (struct diag_loc){arena_printf(L->a, "pages/%s.md", id), 1};
    note_id(L, ID_ADDRESS, NULL, page->id, line, arena_printf(&L->tmp, "page '%s'", page->id),
            page);
    const char *file = L->file;
    load_page(L, page, note, e);
    L->file = file;
}

/* Reads the pages listed in package.yaml, and warns of page files that are not listed. */
static void load_listed_pages(struct loader *L, const struct ynode *list)
{
    struct pkg *p = L->p;
    size_t n = list->count < PKG_MAX_PAGES ? list->count : PKG_MAX_PAGES;
    p->pages = arena_alloc(L->a, n * sizeof(*p->pages) + 1);
    L->impl->notes = arena_alloc(L->a, n * sizeof(*L->impl->notes) + 1);
    const char **listed = arena_alloc(&L->tmp, list->count * sizeof(*listed) + 1);
    size_t listed_count = 0;
    size_t seen = 0;
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (item->kind != YNODE_SCALAR || scalar_blank(item)) {
            ERR(L, item->line, "each item of 'pages' should be a page id, such as '- start'");
            continue;
        }
        if (++seen > PKG_MAX_PAGES) {
            ERR(L, item->line, "a package may have at most %d pages", PKG_MAX_PAGES);
            break;
        }
        const char *id = item->str;
        int dup_line = 0;
        for (size_t i = 0; i < listed_count; i++)
            if (strcmp(listed[i], id) == 0)
                dup_line = -1;
        if (dup_line) {
            ERR(L, item->line, "page '%s' is listed twice", id);
            continue;
        }
        listed[listed_count++] = id;
        if (!pkg_id_valid(id)) {
            ERR(L, item->line,
                "'%s' is not a valid page id: use lower-case letters, digits and single "
                "hyphens, starting with a letter (at most %d characters), e.g. 'say-no'",
                id, PKG_ID_MAX);
            continue;
        }
        if (reserved_page_id(id)) {
            ERR(L, item->line, "'%s' cannot be a page id: planpack uses that address itself", id);
            continue;
        }
        char path[64];
        snprintf(path, sizeof(path), "pages/%s.md", id);
        const struct file_entry *e = fileset_get(L->fs, path);
        if (!e) {
            ERR(L, item->line, "page '%s' has no file: expected %s", id, path);
            continue;
        }
        add_page(L, id, item->line, e);
    }
    for (size_t i = 0; i < L->fs->count; i++) {
        const char *path = L->fs->files[i].path;
        size_t id_len = 0;
        if (!page_file(path, &id_len))
            continue;
        bool found = false;
        for (size_t j = 0; j < listed_count && !found; j++)
            found = strlen(listed[j]) == id_len && memcmp(listed[j], path + 6, id_len) == 0;
        if (!found)
            diag_warning(L->diags, path, 1,
                         "this page is not in the 'pages' list of package.yaml, so it is left "
                         "out");
    }
}

/* Without a readable 'pages' list, every page file is read so that its problems show too. */
static void load_all_pages(struct loader *L)
{
    struct pkg *p = L->p;
    size_t n = 0;
    for (size_t i = 0; i < L->fs->count; i++) {
        size_t id_len;
        if (page_file(L->fs->files[i].path, &id_len))
            n++;
    }
    if (n > PKG_MAX_PAGES)
        n = PKG_MAX_PAGES;
    p->pages = arena_alloc(L->a, n * sizeof(*p->pages) + 1);
    L->impl->notes = arena_alloc(L->a, n * sizeof(*L->impl->notes) + 1);
    for (size_t i = 0; i < L->fs->count && p->page_count < n; i++) {
        const struct file_entry *e = &L->fs->files[i];
        size_t id_len;
        if (!page_file(e->path, &id_len))
            continue;
        char *id = arena_strndup(&L->tmp, e->path + 6, id_len);
        if (pkg_id_valid(id))
            add_page(L, id, 1, e);
    }
}

/* ---- pictures ---- */

/* Whether path is named in the source of a page the package lists: a picture no page names
 * is not published, so that nothing in images/ is put online by accident. */
static bool image_used(struct loader *L, const char *path)
{
    size_t n = strlen(path);
    const struct pkg *p = L->p;
    for (size_t i = 0; i < p->page_count; i++) {
        const struct file_entry *e = fileset_get(L->fs, p->pages[i].loc.file);
        const char *text = e ? (const char *)e->data : NULL;
        for (const char *at = text; at && (at = strstr(at, path)) != NULL; at += n) {
            unsigned char next = (unsigned char)at[n];
            bool mid_name = isalnum(next) || strchr("._-/%", next);
            bool after_name = at > text && (isalnum((unsigned char)at[-1]) || at[-1] == '_');
            if (next && mid_name)
                continue;
            if (!after_name)
                return true;
        }
    }
    return false;
}

struct svg_notes {
    struct loader *L;
    const char *path;
    size_t count;
};

enum { MAX_SVG_NOTES = 10 };

static void svg_note(void *ctx, int line, const char *what, bool risky)
{
    struct svg_notes *n = ctx;
    if (n->count++ >= MAX_SVG_NOTES)
        return;
    if (risky)
        diag_warning(n->L->diags, n->path, line,
                     "taken out of this picture: %s; pictures in a package must not run code "
                     "or load anything, so only their drawing is published",
                     what);
    else
        diag_warning(n->L->diags, n->path, line,
                     "taken out of this picture: %s; planpack publishes only plain drawing "
                     "(shapes, paths, text, gradients, groups, title and description)",
                     what);
}

/*
 * Checks that the picture is what its name says, and gives the copy to publish: a PNG as it
 * is, an SVG cleaned (svg.h). False, with an error against the file, when it is refused.
 */
static bool load_image(struct loader *L, const struct file_entry *e, struct pkg_file *out)
{
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t n = strlen(e->path);
    if (n > 4 && strcasecmp(e->path + n - 4, ".png") == 0) {
        if (e->len < sizeof(png_signature) ||
            memcmp(e->data, png_signature, sizeof(png_signature)) != 0) {
            diag_error(L->diags, e->path, 1,
                       "this file is named .png but is not a PNG picture; save it again as "
                       "PNG, or give it the name of what it is");
            return false;
        }
        *out = (struct pkg_file){e->path, e->data, e->len};
        return true;
    }
    struct buf b;
    buf_init(&b, SVG_MAX_OUTPUT);
    struct svg_notes notes = {L, e->path, 0};
    char why[256];
    int why_line = 0;
    int rc = svg_sanitise(e->data, e->len, &b, svg_note, &notes, why, sizeof(why), &why_line);
    if (notes.count > MAX_SVG_NOTES)
        diag_warning(L->diags, e->path, 1, "%zu more parts were taken out of this picture",
                     notes.count - MAX_SVG_NOTES);
    if (rc != 0) {
        diag_error(L->diags, e->path, why_line > 0 ? why_line : 1, "this file is named .svg but %s",
                   why);
        buf_release(&b);
        return false;
    }
    char *copy = arena_strndup(L->a, b.ptr, b.len);
    *out = (struct pkg_file){e->path, (const unsigned char *)copy, b.len};
    buf_release(&b);
    return true;
}

/* The pictures pages use, checked and made safe; every other file in images/ is left out. */
static void load_files(struct loader *L)
{
    struct pkg *p = L->p;
    size_t n = 0;
    for (size_t i = 0; i < L->fs->count; i++)
        n += strncmp(L->fs->files[i].path, "images/", 7) == 0;
    p->files = arena_alloc(L->a, n * sizeof(*p->files) + 1);
    for (size_t i = 0; i < L->fs->count; i++) {
        const struct file_entry *e = &L->fs->files[i];
        size_t len = strlen(e->path);
        if (strncmp(e->path, "images/", 7) != 0)
            continue;
        if (!(len > 4 && (strcasecmp(e->path + len - 4, ".png") == 0 ||
                          strcasecmp(e->path + len - 4, ".svg") == 0))) {
            diag_warning(L->diags, e->path, 1,
                         "only SVG and PNG pictures are published; this file is not");
            continue;
        }
        struct pkg_file f;
        if (!load_image(L, e, &f))
            continue;
        if (!image_used(L, e->path)) {
            diag_warning(L->diags, e->path, 1,
                         "no page uses this picture, so it is not published; use it on a "
                         "page, or take it out of the package");
            continue;
        }
        p->files[p->file_count++] = f;
    }
}

/* ---- duplicate ids ---- */

static int cmp_id_use(const void *a, const void *b)
{
    const struct id_use *x = a;
    const struct id_use *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->scope != y->scope)
        return (uintptr_t)x->scope < (uintptr_t)y->scope ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static bool same_id(const struct id_use *a, const struct id_use *b)
{
    return a->kind == b->kind && a->scope == b->scope && strcmp(a->id, b->id) == 0;
}

static void report_duplicates(struct loader *L)
{
    if (L->id_count > 1)
        qsort(L->ids, L->id_count, sizeof(*L->ids), cmp_id_use);
    size_t first = 0;
    for (size_t i = 1; i < L->id_count; i++) {
        const struct id_use *u = &L->ids[i];
        const struct id_use *f = &L->ids[first];
        if (!same_id(f, u)) {
            first = i;
            continue;
        }
        if (u->kind == ID_ADDRESS) {
            /* Two steps of one story with the same id are already a duplicate step id. */
            if (f->owner == u->owner)
                continue;
            diag_error(L->diags, u->file, u->line,
                       "%s would have the address '%s', which %s (%s:%d) already has", u->what,
                       u->id, f->what, f->file, f->line);
            continue;
        }
        diag_error(L->diags, u->file, u->line, "the %s id '%s' is already used at %s:%d",
                   id_kind_names[u->kind], u->id, f->file, f->line);
    }
}

/* ---- the whole package ---- */

struct pkg *pkg_load(const struct fileset *fs, struct diag_list *diags)
{
    const struct file_entry *manifest = fileset_get(fs, "package.yaml");
    if (!manifest) {
        diag_error(diags, "package.yaml", 0,
                   "there is no package.yaml: a package is a folder holding package.yaml and "
                   "a pages folder");
        return NULL;
    }
    struct pkg_impl *impl = xcalloc(1, sizeof(*impl));
    struct loader L = {
        .impl = impl, .p = &impl->pub, .a = &impl->pub.arena, .fs = fs, .diags = diags};
    const struct ynode *root = load_manifest(&L, manifest);
    impl->manifest_broken = root == NULL;
    const struct ynode *pages = root ? get_list(&L, root, "pages", true, "package.yaml") : NULL;
    if (pages)
        load_listed_pages(&L, pages);
    else
        load_all_pages(&L);
    load_files(&L);
    pkg_flags_load(&impl->pub, fs, diags);
    if (!impl->pub.exit_url)
        impl->pub.exit_url = "https://www.bbc.co.uk/weather";
    if (!impl->pub.reading_age)
        impl->pub.reading_age = 11;
    report_duplicates(&L);
    free(L.ids);
    arena_release(&L.tmp);
    diag_sort(diags);
    return &impl->pub;
}

void pkg_free(struct pkg *p)
{
    if (!p)
        return;
    arena_release(&p->arena);
    free((struct pkg_impl *)p);
}

/* ---- lookups ---- */

const struct pkg_page *pkg_page(const struct pkg *p, const char *id)
{
    for (size_t i = 0; i < p->page_count; i++)
        if (strcmp(p->pages[i].id, id) == 0)
            return &p->pages[i];
    return NULL;
}

const struct pkg_page *pkg_page_of_kind(const struct pkg *p, enum pkg_page_kind kind)
{
    for (size_t i = 0; i < p->page_count; i++)
        if (p->pages[i].kind == kind && !pkg_impl_of(p)->notes[i].broken)
            return &p->pages[i];
    return NULL;
}

const struct pkg_support *pkg_support_entry(const struct pkg *p, const char *id)
{
    for (size_t i = 0; i < p->support_count; i++)
        if (p->support[i].id && strcmp(p->support[i].id, id) == 0)
            return &p->support[i];
    return NULL;
}

const struct pkg_step *pkg_step(const struct pkg_story *s, const char *id)
{
    for (size_t i = 0; i < s->step_count; i++)
        if (s->steps[i].id && strcmp(s->steps[i].id, id) == 0)
            return &s->steps[i];
    return NULL;
}

const struct pkg_file *pkg_file(const struct pkg *p, const char *path)
{
    for (size_t i = 0; i < p->file_count; i++)
        if (strcmp(p->files[i].path, path) == 0)
            return &p->files[i];
    return NULL;
}

const char *pkg_page_kind_name(enum pkg_page_kind k)
{
    return (size_t)k < COUNT(page_kind_names) ? page_kind_names[k] : "?";
}

const char *pkg_slide_kind_name(enum pkg_slide_kind k)
{
    return (size_t)k < COUNT(slide_kind_names) ? slide_kind_names[k] : "?";
}

const char *pkg_survey_type_name(enum survey_type t)
{
    return (size_t)t < COUNT(survey_type_names) ? survey_type_names[t] : "?";
}

void pkg_survey(const struct pkg *p, struct arena *a, struct survey *out)
{
    memset(out, 0, sizeof(*out));
    out->package_id = p->id;
    out->package_version = p->version;
    size_t n = 0;
    for (size_t i = 0; i < p->page_count; i++)
        if (p->pages[i].kind == PAGE_SURVEY)
            n += p->pages[i].survey_count;
    struct survey_question *qs = arena_alloc(a, n * sizeof(*qs));
    size_t k = 0;
    for (size_t i = 0; i < p->page_count; i++) {
        const struct pkg_page *pg = &p->pages[i];
        if (pg->kind != PAGE_SURVEY)
            continue;
        for (size_t j = 0; j < pg->survey_count; j++)
            qs[k++] = pg->survey[j];
    }
    out->questions = qs;
    out->count = n;
    for (size_t i = 0; i < p->change_count; i++) {
        const struct pkg_change *c = &p->changes[i];
        if (c->version && p->version && strcmp(c->version, p->version) == 0) {
            out->change_date = c->date;
            out->changes = c->items;
            out->change_count = c->item_count;
            break;
        }
    }
}

