/*
 * Statistics against values worked out by hand (and t quantiles against printed tables).
 */
#include "testutil.h"

#include <math.h>

#include "report/report.h"

static void acc_of(struct stats_acc *a, const double *x, size_t n)
{
    *a = (struct stats_acc){0};
    for (size_t i = 0; i < n; i++)
        stats_add(a, x[i]);
}

static void test_mean_and_variance(void **state)
{
    (void)state;
    struct stats_acc a;
    acc_of(&a, (const double[]){2, 3, 3, 4}, 4);
    assert_float_equal(stats_mean(&a), 3.0, 1e-12);
    /* Deviations -1 0 0 1: sum of squares 2, over n - 1 = 3. */
    assert_float_equal(stats_variance(&a), 2.0 / 3.0, 1e-12);
    struct stats_acc one;
    acc_of(&one, (const double[]){5}, 1);
    assert_float_equal(stats_variance(&one), 0.0, 0);
    struct stats_acc b;
    acc_of(&b, (const double[]){1, 5}, 2);
    stats_merge(&a, &b);
    assert_int_equal(a.n, 6);
    assert_float_equal(stats_mean(&a), 18.0 / 6.0, 1e-12);
}

static void test_t_quantiles_match_tables(void **state)
{
    (void)state;
    /* Two-sided 95% critical values from published tables. */
    assert_float_equal(stats_t_quantile(0.975, 1), 12.706205, 1e-5);
    assert_float_equal(stats_t_quantile(0.975, 2), 4.302653, 1e-5);
    assert_float_equal(stats_t_quantile(0.975, 4), 2.776445, 1e-5);
    assert_float_equal(stats_t_quantile(0.975, 6), 2.446912, 1e-5);
    assert_float_equal(stats_t_quantile(0.975, 11), 2.200985, 1e-5);
    assert_float_equal(stats_t_quantile(0.975, 30), 2.042272, 1e-5);
    assert_float_equal(stats_t_quantile(0.975, 120), 1.979930, 1e-5);
    assert_float_equal(stats_t_quantile(0.025, 4), -2.776445, 1e-5);
    assert_float_equal(stats_t_quantile(0.5, 7), 0.0, 0);
    assert_float_equal(stats_t_cdf(0.0, 3), 0.5, 1e-12);
    assert_float_equal(stats_t_cdf(2.776445, 4), 0.975, 1e-6);
}

static void test_welch_equal_spread(void **state)
{
    (void)state;
    /* before 1 2 3 (mean 2, variance 1), after 3 4 5 (mean 4, variance 1):
     * se = sqrt(1/3 + 1/3) = 0.8164966, df = (2/3)^2 / (2 * (1/3)^2 / 2) = 4,
     * half width = 2.776445 * 0.8164966 = 2.266958. */
    struct stats_acc b, a;
    acc_of(&b, (const double[]){1, 2, 3}, 3);
    acc_of(&a, (const double[]){3, 4, 5}, 3);
    struct stats_diff d;
    assert_int_equal(stats_welch(&b, &a, &d), 0);
    assert_float_equal(d.diff, 2.0, 1e-12);
    assert_float_equal(d.se, 0.8164966, 1e-6);
    assert_float_equal(d.df, 4.0, 1e-9);
    assert_float_equal(d.low, -0.266958, 1e-5);
    assert_float_equal(d.high, 4.266958, 1e-5);
    assert_int_equal(d.n_before, 3);
    assert_int_equal(d.n_after, 3);
}

static void test_welch_unequal(void **state)
{
    (void)state;
    /* before 2 3 3 4: variance 2/3, n 4; after 3 4 5 4 4: variance 1/2, n 5.
     * a = 1/6, b = 1/10; se = sqrt(4/15) = 0.5163978;
     * df = (4/15)^2 / ((1/6)^2 / 3 + (1/10)^2 / 4) = 0.0711111 / 0.0117593 = 6.047244. */
    struct stats_acc b, a;
    acc_of(&b, (const double[]){2, 3, 3, 4}, 4);
    acc_of(&a, (const double[]){3, 4, 5, 4, 4}, 5);
    struct stats_diff d;
    assert_int_equal(stats_welch(&b, &a, &d), 0);
    assert_float_equal(d.diff, 1.0, 1e-12);
    assert_float_equal(d.se, 0.5163978, 1e-6);
    assert_float_equal(d.df, 6.047244, 1e-5);
    /* The multiplier lies between the tables' 6 and 7 degrees of freedom. */
    double mult = (d.high - d.diff) / d.se;
    assert_true(mult < 2.446912 && mult > 2.364624);
    assert_float_equal(d.diff - d.low, d.high - d.diff, 1e-12);
}

static void test_welch_needs_two_each(void **state)
{
    (void)state;
    struct stats_acc b, a;
    acc_of(&b, (const double[]){2}, 1);
    acc_of(&a, (const double[]){3, 4}, 2);
    struct stats_diff d;
    assert_int_equal(stats_welch(&b, &a, &d), -1);
    /* No spread on either side: an exact difference with a zero-width interval. */
    acc_of(&b, (const double[]){3, 3, 3}, 3);
    acc_of(&a, (const double[]){4, 4}, 2);
    assert_int_equal(stats_welch(&b, &a, &d), 0);
    assert_float_equal(d.low, 1.0, 1e-12);
    assert_float_equal(d.high, 1.0, 1e-12);
}

static void test_paired(void **state)
{
    (void)state;
    /* Differences 1 0 2 1 1: mean 1, variance 0.5, se = sqrt(0.5 / 5) = 0.3162278,
     * df 4, half width 2.776445 * 0.3162278 = 0.877989. */
    struct stats_acc d;
    acc_of(&d, (const double[]){1, 0, 2, 1, 1}, 5);
    struct stats_diff out;
    assert_int_equal(stats_paired(&d, &out), 0);
    assert_float_equal(out.diff, 1.0, 1e-12);
    assert_float_equal(out.se, 0.3162278, 1e-6);
    assert_float_equal(out.df, 4.0, 0);
    assert_float_equal(out.low, 0.122011, 1e-5);
    assert_float_equal(out.high, 1.877989, 1e-5);
    struct stats_acc one;
    acc_of(&one, (const double[]){1}, 1);
    assert_int_equal(stats_paired(&one, &out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_and_variance),
        cmocka_unit_test(test_t_quantiles_match_tables),
        cmocka_unit_test(test_welch_equal_spread),
        cmocka_unit_test(test_welch_unequal),
        cmocka_unit_test(test_welch_needs_two_each),
        cmocka_unit_test(test_paired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
