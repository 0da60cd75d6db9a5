/*
 * /staff/report, its data files (/staff/report.csv, .txt, .sav, .dta), /staff/report/chart
 * (one chart as an SVG download), /staff/compare and /staff/report/pilot: the report of src/report,
 * which leaves out small classes, narrowed to what the account may see. School staff always get
 * their own school's report (report_options.school), so no figure of another school reaches them,
 * not even inside a total; a class or school of another school in the address answers 404. Every
 * figure shown comes from the report, which hides small groups; these pages print no count of their
 * own.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/textmatch.h"
#include "pkg/catalog.h"
#include "report/report.h"
#include "site/site.h"
#include "web/staff_pages.h"

#define SOURCE "this server's store"

/* What the address asks to see, once checked against the account. */
struct scope {
    struct report_options opt;
    struct store_cohort *cohorts; /* the classes the account may see */
    size_t ncohorts;
};

/* Whether a school has a class among the account's visible ones. */
static bool school_known(const struct scope *sc, const char *school)
{
    for (size_t i = 0; i < sc->ncohorts; i++)
        if (sc->cohorts[i].school && strcmp(sc->cohorts[i].school, school) == 0)
            return true;
    return false;
}

/*
 * Reads ?class= and ?school= into sc. Returns 0, or the status of a page it wrote instead
 * (404 for a class or school the account may not see, as for one that does not exist).
 */
static unsigned scope_read(struct staff_page *p, struct scope *sc)
{
    memset(sc, 0, sizeof(*sc));
    sc->opt.html_fragment = true;
    sc->opt.source = SOURCE;
    sc->opt.language_name = ui_language_name;
    if (staff_visible_cohorts(p, &sc->cohorts, &sc->ncohorts) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The classes could not be read. Please try again.");
    const char *code = form_get(p->query, "class");
    const char *school = form_get(p->query, "school");
    if (code && *code) {
        struct store_cohort c;
        int rc = staff_visible_cohort(p, code, &c);
        if (rc == STORE_ERR_NOT_FOUND)
            return staff_page_not_found(p);
        if (rc != STORE_OK)
            return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                      "The class could not be read. Please try again.");
        sc->opt.cohort = arena_strdup(p->a, c.code);
        if (school && *school && (!c.school || strcmp(c.school, school) != 0))
            return staff_page_not_found(p);
    }
    if (school && *school) {
        if (!staff_sees_school(p, school) || !school_known(sc, school))
            return staff_page_not_found(p);
        sc->opt.school = school;
    }
    /* School staff get their school's report whatever the address says. */
    if (p->sess->school)
        sc->opt.school = p->sess->school;
    return 0;
}

