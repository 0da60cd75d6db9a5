/*
 * The built report, shared by report.c (aggregation), scope.c (every decision about what may
 * be shown) and the formatters (render*.c), which read figures only through the accessors below.
 * Internal.
 */
#ifndef PLANPACK_REPORT_INTERNAL_H
#define PLANPACK_REPORT_INTERNAL_H

#include "report/report.h"

/* A question as reported: the union of its options over every stored version. */
struct rq {
    const char *id;
    const char *text;
    enum survey_type type;
    enum survey_when when;
    const char *correct; /* a knowledge item's right answer (newest version's), or NULL */
    size_t nopt;         /* option columns (text questions: one, "answered") */
    const char **opt_ids;
    const char **opt_labels;
    size_t ncols; /* nopt + 2: then "prefer not to say", then "no answer" */
};

/* A question or option id of one version, in that version's hash table (see report.c). */
struct rid {
    const char *id; /* NULL: an empty slot */
    uint32_t len;
    uint32_t owner; /* RID_QUESTION, or the question whose option this is */
    uint32_t index; /* the question's or the option's position in the version's survey */
};

#define RID_QUESTION UINT32_MAX

/* One stored package version and how its questions map onto the report's. */
struct rver {
    const struct survey *sv;
    size_t *qmap;    /* sv question i -> report question */
    size_t **omap;   /* sv question i, option j -> column */
    size_t *qlen;    /* length of each question's id */
    struct rid *ids; /* every question and option id, so an answer's ids are found at once */
    size_t ids_mask; /* slots - 1 (a power of two, at least twice the ids) */
    size_t group;    /* its group */
};

/* The name of the group of classes given no school. */
#define NO_SCHOOL "(no school given)"

/*
 * A class's answers under one served version in one language (GROUP_UNIT) are what the k
 * rule holds back or shows (scope.c): every other group, a class's own included, is the sum
 * of the units it has that are shown. A class that has had no answer has one unit, empty,
 * under its own version and in no language. Built by report_build_groups() (groups.c).
 */
enum group_kind {
    GROUP_COHORT,
    GROUP_SCHOOL,
    GROUP_VERSION,
    GROUP_LANGUAGE,
    GROUP_ALL,
    GROUP_UNIT
};

struct group {
    enum group_kind kind;
    /* code, school, package version, language tag (or STORE_LANGUAGE_NONE_LABEL), "All
     * answers", served version */
    const char *name;
    const struct store_cohort *cohort; /* GROUP_COHORT, GROUP_UNIT */
    /* GROUP_LANGUAGE and GROUP_UNIT: the language tag, NULL for answers stored before
     * languages were (a language of its own, "not recorded") */
    const char *language;
    bool served; /* GROUP_UNIT: it has answers (the store counted them) */
    /* GROUP_COHORT: its class's version; GROUP_VERSION and GROUP_UNIT: the version (served)
     * (index in vers, or SIZE_MAX) */
    size_t ver;
    size_t school;   /* GROUP_COHORT: its school's group */
    size_t cls;      /* GROUP_UNIT: its class's group */
    size_t *members; /* every group but units: the units it adds up, each class's together */
    size_t nmembers;
    int64_t n;     /* answers counted: for a total, from the units shown */
    bool hidden;   /* a unit with fewer than k answers, or a class all of whose are */
    int64_t held;  /* totals: answers of the units held back, not counted in n */
    size_t nheld;  /* totals: how many classes have answers held back */
    size_t nshown; /* totals: how many classes have a unit shown */
    /* totals: of held, answers of classes that have a unit shown (a version or a language
     * with fewer than k of the class's answers) */
    int64_t held_in_shown;
};

/* A group's answers to one question. */
struct gq {
    bool asked;
    int64_t n;              /* answers from classes that were asked it */
    int64_t *count;         /* per column */
    int64_t any;            /* multi: answers with at least one option */
    struct stats_acc score; /* scale: 1..5 by option position */
    const char **comments;  /* text, cohort groups only */
    size_t ncomments;
    size_t comments_cap;
    int64_t comments_dropped;
};

/* A scale has 5 points, so one pupil's change is -4 to +4: counts of each, from -4. */
#define PAIR_SPAN 4
#define PAIR_DIFFS (2 * PAIR_SPAN + 1)

/* A before/after pair of scale questions, or of knowledge items (questions with a right
 * answer), sharing an id stem ("q-x-start", "q-x-end"). */
