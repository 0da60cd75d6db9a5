/*
 * /staff/classes: the class codes an account may see, a form to make a new one for the
 * package this server serves, and buttons to close or reopen one. The server holds the
 * database for writing while it runs, so this page, not the command line, is where codes
 * are made during a pilot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkg/pkg.h"
#include "survey/survey.h"
#include "web/staff_pages.h"

#define LABEL_MAX 200

/* How many submissions a class has so far, and its limit, for its row and the confirmation. */
static void class_answers(struct staff_page *p, const struct store_cohort *c)
{
    struct buf *b = p->out;
    int64_t have = 0;
    if (store_cohort_answers(p->st, c->id, &have) != STORE_OK) {
        buf_adds(b, "not known (the count could not be read)");
        return;
    }
    buf_addf(b, "%lld so far", (long long)have);
    if (!c->expected_size) {
        buf_adds(b, " (no limit)");
        return;
    }
    int64_t cap = (int64_t)c->expected_size * STORE_ANSWERS_PER_PUPIL;
    buf_addf(b, ", of up to %lld (%d pupils)", (long long)cap, c->expected_size);
    if (have >= cap)
        buf_adds(b, "<br><strong class=\"warning\">Full: new submissions are refused. "
                    "If the class is bigger, or someone sent answers again and again, "
                    "close this code and make a new one.</strong>");
    else if (have * 5 >= cap * 4)
        buf_adds(b, "<br><strong class=\"warning\">Nearly full: many more submissions than "
                    "pupils.</strong>");
}

/*
 * The row of one class: its facts, links to its pages, and its close or reopen button.
 * Each cell names its column (data-label), which a phone shows beside it, as the table
 * stacks there into one block per class.
 */
static void class_row(struct staff_page *p, const struct store_cohort *c, size_t flagged)
{
    struct buf *b = p->out;
    char day[11];
    store_day_format(c->created_day, day);
    buf_addf_html(b,
                  "<tr><th scope=\"row\"><code>%s</code></th><td data-label=\"Label\">%s</td>"
                  "<td data-label=\"School\">%s</td><td data-label=\"Package version\">%s",
                  c->code, c->label, c->school ? c->school : "no school given", c->package_version);
    buf_addf(b,
             "</td><td data-label=\"Created\">%s</td><td data-label=\"Feedback\">%s</td>"
             "<td data-label=\"Submissions\">",
             day, c->open ? "open" : "closed");
    class_answers(p, c);
    if (flagged)
        buf_addf(b,
                 "<br><a class=\"warning\" href=\"/staff/comments#c-%s\"><strong>%zu %s to "
                 "read first</strong></a>",
                 c->code, flagged, flagged == 1 ? "comment" : "comments");
    buf_adds(b, "</td><td data-label=\"Pages\">");
    buf_addf(b,
             "<a href=\"/staff/report?class=%s\">Report</a> \xc2\xb7 "
             "<a href=\"/feedback?c=%s\">Feedback form</a> \xc2\xb7 "
             "<a href=\"/teach?c=%s\">Lesson</a> \xc2\xb7 "
             "<a href=\"/staff/sheets?class=%s\">Paper sheets</a></td><td data-label=\"Change\">",
             c->code, c->code, c->code, c->code);
    /* Closing asks first (staff_classes_set_open()); reopening does not need to. */
    buf_adds(b, "<form method=\"post\" action=\"/staff/classes/open\">");
    staff_page_csrf(p);
    buf_addf(b,
             "<input type=\"hidden\" name=\"code\" value=\"%s\">"
             "<input type=\"hidden\" name=\"open\" value=\"%s\">"
             "<button type=\"submit\" aria-label=\"%s %s\">%s</button></form></td></tr>\n",
             c->code, c->open ? "0" : "1", c->open ? "Close" : "Reopen", c->code,
             c->open ? "Close\xe2\x80\xa6" : "Reopen");
}

/* How many of the flagged comments v[0..n) are of class c. */
static size_t flagged_in(const struct staff_flagged *v, size_t n, const struct store_cohort *c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += v[i].cohort->id == c->id;
    return k;
}

/*
 * The open classes whose code was made for another version of the package than the one
 * served: their pupils see the served version (and their answers are stored under it), so
 * staff are told, with a button that closes each code at once.
 */
