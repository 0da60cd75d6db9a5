/*
 * The HTTP server on libmicrohttpd.
 *
 * Speed comes from doing the work once: every site file gets its responses (identity and
 * gzip, 200 and 304) created at start-up with all their headers, and a request for a file
 * only looks up a table and queues a shared response. Requests without a body allocate
 * nothing. Each fixed response exists twice, once as is and once with "Connection: close",
 * so that during a graceful shutdown clients are told to stop reusing their connections.
 *
 * The plan that a young person POSTs to /plan is decoded, rendered, sent and forgotten:
 * the body and the page are wiped before their memory is freed, and the access log holds
 * only the time, method, path, status and size of each request.
 */
#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/form.h"
#include "base/xalloc.h"
#include "web/http.h"

/* Pupil forms are small; anything larger is refused with 413 before it is read. */
#define WEB_BODY_MAX ((size_t)16 * 1024)
/* A chunked body past this is not read to its end: the connection is closed without reply. */
#define WEB_DISCARD_MAX (64 * WEB_BODY_MAX)
/* A rendered plan page is a few tens of KiB; this only bounds a renderer gone wrong. */
#define WEB_PLAN_PAGE_MAX ((size_t)4 << 20)
/*
 * Per-connection memory in libmicrohttpd holds the request line, the headers and the read
 * buffer, so it is also the cap on header size (larger headers get 431).
 */
#define WEB_CONNECTION_MEMORY ((size_t)16 * 1024)
#define WEB_MAX_CONNECTIONS 1024u
#define WEB_MAX_PER_CLIENT 256u
/* Seconds of silence after which a connection is closed; it ends idle and slow clients. */
#define WEB_TIMEOUT 15u
/* How long a graceful shutdown waits for requests in flight before it stops anyway. */
#define WEB_DRAIN_SECONDS 10

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define CACHE_REVALIDATE "no-cache"
#define CACHE_NEVER "no-store"
#define TYPE_HTML "text/html; charset=utf-8"
#define TYPE_TEXT "text/plain; charset=utf-8"
#define ALLOW_GET "GET, HEAD"
#define ALLOW_POST "GET, HEAD, POST"

/*
 * One response as it is sent normally and as it is sent while the server shuts down. Both
 * share the body, which outlives them (the site's bytes or the server's own pages).
 */
struct reply {
    struct MHD_Response *keep;
    struct MHD_Response *close;
    size_t len; /* body bytes, for the access log */
};

/* One encoding of one file: its full response, its 304, and the ETag both carry. */
struct variant {
    struct reply full;
    struct reply not_modified;
    const char *etag;
};

struct entry {
    const struct site_file *file;
    struct variant plain;
    struct variant gz; /* gz.full.keep is NULL when the file has no gzip form */
    char etag_gz[40];
};

/* Header name and value pairs for reply_init(); a NULL name ends the list. */
struct header {
    const char *name;
    const char *value;
};

struct server {
    const struct site *site;
    bool quiet;
    struct entry *entries;
    size_t entry_count;
    const struct entry **by_file; /* entries sorted by site_file address, for lookup */
    struct reply not_found;       /* the site's 404 page, without an ETag */
    struct reply not_found_gz;    /* its gzip form; keep is NULL when there is none */
    struct reply healthz;
    struct reply method_get;  /* 405 for resources that only allow GET and HEAD */
    struct reply method_post; /* 405 for resources that also take POST */
    struct reply too_large;
    struct reply bad_type;
    struct reply bad_request;
    struct reply bad_form[5]; /* 400 for each form_decode() error */
    struct reply feedback_off;
    struct reply internal;
    char *pages; /* the bodies of the server's own pages, one allocation */
    size_t pages_len;
    atomic_long in_flight;
    atomic_bool closing;
};

/*
 * Markers for requests that need no state of their own, so that the common case (a GET
 * without a body) allocates nothing.
 */
static char mark_no_body;
static char mark_answered;

/* The state of a request that has a body. */
struct upload {
    struct buf body; /* kept only for POST /plan */
    size_t total;
    bool keep;
    bool too_large;
};

static void upload_free(struct upload *u)
{
    if (!u)
        return;
    /* The body may be a young person's plan: leave nothing of it in freed memory. */
    if (u->body.ptr)
        explicit_bzero(u->body.ptr, u->body.cap);
    buf_release(&u->body);
    free(u);
}

