/*
 * The pilot report: what a police force sends to schools with a revised package. One package
 * version, or two side by side (the pilot and its revision), as an evaluation report in six
 * parts: aims, method, participants, results (change from start to end, knowledge, other
 * answers, what pupils said, focus groups), limitations and the changes made. Charts are the
 * HTML report's SVG charts, each beside a table of the same figures; a print stylesheet lays
 * it out on A4, each part on a new page. Every figure comes through report.c's accessors, so
 * a class under k is in none of them; the report says how many submissions are held back.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/render.h"

/* Comments quoted per text question and version: enough to hear pupils, few enough to read. */
#define PILOT_QUOTES 12
/* Fewer submissions than this in a version: the intervals are wide, and the report says so. */
#define PILOT_SMALL 100

/* Print: A4, a part to a page, charts and tables never split, no navigation. */
static const char *const pilot_style =
    "<style>\n"
    ".pilot .result,.pilot figure{margin:1rem 0}.pilot .sentence{font-weight:600}\n"
    "@media print{@page{size:A4;margin:16mm}body{max-width:none;margin:0;font-size:11pt}"
    "nav,.downloads{display:none}section.pilot-part{break-before:page}"
    "section.pilot-part.first{break-before:auto}h2,h3,h4{break-after:avoid}"
    ".result,.question,table,svg.chart,blockquote{break-inside:avoid}"
    ".chart{width:8.5cm}table{font-size:9pt}}\n"
    "</style>\n";

/* The versions the report is about: two compared, the one asked for, or the newest. */
static size_t pilot_versions(const struct report *r, size_t v[2])
{
    if (r->compared && r->cmp_a != SIZE_MAX && r->cmp_b != SIZE_MAX && r->cmp_a != r->cmp_b) {
        v[0] = r->cmp_a;
        v[1] = r->cmp_b;
        return 2;
    }
    if (r->compared && r->cmp_a != SIZE_MAX) {
        v[0] = r->cmp_a;
        return 1;
    }
    if (r->version != SIZE_MAX) {
        v[0] = r->version;
        return 1;
    }
    if (r->nversions) {
        v[0] = r->first_version + r->nversions - 1;
        return 1;
    }
    return 0;
}

/* Group g's submissions (a class's or a language's) under version gv, those of its units
 * served gv: shown, or all. */
static int64_t in_version_n(const struct report *r, size_t g, size_t gv, bool shown)
{
    int64_t n = 0;
    for (size_t m = 0; m < r->g[g].nmembers; m++) {
        const struct group *u = &r->g[r->g[g].members[m]];
        if (u->ver == r->g[gv].ver && (!shown || !u->hidden))
            n += u->n;
    }
    return n;
}

/* Whether class c has submissions shown under version gv, or, with none yet, was made for it. */
static bool shown_in_version(const struct report *r, size_t c, size_t gv)
{
    return in_version_n(r, c, gv, true) > 0 ||
           (r->g[c].n == 0 && !r->g[c].hidden && r->g[c].ver == r->g[gv].ver);
}

/* Whether class c has submissions under version gv, or, with none yet, was made for it. */
static bool in_version(const struct report *r, size_t c, size_t gv)
{
    return in_version_n(r, c, gv, false) > 0 ||
           (r->g[c].n == 0 && !r->g[c].hidden && r->g[c].ver == r->g[gv].ver);
}

/* Language group l's shown submissions under the report's versions v[0..nv): 0 when none
 * of its units there is shown, and then the report does not name it. */
static int64_t language_n(const struct report *r, size_t l, const size_t *v, size_t nv)
{
    int64_t n = 0;
    for (size_t i = 0; i < nv; i++)
        n += in_version_n(r, l, v[i], true);
    return n;
}

static void part_open(struct out *o, const char *id, const char *title, bool first)
{
    out_fmt(o, "<section class=\"pilot-part%s\" aria-labelledby=\"%s\">\n<h2 id=\"%s\">%s</h2>\n",
            first ? " first" : "", id, id, title);
}

/* "version 1.0.0" or, of two, "the pilot (version 1.0.0)" and "the revision (...)". */
static void version_name(const struct report *r, const size_t *v, size_t nv, size_t i, char *buf,
                         size_t size)
{
    if (nv == 2)
        snprintf(buf, size, "%s (version %s)", i ? "the revision" : "the pilot", r->g[v[i]].name);
    else
        snprintf(buf, size, "version %s", r->g[v[i]].name);
}

