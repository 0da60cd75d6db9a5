/*
 * Fixture packages: each folder under tests/fixtures/ is a package, mostly broken on
 * purpose, with expected.txt holding the exact diagnostics that pkg_load() and pkg_check()
 * must report, one "FILE:LINE: error: MESSAGE" line each, in diag_sort() order. In
 * expected.txt, "{n}" stands for any number: a count that every new interface text
 * changes ("181 of the 206 interface texts") is not what a fixture is there to test.
 *
 * Set PLANPACK_FIXTURE_PRINT=1 to print what a fixture actually gives (to write a new one;
 * read every line before trusting it).
 */
#include "testutil.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/check.h"
#include "pkg/pkg.h"

#define FIXTURES "tests/fixtures"

/* Splits text into lines (without their newlines), in a list the caller frees. */
static char **split_lines(char *text, size_t *count)
{
    size_t cap = 16;
    size_t n = 0;
    char **lines = malloc(cap * sizeof(*lines));
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, cap * sizeof(*lines));
        }
        lines[n++] = p;
        if (!nl)
            break;
        p = nl + 1;
    }
    *count = n;
    return lines;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b;
    buf_init(&b, (size_t)1 << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    return buf_detach(&b, NULL);
}

/* Whether the actual line a is the expected line e, where "{n}" in e matches any number. */
static bool line_matches(const char *e, const char *a)
{
    static const char any[] = "{n}";
    for (;;) {
        const char *hole = strstr(e, any);
        size_t fixed = hole ? (size_t)(hole - e) : strlen(e) + 1;
        if (strncmp(e, a, fixed) != 0)
            return false;
        if (!hole)
            return true;
        a += fixed;
        if (!isdigit((unsigned char)*a))
            return false;
        while (isdigit((unsigned char)*a))
            a++;
        e = hole + sizeof(any) - 1;
    }
}

/* Loads and checks the package in dir; returns its diagnostics as text, one per line. */
static char *diagnose(const char *dir)
{
    struct fileset fs;
    struct diag_list diags;
    diag_list_init(&diags);
    assert_int_equal(fileset_read_dir(&fs, dir, &diags), 0);
    struct pkg *p = pkg_load(&fs, &diags);
    if (p)
        pkg_check(p, &fs, &diags);
    diag_sort(&diags);
    struct buf out;
    buf_init(&out, (size_t)1 << 20);
    diag_write(&diags, NULL, DIAG_WARNING, &out);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
    return buf_detach(&out, NULL);
}

static void test_fixture(void **state)
{
    const char *name = *state;
    char dir[512];
    char expected_path[600];
    snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, name);
    snprintf(expected_path, sizeof(expected_path), "%s/expected.txt", dir);
    char *actual = diagnose(dir);
    if (getenv("PLANPACK_FIXTURE_PRINT"))
        printf("---- %s\n%s", name, actual);
    char *expected = read_text(expected_path);
    if (!expected) {
        print_error("%s is missing: every fixture states what it expects\n", expected_path);
        free(actual);
        fail();
    }
    size_t ne = 0;
    size_t na = 0;
    char **exp_lines = split_lines(expected, &ne);
    char **act_lines = split_lines(actual, &na);
    /* A diff that an author can read: each line that differs, with its position. */
    int mismatches = 0;
    size_t n = ne > na ? ne : na;
    for (size_t i = 0; i < n; i++) {
        const char *e = i < ne ? exp_lines[i] : NULL;
        const char *a = i < na ? act_lines[i] : NULL;
        if (e && a && line_matches(e, a))
            continue;
        if (mismatches++ == 0)
            print_error("fixture %s: diagnostics differ from %s\n", name, expected_path);
        print_error("  line %zu\n    expected: %s\n    actual:   %s\n", i + 1,
                    e ? e : "(nothing more)", a ? a : "(nothing more)");
    }
    free(exp_lines);
    free(act_lines);
    free(expected);
    free(actual);
    assert_int_equal(mismatches, 0);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *d = opendir(FIXTURES);
    if (!d) {
        fprintf(stderr, "cannot open %s (run the tests from the repository root)\n", FIXTURES);
        return 1;
    }
    size_t cap = 64;
    size_t n = 0;
    char **names = malloc(cap * sizeof(*names));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", FIXTURES, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            cap *= 2;
            names = realloc(names, cap * sizeof(*names));
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_names);
    struct CMUnitTest *tests = calloc(n ? n : 1, sizeof(*tests));
    for (size_t i = 0; i < n; i++) {
        tests[i].name = names[i];
        tests[i].test_func = test_fixture;
        tests[i].initial_state = names[i];
    }
    int failed = n < 12 ? 1 : 0;
    if (failed)
        fprintf(stderr, "only %zu fixtures found in %s; expected at least 12\n", n, FIXTURES);
    failed += _cmocka_run_group_tests("fixtures", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}