struct rpair {
    size_t before;
    size_t after;
    bool paired;    /* retrospective: both in one answer */
    bool knowledge; /* knowledge items: scored as right or not */
};

/* A start or end answer with a pairing word, as the scan found it (report/matching.c). */
struct rword {
    int64_t id;
    size_t cohort;
    size_t unit;      /* its unit, as an index among the units */
    bool end;         /* false: a start answer */
    const char *word; /* never shown: it pairs, and that is all */
    double *score;    /* per before/after pair: its start (end) question's score, or NAN */
};

/* A group's pairing figures (report/matching.c). */
struct rpairing {
    int64_t start; /* start answers, of the classes whose pairing figures are shown */
    int64_t end;   /* end answers, of the same */
    int64_t pairs; /* start and end answers paired */
    bool held;     /* a class: its pairing figures are held back (see matching.c) */
    size_t nheld;  /* a total: classes held back from its pairing figures */
};

/* A paired answer and the number of its pair within its class (1, 2, 3...). */
struct rnumber {
    int64_t id;
    uint32_t number;
};

struct report {
    struct arena arena;
    int k;
    const char *source;
    int today;
    struct survey *surveys;
    size_t nsurveys;
    struct rver *vers;
    size_t nvers;
    struct store_cohort *cohorts;
    size_t ncohorts;
    struct store_served *served; /* the classes' answers by version served */
    size_t nserved;
    struct rq *q;
    size_t nq;
    struct group *g;
    size_t ng;
    size_t first_school;
    size_t nschools;
    size_t first_version;
    size_t nversions;
    size_t first_language;
    size_t nlanguages;
    size_t all;
    size_t first_unit; /* units come last, each class's together, after r->all */
    size_t nunits;
    struct gq *gq; /* ng x nq */
    struct rpair *pairs;
    size_t npairs;
    struct stats_acc *pair_acc; /* npairs x ng: paired differences */
    int64_t *pair_diff;         /* npairs x ng x PAIR_DIFFS: paired differences by size */
    int64_t *part_n;            /* per unit: [2u] start answers, [2u + 1] end answers */
    struct rword *words;        /* start and end answers with a pairing word */
    size_t nwords;
    struct rpairing *pairing; /* per group */
    struct rnumber *numbers;  /* paired answers of the classes shown, by id */
    size_t nnumbers;
    struct stats_acc *match_acc; /* npairs x ng: changes over pupils paired by their words */
    int64_t *match_diff;         /* npairs x ng x PAIR_DIFFS: the same by size */
    struct store_focus_group *fgs;
    size_t nfgs;
    const struct textmatch *flag_words;                 /* report_options.flag_words, borrowed */
    const char *(*language_name)(const char *language); /* report_options.language_name */
    size_t filter;      /* the one cohort group shown, or SIZE_MAX */
    const char *school; /* the one school whose classes are all that was read, or NULL */
    size_t cmp_a;       /* version groups compared, or SIZE_MAX */
    size_t cmp_b;
    size_t version;     /* the pilot report's one version group (report_options), or SIZE_MAX */
    int64_t unreadable; /* answers that could not be decoded or placed */
    bool html_fragment;
    const char *chart_href; /* where a chart is downloaded from (report_options), or NULL */
    bool compared;          /* the versions compared were asked for: the comparison opens */
    struct store *store;    /* borrowed from report_build()'s caller, for the CSV export */
    struct rthemes *themes; /* the themes and codes, and what was counted (themes.c) */
};

static inline struct gq *report_gq(const struct report *r, size_t g, size_t q)
{
    return &r->gq[g * r->nq + q];
}

/*
 * Figures for the formatters. Each returns 0 and the figure, or -EPERM for a group held back
 * (a class with fewer than k answers) or a question it was not asked: what a formatter cannot
 * get, it cannot print. Group sizes (r->g[g].n, held, nheld) are published as they are.
 */
bool report_asked(const struct report *r, size_t g, size_t q);
__attribute__((warn_unused_result)) int report_count(const struct report *r, size_t g, size_t q,
                                                     size_t col, int64_t *out);
__attribute__((warn_unused_result)) int report_answers(const struct report *r, size_t g, size_t q,
                                                       int64_t *out);
/* The mean score of a scale question; -ENODATA when not a scale or fewer than k scored. */
__attribute__((warn_unused_result)) int report_mean(const struct report *r, size_t g, size_t q,
                                                    double *mean, int64_t *n);
