/*
 * The page kinds. Each writes one whole page through the escaping writer: package text is
 * never pasted into markup, Markdown goes through render_markdown(), and every control a
 * young person needs is a plain link or form that works without JavaScript.
 */
#include "site/render.h"

#include <string.h>

/*
 * One row per page kind, indexed by enum pkg_page_kind: the class its <main> gets for the
 * style sheet, and the function that writes it (site.c renders every page through this).
 */
static const struct render_kind kinds[] = {
    [PAGE_TEXT] = {"page-text", render_page_text},
    [PAGE_STORY] = {"page-story", render_page_story_step},
    [PAGE_QUESTIONS] = {"page-questions", render_page_questions},
    [PAGE_STRATEGIES] = {"page-strategies", render_page_strategies},
    [PAGE_PLAN] = {"page-plan", render_page_plan},
    [PAGE_SUPPORT] = {"page-support", render_page_support},
    [PAGE_SURVEY] = {"page-survey", render_page_survey},
    [PAGE_LESSON] = {"page-lesson", render_page_lesson},
    [PAGE_LETTER] = {"page-letter", render_page_letter},
};
_Static_assert(sizeof(kinds) / sizeof(kinds[0]) == PAGE_KIND_COUNT, "a row for every page kind");

const struct render_kind *render_kind(enum pkg_page_kind k)
{
    return (size_t)k < PAGE_KIND_COUNT ? &kinds[k] : &kinds[PAGE_TEXT];
}

static void open_page(struct render *r)
{
    render_open(r, r->page->title, r->page->summary, render_kind(r->page->kind)->css_class);
    render_elem(r, "<h1", r->page->title, "</h1>\n");
}

void render_page_text(struct render *r)
{
    open_page(r);
    render_markdown(r, r->page->body, 2);
    render_close(r);
}

/* --- story ------------------------------------------------------------------------- */

void render_story_ask(struct render *r, const struct pkg_story *st, const char *tag,
                      enum ui_text about_me, enum ui_text about_nobody)
{
    const struct pkg_character *me = NULL;
    for (size_t i = 0; i < st->character_count && !me; i++)
        if (st->characters[i].me)
            me = &st->characters[i];
    buf_addf(r->out, "<%s class=\"ask\">", tag);
    if (me)
        render_uif(r, about_me, me->name, NULL);
    else
        render_ui(r, about_nobody);
    buf_addf(r->out, "</%s>\n", tag);
}

static void step_href(struct render *r, const struct pkg_step *step)
{
    const struct pkg_story *st = &r->page->story;
    render_href(r, r->page, step == &st->steps[0] ? NULL : step->id);
}

void render_chat(struct render *r, const struct pkg_step *step)
{
    struct buf *o = r->out;
    if (!step->message_count)
        return;
    buf_adds(o, "<ol class=\"chat\" aria-label=\"");
    render_ui_attr(r, UI_MESSAGES);
    buf_adds(o, "\">\n");
    for (size_t i = 0; i < step->message_count; i++) {
        const struct pkg_message *m = &step->messages[i];
        if (!m->from) {
            buf_adds(o, "<li class=\"msg narration\">");
        } else {
            /* The reader's own messages sit on the right like on a phone; a screen
             * reader hears every speaker's name, so position carries no meaning alone. */
            buf_adds(o, m->from->me ? "<li class=\"msg me\"><span class=\"who vh\">"
                                    : "<li class=\"msg them\"><span class=\"who\">");
            buf_addf_html(o, "%s<span class=\"vh\">:</span></span> ", m->from->name);
        }
        render_elem(r, "<span class=\"text\"", m->text, "</span></li>\n");
    }
    buf_adds(o, "</ol>\n");
}

