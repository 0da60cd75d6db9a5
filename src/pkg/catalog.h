/*
 * The interface's own words (Quick exit, Next, the error pages, the form labels): one
 * catalog per language, each text under a stable id, so that every language has the same
 * ids and a translator sees at once what is missing.
 *
 * planpack carries a catalog for each language it ships (src/site/catalogs/LL.yaml,
 * embedded at build time); a package may add one for another language, or override some
 * texts of a shipped one, in translations/LL/interface.yaml. The words are the site's, but
 * a package can hold a catalog, so reading and checking one is the package's business, as
 * for every other file of a package. A catalog is a YAML map:
 *
 *     language: cy           the language it is in (BCP 47)
 *     name: Cymraeg          the language's own name, for the language switcher
 *     status: draft          or reviewed; a draft's pages say so
 *     texts:
 *       quick-exit: Gadael yn gyflym
 *       ...
 *
 * A text may hold {1}, {2}, {3} (up to UI_PLACES_MAX): the values the interface puts in (a
 * name, a number). Texts are plain text, escaped where they are written, never markup.
 */
#ifndef PLANPACK_SITE_CATALOG_H
#define PLANPACK_SITE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"

/* Every interface text: its name in C and its id in a catalog. */
/* clang-format off */
#define UI_TEXTS(X) \
    X(UI_QUICK_EXIT, "quick-exit") \
    X(UI_SKIP, "skip-to-content") \
    X(UI_LARGER_TEXT, "larger-text") \
    X(UI_READER, "reader-settings") \
    X(UI_COLOURS, "reader-colours") \
    X(UI_SCHEME_DEVICE, "reader-scheme-device") \
    X(UI_SCHEME_LIGHT, "reader-scheme-light") \
    X(UI_SCHEME_DARK, "reader-scheme-dark") \
    X(UI_SCHEME_CONTRAST, "reader-scheme-contrast") \
    X(UI_SPACED, "reader-spaced") \
    X(UI_READ_ALOUD, "read-aloud") \
    X(UI_READ_STOP, "read-stop") \
    X(UI_READ_HINT, "read-aloud-hint") \
    X(UI_REMEMBER, "reader-remember") \
    X(UI_NAV_PAGES, "nav-pages") \
    X(UI_NAV_ORDER, "nav-page-order") \
    X(UI_NAV_ALL, "nav-all-pages") \
    X(UI_PREVIOUS, "previous") \
    X(UI_NEXT, "next") \
    X(UI_LANGUAGES, "languages") \
    X(UI_DRAFT, "draft-notice") \
    X(UI_FOOT_VERSION, "footer-version") \
    X(UI_FOOT_BY, "footer-by") \
    X(UI_FOOT_PRIVACY, "footer-privacy") \
    X(UI_400_TITLE, "status-400-title") \
    X(UI_400_TEXT, "status-400-text") \
    X(UI_404_TITLE, "status-404-title") \
    X(UI_404_TEXT, "status-404-text") \
    X(UI_405_TITLE, "status-405-title") \
    X(UI_405_TEXT, "status-405-text") \
    X(UI_413_TITLE, "status-413-title") \
    X(UI_413_TEXT, "status-413-text") \
    X(UI_415_TITLE, "status-415-title") \
    X(UI_415_TEXT, "status-415-text") \
    X(UI_429_TITLE, "status-429-title") \
    X(UI_429_TEXT, "status-429-text") \
    X(UI_500_TITLE, "status-500-title") \
    X(UI_500_TEXT, "status-500-text") \
    X(UI_503_TITLE, "status-503-title") \
    X(UI_503_TEXT, "status-503-text") \
    X(UI_DONE, "status-done") \
    X(UI_HELP_LINK, "need-help-link") \
    X(UI_HELP_TEXT, "need-help-text") \
    X(UI_GO_START, "go-to-start") \
    X(UI_FEEDBACK, "feedback-title") \
    X(UI_NO_FEEDBACK, "no-feedback-form") \
    X(UI_NOTHING_SAVED, "nothing-saved") \
    X(UI_SHEETS, "answer-sheets") \
    X(UI_NO_SHEETS, "no-sheet-questions") \
    X(UI_THANK_YOU, "thank-you") \
    X(UI_SAVED, "answers-saved") \
    X(UI_PAIRING_NOTE, "pairing-word-note") \
    X(UI_THE_STORY, "the-story") \
    X(UI_THE_END, "the-end") \
    X(UI_READ_AGAIN, "read-again") \
    X(UI_WHAT_SHOULD, "what-should-do") \
    X(UI_WHAT_NEXT, "what-happens-next") \
    X(UI_MESSAGES, "chat-messages") \
    X(UI_NOTES_TITLE, "notes-title") \
    X(UI_NOTES_HELP, "notes-help") \
    X(UI_NOTES_LABEL, "notes-label") \
    X(UI_WAYS_ON_PAGE, "ways-on-page") \
    X(UI_WHEN_HELPS, "when-it-helps") \
    X(UI_HOW, "how-to-do-it") \
    X(UI_REPLIES, "replies-to-send") \
    X(UI_PICK_REPLIES, "pick-replies") \
    X(UI_CHOOSE_WAYS, "choose-ways") \
    X(UI_CHAT_ONLINE, "chat-online") \
    X(UI_CHAT_WITH, "chat-with") \
    X(UI_WHEN, "when") \
    X(UI_CHECKED, "details-checked") \
    X(UI_CHECKED_FROM, "details-from") \
    X(UI_PROBLEM, "problem") \
    X(UI_PB_CODE_MISSING, "problem-code-missing") \
    X(UI_PB_CODE_UNKNOWN, "problem-code-unknown") \
    X(UI_PB_CODE_CLOSED, "problem-code-closed") \
    X(UI_PB_CODE_VERSION, "problem-code-version") \
    X(UI_PB_UNKNOWN_QUESTION, "problem-unknown-question") \
    X(UI_PB_BAD_OPTION, "problem-bad-option") \
    X(UI_PB_TOO_MANY, "problem-too-many") \
    X(UI_PB_BAD_TEXT, "problem-bad-text") \
    X(UI_PB_PREFER_AND_OPTION, "problem-prefer-and-option") \
    X(UI_PB_EMPTY, "problem-empty") \
    X(UI_PB_BAD_PART, "problem-bad-part") \
    X(UI_PB_TOO_LONG, "problem-too-long") \
    X(UI_PB_OTHER_PART, "problem-other-part") \
    X(UI_RF_POST_OR_GET, "refusal-post-or-get") \
    X(UI_RF_TOO_LARGE, "refusal-too-large") \
    X(UI_RF_BAD_TYPE, "refusal-bad-type") \
    X(UI_RF_BACK, "refusal-back") \
    X(UI_RF_FORM_ESCAPE, "refusal-form-escape") \
    X(UI_RF_FORM_UTF8, "refusal-form-utf8") \
    X(UI_RF_FORM_FIELDS, "refusal-form-fields") \
    X(UI_RF_FORM_SIZE, "refusal-form-size") \
    X(UI_RF_FORM_UNREAD, "refusal-form-unread") \
    X(UI_RF_ANSWERS_LONG, "refusal-answers-long") \
    X(UI_RF_FORM_LANGUAGE, "refusal-form-language") \
    X(UI_RF_NOT_SAVED, "refusal-not-saved") \
    X(UI_RF_NO_SPACE, "refusal-no-space") \
    X(UI_RF_CLASS_FULL, "refusal-class-full") \
    X(UI_RF_CODE_CLOSED, "refusal-code-closed") \
    X(UI_RF_CODE_GONE, "refusal-code-gone") \
    X(UI_RF_TOO_MANY, "refusal-too-many") \
    X(UI_RF_FEEDBACK_OFF, "refusal-feedback-off") \
    X(UI_MULTI_HINT, "choose-many") \
    X(UI_YOUR_ANSWER, "your-answer") \
    X(UI_PREFER_NOT, "prefer-not-to-say") \
    X(UI_YES, "yes") \
    X(UI_NO, "no") \
    X(UI_NOT_SURE, "not-sure") \
    X(UI_PART_START, "part-start") \
    X(UI_PART_END, "part-end") \
    X(UI_PART_LATER, "part-later") \
    X(UI_NOT_SENT, "not-sent-yet") \
    X(UI_NOT_SAVED_YET, "nothing-saved-yet") \
    X(UI_STILL_HERE, "answers-still-here") \
    X(UI_FILL_AGAIN, "fill-in-again") \
    X(UI_CLASS_CODE, "class-code") \
    X(UI_CLASS_CODE_HINT, "class-code-hint") \
    X(UI_PAIRING_LABEL, "pairing-word-label") \
    X(UI_PAIRING_HINT, "pairing-word-hint") \
    X(UI_WHEN_ANSWERING, "when-answering") \
    X(UI_TEACHER_TELLS, "teacher-tells-part") \
    X(UI_NOT_THIS_PART, "not-this-part") \
    X(UI_CHOOSE_ANOTHER, "choose-another") \
    X(UI_EXPORT_NO_FEEDBACK, "export-no-feedback") \
    X(UI_OPTIONAL, "all-optional") \
    X(UI_SEND, "send-answers") \
    X(UI_TICK_MANY, "tick-many") \
    X(UI_TICK_ONE, "tick-one") \
    X(UI_SHEETS_PRINTABLE, "sheets-summary") \
    X(UI_SHEETS_INTRO, "sheets-intro") \
    X(UI_SHEETS_PRINT, "sheets-print-note") \
    X(UI_SHEETS_OTHER, "sheets-other-part") \
    X(UI_SHEET_OPTIONAL, "sheet-optional") \
    X(UI_SHEETS_COUNT_NOTE, "sheets-count-note") \
    X(UI_SHEETS_COUNT_LABEL, "sheets-count-label") \
    X(UI_SHEETS_MAKE, "sheets-make") \
    X(UI_SHEET_WORD, "sheet-pairing-word") \
    X(UI_SHEET_WORD_BOX, "sheet-pairing-box") \
    X(UI_SHEET_SLIP_KEEP, "sheet-slip-keep") \
    X(UI_SHEET_SLIP_NOTE, "sheet-slip-note") \
    X(UI_LETTER_NOTE, "letter-note") \
    X(UI_LETTER_PRINT, "letter-print") \
    X(UI_SCHOOL, "letter-school") \
    X(UI_DATE, "letter-date") \
    X(UI_FROM, "letter-from") \
    X(UI_PARENTS_QR, "letter-qr-label") \
    X(UI_READ_MORE, "letter-read-more") \
    X(UI_LETTER_OTHER_LANGS, "letter-other-languages") \
    X(UI_LETTER_LANGS, "letter-languages") \
    X(UI_TRUSTED_ADULT, "trusted-adult") \
    X(UI_PLAN_PRINT, "plan-print") \
    X(UI_PLAN_CARD, "plan-card") \
    X(UI_PLAN_DOWNLOAD, "plan-download") \
    X(UI_PLAN_DELETE, "plan-delete") \
    X(UI_PLAN_JS_OFF, "plan-needs-script") \
    X(UI_PLAN_BLANK_LINK, "plan-blank-link") \
    X(UI_PLAN_SO_FAR, "plan-so-far") \
    X(UI_PLAN_PRIVATE, "plan-private") \
    X(UI_PLAN_KEEP, "plan-keep") \
    X(UI_PLAN_KEEP_HINT, "plan-keep-hint") \
    X(UI_PLAN_SHOW, "plan-show") \
    X(UI_PLAN_SHOW_CARD, "plan-show-card") \
    X(UI_MY_PLAN, "my-plan") \
    X(UI_BLANK_PLAN, "plan-blank") \
    X(UI_BLANK_TITLE, "plan-blank-title") \
    X(UI_BLANK_INTRO, "plan-blank-intro") \
    X(UI_PRINT_PAGE, "print-page") \
    X(UI_SPACE_NAME, "space-for-name") \
    X(UI_SPACE_WRITE, "space-to-write") \
    X(UI_YOUR_PLAN, "your-plan") \
    X(UI_PLAN_EMPTY, "plan-empty") \
    X(UI_PLAN_NOT_KEPT, "plan-not-kept") \
    X(UI_PLAN_CHANGE, "plan-change") \
    X(UI_PLAN_BACK_KEEPS, "plan-back-keeps") \
    X(UI_NO_PLAN, "no-plan-page") \
    X(UI_SLIDES, "slides") \
    X(UI_SLIDE_N, "slide-n-of") \
    X(UI_SKIP_SLIDES, "skip-to-slides") \
    X(UI_ALL_SLIDES, "all-slides") \
    X(UI_SLIDE_CONTROLS, "slide-controls") \
    X(UI_BACK, "back") \
    X(UI_NOTES, "notes") \
    X(UI_PRESENTER, "presenter") \
    X(UI_FULL_SCREEN, "full-screen") \
    X(UI_KEYS, "slide-keys") \
    X(UI_NEXT_STEP, "next-step") \
    X(UI_WHAT_COULD, "what-could-do") \
    X(UI_WHAT_COULD_HAPPEN, "what-could-happen") \
    X(UI_SCAN, "scan-or-go") \
    X(UI_QR_START, "qr-start-page") \
    X(UI_QR_PLAN, "qr-plan") \
    X(UI_QR_PART, "qr-part") \
    X(UI_NO_PHONE, "no-phone") \
    X(UI_PRINTED_PLAN, "printed-plan") \
    X(UI_CALL, "call") \
    X(UI_TEXT_NUMBER, "text-number") \
    X(UI_ALL_SERVICES, "all-services") \
    X(UI_BEFORE_START, "before-we-start") \
    X(UI_LESSON, "lesson") \
    X(UI_SLIDE, "slide") \
    X(UI_QUESTIONS, "questions-to-think") \
    X(UI_WAYS, "ways-to-handle") \
    X(UI_MAKE_PLAN, "make-your-plan") \
    X(UI_GET_HELP, "where-to-get-help") \
    X(UI_TELL_US, "tell-us") \
    X(UI_JS_LEAVING, "js-leaving") \
    X(UI_JS_SHIFT_ONE, "js-shift-one") \
    X(UI_JS_SHIFT_MORE, "js-shift-more") \
    X(UI_JS_SHARED, "js-shared") \
    X(UI_JS_SHARE_FAILED, "js-share-failed") \
    X(UI_JS_NO_PICTURE, "js-no-picture") \
    X(UI_JS_SAVED_AS, "js-saved-as") \
    X(UI_JS_COPIED_WORDS, "js-copied-words") \
    X(UI_JS_WORDS_SELECTED, "js-words-selected") \
    X(UI_JS_COPIED_PICTURE, "js-copied-picture") \
    X(UI_JS_COPY, "js-copy") \
    X(UI_JS_SEND_THIS, "js-send-this") \
    X(UI_JS_PLAN_EMPTY, "js-plan-empty") \
    X(UI_JS_NOT_KEPT, "js-plan-not-kept") \
    X(UI_JS_DOWNLOADED, "js-plan-downloaded") \
    X(UI_JS_DELETED, "js-plan-deleted") \
    X(UI_JS_KEPT, "js-plan-kept") \
    X(UI_JS_NO_LONGER_KEPT, "js-plan-no-longer-kept") \
    X(UI_JS_LAST_SLIDE, "js-last-slide") \
    X(UI_JS_POPUP, "js-popup-blocked") \
    X(UI_JS_TIME, "js-time")
