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
        s->loc = loader_loc(L, item->line);
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
        c->loc = loader_loc(L, item->line);
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

/*
 * `languages:`, the languages pupils can read the package in: the source `language` first
 * (implied when the list leaves it out), then each translation's, once each.
 */
static void load_languages(struct loader *L, const struct ynode *root)
{
    struct pkg *p = L->p;
    const struct ynode *list = get_list(L, root, "languages", false, "package.yaml");
    p->languages = arena_alloc(L->a, ((list ? list->count : 0) + 1) * sizeof(*p->languages));
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
        if (!seen)
            p->languages[p->n_languages++] = arena_strndup(L->a, v->str, v->len);
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
    const struct ynode *support = get_list(L, root, "support", false, "package.yaml");
    if (support)
        load_support(L, support);
    const struct ynode *changes = get_list(L, root, "changes", false, "package.yaml");
    if (changes)
        load_changes(L, changes);
    return root;
}
