/*
 * The site as files in memory: every page rendered once, every text file gzip-compressed
 * once, each with a strong ETag, so that serving is a lookup and exporting is a copy.
 */
#include "site/render.h"
#include "base/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Lets deflate read from const data without a cast. */
#define ZLIB_CONST
#include <zlib.h>

/* The site that holds the files: the root. */
static const struct site *files_of(const struct site *s)
{
    return s->root ? s->root : s;
}

/* --- bytes ------------------------------------------------------------------------- */

static uint64_t fnv1a64(const unsigned char *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* gzip at level 9 with a zero timestamp, so the same input always gives the same bytes. */
static unsigned char *gzip(struct arena *a, const unsigned char *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (len > UINT32_MAX / 2 ||
        deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t bound = deflateBound(&zs, (uLong)len);
    unsigned char *out = arena_alloc(a, bound);
    zs.next_in = data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)bound;
    int rc = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : NULL;
}

static const char *ext_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static const struct {
    const char *ext;
    const char *type;
    bool text;
} types[] = {
    {"html", "text/html; charset=utf-8", true},
    {"css", "text/css; charset=utf-8", true},
    {"js", "text/javascript; charset=utf-8", true},
    {"svg", "image/svg+xml", true},
    {"txt", "text/plain; charset=utf-8", true},
    {"json", "application/json", true},
    {"png", "image/png", false},
    {"jpg", "image/jpeg", false},
    {"jpeg", "image/jpeg", false},
    {"gif", "image/gif", false},
    {"webp", "image/webp", false},
};

static int type_index(const char *path)
{
    const char *ext = ext_of(path);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i].ext, ext) == 0)
            return (int)i;
    return -1;
}

/* Only pictures are published from a package: never a page or a script of its own. */
static bool is_image(const char *path)
{
    int t = type_index(path);
    return t >= 0 && strncmp(types[t].type, "image/", 6) == 0;
}

/* --- files ------------------------------------------------------------------------- */

static struct site_file *add_file(struct site *s, const char *path, const unsigned char *data,
                                  size_t len)
{
    XGROW(s->files, s->cap, s->count + 1);
    struct site_file *f = &s->files[s->count++];
    memset(f, 0, sizeof(*f));
    f->path = arena_strdup(&s->arena, path);
    int t = type_index(path);
    f->type = t >= 0 ? types[t].type : "application/octet-stream";
    f->data = data;
    f->len = len;
    return f;
}

/* Takes a rendered page into the site; false when it passed the size limit. */
static bool add_page(struct site *s, const char *path, struct buf *b)
{
    if (!buf_ok(b)) {
        fprintf(stderr, "planpack: %s: the page is larger than the limit of %zu bytes\n", path,
                SITE_PAGE_MAX);
        return false;
    }
    unsigned char *copy = arena_alloc(&s->arena, b->len + 1);
    memcpy(copy, b->ptr, b->len);
    struct site_file *f = add_file(s, path, copy, b->len);
    f->page = true;
    return true;
}

typedef void page_fn(struct render *r);

/* Renders one page (or one story step, or the worksheet) of the site v, in v's language,
 * into the files of s (the root), in v's folder. */
static bool render_one(struct site *s, const struct site *v, const struct pkg_page *page,
                       const struct pkg_step *step, const char *name_suffix, page_fn *fn,
                       struct buf *out)
{
    struct buf name;
    buf_init(&name, 4096);
    buf_reset(out);
    struct render r;
    render_init(&r, v, out, page);
    r.step = step;
    r.file_step = name_suffix;
    fn(&r);
    render_release(&r);
    buf_adds(&name, v->lang_dir);
    render_file_name(v->pkg, &name, page, name_suffix);
    bool ok = add_page(s, name.ptr, out);
    buf_release(&name);
    return ok;
}

static page_fn *page_renderer(enum pkg_page_kind kind)
{
    return render_kind(kind)->render;
}

