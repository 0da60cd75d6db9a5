/*
 * Every text of a package a translator translates, each under a stable key of ids, and the
 * translated views pkg_in_language() returns (translation.h).
 *
 * A view is a copy of the package's structure (its pages, steps, messages, questions and
 * the rest, in the same order, with the pointers between them pointing into the copy) whose
 * text pointers are then replaced, one by one, by the translation's. Texts that stay the
 * source's are kept in a sorted array of pointers, so that pkg_text_is_fallback() is a
 * binary search and needs no flag beside each text in the model.
 */
#include "pkg/translation.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "pkg/internal.h"

/* ---- walking the texts ---- */

struct walk {
    pkg_text_fn *fn;
    void *ctx;
    const char *scope;
    const char *file;
    const char *page_title;
    char path[TEXT_PATH_MAX];
    char where[TEXT_PATH_MAX + 200];
};

/* Hands one text over when present: path and where are formatted from the arguments. */
__attribute__((format(printf, 5, 6))) static void visit(struct walk *w, const char **text, int line,
                                                        const char *note, const char *fmt, ...)
{
    if (!*text || !(*text)[strspn(*text, " \t\r\n")])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->path, sizeof(w->path), fmt, ap);
    va_end(ap);
    if (w->page_title)
        snprintf(w->where, sizeof(w->where), "page '%s'%s%s", w->page_title, note ? ", " : "",
                 note ? note : "");
    else
        snprintf(w->where, sizeof(w->where), "package.yaml%s%s", note ? ", " : "",
                 note ? note : "");
    struct pkg_text t = {w->scope, w->path, text, {w->file, line}, w->where};
    w->fn(w->ctx, &t);
}

static void walk_notes(struct walk *w, struct pkg_notes *n, int line, const char *note,
                       const char *prefix)
{
    visit(w, &n->say, n->say_line ? n->say_line : line, note, "%s/say", prefix);
    visit(w, &n->safeguarding, n->safeguarding_line ? n->safeguarding_line : line, note,
          "%s/safeguarding", prefix);
}

static void walk_story(struct walk *w, struct pkg_story *s)
{
    char note[TEXT_PATH_MAX];
    for (size_t i = 0; i < s->character_count; i++) {
        struct pkg_character *c = &s->characters[i];
        if (!c->id)
            continue;
        snprintf(note, sizeof(note), "character '%s'", c->id);
        visit(w, &c->name, c->loc.line, note, "character:%s/name", c->id);
    }
    for (size_t i = 0; i < s->step_count; i++) {
        struct pkg_step *st = &s->steps[i];
        if (!st->id)
            continue;
        snprintf(note, sizeof(note), "step '%s'", st->id);
        visit(w, &st->title, st->loc.line, note, "step:%s/title", st->id);
        for (size_t j = 0; j < st->message_count; j++) {
            snprintf(note, sizeof(note), "step '%s', message %zu", st->id, j + 1);
            visit(w, &st->messages[j].text, st->messages[j].loc.line, note, "step:%s/message:%zu",
                  st->id, j + 1);
        }
        snprintf(note, sizeof(note), "step '%s', text after the chat", st->id);
        visit(w, &st->text, st->text_line, note, "step:%s/text", st->id);
        for (size_t j = 0; j < st->choice_count; j++) {
            snprintf(note, sizeof(note), "step '%s', choice %zu", st->id, j + 1);
            visit(w, &st->choices[j].text, st->choices[j].loc.line, note, "step:%s/choice:%zu",
                  st->id, j + 1);
        }
        snprintf(note, sizeof(note), "step '%s', ending", st->id);
        visit(w, &st->ending_title, st->loc.line, note, "step:%s/ending_title", st->id);
    }
}

static void walk_questions(struct walk *w, struct pkg_page *page)
{
    char note[TEXT_PATH_MAX];
    for (size_t i = 0; i < page->group_count; i++) {
        struct pkg_question_group *g = &page->groups[i];
        if (g->id) {
            snprintf(note, sizeof(note), "question group '%s'", g->id);
            visit(w, &g->title, g->loc.line, note, "group:%s/title", g->id);
        }
        for (size_t j = 0; j < g->question_count; j++) {
            struct pkg_question *q = &g->questions[j];
            if (!q->id)
                continue;
            snprintf(note, sizeof(note), "question '%s'", q->id);
            visit(w, &q->text, q->loc.line, note, "question:%s/text", q->id);
            visit(w, &q->hint, q->loc.line, note, "question:%s/hint", q->id);
        }
    }
}

