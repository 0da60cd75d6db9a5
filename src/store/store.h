/*
 * The feedback store: schools, class codes (cohorts), anonymous answers, staff accounts and
 * sessions, focus-group notes. One interface; the backend is chosen by store_open() from
 * the location (a file path for SQLite; a postgres:// or postgresql:// URL for PostgreSQL),
 * so callers never see SQL or know which database holds the data.
 *
 * Durability: store_submit() returns STORE_OK only after the transaction holding the answer
 * has committed with synchronous=FULL, so an acknowledged answer survives a crash or power
 * cut. Answers are written by one writer thread that gathers every answer waiting into one
 * transaction (group commit): throughput grows with concurrency instead of collapsing.
 *
 * With SQLite, every write goes through the writer's one connection: the schema's migrations
 * when the store opens, before the writer thread starts, and from then on everything else
 * (answers, classes, staff, sessions, purge, checkpoints) as jobs of the writer thread;
 * reads use separate read-only connections, since Debian's SQLite must never have two
 * connections writing or checkpointing at once. With PostgreSQL, only answers go through the
 * writer thread (group commit), and the migrations through its connection; every other write
 * (classes, staff, sessions, purge) is a short transaction of its own on the pooled
 * connections reads use (purge's VACUUM too, outside any transaction), and the server orders
 * them, across processes too. Every function is safe to call from many threads at once on
 * one struct store.
 *
 * For POST /feedback: survey_form_code(), store_cohort_get(), store_cohort_for_survey(),
 * survey_validate(), then store_submit(); show the thank-you page only on STORE_OK. Each
 * call blocks its thread for one commit (a few milliseconds), so call it from a thread
 * that may block, or use store_submit_async(). Staff sign-in and sessions are in staff/staff.h.
 *
 * Anonymity: an answer row holds its class, the package versions (its class's, and the one
 * served when it came) and the day (no time of day, no address, no user agent, no device id).
 * Answers committed together are written in random order, and no read shows row order (see
 * store_answers_each()).
 */
#ifndef PLANPACK_STORE_H
#define PLANPACK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/arena.h"
#include "survey/survey.h"

enum store_status {
    STORE_OK = 0,
    STORE_ERR_IO = -1,        /* the database failed; details went to stderr */
    STORE_ERR_NOT_FOUND = -2, /* no such class code, staff name or session */
    STORE_ERR_CLOSED = -3,    /* the class code is closed to new answers */
    STORE_ERR_EXISTS = -4,    /* the name is taken */
    STORE_ERR_LOCKED = -5,    /* another process has the database open for writing */
    STORE_ERR_SCHEMA = -6,    /* the file's schema is newer than this planpack, or not ours */
    STORE_ERR_READ_ONLY = -7, /* a write on a store opened read-only */
    STORE_ERR_EXPIRED = -8,   /* the session timed out (and has been ended) */
    STORE_ERR_INVALID = -9,   /* an argument out of range (empty name, bad day) */
    STORE_ERR_NO_SPACE = -10, /* the database's disk is nearly full: no new answers */
    STORE_ERR_FULL = -11,     /* the class has all the answers its size allows */
};

/* A short plain-English description of a status, for messages. */
const char *store_strerror(int status);

enum store_mode { STORE_READ_ONLY, STORE_READ_WRITE };

struct store_options {
    int busy_timeout_ms; /* 0: 5000 */
    size_t max_batch;    /* most answers in one transaction; 0: 1024; 1: no group commit */
    /* The clock, for tests and benchmarks; NULL: time(). Days follow the local calendar. */
    time_t (*now)(void);
    /*
     * Answers are refused (STORE_ERR_NO_SPACE) while the disk that holds a SQLite file has
     * less than this free, so that a flood cannot fill it; 0: no check. PostgreSQL keeps
     * its own disk, which its server watches.
     */
    unsigned long long min_free_bytes;
};

/* The current schema version, and the default database when no --db is given. */
#define STORE_SCHEMA_VERSION 10
#define STORE_DEFAULT_PATH "./planpack.db"
/* The largest survey snapshot stored for one package version (a few KiB in practice). */
#define STORE_SURVEY_MAX ((size_t)4 << 20)

