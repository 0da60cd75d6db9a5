/*
 * `planpack translate export|import` (translate.h): the package's texts as a gettext PO file
 * through libgettextpo, and a translator's PO file back into translations/LL/.
 *
 * An import is checked whole before anything is written: every message must name a text
 * the package has (by its msgctxt) and carry that text exactly as the package has it now
 * (its msgid), so that a file made from an older version, or for another package, is
 * refused with every reason rather than half applied. Files are then written beside their
 * final names and renamed over them.
 */
#include "pkg/translate.h"

#include <errno.h>
#include <gettext-po.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "pkg/internal.h"
#include "pkg/translation.h"

/* What one translation file holds, at most; a package's page is far smaller. */
#define TRANSLATION_FILE_MAX ((size_t)4 << 20)

/*
 * libgettextpo reports problems through a handler that takes no context, and a fatal one
 * must not return: the handler writes each to the stream the running command named and
 * jumps back out of a fatal one. One command runs at a time in the planpack process.
 */
static FILE *po_err;
static const char *po_path_shown;
static size_t po_errors;
static jmp_buf po_fatal;

static void po_report(int severity, const char *file, size_t line, const char *text)
{
    size_t n = strlen(text);
    while (n && text[n - 1] == '\n')
        n--;
    const char *what = severity == PO_SEVERITY_WARNING ? "warning" : "error";
    if (file && line != (size_t)-1)
        fprintf(po_err, "%s:%zu: %s: %.*s\n", file, line, what, (int)n, text);
    else
        fprintf(po_err, "%s: %s: %.*s\n", file ? file : po_path_shown, what, (int)n, text);
    if (severity != PO_SEVERITY_WARNING)
        po_errors++;
}

static void po_xerror(int severity, po_message_t message, const char *file, size_t line,
                      size_t column, int multiline, const char *text)
{
    (void)message;
    (void)column;
    (void)multiline;
    po_report(severity, file, line, text);
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(po_fatal, 1);
}

static void po_xerror2(int severity, po_message_t m1, const char *file1, size_t line1,
                       size_t column1, int multiline1, const char *text1, po_message_t m2,
                       const char *file2, size_t line2, size_t column2, int multiline2,
                       const char *text2)
{
    (void)m1;
    (void)m2;
    (void)column1;
    (void)column2;
    (void)multiline1;
    (void)multiline2;
    po_report(severity == PO_SEVERITY_FATAL_ERROR ? PO_SEVERITY_ERROR : severity, file1, line1,
              text1);
    po_report(severity, file2, line2, text2);
    if (severity == PO_SEVERITY_FATAL_ERROR)
        longjmp(po_fatal, 1);
}

static const struct po_xerror_handler po_handler = {po_xerror, po_xerror2};

static void po_begin(FILE *err, const char *path)
{
    po_err = err;
    po_path_shown = path;
    po_errors = 0;
}

/*
 * Frees a PO file. GNU gettext 0.21's po_file_free() leaves every message's msgctxt
 * allocated, and setting it again frees the old one: so each is cleared first.
 */
static void po_free(po_file_t f)
{
    if (!f)
        return;
    po_message_iterator_t it = po_message_iterator(f, NULL);
    po_message_t m;
    while ((m = po_next_message(it)) != NULL)
        po_message_set_msgctxt(m, NULL);
    po_message_iterator_free(it);
    po_file_free(f);
}

/* A text's msgctxt ("story/step:ask/message:2" for a text of page story) and its hash. */
struct text_id {
    char key[TEXT_PATH_MAX + 64];
    char hash[TEXT_HASH_LEN + 1];
};

static void text_id(const struct pkg_text *t, struct text_id *out)
{
    snprintf(out->key, sizeof(out->key), "%s/%s", t->scope, t->path);
    text_hash(*t->text, out->hash);
}

/* ---- export ---- */

struct exporter {
    const struct translation *t;
    po_message_iterator_t it;
};

