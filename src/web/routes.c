/*
 * What each address answers: the plan, the lesson slides for a class, feedback (checked and
 * stored off the event loop), the staff pages and their sign-in, and every site file. The
 * server (web/server.c) calls dispatch() once a request's headers and body have arrived.
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

/*
 * The site in the language of the address: "/cy/plan" is the plan in Welsh when the package
 * has Welsh (site_for_path()); every other address is the source language's.
 */
static const struct site *lang_site(const struct gen *g, const char *url)
{
    return site_for_path(g->site, url, NULL);
}

/*
 * POST /plan: decodes the form and renders the young person's plan for this response only.
 * The page is sent with Cache-Control: no-store and freed (wiped) after sending.
 */
static enum MHD_Result send_plan(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, struct upload *u)
{
    if (u && u->too_large)
        return send_reply(srv, c, method, url, HTTP_CONTENT_TOO_LARGE,
                          gen_fixed(g, url, R_TOO_LARGE));
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (u && !http_media_type_is(type, "application/x-www-form-urlencoded"))
        return send_reply(srv, c, method, url, HTTP_UNSUPPORTED_MEDIA_TYPE,
                          gen_fixed(g, url, R_BAD_TYPE));

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
        ret = send_reply(srv, c, method, url, HTTP_BAD_REQUEST, gen_fixed(g, url, R_BAD_FORM + i));
        goto out;
    }
    page = made_page_new(WEB_PLAN_PAGE_MAX);
    if (site_render_plan(lang_site(g, url), &form, page) != 0) {
        made_page_free(page);
        ret = send_reply(srv, c, method, url, HTTP_INTERNAL_SERVER_ERROR,
                         gen_fixed(g, url, R_INTERNAL));
        goto out;
    }
    ret = send_made(srv, g, c, method, url, HTTP_OK, page, private_page);
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
    struct buf *page = made_page_new(WEB_PLAN_PAGE_MAX);
    if (site_render_teach(lang_site(g, url), code, page) != 0) {
        made_page_free(page);
        return send_reply(srv, c, method, url, HTTP_INTERNAL_SERVER_ERROR,
                          gen_fixed(g, url, R_INTERNAL));
    }
    const struct header headers[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_REVALIDATE},
        {NULL, NULL},
    };
    return send_made(srv, g, c, method, url, HTTP_OK, page, headers);
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
    const struct site *site; /* the site in the form's language */
    const char *body;        /* the request's own, which outlives the job */
    size_t len;
    int stored; /* the store's status, when base.status is 0 */
    /* Where a stored answer goes on to: the page after it, with a start answer's word. */
    char location[FEEDBACK_SENT_LOCATION_MAX];
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
        feedback_check(srv->opt->store, j->site, j->body, j->len, &a, &ans, base->page);
    bool queued = false;
    if (status == 0) {
        pthread_mutex_lock(&p->mu);
        p->away++;
        pthread_mutex_unlock(&p->mu);
        feedback_sent_location(&ans, j->location);
        int rc = store_submit_async(srv->opt->store, &ans, answer_stored, j);
        queued = rc == STORE_OK;
        if (!queued) {
            pthread_mutex_lock(&p->mu);
            p->away--;
            pthread_mutex_unlock(&p->mu);
            status = feedback_stored(j->site, j->body, j->len, rc, base->page);
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
                              : feedback_stored(j->site, j->body, j->len, j->stored, page);
        /* The answer to a stored answer: on to the page after it, which a reload only reads. */
        const struct header stored_headers[] = {
            {MHD_HTTP_HEADER_LOCATION, j->location},
            {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
            {NULL, NULL},
        };
        j->base.page = NULL;
        enum MHD_Result res = send_made(srv, g, c, method, url, status, page,
                                        status == HTTP_SEE_OTHER ? stored_headers : private_page);
        job_free(u->job);
        u->job = NULL;
        return res;
    }
    struct fbjob *j = xcalloc(1, sizeof(*j));
    job_init(&j->base, c, g, FEEDBACK_PAGE_MAX, feedback_start);
    j->site = lang_site(g, url);
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
 * GET /feedback?c=CODE&part=PART (web/feedback.c): one part's form with the code filled in
 * (or, without a part, the choice of parts), made for this response and never cached.
 * POST /feedback is feedback_async().
 */
static enum MHD_Result send_feedback_form(struct server *srv, const struct gen *g,
                                          struct MHD_Connection *c, const char *method,
                                          const char *url, const char *code, const char *part)
{
    struct buf *page = made_page_new(FEEDBACK_PAGE_MAX);
    unsigned status = feedback_get(lang_site(g, url), code, part, page);
    return send_made(srv, g, c, method, url, status, page, private_page);
}

/* GET /feedback/sent: the page after a stored answer, made for this response. */
static enum MHD_Result get_feedback_sent(struct server *srv, const struct gen *g,
                                         struct MHD_Connection *c, const char *method,
                                         const char *url, struct upload *u)
{
    (void)u;
    struct buf *page = made_page_new(FEEDBACK_PAGE_MAX);
    const char *word =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, FEEDBACK_SENT_WORD_ARG);
    unsigned status = feedback_sent(lang_site(g, url), word, page);
    return send_made(srv, g, c, method, url, status, page, private_page);
}

/*
 * GET /feedback/sheet?c=CODE&part=PART&n=N: a part's printable answer sheets, made for this
 * response (no part: the choice of parts).
 */
static enum MHD_Result get_feedback_sheet(struct server *srv, const struct gen *g,
                                          struct MHD_Connection *c, const char *method,
                                          const char *url, struct upload *u)
{
    (void)u;
    struct buf *page = made_page_new(FEEDBACK_PAGE_MAX);
    const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, WIRE_FIELD_CODE);
    const char *part = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, WIRE_FIELD_PART);
    const char *n = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, FEEDBACK_SHEETS_ARG);
    unsigned status = feedback_sheets(lang_site(g, url), code, part, n, page);
    return send_made(srv, g, c, method, url, status, page, private_page);
}

