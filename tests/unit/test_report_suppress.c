/*
 * Small-number suppression on hand-made tables: primary suppression, complementary
 * suppression against subtraction from totals, and the exact check for figures that only
 * a combination of totals gives away.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* A row of cells and its total; returns the total's index, cells in out[]. */
static size_t row(struct supp *s, const int64_t *v, size_t n, size_t *out, unsigned total_flags)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = supp_cell(s, v[i], 0);
        sum += v[i];
    }
    size_t t = supp_cell(s, sum, SUPP_TOTAL | total_flags);
    supp_sum(s, t, out, n);
    return t;
}

static void assert_none_derivable(struct supp *s, size_t ncells)
{
    for (size_t c = 0; c < ncells; c++)
        if (supp_hidden(s, c) && supp_derivable(s, c))
            fail_msg("cell %zu can still be worked out", c);
}

static void test_single_small_cell_gets_a_partner(void **state)
{
    (void)state;
    /* 1 + 10 + 20 = 31 with the total shown: hiding only the 1 would leave 31 - 10 - 20. */
    struct supp *s = supp_new();
    size_t c[3];
    size_t t = row(s, (const int64_t[]){1, 10, 20}, 3, c, 0);
    supp_run(s, 5);
    assert_true(supp_hidden(s, c[0]));
    assert_true(supp_hidden(s, c[1])); /* the smallest other part */
    assert_false(supp_hidden(s, c[2]));
    assert_false(supp_hidden(s, t));
    assert_none_derivable(s, 4);
    supp_free(s);
}

static void test_hidden_cells_must_not_add_up_to_a_small_number(void **state)
{
    (void)state;
    /* 1 and 2 hidden: 63 - 30 - 30 = 3 would say "three pupils chose one of these two". */
    struct supp *s = supp_new();
    size_t c[4];
    size_t t = row(s, (const int64_t[]){1, 2, 30, 30}, 4, c, 0);
    supp_run(s, 5);
    assert_true(supp_hidden(s, c[0]));
    assert_true(supp_hidden(s, c[1]));
    assert_true(supp_hidden(s, c[2]));
    assert_false(supp_hidden(s, c[3]));
    assert_false(supp_hidden(s, t));
    supp_free(s);
}

static void test_zeros_and_large_counts_stay(void **state)
{
    (void)state;
    struct supp *s = supp_new();
    size_t c[3];
    size_t t = row(s, (const int64_t[]){0, 12, 15}, 3, c, 0);
    supp_run(s, 5);
    for (size_t i = 0; i < 3; i++)
        assert_false(supp_hidden(s, c[i]));
    assert_false(supp_hidden(s, t));
    supp_free(s);
}

static void test_two_way_table(void **state)
{
    (void)state;
    /*        A   B | total
     *  r1    3   7 |  10
     *  r2    8   9 |  17
     *  total 11 16 |  27
     * The 3 needs a partner in its row (7) and in its column (8); the 8 then needs one in
     * its row (9). All four inner cells end hidden, and none can be worked out. */
    struct supp *s = supp_new();
    size_t r1[2], r2[2];
    size_t t1 = row(s, (const int64_t[]){3, 7}, 2, r1, 0);
    size_t t2 = row(s, (const int64_t[]){8, 9}, 2, r2, 0);
    size_t ca = supp_cell(s, 11, SUPP_TOTAL), cb = supp_cell(s, 16, SUPP_TOTAL);
    size_t all = supp_cell(s, 27, SUPP_TOTAL);
    supp_sum(s, ca, (const size_t[]){r1[0], r2[0]}, 2);
    supp_sum(s, cb, (const size_t[]){r1[1], r2[1]}, 2);
    supp_sum(s, all, (const size_t[]){ca, cb}, 2);
    supp_sum(s, all, (const size_t[]){t1, t2}, 2);
    supp_run(s, 5);
    assert_true(supp_hidden(s, r1[0]));
    assert_true(supp_hidden(s, r1[1]));
    assert_true(supp_hidden(s, r2[0]));
    assert_true(supp_hidden(s, r2[1]));
    assert_false(supp_hidden(s, t1));
    assert_false(supp_hidden(s, t2));
    assert_false(supp_hidden(s, ca));
    assert_false(supp_hidden(s, cb));
    assert_false(supp_hidden(s, all));
    assert_true(supp_exact(s));
    assert_none_derivable(s, 9);
    supp_free(s);
}

static void test_school_and_its_classes(void **state)
{
    (void)state;
    /* A school of 48 answers from classes of 3, 20 and 25: hiding the 3 alone would leave
     * 48 - 20 - 25. The 20 is hidden with it; the school's total stays. */
    struct supp *s = supp_new();
    size_t a = supp_cell(s, 3, 0), b = supp_cell(s, 20, 0), c = supp_cell(s, 25, 0);
    size_t school = supp_cell(s, 48, SUPP_TOTAL);
    supp_sum(s, school, (const size_t[]){a, b, c}, 3);
    supp_run(s, 5);
    assert_true(supp_hidden(s, a));
    assert_true(supp_hidden(s, b));
    assert_false(supp_hidden(s, c));
    assert_false(supp_hidden(s, school));
    assert_none_derivable(s, 4);
    supp_free(s);
}

