#include "survey/survey.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "survey/json.h"

static const char *const yesno_ids[] = {"yes", "no", "not-sure"};
static const char *const yesno_labels[] = {"Yes", "No", "Not sure"};

const struct survey_question *survey_question(const struct survey *sv, const char *id)
{
    for (size_t i = 0; i < sv->count; i++)
        if (strcmp(sv->questions[i].id, id) == 0)
            return &sv->questions[i];
    return NULL;
}

size_t survey_option_count(const struct survey_question *q)
{
    if (q->type == SURVEY_YESNO)
        return 3;
    if (q->type == SURVEY_TEXT)
        return 0;
    return q->option_count;
}

const char *survey_option_id(const struct survey_question *q, size_t i)
{
    return q->type == SURVEY_YESNO ? yesno_ids[i] : q->options[i].id;
}

const char *survey_option_label(const struct survey_question *q, size_t i)
{
    return q->type == SURVEY_YESNO ? yesno_labels[i] : q->options[i].label;
}

int survey_option_index(const struct survey_question *q, const char *id)
{
    size_t n = survey_option_count(q);
    for (size_t i = 0; i < n; i++)
        if (strcmp(survey_option_id(q, i), id) == 0)
            return (int)i;
    return -1;
}

const char *survey_when_name(enum survey_when w)
{
    const char *name = wire_when_name((unsigned)w);
    return name ? name : "end";
}

enum survey_when survey_part_of(enum survey_when w)
{
    return w == SURVEY_RETRO ? SURVEY_END : w;
}

const char *survey_part_label(enum survey_when part)
{
    switch (survey_part_of(part)) {
    case SURVEY_START:
        return "Before the lesson";
    case SURVEY_LATER:
        return "A few weeks later";
    case SURVEY_END:
    case SURVEY_RETRO:
        break;
    }
    return "After the lesson";
}

void survey_encode(const struct survey *sv, struct buf *out)
{
    buf_adds(out, "{\"package\":");
    json_adds_string(out, sv->package_id ? sv->package_id : "");
    buf_adds(out, ",\"version\":");
    json_adds_string(out, sv->package_version ? sv->package_version : "");
    buf_adds(out, ",\"questions\":[");
    for (size_t i = 0; i < sv->count; i++) {
        const struct survey_question *q = &sv->questions[i];
        buf_adds(out, i ? ",{\"id\":" : "{\"id\":");
        json_adds_string(out, q->id);
        buf_addf(out,
                 ",\"type\":\"%s\",\"when\":\"%s\",\"text\":", wire_type_name((unsigned)q->type),
                 survey_when_name(q->when));
        json_adds_string(out, q->text ? q->text : "");
        if (q->type == SURVEY_TEXT)
            buf_addf(out, ",\"max_length\":%zu", q->max_length);
        if (q->correct) {
            buf_adds(out, ",\"correct\":");
            json_adds_string(out, q->correct);
        }
        if (q->option_count) {
            buf_adds(out, ",\"options\":[");
            for (size_t j = 0; j < q->option_count; j++) {
                buf_adds(out, j ? ",{\"id\":" : "{\"id\":");
                json_adds_string(out, q->options[j].id);
                buf_adds(out, ",\"label\":");
                json_adds_string(out, q->options[j].label ? q->options[j].label : "");
                buf_addc(out, '}');
            }
            buf_addc(out, ']');
        }
        buf_addc(out, '}');
    }
    buf_addc(out, ']');
    if (sv->change_count) {
        buf_adds(out, ",\"change_date\":");
        json_adds_string(out, sv->change_date ? sv->change_date : "");
        buf_adds(out, ",\"changes\":");
        json_adds_strings(out, sv->changes, sv->change_count);
    }
    buf_addc(out, '}');
}

