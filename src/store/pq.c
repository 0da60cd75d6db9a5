/*
 * Loads libpq when a postgres:// store is first opened (see pq.h).
 */
#include "store/pq.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

struct pq_api pq;

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_error[256]; /* why libpq could not be loaded; "" once it is */

static void pq_load_once(void)
{
    void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(pq_error, sizeof(pq_error),
                 "PostgreSQL's client library could not be loaded (%s); install the Debian "
                 "package libpq5",
                 dlerror());
        return;
    }
#define PQ_LOOKUP(f)                                                                               \
    if (!(*(void **)&pq.f = dlsym(lib, #f)) && !pq_error[0])                                       \
        snprintf(pq_error, sizeof(pq_error), "libpq.so.5 has no %s: it is older than 14", #f);
    PQ_FUNCTIONS(PQ_LOOKUP)
#undef PQ_LOOKUP
}

int pq_load(char *err, size_t err_len)
{
    pthread_once(&pq_once, pq_load_once);
    if (pq_error[0]) {
        snprintf(err, err_len, "%s", pq_error);
        return -1;
    }
    return 0;
}