/*
 * A pattern that passes every line rule (each row and column has two or more hidden cells
 * adding up to at least k) yet gives one cell away through a combination of totals: in the
 * 3 x 3 table with margins below, hidden cells (marked #) form two separate loops joined by
 * the cell r1,c3 alone. Adding up the rows r1, r2 and subtracting the columns c1, c2 leaves
 * r1,c3 in terms of shown figures.
 *
 *          c1  c2  c3 | T
 *    r1    #   #   #  | 30
 *    r2    #   #   10 | 30
 *    r3    10  10  #  | #
 *    T     30  30  #  | #
 */
static void test_exact_check_finds_what_line_rules_miss(void **state)
{
    (void)state;
    struct supp *s = supp_new();
    size_t cell[4][4];
    const bool hidden[4][4] = {
        {true, true, true, false},
        {true, true, false, false},
        {false, false, true, true},
        {false, false, true, true},
    };
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            int64_t v = i == 3 && j == 3 ? 90 : (i == 3 || j == 3) ? 30 : 10;
            cell[i][j] = supp_cell(s, v, SUPP_NOT_PRIMARY | (hidden[i][j] ? SUPP_HIDDEN : 0));
        }
    for (int i = 0; i < 4; i++)
        supp_sum(s, cell[i][3], (const size_t[]){cell[i][0], cell[i][1], cell[i][2]}, 3);
    for (int j = 0; j < 4; j++)
        supp_sum(s, cell[3][j], (const size_t[]){cell[0][j], cell[1][j], cell[2][j]}, 3);
    /* As marked, the bridge cell can be worked out, and nothing else can. */
    assert_true(supp_derivable(s, cell[0][2]));
    assert_false(supp_derivable(s, cell[0][0]));
    assert_false(supp_derivable(s, cell[2][2]));
    supp_run(s, 5);
    assert_true(supp_hidden(s, cell[0][2]));
    assert_true(supp_exact(s));
    assert_none_derivable(s, 16);
    /* More than the nine marked cells are hidden now: the check had to add some. */
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            n += supp_hidden(s, cell[i][j]);
    assert_true(n > 9);
    supp_free(s);
}

static void test_fixed_cells(void **state)
{
    (void)state;
    /* A total fixed as shown (decided by another table) is never taken as a partner; a
     * total fixed as hidden makes one of its parts hidden too. */
    struct supp *s = supp_new();
    size_t c[2];
    size_t t = row(s, (const int64_t[]){2, 40}, 2, c, SUPP_SHOWN_ONLY);
    supp_run(s, 5);
    assert_true(supp_hidden(s, c[0]));
    assert_true(supp_hidden(s, c[1]));
    assert_false(supp_hidden(s, t));
    supp_free(s);

    s = supp_new();
    t = row(s, (const int64_t[]){20, 40}, 2, c, SUPP_HIDDEN);
    supp_run(s, 5);
    assert_true(supp_hidden(s, t));
    assert_true(supp_hidden(s, c[0]));
    assert_false(supp_hidden(s, c[1]));
    assert_none_derivable(s, 3);
    supp_free(s);
}

/*
 * An independent check, written separately from the suppressor: is hidden cell `target`
 * determined by the relations, given every shown cell? Dense elimination modulo a prime,
 * with the system's rank compared with and without the target's column.
 */
enum { MAXC = 64, MAXE = 64 };
static const uint64_t P = 2147483647ULL;

static uint64_t inv_mod(uint64_t a)
{
    uint64_t r = 1, e = P - 2;
    while (e) {
        if (e & 1)
            r = r * a % P;
        a = a * a % P;
        e >>= 1;
    }
    return r;
}

static size_t rank_of(uint64_t m[MAXE][MAXC], size_t rows, size_t cols)
{
    size_t rank = 0;
    for (size_t c = 0; c < cols && rank < rows; c++) {
        size_t p = rank;
        while (p < rows && m[p][c] == 0)
            p++;
        if (p == rows)
            continue;
        for (size_t x = 0; x < cols; x++) {
            uint64_t t = m[p][x];
            m[p][x] = m[rank][x];
            m[rank][x] = t;
        }
        uint64_t inv = inv_mod(m[rank][c]);
        for (size_t x = 0; x < cols; x++)
            m[rank][x] = m[rank][x] * inv % P;
        for (size_t i = 0; i < rows; i++) {
            if (i == rank || m[i][c] == 0)
                continue;
            uint64_t f = m[i][c];
            for (size_t x = 0; x < cols; x++)
                m[i][x] = (m[i][x] + (P - f) * m[rank][x]) % P;
        }
        rank++;
    }
    return rank;
}

struct rel {
    size_t total;
    size_t parts[8];
    size_t n;
};

