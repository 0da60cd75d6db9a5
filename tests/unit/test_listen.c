/*
 * The --listen address: IPv4 and bracketed IPv6 with a port, ":PORT" for every IPv4
 * interface, "localhost" and no other name, and a clear message for everything else. Each
 * good address is written back as the server's ready line shows it.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "web/listen.h"

static void test_good_addresses(void **state)
{
    (void)state;
    const struct {
        const char *in;
        const char *shown;
    } cases[] = {
        {"127.0.0.1:8080", "127.0.0.1:8080"},
        {"0.0.0.0:80", "0.0.0.0:80"},
        {":8080", "0.0.0.0:8080"},
        {"localhost:9000", "127.0.0.1:9000"},
        {"127.0.0.1:0", "127.0.0.1:0"},
        {"10.1.2.3:65535", "10.1.2.3:65535"},
        {"[::1]:8080", "[::1]:8080"},
        {"[::]:443", "[::]:443"},
        {"[2001:db8::5]:8443", "[2001:db8::5]:8443"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sockaddr_storage ss;
        char err[256] = "", shown[64];
        if (listen_parse(cases[i].in, &ss, err, sizeof(err)) != 0)
            fail_msg("%s refused: %s", cases[i].in, err);
        listen_format(&ss, shown, sizeof(shown));
        assert_string_equal(shown, cases[i].shown);
    }
    struct sockaddr_storage ss;
    char err[256];
    assert_int_equal(listen_parse("[::1]:8080", &ss, err, sizeof(err)), 0);
    assert_int_equal(ss.ss_family, AF_INET6);
    assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 8080);
    assert_int_equal(listen_parse("127.0.0.1:8080", &ss, err, sizeof(err)), 0);
    assert_int_equal(ss.ss_family, AF_INET);
}

static void test_bad_addresses(void **state)
{
    (void)state;
    const struct {
        const char *in;
        const char *says; /* a part of the message */
    } cases[] = {
        {"", "no address given"},
        {"127.0.0.1", "has no port"},
        {"127.0.0.1:", "not a port number"},
        {"127.0.0.1:65536", "not a port number"},
        {"127.0.0.1:80a", "not a port number"},
        {"127.0.0.1:-1", "not a port number"},
        {"127.0.0.1:123456", "not a port number"},
        {"example.org:80", "not an IPv4 address (a name is not looked up)"},
        {"256.0.0.1:80", "not an IPv4 address"},
        {"::1:8080", "put an IPv6 address in brackets"},
        {"[::1]8080", "is not [IPv6-ADDRESS]:PORT"},
        {"[::1:8080", "is not [IPv6-ADDRESS]:PORT"},
        {"[]:8080", "is not [IPv6-ADDRESS]:PORT"},
        {"[127.0.0.1]:80", "is not an IPv6 address"},
        {"[::1]:http", "not a port number"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sockaddr_storage ss;
        char err[256] = "";
        if (listen_parse(cases[i].in, &ss, err, sizeof(err)) == 0)
            fail_msg("'%s' was taken", cases[i].in);
        if (!strstr(err, cases[i].says))
            fail_msg("'%s': '%s' does not say '%s'", cases[i].in, err, cases[i].says);
    }
    struct sockaddr_storage ss;
    char err[256];
    assert_int_equal(listen_parse(NULL, &ss, err, sizeof(err)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_addresses),
        cmocka_unit_test(test_bad_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
