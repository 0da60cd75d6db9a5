/*
 * safeguarding.yaml: the words and phrases that may mean a pupil's comment is a disclosure
 * or a cry for help, one list per language, which a safeguarding lead may edit:
 *
 *   disclosure_words:
 *     en:
 *       - something to tell
 *       - suicid*
 *
 * Each phrase must hold a word once folded as comments are (base/textmatch.h), with '*'
 * only at the end of a word. A phrase that is there twice, or a lone short word that would
 * flag many ordinary comments, is warned of; so is a package whose own language has no list.
 */
#include <string.h>
#include <strings.h>

#include "base/textmatch.h"
#include "pkg/internal.h"
#include "pkg/yamltree.h"

#define FLAGS_FILE "safeguarding.yaml"
#define PHRASE_MAX 100
/* A lone word shorter than this ("me", "sad") is in too many comments to mean much. */
#define SHORT_WORD 4

/* Whether every '*' of phrase ends a word: a letter or digit before it, none after. */
static bool stars_ok(const char *phrase)
{
    for (const char *s = strchr(phrase, '*'); s; s = strchr(s + 1, '*')) {
        unsigned char before = s == phrase ? ' ' : (unsigned char)s[-1];
        unsigned char after = (unsigned char)s[1];
        bool word_before = before >= 0x80 || (before >= '0' && before <= '9') ||
                           ((before | 0x20) >= 'a' && (before | 0x20) <= 'z');
        bool word_after = after >= 0x80 || (after >= '0' && after <= '9') ||
                          ((after | 0x20) >= 'a' && (after | 0x20) <= 'z');
        if (!word_before || word_after)
            return false;
    }
    return true;
}

/* Whether the list covers the package's language: "en" covers "en-GB", as "en-GB" does. */
static bool covers(const char *list, const char *language)
{
    size_t n = strcspn(list, "-"), m = strcspn(language, "-");
    return n == m && strncasecmp(list, language, n) == 0 &&
           (list[n] == '\0' || strcasecmp(list, language) == 0);
}

static void load_list(struct pkg *p, const struct ynode *lang, struct pkg_flag_list *out,
                      struct diag_list *diags)
{
    out->loc = (struct diag_loc){FLAGS_FILE, lang->key_line};
    out->language = arena_strdup(&p->arena, lang->key);
    if (!pkg_language_valid(lang->key))
        diag_error(diags, FLAGS_FILE, lang->key_line,
                   "'%s' is not a language tag: use one such as en, en-GB or cy", lang->key);
    if (lang->kind != YNODE_SEQ) {
        diag_error(diags, FLAGS_FILE, lang->line,
                   "the words for '%s' should be a list, one word or phrase per line "
                   "starting '- ', not %s",
                   lang->key, ytree_kind_name(lang));
        return;
    }
    out->phrases = arena_alloc(&p->arena, (lang->count + 1) * sizeof(*out->phrases));
    struct textmatch seen;
    textmatch_init(&seen);
    for (const struct ynode *item = lang->first; item; item = item->next) {
        if (item->kind != YNODE_SCALAR) {
            diag_error(diags, FLAGS_FILE, item->line,
                       "each item should be a word or a phrase, not %s", ytree_kind_name(item));
            continue;
        }
        if (item->len > PHRASE_MAX) {
            diag_error(diags, FLAGS_FILE, item->line,
                       "a phrase may be at most %d characters; this one has %zu", PHRASE_MAX,
                       item->len);
            continue;
        }
        if (!stars_ok(item->str)) {
            diag_error(diags, FLAGS_FILE, item->line,
                       "'%s': a '*' may only end a word, to match every word that begins so "
                       "(hurt* matches hurt, hurts, hurting)",
                       item->str);
            continue;
        }
        if (!textmatch_add(&seen, item->str)) {
            diag_error(diags, FLAGS_FILE, item->line,
                       "'%s' has no word in it: give a word or a phrase", item->str);
            continue;
        }
        const char *folded = seen.folded[seen.count - 1];
        const char *twice = NULL;
        for (size_t i = 0; !twice && i + 1 < seen.count; i++)
            if (strcmp(seen.folded[i], folded) == 0)
                twice = seen.phrases[i];
        if (twice) {
            diag_warning(diags, FLAGS_FILE, item->line,
                         "'%s' is in the %s list already (as '%s'); once is enough", item->str,
                         lang->key, twice);
            seen.count--;
            continue;
        }
        size_t flen = strlen(folded);
        if (!memchr(folded + 1, ' ', flen - 2) && !strchr(folded, '*') && flen - 2 < SHORT_WORD)
            diag_warning(diags, FLAGS_FILE, item->line,
                         "'%s' alone is in many ordinary comments, which would all be flagged: "
                         "use a phrase (\"hurt me\") rather than a short word",
                         item->str);
        out->phrases[out->count++] = arena_strdup(&p->arena, item->str);
    }
    textmatch_release(&seen);
}

void pkg_flags_load(struct pkg *p, const struct fileset *fs, struct diag_list *diags)
{
    const struct file_entry *e = fileset_get(fs, FLAGS_FILE);
    if (!e)
        return;
    struct arena tmp = ARENA_INIT;
    const struct ynode *root =
        ytree_parse(&tmp, (const char *)e->data, e->len, 1, FLAGS_FILE, diags);
    if (!root)
        goto out;
    if (root->kind != YNODE_MAP) {
        diag_error(diags, FLAGS_FILE, root->line,
                   "this file should be a set of keys starting with 'disclosure_words:'");
        goto out;
    }
    const struct ynode *words = NULL;
    for (const struct ynode *k = root->first; k; k = k->next) {
        if (strcmp(k->key, "disclosure_words") == 0)
            words = k;
        else
            diag_error(diags, FLAGS_FILE, k->key_line,
                       "'%s' is not a key of this file: it holds 'disclosure_words:' only", k->key);
    }
    if (!words) {
        diag_error(diags, FLAGS_FILE, root->line,
                   "there is no 'disclosure_words:', the words for each language");
        goto out;
    }
    if (words->kind != YNODE_MAP) {
        diag_error(diags, FLAGS_FILE, words->line,
                   "'disclosure_words:' should hold a list for each language, under its "
                   "language tag (en:, cy:), not %s",
                   ytree_kind_name(words));
        goto out;
    }
    p->flag_lists = arena_alloc(&p->arena, (words->count + 1) * sizeof(*p->flag_lists));
    bool own = false;
    for (const struct ynode *lang = words->first; lang; lang = lang->next) {
        struct pkg_flag_list *l = &p->flag_lists[p->flag_list_count++];
        memset(l, 0, sizeof(*l));
        load_list(p, lang, l, diags);
        own = own || (p->language && l->count && covers(l->language, p->language));
    }
    if (p->language && !own)
        diag_warning(diags, FLAGS_FILE, words->key_line,
                     "there is no list for the package's language, %s, so comments in it are "
                     "never flagged: add one under '%.*s:'",
                     p->language, (int)strcspn(p->language, "-"), p->language);
out:
    arena_release(&tmp);
}
