/*
 * Timed waits on the monotonic clock, so that a change of the wall clock moves no deadline:
 * the feedback worker pool (web/pool.c) and the store's writer (store/writer.c) use them.
 */
#ifndef PLANPACK_CLOCK_H
#define PLANPACK_CLOCK_H

#include <pthread.h>
#include <time.h>

/* Initialises c so that pthread_cond_timedwait() on it takes a monotonic_after() deadline. */
void cond_init_monotonic(pthread_cond_t *c);
/* The monotonic time ns nanoseconds from now (ns may be negative: a deadline passed). */
struct timespec monotonic_after(long long ns);

#endif
