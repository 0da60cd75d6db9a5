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

static const struct pkg_character *find_character(const struct pkg_story *s, const char *id)
{
    for (size_t i = 0; i < s->character_count; i++)
        if (s->characters[i].id && strcmp(s->characters[i].id, id) == 0)
            return &s->characters[i];
    return NULL;
}

/* Who a message is from: a character of the story (ctx), or nobody for narration. */
static void read_message(struct loader *L, const struct ynode *map, void *item, const char *subj,
                         void *ctx)
{
    struct pkg_message *m = item;
    const struct pkg_story *story = ctx;
    const char *from = get_text(L, map, "from", false, subj);
    if (!from)
        return;
    m->from = find_character(story, from);
    if (m->from)
        return;
    if (story->character_count == 0) {
        ERR(L, line_of(map, "from"),
            "message from '%s', but the story has no 'characters' to say who that is", from);
        return;
    }
    struct suggest sg;
    suggest_init(&sg, from);
    /* Suggestions cost a comparison per character; a huge cast gets none. */
    for (size_t i = 0; i < story->character_count && story->character_count <= 500; i++)
        suggest_try(&sg, story->characters[i].id);
    if (sg.best)
        ERR(L, line_of(map, "from"),
            "message from '%s', who is not a character in this story; did you mean '%s'?", from,
            sg.best);
    else
        ERR(L, line_of(map, "from"), "message from '%s', who is not a character in this story",
            from);
}

static const struct list_field message_fields[] = {
    LIST_OTHER("from"),
    LIST_NEED(struct pkg_message, "text", text),
};
static const struct list_shape messages = {
    {"messages", "from: alex", "a message", "message"},
    LIST_ITEMS(struct pkg_message, message_fields, read_message)};

/* A choice is where it leads: its line is the line of 'next'. */
static void read_choice(struct loader *L, const struct ynode *map, void *item, const char *subj,
                        void *ctx)
{
    (void)subj;
    (void)ctx;
    struct pkg_choice *c = item;
    c->loc = loader_loc(L, line_of(map, "next"));
}

static const struct list_field choice_fields[] = {
    LIST_NEED(struct pkg_choice, "text", text),
    LIST_NEED(struct pkg_choice, "next", next_id),
};
static const struct list_shape choices = {
    {"choices", "text: Say no", "a choice", "choice"},
    LIST_ITEMS(struct pkg_choice, choice_fields, read_choice)};

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

/* Only one character is the reader; ctx holds the one found so far. */
static void read_character(struct loader *L, const struct ynode *map, void *item, const char *subj,
                           void *ctx)
{
    (void)subj;
    struct pkg_character *c = item;
    const struct pkg_character **me = ctx;
    if (c->me && *me)
        ERR(L, line_of(map, "me"),
            "only one character can be 'me' (the reader), and '%s' already is",
            (*me)->id     ? (*me)->id
            : (*me)->name ? (*me)->name
                          : "another");
    else if (c->me)
        *me = c;
}

static const struct list_field character_fields[] = {
    LIST_ID(struct pkg_character),
    LIST_NEED(struct pkg_character, "name", name),
    LIST_BOOL(struct pkg_character, "me", me),
};
static const struct list_shape characters = {
    {"characters", "id: sam", "a character", "character"},
    LIST_ITEMS(struct pkg_character, character_fields, read_character),
    LIST_OWNED_IDS(ID_CHARACTER)};

/* A step's address on its page, its messages, text, choices and ending; ctx is the page. */
static void read_step(struct loader *L, const struct ynode *map, void *item, const char *subj,
                      void *ctx)
{
    struct pkg_step *s = item;
    struct pkg_page *page = ctx;
    if (s->id && pkg_id_valid(s->id) && pkg_id_valid(page->id))
        note_id(L, ID_ADDRESS, NULL, arena_printf(L->a, "%s-%s", page->id, s->id),
                line_of(map, "id"),
                arena_printf(&L->tmp, "step '%s' of page '%s'", s->id, page->id), page);
    s->messages = load_list(L, get_list(L, map, "messages", false, subj), &messages, NULL,
                            &page->story, &s->message_count);
    s->text = get_text(L, map, "text", false, subj);
    const struct ynode *text = ytree_get(map, "text");
    s->text_line = text ? text->text_line : s->loc.line;
    s->choices = load_list(L, get_list(L, map, "choices", false, subj), &choices, NULL, NULL,
                           &s->choice_count);
    const struct ynode *ending = ytree_get(map, "ending");
    if (ending)
        load_ending(L, s, ending);
    if (s->message_count == 0 && !s->text)
        ERR(L, map->line, "%s is empty: give it 'messages' or 'text'", subj);
}

static const struct list_field step_fields[] = {
    LIST_ID(struct pkg_step), LIST_TEXT(struct pkg_step, "title", title),
    LIST_OTHER("messages"),   LIST_OTHER("text"),
    LIST_OTHER("choices"),    LIST_OTHER("ending"),
};
static const struct list_shape steps = {{"steps", "id: start", "a story step", "step"},
                                        LIST_ITEMS(struct pkg_step, step_fields, read_step),
                                        LIST_IDS(ID_STEP, NULL)};

