/*
 * The lesson, from the same package as the pupils' pages: the teachers' guide (a page of
 * kind lesson) and the presentation at /teach, made from that page's slides, or from a
 * running order of the package's own parts when it has no lesson page.
 *
 * The presentation is one page. Each slide is a <section> whose id is its number, so that
 * "#7" opens slide 7 with or without a script, and each carries its teacher's notes. Without
 * JavaScript it reads as one long page with the notes under each slide; assets/teach.js turns
 * it into slides with keyboard control, a notes view and a presenter window, and the print
 * stylesheet turns it into the lesson plan. Story choices link to the slide they lead to, so
 * the class can follow its vote.
 */
#include "site/render.h"
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One slide as shown: an authored slide, or one step of the story on a story slide. */
struct shown {
    const struct pkg_slide *def;
    const struct pkg_step *step;        /* story slides */
    const struct pkg_notes *step_notes; /* the notes the lesson gives that step, or NULL */
    bool first;                         /* the first slide its authored slide makes */
    size_t group_first;                 /* index of that first slide */
    size_t group_end;                   /* one past the last slide of the same authored slide */
    int from;                           /* minutes into the lesson when the authored slide starts */
};

struct deck {
    const struct pkg_page *lesson; /* NULL: the built-in running order */
    const struct pkg_page *story;
    const struct pkg_page *questions;
    const struct pkg_page *ways;
    const struct pkg_page *plan;
    const struct pkg_page *survey;
    const struct pkg_page *support;
    struct shown *slides;
    size_t count;
    size_t cap;
    int total; /* minutes */
};

/* Without a lesson page, the presentation follows the package's own order of parts. */
static const struct pkg_slide builtin[] = {
    {.show = SLIDE_TITLE}, {.show = SLIDE_STORY},   {.show = SLIDE_QUESTIONS}, {.show = SLIDE_WAYS},
    {.show = SLIDE_PLAN},  {.show = SLIDE_SUPPORT}, {.show = SLIDE_FEEDBACK},
};

static bool available(const struct render *r, const struct deck *d, const struct pkg_slide *s)
{
    switch (s->show) {
    case SLIDE_STORY:
        return d->story && d->story->story.step_count;
    case SLIDE_QUESTIONS:
        return d->questions && d->questions->group_count;
    case SLIDE_WAYS:
        return d->ways && d->ways->strategy_count;
    case SLIDE_PLAN:
        return d->plan != NULL;
    case SLIDE_SUPPORT:
        return r->pkg->support_count > 0;
    case SLIDE_FEEDBACK:
        return d->survey != NULL;
    case SLIDE_TITLE:
    case SLIDE_TEXT:
        break;
    }
    return true;
}

static struct shown *add(struct deck *d, const struct pkg_slide *def, int from)
{
    XGROW(d->slides, d->cap, d->count + 1);
    struct shown *s = &d->slides[d->count++];
    memset(s, 0, sizeof(*s));
    s->def = def;
    s->from = from;
    return s;
}

static const struct pkg_notes *notes_for_step(const struct pkg_slide *def,
                                              const struct pkg_step *step)
{
    for (size_t i = 0; i < def->step_note_count; i++)
        if (def->step_notes[i].step && step->id && strcmp(def->step_notes[i].step, step->id) == 0)
            return &def->step_notes[i].notes;
    return NULL;
}

static void deck_build(const struct render *r, struct deck *d)
{
    const struct pkg *p = r->pkg;
    memset(d, 0, sizeof(*d));
    d->lesson = render_find_kind(p, PAGE_LESSON);
    d->story = render_find_kind(p, PAGE_STORY);
    d->questions = render_find_kind(p, PAGE_QUESTIONS);
    d->ways = render_find_kind(p, PAGE_STRATEGIES);
    d->plan = render_find_kind(p, PAGE_PLAN);
    d->survey = render_find_kind(p, PAGE_SURVEY);
    d->support = render_find_kind(p, PAGE_SUPPORT);
    const struct pkg_slide *defs = builtin;
    size_t n = sizeof(builtin) / sizeof(builtin[0]);
    if (d->lesson && d->lesson->slide_count) {
        defs = d->lesson->slides;
        n = d->lesson->slide_count;
    }
    int at = 0;
    for (size_t i = 0; i < n; i++) {
        const struct pkg_slide *def = &defs[i];
        if (!available(r, d, def))
            continue;
        size_t first = d->count;
        if (def->show == SLIDE_STORY) {
            const struct pkg_story *st = &d->story->story;
            for (size_t k = 0; k < st->step_count; k++) {
                struct shown *s = add(d, def, at);
                s->step = &st->steps[k];
                s->step_notes = notes_for_step(def, s->step);
            }
        } else {
            add(d, def, at);
        }
        for (size_t k = first; k < d->count; k++) {
            d->slides[k].first = k == first;
            d->slides[k].group_first = first;
            d->slides[k].group_end = d->count;
        }
        at += def->minutes;
    }
    d->total = at;
}

