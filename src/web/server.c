/*
 * The HTTP server on libmicrohttpd.
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

/* Pupil forms are small; anything larger is refused with 413 and not kept. */
#define WEB_BODY_MAX ((size_t)16 * 1024)
/*
 * A larger body up to this size is read and dropped before the 413 goes out, so that the
 * client sees the page that explains it (a response sent while the client is still sending
 * ends in a reset, which browsers show as a failed connection). A body declared larger is
 * answered at once and the connection closed; one that turns out larger is cut off.
 */
#define WEB_DISCARD_MAX (64 * WEB_BODY_MAX)
/* A rendered plan page is a few tens of KiB; this only bounds a renderer gone wrong. */
#define WEB_PLAN_PAGE_MAX ((size_t)4 << 20)
/*
 * Per-connection memory in libmicrohttpd holds the request line, the headers, the read
 * buffer and the response's headers, so it is also the cap on header size. Cookies count
 * twice (libmicrohttpd takes them apart in the same memory), and a browser sends every
 * cookie of the domain with a staff request, so 16 KiB: a real browser's headers with 4 KiB
 * of cookies fit (tests/http/requests.test.mjs); larger get 431, or a closed connection
 * when the answer's own headers no longer fit. 1,000 idle keep-alive connections hold
 * about 16 MiB this way: bench/serve measured a peak of 26 MiB with 1,000 connections open
 * (15 MiB with the 5 KiB used before) and the same CPU time per request.
 */
#define WEB_CONNECTION_MEMORY ((size_t)16 * 1024)
/*
 * Threads that check pupils' answers against their class's survey (which reads the store)
 * and hand them to the store's writer, when reading the store is a round trip to a database
 * server; with a SQLite file the answering threads do it themselves, which spares two
 * thread switches per answer. None waits for a commit: the writer resumes each connection
 * once its answer is durable, and its group commit puts every answer waiting into one
 * transaction.
 */
#define WEB_FEEDBACK_THREADS 4
#define WEB_FEEDBACK_STACK ((size_t)256 * 1024)
/*
 * Threads that judge staff sign-ins: each attempt is an argon2id hash (64 MiB, about
 * 150 ms of a core), which must never run on a thread that serves pupils. Two bound both
 * the cores and the memory that sign-ins can take, however many arrive at once.
 */
#define WEB_SIGNIN_THREADS 2
#define WEB_POOL_THREADS_MAX 4
/*
 * Responses a thread sends between two sched_yield() calls. Under sustained load a thread
 * always finds another request ready and would keep its core for a whole scheduler slice,
 * several milliseconds; whatever else runs on that core (the proxy in front, the database,
 * other services) waits that long, and so does every request passing through it. 64
 * responses are about half a millisecond of work; with nothing else waiting to run, the
 * call returns at once.
 */
#define WEB_YIELD_EVERY 64u
#define WEB_MAX_CONNECTIONS 1024u
#define WEB_MAX_PER_CLIENT 256u
/* Seconds of silence after which a connection is closed; it ends idle and slow clients. */
#define WEB_TIMEOUT 15u
/* How long a graceful shutdown waits for requests in flight before it stops anyway. */
#define WEB_DRAIN_SECONDS 10
/* The main thread's tick: the longest an access log line waits in its thread's buffer. */
#define WEB_TICK_MS 250
/* How often connections are checked against their deadline. */
#define WEB_REAP_MS 500
/* --watch reloads once files have been quiet this long, or this long after the first change. */
#define WEB_SETTLE_MS 150
#define WEB_SETTLE_MAX_MS 2000
/* The author's error page lists at most this many problems. */
#define WEB_PROBLEMS_MAX 200

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

/*
 * Sent only when a TLS proxy is in front (--behind-tls). No includeSubDomains: other hosts
 * of a school's domain may not have TLS, and that is not this server's decision.
 */
#define HSTS_VALUE "max-age=31536000"

#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define CACHE_REVALIDATE "no-cache"
#define CACHE_NEVER "no-store"
#define TYPE_HTML "text/html; charset=utf-8"
#define TYPE_TEXT "text/plain; charset=utf-8"
#define ALLOW_GET "GET, HEAD"
#define ALLOW_POST "GET, HEAD, POST"

/* The encodings of a file, in the order of preference when the client accepts several. */
enum enc { ENC_IDENTITY, ENC_GZIP, ENC_BR, ENC_COUNT };
static const char *const enc_name[ENC_COUNT] = {NULL, "gzip", "br"};
static const char *const enc_tag[ENC_COUNT] = {"", "-gz", "-br"};

/*
 * One response as it is sent normally and as it is sent while the server shuts down. Both
 * share the body, which belongs to the generation.
 */
struct reply {
    struct MHD_Response *keep;
    struct MHD_Response *close;
    size_t len; /* body bytes, for the access log */
};

/* One encoding of one file: its full response, its 304, and the ETag both carry. */
struct variant {
    struct reply full; /* full.keep is NULL when the file is not offered in this encoding */
    struct reply not_modified;
    char etag[40];
};

struct entry {
    const struct site_file *file;
    struct variant v[ENC_COUNT];
    struct brotli_form br; /* owned */
};

/* The server's own pages, and the 404 page in each encoding. */
enum fixed {
    R_HEALTHZ,
    R_METHOD_GET,  /* 405 for resources that only allow GET and HEAD */
    R_METHOD_POST, /* 405 for resources that also take POST */
    R_TOO_LARGE,
    R_BAD_TYPE,
    R_BAD_REQUEST,
    R_BAD_FORM, /* five of them: one for each form_decode() error */
    R_FEEDBACK_OFF = R_BAD_FORM + 5,
    R_INTERNAL,
    R_PROBLEMS,  /* the author's error page while the package has problems */
    R_NOT_FOUND, /* one for each encoding */
    R_FIXED_COUNT = R_NOT_FOUND + ENC_COUNT,
};

struct server;
struct job;

/*
 * Threads that do a request's slow work while its connection is suspended, so that the
 * threads answering requests never wait: checking pupils' answers against a database
 * server, and judging staff sign-ins. Jobs run in the order queued, each once its
 * not_before time has come.
 */
