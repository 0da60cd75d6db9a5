/*
 * The renderer, checked on a package built by hand so that each test can put exactly the
 * awkward content it needs into the model: what a young person or a browser would notice
 * in the pages (quick exit first, nothing loaded from elsewhere, package text escaped,
 * links that work in each mode, the plan and the survey) and what an export leaves on disk.
 */
#include "testutil.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "base/form.h"
#include "pkg/check.h"
#include "pkg/pkg.h"
#include "pkg/catalog.h"
#include "site/render.h"
#include "site/site.h"

/* --- a package with one page of every kind ---------------------------------------- */

static struct pkg_character characters[] = {
    {{"pages/story.md", 3}, "sam", "Sam", true},
    {{"pages/story.md", 6}, "alex", "Alex <script>alert(3)</script>", false},
};

static struct pkg_step steps[3];

static struct pkg_message start_messages[] = {
    {{"pages/story.md", 10}, &characters[1], "hey, send me a pic <script>alert(2)</script>"},
    {{"pages/story.md", 11}, NULL, "Sam's stomach flips."},
    {{"pages/story.md", 12}, &characters[0], "why?"},
};

static struct pkg_choice start_choices[] = {
    {{"pages/story.md", 14}, "Send the photo", "sent", &steps[1]},
    {{"pages/story.md", 16}, "Send a funny reply", "joke", &steps[2]},
};

static struct pkg_message sent_messages[] = {
    {{"pages/story.md", 20}, NULL, "The photo is everywhere by Monday."},
};

static struct pkg_message joke_messages[] = {
    {{"pages/story.md", 25}, &characters[0], "here's my pizza 🍕"},
};

static struct pkg_step steps[3] = {
    {.loc = {"pages/story.md", 8},
     .id = "start",
     .title = "A message",
     .messages = start_messages,
     .message_count = 3,
     .choices = start_choices,
     .choice_count = 2},
    {.loc = {"pages/story.md", 18},
     .id = "sent",
     .messages = sent_messages,
     .message_count = 1,
     .text = "It was *not* Sam's fault.",
     .ending = true,
     .ending_title = "Shared and laughed at"},
    {.loc = {"pages/story.md", 23},
     .id = "joke",
     .messages = joke_messages,
     .message_count = 1,
     .ending = true,
     .ending_title = "Laughed it off"},
};

static struct pkg_question why_questions[] = {
    {{"pages/questions.md", 5}, "q-why", "Why might someone ask?", "Think about pressure."},
    {{"pages/questions.md", 7}, "q-feel", "How would you feel?", NULL},
};

static struct pkg_question_group groups[] = {
    {{"pages/questions.md", 3}, "why", "Why do people ask?", why_questions, 2},
};

static struct pkg_reply replies[] = {
    {{"pages/ways.md", 12}, "r-pizza", "Here's my pizza instead 🍕", NULL, NULL},
    {{"pages/ways.md", 13}, "r-duck", "Quack.", "images/duck.svg", "A rubber duck"},
    {{"pages/ways.md", 15}, "r-evil", "<b>bold</b> & <script>alert(1)</script>", NULL, NULL},
};

static struct pkg_strategy strategies[] = {
    {.loc = {"pages/ways.md", 3},
     .id = "humour",
     .title = "Use humour",
     .summary = "Send something funny.",
     .when = "When you want to keep it light.",
     .how = "Pick a reply.\n\n## Tips\n\nKeep it kind.",
     .replies = replies,
     .reply_count = 3},
    {.loc = {"pages/ways.md", 20},
     .id = "say-no",
     .title = "Say no <script>",
     .summary = "Just say no."},
};

static struct pkg_plan_section plan_sections[] = {
    {{"pages/plan.md", 3},
     "my-ways",
     "Ways I feel confident with",
     PLAN_STRATEGIES,
     "Tick the ones that feel right."},
    {{"pages/plan.md", 6}, "my-replies", "Replies I like", PLAN_REPLIES, NULL},
    {{"pages/plan.md", 8}, "my-words", "What I will say", PLAN_WORDS, NULL},
    {{"pages/plan.md", 10}, "my-adults", "Adults I trust", PLAN_ADULTS, NULL},
    {{"pages/plan.md", 12}, "my-contacts", "Who I can contact", PLAN_CONTACTS, NULL},
    {{"pages/plan.md", 14}, "my-notes", "Anything else", PLAN_TEXT, NULL},
};

static struct survey_option scale_options[] = {
    {{"pages/feedback.md", 6}, "c1", "Not at all"}, {{"pages/feedback.md", 7}, "c2", "A little"},
    {{"pages/feedback.md", 8}, "c3", "Somewhat"},   {{"pages/feedback.md", 9}, "c4", "Quite"},
    {{"pages/feedback.md", 10}, "c5", "Very"},
};

static struct survey_option multi_options[] = {
    {{"pages/feedback.md", 14}, "story", "The story"},
    {{"pages/feedback.md", 15}, "plan", "Making a plan"},
};

static struct survey_question survey[] = {
    {{"pages/feedback.md", 3},
     "q-confident",
     SURVEY_SCALE,
     SURVEY_END,
     "How confident do you feel?",
     scale_options,
     5,
     0,
     NULL},
    {{"pages/feedback.md", 12},
     "q-liked",
     SURVEY_MULTI,
     SURVEY_END,
     "What helped?",
     multi_options,
     2,
     0,
     NULL},
    {{"pages/feedback.md", 17},
     "q-single",
     SURVEY_SINGLE,
     SURVEY_START,
     "Pick one",
     multi_options,
     2,
     0,
     NULL},
    {{"pages/feedback.md", 19},
     "q-told",
     SURVEY_YESNO,
     SURVEY_RETRO,
     "Before today, did you know who to tell?",
     NULL,
     0,
     0,
     NULL},
    {{"pages/feedback.md", 21},
     "q-comment",
     SURVEY_TEXT,
     SURVEY_END,
     "Anything else?",
     NULL,
     0,
     300,
     NULL},
};

static struct pkg_support support[] = {
    {.loc = {"package.yaml", 20},
     .id = "childline",
     .name = "Childline",
     .about = "For anyone under 19.",
     .phone = "0800 1111",
     .tel = "08001111",
     .url = "https://www.childline.org.uk/",
     .chat = "https://www.childline.org.uk/chat/",
     .hours = "24 hours",
     .source = "https://www.childline.org.uk/get-support/",
     .checked = "2026-01-01"},
    {.loc = {"package.yaml", 30},
     .id = "police-emergency",
     .name = "Police in an emergency",
     .about = "If you are in danger now.",
     .phone = "999",
     .tel = "999",
     .source = "https://www.police.uk/",
     .checked = "2026-01-01",
     .emergency = true},
    {.loc = {"package.yaml", 40},
     .id = "shout",
     .name = "Shout",
     .about = "Text support.",
     .sms = "85258",
     .source = "https://giveusashout.org/",
     .checked = "2026-01-01"},
};

static const unsigned char duck_svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";

static struct pkg_file files[] = {
    {"images/duck.svg", duck_svg, sizeof(duck_svg) - 1},
    {"images/notes.js", (const unsigned char *)"alert(1)", 8},
};

/* The pages of the test package; extra is a page a later version drops (for re-export). */
static struct pkg_page pages[10];

static void build_pages(void)
{
    memset(pages, 0, sizeof(pages));
    pages[0] = (struct pkg_page){
        .id = "start",
        .title = "Start here",
        .summary = "What this is <for>",
        .kind = PAGE_TEXT,
        .body = "Welcome. Read [the story](story.md), then [make a plan](plan.md) or "
                "[see the endings](story.md#two).\n\n<script>alert('raw')</script>\n\n"
                "![a tracking pixel](https://evil.example/pixel.png) "
                "![a duck](images/duck.svg) [home](start.md) "
                "[the web](https://example.org/page)\n\n# Two words\n\n## Two words\n\n## Main\n",
    };
    pages[1] = (struct pkg_page){
        .id = "story",
        .title = "Sam's story",
        .kind = PAGE_STORY,
        .body = "A story told as a chat.",
        .story = {characters, 2, steps, 3},
    };
    pages[2] = (struct pkg_page){.id = "questions",
                                 .title = "Questions",
                                 .kind = PAGE_QUESTIONS,
                                 .groups = groups,
                                 .group_count = 1};
    pages[3] = (struct pkg_page){.id = "ways",
                                 .title = "Ways to handle a request",
                                 .nav_title = "Ways",
                                 .kind = PAGE_STRATEGIES,
                                 .strategies = strategies,
                                 .strategy_count = 2};
    pages[4] = (struct pkg_page){.id = "plan",
                                 .title = "My plan",
                                 .kind = PAGE_PLAN,
                                 .body = "Make your own plan.",
                                 .plan_sections = plan_sections,
                                 .plan_section_count = 6};
    pages[5] = (struct pkg_page){
        .id = "support", .title = "Support", .kind = PAGE_SUPPORT, .body = "Help is here."};
    pages[6] = (struct pkg_page){.id = "parents",
                                 .title = "For parents and carers",
                                 .kind = PAGE_TEXT,
                                 .audience = AUDIENCE_PARENT,
                                 .body = "Talk without blame."};
    pages[7] = (struct pkg_page){.id = "feedback",
                                 .title = "Tell us what you think",
                                 .kind = PAGE_SURVEY,
                                 .survey = survey,
                                 .survey_count = 5};
    pages[8] = (struct pkg_page){
        .id = "extra", .title = "Extra", .kind = PAGE_TEXT, .body = "Only in version 1."};
}