struct store;

/*
 * Opens the store at where (a file path; ":memory:" is refused since readers need the
 * file; or a postgres:// URL of an existing database). STORE_READ_WRITE creates the file
 * if needed, migrates its schema to the current version and starts the writer thread; only
 * one process may hold a SQLite file for writing (STORE_ERR_LOCKED otherwise), while any
 * number may share a PostgreSQL database. STORE_READ_ONLY never writes; the database must
 * exist and be at the current schema version. A server that cannot be reached is
 * STORE_ERR_IO. opt may be NULL. On failure returns a status with a
 * message in err (err_len bytes) and *out is NULL. The caller frees with store_close().
 */
__attribute__((warn_unused_result)) int store_open(const char *where, enum store_mode mode,
                                                   const struct store_options *opt,
                                                   struct store **out, char *err, size_t err_len);

/*
 * Writes where into out (out_len bytes) as messages and reports may show it: a file path as
 * it is, a postgres:// URL with its password (in the user part or a password= parameter)
 * replaced by "***".
 */
void store_location_shown(const char *where, char *out, size_t out_len);

/*
 * Finishes every queued write, stops the writer and closes. No other thread may still be
 * using the store. Accepts NULL. Leaves PATH-lock (the writer lock) beside the database.
 */
void store_close(struct store *s);

/*
 * True when reading the store is a call into this process (a SQLite file, whose reads never
 * wait for its writer), false when each read is a round trip to a database server. A server
 * may read a local store on the threads that answer requests, and keeps the others' reads
 * on threads of their own.
 */
bool store_reads_are_local(const struct store *s);

/* The store's clock (opt->now or time()) and today's day number in the local calendar. */
time_t store_now(const struct store *s);
int store_today(const struct store *s);

/* Days are counted from 1970-01-01 (day 0). Formats as YYYY-MM-DD into out (11 bytes). */
void store_day_format(int day, char out[11]);
/* Parses YYYY-MM-DD. Returns 0, or -1 when it is not a valid date. */
__attribute__((warn_unused_result)) int store_day_parse(const char *s, int *day);
int store_day_from_time(time_t t);

/* ---- survey snapshots: each package version's survey, kept to label old answers ---- */

/*
 * Stores sv (its package id and version name it) unless that version is already stored.
 * *changed (may be NULL) tells whether an already stored snapshot differs, which means the
 * package changed without a new version number.
 */
__attribute__((warn_unused_result)) int store_survey_put(struct store *s, const struct survey *sv,
                                                         bool *changed);

/* Every stored snapshot, decoded into a (which owns the array and its strings). */
__attribute__((warn_unused_result)) int store_surveys(struct store *s, struct arena *a,
                                                      struct survey **out, size_t *count);
/*
 * The stored survey of one package version, or STORE_ERR_NOT_FOUND. A snapshot never
 * changes once stored, so each is read from the database once per struct store and kept:
 * *out stays valid until store_close(). For the server, which checks every answer against
 * its class's survey.
 */
__attribute__((warn_unused_result)) int store_survey_get(struct store *s, const char *package_id,
                                                         const char *version,
                                                         const struct survey **out);

/* ---- schools and cohorts (one class session each, with its own code) ---- */

struct store_cohort {
    int64_t id;
    char code[WIRE_CODE_LEN + 1];
    const char *label;
    const char *school; /* NULL when no school was given */
    const char *package_id;
    const char *package_version;
    int created_day;
    bool open;
    int expected_size; /* pupils expected in the class; 0: not given (no limit on answers) */
};

/*
 * A class takes at most this many answers per pupil expected (there are up to three
 * survey parts, and pupils may send one again), so that one person cannot flood it.
 */
#define STORE_ANSWERS_PER_PUPIL 10
#define STORE_CLASS_SIZE_MAX 10000

