/*
 * Building a report: read every answer once, count per class, add classes up into
 * schools, versions and the whole, then decide what may be shown.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "base/xalloc.h"
#include "report/internal.h"

enum { COMMENTS_PER_COHORT = 200, SCAN_THREADS_MAX = 4 };

int report_version_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            char *ea, *eb;
            unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);
            if (x != y)
                return x < y ? -1 : 1;
            a = ea;
            b = eb;
        } else {
            if (*a != *b)
                return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
            a++;
            b++;
        }
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int survey_order(const void *x, const void *y)
{
    const struct survey *a = x, *b = y;
    int c = strcmp(a->package_id, b->package_id);
    return c ? c : report_version_cmp(a->package_version, b->package_version);
}

/* ---- questions ---- */

static size_t find_q(const struct report *r, const char *id)
{
    for (size_t i = 0; i < r->nq; i++)
        if (strcmp(r->q[i].id, id) == 0)
            return i;
    return SIZE_MAX;
}

/* Adds an option column to q unless it has it; returns its index. */
static size_t q_option(struct report *r, struct rq *q, size_t *cap, const char *id,
                       const char *label)
{
    for (size_t i = 0; i < q->nopt; i++)
        if (strcmp(q->opt_ids[i], id) == 0)
            return i;
    if (q->nopt == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        const char **ids = arena_alloc(&r->arena, ncap * sizeof(*ids));
        const char **labels = arena_alloc(&r->arena, ncap * sizeof(*labels));
        if (q->nopt) {
            memcpy(ids, q->opt_ids, q->nopt * sizeof(*ids));
            memcpy(labels, q->opt_labels, q->nopt * sizeof(*labels));
        }
        q->opt_ids = ids;
        q->opt_labels = labels;
        *cap = ncap;
    }
    q->opt_ids[q->nopt] = id;
    q->opt_labels[q->nopt] = label;
    return q->nopt++;
}

/*
 * Every id of a version in one open-addressing table, so that reading an answer finds each
 * id with one hash and, nearly always, one comparison: the scan does this some ten million
 * times over a million answers. An option is keyed by its question too, since two
 * questions may share option ids ("not-sure").
 */
static inline __attribute__((always_inline)) uint32_t id_hash(const char *s, size_t len,
                                                              uint32_t owner)
{
    /* Ids of one question differ in length or at the start, middle or end ("start-1" ..
     * "start-5", "yes" / "no" / "not-sure"): those four say enough, at no cost per byte. */
    uint32_t h = (uint32_t)len;
    if (len)
        h ^= (uint32_t)(unsigned char)s[0] << 8 ^ (uint32_t)(unsigned char)s[len / 2] << 16 ^
             (uint32_t)(unsigned char)s[len - 1] << 24;
    h ^= owner * 0x9E3779B9u;
    /* MurmurHash3's finaliser, so that every one of those bytes reaches the low bits. */
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ h >> 16;
}

static void id_put(struct rver *ver, const char *id, uint32_t owner, uint32_t index)
{
    size_t len = strlen(id);
    size_t i = id_hash(id, len, owner) & ver->ids_mask;
    while (ver->ids[i].id) {
        if (ver->ids[i].owner == owner && ver->ids[i].len == len &&
            memcmp(ver->ids[i].id, id, len) == 0)
            return; /* a repeated id: the first keeps it, as a search in order would */
        i = (i + 1) & ver->ids_mask;
    }
    ver->ids[i] = (struct rid){id, (uint32_t)len, owner, index};
}

static uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint32_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/*
 * Whether a[0..len) equals b[0..len): ids of up to 16 bytes are compared with two loads each
 * that overlap in the middle and stay inside both, saving a call to memcmp per id.
 */