static struct pkg test_pkg;

static const struct pkg *make_pkg(size_t page_count)
{
    build_pages();
    memset(&test_pkg, 0, sizeof(test_pkg));
    test_pkg.id = "test";
    test_pkg.title = "Think ahead <test>";
    test_pkg.version = "1.2.3";
    test_pkg.language = "en-GB";
    test_pkg.publisher = "The \"Test\" Team";
    test_pkg.reading_age = 11;
    test_pkg.exit_url = "https://www.bbc.co.uk/weather";
    test_pkg.pages = pages;
    test_pkg.page_count = page_count;
    test_pkg.support = support;
    test_pkg.support_count = 3;
    test_pkg.files = files;
    test_pkg.file_count = 2;
    return &test_pkg;
}

/* --- helpers ----------------------------------------------------------------------- */

static const char *text_of(const struct site *s, const char *path)
{
    const struct site_file *f = site_get(s, path);
    if (!f)
        fail_msg("the site has no file %s", path);
    return (const char *)f->data;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected to find\n  %s\nin a page that does not contain it", needle);
}

static void assert_lacks(const char *hay, const char *needle)
{
    const char *at = strstr(hay, needle);
    if (at)
        fail_msg("found what must not be there: %.80s", at);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static bool is_html(const struct site_file *f)
{
    size_t n = strlen(f->path);
    return n > 5 && strcmp(f->path + n - 5, ".html") == 0;
}

/* --- tests ------------------------------------------------------------------------- */

static void test_quick_exit_first_on_every_page(void **state)
{
    (void)state;
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        struct site *s = site_render(make_pkg(8), (enum site_mode)mode);
        assert_non_null(s);
        size_t pages_seen = 0;
        for (size_t i = 0; i < site_file_count(s); i++) {
            const struct site_file *f = site_file_at(s, i);
            if (!is_html(f))
                continue;
            pages_seen++;
            const char *body = strstr((const char *)f->data, "<body");
            assert_non_null(body);
            /* The lesson slides are the teacher's, shown on the classroom board. */
            if (strcmp(f->path, "teach.html") == 0) {
                assert_contains(body, "<body class=\"page-teach for-teacher\">");
                continue;
            }
            /* The first thing in the body that can take focus is the exit link. */
            const char *first = NULL;
            static const char *const focusable[] = {"<a ",       "<button", "<input",
                                                    "<textarea", "<select", "tabindex=\"0\""};
            for (size_t k = 0; k < sizeof(focusable) / sizeof(focusable[0]); k++) {
                const char *at = strstr(body, focusable[k]);
                if (at && (!first || at < first))
                    first = at;
            }
            assert_non_null(first);
            if (strncmp(first,
                        "<a id=\"exit\" class=\"exit\" href=\"https://www.bbc.co.uk/weather\"",
                        61) != 0)
                fail_msg("%s: the first focusable element is not the exit link: %.80s", f->path,
                         first);
            assert_contains(first, ">Quick exit</a>");
            assert_contains(body, "<a class=\"skip\" href=\"#main\">");
            assert_contains(body, "<main id=\"main\"");
            assert_contains(body, "role=\"status\"");
        }
        /* 8 pages, 2 more story steps, the worksheet, the lesson slides and the 404 page. */
        assert_int_equal(pages_seen, 13);
        site_free(s);
    }
}

/* Finds attribute values of src/href/srcset/data/poster in tags that load something. */
static void check_loading_tags(const char *path, const char *html)
{
    static const char *const tags[] = {"<img",    "<script", "<link",   "<iframe",
                                       "<source", "<video",  "<audio",  "<embed",
                                       "<object", "<track",  "<input ", "<frame"};
    for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
        size_t tl = strlen(tags[t]);
        for (const char *p = strstr(html, tags[t]); p; p = strstr(p + 1, tags[t])) {
            if (tags[t][tl - 1] != ' ' && p[tl] != ' ' && p[tl] != '>')
                continue;
            const char *end = strchr(p, '>');
            assert_non_null(end);
            char tag[2048];
            size_t n = (size_t)(end - p) < sizeof(tag) - 1 ? (size_t)(end - p) : sizeof(tag) - 1;
            memcpy(tag, p, n);
            tag[n] = '\0';
            if (strstr(tag, "http://") || strstr(tag, "https://") || strstr(tag, "=\"//"))
                fail_msg("%s: a tag that loads from another host: %s", path, tag);
        }
    }
}

static void test_nothing_loads_from_elsewhere(void **state)
{
    (void)state;
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        struct site *s = site_render(make_pkg(8), (enum site_mode)mode);
        assert_non_null(s);
        for (size_t i = 0; i < site_file_count(s); i++) {
            const struct site_file *f = site_file_at(s, i);
            const char *text = (const char *)f->data;
            if (is_html(f)) {
                check_loading_tags(f->path, text);
                /* The Content-Security-Policy refuses inline script and style. */
                assert_int_equal(count_of(text, "<script"), 1);
                assert_int_equal(count_of(text, "<script src=\""), 1);
                assert_lacks(text, "<style");
                assert_lacks(text, " style=");
                assert_lacks(text, " onclick=");
                assert_lacks(text, " onload=");
                assert_lacks(text, "javascript:");
            } else if (strstr(f->type, "text/css")) {
                assert_lacks(text, "@import");
                assert_lacks(text, "url(");
            }
        }
        /* The picture from another host became its alt text; the package's own stayed. */
        const char *start = text_of(s, "index.html");
        assert_contains(start, "<img src=\"images/duck.svg\" alt=\"a duck\"");
        assert_contains(start, "a tracking pixel");
        assert_lacks(start, "evil.example");
        site_free(s);
    }
}

static void test_package_text_is_escaped(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    assert_non_null(s);
    const char *story = text_of(s, "story.html");
    assert_contains(story, "hey, send me a pic &lt;script&gt;alert(2)&lt;/script&gt;");
    assert_contains(story, "Alex &lt;script&gt;alert(3)&lt;/script&gt;");
    assert_lacks(story, "alert(2)</script>");
    const char *ways = text_of(s, "ways.html");
    assert_contains(ways, "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;");
    assert_contains(ways, "<h2>Say no &lt;script&gt;</h2>");
    assert_lacks(ways, "<b>bold");
    /* Package-wide strings: title, description, publisher. */
    const char *start = text_of(s, "index.html");
    assert_contains(start, "<title>Start here – Think ahead &lt;test&gt;</title>");
    assert_contains(start, "content=\"What this is &lt;for&gt;\"");
    assert_contains(start, "The &quot;Test&quot; Team");
    /* Raw HTML in Markdown is dropped by cmark's safe mode. */
    assert_lacks(start, "alert('raw')");
    assert_lacks(start, "alert(&#39;raw&#39;)");
    assert_int_equal(count_of(start, "<script"), 1);
    /* Only pictures are published from a package's files, never a script. */
    assert_non_null(site_get(s, "images/duck.svg"));
    assert_null(site_get(s, "images/notes.js"));
    site_free(s);
}

static void test_links_are_rewritten_per_mode(void **state)
{
    (void)state;
    struct site *serve = site_render(make_pkg(8), SITE_SERVE);
    struct site *exp = site_render(make_pkg(8), SITE_EXPORT);
    assert_non_null(serve);
    assert_non_null(exp);

    const char *a = text_of(serve, "index.html");
    assert_contains(a, "<a href=\"story\">the story</a>");
    assert_contains(a, "<a href=\"plan\">make a plan</a>");
    assert_contains(a, "<a href=\"story#two\">see the endings</a>");
    assert_contains(a, "<a href=\"./\">home</a>");
    assert_contains(a, "<a href=\"https://example.org/page\">the web</a>");
    assert_contains(a, "<a class=\"next\" rel=\"next\" href=\"story\">");
    assert_lacks(a, ".md\"");

    const char *b = text_of(exp, "index.html");
    assert_contains(b, "<a href=\"story.html\">the story</a>");
    assert_contains(b, "<a href=\"plan.html\">make a plan</a>");
    assert_contains(b, "<a href=\"story.html#two\">see the endings</a>");
    assert_contains(b, "<a href=\"index.html\">home</a>");
    assert_contains(b, "<a class=\"next\" rel=\"next\" href=\"story.html\">");
    assert_lacks(b, ".md\"");
    assert_lacks(b, "href=\"./\"");

    /* Headings get ids for "page.md#heading"; a level-1 heading sits under the page's h1. */
    assert_contains(a, "<h2 id=\"two-words\">Two words</h2>");
    assert_contains(a, "<h2 id=\"two-words-2\">Two words</h2>");
    assert_contains(a, "<h2 id=\"main-2\">Main</h2>");
    assert_int_equal(count_of(a, "id=\"main\""), 1);
    assert_int_equal(count_of(a, "<h1"), 1);

    /* Story choices are links to a page per step. */
    const char *story = text_of(serve, "story.html");
    assert_contains(story, "<a class=\"choice\" href=\"story-sent\">Send the photo</a>");
    assert_contains(story, "<a class=\"choice\" href=\"story-joke\">Send a funny reply</a>");
    const char *ending = text_of(exp, "story-sent.html");
    assert_contains(ending, "<p class=\"ending\"><strong>The end</strong>: Shared and laughed at");
    assert_contains(ending, "href=\"story.html\">Read the story again");
    assert_contains(ending, "<em>not</em>");
    assert_lacks(ending, "class=\"choice\"");
    site_free(serve);
    site_free(exp);
}