/* ---- creating responses once ---- */

/* Adds the security headers, then headers (NULL values skipped). Returns false on failure. */
static bool add_headers(struct MHD_Response *r, const struct header *headers, bool close)
{
    bool ok = true;
    for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
        ok &= MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]) == MHD_YES;
    for (const struct header *h = headers; h && h->name; h++)
        if (h->value)
            ok &= MHD_add_response_header(r, h->name, h->value) == MHD_YES;
    if (close)
        ok &= MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
    return ok;
}

static struct MHD_Response *response_new(const void *data, size_t len, const struct header *headers,
                                         bool close)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    if (r && !add_headers(r, headers, close)) {
        MHD_destroy_response(r);
        return NULL;
    }
    return r;
}

__attribute__((warn_unused_result)) static int reply_init(struct reply *r, const void *data,
                                                          size_t len, const struct header *headers)
{
    r->keep = response_new(data, len, headers, false);
    r->close = response_new(data, len, headers, true);
    r->len = len;
    return r->keep && r->close ? 0 : -1;
}

static void reply_release(struct reply *r)
{
    if (r->keep)
        MHD_destroy_response(r->keep);
    if (r->close)
        MHD_destroy_response(r->close);
    r->keep = r->close = NULL;
}

static void variant_release(struct variant *v)
{
    reply_release(&v->full);
    reply_release(&v->not_modified);
}

/* Creates the 200 and 304 responses of one encoding of a file. */
__attribute__((warn_unused_result)) static int
variant_init(struct variant *v, const struct site_file *f, const unsigned char *data, size_t len,
             const char *etag, bool gzip, bool negotiated)
{
    const char *cache = f->immutable ? CACHE_IMMUTABLE : CACHE_REVALIDATE;
    const char *vary = negotiated ? MHD_HTTP_HEADER_ACCEPT_ENCODING : NULL;
    const struct header full[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, f->type},
        {MHD_HTTP_HEADER_CACHE_CONTROL, cache},
        {MHD_HTTP_HEADER_ETAG, etag},
        {MHD_HTTP_HEADER_CONTENT_ENCODING, gzip ? "gzip" : NULL},
        {MHD_HTTP_HEADER_VARY, vary},
        {NULL, NULL},
    };
    const struct header not_modified[] = {
        {MHD_HTTP_HEADER_CACHE_CONTROL, cache},
        {MHD_HTTP_HEADER_ETAG, etag},
        {MHD_HTTP_HEADER_VARY, vary},
        {NULL, NULL},
    };
    v->etag = etag;
    if (reply_init(&v->full, data, len, full) != 0 ||
        reply_init(&v->not_modified, "", 0, not_modified) != 0)
        return -1;
    return 0;
}

/* The gzip form of a file is a different representation, so it gets its own strong ETag. */
static void make_gzip_etag(const char *etag, char *out, size_t out_len)
{
    size_t n = strlen(etag);
    if (n >= 2 && etag[n - 1] == '"')
        snprintf(out, out_len, "%.*s-gz\"", (int)(n - 1), etag);
    else
        snprintf(out, out_len, "\"%s-gz\"", etag);
}

static int compare_by_file(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)(*(const struct entry *const *)a)->file;
    uintptr_t y = (uintptr_t)(*(const struct entry *const *)b)->file;
    return (x > y) - (x < y);
}

