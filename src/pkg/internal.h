/*
 * What the loader and the checker share, and nothing outside src/pkg may use: the package
 * as the loader allocates it (with notes for the checker), and the small syntaxes that
 * values must follow (ids, versions, dates, phone numbers, web addresses), with the
 * "did you mean" helper for near misses.
 */
#ifndef PLANPACK_PKG_INTERNAL_H
#define PLANPACK_PKG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "pkg/pkg.h"

/* Limits beyond those of the YAML reader (yamltree.h); passing one is reported. */
#define PKG_MAX_YAML_BYTES ((size_t)1 << 20)
#define PKG_MAX_PAGE_BYTES ((size_t)1 << 20)
#define PKG_MAX_PAGES 200
#define PKG_ID_MAX 40

/* What the checker needs to know about a page beyond the model. */
struct pkg_page_note {
    bool broken;    /* its front matter could not be read, so its structure is unknown */
    int steps_line; /* story pages: the line of 'steps:' */
};

/* The package as pkg_load() allocates it; pub comes first so that a struct pkg * is one. */
struct pkg_impl {
    struct pkg pub;
    struct pkg_page_note *notes; /* one per page, in the arena */
    bool manifest_broken;        /* package.yaml could not be read as a set of keys */
    /* Translations (translation.h): the source holds one view per language after the first;
     * a view knows its source, its review status and which of its texts are the source's. */
    struct pkg_impl **views; /* source only: views[i] is in pub.languages[i + 1] */
    const struct pkg_impl *source;
    const char **fallbacks; /* views only: the source's text pointers the view shows, sorted */
    size_t fallback_count;
    const char *status; /* views only: "draft" or "reviewed" */
    const char *reviewer;
    const char *reviewed_date;
};

static inline const struct pkg_impl *pkg_impl_of(const struct pkg *p)
{
    return (const struct pkg_impl *)p;
}

/* Below this many words a reading age says little, so it is shown but not warned about. */
#define READABILITY_MIN_WORDS 30

/* Warns of each pupil page whose reading age is above the package's target (readability.c). */
void readability_check(const struct pkg *p, struct diag_list *diags);

/* A BCP 47 language tag as packages write one: "en", "en-GB", "cy". */
bool pkg_language_valid(const char *s);
/*
 * Reads safeguarding.yaml, when the package has one, into p->flag_lists (in p's arena),
 * reporting its problems to diags (flags.c).
 */
void pkg_flags_load(struct pkg *p, const struct fileset *fs, struct diag_list *diags);
/* Whether s is an id: [a-z0-9] and single hyphens, starting with a letter, at most 40 bytes. */
bool pkg_id_valid(const char *s);
/* MAJOR.MINOR.PATCH, each a number without leading zeros. */
bool pkg_version_valid(const char *s);
/* A real calendar date written YYYY-MM-DD. */
bool pkg_date_valid(const char *s);
/* https://host[:port][/path...] with a plausible host name and no spaces or quotes. */
bool pkg_https_url_valid(const char *s);
/*
 * Checks a UK phone number as people write it (digits and spaces, or +44) and writes the
 * digits for a tel: link into out (with a leading '+' for +44). Returns false, leaving out
 * empty, when it is not a number planpack recognises.
 */
bool pkg_phone_normalise(const char *s, char *out, size_t outsize);
/* A number to text: 5 to 11 digits, spaces allowed. */
bool pkg_sms_valid(const char *s);

/* "Did you mean" for near misses: offer each candidate, then read best (NULL if none). */
struct suggest {
    const char *word;
    const char *best;
    size_t best_distance;
};
void suggest_init(struct suggest *s, const char *word);
void suggest_try(struct suggest *s, const char *candidate);
/* Optimal string alignment distance, case-insensitive; SIZE_MAX past limit. */
size_t pkg_edit_distance(const char *a, const char *b, size_t limit);

#endif
