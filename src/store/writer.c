/*
 * The group-commit writer thread and its queue (see writer.h).
 */
#include "store/writer.h"

#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "store/store.h"

/* How long the writer waits for the senders of the last batch to come back. */
#define COMMIT_DELAY_NS 250000L

void writer_init(struct writer *w, writer_batch_fn *batch, void *ctx, size_t max_batch)
{
    *w = (struct writer){.batch = batch, .ctx = ctx, .max_batch = max_batch ? max_batch : 1};
    pthread_mutex_init(&w->mu, NULL);
    /* The writer's short waits for stragglers are timed on the monotonic clock. */
    cond_init_monotonic(&w->work);
}

/*
 * Under load, submitters whose answers were just acknowledged send the next ones within a
 * fraction of a millisecond. Starting a transaction with only the few already queued would
 * split them into two half-full commits, each paying a full fsync; waiting briefly for as
 * many as the last commit acknowledged, beside those it left queued, fills one. With one
 * pupil at a time nothing waits.
 */
static void wait_for_stragglers(struct writer *w)
{
    if (w->max_batch <= 1 || w->queued >= w->expected || w->head->alone)
        return;
    struct timespec until = monotonic_after(COMMIT_DELAY_NS);
    w->awaited = w->expected < w->max_batch ? w->expected : w->max_batch;
    while (w->queued < w->awaited && !w->stop)
        if (pthread_cond_timedwait(&w->work, &w->mu, &until) != 0)
            break;
    w->awaited = 0;
}

/*
 * Takes the jobs of the next batch off the queue into w->order, shuffled: everything
 * waiting up to max_batch, stopping before a job that must be alone, or that job by itself.
 * Called with w->mu held. Returns how many.
 */
static size_t take_batch(struct writer *w)
{
    struct writer_job *first = w->head, *end = first;
    size_t n = 0;
    if (first->alone) {
        end = first->next;
        n = 1;
    } else {
        while (end && !end->alone && n < w->max_batch) {
            end = end->next;
            n++;
        }
    }
    w->head = end;
    w->queued -= n;
    if (!end)
        w->tail = NULL;
    XGROW(w->order, w->order_cap, n); // NOLINT(bugprone-sizeof-expression): an array of pointers
    size_t k = 0;
    for (struct writer_job *j = first; j != end; j = j->next)
        w->order[k++] = j;
    return n;
}

/*
 * A number in [0, range) from the random word x, exactly uniform (Lemire's multiply-shift:
 * the rare x that would bias it is drawn again).
 */
static uint32_t uniform(uint32_t x, uint32_t range)
{
    uint64_t m = (uint64_t)x * range;
    if ((uint32_t)m < range) {
        uint32_t reject = -range % range;
        while ((uint32_t)m < reject)
            m = (uint64_t)randombytes_random() * range;
    }
    return (uint32_t)(m >> 32);
}

/*
 * Shuffles the batch (Fisher-Yates) with the system's random numbers: the order must not be
 * predictable. All the words it needs come from one call, not one system call per job.
 */
static void shuffle(struct writer *w, size_t n)
{
    if (n < 2)
        return;
    XGROW(w->random, w->random_cap, n);
    randombytes_buf(w->random, n * sizeof(*w->random));
    for (size_t i = n; i > 1; i--) {
        size_t r = uniform(w->random[i - 1], (uint32_t)i);
        struct writer_job *t = w->order[i - 1];
        w->order[i - 1] = w->order[r];
        w->order[r] = t;
    }
}

/*
 * Ends a finished batch: calls finished() of each queued job, then wakes the submitters
 * of the waiting ones. Waking a thread costs the waker several microseconds, and the
 * writer waking a full batch one by one would spend longer on it than on the commit. So
 * the writer wakes only the first waiting job's submitter, and each woken submitter wakes
 * two more (a binary tree over the batch): the writer can start the next transaction at
 * once, and the wake-ups spread over every core. Each submitter still waits on its own
 * semaphore, so a commit wakes exactly the threads whose answers it held.
 */
static void wake_batch(struct writer *w, size_t n)
{
    size_t m = 0; /* the waiting jobs, moved to the front of w->order */
    for (size_t i = 0; i < n; i++) {
        struct writer_job *j = w->order[i];
        if (j->finished)
            j->finished(j); /* j may be gone now */
        else
            w->order[m++] = j;
    }
    for (size_t i = 0; i < m; i++)
        for (size_t c = 0; c < 2; c++)
            w->order[i]->wake[c] = 2 * i + 1 + c < m ? w->order[2 * i + 1 + c] : NULL;
    /* A job may vanish once posted: this is the writer's last look at the batch. */
    if (m)
        sem_post(&w->order[0]->done);
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        w->awaited = 1;
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->work, &w->mu);
        w->awaited = 0;
        if (!w->head)
            break;
        wait_for_stragglers(w);
        size_t n = take_batch(w);
        size_t left = w->queued;
        pthread_mutex_unlock(&w->mu);

        shuffle(w, n);
        w->batch(w->ctx, w->order, n);
        wake_batch(w, n);
        pthread_mutex_lock(&w->mu);
        w->expected = n + left;
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int writer_start(struct writer *w)
{
    /*
     * A signal sent to the process goes to any thread that does not block it. `planpack
     * serve` blocks SIGINT and SIGTERM and waits for them to stop cleanly; the writer thread
     * starts with them blocked too, so that neither reaches it and ends the process at once.
     */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    int rc = pthread_create(&w->thread, NULL, writer_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return -1;
    w->started = true;
    return 0;
}

int writer_enqueue(struct writer *w, struct writer_job *j)
{
    if (!w->started)
        return STORE_ERR_READ_ONLY;
    j->next = NULL;
    j->wake[0] = j->wake[1] = NULL;
    j->rc = STORE_ERR_IO;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        return STORE_ERR_IO;
    }
    if (w->tail)
        w->tail->next = j;
    else
        w->head = j;
    w->tail = j;
    w->queued++;
    /* Only the job the writer waits for wakes it: waking it for every straggler would cost
     * a thread switch each, for it only to find it should wait on. */
    if (w->awaited && w->queued >= w->awaited)
        pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

int writer_submit(struct writer *w, struct writer_job *j)
{
    j->finished = NULL;
    if (sem_init(&j->done, 0, 0) != 0)
        return STORE_ERR_IO;
    int rc = writer_enqueue(w, j);
    if (rc != 0) {
        sem_destroy(&j->done);
        return rc;
    }
    while (sem_wait(&j->done) != 0)
        ; /* EINTR: a signal arrived; keep waiting for the commit */
    /* Pass the wake-up on (see wake_batch()); a job may vanish once posted, j may not yet. */
    for (size_t c = 0; c < 2; c++)
        if (j->wake[c])
            sem_post(&j->wake[c]->done);
    sem_destroy(&j->done);
    return j->rc;
}

void writer_release(struct writer *w)
{
    if (w->started) {
        pthread_mutex_lock(&w->mu);
        w->stop = true;
        pthread_cond_signal(&w->work);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->thread, NULL);
        w->started = false;
    }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    free(w->order);
    free(w->random);
    w->order = NULL;
    w->random = NULL;
    w->order_cap = w->random_cap = 0;
}
