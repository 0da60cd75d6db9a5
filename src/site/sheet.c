/*
 * The printable answer sheets of a survey part (/feedback/sheet): the questions of one part
 * with numbered boxes to tick, for a class that answers on paper. The start part's sheets
 * each carry a pairing word and a slip to keep; staff type the sheets in at /staff/sheets.
 */
#include "site/render.h"

#include <stdio.h>

/* One question on the sheet: its options numbered, each with a box to tick. */
static void sheet_question(struct render *r, const struct survey_question *q, size_t number)
{
    struct buf *o = r->out;
    buf_addf(o, "<li class=\"sq\">\n<p class=\"sq-text\"><span class=\"sq-no\">%zu.</span> ",
             number);
    render_text(r, q->text);
    if (q->type != SURVEY_TEXT) {
        buf_adds(o, " <em>");
        render_ui(r, q->type == SURVEY_MULTI ? UI_TICK_MANY : UI_TICK_ONE);
        buf_adds(o, "</em>");
    }
    buf_adds(o, "</p>\n");
    if (q->type == SURVEY_TEXT) {
        buf_adds(o, "<div class=\"sq-write\"></div>\n</li>\n");
        return;
    }
    buf_adds(o, "<ol class=\"sq-options\">\n");
    size_t n = survey_option_count(q);
    for (size_t i = 0; i < n; i++) {
        buf_addf(o,
                 "<li><span class=\"box\" aria-hidden=\"true\"></span> <span "
                 "class=\"sq-opt-no\">%zu</span> ",
                 i + 1);
        render_span(r, render_option_label(r, q, i));
        buf_adds(o, "</li>\n");
    }
    buf_adds(o, "<li><span class=\"box\" aria-hidden=\"true\"></span> <span "
                "class=\"sq-opt-no\">0</span> ");
    render_ui(r, UI_PREFER_NOT);
    buf_adds(o, "</li>\n</ol>\n</li>\n");
}

/* The address of a part's sheet (NULL: the page that asks which), with the class code. */
static void sheet_href(struct render *r, const char *code, const char *part)
{
    buf_adds(r->out, "sheet?");
    if (code) {
        buf_adds(r->out, WIRE_FIELD_CODE "=");
        render_text(r, code);
        if (part)
            buf_adds(r->out, "&amp;");
    }
    if (part) {
        buf_adds(r->out, WIRE_FIELD_PART "=");
        buf_adds(r->out, part);
    }
}

/* Where the pupil writes or finds the pairing word: printed on a start sheet, a box on an end
 * sheet (word NULL). */
static void sheet_word(struct render *r, enum survey_when w, const char *word)
{
    struct buf *o = r->out;
    if (w == SURVEY_START && word) {
        buf_adds(o, "<p class=\"sheet-word\">");
        render_ui(r, UI_SHEET_WORD);
        buf_adds(o, ": <strong>");
        render_text(r, word);
        buf_adds(o, "</strong></p>\n");
    } else if (w == SURVEY_END) {
        buf_adds(o, "<p class=\"sheet-word\">");
        render_ui(r, UI_SHEET_WORD_BOX);
        buf_adds(o, ": <span class=\"fill\"></span></p>\n");
    }
}

/* The slip a pupil tears off a start sheet and keeps: the same word as on the sheet. */
static void sheet_slip(struct render *r, const char *word)
{
    struct buf *o = r->out;
    buf_adds(o, "<div class=\"slip\">\n<p><span aria-hidden=\"true\">&#9986;</span> ");
    render_ui(r, UI_SHEET_SLIP_KEEP);
    buf_adds(o, "</p>\n<p class=\"big-words\">");
    render_text(r, word);
    buf_adds(o, "</p>\n<p>");
    render_ui(r, UI_SHEET_SLIP_NOTE);
    buf_adds(o, "</p>\n</div>\n");
}