/*
 * A POST /feedback refused before its answer is checked (429, 503): the form again, with
 * what the pupil gave kept (web/feedback.c).
 */
static enum MHD_Result refuse_feedback(struct server *srv, const struct gen *g,
                                       struct MHD_Connection *c, const char *method,
                                       const char *url, const struct upload *u, unsigned status)
{
    static const struct header slow_down[] = {
        {MHD_HTTP_HEADER_CONTENT_TYPE, TYPE_HTML},
        {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_NEVER},
        {MHD_HTTP_HEADER_RETRY_AFTER, "60"},
        {NULL, NULL},
    };
    struct buf *page = made_page_new(FEEDBACK_PAGE_MAX);
    unsigned sent = feedback_refused(lang_site(g, url), u->body.ptr, u->body.len, status, page);
    return send_made(srv, g, c, method, url, sent, page,
                     sent == HTTP_TOO_MANY_REQUESTS ? slow_down : private_page);
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

/*
 * Whether the request comes from a person on this computer, for the author's page: the
 * peer is a loopback address, no proxy header says it speaks for someone else, and it is
 * not the proxy in front (--trusted-proxy, or with --behind-tls a proxy on this machine),
 * whose every request is a visitor's, whatever headers it forgets to set.
 */
static bool request_is_local(const struct server *srv, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    bool loopback = false;
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)sa;
        loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        loopback = IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    if (!loopback)
        return false;
    char peer[INET6_ADDRSTRLEN];
    address_text(sa, peer, sizeof(peer));
    if (srv->proxy[0] ? strcmp(peer, srv->proxy) == 0 : srv->opt->behind_tls)
        return false;
    static const char *const forwarded[] = {"X-Real-IP", "X-Forwarded-For", "Forwarded"};
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
        if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, forwarded[i]))
            return false;
    return true;
}