void render_page_story_step(struct render *r)
{
    const struct pkg_page *page = r->page;
    const struct pkg_story *st = &page->story;
    struct buf *o = r->out;
    if (!st->step_count) {
        render_page_text(r);
        return;
    }
    const struct pkg_step *step = r->step ? r->step : &st->steps[0];
    bool first = step == &st->steps[0];
    const char *step_name = step->title && *step->title ? step->title : step->ending_title;

    struct buf title;
    buf_init(&title, 4096);
    if (!first && step_name && *step_name) {
        buf_adds(&title, step_name);
        buf_adds(&title, " – ");
    }
    buf_adds(&title, page->title);
    render_open(r, title.ptr, page->summary, "page-story");
    buf_release(&title);

    render_elem(r, "<h1", page->title, "</h1>\n");
    if (first)
        render_markdown(r, page->body, 2);
    buf_adds(o, "<section class=\"step\" aria-label=\"");
    render_text(r, step_name && *step_name ? step_name : ui(r, UI_THE_STORY));
    buf_adds(o, "\">\n");
    if (step->title && *step->title)
        render_elem(r, "<h2", step->title, "</h2>\n");
    render_chat(r, step);
    render_markdown(r, step->text, 3);
    if (step->ending || !step->choice_count) {
        buf_adds(o, "<p class=\"ending\"><strong>");
        render_ui(r, UI_THE_END);
        buf_adds(o, "</strong>");
        if (step->ending_title && *step->ending_title) {
            buf_adds(o, ": ");
            render_span(r, step->ending_title);
        }
        buf_adds(o, "</p>\n<p class=\"again\"><a class=\"button\" href=\"");
        render_href(r, page, NULL);
        buf_adds(o, "\">");
        render_ui(r, UI_READ_AGAIN);
        buf_adds(o, "</a></p>\n");
    } else {
        render_story_ask(r, st, "h2", UI_WHAT_SHOULD, UI_WHAT_NEXT);
        buf_adds(o, "<ul class=\"choices\">\n");
        for (size_t i = 0; i < step->choice_count; i++) {
            const struct pkg_choice *c = &step->choices[i];
            buf_adds(o, "<li><a class=\"choice\" href=\"");
            if (c->next)
                step_href(r, c->next);
            else
                render_href(r, page, c->next_id);
            buf_addc(o, '"');
            render_elem(r, "", c->text, "</a></li>\n");
        }
        buf_adds(o, "</ul>\n");
    }
    buf_adds(o, "</section>\n");
    render_close(r);
}

/* --- questions --------------------------------------------------------------------- */

void render_page_questions(struct render *r)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    open_page(r);
    for (size_t g = 0; g < page->group_count; g++)
        render_id(r, page->groups[g].id);
    render_id(r, "notes");
    render_id(r, "notes-title");
    render_id(r, "notes-help");
    render_markdown(r, page->body, 2);
    for (size_t g = 0; g < page->group_count; g++) {
        const struct pkg_question_group *grp = &page->groups[g];
        buf_addf_html(o, "<section class=\"questions\" id=\"%s\">\n", grp->id);
        render_elem(r, "<h2", grp->title, "</h2>\n<ol>\n");
        for (size_t q = 0; q < grp->question_count; q++) {
            const struct pkg_question *qu = &grp->questions[q];
            buf_addf_html(o, "<li id=\"%s\">", render_id(r, qu->id));
            render_elem(r, "<p class=\"question\"", qu->text, "</p>");
            if (qu->hint && *qu->hint)
                render_elem(r, "<p class=\"hint\"", qu->hint, "</p>");
            buf_adds(o, "</li>\n");
        }
        buf_adds(o, "</ol>\n</section>\n");
    }
    /* The notes box belongs to no form, so the browser has nothing to send. */
    buf_adds(o, "<section class=\"notes\" aria-labelledby=\"notes-title\">\n"
                "<h2 id=\"notes-title\">");
    render_ui(r, UI_NOTES_TITLE);
    buf_adds(o, "</h2>\n<p id=\"notes-help\">");
    render_ui(r, UI_NOTES_HELP);
    buf_adds(o, "</p>\n<label for=\"notes\">");
    render_ui(r, UI_NOTES_LABEL);
    buf_adds(o, "</label>\n"
                "<textarea id=\"notes\" rows=\"6\" aria-describedby=\"notes-help\" "
                "autocomplete=\"off\"></textarea>\n</section>\n");
    render_close(r);
}

/* --- strategies -------------------------------------------------------------------- */

static const struct pkg_plan_section *plan_section_of(const struct pkg_page *plan,
                                                      enum pkg_plan_kind kind)
{
    if (!plan)
        return NULL;
    for (size_t i = 0; i < plan->plan_section_count; i++)
        if (plan->plan_sections[i].kind == kind)
            return &plan->plan_sections[i];
    return NULL;
}

static void plan_link(struct render *r, const struct pkg_page *plan,
                      const struct pkg_plan_section *sec, enum ui_text text)
{
    buf_adds(r->out, "<p class=\"to-plan\"><a href=\"");
    render_href(r, plan, NULL);
    buf_addf_html(r->out, "#sec-%s\">", sec->id);
    render_ui(r, text);
    buf_adds(r->out, "</a></p>\n");
}

static void gallery(struct render *r, const struct pkg_strategy *s)
{
    struct buf *o = r->out;
    buf_adds(o, "<ul class=\"gallery\">\n");
    for (size_t i = 0; i < s->reply_count; i++) {
        const struct pkg_reply *rep = &s->replies[i];
        buf_addf_html(o, "<li id=\"%s\">", render_id(r, rep->id));
        if (rep->image && *rep->image) {
            buf_addf_html(o, "<img src=\"%s%s\" alt=\"", r->up, rep->image);
            render_text(r, rep->alt ? rep->alt : "");
            /* Loaded as it scrolls into view, so the gallery costs the page nothing. */
            buf_adds(o, "\" width=\"96\" height=\"96\" loading=\"lazy\">");
        }
        if (rep->text && *rep->text)
            buf_addf_html(o, "<span class=\"reply\">%s</span>", rep->text);
        buf_adds(o, "</li>\n");
    }
    buf_adds(o, "</ul>\n");
}

