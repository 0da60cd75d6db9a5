/*
 * The responses made once. Every site file is compressed (gzip by the renderer, brotli by
 * web/brotli.c) and gets its responses (each encoding, 200 and 304) created with all their
 * headers when a generation is made, together with the server's own pages (405, 413, 415,
 * 400, 500 and the 404 page, worded and rendered by src/site with the pupils' layout, in each
 * of its languages), so that a request only looks up a table and queues a shared response.
 * Each fixed response exists twice, once as is and once with "Connection: close", for a
 * graceful shutdown.
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

static const char *const security_headers[][2] = {
    {"Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; "
                                "frame-ancestors 'none'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

static const char *const enc_name[ENC_COUNT] = {NULL, "gzip", "br"};
static const char *const enc_tag[ENC_COUNT] = {"", "-gz", "-br"};

/* ---- generations ---- */

static void gen_free(struct gen *g)
{
    for (size_t i = 0; i < g->entry_count; i++)
        free(g->entries[i].br.data);
    free(g->entries);
    free(g->by_file);
    free(g->pages);
    for (size_t i = 0; i < g->lang_count; i++)
        free(g->langs[i].pages);
    free(g->langs);
    if (g->owner && g->srv->opt->release)
        g->srv->opt->release(g->srv->opt->ctx, g->owner);
    free(g);
}

void gen_unref(struct gen *g)
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
void gen_retire(struct gen *g)
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
    for (size_t l = 0; l < g->lang_count; l++)
        for (size_t i = 0; i < R_PROBLEMS; i++)
            reply_release(&g->langs[l].fixed[i]);
    gen_unref(g);
}

/* ---- creating responses once ---- */