static void test_story_reads_like_a_chat(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    assert_non_null(s);
    const char *story = text_of(s, "story.html");
    assert_contains(story, "<body class=\"page-story for-pupil\">");
    /* The reader's own messages are marked "me" (shown on the right); every speaker is
     * named for a screen reader; narration has no speaker. */
    assert_contains(story, "<li class=\"msg me\"><span class=\"who vh\">Sam<span class=\"vh\">:"
                           "</span></span> <span class=\"text\">why?</span></li>");
    assert_contains(story, "<li class=\"msg them\"><span class=\"who\">Alex");
    assert_contains(story, "<li class=\"msg narration\"><span class=\"text\">Sam&#39;s stomach");
    assert_contains(story, "What should Sam do?");
    assert_contains(story, "A story told as a chat.");
    /* The story's introduction is on its first page only. */
    assert_lacks(text_of(s, "story-joke.html"), "A story told as a chat.");
    assert_contains(text_of(s, "story-joke.html"), "<title>Laughed it off – Sam&#39;s story");
    const char *parents = text_of(s, "parents.html");
    assert_contains(parents, "for-parent");
    assert_contains(parents, "id=\"exit\"");
    site_free(s);
}

static void test_routes(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    assert_non_null(s);
    assert_string_equal(site_route(s, "/")->path, "index.html");
    assert_string_equal(site_route(s, "/plan")->path, "plan.html");
    assert_string_equal(site_route(s, "/story-sent")->path, "story-sent.html");
    assert_string_equal(site_route(s, "/plan-worksheet")->path, "plan-worksheet.html");
    assert_string_equal(site_route(s, "/images/duck.svg")->path, "images/duck.svg");
    assert_true(site_route(s, "/plan")->page);
    assert_false(site_route(s, "/plan")->immutable);
    assert_string_equal(site_route(s, "/plan")->type, "text/html; charset=utf-8");
    assert_null(site_route(s, "/plan.html"));
    assert_null(site_route(s, "/index.html"));
    assert_null(site_route(s, "/index"));
    assert_null(site_route(s, "/start"));
    assert_null(site_route(s, "/404"));
    assert_null(site_route(s, "//plan"));
    assert_null(site_route(s, "/assets/../plan"));
    assert_null(site_route(s, "/images/../../etc/passwd"));
    assert_null(site_route(s, "plan"));
    assert_null(site_route(s, ""));
    assert_string_equal(site_not_found(s)->path, "404.html");

    const char *css = site_asset_path(s, "style.css");
    const char *js = site_asset_path(s, "app.js");
    assert_non_null(css);
    assert_non_null(js);
    assert_int_equal(strlen(css), strlen("assets/style.12345678.css"));
    assert_int_equal(strncmp(css, "assets/style.", 13), 0);
    char route[256];
    snprintf(route, sizeof(route), "/%s", css);
    const struct site_file *f = site_route(s, route);
    assert_non_null(f);
    assert_true(f->immutable);
    assert_false(f->page);
    assert_string_equal(f->type, "text/css; charset=utf-8");
    assert_null(site_route(s, "/assets/style.css"));
    snprintf(route, sizeof(route), "/%s", js);
    assert_string_equal(site_route(s, route)->type, "text/javascript; charset=utf-8");

    /* Pages link to the hashed names; the 404 page from the root, since it answers at any
     * depth. */
    char link[300];
    snprintf(link, sizeof(link), "<link rel=\"stylesheet\" href=\"%s\">", css);
    assert_contains(text_of(s, "plan.html"), link);
    snprintf(link, sizeof(link), "<script src=\"/%s\" defer></script>", js);
    assert_contains(text_of(s, "404.html"), link);
    assert_contains(text_of(s, "404.html"), "<a class=\"button\" href=\"/\">Go to the start</a>");
    site_free(s);
}

static void test_files_compressed_tagged_and_small(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_EXPORT);
    assert_non_null(s);
    for (size_t i = 0; i < site_file_count(s); i++) {
        const struct site_file *f = site_file_at(s, i);
        bool text = strncmp(f->type, "text/", 5) == 0 || strcmp(f->type, "image/svg+xml") == 0;
        assert_true(text);
        assert_non_null(f->gz);
        /* gzip at level 9: it inflates back to exactly the file. */
        unsigned char *back = malloc(f->len + 1);
        z_stream zs;
        memset(&zs, 0, sizeof(zs));
        assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
        zs.next_in = (unsigned char *)f->gz;
        zs.avail_in = (uInt)f->gz_len;
        zs.next_out = back;
        zs.avail_out = (uInt)f->len + 1;
        assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
        assert_int_equal(zs.total_out, f->len);
        assert_memory_equal(back, f->data, f->len);
        inflateEnd(&zs);
        free(back);
        /* A strong ETag: quoted, 16 hex digits. */
        assert_int_equal(strlen(f->etag), 18);
        assert_int_equal(f->etag[0], '"');
        assert_int_equal(f->etag[17], '"');
        assert_int_equal(strspn(f->etag + 1, "0123456789abcdef"), 16);
        if (f->page)
            assert_true(f->gz_len <= 14 * 1024);
    }
    assert_string_not_equal(site_get(s, "index.html")->etag, site_get(s, "plan.html")->etag);
    site_free(s);
}

static void test_plan_page_per_mode(void **state)
{
    (void)state;
    struct site *serve = site_render(make_pkg(8), SITE_SERVE);
    struct site *exp = site_render(make_pkg(8), SITE_EXPORT);
    const char *a = text_of(serve, "plan.html");
    assert_contains(a, "<form id=\"plan-form\" class=\"plan-form\" method=\"post\" "
                       "action=\"plan\" data-plan=\"test\">");
    assert_contains(a, "<button type=\"submit\">Show my plan</button>");
    assert_contains(a, "name=\"my-ways\" value=\"humour\"");
    assert_contains(a, "name=\"my-replies\" value=\"r-duck\"");
    assert_contains(a, "name=\"my-contacts\" value=\"childline\"");
    assert_contains(a, "<textarea id=\"f-my-words\" name=\"my-words\"");
    assert_int_equal(count_of(a, "name=\"my-adults\""), 3);
    /* Keeping the plan on the device is offered only with the script, and is off. */
    assert_contains(a, "<div class=\"keep\" hidden>\n<input type=\"checkbox\" id=\"keep\"> ");
    assert_lacks(a, "checked");

    const char *b = text_of(exp, "plan.html");
    /* No server: the form is for the script only and cannot be sent anywhere. */
    assert_contains(b, "data-plan=\"test\" hidden>");
    assert_lacks(b, "type=\"submit\"");
    assert_contains(b, "<a href=\"plan-worksheet.html\">print a blank plan");
    const char *sheet = text_of(exp, "plan-worksheet.html");
    assert_contains(sheet, "<h2>Ways I feel confident with</h2>");
    assert_contains(sheet, "<span class=\"box\" aria-hidden=\"true\"></span> Use humour");
    assert_contains(sheet, "Childline <span class=\"detail\">0800 1111</span>");
    assert_lacks(sheet, "<form");
    site_free(serve);
    site_free(exp);
}

static void test_posted_plan_is_escaped(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    assert_non_null(s);
    static const char body[] =
        "my-ways=say-no&my-ways=nonsense&my-replies=r-evil&my-words=%3Cb%3ENo+thanks%3C%2Fb%3E"
        "&my-adults=Mum+%26+Dad&my-adults=&my-adults=+Ms+Patel+&my-contacts=shout"
        "&my-notes=%0D%0A&layout=card";
    struct arena a = ARENA_INIT;
    struct form f;
    assert_int_equal(form_decode(body, sizeof(body) - 1, 16384, &a, &f), FORM_OK);
    struct buf out;
    buf_init(&out, 1 << 20);
    assert_int_equal(site_render_plan(s, &f, &out), 0);
    const char *html = out.ptr;
    assert_contains(html, "<p class=\"free\">&lt;b&gt;No thanks&lt;/b&gt;</p>");
    assert_lacks(html, "<b>No");
    assert_contains(html, "<li>Say no &lt;script&gt;</li>");
    assert_lacks(html, "nonsense");
    assert_contains(html, "<li>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)");
    assert_contains(html, "<ul>\n<li>Mum &amp; Dad</li>\n<li>Ms Patel</li>\n</ul>");
    assert_contains(html, "<li>Shout <span class=\"detail\">85258</span></li>");
    assert_contains(html, "<section id=\"my-plan\" class=\"plan-out card\"");
    /* A section left empty leaves no heading behind. */
    assert_lacks(html, "Anything else");
    assert_contains(html, "<a id=\"exit\" class=\"exit\"");
    assert_int_equal(count_of(html, "<script"), 1);

    /* A form with nothing chosen gives an empty plan, not an error. */
    struct form none = {NULL, 0};
    buf_reset(&out);
    assert_int_equal(site_render_plan(s, &none, &out), 0);
    assert_contains(out.ptr, "Your plan is empty");

    /* An output buffer too small for the page reports it. */
    struct buf tiny;
    buf_init(&tiny, 100);
    assert_int_equal(site_render_plan(s, &f, &tiny), -1);
    buf_release(&tiny);
    buf_release(&out);
    arena_release(&a);
    site_free(s);
}

