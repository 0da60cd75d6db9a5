/*
 * The HTTP server on libmicrohttpd: its callbacks, the connections and their deadlines,
 * sending, and running and draining. What each address answers is web/routes.c; the
 * responses made once for each generation of the site, web/responses.c; the threads for
 * slow work, web/pool.c; the types they share, web/server_internal.h.
 *
 * Speed comes from doing the work once: every site file is compressed (gzip by the
 * renderer, brotli by web/brotli.c) and gets its responses (each encoding, 200 and 304)
 * created at start-up with all their headers, so a request for a file only looks up a table
 * and queues a shared response. Requests without a body allocate nothing, and the access
 * log (web/accesslog.c) is gathered per thread and written a few times a second. The
 * listening socket is opened by web/listen.c. Each fixed response exists
 * twice, once as is and once with "Connection: close", so that during a graceful shutdown
 * clients are told to stop reusing their connections.
 *
 * A site and every response made from it form a generation. With --watch a new generation
 * replaces the current one; each response holds a reference on its generation, and
 * libmicrohttpd holds each queued response until it has been sent, so the old site is
 * freed when the last request that uses it ends.
 *
 * The plan that a young person POSTs to /plan is decoded, rendered, sent and forgotten:
 * the body and the page are wiped before their memory is freed, and the access log holds
 * only the time, method, path, status and size of each request.
 */
#include "web/server.h"
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

/*
 * Markers for requests that need no state of their own, so that the common case (a GET
 * without a body) allocates nothing.
 */
char mark_no_body;
char mark_answered;

void upload_free(struct upload *u)
{
    if (!u)
        return;
    job_free(u->job);
    /* The body may be a young person's plan: leave nothing of it in freed memory. */
    if (u->body.ptr)
        explicit_bzero(u->body.ptr, u->body.cap);
    buf_release(&u->body);
    free(u);
}

long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the access log ---- */

void log_request(struct server *srv, const char *method, const char *url, unsigned status,
                 size_t bytes)
{
    if (!srv->quiet)
        access_log_line(&srv->log, method, url, status, bytes);
}

/* ---- connection deadlines ---- */

static struct conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

static void conn_set_deadline(struct conn *k, long long when)
{
    if (k)
        atomic_store_explicit(&k->deadline, when, memory_order_relaxed);
}

/*
 * Ends every connection whose request has not arrived by its deadline. Shutting the socket
 * down (not closing it) makes libmicrohttpd close the connection in its own thread; the
 * lock keeps the socket from being closed and reused while it is shut down here.
 */
static void conns_reap(struct server *srv)
{
    long long now = now_ms();
    pthread_mutex_lock(&srv->conns_lock);
    for (struct conn *k = srv->conns; k; k = k->next) {
        long long d = atomic_load_explicit(&k->deadline, memory_order_relaxed);
        if (d && now >= d) {
            (void)shutdown(k->fd, SHUT_RDWR);
            atomic_store_explicit(&k->deadline, 0, memory_order_relaxed);
        }
    }
    pthread_mutex_unlock(&srv->conns_lock);
}

/*
 * Whether any connection has a request in progress. Each connection keeps its own flag, so
 * that requests do not all write to one counter shared between threads.
 */
static bool conns_busy(struct server *srv)
{
    bool busy = false;
    pthread_mutex_lock(&srv->conns_lock);
    for (struct conn *k = srv->conns; k && !busy; k = k->next)
        busy = atomic_load_explicit(&k->busy, memory_order_relaxed);
    pthread_mutex_unlock(&srv->conns_lock);
    return busy;
}

/* Tracks each connection from start to end; small responses go out at once (no Nagle). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn *k = *socket_context;
        if (!k)
            return;
        pthread_mutex_lock(&srv->conns_lock);
        if (k->prev)
            k->prev->next = k->next;
        else
            srv->conns = k->next;
        if (k->next)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&srv->conns_lock);
        free(k);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info)
        return;
    int one = 1;
    (void)setsockopt(info->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct conn *k = xcalloc(1, sizeof(*k));
    k->fd = info->connect_fd;
    atomic_init(&k->deadline, now_ms() + srv->timeout_ms);
    atomic_init(&k->busy, false);
    pthread_mutex_lock(&srv->conns_lock);
    k->next = srv->conns;
    if (k->next)
        k->next->prev = k;
    srv->conns = k;
    pthread_mutex_unlock(&srv->conns_lock);
    *socket_context = k;
}

/* ---- answering requests ---- */

