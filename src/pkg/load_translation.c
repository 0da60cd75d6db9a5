/*
 * A package's translations: translations/LL/package.yaml (the translation's status and the
 * texts of package.yaml) and translations/LL/pages/ID.yaml (the texts of pages/ID.md), for
 * each language of `languages:` after the first. Each file holds a list `texts:` whose items
 * name a source text by its key (translation.h), record the hash of the source text they were
 * made from, and give the translation:
 *
 *     texts:
 *       - id: step:ask/message:2
 *         source: 3f2a9c1e
 *         text: Wyt ti'n iawn?
 *
 * What a translator must hear of is a warning, never an error, so that a change to the
 * source never stops a package from being published: a translation whose source text has
 * changed (stale: the page shows the source text until it is brought up to date, as gettext
 * does with a fuzzy entry), one whose id no longer exists, how many texts of each page have
 * no translation, and a draft status. Only files that cannot be read as this format are
 * errors.
 */
#include "pkg/translation.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "pkg/loader.h"

static const char *const text_keys[] = {"id", "source", "text", NULL};

struct reader {
    struct pkg *p;
    struct arena tmp;
    struct diag_list *diags;
    struct translation *t;
    size_t cap;
};

static const char *file_key(const struct ynode *map, const char *key, const char *file,
                            struct diag_list *diags)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v)
        return NULL;
    if (v->kind != YNODE_SCALAR) {
        diag_error(diags, file, v->line, "'%s' should be text, not %s", key, ytree_kind_name(v));
        return NULL;
    }
    return v->str;
}

static bool hash_valid(const char *s)
{
    if (strlen(s) != TEXT_HASH_LEN)
        return false;
    for (size_t i = 0; i < TEXT_HASH_LEN; i++)
        if (!strchr("0123456789abcdef", s[i]))
            return false;
    return true;
}

/* Reads one item of `texts:` into the translation. */
static void read_text(struct reader *R, const char *scope, const char *file,
                      const struct ynode *item)
{
    if (item->kind != YNODE_MAP) {
        diag_error(R->diags, file, item->line,
                   "each item of 'texts' should be a set of keys (id, source, text), not %s",
                   ytree_kind_name(item));
        return;
    }
    for (const struct ynode *m = item->first; m; m = m->next) {
        bool known = false;
        for (size_t i = 0; text_keys[i]; i++)
            known = known || strcmp(text_keys[i], m->key) == 0;
        if (!known)
            diag_error(R->diags, file, m->key_line,
                       "unknown key '%s' in a translated text (known keys: id, source, text)",
                       m->key);
    }
    const char *id = file_key(item, "id", file, R->diags);
    const char *hash = file_key(item, "source", file, R->diags);
    const struct ynode *text = ytree_get(item, "text");
    if (!id || !*id) {
        diag_error(R->diags, file, item->line, "a translated text has no 'id'");
        return;
    }
    if (!text || text->kind != YNODE_SCALAR || scalar_blank(text)) {
        diag_error(R->diags, file, text ? text->line : item->line,
                   "'%s' has no 'text': give the translation, or leave the item out", id);
        return;
    }
    if (hash && !hash_valid(hash)) {
        diag_error(R->diags, file, line_of(item, "source"),
                   "'%s' is not a source hash: it is the %d hex digits that `planpack "
                   "translate export` writes",
                   hash, TEXT_HASH_LEN);
        hash = NULL;
    }
    struct translation *t = R->t;
    XGROW(t->texts, R->cap, t->count + 1);
    struct arena *a = &R->p->arena;
    t->texts[t->count++] = (struct translated_text){
        .scope = scope,
        .path = arena_strdup(a, id),
        .source_hash = hash ? arena_strdup(a, hash) : NULL,
        .text = arena_strndup(a, text->str, text->len),
        .loc = {file, item->line},
    };
}

