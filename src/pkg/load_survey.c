/*
 * A survey page's questions, loaded into the survey model (survey/model.h), and
 * pkg_survey(), which gathers a package version's survey for the store and the reports.
 */
#include "pkg/loader.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"

static const char *const survey_type_names[WIRE_TYPE_COUNT] = WIRE_TYPE_NAMES;
static const char *const survey_when_names[WIRE_WHEN_COUNT] = WIRE_WHEN_NAMES;

static const struct list_field option_fields[] = {
    LIST_ID(struct survey_option),
    LIST_NEED(struct survey_option, "label", label),
};
static const struct list_shape options = {{"options", "id: c1", "an option", "option"},
                                          LIST_ITEMS(struct survey_option, option_fields, NULL),
                                          LIST_OWNED_IDS(ID_OPTION)};

/*
 * `correct: ID` makes a single or yes/no question a knowledge item, with ID its right answer:
 * "yes" or "no" (never "not sure"), or one of its options.
 */
static void load_correct(struct loader *L, struct survey_question *q, const struct ynode *item,
                         const char *subj, bool have_type)
{
    const char *id = get_text(L, item, "correct", false, subj);
    if (!id || !have_type)
        return;
    int line = line_of(item, "correct");
    if (q->type != SURVEY_SINGLE && q->type != SURVEY_YESNO) {
        ERR(L, line,
            "'correct' is only for 'single' and 'yesno' questions (knowledge items), and %s is "
            "a '%s' question",
            subj, survey_type_names[q->type]);
        return;
    }
    if (q->type == SURVEY_YESNO) {
        if (strcmp(id, "yes") != 0 && strcmp(id, "no") != 0) {
            ERR(L, line, "'correct' of %s should be 'yes' or 'no', not '%s'", subj, id);
            return;
        }
        q->correct = id;
        return;
    }
    for (size_t i = 0; i < q->option_count; i++)
        if (q->options[i].id && strcmp(q->options[i].id, id) == 0)
            q->correct = id;
    if (!q->correct)
        ERR(L, line, "'correct' of %s should be the id of one of its options, not '%s'", subj, id);
}

static void load_max_length(struct loader *L, struct survey_question *q, const struct ynode *item,
                            const char *subj, bool have_type)
{
    const struct ynode *v = ytree_get(item, "max_length");
    q->max_length = q->type == SURVEY_TEXT ? SURVEY_TEXT_DEFAULT : 0;
    if (!v)
        return;
    if (have_type && q->type != SURVEY_TEXT) {
        ERR(L, v->line, "'max_length' is only for 'text' questions, and %s is a '%s' question",
            subj, survey_type_names[q->type]);
        return;
    }
    long n = 0;
    char *end = NULL;
    if (v->kind == YNODE_SCALAR && v->len > 0 && v->len < 8)
        n = strtol(v->str, &end, 10);
    if (!end || *end != '\0' || n < 1 || n > SURVEY_TEXT_MAX) {
        ERR(L, v->line, "'max_length' should be a whole number from 1 to %d", SURVEY_TEXT_MAX);
        return;
    }
    q->max_length = (size_t)n;
}

/* What a question's type asks of its options. */
static void check_options(struct loader *L, const struct survey_question *q, const char *subj,
                          int line, bool has_options)
{
    switch (q->type) {
    case SURVEY_SCALE:
        if (q->option_count != 5)
            ERR(L, line, "%s is a 'scale' question, so it needs exactly 5 options, not %zu", subj,
                q->option_count);
        break;
    case SURVEY_SINGLE:
    case SURVEY_MULTI:
        if (q->option_count < 2)
            ERR(L, line, "%s is a '%s' question, so it needs at least 2 options, not %zu", subj,
                survey_type_names[q->type], q->option_count);
        break;
    case SURVEY_YESNO:
        if (has_options)
            ERR(L, line,
                "%s is a 'yesno' question, so it takes no 'options' (yes, no and not sure "
                "are built in)",
                subj);
        break;
    case SURVEY_TEXT:
        if (has_options)
            ERR(L, line, "%s is a 'text' question, so it takes no 'options'", subj);
        break;
    }
}

/* Everything but the id, in the order that puts a reserved id's message first. */
static void read_question(struct loader *L, const struct ynode *map, void *item, const char *subj,
                          void *ctx)
{
    (void)ctx;
    struct survey_question *q = item;
    if (q->id && wire_field_reserved(q->id))
        ERR(L, line_of(map, "id"),
            "'%s' is the name of one of the feedback form's own fields, so no question may "
            "have it as its id; choose another, e.g. 'q-%s'",
            q->id, q->id);
    q->text = get_text(L, map, "text", true, subj);
    int w = get_name(L, map, "when", false, subj, "'when' value", survey_when_names,
                     COUNT(survey_when_names));
    q->when = w >= 0 ? (enum survey_when)w : SURVEY_END;
    int t = get_name(L, map, "type", true, subj, "question type", survey_type_names,
                     COUNT(survey_type_names));
    bool have_type = t >= 0;
    q->type = have_type ? (enum survey_type)t : SURVEY_TEXT;
    const struct ynode *list = get_list(L, map, "options", false, subj);
    q->options = load_list(L, list, &options, q, NULL, &q->option_count);
    load_max_length(L, q, map, subj, have_type);
    load_correct(L, q, map, subj, have_type);
    if (have_type)
        check_options(L, q, subj, list ? list->key_line : map->line, list != NULL);
}

static const struct list_field question_fields[] = {
    LIST_ID(struct survey_question),
    LIST_OTHER("type"),
    LIST_OTHER("when"),
    LIST_OTHER("text"),
    LIST_OTHER("options"),
    LIST_OTHER("max_length"),
    LIST_OTHER("correct"),
};
static const struct list_shape questions = {
    {"questions", "id: q-confident", "a survey question", "question"},
    LIST_ITEMS(struct survey_question, question_fields, read_question),
    LIST_IDS(ID_SURVEY, "survey question")};

void load_survey(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    page->survey = load_list(L, get_list(L, fm, "questions", true, "the front matter"), &questions,
                             NULL, NULL, &page->survey_count);
}

const char *pkg_survey_type_name(enum survey_type t)
{
    return (size_t)t < COUNT(survey_type_names) ? survey_type_names[t] : "?";
}

void pkg_survey(const struct pkg *p, struct arena *a, struct survey *out)
{
    memset(out, 0, sizeof(*out));
    out->package_id = p->id;
    out->package_version = p->version;
    size_t n = 0;
    for (size_t i = 0; i < p->page_count; i++)
        if (p->pages[i].kind == PAGE_SURVEY)
            n += p->pages[i].survey_count;
    struct survey_question *qs = arena_alloc(a, n * sizeof(*qs));
    size_t k = 0;
    for (size_t i = 0; i < p->page_count; i++) {
        const struct pkg_page *pg = &p->pages[i];
        if (pg->kind != PAGE_SURVEY)
            continue;
        for (size_t j = 0; j < pg->survey_count; j++)
            qs[k++] = pg->survey[j];
    }
    out->questions = qs;
    out->count = n;
    for (size_t i = 0; i < p->change_count; i++) {
        const struct pkg_change *c = &p->changes[i];
        if (c->version && p->version && strcmp(c->version, p->version) == 0) {
            out->change_date = c->date;
            out->changes = c->items;
            out->change_count = c->item_count;
            break;
        }
    }
}
