/*
 * The byte buffer's escapers (base/buf.h): one table of character references serves HTML
 * pages, the HTML templates the renderers fill in, and the XML of sanitised SVG pictures.
 */
#include "testutil.h"

#include <string.h>

#include "base/buf.h"

static void test_html_escapes_markup(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    buf_adds_html(&b, "<a href=\"x\">Sam's & Alex's</a>\tend\n");
    assert_string_equal(b.ptr,
                        "&lt;a href=&quot;x&quot;&gt;Sam&#39;s &amp; Alex&#39;s&lt;/a&gt;\tend\n");
    buf_release(&b);
}

/* Each %s is escaped, the template itself is not; %% is one percent sign. */
static void test_html_template(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    buf_addf_html(&b, "<li class=\"a\">%s: %s (100%%)</li>", "<b>", "Tom & Jo");
    assert_string_equal(b.ptr, "<li class=\"a\">&lt;b&gt;: Tom &amp; Jo (100%)</li>");
    buf_reset(&b);
    buf_addf_html(&b, "%s", "plain");
    assert_string_equal(b.ptr, "plain");
    buf_reset(&b);
    buf_addf_html(&b, "no conversions");
    assert_string_equal(b.ptr, "no conversions");
    buf_release(&b);
}

/* XML keeps tabs and line breaks through a parser's attribute normalisation. */
static void test_xml_escapes_breaks(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    buf_adds_xml(&b, "a\tb\nc\r\"<&>");
    assert_string_equal(b.ptr, "a&#9;b&#10;c&#13;&quot;&lt;&amp;&gt;");
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_markup),
        cmocka_unit_test(test_html_template),
        cmocka_unit_test(test_xml_escapes_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
