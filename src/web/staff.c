/*
 * The staff pages. Every page but the sign-in form needs a session; without one the answer
 * is a redirect to the sign-in form. Every POST must come from a page of this server (its
 * Origin header names this host) and every form but sign-in carries the session's CSRF
 * token. The session cookie is HttpOnly, SameSite=Strict and Path=/ under the __Host-
 * prefix, and Secure behind TLS. The report is the k-anonymous one of src/report.
 */
#include "web/staff_web.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/form.h"
#include "report/report.h"
#include "staff/staff.h"

#define S_OK 200u
#define S_SEE_OTHER 303u
#define S_BAD_REQUEST 400u
#define S_UNAUTHORIZED 401u
#define S_FORBIDDEN 403u
#define S_NOT_FOUND 404u
#define S_METHOD 405u
#define S_TOO_MANY 429u
#define S_INTERNAL 500u

#define LOGIN_PATH "/staff/login"
#define HOME_PATH "/staff/"

/* Failed sign-ins per client address, kept in memory only (hashed; see staff.h). */
static struct staff_clients clients;
static pthread_once_t clients_once = PTHREAD_ONCE_INIT;

static void clients_init(void)
{
    staff_clients_init(&clients);
}

static void page_open(const struct site *site, const char *title, struct buf *page)
{
    const char *css = site ? site_asset_path(site, "style.css") : NULL;
    buf_adds(page, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"robots\" content=\"noindex\">\n<title>");
    buf_adds_html(page, title);
    buf_adds(page, "</title>\n");
    if (css) {
        buf_adds(page, "<link rel=\"stylesheet\" href=\"/");
        buf_adds_html(page, css);
        buf_adds(page, "\">\n");
    }
    buf_adds(page, "</head>\n<body>\n<main id=\"main\">\n<h1>");
    buf_adds_html(page, title);
    buf_adds(page, "</h1>\n");
}

static void page_close(struct buf *page)
{
    buf_adds(page, "</main>\n</body>\n</html>\n");
}

static unsigned login_page(const struct site *site, unsigned status, const char *message,
                           struct buf *page)
{
    page_open(site, "Staff sign-in", page);
    if (message) {
        buf_adds(page, "<p class=\"error\" role=\"alert\">");
        buf_adds_html(page, message);
        buf_adds(page, "</p>\n");
    }
    buf_adds(page, "<form method=\"post\" action=\"" LOGIN_PATH "\">\n"
                   "<div class=\"field\"><label for=\"s-name\">Name</label>\n"
                   "<input id=\"s-name\" name=\"name\" autocomplete=\"username\" required "
                   "autocapitalize=\"none\" spellcheck=\"false\"></div>\n"
                   "<div class=\"field\"><label for=\"s-password\">Password</label>\n"
                   "<input id=\"s-password\" name=\"password\" type=\"password\" "
                   "autocomplete=\"current-password\" required></div>\n"
                   "<p><button type=\"submit\">Sign in</button></p>\n</form>\n");
    page_close(page);
    return status;
}

static unsigned message_page(const struct site *site, unsigned status, const char *title,
                             const char *message, struct buf *page)
{
    page_open(site, title, page);
    buf_adds(page, "<p>");
    buf_adds_html(page, message);
    buf_adds(page, "</p>\n");
    page_close(page);
    return status;
}

static unsigned redirect(struct staff_response *rs, const char *to, struct buf *page)
{
    rs->location = to;
    buf_adds(page, "<!doctype html>\n<title>See other</title>\n<a href=\"");
    buf_adds(page, to);
    buf_adds(page, "\">Continue</a>\n");
    return S_SEE_OTHER;
}

/* The value of the session cookie in a Cookie header, copied into out; false if none. */
static bool cookie_token(const char *header, char out[STAFF_TOKEN_SIZE])
{
    static const char name[] = STAFF_COOKIE_NAME "=";
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        size_t n = strcspn(p, ";");
        if (n > sizeof(name) - 1 && strncmp(p, name, sizeof(name) - 1) == 0) {
            size_t v = n - (sizeof(name) - 1);
            if (v >= STAFF_TOKEN_SIZE)
                return false;
            memcpy(out, p + sizeof(name) - 1, v);
            out[v] = '\0';
            return true;
        }
        p += n;
    }
    return false;
}

/* Whether a POST came from a page of this server: its Origin is this scheme and host. */
static bool origin_ok(const struct staff_request *rq)
{
    if (!rq->origin || !rq->host)
        return false;
    const char *scheme = rq->behind_tls ? "https://" : "http://";
    size_t sl = strlen(scheme);
    return strncmp(rq->origin, scheme, sl) == 0 && strcmp(rq->origin + sl, rq->host) == 0;
}

static void set_cookie(struct staff_response *rs, const struct staff_request *rq, const char *token,
                       bool end)
{
    snprintf(rs->set_cookie, sizeof(rs->set_cookie),
             STAFF_COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict%s%s", token,
             end ? "; Max-Age=0" : "", rq->behind_tls ? "; Secure" : "");
}