static void test_survey_per_mode(void **state)
{
    (void)state;
    struct site *serve = site_render(make_pkg(8), SITE_SERVE);
    struct site *exp = site_render(make_pkg(8), SITE_EXPORT);
    /* The served page asks which part, offering only the parts that have questions. */
    const char *chooser = text_of(serve, "feedback.html");
    assert_contains(chooser, "<h2>When are you answering?</h2>");
    assert_contains(chooser, "href=\"feedback?part=start\">Before the lesson</a>");
    assert_contains(chooser, "href=\"feedback?part=end\">After the lesson</a>");
    assert_lacks(chooser, "part=later");
    assert_lacks(chooser, "<form");
    /* The one-sitting form (shown again for an answer sent without a part) has every one. */
    struct buf one;
    buf_init(&one, 1 << 20);
    const struct site_feedback all = {.one_sitting = true};
    assert_int_equal(site_render_feedback(serve, &all, &one), 0);
    const char *a = one.ptr;
    assert_contains(a, "<form class=\"survey\" method=\"post\" action=\"feedback\">");
    assert_lacks(a, "name=\"" WIRE_FIELD_PART "\"");
    assert_contains(a, "name=\"" WIRE_FIELD_CODE "\"");
    /* Every question offers "prefer not to say", with the value no option id can have. */
    assert_int_equal(count_of(a, "value=\"" WIRE_PREFER_NOT "\"> <label"), 5);
    assert_int_equal(count_of(a, ">Prefer not to say</label>"), 5);
    assert_contains(a, "<input type=\"radio\" id=\"f-q-confident-c3\" name=\"q-confident\" "
                       "value=\"c3\"> <label for=\"f-q-confident-c3\">Somewhat</label>");
    assert_contains(a, "<input type=\"checkbox\" id=\"f-q-liked-plan\" name=\"q-liked\"");
    assert_contains(a, "<input type=\"radio\" id=\"f-q-told-not-sure\" name=\"q-told\" "
                       "value=\"not-sure\">");
    assert_contains(a, "name=\"q-comment\" rows=\"4\" maxlength=\"300\"");
    assert_lacks(a, "required");
    /* Ids stay unique though two questions share option ids. */
    assert_int_equal(count_of(a, "id=\"f-q-liked-story\""), 1);
    assert_int_equal(count_of(a, "id=\"f-q-single-story\""), 1);
    buf_release(&one);

    const char *b = text_of(exp, "feedback.html");
    assert_lacks(b, "<form");
    assert_contains(b, "needs the online version");
    site_free(serve);
    site_free(exp);
}

/* Asserts that html is a whole pupil page: language, quick exit first, skip link, footer. */
static void assert_pupil_layout(const char *html)
{
    assert_true(strncmp(html, "<!doctype html>\n<html lang=\"en-GB\">", 35) == 0);
    const char *body = strstr(html, "<body");
    assert_non_null(body);
    assert_true(strncmp(strstr(body, ">") + 1,
                        "\n<header class=\"top\">\n<a id=\"exit\" class=\"exit\" "
                        "href=\"https://www.bbc.co.uk/weather\"",
                        70) == 0);
    assert_contains(body, "<a class=\"skip\" href=\"#main\">Skip to main content</a>");
    assert_contains(body, "<main id=\"main\" tabindex=\"-1\">\n<h1>");
    assert_contains(body, "<footer class=\"foot\">");
    assert_contains(body, "</body>\n</html>\n");
}

/* --- interface catalogs ----------------------------------------------------------- */

/* The places {1}, {2} a text has, as bits. */
static unsigned places(const char *text)
{
    unsigned m = 0;
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
        if (p[1] >= '1' && p[1] <= '9' && p[2] == '}')
            m |= 1u << (p[1] - '1');
    return m;
}

/* Every catalog planpack ships reads without a problem and has every text, with the same
 * places for values as the English one. */
static void test_every_catalog_has_every_text(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    const struct ui_catalog *en = ui_catalog_builtin(&a, "en-GB");
    assert_non_null(en);
    assert_true(embedded_catalogs_count >= 2);
    for (size_t i = 0; i < embedded_catalogs_count; i++) {
        const struct file_entry *e = &embedded_catalogs[i];
        struct ui_catalog c;
        struct diag_list diags;
        diag_list_init(&diags);
        int rc = ui_catalog_read(&c, &a, (const char *)e->data, e->len, e->path, &diags);
        if (rc != 0 || diags.count)
            fail_msg("%s: %s", e->path, diags.count ? diags.items[0].message : "not read");
        diag_list_release(&diags);
        assert_non_null(c.language);
        assert_non_null(c.name);
        assert_int_equal(strncmp(e->path, c.language, strlen(c.language)), 0);
        for (size_t t = 0; t < UI_TEXT_COUNT; t++) {
            if (!c.text[t])
                fail_msg("%s has no text for '%s'", e->path, ui_text_id((enum ui_text)t));
            if (places(c.text[t]) != places(en->text[t]))
                fail_msg("%s: '%s' does not have the places {1} {2} of the English text", e->path,
                         ui_text_id((enum ui_text)t));
        }
    }
    const struct ui_catalog *cy = ui_catalog_builtin(&a, "cy");
    assert_non_null(cy);
    assert_string_equal(cy->name, "Cymraeg");
    assert_true(cy->draft);
    assert_false(en->draft);
    assert_null(ui_catalog_builtin(&a, "xx"));
    arena_release(&a);
}

/* A catalog's mistakes are reported at their line, and the rest of it is still read. */
static void test_catalog_problems_have_a_line(void **state)
{
    (void)state;
    static const char text[] = "language: ar\nname: العربية\nstatus: finished\ntexts:\n"
                               "  quick-exit: خروج سريع\n  quick-exit-now: x\n"
                               "  call: \"Call {4}\"\n";
    struct arena a = ARENA_INIT;
    struct ui_catalog c;
    struct diag_list diags;
    diag_list_init(&diags);
    assert_int_equal(ui_catalog_read(&c, &a, text, sizeof(text) - 1, "interface.yaml", &diags), -1);
    assert_int_equal(diags.count, 3);
    assert_int_equal(diags.items[0].line, 3);
    assert_int_equal(diags.items[1].line, 6);
    assert_int_equal(diags.items[2].line, 7);
    assert_string_equal(c.text[UI_QUICK_EXIT], "خروج سريع");
    assert_null(c.text[UI_CALL]);
    assert_true(ui_language_rtl("ar"));
    assert_true(ui_language_rtl("ur-PK"));
    assert_true(ui_language_rtl("pa-Arab"));
    assert_false(ui_language_rtl("cy"));
    assert_false(ui_language_rtl("en-GB"));
    diag_list_release(&diags);
    arena_release(&a);
}

