/*
 * The names planpack keeps for its own addresses, which a package's page may not take as
 * its id: a page "staff" would be hidden by the staff pages, a page "assets" by the style
 * sheets, a page "index" or "teach" by the site's own files of those names.
 *
 * The list sits here, at the bottom of the pipeline, so that the package loader (src/pkg)
 * can refuse these ids without reaching up into the server; the server's route table
 * (web/routes.c) is held to it by tests/unit/test_routes.c. It depends on nothing.
 */
#ifndef PLANPACK_BASE_RESERVED_H
#define PLANPACK_BASE_RESERVED_H

#include <stdbool.h>
#include <string.h>

/* "index": the start page's file; "teach": the lesson slides, rendered for every package. */
/* Kept on one line: clang-format would spread it over four. */
/* clang-format off */
#define RESERVED_PAGE_IDS {"index", "staff", "healthz", "assets", "teach"}
/* clang-format on */
#define RESERVED_PAGE_ID_COUNT 5

/* Whether id is one of RESERVED_PAGE_IDS. */
static inline bool reserved_page_id(const char *id)
{
    static const char *const names[] = RESERVED_PAGE_IDS;
    _Static_assert(sizeof(names) / sizeof(names[0]) == RESERVED_PAGE_ID_COUNT,
                   "RESERVED_PAGE_ID_COUNT counts RESERVED_PAGE_IDS");
    for (size_t i = 0; id && i < RESERVED_PAGE_ID_COUNT; i++)
        if (strcmp(names[i], id) == 0)
            return true;
    return false;
}

#endif