/* The form that makes the start part's sheets again for another number of pupils. */
static void sheet_count_form(struct render *r, const struct site_answer_sheets *sh)
{
    struct buf *o = r->out;
    buf_adds(o, "<form method=\"get\" action=\"sheet\">\n");
    if (sh->code) {
        buf_adds(o, "<input type=\"hidden\" name=\"" WIRE_FIELD_CODE "\" value=\"");
        render_text(r, sh->code);
        buf_adds(o, "\">\n");
    }
    buf_adds(o, "<input type=\"hidden\" name=\"" WIRE_FIELD_PART "\" value=\"start\">\n"
                "<p><label for=\"sheet-n\">");
    render_ui(r, UI_SHEETS_COUNT_LABEL);
    buf_addf(o,
             "</label>\n<input id=\"sheet-n\" name=\"n\" type=\"number\" min=\"1\" "
             "max=\"%d\" value=\"%zu\"> <button type=\"submit\">",
             SITE_SHEETS_MAX, sh->count);
    render_ui(r, UI_SHEETS_MAKE);
    buf_adds(o, "</button></p>\n</form>\n");
}

void render_answer_sheet(struct render *r, const struct site_answer_sheets *sh)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    const char *code = sh->code;
    int p = sh->part ? wire_part_index(sh->part) : -1;
    if (p >= 0 && !render_part_asked(page, (enum survey_when)p))
        p = -1;
    /* Under /feedback/, so that the layout's links climb one level. */
    r->prefix = "../";
    r->up = r->site->root ? "../../" : "../";
    render_open(r, ui(r, UI_SHEETS), ui(r, UI_SHEETS_PRINTABLE), "page-sheet");
    if (p < 0) {
        buf_adds(o, "<h1>");
        render_ui(r, UI_SHEETS);
        buf_adds(o, "</h1>\n<p>");
        render_ui(r, UI_SHEETS_INTRO);
        buf_adds(o, "</p>\n");
        render_part_links(r, code, sheet_href);
        render_close(r);
        return;
    }
    enum survey_when w = (enum survey_when)p;
    /* The start part's sheets differ only in their pairing words: one page holds them all. */
    bool worded = w == SURVEY_START && sh->count > 0;
    size_t sheets = worded ? sh->count : 1;
    buf_adds(o, "<div class=\"no-print note\">\n<h1>");
    render_ui(r, UI_SHEETS);
    buf_adds(o, ": ");
    render_span(r, render_part_label(r, w));
    buf_adds(o, "</h1>\n<p>");
    if (worded) {
        char n[24];
        snprintf(n, sizeof(n), "%zu", sheets);
        render_uif(r, UI_SHEETS_COUNT_NOTE, n, NULL);
    } else {
        render_ui(r, UI_SHEETS_PRINT);
    }
    buf_adds(o, " <a href=\"");
    sheet_href(r, code, NULL);
    buf_adds(o, "\">");
    render_ui(r, UI_SHEETS_OTHER);
    buf_adds(o, "</a></p>\n");
    if (worded)
        sheet_count_form(r, sh);
    buf_adds(o, "</div>\n");
    for (size_t k = 0; k < sheets; k++) {
        const char *word = worded ? sh->words[k] : NULL;
        buf_adds(o, "<section class=\"sheet-page\">\n<h2 class=\"sheet-h\">");
        render_text(r, page->title);
        buf_adds(o, ": ");
        render_span(r, render_part_label(r, w));
        buf_adds(o, "</h2>\n<p class=\"sheet-code\">");
        render_ui(r, UI_CLASS_CODE);
        buf_adds(o, ": ");
        if (code) {
            buf_adds(o, "<strong class=\"code\">");
            render_text(r, code);
            buf_adds(o, "</strong>");
        } else {
            buf_adds(o, "<span class=\"fill\"></span>");
        }
        buf_adds(o, "</p>\n");
        sheet_word(r, w, word);
        buf_adds(o, "<p>");
        render_ui_html(r, UI_SHEET_OPTIONAL, "&#10003;");
        buf_adds(o, "</p>\n<ol class=\"sheet\">\n");
        size_t number = 0;
        for (size_t i = 0; i < page->survey_count; i++)
            if (survey_part_of(page->survey[i].when) == w)
                sheet_question(r, &page->survey[i], ++number);
        buf_adds(o, "</ol>\n");
        if (word)
            sheet_slip(r, word);
        buf_adds(o, "</section>\n");
    }
    render_close(r);
}
