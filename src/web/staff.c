/*
 * The staff pages: sign-in, sign-out, the home page and the routing of every other page
 * (web/staff_classes.c, staff_report.c, staff_focus.c). Every page but the sign-in form
 * needs a session; without one the answer is a redirect to the sign-in form. Every POST
 * must come from a page of this server (its Origin header names this host) and every form
 * but sign-in carries the session's CSRF token; a refused POST changes nothing. The session
 * cookie is HttpOnly, SameSite=Strict, Path=/ and Secure under the __Host- prefix.
 */
#include "web/staff_web.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/form.h"
#include "staff/staff.h"
#include "web/page.h"
#include "web/staff_pages.h"
#include "web/status.h"

#define LOGIN_PATH "/staff/login"
#define HOME_PATH "/staff/"

/* Failed sign-ins per client address and name, kept in memory only (hashed; see staff.h). */
static struct staff_throttle throttle;
static pthread_once_t throttle_once = PTHREAD_ONCE_INIT;

static void throttle_init(void)
{
    staff_throttle_init(&throttle);
}

/*
 * Opens a staff page in the one frame of web/page.c; header (may be NULL) writes the bar of
 * a signed-in page before its <main>.
 */
static void frame_open(const struct site *site, const char *title,
                       void (*header)(struct buf *b, const void *ctx), const void *ctx,
                       struct buf *page)
{
    const struct web_page wp = {.site = site,
                                .title = title,
                                .title_tail = " – planpack staff",
                                .body_class = "staff",
                                .staff = true,
                                .header = header,
                                .header_ctx = ctx};
    web_page_open(page, &wp);
}

/* A page for a visitor not signed in (sign-in, refusals). */
static void page_open(const struct site *site, const char *title, struct buf *page)
{
    frame_open(site, title, NULL, NULL, page);
}

