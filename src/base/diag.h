/*
 * Author-facing diagnostics: a list of "FILE:LINE: error: MESSAGE" problems gathered while
 * loading and checking a package, so that every problem is reported, not only the first.
 */
#ifndef PLANPACK_DIAG_H
#define PLANPACK_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "base/buf.h"

enum diag_severity { DIAG_WARNING, DIAG_ERROR };

/* Where an item was written: file relative to the package root, 1-based line. */
struct diag_loc {
    const char *file;
    int line;
};

struct diag {
    enum diag_severity severity;
    char *file; /* owned; a path relative to the package folder */
    int line;   /* 1-based; 0 when the problem belongs to the whole file */
    char *message;
};

struct diag_list {
    struct diag *items;
    size_t count;
    size_t cap;
};

void diag_list_init(struct diag_list *l);
void diag_list_release(struct diag_list *l);

void diag_add(struct diag_list *l, enum diag_severity sev, const char *file, int line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define diag_error(l, file, line, ...) diag_add((l), DIAG_ERROR, (file), (line), __VA_ARGS__)
#define diag_warning(l, file, line, ...) diag_add((l), DIAG_WARNING, (file), (line), __VA_ARGS__)

size_t diag_count(const struct diag_list *l, enum diag_severity sev);
/* Orders by file, then line, keeping the order of problems found on one line. */
void diag_sort(struct diag_list *l);
/*
 * The one way diagnostics are written, for the command line, the author's problems page
 * and the tests alike: each of severity min or worse (DIAG_WARNING: all; DIAG_ERROR: errors
 * only) as PREFIXFILE:LINE: error: MESSAGE, one a line (prefix may be NULL). diag_write()
 * appends to out and returns how many it wrote; diag_print() writes to a stream.
 */
size_t diag_write(const struct diag_list *l, const char *prefix, enum diag_severity min,
                  struct buf *out);
void diag_print(const struct diag_list *l, const char *prefix, enum diag_severity min, FILE *out);

#endif