static void test_message_pages_have_the_layout(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    assert_non_null(s);
    static const unsigned statuses[] = {200, 400, 404, 405, 413, 415, 429, 500, 503, 418};
    struct buf out;
    buf_init(&out, 1 << 20);
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        buf_reset(&out);
        assert_int_equal(
            site_render_message(s, &(struct site_message){.status = statuses[i]}, &out), 0);
        assert_pupil_layout(out.ptr);
        /* The status's own title, and links that work at any depth. */
        char h1[128];
        snprintf(h1, sizeof(h1), "<h1>%s</h1>", site_status_title(s, statuses[i]));
        assert_contains(out.ptr, h1);
        assert_contains(out.ptr, "<a class=\"button\" href=\"/\">Go to the start</a>");
    }
    /* A caller's own words, escaped; the link for help; no start link when asked. */
    buf_reset(&out);
    const struct site_message m = {
        .status = 429,
        .title = "Class <full>",
        .text = "Wait & see",
        .more = "Then \"try\" again.",
        .help = true,
        .no_start = true,
    };
    assert_int_equal(site_render_message(s, &m, &out), 0);
    assert_pupil_layout(out.ptr);
    assert_contains(out.ptr, "<title>Class &lt;full&gt; – ");
    assert_contains(out.ptr, "<h1>Class &lt;full&gt;</h1>\n<p>Wait &amp; see</p>\n"
                             "<p>Then &quot;try&quot; again.</p>\n<p><strong><a href=\"/support\">"
                             "Need help now?</a></strong>");
    assert_lacks(out.ptr, "Go to the start");

    /* The feedback form after a refusal: the site's own form, not a copy, with every answer
     * the pupil gave kept and each problem beside its field, listed at the top. */
    buf_reset(&out);
    struct form_field sent[] = {
        {WIRE_FIELD_CODE, "abcd-<2345"},
        {"q-confident", "c4"},
        {"q-liked", "story"},
        {"q-liked", "plan"},
        {"q-told", WIRE_PREFER_NOT},
        {"q-comment", "\nFirst line & <b>more</b>"},
    };
    const struct form answers = {sent, sizeof(sent) / sizeof(sent[0])};
    /* Each worded by the site: the survey's problems with their values (three of them, a
     * part by its name), the server's reasons. */
    const struct site_form_problem problems[] = {
        {.field = WIRE_FIELD_CODE, .kind = SURVEY_E_CODE_CLOSED, .arg = {"AB<CD"}},
        {.field = "q-comment", .kind = SURVEY_E_TOO_LONG, .arg = {"Any <more>?", "502", "300"}},
        {.field = "q-liked", .kind = SURVEY_E_OTHER_PART, .arg = {"Liked", "later", "end"}},
        {.field = NULL, .reason = SITE_REASON_TOO_MANY},
    };
    const struct site_feedback fb = {"abcd-<2345", &answers, problems, 4, NULL, true};
    assert_int_equal(site_render_feedback(s, &fb, &out), 0);
    assert_pupil_layout(out.ptr);
    assert_contains(out.ptr, "action=\"feedback\">\n<div class=\"note\" id=\"f-error\" "
                             "role=\"alert\">\n<h2>Not sent yet</h2>\n<p>Nothing has been saved "
                             "yet.");
    assert_contains(out.ptr, "<li><a href=\"#f-code\">Feedback for the class code AB&lt;CD has "
                             "closed.");
    assert_contains(out.ptr, "<li><a href=\"#f-q-comment\">Your answer to &quot;Any "
                             "&lt;more&gt;?&quot; is 502 characters long; please keep it to 300 "
                             "or fewer.</a></li>\n");
    assert_contains(out.ptr, "The question &quot;Liked&quot; is for the part &quot;A few weeks "
                             "later&quot;, not this one (&quot;After the lesson&quot;), so");
    assert_contains(out.ptr, "<li>A lot of answers have come from your network in a short time, "
                             "so yours were not saved. Please wait a minute, then send them "
                             "again.</li>\n</ul>\n</div>");
    assert_contains(
        out.ptr, "<p class=\"error-msg\" id=\"f-code-error\"><strong><span "
                 "class=\"vh\">Problem: </span>Feedback for the class code AB&lt;CD "
                 "has closed. Thank you for wanting to help; ask your teacher if "
                 "there is a new code.</strong></p>\n<input id=\"f-code\" name=\"" WIRE_FIELD_CODE
                 "\" value=\"abcd-&lt;2345\" aria-invalid=\"true\" "
                 "aria-describedby=\"f-code-hint f-code-error\"");
    assert_contains(out.ptr,
                    "<fieldset class=\"q q-text\" aria-describedby=\"f-q-comment-error\">");
    assert_contains(out.ptr,
                    "<textarea id=\"f-q-comment\" name=\"q-comment\" aria-invalid=\"true\" "
                    "aria-describedby=\"f-q-comment-error\" rows=\"4\" maxlength=\"300\" "
                    "autocomplete=\"off\">\n\nFirst line &amp; &lt;b&gt;more&lt;/b&gt;"
                    "</textarea>");
    assert_contains(out.ptr, "id=\"f-q-confident-c4\" name=\"q-confident\" value=\"c4\" checked>");
    assert_contains(out.ptr, "id=\"f-q-confident-c3\" name=\"q-confident\" value=\"c3\">");
    assert_contains(out.ptr, "name=\"q-liked\" value=\"story\" checked>");
    assert_contains(out.ptr, "name=\"q-liked\" value=\"plan\" checked>");
    assert_contains(out.ptr, "name=\"q-told\" value=\"" WIRE_PREFER_NOT "\" checked>");
    assert_contains(out.ptr, "name=\"q-told\" value=\"yes\">");
    assert_lacks(out.ptr, "name=\"q-single\" value=\"story\" checked");
    /* The first field's problem is not shown against another field. */
    assert_lacks(out.ptr, "<fieldset class=\"q q-scale\" aria-describedby");
    /* Without anything to show it is the served form, byte for byte. */
    buf_reset(&out);
    assert_int_equal(site_render_feedback(s, NULL, &out), 0);
    assert_string_equal(out.ptr, text_of(s, "feedback.html"));
    /* The served page asks which part, as plain links; each part's form shows its own. */
    assert_contains(out.ptr, "<a class=\"button\" href=\"feedback?part=start\">Before the "
                             "lesson</a>");
    assert_lacks(out.ptr, "<form");
    buf_reset(&out);
    const struct site_feedback end = {.code = "ABCD2345", .part = "end"};
    assert_int_equal(site_render_feedback(s, &end, &out), 0);
    assert_contains(out.ptr, "<input type=\"hidden\" name=\"part\" value=\"end\">");
    assert_contains(out.ptr, "<a href=\"feedback?c=ABCD2345\">Choose another</a>");
    /* The class code field says what the rule is: answers need it to be counted. */
    assert_contains(out.ptr, "<label for=\"f-code\">Class code</label>");
    assert_contains(out.ptr, "Your answers need it to be counted");
    assert_lacks(out.ptr, "if your teacher gave you one");
    /* The page after a stored answer: the layout, a way to help, nothing about answers. */
    buf_reset(&out);
    assert_int_equal(site_render_feedback_sent(s, NULL, &out), 0);
    assert_pupil_layout(out.ptr);
    assert_contains(out.ptr, "<h1>Thank you</h1>");
    assert_lacks(out.ptr, "<form");
    assert_lacks(out.ptr, "pairing word");
    /* After a start answer: the pairing word, large, with what to do with it. */
    buf_reset(&out);
    assert_int_equal(site_render_feedback_sent(s, "green otter", &out), 0);
    assert_pupil_layout(out.ptr);
    assert_contains(out.ptr, "<p class=\"big-words\">green otter</p>");
    assert_contains(out.ptr, "Write it on your plan or answer sheet");
    assert_contains(out.ptr, "it does not say who you are");
    assert_lacks(out.ptr, "<form");

    /* A page too large for its buffer is reported. */
    struct buf tiny;
    buf_init(&tiny, 100);
    assert_int_equal(site_render_message(s, &m, &tiny), -1);
    assert_int_equal(site_render_feedback(s, NULL, &tiny), -1);
    assert_int_equal(site_render_feedback_sent(s, "green otter", &tiny), -1);
    buf_release(&tiny);
    buf_release(&out);
    site_free(s);
}

/* Every page says what it is for, in search results and link previews. */
static void test_every_page_has_a_description(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    assert_non_null(s);
    for (size_t i = 0; i < site_file_count(s); i++) {
        const struct site_file *f = site_file_at(s, i);
        if (is_html(f) && !strstr((const char *)f->data, "<meta name=\"description\" content=\""))
            fail_msg("%s has no description", f->path);
    }
    struct buf out;
    buf_init(&out, 1 << 20);
    struct form none = {NULL, 0};
    assert_int_equal(site_render_plan(s, &none, &out), 0);
    assert_contains(out.ptr, "<meta name=\"description\" content=\"");
    buf_reset(&out);
    assert_int_equal(site_render_message(s, &(struct site_message){.status = 404}, &out), 0);
    assert_contains(out.ptr, "<meta name=\"description\" content=\"");
    buf_release(&out);
    site_free(s);
}

static void test_support_directory(void **state)
{
    (void)state;
    struct site *s = site_render(make_pkg(8), SITE_SERVE);
    const char *a = text_of(s, "support.html");
    assert_contains(a, "<a class=\"button\" href=\"tel:08001111\">Call 0800 1111</a>");
    assert_contains(a, "<a class=\"button\" href=\"sms:85258\">Text 85258</a>");
    assert_contains(a, "Details checked on 2026-01-01 from <a href=\"https://www.childline.org.uk/"
                       "get-support/\" rel=\"noreferrer\">childline.org.uk</a>.");
    /* Emergency numbers come first whatever the package's order. */
    const char *emergency = strstr(a, "Police in an emergency");
    const char *childline = strstr(a, "<h2>Childline</h2>");
    assert_non_null(emergency);
    assert_non_null(childline);
    assert_true(emergency < childline);
    site_free(s);
}

static void test_element_ids_are_unique_on_every_page(void **state)
{
    (void)state;
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        struct site *s = site_render(make_pkg(8), (enum site_mode)mode);
        assert_non_null(s);
        for (size_t i = 0; i < site_file_count(s); i++) {
            const struct site_file *f = site_file_at(s, i);
            if (!is_html(f))
                continue;
            const char *html = (const char *)f->data;
            size_t ids = 0;
            for (const char *p = strstr(html, " id=\""); p; p = strstr(p + 1, " id=\"")) {
                char needle[256];
                size_t n = strcspn(p + 5, "\"");
                assert_true(n > 0 && n < sizeof(needle) - 8);
                snprintf(needle, sizeof(needle), " id=\"%.*s\"", (int)n, p + 5);
                if (count_of(html, needle) != 1)
                    fail_msg("%s: the id in %s is used more than once", f->path, needle);
                ids++;
            }
            assert_true(ids >= 4);
        }
        site_free(s);
    }
}