/* Comments of a group's shown classes, the first `keep` sorted so that their order says
 * nothing; *out is the caller's to free(), its strings the report's. */
__attribute__((warn_unused_result)) int report_comments(const struct report *r, size_t g, size_t q,
                                                        size_t keep, const char ***out,
                                                        size_t *count, int64_t *dropped);
/* A comment that may be a disclosure, and the class (its cohort group) it came from. */
struct rflagged {
    const char *text; /* the report's */
    size_t unit;      /* its unit group (class and version served) */
};
/* The comments of a group's shown classes that r->flag_words flags, by class then text
 * (*out is the caller's to free(); none without flag words); -EPERM as report_comments().
 * With `unflagged`, report_comments() lists the rest: its *out then holds no flagged one. */
__attribute__((warn_unused_result)) int report_flagged(const struct report *r, size_t g, size_t q,
                                                       struct rflagged **out, size_t *count);
__attribute__((warn_unused_result)) int report_comments_unflagged(const struct report *r, size_t g,
                                                                  size_t q, size_t keep,
                                                                  const char ***out, size_t *count,
                                                                  int64_t *dropped);
/* Each stored answer of class g (a cohort group) that the report counts as shown: none of a
 * unit held back (-EPERM for a class all of whose answers are). */
__attribute__((warn_unused_result)) int
report_answers_each(const struct report *r, size_t g,
                    int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx);

/*
 * The share of a knowledge item's answers that were right, with its Wilson interval: of those
 * who chose an answer ("not sure" is an answer, and not the right one; "prefer not to say" and
 * no answer are left out). -ENODATA when the question has no right answer or fewer than k
 * chose an answer.
 */
__attribute__((warn_unused_result)) int report_share_correct(const struct report *r, size_t g,
                                                             size_t q, struct stats_share *out);

/*
 * The top answers of a scale: its upper half, the middle included (three of five: "quite,
 * very or totally sure"), from this option on. report_share_top() is the share of a group's answers
 * that chose one of them, of those who chose an option, with its Wilson interval; -ENODATA for a
 * question that is not a scale or when fewer than k chose an option.
 */
static inline size_t report_top_from(const struct rq *q)
{
    return q->nopt / 2;
}
__attribute__((warn_unused_result)) int report_share_top(const struct report *r, size_t g, size_t q,
                                                         struct stats_share *out);

/* Whether a group's distribution for a question is shown in full (so its mean may be). */
bool report_row_complete(const struct report *r, size_t g, size_t q);
/*
 * Before/after for pair p in group g; false when hidden or too few answers. Over the pupils
 * paired by their words (a paired interval) when report_pair_matched(), else Welch's.
 */
bool report_pair_diff(const struct report *r, size_t p, size_t g, struct stats_diff *out);
/*
 * The effect size of before/after pair p in group g, under the same rules as
 * report_pair_diff(): the matched-pairs rank-biserial correlation where each answer holds
 * both ("looking back") or where pupils' start and end answers are paired by their words
 * (report_pair_matched()), Cliff's delta between the start and end answers otherwise.
 */
bool report_pair_effect(const struct report *r, size_t p, size_t g, struct stats_effect *out);

/*
 * What changed from start to end (or, for a question asked again in the later part, from the
 * start to a few weeks later) for pair p in group g, as a report shows it. Each figure is
 * there only where the k rule lets it out, each part and the pairs counted separately: a
 * share where that part has k answers, an effect where both parts (or k pairs) do.
 *   scale:     the share in the top answers (report_share_top()); the effect is Cliff's
 *              delta, or the matched-pairs rank-biserial correlation for a "looking back" pair.
 *   knowledge: the share of right answers (report_share_correct()); the effect is Cliff's
 *              delta on right (1) against not right (0), which is the difference of the shares.
 * ceiling: most answers at the start were already at the top (REPORT_CEILING of them in the
 * top answers, or right), so there was little room to rise.
 * sentence: one plain sentence for a head teacher, or "" when a figure it needs is held back.
 */
#define REPORT_CEILING 0.75

struct report_change {
    bool knowledge;
    bool paired;
    bool later; /* from the start to the later part, a few weeks on, instead of to the end */
    bool have_start;
    bool have_end;
    bool have_effect;
    bool ceiling;
    struct stats_share start;
    struct stats_share end;
    struct stats_effect effect;
    char top[96]; /* what the top answers are, in words ("quite sure, very sure or totally
                     sure"); for a knowledge item, its right answer ("yes") */
    char sentence[320];
};