/* The fields store_cohort_create() needs; the code is made by the store. */
struct store_cohort_spec {
    const char *label;           /* required, at most 200 bytes */
    const char *school;          /* optional; created when new */
    const struct survey *survey; /* the package version pupils will answer; stored too */
    int expected_size;           /* 1 to STORE_CLASS_SIZE_MAX pupils; 0: no limit on its answers */
};

/* Creates a cohort with a fresh random code, written into code. */
__attribute__((warn_unused_result)) int store_cohort_create(struct store *s,
                                                            const struct store_cohort_spec *spec,
                                                            char code[WIRE_CODE_LEN + 1]);
/*
 * Looks a normalised code up; strings go into a. STORE_ERR_NOT_FOUND when there is none.
 * A code found is remembered for a second, so whether it is open may be up to a second old
 * when another process changed it (never when this store did); storing an answer checks
 * again.
 */
__attribute__((warn_unused_result)) int store_cohort_get(struct store *s, const char *code,
                                                         struct arena *a, struct store_cohort *out);
/* Opens or closes a code to new answers. */
__attribute__((warn_unused_result)) int store_cohort_set_open(struct store *s, const char *code,
                                                              bool open);
/* How many answers a class has (*count), for the staff pages' warning. */
__attribute__((warn_unused_result)) int store_cohort_answers(struct store *s, int64_t cohort_id,
                                                             int64_t *count);
/* Every cohort, oldest first; the array and strings live in a. */
__attribute__((warn_unused_result)) int store_cohorts(struct store *s, struct arena *a,
                                                      struct store_cohort **out, size_t *count);
/* Fills what survey_validate() needs to know about a cohort; strings borrowed from c. */
void store_cohort_for_survey(const struct store_cohort *c, struct survey_cohort *out);

/* ---- answers ---- */

/*
 * Stores a validated answer and returns only when it is durable (STORE_OK) or has failed:
 * STORE_ERR_NO_SPACE at once when the disk is nearly full (store_options.min_free_bytes);
 * STORE_ERR_FULL when its class already has expected_size * STORE_ANSWERS_PER_PUPIL;
 * STORE_ERR_NOT_FOUND / STORE_ERR_CLOSED when the code has gone or closed meanwhile,
 * STORE_ERR_IO when the transaction did not commit (nothing of it is stored). The day is
 * today's, and the served version a->served_version (or, when that is NULL, the class's);
 * a->pairing_word is stored as given (at most PAIRING_WORD_MAX - 1 bytes, else
 * STORE_ERR_INVALID); a->part too (NULL: one sitting; any name but a part's is
 * STORE_ERR_INVALID); a->language as given (NULL: not known; longer than WIRE_LANG_MAX
 * bytes, STORE_ERR_INVALID); the answer is copied, so it may be freed on return.
 */
__attribute__((warn_unused_result)) int store_submit(struct store *s,
                                                     const struct survey_answer *a);
/*
 * Called once, on the store's writer thread, when an answer queued by store_submit_async()
 * is durable (STORE_OK) or has failed (the statuses store_submit() returns). It must be
 * quick and must not call into the store: the next transaction waits until it returns.
 */
typedef void store_done_fn(void *ctx, int status);
/*
 * Queues a validated answer, as store_submit() stores it, and returns at once. STORE_OK:
 * done(ctx, status) follows, exactly once. Any other status: nothing was queued and done
 * is never called. The answer is copied, so it may be freed on return. For servers, which
 * hold many answers in flight without a thread waiting for each.
 */
__attribute__((warn_unused_result)) int
store_submit_async(struct store *s, const struct survey_answer *a, store_done_fn *done, void *ctx);
/* Stores n answers in one transaction, all or none (imports and benchmarks). */
__attribute__((warn_unused_result)) int store_submit_many(struct store *s,
                                                          const struct survey_answer *a, size_t n);

/*
 * The pairing words stored with a class's answers (given with start answers, typed with end
 * answers), into a (which owns the array and its strings), so that the server can give a new
 * start answer a word apart from them. For that only: no page or report shows them.
 */
