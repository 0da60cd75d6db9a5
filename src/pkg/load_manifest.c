/*
 * package.yaml: the package's identity, its support directory and change log, the reading
 * age for its pupil pages and the quick-exit address.
 */
#include "pkg/loader.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"

/* ---- package.yaml ---- */

static const char *const package_keys[] = {
    "id",       "title", "version", "language", "audience",  "publisher", "reading_age",
    "exit_url", "pages", "support", "changes",  "languages", NULL};

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

/* A support entry's numbers, addresses and date, checked once they are all read. */
static void read_support(struct loader *L, const struct ynode *map, void *item, const char *subj,
                         void *ctx)
{
    (void)ctx;
    struct pkg_support *s = item;
    if (s->phone) {
        char tel[32];
        if (pkg_phone_normalise(s->phone, tel, sizeof(tel)))
            s->tel = arena_strdup(L->a, tel);
        else
            ERR(L, line_of(map, "phone"),
                "'%s' is not a UK phone number planpack recognises: write it as it is "
                "dialled, in digits and spaces, e.g. 0800 1111, 999, 116 123 or "
                "0808 800 5000",
                s->phone);
    }
    if (s->sms && !pkg_sms_valid(s->sms))
        ERR(L, line_of(map, "sms"), "'%s' is not a number to text: use 5 to 11 digits, e.g. 85258",
            s->sms);
    check_https(L, map, "url", s->url);
    check_https(L, map, "chat", s->chat);
    check_https(L, map, "source", s->source);
    check_date(L, map, "checked", s->checked);
    if (!s->phone && !s->sms && !s->url && !s->chat)
        ERR(L, map->line, "%s gives no way to get in touch: add a 'phone', 'sms', 'url' or 'chat'",
            subj);
}

static const struct list_field support_fields[] = {
    LIST_ID(struct pkg_support),
    LIST_NEED(struct pkg_support, "name", name),
    LIST_NEED(struct pkg_support, "for", about),
    LIST_TEXT(struct pkg_support, "phone", phone),
    LIST_TEXT(struct pkg_support, "sms", sms),
    LIST_TEXT(struct pkg_support, "url", url),
    LIST_TEXT(struct pkg_support, "chat", chat),
    LIST_TEXT(struct pkg_support, "hours", hours),
    LIST_NEED(struct pkg_support, "source", source),
    LIST_NEED(struct pkg_support, "checked", checked),
    LIST_BOOL(struct pkg_support, "emergency", emergency),
};
static const struct list_shape support = {
    {"support", "id: childline", "a support entry", "support entry"},
    LIST_ITEMS(struct pkg_support, support_fields, read_support),
    LIST_IDS(ID_SUPPORT, NULL)};

/* A change's version and date, checked, and what changed: a list of lines of text. */
static void read_change(struct loader *L, const struct ynode *map, void *item, const char *subj,
                        void *ctx)
{
    (void)ctx;
    struct pkg_change *c = item;
    if (c->version && !pkg_version_valid(c->version))
        ERR(L, line_of(map, "version"),
            "'%s' is not a version number: use MAJOR.MINOR.PATCH, e.g. 1.0.0", c->version);
    check_date(L, map, "date", c->date);
    const struct ynode *items = get_list(L, map, "items", true, subj);
    if (!items)
        return;
    c->items = alloc_items(L, items, sizeof(*c->items));
    for (const struct ynode *t = items->first; t; t = t->next) {
        if (t->kind != YNODE_SCALAR || scalar_blank(t)) {
            ERR(L, t->line, "each item of 'items' should be a line of text saying what changed");
            continue;
        }
        c->items[c->item_count++] = arena_strndup(L->a, t->str, t->len);
    }
}

static const struct list_field change_fields[] = {
    LIST_NEED(struct pkg_change, "version", version),
    LIST_NEED(struct pkg_change, "date", date),
    LIST_OTHER("items"),
};
static const struct list_shape changes = {
    {"changes", "version: 1.0.0", "a change", "change"},
    LIST_ITEMS(struct pkg_change, change_fields, read_change)};

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

/*
 * `languages:`, the languages pupils can read the package in: the source `language` first
 * (implied when the list leaves it out), then each translation's, once each.
 */
static void load_languages(struct loader *L, const struct ynode *root)
{
    struct pkg *p = L->p;
    const struct ynode *list = get_list(L, root, "languages", false, "package.yaml");
    size_t most = (list ? list->count : 0) + 1;
    p->languages = arena_alloc(L->a, most * sizeof(*p->languages));
    p->language_lines = arena_alloc(L->a, most * sizeof(*p->language_lines));
    p->language_lines[0] = line_of(root, "language");
    p->languages[p->n_languages++] = p->language ? p->language : "en";
    for (const struct ynode *v = list ? list->first : NULL; v; v = v->next) {
        if (v->kind != YNODE_SCALAR || !pkg_language_valid(v->str)) {
            ERR(L, v->line, "'%s' is not a language tag: use one such as en-GB or cy",
                v->kind == YNODE_SCALAR ? v->str : ytree_kind_name(v));
            continue;
        }
        bool seen = false;
        for (size_t i = 0; i < p->n_languages; i++)
            seen = seen || strcasecmp(p->languages[i], v->str) == 0;
        if (seen && (!p->language || strcasecmp(p->language, v->str) != 0))
            ERR(L, v->line, "'%s' is listed twice in 'languages'", v->str);
        else if (seen)
            p->language_lines[0] = v->line;
        if (!seen) {
            p->language_lines[p->n_languages] = v->line;
            p->languages[p->n_languages++] = arena_strndup(L->a, v->str, v->len);
        }
    }
}

/* Reads package.yaml; returns its tree, or NULL when it cannot be read as a set of keys. */
const struct ynode *load_manifest(struct loader *L, const struct file_entry *e)
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
    load_languages(L, root);
    p->audience = get_text(L, root, "audience", true, "package.yaml");
    p->publisher = get_text(L, root, "publisher", false, "package.yaml");
    load_reading_age(L, root);
    p->exit_url = get_text(L, root, "exit_url", false, "package.yaml");
    check_https(L, root, "exit_url", p->exit_url);
    p->support = load_list(L, get_list(L, root, "support", false, "package.yaml"), &support, NULL,
                           NULL, &p->support_count);
    p->changes = load_list(L, get_list(L, root, "changes", false, "package.yaml"), &changes, NULL,
                           NULL, &p->change_count);
    return root;
}