static const struct entry *entry_for(const struct server *srv, const struct site_file *f)
{
    size_t lo = 0, hi = srv->entry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uintptr_t m = (uintptr_t)srv->by_file[mid]->file;
        if (m == (uintptr_t)f)
            return srv->by_file[mid];
        if (m < (uintptr_t)f)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The server's own small pages (errors), built once and kept for the server's lifetime. */
struct page_spec {
    struct reply *reply;
    const char *title;
    const char *message;
    const char *allow; /* Allow header for 405, or NULL */
    const char *cache;
};

static void page_render(struct buf *b, const struct page_spec *p, const char *css)
{
    buf_adds(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    buf_adds_html(b, p->title);
    buf_adds(b, "</title>\n");
    if (css) {
        buf_adds(b, "<link rel=\"stylesheet\" href=\"/");
        buf_adds_html(b, css);
        buf_adds(b, "\">\n");
    }
    buf_adds(b, "</head>\n<body>\n<main>\n<h1>");
    buf_adds_html(b, p->title);
    buf_adds(b, "</h1>\n<p>");
    buf_adds_html(b, p->message);
    buf_adds(b, "</p>\n<p><a href=\"/\">Go to the start page</a></p>\n</main>\n</body>\n"
                "</html>\n");
}

__attribute__((warn_unused_result)) static int pages_init(struct server *srv)
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
        {&srv->method_get, "Method not allowed", "This address can only be read, not sent to.",
         ALLOW_GET, CACHE_REVALIDATE},
        {&srv->method_post, "Method not allowed",
         "This address takes a form sent with POST, or can be read with GET.", ALLOW_POST,
         CACHE_REVALIDATE},
        {&srv->too_large, "Too much to send", too_long, NULL, CACHE_NEVER},
        {&srv->bad_type, title, bad_type, NULL, CACHE_NEVER},
        {&srv->bad_form[0], title, msg[0], NULL, CACHE_NEVER},
        {&srv->bad_form[1], title, msg[1], NULL, CACHE_NEVER},
        {&srv->bad_form[2], title, msg[2], NULL, CACHE_NEVER},
        {&srv->bad_form[3], title, msg[3], NULL, CACHE_NEVER},
        {&srv->bad_form[4], title, msg[4], NULL, CACHE_NEVER},
        {&srv->bad_request, "Bad request",
         "This server could not read the request. Nothing has been kept.", NULL, CACHE_NEVER},
        {&srv->feedback_off, "Feedback is not set up on this server",
         "Feedback is not set up on this server, so your answers were not saved. Thank you "
         "for wanting to help: you could tell your teacher what you thought instead.",
         NULL, CACHE_NEVER},
        {&srv->internal, "Something went wrong",
         "Something went wrong on this server. Nothing you wrote has been kept.", NULL,
         CACHE_NEVER},
    };
    size_t n = sizeof(specs) / sizeof(specs[0]);
    const char *css = site_asset_path(srv->site, "style.css");
    size_t offsets[sizeof(specs) / sizeof(specs[0]) + 1];
    struct buf all;
    buf_init(&all, (size_t)1 << 20);
    for (size_t i = 0; i < n; i++) {
        offsets[i] = all.len;
        page_render(&all, &specs[i], css);
    }
    offsets[n] = all.len;
    if (!buf_ok(&all)) {
        buf_release(&all);
        return -1;
    }
    srv->pages = buf_detach(&all, &srv->pages_len);
    for (size_t i = 0; i < n; i++) {
        const struct header headers[] = {
            {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
            {MHD_HTTP_HEADER_CACHE_CONTROL, specs[i].cache},
            {MHD_HTTP_HEADER_ALLOW, specs[i].allow},
            {NULL, NULL},
        };
        if (reply_init(specs[i].reply, srv->pages + offsets[i], offsets[i + 1] - offsets[i],
                       headers) != 0)
            return -1;
    }
    const struct header plain[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_TEXT},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {NULL, NULL},
    };
    return reply_init(&srv->healthz, "ok\n", 3, plain);
}

/*
 * The 404 page is served for any unknown address, so it carries no ETag (a client must not
 * revalidate a missing page into a 304) and is never cached for long.
 */
__attribute__((warn_unused_result)) static int not_found_init(struct server *srv)
{
    const struct site_file *f = site_not_found(srv->site);
    bool gzip = f->gz != NULL && f->gz_len < f->len;
    const char *vary = gzip ? MHD_HTTP_HEADER_ACCEPT_ENCODING : NULL;
    const struct header plain[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, f->type},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_REVALIDATE},
        {MHD_HTTP_HEADER_VARY, vary},
        {NULL, NULL},
    };
    if (reply_init(&srv->not_found, f->data, f->len, plain) != 0)
        return -1;
    if (!gzip)
        return 0;
    const struct header gz[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, f->type},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_REVALIDATE},
        {MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip"},
        {MHD_HTTP_HEADER_VARY, vary},
        {NULL, NULL},
    };
    return reply_init(&srv->not_found_gz, f->gz, f->gz_len, gz);
}