int survey_decode(const char *json, size_t len, struct arena *a, struct survey *out)
{
    memset(out, 0, sizeof(*out));
    struct json_value root;
    if (json_parse(json, len, a, &root) != 0 || root.type != JSON_OBJECT)
        return -1;
    const struct json_value *qs = json_get(&root, "questions");
    out->package_id = json_get_str(&root, "package");
    out->package_version = json_get_str(&root, "version");
    if (!out->package_id || !out->package_version || !qs || qs->type != JSON_ARRAY)
        return -1;
    struct survey_question *q = arena_alloc(a, qs->count * sizeof(*q));
    for (size_t i = 0; i < qs->count; i++) {
        const struct json_value *jq = &qs->items[i];
        const char *type = json_get_str(jq, "type");
        const char *when = json_get_str(jq, "when");
        q[i].id = json_get_str(jq, "id");
        q[i].text = json_get_str(jq, "text");
        int t = wire_type_index(type);
        int w = wire_when_index(when);
        if (!q[i].id || !q[i].text || t < 0)
            return -1;
        q[i].type = (enum survey_type)t;
        q[i].when = w < 0 ? SURVEY_END : (enum survey_when)w;
        const struct json_value *ml = json_get(jq, "max_length");
        /* Only a length an author could have given: a damaged row must not become a
         * conversion out of range. */
        q[i].max_length =
            ml && ml->type == JSON_NUMBER && ml->number >= 1 && ml->number <= SURVEY_TEXT_MAX
                ? (size_t)ml->number
                : SURVEY_TEXT_DEFAULT;
        const struct json_value *opts = json_get(jq, "options");
        if (opts && opts->type == JSON_ARRAY) {
            q[i].options = arena_alloc(a, opts->count * sizeof(*q[i].options));
            q[i].option_count = opts->count;
            for (size_t j = 0; j < opts->count; j++) {
                q[i].options[j].id = json_get_str(&opts->items[j], "id");
                q[i].options[j].label = json_get_str(&opts->items[j], "label");
                if (!q[i].options[j].id || !q[i].options[j].label)
                    return -1;
            }
        }
        /* A right answer that is not one of the question's answers is left out. */
        q[i].correct = json_get_str(jq, "correct");
        if (q[i].correct && survey_option_index(&q[i], q[i].correct) < 0)
            q[i].correct = NULL;
        if ((q[i].type == SURVEY_SCALE || q[i].type == SURVEY_SINGLE ||
             q[i].type == SURVEY_MULTI) &&
            q[i].option_count == 0)
            return -1;
    }
    out->questions = q;
    out->count = qs->count;
    const struct json_value *ch = json_get(&root, "changes");
    if (ch && ch->type == JSON_ARRAY) {
        const char **items = arena_alloc(a, ch->count * sizeof(*items));
        for (size_t i = 0; i < ch->count; i++) {
            if (ch->items[i].type != JSON_STRING)
                return -1;
            items[i] = ch->items[i].str;
        }
        out->changes = items;
        out->change_count = ch->count;
        out->change_date = json_get_str(&root, "change_date");
    }
    return 0;
}

int survey_form_code(const struct form *f, char code[WIRE_CODE_LEN + 1])
{
    const char *v = form_get(f, WIRE_FIELD_CODE);
    code[0] = '\0';
    return wire_code_normalise(v, code);
}

void survey_code_generate(char code[WIRE_CODE_LEN + 1])
{
    const size_t n = sizeof(WIRE_CODE_ALPHABET) - 1;
    for (size_t i = 0; i < WIRE_CODE_LEN; i++)
        code[i] = WIRE_CODE_ALPHABET[randombytes_uniform((uint32_t)n)];
    code[WIRE_CODE_LEN] = '\0';
}

void survey_answer_encode(const struct survey_answer *a, struct buf *out)
{
    buf_addc(out, '{');
    for (size_t i = 0; i < a->item_count; i++) {
        const struct survey_item *it = &a->items[i];
        if (i)
            buf_addc(out, ',');
        json_adds_string(out, it->question_id);
        buf_addc(out, ':');
        if (it->prefer_not) {
            buf_adds(out, "null");
        } else if (it->value_count == 1) {
            json_adds_string(out, it->values[0]);
        } else {
            json_adds_strings(out, it->values, it->value_count);
        }
    }
    buf_addc(out, '}');
}

void survey_decoder_init(struct survey_decoder *d)
{
    memset(d, 0, sizeof(*d));
    buf_init(&d->text, 1 << 20);
}

