/*
 * The feedback survey: what a pupil may answer, checked against the survey of the package
 * version their class code belongs to, before anything reaches the store.
 *
 * The form contract (for the page that renders the survey and the handler of POST /feedback):
 *   c=CODE                 the class code (WIRE_FIELD_CODE); letters may be lower case and
 *                          spaces or hyphens are ignored ("abcd-efgh")
 *   part=PART              the survey part the form shows (WIRE_FIELD_PART): start, end or
 *                          later; every question answered must be of that part. Without
 *                          it, any question may be answered and the answer has no part
 *                          (the one-sitting form of before parts).
 *   QUESTION-ID=OPTION-ID  scale and single questions: one option id
 *   QUESTION-ID=yes|no|not-sure   yes/no questions
 *   QUESTION-ID=OPTION-ID  multi questions: the field repeated once per ticked option
 *   QUESTION-ID=TEXT       text questions
 *   QUESTION-ID=prefer-not-to-say (WIRE_PREFER_NOT) for "prefer not to say" on any question
 * An empty value, or no field at all, means the question was left unanswered. Any other
 * field name is refused as an unknown question, so the form must not name its buttons.
 *
 * Nothing here identifies a pupil: an answer holds the class code, the package version and
 * the answers themselves. Free text has e-mail addresses and phone numbers masked.
 */
#ifndef PLANPACK_SURVEY_H
#define PLANPACK_SURVEY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/form.h"
#include "survey/model.h"

/* Field names, the class-code grammar and the stored names of types and parts. */
#include "survey/wire.h"

#define SURVEY_MASK_EMAIL "[email removed]"
#define SURVEY_MASK_PHONE "[phone number removed]"

/*
 * A survey as JSON, so that stored answers of any version can be labelled and scored
 * after the package has moved on. survey_decode() allocates everything in a; it returns 0,
 * or -1 when the text is not a snapshot written by survey_encode().
 */
void survey_encode(const struct survey *sv, struct buf *out);
__attribute__((warn_unused_result)) int survey_decode(const char *json, size_t len, struct arena *a,
                                                      struct survey *out);

/* One answered question. prefer_not: the pupil chose "prefer not to say" (values empty). */
struct survey_item {
    const char *question_id;
    bool prefer_not;
    const char *const *values; /* option ids, or the masked text of a text question */
    size_t value_count;
};

/* A validated answer, ready for store_submit(). Borrowed from the survey and the arena. */
struct survey_answer {
    char code[WIRE_CODE_LEN + 1];
    const char *package_id;
    const char *package_version;
    const struct survey_item *items; /* answered questions only, in survey order */
    size_t item_count;
    /* The version of the package the server was serving, which the pupil saw; set by the
     * server after survey_validate() (NULL: package_version, the class's). */
    const char *served_version;
    /* The pairing word (survey/pairing.h), normalised: drawn by the server for a start
     * answer (pairing_word_drawn), or typed by the pupil with an end or later answer; NULL: none.
     * Set by the server after survey_validate(); it never leaves the store. */
    const char *pairing_word;
    bool pairing_word_drawn;
    /* The survey part answered, by its stored name ("start", "end", "later"; static), or
     * NULL for an answer to the one-sitting form. */
    const char *part;
    /* The language tag of the page the answer was given on (WIRE_FIELD_LANG), checked by
     * the server against the package's languages after survey_validate(); NULL: not known. */
    const char *language;
};

/* What the store knows about the class code the form names (NULL when it has no such code). */
struct survey_cohort {
    const char *code;
    const char *package_id;
    const char *package_version;
    bool open;
};

enum survey_error_kind {
    SURVEY_E_NONE = 0,
    SURVEY_E_CODE_MISSING, /* no class code in the form */
    SURVEY_E_CODE_UNKNOWN, /* not a code the store knows */
    SURVEY_E_CODE_CLOSED,  /* the class's feedback has been closed */
    SURVEY_E_CODE_VERSION, /* the code belongs to another package or version */
    SURVEY_E_UNKNOWN_QUESTION,
    SURVEY_E_BAD_OPTION,        /* not one of the question's options */
    SURVEY_E_TOO_MANY,          /* more than one answer to a one-answer question */
    SURVEY_E_TOO_LONG,          /* text over max_length */
    SURVEY_E_BAD_TEXT,          /* invalid UTF-8 or a NUL */
    SURVEY_E_PREFER_AND_OPTION, /* "prefer not to say" ticked with options */
    SURVEY_E_EMPTY,             /* nothing answered */
    SURVEY_E_BAD_PART,          /* a part that is not start, end or later */
    SURVEY_E_OTHER_PART,        /* a question of another part than the form's */
};

/* The most values a problem carries (the question, a count, a limit). */
#define SURVEY_PROBLEM_VALUES 3

/*
 * A problem with a submitted form, in plain English for the pupil, naming the question.
 * kind is its stable id: a pupil's page words it from kind and the values in arg (the
 * question, the class code, a count, the name of a part: "" where the message has none).
 */
struct survey_problem {
    enum survey_error_kind kind;
    const char *question_id; /* the question concerned, or NULL; borrowed from the survey */
    char message[320];
    char arg[SURVEY_PROBLEM_VALUES][320];
};