static void outdated_codes(struct staff_page *p, const struct store_cohort *cs, size_t n)
{
    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    struct buf *b = p->out;
    bool any = false;
    for (size_t i = 0; pkg && i < n; i++) {
        const struct store_cohort *c = &cs[i];
        if (!c->open ||
            (strcmp(c->package_id, pkg->id) == 0 && strcmp(c->package_version, pkg->version) == 0))
            continue;
        if (!any) {
            buf_adds(b, "<section class=\"notice\" aria-labelledby=\"outdated\">\n"
                        "<h2 id=\"outdated\">Codes made for another version</h2>\n"
                        "<p>This server now serves version ");
            buf_adds_html(b, pkg->version);
            buf_adds(b, " of the package. The codes below were made for another version, so "
                        "their pupils now see this one, and their answers are counted under "
                        "it. Close a code when its lesson is over, and make a new one for the "
                        "next lesson.</p>\n<ul>\n");
            any = true;
        }
        buf_addf_html(b, "<li><code>%s</code> %s, made for version %s", c->code, c->label,
                      c->package_version);
        buf_adds(b, " <form method=\"post\" action=\"/staff/classes/open\">");
        staff_page_csrf(p);
        buf_addf(b,
                 "<input type=\"hidden\" name=\"code\" value=\"%s\">"
                 "<input type=\"hidden\" name=\"open\" value=\"0\">"
                 "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"
                 "<button type=\"submit\">Close %s now</button></form></li>\n",
                 c->code, c->code);
    }
    if (any)
        buf_adds(b, "</ul>\n</section>\n");
}