static void server_release(struct server *srv)
{
    for (size_t i = 0; i < srv->entry_count; i++) {
        variant_release(&srv->entries[i].plain);
        variant_release(&srv->entries[i].gz);
    }
    free(srv->entries);
    free(srv->by_file);
    struct reply *fixed[] = {&srv->not_found,  &srv->not_found_gz, &srv->healthz,
                             &srv->method_get, &srv->method_post,  &srv->too_large,
                             &srv->bad_type,   &srv->bad_request,  &srv->feedback_off,
                             &srv->internal};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        reply_release(fixed[i]);
    for (size_t i = 0; i < 5; i++)
        reply_release(&srv->bad_form[i]);
    free(srv->pages);
}

__attribute__((warn_unused_result)) static int server_init(struct server *srv,
                                                           const struct site *site, bool quiet)
{
    memset(srv, 0, sizeof(*srv));
    srv->site = site;
    srv->quiet = quiet;
    atomic_init(&srv->in_flight, 0);
    atomic_init(&srv->closing, false);
    size_t n = site_file_count(site);
    srv->entries = xcalloc(n ? n : 1, sizeof(*srv->entries));
    srv->by_file = xcalloc(n ? n : 1, sizeof(*srv->by_file));
    srv->entry_count = n;
    for (size_t i = 0; i < n; i++) {
        struct entry *e = &srv->entries[i];
        const struct site_file *f = site_file_at(site, i);
        e->file = f;
        srv->by_file[i] = e;
        /* A gzip form that saves nothing is not worth a decompression on the client. */
        bool gz = f->gz != NULL && f->gz_len < f->len;
        if (variant_init(&e->plain, f, f->data, f->len, f->etag, false, gz) != 0)
            return -1;
        if (gz) {
            make_gzip_etag(f->etag, e->etag_gz, sizeof(e->etag_gz));
            if (variant_init(&e->gz, f, f->gz, f->gz_len, e->etag_gz, true, true) != 0)
                return -1;
        }
    }
    qsort(srv->by_file, n, sizeof(*srv->by_file), compare_by_file);
    if (not_found_init(srv) != 0)
        return -1;
    return pages_init(srv);
}

/* ---- the access log ---- */

/* Formats the current UTC time, reformatting at most once a second per thread. */
static const char *log_time(void)
{
    static _Thread_local time_t last = -1;
    static _Thread_local char text[32];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
    if (ts.tv_sec != last) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
        last = ts.tv_sec;
    }
    return text;
}

/*
 * One line per request: time, method, path (never the query string), status and body
 * bytes. Never the client's address, user agent, headers or body. One write() per line so
 * that lines from different threads do not interleave.
 */
static void log_request(const struct server *srv, const char *method, const char *url,
                        unsigned status, size_t bytes)
{
    if (srv->quiet)
        return;
    char m[40], path[600], line[768];
    http_log_text(method, 16, m, sizeof(m));
    http_log_text(url, 128, path, sizeof(path));
    int n = snprintf(line, sizeof(line), "%s %s %s %u %zu\n", log_time(), m, path, status, bytes);
    if (n <= 0)
        return;
    size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
    /* A log that cannot be written (a closed pipe) must not stop the server. */
    ssize_t w = write(STDOUT_FILENO, line, len);
    (void)w;
}

/* ---- answering requests ---- */

static enum MHD_Result send_reply(struct server *srv, struct MHD_Connection *c, const char *method,
                                  const char *url, unsigned status, const struct reply *r)
{
    bool closing = atomic_load_explicit(&srv->closing, memory_order_relaxed);
    bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    log_request(srv, method, url, status, head ? 0 : r->len);
    return MHD_queue_response(c, status, closing ? r->close : r->keep);
}

static enum MHD_Result send_file(struct server *srv, struct MHD_Connection *c, const char *method,
                                 const char *url, const struct entry *e)
{
    const struct variant *v = &e->plain;
    if (e->gz.full.keep && http_accepts_gzip(MHD_lookup_connection_value(
                               c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING)))
        v = &e->gz;
    const char *inm =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && http_none_match(inm, v->etag))
        return send_reply(srv, c, method, url, MHD_HTTP_NOT_MODIFIED, &v->not_modified);
    return send_reply(srv, c, method, url, MHD_HTTP_OK, &v->full);
}

