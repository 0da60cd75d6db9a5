/*
 * What a storage backend implements behind store.h. store.c checks arguments, encodes
 * answers and masks text once for every backend, then calls through this table; a backend
 * (sqlite.c, postgres.c) only moves rows. Not for use outside src/store.
 */
#ifndef PLANPACK_STORE_BACKEND_H
#define PLANPACK_STORE_BACKEND_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/buf.h"
#include "store/store.h"
#include "store/writer.h"

/* An answer ready to be written: its class code, package version and encoded body. */
struct store_pending {
    const char *code;
    const char *package_version;
    const char *body;
    size_t body_len;
    int day;
};

/*
 * An answer queued by store_submit_async(): the backend makes a job that stores p like any
 * answer (rc is there for a backend that wants a place for the answer's status) and hands
 * it to store_async_enqueue().
 */
struct store_async {
    struct store_pending p; /* points into the members below */
    char code[WIRE_CODE_LEN + 1];
    char *package_version;
    struct buf body;
    int rc;
    store_done_fn *done;
    void *ctx;
};

/*
 * Queues j, the backend's job for req: allocated with malloc, beginning with its
 * writer_job, otherwise ready to run. Once its transaction has ended, the writer thread
 * tells req's submitter its status and frees j and req. Returns as writer_enqueue(); on
 * failure j is freed and req stays the caller's.
 */
int store_async_enqueue(struct writer *w, struct writer_job *j, struct store_async *req);

struct store_backend {
    const char *name;
    bool local; /* see store_reads_are_local() */
    void (*close)(struct store *s);
    int (*survey_put)(struct store *s, const char *package_id, const char *version,
                      const char *body, bool *changed);
    int (*surveys)(struct store *s, struct arena *a, struct survey **out, size_t *count);
    int (*cohort_create)(struct store *s, const char *label, const char *school, int expected_size,
                         const char *package_id, const char *version, char code[WIRE_CODE_LEN + 1]);
    int (*cohort_get)(struct store *s, const char *code, struct arena *a, struct store_cohort *out);
    int (*cohort_set_open)(struct store *s, const char *code, bool open);
    int (*cohorts)(struct store *s, struct arena *a, struct store_cohort **out, size_t *count);
    /* Writes all n in one transaction when all_or_none, else each stands alone; rcs[i]
     * receives each answer's status. Returns only once every answer is durable or failed. */
    int (*submit)(struct store *s, const struct store_pending *p, size_t n, bool all_or_none,
                  int *rcs);
    /* Queues req (see struct store_async); STORE_OK, or a status and req stays the caller's. */
    int (*submit_async)(struct store *s, struct store_async *req);
    /* cohort_id 0: all; then only part `part` of `parts`. */
    int (*answers_each)(struct store *s, int64_t cohort_id, unsigned part, unsigned parts,
                        int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx);
    int (*answer_count)(struct store *s, int64_t *count);
    int (*cohort_answers)(struct store *s, int64_t cohort_id, int64_t *count);
    /* Bytes free on the database's disk, for store_options.min_free_bytes; NULL: unknown. */
    int (*free_space)(struct store *s, unsigned long long *bytes);
    int (*purge)(struct store *s, int before_day, time_t before_time,
                 struct store_purged *deleted);
    int (*staff_add)(struct store *s, const char *name, const char *hash, const char *school,
                     int day);
    int (*staff_get)(struct store *s, const char *name, struct arena *a, struct store_staff *out);
    int (*staff_set_hash)(struct store *s, int64_t id, const char *hash);
    int (*staff_set_throttle)(struct store *s, int64_t id, int failed, time_t until);
    int (*staff_list)(struct store *s, time_t now, struct arena *a, struct store_staff_entry **out,
                      size_t *count);
    int (*staff_remove)(struct store *s, int64_t id); /* and its sessions */
    int (*staff_end_sessions)(struct store *s, int64_t id, int64_t *ended);
    int (*session_create)(struct store *s, const unsigned char *hash, int64_t staff_id,
                          const char *csrf, time_t now);
    int (*session_get)(struct store *s, const unsigned char *hash, struct arena *a,
                       struct store_session *out);
    int (*session_touch)(struct store *s, const unsigned char *hash, time_t now);
    int (*session_end)(struct store *s, const unsigned char *hash);
    /* add: recorded today (day given); update: edited today; NOT_FOUND for no such id. */
    int (*focus_group_add)(struct store *s, const struct store_focus_group *fg, int today,
                           int64_t *id);
    int (*focus_group_update)(struct store *s, const struct store_focus_group *fg, int today);
    int (*focus_group_delete)(struct store *s, int64_t id);
    int (*focus_groups)(struct store *s, struct arena *a, struct store_focus_group **out,
                        size_t *count);
};

/* Survey snapshots as store_survey_get() keeps them (store.c's own). */
struct survey_shelf;

/* The part of every backend's handle that store.c reads; backends embed it first. */
struct store {
    const struct store_backend *be;
    enum store_mode mode;
    struct store_options opt;
    /* Set up by store_open() once the backend has opened: the snapshots read so far, */
    pthread_mutex_t shelf_mu;
    struct survey_shelf *shelves;
    /* and the class codes read lately (see store_cohort_get()). */
    pthread_mutex_t memo_mu;
    struct cohort_memo *memo;
    size_t memo_next;
    unsigned long memo_changes; /* codes opened or closed through this store */
    /* Whether the disk had room at the last look, and when that was (seconds). */
    _Atomic long long space_checked;
    atomic_bool space_ok;
};

/* Sessions older than this (absolute limit) are deleted by purge whatever their use. */
#define STORE_SESSION_MAX_AGE ((time_t)12 * 60 * 60)

int sqlite_store_open(const char *path, enum store_mode mode, const struct store_options *opt,
                      struct store **out, char *err, size_t err_len);
/* url is a postgres:// or postgresql:// URL, as libpq reads it. */
int pg_store_open(const char *url, enum store_mode mode, const struct store_options *opt,
                  struct store **out, char *err, size_t err_len);

#endif