__attribute__((warn_unused_result)) int store_pairing_words(struct store *s, int64_t cohort_id,
                                                            struct arena *a, const char ***out,
                                                            size_t *count);

/* How many answers a class has under one served version in one language (see
 * store_answer_row). */
struct store_served {
    int64_t cohort_id;
    const char *version;  /* served_version, or the class's version where none was stored */
    const char *language; /* NULL: stored before languages were (STORE_LANGUAGE_NONE_LABEL) */
    int64_t answers;
};

/*
 * Every class, served version and language that has answers, with their count; the array
 * and strings live in a, in no particular order (backends sort a NULL language apart).
 */
__attribute__((warn_unused_result)) int
store_served_versions(struct store *s, struct arena *a, struct store_served **out, size_t *count);

/* How reports name the language of answers stored before languages were (NULL). */
#define STORE_LANGUAGE_NONE_LABEL "not recorded"

/* One stored answer as a report reads it; borrowed for the length of the callback. */
struct store_answer_row {
    /* the row's own number, for the codes given its comments and for pairing its start and
     * end (never shown) */
    int64_t id;
    int64_t cohort_id;
    const char *package_version; /* its class's, whose survey gives the body its meaning */
    const char *served_version;  /* the one the server served when it came: what pupils saw */
    /* The survey part ("start", "end", "later"), or NULL: answered on the one-sitting form
     * of before parts (SURVEY_PART_NONE_LABEL). */
    const char *part;
    /* The language tag of the page it was given on, or NULL: stored before languages were
     * (STORE_LANGUAGE_NONE_LABEL). */
    const char *language;
    int day;
    const char *body; /* survey_answer_encode() form, NOT NUL-terminated: use body_len */
    size_t body_len;
    /* The answer's pairing word, normalised (see survey_answer), or NULL. For pairing in
     * report.c only: no report, export or page may show it. */
    const char *pairing_word;
};

/*
 * Calls fn for every answer (only those of cohort_id unless it is 0). Rows come in storage
 * order, which roughly follows arrival: aggregate them, or shuffle them before showing them
 * one by one. Stops early when fn returns non-zero and returns that value; otherwise
 * STORE_OK or an error.
 */
__attribute__((warn_unused_result)) int
store_answers_each(struct store *s, int64_t cohort_id,
                   int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx);
/*
 * Like store_answers_each() over all cohorts, but only part `part` of `parts` (0-based) of
 * the table, so that several threads, each with its own call, can read it in parallel.
 */
__attribute__((warn_unused_result)) int
store_answers_each_part(struct store *s, unsigned part, unsigned parts,
                        int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx);
/* How many answers are stored (all cohorts). */
__attribute__((warn_unused_result)) int store_answer_count(struct store *s, int64_t *count);

/* What store_purge() deleted. */
struct store_purged {
    int64_t answers;
    int64_t focus_groups;
    int64_t sessions;
};

/*
 * Deletes answers sent before (today - days), focus groups recorded before then (whatever
 * meeting day was typed), and expired sessions, overwriting the deleted content
 * (secure_delete) and checkpointing so that it is gone from the database file and its
 * write-ahead log. *deleted (may be NULL) gets the counts.
 */
__attribute__((warn_unused_result)) int store_purge(struct store *s, int days,
                                                    struct store_purged *deleted);

/* ---- staff accounts and sessions (used by src/staff; hashes are made there) ---- */

struct store_staff {
    int64_t id;
    const char *name;
    const char *password_hash; /* libsodium crypto_pwhash_str() string */
    const char *school;        /* the school whose classes this account sees; NULL: an
                                  evaluator, who sees every school */
    int failed_logins;         /* consecutive failures since the last success */
    time_t throttled_until;    /* no login attempt is judged before this time */
};

/*
 * Adds an account: school staff when school is given (the school is created when new), an
 * evaluator across schools when it is NULL. STORE_ERR_EXISTS when the name is taken.
 */