static void deck_release(struct deck *d)
{
    free(d->slides);
    d->slides = NULL;
}

/* The number of the slide that shows step, looked for first among its own story slides. */
static size_t slide_of_step(const struct deck *d, const struct shown *from,
                            const struct pkg_step *step)
{
    for (size_t i = from->group_first; i < from->group_end; i++)
        if (d->slides[i].step == step)
            return i + 1;
    for (size_t i = 0; i < d->count; i++)
        if (d->slides[i].step == step)
            return i + 1;
    return 0;
}

static const char *or_else(const char *a, const char *b)
{
    return a && *a ? a : b;
}

static const char *page_title(const struct pkg_page *page, const char *fallback)
{
    return page ? or_else(page->title, fallback) : fallback;
}

/* The slide's heading, also used in the list of slides and the lesson outline. */
static const char *shown_title(const struct render *r, const struct deck *d, const struct shown *s)
{
    const struct pkg_slide *def = s->def;
    switch (def->show) {
    case SLIDE_TITLE:
        return or_else(def->title, r->pkg->title);
    case SLIDE_STORY:
        return or_else(s->step->title, or_else(s->step->ending_title, ui(r, UI_THE_STORY)));
    case SLIDE_QUESTIONS:
        return or_else(def->title, page_title(d->questions, ui(r, UI_QUESTIONS)));
    case SLIDE_WAYS:
        return or_else(def->title, page_title(d->ways, ui(r, UI_WAYS)));
    case SLIDE_PLAN:
        return or_else(def->title, page_title(d->plan, ui(r, UI_MAKE_PLAN)));
    case SLIDE_SUPPORT:
        return or_else(def->title, page_title(d->support, ui(r, UI_GET_HELP)));
    case SLIDE_FEEDBACK:
        return or_else(def->title, page_title(d->survey, ui(r, UI_TELL_US)));
    case SLIDE_TEXT:
        break;
    }
    return or_else(def->title, ui(r, UI_SLIDE));
}

/* --- pieces of a slide ------------------------------------------------------------- */

/* A QR code with the address written under it, for those who would rather type it. */
static void qr_figure(struct render *r, const char *url, const char *label, const char *caption)
{
    struct buf *o = r->out;
    buf_adds(o, "<figure class=\"qr\">\n");
    render_qr(r, url, label);
    buf_addf_html(o, "<figcaption>%s <a class=\"url\" href=\"%s\">%s</a></figcaption>\n</figure>\n",
                  caption, url, url);
    /* Beside the first QR code only, so that every slide still fits the board. */
    if (r->site->public_url_local && !r->said_qr_local) {
        r->said_qr_local = true;
        render_teacher_open(r, "<p class=\"setup\"");
        buf_adds(o, "Pupils' phones cannot open this QR code: it points to "
                    "this computer only. To fix it, stop planpack and start it again with "
                    "<code>--listen</code> and this computer's address on the school network, "
                    "for example <code>planpack serve --listen 0.0.0.0:8080</code>, or with "
                    "<code>--public-url</code> and the address pupils' phones can open.</p>\n");
    }
}

/* Said when a QR code cannot be drawn because the site does not know its own address. */
static void no_public_url(struct render *r)
{
    render_teacher_open(r, "<p class=\"setup\"");
    buf_adds(r->out, "No QR code: planpack does not know the address pupils "
                     "use for this site. ");
    if (r->mode == SITE_EXPORT)
        buf_adds(r->out, "Export it again with <code>--public-url</code> and the address where "
                         "it will be published, for example <code>planpack export -o site "
                         "--public-url https://www.school.example/think/</code>.</p>\n");
    else
        buf_adds(r->out, "Start it with <code>--public-url</code> and the address pupils' "
                         "phones can open, for example <code>planpack serve --listen "
                         "0.0.0.0:8080 --public-url http://192.168.1.20:8080/</code>.</p>\n");
}

/* A QR code to a page of the package for pupils' phones, or a note saying why there is none. */
static void page_qr(struct render *r, const struct pkg_page *page, const char *label)
{
    struct buf url;
    buf_init(&url, 4096);
    if (render_public_url(r, &url, page))
        qr_figure(r, url.ptr, label, ui(r, UI_SCAN));
    else
        no_public_url(r);
    buf_release(&url);
}

