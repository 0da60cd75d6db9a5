/*
 * The package's pictures: only those a listed page names are published, each checked for
 * its type, and SVG sanitised (pkg/svg.h) with what was taken out reported.
 */
#include "pkg/loader.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "pkg/svg.h"

/* ---- pictures ---- */

/* Whether path is named in the source of a page the package lists: a picture no page names
 * is not published, so that nothing in images/ is put online by accident. */
static bool image_used(struct loader *L, const char *path)
{
    size_t n = strlen(path);
    const struct pkg *p = L->p;
    for (size_t i = 0; i < p->page_count; i++) {
        const struct file_entry *e = fileset_get(L->fs, p->pages[i].loc.file);
        const char *text = e ? (const char *)e->data : NULL;
        for (const char *at = text; at && (at = strstr(at, path)) != NULL; at += n) {
            unsigned char next = (unsigned char)at[n];
            bool mid_name = isalnum(next) || strchr("._-/%", next);
            bool after_name = at > text && (isalnum((unsigned char)at[-1]) || at[-1] == '_');
            if (next && mid_name)
                continue;
            if (!after_name)
                return true;
        }
    }
    return false;
}

struct svg_notes {
    struct loader *L;
    const char *path;
    size_t count;
};

enum { MAX_SVG_NOTES = 10 };

static void svg_note(void *ctx, int line, const char *what, bool risky)
{
    struct svg_notes *n = ctx;
    if (n->count++ >= MAX_SVG_NOTES)
        return;
    if (risky)
        diag_warning(n->L->diags, n->path, line,
                     "taken out of this picture: %s; pictures in a package must not run code "
                     "or load anything, so only their drawing is published",
                     what);
    else
        diag_warning(n->L->diags, n->path, line,
                     "taken out of this picture: %s; planpack publishes only plain drawing "
                     "(shapes, paths, text, gradients, groups, title and description)",
                     what);
}

/*
 * Checks that the picture is what its name says, and gives the copy to publish: a PNG as it
 * is, an SVG cleaned (svg.h). False, with an error against the file, when it is refused.
 */
static bool load_image(struct loader *L, const struct file_entry *e, struct pkg_file *out)
{
    static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t n = strlen(e->path);
    if (n > 4 && strcasecmp(e->path + n - 4, ".png") == 0) {
        if (e->len < sizeof(png_signature) ||
            memcmp(e->data, png_signature, sizeof(png_signature)) != 0) {
            diag_error(L->diags, e->path, 1,
                       "this file is named .png but is not a PNG picture; save it again as "
                       "PNG, or give it the name of what it is");
            return false;
        }
        *out = (struct pkg_file){e->path, e->data, e->len};
        return true;
    }
    struct buf b;
    buf_init(&b, SVG_MAX_OUTPUT);
    struct svg_notes notes = {L, e->path, 0};
    char why[256];
    int why_line = 0;
    int rc = svg_sanitise(e->data, e->len, &b, svg_note, &notes, why, sizeof(why), &why_line);
    if (notes.count > MAX_SVG_NOTES)
        diag_warning(L->diags, e->path, 1, "%zu more parts were taken out of this picture",
                     notes.count - MAX_SVG_NOTES);
    if (rc != 0) {
        diag_error(L->diags, e->path, why_line > 0 ? why_line : 1, "this file is named .svg but %s",
                   why);
        buf_release(&b);
        return false;
    }
    char *copy = arena_strndup(L->a, b.ptr, b.len);
    *out = (struct pkg_file){e->path, (const unsigned char *)copy, b.len};
    buf_release(&b);
    return true;
}

/* Whether path is a language's interface catalog, translations/LL/interface.yaml, which the
 * site reads (pkg/catalog.h). */
static bool interface_catalog(const char *path)
{
    if (strncmp(path, "translations/", 13) != 0)
        return false;
    const char *slash = strchr(path + 13, '/');
    return slash && slash > path + 13 && strcmp(slash, "/interface.yaml") == 0;
}

/*
 * The pictures pages use, checked and made safe (every other file in images/ is left out),
 * and the interface catalogs, kept as they are for the site.
 */
void load_files(struct loader *L)
{
    struct pkg *p = L->p;
    size_t n = 0;
    for (size_t i = 0; i < L->fs->count; i++)
        n += strncmp(L->fs->files[i].path, "images/", 7) == 0 ||
             interface_catalog(L->fs->files[i].path);
    p->files = arena_alloc(L->a, n * sizeof(*p->files) + 1);
    for (size_t i = 0; i < L->fs->count; i++) {
        const struct file_entry *e = &L->fs->files[i];
        size_t len = strlen(e->path);
        if (interface_catalog(e->path)) {
            p->files[p->file_count++] = (struct pkg_file){e->path, e->data, e->len};
            continue;
        }
        if (strncmp(e->path, "images/", 7) != 0)
            continue;
        if (!(len > 4 && (strcasecmp(e->path + len - 4, ".png") == 0 ||
                          strcasecmp(e->path + len - 4, ".svg") == 0))) {
            diag_warning(L->diags, e->path, 1,
                         "only SVG and PNG pictures are published; this file is not");
            continue;
        }
        struct pkg_file f;
        if (!load_image(L, e, &f))
            continue;
        if (!image_used(L, e->path)) {
            diag_warning(L->diags, e->path, 1,
                         "no page uses this picture, so it is not published; use it on a "
                         "page, or take it out of the package");
            continue;
        }
        p->files[p->file_count++] = f;
    }
}