__attribute__((warn_unused_result)) int
store_staff_add(struct store *s, const char *name, const char *password_hash, const char *school);
/* Looks an account up by name; strings go into a. STORE_ERR_NOT_FOUND when there is none. */
__attribute__((warn_unused_result)) int store_staff_get(struct store *s, const char *name,
                                                        struct arena *a, struct store_staff *out);
/* Replaces an account's password hash (a rehash with stronger settings, or a new password). */
__attribute__((warn_unused_result)) int store_staff_set_hash(struct store *s, int64_t staff_id,
                                                             const char *password_hash);
/* Records that the account opened the comments to read first on day (store_today()). */
__attribute__((warn_unused_result)) int store_staff_set_comments_seen(struct store *s,
                                                                      int64_t staff_id, int day);
/* Records a login attempt's throttling state for the account. */
__attribute__((warn_unused_result)) int store_staff_set_throttle(struct store *s, int64_t staff_id,
                                                                 int failed_logins,
                                                                 time_t throttled_until);

/* One account as `planpack staff list` and the accounts page show it. */
struct store_staff_entry {
    const char *name;
    const char *school; /* NULL: an evaluator */
    int sessions;       /* sessions in use: seen in the last 30 minutes, begun in the last 12 h */
};

/* Every account, by name, as of time now; the array and strings live in a. */
__attribute__((warn_unused_result)) int store_staff_list(struct store *s, time_t now,
                                                         struct arena *a,
                                                         struct store_staff_entry **out,
                                                         size_t *count);
/* Removes an account and ends its sessions. STORE_ERR_NOT_FOUND when there is none. */
__attribute__((warn_unused_result)) int store_staff_remove(struct store *s, const char *name);
/*
 * Ends every session of an account; *ended (may be NULL) gets how many there were.
 * STORE_ERR_NOT_FOUND when there is no such account.
 */
__attribute__((warn_unused_result)) int store_staff_end_sessions(struct store *s, const char *name,
                                                                 int64_t *ended);

/* Sessions are found by a hash of their token; the token itself is never stored. */
#define STORE_TOKEN_HASH_LEN 32

struct store_session {
    int64_t staff_id;
    const char *staff_name;
    const char *school; /* the account's school; NULL for an evaluator (see store_staff) */
    const char *csrf;   /* the session's CSRF token, for every staff form */
    time_t created;
    time_t last_seen;
    int comments_seen_day; /* the day the account last opened the comments to read first;
                              -1: never */
};

__attribute__((warn_unused_result)) int
store_session_create(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN],
                     int64_t staff_id, const char *csrf, time_t now);
/* Looks a session up; strings go into a. STORE_ERR_NOT_FOUND when there is none. */
__attribute__((warn_unused_result)) int
store_session_get(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], struct arena *a,
                  struct store_session *out);
__attribute__((warn_unused_result)) int
store_session_touch(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN], time_t now);
/* Ends a session (logout or expiry); ending one that does not exist is not an error. */
__attribute__((warn_unused_result)) int
store_session_end(struct store *s, const unsigned char hash[STORE_TOKEN_HASH_LEN]);

/* ---- focus groups ---- */

struct store_focus_group {
    int64_t id;
    int day;                 /* the day of the meeting, as staff typed it */
    const char *cohort_code; /* NULL when not tied to one class */
    const char *themes;      /* comma-separated tags */
    const char *notes;       /* anonymised notes */
    const char *quotes;      /* anonymised quotes, one per line */
    const char *author;      /* the account that recorded it; NULL: recorded before schema 4 */
    int recorded_day;        /* the day it was recorded, which purge goes by */
    const char *edited_by;   /* the account that last changed it; NULL: never changed */
    int edited_day;          /* the day of that change */
};

/*
 * Records a focus group (id, recorded_day, edited_by and edited_day ignored: it is recorded
 * today by fg->author; *id set when not NULL). Texts are masked like answers.
 * STORE_ERR_NOT_FOUND when fg->cohort_code names no class.
 */
