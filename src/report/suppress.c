/*
 * Small-number suppression with complementary suppression.
 *
 * A table is cells and relations "total = sum of parts" (a row and its total, a school and
 * its classes, a version and its classes, everything and its schools). Primary suppression
 * hides every count from 1 to k - 1. Complementary suppression then hides more, by two
 * rules applied until nothing changes:
 *
 *   1. In every relation that holds a hidden cell, at least two cells are hidden and what
 *      they add up to (which anyone can work out from the shown ones) is 0 or at least k,
 *      so no single hidden figure, and no small group of them, follows by subtraction.
 *   2. No hidden cell may be derivable from the shown ones by any combination of the
 *      relations. The relations restricted to the hidden cells form a linear system; a
 *      hidden cell is derivable exactly when every solution of its homogeneous form is zero
 *      there (see find_derivable()). The arithmetic is done modulo a large prime, which is
 *      exact for these small integer systems.
 *
 * Each rule hides the smallest useful shown figure (parts before totals, non-zero before
 * zero), so as little as possible is lost.
 */
#include "report/report.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define PRIME 2147483647ULL
/* Past this much elimination work the exact check gives up (the line rules still hold). */
#define EXACT_MAX_WORK ((size_t)50 * 1000 * 1000)
/* Rounds of the exact check that add one partner at a time before it turns firmer. */
#define GENTLE_ROUNDS 12

struct term {
    size_t cell;
    int coef;
};

struct supp {
    int64_t *value;
    unsigned *flags;
    bool *hidden;
    size_t n;
    size_t cap;
    struct term *terms;
    size_t nterms;
    size_t tcap;
    size_t *eq_start; /* relation i is terms[eq_start[i] .. eq_start[i + 1]) */
    size_t neq;
    size_t eqcap;
    bool exact;
};

struct supp *supp_new(void)
{
    /* The exact check draws random numbers. */
    if (sodium_init() < 0)
        abort();
    struct supp *s = xcalloc(1, sizeof(*s));
    XGROW(s->eq_start, s->eqcap, 1);
    s->eq_start[0] = 0;
    s->exact = true;
    return s;
}

void supp_free(struct supp *s)
{
    if (!s)
        return;
    free(s->value);
    free(s->flags);
    free(s->hidden);
    free(s->terms);
    free(s->eq_start);
    free(s);
}

size_t supp_cell(struct supp *s, int64_t value, unsigned flags)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        s->value = xrealloc(s->value, cap * sizeof(*s->value));
        s->flags = xrealloc(s->flags, cap * sizeof(*s->flags));
        s->hidden = xrealloc(s->hidden, cap * sizeof(*s->hidden));
        s->cap = cap;
    }
    s->value[s->n] = value;
    s->flags[s->n] = flags;
    s->hidden[s->n] = false;
    return s->n++;
}

static void add_term(struct supp *s, size_t cell, int coef)
{
    XGROW(s->terms, s->tcap, s->nterms + 1);
    s->terms[s->nterms++] = (struct term){cell, coef};
}

void supp_sum(struct supp *s, size_t total, const size_t *parts, size_t count)
{
    add_term(s, total, -1);
    for (size_t i = 0; i < count; i++)
        add_term(s, parts[i], 1);
    XGROW(s->eq_start, s->eqcap, s->neq + 2);
    s->eq_start[++s->neq] = s->nterms;
}

bool supp_hidden(const struct supp *s, size_t cell)
{
    return s->hidden[cell];
}

bool supp_exact(const struct supp *s)
{
    return s->exact;
}

/* Whether a is a better cell to hide than b (b may be SIZE_MAX, "none yet"). */
static bool better(const struct supp *s, size_t a, size_t b)
{
    if (b == SIZE_MAX)
        return true;
    bool ta = s->flags[a] & SUPP_TOTAL, tb = s->flags[b] & SUPP_TOTAL;
    if (ta != tb)
        return !ta;
    bool za = s->value[a] == 0, zb = s->value[b] == 0;
    if (za != zb)
        return !za;
    if (s->value[a] != s->value[b])
        return s->value[a] < s->value[b];
    return a < b;
}

static bool candidate(const struct supp *s, size_t cell)
{
    return !s->hidden[cell] && !(s->flags[cell] & SUPP_SHOWN_ONLY);
}

/* The best shown cell of relation e to hide, or SIZE_MAX. */
static size_t pick_in(const struct supp *s, size_t e, size_t best)
{
    for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++) {
        size_t c = s->terms[t].cell;
        if (candidate(s, c) && better(s, c, best))
            best = c;
    }
    return best;
}

/* Rule 1. Returns whether anything was hidden. */
static bool line_rule(struct supp *s, int64_t k)
{
    bool changed = false;
    for (size_t e = 0; e < s->neq; e++) {
        size_t count = 0;
        int64_t agg = 0;
        for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++) {
            size_t c = s->terms[t].cell;
            if (s->hidden[c]) {
                count++;
                agg += s->terms[t].coef * s->value[c];
            }
        }
        if (agg < 0)
            agg = -agg;
        if (count == 0 || (count >= 2 && (agg == 0 || agg >= k)))
            continue;
        size_t c = pick_in(s, e, SIZE_MAX);
        if (c != SIZE_MAX) {
            s->hidden[c] = true;
            changed = true;
        }
    }
    return changed;
}

