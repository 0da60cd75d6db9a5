/*
 * Pairing words: how a pupil's start answer and end answer are put together without anyone
 * knowing who the pupil is. After the start part the server gives the pupil a random word
 * made of two short everyday words ("green otter"), one from a fixed list of describing
 * words and one from a fixed list of things; the pupil writes it on their plan or answer
 * sheet and types it (optionally) with their end answer. The word carries nothing about the
 * pupil: it is drawn from the kernel's random source, and nothing else links the answers.
 *
 * What a pupil types is normalised first (pairing_normalise()): letters in lower case, any
 * run of spaces, hyphens or other punctuation as one space, and a word typed without its
 * space ("greenotter") split into its two list words.
 *
 * Matching (pairing_match()) happens within one class only, over that class's start and
 * end answers. An end word pairs with a start word that is the same (spaces aside), or
 * failing that with the one start word it is a near miss of: one letter wrong, missing or
 * extra, two neighbouring letters the wrong way round, or its two words swapped. A word
 * given twice (two start answers, or two end answers, with the same or near-same word)
 * pairs with neither, since either could be the pupil's; so does an end word that is a near
 * miss of two start words, and a start word claimed by two end words. Every word of the two
 * lists is at least two edits from every other word of its list, so that a near miss of a
 * word handed out is never itself another word that could be handed out.
 */
#ifndef PLANPACK_SURVEY_PAIRING_H
#define PLANPACK_SURVEY_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for a normalised pairing word and its NUL; longer input is refused. */
#define PAIRING_WORD_MAX 48

/* The fixed lists: pairing_first[i] describes, pairing_second[j] names. Static strings. */
extern const char *const pairing_first[];
extern const size_t pairing_first_count;
extern const char *const pairing_second[];
extern const size_t pairing_second_count;

/*
 * Writes a new pairing word ("green otter", NUL-terminated) into out, drawn uniformly from
 * every combination of the two lists with getrandom(2). Returns 0, or -errno when the
 * kernel gave no randomness (out is then "").
 */
__attribute__((warn_unused_result)) int pairing_word_new(char out[PAIRING_WORD_MAX]);

/* True when w is a word pairing_word_new() could have drawn: "first second", as written. */
bool pairing_word_known(const char *w);

/*
 * Where a start word is handed out: on the page that thanks a pupil for an online start
 * answer, or printed on a paper start sheet. The server keeps a printed word only once the
 * sheet is typed in, so an online word could not be kept apart from the words on a class's
 * sheets still in a drawer; instead the two draw their describing words from halves of
 * pairing_first that share none (online the odd places, printed the even), so that a word
 * given online is never a word printed, nor a near miss of one (two words of the lists are
 * never a near miss of each other), and neither pupil loses their pair to the other.
 */
enum pairing_source { PAIRING_PRINTED, PAIRING_ONLINE };

/*
 * Like pairing_word_new(), but from the half of the lists that `from` draws from, and drawn
 * again (up to PAIRING_TRIES times) while the word is within two edits of, or the swap of,
 * one of taken[0..n) (normalised words already given or typed in the class; NULL entries are
 * skipped), so that a near miss of one pupil's word is never a near miss of another's.
 * Returns as pairing_word_new().
 */
#define PAIRING_TRIES 64
__attribute__((warn_unused_result)) int pairing_word_new_apart(enum pairing_source from,
                                                               const char *const *taken, size_t n,
                                                               char out[PAIRING_WORD_MAX]);

/*
 * Writes the normalised form of s[0..len) into out (see above). Bytes outside ASCII are kept
 * as they are. Returns 0, -EINVAL when s holds no letter at all (out is ""), or -E2BIG when
 * the normalised word does not fit in PAIRING_WORD_MAX (out is "").
 */
__attribute__((warn_unused_result)) int pairing_normalise(const char *s, size_t len,
                                                          char out[PAIRING_WORD_MAX]);

/*
 * True when a and b (normalised) are a near miss of each other: not the same, but one edit
 * apart (spaces aside) or the same two words swapped.
 */
bool pairing_near(const char *a, const char *b);
/* True when a and b (normalised) are the same word, spaces aside. */
bool pairing_same(const char *a, const char *b);

/* One answer of a class: its id in the store and its normalised word (borrowed). */
struct pairing_answer {
    int64_t id;
    const char *word;
};

/* A start answer and an end answer of one pupil; exact: the words were the same. */
struct pairing_pair {
    int64_t start_id;
    int64_t end_id;
    bool exact;
};

/*
 * Pairs the start answers start[0..n_start) with the end answers end[0..n_end) of ONE class
 * (the caller never mixes classes). Answers with a NULL or empty word take no part. Writes
 * the pairs into pairs (the caller's array, room for the smaller of n_start and n_end), in
 * the order of the start answers, and returns how many.
 */
size_t pairing_match(const struct pairing_answer *start, size_t n_start,
                     const struct pairing_answer *end, size_t n_end, struct pairing_pair *pairs);

#endif
