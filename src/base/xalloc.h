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

/* Grows *ptr so that it holds at least need elements of elem bytes, doubling *cap. */
void xgrow(void **ptr, size_t *cap, size_t need, size_t elem);

#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