/* The most problems one refused form reports; later ones are left for the next try. */
#define SURVEY_PROBLEMS_MAX 8

/*
 * Every problem found in a refused form, in the order of the form (the class code first,
 * then the questions in survey order, then "nothing answered"), so that each can be shown
 * beside its field. kind, question_id and message repeat the first, for a caller that
 * shows one.
 */
struct survey_error {
    enum survey_error_kind kind;
    const char *question_id;
    char message[320];
    size_t count;
    struct survey_problem problems[SURVEY_PROBLEMS_MAX];
};

/* Reads and normalises the form's class code. Returns 0, or -1 when absent or malformed. */
__attribute__((warn_unused_result)) int survey_form_code(const struct form *f,
                                                         char code[WIRE_CODE_LEN + 1]);
/* A new random code from libsodium (which must be initialised). */
void survey_code_generate(char code[WIRE_CODE_LEN + 1]);

/*
 * Checks every field of f against sv and the cohort its code names (NULL: unknown code).
 * On success fills out (strings in a, texts cleaned and masked) and returns 0. Otherwise
 * returns -1 with err filled and out empty: the caller stores nothing and shows the
 * messages. A bad class code does not stop the questions being checked against sv, so a
 * caller that knows no survey for the code passes the one the form was made from.
 */
__attribute__((warn_unused_result)) int
survey_validate(const struct survey *sv, const struct form *f, const struct survey_cohort *cohort,
                struct arena *a, struct survey_answer *out, struct survey_error *err);

/*
 * Free text as stored: leading and trailing white space trimmed, CR LF as LF, other control
 * characters (C0 but tab and LF, DEL, and C1: U+0080 to U+009F) dropped, then e-mail
 * addresses and phone numbers (UK and international forms) replaced by SURVEY_MASK_EMAIL
 * and SURVEY_MASK_PHONE. Appends to out; returns how many addresses and numbers were
 * masked.
 */
size_t survey_clean_text(const char *in, size_t len, struct buf *out);
/* Only the masking step of survey_clean_text(). */
size_t survey_mask(const char *in, size_t len, struct buf *out);

/*
 * Stored form of an answer: a JSON object from question id to an option id or text (one
 * answer), an array of option ids (multi) or null (prefer not to say). Code and version
 * are stored beside it, not in it.
 */
void survey_answer_encode(const struct survey_answer *a, struct buf *out);

/*
 * Reads a stored answer in place, allocating nothing: the one reader of answer bodies, under
 * survey_answer_decode() and the report's single pass over every row. The pieces of
 * {"q-a":"x","q-b":["y","z"],"q-c":null} are QUESTION q-a, VALUE x, QUESTION q-b, VALUE y,
 * VALUE z, QUESTION q-c, PREFER_NOT. Only the structure is checked here; a string's content
 * (escapes, UTF-8, no NUL) is checked when survey_piece_text() unescapes it, so a caller
 * that only compares ids with known ones need not pay for it.
 */
enum survey_piece_kind {
    SURVEY_PIECE_QUESTION,   /* a question id; its answer follows */
    SURVEY_PIECE_VALUE,      /* an option id, or the text of a text question */
    SURVEY_PIECE_PREFER_NOT, /* "prefer not to say" */
};

struct survey_piece {
    const char *str; /* QUESTION, VALUE: the bytes between the quotes, as stored (escapes
                        included); borrowed from the body */
    size_t len;
    enum survey_piece_kind kind;
};

/* The most pieces a body of len bytes can hold: room enough for survey_answer_pieces(). */
#define SURVEY_PIECES_MAX(len) ((len) / 3 + 1)

/*
 * Splits body into pieces, in order, into out (room for SURVEY_PIECES_MAX(len)). Returns 0
 * with their number in *count, or -1 when body is not an encoded answer.
 */
__attribute__((warn_unused_result)) int
survey_answer_pieces(const char *body, size_t len, struct survey_piece *out, size_t *count);
/*
 * Appends a piece's string, unescaped, to out. Returns 0, or -1 when it holds a bad escape,
 * a NUL, a control character or invalid UTF-8 (out may then hold part of it).
 */
__attribute__((warn_unused_result)) int survey_piece_text(const struct survey_piece *pc,
                                                          struct buf *out);
/* Whether a piece's string holds escapes, so that its bytes are not its text. */
bool survey_piece_escaped(const struct survey_piece *pc);

/* Decodes stored answers one after another, reusing its memory (for reports over many rows). */
struct survey_decoder {
    struct buf text;
    size_t *offsets;
    size_t offsets_cap;
    struct survey_item *items;
    size_t items_cap;
    size_t *first; /* per item: the index of its key string; its values follow it */
    size_t first_cap;
    const char **values;
    size_t values_cap;
    struct survey_piece *pieces;
    size_t pieces_cap;
};

void survey_decoder_init(struct survey_decoder *d);
void survey_decoder_release(struct survey_decoder *d);
/*
 * Decodes one stored answer. The items (and their strings) stay valid until the next call
 * or the release. Returns 0, or -1 when body is not an encoded answer.
 */
__attribute__((warn_unused_result)) int survey_answer_decode(struct survey_decoder *d,
                                                             const char *body, size_t len,
                                                             const struct survey_item **items,
                                                             size_t *count);

#endif
