/*
 * Which questions are asked before and after (report/internal.h): a question asked at the
 * end pairs with the questions asked at the start, or looking back, whose ids share a stem.
 */
#include <stdbool.h>
#include <string.h>

#include "report/internal.h"

/*
 * The stem that pairs questions: the id without the words that say when it is asked, as
 * whole hyphen-separated parts ("q-sure-start", "q-sure-end" and "q-retro-sure" all give
 * "q-sure").
 */
static void stem(const char *id, char *out, size_t size)
{
    static const char *const words[] = {"start", "end", "before", "after", "retro", "now", "then"};
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
 * Pairs a scale question asked at the end with the scale questions asked at the start or
 * looking back, and a knowledge item asked at the end with the same item asked at the start
 * (a "looking back" question is not a knowledge test: it has no right answer to score).
 */
void report_build_pairs(struct report *r)
{
    r->pairs = arena_alloc(&r->arena, (r->nq ? r->nq : 1) * 2 * sizeof(*r->pairs));
    for (size_t a = 0; a < r->nq; a++) {
        const struct rq *after = &r->q[a];
        bool knows = after->correct != NULL;
        if ((after->type != SURVEY_SCALE && !knows) || after->when != SURVEY_END)
            continue;
        char sa[64], sb[64];
        stem(after->id, sa, sizeof(sa));
        for (size_t b = 0; b < r->nq; b++) {
            const struct rq *before = &r->q[b];
            /* Only start and "looking back" come before the end; a later one comes after. */
            if (b == a || (before->when != SURVEY_START && before->when != SURVEY_RETRO))
                continue;
            if (knows ? before->correct == NULL || before->when != SURVEY_START
                      : before->type != SURVEY_SCALE)
                continue;
            stem(before->id, sb, sizeof(sb));
            if (strcmp(sa, sb) != 0)
                continue;
            r->pairs[r->npairs++] = (struct rpair){b, a, before->when == SURVEY_RETRO, knows};
        }
    }
    r->pair_acc = arena_alloc(&r->arena, (r->npairs ? r->npairs : 1) * (r->ng ? r->ng : 1) *
                                             sizeof(*r->pair_acc));
    r->pair_diff = arena_alloc(&r->arena, (r->npairs ? r->npairs : 1) * (r->ng ? r->ng : 1) *
                                              PAIR_DIFFS * sizeof(*r->pair_diff));
}