/* Whether question q is one side of a before/after pair. */
static bool in_pair(const struct report *r, size_t q)
{
    for (size_t p = 0; p < r->npairs; p++)
        if (r->pairs[p].before == q || r->pairs[p].after == q)
            return true;
    return false;
}

static bool asked_in_any(const struct report *r, const size_t *v, size_t nv, size_t q)
{
    for (size_t i = 0; i < nv; i++)
        if (report_asked(r, v[i], q))
            return true;
    return false;
}

/* The pairs each part of the results shows: start (or looking back) to end on a scale, the
 * knowledge items from start to end, and the start to the later part, a few weeks on. */
enum pilot_pairs { PILOT_CHANGE, PILOT_KNOWLEDGE, PILOT_LATER };

static bool pair_in(const struct report *r, size_t p, enum pilot_pairs which)
{
    const struct rpair *pr = &r->pairs[p];
    if (r->q[pr->after].when == SURVEY_LATER)
        return which == PILOT_LATER;
    return which == (pr->knowledge ? PILOT_KNOWLEDGE : PILOT_CHANGE);
}

/* Whether some pair of this kind was asked, both of its questions, in some version. */
static bool pairs_asked(const struct report *r, const size_t *v, size_t nv, enum pilot_pairs which)
{
    for (size_t p = 0; p < r->npairs; p++)
        if (pair_in(r, p, which) && asked_in_any(r, v, nv, r->pairs[p].before) &&
            asked_in_any(r, v, nv, r->pairs[p].after))
            return true;
    return false;
}

/* ---- aims and method ---- */

static void pilot_aims(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    char a[96], b[96];
    part_open(o, "aims", "1. Aims", true);
    out_str(o, "<p>In the package, each young person makes their own plan and learns where "
               "to get help. This report looks at ");
    version_name(r, v, nv, 0, a, sizeof(a));
    out_text(o, a);
    if (nv == 2) {
        version_name(r, v, nv, 1, b, sizeof(b));
        out_str(o, " and ");
        out_text(o, b);
        out_str(o, ", side by side,");
    }
    out_str(o, " and asks:</p>\n<ol>\n"
               "<li>Did pupils' answers change from the start of the lesson to its end?</li>\n");
    if (pairs_asked(r, v, nv, PILOT_LATER))
        out_str(o, "<li>Were the answers a few weeks later still different from the start?</li>\n");
    out_str(o, "<li>What did pupils, and the focus groups, say about it?</li>\n");
    out_str(o, nv == 2 ? "<li>What was changed in the revision, and why?</li>\n"
                       : "<li>What was changed in this version, and why?</li>\n");
    out_str(o, "</ol>\n</section>\n");
}

/*
 * The languages with submissions shown under versions v[0..nv), as the reports name them,
 * between before and after: with counts, "12 in Cymraeg (cy) and 6 in English (en-GB)", every
 * language; without, "Cymraeg (cy) and English (en-GB)", recorded languages only. A language
 * none of whose units there is shown is not named; nothing is written when fewer than min
 * (at least 1) are.
 */
static void pilot_language_list(struct out *o, const size_t *v, size_t nv, bool counts, size_t min,
                                const char *before, const char *after)
{
    const struct report *r = o->r;
    const size_t first = r->first_language, end = first + r->nlanguages;
    size_t listed = 0;
    for (size_t l = first; l < end; l++)
        listed += (counts || r->g[l].language) && language_n(r, l, v, nv) > 0;
    if (listed < min)
        return;
    out_str(o, before);
    size_t i = 0;
    for (size_t l = first; l < end; l++) {
        int64_t n = language_n(r, l, v, nv);
        if (!n || (!counts && !r->g[l].language))
            continue;
        char name[128];
        out_language(r, r->g[l].language, name, sizeof(name));
        out_str(o, i == 0 ? "" : i + 1 == listed ? " and " : ", ");
        if (counts)
            out_fmt(o, "%lld %s", (long long)n, r->g[l].language ? "in " : "whose language was ");
        out_text(o, name);
        i++;
    }
    out_str(o, after);
}

