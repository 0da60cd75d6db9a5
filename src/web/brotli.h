/*
 * The brotli form of each text file of a site, made once when the site is loaded (the
 * renderer already made the gzip form). Brotli at its highest quality is slow, so the files
 * are shared among threads.
 */
#ifndef PLANPACK_BROTLI_H
#define PLANPACK_BROTLI_H

#include <stddef.h>

#include "site/site.h"

/* One file's brotli form: data is NULL (len 0) when it is not worth sending. */
struct brotli_form {
    unsigned char *data; /* malloc'd, the caller frees */
    size_t len;
};

/*
 * Fills forms[i] (zeroed by the caller) for file i of site, for each file the renderer
 * found worth compressing, with up to threads threads. When brotli's encoder cannot be
 * loaded it says so on stderr and leaves every form empty: pages then go out with gzip.
 */
void brotli_site(const struct site *site, struct brotli_form *forms, unsigned threads);

#endif
