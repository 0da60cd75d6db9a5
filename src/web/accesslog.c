/*
 * A buffer per thread, found through a thread-local pointer, and a list of every buffer so
 * that the server's main thread can write them all out. A buffer is written whole, and
 * only whole lines go into it, so lines from different threads never mix.
 */
#include "web/accesslog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "web/http.h"

/* One thread's buffer; a line is at most LOG_LINE_MAX bytes. */
#define LOG_BUFFER ((size_t)32 * 1024)
#define LOG_LINE_MAX 800

struct logbuf {
    struct logbuf *next;
    const struct access_log *log;
    pthread_mutex_t lock; /* the owning thread writes, the flushing thread reads */
    size_t len;
    char data[LOG_BUFFER];
};

void access_log_init(struct access_log *log)
{
    pthread_mutex_init(&log->lock, NULL);
    log->bufs = NULL;
}

/* Formats the current UTC time, reformatting at most once a second per thread. */
static const char *log_time(size_t *len)
{
    static _Thread_local time_t last = -1;
    static _Thread_local char text[32];
    static _Thread_local size_t text_len;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    if (ts.tv_sec != last) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        text_len = strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
        last = ts.tv_sec;
    }
    *len = text_len;
    return text;
}

/* Writes a buffer out whole; a log that cannot be written (a closed pipe) is dropped. */
static void log_write(struct logbuf *lb)
{
    size_t off = 0;
    while (off < lb->len) {
        ssize_t w = write(STDOUT_FILENO, lb->data + off, lb->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    lb->len = 0;
}

void access_log_flush(struct access_log *log)
{
    pthread_mutex_lock(&log->lock);
    for (struct logbuf *lb = log->bufs; lb; lb = lb->next) {
        pthread_mutex_lock(&lb->lock);
        if (lb->len)
            log_write(lb);
        pthread_mutex_unlock(&lb->lock);
    }
    pthread_mutex_unlock(&log->lock);
}

/* This thread's buffer, made on its first line. */
static struct logbuf *log_buffer(struct access_log *log)
{
    static _Thread_local struct logbuf *mine;
    if (mine && mine->log == log)
        return mine;
    struct logbuf *lb = xcalloc(1, sizeof(*lb));
    lb->log = log;
    pthread_mutex_init(&lb->lock, NULL);
    pthread_mutex_lock(&log->lock);
    lb->next = log->bufs;
    log->bufs = lb;
    pthread_mutex_unlock(&log->lock);
    mine = lb;
    return lb;
}

static size_t put_uint(char *out, unsigned long long v)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = digits[n - 1 - i];
    return n;
}

void access_log_line(struct access_log *log, const char *method, const char *path, unsigned status,
                     size_t bytes)
{
    struct logbuf *lb = log_buffer(log);
    pthread_mutex_lock(&lb->lock);
    if (LOG_BUFFER - lb->len < LOG_LINE_MAX)
        log_write(lb);
    char *p = lb->data + lb->len;
    size_t tlen;
    const char *t = log_time(&tlen);
    memcpy(p, t, tlen);
    p += tlen;
    *p++ = ' ';
    /* Both are cut and escaped: 80 + 600 bytes with the time and numbers fit a line. */
    p += http_log_text(method, 16, p, 80);
    *p++ = ' ';
    p += http_log_text(path, 128, p, 600);
    *p++ = ' ';
    p += put_uint(p, status);
    *p++ = ' ';
    p += put_uint(p, bytes);
    *p++ = '\n';
    lb->len = (size_t)(p - lb->data);
    pthread_mutex_unlock(&lb->lock);
}

void access_log_release(struct access_log *log)
{
    access_log_flush(log);
    while (log->bufs) {
        struct logbuf *lb = log->bufs;
        log->bufs = lb->next;
        pthread_mutex_destroy(&lb->lock);
        free(lb);
    }
    pthread_mutex_destroy(&log->lock);
}