static void pilot_method(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    part_open(o, "method", "2. Method", false);
    out_str(o, "<p>Each class had its own class code. Pupils answered the package's feedback "
               "form with that code: it asks no names and stores no names, addresses or "
               "device details, and e-mail addresses and phone numbers written in a comment "
               "are masked before it is stored. Some questions are asked at the start of the "
               "lesson and the same ones again at the end; others only at the end, some of "
               "them looking back on how sure pupils were before the lesson. After the start "
               "part each pupil is given a pairing word (two everyday words, drawn at random, "
               "which say nothing about the pupil) to write down, and the end part asks for "
               "it.</p>\n");
    out_fmt(o,
            "<p>Change from start to end is measured with Cliff's delta, an effect size for "
            "answers in order (from -1, every answer lower at the end, to +1, every answer "
            "higher), with its 95%% confidence interval, comparing the start answers and the "
            "end answers as two groups. Where at least %d pupils of a class, school or version "
            "are paired by their pairing words, the change is measured over their own two "
            "answers instead, with the matched-pairs rank-biserial correlation; so is a "
            "looking-back answer against an end answer, which come from one submission. "
            "Effects are called negligible, small, medium or large (Romano and others, 2006, "
            "for Cliff's delta; Cohen, 1988, for a correlation), and \xe2\x80\x9cno clear "
            "change\xe2\x80\x9d when the interval includes 0. A knowledge question's share of "
            "right answers has a 95%% Wilson interval. The top answers of a scale are its "
            "upper half, the middle included.</p>\n",
            r->k);
    if (pairs_asked(r, v, nv, PILOT_LATER))
        out_str(o, "<p>Some questions are asked again in a later part, a few weeks after the "
                   "lesson. Those answers are compared with the start answers in the same way, "
                   "as two groups with Cliff's delta: pairing words pair only the start and the "
                   "end.</p>\n");
    /* Answers are stored by question and option ids, not words: languages add up. */
    pilot_language_list(o, v, nv, false, 2, "<p>The feedback form was offered in ",
                        ". Answers are stored by question and answer, not by their words, so "
                        "the answers in every language are counted together, question by "
                        "question.</p>\n");
    out_fmt(o, "<p>" OUT_HOLD_BACK " " OUT_COUNTS_ARE "</p>\n", r->k, r->k);
    out_str(o, "<table>\n<caption>The questions</caption>\n<thead><tr><th scope=\"col\">"
               "Question</th><th scope=\"col\">Kind</th><th scope=\"col\">Asked</th>");
    if (nv == 2)
        for (size_t i = 0; i < nv; i++) {
            out_str(o, "<th scope=\"col\">In version ");
            out_text(o, r->g[v[i]].name);
            out_str(o, "</th>");
        }
    out_str(o, "</tr></thead>\n<tbody>\n");
    for (size_t q = 0; q < r->nq; q++) {
        if (!asked_in_any(r, v, nv, q))
            continue;
        out_str(o, "<tr><th scope=\"row\">");
        out_text(o, r->q[q].text);
        out_fmt(o, "</th><td>%s%s</td><td>%s</td>", out_type(r->q[q].type),
                r->q[q].correct ? " (knowledge)" : "", out_when(r->q[q].when));
        if (nv == 2)
            for (size_t i = 0; i < nv; i++)
                out_str(o, report_asked(r, v[i], q) ? "<td>yes</td>" : "<td>no</td>");
        out_str(o, "</tr>\n");
    }
    out_str(o, "</tbody>\n</table>\n</section>\n");
}

/* ---- participants ---- */

/* Schools (named) among the shown classes of version gv. */
static size_t schools_shown(const struct report *r, size_t gv)
{
    size_t n = 0;
    for (size_t c = 0; c < r->ncohorts; c++) {
        const char *s = r->cohorts[c].school;
        if (!shown_in_version(r, c, gv) || !s)
            continue;
        bool first = true;
        for (size_t d = 0; d < c && first; d++)
            first = !(shown_in_version(r, d, gv) && r->cohorts[d].school &&
                      strcmp(r->cohorts[d].school, s) == 0);
        n += first;
    }
    return n;
}

