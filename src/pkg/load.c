/*
 * The package loader: package.yaml and each listed pages/<id>.md, read into the model.
 * This file holds what the other load_*.c files share (reading a value and saying what is
 * wrong with it), the duplicate-id check, pkg_load() itself and the lookups; pkg/loader.h
 * says which file reads which part.
 *
 * Everything that can be seen in one file at a time is reported here, every problem and
 * not only the first: YAML syntax, unknown keys, missing or mistyped values, ids of the
 * wrong form, and duplicate ids across the package. Whole-package checks (links, images,
 * story paths, reading age) are in check.c.
 */
#include "pkg/loader.h"

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
#include "pkg/translation.h"

static const char *const id_kind_names[] = {
    "step",         "character",       "question group", "question",      "strategy", "reply",
    "plan section", "survey question", "option",         "support entry", "address",
};

void loader_report(struct loader *L, enum diag_severity sev, int line, const char *fmt, ...)
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

/* "strategy 'humour'" when the id is known, else "a strategy". */
const char *subject(struct loader *L, const char *noun, const char *id)
{
    if (id)
        return arena_printf(&L->tmp, "%s '%s'", noun, id);
    bool vowel = strchr("aeiou", noun[0]) != NULL;
    return arena_printf(&L->tmp, "%s %s", vowel ? "an" : "a", noun);
}

void join_names(struct buf *b, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n && names[i]; i++)
        buf_addf(b, "%s%s", i ? ", " : "", names[i]);
}

int find_name(const char *const *names, size_t n, const char *s)
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

void note_id(struct loader *L, enum id_kind kind, const void *scope, const char *id, int line,
             const char *what, const void *owner)
{
    if (!id)
        return;
    XGROW(L->ids, L->id_cap, L->id_count + 1);
    L->ids[L->id_count] = (struct id_use){kind, scope, id, L->file, line, L->id_count, what, owner};
    L->id_count++;
}

/* ---- reading values ---- */

bool scalar_blank(const struct ynode *v)
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

void note_suggested(struct loader *L, const struct ynode *map, const char *key)
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
void check_keys(struct loader *L, const struct ynode *map, const char *const *known,
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
const char *get_text(struct loader *L, const struct ynode *map, const char *key, bool required,
                     const char *subj)
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

/* A value that must be one of names: its index, NAME_ABSENT, or NAME_UNKNOWN once reported. */
int get_name(struct loader *L, const struct ynode *map, const char *key, bool required,
             const char *subj, const char *what, const char *const *names, size_t n)
{
    const char *value = get_text(L, map, key, required, subj);
    if (!value)
        return NAME_ABSENT;
    int k = find_name(names, n, value);
    if (k >= 0)
        return k;
    report_unknown_name(L, line_of(map, key), what, value, names, n);
    return NAME_UNKNOWN;
}

/* The line of a member's value, or of the map when the member is absent. */
int line_of(const struct ynode *map, const char *key)
{
    const struct ynode *v = ytree_get(map, key);
    return v ? v->line : map->line;
}

bool get_bool(struct loader *L, const struct ynode *map, const char *key)
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
const struct ynode *get_list(struct loader *L, const struct ynode *map, const char *key,
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
bool item_is_map(struct loader *L, const struct ynode *item, const char *list_key,
                 const char *example)
{
    if (item->kind == YNODE_MAP)
        return true;
    ERR(L, item->line, "each item of '%s' should be a set of keys (like '%s'), not %s", list_key,
        example, ytree_kind_name(item));
    return false;
}

/* A required id: checked for form and noted for the duplicate check. */
const char *get_id(struct loader *L, const struct ynode *map, const char *noun, enum id_kind kind,
                   const void *scope)
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

void *alloc_items(struct loader *L, const struct ynode *list, size_t size)
{
    return arena_alloc(L->a, (list ? list->count : 0) * size + 1);
}

struct diag_loc loader_loc(struct loader *L, int line)
{
    return (struct diag_loc){L->file, line};
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
    translations_load(&impl->pub, fs, diags);
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

const char *pkg_language(const struct pkg *p, const char *tag)
{
    /* Tags are compared without regard to case (BCP 47 says they are case-insensitive). */
    for (size_t i = 0; tag && i < p->n_languages; i++)
        if (strcasecmp(p->languages[i], tag) == 0)
            return p->languages[i];
    if (tag && !p->n_languages && p->language && strcasecmp(p->language, tag) == 0)
        return p->language;
    return NULL;
}

int pkg_language_line(const struct pkg *p, size_t i)
{
    return p->language_lines && i < p->n_languages ? p->language_lines[i] : 0;
}

const struct pkg_file *pkg_file(const struct pkg *p, const char *path)
{
    for (size_t i = 0; i < p->file_count; i++)
        if (strcmp(p->files[i].path, path) == 0)
            return &p->files[i];
    return NULL;
}
