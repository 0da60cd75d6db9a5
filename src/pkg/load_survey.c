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

static const char *const survey_keys[] = {"id",      "type",       "when",    "text",
                                          "options", "max_length", "correct", NULL};
static const char *const option_keys[] = {"id", "label", NULL};

static void load_options(struct loader *L, struct survey_question *q, const struct ynode *list)
{
    q->options = alloc_items(L, list, sizeof(*q->options));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "options", "id: c1"))
            continue;
        check_keys(L, item, option_keys, "an option");
        struct survey_option *o = &q->options[q->option_count++];
        o->loc = loader_loc(L, item->line);
        o->id = get_id(L, item, "option", ID_OPTION, q);
        o->label = get_text(L, item, "label", true, subject(L, "option", o->id));
    }
}

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

void load_survey(struct loader *L, struct pkg_page *page, const struct ynode *fm)
{
    const struct ynode *list = get_list(L, fm, "questions", true, "the front matter");
    if (!list)
        return;
    page->survey = alloc_items(L, list, sizeof(*page->survey));
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (!item_is_map(L, item, "questions", "id: q-confident"))
            continue;
        check_keys(L, item, survey_keys, "a survey question");
        struct survey_question *q = &page->survey[page->survey_count++];
        q->loc = loader_loc(L, item->line);
        q->id = get_id(L, item, "survey question", ID_SURVEY, NULL);
        if (q->id && wire_field_reserved(q->id))
            ERR(L, line_of(item, "id"),
                "'%s' is the name of one of the feedback form's own fields, so no question may "
                "have it as its id; choose another, e.g. 'q-%s'",
                q->id, q->id);
        const char *subj = subject(L, "question", q->id);
        q->text = get_text(L, item, "text", true, subj);
        q->when = SURVEY_END;
        const char *when = get_text(L, item, "when", false, subj);
        if (when) {
            int w = find_name(survey_when_names, COUNT(survey_when_names), when);
            if (w >= 0)
                q->when = (enum survey_when)w;
            else
                report_unknown_name(L, line_of(item, "when"), "'when' value", when,
                                    survey_when_names, COUNT(survey_when_names));
        }
        const char *type = get_text(L, item, "type", true, subj);
        bool have_type = false;
        q->type = SURVEY_TEXT;
        if (type) {
            int t = find_name(survey_type_names, COUNT(survey_type_names), type);
            if (t >= 0) {
                q->type = (enum survey_type)t;
                have_type = true;
            } else {
                report_unknown_name(L, line_of(item, "type"), "question type", type,
                                    survey_type_names, COUNT(survey_type_names));
            }
        }
        const struct ynode *options = get_list(L, item, "options", false, subj);
        if (options)
            load_options(L, q, options);
        load_max_length(L, q, item, subj, have_type);
        load_correct(L, q, item, subj, have_type);
        if (!have_type)
            continue;
        int line = options ? options->key_line : item->line;
        switch (q->type) {
        case SURVEY_SCALE:
            if (q->option_count != 5)
                ERR(L, line, "%s is a 'scale' question, so it needs exactly 5 options, not %zu",
                    subj, q->option_count);
            break;
        case SURVEY_SINGLE:
        case SURVEY_MULTI:
            if (q->option_count < 2)
                ERR(L, line, "%s is a '%s' question, so it needs at least 2 options, not %zu", subj,
                    survey_type_names[q->type], q->option_count);
            break;
        case SURVEY_YESNO:
            if (options)
                ERR(L, line,
                    "%s is a 'yesno' question, so it takes no 'options' (yes, no and not sure "
                    "are built in)",
                    subj);
            break;
        case SURVEY_TEXT:
            if (options)
                ERR(L, line, "%s is a 'text' question, so it takes no 'options'", subj);
            break;
        }
    }
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