void render_page_strategies(struct render *r)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    const struct pkg_page *plan = render_find_kind(r->pkg, PAGE_PLAN);
    open_page(r);
    for (size_t i = 0; i < page->strategy_count; i++)
        render_id(r, page->strategies[i].id);
    render_markdown(r, page->body, 2);
    if (page->strategy_count > 1) {
        buf_adds(o, "<nav class=\"toc\" aria-label=\"");
        render_ui_attr(r, UI_WAYS_ON_PAGE);
        buf_adds(o, "\">\n<ul>\n");
        for (size_t i = 0; i < page->strategy_count; i++)
            buf_addf_html(o, "<li><a href=\"#%s\">%s</a></li>\n", page->strategies[i].id,
                          page->strategies[i].title);
        buf_adds(o, "</ul>\n</nav>\n");
    }
    for (size_t i = 0; i < page->strategy_count; i++) {
        const struct pkg_strategy *s = &page->strategies[i];
        buf_addf_html(o, "<section class=\"strategy\" id=\"%s\">\n", s->id);
        render_elem(r, "<h2", s->title, "</h2>\n");
        if (s->summary && *s->summary)
            render_elem(r, "<p class=\"summary\"", s->summary, "</p>\n");
        if (s->when && *s->when) {
            buf_adds(o, "<h3>");
            render_ui(r, UI_WHEN_HELPS);
            buf_adds(o, "</h3>\n");
            render_elem(r, "<p", s->when, "</p>\n");
        }
        if (s->how && *s->how) {
            buf_adds(o, "<h3>");
            render_ui(r, UI_HOW);
            buf_adds(o, "</h3>\n");
            render_markdown(r, s->how, 4);
        }
        if (s->reply_count) {
            buf_adds(o, "<h3>");
            render_ui(r, UI_REPLIES);
            buf_adds(o, "</h3>\n");
            gallery(r, s);
            const struct pkg_plan_section *sec = plan_section_of(plan, PLAN_REPLIES);
            if (sec)
                plan_link(r, plan, sec, UI_PICK_REPLIES);
        }
        buf_adds(o, "</section>\n");
    }
    const struct pkg_plan_section *sec = plan_section_of(plan, PLAN_STRATEGIES);
    if (sec && page->strategy_count)
        plan_link(r, plan, sec, UI_CHOOSE_WAYS);
    render_close(r);
}

/* --- support ----------------------------------------------------------------------- */

/* "https://www.ceop.police.uk/Safety-Centre/" is shown as "ceop.police.uk": the address
 * a person would type, short enough for a phone screen. */
static void short_url(struct render *r, const char *url)
{
    const char *s = url;
    if (strncmp(s, "https://", 8) == 0)
        s += 8;
    else if (strncmp(s, "http://", 7) == 0)
        s += 7;
    if (strncmp(s, "www.", 4) == 0)
        s += 4;
    buf_add_html(r->out, s, strcspn(s, "/?#"));
}

/* Digits and a leading + only, for tel: and sms: links. */
static void dial(struct render *r, const char *number)
{
    for (const char *s = number; *s; s++)
        if ((*s >= '0' && *s <= '9') || (*s == '+' && s == number))
            buf_addc(r->out, *s);
}

