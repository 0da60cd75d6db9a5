/*
 * libFuzzer target for the form decoder. Beyond "no crash, no leak", it checks what the
 * decoder promises: a decoded form holds at most FORM_MAX_FIELDS fields, every name and
 * value is valid UTF-8 without NUL and no longer than the input, a refused input leaves the
 * form empty, and the size limit is honoured.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct arena a = ARENA_INIT;
    struct form f;
    int rc = form_decode(s, size, 16384, &a, &f);
    if (size > 16384 && rc != FORM_TOO_LARGE)
        abort();
    if (rc != FORM_OK) {
        if (rc < FORM_TOO_LARGE || f.count != 0 || f.fields != NULL)
            abort();
    } else {
        if (f.count > FORM_MAX_FIELDS)
            abort();
        for (size_t i = 0; i < f.count; i++) {
            size_t nlen = strlen(f.fields[i].name), vlen = strlen(f.fields[i].value);
            if (nlen + vlen > size || !utf8_valid(f.fields[i].name, nlen) ||
                !utf8_valid(f.fields[i].value, vlen))
                abort();
        }
        if (f.count > 0 && form_get(&f, f.fields[0].name) != f.fields[0].value)
            abort();
        /* A smaller limit refuses exactly the inputs that are longer than it. */
        if (size > 0 && form_decode(s, size, size - 1, &a, &f) != FORM_TOO_LARGE)
            abort();
    }
    (void)utf8_valid(s, size);
    arena_release(&a);
    return 0;
}
