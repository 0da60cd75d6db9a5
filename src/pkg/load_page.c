/*
 * A page's file: its front matter (title, kind, audience and the keys its kind adds),
 * its Markdown body, and the list of pages in package.yaml. What each kind adds is read
 * by the loader named in the page kinds' table.
 */
#include "pkg/loader.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/form.h"
#include "base/reserved.h"
#include "base/xalloc.h"

static const char *const audience_names[] = {"pupil", "parent", "teacher"};
_Static_assert(COUNT(audience_names) == AUDIENCE_TEACHER + 1, "a name for every audience");

static const char *const common_keys[] = {"title", "nav_title", "summary", "kind", "audience"};

/*
 * One row per page kind, indexed by enum pkg_page_kind: its name in the format, the
 * front-matter keys it adds to common_keys, and the loader that reads them (NULL when it
 * adds none).
 */
static const struct page_kind {
    const char *name;
    const char *keys[3];
    void (*load)(struct loader *L, struct pkg_page *page, const struct ynode *fm);
} page_kinds[] = {
    [PAGE_TEXT] = {"text", {NULL}, NULL},
    [PAGE_STORY] = {"story", {"characters", "steps", NULL}, load_story},
    [PAGE_QUESTIONS] = {"questions", {"groups", NULL}, load_questions},
    [PAGE_STRATEGIES] = {"strategies", {"strategies", NULL}, load_strategies},
    [PAGE_PLAN] = {"plan", {"sections", NULL}, load_plan},
    [PAGE_SUPPORT] = {"support", {NULL}, NULL},
    [PAGE_SURVEY] = {"survey", {"questions", NULL}, load_survey},
    [PAGE_LESSON] = {"lesson", {"slides", NULL}, load_lesson},
    [PAGE_LETTER] = {"letter", {NULL}, NULL},
};
/* A kind added to pkg.h without its row here would be read as another; the build stops. */
_Static_assert(COUNT(page_kinds) == PAGE_KIND_COUNT, "a row for every page kind");

/* The kinds' names, in order, for messages that list them. */
static void page_kind_names(const char *names[PAGE_KIND_COUNT])
{
    for (size_t k = 0; k < PAGE_KIND_COUNT; k++)
        names[k] = page_kinds[k].name;
}

static void check_page_keys(struct loader *L, const struct ynode *fm, enum pkg_page_kind kind,
                            bool kind_known)
{
    const char *allowed[COUNT(common_keys) + 4];
    size_t n = 0;
    for (size_t i = 0; i < COUNT(common_keys); i++)
        allowed[n++] = common_keys[i];
    for (size_t i = 0; page_kinds[kind].keys[i]; i++)
        allowed[n++] = page_kinds[kind].keys[i];
    allowed[n] = NULL;
    for (const struct ynode *m = fm->first; m; m = m->next) {
        if (find_name(allowed, n, m->key) >= 0)
            continue;
        int other = -1;
        for (size_t k = 0; k < PAGE_KIND_COUNT && other < 0; k++)
            for (size_t i = 0; page_kinds[k].keys[i]; i++)
                if (strcmp(page_kinds[k].keys[i], m->key) == 0)
                    other = (int)k;
        if (other >= 0) {
            if (kind_known)
                ERR(L, m->key_line, "'%s' is for pages of kind '%s', but this page's kind is '%s'",
                    m->key, page_kinds[other].name, page_kinds[kind].name);
            continue;
        }
        struct suggest sg;
        suggest_init(&sg, m->key);
        for (size_t i = 0; i < n; i++)
            suggest_try(&sg, allowed[i]);
        if (sg.best) {
            ERR(L, m->key_line, "unknown key '%s' in the front matter; did you mean '%s'?", m->key,
                sg.best);
            note_suggested(L, fm, sg.best);
        } else {
            struct buf list;
            buf_init(&list, 1024);
            join_names(&list, allowed, n);
            ERR(L, m->key_line, "unknown key '%s' in the front matter (known keys: %s)", m->key,
                list.ptr);
            buf_release(&list);
        }
    }
}