static void service(struct render *r, const struct pkg_support *sup)
{
    struct buf *o = r->out;
    buf_adds(o, sup->emergency ? "<li class=\"service emergency\" id=\""
                               : "<li class=\"service\" id=\"");
    buf_addf_html(o, "%s\">\n", sup->id);
    render_elem(r, "<h2", sup->name, "</h2>\n");
    render_elem(r, "<p", sup->about, "</p>\n<ul class=\"contact\">\n");
    if (sup->phone && *sup->phone) {
        buf_adds(o, "<li><a class=\"button\" href=\"tel:");
        if (sup->tel && *sup->tel)
            render_text(r, sup->tel);
        else
            dial(r, sup->phone);
        buf_adds(o, "\">");
        render_uif(r, UI_CALL, sup->phone, NULL);
        buf_adds(o, "</a></li>\n");
    }
    if (sup->sms && *sup->sms) {
        buf_adds(o, "<li><a class=\"button\" href=\"sms:");
        dial(r, sup->sms);
        buf_adds(o, "\">");
        render_uif(r, UI_TEXT_NUMBER, sup->sms, NULL);
        buf_adds(o, "</a></li>\n");
    }
    if (sup->chat && *sup->chat) {
        buf_addf_html(o, "<li><a href=\"%s\" rel=\"noreferrer\">", sup->chat);
        render_ui(r, UI_CHAT_ONLINE);
        buf_adds(o, "<span class=\"vh\"> ");
        render_uif(r, UI_CHAT_WITH, sup->name, NULL);
        buf_adds(o, "</span></a></li>\n");
    }
    if (sup->url && *sup->url) {
        buf_addf_html(o, "<li><a href=\"%s\" rel=\"noreferrer\">", sup->url);
        short_url(r, sup->url);
        buf_adds(o, "</a></li>\n");
    }
    buf_adds(o, "</ul>\n");
    if (sup->hours && *sup->hours) {
        buf_adds(o, "<p class=\"hours\"><strong>");
        render_ui(r, UI_WHEN);
        buf_adds(o, "</strong> ");
        render_span(r, sup->hours);
        buf_adds(o, "</p>\n");
    }
    if (sup->checked && *sup->checked) {
        buf_adds(o, "<p class=\"checked\">");
        render_uif(r, UI_CHECKED, sup->checked, NULL);
        if (sup->source && *sup->source) {
            struct buf link;
            buf_init(&link, 4096);
            struct buf *keep = r->out;
            r->out = &link;
            buf_addf_html(&link, "<a href=\"%s\" rel=\"noreferrer\">", sup->source);
            short_url(r, sup->source);
            buf_adds(&link, "</a>");
            r->out = keep;
            buf_addc(o, ' ');
            render_ui_html(r, UI_CHECKED_FROM, link.ptr);
            buf_release(&link);
        }
        buf_adds(o, ".</p>\n");
    }
    buf_adds(o, "</li>\n");
}

void render_page_support(struct render *r)
{
    const struct pkg *p = r->pkg;
    open_page(r);
    for (size_t i = 0; i < p->support_count; i++)
        render_id(r, p->support[i].id);
    render_markdown(r, r->page->body, 2);
    if (p->support_count) {
        buf_adds(r->out, "<ul class=\"services\">\n");
        /* Emergency numbers come first, whatever order the package lists them in. */
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < p->support_count; i++)
                if (p->support[i].emergency == (pass == 0))
                    service(r, &p->support[i]);
        buf_adds(r->out, "</ul>\n");
    }
    render_close(r);
}

/* --- survey ------------------------------------------------------------------------ */

/* The problem the response reports for field (a question id or the code), or NULL. */
static const struct site_form_problem *problem_for(const struct render *r, const char *field)
{
    const struct site_feedback *fb = r->feedback;
    for (size_t i = 0; fb && i < fb->problem_count; i++)
        if (fb->problems[i].field && strcmp(fb->problems[i].field, field) == 0)
            return &fb->problems[i];
    return NULL;
}

/* Whether the pupil sent value for the question qid (so the option is shown chosen). */
static bool was_sent(const struct render *r, const char *qid, const char *value)
{
    const struct form *f = r->feedback ? r->feedback->answers : NULL;
    for (size_t i = 0; f && i < f->count; i++)
        if (strcmp(f->fields[i].name, qid) == 0 && strcmp(f->fields[i].value, value) == 0)
            return true;
    return false;
}

/* The text the pupil wrote for the text question qid, or NULL. */
static const char *typed_text(const struct render *r, const char *qid)
{
    const struct form *f = r->feedback ? r->feedback->answers : NULL;
    for (size_t i = 0; f && i < f->count; i++)
        if (strcmp(f->fields[i].name, qid) == 0 && f->fields[i].value[0] &&
            strcmp(f->fields[i].value, WIRE_PREFER_NOT) != 0)
            return f->fields[i].value;
    return NULL;
}

/* The words of each of the survey's problems; parts: which values are parts' names. */
static const struct {
    enum survey_error_kind kind;
    enum ui_text text;
    unsigned parts; /* bit k: the value of {k+1} */
} problem_texts[] = {
    {SURVEY_E_CODE_MISSING, UI_PB_CODE_MISSING, 0},
    {SURVEY_E_CODE_UNKNOWN, UI_PB_CODE_UNKNOWN, 0},
    {SURVEY_E_CODE_CLOSED, UI_PB_CODE_CLOSED, 0},
    {SURVEY_E_CODE_VERSION, UI_PB_CODE_VERSION, 0},
    {SURVEY_E_UNKNOWN_QUESTION, UI_PB_UNKNOWN_QUESTION, 0},
    {SURVEY_E_BAD_OPTION, UI_PB_BAD_OPTION, 0},
    {SURVEY_E_TOO_MANY, UI_PB_TOO_MANY, 0},
    {SURVEY_E_TOO_LONG, UI_PB_TOO_LONG, 0},
    {SURVEY_E_BAD_TEXT, UI_PB_BAD_TEXT, 0},
    {SURVEY_E_PREFER_AND_OPTION, UI_PB_PREFER_AND_OPTION, 0},
    {SURVEY_E_EMPTY, UI_PB_EMPTY, 0},
    {SURVEY_E_BAD_PART, UI_PB_BAD_PART, 0},
    {SURVEY_E_OTHER_PART, UI_PB_OTHER_PART, 6},
};
_Static_assert(SURVEY_PROBLEM_VALUES <= UI_PLACES_MAX, "a place for every value of a problem");

