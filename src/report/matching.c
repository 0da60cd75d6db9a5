/*
 * Pairing a class's start and end answers by their pairing words (survey/pairing.h), and
 * what may be shown of it: the pairs found, the match rate, the change on each scale
 * question over the matched pairs, and each paired answer's pairing number for the CSV.
 *
 * The k rule: pairing reads only the answers of the units shown (scope.c), so that a unit held
 * back is as if it had no answers here too: its words pair with nothing and its answers are
 * in no count. A pupil may answer the start in one language and the end in another, so
 * pairs are found within a class across its units shown. A class's pairing figures are
 * shown when the class itself is, its shown units have at least k start answers and k end
 * answers, and its pairs are none or at least k; otherwise they are held back, from its own
 * view and from every total, like a class with fewer than k answers. A total adds up the
 * classes whose pairing figures are shown, and says how many were held back; a language has
 * no pairing figures (a pair may span two), so its change is between its start and end
 * answers. The words themselves stay here: nothing in this file hands one out.
 */
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/internal.h"
#include "survey/pairing.h"

/* The most start (or end) answers with a word that a class may have to be paired. */
#define MATCH_CLASS_MAX 2000

int report_part_side(const char *part)
{
    int w = part ? wire_when_index(part) : -1;
    return w == SURVEY_START ? 0 : w == SURVEY_END ? 1 : -1;
}