void survey_decoder_release(struct survey_decoder *d)
{
    if (!d)
        return;
    buf_release(&d->text);
    free(d->offsets);
    free(d->items);
    free(d->first);
    free(d->values);
    free(d->pieces);
    memset(d, 0, sizeof(*d));
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

/* ---- the reader of stored answers ---- */

/*
 * Finds the string whose opening quote is at *pp and advances past its closing quote: the
 * first quote not escaped, that is, not after an odd run of backslashes.
 */
static inline __attribute__((always_inline)) int piece_string(const char **pp, const char *end,
                                                              struct survey_piece *out)
{
    const char *p = *pp;
    if (p >= end || *p != '"')
        return -1;
    const char *start = p + 1;
    for (const char *from = start;;) {
        const char *q = memchr(from, '"', (size_t)(end - from));
        if (!q)
            return -1;
        const char *b = q;
        while (b > start && b[-1] == '\\')
            b--;
        if (((q - b) & 1) == 0) {
            out->str = start;
            out->len = (size_t)(q - start);
            *pp = q + 1;
            return 0;
        }
        from = q + 1;
    }
}

/*
 * One pass over the object, a member at a time: "id" : (null | "value" | [ "value", ... ]).
 * Each piece takes at least three bytes of the body ("",), hence SURVEY_PIECES_MAX.
 */
/*
 * After an item of a list that close ends (']' or '}'): 1 past a ',' and the white space
 * after it (another item follows), 0 past close (the list has ended), -1 for anything else.
 */
static int list_next(const char **p, const char *end, char close)
{
    const char *q = skip_ws(*p, end);
    if (q < end && *q == ',') {
        *p = skip_ws(q + 1, end);
        return 1;
    }
    if (q < end && *q == close) {
        *p = q + 1;
        return 0;
    }
    return -1;
}

int survey_answer_pieces(const char *body, size_t len, struct survey_piece *out, size_t *count)
{
    const char *p = body, *end = body + len;
    size_t n = 0;
    *count = 0;
    p = skip_ws(p, end);
    if (p >= end || *p++ != '{')
        return -1;
    p = skip_ws(p, end);
    if (p < end && *p == '}') {
        p++;
    } else {
        for (;;) {
            struct survey_piece *key = &out[n++];
            if (piece_string(&p, end, key) != 0)
                return -1;
            key->kind = SURVEY_PIECE_QUESTION;
            p = skip_ws(p, end);
            if (p >= end || *p++ != ':')
                return -1;
            p = skip_ws(p, end);
            if (p < end && *p == 'n') {
                if (end - p < 4 || memcmp(p, "null", 4) != 0)
                    return -1;
                p += 4;
                out[n++] = (struct survey_piece){NULL, 0, SURVEY_PIECE_PREFER_NOT};
            } else if (p < end && *p == '[') {
                p = skip_ws(p + 1, end);
                if (p < end && *p == ']') {
                    p++;
                } else {
                    for (;;) {
                        if (piece_string(&p, end, &out[n]) != 0)
                            return -1;
                        out[n++].kind = SURVEY_PIECE_VALUE;
                        int more = list_next(&p, end, ']');
                        if (more < 0)
                            return -1;
                        if (!more)
                            break;
                    }
                }
            } else {
                if (piece_string(&p, end, &out[n]) != 0)
                    return -1;
                out[n++].kind = SURVEY_PIECE_VALUE;
            }
            int more = list_next(&p, end, '}');
            if (more < 0)
                return -1;
            if (!more)
                break;
        }
    }
    if (skip_ws(p, end) != end)
        return -1;
    *count = n;
    return 0;
}

int survey_piece_text(const struct survey_piece *pc, struct buf *out)
{
    if (!pc->str)
        return -1;
    /* The piece lies between its quotes in the body, so they may be read back. */
    const char *p = pc->str - 1;
    return json_read_string(&p, pc->str + pc->len + 1, out);
}

bool survey_piece_escaped(const struct survey_piece *pc)
{
    return pc->str && memchr(pc->str, '\\', pc->len) != NULL;
}

/* ---- decoding whole answers ---- */

/* Strings are unescaped into d->text, which may move; their offsets are kept until the end. */
static int read_str(struct survey_decoder *d, const struct survey_piece *pc, size_t *nstr)
{
    XGROW(d->offsets, d->offsets_cap, *nstr + 1);
    d->offsets[(*nstr)++] = d->text.len;
    if (survey_piece_text(pc, &d->text) != 0)
        return -1;
    buf_addc(&d->text, '\0');
    return 0;
}

int survey_answer_decode(struct survey_decoder *d, const char *body, size_t len,
                         const struct survey_item **items, size_t *count)
{
    size_t nitems = 0, nstr = 0, npieces;
    buf_reset(&d->text);
    *items = NULL;
    *count = 0;
    XGROW(d->pieces, d->pieces_cap, SURVEY_PIECES_MAX(len));
    if (survey_answer_pieces(body, len, d->pieces, &npieces) != 0)
        return -1;
    for (size_t i = 0; i < npieces; i++) {
        const struct survey_piece *pc = &d->pieces[i];
        if (pc->kind == SURVEY_PIECE_QUESTION) {
            XGROW(d->items, d->items_cap, nitems + 1);
            XGROW(d->first, d->first_cap, nitems + 1);
            memset(&d->items[nitems], 0, sizeof(d->items[nitems]));
            /* Strings are placed once all are read (d->text may move): note where. */
            d->first[nitems++] = nstr;
            if (read_str(d, pc, &nstr) != 0)
                return -1;
        } else if (pc->kind == SURVEY_PIECE_PREFER_NOT) {
            d->items[nitems - 1].prefer_not = true;
        } else {
            if (read_str(d, pc, &nstr) != 0)
                return -1;
            d->items[nitems - 1].value_count++;
        }
    }
    if (!buf_ok(&d->text))
        return -1;
    XGROW(d->values, d->values_cap, nstr + 1);
    for (size_t i = 0; i < nstr; i++)
        d->values[i] = d->text.ptr + d->offsets[i];
    for (size_t i = 0; i < nitems; i++) {
        struct survey_item *it = &d->items[i];
        it->question_id = d->values[d->first[i]];
        it->values = it->prefer_not ? NULL : &d->values[d->first[i] + 1];
    }
    *items = d->items;
    *count = nitems;
    return 0;
}
