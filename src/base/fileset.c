#include "base/fileset.h"
#include "base/buf.h"
#include "base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct file_entry *)a)->path, ((const struct file_entry *)b)->path);
}

/* Reads the open file fd (closing it) into a new buffer of at most FILESET_MAX_FILE_SIZE. */
static int read_fd(int fd, size_t *len_out, unsigned char **data_out)
{
    struct buf b;
    buf_init(&b, FILESET_MAX_FILE_SIZE);
    char chunk[16384];
    ssize_t n;
    int rc = 0;
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            break;
        }
        buf_add(&b, chunk, (size_t)n);
        if (!buf_ok(&b)) {
            rc = -EFBIG;
            break;
        }
    }
    close(fd);
    if (rc != 0) {
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

struct walker {
    struct fileset *fs;
    struct diag_list *diags;
    size_t total; /* bytes read so far */
    bool full;    /* a limit on the whole package was reached: read no more */
};

/*
 * Reads the regular file name in the folder dfd. The file is opened without following a
 * link, and its type is taken from the open file itself, so that nothing swapped in between
 * a look and the open can be read.
 */
static void read_entry(struct walker *W, int dfd, const char *name, const char *relpath)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        diag_error(W->diags, relpath, 0, "cannot read file: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        diag_error(W->diags, relpath, 0,
                   "this is not a plain file, so it is not read: a package holds only plain "
                   "files and folders");
        return;
    }
    if (W->fs->count >= FILESET_MAX_FILES) {
        close(fd);
        diag_error(W->diags, relpath, 0, "too many files in the package (limit %d)",
                   FILESET_MAX_FILES);
        W->full = true;
        return;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = read_fd(fd, &len, &data);
    if (rc == -EFBIG) {
        diag_error(W->diags, relpath, 0, "file is larger than the limit of %zu bytes",
                   FILESET_MAX_FILE_SIZE);
        return;
    }
    if (rc != 0) {
        diag_error(W->diags, relpath, 0, "cannot read file: %s", strerror(-rc));
        return;
    }
    if (len > FILESET_MAX_TOTAL_SIZE - W->total) {
        free(data);
        diag_error(W->diags, relpath, 0,
                   "the package's files add up to more than the limit of %zu MiB; make its "
                   "pictures smaller or use fewer of them",
                   FILESET_MAX_TOTAL_SIZE >> 20);
        W->full = true;
        return;
    }
    W->total += len;
    struct fileset *fs = W->fs;
    XGROW(fs->files, fs->cap, fs->count + 1);
    fs->files[fs->count++] = (struct file_entry){xstrdup(relpath), data, len};
}

/* Reads the folder dfd (closing it), whose path in the package is rel ("" at the top). */
static void walk(struct walker *W, int dfd, const char *rel, int depth)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        diag_error(W->diags, *rel ? rel : ".", 0, "cannot read folder: %s", strerror(errno));
        close(dfd);
        return;
    }
    struct dirent *e;
    while (!W->full && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char relpath[2048];
        if (!join_path(relpath, sizeof(relpath), rel, e->d_name)) {
            diag_error(W->diags, *rel ? rel : ".", 0, "path is too long: %s", e->d_name);
            continue;
        }
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            diag_error(W->diags, relpath, 0, "cannot read: %s", strerror(errno));
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            diag_error(W->diags, relpath, 0,
                       "this is a link, and links are not followed: a package is read only "
                       "from plain files inside its folder, so copy the file here instead");
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            read_entry(W, dirfd(d), e->d_name, relpath);
            continue;
        }
        if (depth >= FILESET_MAX_DEPTH) {
            diag_error(W->diags, relpath, 0, "folders are nested too deeply (limit %d)",
                       FILESET_MAX_DEPTH);
            continue;
        }
        int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
            diag_error(W->diags, relpath, 0, "cannot read folder: %s", strerror(errno));
            continue;
        }
        walk(W, sub, relpath, depth + 1);
    }
    closedir(d);
}

int fileset_read_dir(struct fileset *fs, const char *dir, struct diag_list *diags)
{
    memset(fs, 0, sizeof(*fs));
    fs->owned = true;
    /* The folder named on the command line may itself be a link; nothing inside it is. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return -1;
    struct walker W = {.fs = fs, .diags = diags};
    walk(&W, dfd, "", 0);
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
