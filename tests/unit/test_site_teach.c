/*
 * The classroom: the lesson format in the model, the slides at /teach, the QR codes, a class
 * code in the address, the teachers' guide and the letter home. The package is the fixture
 * tests/fixtures/valid/, whose teachers' page is a lesson; each test asserts what a teacher
 * would see on the board or in the notes.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"
#include "site/site.h"

#define FIXTURE "tests/fixtures/valid"
#define PUBLIC "https://www.school.example/think/"

struct fixture {
    struct fileset fs;
    struct diag_list diags;
    struct pkg *pkg;
    struct site *site; /* the site under test; freed even when a test fails */
    struct buf out;
};

/* The slide last cut out by slide(), freed by the next call or by teardown. */
static char *last_slide;

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    diag_list_init(&fx->diags);
    buf_init(&fx->out, (size_t)4 << 20);
    *state = fx;
    if (fileset_read_dir(&fx->fs, FIXTURE, &fx->diags) != 0) {
        fprintf(stderr, "cannot read %s (run the tests from the repository root)\n", FIXTURE);
        return -1;
    }
    fx->pkg = pkg_load(&fx->fs, &fx->diags);
    if (!fx->pkg || diag_count(&fx->diags, DIAG_ERROR) > 0) {
        diag_print(&fx->diags, FIXTURE "/", DIAG_WARNING, stderr);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (!fx)
        return 0;
    free(last_slide);
    last_slide = NULL;
    site_free(fx->site);
    pkg_free(fx->pkg);
    fileset_release(&fx->fs);
    diag_list_release(&fx->diags);
    buf_release(&fx->out);
    free(fx);
    return 0;
}

static const struct site *render(struct fixture *fx, enum site_mode mode, const char *public_url)
{
    site_free(fx->site);
    struct site_options opt = {.mode = mode, .public_url = public_url};
    fx->site = site_render_with(fx->pkg, &opt);
    assert_non_null(fx->site);
    return fx->site;
}

static const char *page_of(const struct site *s, const char *path)
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
        fail_msg("found what must not be there: %.120s", at);
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/*
 * The HTML of slide n, from its opening tag to the next slide's (or the end of <main>).
 * Valid until the next call.
 */
static const char *slide(const char *page, int n)
{
    free(last_slide);
    last_slide = NULL;
    char open[64];
    snprintf(open, sizeof(open), "\" id=\"%d\" aria-labelledby=\"h-%d\">", n, n);
    const char *at = strstr(page, open);
    if (!at) {
        fail_msg("there is no slide %d", n);
        return NULL;
    }
    const char *end = strstr(at + 1, "<section class=\"slide ");
    if (!end)
        end = strstr(at, "</main>");
    assert_non_null(end);
    last_slide = strndup(at, (size_t)(end - at));
    return last_slide;
}

/* --- the model --------------------------------------------------------------------- */

static void test_lesson_page_loads_into_the_model(void **state)
{
    struct fixture *fx = *state;
    const struct pkg_page *t = pkg_page(fx->pkg, "teachers");
    assert_non_null(t);
    assert_int_equal(t->kind, PAGE_LESSON);
    assert_int_equal(t->audience, AUDIENCE_TEACHER);
    assert_int_equal(t->slide_count, 8);
    assert_int_equal(t->slides[0].show, SLIDE_TITLE);
    assert_int_equal(t->slides[0].minutes, 2);
    assert_string_equal(t->slides[0].notes.say,
                        "Say what the lesson is about, and that no one has to share anything.");
    assert_int_equal(t->slides[1].show, SLIDE_TEXT);
    assert_string_equal(t->slides[1].title, "Ground rules");
    const struct pkg_slide *story = &t->slides[2];
    assert_int_equal(story->show, SLIDE_STORY);
    assert_int_equal(story->step_note_count, 1);
    assert_string_equal(story->step_notes[0].step, "sent");
    assert_string_equal(story->step_notes[0].notes.safeguarding,
                        "Never view, copy, print or share an image, and never ask to see one.");
    assert_int_equal(t->slides[3].ref_count, 2);
    assert_string_equal(t->slides[3].refs[1].id, "q-feel");
    assert_string_equal(t->slides[3].refs[1].loc.file, "pages/teachers.md");
    assert_int_equal(t->slides[6].show, SLIDE_SUPPORT);
    assert_string_equal(t->slides[6].refs[1].id, "emergency");
    const struct pkg_page *letter = pkg_page(fx->pkg, "letter");
    assert_int_equal(letter->kind, PAGE_LETTER);
    assert_int_equal(letter->audience, AUDIENCE_PARENT);
    assert_string_equal(pkg_slide_kind_name(SLIDE_FEEDBACK), "feedback");
}