/*
 * GET WEB_PROBLEMS_PATH under --watch: the package's errors, for its authors on this
 * computer only. Everyone else gets the 404 page, as for any address that is not there.
 */
static enum MHD_Result get_problems(struct server *srv, const struct gen *g,
                                    struct MHD_Connection *c, const char *method, const char *url,
                                    struct upload *u)
{
    (void)u;
    if (!srv->watching || !request_is_local(srv, c))
        return send_not_found(srv, g, c, method, url);
    /* srv->broken is read under the same lock as g (gen_enter()). */
    const struct gen *shown = srv->broken ? srv->broken : g;
    return send_reply(srv, c, method, url, HTTP_OK, &shown->fixed[R_PROBLEMS]);
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
        return send_reply(srv, c, method, url, HTTP_BAD_REQUEST, gen_fixed(g, url, R_BAD_REQUEST));
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
    struct buf *page = made_page_new(STAFF_WEB_PAGE_MAX);
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
        return send_reply(srv, c, method, url, HTTP_INTERNAL_SERVER_ERROR,
                          gen_fixed(g, url, R_INTERNAL));
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
/* GET /healthz: "ok" for a load balancer. */
static enum MHD_Result send_healthz(struct server *srv, const struct gen *g,
                                    struct MHD_Connection *c, const char *method, const char *url,
                                    struct upload *u)
{
    (void)u;
    return is_get(method) ? send_reply(srv, c, method, url, HTTP_OK, &g->fixed[R_HEALTHZ])
                          : send_reply(srv, c, method, url, HTTP_METHOD_NOT_ALLOWED,
                                       gen_fixed(g, url, R_METHOD_GET));
}

/*
 * Whether one more answer from this client fits the limit per client (--answers-per-client).
 * Refusals are counted and said on stderr once a minute, without the address.
 */
static bool answer_allowed(struct server *srv, struct MHD_Connection *c)
{
    if (!srv->answers.per_minute)
        return true;
    char client[INET6_ADDRSTRLEN];
    client_address(srv, c, client, sizeof(client));
    long long now = now_ms();
    if (rate_take(&srv->answers, client, now))
        return true;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static long long window;
    static unsigned refused;
    pthread_mutex_lock(&lock);
    refused++;
    if (now - window >= 60000) {
        fprintf(stderr,
                "planpack: answers from one address came faster than %u a minute; %u refused "
                "(429) since the last message\n",
                srv->answers.per_minute, refused);
        window = now;
        refused = 0;
    }
    pthread_mutex_unlock(&lock);
    return false;
}

/* POST /feedback: checked and stored off the event loop (feedback_async()). */
static enum MHD_Result send_feedback(struct server *srv, const struct gen *g,
                                     struct MHD_Connection *c, const char *method, const char *url,
                                     struct upload *u)
{
    /* begin_request() gives every POST to a form an upload, empty or not. */
    if (!u)
        return send_reply(srv, c, method, url, HTTP_INTERNAL_SERVER_ERROR,
                          gen_fixed(g, url, R_INTERNAL));
    if (u->too_large)
        return send_reply(srv, c, method, url, HTTP_CONTENT_TOO_LARGE,
                          gen_fixed(g, url, R_TOO_LARGE));
    /* Without a store, say plainly that nothing was saved. */
    if (!srv->opt->store)
        return refuse_feedback(srv, g, c, method, url, u, HTTP_SERVICE_UNAVAILABLE);
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!http_media_type_is(type, "application/x-www-form-urlencoded"))
        return send_reply(srv, c, method, url, HTTP_UNSUPPORTED_MEDIA_TYPE,
                          gen_fixed(g, url, R_BAD_TYPE));
    if (!u->job && !answer_allowed(srv, c))
        return refuse_feedback(srv, g, c, method, url, u, HTTP_TOO_MANY_REQUESTS);
    return feedback_async(srv, g, c, method, url, u);
}