/* clang-format on */

/* The most values a text takes: its places are {1} to {UI_PLACES_MAX}. */
#define UI_PLACES_MAX 3

enum ui_text {
#define UI_ENUM(name, id) name,
    UI_TEXTS(UI_ENUM)
#undef UI_ENUM
        UI_TEXT_COUNT
};

/* One language's texts. Every string lives in the arena the catalog was read into. */
struct ui_catalog {
    const char *language;            /* "cy"; BCP 47 */
    const char *name;                /* the language's own name, "Cymraeg"; may be NULL */
    bool draft;                      /* status: draft */
    const char *text[UI_TEXT_COUNT]; /* NULL where the catalog has no text */
};

/* The id of a text in a catalog ("quick-exit"). Static. */
const char *ui_text_id(enum ui_text t);

/*
 * Reads a catalog from YAML text (file names it in diagnostics) into c, its strings in a.
 * An unknown id, a text that is not one line of text, or a text whose {N} placeholders
 * differ from the English one's is an error at its line; a missing id is not (the caller
 * decides what a gap means). Returns 0, or -1 when the file could not be read as a catalog.
 */
__attribute__((warn_unused_result)) int ui_catalog_read(struct ui_catalog *c, struct arena *a,
                                                        const char *text, size_t len,
                                                        const char *file, struct diag_list *diags);

/*
 * The catalog planpack ships for language (BCP 47; "en-GB" finds "en"), read once into a
 * and returned, or NULL when it ships none. The English catalog ("en") is always there.
 */
const struct ui_catalog *ui_catalog_builtin(struct arena *a, const char *language);

struct pkg;
struct pkg_file;

/* A package's own catalog for language, translations/LL/interface.yaml, or NULL. Borrowed
 * from the package. */
const struct pkg_file *ui_package_catalog(const struct pkg *p, const char *language);

/*
 * What an author must know of the interface in each language of p, added to diags: a
 * problem in one of its catalogs at its line, how many interface texts a language would
 * show in English for want of a translation, and a language code that is also a page's id.
 */
void ui_catalog_check(const struct pkg *p, struct diag_list *diags);

/* Whether a language is written right to left (ar, he, fa, ur and others). */
bool ui_language_rtl(const char *language);

/* The language's own name when planpack knows it ("Cymraeg" for "cy"), else NULL. Static. */
const char *ui_language_name(const char *language);

#endif