/* --- the slides -------------------------------------------------------------------- */

static void test_slides_are_numbered_and_routed(void **state)
{
    struct fixture *fx = *state;
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        const struct site *s = render(fx, (enum site_mode)mode, PUBLIC);
        const char *t = page_of(s, "teach.html");
        /* Title, rules, five story steps, questions, ways, plan, support, feedback. */
        assert_int_equal(count_of(t, "<section class=\"slide "), 12);
        for (int n = 1; n <= 12; n++) {
            char id[48];
            snprintf(id, sizeof(id), "id=\"%d\" aria-labelledby=\"h-%d\"", n, n);
            assert_int_equal(count_of(t, id), 1);
            snprintf(id, sizeof(id), "<li><a href=\"#%d\">", n);
            assert_int_equal(count_of(t, id), 1);
        }
        assert_int_equal(count_of(t, "<h1"), 1);
        assert_contains(t, "<body class=\"page-teach for-teacher\">");
        /* The script and the slides' stylesheet, as files: the CSP forbids inline ones. */
        assert_int_equal(count_of(t, "<script"), 1);
        assert_contains(t, mode == SITE_EXPORT ? "<script src=\"assets/teach."
                                               : "<script src=\"assets/teach.");
        assert_lacks(t, "<style");
        assert_lacks(t, " style=");
        /* The controls need the script, which shows them. */
        assert_contains(
            t, "<nav id=\"deck-bar\" class=\"deck-bar\" aria-label=\"Slide controls\" hidden>");
        assert_contains(t, "<p id=\"deck-count\" class=\"deck-count\">1 / 12</p>");
        if (mode == SITE_SERVE)
            assert_ptr_equal(site_route(s, "/teach"), site_get(s, "teach.html"));
    }
}

static void test_story_choices_link_to_the_slides_they_lead_to(void **state)
{
    struct fixture *fx = *state;
    const char *t = page_of(render(fx, SITE_SERVE, NULL), "teach.html");
    /* Slides 3 to 7 are the steps start, sent, think, joke, told. */
    const char *start = slide(t, 3);
    assert_contains(start, "<h3 class=\"nt-title\" id=\"nt-3\">Notes for slide 3 of ");
    assert_contains(start, "<h2 id=\"h-3\">A message late at night</h2>");
    assert_contains(start, "<p class=\"ask\">What could Sam do?</p>");
    assert_contains(start, "<a class=\"choice\" href=\"#4\">Send a photo now, before you change "
                           "your mind</a>");
    assert_contains(start, "<a class=\"choice\" href=\"#5\">Stop and think for a moment</a>");
    /* The chat is there, with the speaker named for a screen reader. */
    assert_contains(start, "<span class=\"who\">Alex<span class=\"vh\">:</span></span>");
    assert_contains(start, "Discuss, then vote.");
    const char *think = slide(t, 5);
    assert_contains(think, "href=\"#6\">Send a funny picture instead</a>");
    assert_contains(think, "href=\"#7\">Tell someone you trust</a>");
    const char *sent = slide(t, 4);
    assert_contains(sent,
                    "<p class=\"ending\"><strong>The end</strong>: Shared and laughed at</p>");
    assert_lacks(sent, "class=\"choice\"");
    assert_contains(sent, "This was not Sam’s fault.");
}

