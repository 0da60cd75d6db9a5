/*
 * `planpack staff` and `planpack cohort`: their arguments read, the password read from stdin
 * where one is needed, the store opened, and the subcommand run from a table. Results go to
 * stdout, messages to stderr; each returns an exit code.
 */
#ifndef PLANPACK_STAFF_CLI_H
#define PLANPACK_STAFF_CLI_H

#include "base/arena.h"
#include "survey/model.h"

/*
 * How `cohort new` reads the survey of the package a class answers: src/staff does not see
 * packages, so the caller lends these. open() loads the package in dir (NULL: the built-in
 * one), printing its problems, and gathers its survey into *sv, allocated in a and borrowing
 * from *held; it returns an exit code and sets *held either way. close() frees *held.
 */
struct cli_survey_reader {
    int (*open)(const char *dir, struct arena *a, struct survey *sv, void **held);
    void (*close)(void *held);
};

/* planpack staff add|list|remove|passwd|sessions ...: an exit code. */
int staff_cli_staff(int argc, char **argv);

/* planpack cohort new|list|close|open ...: an exit code. */
int staff_cli_cohort(int argc, char **argv, const struct cli_survey_reader *reader);

#endif
