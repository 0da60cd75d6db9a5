/*
 * Reading age by the Flesch-Kincaid grade: 0.39 * words/sentences + 11.8 * syllables/words
 * - 15.59, and reading age = grade + 5.
 *
 * Only prose is counted: Markdown is parsed with cmark and only its text is read (code
 * blocks and raw HTML are skipped). Sentences end at terminal punctuation, and also at the
 * end of every paragraph, heading, list item and chat message, because a reader takes each
 * of those as a unit. Syllables come from an English heuristic (vowel groups, a silent
 * final e, -le, -ed and -es endings, at least one per word) that is close enough for a
 * grade to one decimal place, not a dictionary.
 */
#include "pkg/check.h"
#include "pkg/internal.h"

#include <cmark.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"

struct counter {
    struct readability *r;
    size_t words_in_sentence;
};

/* Decodes one UTF-8 code point at s[*i] (s is valid UTF-8 from cmark or the loader). */
static uint32_t next_cp(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[*i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (*i + n > len) {
        *i = len;
        return 0xFFFD;
    }
    if (n == 2)
        c = ((c & 0x1F) << 6) | (u[*i + 1] & 0x3F);
    else if (n == 3)
        c = ((c & 0x0F) << 12) | ((u[*i + 1] & 0x3F) << 6) | (u[*i + 2] & 0x3F);
    else if (n == 4)
        c = ((c & 0x07) << 18) | ((u[*i + 1] & 0x3F) << 12) | ((u[*i + 2] & 0x3F) << 6) |
            (u[*i + 3] & 0x3F);
    *i += n;
    return c;
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2013 || c == 0x2014 || c == 0x202F || c == 0x3000;
}

/* Latin letters only: the target language is English, and accented letters appear in names. */
static bool is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Whether the last vowel group of w[0..n) (n >= 4) is not spoken: a silent final e. */
static bool silent_ending(const char *w, size_t n)
{
    char last = w[n - 1];
    char before = w[n - 2];
    bool vowel_before = strchr("aeiou", w[n - 3]) != NULL;
    if (last == 'e')
        /* "make", but not "table" (consonant + le) or "agree". */
        return !is_vowel(before) && !(before == 'l' && !is_vowel(w[n - 3]));
    if (before == 'e' && last == 'd')
        /* "liked", "played", but not "wanted", "needed" or "bullied". */
        return !vowel_before && w[n - 3] != 't' && w[n - 3] != 'd';
    if (before == 'e' && last == 's')
        /* "makes", "times", but not "places", "boxes", "watches" or "tables". */
        return !vowel_before && !strchr("sxzcg", w[n - 3]) &&
               !(w[n - 3] == 'h' && strchr("cs", w[n - 4])) &&
               !(w[n - 3] == 'l' && !is_vowel(w[n - 4]));
    return false;
}

/*
 * Whether w[i] starts a new syllable although it follows a vowel: "ia" and "io" are two
 * sounds ("me-di-a", "ra-di-o") except after c, g, s, t or x ("so-cial", "na-tion"), and
 * "io" before n is one ("mil-lion").
 */
static bool split_pair(const char *w, size_t n, size_t i)
{
    if (i < 2 || w[i - 1] != 'i' || (w[i] != 'a' && w[i] != 'o'))
        return false;
    if (strchr("cgstx", w[i - 2]))
        return false;
    return !(w[i] == 'o' && i + 1 < n && w[i + 1] == 'n');
}

/* Syllables in one run of lower-case ASCII letters. */
static size_t syllables_in(const char *w, size_t n)
{
    if (n == 0)
        return 0;
    if (n <= 3)
        return 1;
    size_t count = 0;
    bool prev = false;
    for (size_t i = 0; i < n; i++) {
        /* A leading y is a consonant ("yes"); elsewhere it sounds as a vowel ("my"). */
        bool v = is_vowel(w[i]) && !(w[i] == 'y' && i == 0);
        if (v && (!prev || split_pair(w, n, i)))
            count++;
        prev = v;
    }
    if (count > 1 && silent_ending(w, n))
        count--;
    return count ? count : 1;
}

/* Syllables in a word: letter runs (apostrophes join them) and one per run of digits. */
static size_t word_syllables(const char *s, size_t len)
{
    char run[64];
    size_t n = 0;
    size_t total = 0;
    bool digits = false;
    size_t i = 0;
    while (i < len) {
        uint32_t c = next_cp(s, len, &i);
        if (is_letter(c)) {
            if (digits) {
                total++;
                digits = false;
            }
            char a = c < 0x80 ? (char)(c | 0x20) : 'a';
            if (n < sizeof(run))
                run[n++] = a;
        } else if (is_apostrophe(c) && n > 0) {
            continue;
        } else {
            total += syllables_in(run, n);
            n = 0;
            if (is_digit(c))
                digits = true;
            else if (digits) {
                total++;
                digits = false;
            }
        }
    }
    total += syllables_in(run, n) + (digits ? 1 : 0);
    return total ? total : 1;
}

static bool is_abbreviation(const char *core, size_t n)
{
    static const char *const abbrev[] = {"mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "vs"};
    for (size_t i = 0; i < sizeof(abbrev) / sizeof(abbrev[0]); i++) {
        size_t m = strlen(abbrev[i]);
        if (m != n)
            continue;
        size_t j = 0;
        while (j < m && (core[j] | 0x20) == abbrev[i][j])
            j++;
        if (j == m)
            return true;
    }
    return false;
}

static void end_sentence(struct counter *c)
{
    if (c->words_in_sentence) {
        c->r->sentences++;
        c->words_in_sentence = 0;
    }
}

/* Counts one whitespace-separated token s[0..len). */
static void count_token(struct counter *c, const char *s, size_t len)
{
    /* The core runs from the first to the last letter or digit; the rest is punctuation. */
    size_t core_start = len;
    size_t core_end = 0;
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = next_cp(s, len, &i);
        if (is_letter(cp) || is_digit(cp)) {
            if (core_start == len)
                core_start = at;
            core_end = i;
        }
    }
    bool terminal = false;
    size_t trail = core_start == len ? 0 : core_end;
    for (size_t j = trail; j < len; j++)
        if (s[j] == '.' || s[j] == '!' || s[j] == '?' ||
            (j + 2 < len && memcmp(s + j, "\xE2\x80\xA6", 3) == 0))
            terminal = true;
    if (core_start < len) {
        c->r->words++;
        c->r->syllables += word_syllables(s + core_start, core_end - core_start);
        c->words_in_sentence++;
        if (terminal && s[core_end] == '.' &&
            is_abbreviation(s + core_start, core_end - core_start))
            terminal = false;
    }
    if (terminal)
        end_sentence(c);
}

static void count_text(struct counter *c, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        uint32_t cp = next_cp(s, len, &i);
        if (is_space(cp))
            continue;
        size_t end = i;
        while (i < len) {
            size_t at = i;
            cp = next_cp(s, len, &i);
            if (is_space(cp)) {
                i = at;
                break;
            }
            end = i;
        }
        count_token(c, s + start, end - start);
        if (i < len)
            next_cp(s, len, &i);
    }
}