static enum MHD_Result send_not_found(struct server *srv, struct MHD_Connection *c,
                                      const char *method, const char *url)
{
    const struct reply *r = &srv->not_found;
    if (srv->not_found_gz.keep && http_accepts_gzip(MHD_lookup_connection_value(
                                      c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING)))
        r = &srv->not_found_gz;
    return send_reply(srv, c, method, url, MHD_HTTP_NOT_FOUND, r);
}

/* Frees a rendered plan page once it has been sent, wiping it first. */
static void plan_page_free(void *cls)
{
    struct buf *page = cls;
    if (page->ptr)
        explicit_bzero(page->ptr, page->cap);
    buf_release(page);
    free(page);
}

/*
 * POST /plan: decodes the form and renders the young person's plan for this response only.
 * The page is sent with Cache-Control: no-store and freed (wiped) after sending.
 */
static enum MHD_Result send_plan(struct server *srv, struct MHD_Connection *c, const char *method,
                                 const char *url, struct upload *u)
{
    if (u && u->too_large)
        return send_reply(srv, c, method, url, MHD_HTTP_CONTENT_TOO_LARGE, &srv->too_large);
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (u && !http_media_type_is(type, "application/x-www-form-urlencoded"))
        return send_reply(srv, c, method, url, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, &srv->bad_type);

    enum MHD_Result ret = MHD_NO;
    struct arena arena = ARENA_INIT;
    struct form form;
    struct buf *page = NULL;
    const char *body = u && u->body.ptr ? u->body.ptr : "";
    int rc = form_decode(body, u ? u->body.len : 0, WEB_BODY_MAX, &arena, &form);
    if (rc != FORM_OK) {
        size_t i = rc == FORM_BAD_ESCAPE  ? 0
                   : rc == FORM_BAD_UTF8  ? 1
                   : rc == FORM_TOO_MANY  ? 2
                   : rc == FORM_TOO_LARGE ? 3
                                          : 4;
        ret = send_reply(srv, c, method, url, MHD_HTTP_BAD_REQUEST, &srv->bad_form[i]);
        goto out;
    }
    page = xmalloc(sizeof(*page));
    buf_init(page, WEB_PLAN_PAGE_MAX);
    if (site_render_plan(srv->site, &form, page) != 0 || !buf_ok(page)) {
        ret = send_reply(srv, c, method, url, MHD_HTTP_INTERNAL_SERVER_ERROR, &srv->internal);
        goto out;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
        page->len, page->ptr, plan_page_free, page);
    if (!r)
        goto out;
    size_t len = page->len;
    page = NULL; /* the response owns it now */
    const struct header headers[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {NULL, NULL},
    };
    bool ok = add_headers(r, headers, atomic_load_explicit(&srv->closing, memory_order_relaxed));
    if (ok) {
        log_request(srv, method, url, MHD_HTTP_OK, len);
        ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    }
    MHD_destroy_response(r);
out:
    if (page)
        plan_page_free(page);
    arena_release(&arena);
    return ret;
}

static bool is_get(const char *method)
{
    return strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
}

