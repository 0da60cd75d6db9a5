#include "web/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/cli.h"
#include "base/xalloc.h"
#include "pkg/cli.h"
#include "site/cli.h"
#include "site/site.h"
#include "store/store.h"
#include "web/listen.h"
#include "web/server.h"

/* `planpack serve`'s options, as read. */
struct serve_args {
    const char *dir; /* the package folder; NULL for the built-in package */
    const char *db;  /* --db; NULL for the default, whose failure only turns feedback off */
    bool watch;
    unsigned min_free_mb;
    struct web_options web;
    struct site_options site;
};

/* Reads argv[1..argc) into *a. EXIT_OK, or EXIT_INPUT after the usage message. */
static int serve_parse(int argc, char **argv, struct serve_args *a)
{
    const struct {
        const char *name;
        unsigned long min, max;
        unsigned *out;
    } numbers[] = {
        {"--max-connections", 1, 100000, &a->web.max_connections},
        {"--max-per-client", 1, 100000, &a->web.max_per_client},
        {"--timeout", 1, 3600, &a->web.timeout_seconds},
        {"--answers-per-client", 0, 1000000, &a->web.answers_per_minute},
        {"--min-free-disk", 0, 1000000000, &a->min_free_mb},
        {"--threads", 1, 64, &a->web.threads},
    };
    const struct {
        const char *name;
        bool *on;
    } flags[] = {
        {"--behind-tls", &a->web.behind_tls},
        {"--watch", &a->watch},
        {"--quiet", &a->web.quiet},
    };
    const struct cli_value_option values[] = {{"--listen", &a->web.listen}, {"--db", &a->db}};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool known = false;
        for (size_t k = 0; k < sizeof(values) / sizeof(values[0]) && !known; k++) {
            if (strcmp(arg, values[k].name) != 0)
                continue;
            if (i + 1 >= argc)
                return cli_usage_error("serve", "%s needs a value", arg);
            *values[k].value = argv[++i];
            known = true;
        }
        for (size_t k = 0; k < sizeof(numbers) / sizeof(numbers[0]) && !known; k++) {
            if (strcmp(arg, numbers[k].name) != 0)
                continue;
            if (cli_option_number("serve", argc, argv, &i, numbers[k].min, numbers[k].max,
                                  numbers[k].out) != EXIT_OK)
                return EXIT_INPUT;
            known = true;
        }
        for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]) && !known; k++) {
            if (strcmp(arg, flags[k].name) == 0) {
                *flags[k].on = true;
                known = true;
            }
        }
        if (known)
            continue;
        if (strcmp(arg, "--trusted-proxy") == 0) {
            unsigned char bin[sizeof(struct in6_addr)];
            if (i + 1 >= argc)
                return cli_usage_error("serve", "%s",
                                       "--trusted-proxy needs the proxy's IP address");
            a->web.trusted_proxy = argv[++i];
            if (inet_pton(AF_INET, a->web.trusted_proxy, bin) != 1 &&
                inet_pton(AF_INET6, a->web.trusted_proxy, bin) != 1)
                return cli_usage_error("serve", "--trusted-proxy: '%s' is not an IP address",
                                       a->web.trusted_proxy);
        } else if (strcmp(arg, "--public-url") == 0) {
            if (site_cli_public_url("serve", argc, argv, &i, &a->site.public_url) != EXIT_OK)
                return EXIT_INPUT;
        } else if (cli_package_dir("serve", arg, &a->dir) != EXIT_OK) {
            return EXIT_INPUT;
        }
    }
    return EXIT_OK;
}

/*
 * Without --public-url, the QR codes point to the address the server listens on (where), or
 * for a wildcard address to this computer's; url (SITE_PUBLIC_URL_MAX + 1 bytes) holds it.
 * Says on stderr when phones could not open it, or when there is none.
 */
static void serve_public_url(struct serve_args *a, const struct sockaddr_storage *where, char *url)
{
    if (!a->site.public_url &&
        listen_public_url(where, url, SITE_PUBLIC_URL_MAX + 1, &a->site.public_url_local)) {
        a->site.public_url = url;
        if (a->site.public_url_local && !a->web.behind_tls)
            fprintf(stderr,
                    "planpack: warning: the QR codes on the lesson slides (/teach) point to "
                    "%s, which only this computer can open, so pupils' phones cannot; start "
                    "planpack with --listen and this computer's address on the school "
                    "network (for example --listen 0.0.0.0:8080), or give --public-url with "
                    "the address phones can open\n",
                    url);
        if (a->web.behind_tls)
            fprintf(stderr,
                    "planpack: the QR codes on /teach point to %s; behind a proxy, give "
                    "--public-url with the address people use\n",
                    url);
    }
    if (!a->site.public_url)
        fprintf(stderr, "planpack: no QR codes on the lesson slides: with port 0 the address is "
                        "not known in advance; give --public-url\n");
}