static enum MHD_Result send_site(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, bool form);

/* The class code in the address (?c=CODE), or NULL when there is none. */
static const char *query_code(struct MHD_Connection *c)
{
    const char *code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, WIRE_FIELD_CODE);
    return code && *code ? code : NULL;
}

/*
 * GET /feedback?c=CODE&part=PART: a part's form for a class; with neither, the site's own
 * page (which asks which part).
 */
static enum MHD_Result get_feedback(struct server *srv, const struct gen *g,
                                    struct MHD_Connection *c, const char *method, const char *url,
                                    struct upload *u)
{
    (void)u;
    const char *code = query_code(c);
    const char *part = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, WIRE_FIELD_PART);
    return code || (part && *part) ? send_feedback_form(srv, g, c, method, url, code, part)
                                   : send_site(srv, g, c, method, url, true);
}

/* GET /teach?c=CODE: the slides for a class; without a code, the site's own page. */
static enum MHD_Result get_teach(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, struct upload *u)
{
    (void)u;
    const char *code = query_code(c);
    return code ? send_teach(srv, g, c, method, url, code)
                : send_site(srv, g, c, method, url, false);
}

typedef enum MHD_Result route_fn(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, struct upload *u);

/*
 * The server's own addresses; every other address is the site's (a page, an asset, or the
 * 404 page). A route at /NAME takes NAME from the ids a package may use (RESERVED_PAGE_IDS
 * in base/reserved.h, beside the site's "index", "assets" and "teach"), but for a route that
 * shares its address with a package page (test_routes.c holds the table to this).
 */
struct route {
    const char *path;
    bool page;       /* the address is also a package page's: GET without a class code
                        goes to the site (POST /plan, /feedback?c=CODE) */
    bool under;      /* path ends in '/' and the route answers every address below it */
    bool form;       /* a POST body is a form, kept for the handler */
    bool lang;       /* answers in each language's folder too ("/cy/plan") */
    size_t body_max; /* the largest body taken; 0 for WEB_BODY_MAX */
    route_fn *any;   /* answers every method; or */
    route_fn *get;   /* GET and HEAD (NULL: the site's file) */
    route_fn *post;  /* POST (NULL: 405) */
};

static const struct route routes[] = {
    {.path = "/healthz", .any = send_healthz},
    {.path = "/plan", .page = true, .form = true, .lang = true, .post = send_plan},
    {.path = "/feedback",
     .page = true,
     .form = true,
     .lang = true,
     .body_max = FEEDBACK_READ_MAX,
     .get = get_feedback,
     .post = send_feedback},
    {.path = FEEDBACK_SENT_PATH, .lang = true, .get = get_feedback_sent},
    {.path = "/feedback/sheet", .lang = true, .get = get_feedback_sheet},
    {.path = "/teach", .lang = true, .get = get_teach},
    {.path = WEB_PROBLEMS_PATH, .get = get_problems},
    {.path = "/staff", .any = send_staff},
    {.path = "/staff/",
     .under = true,
     .form = true,
     .body_max = STAFF_WEB_BODY_MAX,
     .any = send_staff},
};

static const struct route *route_find(const char *url)
{
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const struct route *rt = &routes[i];
        if (rt->under ? strncmp(url, rt->path, strlen(rt->path)) == 0 : strcmp(url, rt->path) == 0)
            return rt;
    }
    return NULL;
}

bool route_name(size_t i, char *out, size_t size, bool *page)
{
    if (i >= sizeof(routes) / sizeof(routes[0]) || size == 0)
        return false;
    snprintf(out, size, "%s", routes[i].path + 1);
    *page = routes[i].page;
    return true;
}

/*
 * The route of url, also in a language's folder ("/cy/plan"), before the site is at hand:
 * for reading a request's body, where a folder that names no language of the site costs
 * no more than the 404 that follows.
 */