/* Builds the report of a scope; 0, or the status of the page written instead. */
static unsigned scope_build(struct staff_page *p, const struct scope *sc, struct report **out)
{
    char err[256];
    *out = NULL;
    int rc = report_build(p->st, &sc->opt, out, err, sizeof(err));
    if (rc == STORE_ERR_NOT_FOUND)
        return staff_page_not_found(p);
    if (rc != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong", err);
    return 0;
}

/* A school's staff before their first class: nothing to report, said plainly. */
static unsigned no_classes(struct staff_page *p, const char *title)
{
    staff_page_open(p, title);
    buf_adds(p->out, "<p>Your school has no classes yet. <a href=\"/staff/classes\">Make a "
                     "class code</a>; its pupils' feedback will show here.</p>\n");
    staff_page_close(p);
    return HTTP_OK;
}

/* An option of a select, selected when its value is chosen. */
static void option(struct buf *b, const char *value, const char *label, const char *chosen)
{
    buf_addf_html(b, "<option value=\"%s", value);
    buf_adds(b, chosen && strcmp(chosen, value) == 0 ? "\" selected>" : "\">");
    buf_addf_html(b, "%s</option>\n", label);
}

/* The form that narrows the report to a class or (for evaluators) a school. */
static void scope_form(struct staff_page *p, const struct scope *sc)
{
    struct buf *b = p->out;
    buf_adds(b, "<form method=\"get\" action=\"/staff/report\" class=\"scope\">\n"
                "<div class=\"field\"><label for=\"r-class\">Class</label>\n"
                "<select id=\"r-class\" name=\"class\">\n");
    option(b, "", "All classes", sc->opt.cohort ? NULL : "");
    for (size_t i = 0; i < sc->ncohorts; i++) {
        const struct store_cohort *c = &sc->cohorts[i];
        char label[300];
        snprintf(label, sizeof(label), "%s \xe2\x80\x93 %s", c->code, c->label);
        option(b, c->code, label, sc->opt.cohort);
    }
    buf_adds(b, "</select></div>\n");
    if (!p->sess->school) {
        buf_adds(b, "<div class=\"field\"><label for=\"r-school\">School</label>\n"
                    "<select id=\"r-school\" name=\"school\">\n");
        option(b, "", "All schools", sc->opt.school ? NULL : "");
        for (size_t i = 0; i < sc->ncohorts; i++) {
            const char *s = sc->cohorts[i].school;
            bool first = s != NULL;
            for (size_t j = 0; j < i && first; j++)
                first = !sc->cohorts[j].school || strcmp(sc->cohorts[j].school, s) != 0;
            if (first)
                option(b, s, s, sc->opt.school);
        }
        buf_adds(b, "</select></div>\n");
    }
    buf_adds(b, "<p><button type=\"submit\">Show</button></p>\n</form>\n");
}

/* The scope as a query string ("?class=..."), for the CSV link; "" for everything. */
static void scope_query(struct buf *b, const struct scope *sc, bool school_too)
{
    char sep = '?';
    if (sc->opt.cohort) {
        buf_addf(b, "%cclass=", sep);
        buf_add_urlenc(b, sc->opt.cohort, strlen(sc->opt.cohort));
        sep = '&';
    }
    if (school_too && sc->opt.school) {
        buf_addf(b, "%cschool=", sep);
        buf_add_urlenc(b, sc->opt.school, strlen(sc->opt.school));
    }
}

/* Writes a report into the page; false (page untouched beyond it) when writing failed. */
static bool write_report(struct staff_page *p, const struct report *r, enum report_format f)
{
    struct report_sink sink = {report_sink_buf, p->out};
    if (report_write(r, f, &sink) != 0)
        return false;
    /* The script adds a PNG download beside each chart's SVG one, drawn in the browser (the
     * pilot report, made to print, has no downloads). */
    const char *js = f == REPORT_HTML ? site_asset_path(p->rq->site, "report.js") : NULL;
    if (js) {
        buf_adds(p->out, "<script src=\"/");
        buf_adds_html(p->out, js);
        buf_adds(p->out, "\" defer></script>\n");
    }
    return true;
}

/* The address charts are downloaded from, for this scope (and versions compared). */
static const char *chart_href(struct staff_page *p, const struct scope *sc)
{
    struct buf b;
    buf_init(&b, STAFF_WEB_QUERY_MAX);
    buf_adds(&b, "/staff/report/chart");
    scope_query(&b, sc, !p->sess->school);
    const char *v[2] = {sc->opt.compare_a, sc->opt.compare_b};
    for (int i = 0; i < 2; i++) {
        if (!v[i])
            continue;
        buf_adds(&b, strchr(b.ptr, '?') ? "&" : "?");
        buf_adds(&b, i ? "b=" : "a=");
        buf_add_urlenc(&b, v[i], strlen(v[i]));
    }
    const char *href = buf_ok(&b) ? arena_strdup(p->a, b.ptr) : NULL;
    buf_release(&b);
    return href;
}

unsigned staff_report_get(struct staff_page *p)
{
    struct scope sc;
    unsigned status = scope_read(p, &sc);
    if (status)
        return status;
    if (sc.ncohorts == 0 && p->sess->school)
        return no_classes(p, "Reports");
    sc.opt.chart_href = chart_href(p, &sc);
    /* Comments that may be a disclosure come first, marked (report_options.flag_words). */
    struct textmatch words;
    staff_flag_words(p, &words);
    sc.opt.flag_words = &words;
    struct report *r;
    if ((status = scope_build(p, &sc, &r))) {
        textmatch_release(&words);
        return status;
    }
    struct buf *b = p->out;
    staff_page_open(p, "Reports");
    scope_form(p, &sc);
    struct buf q;
    buf_init(&q, STAFF_WEB_QUERY_MAX);
    scope_query(&q, &sc, !p->sess->school);
    static const char *const links[][2] = {{"csv", "Download these submissions as CSV"},
                                           {"txt", "the codebook"},
                                           {"sav", "SPSS (.sav)"},
                                           {"dta", "Stata (.dta)"}};
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        buf_addf(b, "%s<a href=\"/staff/report.%s",
                 i == 0   ? "<p class=\"report-links\">"
                 : i == 3 ? " or "
                          : ", ",
                 links[i][0]);
        buf_adds_html(b, q.ptr ? q.ptr : "");
        buf_addf(b, "\" download>%s</a>", links[i][1]);
    }
    buf_release(&q);
    buf_adds(b, " (one row per submission; classes with fewer than 5 submissions are left "
                "out).</p>\n");
    if (!p->sess->school)
        buf_adds(b, "<p class=\"report-links\"><a href=\"/staff/report/pilot\">The pilot "
                    "report</a>: every school's feedback on a package version, or on the pilot "
                    "and the revision side by side, laid out to print.</p>\n");
    buf_adds(b, "<div class=\"report\">\n");
    bool ok = write_report(p, r, REPORT_HTML);
    report_free(r);
    textmatch_release(&words);
    if (!ok)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The report could not be written.");
    buf_adds(b, "</div>\n");
    staff_page_close(p);
    return HTTP_OK;
}