static void export_one(void *ctx, const struct pkg_text *text)
{
    struct exporter *E = ctx;
    struct text_id id = {.key = ""};
    text_id(text, &id);
    const char *key = id.key;
    const char *hash = id.hash;
    const struct translated_text *found = translation_find(E->t, text->scope, text->path);
    po_message_t m = po_message_create();
    po_message_set_msgctxt(m, key);
    po_message_set_msgid(m, *text->text);
    po_message_set_msgstr(m, found ? found->text : "");
    if (found && (!found->source_hash || strcmp(found->source_hash, hash) != 0))
        po_message_set_fuzzy(m, 1);
    char note[TEXT_PATH_MAX + 300];
    snprintf(note, sizeof(note), "%s\nsource hash %s", text->where, hash);
    po_message_set_extracted_comments(m, note);
    po_message_add_filepos(m, text->loc.file, (size_t)(text->loc.line > 0 ? text->loc.line : 1));
    po_message_insert(E->it, m);
}

static bool lang_ok(const struct pkg *p, const char *lang, FILE *err)
{
    if (!pkg_language_valid(lang)) {
        fprintf(err, "'%s' is not a language tag: use one such as cy, pl or ur\n", lang);
        return false;
    }
    if (p->language && strcasecmp(lang, p->language) == 0) {
        fprintf(err,
                "%s is the language the package is written in: give the language to "
                "translate it into\n",
                lang);
        return false;
    }
    bool listed = false;
    for (size_t i = 1; i < p->n_languages; i++)
        listed = listed || strcasecmp(p->languages[i], lang) == 0;
    if (!listed)
        fprintf(err,
                "note: %s is not in package.yaml's 'languages:' yet; add it there when the "
                "translation is ready for pupils\n",
                lang);
    return true;
}

int translate_export(struct pkg *p, const struct fileset *fs, const char *lang, const char *path,
                     FILE *err)
{
    if (!lang_ok(p, lang, err))
        return -1;
    struct diag_list quiet;
    diag_list_init(&quiet);
    struct translation t;
    translation_read(p, fs, lang, &t, &quiet);
    diag_list_release(&quiet);

    po_file_t f = po_file_create();
    po_message_iterator_t it = po_message_iterator(f, NULL);
    po_message_t header = po_message_create();
    char *head = arena_printf(&p->arena,
                              "Project-Id-Version: %s %s\n"
                              "Language: %s\n"
                              "MIME-Version: 1.0\n"
                              "Content-Type: text/plain; charset=UTF-8\n"
                              "Content-Transfer-Encoding: 8bit\n"
                              "X-Source-Language: %s\n",
                              p->id ? p->id : "package", p->version ? p->version : "", lang,
                              p->language ? p->language : "en");
    po_message_set_msgid(header, "");
    po_message_set_msgstr(header, head);
    po_message_insert(it, header);
    struct exporter E = {&t, it};
    pkg_texts_each(p, export_one, &E);
    po_message_iterator_free(it);

    po_begin(err, path);
    int rc = 0;
    if (setjmp(po_fatal) == 0) {
        po_file_write(f, path, &po_handler);
        if (po_errors)
            rc = -1;
    } else {
        rc = -1;
    }
    po_free(f);
    return rc;
}

/* ---- import ---- */

/* One text as the files will hold it: the source's key, hash and the translation. */
struct entry {
    const char *scope;
    const char *path;
    const char *hash;
    const char *text;
};

struct importer {
    struct arena a; /* the entries' paths and hashes */
    const struct translation *old;
    /* From the PO file, sorted by key. */
    struct po_text {
        char *key;
        const char *msgid;
        const char *msgstr;
        bool used;
    } * po;
    size_t po_count;
    struct entry *out;
    size_t out_count;
    size_t out_cap;
    FILE *err;
    const char *po_path;
    size_t problems;
    size_t fuzzy; /* translated messages still marked fuzzy, so not taken */
};

static int cmp_po_text(const void *a, const void *b)
{
    return strcmp(((const struct po_text *)a)->key, ((const struct po_text *)b)->key);
}

static struct po_text *po_find(struct importer *I, const char *key)
{
    struct po_text probe = {.key = (char *)key};
    return bsearch(&probe, I->po, I->po_count, sizeof(*I->po), cmp_po_text);
}

/* Whether a PO file's msgid is the source text, trailing spaces and line ends aside (as the
 * hash counts them). */
static bool same_text(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    while (na && strchr(" \t\r\n", a[na - 1]))
        na--;
    while (nb && strchr(" \t\r\n", b[nb - 1]))
        nb--;
    return na == nb && memcmp(a, b, na) == 0;
}

