/*
 * libFuzzer target for the feedback-form validator: any bytes, decoded as a POST body and
 * checked against a survey with one question of every kind. Whatever is accepted must
 * survive storage encoding and decoding unchanged, and hold only the survey's options and
 * masked, clean text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/form.h"
#include "survey/survey.h"

static struct survey_option scale[] = {
    {{"f", 1}, "c1", "1"}, {{"f", 1}, "c2", "2"}, {{"f", 1}, "c3", "3"},
    {{"f", 1}, "c4", "4"}, {{"f", 1}, "c5", "5"},
};
static struct survey_option topics[] = {{{"f", 1}, "story", "Story"}, {{"f", 1}, "plan", "Plan"}};
static struct survey_question questions[] = {
    {{"f", 1}, "q-sure-end", SURVEY_SCALE, SURVEY_END, "Sure?", scale, 5, 0, NULL},
    {{"f", 1}, "q-topics", SURVEY_MULTI, SURVEY_END, "Topics?", topics, 2, 0, NULL},
    {{"f", 1}, "q-best", SURVEY_SINGLE, SURVEY_END, "Best?", topics, 2, 0, NULL},
    {{"f", 1}, "q-useful", SURVEY_YESNO, SURVEY_END, "Useful?", NULL, 0, 0, NULL},
    {{"f", 1}, "q-comment", SURVEY_TEXT, SURVEY_END, "Comment?", NULL, 0, 40, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct survey sv = {"pkg", "1.0.0", questions, sizeof(questions) / sizeof(questions[0]),
                        NULL,  NULL,    0};
    struct survey_cohort cohort = {"ABCDEFGH", "pkg", "1.0.0", size % 7 != 0};
    /* The same bytes as a stored body, as a damaged database could hold: the reader must
     * refuse or read them, within SURVEY_PIECES_MAX, never past their end. */
    {
        struct survey_decoder raw;
        survey_decoder_init(&raw);
        const struct survey_item *items;
        size_t n;
        if (survey_answer_decode(&raw, (const char *)data, size, &items, &n) == 0 &&
            n > SURVEY_PIECES_MAX(size))
            abort();
        survey_decoder_release(&raw);
    }
    struct arena a = ARENA_INIT;
    struct form f;
    if (form_decode((const char *)data, size, 1 << 16, &a, &f) != FORM_OK)
        goto out;
    struct survey_answer ans;
    struct survey_error err;
    if (survey_validate(&sv, &f, &cohort, &a, &ans, &err) != 0) {
        if (err.message[0] == '\0' || err.kind == SURVEY_E_NONE || ans.item_count != 0)
            abort();
        goto out;
    }
    if (!cohort.open || ans.item_count == 0 || strcmp(ans.code, "ABCDEFGH") != 0)
        abort();
    for (size_t i = 0; i < ans.item_count; i++) {
        const struct survey_item *it = &ans.items[i];
        const struct survey_question *q = survey_question(&sv, it->question_id);
        if (!q || (it->prefer_not && it->value_count))
            abort();
        for (size_t j = 0; j < it->value_count; j++) {
            const char *v = it->values[j];
            if (q->type == SURVEY_TEXT) {
                if (!utf8_valid(v, strlen(v)) || strlen(v) == 0)
                    abort();
                for (const char *p = v; *p; p++)
                    if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
                        abort();
            } else if (survey_option_index(q, v) < 0) {
                abort();
            }
        }
    }
    /* Stored and read back, it is the same answer. */
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    survey_answer_encode(&ans, &b);
    struct survey_decoder d;
    survey_decoder_init(&d);
    const struct survey_item *items;
    size_t n;
    if (!buf_ok(&b) || survey_answer_decode(&d, b.ptr, b.len, &items, &n) != 0 ||
        n != ans.item_count)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i].question_id, ans.items[i].question_id) != 0 ||
            items[i].prefer_not != ans.items[i].prefer_not ||
            items[i].value_count != ans.items[i].value_count)
            abort();
        for (size_t j = 0; j < items[i].value_count; j++)
            if (strcmp(items[i].values[j], ans.items[i].values[j]) != 0)
                abort();
    }
    survey_decoder_release(&d);
    buf_release(&b);
out:
    arena_release(&a);
    return 0;
}
