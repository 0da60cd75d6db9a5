/*
 * The package model: what a package says, validated, with no notion of HTML.
 *
 * A package is a folder (or the embedded default) holding package.yaml and one Markdown
 * file per page under pages/, each with YAML front matter for its structured parts.
 * docs/authoring.md documents the format for authors; this header is the model it loads
 * into. Every string is NUL-terminated UTF-8 owned by the package's arena; every item
 * that an author wrote carries the file and line it came from, for diagnostics.
 *
 * Ids are stable: a later version, a translation or a stored survey answer refers to a
 * page, step, question, strategy, reply, plan section or support entry by its id, so ids
 * are checked for form ([a-z0-9-], starting with a letter, at most 40 bytes) and uniqueness.
 */
#ifndef PLANPACK_PKG_H
#define PLANPACK_PKG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "survey/model.h"

/* A support service in package.yaml `support:`. */
struct pkg_support {
    struct diag_loc loc;
    const char *id;
    const char *name;    /* required */
    const char *about;   /* `for:` who and what it is for; required */
    const char *phone;   /* optional; UK number as written, e.g. "0800 1111" */
    const char *tel;     /* phone normalised for a tel: link ("08001111"); NULL if no phone */
    const char *sms;     /* optional text number, e.g. "85258" */
    const char *url;     /* optional https:// address */
    const char *chat;    /* optional https:// address of an online chat */
    const char *hours;   /* optional, e.g. "24 hours, every day" */
    const char *source;  /* required: where these details were taken from (https URL) */
    const char *checked; /* required: date last checked, YYYY-MM-DD */
    bool emergency;      /* `emergency: true` puts it first with emphasis (999) */
};

/* One entry of the package's change log (`changes:` in package.yaml). */
struct pkg_change {
    struct diag_loc loc;
    const char *version;
    const char *date;
    const char **items; /* what changed, and which feedback prompted it */
    size_t item_count;
};

enum pkg_page_kind {
    PAGE_TEXT,       /* Markdown only */
    PAGE_STORY,      /* a branching phone-chat story */
    PAGE_QUESTIONS,  /* reflection questions in groups */
    PAGE_STRATEGIES, /* ways to handle a request, with humour replies */
    PAGE_PLAN,       /* the plan builder */
    PAGE_SUPPORT,    /* the support directory from package.yaml */
    PAGE_SURVEY,     /* the feedback survey */
    PAGE_LESSON,     /* the teachers' guide, whose slides make the presentation at /teach */
    PAGE_LETTER,     /* a one-page letter to print and send home */
};
/* How many kinds there are: the last one + 1. Tables indexed by kind assert their size. */
#define PAGE_KIND_COUNT (PAGE_LETTER + 1)

enum pkg_audience { AUDIENCE_PUPIL, AUDIENCE_PARENT, AUDIENCE_TEACHER };

/* A character in the story's chat; `me: true` marks the reader's point of view. */
struct pkg_character {
    struct diag_loc loc;
    const char *id;
    const char *name;
    bool me;
};

/* One line of a chat. from == NULL is narration (what happens, or what someone thinks). */
struct pkg_message {
    struct diag_loc loc;
    const struct pkg_character *from;
    const char *text;
};

struct pkg_choice {
    struct diag_loc loc;
    const char *text;
    const char *next_id;         /* as written */
    const struct pkg_step *next; /* resolved; NULL only in a package that failed checking */
};

struct pkg_step {
    struct diag_loc loc;
    const char *id;
    const char *title; /* optional short heading */
    struct pkg_message *messages;
    size_t message_count;
    const char *text; /* optional Markdown after the chat (source text) */
    int text_line;    /* line where text starts, for messages about it */
    struct pkg_choice *choices;
    size_t choice_count;
    bool ending;              /* an ending has no choices */
    const char *ending_title; /* optional, e.g. "Shared and bullied" */
};

struct pkg_story {
    struct pkg_character *characters;
    size_t character_count;
    struct pkg_step *steps; /* steps[0] is the first step */
    size_t step_count;
};

struct pkg_question {
    struct diag_loc loc;
    const char *id;
    const char *text;
    const char *hint; /* optional */
};

struct pkg_question_group {
    struct diag_loc loc;
    const char *id;
    const char *title;
    struct pkg_question *questions;
    size_t question_count;
};

struct pkg_reply {
    struct diag_loc loc;
    const char *id;
    const char *text;  /* the funny reply itself (text or emoji) */
    const char *image; /* optional package-relative SVG path */
    const char *alt;   /* required when image is set */
};