static void test_notes_give_timing_what_to_say_and_safeguarding(void **state)
{
    struct fixture *fx = *state;
    const char *t = page_of(render(fx, SITE_SERVE, NULL), "teach.html");
    const char *title = slide(t, 1);
    assert_contains(title, "<aside class=\"notes\" aria-labelledby=\"nt-1\" tabindex=\"0\">");
    assert_contains(title, "About 2 minutes: 0 to 2 minutes into the lesson. The whole lesson "
                           "takes about 55 minutes.");
    /* Under the title slide's <h1>, the notes are an <h2> and their parts <h3>s. */
    assert_contains(title, "<h2 class=\"nt-title\" id=\"nt-1\">Notes for slide 1 of ");
    assert_contains(title,
                    "<h3 class=\"nt-part\">Say and do</h3>\n<p>Say what the lesson is about");
    assert_contains(
        title, "<h3 class=\"nt-part\">Safeguarding</h3>\n<p>Tell the designated safeguarding lead");
    const char *rules = slide(t, 2);
    assert_contains(rules, "<li>We talk about Sam, not about ourselves.</li>");
    assert_contains(rules, "<strong>No personal disclosures in class.</strong>");
    /* The story's notes cover its five slides; the step "sent" has its own. */
    const char *start = slide(t, 3);
    assert_contains(start, "About 15 minutes for slides 3 to 7 together: 5 to 20 minutes into "
                           "the lesson.");
    assert_contains(start, "Read the chat aloud");
    const char *sent = slide(t, 4);
    assert_contains(sent, "About 15 minutes for slides 3 to 7 together");
    assert_contains(sent, "Ask who is responsible for the sharing.");
    assert_contains(sent, "Never view, copy, print or share an image");
    assert_lacks(sent, "Read the chat aloud");
    const char *think = slide(t, 5);
    assert_lacks(think, "Never view, copy");
    /* A link in the notes goes to the pupils' page. */
    const char *feedback = slide(t, 12);
    assert_contains(feedback, "<a href=\"feedback\">the feedback page</a>");
}

static void test_chosen_questions_ways_and_services(void **state)
{
    struct fixture *fx = *state;
    const char *t = page_of(render(fx, SITE_SERVE, NULL), "teach.html");
    const char *q = slide(t, 8);
    assert_contains(q, "<ul class=\"big-list\">\n<li>How could you tell if someone is not who they "
                       "say they are?</li>");
    assert_int_equal(count_of(q, "<li>"), 2);
    const char *w = slide(t, 9);
    assert_int_equal(count_of(w, "<li><strong>"), 2);
    assert_lacks(w, "Send something funny");
    const char *sup = slide(t, 11);
    assert_contains(sup, "<li><strong>Childline</strong> <span class=\"contact\">Call 0800 "
                         "1111</span></li>\n<li class=\"emergency\"><strong>Police</strong> "
                         "<span class=\"contact\">Call 999</span></li>");
    assert_lacks(sup, "Shout");
}

/* The one QR code on a slide: its label and the address written under it. */
static void assert_qr(const char *html, const char *label, const char *url)
{
    assert_int_equal(count_of(html, "<svg class=\"qr-code\""), 1);
    char want[512];
    snprintf(want, sizeof(want), "role=\"img\" aria-label=\"%s\" shape-rendering=\"crispEdges\">",
             label);
    assert_contains(html, want);
    snprintf(want, sizeof(want), "<a class=\"url\" href=\"%s\">%s</a>", url, url);
    assert_contains(html, want);
    /* Dark modules on a light square, whatever the page's colours. */
    assert_contains(html, "fill=\"#fff\"/><path fill=\"#000\" d=\"M4 4h7v1h-7z");
}