/* The page, with an error above the form (and the typed values kept) when error is set. */
static unsigned classes_page(struct staff_page *p, unsigned status, const char *error,
                             const char *label, const char *school, const char *size)
{
    struct store_cohort *cs;
    size_t n;
    if (staff_visible_cohorts(p, &cs, &n) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The classes could not be read. Please try again.");
    /* Comments that may be a disclosure, so that each class's row can say it has some. */
    struct staff_flagged *v = NULL;
    size_t nv = 0, more = 0;
    if (staff_flagged_comments(p, 0, &v, &nv, &more) != STORE_OK)
        nv = 0;
    struct buf *b = p->out;
    staff_page_open(p, "Classes");
    const char *made = form_get(p->query, "made");
    struct store_cohort mc;
    if (!error && made && staff_visible_cohort(p, made, &mc) == STORE_OK)
        buf_addf_html(b,
                      "<p class=\"notice\" role=\"status\">New class code <code>%s</code> for %s. "
                      "Pupils open <code>/feedback?c=%s</code> or type the code.</p>\n",
                      mc.code, mc.label, mc.code);
    outdated_codes(p, cs, n);

    if (n == 0) {
        buf_adds(b, "<p>No class codes yet.</p>\n");
    } else {
        /* The table is wider than a phone: it scrolls in a region that Tab can reach. */
        buf_adds(b, "<div class=\"scroll\" role=\"region\" aria-label=\"Class codes\" "
                    "tabindex=\"0\">\n<table class=\"classes\">\n<caption>Class codes");
        if (p->sess->school)
            buf_addf_html(b, " of %s", p->sess->school);
        buf_adds(b, ", oldest first</caption>\n<thead><tr><th scope=\"col\">Code</th>"
                    "<th scope=\"col\">Label</th><th scope=\"col\">School</th>"
                    "<th scope=\"col\">Package version</th><th scope=\"col\">Created</th>"
                    "<th scope=\"col\">Feedback</th><th scope=\"col\">Submissions</th>"
                    "<th scope=\"col\">Pages</th>"
                    "<th scope=\"col\">Change</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < n; i++)
            class_row(p, &cs[i], flagged_in(v, nv, &cs[i]));
        buf_adds(b, "</tbody>\n</table>\n</div>\n");
    }

    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    buf_adds(b, "<h2>Make a class code</h2>\n");
    if (error)
        staff_page_error(p, error);
    buf_adds(b, "<form method=\"post\" action=\"/staff/classes\">\n");
    staff_page_csrf(p);
    buf_adds(b, "\n<div class=\"field\"><label for=\"c-label\">Label (the class and lesson, "
                "for example \xe2\x80\x9cYear 9 PSHE, 3 March\xe2\x80\x9d)</label>\n"
                "<input id=\"c-label\" name=\"label\" required maxlength=\"200\" value=\"");
    buf_adds_html(b, label ? label : "");
    buf_adds(b, "\"></div>\n");
    if (p->sess->school) {
        buf_addf_html(b, "<p>School: %s</p>\n", p->sess->school);
    } else {
        buf_adds(b, "<div class=\"field\"><label for=\"c-school\">School (leave empty for "
                    "none)</label>\n<input id=\"c-school\" name=\"school\" maxlength=\"200\" "
                    "value=\"");
        buf_adds_html(b, school ? school : "");
        buf_adds(b, "\"></div>\n");
    }
    buf_adds(b, "<div class=\"field\"><label for=\"c-size\">Pupils in the class (it takes up "
                "to 10 answers for each, so that nobody can flood it)</label>\n"
                "<input id=\"c-size\" name=\"size\" type=\"number\" min=\"1\" max=\"10000\" "
                "required value=\"");
    buf_adds_html(b, size ? size : "30");
    buf_adds(b, "\"></div>\n");
    if (pkg)
        buf_addf_html(b, "<p>Package: %s, version %s (the one this server serves).</p>\n",
                      pkg->title ? pkg->title : pkg->id, pkg->version);
    buf_adds(b, "<p><button type=\"submit\">Make a class code</button></p>\n</form>\n");
    staff_page_close(p);
    return status;
}

unsigned staff_classes_get(struct staff_page *p)
{
    return classes_page(p, HTTP_OK, NULL, NULL, NULL, NULL);
}

/* Whether s has something besides spaces. */
static bool blank(const char *s)
{
    return !s || s[strspn(s, " \t\r\n")] == '\0';
}

unsigned staff_classes_create(struct staff_page *p)
{
    const char *label = form_get(p->body, "label");
    const char *size = form_get(p->body, "size");
    char *end = NULL;
    /* A form without the field (an older page) gets a class's usual size. */
    long pupils = size ? strtol(size, &end, 10) : 30;
    const char *school = p->sess->school ? p->sess->school : form_get(p->body, "school");
    if (blank(school))
        school = NULL;
    if (blank(label))
        return classes_page(p, HTTP_BAD_REQUEST, "Please give the class a label.", label, school,
                            size);
    if (strlen(label) > LABEL_MAX || (school && strlen(school) > LABEL_MAX))
        return classes_page(p, HTTP_BAD_REQUEST,
                            "The label and the school name may be at most 200 characters.", label,
                            school, size);
    if ((size && (end == size || *end)) || pupils < 1 || pupils > STORE_CLASS_SIZE_MAX)
        return classes_page(p, HTTP_BAD_REQUEST,
                            "Please give the number of pupils in the class, from 1 to 10,000.",
                            label, school, size);
    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    struct survey sv;
    if (pkg)
        pkg_survey(pkg, p->a, &sv);
    if (!pkg || sv.count == 0)
        return classes_page(p, HTTP_BAD_REQUEST,
                            "This package has no survey questions, so a class code would "
                            "collect nothing.",
                            label, school, size);
    struct store_cohort_spec spec = {
        .label = label, .school = school, .survey = &sv, .expected_size = (int)pupils};
    char code[WIRE_CODE_LEN + 1];
    int rc = store_cohort_create(p->st, &spec, code);
    if (rc == STORE_ERR_INVALID)
        return classes_page(p, HTTP_BAD_REQUEST,
                            "The label and the school name may not hold tabs, line breaks or other "
                            "control characters. Please check them.",
                            label, school, size);
    if (rc != STORE_OK)
        return classes_page(p, HTTP_INTERNAL_SERVER_ERROR,
                            "The class code could not be made. Please try again.", label, school,
                            size);
    return staff_page_redirect(p, "/staff/classes?made=%s", code);
}

/*
 * The question before a class is closed: a page of its own with a form, so that it works
 * without JavaScript, and changes nothing until its button is pressed.
 */
static unsigned confirm_close(struct staff_page *p, const struct store_cohort *c)
{
    struct buf *b = p->out;
    char title[64];
    snprintf(title, sizeof(title), "Close class %s?", c->code);
    staff_page_open(p, title);
    buf_addf_html(b, "<p>%s", c->label);
    if (c->school)
        buf_addf_html(b, " (%s)", c->school);
    buf_adds(b, ". Submissions: ");
    class_answers(p, c);
    buf_adds(b, ".</p>\n<p>Once it is closed, pupils who use this code are told that its "
                "feedback has closed, and nothing they send is kept. The answers it has stay. "
                "You can reopen it later, for example for pupils who were absent.</p>\n"
                "<form method=\"post\" action=\"/staff/classes/open\">");
    staff_page_csrf(p);
    buf_addf(b,
             "<input type=\"hidden\" name=\"code\" value=\"%s\">"
             "<input type=\"hidden\" name=\"open\" value=\"0\">"
             "<input type=\"hidden\" name=\"confirm\" value=\"yes\">\n"
             "<p><button type=\"submit\">Close the class</button> "
             "<a href=\"/staff/classes\">No, keep it open</a></p>\n</form>\n",
             c->code);
    staff_page_close(p);
    return HTTP_OK;
}

unsigned staff_classes_set_open(struct staff_page *p)
{
    const char *open = form_get(p->body, "open");
    if (!open || (strcmp(open, "0") != 0 && strcmp(open, "1") != 0))
        return staff_page_message(p, HTTP_BAD_REQUEST, "Bad form",
                                  "The form did not say whether to close or reopen.");
    struct store_cohort c;
    int rc = staff_visible_cohort(p, form_get(p->body, "code"), &c);
    if (rc == STORE_ERR_NOT_FOUND)
        return staff_page_not_found(p);
    const char *confirm = form_get(p->body, "confirm");
    if (rc == STORE_OK && open[0] == '0' && c.open && !(confirm && strcmp(confirm, "yes") == 0))
        return confirm_close(p, &c);
    if (rc == STORE_OK)
        rc = store_cohort_set_open(p->st, c.code, open[0] == '1');
    if (rc == STORE_ERR_NOT_FOUND)
        return staff_page_not_found(p);
    if (rc != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The class could not be changed. Please try again.");
    return staff_page_redirect(p, "/staff/classes");
}