static void pilot_participants(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    part_open(o, "participants", "3. Participants", false);
    for (size_t i = 0; i < nv; i++) {
        const struct group *gv = &r->g[v[i]];
        char name[96];
        version_name(r, v, nv, i, name, sizeof(name));
        size_t classes = 0;
        for (size_t c = 0; c < r->ncohorts; c++)
            classes += shown_in_version(r, c, v[i]);
        size_t schools = schools_shown(r, v[i]);
        if (nv == 2) {
            out_str(o, "<h3>");
            out_text(o, name);
            out_str(o, "</h3>\n");
        }
        out_fmt(o, "<p><strong>%lld submissions</strong> from %zu class%s in %zu school%s.",
                (long long)gv->n, classes, classes == 1 ? "" : "es", schools,
                schools == 1 ? "" : "s");
        if (gv->held)
            out_fmt(o,
                    " Held back: %lld submissions from %zu class%s with fewer than %d, which "
                    "are in no figure of this report.",
                    (long long)gv->held, gv->nheld, gv->nheld == 1 ? "" : "es", r->k);
        else
            out_str(o, " No class was held back.");
        out_str(o, "</p>\n");
        pilot_language_list(o, &v[i], 1, true, 1,
                            "<p class=\"languages\">By language: ", ".</p>\n");
        char pairing[320];
        if (out_pairing(r, v[i], pairing, sizeof(pairing)))
            out_textf(o, "<p class=\"pairing\">%s</p>\n", pairing);
        if (!classes)
            continue;
        out_str(o, "<table class=\"participants\">\n<caption>Classes in ");
        out_text(o, name);
        out_str(o, "</caption>\n<thead><tr><th scope=\"col\">School</th><th scope=\"col\">"
                   "Class</th><th scope=\"col\">Code made on</th><th scope=\"col\">"
                   "Submissions</th></tr></thead>\n<tbody>\n");
        for (size_t c = 0; c < r->ncohorts; c++) {
            if (!shown_in_version(r, c, v[i]))
                continue;
            const struct store_cohort *co = r->g[c].cohort;
            char d[11];
            out_day(co->created_day, d);
            out_str(o, "<tr><td class=\"text\">");
            out_text(o, co->school ? co->school : "no school given");
            out_str(o, "</td><th scope=\"row\">");
            out_text(o, co->code);
            out_str(o, ": ");
            out_text(o, co->label);
            out_fmt(o, "</th><td>%s</td><td class=\"n\">%lld</td></tr>\n", d,
                    (long long)in_version_n(r, c, v[i], true));
        }
        out_str(o, "</tbody>\n</table>\n");
    }
    out_str(o, "</section>\n");
}

/* ---- results ---- */

/*
 * One version's start and end (or looking back and end) answers to pair p, as
 * report_pair_change() gives them: its sentence, a chart of both parts where each has k
 * answers, and the figures the HTML report gives (html_change_figures()), labelled by the
 * heading with id "chg-ID" or, when a version is named, by a heading of its own.
 */
static void pilot_change(struct out *o, size_t p, size_t g, const char *vname, unsigned id)
{
    const struct report *r = o->r;
    const struct rpair *pr = &r->pairs[p];
    const struct rq *qb = &r->q[pr->before], *qa = &r->q[pr->after];
    out_str(o, "<div class=\"result\">\n");
    if (vname) {
        id = ++o->ids;
        out_fmt(o, "<h5 id=\"chg-%u\">", id);
        out_text(o, vname);
        out_str(o, "</h5>\n");
    }
    struct report_change c;
    if (report_pair_change(r, p, g, &c) != 0) {
        out_str(o, "<p>Not asked in this version, or held back.</p>\n</div>\n");
        return;
    }
    if (c.sentence[0])
        out_textf(o, "<p class=\"sentence\">%s</p>\n", c.sentence);
    /* A chart only where both parts have k answers: a part held back draws no bars. */
    if (c.have_start && c.have_end && qb->ncols == qa->ncols) {
        char title[600];
        snprintf(title, sizeof(title),
                 "Bar chart of the shares of each answer %s and %s for: %s (the same figures "
                 "are in the table)",
                 pr->paired ? "looking back" : "at the start",
                 c.later ? "a few weeks later" : "at the end", qa->text);
        const size_t gs[2] = {g, g}, qs[2] = {pr->before, pr->after};
        const char *const key[2] = {pr->paired ? "looking back" : "start",
                                    c.later ? "weeks later" : "end"};
        out_str(o, "<div class=\"chart-and-table\">\n<div>\n");
        html_chart_two(o, gs, qs, key, title);
        out_str(o, "</div>\n<div>\n");
        html_change_figures(o, g, p, &c, id);
        out_str(o, "</div>\n</div>\n</div>\n");
        return;
    }
    html_change_figures(o, g, p, &c, id);
    out_str(o, "</div>\n");
}