/* Renders every page of the site v (one language) into s, the root. */
static bool render_language(struct site *s, struct site *v, struct buf *out)
{
    const struct pkg *p = v->pkg;
    bool ok = true;
    for (size_t i = 0; ok && i < p->page_count; i++) {
        const struct pkg_page *page = &p->pages[i];
        if (page->kind == PAGE_STORY && page->story.step_count) {
            /* The first step is the story's own page; every other step has its own page,
             * so that each one works without a script and has an address. */
            const struct pkg_story *st = &page->story;
            for (size_t k = 0; ok && k < st->step_count; k++)
                ok = render_one(s, v, page, &st->steps[k], k ? st->steps[k].id : NULL,
                                render_page_story_step, out);
            continue;
        }
        ok = render_one(s, v, page, NULL, NULL, page_renderer(page->kind), out);
        if (ok && page->kind == PAGE_PLAN)
            ok = render_one(s, v, page, NULL, PLAN_WORKSHEET_STEP, render_page_worksheet, out);
    }
    struct buf name;
    buf_init(&name, 4096);
    if (ok) {
        /* The lesson presentation, for every package: it belongs to no page. */
        buf_reset(out);
        struct render r;
        render_init(&r, v, out, NULL);
        render_page_teach(&r);
        render_release(&r);
        buf_adds(&name, v->lang_dir);
        buf_adds(&name, TEACH_FILE);
        ok = add_page(s, name.ptr, out);
    }
    if (ok) {
        buf_reset(out);
        struct render r;
        render_init(&r, v, out, NULL);
        /* The served 404 page answers at any depth ("/a/b/c"), so its links start at "/". */
        if (s->mode == SITE_SERVE)
            render_anywhere(&r);
        render_page_not_found(&r);
        render_release(&r);
        buf_reset(&name);
        buf_adds(&name, v->lang_dir);
        buf_adds(&name, "404.html");
        ok = add_page(s, name.ptr, out);
        v->not_found = s->count - 1;
    }
    buf_release(&name);
    return ok;
}

static bool render_pages(struct site *s)
{
    struct buf out;
    buf_init(&out, SITE_PAGE_MAX);
    bool ok = true;
    for (size_t i = 0; ok && i < s->lang_count; i++)
        ok = render_language(s, s->langs[i], &out);
    buf_release(&out);
    return ok;
}

/* --- assets ------------------------------------------------------------------------ */

/* "icons/exit.svg" with hash h becomes "assets/icons/exit.1a2b3c4d.svg". */
static const char *hashed_name(struct arena *a, const char *name, uint64_t h)
{
    const char *ext = ext_of(name);
    size_t stem = *ext ? (size_t)(ext - 1 - name) : strlen(name);
    return arena_printf(a, "assets/%.*s.%08x%s%s", (int)stem, name,
                        (unsigned)((h >> 32) ^ (h & 0xffffffffu)), *ext ? "." : "", ext);
}

static void plan_assets(struct site *s)
{
    s->assets = xcalloc(embedded_assets_count ? embedded_assets_count : 1, sizeof(*s->assets));
    for (size_t i = 0; i < embedded_assets_count; i++) {
        const struct file_entry *e = &embedded_assets[i];
        if (!*e->path)
            continue;
        struct site_asset *a = &s->assets[s->asset_count++];
        a->name = e->path;
        a->path = hashed_name(&s->arena, e->path, fnv1a64(e->data, e->len));
    }
}

static void add_assets(struct site *s)
{
    for (size_t i = 0, k = 0; i < embedded_assets_count; i++) {
        const struct file_entry *e = &embedded_assets[i];
        if (!*e->path)
            continue;
        struct site_file *f = add_file(s, s->assets[k++].path, e->data, e->len);
        f->immutable = true;
    }
    /* Package pictures keep their names, so authors' Markdown can point at them. */
    const struct pkg *p = s->pkg;
    for (size_t i = 0; i < p->file_count; i++) {
        const struct pkg_file *pf = &p->files[i];
        if (strncmp(pf->path, "images/", 7) == 0 && is_image(pf->path))
            add_file(s, pf->path, pf->data, pf->len);
    }
}

const char *site_asset_path(const struct site *s, const char *name)
{
    s = files_of(s);
    for (size_t i = 0; i < s->asset_count; i++)
        if (strcmp(s->assets[i].name, name) == 0)
            return s->assets[i].path;
    return NULL;
}

