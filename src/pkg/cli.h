/*
 * A package read for a command (`check`, `export`, `serve`, `cohort new`): loaded from its
 * folder or the built-in one, checked, and its problems printed on stderr as
 * FILE:LINE: error: MESSAGE. Also `planpack check` itself.
 */
#ifndef PLANPACK_PKG_CLI_H
#define PLANPACK_PKG_CLI_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/pkg.h"
#include "survey/model.h"

/* A loaded package and the files it came from; pkg may be NULL when it could not be read. */
struct pkg_loaded {
    struct fileset files;
    struct pkg *pkg;
    struct diag_list diags;
    const char *label; /* what goes between the folder and a file name in messages */
};

/*
 * Loads and checks the package in dir (NULL: the built-in default package, whose files
 * messages name as "(built-in package) packages/default/..."), printing its errors, and
 * its warnings too when print_warnings is set. EXIT_OK when it has no error, else
 * EXIT_INPUT. Either way *l is filled and pkg_loaded_release() frees it.
 */
__attribute__((warn_unused_result)) int pkg_loaded_open(const char *dir, bool print_warnings,
                                                        struct pkg_loaded *l);
void pkg_loaded_release(struct pkg_loaded *l);

/* planpack check [PKGDIR]: an exit code. */
int pkg_cli_check(int argc, char **argv);

/* planpack translate export [PKGDIR] --lang LL [-o FILE] | import PKGDIR FILE.po --lang LL:
 * an exit code (translate.h does the work). */
int pkg_cli_translate(int argc, char **argv);

/*
 * For `cohort new`: loads the package in dir as pkg_loaded_open() does and gathers its
 * survey into *sv (the list allocated in a, the strings borrowed from the package, which
 * *held owns until pkg_cli_survey_close()). An exit code; *held is set either way.
 */
__attribute__((warn_unused_result)) int pkg_cli_survey_open(const char *dir, struct arena *a,
                                                            struct survey *sv, void **held);
/* Frees what pkg_cli_survey_open() returned in held; NULL is fine. */
void pkg_cli_survey_close(void *held);

#endif