/* Knowledge items in no pair (asked once): the share right in each version. */
static void pilot_knowledge(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    bool any = false;
    for (size_t q = 0; q < r->nq; q++) {
        if (!r->q[q].correct || in_pair(r, q) || !asked_in_any(r, v, nv, q))
            continue;
        if (!any) {
            out_str(o, "<table class=\"knowledge\">\n<caption>Share of right answers to the "
                       "questions asked once, of those who chose an answer</caption>\n"
                       "<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Asked</th>");
            for (size_t i = 0; i < nv; i++) {
                out_str(o, "<th scope=\"col\">Version ");
                out_text(o, r->g[v[i]].name);
                out_str(o, "</th>");
            }
            out_str(o, "</tr></thead>\n<tbody>\n");
        }
        any = true;
        out_str(o, "<tr><th scope=\"row\">");
        out_text(o, r->q[q].text);
        out_fmt(o, "</th><td>%s</td>", out_when(r->q[q].when));
        for (size_t i = 0; i < nv; i++) {
            struct stats_share sh;
            char cell[128];
            out_change_share(r, &sh, report_share_correct(r, v[i], q, &sh) == 0, cell,
                             sizeof(cell));
            out_textf(o, "<td>%s</td>", cell);
        }
        out_str(o, "</tr>\n");
    }
    if (any)
        out_str(o, "</tbody>\n</table>\n");
}

/* Questions that are neither a side of a pair nor text: one chart each (two versions: side
 * by side, where both asked it). */
static void pilot_other_answers(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    bool any = false;
    for (size_t q = 0; q < r->nq; q++) {
        const struct rq *rq = &r->q[q];
        if (rq->type == SURVEY_TEXT || in_pair(r, q) || !asked_in_any(r, v, nv, q))
            continue;
        if (!any)
            out_str(o, "<h3 id=\"other-answers\">Other answers</h3>\n");
        any = true;
        /* Two versions (the ones compared) side by side where both asked it. */
        int64_t na, nb;
        if (nv == 2 && report_answers(r, v[0], q, &na) == 0 &&
            report_answers(r, v[1], q, &nb) == 0) {
            html_compare_question(o, q, 4);
            continue;
        }
        for (size_t i = 0; i < nv; i++)
            html_question(o, v[i], q);
    }
}

/* Comments quoted for each text question, per version: as stored, contact details masked. */
static void pilot_said(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    out_str(o, "<h3 id=\"said\">What pupils said</h3>\n<p>Comments are quoted as pupils wrote "
               "them, with e-mail addresses and phone numbers masked, in an order that says "
               "nothing about who wrote them or when.</p>\n");
    /* The themes staff coded comments and focus groups with, counted under the k rule. */
    for (size_t i = 0; i < nv && report_has_themes(r); i++) {
        if (nv == 2)
            out_textf(o, "<h4>Version %s</h4>\n", r->g[v[i]].name);
        out_themes(o, v[i], true);
    }
    bool any = false;
    for (size_t q = 0; q < r->nq; q++) {
        if (r->q[q].type != SURVEY_TEXT)
            continue;
        for (size_t i = 0; i < nv; i++) {
            const char **c;
            size_t n;
            int64_t dropped;
            if (report_comments(r, v[i], q, PILOT_QUOTES, &c, &n, &dropped) != 0)
                continue;
            size_t listed = n < PILOT_QUOTES ? n : PILOT_QUOTES;
            int64_t total = (int64_t)n + dropped;
            if (listed) {
                any = true;
                out_str(o, "<h4>\xe2\x80\x9c");
                out_text(o, r->q[q].text);
                out_str(o, "\xe2\x80\x9d");
                if (nv == 2) {
                    out_str(o, ", version ");
                    out_text(o, r->g[v[i]].name);
                }
                out_fmt(o, "</h4>\n<p>%zu of %lld comment%s:</p>\n<ul class=\"quotes\">\n", listed,
                        (long long)total, total == 1 ? "" : "s");
                for (size_t j = 0; j < listed; j++) {
                    out_str(o, "<li><blockquote>");
                    out_text(o, c[j]);
                    out_str(o, "</blockquote></li>\n");
                }
                out_str(o, "</ul>\n");
            }
            free(c);
        }
    }
    if (!any)
        out_str(o, "<p>No comments from the classes shown.</p>\n");
}

/* Whether focus group f belongs in the report: its class is of a version reported, or it is
 * tied to no class. */
static bool focus_in(const struct report *r, const struct store_focus_group *f, const size_t *v,
                     size_t nv)
{
    if (!f->cohort_code)
        return true;
    for (size_t c = 0; c < r->ncohorts; c++)
        if (strcmp(r->cohorts[c].code, f->cohort_code) == 0)
            for (size_t i = 0; i < nv; i++)
                if (in_version(r, c, v[i]))
                    return true;
    return false;
}

