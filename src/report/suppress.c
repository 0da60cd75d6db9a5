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
 *      hidden cell is derivable exactly when its unit vector lies in the row space, which
 *      the reduced row echelon form shows (a row with a single non-zero). The arithmetic is
 *      done modulo a large prime, which is exact for these small integer systems.
 *
 * Each rule hides the smallest useful shown figure (parts before totals, non-zero before
 * zero), so as little as possible is lost.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define PRIME 2147483647ULL
/* The exact check's dense matrix is hidden cells x relations; past this it is skipped. */
#define EXACT_MAX_UNKNOWNS 1200

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

/*
 * Marks in derivable[] each hidden cell that the shown cells determine. Returns false when
 * the system is too large to check.
 */
static bool find_derivable(const struct supp *s, const bool *hidden, bool *derivable)
{
    size_t *col = xmalloc(s->n * sizeof(*col));
    size_t nu = 0;
    for (size_t c = 0; c < s->n; c++)
        col[c] = hidden[c] ? nu++ : SIZE_MAX;
    memset(derivable, 0, s->n * sizeof(*derivable));
    if (nu == 0 || nu > EXACT_MAX_UNKNOWNS) {
        free(col);
        return nu == 0;
    }
    /* One matrix row per relation that touches a hidden cell. */
    size_t m = 0;
    for (size_t e = 0; e < s->neq; e++)
        for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++)
            if (hidden[s->terms[t].cell]) {
                m++;
                break;
            }
    uint64_t *a = xcalloc(m * nu, sizeof(*a));
    size_t r = 0;
    for (size_t e = 0; e < s->neq; e++) {
        bool any = false;
        for (size_t t = s->eq_start[e]; t < s->eq_start[e + 1]; t++) {
            size_t c = s->terms[t].cell;
            if (!hidden[c])
                continue;
            uint64_t *x = &a[r * nu + col[c]];
            *x = (*x + (s->terms[t].coef > 0 ? 1 : PRIME - 1)) % PRIME;
            any = true;
        }
        r += any;
    }
    /* Reduced row echelon form; pivot_row[j] is the row whose leading entry is column j. */
    size_t *pivot_row = xmalloc(nu * sizeof(*pivot_row));
    size_t rank = 0;
    for (size_t j = 0; j < nu; j++) {
        pivot_row[j] = SIZE_MAX;
        if (rank == m)
            continue;
        size_t p = rank;
        while (p < m && a[p * nu + j] == 0)
            p++;
        if (p == m)
            continue;
        if (p != rank)
            for (size_t x = 0; x < nu; x++) {
                uint64_t tmp = a[p * nu + x];
                a[p * nu + x] = a[rank * nu + x];
                a[rank * nu + x] = tmp;
            }
        uint64_t inv = mod_inverse(a[rank * nu + j]);
        for (size_t x = j; x < nu; x++)
            a[rank * nu + x] = a[rank * nu + x] * inv % PRIME;
        for (size_t i = 0; i < m; i++) {
            uint64_t f = a[i * nu + j];
            if (i == rank || f == 0)
                continue;
            for (size_t x = j; x < nu; x++)
                if (a[rank * nu + x])
                    a[i * nu + x] = (a[i * nu + x] + (PRIME - f) * a[rank * nu + x]) % PRIME;
        }
        pivot_row[j] = rank++;
    }
    /* A hidden cell is derivable when its pivot row has no other non-zero entry. */
    for (size_t c = 0; c < s->n; c++) {
        if (col[c] == SIZE_MAX || pivot_row[col[c]] == SIZE_MAX)
            continue;
        const uint64_t *row = &a[pivot_row[col[c]] * nu];
        size_t nonzero = 0;
        for (size_t x = 0; x < nu && nonzero < 2; x++)
            nonzero += row[x] != 0;
        derivable[c] = nonzero == 1;
    }
    free(pivot_row);
    free(a);
    free(col);
    return true;
}

/* Rule 2. Returns whether anything was hidden. */
static bool exact_rule(struct supp *s)
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
    free(der);
    return changed;
}

void supp_run(struct supp *s, int64_t k)
{
    for (size_t c = 0; c < s->n; c++) {
        if (s->flags[c] & SUPP_HIDDEN)
            s->hidden[c] = true;
        else if (!(s->flags[c] & (SUPP_NOT_PRIMARY | SUPP_SHOWN_ONLY)) && s->value[c] >= 1 &&
                 s->value[c] < k)
            s->hidden[c] = true;
    }
    s->exact = true;
    for (;;) {
        if (line_rule(s, k))
            continue;
        if (!exact_rule(s))
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