struct pool {
    struct server *srv;
    pthread_mutex_t mu;
    pthread_cond_t work;
    struct job *head, *tail;
    pthread_cond_t back; /* away fell to 0 */
    size_t away;         /* jobs handed on (answers to the store's writer) and not yet back */
    bool stop;
    size_t started;
    pthread_t threads[WEB_POOL_THREADS_MAX];
};

/* A site and every response made from it. */
struct gen {
    struct server *srv;
    const struct site *site; /* NULL while the package has problems */
    void *owner;             /* given back to the release callback; NULL when borrowed */
    atomic_long refs;        /* one for each live response, one while the generation is current */
    struct entry *entries;
    size_t entry_count;
    const struct entry **by_file; /* entries sorted by site_file address, for lookup */
    struct reply fixed[R_FIXED_COUNT];
    char *pages; /* the bodies of the server's own pages, one allocation */
};

/*
 * A connection, tracked from its start to its end so that one whose request does not
 * arrive in time can be ended: libmicrohttpd's own timeout is reset by every byte, so a
 * client that dribbles a header would otherwise hold its connection for ever.
 */
struct conn {
    struct conn *prev, *next;
    int fd;
    atomic_llong deadline; /* monotonic ms by which the request must be in; 0 when none */
    atomic_bool busy;      /* a request has begun and not yet ended, for a graceful stop */
};

struct server {
    struct gen *gen;       /* the current generation */
    bool watching;         /* the generation can change: take lock to read gen */
    pthread_rwlock_t lock; /* readers: requests; writer: a reload swapping gen */
    bool quiet;
    bool hsts;
    char proxy[INET6_ADDRSTRLEN]; /* the trusted proxy's address, or "" */
    const struct web_options *opt;
    long long timeout_ms;
    atomic_bool closing;
    pthread_mutex_t conns_lock;
    struct conn *conns;
    struct access_log log;
    struct pool fb;     /* checking answers, when reading the store is a round trip */
    struct pool signin; /* judging staff sign-ins */
};

/*
 * Markers for requests that need no state of their own, so that the common case (a GET
 * without a body) allocates nothing.
 */
static char mark_no_body;
static char mark_answered;

static void job_free(struct job *j);

/* The state of a request that has a body. */
struct upload {
    struct buf body; /* kept only for POST /plan, /feedback and /staff/ */
    size_t total;
    size_t max; /* the largest body its route takes */
    bool keep;
    bool too_large;
    struct job *job; /* POST /feedback or /staff/login, while its connection is suspended */
};

static void upload_free(struct upload *u)
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

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- generations ---- */

static void gen_free(struct gen *g)
{
    for (size_t i = 0; i < g->entry_count; i++)
        free(g->entries[i].br.data);
    free(g->entries);
    free(g->by_file);
    free(g->pages);
    if (g->owner && g->srv->opt->release)
        g->srv->opt->release(g->srv->opt->ctx, g->owner);
    free(g);
}

static void gen_unref(struct gen *g)
{
    if (atomic_fetch_sub_explicit(&g->refs, 1, memory_order_acq_rel) == 1)
        gen_free(g);
}

/* Called by libmicrohttpd when a response is destroyed, possibly in a worker thread. */
static void response_freed(void *cls)
{
    gen_unref(cls);
}

static void reply_release(struct reply *r)
{
    if (r->keep)
        MHD_destroy_response(r->keep);
    if (r->close)
        MHD_destroy_response(r->close);
    r->keep = r->close = NULL;
}

/*
 * Ends a generation's time as the current one: its responses are let go, and it is freed
 * at once or when libmicrohttpd lets go of the last response still being sent.
 */
static void gen_retire(struct gen *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->entry_count; i++) {
        for (size_t e = 0; e < ENC_COUNT; e++) {
            reply_release(&g->entries[i].v[e].full);
            reply_release(&g->entries[i].v[e].not_modified);
        }
    }
    for (size_t i = 0; i < R_FIXED_COUNT; i++)
        reply_release(&g->fixed[i]);
    gen_unref(g);
}

/* ---- creating responses once ---- */

/* Header name and value pairs for reply_init(); a NULL name ends the list. */
struct header {
    const char *name;
    const char *value;
};

/* The headers of a page made for one visitor (a plan, an answer's page): never cached. */
static const struct header private_page[] = {
    {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
    {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
    {NULL, NULL},
};

/* Adds the security headers, then headers (NULL values skipped). Returns false on failure. */
static bool add_headers(const struct server *srv, struct MHD_Response *r,
                        const struct header *headers, bool close)
{
    bool ok = true;
    for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
        ok &= MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]) == MHD_YES;
    if (srv->hsts)
        ok &= MHD_add_response_header(r, "Strict-Transport-Security", HSTS_VALUE) == MHD_YES;
    for (const struct header *h = headers; h && h->name; h++)
        if (h->value)
            ok &= MHD_add_response_header(r, h->name, h->value) == MHD_YES;
    if (close)
        ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
    return ok;
}

/* A response whose body belongs to generation g, which it keeps alive. */
static struct MHD_Response *response_new(struct gen *g, const void *data, size_t len,
                                         const struct header *headers, bool close)
{
    atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed);
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
        len, (void *)data, response_freed, g);
    if (!r) {
        atomic_fetch_sub_explicit(&g->refs, 1, memory_order_relaxed);
        return NULL;
    }
    if (!add_headers(g->srv, r, headers, close)) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

__attribute__((warn_unused_result)) static int reply_init(struct gen *g, struct reply *r,
                                                          const void *data, size_t len,
                                                          const struct header *headers)
{
    r->keep = response_new(g, data, len, headers, false);
    r->close = response_new(g, data, len, headers, true);
    r->len = len;
    return r->keep && r->close ? 0 : -1;
}

/* The compressed forms of a file are different representations, each with its own ETag. */
static void make_etag(const char *etag, const char *suffix, char *out, size_t out_len)
{
    size_t n = strlen(etag);
    if (n >= 2 && etag[n - 1] == '"')
        snprintf(out, out_len, "%.*s%s\"", (int)(n - 1), etag, suffix);
    else
        snprintf(out, out_len, "\"%s%s\"", etag, suffix);
}