static bool determined(const bool *hidden, size_t ncells, const struct rel *rels, size_t nrel,
                       size_t target)
{
    static uint64_t a[MAXE][MAXC], b[MAXE][MAXC];
    size_t col[MAXC], nu = 0;
    for (size_t c = 0; c < ncells; c++)
        col[c] = hidden[c] ? nu++ : SIZE_MAX;
    memset(a, 0, sizeof(a));
    for (size_t e = 0; e < nrel; e++) {
        if (hidden[rels[e].total])
            a[e][col[rels[e].total]] = (a[e][col[rels[e].total]] + P - 1) % P;
        for (size_t i = 0; i < rels[e].n; i++)
            if (hidden[rels[e].parts[i]])
                a[e][col[rels[e].parts[i]]] = (a[e][col[rels[e].parts[i]]] + 1) % P;
    }
    /* Determined exactly when dropping its column lowers the rank. */
    memcpy(b, a, sizeof(a));
    size_t full = rank_of(a, nrel, nu);
    for (size_t e = 0; e < nrel; e++) {
        b[e][col[target]] = b[e][nu - 1];
        b[e][nu - 1] = 0;
    }
    return rank_of(b, nrel, nu - 1) < full;
}

static void test_random_tables_checked_independently(void **state)
{
    (void)state;
    /* Classes in two schools and two versions (crossed), three answers and a total each,
     * with school, version and overall rows: the shape of a real report's table. */
    srand(12345);
    for (int round = 0; round < 300; round++) {
        enum { CLASSES = 5, COLS = 3 };
        size_t school[CLASSES], version[CLASSES];
        int64_t v[CLASSES][COLS];
        struct supp *s = supp_new();
        struct rel rels[MAXE];
        size_t nrel = 0;
        size_t cell[CLASSES + 5][COLS + 1];
        for (int c = 0; c < CLASSES; c++) {
            /* No empty school or version: the report has none (groups come from classes). */
            school[c] = c < 2 ? (size_t)c : (size_t)(rand() % 2);
            version[c] = c < 2 ? (size_t)(1 - c) : (size_t)(rand() % 2);
            for (int j = 0; j < COLS; j++)
                v[c][j] = rand() % 4 == 0 ? 0 : rand() % 14;
        }
        /* Rows 0..4 classes, 5..6 schools, 7..8 versions, 9 all. */
        for (int g = 0; g < CLASSES + 5; g++) {
            int64_t row[COLS] = {0};
            for (int c = 0; c < CLASSES; c++) {
                bool in = g == c || (g >= 5 && g <= 6 && school[c] == (size_t)(g - 5)) ||
                          (g >= 7 && g <= 8 && version[c] == (size_t)(g - 7)) || g == 9;
                for (int j = 0; j < COLS && in; j++)
                    row[j] += v[c][j];
            }
            int64_t total = 0;
            for (int j = 0; j < COLS; j++) {
                cell[g][j] = supp_cell(s, row[j], g < CLASSES ? 0 : SUPP_TOTAL);
                total += row[j];
            }
            cell[g][COLS] = supp_cell(s, total, SUPP_TOTAL);
            struct rel r = {cell[g][COLS], {cell[g][0], cell[g][1], cell[g][2]}, COLS};
            rels[nrel++] = r;
            supp_sum(s, r.total, r.parts, r.n);
        }
        for (int j = 0; j <= COLS; j++) {
            for (int g = CLASSES; g < CLASSES + 5; g++) {
                struct rel r = {cell[g][j], {0}, 0};
                for (int c = 0; c < CLASSES; c++)
                    if ((g <= 6 && g >= 5 && school[c] == (size_t)(g - 5)) ||
                        (g >= 7 && g <= 8 && version[c] == (size_t)(g - 7)) || g == 9)
                        r.parts[r.n++] = cell[c][j];
                rels[nrel++] = r;
                supp_sum(s, r.total, r.parts, r.n);
            }
        }
        supp_run(s, 5);
        size_t ncells = (CLASSES + 5) * (COLS + 1);
        bool hidden[MAXC];
        for (size_t c = 0; c < ncells; c++)
            hidden[c] = supp_hidden(s, c);
        for (size_t c = 0; c < ncells; c++) {
            if (hidden[c] && determined(hidden, ncells, rels, nrel, c))
                fail_msg("round %d: hidden cell %zu can be worked out", round, c);
        }
        /* Every figure from 1 to 4 is hidden. */
        for (int c = 0; c < CLASSES; c++)
            for (int j = 0; j < COLS; j++)
                if (v[c][j] >= 1 && v[c][j] < 5)
                    assert_true(hidden[cell[c][j]]);
        assert_true(supp_exact(s));
        supp_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_small_cell_gets_a_partner),
        cmocka_unit_test(test_hidden_cells_must_not_add_up_to_a_small_number),
        cmocka_unit_test(test_zeros_and_large_counts_stay),
        cmocka_unit_test(test_two_way_table),
        cmocka_unit_test(test_school_and_its_classes),
        cmocka_unit_test(test_exact_check_finds_what_line_rules_miss),
        cmocka_unit_test(test_fixed_cells),
        cmocka_unit_test(test_random_tables_checked_independently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
