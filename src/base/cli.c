#include "base/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    fprintf(stderr, "planpack %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'planpack help %s'.\n", cmd);
    return EXIT_INPUT;
}

int cli_package_dir(const char *cmd, const char *arg, const char **dir)
{
    if (arg[0] == '-')
        return cli_usage_error(cmd, "unknown option '%s'", arg);
    if (*dir)
        return cli_usage_error(cmd, "more than one package folder given ('%s')", arg);
    *dir = arg;
    return EXIT_OK;
}

int cli_value_options(const char *cmd, int argc, char **argv, int first,
                      const struct cli_value_option *opts, size_t n)
{
    for (int i = first; i < argc; i++) {
        const char **val = NULL;
        for (size_t k = 0; k < n && !val; k++)
            if (strcmp(argv[i], opts[k].name) == 0)
                val = opts[k].value;
        if (!val)
            return cli_usage_error(cmd, "unexpected '%s'", argv[i]);
        if (++i >= argc)
            return cli_usage_error(cmd, "%s needs a value", argv[i - 1]);
        *val = argv[i];
    }
    return EXIT_OK;
}

int cli_option_number(const char *cmd, int argc, char **argv, int *i, unsigned long min,
                      unsigned long max, unsigned *out)
{
    const char *name = argv[*i];
    if (*i + 1 >= argc)
        return cli_usage_error(cmd, "%s needs a number", name);
    const char *v = argv[++*i];
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || n < min || n > max)
        return cli_usage_error(cmd, "%s takes a whole number from %lu to %lu, not '%s'", name, min,
                               max, v);
    *out = (unsigned)n;
    return EXIT_OK;
}
