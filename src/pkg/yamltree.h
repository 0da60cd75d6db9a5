/*
 * A YAML document read into a small tree with line numbers, for the package loader.
 *
 * libyaml's event parser does the parsing; this module builds the tree under hard limits
 * (depth, values, text length, list length) so that a hostile or mistaken file cannot
 * exhaust memory or time, and turns libyaml's problems into plain words for authors.
 * Anchors and aliases are refused: packages do not need them, and refusing them rules out
 * the "billion laughs" expansion.
 */
#ifndef PLANPACK_YAMLTREE_H
#define PLANPACK_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
    enum ynode_kind kind;
    int line;        /* 1-based line in the file where the value starts */
    int text_line;   /* scalars: line of the text itself (a block scalar starts below '|') */
    const char *str; /* scalars: the value, NUL-terminated and free of NUL bytes */
    size_t len;
    bool plain; /* scalars: written without quotes and not as a block */
    /* Members of a map carry their key. */
    const char *key;
    int key_line;
    /* Children: the items of a list, or the members of a map, in order. */
    struct ynode *first;
    struct ynode *next;
    size_t count;
};

/* Limits on one document. Passing one is reported as an error at the line concerned. */
#define YTREE_MAX_DEPTH 20
#define YTREE_MAX_NODES 20000
#define YTREE_MAX_TEXT 65536
#define YTREE_MAX_ITEMS 1000

/*
 * Parses text[0..len) as one YAML document whose first line is line first_line of file.
 * An empty document gives an empty map. Returns the root, allocated in a; or NULL after
 * reporting a syntax error or a passed limit to diags against file.
 */
struct ynode *ytree_parse(struct arena *a, const char *text, size_t len, int first_line,
                          const char *file, struct diag_list *diags);

/* The member of map named key, or NULL. Borrowed from the tree. */
const struct ynode *ytree_get(const struct ynode *map, const char *key);

/* A short name for a node's kind in messages: "text", "a list", "a set of keys". */
const char *ytree_kind_name(const struct ynode *n);

#endif
