/*
 * The package loader on small packages held in memory: what the model holds after a clean
 * load, where problems are reported (file and line), the limits on hostile input, and the
 * small syntaxes (ids, versions, dates, phone numbers, web addresses).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/check.h"
#include "pkg/internal.h"
#include "pkg/pkg.h"

#define ENTRY(path, text)                                                                          \
    {                                                                                              \
        path, (const unsigned char *)(text), sizeof(text) - 1                                      \
    }

static const char manifest[] = "id: tiny\n"
                               "title: Tiny\n"
                               "version: 2.1.0\n"
                               "language: en-GB\n"
                               "audience: Testers\n"
                               "reading_age: 10.5\n"
                               "pages: [start, story, ways, feedback, support]\n"
                               "support:\n"
                               "  - id: childline\n"
                               "    name: Childline\n"
                               "    for: Anyone under 19.\n"
                               "    phone: 0800 1111\n"
                               "    source: https://www.childline.org.uk/\n"
                               "    checked: 2024-09-01\n"
                               "  - id: police\n"
                               "    name: Police\n"
                               "    for: Danger now.\n"
                               "    phone: '999'\n"
                               "    emergency: true\n"
                               "    source: https://www.police.uk/\n"
                               "    checked: 2024-09-01\n"
                               "changes:\n"
                               "  - version: 2.1.0\n"
                               "    date: 2024-09-01\n"
                               "    items: [Shorter story., New replies.]\n";

static const char start_page[] = "---\n"
                                 "title: Start here\n"
                                 "nav_title: Start\n"
                                 "---\n"
                                 "Read the [story](story.md).\n";

static const char story_page[] = "---\n"
                                 "title: Story\n"
                                 "kind: story\n"
                                 "characters:\n"
                                 "  - {id: sam, name: Sam, me: true}\n"
                                 "  - {id: alex, name: Alex}\n"
                                 "steps:\n"
                                 "  - id: begin\n"
                                 "    messages:\n"
                                 "      - {from: alex, text: hey}\n"
                                 "      - {text: Sam waits.}\n"
                                 "    choices:\n"
                                 "      - {text: Say no, next: no}\n"
                                 "      - {text: Send it, next: sent}\n"
                                 "  - id: 'no'\n"
                                 "    ending: Said no\n"
                                 "    text: |\n"
                                 "      Well done.\n"
                                 "  - id: sent\n"
                                 "    ending: true\n"
                                 "    text: Shared.\n"
                                 "---\n";

static const char ways_page[] = "---\n"
                                "title: Ways\n"
                                "kind: strategies\n"
                                "strategies:\n"
                                "  - id: humour\n"
                                "    title: Humour\n"
                                "    how: |\n"
                                "      Send a potato.\n"
                                "    replies:\n"
                                "      - id: r-potato\n"
                                "        text: A potato\n"
                                "        image: images/potato.svg\n"
                                "        alt: A potato\n"
                                "---\n";

static const char feedback_page[] = "---\n"
                                    "title: Feedback\n"
                                    "kind: survey\n"
                                    "questions:\n"
                                    "  - {id: q-tell, type: yesno, text: Would you tell?, "
                                    "correct: yes}\n"
                                    "  - {id: q-more, type: text, when: start, text: More?}\n"
                                    "---\n";

static const char support_page[] = "---\ntitle: Help\nkind: support\n---\n";

static const char potato[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";

/* Loads and checks entries; returns the package (maybe NULL) and fills diags. */
static struct pkg *load(const struct file_entry *entries, size_t n, struct fileset *fs,
                        struct diag_list *diags)
{
    diag_list_init(diags);
    fileset_borrow(fs, entries, n);
    struct pkg *p = pkg_load(fs, diags);
    if (p)
        pkg_check(p, fs, diags);
    diag_sort(diags);
    return p;
}

/* Whether diags holds exactly the line "FILE:LINE: error: MESSAGE" (or warning), as
 * diag_write() writes it for the command line. */
static bool has_diag(const struct diag_list *diags, const char *want)
{
    struct buf all;
    buf_init(&all, BUF_MAX_DEFAULT);
    diag_write(diags, NULL, DIAG_WARNING, &all);
    size_t n = strlen(want);
    bool found = false;
    for (const char *line = all.ptr; line && *line && !found;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        found = len == n && memcmp(line, want, n) == 0;
        line += len + (end != NULL);
    }
    buf_release(&all);
    if (found)
        return true;
    print_error("missing diagnostic: %s\nhave:\n", want);
    diag_print(diags, "  ", DIAG_WARNING, stderr);
    return false;
}

