/*
 * The staff pages under /staff/: sign-in, sign-out and the feedback report. Only these
 * pages set a cookie. The server passes in what it read from the request and sends back
 * what this fills in; the store does the rest (web/staff.c, staff/staff.h).
 */
#ifndef PLANPACK_WEB_STAFF_H
#define PLANPACK_WEB_STAFF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "site/site.h"
#include "store/store.h"

#define STAFF_WEB_PAGE_MAX ((size_t)16 << 20)

struct staff_request {
    const char *method;
    const char *path;   /* "/staff/", "/staff/login", ... */
    const char *cookie; /* the Cookie header, or NULL */
    const char *origin; /* the Origin header, or NULL */
    const char *host;   /* the Host header, or NULL */
    const char *body;   /* a POST's form body */
    size_t body_len;
    const char *client; /* the client's address, only for in-memory throttling */
    bool behind_tls;
    const struct site *site;
};

struct staff_response {
    char set_cookie[160]; /* a Set-Cookie value, or "" */
    const char *location; /* a redirect's target, or NULL */
    char retry_after[16]; /* seconds, with 429; or "" */
};

/* Handles one /staff request; returns the HTTP status and the page in page. */
unsigned staff_web_handle(struct store *st, const struct staff_request *rq,
                          struct staff_response *rs, struct buf *page);

#endif