void render_problem(const struct render *r, struct buf *b, const struct site_form_problem *pb)
{
    for (size_t i = 0; i < sizeof(problem_texts) / sizeof(problem_texts[0]); i++) {
        if (problem_texts[i].kind != pb->kind)
            continue;
        const char *values[UI_PLACES_MAX] = {NULL};
        for (size_t k = 0; k < SURVEY_PROBLEM_VALUES; k++) {
            bool named = problem_texts[i].parts >> k & 1 && pb->arg[k];
            int part = named ? wire_part_index(pb->arg[k]) : -1;
            values[k] = part >= 0 ? render_part_label(r, (enum survey_when)part) : pb->arg[k];
        }
        ui_plain_values(r, b, problem_texts[i].text, values);
        return;
    }
    render_reason(r, b, pb->reason, NULL);
}

/* Writes the words of a problem, escaped. */
static void write_problem(struct render *r, const struct site_form_problem *pb)
{
    struct buf words;
    buf_init(&words, 4096);
    render_problem(r, &words, pb);
    if (buf_ok(&words) && words.ptr)
        render_text(r, words.ptr);
    buf_release(&words);
}

/* The problem's message beside its field, with the id the field's aria-describedby names. */
static void field_problem(struct render *r, const struct site_form_problem *pb, const char *id)
{
    buf_addf_html(r->out, "<p class=\"error-msg\" id=\"%s\"><strong><span class=\"vh\">", id);
    render_ui(r, UI_PROBLEM);
    buf_adds(r->out, " </span>");
    write_problem(r, pb);
    buf_adds(r->out, "</strong></p>\n");
}

static void option(struct render *r, const char *type, const char *qid, const char *value,
                   const char *label)
{
    struct buf *o = r->out;
    struct buf id;
    buf_init(&id, 256);
    render_field_id(&id, qid, value);
    const char *fid = render_id(r, id.ptr);
    buf_release(&id);
    buf_adds(o, "<li><input type=\"");
    buf_adds(o, type);
    buf_addf_html(o, "\" id=\"%s\" name=\"%s\" value=\"%s", fid, qid, value);
    buf_adds(o, was_sent(r, qid, value) ? "\" checked> <label for=\"" : "\"> <label for=\"");
    buf_addf_html(o, "%s\">", fid);
    render_span(r, label);
    buf_adds(o, "</label></li>\n");
}

const char *render_option_label(const struct render *r, const struct survey_question *q, size_t i)
{
    static const enum ui_text yesno[] = {UI_YES, UI_NO, UI_NOT_SURE};
    if (q->type == SURVEY_YESNO && i < sizeof(yesno) / sizeof(yesno[0]))
        return ui(r, yesno[i]);
    return survey_option_label(q, i);
}

const char *render_part_label(const struct render *r, enum survey_when part)
{
    switch (survey_part_of(part)) {
    case SURVEY_START:
        return ui(r, UI_PART_START);
    case SURVEY_LATER:
        return ui(r, UI_PART_LATER);
    case SURVEY_END:
    case SURVEY_RETRO:
        break;
    }
    return ui(r, UI_PART_END);
}

static const char *survey_type_class(enum survey_type t)
{
    const char *name = wire_type_name((unsigned)t);
    return name ? name : "text";
}

static void render_survey_question(struct render *r, const struct survey_question *q)
{
    struct buf *o = r->out;
    const char *type = q->type == SURVEY_MULTI || q->type == SURVEY_TEXT ? "checkbox" : "radio";
    const struct site_form_problem *pb = problem_for(r, q->id);
    const char *err_id = NULL;
    if (pb) {
        struct buf id;
        buf_init(&id, 256);
        render_field_id(&id, q->id, "error");
        err_id = render_id(r, id.ptr);
        buf_release(&id);
    }
    buf_adds(o, "<fieldset class=\"q q-");
    buf_adds(o, survey_type_class(q->type));
    if (err_id)
        buf_addf_html(o, "\" aria-describedby=\"%s", err_id);
    buf_adds(o, "\">\n");
    render_elem(r, "<legend", q->text, "</legend>\n");
    if (pb)
        field_problem(r, pb, err_id);
    if (q->type == SURVEY_MULTI) {
        buf_adds(o, "<p class=\"hint\">");
        render_ui(r, UI_MULTI_HINT);
        buf_adds(o, "</p>\n");
    }
    if (q->type == SURVEY_TEXT) {
        struct buf id;
        buf_init(&id, 256);
        render_field_id(&id, q->id, NULL);
        const char *fid = render_id(r, id.ptr);
        buf_release(&id);
        buf_addf_html(o, "<label class=\"vh\" for=\"%s\">", fid);
        render_ui(r, UI_YOUR_ANSWER);
        buf_addf_html(o, "</label>\n<textarea id=\"%s\" name=\"%s", fid, q->id);
        if (err_id)
            buf_addf_html(o, "\" aria-invalid=\"true\" aria-describedby=\"%s", err_id);
        buf_addf(o, "\" rows=\"4\" maxlength=\"%zu\" autocomplete=\"off\">",
                 q->max_length ? q->max_length : 500);
        /* A textarea drops one newline right after its start tag: keep the pupil's own. */
        const char *text = typed_text(r, q->id);
        if (text && (text[0] == '\n' || (text[0] == '\r' && text[1] == '\n')))
            buf_addc(o, '\n');
        buf_addf_html(o, "%s</textarea>\n", text);
    }
    buf_adds(o, "<ul class=\"options\">\n");
    /* The survey owns the options' ids and labels, yes / no / not sure among them. */
    for (size_t i = 0; i < survey_option_count(q); i++)
        option(r, type, q->id, survey_option_id(q, i), render_option_label(r, q, i));
    option(r, type, q->id, WIRE_PREFER_NOT, ui(r, UI_PREFER_NOT));
    buf_adds(o, "</ul>\n</fieldset>\n");
}

