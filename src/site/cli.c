#include "site/cli.h"

#include <stdio.h>
#include <string.h>

#include "base/cli.h"
#include "pkg/cli.h"
#include "site/site.h"

int site_cli_public_url(const char *cmd, int argc, char **argv, int *i, const char **url)
{
    if (++*i >= argc)
        return cli_usage_error(cmd, "%s",
                               "--public-url needs the address pupils use, e.g. "
                               "https://www.school.example/think/");
    if (!site_public_url_valid(argv[*i]))
        return cli_usage_error(cmd,
                               "--public-url: '%s' is not an address planpack can put in a QR "
                               "code: use http:// or https://, a host and an optional path, "
                               "e.g. https://www.school.example/think/",
                               argv[*i]);
    *url = argv[*i];
    return EXIT_OK;
}

int site_cli_export(int argc, char **argv)
{
    const char *dir = NULL;
    const char *outdir = NULL;
    struct site_options so = {.mode = SITE_EXPORT};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (++i >= argc)
                return cli_usage_error("export", "%s needs a folder", argv[i - 1]);
            outdir = argv[i];
        } else if (strcmp(argv[i], "--public-url") == 0) {
            if (site_cli_public_url("export", argc, argv, &i, &so.public_url) != EXIT_OK)
                return EXIT_INPUT;
        } else if (cli_package_dir("export", argv[i], &dir) != EXIT_OK) {
            return EXIT_INPUT;
        }
    }
    if (!outdir)
        return cli_usage_error("export", "%s", "no output folder: give -o OUTDIR");
    struct site *site = NULL;
    struct pkg_loaded l;
    int rc = pkg_loaded_open(dir, false, &l);
    if (rc != EXIT_OK)
        goto out;
    site = site_render_with(l.pkg, &so);
    if (!site) {
        rc = EXIT_INTERNAL;
        goto out;
    }
    if (site_export(site, outdir) != 0) {
        rc = EXIT_INTERNAL;
        goto out;
    }
    printf("exported %zu files to %s\n", site_file_count(site), outdir);
    if (!so.public_url)
        printf("note: no QR codes on the lesson slides or the parents' letter; give "
               "--public-url with the address where the site will be published to add them\n");
out:
    site_free(site);
    pkg_loaded_release(&l);
    return rc;
}
