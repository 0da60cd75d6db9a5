/*
 * Parsing the --listen address, opening the listening socket ourselves (so that a failure
 * names its real cause), and making room for the connections among open files.
 */
#include "web/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static int parse_port(const char *s, in_port_t *port)
{
    if (!*s || strlen(s) > 5)
        return -1;
    unsigned long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v > 65535)
        return -1;
    *port = htons((in_port_t)v);
    return 0;
}

int listen_parse(const char *s, struct sockaddr_storage *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof(*out));
    if (!s || !*s) {
        snprintf(err, err_len, "no address given; use ADDR:PORT, e.g. 127.0.0.1:8080");
        return -1;
    }
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        char host[INET6_ADDRSTRLEN];
        size_t n = close ? (size_t)(close - s - 1) : 0;
        if (!close || close[1] != ':' || n == 0 || n >= sizeof(host)) {
            snprintf(err, err_len, "'%s' is not [IPv6-ADDRESS]:PORT, e.g. [::1]:8080", s);
            return -1;
        }
        memcpy(host, s + 1, n);
        host[n] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
        a->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1) {
            snprintf(err, err_len, "'%s' is not an IPv6 address", host);
            return -1;
        }
        if (parse_port(close + 2, &a->sin6_port) != 0) {
            snprintf(err, err_len, "'%s' is not a port number (0-65535)", close + 2);
            return -1;
        }
        return 0;
    }
    const char *colon = strrchr(s, ':');
    if (!colon) {
        snprintf(err, err_len, "'%s' has no port; use ADDR:PORT, e.g. 127.0.0.1:8080", s);
        return -1;
    }
    size_t n = (size_t)(colon - s);
    if (memchr(s, ':', n)) {
        snprintf(err, err_len, "put an IPv6 address in brackets, e.g. [::1]:8080");
        return -1;
    }
    char host[INET_ADDRSTRLEN];
    struct sockaddr_in *a = (struct sockaddr_in *)out;
    a->sin_family = AF_INET;
    if (n == 0) {
        /* ":8080" means every IPv4 interface, as in most servers' configuration. */
        a->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (n == 9 && strncmp(s, "localhost", 9) == 0) {
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (n >= sizeof(host) ||
               (memcpy(host, s, n), host[n] = '\0', inet_pton(AF_INET, host, &a->sin_addr) != 1)) {
        snprintf(err, err_len, "'%.*s' is not an IPv4 address (a name is not looked up)",
                 (int)(n < 64 ? n : 64), s);
        return -1;
    }
    if (parse_port(colon + 1, &a->sin_port) != 0) {
        snprintf(err, err_len, "'%s' is not a port number (0-65535)", colon + 1);
        return -1;
    }
    return 0;
}

void listen_format(const struct sockaddr_storage *ss, char *out, size_t out_len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port;
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
        port = ntohs(a->sin6_port);
        snprintf(out, out_len, "[%s]:%u", host, port);
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
        port = ntohs(a->sin_port);
        snprintf(out, out_len, "%s:%u", host, port);
    }
}

int listen_open(const struct sockaddr_storage *ss, const char *text)
{
    bool v6 = ss->ss_family == AF_INET6;
    socklen_t len = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "planpack: cannot listen on %s: %s\n", text, strerror(errno));
        return -1;
    }
    int one = 1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (v6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SOMAXCONN) != 0) {
        int e = errno;
        fprintf(stderr, "planpack: cannot listen on %s: %s%s\n", text, strerror(e),
                e == EADDRINUSE ? " (is another server using this port? try another "
                                  "with --listen)"
                                : "");
        close(fd);
        return -1;
    }
    return fd;
}

unsigned listen_connection_limit(unsigned wanted)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return wanted;
    rlim_t need = (rlim_t)wanted + 64;
    if (rl.rlim_cur < need && rl.rlim_cur != RLIM_INFINITY) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
        return rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
    return wanted;
}

bool listen_public_url(const struct sockaddr_storage *ss, char *out, size_t n, bool *local)
{
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    unsigned port;
    bool wildcard, six = false;
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        port = ntohs(a->sin6_port);
        wildcard = IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr);
        if (!wildcard) {
            inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
            six = true;
        }
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        port = ntohs(a->sin_port);
        wildcard = a->sin_addr.s_addr == htonl(INADDR_ANY);
        if (!wildcard)
            inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
    }
    if (port == 0)
        return false;
    struct ifaddrs *list = NULL;
    if (wildcard && getifaddrs(&list) == 0) {
        for (struct ifaddrs *i = list; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
                (i->ifa_flags & IFF_LOOPBACK))
                continue;
            inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, host,
                      sizeof(host));
            break;
        }
        freeifaddrs(list);
    }
    snprintf(out, n, six ? "http://[%s]:%u/" : "http://%s:%u/", host, port);
    struct in6_addr a6;
    *local = six ? inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6)
                 : strncmp(host, "127.", 4) == 0;
    return true;
}
