/*
 * What story, questions, strategies and plan pages add to the front matter: the story's
 * characters and steps, question groups, ways to handle a request with their replies, and
 * the plan's sections.
 */
#include "pkg/loader.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

static const char *const plan_kind_names[] = {"strategies", "replies",  "words",
                                              "adults",     "contacts", "text"};

_Static_assert(COUNT(plan_kind_names) == PLAN_TEXT + 1, "a name for every plan section kind");

static const char *const character_keys[] = {"id", "name", "me", NULL};
static const char *const step_keys[] = {"id",      "title",  "messages", "text",
                                        "choices", "ending", NULL};
static const char *const message_keys[] = {"from", "text", NULL};
static const char *const choice_keys[] = {"text", "next", NULL};
static const char *const group_keys[] = {"id", "title", "questions", NULL};
static const char *const question_keys[] = {"id", "text", "hint", NULL};
static const char *const strategy_keys[] = {"id",  "title",   "summary", "when",
                                            "how", "replies", NULL};
static const char *const reply_keys[] = {"id", "text", "image", "alt", NULL};
static const char *const section_keys[] = {"id", "title", "kind", "prompt", NULL};

static const struct pkg_character *find_character(const struct pkg_story *s, const char *id)
{
    for (size_t i = 0; i < s->character_count; i++)
        if (s->characters[i].id && strcmp(s->characters[i].id, id) == 0)
            return &s->characters[i];
    return NULL;
}

static void load_messages(struct loader *L, struct pkg_step *step, const struct pkg_story *story,
                          const struct ynode *list)
{
    step->messages = alloc_items(L, list, sizeof(*step->messages));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "messages", "from: alex"))
            continue;
        check_keys(L, item, message_keys, "a message");
        struct pkg_message *m = &step->messages[step->message_count++];
        m->loc = loader_loc(L, item->line);
        m->text = get_text(L, item, "text", true, "a message");
        const char *from = get_text(L, item, "from", false, "a message");
        if (!from)
            continue;
        m->from = find_character(story, from);
        if (m->from)
            continue;
        if (story->character_count == 0) {
            ERR(L, line_of(item, "from"),
                "message from '%s', but the story has no 'characters' to say who that is", from);
            continue;
        }
        struct suggest sg;
        suggest_init(&sg, from);
        /* Suggestions cost a comparison per character; a huge cast gets none. */
        for (size_t i = 0; i < story->character_count && story->character_count <= 500; i++)
            suggest_try(&sg, story->characters[i].id);
        if (sg.best)
            ERR(L, line_of(item, "from"),
                "message from '%s', who is not a character in this story; did you mean '%s'?", from,
                sg.best);
        else
            ERR(L, line_of(item, "from"), "message from '%s', who is not a character in this story",
                from);
    }
}

static void load_choices(struct loader *L, struct pkg_step *step, const struct ynode *list)
{
    step->choices = alloc_items(L, list, sizeof(*step->choices));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "choices", "text: Say no"))
            continue;
        check_keys(L, item, choice_keys, "a choice");
        struct pkg_choice *c = &step->choices[step->choice_count++];
        c->loc = loader_loc(L, line_of(item, "next"));
        c->text = get_text(L, item, "text", true, "a choice");
        c->next_id = get_text(L, item, "next", true, "a choice");
    }
}

static void load_ending(struct loader *L, struct pkg_step *step, const struct ynode *v)
{
    if (v->kind != YNODE_SCALAR) {
        ERR(L, v->line, "'ending' should be the ending's title, not %s", ytree_kind_name(v));
        return;
    }
    if (v->plain && (strcasecmp(v->str, "false") == 0 || strcasecmp(v->str, "no") == 0))
        return;
    step->ending = true;
    if (scalar_blank(v) ||
        (v->plain && (strcasecmp(v->str, "true") == 0 || strcasecmp(v->str, "yes") == 0)))
        return;
    step->ending_title = arena_strndup(L->a, v->str, v->len);
}

