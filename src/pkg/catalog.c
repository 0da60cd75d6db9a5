/*
 * Interface catalogs: reading one from YAML, the ones planpack ships, and what the site
 * needs to know of a language (its own name, its direction).
 */
#include "pkg/catalog.h"
#include "base/fileset.h"
#include "pkg/pkg.h"
#include "pkg/yamltree.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const ids[] = {
#define UI_ID(name, id) id,
    UI_TEXTS(UI_ID)
#undef UI_ID
};
_Static_assert(sizeof(ids) / sizeof(ids[0]) == UI_TEXT_COUNT, "an id for every text");

const char *ui_text_id(enum ui_text t)
{
    return (size_t)t < UI_TEXT_COUNT ? ids[t] : "";
}

static int find_id(const char *id)
{
    for (size_t i = 0; i < UI_TEXT_COUNT; i++)
        if (strcmp(ids[i], id) == 0)
            return (int)i;
    return -1;
}

/* Whether every '{' in text opens a place for a value, {1} to {UI_PLACES_MAX}. */
static bool placeholders_ok(const char *text)
{
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
        if (p[1] < '1' || p[1] > '0' + UI_PLACES_MAX || p[2] != '}')
            return false;
    return true;
}

int ui_catalog_read(struct ui_catalog *c, struct arena *a, const char *text, size_t len,
                    const char *file, struct diag_list *diags)
{
    memset(c, 0, sizeof(*c));
    const struct ynode *root = ytree_parse(a, text, len, 1, file, diags);
    if (!root)
        return -1;
    if (root->kind != YNODE_MAP) {
        diag_error(diags, file, root->line, "an interface catalog is a set of keys, not %s",
                   ytree_kind_name(root));
        return -1;
    }
    int rc = 0;
    for (const struct ynode *m = root->first; m; m = m->next) {
        if (strcmp(m->key, "texts") == 0)
            continue;
        bool known = strcmp(m->key, "language") == 0 || strcmp(m->key, "name") == 0 ||
                     strcmp(m->key, "status") == 0;
        if (!known || m->kind != YNODE_SCALAR) {
            diag_error(diags, file, m->key_line,
                       known ? "'%s' is one line of text"
                             : "unknown key '%s' (a catalog has language, name, status and "
                               "texts)",
                       m->key);
            rc = -1;
        } else if (strcmp(m->key, "language") == 0) {
            c->language = m->str;
        } else if (strcmp(m->key, "name") == 0) {
            c->name = m->str;
        } else if (strcmp(m->str, "draft") == 0 || strcmp(m->str, "reviewed") == 0) {
            c->draft = strcmp(m->str, "draft") == 0;
        } else {
            diag_error(diags, file, m->line, "status is draft or reviewed, not '%s'", m->str);
            rc = -1;
        }
    }
    const struct ynode *texts = ytree_get(root, "texts");
    if (!texts)
        return rc;
    if (texts->kind != YNODE_MAP) {
        diag_error(diags, file, texts->line, "texts: is a set of keys (id: text), not %s",
                   ytree_kind_name(texts));
        return -1;
    }
    for (const struct ynode *m = texts->first; m; m = m->next) {
        int i = find_id(m->key);
        if (i < 0) {
            diag_error(diags, file, m->key_line, "'%s' is not an interface text's id", m->key);
            rc = -1;
        } else if (m->kind != YNODE_SCALAR || !*m->str || strchr(m->str, '\n')) {
            diag_error(diags, file, m->line, "the text of '%s' is one line of text", m->key);
            rc = -1;
        } else if (!placeholders_ok(m->str)) {
            diag_error(diags, file, m->line,
                       "the text of '%s' has a '{' that is not a place for a value ({1} to "
                       "{%d})",
                       m->key, UI_PLACES_MAX);
            rc = -1;
        } else {
            c->text[i] = m->str;
        }
    }
    return rc;
}

/* The primary language subtag of tag ("en" of "en-GB"), as a length. */
static size_t primary_len(const char *tag)
{
    return strcspn(tag, "-_.");
}

static bool same_primary(const char *a, const char *b)
{
    size_t n = primary_len(a);
    return n == primary_len(b) && strncasecmp(a, b, n) == 0;
}

/* Reads a shipped catalog into a; a problem in it goes to stderr (the unit tests read every
 * shipped catalog and find none). */