/*
 * The part the form shows (enum survey_when: START, END or LATER), or -1 for every question
 * (the one-sitting form), or -2 for none (the page that asks which part).
 */
static int shown_part(const struct render *r)
{
    const struct site_feedback *fb = r->feedback;
    int part = fb && fb->part ? wire_part_index(fb->part) : -1;
    if (part >= 0)
        return part;
    return fb && fb->one_sitting ? -1 : -2;
}

/* Whether the form shows question q. */
static bool shown_question(const struct render *r, const struct survey_question *q)
{
    int part = shown_part(r);
    return part == -1 || (part >= 0 && survey_part_of(q->when) == (enum survey_when)part);
}

bool render_part_asked(const struct pkg_page *page, enum survey_when part)
{
    for (size_t i = 0; i < page->survey_count; i++)
        if (survey_part_of(page->survey[i].when) == part)
            return true;
    return false;
}

void render_part_links(struct render *r, const char *code,
                       void (*href)(struct render *r, const char *code, const char *part))
{
    struct buf *o = r->out;
    buf_adds(o, "<ul class=\"parts\">\n");
    static const enum survey_when parts[] = {SURVEY_START, SURVEY_END, SURVEY_LATER};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!render_part_asked(r->page, parts[i]))
            continue;
        buf_adds(o, "<li><a class=\"button\" href=\"");
        href(r, code, survey_when_name(parts[i]));
        buf_adds(o, "\">");
        render_span(r, render_part_label(r, parts[i]));
        buf_adds(o, "</a></li>\n");
    }
    buf_adds(o, "</ul>\n");
}

/* The question of the survey page with this id, or NULL. */
static const struct survey_question *page_question(const struct pkg_page *page, const char *id)
{
    for (size_t i = 0; id && i < page->survey_count; i++)
        if (strcmp(page->survey[i].id, id) == 0)
            return &page->survey[i];
    return NULL;
}

/*
 * The list at the top of a refused form: every problem, each a link to the field it
 * concerns (its first option for a choice), so that a pupil can go straight to it.
 */
static void problem_summary(struct render *r, const struct site_feedback *fb, bool form)
{
    struct buf *o = r->out;
    buf_adds(o, "\n<div class=\"note\" id=\"f-error\" role=\"alert\">\n<h2>");
    render_ui(r, UI_NOT_SENT);
    buf_adds(o, "</h2>\n<p>");
    render_ui(r, UI_NOT_SAVED_YET);
    buf_addc(o, ' ');
    /* A body that could not be read has no answers to show again. */
    render_ui(r, fb->answers && form ? UI_STILL_HERE : UI_FILL_AGAIN);
    buf_adds(o, "</p>\n<ul>\n");
    for (size_t i = 0; i < fb->problem_count; i++) {
        const struct site_form_problem *pb = &fb->problems[i];
        const struct survey_question *q = page_question(r->page, pb->field);
        if (q && !shown_question(r, q))
            q = NULL; /* of another part: not on this form, so no link to it */
        bool code = pb->field && strcmp(pb->field, WIRE_FIELD_CODE) == 0;
        buf_adds(o, "<li>");
        if (code || q) {
            struct buf id;
            buf_init(&id, 256);
            if (code)
                buf_adds(&id, "f-code");
            else if (q->type == SURVEY_TEXT)
                render_field_id(&id, q->id, NULL);
            else
                render_field_id(&id, q->id,
                                q->type == SURVEY_YESNO ? "yes"
                                : q->option_count       ? q->options[0].id
                                                        : WIRE_PREFER_NOT);
            buf_addf_html(o, "<a href=\"#%s\">", id.ptr);
            buf_release(&id);
        }
        write_problem(r, pb);
        buf_adds(o, code || q ? "</a></li>\n" : "</li>\n");
    }
    buf_adds(o, "</ul>\n</div>");
}

