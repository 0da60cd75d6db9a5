/*
 * QR codes as inline SVG, so that pupils can open a page on their phones from the board or
 * from a printed letter. libqrencode makes the symbol; this file only draws it. The drawing
 * is one path of dark modules on a light square with the quiet zone the standard asks for,
 * in fixed colours whatever the page's colour scheme, because phone cameras read dark on
 * light. It needs no script and no style attribute, so the Content-Security-Policy holds.
 */
#include "site/render.h"

#include <qrencode.h>
#include <string.h>

/* Light modules around the symbol: the standard asks for four. */
#define QR_QUIET 4

void render_qr(struct render *r, const char *url, const char *label)
{
    struct buf *o = r->out;
    /* Level M restores about 15% of the symbol: enough for a projector's glare or a crease
     * in a letter, and still a small symbol for a long address. */
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        buf_adds(o, "<p class=\"qr-none\">This address is too long for a QR code.</p>\n");
        return;
    }
    int size = qr->width + 2 * QR_QUIET;
    buf_addf(o,
             "<svg class=\"qr-code\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
             "role=\"img\" aria-label=\"",
             size, size);
    render_text(r, label);
    buf_addf(o,
             "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
             "<path fill=\"#000\" d=\"",
             size, size);
    /* Each run of dark modules in a row is one rectangle. The low bit of each byte is the
     * module's colour; the other bits say what part of the symbol it belongs to. */
    for (int y = 0; y < qr->width; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)qr->width;
        for (int x = 0; x < qr->width;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < qr->width && (row[x] & 1))
                x++;
            buf_addf(o, "M%d %dh%dv1h-%dz", start + QR_QUIET, y + QR_QUIET, x - start, x - start);
        }
    }
    buf_adds(o, "\"/></svg>\n");
    QRcode_free(qr);
}