static void load_front_matter(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                              const struct ynode *fm)
{
    const char *names[PAGE_KIND_COUNT];
    page_kind_names(names);
    int k = get_name(L, fm, "kind", false, "the front matter", "page kind", names, PAGE_KIND_COUNT);
    if (k >= 0)
        page->kind = (enum pkg_page_kind)k;
    bool kind_known = k != NAME_UNKNOWN;
    note->broken |= !kind_known;
    check_page_keys(L, fm, page->kind, kind_known);
    page->title = get_text(L, fm, "title", true, "the front matter");
    page->nav_title = get_text(L, fm, "nav_title", false, "the front matter");
    page->summary = get_text(L, fm, "summary", false, "the front matter");
    int a = get_name(L, fm, "audience", false, "the front matter", "audience", audience_names,
                     COUNT(audience_names));
    /* A lesson is for teachers and a letter for parents unless the author says otherwise. */
    if (a >= 0)
        page->audience = (enum pkg_audience)a;
    else if (page->kind == PAGE_LESSON)
        page->audience = AUDIENCE_TEACHER;
    else if (page->kind == PAGE_LETTER)
        page->audience = AUDIENCE_PARENT;
    /* Where the checker says that a story has no ending. */
    const struct ynode *steps = ytree_get(fm, "steps");
    note->steps_line = steps ? steps->key_line : fm->line;
    if (kind_known && page_kinds[page->kind].load)
        page_kinds[page->kind].load(L, page, fm);
}

/* One line of s from pos: its end (at '\n' or len) and whether it is a front matter fence. */
static size_t line_end(const char *s, size_t len, size_t pos)
{
    const char *nl = memchr(s + pos, '\n', len - pos);
    return nl ? (size_t)(nl - s) : len;
}