/*
 * The current generation, for one step of a request; gen_leave() must follow once the
 * response is queued. While the site cannot change, this is a plain read.
 */
static struct gen *gen_enter(struct server *srv)
{
    if (srv->watching)
        pthread_rwlock_rdlock(&srv->lock);
    return srv->gen;
}

static void gen_leave(struct server *srv)
{
    if (srv->watching)
        pthread_rwlock_unlock(&srv->lock);
}

enum MHD_Result send_reply(struct server *srv, struct MHD_Connection *c, const char *method,
                           const char *url, unsigned status, const struct reply *r)
{
    bool closing = atomic_load_explicit(&srv->closing, memory_order_relaxed);
    bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    log_request(srv, method, url, status, head ? 0 : r->len);
    return MHD_queue_response(c, status, closing ? r->close : r->keep);
}

/* The encoding to send: brotli, then gzip, then identity, of those offered and accepted. */
static enum enc pick_encoding(struct MHD_Connection *c, bool gzip, bool br)
{
    if (!gzip && !br)
        return ENC_IDENTITY;
    unsigned ok = http_accepted_codings(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
    if (br && (ok & HTTP_BR))
        return ENC_BR;
    if (gzip && (ok & HTTP_GZIP))
        return ENC_GZIP;
    return ENC_IDENTITY;
}

enum MHD_Result send_file(struct server *srv, struct MHD_Connection *c, const char *method,
                          const char *url, const struct entry *e)
{
    const struct variant *v =
        &e->v[pick_encoding(c, e->v[ENC_GZIP].full.keep != NULL, e->v[ENC_BR].full.keep != NULL)];
    const char *inm =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && http_none_match(inm, v->etag))
        return send_reply(srv, c, method, url, HTTP_NOT_MODIFIED, &v->not_modified);
    return send_reply(srv, c, method, url, HTTP_OK, &v->full);
}

enum MHD_Result send_not_found(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                               const char *method, const char *url)
{
    enum enc e = pick_encoding(c, g->fixed[R_NOT_FOUND + ENC_GZIP].keep != NULL,
                               g->fixed[R_NOT_FOUND + ENC_BR].keep != NULL);
    return send_reply(srv, c, method, url, HTTP_NOT_FOUND, &g->fixed[R_NOT_FOUND + e]);
}

/* Frees a page made for one request once it has been sent, wiping it first (plans, answers). */
struct buf *made_page_new(size_t max)
{
    struct buf *page = xmalloc(sizeof(*page));
    buf_init(page, max);
    return page;
}

void made_page_free(void *cls)
{
    struct buf *page = cls;
    if (page->ptr)
        explicit_bzero(page->ptr, page->cap);
    buf_release(page);
    free(page);
}

/*
 * Sends a page made for this one request (plan, lesson, feedback, staff) with status and
 * headers (which name its type and caching). Takes page: it is wiped and freed once sent,
 * or here on failure; a page that overflowed or failed (!buf_ok) gets the 500 page instead.
 */
enum MHD_Result send_made(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                          const char *method, const char *url, unsigned status, struct buf *page,
                          const struct header *headers)
{
    if (!buf_ok(page)) {
        made_page_free(page);
        return send_reply(srv, c, method, url, HTTP_INTERNAL_SERVER_ERROR,
                          gen_fixed(g, url, R_INTERNAL));
    }
    size_t len = page->len;
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
        len, page->ptr, made_page_free, page);
    if (!r) {
        made_page_free(page);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (add_headers(srv, r, headers, atomic_load_explicit(&srv->closing, memory_order_relaxed))) {
        log_request(srv, method, url, status, strcmp(method, MHD_HTTP_METHOD_HEAD) ? len : 0);
        ret = MHD_queue_response(c, status, r);
    }
    MHD_destroy_response(r);
    return ret;
}

/*
 * Reads a Content-Length value; returns SIZE_MAX when absent or unreadable (libmicrohttpd
 * has already refused malformed ones) so that the caller treats it as "unknown".
 */
static size_t content_length(struct MHD_Connection *c, bool *present)
{
    const char *s = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    *present = s != NULL;
    if (!s)
        return 0;
    size_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (SIZE_MAX - 9) / 10)
            return SIZE_MAX;
        v = v * 10 + (size_t)(*s - '0');
    }
    return v;
}

/*
 * Answers at once a request that will not be read to its end; with close, the connection
 * is closed after the answer, whatever the client asked.
 */
