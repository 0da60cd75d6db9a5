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
 * the package's arena (L->a); L->tmp holds what loading needs only until it ends.
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
void report_unknown_name(struct loader *L, int line, const char *what, const char *value,
                         const char *const *names, size_t n);
void note_id(struct loader *L, enum id_kind kind, const void *scope, const char *id, int line,
             const char *what, const void *owner);
bool scalar_blank(const struct ynode *v);
void note_suggested(struct loader *L, const struct ynode *map, const char *key);
void check_keys(struct loader *L, const struct ynode *map, const char *const *known,
                const char *where);
const char *get_text(struct loader *L, const struct ynode *map, const char *key, bool required,
                     const char *subj);
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

/* ---- the parts of a package, each in its own file ---- */

/* load_manifest.c: reads package.yaml; returns its root, or NULL when it cannot be read. */
const struct ynode *load_manifest(struct loader *L, const struct file_entry *e);
/* load_page.c: the pages package.yaml lists (warning of others), or every page file. */
void load_listed_pages(struct loader *L, const struct ynode *list);
void load_all_pages(struct loader *L);
/* load_kinds.c, load_survey.c, load_lesson.c: what a page of each kind adds. */
void load_story(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                const struct ynode *fm);
void load_questions(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_strategies(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_plan(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_survey(struct loader *L, struct pkg_page *page, const struct ynode *fm);
void load_lesson(struct loader *L, struct pkg_page *page, const struct ynode *fm);
/* load_files.c: the pictures pages use, checked (SVG sanitised). */
void load_files(struct loader *L);

#endif
