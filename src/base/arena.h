/*
 * A bump allocator for memory that lives exactly as long as one package, one render or
 * one request: allocate freely, release everything with one arena_release().
 */
#ifndef PLANPACK_ARENA_H
#define PLANPACK_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head;
};

#define ARENA_INIT                                                                                 \
    {                                                                                              \
        NULL                                                                                       \
    }

/* Frees every block; the arena is empty and usable again. Accepts an empty arena. */
void arena_release(struct arena *a);

/* Returns zeroed memory owned by the arena, aligned for any type. */
void *arena_alloc(struct arena *a, size_t size);
/* Copies into the arena, adding a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
