/*
 * The feedback contract on the wire and on disk, in one place: what the feedback form
 * sends (its field names), what a class code is (one grammar, for the form, the lesson
 * slides, the staff pages and the command line), and the names under which question types
 * and survey parts ("when") are written in package files, survey snapshots and reports.
 *
 * This header depends on nothing of planpack's, so that every stage may include it: the
 * renderer that writes the form (src/site), the survey that checks it (src/survey), the
 * store that keeps the codes (src/store) and the server (src/web). A name changed here is
 * a change to stored data and to every package: add, never rename.
 */
#ifndef PLANPACK_SURVEY_WIRE_H
#define PLANPACK_SURVEY_WIRE_H

#include <stddef.h>
#include <string.h>

/* The form field of the class code, and the value "prefer not to say" that any question
 * may send instead of an answer (never an option id). */
#define WIRE_FIELD_CODE "c"
#define WIRE_PREFER_NOT "prefer-not-to-say"
/*
 * The form field (and query parameter) naming the survey part a form belongs to: the stored
 * name of a part ("start", "end" or "later"; see wire_part_index()). A form without it is
 * the one-sitting form of before parts existed: every question, stored with no part.
 */
#define WIRE_FIELD_PART "part"
/*
 * The end and later parts' optional field for the pairing word the pupil was given after the
 * start part (survey/pairing.h); the server keeps it with the answer, normalised, and it is
 * not an answer to a question. On the start form it is ignored.
 */
#define WIRE_FIELD_PAIRING "pairing-word"
/*
 * The form field carrying the language tag of the page the form was on ("en-GB", "cy"), so
 * that reports can be read by language. The server takes only one of the package's
 * languages (its own language, or one it is translated into) and stores it with the
 * answer; a form without it (one made before, or a paper sheet typed in) is stored under
 * the package's own language.
 */
#define WIRE_FIELD_LANG "lang"
/* The longest language tag taken from a form; BCP 47 tags in use are far shorter. */
#define WIRE_LANG_MAX 35

/* Whether name is one of the form's own fields above, which no question id may be. */
static inline int wire_field_reserved(const char *name)
{
    return strcmp(name, WIRE_FIELD_CODE) == 0 || strcmp(name, WIRE_FIELD_PART) == 0 ||
           strcmp(name, WIRE_FIELD_PAIRING) == 0 || strcmp(name, WIRE_FIELD_LANG) == 0;
}

/* Class codes: 8 characters from an alphabet without look-alikes (no 0 O 1 I L U). */
#define WIRE_CODE_LEN 8
#define WIRE_CODE_ALPHABET "ABCDEFGHJKMNPQRSTVWXYZ23456789"
/* The longest text read as a typed class code ("abcd-efgh", "ABCD EFGH"). */
#define WIRE_CODE_INPUT_MAX 64

/*
 * The one class-code grammar: letters in either case from WIRE_CODE_ALPHABET, with spaces
 * and hyphens ignored, exactly WIRE_CODE_LEN of them, in at most WIRE_CODE_INPUT_MAX
 * bytes. Writes the code in capitals to code and returns 0, or returns -1 with code empty.
 */
__attribute__((warn_unused_result)) static inline int wire_code_normalise(const char *in,
                                                                          char *code)
{
    size_t n = 0;
    code[0] = '\0';
    if (!in || strlen(in) > WIRE_CODE_INPUT_MAX)
        return -1;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!strchr(WIRE_CODE_ALPHABET, c) || n == WIRE_CODE_LEN) {
            code[0] = '\0';
            return -1;
        }
        code[n++] = c;
    }
    code[n] = '\0';
    if (n != WIRE_CODE_LEN) {
        code[0] = '\0';
        return -1;
    }
    return 0;
}

/*
 * The stored names of question types and survey parts, in the order of enum survey_type
 * and enum survey_when (survey/model.h, which asserts the counts).
 */
#define WIRE_TYPE_COUNT 5
#define WIRE_WHEN_COUNT 4
#define WIRE_TYPE_NAMES                                                                            \
    {                                                                                              \
        "scale", "single", "multi", "yesno", "text"                                                \
    }
#define WIRE_WHEN_NAMES                                                                            \
    {                                                                                              \
        "start", "end", "retro", "later"                                                           \
    }

/* The name of question type t, or NULL past the last. Static. */
static inline const char *wire_type_name(unsigned t)
{
    static const char *const names[WIRE_TYPE_COUNT] = WIRE_TYPE_NAMES;
    return t < WIRE_TYPE_COUNT ? names[t] : NULL;
}

/* The name of survey part w ("start", "end", "retro", "later"), or NULL past the last. Static. */
static inline const char *wire_when_name(unsigned w)
{
    static const char *const names[WIRE_WHEN_COUNT] = WIRE_WHEN_NAMES;
    return w < WIRE_WHEN_COUNT ? names[w] : NULL;
}

/* The index of a name in one of the lists above, or -1. */
static inline int wire_type_index(const char *name)
{
    for (unsigned i = 0; name && i < WIRE_TYPE_COUNT; i++)
        if (strcmp(wire_type_name(i), name) == 0)
            return (int)i;
    return -1;
}

static inline int wire_when_index(const char *name)
{
    for (unsigned i = 0; name && i < WIRE_WHEN_COUNT; i++)
        if (strcmp(wire_when_name(i), name) == 0)
            return (int)i;
    return -1;
}

/*
 * The parts a pupil answers at their own moments are the "when" values but "retro": start
 * (before the lesson), end (after it, with the "looking back" questions) and later (a
 * follow-up weeks on). The index of a part's name, or -1 for anything else (retro too).
 */
static inline int wire_part_index(const char *name)
{
    int w = wire_when_index(name);
    return w < 0 || (name && strcmp(name, "retro") == 0) ? -1 : w;
}

#endif