static void page_close(struct buf *page)
{
    web_page_close(page);
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

static unsigned redirect(const struct site *site, struct staff_response *rs, const char *to,
                         struct buf *page)
{
    snprintf(rs->location, sizeof(rs->location), "%s", to);
    page_open(site, "See other", page);
    buf_adds(page, "<p><a href=\"");
    buf_adds_html(page, rs->location);
    buf_adds(page, "\">Continue</a></p>\n");
    page_close(page);
    return HTTP_SEE_OTHER;
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

/*
 * The cookie is Secure even without TLS: browsers refuse a __Host- cookie that is not, and
 * they accept a Secure one from http://localhost and http://127.0.0.1. So the staff pages
 * work on this machine and over HTTPS; over plain HTTP to any other address a browser keeps
 * no session, and sign-in there fails rather than working without transport security.
 */
static void set_cookie(struct staff_response *rs, const char *token, bool end)
{
    snprintf(rs->set_cookie, sizeof(rs->set_cookie),
             STAFF_COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict; Secure%s", token,
             end ? "; Max-Age=0" : "");
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned do_login(struct store *st, const struct staff_request *rq,
                         struct staff_response *rs, const struct form *f, struct buf *page)
{
    const char *name = form_get(f, "name");
    const char *password = form_get(f, "password");
    if (!name || !password)
        return login_page(rq->site, HTTP_BAD_REQUEST, "Please give your name and password.", page);
    struct staff_login login;
    enum staff_login_result r =
        staff_login(st, name, password, strlen(password), store_now(st), &login);
    if (rq->signin && rq->signin->begun && !rq->signin->ended) {
        pthread_once(&throttle_once, throttle_init);
        staff_throttle_end(&throttle, name, rq->client, r, mono_ms());
        rq->signin->ended = true;
    }
    unsigned status;
    switch (r) {
    case STAFF_LOGIN_OK:
        set_cookie(rs, login.token, false);
        status = redirect(rq->site, rs, HOME_PATH, page);
        break;
    case STAFF_LOGIN_BAD:
        status =
            login_page(rq->site, HTTP_UNAUTHORIZED, "That name and password do not match.", page);
        break;
    default:
        status = message_page(rq->site, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                              "The feedback store failed. Please try again.", page);
        break;
    }
    explicit_bzero(&login, sizeof(login));
    return status;
}

/* ---- the frame and rules every signed-in page shares (staff_pages.h) ---- */

/* The bar of a signed-in page: the staff pages, and the sign-out form. */
static void staff_bar(struct buf *b, const void *ctx)
{
    struct staff_page *p = (struct staff_page *)ctx;
    buf_adds(b, "<header class=\"staff-bar\">\n<nav aria-label=\"Staff pages\">\n<ul>\n"
                "<li><a href=\"" HOME_PATH "\">Home</a></li>\n"
                "<li><a href=\"/staff/classes\">Classes</a></li>\n"
                "<li><a href=\"/staff/comments\">Comments</a></li>\n"
                "<li><a href=\"/staff/report\">Reports</a></li>\n"
                "<li><a href=\"/staff/compare\">Compare versions</a></li>\n"
                "<li><a href=\"/staff/focus-groups\">Focus groups</a></li>\n"
                "<li><a href=\"/staff/coding\">Coding</a></li>\n"
                "<li><a href=\"/staff/accounts\">Accounts</a></li>\n</ul>\n</nav>\n"
                "<form method=\"post\" action=\"/staff/logout\"><p>Signed in as ");
    buf_addf_html(b, "%s. ", p->sess->staff_name);
    staff_page_csrf(p);
    buf_adds(b, "<button type=\"submit\">Sign out</button></p></form>\n</header>\n");
}

void staff_page_open(struct staff_page *p, const char *title)
{
    frame_open(p->rq->site, title, staff_bar, p, p->out);
}

void staff_page_close(struct staff_page *p)
{
    page_close(p->out);
}

unsigned staff_page_message(struct staff_page *p, unsigned status, const char *title,
                            const char *message)
{
    buf_reset(p->out);
    p->rs->content_type = NULL;
    p->rs->disposition[0] = '\0';
    if (p->rs->file_fd >= 0)
        close(p->rs->file_fd);
    p->rs->file_fd = -1;
    staff_page_open(p, title);
    buf_adds(p->out, "<p>");
    buf_adds_html(p->out, message);
    buf_adds(p->out, "</p>\n");
    staff_page_close(p);
    return status;
}

unsigned staff_page_not_found(struct staff_page *p)
{
    return staff_page_message(p, HTTP_NOT_FOUND, "Not found",
                              "There is no such page, class, school or focus group here.");
}

unsigned staff_page_redirect(struct staff_page *p, const char *fmt, ...)
{
    char to[sizeof(p->rs->location)];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(to, sizeof(to), fmt, ap);
    va_end(ap);
    /* A cut-off address would lead somewhere else: go to the home page instead. */
    if (n < 0 || (size_t)n >= sizeof(to))
        snprintf(to, sizeof(to), "%s", HOME_PATH);
    buf_reset(p->out);
    return redirect(p->rq->site, p->rs, to, p->out);
}

void staff_page_csrf(struct staff_page *p)
{
    buf_adds(p->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
    buf_adds_html(p->out, p->sess->csrf);
    buf_adds(p->out, "\">");
}

void staff_page_error(struct staff_page *p, const char *message)
{
    buf_adds(p->out, "<p class=\"error\" role=\"alert\">");
    buf_adds_html(p->out, message);
    buf_adds(p->out, "</p>\n");
}

bool staff_sees_school(const struct staff_page *p, const char *school)
{
    if (!p->sess->school)
        return true;
    return school && strcmp(school, p->sess->school) == 0;
}

int staff_visible_cohorts(struct staff_page *p, struct store_cohort **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    struct store_cohort *all;
    size_t n;
    int rc = store_cohorts(p->st, p->a, &all, &n);
    if (rc != STORE_OK)
        return rc;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (staff_sees_school(p, all[i].school))
            all[kept++] = all[i];
    *out = all;
    *count = kept;
    return STORE_OK;
}

int staff_visible_cohort(struct staff_page *p, const char *code, struct store_cohort *out)
{
    char norm[WIRE_CODE_LEN + 1];
    memset(out, 0, sizeof(*out));
    if (!code || wire_code_normalise(code, norm) != 0)
        return STORE_ERR_NOT_FOUND;
    int rc = store_cohort_get(p->st, norm, p->a, out);
    if (rc == STORE_OK && !staff_sees_school(p, out->school)) {
        memset(out, 0, sizeof(*out));
        return STORE_ERR_NOT_FOUND;
    }
    return rc;
}

/* ---- the home page ---- */

static unsigned home_page(struct staff_page *p)
{
    struct buf *b = p->out;
    staff_page_open(p, "Staff pages");
    buf_addf_html(b, "<p>You are signed in as %s", p->sess->staff_name);
    if (p->sess->school) {
        buf_addf_html(b, ", staff of %s. You see that school's classes only.</p>\n",
                      p->sess->school);
    } else {
        buf_adds(b, ", an evaluator: you see all schools.</p>\n");
    }
    staff_flags_home(p);
    buf_adds(b, "<ul class=\"staff-links\">\n"
                "<li><a href=\"/staff/classes\">Classes</a>: make a feedback code for a class, "
                "close or reopen one.</li>\n"
                "<li><a href=\"/staff/sheets\">Paper answer sheets</a>: print them for a "
                "class without devices, and type them in afterwards.</li>\n"
                "<li><a href=\"/staff/comments\">Comments to read first</a>: pupils' comments "
                "that may be a disclosure or a cry for help.</li>\n"
                "<li><a href=\"/staff/report\">Reports</a>: pupils' anonymous feedback by "
                "class, school and package version, and the CSV export.</li>\n"
                "<li><a href=\"/staff/compare\">Compare versions</a>: two package versions side "
                "by side, with what changed between them.</li>\n"
                "<li><a href=\"/staff/focus-groups\">Focus groups</a>: record one, and read the "
                "notes by theme.</li>\n"
                "<li><a href=\"/staff/coding\">Coding</a>: give pupils' comments and focus "
                "groups themes from the <a href=\"/staff/themes\">list of themes</a>, and the "
                "page they are about.</li>\n"
                "<li><a href=\"/staff/accounts\">Accounts</a>: change a password; evaluators "
                "also sign accounts out and remove them.</li>\n</ul>\n");
    staff_page_close(p);
    return HTTP_OK;
}

/* ---- routing ---- */

/* The signed-in routes: method, path, handler. */
static const struct route {
    bool post;
    const char *path;
    unsigned (*fn)(struct staff_page *p);
} routes[] = {
    {false, "/staff", home_page},
    {false, HOME_PATH, home_page},
    {false, "/staff/classes", staff_classes_get},
    {true, "/staff/classes", staff_classes_create},
    {true, "/staff/classes/open", staff_classes_set_open},
    {false, "/staff/report", staff_report_get},
    {false, "/staff/report.csv", staff_report_data},
    {false, "/staff/report.txt", staff_report_data},
    {false, "/staff/report.sav", staff_report_data},
    {false, "/staff/report.dta", staff_report_data},
    {false, "/staff/report/chart", staff_report_chart},
    {false, "/staff/report/pilot", staff_pilot_get},
    {false, "/staff/compare", staff_compare_get},
    {false, "/staff/comments", staff_flags_get},
    {false, "/staff/focus-groups", staff_focus_get},
    {true, "/staff/focus-groups", staff_focus_post},
    {false, "/staff/focus-groups/edit", staff_focus_edit_get},
    {true, "/staff/focus-groups/edit", staff_focus_edit_post},
    {true, "/staff/focus-groups/delete", staff_focus_delete},
    {false, "/staff/themes", staff_themes_get},
    {true, "/staff/themes", staff_themes_add},
    {true, "/staff/themes/edit", staff_themes_edit},
    {false, "/staff/coding", staff_coding_get},
    {true, "/staff/coding", staff_coding_post},
    {false, "/staff/sheets", staff_sheets_get},
    {true, "/staff/sheets", staff_sheets_post},
    {false, "/staff/accounts", staff_accounts_get},
    {true, "/staff/accounts/passwd", staff_accounts_passwd},
    {true, "/staff/accounts/end", staff_accounts_end},
    {true, "/staff/accounts/remove", staff_accounts_remove},
};

static unsigned signed_in(struct staff_page *p, bool post, const char *token)
{
    if (post && strcmp(p->rq->path, "/staff/logout") == 0) {
        if (staff_logout(p->st, token) != STORE_OK)
            return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                      "Signing out failed. Please try again.");
        set_cookie(p->rs, "", true);
        return redirect(p->rq->site, p->rs, LOGIN_PATH, p->out);
    }
    bool known = false;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (strcmp(routes[i].path, p->rq->path) != 0)
            continue;
        known = true;
        if (routes[i].post == post)
            return routes[i].fn(p);
    }
    if (known)
        return staff_page_message(p, HTTP_METHOD_NOT_ALLOWED, "Not allowed",
                                  post ? "This page takes no form." : "Use the page's form.");
    return staff_page_not_found(p);
}

unsigned staff_web_handle(struct store *st, const struct staff_request *rq,
                          struct staff_response *rs, struct buf *page)
{
    memset(rs, 0, sizeof(*rs));
    rs->file_fd = -1;
    unsigned status;
    struct arena a = ARENA_INIT;
    bool post = strcmp(rq->method, "POST") == 0;
    bool get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    struct form body = {NULL, 0}, query = {NULL, 0};
    char token[STAFF_TOKEN_SIZE] = "";
    if (!st) {
        status = message_page(rq->site, HTTP_SERVICE_UNAVAILABLE, "Staff pages are off",
                              "This server has no feedback store.", page);
        goto out;
    }
    if (!post && !get) {
        status = message_page(rq->site, HTTP_METHOD_NOT_ALLOWED, "Not allowed", "Use GET or POST.",
                              page);
        goto out;
    }
    if (post) {
        if (rq->too_large) {
            status = message_page(rq->site, HTTP_CONTENT_TOO_LARGE, "Too much to send",
                                  "This form was longer than the staff pages take (320 KiB) "
                                  "and nothing of it was kept. Use your browser's Back button: "
                                  "what you typed is still in the form. Shorten it and try "
                                  "again.",
                                  page);
            goto out;
        }
        if (!origin_ok(rq)) {
            status = message_page(rq->site, HTTP_FORBIDDEN, "Refused",
                                  "This form was not sent from this site's own pages.", page);
            goto out;
        }
        if (form_decode_fields(rq->body ? rq->body : "", rq->body_len, STAFF_WEB_BODY_MAX,
                               STAFF_WEB_FIELDS_MAX, &a, &body) != FORM_OK) {
            status = message_page(rq->site, HTTP_BAD_REQUEST, "Bad form",
                                  "The form could not be read.", page);
            goto out;
        }
    }
    if (strcmp(rq->path, LOGIN_PATH) == 0) {
        status =
            post ? do_login(st, rq, rs, &body, page) : login_page(rq->site, HTTP_OK, NULL, page);
        goto out;
    }
    struct store_session sess;
    if (!cookie_token(rq->cookie, token) ||
        staff_session_check(st, token, store_now(st), &a, &sess) != STORE_OK) {
        status = redirect(rq->site, rs, LOGIN_PATH, page);
        goto out;
    }
    if (post && !staff_csrf_ok(&sess, form_get(&body, "csrf"))) {
        status =
            message_page(rq->site, HTTP_FORBIDDEN, "Refused",
                         "This form has expired. Go back, reload the page and try again.", page);
        goto out;
    }
    if (form_decode(rq->query ? rq->query : "", rq->query_len, STAFF_WEB_QUERY_MAX, &a, &query) !=
        FORM_OK) {
        status = message_page(rq->site, HTTP_BAD_REQUEST, "Bad address",
                              "The address of this page could not be read.", page);
        goto out;
    }
    struct staff_page p = {
        .st = st,
        .rq = rq,
        .rs = rs,
        .sess = &sess,
        .query = &query,
        .body = &body,
        .a = &a,
        .out = page,
    };
    status = signed_in(&p, post, token);
out:
    explicit_bzero(token, sizeof(token));
    arena_release(&a);
    return status;
}

bool staff_web_hashes(const char *path)
{
    return strcmp(path, LOGIN_PATH) == 0 || strcmp(path, "/staff/accounts/passwd") == 0;
}

long staff_web_login_step(struct store *st, const struct staff_request *rq, struct staff_signin *si,
                          long long now_ms, struct staff_response *rs, struct buf *page,
                          unsigned *status)
{
    pthread_once(&throttle_once, throttle_init);
    if (si->step == 0 && st && strcmp(rq->path, LOGIN_PATH) == 0) {
        si->step = 1;
        struct arena a = ARENA_INIT;
        struct form f = {NULL, 0};
        const char *name = NULL;
        if (form_decode(rq->body ? rq->body : "", rq->body_len, STAFF_WEB_BODY_MAX, &a, &f) ==
            FORM_OK)
            name = form_get(&f, "name");
        int wait = 0;
        int rc = staff_throttle_begin(&throttle, st, name, rq->client, now_ms, &wait);
        arena_release(&a);
        if (rc != 0) {
            memset(rs, 0, sizeof(*rs));
            rs->file_fd = -1;
            snprintf(rs->retry_after, sizeof(rs->retry_after), "%d", 5);
            *status = login_page(rq->site, HTTP_TOO_MANY_REQUESTS,
                                 "Too many sign-ins from your network are waiting. Please try "
                                 "again in a minute.",
                                 page);
            return 0;
        }
        si->begun = true;
        if (wait > 0)
            return wait;
    }
    if (si->step == 1 && si->begun) {
        int wait = staff_throttle_slot(&throttle, now_ms);
        if (wait > 0)
            return wait;
    }
    si->step = 2;
    struct staff_request r = *rq;
    r.signin = si;
    *status = staff_web_handle(st, &r, rs, page);
    if (si->begun && !si->ended) {
        staff_throttle_cancel(&throttle, rq->client, now_ms);
        si->ended = true;
    }
    return 0;
}