static void import_one(void *ctx, const struct pkg_text *text)
{
    struct importer *I = ctx;
    struct text_id id = {.key = ""};
    text_id(text, &id);
    const char *key = id.key;
    const char *hash = id.hash;
    struct po_text *m = po_find(I, key);
    struct entry e = {text->scope, arena_strdup(&I->a, text->path), NULL, NULL};
    struct translated_text *old = translation_find(I->old, text->scope, text->path);
    if (old)
        old->used = true;
    if (m) {
        m->used = true;
        if (!same_text(m->msgid, *text->text)) {
            fprintf(I->err,
                    "%s: error: '%s': its msgid is not the source text as the package has it "
                    "now (%s:%d); export the texts again and translate that file\n",
                    I->po_path, key, text->loc.file, text->loc.line);
            I->problems++;
            return;
        }
        if (m->msgstr) {
            e.hash = arena_strdup(&I->a, hash);
            e.text = m->msgstr;
        }
    }
    if (!e.text) {
        if (!old)
            return;
        e.hash = old->source_hash;
        e.text = old->text;
    }
    XGROW(I->out, I->out_cap, I->out_count + 1);
    I->out[I->out_count++] = e;
}

/* Reads the PO file's messages into I->po; returns false after reporting what is wrong. */
static bool read_po(struct importer *I, po_file_t f, const char *lang)
{
    size_t cap = 0;
    po_message_iterator_t it = po_message_iterator(f, NULL);
    po_message_t m;
    while ((m = po_next_message(it)) != NULL) {
        if (po_message_is_obsolete(m))
            continue;
        const char *ctx = po_message_msgctxt(m);
        const char *msgid = po_message_msgid(m);
        if (!ctx && msgid[0] == '\0') {
            char *file_lang = po_header_field(po_message_msgstr(m), "Language");
            if (file_lang && *file_lang && strcasecmp(file_lang, lang) != 0) {
                fprintf(I->err,
                        "%s: error: this file is a translation into '%s', not '%s' (its "
                        "header's Language)\n",
                        I->po_path, file_lang, lang);
                I->problems++;
            }
            free(file_lang);
            continue;
        }
        if (!ctx) {
            fprintf(I->err,
                    "%s: error: the message \"%.40s\" has no msgctxt, so planpack cannot tell "
                    "which text it translates\n",
                    I->po_path, msgid);
            I->problems++;
            continue;
        }
        if (po_message_msgid_plural(m)) {
            fprintf(I->err, "%s: error: '%s' has plural forms, which a package's texts never do\n",
                    I->po_path, ctx);
            I->problems++;
            continue;
        }
        const char *str = po_message_msgstr(m);
        I->fuzzy += str && *str && po_message_is_fuzzy(m);
        XGROW(I->po, cap, I->po_count + 1);
        I->po[I->po_count++] = (struct po_text){
            .key = xstrdup(ctx),
            .msgid = msgid,
            /* A fuzzy message is one the translator has not confirmed: not taken. */
            .msgstr = str && str[strspn(str, " \t\r\n")] && !po_message_is_fuzzy(m) ? str : NULL,
        };
    }
    po_message_iterator_free(it);
    if (I->po_count > 1)
        qsort(I->po, I->po_count, sizeof(*I->po), cmp_po_text);
    for (size_t i = 1; i < I->po_count; i++)
        if (strcmp(I->po[i].key, I->po[i - 1].key) == 0) {
            fprintf(I->err, "%s: error: '%s' is in the file twice\n", I->po_path, I->po[i].key);
            I->problems++;
        }
    return I->problems == 0;
}

