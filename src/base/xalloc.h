/* Allocation that never returns NULL: running out of memory ends the process. */
#ifndef PLANPACK_XALLOC_H
#define PLANPACK_XALLOC_H

#include <stddef.h>

/* Each returns memory the caller owns and frees with free(); on exhaustion they abort. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/*
 * Returns ptr grown so that it holds at least need elements of elem bytes (ptr itself when
 * it already does), doubling *cap; the caller owns the result, and ptr is no longer valid.
 */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem);

/* Grows the array arr, of cap elements, to hold need. No cast: arr keeps its type. */
#define XGROW(arr, cap, need) ((arr) = xgrow((arr), &(cap), (need), sizeof(*(arr))))

#endif
