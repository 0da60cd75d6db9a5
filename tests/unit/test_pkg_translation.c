/*
 * A package in another language: pkg_in_language() on tests/fixtures/translations, whose
 * Welsh translation has an up-to-date text, a stale one, ids that no longer exist and texts
 * with no translation (the warnings themselves are in its expected.txt).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/check.h"
#include "pkg/pkg.h"

#define FIXTURE "tests/fixtures/translations"

struct loaded {
    struct fileset fs;
    struct diag_list diags;
    struct pkg *p;
};

static int setup(void **state)
{
    static struct loaded l;
    diag_list_init(&l.diags);
    if (fileset_read_dir(&l.fs, FIXTURE, &l.diags) != 0)
        return -1;
    l.p = pkg_load(&l.fs, &l.diags);
    *state = &l;
    return l.p && diag_count(&l.diags, DIAG_ERROR) == 0 ? 0 : -1;
}

static void loaded_release(struct loaded *l)
{
    pkg_free(l->p);
    fileset_release(&l->fs);
    diag_list_release(&l->diags);
}

static int teardown(void **state)
{
    loaded_release(*state);
    return 0;
}

/* Loads a package from files in memory into l, which loaded_release() frees. */
static void load_memory(struct loaded *l, const struct file_entry *files, size_t n)
{
    fileset_borrow(&l->fs, files, n);
    diag_list_init(&l->diags);
    l->p = pkg_load(&l->fs, &l->diags);
    assert_non_null(l->p);
}

static void test_languages(void **state)
{
    const struct pkg *p = ((struct loaded *)*state)->p;
    assert_int_equal(p->n_languages, 2);
    assert_string_equal(p->languages[0], "en-GB");
    assert_string_equal(p->languages[1], "cy");
    assert_ptr_equal(pkg_in_language(p, "en-GB"), p);
    assert_ptr_equal(pkg_in_language(p, "en-gb"), p);
    assert_null(pkg_in_language(p, "fr"));
    assert_null(pkg_translation_status(p));
    const struct pkg *cy = pkg_in_language(p, "cy");
    assert_non_null(cy);
    assert_ptr_not_equal(cy, p);
    assert_string_equal(cy->language, "cy");
    /* A view is borrowed from its source: asking it for a language answers as the source. */
    assert_ptr_equal(pkg_in_language(cy, "en-GB"), p);
    assert_ptr_equal(pkg_in_language(cy, "cy"), cy);
}

static void test_translated_and_fallback(void **state)
{
    const struct pkg *p = ((struct loaded *)*state)->p;
    const struct pkg *cy = pkg_in_language(p, "cy");
    const struct pkg_page *start = pkg_page(cy, "start");
    assert_non_null(start);
    assert_string_equal(start->title, "Dechrau yma");
    assert_false(pkg_text_is_fallback(cy, start->title));
    assert_string_equal(cy->title, "Gosodiad");
    assert_string_equal(pkg_page(p, "start")->title, "Start here");

    const struct pkg_page *story = pkg_page(cy, "story");
    const struct pkg_page *src = pkg_page(p, "story");
    /* Stale: the source text, the source's own pointer, marked as a fallback. */
    const struct pkg_step *ask = pkg_step(&story->story, "ask");
    assert_string_equal(ask->messages[0].text, "Send me a picture");
    assert_ptr_equal(ask->messages[0].text, pkg_step(&src->story, "ask")->messages[0].text);
    assert_true(pkg_text_is_fallback(cy, ask->messages[0].text));
    /* Up to date. */
    assert_string_equal(ask->choices[0].text, "Dweud na");
    assert_false(pkg_text_is_fallback(cy, ask->choices[0].text));
    /* Untranslated. */
    assert_string_equal(ask->choices[1].text, "Send it");
    assert_true(pkg_text_is_fallback(cy, ask->choices[1].text));
    assert_true(pkg_text_is_fallback(cy, cy->support[0].about));
    /* The source has no fallbacks. */
    assert_false(pkg_text_is_fallback(p, ask->choices[1].text));
    assert_false(pkg_text_is_fallback(cy, NULL));

    /* The same shape, with its links inside the view. */
    assert_int_equal(story->story.step_count, src->story.step_count);
    assert_ptr_equal(ask->choices[0].next, pkg_step(&story->story, "no"));
    assert_ptr_equal(ask->messages[0].from, &story->story.characters[1]);
    assert_ptr_equal(pkg_page_of_kind(cy, PAGE_STORY), story);
}

