/*
 * Which questions are asked before and after (report/internal.h): a question asked at the
 * end pairs with the questions asked at the start, or looking back, whose ids share a stem;
 * one asked in the later part, with those asked at the start.
 */
#include <stdbool.h>
#include <string.h>

#include "report/internal.h"

/*
 * The stem that pairs questions: the id without the words that say when it is asked, as
 * whole hyphen-separated parts ("q-sure-start", "q-sure-end", "q-retro-sure" and
 * "q-sure-later" all give "q-sure").
 */
static void stem(const char *id, char *out, size_t size)
{
    static const char *const words[] = {"start", "end", "before", "after",
                                        "retro", "now", "then",   "later"};
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = id; *p;) {
        const char *dash = strchr(p, '-');
        size_t len = dash ? (size_t)(dash - p) : strlen(p);
        bool skip = false;
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && !skip; i++)
            skip = strlen(words[i]) == len && strncmp(p, words[i], len) == 0;
        if (!skip && n + len + 2 < size) {
            if (n)
                out[n++] = '-';
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p += len + (dash != NULL);
    }
}

/*
 * Whether questions b and a pair as before and after: a scale question asked at the end
 * with a scale question asked at the start or looking back, a knowledge item asked at the
 * end with the same item asked at the start (a "looking back" question is not a knowledge
 * test: it has no right answer to score); and either asked in the later part, a few weeks
 * on, with the same asked at the start. sa is a's stem.
 */
static bool pairs_with(const struct report *r, size_t b, size_t a, const char *sa)
{
    const struct rq *after = &r->q[a], *before = &r->q[b];
    bool knows = after->correct != NULL;
    if (b == a || (after->type != SURVEY_SCALE && !knows))
        return false;
    if (after->when == SURVEY_LATER ? before->when != SURVEY_START
                                    : after->when != SURVEY_END || (before->when != SURVEY_START &&
                                                                    before->when != SURVEY_RETRO))
        return false;
    if (knows ? before->correct == NULL || before->when != SURVEY_START
              : before->type != SURVEY_SCALE)
        return false;
    char sb[64];
    stem(before->id, sb, sizeof(sb));
    return strcmp(sa, sb) == 0;
}

/* Each question asked at the end or later, with every question it pairs with, in r->pairs
 * (when not NULL); returns how many pairs there are. */
static size_t find_pairs(struct report *r)
{
    size_t n = 0;
    for (size_t a = 0; a < r->nq; a++) {
        char sa[64];
        stem(r->q[a].id, sa, sizeof(sa));
        for (size_t b = 0; b < r->nq; b++) {
            if (!pairs_with(r, b, a, sa))
                continue;
            if (r->pairs)
                r->pairs[n] =
                    (struct rpair){b, a, r->q[b].when == SURVEY_RETRO, r->q[a].correct != NULL};
            n++;
        }
    }
    return n;
}

void report_build_pairs(struct report *r)
{
    r->pairs = NULL;
    size_t n = find_pairs(r);
    r->pairs = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*r->pairs));
    r->npairs = find_pairs(r);
    r->pair_acc = arena_alloc(&r->arena, (r->npairs ? r->npairs : 1) * (r->ng ? r->ng : 1) *
                                             sizeof(*r->pair_acc));
    r->pair_diff = arena_alloc(&r->arena, (r->npairs ? r->npairs : 1) * (r->ng ? r->ng : 1) *
                                              PAIR_DIFFS * sizeof(*r->pair_diff));
}
