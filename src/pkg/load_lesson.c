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

static void read_step_notes(struct loader *L, const struct ynode *map, void *item, const char *subj,
                            void *ctx)
{
    (void)subj;
    (void)ctx;
    const struct pkg_step_notes *n = item;
    if (!n->notes.say && !n->notes.safeguarding)
        ERR(L, map->line, "the notes for step '%s' are empty: give them 'say' or 'safeguarding'",
            n->step ? n->step : "?");
}

static const struct list_field step_note_fields[] = {
    LIST_NEED(struct pkg_step_notes, "step", step),
    LIST_MARKDOWN(struct pkg_step_notes, "say", notes.say, notes.say_line),
    LIST_MARKDOWN(struct pkg_step_notes, "safeguarding", notes.safeguarding,
                  notes.safeguarding_line),
};
static const struct list_shape step_notes = {
    {"steps", "step: start", "a step's notes", "step's notes"},
    LIST_ITEMS(struct pkg_step_notes, step_note_fields, read_step_notes)};

/* What a slide shows and says; every key is read here, show first. */
static void read_slide(struct loader *L, const struct ynode *map, void *item, const char *subj,
                       void *ctx)
{
    (void)ctx;
    struct pkg_slide *s = item;
    const char *names[SLIDE_KIND_COUNT];
    slide_kind_names(names);
    int k = get_name(L, map, "show", true, subj, "kind of slide", names, SLIDE_KIND_COUNT);
    bool known = k >= 0;
    s->show = known ? (enum pkg_slide_kind)k : SLIDE_TEXT;
    s->title = get_text(L, map, "title", known && s->show == SLIDE_TEXT, "a text slide");
    s->text = get_text(L, map, "text", false, subj);
    const struct ynode *text = ytree_get(map, "text");
    s->text_line = text ? text->text_line : s->loc.line;
    load_minutes(L, s, map);
    load_notes(L, map, subj, &s->notes);
    /* Each list key belongs to one kind of slide. */
    static const enum pkg_slide_kind listing[] = {SLIDE_QUESTIONS, SLIDE_WAYS, SLIDE_SUPPORT,
                                                  SLIDE_STORY};
    for (size_t i = 0; known && i < COUNT(listing); i++) {
        const char *key = slide_kinds[listing[i]].list_key;
        const struct ynode *v = ytree_get(map, key);
        if (v && listing[i] != s->show)
            ERR(L, v->key_line, "'%s' is for slides that show '%s', but this slide shows '%s'", key,
                slide_kinds[listing[i]].name, slide_kinds[s->show].name);
    }
    if (!known || !slide_kinds[s->show].list_key)
        return;
    if (s->show == SLIDE_STORY)
        s->step_notes = load_list(L, get_list(L, map, "steps", false, subj), &step_notes, NULL,
                                  NULL, &s->step_note_count);
    else
        load_refs(L, s, map);
}

static const struct list_field slide_fields[] = {
    LIST_OTHER("show"),      LIST_OTHER("title"), LIST_OTHER("text"),
    LIST_OTHER("minutes"),   LIST_OTHER("say"),   LIST_OTHER("safeguarding"),
    LIST_OTHER("questions"), LIST_OTHER("ways"),  LIST_OTHER("services"),
    LIST_OTHER("steps"),
};
static const struct list_shape slides = {{"slides", "show: title", "a slide", "slide"},
                                         LIST_ITEMS(struct pkg_slide, slide_fields, read_slide)};

void load_lesson(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    page->slides = load_list(L, get_list(L, fm, "slides", true, "the front matter"), &slides, NULL,
                             NULL, &page->slide_count);
}

const char *pkg_slide_kind_name(enum pkg_slide_kind k)
{
    return (size_t)k < SLIDE_KIND_COUNT ? slide_kinds[k].name : "?";
}
