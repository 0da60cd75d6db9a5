/*
 * A lesson page's slides: what each shows, the items it names, suggested minutes and
 * presenter notes (with notes for single steps of the story).
 */
#include "pkg/loader.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

/*
 * One row per kind of slide, indexed by enum pkg_slide_kind: its name in the format and,
 * for a slide that lists what it shows, the key of that list and what each item must be.
 */
static const struct slide_kind {
    const char *name;
    const char *list_key;
    const char *items;
} slide_kinds[] = {
    [SLIDE_TITLE] = {"title", NULL, NULL},
    [SLIDE_TEXT] = {"text", NULL, NULL},
    [SLIDE_STORY] = {"story", "steps", NULL},
    [SLIDE_QUESTIONS] = {"questions", "questions", "questions (e.g. '- q-why-ask')"},
    [SLIDE_WAYS] = {"ways", "ways", "strategies (e.g. '- say-no')"},
    [SLIDE_PLAN] = {"plan", NULL, NULL},
    [SLIDE_SUPPORT] = {"support", "services", "support entries (e.g. '- childline')"},
    [SLIDE_FEEDBACK] = {"feedback", NULL, NULL},
};
_Static_assert(COUNT(slide_kinds) == SLIDE_KIND_COUNT, "a row for every slide kind");

static const char *const slide_keys[] = {"show",     "title",        "text",      "minutes",
                                         "say",      "safeguarding", "questions", "ways",
                                         "services", "steps",        NULL};
static const char *const step_note_keys[] = {"step", "say", "safeguarding", NULL};

/* The kinds' names, in order, for messages that list them. */
static void slide_kind_names(const char *names[SLIDE_KIND_COUNT])
{
    for (size_t k = 0; k < SLIDE_KIND_COUNT; k++)
        names[k] = slide_kinds[k].name;
}

static void load_notes(struct loader *L, const struct ynode *map, const char *subj,
                       struct pkg_notes *n)
{
    n->say = get_text(L, map, "say", false, subj);
    const struct ynode *say = ytree_get(map, "say");
    n->say_line = say ? say->text_line : map->line;
    n->safeguarding = get_text(L, map, "safeguarding", false, subj);
    const struct ynode *sg = ytree_get(map, "safeguarding");
    n->safeguarding_line = sg ? sg->text_line : map->line;
}

static void load_minutes(struct loader *L, struct pkg_slide *s, const struct ynode *item)
{
    const struct ynode *v = ytree_get(item, "minutes");
    if (!v)
        return;
    long n = 0;
    char *end = NULL;
    if (v->kind == YNODE_SCALAR && v->len > 0 && v->len < 8)
        n = strtol(v->str, &end, 10);
    if (!end || *end != '\0' || n < 1 || n > 120) {
        ERR(L, v->line, "'minutes' should be a whole number of minutes from 1 to 120");
        return;
    }
    s->minutes = (int)n;
}

/* The ids a slide lists: each must be an id; check.c finds what they name. */
static void load_refs(struct loader *L, struct pkg_slide *s, const struct ynode *item)
{
    const char *key = slide_kinds[s->show].list_key;
    const struct ynode *list = get_list(L, item, key, false, "a slide");
    if (!list)
        return;
    s->refs = alloc_items(L, list, sizeof(*s->refs));
    for (const struct ynode *v = list->first; v; v = v->next) {
        if (v->kind != YNODE_SCALAR || !pkg_id_valid(v->str)) {
            ERR(L, v->line, "each item of '%s' should be the id of one of the package's %s", key,
                slide_kinds[s->show].items);
            continue;
        }
        s->refs[s->ref_count++] =
            (struct pkg_ref){loader_loc(L, v->line), arena_strdup(L->a, v->str)};
    }
}

static void load_step_notes(struct loader *L, struct pkg_slide *s, const struct ynode *item)
{
    const struct ynode *list = get_list(L, item, "steps", false, "a slide");
    if (!list)
        return;
    s->step_notes = alloc_items(L, list, sizeof(*s->step_notes));
    for (const struct ynode *v = list->first; v; v = v->next) {
        if (!item_is_map(L, v, "steps", "step: start"))
            continue;
        check_keys(L, v, step_note_keys, "a step's notes");
        struct pkg_step_notes *n = &s->step_notes[s->step_note_count++];
        n->loc = loader_loc(L, v->line);
        n->step = get_text(L, v, "step", true, "a step's notes");
        load_notes(L, v, "a step's notes", &n->notes);
        if (!n->notes.say && !n->notes.safeguarding)
            ERR(L, v->line, "the notes for step '%s' are empty: give them 'say' or 'safeguarding'",
                n->step ? n->step : "?");
    }
}

void load_lesson(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "slides", true, "the front matter");
    if (!list)
        return;
    page->slides = alloc_items(L, list, sizeof(*page->slides));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "slides", "show: title"))
            continue;
        check_keys(L, item, slide_keys, "a slide");
        struct pkg_slide *s = &page->slides[page->slide_count++];
        s->loc = loader_loc(L, item->line);
        s->show = SLIDE_TEXT;
        const char *show = get_text(L, item, "show", true, "a slide");
        bool known = false;
        if (show) {
            const char *names[SLIDE_KIND_COUNT];
            slide_kind_names(names);
            int k = find_name(names, SLIDE_KIND_COUNT, show);
            if (k >= 0) {
                s->show = (enum pkg_slide_kind)k;
                known = true;
            } else {
                report_unknown_name(L, line_of(item, "show"), "kind of slide", show, names,
                                    SLIDE_KIND_COUNT);
            }
        }
        s->title = get_text(L, item, "title", known && s->show == SLIDE_TEXT, "a text slide");
        s->text = get_text(L, item, "text", false, "a slide");
        const struct ynode *text = ytree_get(item, "text");
        s->text_line = text ? text->text_line : s->loc.line;
        load_minutes(L, s, item);
        load_notes(L, item, "a slide", &s->notes);
        /* Each list key belongs to one kind of slide. */
        static const enum pkg_slide_kind listing[] = {SLIDE_QUESTIONS, SLIDE_WAYS, SLIDE_SUPPORT,
                                                      SLIDE_STORY};
        for (size_t i = 0; known && i < COUNT(listing); i++) {
            const char *key = slide_kinds[listing[i]].list_key;
            const struct ynode *v = ytree_get(item, key);
            if (v && listing[i] != s->show)
                ERR(L, v->key_line, "'%s' is for slides that show '%s', but this slide shows '%s'",
                    key, slide_kinds[listing[i]].name, slide_kinds[s->show].name);
        }
        if (!known || !slide_kinds[s->show].list_key)
            continue;
        if (s->show == SLIDE_STORY)
            load_step_notes(L, s, item);
        else
            load_refs(L, s, item);
    }
}

const char *pkg_slide_kind_name(enum pkg_slide_kind k)
{
    return (size_t)k < SLIDE_KIND_COUNT ? slide_kinds[k].name : "?";
}