static void test_pages_that_would_share_a_file_are_refused(void **state)
{
    (void)state;
    /* A page "story-sent" and the step "sent" of the story "story" both want
     * story-sent.html; rendering one over the other would lose a page. */
    const struct pkg *p = make_pkg(9);
    pages[8].id = "story-sent";
    assert_null(site_render(p, SITE_EXPORT));
    pages[8].id = "extra";
    struct site *s = site_render(p, SITE_EXPORT);
    assert_non_null(s);
    site_free(s);
}

/* --- export ------------------------------------------------------------------------ */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct buf b;
    buf_init(&b, 64 << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        buf_add(&b, chunk, n);
    fclose(fp);
    return buf_detach(&b, len);
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        fail_msg("%s does not exist", path);
    return st.st_mode & 07777;
}

static void test_export_writes_gz_and_replaces_cleanly(void **state)
{
    (void)state;
    char parent[] = "/tmp/planpack-test-export-XXXXXX";
    assert_non_null(mkdtemp(parent));
    char out[512], path[1024];
    snprintf(out, sizeof(out), "%s/site/", parent);

    /* Version 1 has a page that version 2 drops. */
    struct site *v1 = site_render(make_pkg(9), SITE_EXPORT);
    assert_non_null(v1);
    assert_int_equal(site_export(v1, out), 0);
    snprintf(path, sizeof(path), "%s/site/extra.html", parent);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof(path), "%s/site/extra.html.gz", parent);
    assert_int_equal(access(path, F_OK), 0);
    site_free(v1);

    struct site *v2 = site_render(make_pkg(8), SITE_EXPORT);
    assert_non_null(v2);
    mode_t old_umask = umask(077);
    assert_int_equal(site_export(v2, out), 0);
    umask(old_umask);
    snprintf(path, sizeof(path), "%s/site/extra.html", parent);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof(path), "%s/site/extra.html.gz", parent);
    assert_int_equal(access(path, F_OK), -1);

    snprintf(path, sizeof(path), "%s/site", parent);
    assert_int_equal(mode_of(path), 0755);
    for (size_t i = 0; i < site_file_count(v2); i++) {
        const struct site_file *f = site_file_at(v2, i);
        size_t len;
        snprintf(path, sizeof(path), "%s/site/%s", parent, f->path);
        assert_int_equal(mode_of(path), 0644);
        char *data = read_all(path, &len);
        assert_non_null(data);
        assert_int_equal(len, f->len);
        assert_memory_equal(data, f->data, len);
        free(data);
        /* X.gz beside each text file gunzips back to X. */
        snprintf(path, sizeof(path), "%s/site/%s.gz", parent, f->path);
        assert_int_equal(mode_of(path), 0644);
        gzFile gz = gzopen(path, "rb");
        assert_non_null(gz);
        char *back = malloc(f->len + 16);
        int n = gzread(gz, back, (unsigned)f->len + 16);
        gzclose(gz);
        assert_int_equal(n, (int)f->len);
        assert_memory_equal(back, f->data, f->len);
        free(back);
    }
    snprintf(path, sizeof(path), "%s/site/assets", parent);
    assert_int_equal(mode_of(path), 0755);

    /* Nothing is left beside the export. */
    DIR *d = opendir(parent);
    struct dirent *e;
    size_t entries = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            entries++;
    closedir(d);
    assert_int_equal(entries, 1);

    /* A folder that an export did not make is never replaced. */
    snprintf(path, sizeof(path), "%s/mine", parent);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/mine/homework.txt", parent);
    FILE *fp = fopen(path, "w");
    fputs("important\n", fp);
    fclose(fp);
    snprintf(out, sizeof(out), "%s/mine", parent);
    assert_int_equal(site_export(v2, out), -1);
    assert_int_equal(access(path, F_OK), 0);
    snprintf(path, sizeof(path), "%s/mine/index.html", parent);
    assert_int_equal(access(path, F_OK), -1);

    site_free(v2);
    assert_int_equal(nftw(parent, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/*
 * The default package, served and exported: every page fits one round trip (14 KB
 * gzipped), and the reply pictures on the ways page are separate files loaded lazily, not
 * drawn into the page.
 */
/* --- languages -------------------------------------------------------------------- */

/* The package in dir (NULL: the default one), loaded and checked without an error. */
static struct pkg *load_checked(const char *dir, struct fileset *fs)
{
    struct diag_list diags;
    diag_list_init(&diags);
    if (dir)
        assert_int_equal(fileset_read_dir(fs, dir, &diags), 0);
    else
        fileset_borrow(fs, embedded_package, embedded_package_count);
    struct pkg *p = pkg_load(fs, &diags);
    assert_non_null(p);
    pkg_check(p, fs, &diags);
    assert_int_equal(diag_count(&diags, DIAG_ERROR), 0);
    diag_list_release(&diags);
    return p;
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Blanks the content of every element of html that says it is in English (lang="en",
 * "en-GB"): the teachers' notes, which stay English, and source text shown for want of a
 * translation, marked so that a screen reader reads it as English.
 */
static void blank_english(char *html)
{
    for (char *p = html; (p = strstr(p, " lang=\"en"));) {
        char *lt = p;
        while (lt > html && *lt != '<')
            lt--;
        char *gt = strchr(p, '>');
        if (!gt)
            return;
        size_t n = strcspn(lt + 1, " >");
        char open[32], close[32];
        if (n + 3 >= sizeof(open))
            fail_msg("a tag name too long at \"%.40s\"", lt);
        snprintf(open, sizeof(open), "<%.*s", (int)n, lt + 1);
        snprintf(close, sizeof(close), "</%.*s>", (int)n, lt + 1);
        char *q = gt + 1;
        for (int depth = 1; *q; q++) {
            if (strncmp(q, open, n + 1) == 0 && (q[n + 1] == ' ' || q[n + 1] == '>'))
                depth++;
            else if (strncmp(q, close, n + 3) == 0 && --depth == 0)
                break;
        }
        memset(gt + 1, ' ', (size_t)(q - gt - 1));
        p = q;
    }
}

/*
 * The id of an English interface text that html still has, or NULL: any text of the English
 * catalog that the Welsh one words differently, escaped as a page writes it. A text with
 * places for values ({1}) is looked for piece by piece, each piece that holds a word; a
 * piece that starts or ends with a letter must not be part of a longer word there ("No" is
 * not found in "Nodiadau"). *where is set to the place found.
 */
static const char *english_text_in(const char *html, const char **where)
{
    struct arena a = ARENA_INIT;
    const struct ui_catalog *en = ui_catalog_builtin(&a, "en");
    const struct ui_catalog *cy = ui_catalog_builtin(&a, "cy");
    assert_true(en && cy);
    const char *found = NULL;
    struct buf esc;
    buf_init(&esc, 1 << 16);
    for (size_t t = 0; t < UI_TEXT_COUNT && !found; t++) {
        if (strcmp(en->text[t], cy->text[t]) == 0)
            continue;
        /* The pieces between the places for values. */
        for (const char *piece = en->text[t], *end; piece && !found; piece = end ? end + 3 : NULL) {
            end = strchr(piece, '{');
            while (end && !(end[1] >= '1' && end[1] <= '9' && end[2] == '}'))
                end = strchr(end + 1, '{');
            size_t len = end ? (size_t)(end - piece) : strlen(piece);
            bool word = false;
            for (size_t i = 0; i < len; i++)
                word |= is_letter(piece[i]);
            if (!word)
                continue;
            buf_reset(&esc);
            buf_add_html(&esc, piece, len);
            const char *e = esc.ptr;
            size_t n = esc.len;
            for (const char *at = html; !found && (at = memmem(at, strlen(at), e, n)); at++) {
                if (is_letter(e[0]) && at > html && is_letter(at[-1]))
                    continue;
                if (is_letter(e[n - 1]) && is_letter(at[n]))
                    continue;
                found = ui_text_id((enum ui_text)t);
                *where = at;
            }
        }
    }
    buf_release(&esc);
    arena_release(&a);
    return found;
}

/* Fails when html (a page, named what) has English interface text outside the elements
 * marked as English. */
static void assert_no_english(const char *html, const char *what)
{
    char *copy = strdup(html);
    blank_english(copy);
    const char *at = NULL;
    const char *id = english_text_in(copy, &at);
    if (id)
        fail_msg("%s has the English text of '%s' at \"%.60s\"", what, id, at);
    free(copy);
}

/* The check finds English texts, whole or around their values, and nothing else. */
static void test_english_texts_are_found(void **state)
{
    (void)state;
    const char *at;
    assert_string_equal(english_text_in("<a>Quick exit</a>", &at), "quick-exit");
    assert_string_equal(english_text_in("<p>The question &quot;X&quot; takes one answer, "
                                        "but the form gave 2.</p>",
                                        &at),
                        "problem-too-many");
    assert_string_equal(english_text_in("<li>No</li>", &at), "no");
    assert_null(english_text_in("<p>Nodiadau, Nesaf</p><a href=\"/\">English</a>", &at));
    char marked[] = "<p>Gadael</p><p class=\"note\" lang=\"en\">No QR <p>code</p> Next</p>"
                    "<p>Nesaf</p>";
    blank_english(marked);
    assert_null(english_text_in(marked, &at));
    assert_string_equal(marked + strlen(marked) - 12, "<p>Nesaf</p>");
}

/* What a pupil's page in Welsh must have: its language, the Welsh quick exit first in the
 * body, no English interface text, and the way to the page in English. */
static void assert_welsh_page(const struct site_file *f)
{
    char *html = strndup((const char *)f->data, f->len);
    static const char head[] = "<!doctype html>\n<html lang=\"cy\">";
    if (strncmp(html, head, sizeof(head) - 1) != 0)
        fail_msg("%s is not marked as Welsh", f->path);
    const char *body = strstr(html, "<body");
    assert_non_null(body);
    if (!strstr(f->path, "teach.html")) {
        static const char top[] = "\n<header class=\"top\">\n<a id=\"exit\"";
        if (strncmp(strchr(body, '>') + 1, top, sizeof(top) - 1) != 0)
            fail_msg("%s does not start with the quick exit", f->path);
        assert_contains(body, "rel=\"noreferrer\">Gadael yn gyflym</a>");
        assert_contains(body, "hreflang=\"en-GB\" lang=\"en-GB\">English</a>");
        assert_contains(body, "<p class=\"draft-note\">Cyfieithiad drafft, heb ei wirio eto</p>");
        assert_contains(body, "Neidio i&#39;r prif gynnwys");
    }
    assert_no_english(html, f->path);
    /* Welsh has every interface text: none is shown in English for want of one. */
    if (strstr(html, "<span lang=\"en\">"))
        fail_msg("%s marks an interface text as English", f->path);
    free(html);
}

/*
 * Every page the server makes for one response in Welsh (each status with each reason, and
 * the feedback form with each problem the survey or the server can give) has no English
 * interface text, and the reasons keep their details (a size, the parts' names).
 */
static void assert_welsh_refusals(const struct site *cy)
{
    static const unsigned statuses[] = {400, 404, 405, 409, 410, 413, 415, 429, 500, 503};
    struct buf out;
    buf_init(&out, 1 << 20);
    char what[64];
    for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
        for (int reason = SITE_REASON_NONE; reason < SITE_REASON_COUNT; reason++) {
            buf_reset(&out);
            const struct site_message m = {
                .status = statuses[i], .reason = (enum site_reason)reason, .value = "16"};
            assert_int_equal(site_render_message(cy, &m, &out), 0);
            snprintf(what, sizeof(what), "the %u page for reason %d", statuses[i], reason);
            assert_no_english(out.ptr, what);
            assert_contains(out.ptr, "<html lang=\"cy\">");
        }
    }
    buf_reset(&out);
    assert_int_equal(
        site_render_message(
            cy,
            &(struct site_message){.status = 413, .reason = SITE_REASON_TOO_LARGE, .value = "16"},
            &out),
        0);
    assert_contains(out.ptr, "<h1>Gormod i&#39;w anfon</h1>");
    assert_contains(out.ptr, "(16 KiB)");
    /* The form with every problem at once: the survey's, then the server's reasons. */
    struct site_form_problem pbs[SURVEY_E_OTHER_PART + SITE_REASON_COUNT];
    size_t n = 0;
    for (int k = SURVEY_E_CODE_MISSING; k <= SURVEY_E_OTHER_PART; k++)
        pbs[n++] = (struct site_form_problem){
            .field = NULL, .kind = (enum survey_error_kind)k, .arg = {"Q", "start", "later"}};
    for (int reason = SITE_REASON_NONE + 1; reason < SITE_REASON_COUNT; reason++)
        pbs[n++] = (struct site_form_problem){.reason = (enum site_reason)reason};
    const struct site_feedback fb = {.problems = pbs, .problem_count = n, .part = "end"};
    buf_reset(&out);
    assert_int_equal(site_render_feedback(cy, &fb, &out), 0);
    assert_no_english(out.ptr, "the refused form");
    assert_contains(out.ptr, "ar gyfer y rhan “Cyn y wers”, nid y rhan hon (“Ychydig "
                             "wythnosau&#39;n ddiweddarach”)");
    assert_contains(out.ptr, "Mae dy ateb i “Q” yn start nod o hyd. Cadwa fe i later nod");
    buf_release(&out);
}

/* The default package in Welsh: every page again under cy/, in Welsh, each linking to the
 * same page in English and back, with links that work from the folder, served and saved. */
static void test_every_page_in_each_language(void **state)
{
    (void)state;
    struct fileset fs;
    struct pkg *p = load_checked(NULL, &fs);
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        bool serve = mode == SITE_SERVE;
        struct site *s = site_render(p, (enum site_mode)mode);
        assert_non_null(s);
        const struct site *cy = site_in_language(s, "cy");
        assert_non_null(cy);
        assert_ptr_equal(site_in_language(s, "EN-gb"), s);
        assert_null(site_in_language(s, "fr"));
        size_t en = 0, welsh = 0;
        for (size_t i = 0; i < site_file_count(s); i++) {
            const struct site_file *f = site_file_at(s, i);
            if (!f->page)
                continue;
            if (strncmp(f->path, "cy/", 3) == 0) {
                welsh++;
                assert_welsh_page(f);
            } else {
                en++;
                if (strcmp(f->path, "teach.html") != 0)
                    assert_contains((const char *)f->data,
                                    "hreflang=\"cy\" lang=\"cy\">Cymraeg</a>");
            }
        }
        assert_true(en >= 30);
        assert_int_equal(welsh, en);
        const char *index = text_of(s, "cy/index.html");
        assert_contains(index, serve ? "<a href=\"../\" hreflang=\"en-GB\""
                                     : "<a href=\"../index.html\" hreflang=\"en-GB\"");
        assert_contains(index, "<link rel=\"stylesheet\" href=\"../assets/style.");
        assert_contains(text_of(s, "index.html"),
                        serve ? "<a href=\"cy/\" hreflang=\"cy\""
                              : "<a href=\"cy/index.html\" hreflang=\"cy\"");
        assert_contains(text_of(s, "cy/plan.html"), serve ? "<a href=\"../plan\" hreflang"
                                                          : "<a href=\"../plan.html\" hreflang");
        assert_contains(text_of(s, "cy/ways.html"), "src=\"../images/cat.svg\"");
        /* The 404 page answers in the language of the folder. */
        const struct site_file *nf = site_not_found(cy);
        assert_string_equal(nf->path, "cy/404.html");
        assert_welsh_page(nf);
        assert_contains((const char *)nf->data, "<h1>Dim tudalen yma</h1>");
        if (serve) {
            assert_contains((const char *)nf->data, "<a class=\"button\" href=\"/cy/\">");
            assert_ptr_equal(site_route(s, "/cy/"), site_get(s, "cy/index.html"));
            assert_ptr_equal(site_route(s, "/cy/plan"), site_get(s, "cy/plan.html"));
            assert_null(site_route(s, "/cy/404"));
            const char *rest = NULL;
            assert_ptr_equal(site_for_path(s, "/cy/feedback", &rest), cy);
            assert_string_equal(rest, "/feedback");
            assert_ptr_equal(site_for_path(s, "/cy/", &rest), cy);
            assert_string_equal(rest, "/");
            assert_ptr_equal(site_for_path(s, "/cymraeg", &rest), s);
            assert_string_equal(rest, "/cymraeg");
            /* Pages made for one response speak the language of their folder too. */
            struct buf out;
            buf_init(&out, 1 << 20);
            assert_int_equal(site_render_message(cy, &(struct site_message){.status = 429}, &out),
                             0);
            assert_contains(out.ptr, "<h1>Gormod o geisiadau</h1>");
            assert_contains(out.ptr, "<link rel=\"stylesheet\" href=\"/assets/style.");
            assert_welsh_refusals(cy);
            buf_reset(&out);
            assert_int_equal(site_render_plan(cy, NULL, &out), 0);
            assert_contains(out.ptr, "<h1>Dy gynllun</h1>");
            buf_reset(&out);
            assert_int_equal(
                site_render_feedback(cy, &(struct site_feedback){.code = "ABC123", .part = "start"},
                                     &out),
                0);
            assert_contains(out.ptr, "<label for=\"f-code\">Cod y dosbarth</label>");
            assert_contains(out.ptr, "href=\"../feedback?c=ABC123&amp;part=start\" hreflang");
            buf_release(&out);
        }
        site_free(s);
    }
    pkg_free(p);
    fileset_release(&fs);
}

/* Copies pattern to out (of size bytes), with ext in the place of each "{ext}". */
static void with_ext(char *out, size_t size, const char *pattern, const char *ext)
{
    size_t n = 0;
    for (const char *p = pattern; *p && n + 1 < size;) {
        if (strncmp(p, "{ext}", 5) == 0) {
            n += (size_t)snprintf(out + n, size - n, "%s", ext);
            p += 5;
        } else {
            out[n++] = *p++;
        }
    }
    out[n < size ? n : size - 1] = '\0';
}

/* The letter home in each language, one click away on the letter (on screen: in its note
 * for schools) and listed on the teachers' guide, served and saved. */
static void test_letter_in_every_language(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *want; /* "{ext}" is ".html" in an export */
    } letters[] = {
        {"parents-letter.html",
         "<p class=\"page-langs-for\">Print this letter in another language:</p>\n"
         "<ul class=\"page-langs\">\n"
         "<li><a href=\"cy/parents-letter{ext}\" hreflang=\"cy\" lang=\"cy\">Cymraeg</a></li>\n"
         "</ul>\n</div>\n<p class=\"letter-head\">"},
        {"cy/parents-letter.html",
         "<p class=\"page-langs-for\">Argraffu&#39;r llythyr hwn mewn iaith arall:</p>\n"
         "<ul class=\"page-langs\">\n"
         "<li><a href=\"../parents-letter{ext}\" hreflang=\"en-GB\" lang=\"en-GB\">English</a>"
         "</li>\n</ul>\n</div>\n"},
        {"teachers.html",
         "<p class=\"page-langs-for\">The letter home, to print for each family in their own "
         "language:</p>\n<ul class=\"page-langs\">\n"
         "<li><a href=\"parents-letter{ext}\" hreflang=\"en-GB\" lang=\"en-GB\">English</a></li>\n"
         "<li><a href=\"cy/parents-letter{ext}\" hreflang=\"cy\" lang=\"cy\">Cymraeg</a></li>\n"},
        {"cy/teachers.html",
         "<p class=\"page-langs-for\">Y llythyr adref, i&#39;w argraffu i bob teulu yn ei iaith "
         "ei hun:</p>\n<ul class=\"page-langs\">\n"
         "<li><a href=\"../parents-letter{ext}\" hreflang=\"en-GB\" lang=\"en-GB\">English</a>"
         "</li>\n<li><a href=\"parents-letter{ext}\" hreflang=\"cy\" "
         "lang=\"cy\">Cymraeg</a></li>\n"},
    };
    struct fileset fs;
    struct pkg *p = load_checked(NULL, &fs);
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        struct site *s = site_render(p, (enum site_mode)mode);
        assert_non_null(s);
        for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
            char want[1024];
            with_ext(want, sizeof(want), letters[i].want, mode == SITE_SERVE ? "" : ".html");
            assert_contains(text_of(s, letters[i].file), want);
        }
        site_free(s);
    }
    pkg_free(p);
    fileset_release(&fs);
}

