/*
 * What src/pkg shares about translations, and nothing outside it may use: the list of every
 * text of a package a translator translates (each named by a stable path of ids), the short
 * hash that ties a translation to the source text it was made from, and the translated
 * views that pkg_in_language() returns.
 *
 * texts.c walks the texts and builds views; load_translation.c reads translations/LL/ and
 * says what is stale, missing or untranslated; translate.c writes and reads them for
 * translators' tools. docs/authoring.md ("Translations") describes the format for authors.
 */
#ifndef PLANPACK_PKG_TRANSLATION_H
#define PLANPACK_PKG_TRANSLATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"

/* The scope of the texts package.yaml holds (the package's title, the support entries):
 * a name no page can have, since page ids have no dots. */
#define TEXTS_PACKAGE "package.yaml"

/* Longest path of ids within a scope ("step:ID/message:N"), NUL included. */
#define TEXT_PATH_MAX 160

/*
 * One text of a package that a translator translates, as pkg_texts_each() hands it over:
 * borrowed for the length of the call. A text's key is its scope and path together, as in
 * "story" "step:ask/message:2" (messages, choices and slides, which have no ids, by their
 * position, counting from 1).
 */
struct pkg_text {
    const char *scope;   /* a page id, or TEXTS_PACKAGE */
    const char *path;    /* its ids within the scope: "title", "step:ask/choice:1" */
    const char **text;   /* where the package holds it; *text is never NULL */
    struct diag_loc loc; /* where the source text is written */
    const char *where;   /* a note for translators: "page 'The story', step 'ask', message 2" */
};

typedef void pkg_text_fn(void *ctx, const struct pkg_text *t);

/* Calls fn for every text of p that is present (absent optional texts are skipped), in the
 * order of the package: package.yaml first, then each page in order. */
void pkg_texts_each(struct pkg *p, pkg_text_fn *fn, void *ctx);

/* The short hash that a translation records of the text it translates: FNV-1a (32 bits) of
 * the text with trailing spaces and line ends removed, as 8 lower-case hex digits. */
#define TEXT_HASH_LEN 8
void text_hash(const char *text, char out[TEXT_HASH_LEN + 1]);

/* One translated text as read from translations/LL/, before it is matched to its source. */
struct translated_text {
    const char *scope;
    const char *path;
    const char *source_hash; /* as written; NULL when missing */
    const char *text;        /* in the package's arena */
    struct diag_loc loc;     /* the translation's file and line */
    bool used;               /* matched a text of the source */
};

/* One file of a translation, and where a count of the texts it lacks is reported: the line
 * of its `texts:`, or of its first key when it has none. */
struct translation_file {
    const char *scope; /* a page id, or TEXTS_PACKAGE */
    struct diag_loc loc;
};

/* A translation into one language: its status and texts, read by load_translation.c. */
struct translation {
    const char *language;
    const char *status;        /* "draft" or "reviewed" (static) */
    const char *reviewer;      /* reviewed: NAME */
    const char *reviewed_date; /* reviewed: ..., YYYY-MM-DD */
    struct diag_loc status_loc;
    struct translation_file *files; /* the files found under translations/LL/ */
    size_t file_count;
    struct translated_text *texts; /* sorted by scope, then path */
    size_t count;
};

/*
 * Builds the view of source (a loaded package) in t's language into source's arena and
 * returns it: every text from t where t has one made from the current source text, the
 * source's own pointer otherwise (remembered as a fallback). Marks each matched text of t
 * used, and tells match (when not NULL) of each text of the source with what was found
 * for it (NULL when nothing), so that the loader can report what is stale or missing.
 */
typedef void view_match_fn(void *ctx, const struct pkg_text *source,
                           const struct translated_text *found, bool fresh);
struct pkg *view_build(struct pkg *source, struct translation *t, view_match_fn *match, void *ctx);

/* The translated text of t with this key, or NULL. Borrowed from t. */
struct translated_text *translation_find(const struct translation *t, const char *scope,
                                         const char *path);

/* Reads translations/LL/ for every language of p but the first, adds a view of each to p
 * and reports stale, unknown and untranslated texts to diags (load_translation.c). */
void translations_load(struct pkg *p, const struct fileset *fs, struct diag_list *diags);

/* Reads the translation files of one language (load_translation.c): status and texts, in
 * p's arena, sorted; problems of form go to diags. */
void translation_read(struct pkg *p, const struct fileset *fs, const char *lang,
                      struct translation *out, struct diag_list *diags);

#endif