/* Creates the 200 and 304 responses of one encoding of a file. */
__attribute__((warn_unused_result)) static int variant_init(struct gen *g, struct variant *v,
                                                            const struct site_file *f,
                                                            const unsigned char *data, size_t len,
                                                            enum enc enc, bool negotiated)
{
    const char *cache = f->immutable ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
    const char *vary = negotiated ? MHD_HTTP_HEADER_ACCEPT_ENCODING : NULL;
    make_etag(f->etag, enc_tag[enc], v->etag, sizeof(v->etag));
    const struct header full[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, f->type},
        {MHD_HTTP_HEADER_CACHE_CONTROL, cache},
        {MHD_HTTP_HEADER_ETAG, v->etag},
        {MHD_HTTP_HEADER_CONTENT_ENCODING, enc_name[enc]},
        {MHD_HTTP_HEADER_VARY, vary},
        {NULL, NULL},
    };
    const struct header not_modified[] = {
        {MHD_HTTP_HEADER_CACHE_CONTROL, cache},
        {MHD_HTTP_HEADER_ETAG, v->etag},
        {MHD_HTTP_HEADER_VARY, vary},
        {NULL, NULL},
    };
    if (reply_init(g, &v->full, data, len, full) != 0 ||
        reply_init(g, &v->not_modified, "", 0, not_modified) != 0)
        return -1;
    return 0;
}

static unsigned thread_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static int compare_by_file(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)(*(const struct entry *const *)a)->file;
    uintptr_t y = (uintptr_t)(*(const struct entry *const *)b)->file;
    return (x > y) - (x < y);
}

static const struct entry *entry_for(const struct gen *g, const struct site_file *f)
{
    size_t lo = 0, hi = g->entry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uintptr_t m = (uintptr_t)g->by_file[mid]->file;
        if (m == (uintptr_t)f)
            return g->by_file[mid];
        if (m < (uintptr_t)f)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Creates the responses for one file, in every encoding worth offering. */
__attribute__((warn_unused_result)) static int entry_init(struct gen *g, struct entry *e,
                                                          const struct site_file *f)
{
    e->file = f;
    /* A compressed form that saves nothing is not worth a decompression on the client. */
    bool gz = f->gz != NULL && f->gz_len < f->len;
    bool negotiated = gz || e->br.data;
    if (variant_init(g, &e->v[ENC_IDENTITY], f, f->data, f->len, ENC_IDENTITY, negotiated) != 0)
        return -1;
    if (gz && variant_init(g, &e->v[ENC_GZIP], f, f->gz, f->gz_len, ENC_GZIP, true) != 0)
        return -1;
    if (e->br.data && variant_init(g, &e->v[ENC_BR], f, e->br.data, e->br.len, ENC_BR, true) != 0)
        return -1;
    return 0;
}

/* The server's own small pages (errors), built once for each generation. */
struct page_spec {
    enum fixed which;
    unsigned status;
    const char *title;
    const char *message;
    const char *allow; /* Allow header for 405, or NULL */
    const char *cache;
};

/*
 * A pupil may see any of these pages, so the site renders them with its layout (quick exit,
 * language, footer). Only without a site (the package has problems, and authors see the
 * problems page in place of every page) are they plain pages of the server's own.
 */
static void page_render(struct buf *b, const struct page_spec *p, const struct site *site)
{
    if (site) {
        const struct site_message m = {.status = p->status, .title = p->title, .text = p->message};
        /* An overflow leaves !buf_ok(b), which pages_init() checks once for all pages. */
        (void)!site_render_message(site, &m, b);
        return;
    }
    web_page_open(b, &(struct web_page){.title = p->title});
    buf_adds(b, "<p>");
    buf_adds_html(b, p->message);
    buf_adds(b, "</p>\n<p><a href=\"/\">Go to the start page</a></p>\n");
    web_page_close(b, true);
}

/*
 * The page that authors see in place of every page while the package has problems. It
 * reloads itself, so that the site appears as soon as the last error is fixed.
 */
static void problems_render(struct buf *b, const char *problems)
{
    web_page_open(b, &(struct web_page){.title = "The package has problems", .refresh = true});
    buf_adds(b, "<p>planpack found these problems in the package. Fix them and save: this "
                "page reloads itself and shows the site again once no error is left. The "
                "terminal shows them too.</p>\n<ul>\n");
    size_t shown = 0, total = 0;
    for (const char *p = problems; *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > 0) {
            total++;
            if (shown < WEB_PROBLEMS_MAX) {
                shown++;
                buf_adds(b, "<li><code>");
                buf_add_html(b, p, n);
                buf_adds(b, "</code></li>\n");
            }
        }
        p += n + (end != NULL);
    }
    buf_adds(b, "</ul>\n");
    if (total > shown)
        buf_addf(b, "<p>And %zu more: see the terminal.</p>\n", total - shown);
    web_page_close(b, true);
}