void load_story(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    struct pkg_story *story = &page->story;
    const struct pkg_character *me = NULL;
    story->characters = load_list(L, get_list(L, fm, "characters", false, "the front matter"),
                                  &characters, page, &me, &story->character_count);
    const struct ynode *list = get_list(L, fm, "steps", true, "the front matter");
    story->steps = load_list(L, list, &steps, NULL, page, &story->step_count);
    /* Choices are resolved once every step is known; check.c reports those that are not. */
    for (size_t i = 0; i < story->step_count; i++)
        for (size_t j = 0; j < story->steps[i].choice_count; j++) {
            struct pkg_choice *c = &story->steps[i].choices[j];
            c->next = c->next_id ? pkg_step(story, c->next_id) : NULL;
        }
}

static const struct list_field question_fields[] = {
    LIST_ID(struct pkg_question),
    LIST_NEED(struct pkg_question, "text", text),
    LIST_TEXT(struct pkg_question, "hint", hint),
};
static const struct list_shape questions = {
    {"questions", "id: q-why-ask", "a question", "question"},
    LIST_ITEMS(struct pkg_question, question_fields, NULL),
    LIST_IDS(ID_QUESTION, NULL)};

static void read_group(struct loader *L, const struct ynode *map, void *item, const char *subj,
                       void *ctx)
{
    (void)ctx;
    struct pkg_question_group *g = item;
    g->questions = load_list(L, get_list(L, map, "questions", true, subj), &questions, NULL, NULL,
                             &g->question_count);
}

static const struct list_field group_fields[] = {
    LIST_ID(struct pkg_question_group),
    LIST_NEED(struct pkg_question_group, "title", title),
    LIST_OTHER("questions"),
};
static const struct list_shape groups = {
    {"groups", "id: why", "a question group", "question group"},
    LIST_ITEMS(struct pkg_question_group, group_fields, read_group),
    LIST_IDS(ID_GROUP, NULL)};

void load_questions(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    page->groups = load_list(L, get_list(L, fm, "groups", true, "the front matter"), &groups, NULL,
                             NULL, &page->group_count);
}

static void read_reply(struct loader *L, const struct ynode *map, void *item, const char *subj,
                       void *ctx)
{
    (void)ctx;
    const struct pkg_reply *r = item;
    if (r->alt && !r->image)
        WARN(L, line_of(map, "alt"), "'alt' describes a picture, but %s has no 'image'", subj);
}

static const struct list_field reply_fields[] = {
    LIST_ID(struct pkg_reply),
    LIST_NEED(struct pkg_reply, "text", text),
    LIST_TEXT(struct pkg_reply, "image", image),
    LIST_TEXT(struct pkg_reply, "alt", alt),
};
static const struct list_shape replies = {{"replies", "id: r-pizza", "a reply", "reply"},
                                          LIST_ITEMS(struct pkg_reply, reply_fields, read_reply),
                                          LIST_IDS(ID_REPLY, NULL)};

static void read_strategy(struct loader *L, const struct ynode *map, void *item, const char *subj,
                          void *ctx)
{
    (void)ctx;
    struct pkg_strategy *s = item;
    s->replies = load_list(L, get_list(L, map, "replies", false, subj), &replies, NULL, NULL,
                           &s->reply_count);
    if (!s->summary && !s->when && !s->how && s->reply_count == 0)
        ERR(L, map->line, "%s says nothing: give it a 'summary', 'when', 'how' or 'replies'", subj);
}

static const struct list_field strategy_fields[] = {
    LIST_ID(struct pkg_strategy),
    LIST_NEED(struct pkg_strategy, "title", title),
    LIST_TEXT(struct pkg_strategy, "summary", summary),
    LIST_TEXT(struct pkg_strategy, "when", when),
    LIST_MARKDOWN(struct pkg_strategy, "how", how, how_line),
    LIST_OTHER("replies"),
};
static const struct list_shape strategies = {
    {"strategies", "id: say-no", "a strategy", "strategy"},
    LIST_ITEMS(struct pkg_strategy, strategy_fields, read_strategy),
    LIST_IDS(ID_STRATEGY, NULL)};

void load_strategies(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    page->strategies = load_list(L, get_list(L, fm, "strategies", true, "the front matter"),
                                 &strategies, NULL, NULL, &page->strategy_count);
}

/* A section's kind, read after its prompt as it always has been. */
static void read_section(struct loader *L, const struct ynode *map, void *item, const char *subj,
                         void *ctx)
{
    (void)ctx;
    struct pkg_plan_section *s = item;
    int k = get_name(L, map, "kind", true, subj, "plan section kind", plan_kind_names,
                     COUNT(plan_kind_names));
    s->kind = k >= 0 ? (enum pkg_plan_kind)k : PLAN_TEXT;
}

static const struct list_field section_fields[] = {
    LIST_ID(struct pkg_plan_section),
    LIST_NEED(struct pkg_plan_section, "title", title),
    LIST_OTHER("kind"),
    LIST_TEXT(struct pkg_plan_section, "prompt", prompt),
};
static const struct list_shape sections = {
    {"sections", "id: my-ways", "a plan section", "plan section"},
    LIST_ITEMS(struct pkg_plan_section, section_fields, read_section),
    LIST_IDS(ID_SECTION, NULL)};

void load_plan(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    page->plan_sections = load_list(L, get_list(L, fm, "sections", true, "the front matter"),
                                    &sections, NULL, NULL, &page->plan_section_count);
}