/* --- compression, tags, lookup tables ---------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct site_route_entry *)a)->route,
                  ((const struct site_route_entry *)b)->route);
}

/* Binary search in a table sorted by cmp_entry(); the file's index, or -1. */
static long lookup(const struct site_route_entry *t, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(key, t[mid].route);
        if (c == 0)
            return (long)t[mid].file;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

static bool finish(struct site *s)
{
    for (size_t i = 0; i < s->count; i++) {
        struct site_file *f = &s->files[i];
        int t = type_index(f->path);
        if (t >= 0 && types[t].text)
            f->gz = gzip(&s->arena, f->data, f->len, &f->gz_len);
        snprintf(f->etag, sizeof(f->etag), "\"%016llx\"",
                 (unsigned long long)fnv1a64(f->data, f->len));
        if (f->page && f->gz && f->gz_len > SITE_PAGE_GZ_BUDGET)
            fprintf(stderr,
                    "planpack: warning: %s is %zu bytes compressed, above the "
                    "%zu-byte budget for one round trip\n",
                    f->path, f->gz_len, SITE_PAGE_GZ_BUDGET);
    }

    s->by_path = xmalloc((s->count ? s->count : 1) * sizeof(*s->by_path));
    for (size_t i = 0; i < s->count; i++)
        s->by_path[i] = (struct site_route_entry){s->files[i].path, i};
    qsort(s->by_path, s->count, sizeof(*s->by_path), cmp_entry);
    for (size_t i = 1; i < s->count; i++) {
        const char *a = s->by_path[i - 1].route;
        if (strcmp(a, s->by_path[i].route) == 0) {
            fprintf(stderr,
                    "planpack: two pages would both be %s; rename a page or a "
                    "story step\n",
                    a);
            return false;
        }
    }

    s->routes = xmalloc((s->count ? s->count : 1) * sizeof(*s->routes));
    for (size_t i = 0; i < s->count; i++) {
        const struct site_file *f = &s->files[i];
        const char *route;
        bool not_found = false;
        for (size_t k = 0; k < s->lang_count; k++)
            not_found |= i == s->langs[k]->not_found;
        if (not_found)
            continue;
        size_t n = strlen(f->path);
        if (strcmp(f->path, "index.html") == 0)
            route = "/";
        else if (f->page && n > 11 && strcmp(f->path + n - 11, "/index.html") == 0)
            route = arena_printf(&s->arena, "/%.*s", (int)(n - 10), f->path);
        else if (f->page)
            route = arena_printf(&s->arena, "/%.*s", (int)(strlen(f->path) - 5), f->path);
        else
            route = arena_printf(&s->arena, "/%s", f->path);
        s->routes[s->route_count++] = (struct site_route_entry){route, i};
    }
    qsort(s->routes, s->route_count, sizeof(*s->routes), cmp_entry);
    return true;
}

bool site_public_url_valid(const char *url)
{
    if (!url)
        return false;
    size_t n = strlen(url);
    const char *host;
    if (strncmp(url, "https://", 8) == 0)
        host = url + 8;
    else if (strncmp(url, "http://", 7) == 0)
        host = url + 7;
    else
        return false;
    if (n > SITE_PUBLIC_URL_MAX)
        return false;
    /* The host: a name or an IPv4 address, or an IPv6 address in brackets. */
    const char *p = host;
    if (*p == '[') {
        p++;
        while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F') ||
               *p == ':' || *p == '.')
            p++;
        if (*p != ']' || p == host + 1)
            return false;
        p++;
    } else {
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
               *p == '-' || *p == '.')
            p++;
        if (p == host || host[0] == '.' || host[0] == '-' || p[-1] == '-')
            return false;
    }
    if (*p == ':') {
        const char *port = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == port || p - port > 5 || strtol(port, NULL, 10) > 65535)
            return false;
    }
    if (*p && *p != '/')
        return false;
    /* The path: characters that need no escaping in a URL or in HTML. */
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c >= 0x7f || strchr("\"'<>\\^`{|}?#", c))
            return false;
    }
    return true;
}

const char *site_public_url(const struct site *s)
{
    return s->public_url;
}

const struct pkg *site_pkg(const struct site *s)
{
    return s->pkg;
}

/*
 * The interface's words for language: the catalog planpack ships for it, with each text it
 * lacks taken from the English one, so that a page never has a hole where a word should be.
 */
static void merge_catalog(struct site *s, struct arena *a, const struct pkg *p,
                          const char *language)
{
    const struct ui_catalog *en = ui_catalog_builtin(a, "en");
    const struct ui_catalog *own = ui_catalog_builtin(a, language);
    /* The package's own catalog for the language comes first (ui_catalog_check() reports its
     * problems to the author; whatever of it reads well is used). */
    struct ui_catalog pc;
    const struct pkg_file *f = ui_package_catalog(p, language);
    struct diag_list ignored;
    diag_list_init(&ignored);
    int rc = f ? ui_catalog_read(&pc, a, (const char *)f->data, f->len, f->path, &ignored) : -1;
    bool has_pc = f != NULL; /* what reads well is used, even beside a mistake (rc < 0) */
    (void)rc;
    diag_list_release(&ignored);
    struct ui_catalog *c = &s->ui;
    memset(c, 0, sizeof(*c));
    c->language = language;
    c->name = has_pc && pc.name  ? pc.name
              : own && own->name ? own->name
                                 : ui_language_name(language);
    c->draft = has_pc ? pc.draft : own && own->draft;
    memset(s->ui_english, 0, sizeof(s->ui_english));
    s->ui_english_count = 0;
    for (size_t i = 0; i < UI_TEXT_COUNT; i++) {
        const char *t = has_pc ? pc.text[i] : NULL;
        if (!t && own)
            t = own->text[i];
        /* On an English page own is the English catalog, which has every text. */
        if (!t && en && en->text[i]) {
            s->ui_english[i] = true;
            s->ui_english_count++;
        }
        c->text[i] = t ? t : en && en->text[i] ? en->text[i] : "";
    }
}

