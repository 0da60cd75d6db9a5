/*
 * The staff pages under /staff/: sign-in and sign-out, class codes, reports and their CSV
 * export, the comparison of two package versions, and focus-group notes. Only these pages
 * set a cookie. The server passes in what it read from the request and sends back what
 * this fills in; the store does the rest (web/staff*.c, staff/staff.h).
 *
 * School staff see and change only their own school's classes, reports and focus groups;
 * anything of another school answers 404, as if it did not exist. Evaluators (accounts
 * without a school) see every school.
 */
#ifndef PLANPACK_WEB_STAFF_H
#define PLANPACK_WEB_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "site/site.h"
#include "store/store.h"

/* The largest staff page (a report of many classes), and the largest query string read. */
#define STAFF_WEB_PAGE_MAX ((size_t)64 << 20)
#define STAFF_WEB_QUERY_MAX ((size_t)8 << 10)
/*
 * The largest staff form body. Focus-group notes and quotes may each have 10,000
 * characters; in the worst case each is 4 bytes of UTF-8 and each byte 3 once
 * percent-encoded, 240,000 bytes for the two, with room for the rest of the form.
 */
#define STAFF_WEB_BODY_MAX ((size_t)320 << 10)
/* The most fields a staff form may have: the coding page sends two for each of up to
 * STAFF_CODING_MAX comments and focus groups. */
#define STAFF_WEB_FIELDS_MAX 1024

struct staff_request {
    const char *method;
    const char *path;   /* "/staff/", "/staff/login", ... without the query string */
    const char *query;  /* the query string, form-encoded ("class=ABC&x=1"); "" when none */
    size_t query_len;   /* at most STAFF_WEB_QUERY_MAX */
    const char *cookie; /* the Cookie header, or NULL */
    const char *origin; /* the Origin header, or NULL */
    const char *host;   /* the Host header, or NULL */
    const char *body;   /* a POST's form body */
    size_t body_len;
    bool too_large;     /* the body was past STAFF_WEB_BODY_MAX, and dropped */
    const char *client; /* the client's address, only for in-memory throttling */
    bool behind_tls;
    struct staff_signin *signin; /* POST /staff/login in steps (staff_web_login_step()) */
    const struct site *site;     /* the site being served; its package is the one codes get */
};

struct staff_response {
    char set_cookie[160];     /* a Set-Cookie value, or "" */
    char location[256];       /* a redirect's target, or "" */
    char retry_after[16];     /* seconds, with 429; or "" */
    const char *content_type; /* a static string; NULL for an HTML page */
    char disposition[128];    /* a Content-Disposition value (downloads), or "" */
    /*
     * A download too large to hold in memory (the CSV export), in an unlinked temporary
     * file of file_size bytes: sent in place of the page, and closed by the server. -1: none.
     */
    int file_fd;
    unsigned long long file_size;
};

/* Handles one /staff request; returns the HTTP status and the page (or file) in page. */
unsigned staff_web_handle(struct store *st, const struct staff_request *rq,
                          struct staff_response *rs, struct buf *page);

/* One POST /staff/login on its way through staff_web_login_step(); zeroed to start. */
struct staff_signin {
    int step;
    bool begun; /* the throttle counts it as waiting */
    bool ended; /* its result has been recorded */
};

/* Whether a POST to path hashes a password (signing in, setting a new password). */
bool staff_web_hashes(const char *path);

/*
 * A POST that hashes a password (staff_web_hashes()), for a server that hashes (argon2id,
 * ~150 ms each) on threads of their own and never on those that serve pupils: each call
 * takes one step; a sign-in waits for its turn (throttling) first. It returns
 * 0 once the page is made, with its status in *status and rs filled in as by
 * staff_web_handle(); or the milliseconds to wait before calling again with the same si,
 * while the attempt waits for its turn (staff/staff.h: failures slow attempts down). now_ms
 * is a monotonic clock.
 */
long staff_web_login_step(struct store *st, const struct staff_request *rq, struct staff_signin *si,
                          long long now_ms, struct staff_response *rs, struct buf *page,
                          unsigned *status);

#endif
