/*
 * The HTTP server: serves a rendered site from memory on libmicrohttpd. It knows nothing
 * of SQL or of the package format; it routes requests to the site and to form handlers.
 */
#ifndef PLANPACK_SERVER_H
#define PLANPACK_SERVER_H

#include <stdbool.h>

#include "site/site.h"

struct web_options {
    const char *listen; /* "ADDR:PORT" or "[v6]:PORT"; default 127.0.0.1:8080 */
    bool quiet;         /* no access log */
    /* Limits; 0 means the default (1024 connections, 256 per client address, 15 s). */
    unsigned max_connections;
    unsigned max_per_client;  /* behind a proxy every client has the proxy's address */
    unsigned timeout_seconds; /* silence after which a connection is closed */
};

/*
 * Parses "127.0.0.1:8080", "[::1]:8080" or ":8080" into a socket address. Returns 0, or -1
 * with a message in err (err_len bytes).
 * ":8080" means every IPv4 interface and "localhost" means 127.0.0.1; no other name is
 * looked up. Port 0 asks for a free port, which the ready line then names.
 */
struct sockaddr_storage;
__attribute__((warn_unused_result)) int web_parse_listen(const char *s, struct sockaddr_storage *out,
                                                         char *err, size_t err_len);

/*
 * Serves site until SIGINT or SIGTERM, then lets requests in flight finish and returns 0.
 * Returns -1 (message on stderr) when the address cannot be bound. The site is borrowed.
 */
__attribute__((warn_unused_result)) int web_serve(const struct site *site,
                                                  const struct web_options *opt);

#endif
