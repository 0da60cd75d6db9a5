#include "pkg/yamltree.h"

#include <string.h>
#include <yaml.h>

/* What libyaml says, and what an author needs to hear instead. */
struct problem_words {
    const char *problem; /* a substring of libyaml's problem text */
    const char *context; /* a substring of its context, or NULL for any */
    const char *words;
};

static const struct problem_words problem_table[] = {
    {"mapping values are not allowed", NULL,
     "a ':' is not allowed here: if the text holds ': ', put the whole text in quotes; "
     "otherwise check the indentation"},
    {"could not find expected ':'", NULL,
     "this line should look like 'key: value' but has no ':' (or a quote is not closed)"},
    {"did not find expected key", NULL,
     "this line does not line up with the keys above it: check the indentation"},
    {"did not find expected '-' indicator", NULL,
     "this line does not line up with the list above it: each item starts with '- ' at the "
     "same indentation"},
    {"found unexpected end of stream", "quoted scalar",
     "a quote opened on this line is never closed"},
    {"found unexpected end of stream", NULL,
     "the text ends too soon: a quote or bracket is not closed"},
    {"block sequence entries are not allowed", NULL,
     "a list item ('- ') is not allowed here: check the indentation"},
    {"did not find expected node content", NULL, "a value is missing here"},
    {"did not find expected ',' or ']'", NULL,
     "a list in [square brackets] that starts on this line is not closed with ']' (put text "
     "that holds a comma or a colon in quotes)"},
    {"did not find expected ',' or '}'", NULL,
     "a set of keys in {braces} that starts on this line is not closed with '}' (put text "
     "that holds a comma or a colon in quotes)"},
    {"tag", NULL, "'!' at the start of a value starts a YAML tag: put the whole text in quotes"},
    {"found unknown escape character", NULL,
     "unknown backslash escape in double quotes: use single quotes, or write \\\\ for a "
     "backslash"},
    {"control characters are not allowed", NULL,
     "the file holds a control character, which is not allowed in text"},
    {"UTF-8", NULL, "the file is not valid UTF-8 text: save it as UTF-8"},
    {"UTF-16", NULL, "the file is not valid UTF-8 text: save it as UTF-8"},
    {"invalid Unicode character", NULL, "the file is not valid UTF-8 text: save it as UTF-8"},
    {"found a tab character", NULL, "use spaces, not tabs, to indent"},
    {"did not find expected comment or line break", NULL,
     "there is more text after the value on this line: put the whole text in quotes"},
    {"found unexpected ':'", NULL, "a ':' is not allowed here: put the whole text in quotes"},
    {"did not find expected alphabetic or numeric character", NULL,
     "a value that starts with '*' or '&' must be in quotes"},
};

/* 0-based index of the line holding the last character of text, so that a problem found
 * "after the end" is reported on the last line an author can see. */
static size_t last_line_index(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && i + 1 < len)
            n++;
    return n;
}

static void report_syntax(const yaml_parser_t *p, const char *text, size_t len, int first_line,
                          const char *file, struct diag_list *diags)
{
    const char *problem = p->problem ? p->problem : "unknown problem";
    const char *context = p->context ? p->context : "";
    /* A key, quote or bracket that is never finished is best shown where it started. */
    yaml_mark_t mark = p->problem_mark;
    if (p->context && (strstr(context, "simple key") || strstr(context, "quoted scalar") ||
                       strstr(context, "flow")))
        mark = p->context_mark;
    size_t last = last_line_index(text, len);
    size_t line_index = mark.line > last ? last : mark.line;
    int line = first_line + (int)line_index;

    if (strstr(problem, "cannot start any token")) {
        size_t at = p->problem_mark.index;
        unsigned char c = at < len ? (unsigned char)text[at] : 0;
        if (c == '\t')
            diag_error(diags, file, line, "YAML syntax error: use spaces, not tabs, to indent");
        else if (c > ' ' && c < 0x7f)
            diag_error(diags, file, line,
                       "YAML syntax error: a value cannot start with '%c': put the whole text "
                       "in quotes",
                       c);
        else
            diag_error(diags, file, line,
                       "YAML syntax error: this line holds a character that is not allowed here");
        return;
    }
    for (size_t i = 0; i < sizeof(problem_table) / sizeof(problem_table[0]); i++) {
        const struct problem_words *w = &problem_table[i];
        if (!strstr(problem, w->problem) && !strstr(context, w->problem))
            continue;
        if (w->context && !strstr(context, w->context))
            continue;
        diag_error(diags, file, line, "YAML syntax error: %s", w->words);
        return;
    }
    diag_error(diags, file, line, "YAML syntax error: %s%s%s", problem, *context ? ", " : "",
               context);
}

const char *ytree_kind_name(const struct ynode *n)
{
    switch (n->kind) {
    case YNODE_SEQ:
        return "a list";
    case YNODE_MAP:
        return "a set of keys";
    case YNODE_SCALAR:
        break;
    }
    return "text";
}

const struct ynode *ytree_get(const struct ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAP)
        return NULL;
    for (const struct ynode *m = map->first; m; m = m->next)
        if (strcmp(m->key, key) == 0)
            return m;
    return NULL;
}

struct builder {
    struct arena *a;
    const char *file;
    struct diag_list *diags;
    int first_line;
    struct ynode *stack[YTREE_MAX_DEPTH + 1];
    struct ynode *last[YTREE_MAX_DEPTH + 1]; /* each open node's last child */
    int depth;
    size_t nodes;
    struct ynode *root;
};

