/*
 * A set of files held in memory, named by paths relative to their root ("pages/start.md").
 * Packages are loaded from a fileset, so that a folder on disk and the package embedded
 * in the binary go through exactly the same loader.
 */
#ifndef PLANPACK_FILESET_H
#define PLANPACK_FILESET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

struct file_entry {
    const char *path;          /* relative, '/'-separated */
    const unsigned char *data; /* NUL-terminated for convenience; len excludes it */
    size_t len;
};

struct fileset {
    struct file_entry *files; /* sorted by path */
    size_t count;
    size_t cap;
    bool owned; /* whether paths and data are heap copies this set frees */
};

/* Limits that keep a hostile or mistaken folder from exhausting memory. */
#define FILESET_MAX_FILES 2000
#define FILESET_MAX_FILE_SIZE ((size_t)4 << 20)
#define FILESET_MAX_DEPTH 8
#define FILESET_MAX_TOTAL_SIZE ((size_t)64 << 20)

/*
 * Reads every regular file under dir (skipping names that start with '.'), into a set
 * that owns its copies. Links are never followed and only plain files and folders are
 * read, so nothing outside dir can be; a link, a device or a pipe is an error against its
 * path. Other problems (unreadable, too large, too many files, more than
 * FILESET_MAX_TOTAL_SIZE in all) go to diags against the file concerned. Returns 0, or -1
 * if dir itself cannot be read.
 */
__attribute__((warn_unused_result)) int fileset_read_dir(struct fileset *fs, const char *dir,
                                                         struct diag_list *diags);

/* Builds a set that borrows static entries (such as the embedded package): nothing copied. */
void fileset_borrow(struct fileset *fs, const struct file_entry *entries, size_t count);

/* Frees what the set owns. Accepts a zeroed set. */
void fileset_release(struct fileset *fs);

/* Finds a file by relative path; NULL if absent. The entry is borrowed from the set. */
const struct file_entry *fileset_get(const struct fileset *fs, const char *path);

/* The embedded default package and the built-in assets (generated at build time). */
extern const struct file_entry embedded_package[];
extern const size_t embedded_package_count;
extern const struct file_entry embedded_assets[];
extern const size_t embedded_assets_count;
/* The interface catalogs planpack ships (src/site/catalogs/LL.yaml, pkg/catalog.h). */
extern const struct file_entry embedded_catalogs[];
extern const size_t embedded_catalogs_count;

#endif
