/*
 * What `planpack staff` and `planpack cohort` do once main.c has parsed their arguments (and
 * read a password or a package): the staff and cohort subcommands, tables for a terminal, and
 * a class code made for a package's survey. Each writes its result to out and its
 * messages to err, and returns a store status (STORE_OK or the failure, already explained on err).
 */
#ifndef PLANPACK_STAFF_CLI_H
#define PLANPACK_STAFF_CLI_H

#include <stdio.h>

#include "store/store.h"
#include "survey/survey.h"

/* A `planpack staff` subcommand, parsed, with the password it needs already read. */
struct cli_staff_args {
    const char *sub;      /* add, list, remove, passwd or sessions */
    const char *name;     /* the account (all but list) */
    const char *school;   /* add: the account's school; NULL for an evaluator (every school) */
    const char *password; /* add and passwd */
    const char *shown;    /* where the store is, as messages show it */
};

/* Whether sub is one of the staff subcommands. */
bool cli_staff_known(const char *sub);
/* Runs a staff subcommand on s (opened read-write, or read-only for list). */
__attribute__((warn_unused_result)) int cli_staff(struct store *s, const struct cli_staff_args *a,
                                                  FILE *out, FILE *err);

/* Every staff account, its school and its sessions in use, as a table. */
__attribute__((warn_unused_result)) int cli_staff_list(struct store *s, FILE *out, FILE *err);

/*
 * Every class code, oldest first, as a table; only school's when school is not NULL. Reads
 * without locking out a running server.
 */
__attribute__((warn_unused_result)) int cli_cohort_list(struct store *s, const char *school,
                                                        FILE *out, FILE *err);

/*
 * Makes a class code for spec (whose survey is the package's) and prints it alone on a line
 * of out, with a line on err saying where pupils use it. Warns when the package's survey
 * differs from the one stored for its version.
 */
__attribute__((warn_unused_result)) int
cli_cohort_new(struct store *s, const struct store_cohort_spec *spec, FILE *out, FILE *err);

/* A `planpack cohort` subcommand, parsed (and, for new, the package's survey read). */
struct cli_cohort_args {
    const char *sub;                      /* new, list, close or open */
    const struct store_cohort_spec *spec; /* new: the class to make */
    const char *school;                   /* list: only this school's classes; NULL for all */
    const char *code;                     /* close and open: the class code, normalised */
};

/* Whether sub is one of the cohort subcommands. */
bool cli_cohort_known(const char *sub);
/* Runs a cohort subcommand on s (opened read-write, or read-only for list). */
__attribute__((warn_unused_result)) int cli_cohort(struct store *s, const struct cli_cohort_args *a,
                                                   FILE *out, FILE *err);

#endif