/* Reads `status:` and `reviewed:` of translations/LL/package.yaml. */
static void read_status(struct reader *R, const char *file, const struct ynode *root)
{
    struct translation *t = R->t;
    const char *status = file_key(root, "status", file, R->diags);
    const char *reviewed = file_key(root, "reviewed", file, R->diags);
    t->status = "draft";
    t->status_loc = (struct diag_loc){file, root->line};
    if (status) {
        t->status_loc.line = line_of(root, "status");
        if (strcmp(status, "reviewed") == 0)
            t->status = "reviewed";
        else if (strcmp(status, "draft") != 0)
            diag_error(R->diags, file, t->status_loc.line,
                       "'status' is draft or reviewed, not '%s'", status);
    }
    if (strcmp(t->status, "reviewed") != 0) {
        if (reviewed)
            diag_warning(R->diags, file, line_of(root, "reviewed"),
                         "'reviewed' is only read with 'status: reviewed'");
        return;
    }
    const char *comma = reviewed ? strrchr(reviewed, ',') : NULL;
    const char *date = comma ? comma + 1 : NULL;
    while (date && *date == ' ')
        date++;
    if (!comma || comma == reviewed || !pkg_date_valid(date)) {
        diag_error(R->diags, file, reviewed ? line_of(root, "reviewed") : t->status_loc.line,
                   "a reviewed translation says who reviewed it and when: "
                   "'reviewed: NAME, YYYY-MM-DD'");
        t->status = "draft";
        return;
    }
    t->reviewer = arena_strndup(&R->p->arena, reviewed, (size_t)(comma - reviewed));
    t->reviewed_date = arena_strdup(&R->p->arena, date);
}

/* Reads one translation file; scope is the page id, or TEXTS_PACKAGE for package.yaml. */
static void read_file(struct reader *R, const struct file_entry *e, const char *scope)
{
    const char *file = arena_strdup(&R->p->arena, e->path);
    struct translation_file *f = &R->t->files[R->t->file_count++];
    *f = (struct translation_file){arena_strdup(&R->p->arena, scope), {file, 1}};
    if (e->len > PKG_MAX_YAML_BYTES) {
        diag_error(R->diags, file, 1, "this file is larger than %zu bytes, the most allowed",
                   PKG_MAX_YAML_BYTES);
        return;
    }
    const struct ynode *root =
        ytree_parse(&R->tmp, (const char *)e->data, e->len, 1, file, R->diags);
    if (!root)
        return;
    if (root->kind != YNODE_MAP) {
        diag_error(R->diags, file, root->line,
                   "a translation file should be a set of keys starting with 'texts:', not %s",
                   ytree_kind_name(root));
        return;
    }
    f->loc.line = root->line;
    bool package = strcmp(scope, TEXTS_PACKAGE) == 0;
    for (const struct ynode *m = root->first; m; m = m->next)
        if (strcmp(m->key, "texts") != 0 &&
            !(package && (strcmp(m->key, "status") == 0 || strcmp(m->key, "reviewed") == 0)))
            diag_error(R->diags, file, m->key_line, "unknown key '%s' in a translation file%s",
                       m->key,
                       package ? " (known keys: status, reviewed, texts)" : " (it holds 'texts:')");
    if (package)
        read_status(R, file, root);
    const struct ynode *texts = ytree_get(root, "texts");
    if (!texts)
        return;
    f->loc.line = texts->key_line;
    if (texts->kind != YNODE_SEQ) {
        if (!scalar_blank(texts))
            diag_error(R->diags, file, texts->line,
                       "'texts' should be a list (lines starting with '- '), not %s",
                       ytree_kind_name(texts));
        return;
    }
    if (!package && !pkg_page(R->p, scope)) {
        diag_warning(R->diags, file, texts->line,
                     "the package has no page '%s' any more: this file's translations are not "
                     "used",
                     scope);
        return;
    }
    for (const struct ynode *item = texts->first; item; item = item->next)
        read_text(R, package ? TEXTS_PACKAGE : arena_strdup(&R->p->arena, scope), file, item);
}