static const struct route *route_of_body(const char *url)
{
    const struct route *rt = route_find(url);
    if (rt || url[0] != '/')
        return rt;
    const char *slash = strchr(url + 1, '/');
    if (!slash || slash - url > WEB_LANG_MAX + 1)
        return NULL;
    rt = route_find(slash);
    return rt && rt->lang ? rt : NULL;
}

bool takes_form(const char *url)
{
    const struct route *rt = route_of_body(url);
    return rt && rt->form;
}

size_t route_body_max(const char *url)
{
    const struct route *rt = route_of_body(url);
    return rt && rt->body_max ? rt->body_max : WEB_BODY_MAX;
}

/*
 * The 404 page in the language of the address: the source language's is made once
 * (send_not_found()); another language's, which only an address in its folder gets, is
 * made for the response. A language's folder without its slash is sent on to the folder.
 */
static enum MHD_Result not_found(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url)
{
    /* A language's folder named without its slash ("/cy"): on to the folder itself. */
    char dir[WEB_LANG_MAX + 3];
    const char *rest;
    size_t n = strlen(url);
    if (n + 2 <= sizeof(dir) && snprintf(dir, sizeof(dir), "%s/", url) > 0 &&
        site_for_path(g->site, dir, &rest) != g->site && strcmp(rest, "/") == 0) {
        const struct header moved[] = {
            {MHD_HTTP_HEADER_LOCATION, dir},
            {MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_REVALIDATE},
            {NULL, NULL},
        };
        return send_made(srv, g, c, method, url, HTTP_PERMANENT_REDIRECT,
                         made_page_new(FEEDBACK_PAGE_MAX), moved);
    }
    const struct site *ls = lang_site(g, url);
    if (ls == g->site)
        return send_not_found(srv, g, c, method, url);
    struct buf *page = made_page_new(FEEDBACK_PAGE_MAX);
    if (site_render_message(ls, &(struct site_message){.status = HTTP_NOT_FOUND}, page) != 0) {
        made_page_free(page);
        return send_not_found(srv, g, c, method, url);
    }
    return send_made(srv, g, c, method, url, HTTP_NOT_FOUND, page, private_page);
}

/*
 * The site's file at url (GET and HEAD), or the 404 page; other methods get 405 where
 * there is something at the address (form: a route that takes a POST) and 404 elsewhere.
 */
static enum MHD_Result send_site(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                                 const char *method, const char *url, bool form)
{
    const struct site_file *f = site_route(g->site, url);
    const struct entry *e = f ? entry_for(g, f) : NULL;
    if (is_get(method))
        return e ? send_file(srv, c, method, url, e) : not_found(srv, g, c, method, url);
    if (form)
        return send_reply(srv, c, method, url, HTTP_METHOD_NOT_ALLOWED,
                          gen_fixed(g, url, R_METHOD_POST));
    if (e)
        return send_reply(srv, c, method, url, HTTP_METHOD_NOT_ALLOWED,
                          gen_fixed(g, url, R_METHOD_GET));
    return not_found(srv, g, c, method, url);
}

enum MHD_Result dispatch(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                         const char *url, const char *method, struct upload *u)
{
    const char *rest;
    const struct site *ls = site_for_path(g->site, url, &rest);
    const struct route *rt = route_find(rest);
    if (rt && ls != g->site && !rt->lang)
        rt = NULL; /* the server's own pages (staff, healthz) have no language folders */
    if (rt && rt->any)
        return rt->any(srv, g, c, method, url, u);
    if (rt && rt->post && strcmp(method, MHD_HTTP_METHOD_POST) == 0)
        return rt->post(srv, g, c, method, url, u);
    if (rt && rt->get && is_get(method))
        return rt->get(srv, g, c, method, url, u);
    return send_site(srv, g, c, method, url, rt && rt->form);
}
