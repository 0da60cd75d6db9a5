/*
 * What every `planpack` command shares when it reads its arguments: the exit codes of
 * DESIGN.md, the usage message, and options that take a value or a whole number. Each
 * stage's cli.c parses its own command with these; src/main.c only picks the command.
 */
#ifndef PLANPACK_BASE_CLI_H
#define PLANPACK_BASE_CLI_H

#include <stddef.h>

/* 0 ok, 1 a problem in the input or the usage (with a message), 2 an internal or I/O error. */
enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_INTERNAL = 2 };

/*
 * Prints "planpack CMD: MESSAGE" and the line that points to the command's help on stderr.
 * Returns EXIT_INPUT.
 */
__attribute__((format(printf, 2, 3))) int cli_usage_error(const char *cmd, const char *fmt, ...);

/*
 * Takes arg, which is no option the command knows, as its package folder into *dir: an
 * unknown option, or a second folder, is a usage error. EXIT_OK or EXIT_INPUT.
 */
__attribute__((warn_unused_result)) int cli_package_dir(const char *cmd, const char *arg,
                                                        const char **dir);

/* An option that takes a value, and where its value goes (borrowed from argv). */
struct cli_value_option {
    const char *name;
    const char **value;
};

/*
 * Reads argv[first..argc) as "--name VALUE" pairs of the n options given; anything else is
 * a usage error: "unexpected 'X'", or "--name needs a value". EXIT_OK or EXIT_INPUT.
 */
__attribute__((warn_unused_result)) int cli_value_options(const char *cmd, int argc, char **argv,
                                                          int first,
                                                          const struct cli_value_option *opts,
                                                          size_t n);

/*
 * Reads the whole number (min to max) after the option argv[*i] into *out and moves *i past
 * it. EXIT_OK, or EXIT_INPUT after the usage message.
 */
__attribute__((warn_unused_result)) int cli_option_number(const char *cmd, int argc, char **argv,
                                                          int *i, unsigned long min,
                                                          unsigned long max, unsigned *out);

#endif