static inline __attribute__((always_inline)) bool same_bytes(const char *a, const char *b,
                                                             size_t len)
{
    if (len >= 8 && len <= 16)
        return load64(a) == load64(b) && load64(a + len - 8) == load64(b + len - 8);
    if (len >= 4 && len < 8)
        return load32(a) == load32(b) && load32(a + len - 4) == load32(b + len - 4);
    if (len < 4) {
        for (size_t i = 0; i < len; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
    return memcmp(a, b, len) == 0;
}

static inline __attribute__((always_inline)) size_t id_find(const struct rver *ver, const char *s,
                                                            size_t len, uint32_t owner)
{
    for (size_t i = id_hash(s, len, owner) & ver->ids_mask;; i = (i + 1) & ver->ids_mask) {
        const struct rid *e = &ver->ids[i];
        if (!e->id)
            return SIZE_MAX;
        if (e->owner == owner && e->len == len && same_bytes(e->id, s, len))
            return e->index;
    }
}

static void build_ids(struct report *r, struct rver *ver)
{
    const struct survey *sv = ver->sv;
    size_t n = sv->count;
    for (size_t i = 0; i < sv->count; i++)
        n += survey_option_count(&sv->questions[i]);
    size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    ver->ids = arena_alloc(&r->arena, slots * sizeof(*ver->ids));
    memset(ver->ids, 0, slots * sizeof(*ver->ids));
    ver->ids_mask = slots - 1;
    for (size_t i = 0; i < sv->count; i++) {
        const struct survey_question *sq = &sv->questions[i];
        id_put(ver, sq->id, RID_QUESTION, (uint32_t)i);
        for (size_t o = 0; o < survey_option_count(sq); o++)
            id_put(ver, survey_option_id(sq, o), (uint32_t)i, (uint32_t)o);
    }
}

/* Builds the report's questions from every version, newest first, and each version's map. */
static void build_questions(struct report *r)
{
    size_t total = 0;
    for (size_t v = 0; v < r->nvers; v++)
        total += r->vers[v].sv->count;
    r->q = arena_alloc(&r->arena, (total ? total : 1) * sizeof(*r->q));
    size_t *caps = xcalloc(total ? total : 1, sizeof(*caps));
    for (size_t v = r->nvers; v-- > 0;) {
        struct rver *ver = &r->vers[v];
        const struct survey *sv = ver->sv;
        ver->qmap = arena_alloc(&r->arena, (sv->count ? sv->count : 1) * sizeof(size_t));
        ver->omap = arena_alloc(&r->arena, (sv->count ? sv->count : 1) * sizeof(size_t *));
        ver->qlen = arena_alloc(&r->arena, (sv->count ? sv->count : 1) * sizeof(size_t));
        for (size_t i = 0; i < sv->count; i++)
            ver->qlen[i] = strlen(sv->questions[i].id);
        build_ids(r, ver);
        for (size_t i = 0; i < sv->count; i++) {
            const struct survey_question *sq = &sv->questions[i];
            size_t qi = find_q(r, sq->id);
            if (qi == SIZE_MAX) {
                qi = r->nq++;
                struct rq *q = &r->q[qi];
                memset(q, 0, sizeof(*q));
                q->id = sq->id;
                q->text = sq->text;
                q->type = sq->type;
                q->when = sq->when;
                q->correct = sq->correct;
            }
            struct rq *q = &r->q[qi];
            ver->qmap[i] = qi;
            size_t no = survey_option_count(sq);
            ver->omap[i] = arena_alloc(&r->arena, (no ? no : 1) * sizeof(size_t));
            if (q->type != sq->type) {
                /* The same id with another type in another version: not comparable. */
                for (size_t j = 0; j < no; j++)
                    ver->omap[i][j] = SIZE_MAX;
                continue;
            }
            if (sq->type == SURVEY_TEXT)
                ver->omap[i][0] = q_option(r, q, &caps[qi], "answered", "Answered");
            for (size_t j = 0; j < no; j++)
                ver->omap[i][j] =
                    q_option(r, q, &caps[qi], survey_option_id(sq, j), survey_option_label(sq, j));
        }
    }
    for (size_t i = 0; i < r->nq; i++)
        r->q[i].ncols = r->q[i].nopt + 2;
    free(caps);
}

/* ---- counting answers ---- */

/*
 * Each scanning thread counts into its own tally, per class; the tallies are added into the
 * report afterwards. A table of answers is read in parts, one part per thread.
 */
struct clist {
    const char **v;
    size_t n;
    size_t cap;
    int64_t dropped;
};

struct tally {
    struct report *r;
    struct store *s;
    unsigned part;
    unsigned parts;
    int rc;
    const size_t *by_id; /* cohort id -> class index */
    int64_t max_id;
    size_t stride;           /* columns per class: every question's columns */
    const size_t *qoff;      /* first column of each question */
    int64_t *n;              /* per unit: answers */
    int64_t *count;          /* per unit, per column */
    int64_t *any;            /* per unit, per question: multi answers with an option */
    struct stats_acc *score; /* per unit, per question */
    struct stats_acc *pair;  /* per pair, per unit */
    int64_t *pair_diff;      /* per pair, per unit, PAIR_DIFFS: the differences by size */
    struct clist *comments;  /* per unit, per question */
    int64_t *part_n;         /* per unit: start answers, end answers */
    struct rword *words;     /* start and end answers with a pairing word (strings in arena) */
    size_t nwords;
    size_t words_cap;
    int64_t unreadable;
    struct arena arena;          /* comment texts */
    struct buf text;             /* unescaping scratch */
    struct survey_piece *pieces; /* the answer being read */
    size_t pieces_cap;
    double *row_score;          /* per question, this answer's scale score or NAN */
    struct theme_tally *themes; /* the themes of the comments counted */
    int64_t row_id;             /* the answer being read, whose comments' codes are found */
};

/* Answers beyond this many in one row are left out (no survey asks that many questions). */
enum { MAX_EVENTS = 256 };

/* Finds a piece's id; an id written with escapes is looked up unescaped. */
static size_t match_id(struct tally *t, const struct rver *ver, const struct survey_piece *pc,
                       uint32_t owner)
{
    size_t i = id_find(ver, pc->str, pc->len, owner);
    if (i != SIZE_MAX || !survey_piece_escaped(pc))
        return i;
    buf_reset(&t->text);
    if (survey_piece_text(pc, &t->text) != 0)
        return SIZE_MAX;
    return id_find(ver, t->text.ptr ? t->text.ptr : "", t->text.len, owner);
}

/* Answers list their questions in survey order, so the one after the last found is tried
 * first. */
static size_t match_question(struct tally *t, const struct rver *ver, const struct survey_piece *pc,
                             size_t next)
{
    if (next < ver->sv->count && ver->qlen[next] == pc->len &&
        same_bytes(ver->sv->questions[next].id, pc->str, pc->len))
        return next;
    return match_id(t, ver, pc, RID_QUESTION);
}

static void add_comment(struct tally *t, struct clist *cl, const char *text, size_t len)
{
    if (cl->n == COMMENTS_PER_COHORT) {
        cl->dropped++;
        return;
    }
    XGROW(cl->v, cl->cap, cl->n + 1);
    cl->v[cl->n++] = arena_strndup(&t->arena, text, len);
}

/*
 * Counts one answer of unit c (see struct group), already split into np pieces (and so known to be
 * well formed: a bad row counts nothing). Ids are matched where they lie in the row instead of
 * being copied out: this runs once per stored answer.
 */
static void count_answer(struct tally *t, size_t c, const struct rver *ver, size_t np)
{
    struct report *r = t->r;
    t->n[c]++;
    for (size_t i = 0; i < r->npairs; i++) {
        t->row_score[r->pairs[i].before] = NAN;
        t->row_score[r->pairs[i].after] = NAN;
    }
    int64_t *count = &t->count[c * t->stride];
    size_t last_q = SIZE_MAX, j = SIZE_MAX, nev = 0;
    bool counted = false;
    for (size_t i = 0; i < np; i++) {
        const struct survey_piece *pc = &t->pieces[i];
        if (pc->kind == SURVEY_PIECE_QUESTION) {
            j = match_question(t, ver, pc, j == SIZE_MAX ? 0 : j + 1);
            continue;
        }
        if (j == SIZE_MAX || nev == MAX_EVENTS)
            continue; /* a question this version does not have */
        size_t option = SIZE_MAX;
        if (pc->kind == SURVEY_PIECE_VALUE && ver->sv->questions[j].type != SURVEY_TEXT) {
            option = match_id(t, ver, pc, (uint32_t)j);
            if (option == SIZE_MAX)
                continue; /* not one of its options */
        }
        nev++;
        /* A question's answers are consecutive: close the previous question first. */
        if (j != last_q) {
            if (last_q != SIZE_MAX && counted)
                t->any[c * r->nq + ver->qmap[last_q]]++;
            last_q = j;
            counted = false;
        }
        size_t qi = ver->qmap[j];
        const struct rq *q = &r->q[qi];
        if (q->type != ver->sv->questions[j].type)
            continue;
        int64_t *qc = count + t->qoff[qi];
        if (pc->kind == SURVEY_PIECE_PREFER_NOT) {
            qc[q->nopt]++;
        } else if (option == SIZE_MAX) {
            buf_reset(&t->text);
            if (survey_piece_text(pc, &t->text) != 0)
                continue;
            qc[0]++;
            counted = true;
            add_comment(t, &t->comments[c * r->nq + qi], t->text.ptr ? t->text.ptr : "",
                        t->text.len);
            report_themes_tally_comment(t->themes, c, t->row_id, ver->sv->questions[j].id,
                                        t->text.ptr ? t->text.ptr : "", t->text.len);
        } else {
            if (q->type != SURVEY_MULTI && counted)
                continue; /* one answer only: the first */
            if (ver->omap[j][option] == SIZE_MAX)
                continue;
            qc[ver->omap[j][option]]++;
            counted = true;
            if (q->type == SURVEY_SCALE) {
                stats_add(&t->score[c * r->nq + qi], (double)(option + 1));
                t->row_score[qi] = (double)(option + 1);
            }
        }
    }
    if (last_q != SIZE_MAX && counted)
        t->any[c * r->nq + ver->qmap[last_q]]++;
    for (size_t p = 0; p < r->npairs; p++) {
        const struct rpair *pr = &r->pairs[p];
        if (!pr->paired || isnan(t->row_score[pr->before]) || isnan(t->row_score[pr->after]))
            continue;
        double d = t->row_score[pr->after] - t->row_score[pr->before];
        stats_add(&t->pair[p * r->nunits + c], d);
        if (fabs(d) <= PAIR_SPAN)
            t->pair_diff[(p * r->nunits + c) * PAIR_DIFFS + (size_t)(PAIR_SPAN + (long)d)]++;
    }
}

/*
 * A start or end answer (just counted, so t->row_score holds its scores): counted for the
 * match rate, and kept with its pairing word and its scores for pairing (report/matching.c).
 */
static void note_part(struct tally *t, size_t c, size_t u, const struct store_answer_row *row)
{
    const struct report *r = t->r;
    int side = report_part_side(row->part);
    if (side < 0)
        return;
    t->part_n[2 * u + (size_t)side]++;
    if (!row->pairing_word || !*row->pairing_word)
        return;
    XGROW(t->words, t->words_cap, t->nwords + 1);
    struct rword *w = &t->words[t->nwords++];
    w->id = row->id;
    w->cohort = c;
    w->unit = u;
    w->end = side == 1;
    w->word = arena_strdup(&t->arena, row->pairing_word);
    w->score = arena_alloc(&t->arena, (r->npairs ? r->npairs : 1) * sizeof(*w->score));
    for (size_t p = 0; p < r->npairs; p++)
        w->score[p] = t->row_score[side ? r->pairs[p].after : r->pairs[p].before];
}

static int scan_row(const struct store_answer_row *row, void *ctx)
{
    struct tally *t = ctx;
    struct report *r = t->r;
    if (row->cohort_id <= 0 || row->cohort_id > t->max_id || t->by_id[row->cohort_id] == SIZE_MAX) {
        /* In one school's view, a class not listed is another school's, not a bad row. */
        if (!r->school)
            t->unreadable++;
        return 0;
    }
    size_t cls = t->by_id[row->cohort_id];
    const struct group *grp = &r->g[cls];
    /* The unit of the version it was served and its language, which the report read before
     * the answers: one that came since has none, and waits for the next report. */
    size_t u = report_unit_of(
        r, cls, row->served_version ? row->served_version : row->package_version, row->language);
    if (u == SIZE_MAX)
        return 0;
    size_t c = u - r->first_unit;
    size_t v = grp->ver;
    if (v == SIZE_MAX || strcmp(r->vers[v].sv->package_version, row->package_version) != 0)
        v = report_find_ver(r, grp->cohort->package_id, row->package_version);
    if (t->pieces_cap < SURVEY_PIECES_MAX(row->body_len))
        XGROW(t->pieces, t->pieces_cap, SURVEY_PIECES_MAX(row->body_len));
    size_t np;
    if (v == SIZE_MAX || survey_answer_pieces(row->body, row->body_len, t->pieces, &np) != 0) {
        t->unreadable++;
        return 0;
    }
    t->row_id = row->id;
    count_answer(t, c, &r->vers[v], np);
    note_part(t, cls, c, row); /* pairs are found within a class, across its units */
    return 0;
}

static void tally_init(struct tally *t, struct report *r, const size_t *qoff, size_t stride)
{
    memset(t, 0, sizeof(*t));
    t->r = r;
    t->qoff = qoff;
    t->stride = stride;
    size_t nc = r->nunits ? r->nunits : 1, nq = r->nq ? r->nq : 1;
    t->n = xcalloc(nc, sizeof(*t->n));
    t->count = xcalloc(nc * (stride ? stride : 1), sizeof(*t->count));
    t->any = xcalloc(nc * nq, sizeof(*t->any));
    t->score = xcalloc(nc * nq, sizeof(*t->score));
    t->pair = xcalloc(nc * (r->npairs ? r->npairs : 1), sizeof(*t->pair));
    t->pair_diff = xcalloc(nc * (r->npairs ? r->npairs : 1) * PAIR_DIFFS, sizeof(*t->pair_diff));
    t->comments = xcalloc(nc * nq, sizeof(*t->comments));
    t->part_n = xcalloc(2 * nc, sizeof(*t->part_n));
    t->row_score = xcalloc(nq, sizeof(*t->row_score));
    t->themes = report_themes_tally_new(r);
    buf_init(&t->text, 1 << 20);
}

static void tally_release(struct tally *t)
{
    size_t cells = (t->r->nunits ? t->r->nunits : 1) * (t->r->nq ? t->r->nq : 1);
    for (size_t i = 0; i < cells; i++)
        free(t->comments[i].v);
    free(t->n);
    free(t->count);
    free(t->any);
    free(t->score);
    free(t->pair);
    free(t->pair_diff);
    free(t->comments);
    free(t->part_n);
    free(t->words);
    free(t->row_score);
    report_themes_tally_free(t->themes);
    free(t->pieces);
    buf_release(&t->text);
    arena_release(&t->arena);
}

void report_strs_merge(struct arena *a, const char ***v, size_t *len, size_t *cap, size_t max,
                       const char *const *from, size_t n, int64_t *dropped)
{
    for (size_t i = 0; i < n; i++) {
        if (*len == max) {
            ++*dropped;
            continue;
        }
        if (*len == *cap) {
            size_t grown = *cap ? *cap * 2 : 8;
            const char **w = arena_alloc(a, grown * sizeof(*w));
            if (*len)
                memcpy(w, *v, *len * sizeof(*w));
            *v = w;
            *cap = grown;
        }
        (*v)[(*len)++] = arena_strdup(a, from[i]);
    }
}

/* Adds a tally into the report's unit rows (comment texts are copied into its arena). */
static void tally_merge(struct report *r, const struct tally *t)
{
    report_themes_tally_merge(r, t->themes);
    r->unreadable += t->unreadable;
    for (size_t u = 0; u < 2 * r->nunits; u++)
        r->part_n[u] += t->part_n[u];
    for (size_t i = 0; i < t->nwords; i++) {
        struct rword *w = &r->words[r->nwords++];
        *w = t->words[i];
        w->word = arena_strdup(&r->arena, w->word);
        w->score = arena_alloc(&r->arena, (r->npairs ? r->npairs : 1) * sizeof(*w->score));
        memcpy(w->score, t->words[i].score, r->npairs * sizeof(*w->score));
    }
    for (size_t c = 0; c < r->nunits; c++) {
        size_t g = r->first_unit + c;
        r->g[g].n += t->n[c];
        for (size_t q = 0; q < r->nq; q++) {
            struct gq *gq = report_gq(r, g, q);
            const int64_t *from = &t->count[c * t->stride + t->qoff[q]];
            for (size_t j = 0; j < r->q[q].ncols; j++)
                gq->count[j] += from[j];
            gq->any += t->any[c * r->nq + q];
            stats_merge(&gq->score, &t->score[c * r->nq + q]);
            const struct clist *cl = &t->comments[c * r->nq + q];
            gq->comments_dropped += cl->dropped;
            report_strs_merge(&r->arena, &gq->comments, &gq->ncomments, &gq->comments_cap,
                              COMMENTS_PER_COHORT, cl->v, cl->n, &gq->comments_dropped);
        }
        for (size_t p = 0; p < r->npairs; p++) {
            stats_merge(&r->pair_acc[p * r->ng + g], &t->pair[p * r->nunits + c]);
            for (size_t d = 0; d < PAIR_DIFFS; d++)
                r->pair_diff[(p * r->ng + g) * PAIR_DIFFS + d] +=
                    t->pair_diff[(p * r->nunits + c) * PAIR_DIFFS + d];
        }
    }
}

static void *scan_thread(void *arg)
{
    struct tally *t = arg;
    t->rc = store_answers_each_part(t->s, t->part, t->parts, scan_row, t);
    return NULL;
}

/* Reads every answer, in parallel parts, into the unit rows. */
static int scan(struct report *r, struct store *s)
{
    int64_t max_id = 0;
    for (size_t c = 0; c < r->ncohorts; c++)
        if (r->cohorts[c].id > max_id)
            max_id = r->cohorts[c].id;
    size_t *by_id = xmalloc(((size_t)max_id + 1) * sizeof(*by_id));
    for (int64_t i = 0; i <= max_id; i++)
        by_id[i] = SIZE_MAX;
    for (size_t c = 0; c < r->ncohorts; c++)
        by_id[r->cohorts[c].id] = c;
    size_t *qoff = xmalloc((r->nq ? r->nq : 1) * sizeof(*qoff));
    size_t stride = 0;
    for (size_t q = 0; q < r->nq; q++) {
        qoff[q] = stride;
        stride += r->q[q].ncols;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned parts = cpus < 1 ? 1 : cpus > SCAN_THREADS_MAX ? SCAN_THREADS_MAX : (unsigned)cpus;
    struct tally *t = xcalloc(parts, sizeof(*t));
    pthread_t *th = xcalloc(parts, sizeof(*th));
    bool *started = xcalloc(parts, sizeof(*started));
    for (unsigned i = 0; i < parts; i++) {
        tally_init(&t[i], r, qoff, stride);
        t[i].s = s;
        t[i].part = i;
        t[i].parts = parts;
        t[i].by_id = by_id;
        t[i].max_id = max_id;
    }
    for (unsigned i = 1; i < parts; i++)
        started[i] = pthread_create(&th[i], NULL, scan_thread, &t[i]) == 0;
    scan_thread(&t[0]);
    int rc = t[0].rc;
    for (unsigned i = 1; i < parts; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else
            scan_thread(&t[i]); /* no thread to be had: read that part here */
        if (rc == STORE_OK)
            rc = t[i].rc;
    }
    size_t nwords = 0;
    for (unsigned i = 0; i < parts; i++)
        nwords += t[i].nwords;
    r->part_n = arena_alloc(&r->arena, 2 * (r->nunits ? r->nunits : 1) * sizeof(*r->part_n));
    memset(r->part_n, 0, 2 * (r->nunits ? r->nunits : 1) * sizeof(*r->part_n));
    r->words = arena_alloc(&r->arena, (nwords ? nwords : 1) * sizeof(*r->words));
    r->nwords = 0;
    for (unsigned i = 0; i < parts; i++) {
        if (rc == STORE_OK)
            tally_merge(r, &t[i]);
        tally_release(&t[i]);
    }
    free(started);
    free(th);
    free(t);
    free(qoff);
    free(by_id);
    return rc;
}

static void alloc_gq(struct report *r)
{
    size_t cells = r->ng * r->nq;
    r->gq = arena_alloc(&r->arena, (cells ? cells : 1) * sizeof(*r->gq));
    for (size_t g = 0; g < r->ng; g++) {
        for (size_t q = 0; q < r->nq; q++) {
            struct gq *gq = report_gq(r, g, q);
            gq->count = arena_alloc(&r->arena, r->q[q].ncols * sizeof(int64_t));
        }
    }
    /* A unit is asked what its class's version's survey holds, which gives its answers their
     * meaning (those served a later version were checked against it). */
    for (size_t u = r->first_unit; u < r->ng; u++) {
        size_t v = r->g[r->g[u].cls].ver;
        if (v == SIZE_MAX)
            continue;
        const struct survey *sv = r->vers[v].sv;
        for (size_t i = 0; i < sv->count; i++)
            report_gq(r, u, r->vers[v].qmap[i])->asked = true;
    }
}

/* Completes unit rows ("no answer", n) and adds shown units up into every other group. */
static void aggregate(struct report *r)
{
    for (size_t c = r->first_unit; c < r->ng; c++) {
        for (size_t q = 0; q < r->nq; q++) {
            struct gq *gq = report_gq(r, c, q);
            if (!gq->asked)
                continue;
            const struct rq *rq = &r->q[q];
            gq->n = r->g[c].n;
            int64_t answered = gq->count[rq->nopt];
            if (rq->type == SURVEY_MULTI) {
                answered += gq->any;
            } else {
                for (size_t j = 0; j < rq->nopt; j++)
                    answered += gq->count[j];
            }
            gq->count[rq->nopt + 1] = gq->n - answered;
        }
    }
    for (size_t g = 0; g < r->first_unit; g++) {
        struct group *grp = &r->g[g];
        /* A class is counted once however many of its units there are: they are together. */
        size_t last_held = SIZE_MAX, last_shown = SIZE_MAX;
        for (size_t m = 0; m < grp->nmembers; m++) {
            size_t c = grp->members[m];
            size_t cls = r->g[c].cls;
            if (r->g[c].hidden) {
                grp->held += r->g[c].n;
                /* Classes come first, so a total's classes have been added up by now. */
                if (grp->kind != GROUP_COHORT && r->g[cls].nshown)
                    grp->held_in_shown += r->g[c].n;
                grp->nheld += cls != last_held;
                last_held = cls;
                continue;
            }
            grp->nshown += cls != last_shown;
            last_shown = cls;
            grp->n += r->g[c].n;
            for (size_t q = 0; q < r->nq; q++) {
                const struct gq *from = report_gq(r, c, q);
                struct gq *to = report_gq(r, g, q);
                if (!from->asked)
                    continue;
                to->asked = true;
                to->n += from->n;
                to->any += from->any;
                for (size_t j = 0; j < r->q[q].ncols; j++)
                    to->count[j] += from->count[j];
                stats_merge(&to->score, &from->score);
            }
            for (size_t p = 0; p < r->npairs; p++) {
                stats_merge(&r->pair_acc[p * r->ng + g], &r->pair_acc[p * r->ng + c]);
                for (size_t d = 0; d < PAIR_DIFFS; d++)
                    r->pair_diff[(p * r->ng + g) * PAIR_DIFFS + d] +=
                        r->pair_diff[(p * r->ng + c) * PAIR_DIFFS + d];
            }
        }
        if (grp->kind == GROUP_COHORT && grp->nshown)
            grp->held_in_shown = grp->held;
        /* A class none of whose answers may be shown is held back whole, as it says. */
        if (grp->kind == GROUP_COHORT && !grp->nshown) {
            grp->hidden = true;
            grp->n = grp->held;
            grp->held = 0;
            grp->nheld = 0;
        }
    }
}

/* ---- building ---- */

int report_k(const struct report *r)
{
    return r->k;
}

void report_free(struct report *r)
{
    if (!r)
        return;
    arena_release(&r->arena);
    free(r);
}

int report_build(struct store *s, const struct report_options *opt, struct report **out, char *err,
                 size_t err_len)
{
    *out = NULL;
    struct report *r = xcalloc(1, sizeof(*r));
    int rc;
    r->k = opt->k > 0 ? opt->k : REPORT_K_DEFAULT;
    if (r->k < REPORT_K_MIN)
        r->k = REPORT_K_MIN;
    r->source = opt->source ? arena_strdup(&r->arena, opt->source) : NULL;
    r->today = store_today(s);
    r->html_fragment = opt->html_fragment;
    r->chart_href = opt->chart_href ? arena_strdup(&r->arena, opt->chart_href) : NULL;
    r->flag_words = opt->flag_words;
    r->language_name = opt->language_name;
    r->compared = opt->compare_a || opt->compare_b;
    r->store = s;
    r->filter = r->cmp_a = r->cmp_b = SIZE_MAX;

    if ((rc = store_surveys(s, &r->arena, &r->surveys, &r->nsurveys)) != STORE_OK ||
        (rc = store_cohorts(s, &r->arena, &r->cohorts, &r->ncohorts)) != STORE_OK ||
        (rc = store_focus_groups(s, &r->arena, &r->fgs, &r->nfgs)) != STORE_OK ||
        (rc = store_served_versions(s, &r->arena, &r->served, &r->nserved)) != STORE_OK) {
        snprintf(err, err_len, "reading the database failed");
        goto fail;
    }
    qsort(r->surveys, r->nsurveys, sizeof(*r->surveys), survey_order);
    r->nvers = r->nsurveys;
    r->vers = arena_alloc(&r->arena, (r->nvers ? r->nvers : 1) * sizeof(*r->vers));
    for (size_t v = 0; v < r->nvers; v++)
        r->vers[v].sv = &r->surveys[v];
    if (opt->cohort) {
        char code[WIRE_CODE_LEN + 1];
        if (wire_code_normalise(opt->cohort, code) == 0)
            for (size_t c = 0; c < r->ncohorts; c++)
                if (strcmp(r->cohorts[c].code, code) == 0)
                    r->filter = c;
        if (r->filter == SIZE_MAX) {
            snprintf(err, err_len, "no class has the code '%s'", opt->cohort);
            rc = STORE_ERR_NOT_FOUND;
            goto fail;
        }
    }
    if (opt->school &&
        (rc = report_keep_school(r, opt->school, opt->cohort, err, err_len)) != STORE_OK)
        goto fail;
    report_keep_used_versions(r);
    build_questions(r);
    report_build_groups(r);
    report_build_pairs(r);
    alloc_gq(r);
    for (size_t v = 0; v < r->nvers; v++) {
        const char *name = r->vers[v].sv->package_version;
        if (opt->compare_a && strcmp(name, opt->compare_a) == 0)
            r->cmp_a = r->first_version + v;
        if (opt->compare_b && strcmp(name, opt->compare_b) == 0)
            r->cmp_b = r->first_version + v;
    }
    r->version = SIZE_MAX;
    for (size_t v = 0; opt->version && v < r->nvers; v++)
        if (strcmp(r->vers[v].sv->package_version, opt->version) == 0)
            r->version = r->first_version + v;
    if ((opt->compare_a && r->cmp_a == SIZE_MAX) || (opt->compare_b && r->cmp_b == SIZE_MAX) ||
        (opt->version && r->version == SIZE_MAX)) {
        snprintf(err, err_len, "no stored package version '%s'",
                 opt->compare_a && r->cmp_a == SIZE_MAX   ? opt->compare_a
                 : opt->compare_b && r->cmp_b == SIZE_MAX ? opt->compare_b
                                                          : opt->version);
        rc = STORE_ERR_NOT_FOUND;
        goto fail;
    }
    if (!opt->compare_a && !opt->compare_b && r->nvers >= 2) {
        r->cmp_a = r->first_version + r->nvers - 2;
        r->cmp_b = r->first_version + r->nvers - 1;
    }

    if ((rc = report_themes_load(r, s)) != STORE_OK) {
        snprintf(err, err_len, "reading the themes failed");
        goto fail;
    }
    rc = scan(r, s);
    if (rc != STORE_OK) {
        snprintf(err, err_len, "reading the answers failed");
        goto fail;
    }
    report_hold_back(r);
    aggregate(r);
    report_match(r);
    *out = r;
    return STORE_OK;
fail:
    report_free(r);
    return rc;
}