/* The themes of the focus groups, counted: each tag (trimmed, compared without case) once per
 * focus group that gives it. */
struct theme_count {
    char name[64];
    int n;
};

static int theme_order(const void *x, const void *y)
{
    const struct theme_count *a = x, *b = y;
    return a->n != b->n ? b->n - a->n : strcasecmp(a->name, b->name);
}

static size_t count_themes(const struct report *r, const size_t *v, size_t nv,
                           struct theme_count *t, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfgs; i++) {
        const struct store_focus_group *f = &r->fgs[i];
        if (!focus_in(r, f, v, nv) || !f->themes)
            continue;
        bool seen[64] = {false};
        for (const char *p = f->themes; *p;) {
            while (*p == ',' || isspace((unsigned char)*p))
                p++;
            const char *e = p;
            while (*e && *e != ',')
                e++;
            size_t len = (size_t)(e - p);
            while (len && isspace((unsigned char)p[len - 1]))
                len--;
            if (len) {
                char name[64];
                snprintf(name, sizeof(name), "%.*s", (int)len, p);
                size_t k = 0;
                while (k < n && strcasecmp(t[k].name, name) != 0)
                    k++;
                if (k == n && n < cap) {
                    snprintf(t[n].name, sizeof(t[n].name), "%s", name);
                    t[n++].n = 0;
                }
                if (k < n && k < sizeof(seen) && !seen[k]) { /* once per focus group */
                    seen[k] = true;
                    t[k].n++;
                }
            }
            p = e;
        }
    }
    qsort(t, n, sizeof(*t), theme_order);
    return n;
}

static void pilot_focus_groups(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    out_str(o, "<h3 id=\"focus-groups\">Focus groups</h3>\n");
    size_t nf = 0;
    for (size_t i = 0; i < r->nfgs; i++)
        nf += focus_in(r, &r->fgs[i], v, nv);
    if (!nf) {
        out_str(o, "<p>No focus group notes were recorded for these classes.</p>\n");
        return;
    }
    struct theme_count t[64] = {0};
    size_t nt = count_themes(r, v, nv, t, sizeof(t) / sizeof(t[0]));
    out_fmt(o, "<p>%zu focus group%s, with notes written by staff.</p>\n", nf, nf == 1 ? "" : "s");
    if (nt) {
        out_str(o, "<table class=\"themes\">\n<caption>Themes written in the focus groups&#39; "
                   "notes</caption>\n"
                   "<thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Focus groups"
                   "</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < nt; i++) {
            out_str(o, "<tr><th scope=\"row\">");
            out_text(o, t[i].name);
            out_fmt(o, "</th><td class=\"n\">%d</td></tr>\n", t[i].n);
        }
        out_str(o, "</tbody>\n</table>\n");
    }
    for (size_t i = 0; i < r->nfgs; i++) {
        const struct store_focus_group *f = &r->fgs[i];
        if (!focus_in(r, f, v, nv))
            continue;
        char d[11];
        out_day(f->day, d);
        out_fmt(o, "<div class=\"focus-group\">\n<h4>%s, ", d);
        size_t c = 0;
        while (f->cohort_code && c < r->ncohorts && strcmp(r->cohorts[c].code, f->cohort_code) != 0)
            c++;
        if (f->cohort_code && c < r->ncohorts && r->g[c].hidden) {
            /* Its notes are staff's, but its code would name a class this report holds back. */
            out_fmt(o, "a class with fewer than %d submissions", r->k);
        } else if (f->cohort_code) {
            out_str(o, "class ");
            out_text(o, f->cohort_code);
        } else {
            out_str(o, "not tied to one class");
        }
        out_str(o, "</h4>\n<p><strong>Themes:</strong> ");
        out_text(o, f->themes);
        out_str(o, "</p>\n<p>");
        out_text(o, f->notes);
        out_str(o, "</p>\n");
        if (f->quotes && *f->quotes) {
            out_str(o, "<blockquote>");
            out_text(o, f->quotes);
            out_str(o, "</blockquote>\n");
        }
        out_str(o, "</div>\n");
    }
}

