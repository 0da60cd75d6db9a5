/*
 * A small survey with one question of every kind, for the store, survey and report tests,
 * and helpers that make temporary database paths and answers.
 */
#ifndef PLANPACK_TEST_FIXTURE_SURVEY_H
#define PLANPACK_TEST_FIXTURE_SURVEY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "survey/survey.h"

static struct survey_option fx_scale_opts[] = {
    {{"p", 1}, "c1", "Not at all"}, {{"p", 1}, "c2", "A little"}, {{"p", 1}, "c3", "Somewhat"},
    {{"p", 1}, "c4", "Quite"},      {{"p", 1}, "c5", "Very"},
};
static struct survey_option fx_topic_opts[] = {
    {{"p", 1}, "story", "The story"},
    {{"p", 1}, "replies", "Funny replies"},
    {{"p", 1}, "support", "Where to get help"},
};
static struct survey_option fx_best_opts[] = {
    {{"p", 1}, "story", "The story"},
    {{"p", 1}, "plan", "Making my plan"},
};

static struct survey_question fx_questions[] = {
    {{"p", 1},
     "q-confident-start",
     SURVEY_SCALE,
     SURVEY_START,
     "How confident do you feel about saying no?",
     fx_scale_opts,
     5,
     0,
     NULL},
    {{"p", 1},
     "q-confident-end",
     SURVEY_SCALE,
     SURVEY_END,
     "Now, how confident do you feel about saying no?",
     fx_scale_opts,
     5,
     0,
     NULL},
    {{"p", 1},
     "q-confident-before",
     SURVEY_SCALE,
     SURVEY_RETRO,
     "Looking back, before today how confident was I about saying no?",
     fx_scale_opts,
     5,
     0,
     NULL},
    {{"p", 1},
     "q-topics",
     SURVEY_MULTI,
     SURVEY_END,
     "Which parts helped you?",
     fx_topic_opts,
     3,
     0,
     NULL},
    {{"p", 1}, "q-useful", SURVEY_YESNO, SURVEY_END, "Was the lesson useful?", NULL, 0, 0, NULL},
    {{"p", 1},
     "q-best",
     SURVEY_SINGLE,
     SURVEY_END,
     "Which part was best?",
     fx_best_opts,
     2,
     0,
     "plan"},
    {{"p", 1},
     "q-comment",
     SURVEY_TEXT,
     SURVEY_END,
     "Anything else? Please do not write names.",
     NULL,
     0,
     100,
     NULL},
};

static const char *const fx_changes[] = {"Shorter story, after pupils said it was too long."};

static inline struct survey fx_survey(const char *version)
{
    struct survey sv = {
        .package_id = "sharing-images",
        .package_version = version,
        .questions = fx_questions,
        .count = sizeof(fx_questions) / sizeof(fx_questions[0]),
    };
    if (strcmp(version, "1.1.0") == 0) {
        sv.change_date = "2024-05-01";
        sv.changes = fx_changes;
        sv.change_count = 1;
    }
    return sv;
}

/* A fresh path in a fresh temporary folder; free the result with fx_tmp_free(). */
static inline char *fx_tmp_db(void)
{
    char dir[] = "/tmp/planpack-test-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    size_t n = strlen(dir) + 16;
    char *path = malloc(n);
    snprintf(path, n, "%s/test.db", dir);
    return path;
}

static inline void fx_tmp_free(char *path)
{
    if (!path)
        return;
    char cmd[600];
    char *slash = strrchr(path, '/');
    *slash = '\0';
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
    free(path);
}

/* An answer with a scale value at the end, and optionally a comment. Strings borrowed. */
struct fx_answer {
    struct survey_item items[3];
    const char *vals[3][1];
    struct survey_answer a;
};

static inline void fx_answer_make(struct fx_answer *f, const char *code, const char *version,
                                  const char *end_option, const char *comment)
{
    memset(f, 0, sizeof(*f));
    size_t n = 0;
    if (end_option) {
        f->vals[n][0] = end_option;
        f->items[n] = (struct survey_item){"q-confident-end", false, f->vals[n], 1};
        n++;
    }
    if (comment) {
        f->vals[n][0] = comment;
        f->items[n] = (struct survey_item){"q-comment", false, f->vals[n], 1};
        n++;
    }
    snprintf(f->a.code, sizeof(f->a.code), "%s", code);
    f->a.package_id = "sharing-images";
    f->a.package_version = version;
    f->a.items = f->items;
    f->a.item_count = n;
}

#endif
