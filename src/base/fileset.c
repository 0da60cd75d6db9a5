#include "base/fileset.h"
#include "base/buf.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct file_entry *)a)->path, ((const struct file_entry *)b)->path);
}

static int read_file(const char *full, size_t *len_out, unsigned char **data_out)
{
    FILE *f = fopen(full, "rb");
    if (!f)
        return -1;
    struct buf b;
    buf_init(&b, FILESET_MAX_FILE_SIZE);
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err || !buf_ok(&b)) {
        int rc = err ? -1 : -2;
        buf_release(&b);
        return rc;
    }
    *data_out = (unsigned char *)buf_detach(&b, len_out);
    return 0;
}

/* Joins a, "/" and b into out; false when the result would not fit. */
static bool join_path(char *out, size_t size, const char *a, const char *b)
{
    int n = snprintf(out, size, "%s%s%s", a, *a && *b ? "/" : "", b);
    return n >= 0 && (size_t)n < size;
}

static void walk(struct fileset *fs, const char *root, const char *rel, int depth,
                 struct diag_list *diags)
{
    char full[4096];
    if (!join_path(full, sizeof(full), root, rel)) {
        diag_error(diags, rel, 0, "path is too long");
        return;
    }
    DIR *d = opendir(full);
    if (!d) {
        diag_error(diags, *rel ? rel : ".", 0, "cannot read folder: %s", strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char relpath[2048];
        if (!join_path(relpath, sizeof(relpath), rel, e->d_name) ||
            !join_path(full, sizeof(full), root, relpath)) {
            diag_error(diags, rel, 0, "path is too long: %s", e->d_name);
            continue;
        }
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth >= FILESET_MAX_DEPTH)
                diag_error(diags, relpath, 0, "folders are nested too deeply (limit %d)",
                           FILESET_MAX_DEPTH);
            else
                walk(fs, root, relpath, depth + 1, diags);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        if (fs->count >= FILESET_MAX_FILES) {
            diag_error(diags, relpath, 0, "too many files in the package (limit %d)",
                       FILESET_MAX_FILES);
            break;
        }
        unsigned char *data = NULL;
        size_t len = 0;
        int rc = read_file(full, &len, &data);
        if (rc == -2) {
            diag_error(diags, relpath, 0, "file is larger than the limit of %zu bytes",
                       FILESET_MAX_FILE_SIZE);
            continue;
        }
        if (rc != 0) {
            diag_error(diags, relpath, 0, "cannot read file: %s", strerror(errno));
            continue;
        }
        XGROW(fs->files, fs->cap, fs->count + 1);
        fs->files[fs->count++] = (struct file_entry){xstrdup(relpath), data, len};
    }
    closedir(d);
}

int fileset_read_dir(struct fileset *fs, const char *dir, struct diag_list *diags)
{
    memset(fs, 0, sizeof(*fs));
    fs->owned = true;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    walk(fs, dir, "", 0, diags);
    if (fs->count)
        qsort(fs->files, fs->count, sizeof(*fs->files), cmp_entry);
    return 0;
}

void fileset_borrow(struct fileset *fs, const struct file_entry *entries, size_t count)
{
    memset(fs, 0, sizeof(*fs));
    fs->files = xmalloc((count ? count : 1) * sizeof(*fs->files));
    memcpy(fs->files, entries, count * sizeof(*entries));
    fs->count = fs->cap = count;
    qsort(fs->files, fs->count, sizeof(*fs->files), cmp_entry);
}

void fileset_release(struct fileset *fs)
{
    if (!fs)
        return;
    if (fs->owned) {
        for (size_t i = 0; i < fs->count; i++) {
            free((char *)fs->files[i].path);
            free((unsigned char *)fs->files[i].data);
        }
    }
    free(fs->files);
    memset(fs, 0, sizeof(*fs));
}

const struct file_entry *fileset_get(const struct fileset *fs, const char *path)
{
    struct file_entry key = {path, NULL, 0};
    if (!fs->count)
        return NULL;
    return bsearch(&key, fs->files, fs->count, sizeof(*fs->files), cmp_entry);
}
