/*
 * The shape most of a package's lists share: a YAML list whose items are sets of known
 * keys, read into an array of structs in the package's arena. A struct list_shape says
 * what an item may hold and where each value goes; load_list() reports what does not fit,
 * in the same words for every list, and leaves the rest of an item to the list's own
 * reader.
 */
#include "pkg/loader.h"

/* Reads the id (when the item has one), then each field the table reads, in order. */
static const char *read_fields(struct loader *L, const struct ynode *map, char *item,
                               const struct list_shape *shape, const void *owner)
{
    const char *id = NULL;
    for (size_t i = 0; i < shape->field_count; i++) {
        const struct list_field *f = &shape->fields[i];
        if (f->type != FIELD_ID)
            continue;
        id = get_id(L, map, shape->id_noun ? shape->id_noun : shape->names.noun, shape->id_kind,
                    shape->id_in_owner ? owner : NULL);
        *(const char **)(item + f->offset) = id;
    }
    const char *subj = subject(L, shape->names.noun, id);
    for (size_t i = 0; i < shape->field_count; i++) {
        const struct list_field *f = &shape->fields[i];
        switch (f->type) {
        case FIELD_TEXT:
            *(const char **)(item + f->offset) = get_text(L, map, f->key, f->required, subj);
            break;
        case FIELD_MARKDOWN: {
            *(const char **)(item + f->offset) = get_text(L, map, f->key, f->required, subj);
            const struct ynode *v = ytree_get(map, f->key);
            *(int *)(item + f->line_offset) = v ? v->text_line : map->line;
            break;
        }
        case FIELD_BOOL:
            *(bool *)(item + f->offset) = get_bool(L, map, f->key);
            break;
        case FIELD_ID:
        case FIELD_OTHER:
            break;
        }
    }
    return subj;
}

void *load_list(struct loader *L, const struct ynode *list, const struct list_shape *shape,
                const void *owner, void *ctx, size_t *count)
{
    *count = 0;
    if (!list)
        return NULL;
    const char **known = arena_alloc(&L->tmp, (shape->field_count + 1) * sizeof(*known));
    for (size_t i = 0; i < shape->field_count; i++)
        known[i] = shape->fields[i].key;
    known[shape->field_count] = NULL;
    char *items = alloc_items(L, list, shape->size);
    for (const struct ynode *map = list->first; map; map = map->next) {
        if (!item_is_map(L, map, shape->names.key, shape->names.example))
            continue;
        check_keys(L, map, known, shape->names.where);
        char *item = items + (*count)++ * shape->size;
        *(struct diag_loc *)item = loader_loc(L, map->line);
        const char *subj = read_fields(L, map, item, shape, owner);
        if (shape->read_rest)
            shape->read_rest(L, map, item, subj, ctx);
    }
    return items;
}
