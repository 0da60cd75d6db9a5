/*
 * The group-commit writer that every backend runs: one thread, a queue of jobs, and a
 * callback that runs each batch of waiting jobs in one transaction. A submitter blocks
 * until the transaction that held its job has committed or failed.
 *
 * While the thread waits for the disk, new jobs queue up and go into the next transaction,
 * so one commit (one fsync) serves many answers. A job may instead be queued without
 * waiting (writer_enqueue()): the writer thread then calls its finished() once the
 * transaction has ended, and no thread sleeps for it. The writer hands each batch to the
 * backend in random order, so that row order says as little as possible about who answered
 * when. Not for use outside src/store.
 */
#ifndef PLANPACK_STORE_WRITER_H
#define PLANPACK_STORE_WRITER_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The part of a job the writer reads; a backend embeds it first in its own job struct. */
struct writer_job {
    int rc;     /* the job's status, set by the batch callback */
    bool alone; /* runs in a batch of its own (a checkpoint) */
    /* writer_enqueue(): called on the writer thread once the job's transaction has ended;
     * it may free the job. Quick work only: the next transaction waits for it. */
    void (*finished)(struct writer_job *j);
    void *ctx;  /* finished's to use */
    sem_t done; /* writer_submit(): posted once the job's transaction has ended */
    struct writer_job *next;
    struct writer_job *wake[2]; /* jobs of the same batch this job's submitter wakes */
};

/*
 * Runs jobs[0..n) (in random order; n is 1 when jobs[0]->alone) in one transaction and sets
 * each job's rc. ctx is the backend's handle, as given to writer_init().
 */
typedef void writer_batch_fn(void *ctx, struct writer_job **jobs, size_t n);

struct writer {
    writer_batch_fn *batch;
    void *ctx;
    size_t max_batch; /* most jobs in one transaction; 1: no group commit */

    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t work;
    struct writer_job *head;
    struct writer_job *tail;
    size_t queued;   /* jobs on the queue */
    size_t expected; /* jobs the last transaction acknowledged or left queued */
    size_t awaited;  /* queued jobs the sleeping writer waits for; 0: it is not waiting */
    bool stop;

    struct writer_job **order; /* the writer thread's own: the batch being run */
    size_t order_cap;
    uint32_t *random; /* the writer thread's own: random words for shuffling a batch */
    size_t random_cap;
};

/* Prepares w (no thread yet); max_batch 0 counts as 1. */
void writer_init(struct writer *w, writer_batch_fn *batch, void *ctx, size_t max_batch);
/* Starts the thread, which never takes SIGINT or SIGTERM. Returns 0, or -1 when it cannot be
 * started. */
__attribute__((warn_unused_result)) int writer_start(struct writer *w);
/*
 * Queues j (its rc, done and next are the writer's to set) and waits until the transaction
 * that ran it has ended; returns j->rc. STORE_ERR_READ_ONLY when the thread was never
 * started, STORE_ERR_IO when the writer is stopping. j stays the caller's.
 */
__attribute__((warn_unused_result)) int writer_submit(struct writer *w, struct writer_job *j);
/*
 * Queues j, whose finished (set by the caller) the writer thread calls once the
 * transaction that ran it has ended, and returns at once: 0, or STORE_ERR_READ_ONLY /
 * STORE_ERR_IO as writer_submit() (finished is then never called). j is the writer's
 * until finished is called.
 */
__attribute__((warn_unused_result)) int writer_enqueue(struct writer *w, struct writer_job *j);
/* Runs every job already queued, stops the thread and frees what w holds. */
void writer_release(struct writer *w);

#endif