__attribute__((warn_unused_result)) static int pages_init(struct gen *g, const char *problems)
{
    /*
     * The Back button is the way back: it returns to the form with what was typed still in
     * it, where a link would open an empty form.
     */
    static const char back[] = "Nothing you wrote has been kept. Use your browser's Back "
                               "button to return to the form";
    static const int form_errors[5] = {FORM_BAD_ESCAPE, FORM_BAD_UTF8, FORM_TOO_MANY,
                                       FORM_TOO_LARGE, -100};
    char msg[5][256], too_long[256], bad_type[256];
    for (size_t i = 0; i < 5; i++)
        snprintf(msg[i], sizeof(msg[i]), "%s %s and try again.", form_error_message(form_errors[i]),
                 back);
    snprintf(too_long, sizeof(too_long),
             "What you sent is longer than this form takes (%zu KiB). %s, shorten it and try "
             "again.",
             WEB_BODY_MAX / 1024, back);
    snprintf(bad_type, sizeof(bad_type),
             "The form was sent in a format that this server does not read (it reads "
             "application/x-www-form-urlencoded). %s.",
             back);
    static const char title[] = "The form could not be read";
    const struct page_spec specs[] = {
        {R_METHOD_GET, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed",
         "This address can only be read, not sent to.", ALLOW_GET, CACHE_REVALIDATE},
        {R_METHOD_POST, MHD_HTTP_METHOD_NOT_ALLOWED, "Method not allowed",
         "This address takes a form sent with POST, or can be read with GET.", ALLOW_POST,
         CACHE_REVALIDATE},
        {R_TOO_LARGE, MHD_HTTP_CONTENT_TOO_LARGE, "Too much to send", too_long, NULL, CACHE_NEVER},
        {R_BAD_TYPE, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, title, bad_type, NULL, CACHE_NEVER},
        {R_BAD_FORM + 0, MHD_HTTP_BAD_REQUEST, title, msg[0], NULL, CACHE_NEVER},
        {R_BAD_FORM + 1, MHD_HTTP_BAD_REQUEST, title, msg[1], NULL, CACHE_NEVER},
        {R_BAD_FORM + 2, MHD_HTTP_BAD_REQUEST, title, msg[2], NULL, CACHE_NEVER},
        {R_BAD_FORM + 3, MHD_HTTP_BAD_REQUEST, title, msg[3], NULL, CACHE_NEVER},
        {R_BAD_FORM + 4, MHD_HTTP_BAD_REQUEST, title, msg[4], NULL, CACHE_NEVER},
        {R_BAD_REQUEST, MHD_HTTP_BAD_REQUEST, "Bad request",
         "This server could not read the request. Nothing has been kept.", NULL, CACHE_NEVER},
        {R_FEEDBACK_OFF, MHD_HTTP_SERVICE_UNAVAILABLE, "Feedback is not set up on this server",
         "Feedback is not set up on this server, so your answers were not saved. Thank you "
         "for wanting to help: you could tell your teacher what you thought instead.",
         NULL, CACHE_NEVER},
        {R_INTERNAL, MHD_HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
         "Something went wrong on this server. Nothing you wrote has been kept.", NULL,
         CACHE_NEVER},
    };
    size_t n = sizeof(specs) / sizeof(specs[0]);
    size_t offsets[sizeof(specs) / sizeof(specs[0]) + 2];
    struct buf all;
    buf_init(&all, (size_t)1 << 20);
    for (size_t i = 0; i < n; i++) {
        offsets[i] = all.len;
        page_render(&all, &specs[i], g->site);
    }
    offsets[n] = all.len;
    if (problems)
        problems_render(&all, problems);
    offsets[n + 1] = all.len;
    if (!buf_ok(&all)) {
        buf_release(&all);
        return -1;
    }
    size_t total;
    g->pages = buf_detach(&all, &total);
    for (size_t i = 0; i < n; i++) {
        const struct header headers[] = {
            {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
            {MHD_HTTP_HEADER_CACHE_CONTROL, specs[i].cache},
            {MHD_HTTP_HEADER_ALLOW, specs[i].allow},
            {NULL, NULL},
        };
        if (reply_init(g, &g->fixed[specs[i].which], g->pages + offsets[i],
                       offsets[i + 1] - offsets[i], headers) != 0)
            return -1;
    }
    const struct header html_never[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {NULL, NULL},
    };
    if (problems && reply_init(g, &g->fixed[R_PROBLEMS], g->pages + offsets[n],
                               offsets[n + 1] - offsets[n], html_never) != 0)
        return -1;
    const struct header plain[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_TEXT},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {NULL, NULL},
    };
    return reply_init(g, &g->fixed[R_HEALTHZ], "ok\n", 3, plain);
}

/*
 * The 404 page is served for any unknown address, so it carries no ETag (a client must not
 * revalidate a missing page into a 304) and is never cached for long.
 */
__attribute__((warn_unused_result)) static int not_found_init(struct gen *g)
{
    const struct site_file *f = site_not_found(g->site);
    const struct entry *e = entry_for(g, f);
    const unsigned char *data[ENC_COUNT] = {f->data, NULL, NULL};
    size_t len[ENC_COUNT] = {f->len, 0, 0};
    if (f->gz && f->gz_len < f->len) {
        data[ENC_GZIP] = f->gz;
        len[ENC_GZIP] = f->gz_len;
    }
    if (e && e->br.data) {
        data[ENC_BR] = e->br.data;
        len[ENC_BR] = e->br.len;
    }
    const char *vary = data[ENC_GZIP] || data[ENC_BR] ? MHD_HTTP_HEADER_ACCEPT_ENCODING : NULL;
    for (size_t i = 0; i < ENC_COUNT; i++) {
        if (!data[i])
            continue;
        const struct header headers[] = {
            {MHD_HTTP_HEADER_CONTENT_TYPE, f->type},
            {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_REVALIDATE},
            {MHD_HTTP_HEADER_CONTENT_ENCODING, enc_name[i]},
            {MHD_HTTP_HEADER_VARY, vary},
            {NULL, NULL},
        };
        if (reply_init(g, &g->fixed[R_NOT_FOUND + i], data[i], len[i], headers) != 0)
            return -1;
    }
    return 0;
}

/*
 * Makes a generation from a site (owner is released with it; NULL when the site is
 * borrowed) or, when site is NULL, from the problems that kept a site from being made.
 * Returns NULL when the responses cannot be created; owner is released then too.
 */
static struct gen *gen_new(struct server *srv, const struct site *site, void *owner,
                           const char *problems)
{
    struct gen *g = xcalloc(1, sizeof(*g));
    g->srv = srv;
    g->site = site;
    g->owner = owner;
    atomic_init(&g->refs, 1);
    size_t n = site ? site_file_count(site) : 0;
    g->entries = xcalloc(n ? n : 1, sizeof(*g->entries));
    g->by_file = xcalloc(n ? n : 1, sizeof(const struct entry *));
    g->entry_count = n;
    struct brotli_form *br = xcalloc(n ? n : 1, sizeof(*br));
    brotli_site(site, br, thread_count());
    for (size_t i = 0; i < n; i++)
        g->entries[i].br = br[i];
    free(br);
    for (size_t i = 0; i < n; i++) {
        g->by_file[i] = &g->entries[i];
        if (entry_init(g, &g->entries[i], site_file_at(site, i)) != 0)
            goto fail;
    }
    qsort(g->by_file, n, sizeof(const struct entry *), compare_by_file);
    if (site && not_found_init(g) != 0)
        goto fail;
    if (pages_init(g, site ? NULL : problems ? problems : "") != 0)
        goto fail;
    return g;
fail:
    gen_retire(g);
    return NULL;
}

