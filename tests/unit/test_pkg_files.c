/*
 * A package is read as plain files inside its folder: links and special files are refused
 * against their path, nothing outside the folder is read, and only the pictures pages use
 * are published, SVG cleaned of anything that could run or load.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/check.h"
#include "pkg/pkg.h"
#include "pkg/svg.h"

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A package whose page uses images/env.png, a link to the server's environment. */
static char *make_linked_package(void)
{
    char tmpl[] = "/tmp/planpack-pkgfiles-XXXXXX";
    char *dir = strdup(mkdtemp(tmpl));
    char path[512];
    snprintf(path, sizeof(path), "%s/pages", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/images", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    write_file(dir, "package.yaml",
               "id: links\ntitle: Links\nversion: 1.0.0\nlanguage: en-GB\naudience: Testers\n"
               "pages:\n  - start\n");
    write_file(dir, "pages/start.md",
               "---\ntitle: Start\n---\nHello.\n\n![the environment](images/env.png)\n\n"
               "![a password file](images/etc/passwd.png)\n");
    snprintf(path, sizeof(path), "%s/images/env.png", dir);
    assert_int_equal(symlink("/proc/self/environ", path), 0);
    snprintf(path, sizeof(path), "%s/images/etc", dir);
    assert_int_equal(symlink("/etc", path), 0);
    snprintf(path, sizeof(path), "%s/pages/more.md", dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    return dir;
}

static void remove_package(char *dir)
{
    static const char *const names[] = {"images/env.png", "images/etc",   "pages/more.md",
                                        "pages/start.md", "package.yaml", "images",
                                        "pages"};
    char path[512];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        (void)remove(path);
    }
    (void)rmdir(dir);
    free(dir);
}

static bool has_diag(const struct diag_list *l, enum diag_severity sev, const char *file, int line,
                     const char *part)
{
    for (size_t i = 0; i < l->count; i++) {
        const struct diag *d = &l->items[i];
        if (d->severity == sev && strcmp(d->file, file) == 0 && d->line == line &&
            strstr(d->message, part))
            return true;
    }
    return false;
}

static void test_links_are_refused(void **state)
{
    (void)state;
    char *dir = make_linked_package();
    struct fileset fs;
    struct diag_list diags;
    diag_list_init(&diags);
    assert_int_equal(fileset_read_dir(&fs, dir, &diags), 0);
    /* Nothing was read through a link: only the two plain files are in the set. */
    assert_int_equal(fs.count, 2);
    assert_null(fileset_get(&fs, "images/env.png"));
    assert_null(fileset_get(&fs, "images/etc/passwd"));
    assert_null(fileset_get(&fs, "pages/more.md"));
    struct pkg *p = pkg_load(&fs, &diags);
    assert_non_null(p);
    pkg_check(p, &fs, &diags);
    if (getenv("PLANPACK_FIXTURE_PRINT"))
        diag_print(&diags, "", DIAG_WARNING, stderr);
    assert_true(has_diag(&diags, DIAG_ERROR, "images/env.png", 0, "links are not followed"));
    assert_true(has_diag(&diags, DIAG_ERROR, "images/etc", 0, "links are not followed"));
    assert_true(has_diag(&diags, DIAG_ERROR, "pages/more.md", 0, "links are not followed"));
    assert_true(has_diag(&diags, DIAG_ERROR, "pages/start.md", 6,
                         "'images/env.png' is not a file in the package"));
    assert_null(pkg_file(p, "images/env.png"));
    assert_int_equal(p->file_count, 0);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
    remove_package(dir);
}