/* What --watch reloads: the package folder, and how to render it. */
struct serve_ctx {
    const char *dir;
    const struct site_options *site;
    size_t loads;  /* reloads asked for */
    size_t served; /* of them, those that made a site */
};

/* A package and the site rendered from it, for --watch: every reload makes a new one. */
struct served {
    struct pkg_loaded l;
    struct site *site;
};

static void served_free(struct served *s)
{
    if (!s)
        return;
    site_free(s->site);
    pkg_loaded_release(&s->l);
    free(s);
}

static void serve_release(void *ctx, void *owner)
{
    (void)ctx;
    served_free(owner);
}

/*
 * Loads and checks the package again, printing its problems in the terminal as `check`
 * does, and gives the server either the new site or the errors for the author's page,
 * which names files as in the package (never the server's folder).
 */
static void serve_reload(void *ctx, struct web_reload *out)
{
    struct serve_ctx *sc = ctx;
    const char *dir = sc->dir;
    sc->loads++;
    struct served *s = xcalloc(1, sizeof(*s));
    int rc = pkg_loaded_open(dir, true, &s->l);
    if (rc == EXIT_OK)
        s->site = site_render_with(s->l.pkg, sc->site);
    if (s->site) {
        fprintf(stderr, "planpack: %s: serving %zu pages\n", dir, s->l.pkg->page_count);
        sc->served++;
        out->site = s->site;
        out->owner = s;
        return;
    }
    struct buf text;
    buf_init(&text, (size_t)1 << 20);
    size_t errors = diag_write(&s->l.diags, NULL, DIAG_ERROR, &text);
    if (errors == 0)
        buf_addf(&text, "%s\n",
                 rc == EXIT_OK ? "the site could not be rendered (the terminal says why)"
                               : "the package could not be read (the terminal says why)");
    fprintf(stderr, "planpack: %s has %zu error%s\n", dir, errors ? errors : 1,
            errors == 1 ? "" : "s");
    out->problems = buf_detach(&text, NULL);
    served_free(s);
}

/* --watch: the server loads the package itself, and again after every change. */
static int serve_watch(struct serve_args *a)
{
    if (!a->dir)
        return cli_usage_error("serve", "%s",
                               "--watch needs a package folder (the built-in package never "
                               "changes)");
    struct stat sb;
    if (stat(a->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "planpack: %s: not a readable folder\n", a->dir);
        return EXIT_INPUT;
    }
    struct serve_ctx sc = {a->dir, &a->site, 0, 0};
    a->web.watch_dir = a->dir;
    a->web.reload = serve_reload;
    a->web.release = serve_release;
    a->web.ctx = &sc;
    /* A package broken from the start has no version to serve: that is the author's to fix. */
    return web_serve(NULL, &a->web) == 0    ? EXIT_OK
           : sc.loads > 0 && sc.served == 0 ? EXIT_INPUT
                                            : EXIT_INTERNAL;
}

/* Without --watch: the package is loaded and rendered once. */
static int serve_once(const struct serve_args *a)
{
    struct site *site = NULL;
    struct pkg_loaded l;
    int rc = pkg_loaded_open(a->dir, false, &l);
    if (rc != EXIT_OK)
        goto out;
    site = site_render_with(l.pkg, &a->site);
    rc = site && web_serve(site, &a->web) == 0 ? EXIT_OK : EXIT_INTERNAL;
out:
    site_free(site);
    pkg_loaded_release(&l);
    return rc;
}

int web_cli_serve(int argc, char **argv)
{
    struct serve_args a = {
        .min_free_mb = 256,
        .web = {.listen = "127.0.0.1:8080", .answers_per_minute = 600},
        .site = {.mode = SITE_SERVE},
    };
    if (serve_parse(argc, argv, &a) != EXIT_OK)
        return EXIT_INPUT;
    /* A mistyped address is a usage error, found before the package is loaded. */
    struct sockaddr_storage where;
    char err[160];
    if (listen_parse(a.web.listen, &where, err, sizeof(err)) != 0)
        return cli_usage_error("serve", "--listen: %s", err);
    char public_url[SITE_PUBLIC_URL_MAX + 1];
    serve_public_url(&a, &where, public_url);
    /*
     * The feedback store. A --db that cannot be opened is an error; the default one only
     * turns feedback off (the pages still work), for example when another server has it.
     */
    char serr[512];
    const struct store_options sopt = {.min_free_bytes = (unsigned long long)a.min_free_mb << 20};
    if (store_open(a.db ? a.db : STORE_DEFAULT_PATH, STORE_READ_WRITE, &sopt, &a.web.store, serr,
                   sizeof(serr)) != STORE_OK) {
        fprintf(stderr, "planpack serve: %s%s\n", a.db ? "" : "feedback is off: ", serr);
        if (a.db)
            return EXIT_INPUT;
    }
    int rc = a.watch ? serve_watch(&a) : serve_once(&a);
    store_close(a.web.store);
    return rc;
}
