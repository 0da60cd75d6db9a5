/*
 * The server's listening socket: the --listen address, the socket, and the open-file limit
 * that the connections need.
 */
#ifndef PLANPACK_LISTEN_H
#define PLANPACK_LISTEN_H

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