static void test_status(void **state)
{
    const struct pkg *p = ((struct loaded *)*state)->p;
    const struct pkg *cy = pkg_in_language(p, "cy");
    assert_string_equal(pkg_translation_status(cy), "draft");
    const char *name = "x";
    const char *date = "x";
    pkg_translation_reviewer(cy, &name, &date);
    assert_null(name);
    assert_null(date);
}

/* A reviewed translation, from files in memory. */
static void test_reviewed(void **state)
{
    (void)state;
    static const char manifest[] = "id: t\ntitle: T\nversion: 1.0.0\nlanguage: en-GB\n"
                                   "languages: [cy]\naudience: A\nreading_age: 11\n"
                                   "pages: [start]\n";
    static const char start[] = "---\ntitle: Start\n---\nHello.\n";
    static const char cy[] = "status: reviewed\nreviewed: Siân Jones, 2026-12-01\n";
    const struct file_entry files[] = {
        {"package.yaml", (const unsigned char *)manifest, sizeof(manifest) - 1},
        {"pages/start.md", (const unsigned char *)start, sizeof(start) - 1},
        {"translations/cy/package.yaml", (const unsigned char *)cy, sizeof(cy) - 1},
    };
    struct loaded l;
    load_memory(&l, files, 3);
    struct pkg *p = l.p;
    assert_int_equal(diag_count(&l.diags, DIAG_ERROR), 0);
    /* The source language is implied first when `languages:` leaves it out. */
    assert_int_equal(p->n_languages, 2);
    assert_string_equal(p->languages[0], "en-GB");
    const struct pkg *v = pkg_in_language(p, "cy");
    assert_string_equal(pkg_translation_status(v), "reviewed");
    const char *name = NULL;
    const char *date = NULL;
    pkg_translation_reviewer(v, &name, &date);
    assert_string_equal(name, "Siân Jones");
    assert_string_equal(date, "2026-12-01");
    /* With nothing translated, every text is the source's. */
    assert_true(pkg_text_is_fallback(v, pkg_page(v, "start")->body));
    loaded_release(&l);
}

/* A language listed with no translation at all is one warning, not one for every page. */
static void test_no_translation_yet(void **state)
{
    (void)state;
    static const char manifest[] = "id: t\ntitle: T\nversion: 1.0.0\nlanguage: en-GB\n"
                                   "languages:\n  - en-GB\n  - pl\naudience: A\n"
                                   "reading_age: 11\npages: [start, more]\n";
    static const char start[] = "---\ntitle: Start\n---\nHello.\n";
    static const char more[] = "---\ntitle: More\n---\nMore.\n";
    const struct file_entry files[] = {
        {"package.yaml", (const unsigned char *)manifest, sizeof(manifest) - 1},
        {"pages/more.md", (const unsigned char *)more, sizeof(more) - 1},
        {"pages/start.md", (const unsigned char *)start, sizeof(start) - 1},
    };
    struct loaded l;
    load_memory(&l, files, 3);
    struct pkg *p = l.p;
    assert_int_equal(diag_count(&l.diags, DIAG_WARNING), 1);
    /* At the line that lists the language. */
    assert_string_equal(l.diags.items[0].file, "package.yaml");
    assert_int_equal(l.diags.items[0].line, 7);
    assert_string_equal(l.diags.items[0].message,
                        "'languages' lists pl, but there is no translation into it yet "
                        "(translations/pl/): every text shows in en-GB");
    const struct pkg *pl = pkg_in_language(p, "pl");
    assert_non_null(pl);
    assert_true(pkg_text_is_fallback(pl, pkg_page(pl, "more")->title));
    loaded_release(&l);
}

