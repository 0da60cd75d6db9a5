#include "report/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cli.h"
#include "report/report.h"
#include "store/cli.h"

/* What --format names: a report (text, html, pilot) or a data file (data >= 0). */
struct report_cli_format {
    enum report_format report;
    int data; /* an enum report_export, or -1 */
};

/*
 * Reads the options after argv[0] into *opt and *f, and checks how they go together. a holds
 * the two versions of --compare. EXIT_OK, or EXIT_INPUT after the usage message.
 */
static int report_cli_parse(int argc, char **argv, struct report_options *opt,
                            struct report_cli_format *f, const char **db, char a[64])
{
    const char *format = "text", *k = NULL, *compare = NULL;
    const struct cli_value_option opts[] = {
        {"--db", db},
        {"--cohort", &opt->cohort},
        {"--school", &opt->school},
        {"--format", &format},
        {"--k", &k},
        {"--compare", &compare},
        {"--package-version", &opt->version},
    };
    if (cli_value_options("report", argc, argv, 1, opts, sizeof(opts) / sizeof(opts[0])) != EXIT_OK)
        return EXIT_INPUT;
    f->report = strcmp(format, "text") == 0    ? REPORT_TEXT
                : strcmp(format, "html") == 0  ? REPORT_HTML
                : strcmp(format, "pilot") == 0 ? REPORT_PILOT
                                               : REPORT_CSV;
    /* Data files: csv, codebook, sav, dta (report_export()). */
    f->data = strcmp(format, "csv") == 0        ? REPORT_EXPORT_CSV
              : strcmp(format, "codebook") == 0 ? REPORT_EXPORT_CODEBOOK
              : strcmp(format, "sav") == 0      ? REPORT_EXPORT_SAV
              : strcmp(format, "dta") == 0      ? REPORT_EXPORT_DTA
                                                : -1;
    if (f->report == REPORT_CSV && f->data < 0)
        return cli_usage_error(
            "report", "--format must be text, html, pilot, csv, codebook, sav or dta, not '%s'",
            format);
    /* The pilot report is about package versions, each as a whole. */
    if (f->report == REPORT_PILOT && opt->cohort)
        return cli_usage_error("report", "%s",
                               "--cohort is not for the pilot report, which covers every class "
                               "of a version");
    if (opt->version && (f->report != REPORT_PILOT || compare))
        return cli_usage_error("report", "%s",
                               "--package-version is for --format pilot, without --compare");
    if ((f->data == REPORT_EXPORT_SAV || f->data == REPORT_EXPORT_DTA) && isatty(STDOUT_FILENO))
        return cli_usage_error("report",
                               "--format %s writes a binary file: redirect it, as in "
                               "'> feedback.%s'",
                               format, format);
    if (k) {
        char *end;
        long v = strtol(k, &end, 10);
        if (*end || end == k || v < REPORT_K_MIN || v > 1000)
            return cli_usage_error("report", "--k must be a whole number from %d to 1000",
                                   REPORT_K_MIN);
        opt->k = (int)v;
    }
    if (compare && f->report == REPORT_CSV)
        return cli_usage_error(
            "report", "%s",
            "--compare is for text and HTML; the data files hold one row per answer");
    if (compare) {
        snprintf(a, 64, "%s", compare);
        char *b = strchr(a, ',');
        if (!b || !b[1] || b == a)
            return cli_usage_error("report", "%s", "--compare takes two versions: OLD,NEW");
        *b++ = '\0';
        opt->compare_a = a;
        opt->compare_b = b;
    }
    return EXIT_OK;
}

int report_cli(int argc, char **argv, const char *(*language_name)(const char *language))
{
    const char *db = STORE_DEFAULT_PATH;
    struct report_options opt = {.language_name = language_name};
    struct report_cli_format f;
    char versions[64] = "";
    if (report_cli_parse(argc, argv, &opt, &f, &db, versions) != EXIT_OK)
        return EXIT_INPUT;
    /* The report names its source: never with a URL's password. */
    char shown[512];
    store_location_shown(db, shown, sizeof(shown));
    opt.source = shown;
    struct store *s;
    struct report *r = NULL;
    int rc = store_cli_open("report", db, STORE_READ_ONLY, NULL, &s);
    if (rc != STORE_OK)
        goto out;
    char err[256];
    rc = report_build(s, &opt, &r, err, sizeof(err));
    if (rc != STORE_OK) {
        fprintf(stderr, "planpack report: %s\n", err);
        goto out;
    }
    struct report_sink sink = {report_sink_file, stdout};
    int w = f.data >= 0 ? report_export(r, (enum report_export)f.data, &sink)
                        : report_write(r, f.report, &sink);
    if (w != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "planpack report: writing the report failed\n");
        rc = STORE_ERR_IO;
    }
out:
    report_free(r);
    store_close(s);
    return store_cli_exit(rc);
}
