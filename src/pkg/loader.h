/*
 * What the files of the package loader share, and nothing else may use: the loader's state
 * while one package is read, the ids it notes for the duplicate check, and the helpers that
 * read a value from the YAML tree and report what is wrong with it in the author's words.
 *
 * The loader is split by what it reads: load.c (the helpers, duplicate ids, pkg_load() and
 * the lookups), load_manifest.c (package.yaml), load_page.c (a page's file, its front
 * matter and the table of page kinds), load_kinds.c (stories, questions, strategies, plan
 * sections), load_survey.c (survey questions), load_lesson.c (lesson slides) and
 * load_files.c (the pictures a package publishes). Every string it keeps is allocated in
 * the package's arena (L->a); L->tmp holds what loading needs only until it ends. Most
 * lists of items are read by load_list.c from a table of their keys.
 */
#ifndef PLANPACK_PKG_LOADER_H
#define PLANPACK_PKG_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/internal.h"
#include "pkg/pkg.h"
#include "pkg/yamltree.h"

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

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Adds a problem at line of the file being read (L->file). */
#define ERR(L, line, ...) loader_report((L), DIAG_ERROR, (line), __VA_ARGS__)
#define WARN(L, line, ...) loader_report((L), DIAG_WARNING, (line), __VA_ARGS__)

/* ---- load.c: reading values ---- */

void loader_report(struct loader *L, enum diag_severity sev, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *subject(struct loader *L, const char *noun, const char *id);
void join_names(struct buf *b, const char *const *names, size_t n);
int find_name(const char *const *names, size_t n, const char *s);
void note_id(struct loader *L, enum id_kind kind, const void *scope, const char *id, int line,
             const char *what, const void *owner);
bool scalar_blank(const struct ynode *v);
void note_suggested(struct loader *L, const struct ynode *map, const char *key);
void check_keys(struct loader *L, const struct ynode *map, const char *const *known,
                const char *where);
const char *get_text(struct loader *L, const struct ynode *map, const char *key, bool required,
                     const char *subj);
/* What get_name() returns when key is absent or blank, or its value is not among names. */
enum { NAME_ABSENT = -1, NAME_UNKNOWN = -2 };
int get_name(struct loader *L, const struct ynode *map, const char *key, bool required,
             const char *subj, const char *what, const char *const *names, size_t n);
int line_of(const struct ynode *map, const char *key);
bool get_bool(struct loader *L, const struct ynode *map, const char *key);
const struct ynode *get_list(struct loader *L, const struct ynode *map, const char *key,
                             bool required, const char *subj);
bool item_is_map(struct loader *L, const struct ynode *item, const char *list_key,
                 const char *example);
const char *get_id(struct loader *L, const struct ynode *map, const char *noun, enum id_kind kind,
                   const void *scope);
void *alloc_items(struct loader *L, const struct ynode *list, size_t size);
struct diag_loc loader_loc(struct loader *L, int line);

/* ---- load_list.c: a list of items, each a set of known keys ---- */

/* How the list reader reads one key of an item; FIELD_OTHER is left to the list's reader. */
enum field_type {
    FIELD_ID,       /* const char *: get_id(), read before every other field */
    FIELD_TEXT,     /* const char *: get_text() */
    FIELD_MARKDOWN, /* const char *: get_text(), and the int line its text starts on */
    FIELD_BOOL,     /* bool: get_bool() */
    FIELD_OTHER,    /* a key the item may have, read by read_rest() */
};

struct list_field {
    const char *key;
    enum field_type type;
    bool required;
    size_t offset;      /* of the value in the item's struct */
    size_t line_offset; /* FIELD_MARKDOWN: of the int for its first line */
};

/* Rows of a field table: each reads key into member of struct T, or leaves it to read_rest(). */
/* clang-format off */
#define LIST_ID(T)                {"id", FIELD_ID, true, offsetof(T, id), 0}
#define LIST_TEXT(T, key, member) {(key), FIELD_TEXT, false, offsetof(T, member), 0}
#define LIST_NEED(T, key, member) {(key), FIELD_TEXT, true, offsetof(T, member), 0}
#define LIST_BOOL(T, key, member) {(key), FIELD_BOOL, false, offsetof(T, member), 0}
#define LIST_MARKDOWN(T, key, member, line_member) \
    {(key), FIELD_MARKDOWN, false, offsetof(T, member), offsetof(T, line_member)}
#define LIST_OTHER(key)           {(key), FIELD_OTHER, false, 0, 0}
/* clang-format on */

/*
 * A list of items, each a struct whose first member is its struct diag_loc. The fields are
 * every key an item may have, in the order "known keys" lists them; the reader reads them
 * in that order, then calls read_rest() for what is left.
 */
struct list_shape {
    struct {
        const char *key;     /* the list's key: "each item of 'KEY' should be a set of keys" */
        const char *example; /* an item's first line there, e.g. "id: sam" */
        const char *where;   /* for unknown keys: "a character" */
        const char *noun;    /* an item in messages: "character 'sam'", or "a character" */
    } names;
    size_t size; /* of one item */
    enum id_kind id_kind;
    const char *id_noun; /* for a missing id, when not noun */
    bool id_in_owner;    /* ids are unique within the owner, not in the package */
    const struct list_field *fields;
    size_t field_count;
    /* What the table does not read, or checks across an item's fields; may be NULL. */
    void (*read_rest)(struct loader *L, const struct ynode *map, void *item, const char *subj,
                      void *ctx);
};
/*
 * The members of a list_shape after its names: its items' struct, fields and reader;
 * then, for items with ids, LIST_IDS() or LIST_OWNED_IDS().
 */
#define LIST_ITEMS(T, fields_, read_rest_)                                                         \
    .size = sizeof(T), .fields = (fields_), .field_count = COUNT(fields_), .read_rest = (read_rest_)
/* Ids unique in the package; id_noun_ (NULL: noun) names an item whose id is missing. */
#define LIST_IDS(kind, id_noun_) .id_kind = (kind), .id_noun = (id_noun_)
/* Ids unique within the owner that load_list() is given. */
#define LIST_OWNED_IDS(kind) .id_kind = (kind), .id_in_owner = true

/*
 * Reads list (NULL: an absent one) into an array in the package's arena, reporting items
 * that are not sets of keys and keys the shape does not know. owner scopes the ids when the
 * shape says so; ctx goes to read_rest(). Returns the array, owned by the package, and sets
 * *count; NULL and 0 for an absent list.
 */
void *load_list(struct loader *L, const struct ynode *list, const struct list_shape *shape,
                const void *owner, void *ctx, size_t *count);

/* ---- the parts of a package, each in its own file ---- */

/* load_manifest.c: reads package.yaml; returns its root, or NULL when it cannot be read. */
const struct ynode *load_manifest(struct loader *L, const struct file_entry *e);
/* load_page.c: the pages package.yaml lists (warning of others), or every page file. */
void load_listed_pages(struct loader *L, const struct ynode *list);
void load_all_pages(struct loader *L);
/* load_kinds.c, load_survey.c, load_lesson.c: what a page of each kind adds. */
void load_story(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_questions(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_strategies(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_plan(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_survey(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_lesson(struct loader *L, struct pkg_page *page, const struct ynode *fm);
/* load_files.c: the pictures pages use, checked (SVG sanitised). */
void load_files(struct loader *L);

#endif
