/*
 * The groups a report adds up (struct group in internal.h): one unit for each class's answers
 * under one served version in one language, which is what the k rule shows or holds back
 * (scope.c), and every other group (a class, a school, a package version, a language and
 * the whole) as the list of units it sums.
 */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/internal.h"

int report_language_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return !a - !b;
    return strcmp(a, b);
}

/* By class, then version, then language: each class's units together, in that order. */
static int served_order(const void *x, const void *y)
{
    const struct store_served *a = x, *b = y;
    if (a->cohort_id != b->cohort_id)
        return a->cohort_id < b->cohort_id ? -1 : 1;
    int c = report_version_cmp(a->version, b->version);
    return c ? c : report_language_cmp(a->language, b->language);
}

static int str_order(const void *x, const void *y)
{
    return report_language_cmp(*(const char *const *)x, *(const char *const *)y);
}

/* Appends s to v[0..n) unless it is there (NULL is a value too); returns the new n. */
static size_t add_distinct(const char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (report_language_cmp(v[i], s) == 0)
            return n;
    v[n] = s;
    return n + 1;
}

size_t report_find_ver(const struct report *r, const char *package_id, const char *version)
{
    for (size_t v = 0; v < r->nvers; v++)
        if (strcmp(r->vers[v].sv->package_id, package_id) == 0 &&
            strcmp(r->vers[v].sv->package_version, version) == 0)
            return v;
    return SIZE_MAX;
}

size_t report_unit_of(const struct report *r, size_t c, const char *served, const char *language)
{
    const struct group *grp = &r->g[c];
    for (size_t m = 0; m < grp->nmembers; m++) {
        const struct group *u = &r->g[grp->members[m]];
        if (strcmp(u->name, served) == 0 && u->served &&
            report_language_cmp(u->language, language) == 0)
            return grp->members[m];
    }
    return SIZE_MAX;
}

static void add_member(struct report *r, struct group *g, size_t unit)
{
    if (!g->members)
        g->members = arena_alloc(&r->arena, (r->nunits ? r->nunits : 1) * sizeof(size_t));
    g->members[g->nmembers++] = unit;
}

/*
 * The versions and languages class c's answers came in: how many (0 for a class with none),
 * and where they start in r->served (ordered by class id, so a class's are together).
 */
static size_t class_units(const struct report *r, size_t c, const struct store_served **first)
{
    int64_t id = r->cohorts[c].id;
    size_t lo = 0, hi = r->nserved;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->served[mid].cohort_id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < r->nserved && r->served[lo + n].cohort_id == id)
        n++;
    if (first)
        *first = &r->served[lo];
    return n;
}

/* The report's schools (sorted, NO_SCHOOL last) and languages (sorted, "not recorded" last)
 * into the groups that follow the classes. */
static void name_groups(struct report *r, const char **schools, const char **langs)
{
    for (size_t i = 0; i < r->nschools; i++) {
        struct group *g = &r->g[r->first_school + i];
        g->kind = GROUP_SCHOOL;
        g->name = schools[i];
        g->ver = SIZE_MAX;
    }
    for (size_t v = 0; v < r->nvers; v++) {
        struct group *g = &r->g[r->first_version + v];
        g->kind = GROUP_VERSION;
        g->name = r->vers[v].sv->package_version;
        g->ver = v;
        r->vers[v].group = r->first_version + v;
    }
    for (size_t l = 0; l < r->nlanguages; l++) {
        struct group *g = &r->g[r->first_language + l];
        g->kind = GROUP_LANGUAGE;
        g->language = langs[l];
        g->name = langs[l] ? langs[l] : STORE_LANGUAGE_NONE_LABEL;
        g->ver = SIZE_MAX;
    }
    struct group *all = &r->g[r->all];
    all->kind = GROUP_ALL;
    all->name = "All answers";
    all->ver = SIZE_MAX;
}

/* Class c's units, each added to the class, its school, its version, its language and all. */
static void build_units(struct report *r, size_t c, size_t *unit)
{
    struct group *g = &r->g[c];
    const struct store_cohort *co = &r->cohorts[c];
    const struct store_served *sv;
    size_t nu = class_units(r, c, &sv);
    for (size_t i = 0; i < (nu ? nu : 1); i++) {
        size_t u = r->first_unit + (*unit)++;
        struct group *ug = &r->g[u];
        ug->kind = GROUP_UNIT;
        ug->name = nu ? sv[i].version : co->package_version;
        ug->language = nu ? sv[i].language : NULL;
        ug->served = nu > 0;
        ug->cohort = co;
        ug->cls = c;
        ug->school = g->school;
        /* Served a version the store has no survey of: its class's, which gave it its
         * meaning. */
        ug->ver = report_find_ver(r, co->package_id, ug->name);
        if (ug->ver == SIZE_MAX)
            ug->ver = g->ver;
        add_member(r, g, u);
        add_member(r, &r->g[g->school], u);
        if (ug->ver != SIZE_MAX)
            add_member(r, &r->g[r->first_version + ug->ver], u);
        /* A class that has had no answer is in no language. */
        for (size_t l = 0; nu && l < r->nlanguages; l++)
            if (report_language_cmp(r->g[r->first_language + l].language, ug->language) == 0)
                add_member(r, &r->g[r->first_language + l], u);
        add_member(r, &r->g[r->all], u);
    }
}

void report_build_groups(struct report *r)
{
    qsort(r->served, r->nserved, sizeof(*r->served), served_order);
    const char **schools = xcalloc(r->ncohorts + 1, sizeof(*schools));
    const char **langs = xcalloc(r->nserved + 1, sizeof(*langs));
    size_t ns = 0, nl = 0;
    r->nunits = 0;
    for (size_t c = 0; c < r->ncohorts; c++) {
        ns = add_distinct(schools, ns, r->cohorts[c].school);
        const struct store_served *sv;
        size_t nu = class_units(r, c, &sv);
        for (size_t i = 0; i < nu; i++)
            nl = add_distinct(langs, nl, sv[i].language);
        r->nunits += nu ? nu : 1;
    }
    /* Sorted, with classes that gave no school (and answers of no recorded language) last. */
    qsort(schools, ns, sizeof(*schools), str_order);
    qsort(langs, nl, sizeof(*langs), str_order);
    if (ns && !schools[ns - 1])
        schools[ns - 1] = NO_SCHOOL;

    r->nschools = ns;
    r->nlanguages = nl;
    r->first_school = r->ncohorts;
    r->first_version = r->first_school + ns;
    r->nversions = r->nvers;
    r->first_language = r->first_version + r->nvers;
    r->all = r->first_language + nl;
    r->first_unit = r->all + 1;
    r->ng = r->first_unit + r->nunits;
    r->g = arena_alloc(&r->arena, r->ng * sizeof(*r->g));
    memset(r->g, 0, r->ng * sizeof(*r->g));
    name_groups(r, schools, langs);
    size_t unit = 0;
    for (size_t c = 0; c < r->ncohorts; c++) {
        struct group *g = &r->g[c];
        const struct store_cohort *co = &r->cohorts[c];
        g->kind = GROUP_COHORT;
        g->name = co->code;
        g->cohort = co;
        g->ver = report_find_ver(r, co->package_id, co->package_version);
        const char *school = co->school ? co->school : NO_SCHOOL;
        for (size_t i = 0; i < ns; i++)
            if (strcmp(schools[i], school) == 0)
                g->school = r->first_school + i;
        build_units(r, c, &unit);
    }
    free(schools);
    free(langs);
}