void load_story(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                const struct ynode *fm)
{
    struct pkg_story *story = &page->story;
    const struct ynode *chars = get_list(L, fm, "characters", false, "the front matter");
    if (chars) {
        story->characters = alloc_items(L, chars, sizeof(*story->characters));
        const struct pkg_character *me = NULL;
        for (const struct ynode *item = chars->first; item; item = item->next) {
            if (!item_is_map(L, item, "characters", "id: sam"))
                continue;
            check_keys(L, item, character_keys, "a character");
            struct pkg_character *c = &story->characters[story->character_count++];
            c->loc = loader_loc(L, item->line);
            c->id = get_id(L, item, "character", ID_CHARACTER, page);
            c->name = get_text(L, item, "name", true, subject(L, "character", c->id));
            c->me = get_bool(L, item, "me");
            if (c->me && me)
                ERR(L, line_of(item, "me"),
                    "only one character can be 'me' (the reader), and '%s' already is",
                    me->id     ? me->id
                    : me->name ? me->name
                               : "another");
            else if (c->me)
                me = c;
        }
    }
    const struct ynode *steps = get_list(L, fm, "steps", true, "the front matter");
    const struct ynode *steps_member = ytree_get(fm, "steps");
    note->steps_line = steps_member ? steps_member->key_line : fm->line;
    if (!steps)
        return;
    story->steps = alloc_items(L, steps, sizeof(*story->steps));
    for (const struct ynode *item = steps->first; item; item = item->next) {
        if (!item_is_map(L, item, "steps", "id: start"))
            continue;
        check_keys(L, item, step_keys, "a story step");
        struct pkg_step *s = &story->steps[story->step_count++];
        s->loc = loader_loc(L, item->line);
        s->id = get_id(L, item, "step", ID_STEP, NULL);
        if (s->id && pkg_id_valid(s->id) && pkg_id_valid(page->id))
            note_id(L, ID_ADDRESS, NULL, arena_printf(L->a, "%s-%s", page->id, s->id),
                    line_of(item, "id"),
                    arena_printf(&L->tmp, "step '%s' of page '%s'", s->id, page->id), page);
        const char *subj = subject(L, "step", s->id);
        s->title = get_text(L, item, "title", false, subj);
        const struct ynode *messages = get_list(L, item, "messages", false, subj);
        if (messages)
            load_messages(L, s, story, messages);
        s->text = get_text(L, item, "text", false, subj);
        const struct ynode *text = ytree_get(item, "text");
        s->text_line = text ? text->text_line : s->loc.line;
        const struct ynode *choices = get_list(L, item, "choices", false, subj);
        if (choices)
            load_choices(L, s, choices);
        const struct ynode *ending = ytree_get(item, "ending");
        if (ending)
            load_ending(L, s, ending);
        if (s->message_count == 0 && !s->text)
            ERR(L, item->line, "%s is empty: give it 'messages' or 'text'", subj);
    }
    /* Choices are resolved once every step is known; check.c reports those that are not. */
    for (size_t i = 0; i < story->step_count; i++)
        for (size_t j = 0; j < story->steps[i].choice_count; j++) {
            struct pkg_choice *c = &story->steps[i].choices[j];
            c->next = c->next_id ? pkg_step(story, c->next_id) : NULL;
        }
}