/* A report sink that writes to a file descriptor (ctx points to it). */
static int sink_fd(void *ctx, const void *data, size_t len)
{
    int fd = *(int *)ctx;
    for (const char *d = data; len > 0;) {
        ssize_t n = write(fd, d, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        d += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * An unlinked temporary file for a download: a million answers make a CSV of over 100 MB,
 * which has no business in memory. It disappears when closed, whatever happens.
 */
static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) { /* a file system without O_TMPFILE */
        char path[4096];
        snprintf(path, sizeof(path), "%s/planpack-csv-XXXXXX", dir);
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
    return fd;
}

/* The data files, by the name their address ends in (/staff/report.csv, ...). */
static const struct {
    const char *ext;
    enum report_export format;
    const char *type;
    const char *suffix; /* of the file's name, before the day */
} downloads[] = {
    {"csv", REPORT_EXPORT_CSV, "text/csv; charset=utf-8", ""},
    {"txt", REPORT_EXPORT_CODEBOOK, "text/plain; charset=utf-8", "-codebook"},
    {"sav", REPORT_EXPORT_SAV, "application/x-spss-sav", ""},
    {"dta", REPORT_EXPORT_DTA, "application/x-stata-dta", ""},
};

/* /staff/report.csv, .txt (the codebook), .sav and .dta: what the report page shows, as data. */
unsigned staff_report_data(struct staff_page *p)
{
    const char *dot = strrchr(p->rq->path, '.');
    size_t d = 0;
    while (d < sizeof(downloads) / sizeof(downloads[0]) &&
           (!dot || strcmp(dot + 1, downloads[d].ext) != 0))
        d++;
    if (d == sizeof(downloads) / sizeof(downloads[0]))
        return staff_page_not_found(p);
    struct scope sc;
    unsigned status = scope_read(p, &sc);
    if (status)
        return status;
    if (sc.ncohorts == 0 && p->sess->school)
        return staff_page_not_found(p);
    struct report *r;
    if ((status = scope_build(p, &sc, &r)))
        return status;
    int fd = temp_file();
    struct report_sink sink = {sink_fd, &fd};
    int rc = fd < 0 ? -1 : report_export(r, downloads[d].format, &sink);
    report_free(r);
    off_t size = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
    if (size < 0) {
        if (fd >= 0)
            close(fd);
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The download could not be written.");
    }
    p->rs->file_fd = fd;
    p->rs->file_size = (unsigned long long)size;
    char day[11];
    store_day_format(store_today(p->st), day);
    p->rs->content_type = downloads[d].type;
    snprintf(p->rs->disposition, sizeof(p->rs->disposition),
             "attachment; filename=\"planpack-feedback%s%s%s-%s.%s\"", downloads[d].suffix,
             sc.opt.cohort ? "-" : "", sc.opt.cohort ? sc.opt.cohort : "", day, downloads[d].ext);
    return HTTP_OK;
}

/*
 * One chart of the report, as an SVG file for a written report: ?group=&q= name it as the
 * report's download link does, within the scope of ?class= and ?school= (and ?a=&b= for the
 * version comparison). A chart the report does not show (a class held back, another
 * school's) answers 404, as one that does not exist.
 */
unsigned staff_report_chart(struct staff_page *p)
{
    struct scope sc;
    unsigned status = scope_read(p, &sc);
    if (status)
        return status;
    const char *group = form_get(p->query, "group"), *q = form_get(p->query, "q");
    const char *format = form_get(p->query, "format");
    const char *va = form_get(p->query, "a"), *vb = form_get(p->query, "b");
    if (!group || !q || (format && strcmp(format, "svg") != 0) ||
        (sc.ncohorts == 0 && p->sess->school))
        return staff_page_not_found(p);
    if (va && vb && *va && *vb) {
        sc.opt.compare_a = va;
        sc.opt.compare_b = vb;
    }
    struct report *r;
    if ((status = scope_build(p, &sc, &r)))
        return status;
    struct report_sink sink = {report_sink_buf, p->out};
    int rc = report_write_chart(r, group, q, &sink);
    report_free(r);
    if (rc == -ENOENT) {
        buf_reset(p->out);
        return staff_page_not_found(p);
    }
    if (rc != 0)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The chart could not be written.");
    p->rs->content_type = "image/svg+xml; charset=utf-8";
    /* The file is named after the question: its id holds only letters, digits and dashes. */
    char name[64];
    size_t n = 0;
    for (const char *c = q; *c && n < sizeof(name) - 1; c++)
        name[n++] = isalnum((unsigned char)*c) ? *c : '-';
    name[n] = '\0';
    snprintf(p->rs->disposition, sizeof(p->rs->disposition),
             "attachment; filename=\"planpack-chart-%s.svg\"", name);
    return HTTP_OK;
}

/* ---- comparing two package versions ---- */

/* Whether version is one of the stored ones. */
static bool version_known(const struct survey *vs, size_t n, const char *version)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(vs[i].package_version, version) == 0)
            return true;
    return false;
}

