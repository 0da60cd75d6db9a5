/*
 * Watching a folder tree for changes, for `planpack serve --watch`: the server reloads the
 * package when an author saves a file. It knows nothing of what the files are.
 */
#ifndef PLANPACK_WATCH_H
#define PLANPACK_WATCH_H

#include <stdbool.h>

struct watch;

/*
 * Starts watching dir and every folder below it (hidden folders such as .git are left
 * out). Returns a watch that the caller frees with watch_free(), or NULL with a message on
 * stderr when the system cannot watch the folder.
 */
struct watch *watch_new(const char *dir);
void watch_free(struct watch *w);

/* The descriptor to poll for reading; it becomes readable when something has changed. */
int watch_fd(const struct watch *w);

/*
 * Reads the pending change events without blocking. Returns true when one of them concerns
 * a file or folder of the tree (not an editor's hidden or backup file). Folders created
 * since the last call are watched from now on.
 */
bool watch_read(struct watch *w);

#endif
