#include "store/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/cli.h"

int store_cli_exit(int status)
{
    switch (status) {
    case STORE_OK:
        return EXIT_OK;
    case STORE_ERR_IO:
        return EXIT_INTERNAL;
    default:
        return EXIT_INPUT;
    }
}

int store_cli_open(const char *cmd, const char *db, enum store_mode mode, const char *instead,
                   struct store **s)
{
    char err[512];
    int rc = store_open(db, mode, NULL, s, err, sizeof(err));
    if (rc == STORE_ERR_LOCKED && instead)
        fprintf(stderr, "planpack %s: %s, or %s\n", cmd, err, instead);
    else if (rc != STORE_OK)
        fprintf(stderr, "planpack %s: %s\n", cmd, err);
    return rc;
}

int store_cli_purge(int argc, char **argv)
{
    const char *db = STORE_DEFAULT_PATH, *days = NULL;
    const struct cli_value_option opts[] = {{"--db", &db}, {"--older-than", &days}};
    if (cli_value_options("purge", argc, argv, 1, opts, 2) != EXIT_OK)
        return EXIT_INPUT;
    char *end = NULL;
    long d = days ? strtol(days, &end, 10) : -1;
    if (!days || *end || end == days || d < 0 || d > 100000)
        return cli_usage_error("purge", "%s", "give --older-than DAYS (a whole number of days)");
    struct store *s;
    int rc = store_cli_open("purge", db, STORE_READ_WRITE, NULL, &s);
    if (rc != STORE_OK)
        return store_cli_exit(rc);
    struct store_purged deleted;
    rc = store_purge(s, (int)d, &deleted);
    if (rc == STORE_OK)
        printf("deleted from before %ld days ago: %lld answers, %lld focus groups (by the day "
               "they were recorded), %lld ended sign-in sessions\n",
               d, (long long)deleted.answers, (long long)deleted.focus_groups,
               (long long)deleted.sessions);
    else
        fprintf(stderr, "planpack purge: %s\n", store_strerror(rc));
    store_close(s);
    return store_cli_exit(rc);
}