static void version_select(struct buf *b, const char *name, const char *label,
                           const struct survey *vs, size_t n, const char *chosen)
{
    buf_addf(b,
             "<div class=\"field\"><label for=\"v-%s\">%s</label>\n<select id=\"v-%s\" "
             "name=\"%s\">\n",
             name, label, name, name);
    for (size_t i = 0; i < n; i++)
        option(b, vs[i].package_version, vs[i].package_version, chosen);
    buf_adds(b, "</select></div>\n");
}

/*
 * The change log of every stored version, beside the figures: what changed in each version
 * and which feedback prompted it, with the two versions being compared marked.
 */
static void change_log(struct buf *b, const struct survey *vs, size_t n, const char *va,
                       const char *vb)
{
    buf_adds(b, "<aside class=\"change-log\" aria-labelledby=\"change-log\">\n"
                "<h2 id=\"change-log\">Change log</h2>\n");
    bool any = false;
    for (size_t i = n; i-- > 0;) {
        const struct survey *sv = &vs[i];
        bool chosen = (va && strcmp(sv->package_version, va) == 0) ||
                      (vb && strcmp(sv->package_version, vb) == 0);
        buf_addf_html(b, "<h3>Version %s", sv->package_version);
        if (sv->change_date)
            buf_addf_html(b, " (%s)", sv->change_date);
        if (chosen)
            buf_adds(b, " <span class=\"compared\">compared here</span>");
        buf_adds(b, "</h3>\n");
        if (!sv->change_count) {
            buf_adds(b, "<p>No change log for this version.</p>\n");
            continue;
        }
        any = true;
        buf_adds(b, "<ul class=\"changes\">\n");
        for (size_t j = 0; j < sv->change_count; j++)
            buf_addf_html(b, "<li>%s</li>\n", sv->changes[j]);
        buf_adds(b, "</ul>\n");
    }
    if (!any && n == 0)
        buf_adds(b, "<p>No package version is stored yet.</p>\n");
    buf_adds(b, "</aside>\n");
}

unsigned staff_compare_get(struct staff_page *p)
{
    struct survey *vs;
    size_t n;
    if (store_surveys(p->st, p->a, &vs, &n) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The package versions could not be read. Please try again.");
    struct scope sc;
    unsigned status = scope_read(p, &sc);
    if (status)
        return status;
    /* The whole report compares; one class alone has one version. */
    sc.opt.cohort = NULL;
    if (sc.ncohorts == 0 && p->sess->school)
        return no_classes(p, "Compare package versions");
    const char *va = form_get(p->query, "a"), *vb = form_get(p->query, "b");
    bool asked = va && vb && *va && *vb;
    if (asked && (!version_known(vs, n, va) || !version_known(vs, n, vb)))
        return staff_page_not_found(p);
    struct buf *b = p->out;
    struct report *r = NULL;
    if (asked && strcmp(va, vb) != 0) {
        sc.opt.compare_a = va;
        sc.opt.compare_b = vb;
        sc.opt.chart_href = chart_href(p, &sc);
        if ((status = scope_build(p, &sc, &r)))
            return status;
    }
    staff_page_open(p, "Compare package versions");
    if (n < 2) {
        buf_adds(b, "<p>Only one package version has feedback codes so far. A comparison needs "
                    "two: serve the revised package (with a new version number and its change "
                    "log) and make class codes for it.</p>\n");
    } else {
        buf_adds(b, "<form method=\"get\" action=\"/staff/compare\" class=\"scope\">\n");
        version_select(b, "a", "Earlier version (for example the pilot)", vs, n,
                       asked ? va : vs[n - 2].package_version);
        version_select(b, "b", "Later version (for example the revised one)", vs, n,
                       asked ? vb : vs[n - 1].package_version);
        buf_adds(b, "<p><button type=\"submit\">Compare</button></p>\n</form>\n");
        if (asked && strcmp(va, vb) == 0)
            staff_page_error(p, "Choose two different versions.");
    }
    buf_adds(b, "<div class=\"compare-layout\">\n");
    change_log(b, vs, n, asked ? va : NULL, asked ? vb : NULL);
    if (r) {
        buf_adds(b, "<p class=\"report-links\"><a href=\"/staff/report/pilot?version=");
        buf_add_urlenc(b, va, strlen(va));
        buf_adds(b, "&amp;compare=");
        buf_add_urlenc(b, vb, strlen(vb));
        buf_adds(b, "\">These two versions as a pilot report</a>, laid out to print.</p>\n"
                    "<div class=\"report\">\n");
        bool ok = write_report(p, r, REPORT_HTML);
        report_free(r);
        if (!ok)
            return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                      "The report could not be written.");
        buf_adds(b, "</div>\n");
    }
    buf_adds(b, "</div>\n");
    staff_page_close(p);
    return asked && strcmp(va, vb) == 0 ? HTTP_BAD_REQUEST : HTTP_OK;
}

