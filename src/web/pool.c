/*
 * Threads for a request's slow work while its connection is suspended (checking pupils'
 * answers against a database server, judging staff sign-ins), so that the threads that
 * answer requests never wait.
 */
#include "web/server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/form.h"
#include "base/xalloc.h"
#include "web/accesslog.h"
#include "web/brotli.h"
#include "web/feedback.h"
#include "web/http.h"
#include "web/listen.h"
#include "web/page.h"
#include "web/staff_web.h"
#include "web/watch.h"

/* A new job for connection c on generation g, with a page of at most page_max bytes. */
void job_init(struct job *j, struct MHD_Connection *c, const struct gen *g, size_t page_max,
              void (*run)(struct server *, struct job *))
{
    j->c = c;
    j->g = (struct gen *)g;
    atomic_fetch_add_explicit(&j->g->refs, 1, memory_order_relaxed);
    j->page = made_page_new(page_max);
    j->run = run;
    atomic_init(&j->done, false);
}

void job_free(struct job *j)
{
    if (!j)
        return;
    if (j->page)
        made_page_free(j->page);
    gen_unref(j->g);
    if (j->release)
        j->release(j);
    free(j);
}

/* The job is done: libmicrohttpd calls its handler again, and the job is the request's. */
void job_done(struct job *j)
{
    struct MHD_Connection *c = j->c;
    atomic_store_explicit(&j->done, true, memory_order_release);
    MHD_resume_connection(c);
}

void pool_push(struct pool *p, struct job *j)
{
    j->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

/* The first job whose time has come, unlinked; else NULL and *soonest its time (0: none). */
static struct job *pool_take(struct pool *p, long long now, long long *soonest)
{
    *soonest = 0;
    for (struct job **at = &p->head, *prev = NULL; *at; prev = *at, at = &(*at)->next) {
        struct job *j = *at;
        if (j->not_before <= now) {
            *at = j->next;
            if (p->tail == j)
                p->tail = prev;
            return j;
        }
        if (!*soonest || j->not_before < *soonest)
            *soonest = j->not_before;
    }
    return NULL;
}

static void *pool_worker(void *arg)
{
    struct pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        long long soonest;
        struct job *j = pool_take(p, now_ms(), &soonest);
        if (j) {
            pthread_mutex_unlock(&p->mu);
            j->run(p->srv, j);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (!p->head && p->stop)
            break; /* stopping, and every queued job has been dealt with */
        if (!soonest) {
            pthread_cond_wait(&p->work, &p->mu);
            continue;
        }
        /* The wait is a little longer than asked: the job's clock is the coarse one. */
        struct timespec ts = monotonic_after((soonest - now_ms() + 5) * 1000000LL);
        pthread_cond_timedwait(&p->work, &p->mu, &ts);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void pool_init(struct pool *p, struct server *srv)
{
    memset(p, 0, sizeof(*p));
    p->srv = srv;
    pthread_mutex_init(&p->mu, NULL);
    cond_init_monotonic(&p->work);
    pthread_cond_init(&p->back, NULL);
}

void pool_release(struct pool *p)
{
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->back);
}

/* Starts up to n threads (with the signals blocked, as every thread here must be). */
void pool_start(struct pool *p, size_t n)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WEB_FEEDBACK_STACK);
    while (p->started < n && p->started < WEB_POOL_THREADS_MAX &&
           pthread_create(&p->threads[p->started], &attr, pool_worker, p) == 0)
        p->started++;
    pthread_attr_destroy(&attr);
}

/*
 * Lets the threads finish every queued job, ends them, then waits until every job handed
 * on has come back (and resumed its connection).
 */
void pool_stop(struct pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->started; i++)
        pthread_join(p->threads[i], NULL);
    p->started = 0;
    pthread_mutex_lock(&p->mu);
    while (p->away)
        pthread_cond_wait(&p->back, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