static void walk_strategies(struct walk *w, struct pkg_page *page)
{
    char note[TEXT_PATH_MAX];
    for (size_t i = 0; i < page->strategy_count; i++) {
        struct pkg_strategy *s = &page->strategies[i];
        if (s->id) {
            snprintf(note, sizeof(note), "way '%s'", s->id);
            visit(w, &s->title, s->loc.line, note, "strategy:%s/title", s->id);
            visit(w, &s->summary, s->loc.line, note, "strategy:%s/summary", s->id);
            visit(w, &s->when, s->loc.line, note, "strategy:%s/when", s->id);
            visit(w, &s->how, s->how_line, note, "strategy:%s/how", s->id);
        }
        for (size_t j = 0; j < s->reply_count; j++) {
            struct pkg_reply *r = &s->replies[j];
            if (!r->id)
                continue;
            snprintf(note, sizeof(note), "reply '%s'", r->id);
            visit(w, &r->text, r->loc.line, note, "reply:%s/text", r->id);
            visit(w, &r->alt, r->loc.line, note, "reply:%s/alt", r->id);
        }
    }
}

static void walk_survey(struct walk *w, struct pkg_page *page)
{
    char note[TEXT_PATH_MAX];
    for (size_t i = 0; i < page->survey_count; i++) {
        struct survey_question *q = &page->survey[i];
        if (!q->id)
            continue;
        snprintf(note, sizeof(note), "survey question '%s'", q->id);
        visit(w, &q->text, q->loc.line, note, "survey:%s/text", q->id);
        for (size_t j = 0; j < q->option_count; j++) {
            struct survey_option *o = &q->options[j];
            if (!o->id)
                continue;
            snprintf(note, sizeof(note), "survey question '%s', option '%s'", q->id, o->id);
            visit(w, &o->label, o->loc.line, note, "survey:%s/option:%s/label", q->id, o->id);
        }
    }
}

static void walk_lesson(struct walk *w, struct pkg_page *page)
{
    char note[TEXT_PATH_MAX];
    char prefix[TEXT_PATH_MAX];
    for (size_t i = 0; i < page->slide_count; i++) {
        struct pkg_slide *s = &page->slides[i];
        snprintf(note, sizeof(note), "slide %zu", i + 1);
        visit(w, &s->title, s->loc.line, note, "slide:%zu/title", i + 1);
        visit(w, &s->text, s->text_line, note, "slide:%zu/text", i + 1);
        snprintf(prefix, sizeof(prefix), "slide:%zu", i + 1);
        walk_notes(w, &s->notes, s->loc.line, note, prefix);
        for (size_t j = 0; j < s->step_note_count; j++) {
            struct pkg_step_notes *sn = &s->step_notes[j];
            if (!sn->step)
                continue;
            snprintf(note, sizeof(note), "slide %zu, notes for step '%s'", i + 1, sn->step);
            snprintf(prefix, sizeof(prefix), "slide:%zu/step:%s", i + 1, sn->step);
            walk_notes(w, &sn->notes, sn->loc.line, note, prefix);
        }
    }
}

static void walk_page(struct walk *w, struct pkg_page *page)
{
    w->scope = page->id;
    w->file = page->loc.file;
    w->page_title = page->title ? page->title : page->id;
    visit(w, &page->title, 1, "title", "title");
    visit(w, &page->nav_title, 1, "title in the menu", "nav_title");
    visit(w, &page->summary, 1, "summary", "summary");
    visit(w, &page->body, page->body_line, "text", "body");
    switch (page->kind) {
    case PAGE_STORY:
        walk_story(w, &page->story);
        break;
    case PAGE_QUESTIONS:
        walk_questions(w, page);
        break;
    case PAGE_STRATEGIES:
        walk_strategies(w, page);
        break;
    case PAGE_PLAN:
        for (size_t i = 0; i < page->plan_section_count; i++) {
            struct pkg_plan_section *s = &page->plan_sections[i];
            if (!s->id)
                continue;
            char note[TEXT_PATH_MAX];
            snprintf(note, sizeof(note), "plan section '%s'", s->id);
            visit(w, &s->title, s->loc.line, note, "section:%s/title", s->id);
            visit(w, &s->prompt, s->loc.line, note, "section:%s/prompt", s->id);
        }
        break;
    case PAGE_SURVEY:
        walk_survey(w, page);
        break;
    case PAGE_LESSON:
        walk_lesson(w, page);
        break;
    case PAGE_TEXT:
    case PAGE_SUPPORT:
    case PAGE_LETTER:
        break;
    }
}