static void test_qr_codes_point_at_the_public_address(void **state)
{
    struct fixture *fx = *state;
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        /* Without the final slash: the site adds it. */
        const char *t = page_of(
            render(fx, (enum site_mode)mode, "https://www.school.example/think"), "teach.html");
        assert_string_equal(site_public_url(fx->site), PUBLIC);
        const char *title = slide(t, 1);
        assert_qr(title, "A QR code that opens this site&#39;s start page", PUBLIC);
        const char *plan = slide(t, 10);
        assert_qr(plan, "A QR code that opens the plan builder",
                  mode == SITE_EXPORT ? PUBLIC "plan.html" : PUBLIC "plan");
        assert_contains(plan, mode == SITE_EXPORT
                                  ? "href=\"plan-worksheet.html\">printed blank plan"
                                  : "href=\"plan-worksheet\">printed blank plan");
        /* No class code in the plain page: the feedback slide says how to get one. */
        assert_int_equal(count_of(t, "<svg"), 2);
    }
}

static void test_without_a_public_address_the_slides_say_how_to_get_qr_codes(void **state)
{
    struct fixture *fx = *state;
    const char *t = page_of(render(fx, SITE_EXPORT, NULL), "teach.html");
    assert_null(site_public_url(fx->site));
    assert_lacks(t, "<svg");
    const char *title = slide(t, 1);
    assert_contains(title, "No QR code: planpack does not know the address pupils use");
    assert_contains(title, "<code>planpack export -o site --public-url "
                           "https://www.school.example/think/</code>");
    const char *fb = slide(t, 12);
    assert_contains(fb, "Feedback needs the planpack server");
    t = page_of(render(fx, SITE_SERVE, NULL), "teach.html");
    title = slide(t, 1);
    assert_contains(title, "<code>planpack serve --listen 0.0.0.0:8080 --public-url "
                           "http://192.168.1.20:8080/</code>");
    fb = slide(t, 12);
    assert_contains(fb, "<code>planpack cohort new --label \"Year 9 PSHE\"</code>");
    assert_contains(fb, "<code>teach?c=CODE</code>");
}

static void test_class_code_in_the_address(void **state)
{
    struct fixture *fx = *state;
    const struct site *s = render(fx, SITE_SERVE, PUBLIC);
    /* A plain code, in any case, is shown in capitals with its QR code. */
    buf_reset(&fx->out);
    assert_int_equal(site_render_teach(s, "abcd-2345", &fx->out), 0);
    const char *fb = slide(fx->out.ptr, 12);
    assert_contains(fb, "Class code: <strong class=\"code\">ABCD-2345</strong>");
    /* The last slide gives the end part's form; its notes say when. */
    assert_qr(fb, "A QR code that opens the questions for this class: After the lesson",
              PUBLIC "feedback?c=ABCD-2345&amp;part=end");
    assert_contains(fb, "<p class=\"nt-survey\">At the very end of the lesson, give pupils");
    /* The second slide gives the start part's, to answer before anything is taught. */
    const char *second = slide(fx->out.ptr, 2);
    assert_contains(second, "<h3>Before we start: a few questions</h3>");
    assert_qr(second, "A QR code that opens the questions for this class: Before the lesson",
              PUBLIC "feedback?c=ABCD-2345&amp;part=start");
    assert_contains(second, "<p class=\"nt-survey\">Before you teach anything, give pupils");
    assert_lacks(second, "part=end");
    /* The rest of the page is the same slides. */
    assert_int_equal(count_of(fx->out.ptr, "<section class=\"slide "), 12);

    /* Anything else is refused, shown nowhere, and the slide says so. */
    static const char *const bad[] = {
        "\"><script>alert(1)</script>",
        "abc",
        "ABCDEFGHJKMNPQRST",
        "ab cd",
        "ab%20cd",
        "ABCD2345&x=1",
        "ÄBCD2345",
        /* Codes the feedback form would refuse: the slide must not hand them out. */
        "ABCD",
        "ABCD-EFGH-JKMN",
        "ABCD-1234",
        "ABCD-OOOO",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        buf_reset(&fx->out);
        assert_int_equal(site_render_teach(s, bad[i], &fx->out), 0);
        const char *page = fx->out.ptr;
        assert_lacks(page, "<script>alert");
        assert_lacks(page, "feedback?c=");
        assert_lacks(page, "class=\"code\"");
        const char *slide12 = slide(page, 12);
        assert_contains(slide12, "The class code in this page's address is not a class code");
    }
    /* Spaces a teacher typed are left out; the code is the one the form takes. */
    buf_reset(&fx->out);
    assert_int_equal(site_render_teach(s, "abcd 2345", &fx->out), 0);
    assert_contains(slide(fx->out.ptr, 12), "Class code: <strong class=\"code\">ABCD2345</strong>");

    /* No code at all: the plain page, which tells the teacher how to make one. */
    buf_reset(&fx->out);
    assert_int_equal(site_render_teach(s, NULL, &fx->out), 0);
    assert_lacks(fx->out.ptr, "not a class code");
    assert_contains(fx->out.ptr, "planpack cohort new");
    const struct site_file *plain = site_get(s, "teach.html");
    assert_int_equal(fx->out.len, plain->len);
    assert_memory_equal(fx->out.ptr, plain->data, plain->len);
}

