/*
 * Finding words and phrases in free text the way a reader would: without regard to case or
 * accents, and only as whole words. It flags pupils' comments that may be a disclosure
 * (web/staff_flags.c) against the word lists a package gives (pkg.h, struct pkg_flag_list).
 *
 * Folding: letters in lower case; Latin letters lose their accents (é is e, ŵ is w, ß is
 * ss, æ is ae) and combining accents are dropped; apostrophes are dropped, so "don't",
 * "don’t" and "dont" are one word; every other character that is not a letter or a digit
 * (spaces, punctuation, symbols, emoji, bytes that are not UTF-8) separates words. Letters
 * of other scripts are kept as written.
 *
 * A phrase matches when its words appear in the text one after another; a word written
 * with a trailing '*' matches any word that begins with it ("suicid*": suicide, suicidal).
 */
#ifndef PLANPACK_TEXTMATCH_H
#define PLANPACK_TEXTMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"

/*
 * Appends s[0..len) folded to out: words separated by single spaces, with one space before
 * the first and after the last (" something to tell "), or nothing when s has no word.
 */
void textmatch_fold(const char *s, size_t len, struct buf *out);

/* A set of phrases folded once; each phrase is borrowed and must outlive the set. */
struct textmatch {
    struct arena arena;  /* the folded phrases */
    const char **folded; /* " w1 w2* ", as textmatch_fold() writes them */
    const char **phrases;
    size_t count;
    size_t cap;
};

void textmatch_init(struct textmatch *m);
void textmatch_release(struct textmatch *m);
/* Adds a phrase; false (and nothing added) when it holds no word once folded. */
bool textmatch_add(struct textmatch *m, const char *phrase);
/*
 * The first phrase of m (as it was added, borrowed) found in text[0..len), or NULL. scratch
 * holds the folded text; the caller gives it, so that many texts reuse one buffer.
 */
const char *textmatch_find(const struct textmatch *m, const char *text, size_t len,
                           struct buf *scratch);

#endif
