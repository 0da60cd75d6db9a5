/*
 * The server's access log on stdout: one line per request with the time, method, path,
 * status and body bytes, and nothing else. Never the query string, the client's address,
 * its user agent, any header or any body.
 *
 * Each answering thread gathers its lines in a buffer of its own, written out when full
 * and whenever access_log_flush() is called (the server does so a few times a second), so
 * logging takes no lock that another thread wants.
 */
#ifndef PLANPACK_ACCESSLOG_H
#define PLANPACK_ACCESSLOG_H

#include <pthread.h>
#include <stddef.h>

struct logbuf;

struct access_log {
    pthread_mutex_t lock; /* guards bufs */
    struct logbuf *bufs;  /* one for each thread that has logged */
};

void access_log_init(struct access_log *log);

/* Adds a line in the calling thread's buffer. */
void access_log_line(struct access_log *log, const char *method, const char *path, unsigned status,
                     size_t bytes);

/* Writes out every thread's buffer. */
void access_log_flush(struct access_log *log);

/* Writes out what is left and frees the buffers; no thread may be logging any more. */
void access_log_release(struct access_log *log);

#endif
