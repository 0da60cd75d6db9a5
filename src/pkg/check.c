/*
 * Whole-package checks: what needs more than one file, or the model rather than the YAML.
 * Links between pages, images and their alt text, story paths and endings, what the plan
 * builder offers, and reading age. Pictures themselves are checked as they are loaded.
 */
#include "pkg/check.h"
#include "pkg/catalog.h"
#include "pkg/internal.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/xalloc.h"

struct checker {
    const struct pkg *p;
    const struct fileset *fs; /* to tell a picture refused on loading from a missing one */
    const struct pkg_impl *impl;
    const struct pkg_page_note *note; /* the current page's */
    struct diag_list *diags;
    bool any_broken;      /* some file could not be read, so "missing" may just mean unread */
    size_t page_problems; /* link and image problems found on the current page */
};

/* Past this many link and image problems on one page, the rest are not looked for: each
 * costs a "did you mean" search, and a hundred is plenty to be getting on with. */
enum { MAX_PAGE_PROBLEMS = 100 };

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The scheme of a URL ("https"), lower-cased into out; empty when it has none. */
static void url_scheme(const char *url, char *out, size_t size)
{
    size_t n = strcspn(url, ":/?#");
    out[0] = '\0';
    if (url[n] != ':' || n == 0 || n >= size)
        return;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)url[i]);
    out[n] = '\0';
}

static void check_image(struct checker *C, const char *file, int line, const char *url,
                        const char *alt, const char *owner)
{
    char scheme[16];
    url_scheme(url, scheme, sizeof(scheme));
    if (!*url) {
        diag_error(C->diags, file, line,
                   "an image has no address: give the picture's path, "
                   "e.g. images/cat.svg");
        return;
    }
    if (*scheme || strncmp(url, "//", 2) == 0) {
        diag_error(C->diags, file, line,
                   "image '%s' is on another website; pupil pages load nothing from other "
                   "hosts, so put the picture in the package's images/ folder",
                   url);
    } else if (url[0] == '/' || strncmp(url, "./", 2) == 0 || strncmp(url, "../", 3) == 0) {
        diag_error(C->diags, file, line,
                   "image '%s': write the picture's path from the package folder, e.g. "
                   "images/cat.svg",
                   url);
    } else if (strncmp(url, "images/", 7) != 0 ||
               !(has_suffix(url, ".svg") || has_suffix(url, ".png"))) {
        diag_error(C->diags, file, line,
                   "image '%s' must be an SVG or PNG file in the images/ folder", url);
    } else if (!pkg_file(C->p, url) && !fileset_get(C->fs, url)) {
        struct suggest sg;
        suggest_init(&sg, url);
        for (size_t i = 0; i < C->fs->count; i++)
            if (strncmp(C->fs->files[i].path, "images/", 7) == 0)
                suggest_try(&sg, C->fs->files[i].path);
        if (sg.best)
            diag_error(C->diags, file, line,
                       "image '%s' is not a file in the package; did you mean '%s'?", url, sg.best);
        else
            diag_error(C->diags, file, line, "image '%s' is not a file in the package", url);
    }
    bool blank = true;
    for (const char *a = alt ? alt : ""; *a; a++)
        if (!isspace((unsigned char)*a))
            blank = false;
    if (!blank)
        return;
    if (owner)
        diag_error(C->diags, file, line,
                   "%s has an image but no 'alt' text: describe the picture for people who "
                   "cannot see it",
                   owner);
    else
        diag_error(C->diags, file, line,
                   "image '%s' has no alt text: describe the picture inside the brackets, "
                   "e.g. ![a cartoon cat waving](%s)",
                   url, url);
}