/* Writes s as a YAML value after "text: ", so that the loader reads back exactly s. */
static void yaml_text(struct buf *b, const char *s)
{
    bool plain_lines = strchr(s, '\n') != NULL && s[0] != ' ' && s[0] != '\n';
    for (const char *c = s; *c && plain_lines; c++)
        if (((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') || *c == 0x7f)
            plain_lines = false;
    if (plain_lines) {
        size_t n = strlen(s);
        size_t trailing = 0;
        while (trailing < n && s[n - 1 - trailing] == '\n')
            trailing++;
        /* Lines that are blank except for spaces would change the block's indentation. */
        for (const char *line = s; plain_lines && *line;) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            size_t sp = 0;
            while (sp < len && line[sp] == ' ')
                sp++;
            if (sp == len && len > 0)
                plain_lines = false;
            line = end ? end + 1 : line + len;
        }
        if (plain_lines) {
            buf_adds(b, trailing == 0 ? "|-\n" : trailing == 1 ? "|\n" : "|+\n");
            for (const char *line = s; *line;) {
                const char *end = strchr(line, '\n');
                size_t len = end ? (size_t)(end - line) : strlen(line);
                if (len)
                    buf_adds(b, "      ");
                buf_add(b, line, len);
                buf_addc(b, '\n');
                line = end ? end + 1 : line + len;
            }
            return;
        }
    }
    buf_addc(b, '"');
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            buf_addf(b, "\\%c", *c);
        else if (*c == '\n')
            buf_adds(b, "\\n");
        else if (*c == '\t')
            buf_adds(b, "\\t");
        else if (*c < 0x20 || *c == 0x7f)
            buf_addf(b, "\\x%02x", *c);
        else
            buf_addc(b, (char)*c);
    }
    buf_adds(b, "\"\n");
}

static int make_dir(const char *path, FILE *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    fprintf(err, "cannot make the folder %s: %s\n", path, strerror(errno));
    return -2;
}

struct out_file {
    char *path;
    char *tmp;
};

/* Writes one file's entries: the status first in package.yaml. */
static void file_text(struct buf *b, const struct translation *old, const char *lang,
                      const char *scope, const struct entry *e, size_t n)
{
    bool package = strcmp(scope, TEXTS_PACKAGE) == 0;
    buf_addf(b,
             "# The %s translation of %s%s%s, written by planpack translate import.\n"
             "# Each text names the source text it translates by its id, and records the hash\n"
             "# of that source text (source:), so that planpack check can tell when it changes.\n",
             lang, package ? "" : "pages/", package ? "package.yaml" : scope, package ? "" : ".md");
    if (package) {
        if (old->reviewer && strcmp(old->status, "reviewed") == 0)
            buf_addf(b, "status: reviewed\nreviewed: %s, %s\n", old->reviewer, old->reviewed_date);
        else
            buf_adds(b, "status: draft\n");
    }
    buf_adds(b, n ? "texts:\n" : "texts: []\n");
    for (size_t i = 0; i < n; i++) {
        buf_addf(b, "  - id: \"%s\"\n", e[i].path);
        if (e[i].hash)
            buf_addf(b, "    source: \"%s\"\n", e[i].hash);
        buf_adds(b, "    text: ");
        yaml_text(b, e[i].text);
    }
}

/* Writes one file's entries to path; 0 or -2 after saying why. */
static int write_file(const char *path, const struct translation *old, const char *lang,
                      const char *scope, const struct entry *e, size_t n, FILE *err)
{
    struct buf b;
    buf_init(&b, TRANSLATION_FILE_MAX);
    file_text(&b, old, lang, scope, e, n);
    int rc = 0;
    FILE *f = NULL;
    if (!buf_ok(&b)) {
        fprintf(err, "%s would be larger than %zu bytes\n", path, TRANSLATION_FILE_MAX);
        rc = -2;
    } else if (!(f = fopen(path, "wb")) || fwrite(b.ptr, 1, b.len, f) != b.len) {
        fprintf(err, "cannot write %s: %s\n", path, strerror(errno));
        rc = -2;
    }
    if (f && fclose(f) != 0 && rc == 0) {
        fprintf(err, "cannot write %s: %s\n", path, strerror(errno));
        rc = -2;
    }
    if (rc && f)
        (void)unlink(path);
    buf_release(&b);
    return rc;
}

static int write_translation(struct importer *I, const struct translation *old, const char *dir,
                             const char *lang)
{
    struct arena a = ARENA_INIT;
    int rc = 0;
    const char *base = arena_printf(&a, "%s/translations", dir);
    const char *ldir = arena_printf(&a, "%s/%s", base, lang);
    const char *pdir = arena_printf(&a, "%s/pages", ldir);
    if ((rc = make_dir(base, I->err)) || (rc = make_dir(ldir, I->err)) ||
        (rc = make_dir(pdir, I->err)))
        goto out;
    /* Every file is written beside its final name first, then all are renamed. The
     * package's texts come first (pkg_texts_each() visits them first), and package.yaml is
     * written even with none, as it holds the status. */
    struct out_file *files = arena_alloc(&a, (I->out_count + 1) * sizeof(*files));
    size_t nfiles = 0;
    for (size_t i = 0; rc == 0 && (i < I->out_count || nfiles == 0);) {
        const char *scope = nfiles == 0 ? TEXTS_PACKAGE : I->out[i].scope;
        size_t j = i;
        while (j < I->out_count && strcmp(I->out[j].scope, scope) == 0)
            j++;
        char *path = nfiles == 0 ? arena_printf(&a, "%s/package.yaml", ldir)
                                 : arena_printf(&a, "%s/%s.yaml", pdir, scope);
        char *tmp = arena_printf(&a, "%s.new", path);
        rc = write_file(tmp, old, lang, scope, I->out + i, j - i, I->err);
        if (rc == 0)
            files[nfiles++] = (struct out_file){path, tmp};
        i = j;
    }
    for (size_t k = 0; k < nfiles; k++) {
        if (rc) {
            (void)unlink(files[k].tmp);
        } else if (rename(files[k].tmp, files[k].path) != 0) {
            fprintf(I->err, "cannot write %s: %s\n", files[k].path, strerror(errno));
            rc = -2;
        }
    }
out:
    arena_release(&a);
    return rc;
}

int translate_import(struct pkg *p, const struct fileset *fs, const char *dir, const char *lang,
                     const char *po_path, FILE *err)
{
    if (!lang_ok(p, lang, err))
        return -1;
    if (access(po_path, R_OK) != 0) {
        fprintf(err, "%s: %s\n", po_path, strerror(errno));
        return -1;
    }
    struct importer I = {.err = err, .po_path = po_path};
    int rc = -1;
    po_begin(err, po_path);
    po_file_t f = NULL;
    if (setjmp(po_fatal) == 0)
        f = po_file_read(po_path, &po_handler);
    if (!f || po_errors) {
        fprintf(err, "%s: not read as a PO file, so nothing was imported\n", po_path);
        goto out;
    }
    struct diag_list quiet;
    diag_list_init(&quiet);
    struct translation old;
    translation_read(p, fs, lang, &old, &quiet);
    diag_list_release(&quiet);
    I.old = &old;
    if (!read_po(&I, f, lang))
        goto refused;
    pkg_texts_each(p, import_one, &I);
    for (size_t i = 0; i < I.po_count; i++)
        if (!I.po[i].used) {
            fprintf(err,
                    "%s: error: '%s' is not a text of this package (its id or position has "
                    "changed, or the file is for another package)\n",
                    po_path, I.po[i].key);
            I.problems++;
        }
    if (I.problems)
        goto refused;
    rc = write_translation(&I, &old, dir, lang);
    if (rc == 0) {
        size_t from_po = 0;
        for (size_t i = 0; i < I.po_count; i++)
            from_po += I.po[i].msgstr != NULL;
        printf("imported %zu translated texts into %s/translations/%s/\n", from_po, dir, lang);
        if (I.fuzzy)
            printf("%zu fuzzy message%s not taken: once a translation is checked against its "
                   "source text, clear its fuzzy mark and import again\n",
                   I.fuzzy, I.fuzzy == 1 ? " was" : "s were");
        size_t dropped = 0;
        for (size_t i = 0; i < old.count; i++)
            dropped += !old.texts[i].used;
        if (dropped)
            printf("%zu translation%s of texts the package no longer has %s left out\n", dropped,
                   dropped == 1 ? "" : "s", dropped == 1 ? "was" : "were");
    }
    goto out;
refused:
    fprintf(err, "%s: %zu problem%s, so nothing was imported\n", po_path, I.problems,
            I.problems == 1 ? "" : "s");
out:
    for (size_t i = 0; i < I.po_count; i++)
        free(I.po[i].key);
    free(I.po);
    free(I.out);
    arena_release(&I.a);
    po_free(f);
    return rc;
}