struct pkg_strategy {
    struct diag_loc loc;
    const char *id;
    const char *title;
    const char *summary;       /* one line */
    const char *when;          /* when it helps */
    const char *how;           /* Markdown: what to say or do */
    int how_line;              /* line where how starts, for messages about it */
    struct pkg_reply *replies; /* the humour gallery, usually on one strategy */
    size_t reply_count;
};

enum pkg_plan_kind {
    PLAN_STRATEGIES, /* tick the ways I feel confident with */
    PLAN_REPLIES,    /* pick funny replies from the gallery */
    PLAN_WORDS,      /* my own words for saying no */
    PLAN_ADULTS,     /* trusted adults I could tell */
    PLAN_CONTACTS,   /* support contacts from the directory */
    PLAN_TEXT,       /* any other free text */
};

struct pkg_plan_section {
    struct diag_loc loc;
    const char *id;
    const char *title;
    enum pkg_plan_kind kind;
    const char *prompt; /* optional help under the title */
};

/* What a slide of the lesson presentation shows (`show:` in a lesson page's `slides:`). */
enum pkg_slide_kind {
    SLIDE_TITLE,     /* the lesson's title, with a QR code to the pupils' start page */
    SLIDE_TEXT,      /* a title and Markdown */
    SLIDE_STORY,     /* a slide per story step; decision points become discussion slides */
    SLIDE_QUESTIONS, /* chosen reflection questions */
    SLIDE_WAYS,      /* the ways to handle a request */
    SLIDE_PLAN,      /* the plan activity, with a QR code to the plan builder */
    SLIDE_SUPPORT,   /* chosen services from the support directory */
    SLIDE_FEEDBACK,  /* the class feedback code, with a QR code to the survey */
};
/* How many kinds of slide there are: the last one + 1. Tables indexed by kind assert it. */
#define SLIDE_KIND_COUNT (SLIDE_FEEDBACK + 1)

/* An item a slide shows, named by its id: a question, a strategy or a support entry. */
struct pkg_ref {
    struct diag_loc loc;
    const char *id;
};

/* Presenter notes: what to say and do, and what to watch for. Both Markdown, optional. */
struct pkg_notes {
    const char *say;
    int say_line;
    const char *safeguarding;
    int safeguarding_line;
};

/* Notes for one step of the story, on a story slide. */
struct pkg_step_notes {
    struct diag_loc loc;
    const char *step; /* a step id of the package's story */
    struct pkg_notes notes;
};

struct pkg_slide {
    struct diag_loc loc;
    enum pkg_slide_kind show;
    const char *title; /* optional, except on text slides */
    const char *text;  /* optional Markdown shown on the slide */
    int text_line;
    int minutes; /* suggested minutes (for the whole story on a story slide); 0 if not given */
    struct pkg_notes notes;
    struct pkg_ref *refs; /* questions, ways or support: the items to show (all when none) */
    size_t ref_count;
    struct pkg_step_notes *step_notes; /* story slides only */
    size_t step_note_count;
};

struct pkg_page {
    struct diag_loc loc; /* the page's file, line 1 */
    const char *id;      /* the file name without .md; "start" is the home page */
    const char *title;
    const char *nav_title; /* optional shorter title for navigation */
    const char *summary;   /* optional one-line description */
    enum pkg_page_kind kind;
    enum pkg_audience audience;
    const char *body; /* Markdown after the front matter (source text) */
    int body_line;    /* line of the body's first line in the file */

    struct pkg_story story;
    struct pkg_question_group *groups;
    size_t group_count;
    struct pkg_strategy *strategies;
    size_t strategy_count;
    struct pkg_plan_section *plan_sections;
    size_t plan_section_count;
    struct survey_question *survey; /* survey pages */
    size_t survey_count;
    struct pkg_slide *slides; /* lesson pages */
    size_t slide_count;
};

/* An image or other file shipped with the package (under images/), served as an asset. */
struct pkg_file {
    const char *path; /* package-relative, e.g. "images/phone.svg" */
    const unsigned char *data;
    size_t len;
};

/*
 * Words and phrases that may mean a pupil's comment is a disclosure or a cry for help
 * (safeguarding.yaml `disclosure_words:`), one list per language. Staff pages show the
 * comments holding one first (base/textmatch.h says how they match).
 */
struct pkg_flag_list {
    struct diag_loc loc;
    const char *language; /* a language tag: "en", "cy", "en-GB" */
    const char **phrases; /* as written */
    size_t count;
};