void pkg_texts_each(struct pkg *p, pkg_text_fn *fn, void *ctx)
{
    struct walk w = {.fn = fn, .ctx = ctx, .scope = TEXTS_PACKAGE, .file = "package.yaml"};
    visit(&w, &p->title, 1, "the package's title", "title");
    visit(&w, &p->audience, 1, "who the package is for", "audience");
    for (size_t i = 0; i < p->support_count; i++) {
        struct pkg_support *s = &p->support[i];
        if (!s->id)
            continue;
        char note[TEXT_PATH_MAX];
        snprintf(note, sizeof(note), "support entry '%s'", s->id);
        visit(&w, &s->name, s->loc.line, note, "support:%s/name", s->id);
        visit(&w, &s->about, s->loc.line, note, "support:%s/for", s->id);
        visit(&w, &s->hours, s->loc.line, note, "support:%s/hours", s->id);
    }
    for (size_t i = 0; i < p->page_count; i++)
        walk_page(&w, &p->pages[i]);
}

void text_hash(const char *text, char out[TEXT_HASH_LEN + 1])
{
    size_t n = strlen(text);
    while (n && strchr(" \t\r\n", text[n - 1]))
        n--;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)text[i];
        h *= 16777619u;
    }
    snprintf(out, TEXT_HASH_LEN + 1, "%08x", (unsigned)h);
}

/* ---- views ---- */

static void *copy_items(struct arena *a, const void *items, size_t count, size_t size)
{
    if (!items)
        return NULL;
    void *copy = arena_alloc(a, count * size + 1);
    if (count)
        memcpy(copy, items, count * size);
    return copy;
}

#define COPY(a, items, count) copy_items((a), (items), (count), sizeof(*(items)))

static void copy_story(struct arena *a, struct pkg_story *s)
{
    const struct pkg_character *chars = s->characters;
    const struct pkg_step *steps = s->steps;
    s->characters = COPY(a, s->characters, s->character_count);
    s->steps = COPY(a, s->steps, s->step_count);
    for (size_t i = 0; i < s->step_count; i++) {
        struct pkg_step *st = &s->steps[i];
        st->messages = COPY(a, st->messages, st->message_count);
        for (size_t j = 0; j < st->message_count; j++) {
            const struct pkg_character *from = st->messages[j].from;
            if (from && from >= chars && from < chars + s->character_count)
                st->messages[j].from = &s->characters[from - chars];
        }
        st->choices = COPY(a, st->choices, st->choice_count);
        for (size_t j = 0; j < st->choice_count; j++) {
            const struct pkg_step *next = st->choices[j].next;
            if (next && next >= steps && next < steps + s->step_count)
                st->choices[j].next = &s->steps[next - steps];
        }
    }
}

static void copy_page(struct arena *a, struct pkg_page *page)
{
    copy_story(a, &page->story);
    page->groups = COPY(a, page->groups, page->group_count);
    for (size_t i = 0; i < page->group_count; i++)
        page->groups[i].questions =
            COPY(a, page->groups[i].questions, page->groups[i].question_count);
    page->strategies = COPY(a, page->strategies, page->strategy_count);
    for (size_t i = 0; i < page->strategy_count; i++)
        page->strategies[i].replies =
            COPY(a, page->strategies[i].replies, page->strategies[i].reply_count);
    page->plan_sections = COPY(a, page->plan_sections, page->plan_section_count);
    page->survey = COPY(a, page->survey, page->survey_count);
    for (size_t i = 0; i < page->survey_count; i++)
        page->survey[i].options = COPY(a, page->survey[i].options, page->survey[i].option_count);
    page->slides = COPY(a, page->slides, page->slide_count);
    for (size_t i = 0; i < page->slide_count; i++)
        page->slides[i].step_notes =
            COPY(a, page->slides[i].step_notes, page->slides[i].step_note_count);
}

