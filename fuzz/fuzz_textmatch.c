/*
 * libFuzzer target for the matcher that flags comments that may be a disclosure
 * (base/textmatch.h). The first line of the input is a list of phrases separated by '|', as
 * a package's word list might hold them; the rest is a comment. Every phrase is folded and
 * added, the comment searched, and everything freed, so that a read past either text, or a
 * leak, fails the run. A phrase found must be one of those added.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/textmatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : size;
    /* The phrases as NUL-terminated strings, as the package loader hands them over. */
    char *phrases = malloc(head + 1);
    memcpy(phrases, data, head);
    phrases[head] = '\0';
    for (size_t i = 0; i < head; i++)
        if (phrases[i] == '|' || phrases[i] == '\0')
            phrases[i] = '\0';
    struct textmatch m;
    textmatch_init(&m);
    for (size_t i = 0; i <= head; i += strlen(phrases + i) + 1)
        (void)textmatch_add(&m, phrases + i);
    /* The comment in an allocation of exactly its size. */
    size_t len = nl ? size - head - 1 : 0;
    char *text = malloc(len ? len : 1);
    if (len)
        memcpy(text, nl + 1, len);
    struct buf scratch;
    buf_init(&scratch, (size_t)64 << 10);
    const char *hit = textmatch_find(&m, text, len, &scratch);
    if (hit) {
        bool known = false;
        for (size_t i = 0; i < m.count && !known; i++)
            known = m.phrases[i] == hit;
        if (!known)
            abort();
    }
    buf_release(&scratch);
    textmatch_release(&m);
    free(text);
    free(phrases);
    return 0;
}