/* Routes a request whose headers and body have all arrived. */
static enum MHD_Result dispatch(struct server *srv, struct MHD_Connection *c, const char *url,
                                const char *method, struct upload *u)
{
    bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    bool form_route = strcmp(url, "/plan") == 0 || strcmp(url, "/feedback") == 0;
    if (strcmp(url, "/healthz") == 0)
        return is_get(method)
                   ? send_reply(srv, c, method, url, MHD_HTTP_OK, &srv->healthz)
                   : send_reply(srv, c, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, &srv->method_get);
    if (post && strcmp(url, "/plan") == 0)
        return send_plan(srv, c, method, url, u);
    if (post && strcmp(url, "/feedback") == 0) {
        /* Until the survey store exists, say plainly that nothing was saved. */
        if (u && u->too_large)
            return send_reply(srv, c, method, url, MHD_HTTP_CONTENT_TOO_LARGE, &srv->too_large);
        return send_reply(srv, c, method, url, MHD_HTTP_SERVICE_UNAVAILABLE, &srv->feedback_off);
    }
    const struct site_file *f = site_route(srv->site, url);
    const struct entry *e = f ? entry_for(srv, f) : NULL;
    if (is_get(method)) {
        if (e)
            return send_file(srv, c, method, url, e);
        return send_not_found(srv, c, method, url);
    }
    if (form_route)
        return send_reply(srv, c, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, &srv->method_post);
    if (e)
        return send_reply(srv, c, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, &srv->method_get);
    return send_not_found(srv, c, method, url);
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
 * The first call for a request carries only its headers. Nothing is queued here except a
 * 413 for a declared body over the limit: libmicrohttpd 0.9.75 closes a connection whose
 * response was queued before the body was read, and that is what an oversized body deserves.
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
    if (coding && !http_value_is(coding, "chunked")) {
        *req_cls = &mark_answered;
        return send_reply(srv, c, method, url, MHD_HTTP_BAD_REQUEST, &srv->bad_request);
    }
    if (has_length && length > WEB_BODY_MAX) {
        *req_cls = &mark_answered;
        return send_reply(srv, c, method, url, MHD_HTTP_CONTENT_TOO_LARGE, &srv->too_large);
    }
    if (!chunked && length == 0) {
        *req_cls = &mark_no_body;
        return MHD_YES;
    }
    struct upload *u = xcalloc(1, sizeof(*u));
    u->keep = strcmp(method, MHD_HTTP_METHOD_POST) == 0 && strcmp(url, "/plan") == 0;
    buf_init(&u->body, WEB_BODY_MAX);
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
        atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
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
            if (u->total > WEB_BODY_MAX)
                u->too_large = true;
            else if (u->keep)
                buf_add(&u->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(srv, c, url, method, u);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct server *srv = cls;
    if (!*req_cls)
        return;
    if (*req_cls != &mark_no_body && *req_cls != &mark_answered)
        upload_free(*req_cls);
    *req_cls = NULL;
    atomic_fetch_sub_explicit(&srv->in_flight, 1, memory_order_relaxed);
}

/* Small responses go out at once instead of waiting for Nagle's algorithm. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)socket_context;
    if (toe != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info) {
        int one = 1;
        (void)setsockopt(info->connect_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
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

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("planpack: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- listening ---- */

static int parse_port(const char *s, in_port_t *port)
{
    if (!*s || strlen(s) > 5)
        return -1;
    unsigned long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v > 65535)
        return -1;
    *port = htons((in_port_t)v);
    return 0;
}

int web_parse_listen(const char *s, struct sockaddr_storage *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof(*out));
    if (!s || !*s) {
        snprintf(err, err_len, "no address given; use ADDR:PORT, e.g. 127.0.0.1:8080");
        return -1;
    }
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        char host[INET6_ADDRSTRLEN];
        size_t n = close ? (size_t)(close - s - 1) : 0;
        if (!close || close[1] != ':' || n == 0 || n >= sizeof(host)) {
            snprintf(err, err_len, "'%s' is not [IPv6-ADDRESS]:PORT, e.g. [::1]:8080", s);
            return -1;
        }
        memcpy(host, s + 1, n);
        host[n] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
        a->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) {
            snprintf(err, err_len, "'%s' is not an IPv6 address", host);
            return -1;
        }
        if (parse_port(close + 2, &a->sin6_port) != 0) {
            snprintf(err, err_len, "'%s' is not a port number (0-65535)", close + 2);
            return -1;
        }
        return 0;
    }
    const char *colon = strrchr(s, ':');
    if (!colon) {
        snprintf(err, err_len, "'%s' has no port; use ADDR:PORT, e.g. 127.0.0.1:8080", s);
        return -1;
    }
    size_t n = (size_t)(colon - s);
    if (memchr(s, ':', n)) {
        snprintf(err, err_len, "put an IPv6 address in brackets, e.g. [::1]:8080");
        return -1;
    }
    char host[INET_ADDRSTRLEN];
    struct sockaddr_in *a = (struct sockaddr_in *)out;
    a->sin_family = AF_INET;
    if (n == 0) {
        /* ":8080" means every IPv4 interface, as in most servers' configuration. */
        a->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (n == 9 && strncmp(s, "localhost", 9) == 0) {
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (n >= sizeof(host) ||
               (memcpy(host, s, n), host[n] = '\0', inet_pton(AF_INET, host, &a->sin_addr) != 1)) {
        snprintf(err, err_len, "'%.*s' is not an IPv4 address (a name is not looked up)",
                 (int)(n < 64 ? n : 64), s);
        return -1;
    }
    if (parse_port(colon + 1, &a->sin_port) != 0) {
        snprintf(err, err_len, "'%s' is not a port number (0-65535)", colon + 1);
        return -1;
    }
    return 0;
}

static void format_address(const struct sockaddr_storage *ss, char *out, size_t out_len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port;
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
        port = ntohs(a->sin6_port);
        snprintf(out, out_len, "[%s]:%u", host, port);
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
        port = ntohs(a->sin_port);
        snprintf(out, out_len, "%s:%u", host, port);
    }
}

