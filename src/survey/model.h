/*
 * The survey model: the questions of a package version's feedback survey, their options,
 * types and parts ("when"), with nothing of the package around them.
 *
 * src/pkg loads a survey page into these (and gathers a version's questions with
 * pkg_survey()); src/survey checks pupils' answers against them and writes them as
 * snapshots; src/site renders the form; src/store and src/report read them. This header
 * depends only on src/base and survey/wire.h, so that every one of those stages may include
 * it without seeing the authoring model (pkg/pkg.h).
 *
 * Strings are NUL-terminated UTF-8 borrowed from whoever made the model: a package's arena,
 * or the arena a snapshot was decoded into (survey_decode()).
 */
#ifndef PLANPACK_SURVEY_MODEL_H
#define PLANPACK_SURVEY_MODEL_H

#include <stddef.h>

#include "base/diag.h"
#include "survey/wire.h"

enum survey_type {
    SURVEY_SCALE,  /* 5-point labelled scale: exactly 5 options */
    SURVEY_SINGLE, /* one of the options */
    SURVEY_MULTI,  /* any of the options */
    SURVEY_YESNO,  /* yes / no / not sure (options implied) */
    SURVEY_TEXT,   /* short free text up to max_length bytes */
};

/* When a question is asked; the order of WIRE_WHEN_NAMES. RETRO ("looking back") questions
 * are asked in the end part. */
enum survey_when { SURVEY_START, SURVEY_END, SURVEY_RETRO, SURVEY_LATER };

_Static_assert(SURVEY_TEXT + 1 == WIRE_TYPE_COUNT, "a name in wire.h for every question type");
_Static_assert(SURVEY_LATER + 1 == WIRE_WHEN_COUNT, "a name in wire.h for every survey part");

/* Text answers: max_length counts characters (code points); authors may not go past this. */
#define SURVEY_TEXT_DEFAULT 500
#define SURVEY_TEXT_MAX 2000

/* loc: where an author wrote it (file and line 0 in a decoded snapshot). */
struct survey_option {
    struct diag_loc loc;
    const char *id;
    const char *label;
};

struct survey_question {
    struct diag_loc loc;
    const char *id;
    enum survey_type type;
    enum survey_when when;
    const char *text;
    struct survey_option *options;
    size_t option_count;
    size_t max_length; /* text questions; default SURVEY_TEXT_DEFAULT */
    /* A knowledge item (a single or yes/no question with a right answer): the id of the
     * option that is correct ("yes", "no", or one of its options), so that reports can score
     * it; NULL for every other question. */
    const char *correct;
};

/*
 * One package version's survey. Strings and questions are borrowed: from the package
 * (pkg_survey()) or from the arena a snapshot was decoded into (survey_decode()).
 */
struct survey {
    const char *package_id;
    const char *package_version;
    const struct survey_question *questions; /* in the order the survey asks them */
    size_t count;
    const char *change_date; /* this version's change-log entry, or NULL */
    const char *const *changes;
    size_t change_count;
};

/* The question with this id, or NULL. Borrowed from the survey. */
const struct survey_question *survey_question(const struct survey *sv, const char *id);
/* The position (0-based) of option id in q's options, or -1. yes/no use yes, no, not-sure. */
int survey_option_index(const struct survey_question *q, const char *id);
/* The option ids and labels of a question, with the built-in yes / no / not sure. */
size_t survey_option_count(const struct survey_question *q);
const char *survey_option_id(const struct survey_question *q, size_t i);
const char *survey_option_label(const struct survey_question *q, size_t i);
/* The stored name of a part (wire.h); one out of range reads "end". Static. */
const char *survey_when_name(enum survey_when w);
/* The part a question of this "when" is asked in: its own, but END for RETRO. */
enum survey_when survey_part_of(enum survey_when w);
/* A part's name in a pupil's words ("Before the lesson", ...); RETRO reads as END. Static. */
const char *survey_part_label(enum survey_when part);
/* Stored answers from before parts existed have no part: they read as this. */
#define SURVEY_PART_NONE_LABEL "one sitting"

#endif