/* ---- the access log ---- */

static void log_request(struct server *srv, const char *method, const char *url, unsigned status,
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

static enum MHD_Result send_reply(struct server *srv, struct MHD_Connection *c, const char *method,
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

static enum MHD_Result send_file(struct server *srv, struct MHD_Connection *c, const char *method,
                                 const char *url, const struct entry *e)
{
    const struct variant *v =
        &e->v[pick_encoding(c, e->v[ENC_GZIP].full.keep != NULL, e->v[ENC_BR].full.keep != NULL)];
    const char *inm =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && http_none_match(inm, v->etag))
        return send_reply(srv, c, method, url, MHD_HTTP_NOT_MODIFIED, &v->not_modified);
    return send_reply(srv, c, method, url, MHD_HTTP_OK, &v->full);
}

static enum MHD_Result send_not_found(struct server *srv, const struct gen *g,
                                      struct MHD_Connection *c, const char *method, const char *url)
{
    enum enc e = pick_encoding(c, g->fixed[R_NOT_FOUND + ENC_GZIP].keep != NULL,
                               g->fixed[R_NOT_FOUND + ENC_BR].keep != NULL);
    return send_reply(srv, c, method, url, MHD_HTTP_NOT_FOUND, &g->fixed[R_NOT_FOUND + e]);
}

/* Frees a page made for one request once it has been sent, wiping it first (plans, answers). */
static void made_page_free(void *cls)
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
static enum MHD_Result send_made(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, unsigned status,
                                 struct buf *page, const struct header *headers)
{
    if (!buf_ok(page)) {
        made_page_free(page);
        return send_reply(srv, c, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          &g->fixed[R_INTERNAL]);
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
 * POST /plan: decodes the form and renders the young person's plan for this response only.
 * The page is sent with Cache-Control: no-store and freed (wiped) after sending.
 */
static enum MHD_Result send_plan(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, struct upload *u)
{
    if (u && u->too_large)
        return send_reply(srv, c, method, url, MHD_HTTP_CONTENT_TOO_LARGE, &g->fixed[R_TOO_LARGE]);
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (u && !http_media_type_is(type, "application/x-www-form-urlencoded"))
        return send_reply(srv, c, method, url, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          &g->fixed[R_BAD_TYPE]);

    enum MHD_Result ret = MHD_NO;
    struct arena arena = ARENA_INIT;
    struct form form;
    struct buf *page;
    const char *body = u && u->body.ptr ? u->body.ptr : "";
    int rc = form_decode(body, u ? u->body.len : 0, WEB_BODY_MAX, &arena, &form);
    if (rc != FORM_OK) {
        size_t i = rc == FORM_BAD_ESCAPE  ? 0
                   : rc == FORM_BAD_UTF8  ? 1
                   : rc == FORM_TOO_MANY  ? 2
                   : rc == FORM_TOO_LARGE ? 3
                                          : 4;
        ret = send_reply(srv, c, method, url, MHD_HTTP_BAD_REQUEST, &g->fixed[R_BAD_FORM + i]);
        goto out;
    }
    page = xmalloc(sizeof(*page));
    buf_init(page, WEB_PLAN_PAGE_MAX);
    if (site_render_plan(g->site, &form, page) != 0) {
        made_page_free(page);
        ret =
            send_reply(srv, c, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, &g->fixed[R_INTERNAL]);
        goto out;
    }
    ret = send_made(srv, g, c, method, url, MHD_HTTP_OK, page, private_page);
out:
    arena_release(&arena);
    return ret;
}

static bool is_get(const char *method)
{
    return strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
}

/*
 * GET /teach?c=CODE: the lesson slides for one class, with its feedback code and QR code,
 * rendered for this response (the site validates and escapes the code).
 */
static enum MHD_Result send_teach(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                  const char *method, const char *url, const char *code)
{
    struct buf *page = xmalloc(sizeof(*page));
    buf_init(page, WEB_PLAN_PAGE_MAX);
    if (site_render_teach(g->site, code, page) != 0) {
        made_page_free(page);
        return send_reply(srv, c, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          &g->fixed[R_INTERNAL]);
    }
    const struct header headers[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_REVALIDATE},
        {NULL, NULL},
    };
    return send_made(srv, g, c, method, url, MHD_HTTP_OK, page, headers);
}

/* ---- slow work off the event loop ---- */

/*
 * One request's slow work, done on a pool thread while its connection is suspended: run()
 * takes one step, and either queues the job again (pool_push() with a later not_before)
 * or ends with job_done(), which resumes the connection; libmicrohttpd then calls the
 * handler again, which sends the page.
 */
struct job {
    struct job *next;
    struct MHD_Connection *c;
    struct gen *g;        /* a reference, given back when the job is freed */
    struct buf *page;     /* the page to send, once made */
    unsigned status;      /* its HTTP status, once made */
    long long not_before; /* monotonic ms; no thread runs the job before */
    void (*run)(struct server *srv, struct job *j);
    void (*release)(struct job *j); /* frees what the kind of job holds; may be NULL */
    atomic_bool done;
};

/* A new job for connection c on generation g, with a page of at most page_max bytes. */
static void job_init(struct job *j, struct MHD_Connection *c, const struct gen *g, size_t page_max,
                     void (*run)(struct server *, struct job *))
{
    j->c = c;
    j->g = (struct gen *)g;
    atomic_fetch_add_explicit(&j->g->refs, 1, memory_order_relaxed);
    j->page = xmalloc(sizeof(*j->page));
    buf_init(j->page, page_max);
    j->run = run;
    atomic_init(&j->done, false);
}

static void job_free(struct job *j)
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
static void job_done(struct job *j)
{
    struct MHD_Connection *c = j->c;
    atomic_store_explicit(&j->done, true, memory_order_release);
    MHD_resume_connection(c);
}

static void pool_push(struct pool *p, struct job *j)
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
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        long long ms = soonest - now_ms() + 5;
        ts.tv_sec += ms / 1000;
        ts.tv_nsec += (ms % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->work, &p->mu, &ts);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_init(struct pool *p, struct server *srv)
{
    memset(p, 0, sizeof(*p));
    p->srv = srv;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->work, &attr);
    pthread_condattr_destroy(&attr);
    pthread_cond_init(&p->back, NULL);
}

static void pool_release(struct pool *p)
{
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->back);
}