/* A page's count of untranslated texts names its file's `texts:` line; a page with no file,
 * and a translation with no package.yaml, name the line that lists the language. */
static void test_untranslated_lines(void **state)
{
    (void)state;
    static const char manifest[] = "id: t\ntitle: T\nversion: 1.0.0\nlanguage: en-GB\n"
                                   "languages: [en-GB, cy]\naudience: A\nreading_age: 11\n"
                                   "pages: [start, more]\n";
    static const char start[] = "---\ntitle: Start\n---\nHello.\n";
    static const char more[] = "---\ntitle: More\n---\nMore.\n";
    static const char cy_start[] = "# Welsh\ntexts:\n  - id: title\n    source: 0ae8097f\n"
                                   "    text: Dechrau\n";
    const struct file_entry files[] = {
        {"package.yaml", (const unsigned char *)manifest, sizeof(manifest) - 1},
        {"pages/more.md", (const unsigned char *)more, sizeof(more) - 1},
        {"pages/start.md", (const unsigned char *)start, sizeof(start) - 1},
        {"translations/cy/pages/start.yaml", (const unsigned char *)cy_start, sizeof(cy_start) - 1},
    };
    struct loaded l;
    load_memory(&l, files, 4);
    struct buf out;
    buf_init(&out, BUF_MAX_DEFAULT);
    diag_write(&l.diags, NULL, DIAG_WARNING, &out);
    assert_string_equal(
        out.ptr,
        "package.yaml:5: warning: package.yaml has no translation into cy yet "
        "(translations/cy/package.yaml): its 2 texts show in en-GB\n"
        "package.yaml:5: warning: page 'more' has no translation into cy yet "
        "(translations/cy/pages/more.yaml): its 2 texts show in en-GB\n"
        "package.yaml:5: warning: draft translation, not yet reviewed (cy)\n"
        "translations/cy/pages/start.yaml:2: warning: page 'start': 1 of its 2 texts are not "
        "translated into cy, so they show in en-GB\n");
    buf_release(&out);
    loaded_release(&l);
}

/* The Flesch-Kincaid formula is for English: a package in Welsh is not measured, and says so. */
static void test_reading_age_english_only(void **state)
{
    (void)state;
    static const char manifest[] = "id: t\ntitle: T\nversion: 1.0.0\nlanguage: cy\n"
                                   "audience: A\nreading_age: 7\npages: [start]\n";
    /* Long enough to be judged, and far above a reading age of 7 by the English formula. */
    static const char start[] =
        "---\ntitle: Dechrau\n---\nMae cymdeithasol gyfrifoldebau cydweithredol "
        "rhyngwladol cynhwysfawr yn angenrheidiol ar gyfer datblygiadau cynaliadwy "
        "llwyddiannus mewn cymunedau amrywiol trwy gydol blynyddoedd anghyffredin "
        "cymhleth, oherwydd rhaid i sefydliadau cyhoeddus cydnabyddedig ystyried "
        "goblygiadau technolegol ddiweddaraf yn ofalus bob amser.\n";
    const struct file_entry files[] = {
        {"package.yaml", (const unsigned char *)manifest, sizeof(manifest) - 1},
        {"pages/start.md", (const unsigned char *)start, sizeof(start) - 1},
    };
    struct loaded l;
    load_memory(&l, files, 2);
    struct pkg *p = l.p;
    pkg_check(p, &l.fs, &l.diags);
    assert_int_equal(diag_count(&l.diags, DIAG_ERROR), 0);
    assert_int_equal(diag_count(&l.diags, DIAG_WARNING), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    check_print_readability(p, out);
    fclose(out);
    assert_string_equal(text, "Reading age not measured: this package is in cy, and the "
                              "Flesch-Kincaid formula is for English.\n");
    free(text);
    loaded_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_translated_and_fallback),
        cmocka_unit_test(test_status),
    };
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_reviewed),
        cmocka_unit_test(test_reading_age_english_only),
        cmocka_unit_test(test_no_translation_yet),
        cmocka_unit_test(test_untranslated_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown) +
           cmocka_run_group_tests(alone, NULL, NULL);
}
