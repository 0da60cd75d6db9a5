/*
 * CSV cells. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return, which some strip first) as a formula, so a pupil's comment could become a live
 * formula on a staff computer. Such cells get a leading apostrophe and show as text.
 */
#include "report/report.h"

#include <string.h>

void csv_add_cell(struct buf *b, const char *s, size_t len)
{
    bool formula = len > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    bool quote = formula;
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
        quote = true;
    if (!quote) {
        buf_add(b, s, len);
        return;
    }
    buf_addc(b, '"');
    if (formula)
        buf_addc(b, '\'');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') {
            buf_add(b, s + start, i + 1 - start);
            buf_addc(b, '"');
            start = i + 1;
        }
    }
    buf_add(b, s + start, len - start);
    buf_addc(b, '"');
}

void csv_adds_cell(struct buf *b, const char *s)
{
    csv_add_cell(b, s ? s : "", s ? strlen(s) : 0);
}