static void check_link(struct checker *C, const char *file, int line, const char *url)
{
    char scheme[16];
    url_scheme(url, scheme, sizeof(scheme));
    if (!*url) {
        diag_error(C->diags, file, line, "a link has no address");
        return;
    }
    if (url[0] == '#')
        return;
    if (strcmp(scheme, "https") == 0) {
        if (!pkg_https_url_valid(url))
            diag_error(C->diags, file, line, "link to '%s' is not a valid web address", url);
        return;
    }
    if (strcmp(scheme, "http") == 0) {
        diag_warning(C->diags, file, line, "link to '%s' is not secure: use https://", url);
        return;
    }
    if (strcmp(scheme, "mailto") == 0 || strcmp(scheme, "tel") == 0)
        return;
    if (*scheme || strncmp(url, "//", 2) == 0) {
        diag_error(C->diags, file, line,
                   "link to '%s' is not allowed: link to a page by its file name, e.g. "
                   "'plan.md', or to the web with https://",
                   url);
        return;
    }
    size_t path_len = strcspn(url, "?#");
    char path[256];
    if (path_len >= sizeof(path)) {
        diag_error(C->diags, file, line, "link to '%.40s...' goes nowhere: the address is too long",
                   url);
        return;
    }
    memcpy(path, url, path_len);
    path[path_len] = '\0';
    if (has_suffix(path, ".md")) {
        if (strchr(path, '/')) {
            diag_error(C->diags, file, line,
                       "link to '%s': link to a page by its file name alone, e.g. 'plan.md'", url);
            return;
        }
        path[path_len - 3] = '\0';
        if (pkg_page(C->p, path))
            return;
        struct suggest sg;
        suggest_init(&sg, path);
        for (size_t i = 0; i < C->p->page_count; i++)
            suggest_try(&sg, C->p->pages[i].id);
        if (sg.best)
            diag_error(C->diags, file, line,
                       "link to '%s', but there is no page '%s'; did you mean '%s.md'?", url, path,
                       sg.best);
        else
            diag_error(C->diags, file, line, "link to '%s', but there is no page '%s'", url, path);
        return;
    }
    if (strncmp(path, "images/", 7) == 0 && (pkg_file(C->p, path) || fileset_get(C->fs, path)))
        return;
    diag_error(C->diags, file, line,
               "link to '%s' goes nowhere: link to a page by its file name, e.g. 'plan.md'", url);
}