static enum MHD_Result answer_early(struct server *srv, struct MHD_Connection *c,
                                    const char *method, const char *url, unsigned status,
                                    enum fixed which, bool close, void **req_cls)
{
    *req_cls = &mark_answered;
    const struct gen *g = gen_enter(srv);
    const struct reply *fx = gen_fixed(g, url, which);
    enum MHD_Result r;
    if (close) {
        log_request(srv, method, url, status, fx->len);
        r = MHD_queue_response(c, status, fx->close);
    } else {
        r = send_reply(srv, c, method, url, status, fx);
    }
    gen_leave(srv);
    return r;
}

/* Counts the Content-Length headers of a request, and whether two differ (cls). */
struct lengths {
    unsigned count;
    bool differ;
    const char *first;
};

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    struct lengths *l = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) != 0)
        return MHD_YES;
    if (l->count++ == 0)
        l->first = value ? value : "";
    else if (strcmp(l->first, value ? value : "") != 0)
        l->differ = true;
    return MHD_YES;
}

/*
 * The first call for a request carries only its headers. Nothing is queued here except a
 * 413 for a declared body past WEB_DISCARD_MAX, or past WEB_BODY_MAX from a client that
 * waits for "100 Continue": libmicrohttpd 0.9.75 closes a connection whose response was
 * queued before the body was read, which is what such a body deserves.
 */