struct pkg {
    struct arena arena; /* owns everything below */
    const char *id;
    const char *title;
    const char *version;  /* semantic version, e.g. "1.0.0" */
    const char *language; /* BCP 47, e.g. "en-GB"; in a translated view, that view's */
    /* The languages pupils can read it in (`languages:`): languages[0] is the source
     * language, the one the package is written in; the others have translations/LL/. */
    const char **languages;
    size_t n_languages;
    /* The line of package.yaml that names each language (the source's: its `language:`
     * line, unless the list names it); NULL when package.yaml could not be read. */
    int *language_lines;
    const char *audience;   /* who it is for, one line */
    const char *publisher;  /* who made it */
    double reading_age;     /* target reading age in years for pupil pages */
    const char *exit_url;   /* quick exit destination; default https://www.bbc.co.uk/weather */
    struct pkg_page *pages; /* in the order package.yaml gives */
    size_t page_count;
    struct pkg_support *support;
    size_t support_count;
    struct pkg_change *changes;
    size_t change_count;
    struct pkg_file *files;
    size_t file_count;
    struct pkg_flag_list *flag_lists; /* safeguarding.yaml; none when it has no such file */
    size_t flag_list_count;
};

/*
 * Loads and checks a package from fs. Every problem found goes to diags (sorted by file
 * and line); the package is usable only when diags holds no error. Returns a package the
 * caller frees with pkg_free(), or NULL when package.yaml is missing or unreadable.
 * fs must outlive the package (file data is borrowed).
 */
struct pkg *pkg_load(const struct fileset *fs, struct diag_list *diags);
void pkg_free(struct pkg *p);

/*
 * Gathers the questions of every survey page of p (usually one), with p's id, version and
 * this version's change-log entry, into out. The list is allocated in a; the questions'
 * strings are borrowed from p.
 */
void pkg_survey(const struct pkg *p, struct arena *a, struct survey *out);

/* Lookups by id; NULL when absent. Results are borrowed from the package. */
const struct pkg_page *pkg_page(const struct pkg *p, const char *id);
const struct pkg_page *pkg_page_of_kind(const struct pkg *p, enum pkg_page_kind kind);
const struct pkg_support *pkg_support_entry(const struct pkg *p, const char *id);
const struct pkg_step *pkg_step(const struct pkg_story *s, const char *id);
const struct pkg_file *pkg_file(const struct pkg *p, const char *path);
/*
 * The package's spelling of language tag `tag` when the package has pages in it (its own
 * language, or one it is translated into), compared without regard to case; else NULL.
 * The feedback form's language (WIRE_FIELD_LANG) is checked with this. Borrowed.
 */
const char *pkg_language(const struct pkg *p, const char *tag);
/* The line of package.yaml that names p->languages[i], where a problem with that language
 * as a whole is reported; 0 when it is not known. */
int pkg_language_line(const struct pkg *p, size_t i);

/*
 * Translations (translations/LL/ beside the source; docs/authoring.md, "Translations").
 *
 * pkg_in_language() returns the package as pupils see it in lang (one of p->languages,
 * compared without regard to case): a struct pkg of the same shape as p (the same pages,
 * steps, questions and ids, in the same order) whose texts are the translation where there
 * is an up-to-date one and the source text where not, and whose `language` is lang. It
 * returns p itself for the source language and NULL for a language p does not list. The
 * view is made when p is loaded and is borrowed from p: it lives as long as p, is never
 * freed on its own, and its lookups (pkg_page() and the others) work as they do on p.
 */
const struct pkg *pkg_in_language(const struct pkg *p, const char *lang);

/*
 * Whether text, a text of view, is the source language's because it has no translation
 * (or only one made for an earlier source text), so that the page marks its element with
 * lang="<source>". A fallback text is the very pointer the source package holds; the view
 * keeps those pointers in a sorted array and answers by binary search. Always false for
 * the source package itself and for NULL.
 */
bool pkg_text_is_fallback(const struct pkg *view, const char *text);

/*
 * A translation's review status, from translations/LL/package.yaml: "draft" (the default,
 * until someone who speaks the language has reviewed it) or "reviewed"; NULL for the
 * source package. Static strings.
 */
const char *pkg_translation_status(const struct pkg *view);
/* Who reviewed a reviewed translation and when (YYYY-MM-DD), borrowed from the package;
 * both NULL for a draft and for the source package. */
void pkg_translation_reviewer(const struct pkg *view, const char **name, const char **date);

/* Names used in the format and in messages ("story", "scale", …). */
const char *pkg_page_kind_name(enum pkg_page_kind k);
const char *pkg_slide_kind_name(enum pkg_slide_kind k);
const char *pkg_audience_name(enum pkg_audience a);
const char *pkg_survey_type_name(enum survey_type t);

#endif