/* ---- the pilot report ---- */

/* A select of the stored versions, with a first option for none (value ""). */
static void version_choice(struct buf *b, const char *name, const char *label, const char *none,
                           const struct survey *vs, size_t n, const char *chosen)
{
    buf_addf(b,
             "<div class=\"field\"><label for=\"p-%s\">%s</label>\n<select id=\"p-%s\" "
             "name=\"%s\">\n",
             name, label, name, name);
    option(b, "", none, chosen ? chosen : "");
    for (size_t i = n; i-- > 0;)
        option(b, vs[i].package_version, vs[i].package_version, chosen);
    buf_adds(b, "</select></div>\n");
}

/*
 * /staff/report/pilot: the printable pilot report, for evaluators (the accounts that see
 * every school's report; school staff have their school's figures on /staff/report).
 * ?version=V for one version (default: the newest), &compare=W for V (the pilot) and W (the
 * revision) side by side. The browser's Print makes the PDF.
 */
unsigned staff_pilot_get(struct staff_page *p)
{
    if (p->sess->school)
        return staff_page_message(p, HTTP_FORBIDDEN, "Not allowed",
                                  "The pilot report covers every school, so only evaluators "
                                  "may see it. Your school's feedback is on the Reports page.");
    struct survey *vs;
    size_t n;
    if (store_surveys(p->st, p->a, &vs, &n) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The package versions could not be read. Please try again.");
    const char *va = form_get(p->query, "version"), *vb = form_get(p->query, "compare");
    va = va && *va ? va : NULL;
    vb = va && vb && *vb && strcmp(va, vb) != 0 ? vb : NULL;
    if ((va && !version_known(vs, n, va)) || (vb && !version_known(vs, n, vb)))
        return staff_page_not_found(p);
    struct scope sc;
    memset(&sc, 0, sizeof(sc));
    sc.opt.html_fragment = true;
    sc.opt.source = SOURCE;
    sc.opt.language_name = ui_language_name;
    if (vb) {
        sc.opt.compare_a = va;
        sc.opt.compare_b = vb;
    } else {
        sc.opt.version = va;
    }
    struct report *r;
    unsigned status = scope_build(p, &sc, &r);
    if (status)
        return status;
    struct buf *b = p->out;
    staff_page_open(p, "Pilot report");
    buf_adds(b, "<form method=\"get\" action=\"/staff/report/pilot\" class=\"scope\">\n");
    version_choice(b, "version", "Package version (for example the pilot)", "The newest", vs, n,
                   va);
    version_choice(b, "compare", "Side by side with (for example the revised version)",
                   "None: this version alone", vs, n, vb);
    buf_adds(b, "<p><button type=\"submit\">Show</button></p>\n</form>\n"
                "<p class=\"report-links\">To keep it as a PDF, print this page and choose "
                "\xe2\x80\x9cSave as PDF\xe2\x80\x9d: each part starts on a new A4 page, "
                "without this page's menus.</p>\n");
    bool ok = write_report(p, r, REPORT_PILOT);
    report_free(r);
    if (!ok)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The report could not be written.");
    staff_page_close(p);
    return HTTP_OK;
}