/* Returns 0, or -EPERM for a group held back or a pair it was not asked (both parts). */
__attribute__((warn_unused_result)) int report_pair_change(const struct report *r, size_t p,
                                                           size_t g, struct report_change *out);

/* Welch difference between two groups' means on one question (version comparison). */
bool report_group_diff(const struct report *r, size_t ga, size_t gb, size_t q,
                       struct stats_diff *out);
/*
 * Themes (themes.c). report_themes_load() reads the themes and codes once the report's classes
 * are final; each scanning thread counts into a theme tally of its own, one call per comment
 * of a unit (its index among the units; answer_id and question_id name the comment), merged
 * into the report when the scan ends.
 */
struct rthemes;
struct theme_tally;
__attribute__((warn_unused_result)) int report_themes_load(struct report *r, struct store *s);
struct theme_tally *report_themes_tally_new(const struct report *r);
void report_themes_tally_free(struct theme_tally *tt);
void report_themes_tally_comment(struct theme_tally *tt, size_t c, int64_t answer_id,
                                 const char *question_id, const char *text, size_t len);
void report_themes_tally_merge(struct report *r, const struct theme_tally *tt);
/* Whether the list has any theme (so the exports carry themes columns). */
bool report_themes_listed(const struct report *r);
/* The names of the themes a comment was coded with, "; " between them, in a; NULL: none. */
const char *report_comment_themes(const struct report *r, int64_t answer_id,
                                  const char *question_id, struct arena *a);
/* report_themes() for group index g: -EPERM for a class held back. */
__attribute__((warn_unused_result)) int report_themes_at(const struct report *r, size_t g,
                                                         size_t keep, struct report_themes *out);

/*
 * Pairs each scale question asked at the end with those asked at the start or looking
 * back, each knowledge item asked at the end with the same item asked at the start, and
 * each asked in the later part with the same asked at the start, by the stem of their ids
 * ("q-sure-start", "q-sure-end", "q-retro-sure" and "q-sure-later" give "q-sure");
 * then makes room for the pairs' sums in every group. Called once by report_build().
 */
void report_build_pairs(struct report *r);

/*
 * Appends copies of from[0..n) in a to the list *v (*len of *cap, grown in a), keeping at most
 * max; each one past it is counted in *dropped instead.
 */
void report_strs_merge(struct arena *a, const char ***v, size_t *len, size_t *cap, size_t max,
                       const char *const *from, size_t n, int64_t *dropped);

/* ---- pairing words (report/matching.c) ---- */

/* 0 for a start answer's part, 1 for an end answer's, -1 for any other (or none). */
int report_part_side(const char *part);
/* Pairs each class's start and end answers by their words, after hold_back(). */
void report_match(struct report *r);
/*
 * A group's pairing figures: -EPERM when they are held back (the class, or its pairing, has
 * fewer than k), -ENODATA when the group has no start or end answers at all.
 */
__attribute__((warn_unused_result)) int report_pairing(const struct report *r, size_t g,
                                                       struct rpairing *out);
/* The pairing number of an answer within its class, or 0 when it is not paired (or held). */
uint32_t report_pairing_number(const struct report *r, int64_t answer_id);
/*
 * Whether before/after pair p's change in group g is measured over pupils paired by their
 * words: a start/end pair (not "looking back") with at least k pairs that answered both.
 */
bool report_pair_matched(const struct report *r, size_t p, size_t g);

/* Orders versions "1.2.10" after "1.2.9". */
int report_version_cmp(const char *a, const char *b);

/* ---- groups.c: the units and the groups that add them up ---- */

/* Orders language tags as strcmp() does, NULL ("not recorded") after every tag. */
int report_language_cmp(const char *a, const char *b);
/* Sorts r->served and builds every group of the report's classes (r->g). */
void report_build_groups(struct report *r);
/* The stored version of a package, as an index in r->vers, or SIZE_MAX. */
size_t report_find_ver(const struct report *r, const char *package_id, const char *version);
/* The unit of class c (a cohort group) that holds the answers served a version in a
 * language (NULL: not recorded), or SIZE_MAX: none (an answer come since the report read). */
size_t report_unit_of(const struct report *r, size_t c, const char *served, const char *language);

/* ---- scope.c: what a report may hold (see there) ---- */
void report_hold_back(struct report *r);
void report_keep_used_versions(struct report *r);
int report_keep_school(struct report *r, const char *school, const char *cohort, char *err,
                       size_t err_len);

#endif
