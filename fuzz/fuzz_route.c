/*
 * libFuzzer target for request routing: site_route() over arbitrary paths, against the
 * default package rendered once. Beyond "no crash", it checks what routing promises: a path
 * without a leading slash, or with "//", a "." or ".." segment or a ".html" suffix, finds
 * nothing; the 404 page is never found by a name of its own; and a file that is found is
 * one of the site's, at exactly the one address that it has (pages in another language
 * than the package's own are under its folder, "/cy/", "/cy/plan").
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"
#include "site/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The site lives for the whole run, so that each input costs one lookup. */
static const struct site *default_site(void)
{
    static struct fileset files;
    static struct site *site;
    if (site)
        return site;
    struct diag_list diags;
    diag_list_init(&diags);
    fileset_borrow(&files, embedded_package, embedded_package_count);
    struct pkg *p = pkg_load(&files, &diags);
    diag_list_release(&diags);
    site = p ? site_render(p, SITE_SERVE) : NULL;
    if (!site)
        abort();
    return site;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Whether a path is one that routing must refuse whatever the site holds. */
static bool refused(const char *path)
{
    return path[0] != '/' || strstr(path, "//") || strstr(path, "/./") || strstr(path, "/../") ||
           has_suffix(path, "/.") || has_suffix(path, "/..") || has_suffix(path, ".html");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct site *site = default_site();
    /* A request path never holds a NUL: the server keeps "%00" as written. */
    char path[4096];
    size_t n = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
    memcpy(path, data, n);
    path[n] = '\0';

    const struct site_file *f = site_route(site, path);
    if (!f)
        return 0;
    if (refused(path) || f == site_not_found(site))
        abort();
    bool own = false;
    for (size_t i = 0; i < site_file_count(site); i++)
        own |= site_file_at(site, i) == f;
    if (!own)
        abort();
    /* The one address of a file: "/" for the start page ("/cy/" for a language's start
     * page, cy/index.html), pages without ".html". */
    char want[4096];
    size_t len = strlen(f->path);
    if (strcmp(f->path, "index.html") == 0 || has_suffix(f->path, "/index.html"))
        snprintf(want, sizeof(want), "/%.*s", (int)(len - strlen("index.html")), f->path);
    else if (f->page && has_suffix(f->path, ".html") && len < sizeof(want) - 1)
        snprintf(want, sizeof(want), "/%.*s", (int)(len - 5), f->path);
    else
        snprintf(want, sizeof(want), "/%s", f->path);
    if (strcmp(want, path) != 0)
        abort();
    return 0;
}
