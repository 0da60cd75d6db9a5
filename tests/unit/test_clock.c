/* Deadlines on the monotonic clock (base/clock.h): always normalised, whatever the offset. */
#include "testutil.h"

#include <errno.h>

#include "base/clock.h"

static long long ns_of(struct timespec ts)
{
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void test_deadlines_are_normalised(void **state)
{
    (void)state;
    const long long offsets[] = {0,          1,          250000,   999999999,
                                 1000000000, 1500000000, -5000000, -1999999999};
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        struct timespec before;
        clock_gettime(CLOCK_MONOTONIC, &before);
        struct timespec at = monotonic_after(offsets[i]);
        struct timespec after;
        clock_gettime(CLOCK_MONOTONIC, &after);
        assert_true(at.tv_nsec >= 0 && at.tv_nsec < 1000000000L);
        assert_true(ns_of(at) >= ns_of(before) + offsets[i]);
        assert_true(ns_of(at) <= ns_of(after) + offsets[i]);
    }
}

/* A timed wait on a monotonic condition variable ends at its monotonic deadline. */
static void test_timed_wait(void **state)
{
    (void)state;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c;
    cond_init_monotonic(&c);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct timespec until = monotonic_after(20000000LL);
    pthread_mutex_lock(&mu);
    int rc = 0;
    while (rc == 0)
        rc = pthread_cond_timedwait(&c, &mu, &until);
    pthread_mutex_unlock(&mu);
    assert_int_equal(rc, ETIMEDOUT);
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    assert_true(ns_of(end) - ns_of(start) >= 20000000LL);
    assert_true(ns_of(end) - ns_of(start) < 5000000000LL);
    pthread_cond_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines_are_normalised),
        cmocka_unit_test(test_timed_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