static const struct ui_catalog *read_builtin(struct arena *a, const struct file_entry *e)
{
    struct ui_catalog *c = arena_alloc(a, sizeof(*c));
    struct diag_list diags;
    diag_list_init(&diags);
    if (ui_catalog_read(c, a, (const char *)e->data, e->len, e->path, &diags) != 0)
        diag_print(&diags, "planpack: src/site/catalogs/", DIAG_WARNING, stderr);
    diag_list_release(&diags);
    return c;
}

const struct ui_catalog *ui_catalog_builtin(struct arena *a, const char *language)
{
    for (size_t i = 0; language && i < embedded_catalogs_count; i++)
        if (same_primary(embedded_catalogs[i].path, language))
            return read_builtin(a, &embedded_catalogs[i]);
    return NULL;
}

bool ui_language_rtl(const char *language)
{
    static const char *const rtl[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw",
                                      "ks", "ps",  "sd",  "ug", "ur", "yi"};
    if (!language)
        return false;
    /* A script subtag says it outright: "ku-Arab", "pa-Arab", "az-Latn". */
    for (const char *p = strchr(language, '-'); p; p = strchr(p + 1, '-')) {
        if (strncasecmp(p + 1, "Arab", 4) == 0 || strncasecmp(p + 1, "Hebr", 4) == 0 ||
            strncasecmp(p + 1, "Thaa", 4) == 0 || strncasecmp(p + 1, "Syrc", 4) == 0)
            return true;
        if (strncasecmp(p + 1, "Latn", 4) == 0 || strncasecmp(p + 1, "Cyrl", 4) == 0)
            return false;
    }
    for (size_t i = 0; i < sizeof(rtl) / sizeof(rtl[0]); i++)
        if (same_primary(rtl[i], language))
            return true;
    return false;
}

const char *ui_language_name(const char *language)
{
    static const struct {
        const char *tag;
        const char *name;
    } names[] = {
        {"ar", "العربية"},  {"bn", "বাংলা"},    {"cy", "Cymraeg"},    {"de", "Deutsch"},
        {"en", "English"},  {"es", "Español"},  {"fa", "فارسی"},      {"fr", "Français"},
        {"ga", "Gaeilge"},  {"gd", "Gàidhlig"}, {"he", "עברית"},      {"it", "Italiano"},
        {"pa", "ਪੰਜਾਬੀ"},    {"pl", "Polski"},   {"pt", "Português"},  {"ro", "Română"},
        {"so", "Soomaali"}, {"tr", "Türkçe"},   {"uk", "Українська"}, {"ur", "اردو"},
    };
    for (size_t i = 0; language && i < sizeof(names) / sizeof(names[0]); i++)
        if (same_primary(names[i].tag, language))
            return names[i].name;
    return NULL;
}

const struct pkg_file *ui_package_catalog(const struct pkg *p, const char *language)
{
    char path[128];
    int n = snprintf(path, sizeof(path), "translations/%s/interface.yaml", language);
    return n > 0 && (size_t)n < sizeof(path) ? pkg_file(p, path) : NULL;
}

void ui_catalog_check(const struct pkg *p, struct diag_list *diags)
{
    struct arena a = ARENA_INIT;
    for (size_t i = 0; i < p->n_languages; i++) {
        const char *lang = p->languages[i];
        const struct pkg_file *f = ui_package_catalog(p, lang);
        const struct ui_catalog *own = ui_catalog_builtin(&a, lang);
        struct ui_catalog pc;
        if (f && ui_catalog_read(&pc, &a, (const char *)f->data, f->len, f->path, diags) != 0)
            f = NULL;
        /* A language folder beside a page of the same name would be two things at one
         * address: /cy/ and /cy. */
        if (i > 0 && pkg_page(p, lang))
            diag_error(diags, "package.yaml", pkg_language_line(p, i),
                       "the language '%s' has a folder of its own on the site, so no page "
                       "may have the id '%s'",
                       lang, lang);
        /* A code that is not a language tag is an error of its own (load_manifest.c). */
        size_t primary = primary_len(lang);
        if (primary < 2 || primary > 3)
            continue;
        size_t missing = 0;
        for (size_t t = 0; t < UI_TEXT_COUNT; t++)
            missing += !(f && pc.text[t]) && !(own && own->text[t]);
        if (missing)
            diag_warning(diags, "package.yaml", pkg_language_line(p, i),
                         "%zu of the %d interface texts (Quick exit, Next, the form's words) "
                         "have no translation into '%s', so they show in English; "
                         "translations/%s/interface.yaml can give them (docs/authoring.md, "
                         "\"Interface texts\")",
                         missing, UI_TEXT_COUNT, lang, lang);
    }
    arena_release(&a);
}
