#include "web/page.h"

void web_page_open(struct buf *b, const struct web_page *p)
{
    const char *css = p->site ? site_asset_path(p->site, "style.css") : NULL;
    buf_adds(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (p->staff)
        buf_adds(b, "<meta name=\"referrer\" content=\"same-origin\">\n"
                    "<meta name=\"robots\" content=\"noindex\">\n");
    if (p->refresh)
        buf_adds(b, "<meta http-equiv=\"refresh\" content=\"2\">\n");
    buf_adds(b, "<title>");
    buf_adds_html(b, p->title);
    if (p->title_tail)
        buf_adds_html(b, p->title_tail);
    buf_adds(b, "</title>\n");
    if (css) {
        buf_adds(b, "<link rel=\"stylesheet\" href=\"/");
        buf_adds_html(b, css);
        buf_adds(b, "\">\n");
    }
    buf_adds(b, "</head>\n<body");
    if (p->body_class) {
        buf_adds(b, " class=\"");
        buf_adds_html(b, p->body_class);
        buf_addc(b, '"');
    }
    buf_adds(b, ">\n");
    if (p->header)
        p->header(b, p->header_ctx);
    buf_adds(b, "<main id=\"main\">\n<h1>");
    buf_adds_html(b, p->title);
    buf_adds(b, "</h1>\n");
}

void web_page_close(struct buf *b)
{
    buf_adds(b, "</main>\n</body>\n</html>\n");
}