static int by_cohort(const void *x, const void *y)
{
    const struct rword *a = x, *b = y;
    if (a->cohort != b->cohort)
        return a->cohort < b->cohort ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int by_id(const void *x, const void *y)
{
    const struct rnumber *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* Adds one matched pair's change on each before/after pair of scale questions to group g. */
static void add_change(struct report *r, size_t g, const struct rword *start,
                       const struct rword *end)
{
    for (size_t p = 0; p < r->npairs; p++) {
        if (r->pairs[p].paired || isnan(start->score[p]) || isnan(end->score[p]))
            continue;
        double d = end->score[p] - start->score[p];
        stats_add(&r->match_acc[p * r->ng + g], d);
        if (fabs(d) <= PAIR_SPAN)
            r->match_diff[(p * r->ng + g) * PAIR_DIFFS + (size_t)(PAIR_SPAN + (long)d)]++;
    }
}

/*
 * Pairs the answers w[0..n) of class c. Numbers the pairs 1, 2, 3... in random order, so
 * that a number says nothing about when either answer came, and adds their changes.
 */
static void match_class(struct report *r, size_t c, const struct rword *w, size_t n)
{
    struct rpairing *rp = &r->pairing[c];
    const struct group *cls = &r->g[c];
    bool parts = false; /* start or end answers, shown or not */
    for (size_t m = 0; m < cls->nmembers; m++) {
        size_t u = cls->members[m] - r->first_unit;
        parts |= r->part_n[2 * u] || r->part_n[2 * u + 1];
        if (r->g[cls->members[m]].hidden)
            continue;
        rp->start += r->part_n[2 * u];
        rp->end += r->part_n[2 * u + 1];
    }
    struct pairing_answer *start = xcalloc(n ? n : 1, sizeof(*start));
    struct pairing_answer *end = xcalloc(n ? n : 1, sizeof(*end));
    size_t *start_at = xcalloc(n ? n : 1, sizeof(*start_at)); /* positions in w */
    size_t *end_at = xcalloc(n ? n : 1, sizeof(*end_at));
    size_t ns = 0, ne = 0;
    for (size_t i = 0; i < n; i++) {
        if (r->g[r->first_unit + w[i].unit].hidden)
            continue;
        if (w[i].end) {
            end_at[ne] = i;
            end[ne] = (struct pairing_answer){(int64_t)ne + 1, w[i].word};
            ne++;
        } else {
            start_at[ns] = i;
            start[ns] = (struct pairing_answer){(int64_t)ns + 1, w[i].word};
            ns++;
        }
    }
    struct pairing_pair *pairs = xcalloc(n ? n : 1, sizeof(*pairs));
    /* Matching compares every two words of a class; a class is some 30 pupils, and one of
     * thousands is not a class but a mistake, which is not paired rather than slow. */
    size_t np = ns <= MATCH_CLASS_MAX && ne <= MATCH_CLASS_MAX
                    ? pairing_match(start, ns, end, ne, pairs)
                    : 0;
    rp->pairs = (int64_t)np;
    /* A class with neither has nothing to hold back: it answered in one sitting, or not. */
    rp->held = parts && (r->g[c].hidden || rp->start < r->k || rp->end < r->k ||
                         (np > 0 && np < (size_t)r->k));
    if (!rp->held) {
        for (size_t i = np; i > 1; i--) {
            size_t j = randombytes_uniform((uint32_t)i);
            struct pairing_pair t = pairs[i - 1];
            pairs[i - 1] = pairs[j];
            pairs[j] = t;
        }
        for (size_t i = 0; i < np; i++) {
            /* The ids given pairing_match() are positions in start and end, from 1. */
            const struct rword *s = &w[start_at[pairs[i].start_id - 1]];
            const struct rword *e = &w[end_at[pairs[i].end_id - 1]];
            r->numbers[r->nnumbers++] = (struct rnumber){s->id, (uint32_t)(i + 1)};
            r->numbers[r->nnumbers++] = (struct rnumber){e->id, (uint32_t)(i + 1)};
            add_change(r, c, s, e);
        }
    }
    free(start);
    free(end);
    free(start_at);
    free(end_at);
    free(pairs);
}

/* Adds the classes whose pairing figures are shown into each total, and counts the rest. */
static void add_up(struct report *r)
{
    for (size_t g = r->ncohorts; g < r->first_unit; g++) {
        struct rpairing *to = &r->pairing[g];
        const struct group *grp = &r->g[g];
        if (grp->kind == GROUP_LANGUAGE)
            continue;
        /* Members are units, each class's together: a class is added once. */
        for (size_t m = 0; m < grp->nmembers; m++) {
            size_t c = r->g[grp->members[m]].cls;
            if (m > 0 && r->g[grp->members[m - 1]].cls == c)
                continue;
            const struct rpairing *from = &r->pairing[c];
            if (from->start == 0 && from->end == 0)
                continue;
            if (from->held) {
                to->nheld++;
                continue;
            }
            to->start += from->start;
            to->end += from->end;
            to->pairs += from->pairs;
            for (size_t p = 0; p < r->npairs; p++) {
                stats_merge(&r->match_acc[p * r->ng + g], &r->match_acc[p * r->ng + c]);
                for (size_t d = 0; d < PAIR_DIFFS; d++)
                    r->match_diff[(p * r->ng + g) * PAIR_DIFFS + d] +=
                        r->match_diff[(p * r->ng + c) * PAIR_DIFFS + d];
            }
        }
    }
}

void report_match(struct report *r)
{
    size_t ng = r->ng ? r->ng : 1, npairs = r->npairs ? r->npairs : 1;
    r->pairing = arena_alloc(&r->arena, ng * sizeof(*r->pairing));
    memset(r->pairing, 0, ng * sizeof(*r->pairing));
    r->match_acc = arena_alloc(&r->arena, npairs * ng * sizeof(*r->match_acc));
    memset(r->match_acc, 0, npairs * ng * sizeof(*r->match_acc));
    r->match_diff = arena_alloc(&r->arena, npairs * ng * PAIR_DIFFS * sizeof(*r->match_diff));
    memset(r->match_diff, 0, npairs * ng * PAIR_DIFFS * sizeof(*r->match_diff));
    /* Each pair numbers two answers, and each answer is in one pair at most. */
    r->numbers = arena_alloc(&r->arena, (r->nwords ? r->nwords : 1) * sizeof(*r->numbers));
    r->nnumbers = 0;
    if (r->nwords)
        qsort(r->words, r->nwords, sizeof(*r->words), by_cohort);
    size_t i = 0;
    for (size_t c = 0; c < r->ncohorts; c++) {
        size_t first = i;
        while (i < r->nwords && r->words[i].cohort == c)
            i++;
        match_class(r, c, &r->words[first], i - first);
    }
    if (r->nnumbers)
        qsort(r->numbers, r->nnumbers, sizeof(*r->numbers), by_id);
    add_up(r);
}

int report_pairing(const struct report *r, size_t g, struct rpairing *out)
{
    const struct rpairing *rp = &r->pairing[g];
    if (rp->start == 0 && rp->end == 0 && rp->nheld == 0 && !rp->held)
        return -ENODATA;
    if (r->g[g].hidden || rp->held)
        return -EPERM;
    *out = *rp;
    return 0;
}

uint32_t report_pairing_number(const struct report *r, int64_t answer_id)
{
    const struct rnumber key = {answer_id, 0};
    const struct rnumber *hit =
        r->nnumbers ? bsearch(&key, r->numbers, r->nnumbers, sizeof(key), by_id) : NULL;
    return hit ? hit->number : 0;
}

bool report_pair_matched(const struct report *r, size_t p, size_t g)
{
    struct rpairing rp;
    return !r->pairs[p].paired && report_pairing(r, g, &rp) == 0 &&
           r->match_acc[p * r->ng + g].n >= r->k;
}