void load_questions(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *groups = get_list(L, fm, "groups", true, "the front matter");
    if (!groups)
        return;
    page->groups = alloc_items(L, groups, sizeof(*page->groups));
    for (const struct ynode *item = groups->first; item; item = item->next) {
        if (!item_is_map(L, item, "groups", "id: why"))
            continue;
        check_keys(L, item, group_keys, "a question group");
        struct pkg_question_group *g = &page->groups[page->group_count++];
        g->loc = loader_loc(L, item->line);
        g->id = get_id(L, item, "question group", ID_GROUP, NULL);
        const char *subj = subject(L, "question group", g->id);
        g->title = get_text(L, item, "title", true, subj);
        const struct ynode *qs = get_list(L, item, "questions", true, subj);
        if (!qs)
            continue;
        g->questions = alloc_items(L, qs, sizeof(*g->questions));
        for (const struct ynode *qi = qs->first; qi; qi = qi->next) {
            if (!item_is_map(L, qi, "questions", "id: q-why-ask"))
                continue;
            check_keys(L, qi, question_keys, "a question");
            struct pkg_question *q = &g->questions[g->question_count++];
            q->loc = loader_loc(L, qi->line);
            q->id = get_id(L, qi, "question", ID_QUESTION, NULL);
            const char *qsubj = subject(L, "question", q->id);
            q->text = get_text(L, qi, "text", true, qsubj);
            q->hint = get_text(L, qi, "hint", false, qsubj);
        }
    }
}

static void load_replies(struct loader *L, struct pkg_strategy *s, const struct ynode *list)
{
    s->replies = alloc_items(L, list, sizeof(*s->replies));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "replies", "id: r-pizza"))
            continue;
        check_keys(L, item, reply_keys, "a reply");
        struct pkg_reply *r = &s->replies[s->reply_count++];
        r->loc = loader_loc(L, item->line);
        r->id = get_id(L, item, "reply", ID_REPLY, NULL);
        const char *subj = subject(L, "reply", r->id);
        r->text = get_text(L, item, "text", true, subj);
        r->image = get_text(L, item, "image", false, subj);
        r->alt = get_text(L, item, "alt", false, subj);
        if (r->alt && !r->image)
            WARN(L, line_of(item, "alt"), "'alt' describes a picture, but %s has no 'image'", subj);
    }
}

void load_strategies(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "strategies", true, "the front matter");
    if (!list)
        return;
    page->strategies = alloc_items(L, list, sizeof(*page->strategies));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "strategies", "id: say-no"))
            continue;
        check_keys(L, item, strategy_keys, "a strategy");
        struct pkg_strategy *s = &page->strategies[page->strategy_count++];
        s->loc = loader_loc(L, item->line);
        s->id = get_id(L, item, "strategy", ID_STRATEGY, NULL);
        const char *subj = subject(L, "strategy", s->id);
        s->title = get_text(L, item, "title", true, subj);
        s->summary = get_text(L, item, "summary", false, subj);
        s->when = get_text(L, item, "when", false, subj);
        s->how = get_text(L, item, "how", false, subj);
        const struct ynode *how = ytree_get(item, "how");
        s->how_line = how ? how->text_line : s->loc.line;
        const struct ynode *replies = get_list(L, item, "replies", false, subj);
        if (replies)
            load_replies(L, s, replies);
        if (!s->summary && !s->when && !s->how && s->reply_count == 0)
            ERR(L, item->line, "%s says nothing: give it a 'summary', 'when', 'how' or 'replies'",
                subj);
    }
}

void load_plan(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "sections", true, "the front matter");
    if (!list)
        return;
    page->plan_sections = alloc_items(L, list, sizeof(*page->plan_sections));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "sections", "id: my-ways"))
            continue;
        check_keys(L, item, section_keys, "a plan section");
        struct pkg_plan_section *s = &page->plan_sections[page->plan_section_count++];
        s->loc = loader_loc(L, item->line);
        s->id = get_id(L, item, "plan section", ID_SECTION, NULL);
        const char *subj = subject(L, "plan section", s->id);
        s->title = get_text(L, item, "title", true, subj);
        s->prompt = get_text(L, item, "prompt", false, subj);
        const char *kind = get_text(L, item, "kind", true, subj);
        s->kind = PLAN_TEXT;
        if (kind) {
            int k = find_name(plan_kind_names, COUNT(plan_kind_names), kind);
            if (k >= 0)
                s->kind = (enum pkg_plan_kind)k;
            else
                report_unknown_name(L, line_of(item, "kind"), "plan section kind", kind,
                                    plan_kind_names, COUNT(plan_kind_names));
        }
    }
}