/* Each pair of one kind asked in a version: its question, then each version's change. */
static void pilot_pairs(struct out *o, const size_t *v, size_t nv, enum pilot_pairs which)
{
    const struct report *r = o->r;
    for (size_t p = 0; p < r->npairs; p++) {
        const struct rpair *pr = &r->pairs[p];
        if (!pair_in(r, p, which) || !asked_in_any(r, v, nv, pr->before) ||
            !asked_in_any(r, v, nv, pr->after))
            continue;
        unsigned id = ++o->ids;
        out_fmt(o, "<div class=\"pair\">\n<h4 id=\"chg-%u\">", id);
        out_text(o, r->q[pr->after].text);
        out_str(o, pr->paired             ? " (looking back, and at the end)</h4>\n"
                   : which == PILOT_LATER ? " (at the start, and a few weeks later)</h4>\n"
                                          : " (at the start, and at the end)</h4>\n");
        for (size_t i = 0; i < nv; i++) {
            char name[96];
            snprintf(name, sizeof(name), "Version %s", r->g[v[i]].name);
            pilot_change(o, p, v[i], nv == 2 ? name : NULL, id);
        }
        out_str(o, "</div>\n");
    }
}

static void pilot_results(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    part_open(o, "results", "4. Results", false);
    out_str(o, "<h3 id=\"change\">What changed from start to end</h3>\n");
    if (pairs_asked(r, v, nv, PILOT_CHANGE))
        pilot_pairs(o, v, nv, PILOT_CHANGE);
    else
        out_str(o, "<p>No question was asked both before and at the end.</p>\n");
    bool knowledge = false;
    for (size_t q = 0; q < r->nq && !knowledge; q++)
        knowledge = r->q[q].correct && asked_in_any(r, v, nv, q);
    if (knowledge) {
        out_str(o, "<h3 id=\"knowledge\">Knowledge</h3>\n<p>Questions with a right answer: "
                   "the share who gave it, of those who chose an answer (\xe2\x80\x9cnot "
                   "sure\xe2\x80\x9d is an answer, and not the right one), with its 95% Wilson "
                   "interval.</p>\n");
        pilot_pairs(o, v, nv, PILOT_KNOWLEDGE);
        pilot_knowledge(o, v, nv);
    }
    if (pairs_asked(r, v, nv, PILOT_LATER)) {
        out_textf(o, "<h3 id=\"later\">A few weeks later</h3>\n<p>%s</p>\n", out_later_note(r));
        pilot_pairs(o, v, nv, PILOT_LATER);
    }
    pilot_other_answers(o, v, nv);
    pilot_said(o, v, nv);
    pilot_focus_groups(o, v, nv);
    out_str(o, "</section>\n");
}

/* ---- limitations and changes ---- */

static void pilot_limits(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    part_open(o, "limitations", "5. Limitations", false);
    out_str(o, "<ul class=\"limits\">\n"
               "<li><strong>Self-report.</strong> The answers are what pupils said about "
               "themselves on the day, not what they will do when it matters.</li>\n"
               "<li><strong>No control group.</strong> Every class had the lesson, so a change "
               "cannot be put down to the lesson alone: answering the same question twice, "
               "or the day itself, may play a part.</li>\n"
               "<li><strong>Few pairs.</strong> A pairing word is optional: only pupils who "
               "kept theirs and typed it at the end are paired. Where too few are paired, "
               "start and end answers are compared as two groups, and a pupil who answered "
               "only once counts on one side only.</li>\n");
    if (*out_later_note(r))
        out_fmt(o, "<li><strong>The later part.</strong> %s</li>\n", out_later_note(r));
    out_fmt(o, "<li><strong>Submissions, not pupils.</strong> %s</li>\n", OUT_COUNTS_ARE);
    /* A ceiling, where most were already in the top answers (or right) at the start. */
    bool ceiling = false;
    for (size_t p = 0; p < r->npairs; p++) {
        if (pair_in(r, p, PILOT_LATER) || r->pairs[p].paired)
            continue; /* the same start as its start-to-end pair; not a start */
        for (size_t i = 0; i < nv; i++) {
            struct report_change c;
            if (report_pair_change(r, p, v[i], &c) != 0 || !c.ceiling)
                continue;
            ceiling = true;
            out_fmt(o,
                    "<li><strong>A ceiling.</strong> In version %s, %.0f%% %s at the start for "
                    "\xe2\x80\x9c",
                    r->g[v[i]].name, 100 * c.start.share,
                    c.knowledge ? "already gave the right answer"
                                : "were already in the top answers");
            out_text(o, r->q[r->pairs[p].before].text);
            out_str(o, "\xe2\x80\x9d: with little room to rise, a small change there says "
                       "little.</li>\n");
        }
    }
    if (!ceiling)
        out_str(o, "<li><strong>A ceiling.</strong> No question had three in four or more in "
                   "its top answers, or right, at the start, so there was room to rise.</li>\n");
    for (size_t i = 0; i < nv; i++) {
        const struct group *gv = &r->g[v[i]];
        out_fmt(o, "<li><strong>Numbers, version ");
        out_text(o, gv->name);
        out_fmt(o, ".</strong> %lld submissions", (long long)gv->n);
        if (gv->n < PILOT_SMALL)
            out_str(o, ": small numbers, so the intervals are wide and a real change may not "
                       "show as a clear one");
        out_str(o, ". ");
        if (gv->held)
            out_fmt(o,
                    "%lld submissions from %zu class%s with fewer than %d are held back and "
                    "are in no figure, so the classes shown may not be typical of all.",
                    (long long)gv->held, gv->nheld, gv->nheld == 1 ? "" : "es", r->k);
        else
            out_str(o, "No class was held back.");
        out_str(o, "</li>\n");
    }
    if (r->unreadable)
        out_fmt(o, "<li>%lld submissions could not be read and are left out.</li>\n",
                (long long)r->unreadable);
    out_str(o, "</ul>\n</section>\n");
}

