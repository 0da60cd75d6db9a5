/*
 * The names of the server's own addresses, which a package's page may not take as its id
 * (a page "staff" would be hidden by the staff pages, a page "assets" by the style
 * sheets). The route table that answers them is in web/routes.c, beside which this list is
 * kept; the package loader (pkg/load.c) refuses these ids. The header depends on nothing,
 * so that the loader, upstream of the server, can include it.
 */
#ifndef PLANPACK_WEB_ROUTES_H
#define PLANPACK_WEB_ROUTES_H

/* "index": the start page's file; "teach": the lesson slides, rendered for every package. */
/* Kept on one line: clang-format would spread it over four. */
/* clang-format off */
#define WEB_RESERVED_NAMES {"index", "staff", "healthz", "assets", "teach"}
/* clang-format on */
#define WEB_RESERVED_COUNT 5

#endif