__attribute__((warn_unused_result)) int
store_focus_group_add(struct store *s, const struct store_focus_group *fg, int64_t *id);
/*
 * Replaces the day, class, themes, notes and quotes of focus group fg->id, masked as
 * store_focus_group_add() masks them, and records fg->edited_by as its editor today.
 * STORE_ERR_NOT_FOUND when there is no such focus group or class.
 */
__attribute__((warn_unused_result)) int
store_focus_group_update(struct store *s, const struct store_focus_group *fg);
/*
 * Deletes a focus group, overwriting its text in a SQLite file (secure_delete) as purge
 * does. STORE_ERR_NOT_FOUND when there is none.
 */
__attribute__((warn_unused_result)) int store_focus_group_delete(struct store *s, int64_t id);
/* Every focus group, by day; the array and strings live in a. */
__attribute__((warn_unused_result)) int
store_focus_groups(struct store *s, struct arena *a, struct store_focus_group **out, size_t *count);

/* ---- themes, and the codes staff give comments and focus groups (store/codes.c) ---- */

/* A theme of the evaluators' list. A retired theme is offered no more; its codes stay. */
struct store_theme {
    int64_t id;
    const char *name;        /* 1 to STORE_THEME_NAME_MAX bytes, unique */
    const char *description; /* "" when none */
    bool retired;
};

#define STORE_THEME_NAME_MAX 80
#define STORE_THEME_DESCRIPTION_MAX 1000
/* The most themes a list may hold, retired ones included. */
#define STORE_THEMES_MAX 200
/* The most themes one comment or focus group may be given. */
#define STORE_CODE_THEMES_MAX 32

/* Adds a theme (*id set when not NULL). STORE_ERR_EXISTS when the name is taken;
 * STORE_ERR_FULL when the list has STORE_THEMES_MAX themes. */
__attribute__((warn_unused_result)) int store_theme_add(struct store *s, const char *name,
                                                        const char *description, int64_t *id);
/* Renames, describes again, retires or brings back theme id. STORE_ERR_NOT_FOUND when there is
 * none; STORE_ERR_EXISTS when another theme has the name. */
__attribute__((warn_unused_result)) int store_theme_update(struct store *s, int64_t id,
                                                           const char *name,
                                                           const char *description, bool retired);
/* Every theme, in use first and then retired, each by name; the array and strings live in a. */
__attribute__((warn_unused_result)) int store_themes(struct store *s, struct arena *a,
                                                     struct store_theme **out, size_t *count);

/*
 * What one comment (a text answer: answer_id and question_id) or one focus group
 * (focus_group_id, answer_id 0) has been coded with: themes, and the package page it is
 * about (page_id, NULL when none).
 */
struct store_code {
    int64_t answer_id;
    const char *question_id; /* NULL for a focus group */
    int64_t focus_group_id;  /* 0 for a comment */
    int64_t *themes;         /* theme ids, ascending */
    size_t theme_count;
    const char *page_id;
};

/*
 * Every code given, one element per comment or focus group with a theme or a page, comments
 * first by answer and question, then focus groups by id; the array and strings live in a.
 */
__attribute__((warn_unused_result)) int store_codes(struct store *s, struct arena *a,
                                                    struct store_code **out, size_t *count);
/*
 * Codes each of v[0..n) anew, all in one transaction: its themes in use become exactly
 * v[i].themes (those retired keep the codes they had), and its page v[i].page_id. A theme
 * that does not exist or is retired is left out, as is a comment or focus group that is gone
 * (purged or deleted since the page was read). STORE_ERR_INVALID for a page id or question id
 * longer than 200 bytes or more than STORE_CODE_THEMES_MAX themes.
 */
__attribute__((warn_unused_result)) int store_codes_set(struct store *s, const struct store_code *v,
                                                        size_t n);

/*
 * A random secret of the database's own, made on first use and the same for every process
 * that shares it, for keys that must not be guessed (the staff pages name each comment by a
 * keyed hash of its row instead of the row number, which would tell the order of arrival).
 */
#define STORE_SECRET_LEN 32
__attribute__((warn_unused_result)) int store_secret(struct store *s,
                                                     unsigned char out[STORE_SECRET_LEN]);

#endif
