#include "base/diag.h"
#include "base/buf.h"
#include "base/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *l)
{
    l->items = NULL;
    l->count = l->cap = 0;
}

void diag_list_release(struct diag_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].file);
        free(l->items[i].message);
    }
    free(l->items);
    diag_list_init(l);
}

void diag_add(struct diag_list *l, enum diag_severity sev, const char *file, int line,
              const char *fmt, ...)
{
    struct buf msg;
    buf_init(&msg, 4096);
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    XGROW(l->items, l->cap, l->count + 1);
    struct diag *d = &l->items[l->count++];
    d->severity = sev;
    d->file = xstrdup(file ? file : "");
    d->line = line;
    d->message = buf_detach(&msg, NULL);
}

size_t diag_count(const struct diag_list *l, enum diag_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += l->items[i].severity == sev;
    return n;
}

void diag_sort(struct diag_list *l)
{
    /* Insertion sort: stable, and lists are short. */
    for (size_t i = 1; i < l->count; i++) {
        struct diag d = l->items[i];
        size_t j = i;
        while (j > 0) {
            const struct diag *p = &l->items[j - 1];
            int c = strcmp(p->file, d.file);
            if (c < 0 || (c == 0 && p->line <= d.line))
                break;
            l->items[j] = *p;
            j--;
        }
        l->items[j] = d;
    }
}

size_t diag_write(const struct diag_list *l, const char *prefix, enum diag_severity min,
                  struct buf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++) {
        const struct diag *d = &l->items[i];
        if (d->severity < min)
            continue;
        const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";
        buf_addf(out, "%s%s:%d: %s: %s\n", prefix ? prefix : "", d->file, d->line, sev, d->message);
        n++;
    }
    return n;
}

void diag_print(const struct diag_list *l, const char *prefix, enum diag_severity min, FILE *out)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    diag_write(l, prefix, min, &b);
    if (b.len)
        fwrite(b.ptr, 1, b.len, out);
    buf_release(&b);
}
