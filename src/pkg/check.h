/*
 * Checks that need the whole loaded package: links between pages, images and their alt
 * text, story reachability and endings, and reading age. pkg_load() already reports what
 * can be seen in one file at a time (syntax, unknown keys, missing fields, duplicate ids).
 */
#ifndef PLANPACK_CHECK_H
#define PLANPACK_CHECK_H

#include <stdio.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"

/* Adds every problem found to diags. */
void pkg_check(const struct pkg *p, const struct fileset *fs, struct diag_list *diags);

/* Counts behind a Flesch-Kincaid grade. */
struct readability {
    size_t words;
    size_t sentences;
    size_t syllables;
};

/* Adds the prose in text (plain text or Markdown source) to the counts. */
void readability_add(struct readability *r, const char *text);
/* Flesch-Kincaid grade level; 0 when there are no words. */
double readability_grade(const struct readability *r);
/* Reading age in years (grade + 5, the usual UK reading of a US grade). */
double readability_age(const struct readability *r);

/* Measures one page: its Markdown body and all structured text a pupil reads. */
void page_readability(const struct pkg_page *page, struct readability *out);

/* Prints a table with one line per pupil page: reading age, grade, words, page id, and
 * whether it is OK, ABOVE the target, or too short to judge. */
void check_print_readability(const struct pkg *p, FILE *out);

#endif
