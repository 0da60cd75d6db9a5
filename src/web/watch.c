/*
 * inotify on a folder and its subfolders. Each watched folder is remembered by its watch
 * descriptor so that a folder created inside it later can be watched by its full path.
 */
#include "web/watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

/* Bounds that a package folder never comes near; they stop a runaway tree (a symlink loop). */
#define WATCH_MAX_FOLDERS 4096
#define WATCH_MAX_DEPTH 16

#define WATCH_EVENTS                                                                               \
    (IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM |              \
     IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

struct watched {
    int wd;
    char *path;
};

struct watch {
    int fd;
    struct watched *folders;
    size_t count;
    size_t cap;
};

static const char *path_of(const struct watch *w, int wd)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->folders[i].wd == wd)
            return w->folders[i].path;
    return NULL;
}

static void forget(struct watch *w, int wd)
{
    for (size_t i = 0; i < w->count; i++) {
        if (w->folders[i].wd == wd) {
            free(w->folders[i].path);
            w->folders[i] = w->folders[--w->count];
            return;
        }
    }
}

/* Editors write hidden swap files and "name~" backups beside the real ones; they are noise. */
static bool ignored_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' || (n > 0 && name[n - 1] == '~');
}

/* Watches path and the folders below it. Returns -1 only when path itself cannot be watched. */
static int add_tree(struct watch *w, const char *path, int depth)
{
    if (w->count >= WATCH_MAX_FOLDERS || depth > WATCH_MAX_DEPTH)
        return 0;
    int wd = inotify_add_watch(w->fd, path, WATCH_EVENTS | IN_ONLYDIR);
    if (wd < 0)
        return -1;
    if (!path_of(w, wd)) {
        XGROW(w->folders, w->cap, w->count + 1);
        w->folders[w->count++] = (struct watched){wd, xstrdup(path)};
    }
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (ignored_name(e->d_name))
            continue;
        char sub[PATH_MAX];
        if (snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= (int)sizeof(sub))
            continue;
        bool dir = e->d_type == DT_DIR;
        if (e->d_type == DT_UNKNOWN) {
            struct stat st;
            dir = stat(sub, &st) == 0 && S_ISDIR(st.st_mode);
        }
        if (dir)
            (void)add_tree(w, sub, depth + 1);
    }
    closedir(d);
    return 0;
}

struct watch *watch_new(const char *dir)
{
    struct watch *w = xcalloc(1, sizeof(*w));
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        fprintf(stderr, "planpack: cannot watch %s for changes: %s\n", dir, strerror(errno));
        watch_free(w);
        return NULL;
    }
    if (add_tree(w, dir, 0) != 0) {
        fprintf(stderr, "planpack: cannot watch %s for changes: %s%s\n", dir, strerror(errno),
                errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
        watch_free(w);
        return NULL;
    }
    return w;
}

void watch_free(struct watch *w)
{
    if (!w)
        return;
    if (w->fd >= 0)
        close(w->fd);
    for (size_t i = 0; i < w->count; i++)
        free(w->folders[i].path);
    free(w->folders);
    free(w);
}

int watch_fd(const struct watch *w)
{
    return w->fd;
}

bool watch_read(struct watch *w)
{
    bool changed = false;
    /* Aligned as inotify requires; large enough for many events with their names. */
    char events[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->fd, events, sizeof(events));
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return changed;
        }
        for (char *p = events; p < events + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof(*ev) + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                changed = true;
                continue;
            }
            if (ev->mask & IN_IGNORED) {
                forget(w, ev->wd);
                continue;
            }
            if (ev->len > 0 && ignored_name(ev->name))
                continue;
            changed = true;
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && ev->len > 0) {
                const char *parent = path_of(w, ev->wd);
                char sub[PATH_MAX];
                if (parent &&
                    snprintf(sub, sizeof(sub), "%s/%s", parent, ev->name) < (int)sizeof(sub))
                    (void)add_tree(w, sub, 1);
            }
        }
    }
}
