/*
 * SVG pictures made safe to publish. A package's SVG is parsed as XML (libxml2) and written
 * out again holding only an allow-list of drawing elements and attributes: shapes, paths,
 * text, gradients, groups, transforms, title and desc, role and aria-* attributes. Nothing
 * that runs code or loads anything survives: scripts, event handlers, foreignObject, style,
 * references to anything but a fragment of the same picture, javascript: in any encoding.
 * An exported site may be opened from file:// or put on any web host, where planpack's own
 * Content-Security-Policy does not protect it, so the picture itself must be inert.
 */
#ifndef PLANPACK_SVG_H
#define PLANPACK_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* The most a sanitised picture may hold; a larger one is refused. */
#define SVG_MAX_OUTPUT ((size_t)4 << 20)

/*
 * Called for each part left out of the picture: its line in the source, a short description
 * ("the element <script>"), and whether it could run code or load something (risky) rather
 * than being something planpack merely does not publish.
 */
typedef void svg_removed_fn(void *ctx, int line, const char *what, bool risky);

/*
 * Parses the len bytes at data as an SVG picture and appends the safe copy to out (which
 * the caller owns; give it a limit of at least SVG_MAX_OUTPUT). Each part left out is
 * reported through removed (may be NULL). Returns 0; or -EINVAL when data is not
 * well-formed XML whose root is an SVG <svg> element, with the reason and its line in
 * why and *why_line; or -E2BIG when the copy would not fit in out.
 */
__attribute__((warn_unused_result)) int svg_sanitise(const unsigned char *data, size_t len,
                                                     struct buf *out, svg_removed_fn *removed,
                                                     void *ctx, char *why, size_t why_size,
                                                     int *why_line);

#endif