/* The headers of a page made for one visitor (a plan, an answer's page): never cached. */
const struct header private_page[] = {
    {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
    {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
    {NULL, NULL},
};

/* Adds the security headers, then headers (NULL values skipped). Returns false on failure. */
bool add_headers(const struct server *srv, struct MHD_Response *r, const struct header *headers,
                 bool close)
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

unsigned thread_count(void)
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

const struct entry *entry_for(const struct gen *g, const struct site_file *f)
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
    enum site_reason reason; /* its words (the site's), or SITE_REASON_NONE: the status's */
    const char *value;       /* the value the reason's words name, or NULL */
    const char *allow;       /* Allow header for 405, or NULL */
    const char *cache;
};

/*
 * A pupil may see any of these pages, so the site renders them, in its language and with
 * its layout (quick exit, language, footer).
 */
static void page_render(struct buf *b, const struct page_spec *p, const struct site *site)
{
    const struct site_message m = {.status = p->status, .reason = p->reason, .value = p->value};
    /* An overflow leaves !buf_ok(b), which specs_init() checks once for all pages. */
    (void)!site_render_message(site, &m, b);
}

/*
 * The page for authors at WEB_PROBLEMS_PATH, which only requests from this computer get:
 * the errors that kept the last change from being served, or that there are none. File
 * names are the package's own (no folder of the server's), and the page reloads itself so
 * that it follows each save.
 */
static void problems_render(struct buf *b, const char *problems)
{
    if (!*problems) {
        web_page_open(b, &(struct web_page){.title = "No errors in the package", .refresh = true});
        buf_adds(b, "<p>The package loaded without errors: everyone sees the latest version. "
                    "This page reloads itself and lists the errors if a change brings "
                    "some.</p>\n<p><a href=\"/\">Go to the start page</a></p>\n");
        web_page_close(b);
        return;
    }
    web_page_open(b, &(struct web_page){.title = "The package has errors", .refresh = true});
    buf_adds(b, "<p>planpack found these errors in the package. Until they are fixed, "
                "everyone keeps seeing the last version that worked. Fix them and save: this "
                "page reloads itself. The terminal shows them too, and only this computer "
                "can open this page.</p>\n<ul>\n");
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
    web_page_close(b);
}

/*
 * Renders the pages of specs with site (and the author's page when problems is not NULL)
 * into one allocation, *pages, and makes their responses in fixed. Without a site (the
 * generation that holds a failed reload's errors, whose only page in use is the author's)
 * there are no pupil pages to make, and specs are left out.
 */
__attribute__((warn_unused_result)) static int
specs_init(struct gen *g, const struct page_spec *specs, size_t n, const struct site *site,
           const char *problems, struct reply *fixed, char **pages)
{
    size_t offsets[R_FIXED_COUNT + 2];
    if (!site)
        n = 0;
    struct buf all;
    buf_init(&all, (size_t)1 << 20);
    for (size_t i = 0; i < n; i++) {
        offsets[i] = all.len;
        page_render(&all, &specs[i], site);
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
    *pages = buf_detach(&all, &total);
    for (size_t i = 0; i < n; i++) {
        const struct header headers[] = {
            {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
            {MHD_HTTP_HEADER_CACHE_CONTROL, specs[i].cache},
            {MHD_HTTP_HEADER_ALLOW, specs[i].allow},
            {NULL, NULL},
        };
        if (reply_init(g, &fixed[specs[i].which], *pages + offsets[i], offsets[i + 1] - offsets[i],
                       headers) != 0)
            return -1;
    }
    const struct header html_never[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {NULL, NULL},
    };
    if (problems && reply_init(g, &fixed[R_PROBLEMS], *pages + offsets[n],
                               offsets[n + 1] - offsets[n], html_never) != 0)
        return -1;
    return 0;
}

/* The same pages in each other language of the site, for addresses in its folder. */
__attribute__((warn_unused_result)) static int langs_init(struct gen *g,
                                                          const struct page_spec *specs, size_t n)
{
    const struct pkg *p = site_pkg(g->site);
    if (p->n_languages < 2)
        return 0;
    g->langs = xcalloc(p->n_languages - 1, sizeof(*g->langs));
    for (size_t l = 1; l < p->n_languages; l++) {
        const struct site *ls = site_in_language(g->site, p->languages[l]);
        if (!ls || ls == g->site)
            continue;
        struct gen_lang *gl = &g->langs[g->lang_count++];
        gl->site = ls;
        if (specs_init(g, specs, n, ls, NULL, gl->fixed, &gl->pages) != 0)
            return -1;
    }
    return 0;
}

const struct reply *gen_fixed(const struct gen *g, const char *url, enum fixed which)
{
    if (g->lang_count && which > R_HEALTHZ && which < R_PROBLEMS) {
        const struct site *ls = site_for_path(g->site, url, NULL);
        for (size_t i = 0; i < g->lang_count; i++)
            if (g->langs[i].site == ls)
                return &g->langs[i].fixed[which];
    }
    return &g->fixed[which];
}

__attribute__((warn_unused_result)) static int pages_init(struct gen *g, const char *problems)
{
    char kib[24];
    snprintf(kib, sizeof(kib), "%zu", WEB_BODY_MAX / 1024);
    /* The Back button is the way back from a form's refusal: it returns to the form with
     * what was typed still in it, where a link would open an empty form. */
    const struct page_spec specs[] = {
        {R_METHOD_GET, HTTP_METHOD_NOT_ALLOWED, SITE_REASON_NONE, NULL, ALLOW_GET,
         CACHE_REVALIDATE},
        {R_METHOD_POST, HTTP_METHOD_NOT_ALLOWED, SITE_REASON_POST_OR_GET, NULL, ALLOW_POST,
         CACHE_REVALIDATE},
        {R_TOO_LARGE, HTTP_CONTENT_TOO_LARGE, SITE_REASON_TOO_LARGE, kib, NULL, CACHE_NEVER},
        {R_BAD_TYPE, HTTP_UNSUPPORTED_MEDIA_TYPE, SITE_REASON_BAD_TYPE, NULL, NULL, CACHE_NEVER},
        {R_BAD_FORM + 0, HTTP_BAD_REQUEST, site_form_reason(FORM_BAD_ESCAPE), NULL, NULL,
         CACHE_NEVER},
        {R_BAD_FORM + 1, HTTP_BAD_REQUEST, site_form_reason(FORM_BAD_UTF8), NULL, NULL,
         CACHE_NEVER},
        {R_BAD_FORM + 2, HTTP_BAD_REQUEST, site_form_reason(FORM_TOO_MANY), NULL, NULL,
         CACHE_NEVER},
        {R_BAD_FORM + 3, HTTP_BAD_REQUEST, site_form_reason(FORM_TOO_LARGE), NULL, NULL,
         CACHE_NEVER},
        {R_BAD_FORM + 4, HTTP_BAD_REQUEST, site_form_reason(-100), NULL, NULL, CACHE_NEVER},
        {R_BAD_REQUEST, HTTP_BAD_REQUEST, SITE_REASON_NONE, NULL, NULL, CACHE_NEVER},
        {R_INTERNAL, HTTP_INTERNAL_SERVER_ERROR, SITE_REASON_NONE, NULL, NULL, CACHE_NEVER},
    };
    size_t n = sizeof(specs) / sizeof(specs[0]);
    if (specs_init(g, specs, n, g->site, problems, g->fixed, &g->pages) != 0)
        return -1;
    if (g->site && langs_init(g, specs, n) != 0)
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
struct gen *gen_new(struct server *srv, const struct site *site, void *owner, const char *problems)
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
    /* Under --watch every generation has the author's page, saying "no errors" if it has none. */
    const char *author = problems ? problems : site && !srv->watching ? NULL : "";
    if (pages_init(g, author) != 0)
        goto fail;
    return g;
fail:
    gen_retire(g);
    return NULL;
}
