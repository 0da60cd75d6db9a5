/*
 * The server's listening socket: the --listen address, the socket, and the open-file limit
 * that the connections need.
 */
#ifndef PLANPACK_LISTEN_H
#define PLANPACK_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * Parses "127.0.0.1:8080", "[::1]:8080" or ":8080" into a socket address. Returns 0, or -1
 * with a message in err (err_len bytes).
 * ":8080" means every IPv4 interface and "localhost" means 127.0.0.1; no other name is
 * looked up. Port 0 asks for a free port, which the ready line then names.
 */
__attribute__((warn_unused_result)) int listen_parse(const char *s, struct sockaddr_storage *out,
                                                     char *err, size_t err_len);

/* Writes an address as "127.0.0.1:8080" or "[::1]:8080". */
void listen_format(const struct sockaddr_storage *ss, char *out, size_t out_len);

/*
 * The address pupils' phones use when --public-url is not given: "http://ADDR:PORT/" for the
 * listen address ss, or for a wildcard address this machine's first network address, written
 * into out (n bytes). False with port 0, whose port is chosen only when the server starts.
 * *local says whether the address is this computer alone (loopback), which no phone can open.
 */
bool listen_public_url(const struct sockaddr_storage *ss, char *out, size_t n, bool *local);

/*
 * Opens a non-blocking listening socket on an address (text names it in messages). An IPv6
 * socket takes IPv6 only. Returns the descriptor, or -1 with the cause on stderr.
 */
int listen_open(const struct sockaddr_storage *ss, const char *text);

/*
 * Raises the open-file limit so that the connection limit, not the descriptor limit,
 * binds. Returns the number of connections that fit: wanted, or fewer when the system's
 * hard limit is lower.
 */
unsigned listen_connection_limit(unsigned wanted);

#endif