static void test_clean_package_model(void **state)
{
    (void)state;
    const struct file_entry entries[] = {
        ENTRY("package.yaml", manifest),           ENTRY("pages/start.md", start_page),
        ENTRY("pages/story.md", story_page),       ENTRY("pages/ways.md", ways_page),
        ENTRY("pages/feedback.md", feedback_page), ENTRY("pages/support.md", support_page),
        ENTRY("images/potato.svg", potato),
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, sizeof(entries) / sizeof(entries[0]), &fs, &diags);
    assert_non_null(p);
    if (diags.count)
        diag_print(&diags, "unexpected: ", DIAG_WARNING, stderr);
    assert_int_equal(diags.count, 0);

    assert_string_equal(p->id, "tiny");
    assert_string_equal(p->version, "2.1.0");
    assert_true(p->reading_age == 10.5);
    assert_string_equal(p->exit_url, "https://www.bbc.co.uk/weather");
    assert_int_equal(p->page_count, 5);
    assert_string_equal(p->pages[0].id, "start");
    assert_string_equal(p->pages[0].nav_title, "Start");
    assert_int_equal(p->pages[0].body_line, 5);
    assert_string_equal(p->pages[0].body, "Read the [story](story.md).\n");
    assert_string_equal(p->pages[0].loc.file, "pages/start.md");

    const struct pkg_page *story = pkg_page(p, "story");
    assert_non_null(story);
    assert_int_equal(story->kind, PAGE_STORY);
    assert_ptr_equal(pkg_page_of_kind(p, PAGE_STORY), story);
    const struct pkg_story *s = &story->story;
    assert_int_equal(s->character_count, 2);
    assert_true(s->characters[0].me);
    assert_int_equal(s->step_count, 3);
    const struct pkg_step *begin = pkg_step(s, "begin");
    assert_ptr_equal(begin, &s->steps[0]);
    assert_int_equal(begin->loc.line, 8);
    assert_int_equal(begin->message_count, 2);
    assert_ptr_equal(begin->messages[0].from, &s->characters[1]);
    assert_null(begin->messages[1].from);
    assert_int_equal(begin->choice_count, 2);
    assert_ptr_equal(begin->choices[0].next, pkg_step(s, "no"));
    assert_ptr_equal(begin->choices[1].next, pkg_step(s, "sent"));
    assert_int_equal(begin->choices[1].loc.line, 14);
    const struct pkg_step *no = pkg_step(s, "no");
    assert_true(no->ending);
    assert_string_equal(no->ending_title, "Said no");
    assert_string_equal(no->text, "Well done.\n");
    assert_int_equal(no->text_line, 18); /* the block's text, below "text: |" */
    const struct pkg_step *sent = pkg_step(s, "sent");
    assert_true(sent->ending);
    assert_null(sent->ending_title);
    assert_null(pkg_step(s, "nowhere"));

    const struct pkg_page *ways = pkg_page(p, "ways");
    assert_int_equal(ways->strategy_count, 1);
    assert_int_equal(ways->strategies[0].how_line, 8);
    assert_string_equal(ways->strategies[0].replies[0].image, "images/potato.svg");
    assert_non_null(pkg_file(p, "images/potato.svg"));
    assert_null(pkg_file(p, "images/none.svg"));

    const struct pkg_page *fb = pkg_page(p, "feedback");
    assert_int_equal(fb->survey_count, 2);
    assert_int_equal(fb->survey[0].type, SURVEY_YESNO);
    assert_int_equal(fb->survey[0].when, SURVEY_END);
    assert_int_equal(fb->survey[1].type, SURVEY_TEXT);
    assert_int_equal(fb->survey[1].when, SURVEY_START);
    assert_int_equal(fb->survey[1].max_length, 500);
    /* A knowledge item knows its right answer; other questions have none. */
    assert_string_equal(fb->survey[0].correct, "yes");
    assert_null(fb->survey[1].correct);

    assert_int_equal(p->support_count, 2);
    const struct pkg_support *cl = pkg_support_entry(p, "childline");
    assert_string_equal(cl->tel, "08001111");
    assert_false(cl->emergency);
    assert_true(pkg_support_entry(p, "police")->emergency);
    assert_string_equal(pkg_support_entry(p, "police")->tel, "999");
    assert_null(pkg_support_entry(p, "nobody"));
    assert_int_equal(p->change_count, 1);
    assert_int_equal(p->changes[0].item_count, 2);
    assert_string_equal(p->changes[0].items[1], "New replies.");

    assert_string_equal(pkg_page_kind_name(PAGE_STRATEGIES), "strategies");
    assert_string_equal(pkg_survey_type_name(SURVEY_SCALE), "scale");
    assert_null(pkg_page(p, "nope"));
    assert_null(pkg_page_of_kind(p, PAGE_PLAN));

    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

static void test_no_manifest(void **state)
{
    (void)state;
    const struct file_entry entries[] = {ENTRY("pages/start.md", start_page)};
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, 1, &fs, &diags);
    assert_null(p);
    assert_int_equal(diags.count, 1);
    assert_true(has_diag(&diags, "package.yaml:0: error: there is no package.yaml: a package is "
                                 "a folder holding package.yaml and a pages folder"));
    pkg_free(NULL); /* release functions accept NULL */
    fileset_release(&fs);
    diag_list_release(&diags);
}

