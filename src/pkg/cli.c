#include "pkg/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cli.h"
#include "base/xalloc.h"
#include "pkg/check.h"
#include "pkg/translate.h"

void pkg_loaded_release(struct pkg_loaded *l)
{
    if (!l)
        return;
    pkg_free(l->pkg);
    fileset_release(&l->files);
    diag_list_release(&l->diags);
}

int pkg_loaded_open(const char *dir, bool print_warnings, struct pkg_loaded *l)
{
    memset(l, 0, sizeof(*l));
    diag_list_init(&l->diags);
    if (dir) {
        if (fileset_read_dir(&l->files, dir, &l->diags) != 0) {
            fprintf(stderr, "planpack: %s: not a readable folder\n", dir);
            return EXIT_INPUT;
        }
        size_t n = strlen(dir);
        l->label = n && dir[n - 1] == '/' ? "" : "/";
    } else {
        fileset_borrow(&l->files, embedded_package, embedded_package_count);
    }
    l->pkg = pkg_load(&l->files, &l->diags);
    if (l->pkg)
        pkg_check(l->pkg, &l->files, &l->diags);
    diag_sort(&l->diags);
    char prefix[4096];
    snprintf(prefix, sizeof(prefix), "%s%s", dir ? dir : "(built-in package) ",
             dir ? l->label : "");
    diag_print(&l->diags, prefix, print_warnings ? DIAG_WARNING : DIAG_ERROR, stderr);
    if (!l->pkg || diag_count(&l->diags, DIAG_ERROR) > 0)
        return EXIT_INPUT;
    return EXIT_OK;
}

int pkg_cli_check(int argc, char **argv)
{
    const char *dir = NULL;
    for (int i = 1; i < argc; i++)
        if (cli_package_dir("check", argv[i], &dir) != EXIT_OK)
            return EXIT_INPUT;
    struct pkg_loaded l;
    int rc = pkg_loaded_open(dir, true, &l);
    if (l.pkg) {
        printf("%s %s: %zu pages, %zu errors, %zu warnings\n", l.pkg->id ? l.pkg->id : "package",
               l.pkg->version ? l.pkg->version : "?", l.pkg->page_count,
               diag_count(&l.diags, DIAG_ERROR), diag_count(&l.diags, DIAG_WARNING));
        check_print_readability(l.pkg, stdout);
    }
    pkg_loaded_release(&l);
    return rc;
}

int pkg_cli_translate(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    bool export = strcmp(what, "export") == 0;
    if (!export && strcmp(what, "import") != 0)
        return cli_usage_error("translate", "%s", "say 'export' or 'import'");
    const char *lang = NULL;
    const char *out = "-";
    const char *args[2] = {NULL, NULL};
    size_t nargs = 0;
    for (int i = 2; i < argc; i++) {
        bool is_lang = strcmp(argv[i], "--lang") == 0;
        bool is_out = export && (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0);
        if (is_lang || is_out) {
            if (++i >= argc)
                return cli_usage_error("translate", "%s needs a value", argv[i - 1]);
            *(is_lang ? &lang : &out) = argv[i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("translate", "unknown option '%s'", argv[i]);
        } else if (nargs == (export ? 1 : 2)) {
            return cli_usage_error("translate", "unexpected '%s'", argv[i]);
        } else {
            args[nargs++] = argv[i];
        }
    }
    if (!lang)
        return cli_usage_error("translate", "%s", "give --lang LL, the language to translate into");
    if (!export && nargs != 2)
        return cli_usage_error("translate", "%s",
                               "give the package folder and the PO file: import PKGDIR FILE.po");
    struct pkg_loaded l;
    int rc = pkg_loaded_open(args[0], false, &l);
    if (rc == EXIT_OK) {
        int r = export ? translate_export(l.pkg, &l.files, lang, out, stderr)
                       : translate_import(l.pkg, &l.files, args[0], lang, args[1], stderr);
        rc = r == 0 ? EXIT_OK : r == -1 ? EXIT_INPUT : EXIT_INTERNAL;
    }
    pkg_loaded_release(&l);
    return rc;
}

int pkg_cli_survey_open(const char *dir, struct arena *a, struct survey *sv, void **held)
{
    struct pkg_loaded *l = xmalloc(sizeof(*l));
    *held = l;
    memset(sv, 0, sizeof(*sv));
    int rc = pkg_loaded_open(dir, false, l);
    if (rc == EXIT_OK)
        pkg_survey(l->pkg, a, sv);
    return rc;
}

void pkg_cli_survey_close(void *held)
{
    pkg_loaded_release(held);
    free(held);
}