/*
 * The site in each language the package lists: the root in the source language, and a
 * view for each other one, with its folder, its package as seen in that language and its
 * interface words. A language the package cannot show (no view) is left out.
 */
static void add_languages(struct site *s)
{
    const struct pkg *p = s->pkg;
    s->lang_dir = "";
    s->lang_abs = "/";
    merge_catalog(s, &s->arena, p, p->language && *p->language ? p->language : "en");
    s->langs = xcalloc(p->n_languages + 1, sizeof(struct site *));
    s->langs[s->lang_count++] = s;
    for (size_t i = 1; i < p->n_languages; i++) {
        const struct pkg *view = pkg_in_language(p, p->languages[i]);
        if (!view || view == p)
            continue;
        struct site *v = xcalloc(1, sizeof(*v));
        v->root = s;
        v->pkg = view;
        v->mode = s->mode;
        v->public_url = s->public_url;
        v->public_url_local = s->public_url_local;
        v->lang_dir = arena_printf(&s->arena, "%s/", p->languages[i]);
        v->lang_abs = arena_printf(&s->arena, "/%s/", p->languages[i]);
        merge_catalog(v, &s->arena, p, p->languages[i]);
        s->langs[s->lang_count++] = v;
    }
}

const struct site *site_in_language(const struct site *s, const char *lang)
{
    const struct site *root = s->root ? s->root : s;
    for (size_t i = 0; lang && i < root->lang_count; i++)
        if (strcasecmp(root->langs[i]->pkg->language, lang) == 0)
            return root->langs[i];
    return NULL;
}

const struct site *site_for_path(const struct site *s, const char *url_path, const char **rest)
{
    const struct site *root = s->root ? s->root : s;
    for (size_t i = 1; url_path && i < root->lang_count; i++) {
        const char *dir = root->langs[i]->lang_abs;
        size_t n = strlen(dir);
        if (strncmp(url_path, dir, n) == 0) {
            if (rest)
                *rest = url_path + n - 1;
            return root->langs[i];
        }
    }
    if (rest)
        *rest = url_path;
    return root;
}

struct site *site_render(const struct pkg *p, enum site_mode mode)
{
    struct site_options opt = {.mode = mode};
    return site_render_with(p, &opt);
}

struct site *site_render_with(const struct pkg *p, const struct site_options *opt)
{
    if (opt->public_url && !site_public_url_valid(opt->public_url)) {
        fprintf(stderr, "planpack: '%s' is not a public address planpack can use\n",
                opt->public_url);
        return NULL;
    }
    struct site *s = xcalloc(1, sizeof(*s));
    s->pkg = p;
    s->mode = opt->mode;
    if (opt->public_url) {
        size_t n = strlen(opt->public_url);
        bool slash = n && opt->public_url[n - 1] == '/';
        s->public_url = arena_printf(&s->arena, "%s%s", opt->public_url, slash ? "" : "/");
        s->public_url_local = opt->public_url_local;
    }
    add_languages(s);
    plan_assets(s);
    bool ok = render_pages(s);
    if (ok) {
        add_assets(s);
        ok = finish(s);
    }
    if (!ok) {
        site_free(s);
        return NULL;
    }
    return s;
}

void site_free(struct site *s)
{
    if (!s)
        return;
    for (size_t i = 1; i < s->lang_count; i++)
        free(s->langs[i]);
    free(s->langs);
    arena_release(&s->arena);
    free(s->files);
    free(s->by_path);
    free(s->routes);
    free(s->assets);
    free(s);
}

size_t site_file_count(const struct site *s)
{
    s = files_of(s);
    return s->count;
}

const struct site_file *site_file_at(const struct site *s, size_t i)
{
    s = files_of(s);
    return i < s->count ? &s->files[i] : NULL;
}

const struct site_file *site_get(const struct site *s, const char *path)
{
    s = files_of(s);
    long i = path ? lookup(s->by_path, s->count, path) : -1;
    return i < 0 ? NULL : &s->files[i];
}

const struct site_file *site_route(const struct site *s, const char *url_path)
{
    s = files_of(s);
    if (!url_path || url_path[0] != '/')
        return NULL;
    size_t n = strlen(url_path);
    if (strstr(url_path, "//") || strstr(url_path, "/./") || strstr(url_path, "/../") ||
        (n >= 2 && strcmp(url_path + n - 2, "/.") == 0) ||
        (n >= 3 && strcmp(url_path + n - 3, "/..") == 0) ||
        (n >= 5 && strcmp(url_path + n - 5, ".html") == 0))
        return NULL;
    long i = lookup(s->routes, s->route_count, url_path);
    return i < 0 ? NULL : &s->files[i];
}

const struct site_file *site_not_found(const struct site *s)
{
    return &files_of(s)->files[s->not_found];
}