/* A text with no translation is shown in the source language, and its element says so; a
 * translated one is not marked. */
static void test_untranslated_texts_are_marked(void **state)
{
    (void)state;
    struct fileset fs;
    struct pkg *p = load_checked("tests/fixtures/translations", &fs);
    struct site *s = site_render(p, SITE_EXPORT);
    assert_non_null(s);
    const char *story = text_of(s, "cy/story.html");
    assert_contains(story, "<h1>Y stori</h1>");
    assert_contains(story, "<span class=\"text\" lang=\"en-GB\">Why?</span>");
    assert_contains(story, "lang=\"en-GB\">Send it</a>");
    assert_contains(text_of(s, "cy/story-no.html"), "<div lang=\"en-GB\">\n<p>");
    /* The source's own pages mark nothing. */
    assert_lacks(text_of(s, "story.html"), "<span class=\"text\" lang=");
    site_free(s);
    pkg_free(p);
    fileset_release(&fs);
}

/* A package in a language written right to left says so on every page. */
static void test_right_to_left_package(void **state)
{
    (void)state;
    struct fileset fs;
    struct pkg *p = load_checked("tests/fixtures/rtl", &fs);
    struct site *s = site_render(p, SITE_EXPORT);
    assert_non_null(s);
    size_t n = 0;
    for (size_t i = 0; i < site_file_count(s); i++) {
        const struct site_file *f = site_file_at(s, i);
        if (!f->page)
            continue;
        n++;
        static const char head[] = "<!doctype html>\n<html lang=\"ar\" dir=\"rtl\">";
        if (strncmp((const char *)f->data, head, sizeof(head) - 1) != 0)
            fail_msg("%s is not marked as Arabic, right to left", f->path);
    }
    assert_true(n >= 5);
    /* The package's own catalog gives the interface's words. */
    const char *story = text_of(s, "story.html");
    assert_contains(story, "rel=\"noreferrer\">خروج سريع</a>");
    assert_contains(story, "<h2 class=\"ask\">ماذا يجب أن يفعل سام؟</h2>");
    assert_contains(text_of(s, "support.html"), ">اتصل على 0800 1111</a>");
    /* It has not the reader settings' words: they show in English, marked so (WCAG 3.1.2). */
    assert_contains(story, "<summary><span lang=\"en\">Reading settings</span></summary>");
    assert_contains(story, "<legend><span lang=\"en\">Colours</span></legend>");
    assert_lacks(story, ">Reading settings</summary>");
    assert_contains(story, "<span class=\"dir\">التالي</span>");
    site_free(s);
    pkg_free(p);
    fileset_release(&fs);
}

