#include "base/textmatch.h"

#include <string.h>

#include "base/xalloc.h"

/*
 * The Latin letters of U+00C0 to U+017F without their accents, one letter each; '?' marks
 * the six pairs folded to two letters (æ, þ, ß, ĳ, œ) and ' ' the two signs × and ÷.
 */
static const char latin_fold[] = "aaaaaa?ceeeeiiiidnooooo ouuuuy??" /* U+00C0 */
                                 "aaaaaa?ceeeeiiiidnooooo ouuuuy?y" /* U+00E0 */
                                 "aaaaaaccccccccdd"                 /* U+0100 */
                                 "ddeeeeeeeeeegggg"                 /* U+0110 */
                                 "gggghhhhiiiiiiii"                 /* U+0120 */
                                 "ii??jjkkklllllll"                 /* U+0130 */
                                 "lllnnnnnnnnnoooo"                 /* U+0140 */
                                 "oo??rrrrrrssssss"                 /* U+0150 */
                                 "ssttttttuuuuuuuu"                 /* U+0160 */
                                 "uuuuwwyyyzzzzzzs";                /* U+0170 */
_Static_assert(sizeof(latin_fold) - 1 == 0x180 - 0xC0, "one letter for each of U+00C0..U+017F");

static const char *latin_pair(unsigned cp)
{
    switch (cp) {
    case 0xC6:
    case 0xE6:
        return "ae";
    case 0xDE:
    case 0xFE:
        return "th";
    case 0xDF:
        return "ss";
    case 0x132:
    case 0x133:
        return "ij";
    default:
        return "oe"; /* U+0152, U+0153 */
    }
}

/* Reads one UTF-8 character at s[*i]; returns it, or 0xFFFD for a byte that does not begin one. */
static unsigned next_char(const unsigned char *s, size_t len, size_t *i)
{
    unsigned c = s[*i];
    size_t n = c < 0x80                 ? 0
               : c >= 0xC2 && c <= 0xDF ? 1
               : c >= 0xE0 && c <= 0xEF ? 2
               : c >= 0xF0 && c <= 0xF4 ? 3
                                        : 4;
    if (n == 4 || *i + n >= len + (n == 0)) {
        (*i)++;
        return n == 0 ? c : 0xFFFD;
    }
    unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k <= n; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[*i + k] & 0x3F);
    }
    *i += n + 1;
    return cp;
}

/* Characters that join the letters around them (apostrophes) or vanish (combining accents). */
static bool dropped(unsigned cp)
{
    return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC ||
           (cp >= 0x300 && cp <= 0x36F);
}

/* Characters that are not part of a word beyond ASCII: punctuation, symbols, emoji. */
static bool separates(unsigned cp)
{
    return cp == 0xFFFD || (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

void textmatch_fold(const char *str, size_t len, struct buf *out)
{
    const unsigned char *s = (const unsigned char *)str;
    bool in_word = false;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        unsigned cp = next_char(s, len, &i);
        if (dropped(cp))
            continue;
        bool ascii_word = cp < 0x80 && ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                                        (cp >= '0' && cp <= '9'));
        if (!ascii_word && (cp < 0x80 || separates(cp))) {
            if (in_word)
                buf_addc(out, ' ');
            in_word = false;
            continue;
        }
        if (!in_word && (out->len == 0 || out->ptr[out->len - 1] != ' '))
            buf_addc(out, ' ');
        in_word = true;
        if (cp < 0x80)
            buf_addc(out, (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp));
        else if (cp >= 0xC0 && cp < 0x180 && latin_fold[cp - 0xC0] != '?')
            buf_addc(out, latin_fold[cp - 0xC0]);
        else if (cp >= 0xC0 && cp < 0x180)
            buf_adds(out, latin_pair(cp));
        else
            buf_add(out, s + start, i - start);
    }
    if (in_word)
        buf_addc(out, ' ');
}

void textmatch_init(struct textmatch *m)
{
    memset(m, 0, sizeof(*m));
    m->arena = (struct arena)ARENA_INIT;
}

void textmatch_release(struct textmatch *m)
{
    if (!m)
        return;
    arena_release(&m->arena);
    free(m->folded);
    free(m->phrases);
    memset(m, 0, sizeof(*m));
}

bool textmatch_add(struct textmatch *m, const char *phrase)
{
    struct buf b;
    buf_init(&b, 4096);
    /* The '*' of a prefix is not a letter: keep it by folding around it. */
    for (const char *s = phrase; *s;) {
        size_t n = strcspn(s, "*");
        textmatch_fold(s, n, &b);
        s += n;
        if (*s == '*') {
            if (b.len && b.ptr[b.len - 1] == ' ')
                b.ptr[--b.len] = '\0';
            if (b.len && b.ptr[b.len - 1] != '*')
                buf_addc(&b, '*');
            if (b.len)
                buf_addc(&b, ' ');
            s++;
        }
    }
    bool ok = buf_ok(&b) && b.len > 1;
    if (ok) {
        size_t cap = m->cap;
        XGROW(m->folded, cap, m->count + 1);
        XGROW(m->phrases, m->cap, m->count + 1);
        m->folded[m->count] = arena_strndup(&m->arena, b.ptr, b.len);
        m->phrases[m->count++] = phrase;
    }
    buf_release(&b);
    return ok;
}

/* Whether the folded phrase's words begin at text (just after a space). */
static bool words_at(const char *text, const char *phrase)
{
    const char *w = phrase + 1;
    while (*w) {
        size_t n = strcspn(w, " *");
        if (strncmp(text, w, n) != 0)
            return false;
        text += n;
        if (w[n] == '*') {
            text += strcspn(text, " ");
            n++;
        }
        if (*text != ' ')
            return false;
        text++;
        w += n + 1;
    }
    return true;
}

const char *textmatch_find(const struct textmatch *m, const char *text, size_t len,
                           struct buf *scratch)
{
    buf_reset(scratch);
    textmatch_fold(text, len, scratch);
    if (!buf_ok(scratch) || !scratch->len)
        return NULL;
    for (size_t i = 0; i < m->count; i++)
        for (const char *s = scratch->ptr; s; s = strchr(s + 1, ' '))
            if (s[1] && words_at(s + 1, m->folded[i]))
                return m->phrases[i];
    return NULL;
}
