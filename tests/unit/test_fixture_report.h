/*
 * Helpers for the report tests that read exports back: a command's output, a report's export
 * written to a file of its own, and lines counted in text.
 */
#ifndef PLANPACK_TEST_FIXTURE_REPORT_H
#define PLANPACK_TEST_FIXTURE_REPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "test_fixture_survey.h"

/* Runs a command and returns what it printed, the caller's to free(); its exit status must be
 * 0. */
static inline char *fx_run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_add(&b, chunk, n);
    int status = pclose(p);
    if (status != 0)
        fail_msg("%s: exit status %d", cmd, status);
    buf_addc(&b, '\0');
    return buf_detach(&b, NULL);
}

/* The export f of the report of s in a file of its own, named *.ext, in a fresh folder:
 * fx_tmp_free() the path. */
static inline char *fx_export_file(struct store *s, const struct report_options *opt,
                                   enum report_export f, const char *ext)
{
    struct report *r = NULL;
    char err[256] = "";
    if (report_build(s, opt, &r, err, sizeof(err)) != STORE_OK)
        fail_msg("report_build: %s", err);
    char *db = fx_tmp_db();
    size_t n = strlen(db) + 8;
    char *path = malloc(n);
    snprintf(path, n, "%s.%s", db, ext);
    free(db); /* its folder holds the file, and goes with fx_tmp_free(path) */
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    struct report_sink sink = {report_sink_file, out};
    assert_int_equal(report_export(r, f, &sink), 0);
    assert_int_equal(fclose(out), 0);
    report_free(r);
    return path;
}

/* A store in a fresh folder, open for writing, at *path; fx_store_free() both. */
static inline struct store *fx_store_new(char **path)
{
    struct store *s = NULL;
    char err[256];
    *path = fx_tmp_db();
    if (store_open(*path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)) != STORE_OK)
        fail_msg("store_open: %s", err);
    return s;
}

static inline void fx_store_free(struct store *s, char *path)
{
    store_close(s);
    fx_tmp_free(path);
}

/* How many lines of text hold needle. */
static inline size_t fx_lines_with(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        const char *hit = strstr(l, needle);
        n += hit && hit < l + len;
        l += len + (e != NULL);
    }
    return n;
}

#endif