static void title_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    (void)d;
    struct buf *o = r->out;
    buf_addf(o, "<h1 id=\"h-%zu\">", n);
    buf_addf_html(o, "%s</h1>\n", shown_title(r, d, s));
    if (s->def->text)
        render_markdown(r, s->def->text, 2);
    else if (r->pkg->publisher && *r->pkg->publisher) {
        buf_addf_html(o, "<p class=\"lead\">%s</p>\n", r->pkg->publisher);
    }
    page_qr(r, NULL, ui(r, UI_QR_START));
}

static void heading(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    buf_addf(r->out, "<h2 id=\"h-%zu\">", n);
    buf_addf_html(r->out, "%s</h2>\n", shown_title(r, d, s));
    if (s->def->text && s->def->show != SLIDE_STORY)
        render_markdown(r, s->def->text, 3);
}

static void story_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    struct buf *o = r->out;
    const struct pkg_step *step = s->step;
    buf_addf_html(o, "<p class=\"kicker\">%s</p>\n", or_else(d->story->nav_title, d->story->title));
    buf_addf(o, "<h2 id=\"h-%zu\">", n);
    buf_addf_html(o, "%s</h2>\n<div class=\"story-cols\">\n", shown_title(r, d, s));
    if (step->message_count) {
        buf_adds(o, "<div class=\"story-chat\">\n");
        render_chat(r, step);
        buf_adds(o, "</div>\n");
    }
    buf_adds(o, "<div class=\"story-ask\">\n");
    if (s->first && s->def->text)
        render_markdown(r, s->def->text, 3);
    if (step->ending || !step->choice_count) {
        buf_adds(o, "<p class=\"ending\"><strong>");
        render_ui(r, UI_THE_END);
        buf_adds(o, "</strong>");
        if (step->ending_title && *step->ending_title)
            buf_addf_html(o, ": %s", step->ending_title);
        buf_adds(o, "</p>\n");
        render_markdown(r, step->text, 3);
    } else if (step->choice_count == 1) {
        render_markdown(r, step->text, 3);
        size_t to = step->choices[0].next ? slide_of_step(d, s, step->choices[0].next) : 0;
        buf_adds(o, "<p class=\"next-step\">");
        if (to)
            buf_addf(o, "<a href=\"#%zu\">", to);
        render_uif(r, UI_NEXT_STEP, step->choices[0].text, NULL);
        buf_adds(o, to ? "</a></p>\n" : "</p>\n");
    } else {
        render_markdown(r, step->text, 3);
        /* A question about the character, not about the pupils: the story keeps the
         * distance that makes it safe to talk about. */
        render_story_ask(r, &d->story->story, "p", UI_WHAT_COULD, UI_WHAT_COULD_HAPPEN);
        buf_adds(o, "<ol class=\"choices\">\n");
        for (size_t i = 0; i < step->choice_count; i++) {
            const struct pkg_choice *c = &step->choices[i];
            size_t to = c->next ? slide_of_step(d, s, c->next) : 0;
            buf_adds(o, "<li>");
            if (to)
                buf_addf(o, "<a class=\"choice\" href=\"#%zu\">", to);
            render_text(r, c->text);
            buf_adds(o, to ? "</a></li>\n" : "</li>\n");
        }
        buf_adds(o, "</ol>\n");
    }
    buf_adds(o, "</div>\n</div>\n");
}

static const struct pkg_question *find_question(const struct pkg_page *page, const char *id)
{
    for (size_t g = 0; g < page->group_count; g++)
        for (size_t q = 0; q < page->groups[g].question_count; q++)
            if (page->groups[g].questions[q].id && strcmp(page->groups[g].questions[q].id, id) == 0)
                return &page->groups[g].questions[q];
    return NULL;
}

static void question_item(struct render *r, const struct pkg_question *q)
{
    buf_addf_html(r->out, "<li>%s</li>\n", q->text);
}

static void questions_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    const struct pkg_slide *def = s->def;
    heading(r, d, s, n);
    buf_adds(r->out, "<ul class=\"big-list\">\n");
    if (def->ref_count) {
        for (size_t i = 0; i < def->ref_count; i++) {
            const struct pkg_question *q = NULL;
            for (size_t k = 0; k < r->pkg->page_count && !q; k++)
                q = find_question(&r->pkg->pages[k], def->refs[i].id);
            if (q)
                question_item(r, q);
        }
    } else {
        /* Without a choice, the first question of each group. */
        for (size_t g = 0; g < d->questions->group_count; g++)
            if (d->questions->groups[g].question_count)
                question_item(r, &d->questions->groups[g].questions[0]);
    }
    buf_adds(r->out, "</ul>\n");
}

