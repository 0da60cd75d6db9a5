/*
 * libFuzzer target for the package loader and checker.
 *
 * The input is a whole package in one text: lines "=== PATH" start each file, and anything
 * before the first such line is package.yaml. Each file is copied into its own allocation
 * so that AddressSanitizer sees any read past its end. The loader, the checker and the
 * readability table all run, and everything is freed, so a leak fails the run too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/check.h"
#include "pkg/pkg.h"

enum { MAX_FILES = 64, MAX_PATH = 128 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void add_file(struct file_entry *files, size_t *n, const char *path, size_t path_len,
                     const uint8_t *body, size_t len)
{
    if (*n >= MAX_FILES || path_len == 0 || path_len >= MAX_PATH)
        return;
    char *p = malloc(path_len + 1);
    memcpy(p, path, path_len);
    p[path_len] = '\0';
    unsigned char *d = malloc(len + 1);
    if (len)
        memcpy(d, body, len);
    d[len] = '\0';
    files[*n] = (struct file_entry){p, d, len};
    (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    struct file_entry files[MAX_FILES];
    size_t n = 0;
    const char *path = "package.yaml";
    size_t path_len = strlen(path);
    size_t start = 0;
    size_t pos = 0;
    while (pos <= size) {
        const uint8_t *nl = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
        size_t end = nl ? (size_t)(nl - data) : size;
        if (end - pos >= 4 && memcmp(data + pos, "=== ", 4) == 0) {
            add_file(files, &n, path, path_len, data + start, pos - start);
            path = (const char *)data + pos + 4;
            path_len = end - pos - 4;
            start = nl ? end + 1 : size;
        }
        if (!nl)
            break;
        pos = end + 1;
    }
    add_file(files, &n, path, path_len, data + start, size - start);

    struct fileset fs;
    struct diag_list diags;
    diag_list_init(&diags);
    fileset_borrow(&fs, files, n);
    struct pkg *p = pkg_load(&fs, &diags);
    if (p) {
        pkg_check(p, &fs, &diags);
        if (sink)
            check_print_readability(p, sink);
    }
    diag_sort(&diags);
    if (sink)
        diag_print(&diags, NULL, DIAG_WARNING, sink);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
    for (size_t i = 0; i < n; i++) {
        free((char *)files[i].path);
        free((unsigned char *)files[i].data);
    }
    return 0;
}