static uint64_t mod_inverse(uint64_t a)
{
    /* Fermat: a^(p-2) mod p. */
    uint64_t r = 1, e = PRIME - 2;
    a %= PRIME;
    while (e) {
        if (e & 1)
            r = r * a % PRIME;
        a = a * a % PRIME;
        e >>= 1;
    }
    return r;
}

/* A sparse row over GF(p): entries sorted by column. */
struct entry {
    size_t col;
    uint64_t val;
};

struct srow {
    struct entry *e;
    size_t n;
    size_t cap;
};

static void srow_push(struct srow *r, size_t col, uint64_t val)
{
    XGROW(r->e, r->cap, r->n + 1);
    r->e[r->n++] = (struct entry){col, val};
}

static int entry_order(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* out = a - f * b, dropping zeros; both sorted. Returns the work done. */
static size_t srow_sub(const struct srow *a, uint64_t f, const struct srow *b, struct srow *out)
{
    out->n = 0;
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->e[i].col < b->e[j].col)) {
            srow_push(out, a->e[i].col, a->e[i].val);
            i++;
        } else {
            uint64_t v = (PRIME - f * b->e[j].val % PRIME) % PRIME;
            size_t col = b->e[j].col;
            if (i < a->n && a->e[i].col == col)
                v = (v + a->e[i++].val) % PRIME;
            j++;
            if (v)
                srow_push(out, col, v);
        }
    }
    return a->n + b->n;
}

/*
 * Marks in derivable[] each hidden cell that the shown cells determine. A hidden cell is
 * determined exactly when every solution of the homogeneous system (the relations over the
 * hidden cells) is zero there. The system is brought to echelon form by sparse elimination,
 * then one solution is drawn with random values for the free unknowns: a cell that is not
 * determined is non-zero in it except with probability 1/p, and a determined cell is always
 * zero, so a mistake can only ever hide one figure too many. Returns false when the work
 * would pass the budget (the caller then relies on the line rules).
 */
static bool find_derivable(const struct supp *s, const bool *hidden, bool *derivable)
{
    size_t *col = xmalloc((s->n ? s->n : 1) * sizeof(*col));
    size_t nu = 0;
    for (size_t c = 0; c < s->n; c++)
        col[c] = hidden[c] ? nu++ : SIZE_MAX;
    memset(derivable, 0, s->n * sizeof(*derivable));
    if (nu == 0) {
        free(col);
        return true;
    }
    struct srow *pivot = xcalloc(nu, sizeof(*pivot)); /* pivot[c]: the row leading at c */
    bool *has_pivot = xcalloc(nu, sizeof(*has_pivot));
    struct srow cur = {0}, tmp = {0};
    size_t work = 0;
    bool ok = true;
    /* Short relations first: they become pivots that keep the long ones from filling in. */
    struct entry *order = xmalloc((s->neq ? s->neq : 1) * sizeof(*order));
    for (size_t e = 0; e < s->neq; e++) {
        size_t h = 0;
        for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++)
            h += hidden[s->terms[t].cell];
        order[e] = (struct entry){h, e};
    }
    qsort(order, s->neq, sizeof(*order), entry_order);
    for (size_t oi = 0; oi < s->neq && ok; oi++) {
        size_t e = (size_t)order[oi].val;
        cur.n = 0;
        for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++) {
            size_t c = s->terms[t].cell;
            if (hidden[c])
                srow_push(&cur, col[c], s->terms[t].coef > 0 ? 1 : PRIME - 1);
        }
        if (cur.n == 0)
            continue;
        qsort(cur.e, cur.n, sizeof(*cur.e), entry_order);
        /* Merge repeated columns (a cell named twice in one relation). */
        size_t k = 0;
        for (size_t i = 0; i < cur.n; i++) {
            if (k && cur.e[k - 1].col == cur.e[i].col)
                cur.e[k - 1].val = (cur.e[k - 1].val + cur.e[i].val) % PRIME;
            else
                cur.e[k++] = cur.e[i];
        }
        cur.n = k;
        for (;;) {
            size_t z = 0;
            for (size_t i = 0; i < cur.n; i++)
                if (cur.e[i].val)
                    cur.e[z++] = cur.e[i];
            cur.n = z;
            if (cur.n == 0)
                break;
            size_t lead = cur.e[0].col;
            if (!has_pivot[lead]) {
                uint64_t inv = mod_inverse(cur.e[0].val);
                for (size_t i = 0; i < cur.n; i++)
                    cur.e[i].val = cur.e[i].val * inv % PRIME;
                pivot[lead] = cur;
                has_pivot[lead] = true;
                cur = (struct srow){0};
                break;
            }
            work += srow_sub(&cur, cur.e[0].val, &pivot[lead], &tmp);
            struct srow swap = cur;
            cur = tmp;
            tmp = swap;
            if (work > EXACT_MAX_WORK) {
                ok = false;
                break;
            }
        }
    }
    if (ok) {
        /* One random solution: free unknowns random, the others from their pivot rows. The
         * generator is seeded from the system; only its values' spread matters here. */
        uint64_t *x = xcalloc(nu, sizeof(*x));
        uint64_t seed;
        randombytes_buf(&seed, sizeof(seed));
        seed |= 1;
        for (size_t c = nu; c-- > 0;) {
            if (!has_pivot[c]) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                x[c] = 1 + seed % (PRIME - 1);
                continue;
            }
            uint64_t sum = 0;
            const struct srow *r = &pivot[c];
            for (size_t i = 1; i < r->n; i++)
                sum = (sum + r->e[i].val * x[r->e[i].col]) % PRIME;
            x[c] = (PRIME - sum) % PRIME;
        }
        for (size_t c = 0; c < s->n; c++)
            if (col[c] != SIZE_MAX)
                derivable[c] = x[col[c]] == 0;
        free(x);
    }
    for (size_t c = 0; c < nu; c++)
        free(pivot[c].e);
    free(order);
    free(cur.e);
    free(tmp.e);
    free(pivot);
    free(has_pivot);
    free(col);
    return ok;
}