static void test_without_a_lesson_page_the_package_order_makes_the_slides(void **state)
{
    struct fixture *fx = *state;
    struct pkg_page *t = (struct pkg_page *)pkg_page(fx->pkg, "teachers");
    t->kind = PAGE_TEXT;
    const char *page = page_of(render(fx, SITE_SERVE, PUBLIC), "teach.html");
    t->kind = PAGE_LESSON;
    /* Title, five story steps, questions, ways, plan, support, feedback. */
    assert_int_equal(count_of(page, "<section class=\"slide "), 11);
    assert_contains(page, "<h1 id=\"h-1\">Think First</h1>");
    const char *q = slide(page, 7);
    /* The first question of each group. */
    assert_int_equal(count_of(q, "<li>"), 2);
    const char *sup = slide(page, 10);
    assert_int_equal(count_of(sup, "<li"), 4);
    assert_true(strstr(sup, "Police") < strstr(sup, "Childline"));
    assert_contains(page, "<p>No notes for this slide.</p>");
}

/* --- the teachers' guide and the letter -------------------------------------------- */

static void test_teachers_guide_links_to_the_slides_with_an_outline(void **state)
{
    struct fixture *fx = *state;
    for (int mode = SITE_SERVE; mode <= SITE_EXPORT; mode++) {
        const char *g = page_of(render(fx, (enum site_mode)mode, NULL), "teachers.html");
        bool exp = mode == SITE_EXPORT;
        assert_contains(g, exp ? "<a class=\"button\" href=\"teach.html\">Show the lesson slides"
                               : "<a class=\"button\" href=\"teach\">Show the lesson slides");
        assert_contains(g, "<h2 id=\"outline\">The lesson at a glance</h2>");
        assert_contains(g, exp ? "<li><span class=\"when\">5–20 min</span> <a "
                                 "href=\"teach.html#3\">Sam&#39;s story</a> (slides 3 to 7)</li>"
                               : "<li><span class=\"when\">5–20 min</span> <a "
                                 "href=\"teach#3\">Sam&#39;s story</a> (slides 3 to 7)</li>");
        assert_contains(g, "<p>About 55 minutes in all.</p>");
        /* The guide itself follows, and the page keeps the pupil pages' quick exit. */
        assert_contains(g, "If a pupil discloses that an image has been shared");
        assert_contains(g, "<a id=\"exit\" class=\"exit\"");
        assert_contains(g, "class=\"page-lesson for-teacher\"");
    }
}