/* The class code field: needed, since answers are counted by class. */
static void code_field(struct render *r)
{
    struct buf *o = r->out;
    const struct site_form_problem *pb = problem_for(r, WIRE_FIELD_CODE);
    const char *code = r->feedback ? r->feedback->code : NULL;
    buf_adds(o, "\n<div class=\"field\">\n<label for=\"f-code\">");
    render_ui(r, UI_CLASS_CODE);
    buf_adds(o, "</label>\n<p class=\"hint\" id=\"f-code-hint\">");
    render_ui(r, UI_CLASS_CODE_HINT);
    buf_adds(o, "</p>\n");
    if (pb)
        field_problem(r, pb, "f-code-error");
    buf_adds(o, "<input id=\"f-code\" name=\"" WIRE_FIELD_CODE "\"");
    if (code) {
        buf_addf_html(o, " value=\"%s", code);
        buf_addc(o, '"');
    }
    buf_adds(o, pb ? " aria-invalid=\"true\" aria-describedby=\"f-code-hint f-code-error\""
                   : " aria-describedby=\"f-code-hint\"");
    buf_adds(o, " maxlength=\"32\" autocomplete=\"off\" "
                "autocapitalize=\"characters\" spellcheck=\"false\">\n</div>\n");
}

/*
 * The end and later parts' field for the pairing word given after the start part
 * (survey/pairing.h):
 * optional, and what was typed kept when the form comes back refused.
 */
static void pairing_field(struct render *r)
{
    struct buf *o = r->out;
    const struct form *f = r->feedback ? r->feedback->answers : NULL;
    const char *typed = f ? form_get(f, WIRE_FIELD_PAIRING) : NULL;
    buf_adds(o, "\n<div class=\"field\">\n<label for=\"f-pairing\">");
    render_ui(r, UI_PAIRING_LABEL);
    buf_adds(o, "</label>\n<p class=\"hint\" id=\"f-pairing-hint\">");
    render_ui(r, UI_PAIRING_HINT);
    buf_adds(o, "</p>\n<input id=\"f-pairing\" name=\"" WIRE_FIELD_PAIRING "\"");
    if (typed && *typed) {
        buf_adds(o, " value=\"");
        render_text(r, typed);
        buf_addc(o, '"');
    }
    buf_adds(o, " aria-describedby=\"f-pairing-hint\" maxlength=\"40\" autocomplete=\"off\" "
                "autocapitalize=\"none\" spellcheck=\"false\">\n</div>\n");
}

/* The address of the form for part (NULL: the page that asks which), with the class code. */
static void part_href(struct render *r, const char *code, const char *part)
{
    render_href(r, r->page, NULL);
    const char *sep = "?";
    if (code) {
        buf_adds(r->out, "?" WIRE_FIELD_CODE "=");
        render_text(r, code); /* a normalised code: letters and digits */
        sep = "&amp;";
    }
    if (part) {
        buf_adds(r->out, sep);
        buf_adds(r->out, WIRE_FIELD_PART "=");
        buf_adds(r->out, part);
    }
}

/*
 * The page that asks which part the pupil is answering, as plain links (no script): the
 * teacher says which, in the words the links use. Parts without questions are left out.
 */
static void part_chooser(struct render *r)
{
    struct buf *o = r->out;
    buf_adds(o, "<h2>");
    render_ui(r, UI_WHEN_ANSWERING);
    buf_adds(o, "</h2>\n<p>");
    render_ui(r, UI_TEACHER_TELLS);
    buf_adds(o, "</p>\n");
    render_part_links(r, r->feedback ? r->feedback->code : NULL, part_href);
}