static void strategy_item(struct render *r, const struct pkg_strategy *st)
{
    buf_addf_html(r->out, "<li><strong>%s</strong>", st->title);
    if (st->summary && *st->summary)
        buf_addf_html(r->out, " <span>%s</span>", st->summary);
    buf_adds(r->out, "</li>\n");
}

static void ways_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    const struct pkg_slide *def = s->def;
    const struct pkg *p = r->pkg;
    heading(r, d, s, n);
    buf_adds(r->out, "<ul class=\"ways\">\n");
    for (size_t k = 0; k < p->page_count; k++) {
        const struct pkg_page *pg = &p->pages[k];
        for (size_t i = 0; i < pg->strategy_count; i++) {
            const struct pkg_strategy *st = &pg->strategies[i];
            bool chosen = def->ref_count == 0;
            for (size_t j = 0; j < def->ref_count && !chosen; j++)
                chosen = st->id && strcmp(st->id, def->refs[j].id) == 0;
            if (chosen)
                strategy_item(r, st);
        }
    }
    buf_adds(r->out, "</ul>\n");
}

static void plan_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    struct buf *o = r->out;
    heading(r, d, s, n);
    buf_adds(o, "<div class=\"plan-cols\">\n<ol class=\"big-list\">\n");
    for (size_t i = 0; i < d->plan->plan_section_count; i++)
        buf_addf_html(o, "<li>%s</li>\n", d->plan->plan_sections[i].title);
    buf_adds(o, "</ol>\n<div>\n");
    page_qr(r, d->plan, ui(r, UI_QR_PLAN));
    struct buf link;
    buf_init(&link, 4096);
    r->out = &link;
    buf_adds(&link, "<a href=\"");
    render_href(r, d->plan, PLAN_WORKSHEET_STEP);
    buf_adds(&link, "\">");
    render_ui(r, UI_PRINTED_PLAN);
    buf_adds(&link, "</a>");
    r->out = o;
    buf_adds(o, "<p class=\"aside\">");
    render_ui_html(r, UI_NO_PHONE, link.ptr);
    buf_adds(o, "</p>\n</div>\n</div>\n");
    buf_release(&link);
}

/* The way to reach a service, shortest first: the number to call or text, or the site. */
static void service_contact(struct render *r, const struct pkg_support *sup)
{
    struct buf *o = r->out;
    if (sup->phone && *sup->phone) {
        buf_adds(o, "<span class=\"contact\">");
        render_uif(r, UI_CALL, sup->phone, NULL);
        buf_adds(o, "</span>");
    } else if (sup->sms && *sup->sms) {
        buf_adds(o, "<span class=\"contact\">");
        render_uif(r, UI_TEXT_NUMBER, sup->sms, NULL);
        buf_adds(o, "</span>");
    } else if (sup->url && *sup->url) {
        const char *u = sup->url;
        if (strncmp(u, "https://", 8) == 0)
            u += 8;
        if (strncmp(u, "www.", 4) == 0)
            u += 4;
        buf_adds(o, "<span class=\"contact\">");
        buf_add_html(o, u, strcspn(u, "/?#"));
        buf_adds(o, "</span>");
    }
}

static void service_item(struct render *r, const struct pkg_support *sup)
{
    buf_adds(r->out, sup->emergency ? "<li class=\"emergency\"><strong>" : "<li><strong>");
    buf_addf_html(r->out, "%s</strong> ", sup->name);
    service_contact(r, sup);
    buf_adds(r->out, "</li>\n");
}

static void support_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    const struct pkg *p = r->pkg;
    const struct pkg_slide *def = s->def;
    heading(r, d, s, n);
    buf_adds(r->out, "<ul class=\"services-big\">\n");
    /* In the order chosen; without a choice, emergency numbers first, as on the page. */
    for (size_t i = 0; i < def->ref_count; i++)
        for (size_t k = 0; k < p->support_count; k++)
            if (p->support[k].id && strcmp(p->support[k].id, def->refs[i].id) == 0) {
                service_item(r, &p->support[k]);
                break;
            }
    for (int pass = 0; !def->ref_count && pass < 2; pass++)
        for (size_t k = 0; k < p->support_count; k++)
            if (p->support[k].emergency == (pass == 0))
                service_item(r, &p->support[k]);
    buf_adds(r->out, "</ul>\n");
    if (d->support) {
        buf_adds(r->out, "<p class=\"aside\">");
        render_ui(r, UI_ALL_SERVICES);
        buf_addc(r->out, ' ');
        struct buf url;
        buf_init(&url, 4096);
        if (render_public_url(r, &url, d->support)) {
            buf_addf_html(r->out, "<a href=\"%s\">%s", url.ptr, url.ptr);
        } else {
            buf_adds(r->out, "<a href=\"");
            render_href(r, d->support, NULL);
            buf_addf_html(r->out, "\">%s", d->support->title);
        }
        buf_adds(r->out, "</a></p>\n");
        buf_release(&url);
    }
}