/* A pipe in the package would block a reader forever; it is refused, not opened. */
static void test_special_files_are_refused(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/planpack-pkgfiles-XXXXXX";
    char *dir = mkdtemp(tmpl);
    char path[512];
    snprintf(path, sizeof(path), "%s/pipe.md", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    struct fileset fs;
    struct diag_list diags;
    diag_list_init(&diags);
    assert_int_equal(fileset_read_dir(&fs, dir, &diags), 0);
    assert_int_equal(fs.count, 0);
    assert_true(has_diag(&diags, DIAG_ERROR, "pipe.md", 0, "not a plain file"));
    fileset_release(&fs);
    diag_list_release(&diags);
    (void)remove(path);
    (void)rmdir(dir);
}

static char *sanitise(const char *svg)
{
    struct buf b;
    buf_init(&b, SVG_MAX_OUTPUT);
    char why[256];
    int line = 0;
    int rc = svg_sanitise((const unsigned char *)svg, strlen(svg), &b, NULL, NULL, why, sizeof(why),
                          &line);
    if (rc != 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

static void test_svg_keeps_drawing_only(void **state)
{
    (void)state;
    static const char svg[] =
        "<?xml version=\"1.0\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:svg=\"http://www.w3.org/2000/svg\" "
        "xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\" onload =\"a()\" "
        "role=\"img\" aria-labelledby=\"t\">\n"
        "<title id=\"t\">A dot &amp; a line</title>\n"
        "<svg:script>b()</svg:script><!-- a comment -->\n"
        "<a xlink:href=\"javascript&#58;c()\"><circle r=\"1\"/></a>\n"
        "<rect width=\"1\" fill=\"url(https://example.com/p.svg#q)\" style=\"x:y\"/>\n"
        "<foreignObject><p xmlns=\"http://www.w3.org/1999/xhtml\">d</p></foreignObject>\n"
        "<use href=\"https://example.com/s.svg#x\"/><use xlink:href=\"#dot\"/>\n"
        "<use href=\"&#x20;JaVa&#x0A;Script:e()\"/>\n"
        "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/>"
        "</linearGradient></defs>\n"
        "<g transform=\"rotate(5)\"><circle id=\"dot\" cx=\"5\" cy=\"5\" r=\"4\" "
        "fill=\"url(#g)\" onclick=\"f()\"/><text x=\"1\" y=\"9\">Hi &lt;there&gt;</text></g>\n"
        "</svg>\n";
    char *out = sanitise(svg);
    assert_non_null(out);
    static const char *const gone[] = {
        "script", "onload", "onclick", "javascript", "Script", "foreignObject", "example.com",
        "<a",     "style",  "b()",     "comment",    "<p",     "xhtml"};
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
        if (strstr(out, gone[i]))
            fail_msg("'%s' is still in the picture:\n%s", gone[i], out);
    static const char *const kept[] = {
        "<title id=\"t\">A dot &amp; a line</title>",
        "role=\"img\" aria-labelledby=\"t\"",
        "<use xlink:href=\"#dot\"/>",
        "<stop offset=\"0\" stop-color=\"#fff\"/>",
        "<g transform=\"rotate(5)\"><circle id=\"dot\" cx=\"5\" cy=\"5\" r=\"4\" "
        "fill=\"url(#g)\"/>",
        "<text x=\"1\" y=\"9\">Hi &lt;there&gt;</text>",
    };
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (!strstr(out, kept[i]))
            fail_msg("'%s' is missing from the picture:\n%s", kept[i], out);
    /* What comes out is itself a picture the sanitiser leaves as it is. */
    char *again = sanitise(out);
    assert_non_null(again);
    assert_string_equal(again, out);
    free(again);
    free(out);
}

static void test_svg_refuses_what_is_not_svg(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "GIF89a",
        "<html><body>hi</body></html>",
        "<svg>no namespace</svg>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle></svg>",
        "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *out = sanitise(bad[i]);
        if (out)
            fail_msg("accepted as SVG: %s\n-> %s", bad[i], out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_links_are_refused),
        cmocka_unit_test(test_special_files_are_refused),
        cmocka_unit_test(test_svg_keeps_drawing_only),
        cmocka_unit_test(test_svg_refuses_what_is_not_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