static enum MHD_Result begin_request(struct server *srv, struct MHD_Connection *c, const char *url,
                                     const char *method, void **req_cls)
{
    bool has_length;
    size_t length = content_length(c, &has_length);
    const char *coding =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    bool chunked = coding != NULL;
    /*
     * A body framed by any coding but chunked alone cannot be delimited (RFC 9112 section
     * 6.3); libmicrohttpd 0.9.75 would wait for it until the connection times out.
     */
    if (coding && !http_value_is(coding, "chunked"))
        return answer_early(srv, c, method, url, HTTP_BAD_REQUEST, R_BAD_REQUEST, true, req_cls);
    /*
     * Two Content-Length values that differ, or a length beside a transfer coding, mean
     * that this server and a proxy in front could each see a different end of the body,
     * and take what follows for another request (smuggling): RFC 9112 section 6.3 asks for
     * 400 and the connection closed.
     */
    struct lengths lengths = {0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_length, &lengths);
    if (lengths.differ || (has_length && coding))
        return answer_early(srv, c, method, url, HTTP_BAD_REQUEST, R_BAD_REQUEST, true, req_cls);
    size_t max = route_body_max(url);
    /* A client that waits for "100 Continue" has sent nothing yet: it can be told at once. */
    bool waits = http_value_is(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT), "100-continue");
    if (has_length && (length > WEB_DISCARD_MAX || (waits && length > max)))
        return answer_early(srv, c, method, url, HTTP_CONTENT_TOO_LARGE, R_TOO_LARGE, false,
                            req_cls);
    /* A form POSTed empty is still a form: its handler gets an empty body. */
    bool keep = strcmp(method, MHD_HTTP_METHOD_POST) == 0 && takes_form(url);
    if (!chunked && length == 0 && !keep) {
        *req_cls = &mark_no_body;
        return MHD_YES;
    }
    struct upload *u = xcalloc(1, sizeof(*u));
    u->keep = keep;
    u->max = max;
    buf_init(&u->body, max);
    *req_cls = u;
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    (void)version;
    struct server *srv = cls;
    if (!*req_cls) {
        struct conn *k = conn_of(c);
        if (k)
            atomic_store_explicit(&k->busy, true, memory_order_relaxed);
        return begin_request(srv, c, url, method, req_cls);
    }
    if (*req_cls == &mark_answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct upload *u = *req_cls == &mark_no_body ? NULL : *req_cls;
    if (*upload_data_size > 0) {
        if (u) {
            u->total += *upload_data_size;
            /*
             * libmicrohttpd 0.9.75 cannot answer before the body ends, so an oversized
             * chunked body is read and dropped; one that goes on and on is cut off.
             */
            if (u->total > WEB_DISCARD_MAX)
                return MHD_NO;
            if (u->total > u->max)
                u->too_large = true;
            else if (u->keep)
                buf_add(&u->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    /* The whole request is in: from here on, only the client's reading pace matters. */
    conn_set_deadline(conn_of(c), 0);
    const struct gen *g = gen_enter(srv);
    enum MHD_Result r = dispatch(srv, g, c, url, method, u);
    gen_leave(srv);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct server *srv = cls;
    static _Thread_local unsigned answered;
    if (++answered % WEB_YIELD_EVERY == 0)
        sched_yield();
    struct conn *k = conn_of(c);
    if (k) {
        /* The next request on this connection must arrive within the timeout too. */
        atomic_store_explicit(&k->deadline, now_ms() + srv->timeout_ms, memory_order_relaxed);
        atomic_store_explicit(&k->busy, false, memory_order_relaxed);
    }
    if (!*req_cls)
        return;
    if (*req_cls != &mark_no_body && *req_cls != &mark_answered)
        upload_free(*req_cls);
    *req_cls = NULL;
}

/*
 * Decodes %HH escapes in the request path, except %00 and broken escapes, which stay as
 * written so that such a path matches nothing (the default decoder would cut the path at a
 * decoded NUL, so "/plan%00.html" would become "/plan").
 */
static size_t unescape_path(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    static const signed char hexval[256] = {
        ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
        ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
        ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12,
        ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
    };
    size_t j = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '%' && s[i + 1] && s[i + 2]) {
            int hi = hexval[(unsigned char)s[i + 1]] - 1;
            int lo = hexval[(unsigned char)s[i + 2]] - 1;
            if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
                s[j++] = (char)(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        s[j++] = s[i];
    }
    s[j] = '\0';
    return j;
}

/*
 * libmicrohttpd reports every refused or broken connection. Under attack that would be a
 * line for each, so a burst of messages is printed and the rest of each 10 s are counted.
 */
static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static long long window_start;
    static unsigned printed, left_out;
    long long now = now_ms();
    pthread_mutex_lock(&lock);
    if (now - window_start >= 10000) {
        if (left_out)
            fprintf(stderr, "planpack: libmicrohttpd: %u more messages like these were left out\n",
                    left_out);
        window_start = now;
        printed = left_out = 0;
    }
    if (printed < 5) {
        printed++;
        fputs("planpack: libmicrohttpd: ", stderr);
        vfprintf(stderr, fmt, ap);
    } else {
        left_out++;
    }
    pthread_mutex_unlock(&lock);
}

/* ---- running ---- */

/*
 * Asks for a new site and makes it current; the old one ends when its last request does.
 * When the package has errors, the current site goes on being served and the errors are
 * kept for the author's page. Returns -1 when there is no site to serve: the first load
 * failed (the errors are in the terminal), or memory ran out.
 */
__attribute__((warn_unused_result)) static int reload(struct server *srv)
{
    struct web_reload r = {0};
    srv->opt->reload(srv->opt->ctx, &r);
    if (!r.site && !srv->gen) {
        free(r.problems);
        fprintf(stderr, "planpack: the package has errors, so there is no version of it to "
                        "serve; fix them (see above) and start planpack again\n");
        return -1;
    }
    struct gen *g = r.site ? gen_new(srv, r.site, r.owner, NULL)
                           : gen_new(srv, NULL, NULL, r.problems ? r.problems : "");
    free(r.problems);
    if (!g) {
        fprintf(stderr, "planpack: out of memory while preparing the responses; the site "
                        "served is unchanged\n");
        return srv->gen ? 0 : -1;
    }
    if (srv->watching)
        pthread_rwlock_wrlock(&srv->lock);
    struct gen *old = r.site ? srv->gen : srv->broken, *errors = r.site ? srv->broken : NULL;
    if (r.site) {
        srv->gen = g;
        srv->broken = NULL;
    } else {
        srv->broken = g;
    }
    if (srv->watching)
        pthread_rwlock_unlock(&srv->lock);
    gen_retire(old);
    gen_retire(errors);
    if (!r.site)
        fprintf(stderr,
                "planpack: still serving the last version that worked; on this "
                "computer, %s lists the errors too\n",
                WEB_PROBLEMS_PATH);
    malloc_trim(0);
    return 0;
}

/*
 * Waits for SIGINT or SIGTERM (read from sigfd). Meanwhile it writes out the access log,
 * ends connections past their deadline and, with a watch, reloads once changes settle.
 */
static void run(struct server *srv, int sigfd, struct watch *w)
{
    long long first_change = 0, last_change = 0, last_reap = now_ms();
    for (;;) {
        struct pollfd fds[2] = {{.fd = sigfd, .events = POLLIN},
                                {.fd = w ? watch_fd(w) : -1, .events = POLLIN}};
        int wait = WEB_TICK_MS;
        if (first_change)
            wait = WEB_SETTLE_MS / 3;
        int n = poll(fds, 2, wait);
        if (n < 0 && errno != EINTR)
            return;
        if (n > 0 && (fds[0].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                return;
        }
        long long now = now_ms();
        if (n > 0 && w && (fds[1].revents & POLLIN) && watch_read(w)) {
            last_change = now;
            if (!first_change)
                first_change = now;
        }
        if (first_change &&
            (now - last_change >= WEB_SETTLE_MS || now - first_change >= WEB_SETTLE_MAX_MS)) {
            first_change = 0;
            (void)!reload(srv);
        }
        access_log_flush(&srv->log);
        if (now - last_reap >= WEB_REAP_MS) {
            conns_reap(srv);
            last_reap = now;
        }
    }
}

/*
 * Waits until every request in flight has been answered, or until the drain time runs out
 * or a second signal asks to stop at once. Connections that only idle are not waited for.
 */
static void drain(struct server *srv, struct MHD_Daemon *d, const sigset_t *signals)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int quiet_ticks = 0;
    for (;;) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (info && info->num_connections == 0)
            return;
        /*
         * A keep-alive client may send its next request just as the last one finishes;
         * wait for a short quiet spell before treating the remaining connections as idle.
         */
        if (!conns_busy(srv)) {
            if (++quiet_ticks >= 20)
                return;
        } else {
            quiet_ticks = 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= WEB_DRAIN_SECONDS)
            return;
        struct timespec tick = {0, 10L * 1000 * 1000};
        if (sigtimedwait(signals, NULL, &tick) > 0)
            return;
    }
}

static void server_release(struct server *srv)
{
    gen_retire(srv->gen);
    gen_retire(srv->broken);
    srv->gen = srv->broken = NULL;
    access_log_release(&srv->log);
    pool_release(&srv->fb);
    pool_release(&srv->signin);
    rate_release(&srv->answers);
    pthread_rwlock_destroy(&srv->lock);
    pthread_mutex_destroy(&srv->conns_lock);
}

static void server_init(struct server *srv, const struct web_options *opt)
{
    memset(srv, 0, sizeof(*srv));
    srv->opt = opt;
    srv->quiet = opt->quiet;
    srv->hsts = opt->behind_tls;
    unsigned char bin[sizeof(struct in6_addr)];
    if (opt->trusted_proxy && inet_pton(AF_INET, opt->trusted_proxy, bin) == 1)
        inet_ntop(AF_INET, bin, srv->proxy, sizeof(srv->proxy));
    else if (opt->trusted_proxy && inet_pton(AF_INET6, opt->trusted_proxy, bin) == 1)
        inet_ntop(AF_INET6, bin, srv->proxy, sizeof(srv->proxy));
    srv->watching = opt->reload != NULL;
    srv->timeout_ms = 1000LL * (opt->timeout_seconds ? opt->timeout_seconds : WEB_TIMEOUT);
    atomic_init(&srv->closing, false);
    /* A reload must not wait behind a steady stream of requests. */
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&srv->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    pthread_mutex_init(&srv->conns_lock, NULL);
    access_log_init(&srv->log);
    pool_init(&srv->fb, srv);
    pool_init(&srv->signin, srv);
    rate_init(&srv->answers, opt->answers_per_minute, opt->answers_per_minute);
}

int web_serve(const struct site *site, const struct web_options *opt)
{
    int rc = -1;
    int fd = -1, sigfd = -1;
    bool own_fd = true; /* false while the daemon owns the listening socket */
    bool mask_set = false;
    struct MHD_Daemon *d = NULL;
    struct watch *w = NULL;
    struct server srv;
    sigset_t signals;
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_pipe;
    char err[256], where[INET6_ADDRSTRLEN + 16];
    struct sockaddr_storage ss;
    const char *listen_text = opt->listen ? opt->listen : "127.0.0.1:8080";

    server_init(&srv, opt);
    if (listen_parse(listen_text, &ss, err, sizeof(err)) != 0) {
        fprintf(stderr, "planpack serve: --listen: %s\n", err);
        goto out;
    }
    /* Watching starts before the first load, so that no change between the two is missed. */
    if (opt->reload && opt->watch_dir) {
        w = watch_new(opt->watch_dir);
        if (!w)
            goto out;
    }
    if (opt->reload) {
        if (reload(&srv) != 0)
            goto out;
    } else {
        srv.gen = gen_new(&srv, site, NULL, NULL);
        if (!srv.gen) {
            fprintf(stderr, "planpack: out of memory while preparing the responses\n");
            goto out;
        }
    }
    /* Rendering and compressing leave freed memory behind that a server never needs again. */
    malloc_trim(0);
    fd = listen_open(&ss, listen_text);
    if (fd < 0)
        goto out;
    socklen_t slen = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0) {
        fprintf(stderr, "planpack: cannot listen on %s: %s\n", listen_text, strerror(errno));
        goto out;
    }
    listen_format(&ss, where, sizeof(where));

    /*
     * The signals are blocked before the daemon starts so that its threads inherit the mask
     * and only this thread receives them, through sigfd.
     */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    sigaction(SIGPIPE, &ignore, &old_pipe);
    mask_set = true;
    sigfd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sigfd < 0) {
        fprintf(stderr, "planpack: cannot wait for signals: %s\n", strerror(errno));
        goto out;
    }

    /*
     * poll(), not epoll: libmicrohttpd 0.9.75's epoll loop, when one call returns its full
     * batch of 128 events, waits again with the whole connection timeout before handling
     * them, so a worker whose 128 clients all wait for an answer stalls for up to 15 s
     * (wrk -c128 against one worker shows it every time). poll() over a worker's share of
     * the connections costs about the same here and cannot stall that way. Turbo would
     * only drop the shutdown() before close, which graceful closing wants.
     */
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                         MHD_ALLOW_SUSPEND_RESUME;
    /* Started with the signals blocked, as every thread here must be. */
    /*
     * Answers are checked on the answering thread when reading the store is a call into
     * this process, and by threads of their own when it means waiting for a database server.
     */
    if (opt->store && !store_reads_are_local(opt->store))
        pool_start(&srv.fb, WEB_FEEDBACK_THREADS);
    if (opt->store)
        pool_start(&srv.signin, WEB_SIGNIN_THREADS);
    flags |= MHD_is_feature_supported(MHD_FEATURE_POLL) == MHD_YES ? MHD_USE_POLL : 0;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned threads = opt->threads ? opt->threads : thread_count();
    unsigned max_conn =
        listen_connection_limit(opt->max_connections ? opt->max_connections : WEB_MAX_CONNECTIONS);
    unsigned per_client = opt->max_per_client;
    if (!per_client) {
        per_client = max_conn / WEB_PER_CLIENT_SHARE;
        per_client = per_client > WEB_PER_CLIENT ? WEB_PER_CLIENT : per_client;
        per_client = per_client < WEB_PER_CLIENT_MIN ? WEB_PER_CLIENT_MIN : per_client;
    }
    unsigned timeout = (unsigned)(srv.timeout_ms / 1000);
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
        MHD_OPTION_CONNECTION_LIMIT, max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_client,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        WEB_CONNECTION_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, &srv, MHD_OPTION_UNESCAPE_CALLBACK,
        unescape_path, NULL, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "planpack: cannot start the HTTP server on %s\n", where);
        goto out;
    }
    own_fd = false;
    printf("planpack: serving on http://%s/\n", where);
    fflush(stdout);

    run(&srv, sigfd, w);
    atomic_store(&srv.closing, true);
    /* After quiescing, the listening socket is ours again, to close after the daemon stops. */
    if (MHD_quiesce_daemon(d) != MHD_INVALID_SOCKET) {
        own_fd = true;
        /*
         * Closing must wait until the daemon has stopped, but new clients should be refused
         * now rather than wait in the backlog: shutting the socket down does that on Linux.
         */
        (void)shutdown(fd, SHUT_RDWR);
    } else
        fprintf(stderr, "planpack: could not stop accepting connections\n");
    drain(&srv, d, &signals);
    rc = 0;
out:
    /* Every suspended answer is stored and its connection resumed before the daemon stops. */
    pool_stop(&srv.fb);
    pool_stop(&srv.signin);
    if (d)
        MHD_stop_daemon(d);
    if (fd >= 0 && own_fd)
        close(fd);
    if (sigfd >= 0)
        close(sigfd);
    watch_free(w);
    /* The last access log lines are written while SIGPIPE is still ignored. */
    server_release(&srv);
    if (mask_set)
        sigaction(SIGPIPE, &old_pipe, NULL);
    /*
     * SIGINT and SIGTERM stay blocked: unblocking them would let a second signal that came
     * during the shutdown end the process now, with a signal's exit status instead of 0.
     */
    return rc;
}