void readability_add(struct readability *r, const char *text)
{
    if (!text || !*text)
        return;
    struct counter c = {r, 0};
    cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPT_DEFAULT);
    if (!doc)
        return;
    struct buf block;
    buf_init(&block, (size_t)1 << 20);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
            buf_adds(&block, cmark_node_get_literal(n));
        } else if (ev == CMARK_EVENT_ENTER &&
                   (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) {
            buf_addc(&block, ' ');
        } else if (ev == CMARK_EVENT_EXIT &&
                   (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)) {
            count_text(&c, block.ptr ? block.ptr : "", block.len);
            end_sentence(&c);
            buf_reset(&block);
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    buf_release(&block);
    end_sentence(&c);
}

double readability_grade(const struct readability *r)
{
    if (r->words == 0)
        return 0;
    double sentences = r->sentences ? (double)r->sentences : 1.0;
    return 0.39 * ((double)r->words / sentences) +
           11.8 * ((double)r->syllables / (double)r->words) - 15.59;
}

double readability_age(const struct readability *r)
{
    return r->words ? readability_grade(r) + 5 : 0;
}

static void add_all(struct readability *r, const char *a, const char *b)
{
    readability_add(r, a);
    readability_add(r, b);
}

void page_readability(const struct pkg_page *page, struct readability *out)
{
    memset(out, 0, sizeof(*out));
    add_all(out, page->title, page->summary);
    readability_add(out, page->body);
    for (size_t i = 0; i < page->story.step_count; i++) {
        const struct pkg_step *s = &page->story.steps[i];
        add_all(out, s->title, s->ending_title);
        for (size_t j = 0; j < s->message_count; j++)
            readability_add(out, s->messages[j].text);
        readability_add(out, s->text);
        for (size_t j = 0; j < s->choice_count; j++)
            readability_add(out, s->choices[j].text);
    }
    for (size_t i = 0; i < page->group_count; i++) {
        const struct pkg_question_group *g = &page->groups[i];
        readability_add(out, g->title);
        for (size_t j = 0; j < g->question_count; j++)
            add_all(out, g->questions[j].text, g->questions[j].hint);
    }
    for (size_t i = 0; i < page->strategy_count; i++) {
        const struct pkg_strategy *s = &page->strategies[i];
        add_all(out, s->title, s->summary);
        add_all(out, s->when, s->how);
        for (size_t j = 0; j < s->reply_count; j++)
            readability_add(out, s->replies[j].text);
    }
    for (size_t i = 0; i < page->plan_section_count; i++)
        add_all(out, page->plan_sections[i].title, page->plan_sections[i].prompt);
    for (size_t i = 0; i < page->survey_count; i++) {
        const struct survey_question *q = &page->survey[i];
        readability_add(out, q->text);
        for (size_t j = 0; j < q->option_count; j++)
            readability_add(out, q->options[j].label);
    }
}

/* The support page reads the package's directory, so its entries count as its prose. */
static void measure(const struct pkg *p, const struct pkg_page *page, struct readability *r)
{
    page_readability(page, r);
    if (page->kind != PAGE_SUPPORT)
        return;
    for (size_t i = 0; i < p->support_count; i++) {
        add_all(r, p->support[i].name, p->support[i].about);
        readability_add(r, p->support[i].hours);
    }
}

/* Grade rounded to the one decimal that is printed, so that "11.0" is never "above 11". */
static void rounded(const struct readability *r, double *grade, double *age)
{
    *grade = round(readability_grade(r) * 10) / 10;
    *age = *grade + 5;
}

static bool measured(const struct pkg *p, size_t i)
{
    const struct pkg_impl *impl = pkg_impl_of(p);
    return p->pages[i].audience == AUDIENCE_PUPIL && !(impl->notes && impl->notes[i].broken);
}

/* The Flesch-Kincaid formula counts English syllables: other languages are not measured. */
static bool english(const char *language)
{
    return !language ||
           (strncasecmp(language, "en", 2) == 0 && (language[2] == '\0' || language[2] == '-'));
}

void readability_check(const struct pkg *p, struct diag_list *diags)
{
    if (!english(p->language))
        return;
    for (size_t i = 0; i < p->page_count; i++) {
        if (!measured(p, i))
            continue;
        struct readability r;
        measure(p, &p->pages[i], &r);
        if (r.words < READABILITY_MIN_WORDS)
            continue;
        double grade;
        double age;
        rounded(&r, &grade, &age);
        if (age > p->reading_age)
            diag_warning(diags, p->pages[i].loc.file, 1,
                         "reading age %.1f (Flesch-Kincaid grade %.1f) is above the target of %g",
                         age, grade, p->reading_age);
    }
}

/* Says which of the package's languages the reading age was not measured in. */
static void print_unmeasured(const struct pkg *p, FILE *out)
{
    for (size_t i = 0; i < p->n_languages; i++) {
        if (english(p->languages[i]))
            continue;
        if (i == 0)
            fprintf(out,
                    "Reading age not measured: this package is in %s, and the Flesch-Kincaid "
                    "formula is for English.\n",
                    p->languages[i]);
        else
            fprintf(out,
                    "Reading age of the %s translation not measured: the Flesch-Kincaid "
                    "formula is for English.\n",
                    p->languages[i]);
    }
}

void check_print_readability(const struct pkg *p, FILE *out)
{
    if (!english(p->language)) {
        print_unmeasured(p, out);
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < p->page_count; i++) {
        if (!measured(p, i))
            continue;
        if (shown++ == 0)
            fprintf(out,
                    "Reading age of pupil pages (Flesch-Kincaid grade + 5; target %g):\n"
                    "    age  grade  words  page\n",
                    p->reading_age);
        struct readability r;
        measure(p, &p->pages[i], &r);
        if (r.words == 0) {
            fprintf(out, "      -      -      0  %-24s no text to measure\n", p->pages[i].id);
            continue;
        }
        double grade;
        double age;
        rounded(&r, &grade, &age);
        const char *verdict = r.words < READABILITY_MIN_WORDS ? "too short to judge"
                              : age > p->reading_age          ? "ABOVE target"
                                                              : "OK";
        fprintf(out, "  %5.1f  %5.1f  %5zu  %-24s %s\n", age, grade, r.words, p->pages[i].id,
                verdict);
    }
    if (shown == 0)
        fprintf(out, "No pupil pages to measure.\n");
    print_unmeasured(p, out);
}