/* Checks the links and images in Markdown text that starts on first_line of file. */
static void check_markdown(struct checker *C, const char *file, int first_line, const char *text)
{
    if (!text || !*text)
        return;
    cmark_node *doc = cmark_parse_document(text, strlen(text), CMARK_OPT_DEFAULT);
    if (!doc)
        return;
    struct buf alt;
    buf_init(&alt, 4096);
    int image_depth = 0;
    bool html_warned = false;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (C->page_problems >= MAX_PAGE_PROBLEMS)
            break;
        size_t before = C->diags->count;
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int node_line = cmark_node_get_start_line(n);
        for (cmark_node *up = n; node_line <= 0 && up; up = cmark_node_parent(up))
            node_line = cmark_node_get_start_line(up);
        int line = first_line + (node_line > 0 ? node_line - 1 : 0);
        if (t == CMARK_NODE_IMAGE) {
            if (ev == CMARK_EVENT_ENTER) {
                if (image_depth++ == 0)
                    buf_reset(&alt);
            } else if (--image_depth == 0) {
                const char *url = cmark_node_get_url(n);
                check_image(C, file, line, url ? url : "", alt.ptr, NULL);
            }
        } else if (ev == CMARK_EVENT_ENTER && image_depth > 0 &&
                   (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
            buf_adds(&alt, cmark_node_get_literal(n));
        } else if (ev == CMARK_EVENT_ENTER && t == CMARK_NODE_LINK) {
            const char *url = cmark_node_get_url(n);
            check_link(C, file, line, url ? url : "");
        } else if (ev == CMARK_EVENT_ENTER &&
                   (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) && !html_warned) {
            diag_warning(C->diags, file, line,
                         "raw HTML is not shown on the page: write it in Markdown instead");
            html_warned = true;
        }
        C->page_problems += C->diags->count - before;
        if (C->page_problems >= MAX_PAGE_PROBLEMS)
            diag_error(C->diags, file, line,
                       "there are %d or more problems with links and pictures on this page; "
                       "fix these, then check again for the rest",
                       MAX_PAGE_PROBLEMS);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    buf_release(&alt);
}

static void check_story(struct checker *C, const struct pkg_page *page)
{
    int steps_line = C->note->steps_line;
    const struct pkg_story *s = &page->story;
    const char *file = page->loc.file;
    if (s->step_count == 0)
        return;
    bool any_ending = false;
    /* Whether every step and choice is whole, so that a step that cannot end is a loop. */
    bool whole = true;
    for (size_t i = 0; i < s->step_count; i++) {
        const struct pkg_step *st = &s->steps[i];
        const char *id = st->id ? st->id : "(no id)";
        any_ending |= st->ending;
        whole &= st->id && (st->ending || st->choice_count > 0);
        for (size_t j = 0; j < st->choice_count; j++)
            whole &= st->choices[j].next != NULL;
        if (st->ending && st->choice_count > 0)
            diag_error(C->diags, file, st->loc.line,
                       "step '%s' is an ending, so it cannot have choices", id);
        if (!st->ending && st->choice_count == 0)
            diag_error(C->diags, file, st->loc.line,
                       "step '%s' has no choices: give it 'choices', or make it an ending with "
                       "'ending: TITLE'",
                       id);
        for (size_t j = 0; j < st->choice_count; j++) {
            const struct pkg_choice *c = &st->choices[j];
            if (!c->next_id || c->next)
                continue;
            struct suggest sg;
            suggest_init(&sg, c->next_id);
            /* Suggestions cost a comparison per step; a huge story gets none. */
            for (size_t k = 0; k < s->step_count && s->step_count <= 500; k++)
                suggest_try(&sg, s->steps[k].id);
            if (sg.best)
                diag_error(C->diags, file, c->loc.line,
                           "choice leads to '%s', which is not a step in this story; did you "
                           "mean '%s'?",
                           c->next_id, sg.best);
            else
                diag_error(C->diags, file, c->loc.line,
                           "choice leads to '%s', which is not a step in this story", c->next_id);
        }
    }
    if (!any_ending)
        diag_error(C->diags, file, steps_line,
                   "the story has no ending: at least one step needs 'ending: TITLE'");

    /* Forward from the first step: which steps a reader can reach. */
    unsigned char *reach = xcalloc(s->step_count, 2);
    unsigned char *ends = reach + s->step_count;
    size_t *queue = xmalloc(s->step_count * sizeof(*queue));
    size_t head = 0;
    size_t tail = 0;
    reach[0] = 1;
    queue[tail++] = 0;
    while (head < tail) {
        const struct pkg_step *st = &s->steps[queue[head++]];
        for (size_t j = 0; j < st->choice_count; j++) {
            const struct pkg_step *next = st->choices[j].next;
            if (!next)
                continue;
            size_t k = (size_t)(next - s->steps);
            if (!reach[k]) {
                reach[k] = 1;
                queue[tail++] = k;
            }
        }
    }
    /* Backward from the endings, by repeated passes: which steps can still end. */
    for (size_t i = 0; i < s->step_count; i++)
        ends[i] = s->steps[i].ending;
    for (bool changed = any_ending; changed;) {
        changed = false;
        for (size_t i = 0; i < s->step_count; i++) {
            if (ends[i])
                continue;
            for (size_t j = 0; j < s->steps[i].choice_count; j++) {
                const struct pkg_step *next = s->steps[i].choices[j].next;
                if (next && ends[next - s->steps]) {
                    ends[i] = 1;
                    changed = true;
                    break;
                }
            }
        }
    }
    const char *first = s->steps[0].id ? s->steps[0].id : "(no id)";
    for (size_t i = 0; i < s->step_count; i++) {
        const struct pkg_step *st = &s->steps[i];
        if (!st->id)
            continue;
        if (!reach[i])
            diag_error(C->diags, file, st->loc.line,
                       "step '%s' cannot be reached: no choice leads to it from the first step "
                       "'%s'",
                       st->id, first);
        else if (whole && any_ending && !ends[i])
            diag_error(C->diags, file, st->loc.line,
                       "from step '%s' the story can never reach an ending: its choices go "
                       "round in a loop",
                       st->id);
    }
    free(queue);
    free(reach);
}

static bool any_replies(const struct pkg *p)
{
    for (size_t i = 0; i < p->page_count; i++)
        for (size_t j = 0; j < p->pages[i].strategy_count; j++)
            if (p->pages[i].strategies[j].reply_count)
                return true;
    return false;
}

static void check_plan(struct checker *C, const struct pkg_page *page)
{
    if (C->any_broken)
        return; /* what the plan refers to may be in a page that could not be read */
    for (size_t i = 0; i < page->plan_section_count; i++) {
        const struct pkg_plan_section *s = &page->plan_sections[i];
        const char *id = s->id ? s->id : "(no id)";
        if (s->kind == PLAN_STRATEGIES && !pkg_page_of_kind(C->p, PAGE_STRATEGIES))
            diag_error(C->diags, page->loc.file, s->loc.line,
                       "plan section '%s' offers the package's strategies, but the package has "
                       "no strategies page",
                       id);
        else if (s->kind == PLAN_REPLIES && !pkg_page_of_kind(C->p, PAGE_STRATEGIES))
            diag_error(C->diags, page->loc.file, s->loc.line,
                       "plan section '%s' offers humour replies, but the package has no "
                       "strategies page",
                       id);
        else if (s->kind == PLAN_REPLIES && !any_replies(C->p))
            diag_error(C->diags, page->loc.file, s->loc.line,
                       "plan section '%s' offers humour replies, but no strategy has 'replies'",
                       id);
        else if (s->kind == PLAN_CONTACTS && C->p->support_count == 0)
            diag_error(C->diags, page->loc.file, s->loc.line,
                       "plan section '%s' offers support contacts, but package.yaml has no "
                       "'support' entries",
                       id);
    }
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* ---- lesson slides ---- */

/* Offers candidate to sg; whether it is id. */
static bool offer(const char *candidate, const char *id, struct suggest *sg)
{
    if (!candidate)
        return false;
    suggest_try(sg, candidate);
    return strcmp(candidate, id) == 0;
}

/* Whether id names a support entry; offers each to sg. */
static bool find_support(const struct pkg *p, const char *id, struct suggest *sg)
{
    bool found = false;
    for (size_t i = 0; i < p->support_count; i++)
        found |= offer(p->support[i].id, id, sg);
    return found;
}

static bool find_question(const struct pkg *p, const char *id, struct suggest *sg)
{
    bool found = false;
    for (size_t i = 0; i < p->page_count; i++) {
        const struct pkg_page *pg = &p->pages[i];
        for (size_t g = 0; g < pg->group_count; g++)
            for (size_t q = 0; q < pg->groups[g].question_count; q++)
                found |= offer(pg->groups[g].questions[q].id, id, sg);
    }
    return found;
}

static bool find_strategy(const struct pkg *p, const char *id, struct suggest *sg)
{
    bool found = false;
    for (size_t i = 0; i < p->page_count; i++)
        for (size_t k = 0; k < p->pages[i].strategy_count; k++)
            found |= offer(p->pages[i].strategies[k].id, id, sg);
    return found;
}

/*
 * What a slide of each kind draws on, indexed by enum pkg_slide_kind: a kind of page, the
 * support entries of package.yaml, or nothing; and for a slide that lists items by id, what
 * those items are and how to find one. Every row gives every field, so that a kind added
 * without its row stops the build at the assertion below.
 */
static const struct slide_rule {
    int page;         /* the enum pkg_page_kind it shows, or -1 */
    bool support;     /* it shows package.yaml's 'support' entries */
    const char *item; /* what each id it lists names; NULL when it lists none */
    bool (*find)(const struct pkg *p, const char *id, struct suggest *sg);
} slide_rules[] = {
    [SLIDE_TITLE] = {-1, false, NULL, NULL},
    [SLIDE_TEXT] = {-1, false, NULL, NULL},
    [SLIDE_STORY] = {PAGE_STORY, false, NULL, NULL},
    [SLIDE_QUESTIONS] = {PAGE_QUESTIONS, false, "question", find_question},
    [SLIDE_WAYS] = {PAGE_STRATEGIES, false, "strategy", find_strategy},
    [SLIDE_PLAN] = {PAGE_PLAN, false, NULL, NULL},
    [SLIDE_SUPPORT] = {-1, true, "support entry", find_support},
    [SLIDE_FEEDBACK] = {PAGE_SURVEY, false, NULL, NULL},
};
_Static_assert(sizeof(slide_rules) / sizeof(slide_rules[0]) == SLIDE_KIND_COUNT,
               "a row for every slide kind");

static void check_notes(struct checker *C, const char *file, const struct pkg_notes *n)
{
    check_markdown(C, file, n->say_line, n->say);
    check_markdown(C, file, n->safeguarding_line, n->safeguarding);
}

static void check_story_notes(struct checker *C, const char *file, const struct pkg_slide *sl)
{
    const struct pkg_page *story = pkg_page_of_kind(C->p, PAGE_STORY);
    for (size_t i = 0; i < sl->step_note_count; i++) {
        const struct pkg_step_notes *n = &sl->step_notes[i];
        check_notes(C, file, &n->notes);
        if (!story || !n->step || pkg_step(&story->story, n->step))
            continue;
        struct suggest sg;
        suggest_init(&sg, n->step);
        for (size_t k = 0; k < story->story.step_count && k < 500; k++)
            if (story->story.steps[k].id)
                suggest_try(&sg, story->story.steps[k].id);
        if (sg.best)
            diag_error(C->diags, file, n->loc.line,
                       "notes for step '%s', which is not a step of the story '%s'; did you "
                       "mean '%s'?",
                       n->step, story->id, sg.best);
        else
            diag_error(C->diags, file, n->loc.line,
                       "notes for step '%s', which is not a step of the story '%s'", n->step,
                       story->id);
    }
}

static void check_lesson(struct checker *C, const struct pkg_page *page)
{
    const char *file = page->loc.file;
    bool any_safeguarding = false;
    for (size_t i = 0; i < page->slide_count; i++) {
        const struct pkg_slide *sl = &page->slides[i];
        check_markdown(C, file, sl->text_line, sl->text);
        check_notes(C, file, &sl->notes);
        any_safeguarding |= !blank(sl->notes.safeguarding);
        for (size_t k = 0; k < sl->step_note_count; k++)
            any_safeguarding |= !blank(sl->step_notes[k].notes.safeguarding);
        /* Only story slides have notes for steps; the loader takes them nowhere else. */
        check_story_notes(C, file, sl);
        if (C->any_broken)
            continue; /* what the slide draws on may be in a page that could not be read */
        const struct slide_rule *rule = &slide_rules[sl->show];
        if (rule->page >= 0 && !pkg_page_of_kind(C->p, (enum pkg_page_kind)rule->page)) {
            diag_error(C->diags, file, sl->loc.line,
                       "a slide that shows '%s' needs a page of kind '%s', and the package has "
                       "none",
                       pkg_slide_kind_name(sl->show), pkg_page_kind_name(rule->page));
            continue;
        }
        if (rule->support && C->p->support_count == 0) {
            diag_error(C->diags, file, sl->loc.line,
                       "a slide that shows '%s' needs 'support' entries in package.yaml",
                       pkg_slide_kind_name(sl->show));
            continue;
        }
        for (size_t k = 0; rule->find && k < sl->ref_count; k++) {
            const struct pkg_ref *ref = &sl->refs[k];
            struct suggest sg;
            suggest_init(&sg, ref->id);
            if (rule->find(C->p, ref->id, &sg))
                continue;
            if (sg.best)
                diag_error(C->diags, file, ref->loc.line,
                           "there is no %s '%s' in the package; did you mean '%s'?", rule->item,
                           ref->id, sg.best);
            else
                diag_error(C->diags, file, ref->loc.line, "there is no %s '%s' in the package",
                           rule->item, ref->id);
        }
    }
    if (page->slide_count && !any_safeguarding)
        diag_warning(C->diags, file, 1,
                     "no slide has 'safeguarding' notes: remind teachers that pupils should "
                     "not share personal stories in class, that a disclosure goes to the "
                     "designated safeguarding lead, and never to view, copy, print or share "
                     "an image");
}

static void check_not_empty(struct checker *C, const struct pkg_page *page)
{
    if (blank(page->body))
        diag_error(C->diags, page->loc.file, 1,
                   "the page is empty: write some Markdown after the front matter");
}

static void check_support_page(struct checker *C, const struct pkg_page *page)
{
    if (C->p->support_count == 0 && !C->impl->manifest_broken)
        diag_error(C->diags, page->loc.file, 1,
                   "a support page shows the support directory, but package.yaml has no "
                   "'support' entries");
}

/*
 * What is checked of a page of each kind, indexed by enum pkg_page_kind: the checks of its
 * own, the id that planpack's own routes expect it to have (DESIGN.md's /plan, /feedback,
 * /support), and whether that id is kept for it alone and a package may have only one.
 */
static const struct page_rule {
    void (*check)(struct checker *C, const struct pkg_page *page); /* NULL: none of its own */
    const char *id;    /* the id its address should have, or NULL */
    const char *keeps; /* the id is kept for this ("the plan builder"); NULL when it is not */
    bool one;          /* a package has one at most */
} page_rules[] = {
    [PAGE_TEXT] = {check_not_empty, NULL, NULL, false},
    [PAGE_STORY] = {check_story, NULL, NULL, false},
    [PAGE_QUESTIONS] = {NULL, NULL, NULL, false},
    [PAGE_STRATEGIES] = {NULL, NULL, NULL, false},
    [PAGE_PLAN] = {check_plan, "plan", "the plan builder", true},
    [PAGE_SUPPORT] = {check_support_page, "support", NULL, false},
    [PAGE_SURVEY] = {NULL, "feedback", "the survey", true},
    [PAGE_LESSON] = {check_lesson, NULL, NULL, true},
    [PAGE_LETTER] = {check_not_empty, NULL, NULL, false},
};
_Static_assert(sizeof(page_rules) / sizeof(page_rules[0]) == PAGE_KIND_COUNT,
               "a row for every page kind");

static void check_page(struct checker *C, size_t index, const struct pkg_page **first_of_kind)
{
    const struct pkg *p = C->p;
    const struct pkg_page *page = &p->pages[index];
    const struct pkg_page_note *note = &C->impl->notes[index];
    const char *file = page->loc.file;

    C->note = note;
    C->page_problems = 0;
    check_markdown(C, file, page->body_line, page->body);
    for (size_t i = 0; i < page->story.step_count; i++) {
        const struct pkg_step *s = &page->story.steps[i];
        check_markdown(C, file, s->text_line, s->text);
    }
    for (size_t i = 0; i < page->strategy_count; i++) {
        const struct pkg_strategy *s = &page->strategies[i];
        check_markdown(C, file, s->how_line, s->how);
        for (size_t j = 0; j < s->reply_count; j++) {
            const struct pkg_reply *r = &s->replies[j];
            if (!r->image)
                continue;
            char owner[64];
            snprintf(owner, sizeof(owner), "reply '%s'", r->id ? r->id : "(no id)");
            check_image(C, file, r->loc.line, r->image, r->alt, owner);
        }
    }
    if (note->broken)
        return;

    const struct page_rule *rule = &page_rules[page->kind];
    if (rule->check)
        rule->check(C, page);
    if (rule->one) {
        const struct pkg_page *first = first_of_kind[page->kind];
        if (first)
            diag_error(C->diags, file, 1,
                       "page '%s' is a second %s page; a package has one, and '%s' is it", page->id,
                       pkg_page_kind_name(page->kind), first->id);
        else
            first_of_kind[page->kind] = page;
    }
    if (rule->id && strcmp(page->id, rule->id) != 0)
        diag_warning(C->diags, file, 1,
                     "a %s page should have the id '%s', so that its address is /%s as schools "
                     "are told",
                     pkg_page_kind_name(page->kind), rule->id, rule->id);
    for (size_t k = 0; k < PAGE_KIND_COUNT; k++) {
        const struct page_rule *other = &page_rules[k];
        if (other->keeps && k != (size_t)page->kind && strcmp(page->id, other->id) == 0)
            diag_error(C->diags, file, 1,
                       "the id '%s' is kept for %s (kind: %s), because planpack answers /%s "
                       "itself",
                       other->id, other->keeps, pkg_page_kind_name((enum pkg_page_kind)k),
                       other->id);
    }
}

void pkg_check(const struct pkg *p, const struct fileset *fs, struct diag_list *diags)
{
    struct checker C = {.p = p,
                        .fs = fs,
                        .impl = pkg_impl_of(p),
                        .diags = diags,
                        .any_broken = pkg_impl_of(p)->manifest_broken};
    for (size_t i = 0; i < p->page_count; i++)
        C.any_broken |= C.impl->notes[i].broken;
    const struct pkg_page *first_of_kind[PAGE_KIND_COUNT] = {NULL};
    for (size_t i = 0; i < p->page_count; i++)
        check_page(&C, i, first_of_kind);
    readability_check(p, diags);
    ui_catalog_check(p, diags);
    diag_sort(diags);
}