static void test_letter_home_prints_with_a_qr_code_to_the_parents_page(void **state)
{
    struct fixture *fx = *state;
    const char *l = page_of(render(fx, SITE_SERVE, PUBLIC), "letter.html");
    assert_contains(l, "class=\"page-letter for-parent\"");
    assert_contains(l, "<h1>A letter for parents and carers</h1>");
    assert_contains(l, "<p>Dear parent or carer,</p>");
    assert_contains(l, "<span class=\"fill\">School:</span>");
    assert_contains(l, "<span class=\"fill\">From:</span>");
    assert_contains(l, "data-plan-action=\"print-page\" hidden>Print this letter</button>");
    assert_int_equal(count_of(l, "<svg class=\"qr-code\""), 1);
    assert_contains(l, "<a href=\"" PUBLIC "parents\">" PUBLIC "parents</a>");
    l = page_of(render(fx, SITE_EXPORT, PUBLIC), "letter.html");
    assert_contains(l, "<a href=\"" PUBLIC "parents.html\">");
    l = page_of(render(fx, SITE_EXPORT, NULL), "letter.html");
    assert_lacks(l, "<svg");
    assert_contains(l, "<p class=\"no-print note\">The printed letter has no QR code or web "
                       "address for the page <a href=\"parents.html\">For parents and "
                       "carers</a>");
}

static void test_public_addresses(void **state)
{
    (void)state;
    static const char *const good[] = {
        "https://www.school.example/think/", "http://192.168.1.20:8080/",       "http://[::1]:8080",
        "https://planpack.example",          "https://a.example/x-y_z/~v/%20/", "http://host:1/",
    };
    static const char *const bad[] = {
        NULL,
        "",
        "www.school.example",
        "ftp://school.example/",
        "https://",
        "https:///x",
        "https://school example/",
        "https://school.example/a b",
        "https://x.example/\"><script>",
        "https://x.example/?a=1",
        "https://x.example/#top",
        "https://x.example:99999/",
        "https://x.example:/",
        "https://-x.example/",
        "javascript:alert(1)",
        "http://[::1/",
        "https://x.example/é",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!site_public_url_valid(good[i]))
            fail_msg("'%s' should be a valid public address", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (site_public_url_valid(bad[i]))
            fail_msg("'%s' should not be a valid public address", bad[i] ? bad[i] : "(null)");
    char long_url[SITE_PUBLIC_URL_MAX + 2];
    memset(long_url, 'a', sizeof(long_url) - 1);
    memcpy(long_url, "https://x.example/", 18);
    long_url[sizeof(long_url) - 1] = '\0';
    assert_false(site_public_url_valid(long_url));
    long_url[SITE_PUBLIC_URL_MAX] = '\0';
    assert_true(site_public_url_valid(long_url));
}

static void test_an_invalid_public_address_renders_nothing(void **state)
{
    struct fixture *fx = *state;
    site_free(fx->site);
    struct site_options opt = {.mode = SITE_SERVE, .public_url = "https://x.example/\"><b>"};
    fx->site = site_render_with(fx->pkg, &opt);
    assert_null(fx->site);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lesson_page_loads_into_the_model),
        cmocka_unit_test(test_slides_are_numbered_and_routed),
        cmocka_unit_test(test_story_choices_link_to_the_slides_they_lead_to),
        cmocka_unit_test(test_notes_give_timing_what_to_say_and_safeguarding),
        cmocka_unit_test(test_chosen_questions_ways_and_services),
        cmocka_unit_test(test_qr_codes_point_at_the_public_address),
        cmocka_unit_test(test_without_a_public_address_the_slides_say_how_to_get_qr_codes),
        cmocka_unit_test(test_class_code_in_the_address),
        cmocka_unit_test(test_without_a_lesson_page_the_package_order_makes_the_slides),
        cmocka_unit_test(test_teachers_guide_links_to_the_slides_with_an_outline),
        cmocka_unit_test(test_letter_home_prints_with_a_qr_code_to_the_parents_page),
        cmocka_unit_test(test_public_addresses),
        cmocka_unit_test(test_an_invalid_public_address_renders_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