static int cmp_text(const void *a, const void *b)
{
    const struct translated_text *x = a;
    const struct translated_text *y = b;
    int c = strcmp(x->scope, y->scope);
    if (!c)
        c = strcmp(x->path, y->path);
    if (!c)
        c = x->loc.line - y->loc.line;
    return c;
}

void translation_read(struct pkg *p, const struct fileset *fs, const char *lang,
                      struct translation *out, struct diag_list *diags)
{
    struct reader R = {.p = p, .diags = diags, .t = out};
    *out = (struct translation){.language = lang, .status = "draft"};
    out->status_loc.file = arena_printf(&p->arena, "translations/%s/package.yaml", lang);
    out->files = arena_alloc(&p->arena, fs->count * sizeof(*out->files) + 1);
    char dir[64];
    snprintf(dir, sizeof(dir), "translations/%s/", lang);
    size_t dlen = strlen(dir);
    for (size_t i = 0; i < fs->count; i++) {
        const struct file_entry *e = &fs->files[i];
        if (strncasecmp(e->path, dir, dlen) != 0)
            continue;
        const char *rest = e->path + dlen;
        if (strcmp(rest, "package.yaml") == 0) {
            read_file(&R, e, TEXTS_PACKAGE);
            continue;
        }
        /* The interface's words in this language, which the catalog check reads
         * (pkg/catalog.h). */
        if (strcmp(rest, "interface.yaml") == 0)
            continue;
        size_t n = strlen(rest);
        char id[PKG_ID_MAX + 1];
        if (strncmp(rest, "pages/", 6) == 0 && n > 11 && n - 11 <= PKG_ID_MAX &&
            strcmp(rest + n - 5, ".yaml") == 0) {
            memcpy(id, rest + 6, n - 11);
            id[n - 11] = '\0';
            if (pkg_id_valid(id)) {
                read_file(&R, e, id);
                continue;
            }
        }
        diag_warning(diags, e->path, 1,
                     "not a translation file, so not read: a translation holds package.yaml, "
                     "pages/ID.yaml for each page ID and interface.yaml");
    }
    if (out->count > 1)
        qsort(out->texts, out->count, sizeof(*out->texts), cmp_text);
    /* The texts move into the package's arena, so that the view may keep pointing at them. */
    struct translated_text *kept = arena_alloc(&p->arena, out->count * sizeof(*kept) + 1);
    size_t n = 0;
    for (size_t i = 0; i < out->count; i++) {
        const struct translated_text *x = &out->texts[i];
        if (n && strcmp(kept[n - 1].scope, x->scope) == 0 &&
            strcmp(kept[n - 1].path, x->path) == 0) {
            diag_error(diags, x->loc.file, x->loc.line,
                       "'%s' is translated twice: it is already at %s:%d", x->path,
                       kept[n - 1].loc.file, kept[n - 1].loc.line);
            continue;
        }
        kept[n++] = *x;
    }
    free(out->texts);
    out->texts = kept;
    out->count = n;
    arena_release(&R.tmp);
}

/* ---- matching a translation to its source ---- */

struct page_count {
    const char *scope;
    const char *file; /* the translation file this scope's texts belong in */
    size_t missing;
    size_t total;
};

struct matcher {
    struct pkg *p;
    struct diag_list *diags;
    const char *lang;
    int lang_line; /* the line of package.yaml that lists lang */
    struct page_count *pages;
    size_t page_count;
    size_t page_cap;
};

