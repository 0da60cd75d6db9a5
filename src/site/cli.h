/*
 * `planpack export`, and the --public-url option that export and serve share: the address
 * the QR codes on the lesson slides and the parents' letter point to.
 */
#ifndef PLANPACK_SITE_CLI_H
#define PLANPACK_SITE_CLI_H

/* planpack export [PKGDIR] -o OUTDIR [--public-url URL]: an exit code. */
int site_cli_export(int argc, char **argv);

/*
 * Reads --public-url's value after argv[*i] into *url (borrowed from argv) and moves *i past
 * it. EXIT_OK, or EXIT_INPUT after the usage message for command cmd.
 */
__attribute__((warn_unused_result)) int site_cli_public_url(const char *cmd, int argc, char **argv,
                                                            int *i, const char **url);

#endif