static void cohort_help(struct render *r)
{
    buf_adds(r->out, "To show a QR code for your class here, make a class code on the computer "
                     "that runs planpack with <code>planpack cohort new --label \"Year 9 "
                     "PSHE\"</code>, then open these slides with the code at the end of the "
                     "address: <code>");
    render_teach_href(r, 0);
    buf_adds(r->out, "?c=CODE</code>.");
}

/* Whether the survey asks anything in part (so that it has a QR code of its own). */
static bool survey_asks(const struct deck *d, enum survey_when part)
{
    for (size_t i = 0; d->survey && i < d->survey->survey_count; i++)
        if (survey_part_of(d->survey->survey[i].when) == part)
            return true;
    return false;
}

/* How many feedback slides the deck has. */
static size_t feedback_slides(const struct deck *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->slides[i].def->show == SLIDE_FEEDBACK && d->slides[i].first;
    return n;
}

/*
 * The survey part a feedback slide gives the QR code of: START for one that another
 * feedback slide follows (a lesson that asks the start questions on a slide of its own),
 * END for the last.
 */
static enum survey_when feedback_part(const struct deck *d, size_t i)
{
    for (size_t k = i + 1; k < d->count; k++)
        if (d->slides[k].def->show == SLIDE_FEEDBACK && d->slides[k].def != d->slides[i].def)
            return SURVEY_START;
    return SURVEY_END;
}

/*
 * Whether the second slide carries the start part's QR code: when the deck's one feedback
 * slide (at the end) gives the end part's and the survey asks anything at the start.
 */
static bool start_on_second(const struct deck *d)
{
    return d->count >= 2 && feedback_slides(d) == 1 && survey_asks(d, SURVEY_START);
}

/*
 * The class code and a QR code with the address of one survey part's form for this class
 * (/feedback?c=CODE&part=PART), or a note saying what is missing.
 */
static void part_qr(struct render *r, const struct deck *d, enum survey_when part)
{
    struct buf *o = r->out;
    if (r->mode == SITE_EXPORT) {
        render_teacher_open(r, "<p class=\"setup\"");
        buf_adds(o, "Feedback needs the planpack server: this saved copy of "
                    "the site cannot collect answers. Show these slides from the server to "
                    "give pupils a QR code for their class.</p>\n");
        return;
    }
    if (!r->class_code) {
        render_teacher_open(r, "<p class=\"setup\"");
        if (r->bad_class_code)
            buf_adds(o, "The class code in this page's address is not a class code: check "
                        "it against the one that <code>planpack cohort new</code> printed. ");
        cohort_help(r);
        buf_adds(o, "</p>\n");
        return;
    }
    buf_adds(o, "<p class=\"code-line\">");
    render_ui(r, UI_CLASS_CODE);
    buf_addf_html(o, ": <strong class=\"code\">%s</strong></p>\n", r->class_code);
    struct buf url, label;
    buf_init(&url, 4096);
    buf_init(&label, 256);
    if (render_public_url(r, &url, d->survey)) {
        buf_addf(&url, "?" WIRE_FIELD_CODE "=%s&" WIRE_FIELD_PART "=%s", r->class_code,
                 survey_when_name(part));
        ui_plain(r, &label, UI_QR_PART, render_part_label(r, part), NULL);
        qr_figure(r, url.ptr, label.ptr, ui(r, UI_SCAN));
    } else {
        no_public_url(r);
    }
    buf_release(&label);
    buf_release(&url);
}

/* The second slide: the start part's questions, answered before the lesson begins. */
static void start_part(struct render *r, const struct deck *d)
{
    buf_adds(r->out, "<div class=\"part-start\">\n<h3>");
    render_ui(r, UI_BEFORE_START);
    buf_adds(r->out, "</h3>\n");
    part_qr(r, d, SURVEY_START);
    buf_adds(r->out, "</div>\n");
}

static void feedback_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    heading(r, d, s, n);
    part_qr(r, d, feedback_part(d, n - 1));
}

static void text_slide(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    heading(r, d, s, n);
}

/* --- the notes --------------------------------------------------------------------- */