static int mark_line(const struct builder *b, yaml_mark_t m)
{
    return b->first_line + (int)m.line;
}

/* Turns a map's alternating key and value children into members that carry their key. */
static void pair_members(struct builder *b, struct ynode *map)
{
    struct ynode *kept = NULL;
    struct ynode *kept_last = NULL;
    size_t count = 0;
    struct ynode *n = map->first;
    while (n && n->next) {
        struct ynode *keynode = n;
        struct ynode *value = n->next;
        n = value->next;
        value->next = NULL;
        if (keynode->kind != YNODE_SCALAR) {
            diag_error(b->diags, b->file, keynode->line, "a key must be a plain name, not %s",
                       ytree_kind_name(keynode));
            continue;
        }
        const struct ynode *dup = NULL;
        for (const struct ynode *m = kept; m; m = m->next)
            if (strcmp(m->key, keynode->str) == 0)
                dup = m;
        if (dup) {
            diag_error(b->diags, b->file, keynode->line, "'%s' is given twice (first on line %d)",
                       keynode->str, dup->key_line);
            continue;
        }
        value->key = keynode->str;
        value->key_line = keynode->line;
        if (kept_last)
            kept_last->next = value;
        else
            kept = value;
        kept_last = value;
        count++;
    }
    map->first = kept;
    map->count = count;
}

/* Adds n under the open node (or as the root). Returns -1 when a limit is passed. */
static int attach(struct builder *b, struct ynode *n)
{
    if (++b->nodes > YTREE_MAX_NODES) {
        diag_error(b->diags, b->file, n->line,
                   "this file holds more than %d YAML values, the most a package file may hold",
                   YTREE_MAX_NODES);
        return -1;
    }
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    struct ynode *parent = b->stack[b->depth - 1];
    size_t items = parent->kind == YNODE_MAP ? (parent->count + 2) / 2 : parent->count + 1;
    if (items > YTREE_MAX_ITEMS) {
        diag_error(b->diags, b->file, n->line, "%s holds more than %d items, the most allowed",
                   parent->kind == YNODE_MAP ? "this set of keys" : "this list", YTREE_MAX_ITEMS);
        return -1;
    }
    if (b->last[b->depth - 1])
        b->last[b->depth - 1]->next = n;
    else
        parent->first = n;
    b->last[b->depth - 1] = n;
    parent->count++;
    return 0;
}

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, yaml_mark_t m)
{
    struct ynode *n = arena_alloc(b->a, sizeof(*n));
    n->kind = kind;
    n->line = n->text_line = mark_line(b, m);
    return n;
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    struct ynode *n = new_node(b, YNODE_SCALAR, ev->start_mark);
    if (len > YTREE_MAX_TEXT) {
        diag_error(b->diags, b->file, n->line,
                   "this text is longer than %d bytes, the most allowed in front matter or "
                   "package.yaml",
                   YTREE_MAX_TEXT);
        return -1;
    }
    if (memchr(value, '\0', len)) {
        diag_error(b->diags, b->file, n->line, "this text holds a NUL character (\\0)");
        return -1;
    }
    n->str = arena_strndup(b->a, value, len);
    n->len = len;
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
        ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE)
        n->text_line = n->line + 1;
    return attach(b, n);
}

static int on_open(struct builder *b, enum ynode_kind kind, yaml_mark_t m)
{
    struct ynode *n = new_node(b, kind, m);
    if (attach(b, n) != 0)
        return -1;
    if (b->depth >= YTREE_MAX_DEPTH) {
        diag_error(b->diags, b->file, n->line,
                   "the YAML is nested more than %d levels deep, the most allowed",
                   YTREE_MAX_DEPTH);
        return -1;
    }
    b->stack[b->depth] = n;
    b->last[b->depth] = NULL;
    b->depth++;
    return 0;
}

static void on_close(struct builder *b)
{
    if (b->depth == 0)
        return;
    struct ynode *n = b->stack[--b->depth];
    if (n->kind == YNODE_MAP)
        pair_members(b, n);
}

struct ynode *ytree_parse(struct arena *a, const char *text, size_t len, int first_line,
                          const char *file, struct diag_list *diags)
{
    struct builder b = {.a = a, .file = file, .diags = diags, .first_line = first_line};
    struct ynode *result = NULL;
    int documents = 0;
    bool done = false;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        diag_error(diags, file, first_line, "out of memory while reading YAML");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_syntax(&parser, text, len, first_line, file, diags);
            goto out;
        }
        int rc = 0;
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1) {
                diag_error(diags, file, mark_line(&b, ev.start_mark),
                           "a second YAML document starts here: a file holds only one, so "
                           "remove this '---' (or put text that starts with it in quotes)");
                rc = -1;
            }
            break;
        case YAML_ALIAS_EVENT:
            diag_error(diags, file, mark_line(&b, ev.start_mark),
                       "'*%s' is a YAML alias, which packages do not use: write the value out "
                       "in full (or put text that starts with '*' in quotes)",
                       (const char *)ev.data.alias.anchor);
            rc = -1;
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(&b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_open(&b, YNODE_SEQ, ev.start_mark);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_open(&b, YNODE_MAP, ev.start_mark);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            on_close(&b);
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        }
        yaml_event_delete(&ev);
        if (rc != 0)
            goto out;
    }
    result = b.root;
    if (!result) {
        result = arena_alloc(a, sizeof(*result));
        result->kind = YNODE_MAP;
        result->line = result->text_line = first_line;
    }
out:
    yaml_parser_delete(&parser);
    return result;
}