/* A language's folder cannot share its name with a page, and a package's catalog is
 * checked like every other file it has. */
static void test_language_checks(void **state)
{
    (void)state;
    struct pkg *p = (struct pkg *)make_pkg(8);
    static const char *langs[] = {"en-GB", "parents"};
    p->languages = langs;
    p->n_languages = 2;
    struct diag_list diags;
    diag_list_init(&diags);
    ui_catalog_check(p, &diags);
    assert_int_equal(diag_count(&diags, DIAG_ERROR), 1);
    assert_non_null(strstr(diags.items[0].message, "no page may have the id 'parents'"));
    diag_list_release(&diags);
}

static void test_default_package_pages_fit_the_budget(void **state)
{
    (void)state;
    struct fileset fs;
    struct diag_list diags;
    diag_list_init(&diags);
    fileset_borrow(&fs, embedded_package, embedded_package_count);
    struct pkg *p = pkg_load(&fs, &diags);
    assert_non_null(p);
    pkg_check(p, &fs, &diags);
    /* Its warnings are test_pkg's business; a draft translation always has one. */
    assert_int_equal(diag_count(&diags, DIAG_ERROR), 0);
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        struct site *s = site_render(p, (enum site_mode)mode);
        assert_non_null(s);
        size_t page_files = 0;
        for (size_t i = 0; i < site_file_count(s); i++) {
            const struct site_file *f = site_file_at(s, i);
            if (!f->page)
                continue;
            page_files++;
            size_t sent = f->gz ? f->gz_len : f->len;
            if (sent > SITE_PAGE_GZ_BUDGET)
                fprintf(stderr, "%s: %zu bytes gzipped\n", f->path, sent);
            assert_true(sent <= SITE_PAGE_GZ_BUDGET);
        }
        assert_true(page_files >= 30);
        const struct site_file *ways = site_get(s, "ways.html");
        assert_non_null(ways);
        char *html = strndup((const char *)ways->data, ways->len);
        assert_non_null(strstr(html, "src=\"images/cat.svg\""));
        assert_null(strstr(html, "<svg"));
        for (const char *at = strstr(html, "<img "); at; at = strstr(at + 1, "<img ")) {
            const char *end = strchr(at, '>');
            assert_non_null(end);
            assert_non_null(memmem(at, (size_t)(end - at), "loading=\"lazy\"", 14));
        }
        free(html);
        site_free(s);
    }
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quick_exit_first_on_every_page),
        cmocka_unit_test(test_nothing_loads_from_elsewhere),
        cmocka_unit_test(test_package_text_is_escaped),
        cmocka_unit_test(test_links_are_rewritten_per_mode),
        cmocka_unit_test(test_story_reads_like_a_chat),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_files_compressed_tagged_and_small),
        cmocka_unit_test(test_plan_page_per_mode),
        cmocka_unit_test(test_posted_plan_is_escaped),
        cmocka_unit_test(test_survey_per_mode),
        cmocka_unit_test(test_every_catalog_has_every_text),
        cmocka_unit_test(test_catalog_problems_have_a_line),
        cmocka_unit_test(test_message_pages_have_the_layout),
        cmocka_unit_test(test_every_page_has_a_description),
        cmocka_unit_test(test_support_directory),
        cmocka_unit_test(test_element_ids_are_unique_on_every_page),
        cmocka_unit_test(test_pages_that_would_share_a_file_are_refused),
        cmocka_unit_test(test_export_writes_gz_and_replaces_cleanly),
        cmocka_unit_test(test_default_package_pages_fit_the_budget),
        cmocka_unit_test(test_english_texts_are_found),
        cmocka_unit_test(test_every_page_in_each_language),
        cmocka_unit_test(test_letter_in_every_language),
        cmocka_unit_test(test_right_to_left_package),
        cmocka_unit_test(test_untranslated_texts_are_marked),
        cmocka_unit_test(test_language_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