/* One part of the notes: the whole slide's text, then the story step's own. */
/* level: the heading level of this part of the notes, one below the notes' own. */
static void notes_part(struct render *r, int level, const char *title, const char *cls,
                       const char *md, const char *step_md)
{
    bool a = md && *md, b = step_md && *step_md;
    if (!a && !b)
        return;
    buf_adds(r->out, "<div class=\"");
    buf_adds(r->out, cls);
    buf_addf(r->out, "\">\n<h%d class=\"nt-part\"", level);
    if (!render_in_english(r))
        buf_adds(r->out, " lang=\"en\"");
    buf_addc(r->out, '>');
    render_text(r, title);
    buf_addf(r->out, "</h%d>\n", level);
    if (a)
        render_markdown(r, md, level + 1);
    if (b)
        render_markdown(r, step_md, level + 1);
    buf_adds(r->out, "</div>\n");
}

static void timing(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    struct buf *o = r->out;
    const struct pkg_slide *def = s->def;
    if (def->minutes) {
        int to = s->from + def->minutes;
        size_t count = s->group_end - s->group_first;
        render_teacher_open(r, "<p class=\"timing\"");
        buf_addf(o, "About %d minute%s", def->minutes, def->minutes == 1 ? "" : "s");
        if (count > 1)
            buf_addf(o, " for slides %zu to %zu together", s->group_first + 1, s->group_end);
        buf_addf(o, ": %d to %d minutes into the lesson.", s->from, to);
        if (n == 1 && d->total)
            buf_addf(o, " The whole lesson takes about %d minutes.", d->total);
        buf_adds(o, "</p>\n");
    } else if (n == 1 && d->total) {
        render_teacher_open(r, "<p class=\"timing\"");
        buf_addf(o, "The whole lesson takes about %d minutes.</p>\n", d->total);
    }
}

static void notes(struct render *r, const struct deck *d, const struct shown *s, size_t n)
{
    struct buf *o = r->out;
    const struct pkg_notes *own = s->first ? &s->def->notes : NULL;
    const struct pkg_notes *step = s->step_notes;
    /* One level below the slide's own heading, so that no level is skipped: the title
     * slide has the page's <h1>, every other slide an <h2>. */
    int level = s->def->show == SLIDE_TITLE ? 2 : 3;
    buf_addf(o,
             "<aside class=\"notes\" aria-labelledby=\"nt-%zu\" tabindex=\"0\">\n<h%d "
             "class=\"nt-title\" id=\"nt-%zu\"",
             n, level, n);
    if (!render_in_english(r))
        buf_adds(o, " lang=\"en\"");
    buf_addf(o, ">Notes for slide %zu of %zu</h%d>\n", n, d->count, level);
    size_t mark = o->len;
    timing(r, d, s, n);
    if (s->step && s->step->choice_count > 1 && !s->step->ending) {
        render_teacher_open(r, "<p");
        buf_adds(o, "Discuss, then vote. Each choice opens the slide it leads to; after "
                    "following the vote, come back and try the others.</p>\n");
    }
    notes_part(r, level + 1, "Say and do", "say", own ? own->say : NULL, step ? step->say : NULL);
    bool start = (n == 2 && start_on_second(d)) ||
                 (s->def->show == SLIDE_FEEDBACK && feedback_part(d, n - 1) == SURVEY_START);
    if (start) {
        render_teacher_open(r, "<p class=\"nt-survey\"");
        buf_adds(o, "Before you teach anything, give pupils about three "
                    "minutes to answer the start questions (\"Before the lesson\") with this QR "
                    "code or address, so that their answers show where they were before the "
                    "lesson.</p>\n");
    } else if (s->def->show == SLIDE_FEEDBACK && survey_asks(d, SURVEY_END)) {
        render_teacher_open(r, "<p class=\"nt-survey\"");
        buf_adds(o, "At the very end of the lesson, give pupils about "
                    "five minutes to answer the end questions (\"After the lesson\") with this "
                    "QR code or address: not the start one."
                    "</p>\n");
    }
    notes_part(r, level + 1, "Safeguarding", "safeguarding", own ? own->safeguarding : NULL,
               step ? step->safeguarding : NULL);
    if (o->len == mark) {
        render_teacher_open(r, "<p");
        buf_adds(o, "No notes for this slide.</p>\n");
    }
    buf_adds(o, "</aside>\n");
}

/* --- the presentation -------------------------------------------------------------- */

/*
 * One row per kind of slide, indexed by enum pkg_slide_kind: the class of its <section> for
 * the style sheet, and the function that writes what it shows.
 */