static const char one_page_manifest[] = "id: one\ntitle: One\nversion: 1.0.0\nlanguage: en\n"
                                        "audience: Testers\nreading_age: 11\npages: [start]\n";

/* Checks a one-page package whose start page is text; expects exactly want (one line). */
static void expect_single(const char *page, size_t page_len, const char *want)
{
    const struct file_entry entries[] = {
        ENTRY("package.yaml", one_page_manifest),
        {"pages/start.md", (const unsigned char *)page, page_len},
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, 2, &fs, &diags);
    assert_non_null(p);
    assert_true(has_diag(&diags, want));
    if (diags.count != 1)
        diag_print(&diags, "  ", DIAG_WARNING, stderr);
    assert_int_equal(diags.count, 1);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

static void test_front_matter_lines_are_file_lines(void **state)
{
    (void)state;
    static const char page[] = "---\ntitle: A\nsummary: x: y\n---\nBody.\n";
    expect_single(page, sizeof(page) - 1,
                  "pages/start.md:3: error: YAML syntax error: a ':' is not allowed here: if the "
                  "text holds ': ', put the whole text in quotes; otherwise check the "
                  "indentation");
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    static const char page[] = "\xEF\xBB\xBF---\r\ntitle: A\r\nkind: txet\r\n---\r\nBody.\r\n";
    expect_single(page, sizeof(page) - 1,
                  "pages/start.md:3: error: unknown page kind 'txet'; did you mean 'text'? (one "
                  "of: text, story, questions, strategies, plan, support, survey, lesson, "
                  "letter)");
}

static void test_every_problem_in_a_file(void **state)
{
    (void)state;
    static const char page[] = "---\ntitel: A\nsumary: B\nnav: C\n---\nBody.\n";
    const struct file_entry entries[] = {
        ENTRY("package.yaml", one_page_manifest),
        ENTRY("pages/start.md", page),
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, 2, &fs, &diags);
    assert_int_equal(diag_count(&diags, DIAG_ERROR), 3);
    assert_true(has_diag(&diags, "pages/start.md:2: error: unknown key 'titel' in the front "
                                 "matter; did you mean 'title'?"));
    assert_true(has_diag(&diags, "pages/start.md:3: error: unknown key 'sumary' in the front "
                                 "matter; did you mean 'summary'?"));
    assert_true(has_diag(&diags, "pages/start.md:4: error: unknown key 'nav' in the front "
                                 "matter (known keys: title, nav_title, summary, kind, "
                                 "audience)"));
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

static void test_duplicate_yaml_key(void **state)
{
    (void)state;
    static const char page[] = "---\ntitle: A\ntitle: B\n---\nBody.\n";
    expect_single(page, sizeof(page) - 1,
                  "pages/start.md:3: error: 'title' is given twice (first on line 2)");
}

/* No question may take the name of one of the feedback form's own fields (c, part). */
static void test_question_ids_of_form_fields(void **state)
{
    (void)state;
    static const char page[] = "---\ntitle: A\nkind: survey\nquestions:\n  - id: part\n"
                               "    type: yesno\n    text: A question?\n---\nBody.\n";
    const struct file_entry entries[] = {
        ENTRY("package.yaml", one_page_manifest),
        {"pages/start.md", (const unsigned char *)page, sizeof(page) - 1},
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, 2, &fs, &diags);
    assert_int_equal(diag_count(&diags, DIAG_ERROR), 1);
    assert_true(has_diag(&diags, "pages/start.md:5: error: 'part' is the name of one of the "
                                 "feedback form's own fields, so no question may have it as its "
                                 "id; choose another, e.g. 'q-part'"));
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

/* A page whose front matter is the given YAML, and a body. */
static char *page_with(const char *front, size_t *len)
{
    struct buf b;
    buf_init(&b, (size_t)16 << 20);
    buf_addf(&b, "---\ntitle: Limits\n%s---\nBody.\n", front);
    return buf_detach(&b, len);
}

static void test_limit_items(void **state)
{
    (void)state;
    struct buf y;
    buf_init(&y, (size_t)1 << 20);
    buf_adds(&y, "summary:\n");
    for (int i = 0; i < 1001; i++)
        buf_adds(&y, "  - x\n");
    size_t len;
    char *page = page_with(y.ptr, &len);
    expect_single(page, len,
                  "pages/start.md:1004: error: this list holds more than 1000 items, the most "
                  "allowed");
    free(page);
    buf_release(&y);
}

static void test_limit_text(void **state)
{
    (void)state;
    struct buf y;
    buf_init(&y, (size_t)1 << 20);
    buf_adds(&y, "summary: ");
    for (int i = 0; i < 65537; i++)
        buf_addc(&y, 'a');
    buf_addc(&y, '\n');
    size_t len;
    char *page = page_with(y.ptr, &len);
    expect_single(page, len,
                  "pages/start.md:3: error: this text is longer than 65536 bytes, the most "
                  "allowed in front matter or package.yaml");
    free(page);
    buf_release(&y);
}

static void test_limit_values(void **state)
{
    (void)state;
    struct buf y;
    buf_init(&y, (size_t)4 << 20);
    /* 200 maps of 60 keys each: 24000 values in all, each list and map under its limit. */
    buf_adds(&y, "summary:\n");
    for (int i = 0; i < 200; i++) {
        buf_adds(&y, "  - {");
        for (int k = 0; k < 60; k++)
            buf_addf(&y, "%sk%d: v", k ? ", " : "", k);
        buf_adds(&y, "}\n");
    }
    size_t len;
    char *page = page_with(y.ptr, &len);
    /* Value 20001 is in map 166 (line 169): four values before the maps, then 121 per map. */
    expect_single(page, len,
                  "pages/start.md:169: error: this file holds more than 20000 YAML values, the "
                  "most a package file may hold");
    free(page);
    buf_release(&y);
}

static void test_limit_page_size(void **state)
{
    (void)state;
    size_t len = PKG_MAX_PAGE_BYTES + 1;
    char *page = malloc(len + 1);
    memset(page, 'a', len);
    memcpy(page, "---\ntitle: Big\n---\n", 19);
    page[len] = '\0';
    expect_single(page, len,
                  "pages/start.md:1: error: the page is larger than 1048576 bytes, the most "
                  "allowed");
    free(page);
}

static void test_limit_link_problems(void **state)
{
    (void)state;
    struct buf page;
    buf_init(&page, (size_t)1 << 20);
    buf_adds(&page, "---\ntitle: Links\n---\n");
    for (int i = 0; i < 150; i++)
        buf_addf(&page, "[a](nowhere-%d.md)\n\n", i);
    const struct file_entry entries[] = {
        ENTRY("package.yaml", one_page_manifest),
        {"pages/start.md", (const unsigned char *)page.ptr, page.len},
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, 2, &fs, &diags);
    /* The first hundred are reported, then one line says that there are more. */
    assert_int_equal(diags.count, 101);
    assert_true(has_diag(&diags, "pages/start.md:4: error: link to 'nowhere-0.md', but there "
                                 "is no page 'nowhere-0'"));
    assert_true(has_diag(&diags, "pages/start.md:202: error: there are 100 or more problems "
                                 "with links and pictures on this page; fix these, then check "
                                 "again for the rest"));
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
    buf_release(&page);
}

static void test_yaml_document_not_a_map(void **state)
{
    (void)state;
    static const char bad_manifest[] = "- id: one\n- title: One\n";
    const struct file_entry entries[] = {
        ENTRY("package.yaml", bad_manifest),
        ENTRY("pages/start.md", start_page),
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, 2, &fs, &diags);
    assert_non_null(p);
    /* The page is still read (from pages/), so its problems show as well. */
    assert_int_equal(p->page_count, 1);
    assert_true(has_diag(&diags, "package.yaml:1: error: package.yaml should be a set of keys "
                                 "such as 'id: my-package' and 'title: ...', not a list"));
    assert_true(has_diag(&diags, "pages/start.md:5: error: link to 'story.md', but there is no "
                                 "page 'story'; did you mean 'start.md'?"));
    assert_int_equal(diags.count, 2);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

static void test_ids(void **state)
{
    (void)state;
    assert_true(pkg_id_valid("say-no"));
    assert_true(pkg_id_valid("q1"));
    assert_true(pkg_id_valid("a"));
    assert_true(pkg_id_valid("abcdefghij-abcdefghij-abcdefghij-abcdefg")); /* 40 */
    assert_false(pkg_id_valid("abcdefghij-abcdefghij-abcdefghij-abcdefgh"));
    assert_false(pkg_id_valid(""));
    assert_false(pkg_id_valid("1st"));
    assert_false(pkg_id_valid("Say-no"));
    assert_false(pkg_id_valid("say_no"));
    assert_false(pkg_id_valid("say--no"));
    assert_false(pkg_id_valid("say-"));
    assert_false(pkg_id_valid("-say"));
    assert_false(pkg_id_valid("say no"));
}

static void test_versions_and_dates(void **state)
{
    (void)state;
    assert_true(pkg_version_valid("1.0.0"));
    assert_true(pkg_version_valid("10.20.300"));
    assert_false(pkg_version_valid("1.0"));
    assert_false(pkg_version_valid("1.0.0.0"));
    assert_false(pkg_version_valid("01.0.0"));
    assert_false(pkg_version_valid("1.0.0-beta"));
    assert_false(pkg_version_valid("v1.0.0"));
    assert_false(pkg_version_valid("1..0"));
    assert_true(pkg_date_valid("2024-02-29"));
    assert_true(pkg_date_valid("2000-02-29"));
    assert_false(pkg_date_valid("1900-02-29"));
    assert_false(pkg_date_valid("2023-02-29"));
    assert_false(pkg_date_valid("2024-04-31"));
    assert_false(pkg_date_valid("2024-13-01"));
    assert_false(pkg_date_valid("2024-00-10"));
    assert_false(pkg_date_valid("2024-1-01"));
    assert_false(pkg_date_valid("24-01-01"));
    assert_false(pkg_date_valid("2024/01/01"));
}

static void test_phone_numbers(void **state)
{
    (void)state;
    static const char *const good[][2] = {
        {"999", "999"},
        {"101", "101"},
        {"116 123", "116123"},
        {"0800 1111", "08001111"},
        {"0808 800 5000", "08088005000"},
        {"0800 555 111", "0800555111"},
        {"020 7946 0000", "02079460000"},
        {"01632 960000", "01632960000"},
        {"+44 20 7946 0000", "+442079460000"},
    };
    static const char *const bad[] = {
        "",
        "99",
        "9999",
        "0800-1111",
        "0800 11l1",
        "020 7946 000",
        "0020 7946 0000",
        "+44 020 7946 0000",
        "116 12",
        "123456",
        "(020) 7946 0000",
        "0800 1111 11 11",
    };
    char tel[32];
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        if (!pkg_phone_normalise(good[i][0], tel, sizeof(tel)))
            fail_msg("'%s' should be accepted", good[i][0]);
        assert_string_equal(tel, good[i][1]);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (pkg_phone_normalise(bad[i], tel, sizeof(tel)))
            fail_msg("'%s' should be refused", bad[i]);
        assert_string_equal(tel, "");
    }
    assert_true(pkg_sms_valid("85258"));
    assert_true(pkg_sms_valid("07700 900123"));
    assert_false(pkg_sms_valid("8525"));
    assert_false(pkg_sms_valid("text 85258"));
}

static void test_web_addresses(void **state)
{
    (void)state;
    assert_true(pkg_https_url_valid("https://www.childline.org.uk/"));
    assert_true(pkg_https_url_valid("https://www.childline.org.uk"));
    assert_true(pkg_https_url_valid("https://ceop.police.uk/safety-centre/?a=1#top"));
    assert_true(pkg_https_url_valid("https://example.org:8443/x"));
    assert_false(pkg_https_url_valid("http://www.childline.org.uk/"));
    assert_false(pkg_https_url_valid("www.childline.org.uk"));
    assert_false(pkg_https_url_valid("https://"));
    assert_false(pkg_https_url_valid("https://localhost/"));
    assert_false(pkg_https_url_valid("https://exa mple.org/"));
    assert_false(pkg_https_url_valid("https://example.org/a b"));
    assert_false(pkg_https_url_valid("https://example.org/\"onmouseover=\"x"));
    assert_false(pkg_https_url_valid("https://-example.org/"));
    assert_false(pkg_https_url_valid("https://example..org/"));
    assert_false(pkg_https_url_valid("https://example.org:/"));
    assert_false(pkg_https_url_valid("https://user@example.org/"));
}

static void test_suggestions(void **state)
{
    (void)state;
    assert_int_equal(pkg_edit_distance("tittle", "title", 3), 1);
    assert_int_equal(pkg_edit_distance("tilte", "title", 3), 1); /* a transposition */
    assert_int_equal(pkg_edit_distance("Title", "title", 3), 0);
    assert_int_equal(pkg_edit_distance("kitten", "sitting", 3), 3);
    assert_int_equal(pkg_edit_distance("kitten", "sitting", 2), SIZE_MAX);
    struct suggest sg;
    suggest_init(&sg, "stratgies");
    suggest_try(&sg, "steps");
    suggest_try(&sg, "strategies");
    suggest_try(&sg, "sections");
    assert_string_equal(sg.best, "strategies");
    suggest_init(&sg, "colour");
    suggest_try(&sg, "title");
    suggest_try(&sg, "kind");
    assert_null(sg.best);
    /* One letter is not a near miss for a two-letter word. */
    suggest_init(&sg, "x");
    suggest_try(&sg, "id");
    assert_null(sg.best);
}

/*
 * Loads and checks the embedded default package; fails on any error, and on any warning
 * but a translation's. What check says of a translation (a draft, a text whose English has
 * changed since it was translated) is for its translator and by design never stops the
 * package being published, so a change to the English must not fail this test either.
 */
static struct pkg *load_default(struct fileset *fs, struct diag_list *diags)
{
    diag_list_init(diags);
    fileset_borrow(fs, embedded_package, embedded_package_count);
    struct pkg *p = pkg_load(fs, diags);
    assert_non_null(p);
    pkg_check(p, fs, diags);
    size_t others = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const struct diag *d = &diags->items[i];
        if (d->severity == DIAG_ERROR || strncmp(d->file, "translations/", 13) != 0)
            others++;
    }
    if (others)
        diag_print(diags, "packages/default/", DIAG_WARNING, stderr);
    assert_int_equal(others, 0);
    return p;
}

/* The embedded default package must load with no error and no warning. */
static void test_default_package(void **state)
{
    (void)state;
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load_default(&fs, &diags);
    assert_true(p->page_count > 0);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

/*
 * After the reader sends a picture, a story must not end without help: the step a "Send a
 * picture" choice leads to offers real choices (at least two), and every ending reachable
 * from it points to help (a link to the "already happened" page or the support page).
 * Every story in the default package has such a choice, so the test cannot pass empty.
 */
static void walk_after_sending(const struct pkg_step *st, const struct pkg_step **seen, size_t *n,
                               size_t cap)
{
    for (size_t i = 0; i < *n; i++)
        if (seen[i] == st)
            return;
    assert_true(*n < cap);
    seen[(*n)++] = st;
    if (st->ending) {
        bool helps = st->text && (strstr(st->text, "](already-happened.md") ||
                                  strstr(st->text, "](support.md"));
        if (!helps)
            fprintf(stderr, "ending '%s' after sending has no help path\n", st->id);
        assert_true(helps);
        return;
    }
    for (size_t i = 0; i < st->choice_count; i++)
        walk_after_sending(st->choices[i].next, seen, n, cap);
}

static void test_default_stories_help_after_sending(void **state)
{
    (void)state;
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load_default(&fs, &diags);
    size_t stories = 0;
    for (size_t i = 0; i < p->page_count; i++) {
        const struct pkg_page *page = &p->pages[i];
        if (page->kind != PAGE_STORY)
            continue;
        stories++;
        size_t sends = 0;
        for (size_t k = 0; k < page->story.step_count; k++) {
            const struct pkg_step *st = &page->story.steps[k];
            for (size_t c = 0; c < st->choice_count; c++) {
                if (strncmp(st->choices[c].text, "Send a picture", 14) != 0)
                    continue;
                sends++;
                const struct pkg_step *after = st->choices[c].next;
                assert_non_null(after);
                if (after->choice_count < 2)
                    fprintf(stderr, "step '%s' after sending offers %zu choice(s)\n", after->id,
                            after->choice_count);
                assert_true(after->choice_count >= 2);
                const struct pkg_step *seen[500];
                size_t n = 0;
                walk_after_sending(after, seen, &n, 500);
            }
        }
        assert_true(sends > 0);
    }
    assert_true(stories >= 2);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

/*
 * The default survey can show change: every question asked at the start is asked at the end
 * in the same words (its id with "end" for "start"), no question asks "now", every
 * multiple choice offers "None of these", and there are confidence scales and knowledge items
 * (with their right answers) at both ends.
 */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; (p = strstr(p, word)) != NULL; p += n) {
        bool left = p == text || !((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z');
        bool right = !((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z');
        if (left && right)
            return true;
    }
    return false;
}

static void test_default_survey(void **state)
{
    (void)state;
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load_default(&fs, &diags);
    const struct pkg_page *fb = pkg_page(p, "feedback");
    assert_non_null(fb);
    size_t scales = 0, knowledge = 0, none = 0;
    for (size_t i = 0; i < fb->survey_count; i++) {
        const struct survey_question *q = &fb->survey[i];
        /* A question's words must not lead; the comment box may say where to get help now. */
        if (q->type != SURVEY_TEXT && (has_word(q->text, "now") || has_word(q->text, "Now")))
            fail_msg("%s leads with \"now\": %s", q->id, q->text);
        if (q->type == SURVEY_SINGLE || q->type == SURVEY_MULTI) {
            bool found = false;
            for (size_t j = 0; j < q->option_count; j++)
                found = found || strcmp(q->options[j].label, "None of these") == 0;
            if (!found)
                fail_msg("%s has no \"None of these\"", q->id);
            none++;
        }
        if (q->when != SURVEY_START)
            continue;
        const char *tail = strstr(q->id, "-start");
        assert_non_null(tail);
        char end_id[64];
        snprintf(end_id, sizeof(end_id), "%.*send", (int)(tail - q->id + 1), q->id);
        const struct survey_question *e = NULL;
        for (size_t j = 0; j < fb->survey_count; j++)
            if (strcmp(fb->survey[j].id, end_id) == 0)
                e = &fb->survey[j];
        if (!e)
            fail_msg("%s is asked at the start and not at the end (%s)", q->id, end_id);
        assert_int_equal(e->when, SURVEY_END);
        assert_int_equal(e->type, q->type);
        assert_string_equal(e->text, q->text);
        assert_int_equal(e->option_count, q->option_count);
        for (size_t j = 0; j < q->option_count; j++)
            assert_string_equal(e->options[j].label, q->options[j].label);
        if (q->correct) {
            assert_non_null(e->correct);
            assert_string_equal(e->correct, q->correct);
            knowledge++;
        }
        scales += q->type == SURVEY_SCALE;
    }
    assert_true(scales >= 3);
    assert_true(knowledge >= 2);
    assert_true(none >= 2);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

/* safeguarding.yaml: a list per language, each problem at its line, and the model it gives. */
static void test_disclosure_words(void **state)
{
    (void)state;
    static const char words[] = "# Words\n"
                                "disclosure_words:\n"
                                "  en:\n"
                                "    - something to tell\n"
                                "    - Something  TO tell\n"
                                "    - suicid*\n"
                                "    - '*hurt'\n"
                                "    - ' - '\n"
                                "    - me\n"
                                "    - [a, list]\n"
                                "  cy:\n"
                                "    - brifo fy hun\n"
                                "  not a tag:\n"
                                "    - x y\n"
                                "  fr: a phrase\n"
                                "colours: []\n";
    const struct file_entry entries[] = {
        ENTRY("package.yaml", manifest),           ENTRY("pages/start.md", start_page),
        ENTRY("pages/story.md", story_page),       ENTRY("pages/ways.md", ways_page),
        ENTRY("pages/feedback.md", feedback_page), ENTRY("pages/support.md", support_page),
        ENTRY("images/potato.svg", potato),        ENTRY("safeguarding.yaml", words),
    };
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p = load(entries, sizeof(entries) / sizeof(entries[0]), &fs, &diags);
    assert_non_null(p);
    assert_true(has_diag(&diags, "safeguarding.yaml:5: warning: 'Something  TO tell' is in the "
                                 "en list already (as 'something to tell'); once is enough"));
    assert_true(has_diag(&diags, "safeguarding.yaml:7: error: '*hurt': a '*' may only end a "
                                 "word, to match every word that begins so (hurt* matches hurt, "
                                 "hurts, hurting)"));
    assert_true(has_diag(&diags, "safeguarding.yaml:8: error: ' - ' has no word in it: give a "
                                 "word or a phrase"));
    assert_true(has_diag(&diags, "safeguarding.yaml:9: warning: 'me' alone is in many ordinary "
                                 "comments, which would all be flagged: use a phrase (\"hurt "
                                 "me\") rather than a short word"));
    assert_true(has_diag(&diags, "safeguarding.yaml:10: error: each item should be a word or a "
                                 "phrase, not a list"));
    assert_true(has_diag(&diags, "safeguarding.yaml:13: error: 'not a tag' is not a language "
                                 "tag: use one such as en, en-GB or cy"));
    assert_true(has_diag(&diags, "safeguarding.yaml:15: error: the words for 'fr' should be a "
                                 "list, one word or phrase per line starting '- ', not text"));
    assert_true(has_diag(&diags, "safeguarding.yaml:16: error: 'colours' is not a key of this "
                                 "file: it holds 'disclosure_words:' only"));
    assert_int_equal(diags.count, 8);
    assert_int_equal(p->flag_list_count, 4);
    assert_string_equal(p->flag_lists[0].language, "en");
    assert_int_equal(p->flag_lists[0].count, 3);
    assert_string_equal(p->flag_lists[0].phrases[0], "something to tell");
    assert_string_equal(p->flag_lists[0].phrases[1], "suicid*");
    assert_string_equal(p->flag_lists[0].phrases[2], "me");
    assert_string_equal(p->flag_lists[1].language, "cy");
    assert_string_equal(p->flag_lists[1].phrases[0], "brifo fy hun");
    diag_list_release(&diags);
    pkg_free(p);
    fileset_release(&fs);

    /* A list only for another language: the package's own is not covered. */
    static const char welsh_only[] = "disclosure_words:\n  cy:\n    - brifo fy hun\n";
    const struct file_entry welsh[] = {
        ENTRY("package.yaml", manifest),           ENTRY("pages/start.md", start_page),
        ENTRY("pages/story.md", story_page),       ENTRY("pages/ways.md", ways_page),
        ENTRY("pages/feedback.md", feedback_page), ENTRY("pages/support.md", support_page),
        ENTRY("images/potato.svg", potato),        ENTRY("safeguarding.yaml", welsh_only),
    };
    p = load(welsh, sizeof(welsh) / sizeof(welsh[0]), &fs, &diags);
    assert_true(has_diag(&diags, "safeguarding.yaml:1: warning: there is no list for the "
                                 "package's language, en-GB, so comments in it are never "
                                 "flagged: add one under 'en:'"));
    assert_int_equal(diags.count, 1);
    diag_list_release(&diags);
    pkg_free(p);
    fileset_release(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_package_model),
        cmocka_unit_test(test_no_manifest),
        cmocka_unit_test(test_front_matter_lines_are_file_lines),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_every_problem_in_a_file),
        cmocka_unit_test(test_duplicate_yaml_key),
        cmocka_unit_test(test_question_ids_of_form_fields),
        cmocka_unit_test(test_limit_items),
        cmocka_unit_test(test_limit_text),
        cmocka_unit_test(test_limit_values),
        cmocka_unit_test(test_limit_page_size),
        cmocka_unit_test(test_limit_link_problems),
        cmocka_unit_test(test_yaml_document_not_a_map),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_versions_and_dates),
        cmocka_unit_test(test_phone_numbers),
        cmocka_unit_test(test_web_addresses),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_default_package),
        cmocka_unit_test(test_disclosure_words),
        cmocka_unit_test(test_default_stories_help_after_sending),
        cmocka_unit_test(test_default_survey),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