void render_page_survey(struct render *r)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    open_page(r);
    render_id(r, "f-code");
    render_id(r, "f-code-hint");
    render_id(r, "f-code-error");
    render_id(r, "f-error");
    render_markdown(r, page->body, 2);
    if (r->mode == SITE_EXPORT) {
        buf_adds(o, "<p class=\"note\">");
        render_ui(r, UI_EXPORT_NO_FEEDBACK);
        buf_adds(o, "</p>\n");
        render_close(r);
        return;
    }
    int part = shown_part(r);
    if (part >= 0 && !render_part_asked(page, (enum survey_when)part))
        part = -2; /* a part this survey does not ask: the choice again */
    if (part == -2) {
        if (r->feedback && r->feedback->problem_count)
            problem_summary(r, r->feedback, false);
        part_chooser(r);
        render_close(r);
        return;
    }
    if (part >= 0) {
        buf_adds(o, "<h2>");
        render_span(r, render_part_label(r, (enum survey_when)part));
        buf_adds(o, "</h2>\n<p>");
        struct buf link;
        buf_init(&link, 4096);
        struct buf *keep = r->out;
        r->out = &link;
        buf_adds(&link, "<a href=\"");
        part_href(r, r->feedback ? r->feedback->code : NULL, NULL);
        buf_adds(&link, "\">");
        render_ui(r, UI_CHOOSE_ANOTHER);
        buf_adds(&link, "</a>");
        r->out = keep;
        render_ui_html(r, UI_NOT_THIS_PART, link.ptr);
        buf_release(&link);
        buf_adds(o, "</p>\n");
    }
    buf_adds(o, "<form class=\"survey\" method=\"post\" action=\"");
    render_href(r, page, NULL);
    buf_adds(o, "\">");
    if (part >= 0) {
        buf_adds(o, "\n<input type=\"hidden\" name=\"" WIRE_FIELD_PART "\" value=\"");
        buf_adds(o, survey_when_name((enum survey_when)part));
        buf_adds(o, "\">");
    }
    if (r->feedback && r->feedback->problem_count)
        problem_summary(r, r->feedback, true);
    /* So that reports can be read by the language of the page the answers were given on. */
    buf_adds(o, "\n<input type=\"hidden\" name=\"" WIRE_FIELD_LANG "\" value=\"");
    render_text(r, render_page_language(r));
    buf_adds(o, "\">");
    buf_adds(o, "\n<p>");
    render_ui(r, UI_OPTIONAL);
    buf_adds(o, "</p>");
    code_field(r);
    if (part == SURVEY_END || part == SURVEY_LATER)
        pairing_field(r);
    for (size_t i = 0; i < page->survey_count; i++)
        if (shown_question(r, &page->survey[i]))
            render_survey_question(r, &page->survey[i]);
    buf_adds(o, "<p><button type=\"submit\">");
    render_ui(r, UI_SEND);
    buf_adds(o, "</button></p>\n</form>\n");
    render_close(r);
}

/* --- the letter home ---------------------------------------------------------------- */

/* The page the letter sends parents to: the one with the id "parents", else the first
 * other page written for parents. */
static const struct pkg_page *parents_page(const struct pkg *p, const struct pkg_page *letter)
{
    for (size_t i = 0; i < p->page_count; i++)
        if (p->pages[i].id && strcmp(p->pages[i].id, "parents") == 0)
            return &p->pages[i];
    for (size_t i = 0; i < p->page_count; i++)
        if (&p->pages[i] != letter && p->pages[i].audience == AUDIENCE_PARENT &&
            p->pages[i].kind != PAGE_LETTER)
            return &p->pages[i];
    return NULL;
}

void render_page_letter(struct render *r)
{
    const struct pkg_page *page = r->page;
    const struct pkg_page *to = parents_page(r->pkg, page);
    struct buf *o = r->out;
    open_page(r);
    buf_adds(o, "<div class=\"no-print note\">\n<p>");
    render_ui(r, UI_LETTER_NOTE);
    buf_adds(o, "</p>\n<p><button type=\"button\" data-plan-action=\"print-page\" hidden>");
    render_ui(r, UI_LETTER_PRINT);
    buf_adds(o, "</button></p>\n");
    render_page_languages(r, page, UI_LETTER_OTHER_LANGS, false);
    buf_adds(o, "</div>\n<p class=\"letter-head\"><span class=\"fill\">");
    render_ui(r, UI_SCHOOL);
    buf_adds(o, "</span> <span class=\"fill\">");
    render_ui(r, UI_DATE);
    buf_adds(o, "</span></p>\n");
    render_markdown(r, page->body, 2);
    buf_adds(o, "<p class=\"letter-sign\"><span class=\"fill\">");
    render_ui(r, UI_FROM);
    buf_adds(o, "</span></p>\n");
    struct buf url;
    buf_init(&url, 4096);
    if (to && render_public_url(r, &url, to)) {
        buf_adds(o, "<div class=\"letter-qr\">\n");
        render_qr(r, url.ptr, ui(r, UI_PARENTS_QR));
        buf_adds(o, "<p>");
        render_ui(r, UI_READ_MORE);
        buf_adds(o, "<br><a href=\"");
        buf_addf_html(o, "%s\">%s</a></p>\n</div>\n", url.ptr, url.ptr);
    } else if (to) {
        render_teacher_open(r, "<p class=\"no-print note\"");
        buf_adds(o, "The printed letter has no QR code or web address "
                    "for the page <a href=\"");
        render_href(r, to, NULL);
        buf_addf_html(o, "\">%s", to->title);
        buf_adds(o, "</a>, because this site was made without its public address. Start "
                    "planpack with <code>--public-url</code> and the address parents use (for "
                    "example <code>--public-url https://www.school.example/think/</code>) to "
                    "add them.</p>\n");
    }
    buf_release(&url);
    render_close(r);
}