static void match_one(void *ctx, const struct pkg_text *source, const struct translated_text *found,
                      bool fresh)
{
    struct matcher *M = ctx;
    if (!M->page_count || strcmp(M->pages[M->page_count - 1].scope, source->scope) != 0) {
        XGROW(M->pages, M->page_cap, M->page_count + 1);
        const char *file = strcmp(source->scope, TEXTS_PACKAGE) == 0
                               ? arena_printf(&M->p->arena, "translations/%s/package.yaml", M->lang)
                               : arena_printf(&M->p->arena, "translations/%s/pages/%s.yaml",
                                              M->lang, source->scope);
        M->pages[M->page_count++] = (struct page_count){source->scope, file, 0, 0};
    }
    struct page_count *pc = &M->pages[M->page_count - 1];
    pc->total++;
    if (!found) {
        pc->missing++;
        return;
    }
    if (fresh)
        return;
    if (!found->source_hash)
        diag_warning(M->diags, found->loc.file, found->loc.line,
                     "'%s' does not say which source text it translates (no 'source:'), so it "
                     "is not shown: check it against %s:%d and add the source hash",
                     found->path, source->loc.file, source->loc.line);
    else
        diag_warning(M->diags, found->loc.file, found->loc.line,
                     "stale translation of '%s': its source text (%s:%d) has changed since it "
                     "was translated, so pupils see the source text until it is updated",
                     found->path, source->loc.file, source->loc.line);
}

static void translation_report(struct matcher *M, const struct translation *t)
{
    for (size_t i = 0; i < t->count; i++) {
        const struct translated_text *x = &t->texts[i];
        if (!x->used)
            diag_warning(M->diags, x->loc.file, x->loc.line,
                         "'%s' is not a text of the source any more (its id or position has "
                         "changed or it was removed): this translation is not used",
                         x->path);
    }
    for (size_t i = 0; i < M->page_count; i++) {
        const struct page_count *pc = &M->pages[i];
        if (!pc->missing)
            continue;
        const struct translation_file *f = NULL;
        for (size_t j = 0; j < t->file_count && !f; j++)
            if (strcmp(t->files[j].scope, pc->scope) == 0)
                f = &t->files[j];
        bool package = strcmp(pc->scope, TEXTS_PACKAGE) == 0;
        const char *what =
            package ? "package.yaml" : arena_printf(&M->p->arena, "page '%s'", pc->scope);
        /* A file that is not there has no line to point at: the language's line does. */
        if (!f)
            diag_warning(M->diags, "package.yaml", M->lang_line,
                         "%s has no translation into %s yet (%s): its %zu texts show in %s", what,
                         M->lang, pc->file, pc->total, M->p->languages[0]);
        else
            diag_warning(M->diags, f->loc.file, f->loc.line,
                         "%s: %zu of its %zu texts are not translated into %s, so they show "
                         "in %s",
                         what, pc->missing, pc->total, M->lang, M->p->languages[0]);
    }
    if (strcmp(t->status, "draft") == 0)
        diag_warning(M->diags, t->status_loc.file, t->status_loc.line,
                     "draft translation, not yet reviewed (%s)", M->lang);
}

void translations_load(struct pkg *p, const struct fileset *fs, struct diag_list *diags)
{
    struct pkg_impl *impl = (struct pkg_impl *)p;
    if (!p->n_languages) {
        /* package.yaml could not be read: the package still has its one language. */
        p->languages = arena_alloc(&p->arena, sizeof(*p->languages));
        p->languages[p->n_languages++] = p->language ? p->language : "en";
    }
    if (p->n_languages < 2)
        return;
    impl->views = arena_alloc(&p->arena, (p->n_languages - 1) * sizeof(struct pkg_impl *));
    for (size_t i = 1; i < p->n_languages; i++) {
        struct translation t;
        translation_read(p, fs, p->languages[i], &t, diags);
        struct matcher M = {
            .p = p, .diags = diags, .lang = p->languages[i], .lang_line = pkg_language_line(p, i)};
        impl->views[i - 1] = (struct pkg_impl *)view_build(p, &t, match_one, &M);
        if (!t.status_loc.line) /* no translations/LL/package.yaml */
            t.status_loc = (struct diag_loc){"package.yaml", M.lang_line};
        if (t.file_count)
            translation_report(&M, &t);
        else
            diag_warning(diags, "package.yaml", pkg_language_line(p, i),
                         "'languages' lists %s, but there is no translation into it yet "
                         "(translations/%s/): every text shows in %s",
                         p->languages[i], p->languages[i], p->languages[0]);
        free(M.pages);
    }
}