static const struct slide_kind {
    const char *class_name;
    void (*write)(struct render *r, const struct deck *d, const struct shown *s, size_t n);
} slide_kinds[] = {
    [SLIDE_TITLE] = {"s-title", title_slide},
    [SLIDE_TEXT] = {"s-text", text_slide},
    [SLIDE_STORY] = {"s-story", story_slide},
    [SLIDE_QUESTIONS] = {"s-questions", questions_slide},
    [SLIDE_WAYS] = {"s-ways", ways_slide},
    [SLIDE_PLAN] = {"s-plan", plan_slide},
    [SLIDE_SUPPORT] = {"s-support", support_slide},
    [SLIDE_FEEDBACK] = {"s-feedback", feedback_slide},
};
_Static_assert(sizeof(slide_kinds) / sizeof(slide_kinds[0]) == SLIDE_KIND_COUNT,
               "a row for every slide kind");

static const struct slide_kind *slide_kind(enum pkg_slide_kind k)
{
    return (size_t)k < SLIDE_KIND_COUNT ? &slide_kinds[k] : &slide_kinds[SLIDE_TEXT];
}

static void slide(struct render *r, const struct deck *d, size_t i)
{
    struct buf *o = r->out;
    const struct shown *s = &d->slides[i];
    size_t n = i + 1;
    buf_addf(o, "<section class=\"slide %s\" id=\"%zu\" aria-labelledby=\"h-%zu\">\n",
             slide_kind(s->def->show)->class_name, n, n);
    /* The slide and its notes scroll when they do not fit (on a phone), so the keyboard
     * must be able to reach them. */
    char num[24], total[24];
    snprintf(num, sizeof(num), "%zu", n);
    snprintf(total, sizeof(total), "%zu", d->count);
    buf_adds(o, "<div class=\"slide-body\" tabindex=\"0\">\n<p class=\"slide-no\">");
    render_uif(r, UI_SLIDE_N, num, total);
    buf_adds(o, "</p>\n");
    slide_kind(s->def->show)->write(r, d, s, n);
    if (n == 2 && start_on_second(d))
        start_part(r, d);
    buf_adds(o, "</div>\n");
    notes(r, d, s, n);
    buf_adds(o, "</section>\n");
}

void render_page_teach(struct render *r)
{
    const struct pkg *p = r->pkg;
    struct buf *o = r->out;
    struct deck d;
    deck_build(r, &d);
    /* The slides' own ids first, so that no heading in the Markdown can take one. */
    static const char *const fixed[] = {"deck-bar", "deck-count", "deck-status", "deck-help"};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        render_id(r, fixed[i]);
    for (size_t i = 1; i <= d.count; i++) {
        char id[32];
        snprintf(id, sizeof(id), "%zu", i);
        render_id(r, id);
        snprintf(id, sizeof(id), "h-%zu", i);
        render_id(r, id);
        snprintf(id, sizeof(id), "nt-%zu", i);
        render_id(r, id);
    }
    const char *title = d.lesson ? d.lesson->title : ui(r, UI_LESSON);
    struct buf head;
    buf_init(&head, 4096);
    ui_plain(r, &head, UI_SLIDES, title, NULL);
    render_doc_open(r, head.ptr, d.lesson ? d.lesson->summary : NULL, "page-teach for-teacher",
                    "teach.css", "teach.js");
    buf_release(&head);

    /* Without a script this is a long page: a way back, and a list of the slides. */
    buf_adds(o, "<header class=\"deck-head\">\n<a class=\"skip\" href=\"#main\">");
    render_ui(r, UI_SKIP_SLIDES);
    buf_adds(o, "</a>\n<p class=\"brand\">");
    if (d.lesson) {
        buf_adds(o, "<a href=\"");
        render_href(r, d.lesson, NULL);
        buf_addf_html(o, "\">%s</a>", d.lesson->title);
    } else if (p->page_count) {
        buf_adds(o, "<a href=\"");
        render_href(r, &p->pages[0], NULL);
        buf_addf_html(o, "\">%s</a>", p->title);
    }
    buf_adds(o, "</p>\n<nav class=\"deck-toc\" aria-label=\"");
    render_ui_attr(r, UI_ALL_SLIDES);
    buf_adds(o, "\">\n<ol>\n");
    for (size_t i = 0; i < d.count; i++) {
        buf_addf(o, "<li><a href=\"#%zu\">", i + 1);
        buf_addf_html(o, "%s</a></li>\n", shown_title(r, &d, &d.slides[i]));
    }
    buf_adds(o, "</ol>\n</nav>\n</header>\n<main id=\"main\" class=\"deck\" tabindex=\"-1\">\n");
    for (size_t i = 0; i < d.count; i++)
        slide(r, &d, i);
    buf_adds(o, "</main>\n");
    /* The controls work only with the script, which shows them. */
    buf_adds(o, "<nav id=\"deck-bar\" class=\"deck-bar\" aria-label=\"");
    render_ui_attr(r, UI_SLIDE_CONTROLS);
    buf_adds(o, "\" hidden>\n<button type=\"button\" data-deck=\"prev\">");
    render_ui(r, UI_BACK);
    buf_addf(o, "</button>\n<p id=\"deck-count\" class=\"deck-count\">1 / %zu</p>\n", d.count);
    buf_adds(o, "<button type=\"button\" data-deck=\"next\">");
    render_ui(r, UI_NEXT);
    buf_adds(o, "</button>\n<button type=\"button\" data-deck=\"notes\" aria-pressed=\"false\">");
    render_ui(r, UI_NOTES);
    buf_adds(o, "</button>\n<button type=\"button\" data-deck=\"presenter\">");
    render_ui(r, UI_PRESENTER);
    buf_adds(o, "</button>\n<button type=\"button\" data-deck=\"full\">");
    render_ui(r, UI_FULL_SCREEN);
    buf_adds(o, "</button>\n<p id=\"deck-help\" class=\"deck-help\">");
    render_ui(r, UI_KEYS);
    buf_adds(o, "</p>\n<p id=\"deck-status\" class=\"vh\" role=\"status\"></p>\n"
                "</nav>\n</body>\n</html>\n");
    deck_release(&d);
}