static unsigned do_login(struct store *st, const struct staff_request *rq,
                         struct staff_response *rs, const struct form *f, struct buf *page)
{
    pthread_once(&clients_once, clients_init);
    time_t now = store_now(st);
    int wait = 0;
    if (!staff_client_allowed(&clients, rq->client, now, &wait)) {
        snprintf(rs->retry_after, sizeof(rs->retry_after), "%d", wait > 0 ? wait : 1);
        return login_page(rq->site, S_TOO_MANY,
                          "Too many failed sign-ins. Please wait a while and try again.", page);
    }
    const char *name = form_get(f, "name");
    const char *password = form_get(f, "password");
    if (!name || !password)
        return login_page(rq->site, S_BAD_REQUEST, "Please give your name and password.", page);
    struct staff_login login;
    enum staff_login_result r = staff_login(st, name, password, strlen(password), now, &login);
    staff_client_result(&clients, rq->client, r == STAFF_LOGIN_OK, now);
    unsigned status;
    switch (r) {
    case STAFF_LOGIN_OK:
        set_cookie(rs, rq, login.token, false);
        status = redirect(rs, HOME_PATH, page);
        break;
    case STAFF_LOGIN_THROTTLED:
        snprintf(rs->retry_after, sizeof(rs->retry_after), "%d",
                 login.retry_after > 0 ? login.retry_after : 1);
        status = login_page(rq->site, S_TOO_MANY,
                            "Too many failed sign-ins. Please wait a while and try again.", page);
        break;
    case STAFF_LOGIN_BAD:
        status = login_page(rq->site, S_UNAUTHORIZED, "That name and password do not match.", page);
        break;
    default:
        status = message_page(rq->site, S_INTERNAL, "Something went wrong",
                              "The feedback store failed. Please try again.", page);
        break;
    }
    explicit_bzero(&login, sizeof(login));
    return status;
}

static unsigned home_page(struct store *st, const struct staff_request *rq,
                          const struct store_session *sess, struct buf *page)
{
    struct report_options opt = {.html_fragment = true, .source = "this server's store"};
    struct report *r = NULL;
    char err[256];
    if (report_build(st, &opt, &r, err, sizeof(err)) != 0)
        return message_page(rq->site, S_INTERNAL, "Something went wrong", err, page);
    page_open(rq->site, "Feedback report", page);
    buf_adds(page, "<form method=\"post\" action=\"/staff/logout\"><p>Signed in as ");
    buf_adds_html(page, sess->staff_name);
    buf_adds(page, ". <input type=\"hidden\" name=\"csrf\" value=\"");
    buf_adds_html(page, sess->csrf);
    buf_adds(page, "\"><button type=\"submit\">Sign out</button></p></form>\n");
    struct report_sink sink = {report_sink_buf, page};
    int rc = report_write(r, REPORT_HTML, &sink);
    report_free(r);
    if (rc != 0) {
        buf_reset(page);
        return message_page(rq->site, S_INTERNAL, "Something went wrong",
                            "The report could not be written.", page);
    }
    page_close(page);
    return S_OK;
}

unsigned staff_web_handle(struct store *st, const struct staff_request *rq,
                          struct staff_response *rs, struct buf *page)
{
    memset(rs, 0, sizeof(*rs));
    unsigned status;
    struct arena a = ARENA_INIT;
    bool post = strcmp(rq->method, "POST") == 0;
    bool get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    struct form f = {NULL, 0};
    if (!st) {
        status = message_page(rq->site, 503u, "Staff pages are off",
                              "This server has no feedback store.", page);
        goto out;
    }
    if (!post && !get) {
        status = message_page(rq->site, S_METHOD, "Not allowed", "Use GET or POST.", page);
        goto out;
    }
    if (post) {
        if (!origin_ok(rq)) {
            status = message_page(rq->site, S_FORBIDDEN, "Refused",
                                  "This form was not sent from this site's own pages.", page);
            goto out;
        }
        if (form_decode(rq->body ? rq->body : "", rq->body_len, 16 * 1024, &a, &f) != FORM_OK) {
            status = message_page(rq->site, S_BAD_REQUEST, "Bad form",
                                  "The form could not be read.", page);
            goto out;
        }
    }
    if (strcmp(rq->path, LOGIN_PATH) == 0) {
        status = post ? do_login(st, rq, rs, &f, page) : login_page(rq->site, S_OK, NULL, page);
        goto out;
    }
    char token[STAFF_TOKEN_SIZE];
    struct store_session sess;
    if (!cookie_token(rq->cookie, token) ||
        staff_session_check(st, token, store_now(st), &a, &sess) != STORE_OK) {
        status = redirect(rs, LOGIN_PATH, page);
        goto out;
    }
    if (post && !staff_csrf_ok(&sess, form_get(&f, "csrf"))) {
        status =
            message_page(rq->site, S_FORBIDDEN, "Refused",
                         "This form has expired. Go back, reload the page and try again.", page);
        goto out;
    }
    if (post && strcmp(rq->path, "/staff/logout") == 0) {
        if (staff_logout(st, token) != STORE_OK) {
            status = message_page(rq->site, S_INTERNAL, "Something went wrong",
                                  "Signing out failed. Please try again.", page);
            goto out;
        }
        set_cookie(rs, rq, "", true);
        status = redirect(rs, LOGIN_PATH, page);
    } else if (get && (strcmp(rq->path, HOME_PATH) == 0 || strcmp(rq->path, "/staff") == 0)) {
        status = home_page(st, rq, &sess, page);
    } else {
        status = message_page(rq->site, S_NOT_FOUND, "Not found", "There is no such page.", page);
    }
    explicit_bzero(token, sizeof(token));
out:
    arena_release(&a);
    return status;
}
