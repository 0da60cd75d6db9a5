/*
 * The store as the command line opens it: one message for a database that cannot be opened,
 * store statuses as exit codes, and `planpack purge`.
 */
#ifndef PLANPACK_STORE_CLI_H
#define PLANPACK_STORE_CLI_H

#include "store/store.h"

/*
 * Opens db for command cmd, saying on stderr why when it cannot. When a running server holds
 * the database, the message names the staff page that does the same while it runs (instead;
 * NULL when no page does), and never one that cannot. A store status; the caller closes *s.
 */
__attribute__((warn_unused_result)) int store_cli_open(const char *cmd, const char *db,
                                                       enum store_mode mode, const char *instead,
                                                       struct store **s);

/* A store status as an exit code: what the user can fix is EXIT_INPUT, the rest EXIT_INTERNAL. */
int store_cli_exit(int status);

/* planpack purge [--db PATH] --older-than DAYS: an exit code. */
int store_cli_purge(int argc, char **argv);

#endif
