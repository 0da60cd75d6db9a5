/*
 * What a report may hold, decided before anything is counted into a figure: the classes held
 * back under the k rule, and one school's view (its classes, versions and focus groups alone).
 * report.c calls these while it builds a report.
 */
#include <stdio.h>
#include <string.h>

#include "report/internal.h"

/* ---- holding back small classes ---- */

/*
 * A class's answers under one served version in one language (a unit, groups.c) with fewer
 * than k are held back: left out of every figure of the report, its class's own and every
 * total it belongs to (its school, its version, its language, all), the pairing of start and
 * end answers (matching.c) and the rows of the data files (report_answers_each()), until it
 * has k. Every view is built from the same units by the same rule, so no view holds anything
 * of a held-back unit that another could be subtracted from: with k = 5, a class of 6
 * answers in English and 2 in Welsh shows 6 everywhere, its own view, its school's, the
 * English answers' and all, and says that 2 are held back. Were the language not part of the
 * unit, the class would show 8 and the English answers 6, and the difference would be the 2
 * Welsh answers' figures. Units only gain answers, so a unit once shown stays shown, and a
 * lower k holds back fewer units.
 *
 * Answers stored before languages were (schema 10) have none, and the store was never told
 * which language their package had: they are a language of their own, "not recorded", in
 * every view alike, so that no two views split a class's answers differently.
 */
void report_hold_back(struct report *r)
{
    for (size_t c = r->first_unit; c < r->ng; c++) {
        r->g[c].hidden = r->g[c].n > 0 && r->g[c].n < r->k;
        if (!r->g[c].hidden)
            continue;
        /* Its comments too: a list of a version's comments would otherwise hold them. */
        for (size_t q = 0; q < r->nq; q++) {
            report_gq(r, c, q)->ncomments = 0;
            report_gq(r, c, q)->comments_dropped = 0;
        }
    }
}

/* ---- one school's view ---- */

/*
 * Keeps only the package versions some class of the report was given or served: in one school's
 * view, a version only other schools used would be an empty section. Every stored version
 * belongs to at least one class, so the report on every school keeps them all.
 */
void report_keep_used_versions(struct report *r)
{
    size_t kept = 0;
    for (size_t v = 0; v < r->nvers; v++) {
        const struct survey *sv = r->vers[v].sv;
        bool used = false;
        for (size_t c = 0; c < r->ncohorts && !used; c++) {
            if (strcmp(r->cohorts[c].package_id, sv->package_id) != 0)
                continue;
            used = strcmp(r->cohorts[c].package_version, sv->package_version) == 0;
            for (size_t i = 0; i < r->nserved && !used; i++)
                used = r->served[i].cohort_id == r->cohorts[c].id &&
                       strcmp(r->served[i].version, sv->package_version) == 0;
        }
        if (used)
            r->vers[kept++] = r->vers[v];
    }
    r->nvers = kept;
}

/*
 * Narrows the report to one school's classes before anything is built from them, so that
 * every group, total, comparison and comment is that school's alone: school staff see what
 * an evaluator would see for their classes, and nothing of any other school, not even as
 * the difference between a total and its parts. Focus groups stay only when their class is
 * the school's. r->filter (the one class asked for, if any) is moved to its new index.
 */
int report_keep_school(struct report *r, const char *school, const char *cohort, char *err,
                       size_t err_len)
{
    size_t kept = 0, filter = SIZE_MAX;
    for (size_t c = 0; c < r->ncohorts; c++) {
        const struct store_cohort *co = &r->cohorts[c];
        if (!co->school || strcmp(co->school, school) != 0)
            continue;
        if (c == r->filter)
            filter = kept;
        r->cohorts[kept++] = *co;
    }
    if (!kept) {
        snprintf(err, err_len, "no class belongs to a school named '%s'", school);
        return STORE_ERR_NOT_FOUND;
    }
    if (r->filter != SIZE_MAX && filter == SIZE_MAX) {
        snprintf(err, err_len, "the class '%s' is not one of %s's classes", cohort, school);
        return STORE_ERR_NOT_FOUND;
    }
    r->ncohorts = kept;
    r->filter = filter;
    r->school = arena_strdup(&r->arena, school);
    size_t nfgs = 0;
    for (size_t i = 0; i < r->nfgs; i++) {
        const struct store_focus_group *f = &r->fgs[i];
        bool ours = false;
        for (size_t c = 0; c < r->ncohorts && f->cohort_code && !ours; c++)
            ours = strcmp(f->cohort_code, r->cohorts[c].code) == 0;
        if (ours)
            r->fgs[nfgs++] = *f;
    }
    r->nfgs = nfgs;
    return STORE_OK;
}
