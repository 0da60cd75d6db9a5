#include "staff/cli.h"

#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/form.h"

/* The characters in UTF-8 text: what it takes of a terminal's width, near enough. */
static int text_width(const char *t)
{
    int n = 0;
    for (const unsigned char *u = (const unsigned char *)t; *u; u++)
        n += (*u & 0xc0) != 0x80;
    return n;
}

/*
 * Writes text typed by staff (a label, a school) for a terminal, padded to width
 * characters. The store refuses control characters in them; should a database hold one
 * all the same (written by other means), it is shown as '?', not sent to the terminal,
 * where it could move the cursor or retitle the window.
 */
static void put_text(FILE *out, const char *t, int width)
{
    size_t len = strlen(t);
    for (size_t i = 0; i < len; i++) {
        size_t control = utf8_control(t + i, len - i);
        putc(control ? '?' : t[i], out);
        i += control ? control - 1 : 0;
    }
    int n = text_width(t);
    fprintf(out, "%*s", width > n ? width - n : 0, "");
}

int cli_staff_list(struct store *s, FILE *out, FILE *err)
{
    struct arena a = ARENA_INIT;
    struct store_staff_entry *e;
    size_t n;
    int rc = store_staff_list(s, store_now(s), &a, &e, &n);
    if (rc != STORE_OK)
        fprintf(err, "planpack staff: %s\n", store_strerror(rc));
    else if (n == 0)
        fprintf(err, "planpack staff: no accounts yet; add one with 'planpack staff add NAME'\n");
    else
        fprintf(out, "%-20s  %-8s  %s\n", "NAME", "SESSIONS", "SCHOOL");
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        put_text(out, e[i].name, 20);
        fprintf(out, "  %-8d  ", e[i].sessions);
        put_text(out, e[i].school ? e[i].school : "(evaluator: every school)", 0);
        putc('\n', out);
    }
    arena_release(&a);
    return rc;
}

int cli_cohort_list(struct store *s, const char *school, FILE *out, FILE *err)
{
    struct arena a = ARENA_INIT;
    struct store_cohort *c;
    size_t n;
    int rc = store_cohorts(s, &a, &c, &n);
    if (rc != STORE_OK) {
        fprintf(err, "planpack cohort: %s\n", store_strerror(rc));
        goto out;
    }
    size_t shown = 0;
    int school_width = (int)strlen("SCHOOL");
    for (size_t i = 0; i < n; i++) {
        int w = c[i].school ? text_width(c[i].school) : 1;
        school_width = w > school_width && w <= 40 ? w : school_width;
    }
    for (size_t i = 0; i < n; i++) {
        if (school && (!c[i].school || strcmp(c[i].school, school) != 0))
            continue;
        if (shown++ == 0)
            fprintf(out, "%-8s  %-6s  %-10s  %-20s  %-*s  %s\n", "CODE", "STATE", "CREATED",
                    "PACKAGE", school_width, "SCHOOL", "LABEL");
        char day[11], package[64];
        store_day_format(c[i].created_day, day);
        snprintf(package, sizeof(package), "%s %s", c[i].package_id, c[i].package_version);
        fprintf(out, "%-8s  %-6s  %-10s  ", c[i].code, c[i].open ? "open" : "closed", day);
        put_text(out, package, 20);
        fputs("  ", out);
        put_text(out, c[i].school ? c[i].school : "-", school_width);
        fputs("  ", out);
        put_text(out, c[i].label, 0);
        putc('\n', out);
    }
    if (shown == 0)
        fprintf(err,
                "planpack cohort: no class codes%s%s yet; make one with "
                "'planpack cohort new --label TEXT'\n",
                school ? " of " : "", school ? school : "");
out:
    arena_release(&a);
    return rc;
}

int cli_cohort_new(struct store *s, const struct store_cohort_spec *spec, FILE *out, FILE *err)
{
    const struct survey *sv = spec->survey;
    bool changed = false;
    char code[WIRE_CODE_LEN + 1];
    int rc = store_survey_put(s, sv, &changed);
    if (rc == STORE_OK && changed)
        fprintf(err,
                "planpack cohort: warning: the survey of %s %s differs from the one stored "
                "for that version; raise the package's version number when the survey "
                "changes\n",
                sv->package_id, sv->package_version);
    if (rc == STORE_OK)
        rc = store_cohort_create(s, spec, code);
    if (rc != STORE_OK) {
        fprintf(err, "planpack cohort: %s\n",
                rc == STORE_ERR_INVALID ? "the label and school must be 1 to 200 characters "
                                          "of text, without control characters"
                                        : store_strerror(rc));
        return rc;
    }
    fprintf(out, "%s\n", code);
    fprintf(err, "class code for '%s' (%s %s): pupils open /feedback?c=%s\n", spec->label,
            sv->package_id, sv->package_version, code);
    return rc;
}