/* Hides every shown, hideable cell of relation e. Returns whether any was. */
static bool hide_relation(struct supp *s, size_t e)
{
    bool any = false;
    for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++) {
        size_t c = s->terms[t].cell;
        if (candidate(s, c)) {
            s->hidden[c] = true;
            any = true;
        }
    }
    return any;
}

/*
 * Rule 2. Returns whether anything was hidden. Gently (one well-chosen partner per derivable
 * cell) for the first rounds; after that, when protecting one figure keeps exposing another,
 * by hiding the rest of every relation that holds a derivable cell, which settles it quickly.
 */
static bool exact_rule(struct supp *s, bool gentle)
{
    bool *der = xmalloc((s->n ? s->n : 1) * sizeof(*der));
    if (!find_derivable(s, s->hidden, der)) {
        s->exact = false;
        free(der);
        return false;
    }
    bool changed = false;
    for (size_t c = 0; c < s->n; c++) {
        if (!der[c])
            continue;
        if (!gentle) {
            for (size_t e = 0; e < s->neq; e++)
                for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++)
                    if (s->terms[t].cell == c) {
                        changed |= hide_relation(s, e);
                        break;
                    }
            continue;
        }
        size_t best = SIZE_MAX;
        for (size_t e = 0; e < s->neq; e++)
            for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++)
                if (s->terms[t].cell == c) {
                    best = pick_in(s, e, best);
                    break;
                }
        if (best == SIZE_MAX) {
            /* Every relation of c is fully hidden or fixed: widen to any relation that
             * holds a hidden cell. */
            for (size_t e = 0; e < s->neq; e++)
                for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++)
                    if (s->hidden[s->terms[t].cell]) {
                        best = pick_in(s, e, best);
                        break;
                    }
        }
        if (best != SIZE_MAX) {
            s->hidden[best] = true;
            changed = true;
            /* One complement often protects several cells; on small tables look again
             * before adding another, so that no more is hidden than needed. */
            if (s->n <= 400)
                break;
        }
    }
    if (!changed) {
        /* Derivable cells with no shown partner anywhere: hide every hideable cell. */
        for (size_t c = 0; c < s->n && !changed; c++)
            if (der[c])
                for (size_t e = 0; e < s->neq; e++)
                    changed |= hide_relation(s, e);
    }
    free(der);
    return changed;
}

void supp_run(struct supp *s, int64_t k)
{
    for (size_t c = 0; c < s->n; c++) {
        bool small = !(s->flags[c] & (SUPP_NOT_PRIMARY | SUPP_SHOWN_ONLY)) && s->value[c] >= 1 &&
                     s->value[c] < k;
        if ((s->flags[c] & SUPP_HIDDEN) || small)
            s->hidden[c] = true;
    }
    s->exact = true;
    int rounds = 0;
    for (;;) {
        if (line_rule(s, k))
            continue;
        if (!exact_rule(s, rounds++ < GENTLE_ROUNDS))
            break;
    }
}

bool supp_derivable(struct supp *s, size_t cell)
{
    /* Before supp_run(), the cells marked SUPP_HIDDEN are the ones asked about. */
    bool *hidden = xmalloc((s->n ? s->n : 1) * sizeof(*hidden));
    for (size_t c = 0; c < s->n; c++)
        hidden[c] = s->hidden[c] || (s->flags[c] & SUPP_HIDDEN);
    bool *der = xmalloc((s->n ? s->n : 1) * sizeof(*der));
    bool ok = find_derivable(s, hidden, der);
    bool r = ok && hidden[cell] && der[cell];
    free(der);
    free(hidden);
    return r;
}
