/*
 * Writing the site out as a static folder. The new export is built in a hidden sibling
 * folder and swapped into place, so readers never see half an export, a failure leaves
 * the old export as it was, and files of an earlier export that no longer exist are gone.
 *
 * Replacing a folder means deleting what was there, so export only ever replaces a folder
 * that is empty or that an earlier export wrote (it holds the marker file below): a
 * mistyped -o pointing at someone's documents is refused, not emptied.
 */
#include "site/render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXPORT_MARKER ".planpack-export"

static int write_all(const char *path, const unsigned char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    int rc = 0;
    /* The mode is set explicitly so that the umask cannot make the site unreadable. */
    if (fchmod(fd, 0644) != 0)
        rc = -1;
    while (rc == 0 && len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = -1;
            break;
        }
        data += n;
        len -= (size_t)n;
    }
    if (close(fd) != 0)
        rc = -1;
    return rc;
}

/* Creates every folder on the way to the file at path (relative to root). */
static int make_parents(const char *root, const char *path)
{
    char dir[4096];
    for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
        int n = snprintf(dir, sizeof(dir), "%s/%.*s", root, (int)(slash - path), path);
        if (n < 0 || (size_t)n >= sizeof(dir))
            return -1;
        if (mkdir(dir, 0755) != 0) {
            if (errno == EEXIST)
                continue;
            return -1;
        }
        /* Only a folder made here gets its mode set, whatever the umask. */
        if (chmod(dir, 0755) != 0)
            return -1;
    }
    return 0;
}

static int write_file(const char *root, const char *path, const char *suffix,
                      const unsigned char *data, size_t len)
{
    char full[4096];
    int n = snprintf(full, sizeof(full), "%s/%s%s", root, path, suffix);
    if (n < 0 || (size_t)n >= sizeof(full)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (make_parents(root, path) != 0 || write_all(full, data, len) != 0) {
        fprintf(stderr, "planpack: cannot write %s: %s\n", full, strerror(errno));
        return -1;
    }
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether dir may be replaced: it is empty, or an earlier export made it. */
static bool replaceable(const char *dir)
{
    char marker[4096];
    snprintf(marker, sizeof(marker), "%s/" EXPORT_MARKER, dir);
    if (access(marker, F_OK) == 0)
        return true;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return false;
    }
    bool empty = true;
    struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* Atomically exchanges two paths where the system can; -1 with errno otherwise. */
static int exchange(const char *a, const char *b)
{
#ifdef RENAME_EXCHANGE
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

/* Puts the finished folder tmp at outdir, removing an earlier export there. */
static int swap_into_place(const char *tmp, const char *outdir)
{
    struct stat st;
    if (lstat(outdir, &st) != 0) {
        if (errno != ENOENT || rename(tmp, outdir) != 0) {
            fprintf(stderr, "planpack: cannot create %s: %s\n", outdir, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "planpack: %s exists and is not a folder\n", outdir);
        return -1;
    }
    if (!replaceable(outdir)) {
        fprintf(stderr,
                "planpack: %s is not empty and was not made by planpack export; "
                "refusing to replace it (choose a new or empty folder)\n",
                outdir);
        return -1;
    }
    if (exchange(tmp, outdir) == 0) {
        /* tmp now holds the old export. */
        if (remove_tree(tmp) == 0)
            return 0;
        fprintf(stderr, "planpack: cannot remove the old export at %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    /* Without an atomic exchange: move the old export aside, then the new one in. */
    size_t n = strlen(tmp) + 5;
    char *old = malloc(n);
    if (!old)
        return -1;
    snprintf(old, n, "%s.old", tmp);
    int rc = -1;
    if (rename(outdir, old) != 0) {
        fprintf(stderr, "planpack: cannot move %s aside: %s\n", outdir, strerror(errno));
    } else if (rename(tmp, outdir) != 0) {
        fprintf(stderr, "planpack: cannot move the new export to %s: %s\n", outdir,
                strerror(errno));
        if (rename(old, outdir) != 0)
            fprintf(stderr, "planpack: the old export is at %s\n", old);
    } else {
        rc = remove_tree(old) == 0 ? 0 : -1;
        if (rc != 0)
            fprintf(stderr, "planpack: cannot remove the old export at %s\n", old);
    }
    free(old);
    return rc;
}

int site_export(const struct site *s, const char *outdir)
{
    int rc = -1;
    char *out = NULL;
    char *tmp = NULL;
    bool made = false;

    /* "out/" and "out" are the same folder; the temporary one must be its sibling. */
    size_t len = outdir ? strlen(outdir) : 0;
    while (len > 1 && outdir[len - 1] == '/')
        len--;
    if (!len || (len == 1 && outdir[0] == '/') || strcmp(outdir, ".") == 0 ||
        strcmp(outdir, "..") == 0) {
        fprintf(stderr, "planpack: cannot export into '%s': choose a folder by name\n",
                outdir ? outdir : "");
        goto out;
    }
    out = strndup(outdir, len);
    size_t tlen = len + 32;
    tmp = malloc(tlen);
    if (!out || !tmp)
        goto out;
    const char *base = strrchr(out, '/');
    snprintf(tmp, tlen, "%.*s.%s.tmp-XXXXXX", base ? (int)(base - out + 1) : 0, out,
             base ? base + 1 : out);
    /* "-o site/v2" works when site/ does not exist yet. */
    if (base && base != out &&
        make_parents(out[0] == '/' ? "" : ".", out[0] == '/' ? out + 1 : out))
        fprintf(stderr, "planpack: cannot create the folders above %s: %s\n", out, strerror(errno));
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "planpack: cannot create a folder beside %s: %s\n", out, strerror(errno));
        goto out;
    }
    made = true;
    if (chmod(tmp, 0755) != 0)
        goto out;

    static const char marker[] = "This folder was written by planpack export. Exporting "
                                 "again replaces everything in it.\n";
    if (write_file(tmp, EXPORT_MARKER, "", (const unsigned char *)marker, sizeof(marker) - 1))
        goto out;
    for (size_t i = 0; i < s->count; i++) {
        const struct site_file *f = &s->files[i];
        if (write_file(tmp, f->path, "", f->data, f->len) != 0)
            goto out;
        if (f->gz && write_file(tmp, f->path, ".gz", f->gz, f->gz_len) != 0)
            goto out;
    }
    if (swap_into_place(tmp, out) != 0)
        goto out;
    made = false;
    rc = 0;
out:
    if (made && remove_tree(tmp) != 0)
        fprintf(stderr, "planpack: cannot remove %s\n", tmp);
    free(tmp);
    free(out);
    return rc;
}
