/*
 * The HTTP server: serves a rendered site from memory on libmicrohttpd. It knows nothing
 * of SQL or of the package format; it routes requests to the site and to form handlers.
 */
#ifndef PLANPACK_SERVER_H
#define PLANPACK_SERVER_H

#include <stdbool.h>

#include "site/site.h"

struct store;

/*
 * What a reload produced (see web_options.reload): a new site, or the problems that kept one
 * from being made. Then the server goes on serving the last site that worked, and shows the
 * problems to authors at /_problems, only to requests from this computer.
 */
struct web_reload {
    const struct site *site; /* the new site, or NULL when the package has problems */
    void *owner;             /* holds the site; given back to release() once no request uses it */
    char *problems; /* when site is NULL: one problem a line (malloc'd; the server frees) */
};

struct web_options {
    const char *listen; /* "ADDR:PORT" or "[v6]:PORT"; default 127.0.0.1:8080 */
    bool quiet;         /* no access log */
    /*
     * A TLS proxy is in front: every response carries Strict-Transport-Security, and
     * cookies are marked Secure. Only the proxy can know, so it is the operator's word.
     */
    bool behind_tls;
    /*
     * The address of the proxy in front (an IP address), whose X-Real-IP header names each
     * client for the sign-in throttle; NULL: with behind_tls, a proxy on this machine
     * (127.0.0.1 or ::1), else none. The header from any other peer is ignored.
     */
    const char *trusted_proxy;
    /*
     * Limits; 0 means the default (1024 connections; 256 per client address, but at most a
     * quarter of the connections and at least 8; 15 s).
     */
    unsigned max_connections;
    unsigned max_per_client;  /* behind a proxy every client has the proxy's address */
    unsigned timeout_seconds; /* silence after which a connection is closed, and the time in
                                 which a request's headers and body must all arrive */
    unsigned threads;         /* threads answering requests; 0: one for each CPU core */
    /*
     * Answers (POST /feedback) one client address may send a minute, with as many at once;
     * 0: no limit. The address is the trusted proxy's X-Real-IP, as for sign-ins.
     */
    unsigned answers_per_minute;
    /*
     * Reloading, for --watch. When reload is set, web_serve() is given no site: it calls
     * reload() once at start and again each time files under watch_dir (if set) change and
     * then settle. Requests that began on the old site finish on it; the server calls
     * release(ctx, owner) for each site when its last request has ended, from any thread.
     * When the first reload gives no site, web_serve() returns -1 at once.
     */
    const char *watch_dir;
    void (*reload)(void *ctx, struct web_reload *out);
    void (*release)(void *ctx, void *owner);
    void *ctx;
    /*
     * The feedback store (store/store.h) for POST /feedback, or NULL: then feedback is
     * answered with a page saying it is not set up. Borrowed; the server never sees SQL.
     */
    struct store *store;
};

/*
 * Serves site until SIGINT or SIGTERM, then lets requests in flight finish and returns 0.
 * Both signals stay blocked in the calling thread afterwards, so that one more during the
 * shutdown does not cut the process short.
 * Returns -1 (message on stderr) when the address cannot be bound. The site is borrowed;
 * it is NULL when opt->reload provides the sites instead.
 */
__attribute__((warn_unused_result)) int web_serve(const struct site *site,
                                                  const struct web_options *opt);

#endif