struct translated_text *translation_find(const struct translation *t, const char *scope,
                                         const char *path)
{
    size_t lo = 0, hi = t ? t->count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct translated_text *x = &t->texts[mid];
        int c = strcmp(x->scope, scope);
        if (!c)
            c = strcmp(x->path, path);
        if (!c)
            return &t->texts[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

struct build {
    struct translation *t;
    view_match_fn *match;
    void *ctx;
    const char **fallbacks;
    size_t fallback_count;
    size_t fallback_cap;
};

static void translate_one(void *ctx, const struct pkg_text *text)
{
    struct build *b = ctx;
    struct translated_text *found = translation_find(b->t, text->scope, text->path);
    bool fresh = false;
    if (found) {
        char hash[TEXT_HASH_LEN + 1];
        text_hash(*text->text, hash);
        found->used = true;
        fresh = found->source_hash && strcmp(found->source_hash, hash) == 0;
    }
    if (b->match)
        b->match(b->ctx, text, found, fresh);
    if (fresh) {
        *text->text = found->text;
        return;
    }
    XGROW(b->fallbacks, b->fallback_cap, b->fallback_count + 1);
    b->fallbacks[b->fallback_count++] = *text->text;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const char *const *)a;
    uintptr_t y = (uintptr_t) * (const char *const *)b;
    return x < y ? -1 : x > y;
}

struct pkg *view_build(struct pkg *source, struct translation *t, view_match_fn *match, void *ctx)
{
    struct arena *a = &source->arena;
    struct pkg_impl *src = (struct pkg_impl *)source;
    struct pkg_impl *v = arena_alloc(a, sizeof(*v));
    *v = *src;
    v->pub.arena = (struct arena)ARENA_INIT;
    v->views = NULL;
    v->source = src;
    v->status = t && t->status ? t->status : "draft";
    v->reviewer = t ? t->reviewer : NULL;
    v->reviewed_date = t ? t->reviewed_date : NULL;
    struct pkg *p = &v->pub;
    p->language = t ? t->language : source->language;
    p->support = COPY(a, p->support, p->support_count);
    p->pages = COPY(a, p->pages, p->page_count);
    for (size_t i = 0; i < p->page_count; i++)
        copy_page(a, &p->pages[i]);

    struct build b = {.t = t, .match = match, .ctx = ctx};
    pkg_texts_each(p, translate_one, &b);
    if (b.fallback_count > 1)
        qsort(b.fallbacks, b.fallback_count, sizeof(*b.fallbacks), cmp_ptr);
    v->fallbacks = COPY(a, b.fallbacks, b.fallback_count);
    v->fallback_count = b.fallback_count;
    free(b.fallbacks);
    return p;
}

/* ---- the public lookups (pkg.h) ---- */

const struct pkg *pkg_in_language(const struct pkg *p, const char *lang)
{
    if (!p || !lang)
        return NULL;
    const struct pkg_impl *impl = pkg_impl_of(p);
    if (impl->source)
        p = &impl->source->pub;
    for (size_t i = 0; i < p->n_languages; i++) {
        if (strcasecmp(p->languages[i], lang) != 0)
            continue;
        if (i == 0)
            return p;
        const struct pkg_impl *views = NULL;
        struct pkg_impl *const *list = pkg_impl_of(p)->views;
        views = list ? list[i - 1] : NULL;
        return views ? &views->pub : NULL;
    }
    return NULL;
}

bool pkg_text_is_fallback(const struct pkg *view, const char *text)
{
    if (!view || !text)
        return false;
    const struct pkg_impl *v = pkg_impl_of(view);
    const char *key = text;
    return v->fallback_count &&
           bsearch(&key, v->fallbacks, v->fallback_count, sizeof(*v->fallbacks), cmp_ptr);
}

const char *pkg_translation_status(const struct pkg *view)
{
    return view ? pkg_impl_of(view)->status : NULL;
}

void pkg_translation_reviewer(const struct pkg *view, const char **name, const char **date)
{
    const struct pkg_impl *v = view ? pkg_impl_of(view) : NULL;
    bool reviewed = v && v->status && strcmp(v->status, "reviewed") == 0;
    *name = reviewed ? v->reviewer : NULL;
    *date = reviewed ? v->reviewed_date : NULL;
}
