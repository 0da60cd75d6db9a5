/*
 * Golden tests: the fixture package tests/fixtures/valid/ rendered in both modes (with a
 * public address, for the QR codes), every page compared byte for byte with
 * tests/golden/<mode>/<path>. A change to the markup
 * shows up here as a diff to review. After an intended change, rewrite the golden files
 * with
 *
 *     UPDATE_GOLDEN=1 build/asan/unit/test_site_golden
 *
 * (from the repository root) and commit them with the change.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"
#include "site/site.h"

#define FIXTURE "tests/fixtures/valid"
#define GOLDEN "tests/golden"

struct fixture {
    struct fileset fs;
    struct diag_list diags;
    struct pkg *pkg;
    struct site *site; /* the site under test; freed even when a test fails */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    diag_list_init(&fx->diags);
    if (fileset_read_dir(&fx->fs, FIXTURE, &fx->diags) != 0) {
        fprintf(stderr, "cannot read %s (run the tests from the repository root)\n", FIXTURE);
        free(fx);
        return -1;
    }
    fx->pkg = pkg_load(&fx->fs, &fx->diags);
    *state = fx;
    if (!fx->pkg || diag_count(&fx->diags, DIAG_ERROR) > 0) {
        diag_print(&fx->diags, FIXTURE "/", DIAG_WARNING, stderr);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (!fx)
        return 0;
    site_free(fx->site);
    pkg_free(fx->pkg);
    fileset_release(&fx->fs);
    diag_list_release(&fx->diags);
    free(fx);
    return 0;
}

static bool is_page(const struct site_file *f)
{
    size_t n = strlen(f->path);
    return n > 5 && strcmp(f->path + n - 5, ".html") == 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct buf b;
    buf_init(&b, 16 << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        buf_add(&b, chunk, n);
    fclose(fp);
    return buf_detach(&b, len);
}

/* The first line where two texts differ, for a readable failure. */
static void report_difference(const char *path, const char *want, size_t wlen, const char *got,
                              size_t glen)
{
    size_t i = 0, line = 1, start = 0;
    while (i < wlen && i < glen && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    int wl = (int)strcspn(want + start, "\n");
    int gl = (int)strcspn(got + start, "\n");
    print_error("%s differs from its golden file at line %zu:\n  golden:   %.*s\n  rendered: %.*s\n"
                "If the change is intended, run the test with UPDATE_GOLDEN=1.\n",
                path, line, wl, want + start, gl, got + start);
}

static void update(const struct site *s, const char *dir)
{
    /* Start from an empty folder, so that pages that are gone leave no golden file. */
    mkdir(GOLDEN, 0755);
    mkdir(dir, 0755);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(d);
    for (size_t i = 0; i < site_file_count(s); i++) {
        const struct site_file *f = site_file_at(s, i);
        if (!is_page(f))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, f->path);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(f->data, 1, f->len, fp), f->len);
        assert_int_equal(fclose(fp), 0);
    }
    fprintf(stderr, "rewrote the golden files in %s\n", dir);
}

static void compare(const struct site *s, const char *dir)
{
    char path[1024];
    size_t pages = 0, differ = 0;
    for (size_t i = 0; i < site_file_count(s); i++) {
        const struct site_file *f = site_file_at(s, i);
        if (!is_page(f))
            continue;
        pages++;
        snprintf(path, sizeof(path), "%s/%s", dir, f->path);
        size_t len;
        char *want = read_all(path, &len);
        if (!want)
            fail_msg("%s is rendered but has no golden file %s; run with UPDATE_GOLDEN=1", f->path,
                     path);
        if (len != f->len || memcmp(want, f->data, len) != 0) {
            report_difference(path, want, len, (const char *)f->data, f->len);
            differ++;
        }
        free(want);
    }
    if (differ)
        fail_msg("%zu of %zu pages differ from their golden files", differ, pages);
    /* Every golden file is still rendered: a page that disappears is a change too. */
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (!site_get(s, e->d_name))
            fail_msg("%s/%s is no longer rendered", dir, e->d_name);
        files++;
    }
    closedir(d);
    assert_int_equal(files, pages);
}

static void golden(void **state, enum site_mode mode, const char *dir)
{
    struct fixture *fx = *state;
    site_free(fx->site);
    /* With a public address, so that the QR codes of the slides and the letter are drawn. */
    struct site_options opt = {.mode = mode, .public_url = "https://www.school.example/think"};
    fx->site = site_render_with(fx->pkg, &opt);
    assert_non_null(fx->site);
    const char *update_env = getenv("UPDATE_GOLDEN");
    if (update_env && strcmp(update_env, "1") == 0)
        update(fx->site, dir);
    else
        compare(fx->site, dir);
}

static void test_golden_serve(void **state)
{
    golden(state, SITE_SERVE, GOLDEN "/serve");
}

static void test_golden_export(void **state)
{
    golden(state, SITE_EXPORT, GOLDEN "/export");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_serve),
        cmocka_unit_test(test_golden_export),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