/* --- the teachers' guide ----------------------------------------------------------- */

void render_page_lesson(struct render *r)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    struct deck d;
    render_id(r, "outline");
    render_open(r, page->title, page->summary, "page-lesson");
    render_elem(r, "<h1", page->title, "</h1>\n");
    render_teacher_open(r, "<div class=\"teach-start\"");
    buf_adds(o, "\n<p><a class=\"button\" href=\"");
    render_teach_href(r, 0);
    buf_adds(o, "\">Show the lesson slides</a></p>\n<p>On the classroom board, press F for full "
                "screen and use the arrow keys or space to move between slides. N shows your "
                "notes under the slide; P opens them in a second window that follows the "
                "slides. Printing the slides page gives the lesson plan with every note.</p>\n"
                "</div>\n");
    /* Schools most often ask for the letter home in each family's own language. */
    const struct pkg_page *letter = render_find_kind(r->pkg, PAGE_LETTER);
    if (letter)
        render_page_languages(r, letter, UI_LETTER_LANGS, true);
    deck_build(r, &d);
    if (d.count) {
        buf_adds(o, "<section class=\"outline\" aria-labelledby=\"outline\">\n"
                    "<h2 id=\"outline\"");
        if (!render_in_english(r))
            buf_adds(o, " lang=\"en\"");
        buf_adds(o, ">The lesson at a glance</h2>\n<ol>\n");
        for (size_t i = 0; i < d.count; i++) {
            const struct shown *s = &d.slides[i];
            if (!s->first)
                continue;
            buf_adds(o, "<li>");
            if (s->def->minutes)
                buf_addf(o, "<span class=\"when\">%d–%d min</span> ", s->from,
                         s->from + s->def->minutes);
            buf_adds(o, "<a href=\"");
            render_teach_href(r, i + 1);
            buf_adds(o, "\">");
            render_text(r, s->def->show == SLIDE_STORY ? or_else(d.story->nav_title, d.story->title)
                                                       : shown_title(r, &d, s));
            buf_adds(o, "</a>");
            if (s->group_end - s->group_first > 1)
                buf_addf(o, " (slides %zu to %zu)", s->group_first + 1, s->group_end);
            buf_adds(o, "</li>\n");
        }
        buf_adds(o, "</ol>\n");
        if (d.total)
            buf_addf(o, "<p>About %d minutes in all.</p>\n", d.total);
        buf_adds(o, "</section>\n");
    }
    deck_release(&d);
    render_markdown(r, page->body, 2);
    render_close(r);
}

/* --- one class's presentation ------------------------------------------------------ */

/*
 * A class code that the feedback form takes (the one grammar in survey/wire.h), as the
 * teacher typed it: in capitals, spaces left out, hyphens kept; false for anything else.
 */
static bool class_code(const char *in, char out[WIRE_CODE_INPUT_MAX + 1])
{
    char norm[WIRE_CODE_LEN + 1];
    if (wire_code_normalise(in, norm) != 0)
        return false;
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == ' ')
            continue;
        out[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    out[n] = '\0';
    return true;
}

int site_render_teach(const struct site *s, const char *code, struct buf *out)
{
    char clean[WIRE_CODE_INPUT_MAX + 1];
    struct render r;
    render_init(&r, s, out, NULL);
    if (code && *code) {
        if (class_code(code, clean))
            r.class_code = clean;
        else
            r.bad_class_code = true;
    }
    render_page_teach(&r);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}