static bool is_fence(const char *s, size_t start, size_t end, bool closing)
{
    while (end > start && (s[end - 1] == '\r' || s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (end - start != 3)
        return false;
    return memcmp(s + start, "---", 3) == 0 || (closing && memcmp(s + start, "...", 3) == 0);
}

/* The body as text the model can keep: valid UTF-8, or reported at its first bad line. */
static void keep_body(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                      const char *s, size_t len, int first_line)
{
    page->body = "";
    if (utf8_valid(s, len)) {
        page->body = arena_strndup(L->a, s, len);
        return;
    }
    int line = first_line;
    size_t pos = 0;
    while (pos < len) {
        size_t end = line_end(s, len, pos);
        if (!utf8_valid(s + pos, end - pos))
            break;
        pos = end + 1;
        line++;
    }
    ERR(L, line, "this line is not valid UTF-8 text (or holds a NUL byte): save the file as UTF-8");
    note->broken = true;
}

static void load_page(struct loader *L, struct pkg_page *page, struct pkg_page_note *note,
                      const struct file_entry *e)
{
    L->file = page->loc.file;
    page->body = "";
    page->body_line = 1;
    const char *s = (const char *)e->data;
    size_t len = e->len;
    if (len > PKG_MAX_PAGE_BYTES) {
        ERR(L, 1, "the page is larger than %zu bytes, the most allowed", PKG_MAX_PAGE_BYTES);
        note->broken = true;
        goto out;
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    size_t end = line_end(s, len, pos);
    if (!is_fence(s, pos, end, false)) {
        ERR(L, 1,
            "the page must start with front matter: a line '---', then lines such as "
            "'title: ...', then another line '---'");
        note->broken = true;
        keep_body(L, page, note, s + pos, len - pos, 1);
        goto out;
    }
    size_t fm_start = end < len ? end + 1 : len;
    int line = 2;
    size_t at = fm_start;
    size_t close_start = len;
    size_t close_end = len;
    while (at < len) {
        size_t e2 = line_end(s, len, at);
        if (is_fence(s, at, e2, true)) {
            close_start = at;
            close_end = e2;
            break;
        }
        at = e2 + 1;
        line++;
    }
    if (close_start == len) {
        ERR(L, 1,
            "the front matter that starts on line 1 is never closed: add a line '---' "
            "after it");
        note->broken = true;
        goto out;
    }
    const struct ynode *fm =
        ytree_parse(&L->tmp, s + fm_start, close_start - fm_start, 2, L->file, L->diags);
    if (!fm) {
        note->broken = true;
    } else if (fm->kind != YNODE_MAP) {
        ERR(L, fm->line, "the front matter should be keys such as 'title: ...', not %s",
            ytree_kind_name(fm));
        note->broken = true;
    } else {
        load_front_matter(L, page, note, fm);
    }
    size_t body_start = close_end < len ? close_end + 1 : len;
    page->body_line = line + 1;
    keep_body(L, page, note, s + body_start, len - body_start, page->body_line);
out:
    if (!page->title)
        page->title = page->id;
}

/* Whether path is a page file directly in pages/; sets its id's length. */
static bool page_file(const char *path, size_t *id_len)
{
    if (strncmp(path, "pages/", 6) != 0)
        return false;
    const char *name = path + 6;
    size_t n = strlen(name);
    if (n <= 3 || strchr(name, '/') || strcmp(name + n - 3, ".md") != 0)
        return false;
    *id_len = n - 3;
    return true;
}

static void add_page(struct loader *L, const char *id, int line, const struct file_entry *e)
{
    struct pkg *p = L->p;
    struct pkg_page *page = &p->pages[p->page_count];
    struct pkg_page_note *note = &L->impl->notes[p->page_count];
    p->page_count++;
    page->id = arena_strdup(L->a, id);
    page->loc = (struct diag_loc){arena_printf(L->a, "pages/%s.md", id), 1};
    note_id(L, ID_ADDRESS, NULL, page->id, line, arena_printf(&L->tmp, "page '%s'", page->id),
            page);
    const char *file = L->file;
    load_page(L, page, note, e);
    L->file = file;
}

/* Reads the pages listed in package.yaml, and warns of page files that are not listed. */
void load_listed_pages(struct loader *L, const struct ynode *list)
{
    struct pkg *p = L->p;
    size_t n = list->count < PKG_MAX_PAGES ? list->count : PKG_MAX_PAGES;
    p->pages = arena_alloc(L->a, n * sizeof(*p->pages) + 1);
    L->impl->notes = arena_alloc(L->a, n * sizeof(*L->impl->notes) + 1);
    const char **listed = arena_alloc(&L->tmp, list->count * sizeof(*listed) + 1);
    size_t listed_count = 0;
    size_t seen = 0;
    for (const struct ynode *item = list->first; item; item = item->next) {
        if (item->kind != YNODE_SCALAR || scalar_blank(item)) {
            ERR(L, item->line, "each item of 'pages' should be a page id, such as '- start'");
            continue;
        }
        if (++seen > PKG_MAX_PAGES) {
            ERR(L, item->line, "a package may have at most %d pages", PKG_MAX_PAGES);
            break;
        }
        const char *id = item->str;
        int dup_line = 0;
        for (size_t i = 0; i < listed_count; i++)
            if (strcmp(listed[i], id) == 0)
                dup_line = -1;
        if (dup_line) {
            ERR(L, item->line, "page '%s' is listed twice", id);
            continue;
        }
        listed[listed_count++] = id;
        if (!pkg_id_valid(id)) {
            ERR(L, item->line,
                "'%s' is not a valid page id: use lower-case letters, digits and single "
                "hyphens, starting with a letter (at most %d characters), e.g. 'say-no'",
                id, PKG_ID_MAX);
            continue;
        }
        if (reserved_page_id(id)) {
            ERR(L, item->line, "'%s' cannot be a page id: planpack uses that address itself", id);
            continue;
        }
        char path[64];
        snprintf(path, sizeof(path), "pages/%s.md", id);
        const struct file_entry *e = fileset_get(L->fs, path);
        if (!e) {
            ERR(L, item->line, "page '%s' has no file: expected %s", id, path);
            continue;
        }
        add_page(L, id, item->line, e);
    }
    for (size_t i = 0; i < L->fs->count; i++) {
        const char *path = L->fs->files[i].path;
        size_t id_len = 0;
        if (!page_file(path, &id_len))
            continue;
        bool found = false;
        for (size_t j = 0; j < listed_count && !found; j++)
            found = strlen(listed[j]) == id_len && memcmp(listed[j], path + 6, id_len) == 0;
        if (!found)
            diag_warning(L->diags, path, 1,
                         "this page is not in the 'pages' list of package.yaml, so it is left "
                         "out");
    }
}

/* Without a readable 'pages' list, every page file is read so that its problems show too. */
void load_all_pages(struct loader *L)
{
    struct pkg *p = L->p;
    size_t n = 0;
    for (size_t i = 0; i < L->fs->count; i++) {
        size_t id_len;
        if (page_file(L->fs->files[i].path, &id_len))
            n++;
    }
    if (n > PKG_MAX_PAGES)
        n = PKG_MAX_PAGES;
    p->pages = arena_alloc(L->a, n * sizeof(*p->pages) + 1);
    L->impl->notes = arena_alloc(L->a, n * sizeof(*L->impl->notes) + 1);
    for (size_t i = 0; i < L->fs->count && p->page_count < n; i++) {
        const struct file_entry *e = &L->fs->files[i];
        size_t id_len;
        if (!page_file(e->path, &id_len))
            continue;
        char *id = arena_strndup(&L->tmp, e->path + 6, id_len);
        if (pkg_id_valid(id))
            add_page(L, id, 1, e);
    }
}

const char *pkg_page_kind_name(enum pkg_page_kind k)
{
    return (size_t)k < PAGE_KIND_COUNT ? page_kinds[k].name : "?";
}

const char *pkg_audience_name(enum pkg_audience a)
{
    return (size_t)a < COUNT(audience_names) ? audience_names[a] : "pupil";
}