/* Opens the listening socket ourselves, so that a failure names its real cause. */
static int open_listener(const struct sockaddr_storage *ss, const char *text)
{
    bool v6 = ss->ss_family == AF_INET6;
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "planpack: cannot listen on %s: %s\n", text, strerror(errno));
        return -1;
    }
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (v6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        int e = errno;
        fprintf(stderr, "planpack: cannot listen on %s: %s%s\n", text, strerror(e),
                e == EADDRINUSE ? " (is another server using this port? try another "
                                  "with --listen)"
                                : "");
        close(fd);
        return -1;
    }
    return fd;
}

/* Raises the open-file limit so that the connection limit, not the descriptor limit, binds. */
static unsigned connection_limit(unsigned wanted)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return wanted;
    rlim_t need = (rlim_t)wanted + 64;
    if (rl.rlim_cur < need && rl.rlim_cur != RLIM_INFINITY) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
        return rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
    return wanted;
}

static unsigned thread_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
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
        if (atomic_load(&srv->in_flight) == 0) {
            if (++quiet_ticks >= 20)
                return;
        } else {
            quiet_ticks = 0;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= WEB_DRAIN_SECONDS)
            return;
        struct timespec tick = {0, 10 * 1000 * 1000};
        if (sigtimedwait(signals, NULL, &tick) > 0)
            return;
    }
}

int web_serve(const struct site *site, const struct web_options *opt)
{
    int rc = -1;
    int fd = -1;
    bool own_fd = true; /* false while the daemon owns the listening socket */
    bool mask_set = false;
    struct MHD_Daemon *d = NULL;
    struct server srv;
    sigset_t signals, old_mask;
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_pipe;
    char err[256], where[INET6_ADDRSTRLEN + 16];
    struct sockaddr_storage ss;
    const char *listen_text = opt->listen ? opt->listen : "127.0.0.1:8080";

    if (server_init(&srv, site, opt->quiet) != 0) {
        fprintf(stderr, "planpack: out of memory while preparing the responses\n");
        goto out;
    }
    if (web_parse_listen(listen_text, &ss, err, sizeof(err)) != 0) {
        fprintf(stderr, "planpack serve: --listen: %s\n", err);
        goto out;
    }
    fd = open_listener(&ss, listen_text);
    if (fd < 0)
        goto out;
    socklen_t slen = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0) {
        fprintf(stderr, "planpack: cannot listen on %s: %s\n", listen_text, strerror(errno));
        goto out;
    }
    format_address(&ss, where, sizeof(where));

    /*
     * The signals are blocked before the daemon starts so that its threads inherit the mask
     * and only this thread receives them, in sigwait().
     */
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, &old_mask);
    sigaction(SIGPIPE, &ignore, &old_pipe);
    mask_set = true;

    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned threads = thread_count();
    unsigned max_conn =
        connection_limit(opt->max_connections ? opt->max_connections : WEB_MAX_CONNECTIONS);
    unsigned per_client = opt->max_per_client ? opt->max_per_client : WEB_MAX_PER_CLIENT;
    unsigned timeout = opt->timeout_seconds ? opt->timeout_seconds : WEB_TIMEOUT;
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0u,
        MHD_OPTION_CONNECTION_LIMIT, max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_client,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        WEB_CONNECTION_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL, MHD_OPTION_UNESCAPE_CALLBACK,
        unescape_path, NULL, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "planpack: cannot start the HTTP server on %s\n", where);
        goto out;
    }
    own_fd = false;
    printf("planpack: serving on http://%s/\n", where);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&signals, &sig) != 0)
        ;
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
    if (d)
        MHD_stop_daemon(d);
    if (fd >= 0 && own_fd)
        close(fd);
    if (mask_set) {
        sigaction(SIGPIPE, &old_pipe, NULL);
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    }
    server_release(&srv);
    return rc;
}