/* Starts up to n threads (with the signals blocked, as every thread here must be). */
static void pool_start(struct pool *p, size_t n)
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
static void pool_stop(struct pool *p)
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

/* ---- answers stored off the event loop ---- */

/*
 * One POST /feedback, while its connection is suspended. The answering thread (or, when
 * reading the store is a round trip to a database server, a feedback thread) checks the
 * answer and hands it to the store; the store's writer thread tells it the answer's status
 * once its transaction has ended, and resumes the connection. No thread of the server
 * waits for the disk, and the threads answering every other request never do.
 */
struct fbjob {
    struct job base;
    const char *body; /* the request's own, which outlives the job */
    size_t len;
    int stored;                     /* the store's status, when base.status is 0 */
    char code[WIRE_CODE_LEN + 1]; /* the answer's class code, for the page after storing */
};

/* The store's word on an answer (store_done_fn), on the store's writer thread. */
static void answer_stored(void *ctx, int status)
{
    struct fbjob *j = ctx;
    struct pool *p = &j->base.g->srv->fb;
    j->stored = status;
    job_done(&j->base);
    pthread_mutex_lock(&p->mu);
    if (--p->away == 0)
        pthread_cond_broadcast(&p->back);
    pthread_mutex_unlock(&p->mu);
}

/* Checks a job's answer and hands it to the store, or makes the page that refuses it. */
static void feedback_start(struct server *srv, struct job *base)
{
    struct fbjob *j = (struct fbjob *)base;
    struct pool *p = &srv->fb;
    struct arena a = ARENA_INIT;
    struct survey_answer ans;
    unsigned status =
        feedback_check(srv->opt->store, base->g->site, j->body, j->len, &a, &ans, base->page);
    bool queued = false;
    if (status == 0) {
        memcpy(j->code, ans.code, sizeof(j->code));
        pthread_mutex_lock(&p->mu);
        p->away++;
        pthread_mutex_unlock(&p->mu);
        int rc = store_submit_async(srv->opt->store, &ans, answer_stored, j);
        queued = rc == STORE_OK;
        if (!queued) {
            pthread_mutex_lock(&p->mu);
            p->away--;
            pthread_mutex_unlock(&p->mu);
            status = feedback_stored(base->g->site, j->code, rc, base->page);
        }
    }
    arena_release(&a);
    if (queued)
        return; /* the store has j now (its status stays 0), and j may be gone already */
    base->status = status;
    job_done(base);
}

/*
 * POST /feedback with a body, in two calls: the first suspends the connection and checks
 * the answer, or queues it for a feedback thread; once the answer is stored (or refused)
 * and the connection resumed, libmicrohttpd calls again and the page is sent.
 */
static enum MHD_Result feedback_async(struct server *srv, const struct gen *g,
                                      struct MHD_Connection *c, const char *method, const char *url,
                                      struct upload *u)
{
    if (u->job) {
        struct fbjob *j = (struct fbjob *)u->job;
        if (!atomic_load_explicit(&j->base.done, memory_order_acquire))
            return MHD_YES;
        struct buf *page = j->base.page;
        unsigned status = j->base.status
                              ? j->base.status
                              : feedback_stored(j->base.g->site, j->code, j->stored, page);
        j->base.page = NULL;
        job_free(u->job);
        u->job = NULL;
        return send_made(srv, g, c, method, url, status, page, private_page);
    }
    struct fbjob *j = xcalloc(1, sizeof(*j));
    job_init(&j->base, c, g, FEEDBACK_PAGE_MAX, feedback_start);
    j->body = u->body.ptr ? u->body.ptr : "";
    j->len = u->body.len;
    u->job = &j->base;
    MHD_suspend_connection(c);
    if (!srv->fb.started)
        feedback_start(srv, &j->base); /* c is resumed once the answer is stored or refused */
    else
        pool_push(&srv->fb, &j->base);
    return MHD_YES;
}

/*
 * GET /feedback?c=CODE (web/feedback.c): the form with the code filled in, made for this
 * response and never cached. POST /feedback is feedback_async().
 */
static enum MHD_Result send_feedback_form(struct server *srv, const struct gen *g,
                                          struct MHD_Connection *c, const char *method,
                                          const char *url, const char *code)
{
    struct buf *page = xmalloc(sizeof(*page));
    buf_init(page, FEEDBACK_PAGE_MAX);
    unsigned status = feedback_get(g->site, code, page);
    return send_made(srv, g, c, method, url, status, page, private_page);
}

/*
 * Appends one query argument to the buf in cls, percent-encoded again: libmicrohttpd hands
 * the arguments over decoded, and the staff pages read them with the one form decoder.
 */
static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct buf *q = cls;
    if (q->len)
        buf_addc(q, '&');
    buf_add_urlenc(q, key, strlen(key));
    buf_addc(q, '=');
    if (value)
        buf_add_urlenc(q, value, strlen(value));
    return MHD_YES;
}

/* Writes a socket address's IP address as text into out (INET6_ADDRSTRLEN bytes). */
static void address_text(const struct sockaddr *sa, char *out, size_t len)
{
    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)len);
    else if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)len);
}

/*
 * The client's address, for the in-memory throttles only. A connection from the trusted
 * proxy (web_options.trusted_proxy; with --behind-tls and none named, the loopback
 * address) speaks for its client in X-Real-IP, which the proxy sets;
 * from any other peer that header is ignored, so that nobody can choose the address they
 * are counted under. A value that is not one IP address is ignored too.
 */
static void client_address(const struct server *srv, struct MHD_Connection *c, char *out,
                           size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    address_text(ci ? ci->client_addr : NULL, out, len);
    bool proxy = srv->proxy[0] ? strcmp(out, srv->proxy) == 0
                               : srv->opt->behind_tls &&
                                     (strcmp(out, "127.0.0.1") == 0 || strcmp(out, "::1") == 0);
    if (!proxy)
        return;
    const char *real = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Real-IP");
    unsigned char bin[sizeof(struct in6_addr)];
    char norm[INET6_ADDRSTRLEN];
    if (!real)
        return;
    if (inet_pton(AF_INET, real, bin) == 1)
        inet_ntop(AF_INET, bin, norm, sizeof(norm));
    else if (inet_pton(AF_INET6, real, bin) == 1)
        inet_ntop(AF_INET6, bin, norm, sizeof(norm));
    else
        return;
    snprintf(out, len, "%s", norm);
}

