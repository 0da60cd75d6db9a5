/*
 * The encoder is loaded with dlopen only while a site is being compressed (at start-up
 * and at each --watch reload) and unloaded after: kept loaded, its code would stay in the
 * serving process's memory for nothing, about 0.6 MiB of the server's budget of 16.
 */
#include "web/brotli.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <brotli/encode.h>

#include "base/xalloc.h"

#define BROTLI_THREADS_MAX 8

typedef int brotli_compress_fn(int quality, int lgwin, BrotliEncoderMode mode, size_t input_size,
                               const uint8_t *input, size_t *encoded_size, uint8_t *encoded);
typedef size_t brotli_max_size_fn(size_t input_size);

struct encoder {
    void *lib;
    brotli_compress_fn *compress;
    brotli_max_size_fn *max_size;
};

/* Loads the encoder; false, with a message on stderr, when it cannot be. */
static bool encoder_open(struct encoder *e)
{
    e->lib = dlopen("libbrotlienc.so.1", RTLD_NOW | RTLD_LOCAL);
    if (e->lib) {
        *(void **)&e->compress = dlsym(e->lib, "BrotliEncoderCompress");
        *(void **)&e->max_size = dlsym(e->lib, "BrotliEncoderMaxCompressedSize");
        if (e->compress && e->max_size)
            return true;
        dlclose(e->lib);
    }
    fprintf(stderr, "planpack: brotli's encoder could not be loaded (install the Debian package "
                    "libbrotli1); pages are sent with gzip only\n");
    *e = (struct encoder){0};
    return false;
}

/*
 * Compresses data at the highest quality, with a window no larger than the data needs
 * (which spares the client's memory), into out (cap bytes). Returns the compressed length,
 * or 0 when it would not be smaller than the data.
 */
static size_t encode(const struct encoder *e, const unsigned char *data, size_t len,
                     unsigned char *out, size_t cap)
{
    int lgwin = BROTLI_MIN_WINDOW_BITS;
    while (lgwin < BROTLI_MAX_WINDOW_BITS && ((size_t)1 << lgwin) - 16 < len)
        lgwin++;
    size_t n = cap;
    if (!e->compress(BROTLI_MAX_QUALITY, lgwin, BROTLI_MODE_TEXT, len, data, &n, out) || n >= len)
        return 0;
    return n;
}

struct job {
    const struct encoder *encoder;
    const struct site *site;
    struct brotli_form *forms;
    size_t count;
    atomic_size_t next;
};

static void *worker(void *arg)
{
    struct job *job = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->count)
            return NULL;
        const struct site_file *f = site_file_at(job->site, i);
        struct brotli_form *b = &job->forms[i];
        if (b->data)
            b->len = encode(job->encoder, f->data, f->len, b->data, b->len);
    }
}

void brotli_site(const struct site *site, struct brotli_form *forms, unsigned threads)
{
    size_t count = site ? site_file_count(site) : 0;
    struct encoder e;
    if (count == 0 || !encoder_open(&e))
        return;
    /*
     * The output buffers are allocated here, in the calling thread, so that the helpers'
     * own memory is all freed when they end and can go back to the system.
     */
    for (size_t i = 0; i < count; i++) {
        const struct site_file *f = site_file_at(site, i);
        size_t cap = f->gz ? e.max_size(f->len) : 0;
        if (cap) {
            forms[i].data = xmalloc(cap);
            forms[i].len = cap;
        }
    }
    struct job job = {.encoder = &e, .site = site, .forms = forms, .count = count};
    atomic_init(&job.next, 0);
    pthread_t helpers[BROTLI_THREADS_MAX];
    size_t started = 0;
    while (started + 1 < threads && started < BROTLI_THREADS_MAX &&
           pthread_create(&helpers[started], NULL, worker, &job) == 0)
        started++;
    worker(&job);
    for (size_t i = 0; i < started; i++)
        pthread_join(helpers[i], NULL);
    dlclose(e.lib);
    for (size_t i = 0; i < count; i++) {
        struct brotli_form *b = &forms[i];
        if (b->data && b->len == 0) {
            free(b->data);
            b->data = NULL;
        } else if (b->data) {
            b->data = xrealloc(b->data, b->len);
        }
    }
}