static void pilot_changes(struct out *o, const size_t *v, size_t nv)
{
    const struct report *r = o->r;
    part_open(o, "changes", "6. Changes made", false);
    out_str(o, "<p>From the package's change log, which its authors write with each new "
               "version: what was changed, and which feedback prompted it.</p>\n");
    size_t from = nv == 2 ? r->g[v[0]].ver + 1 : r->g[v[0]].ver;
    size_t to = r->g[v[nv - 1]].ver;
    for (size_t ver = from; ver <= to && ver < r->nvers; ver++) {
        const struct survey *sv = r->vers[ver].sv;
        if (sv->change_count) {
            html_changes(o, sv);
            continue;
        }
        out_str(o, "<p>The change log has no entry for version ");
        out_text(o, sv->package_version);
        out_str(o, ".</p>\n");
    }
    out_str(o, "</section>\n");
}

/* ---- the whole ---- */

void pilot_report(struct out *o)
{
    const struct report *r = o->r;
    size_t v[2];
    size_t nv = pilot_versions(r, v);
    if (!r->html_fragment)
        html_document_open(o, "Pilot report", pilot_style, "pilot");
    else
        out_str(o, "<div class=\"pilot\">\n");
    char today[11];
    out_day(r->today, today);
    out_str(o, "<p class=\"meta\">");
    if (nv == 2) {
        out_str(o, "The pilot, version ");
        out_text(o, r->g[v[0]].name);
        out_str(o, ", and the revision, version ");
        out_text(o, r->g[v[1]].name);
        out_str(o, ", side by side. ");
    } else if (nv == 1) {
        out_str(o, "Package version ");
        out_text(o, r->g[v[0]].name);
        out_str(o, ". ");
    }
    if (r->school) {
        out_str(o, "Only the classes of ");
        out_text(o, r->school);
        out_str(o, ". ");
    }
    out_fmt(o, "Made on %s", today);
    if (r->source) {
        out_str(o, " from ");
        out_text(o, r->source);
    }
    out_str(o, ".</p>\n");
    if (!nv) {
        out_str(o, "<p>No class has given feedback yet, so there is nothing to report.</p>\n");
    } else {
        out_str(o, "<nav class=\"contents\" aria-labelledby=\"pilot-contents\">\n"
                   "<h2 id=\"pilot-contents\">Contents</h2>\n<ol>\n"
                   "<li><a href=\"#aims\">Aims</a></li>\n<li><a href=\"#method\">Method</a></li>\n"
                   "<li><a href=\"#participants\">Participants</a></li>\n"
                   "<li><a href=\"#results\">Results</a></li>\n"
                   "<li><a href=\"#limitations\">Limitations</a></li>\n"
                   "<li><a href=\"#changes\">Changes made</a></li>\n</ol>\n</nav>\n");
        pilot_aims(o, v, nv);
        pilot_method(o, v, nv);
        pilot_participants(o, v, nv);
        pilot_results(o, v, nv);
        pilot_limits(o, v, nv);
        pilot_changes(o, v, nv);
    }
    if (r->html_fragment)
        out_str(o, "</div>\n");
    else
        html_document_close(o);
}