/* POST /staff/login, judged on a sign-in thread (web/staff.c takes it a step at a time). */
struct signjob {
    struct job base;
    struct store *store;
    struct staff_request rq; /* its strings are the request's, which outlive the job */
    struct staff_response rs;
    struct staff_signin si;
    char client[INET6_ADDRSTRLEN];
};

static void signin_run(struct server *srv, struct job *base)
{
    struct signjob *j = (struct signjob *)base;
    unsigned status = 0;
    long wait =
        staff_web_login_step(j->store, &j->rq, &j->si, now_ms(), &j->rs, base->page, &status);
    if (wait > 0) {
        base->not_before = now_ms() + wait;
        pool_push(&srv->signin, base);
        return;
    }
    base->status = status;
    job_done(base);
}

/* The headers of a staff page (out: 7 entries), from what the staff pages filled in. */
static void staff_headers(const struct staff_response *rs, struct header *out)
{
    const struct header h[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, rs->content_type ? rs->content_type : TYPE_HTML},
        {MHD_HTTP_HEADER_CONTENT_DISPOSITION, rs->disposition[0] ? rs->disposition : NULL},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {MHD_HTTP_HEADER_SET_COOKIE, rs->set_cookie[0] ? rs->set_cookie : NULL},
        {MHD_HTTP_HEADER_LOCATION, rs->location[0] ? rs->location : NULL},
        {MHD_HTTP_HEADER_RETRY_AFTER, rs->retry_after[0] ? rs->retry_after : NULL},
        {NULL, NULL},
    };
    memcpy(out, h, sizeof(h));
}

/*
 * POST /staff/login in two calls, as feedback_async() does: the first suspends the
 * connection and queues the attempt for a sign-in thread; once it is judged and the
 * connection resumed, libmicrohttpd calls again and the page is sent.
 */
static enum MHD_Result signin_async(struct server *srv, const struct gen *g,
                                    struct MHD_Connection *c, const char *method, const char *url,
                                    struct upload *u)
{
    if (u->job) {
        struct signjob *j = (struct signjob *)u->job;
        if (!atomic_load_explicit(&j->base.done, memory_order_acquire))
            return MHD_YES;
        struct buf *page = j->base.page;
        j->base.page = NULL;
        struct header headers[7];
        staff_headers(&j->rs, headers);
        enum MHD_Result r = send_made(srv, g, c, method, url, j->base.status, page, headers);
        job_free(u->job);
        u->job = NULL;
        return r;
    }
    struct signjob *j = xcalloc(1, sizeof(*j));
    job_init(&j->base, c, g, STAFF_WEB_PAGE_MAX, signin_run);
    j->store = srv->opt->store;
    client_address(srv, c, j->client, sizeof(j->client));
    j->rq = (struct staff_request){
        .method = method,
        .path = url,
        .cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE),
        .origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
        .host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
        .query = "",
        .query_len = 0,
        .body = u->body.ptr,
        .body_len = u->body.len,
        .client = j->client,
        .behind_tls = srv->opt->behind_tls,
        .site = g->site,
    };
    j->rs.file_fd = -1;
    u->job = &j->base;
    MHD_suspend_connection(c);
    pool_push(&srv->signin, &j->base);
    return MHD_YES;
}

/*
 * /staff and everything under it (web/staff.c): the only pages that may set a cookie. The
 * client's address goes to the in-memory sign-in throttle only, never to a log.
 */
static enum MHD_Result send_staff(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                  const char *method, const char *url, struct upload *u)
{
    /* Every password is hashed on a sign-in thread, never on one that serves pupils. */
    if (u && !u->too_large && srv->signin.started && strcmp(method, MHD_HTTP_METHOD_POST) == 0 &&
        staff_web_hashes(url))
        return signin_async(srv, g, c, method, url, u);
    char client[INET6_ADDRSTRLEN];
    client_address(srv, c, client, sizeof(client));
    struct buf query;
    buf_init(&query, STAFF_WEB_QUERY_MAX);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query_arg, &query);
    if (!buf_ok(&query)) {
        buf_release(&query);
        return send_reply(srv, c, method, url, MHD_HTTP_BAD_REQUEST, &g->fixed[R_BAD_REQUEST]);
    }
    const struct staff_request rq = {
        .method = method,
        .path = url,
        .cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE),
        .origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin"),
        .host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
        .query = query.ptr ? query.ptr : "",
        .query_len = query.len,
        .body = u ? u->body.ptr : NULL,
        .body_len = u ? u->body.len : 0,
        .too_large = u && u->too_large,
        .client = client,
        .behind_tls = srv->opt->behind_tls,
        .site = g->site,
    };
    struct staff_response rs;
    struct buf *page = xmalloc(sizeof(*page));
    buf_init(page, STAFF_WEB_PAGE_MAX);
    unsigned status = staff_web_handle(srv->opt->store, &rq, &rs, page);
    buf_release(&query);
    struct header headers[7];
    staff_headers(&rs, headers);
    if (rs.file_fd < 0)
        return send_made(srv, g, c, method, url, status, page, headers);
    made_page_free(page);
    /* A download in a temporary file: libmicrohttpd sends it and closes the descriptor. */
    struct MHD_Response *r = MHD_create_response_from_fd64(rs.file_size, rs.file_fd);
    if (!r) {
        close(rs.file_fd);
        return send_reply(srv, c, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR,
                          &g->fixed[R_INTERNAL]);
    }
    enum MHD_Result ret = MHD_NO;
    if (add_headers(srv, r, headers, atomic_load_explicit(&srv->closing, memory_order_relaxed))) {
        log_request(srv, method, url, status,
                    strcmp(method, MHD_HTTP_METHOD_HEAD) ? (size_t)rs.file_size : 0);
        ret = MHD_queue_response(c, status, r);
    }
    MHD_destroy_response(r);
    return ret;
}

/* Whether a POST to url is a form: the plan, feedback, and the staff pages. */
static bool takes_form(const char *url)
{
    return strcmp(url, "/plan") == 0 || strcmp(url, "/feedback") == 0 ||
           strncmp(url, "/staff/", 7) == 0;
}

/* Routes a request whose headers and body have all arrived. */
static enum MHD_Result dispatch(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                const char *url, const char *method, struct upload *u)
{
    bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    if (strcmp(url, "/healthz") == 0)
        return is_get(method) ? send_reply(srv, c, method, url, MHD_HTTP_OK, &g->fixed[R_HEALTHZ])
                              : send_reply(srv, c, method, url, MHD_HTTP_METHOD_NOT_ALLOWED,
                                           &g->fixed[R_METHOD_GET]);
    /* While the package has problems, authors see them in place of every page. */
    if (!g->site)
        return send_reply(srv, c, method, url, MHD_HTTP_SERVICE_UNAVAILABLE, &g->fixed[R_PROBLEMS]);
    if (post && strcmp(url, "/plan") == 0)
        return send_plan(srv, g, c, method, url, u);
    if (strcmp(url, "/staff") == 0 || strncmp(url, "/staff/", 7) == 0)
        return send_staff(srv, g, c, method, url, u);
    if (post && strcmp(url, "/feedback") == 0) {
        /* begin_request() gives every POST to a form an upload, empty or not. */
        if (!u)
            return send_reply(srv, c, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR,
                              &g->fixed[R_INTERNAL]);
        if (u->too_large)
            return send_reply(srv, c, method, url, MHD_HTTP_CONTENT_TOO_LARGE,
                              &g->fixed[R_TOO_LARGE]);
        /* Without a store, say plainly that nothing was saved. */
        if (!srv->opt->store)
            return send_reply(srv, c, method, url, MHD_HTTP_SERVICE_UNAVAILABLE,
                              &g->fixed[R_FEEDBACK_OFF]);
        const char *type =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!http_media_type_is(type, "application/x-www-form-urlencoded"))
            return send_reply(srv, c, method, url, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                              &g->fixed[R_BAD_TYPE]);
        return feedback_async(srv, g, c, method, url, u);
    }
    if (is_get(method) && strcmp(url, "/feedback") == 0) {
        const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "c");
        if (code && *code)
            return send_feedback_form(srv, g, c, method, url, code);
    }
    if (is_get(method) && strcmp(url, "/teach") == 0) {
        const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "c");
        if (code && *code)
            return send_teach(srv, g, c, method, url, code);
    }
    const struct site_file *f = site_route(g->site, url);
    const struct entry *e = f ? entry_for(g, f) : NULL;
    if (is_get(method)) {
        if (e)
            return send_file(srv, c, method, url, e);
        return send_not_found(srv, g, c, method, url);
    }
    if (takes_form(url)) /* the staff pages answered above */
        return send_reply(srv, c, method, url, MHD_HTTP_METHOD_NOT_ALLOWED,
                          &g->fixed[R_METHOD_POST]);
    if (e)
        return send_reply(srv, c, method, url, MHD_HTTP_METHOD_NOT_ALLOWED,
                          &g->fixed[R_METHOD_GET]);
    return send_not_found(srv, g, c, method, url);
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
    enum MHD_Result r;
    if (close) {
        log_request(srv, method, url, status, g->fixed[which].len);
        r = MHD_queue_response(c, status, g->fixed[which].close);
    } else {
        r = send_reply(srv, c, method, url, status, &g->fixed[which]);
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

/* The largest body the route of url takes. */
static size_t body_max(const char *url)
{
    return strncmp(url, "/staff/", 7) == 0 ? STAFF_WEB_BODY_MAX : WEB_BODY_MAX;
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
        return answer_early(srv, c, method, url, MHD_HTTP_BAD_REQUEST, R_BAD_REQUEST, true,
                            req_cls);
    /*
     * Two Content-Length values that differ, or a length beside a transfer coding, mean
     * that this server and a proxy in front could each see a different end of the body,
     * and take what follows for another request (smuggling): RFC 9112 section 6.3 asks for
     * 400 and the connection closed.
     */
    struct lengths lengths = {0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_length, &lengths);
    if (lengths.differ || (has_length && coding))
        return answer_early(srv, c, method, url, MHD_HTTP_BAD_REQUEST, R_BAD_REQUEST, true,
                            req_cls);
    size_t max = body_max(url);
    /* A client that waits for "100 Continue" has sent nothing yet: it can be told at once. */
    bool waits = http_value_is(
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT), "100-continue");
    if (has_length && (length > WEB_DISCARD_MAX || (waits && length > max)))
        return answer_early(srv, c, method, url, MHD_HTTP_CONTENT_TOO_LARGE, R_TOO_LARGE, false,
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

/* Asks for a new site and makes it current; the old one ends when its last request does. */
static void reload(struct server *srv)
{
    struct web_reload r = {0};
    srv->opt->reload(srv->opt->ctx, &r);
    struct gen *g = r.site ? gen_new(srv, r.site, r.owner, NULL)
                           : gen_new(srv, NULL, NULL, r.problems ? r.problems : "");
    free(r.problems);
    if (!g) {
        fprintf(stderr, "planpack: out of memory while preparing the responses; the site "
                        "served is unchanged\n");
        return;
    }
    if (srv->watching)
        pthread_rwlock_wrlock(&srv->lock);
    struct gen *old = srv->gen;
    srv->gen = g;
    if (srv->watching)
        pthread_rwlock_unlock(&srv->lock);
    gen_retire(old);
    malloc_trim(0);
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
            reload(srv);
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
    srv->gen = NULL;
    access_log_release(&srv->log);
    pool_release(&srv->fb);
    pool_release(&srv->signin);
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
    if (opt->reload)
        reload(&srv);
    else
        srv.gen = gen_new(&srv, site, NULL, NULL);
    if (!srv.gen) {
        fprintf(stderr, "planpack: out of memory while preparing the responses\n");
        goto out;
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
    unsigned per_client = opt->max_per_client ? opt->max_per_client : WEB_MAX_PER_CLIENT;
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
