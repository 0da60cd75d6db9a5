/*
 * Benchmarks of the feedback store, built and run by bench/ingest and bench/report.
 *
 *   ingest WHERE...  durable, acknowledged answers per second from THREADS (64) clients,
 *                with group commit and, in the same run, with one transaction per answer
 *                (the baseline), interleaved over ROUNDS rounds of DURATION seconds each;
 *                for each WHERE (a folder, where a SQLite file is made, or the postgres://
 *                URL of an empty database), then all side by side. The clients are measured
 *                two ways: as the server holds them (each client's answer in flight with
 *                store_submit_async(), from CLIENT_THREADS threads, one per core, which send
 *                a client's next answer once the last is acknowledged), and as one thread
 *                per client blocked in store_submit().
 *   fill DIR N   stores N answers (1,000 classes in 50 schools, two package versions) for
 *                the report benchmark, and prints the database path.
 *   report DB    builds and writes the text report of DB, printing the time taken.
 *
 * Answers are real ones: forms validated against the default package's survey.
 */
#include <pthread.h>
#include <sodium.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fileset.h"
#include "pkg/pkg.h"
#include "report/report.h"
#include "store/store.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : def;
}

/* The default package's survey, loaded from the copy built into the binary. */
struct pkgsurvey {
    struct fileset fs;
    struct pkg *pkg;
    struct arena a;
    struct survey sv;
};

static void load_survey(struct pkgsurvey *p)
{
    memset(p, 0, sizeof(*p));
    struct diag_list d;
    diag_list_init(&d);
    fileset_borrow(&p->fs, embedded_package, embedded_package_count);
    p->pkg = pkg_load(&p->fs, &d);
    if (!p->pkg || diag_count(&d, DIAG_ERROR)) {
        fprintf(stderr, "bench: the default package does not load\n");
        exit(2);
    }
    diag_list_release(&d);
    pkg_survey(p->pkg, &p->a, &p->sv);
    if (p->sv.count == 0) {
        fprintf(stderr, "bench: the default package has no survey\n");
        exit(2);
    }
}

static void free_survey(struct pkgsurvey *p)
{
    arena_release(&p->a);
    pkg_free(p->pkg);
    fileset_release(&p->fs);
}

/* A random valid form for the survey: about four in five questions answered. */
static void random_form(const struct survey *sv, const char *code, unsigned *seed, struct buf *b)
{
    buf_reset(b);
    buf_addf(b, "c=%s", code);
    for (size_t i = 0; i < sv->count; i++) {
        const struct survey_question *q = &sv->questions[i];
        int r = rand_r(seed) % 100;
        if (r < 18)
            continue;
        if (r < 20) {
            buf_addf(b, "&%s=%s", q->id, WIRE_PREFER_NOT);
            continue;
        }
        size_t n = survey_option_count(q);
        if (q->type == SURVEY_TEXT) {
            if (r < 60)
                buf_addf(b, "&%s=The+story+felt+real+and+the+replies+were+funny+%d", q->id,
                         rand_r(seed) % 1000);
        } else if (q->type == SURVEY_MULTI) {
            for (size_t j = 0; j < n; j++)
                if (rand_r(seed) % 3 == 0)
                    buf_addf(b, "&%s=%s", q->id, survey_option_id(q, j));
        } else {
            /* Skewed towards the later options, as real answers are. */
            size_t j = (size_t)(rand_r(seed) % (int)(n + 2));
            buf_addf(b, "&%s=%s", q->id, survey_option_id(q, j >= n ? n - 1 : j));
        }
    }
}

/* Validates a form into an answer kept in arena a. */
static void make_answer(const struct survey *sv, const char *code, unsigned *seed, struct arena *a,
                        struct survey_answer *out)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    for (;;) {
        random_form(sv, code, seed, &b);
        struct form f;
        if (form_decode(b.ptr, b.len, 1 << 20, a, &f) != FORM_OK)
            abort();
        struct survey_cohort c = {code, sv->package_id, sv->package_version, true};
        struct survey_error err;
        if (survey_validate(sv, &f, &c, a, out, &err) == 0)
            break;
        if (err.kind != SURVEY_E_EMPTY) {
            fprintf(stderr, "bench: made an invalid form: %s\n", err.message);
            exit(2);
        }
    }
    buf_release(&b);
}

/* ---- ingest ---- */

enum { POOL = 256 };

struct run {
    struct store *s;
    const struct survey_answer *pool;
    double until;
    long acked;
    long failed;
    pthread_mutex_t mu;
};

static void *submitter(void *arg)
{
    struct run *r = arg;
    long ok = 0, bad = 0;
    unsigned i = (unsigned)(uintptr_t)&ok;
    while (now_s() < r->until) {
        if (store_submit(r->s, &r->pool[i++ % POOL]) == STORE_OK)
            ok++;
        else
            bad++;
    }
    pthread_mutex_lock(&r->mu);
    r->acked += ok;
    r->failed += bad;
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/*
 * The other way to be 64 clients: as the server holds them. A few threads (one per core)
 * each keep their share of the answers in flight with store_submit_async(), and send the
 * next answer when one is acknowledged; no thread waits for any one answer.
 */
struct client {
    struct run *r;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long acked, failed;
    int ready;     /* answers acknowledged and not yet replaced by the next one */
    bool sleeping; /* waiting on cv for ready */
    int in_flight;
    unsigned next;
};

static void answered(void *ctx, int status)
{
    struct client *c = ctx;
    pthread_mutex_lock(&c->mu);
    if (status == STORE_OK)
        c->acked++;
    else
        c->failed++;
    c->ready++;
    if (c->sleeping) {
        c->sleeping = false; /* one wake-up is enough for every answer acknowledged meanwhile */
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
}

static void client_send(struct client *c)
{
    if (store_submit_async(c->r->s, &c->r->pool[c->next++ % POOL], answered, c) == STORE_OK)
        c->in_flight++;
    else
        c->failed++;
}

static void *async_client(void *arg)
{
    struct client *c = arg;
    int share = c->ready;
    c->ready = 0;
    for (int i = 0; i < share; i++)
        client_send(c);
    bool sending = true;
    pthread_mutex_lock(&c->mu);
    while (c->in_flight > 0) {
        while (!c->ready) {
            c->sleeping = true;
            pthread_cond_wait(&c->cv, &c->mu);
        }
        c->sleeping = false;
        int k = c->ready;
        c->ready = 0;
        c->in_flight -= k;
        pthread_mutex_unlock(&c->mu);
        sending = sending && now_s() < c->r->until;
        for (int i = 0; sending && i < k; i++)
            client_send(c);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void run_async(struct run *r, int clients)
{
    int nthreads = (int)env_long("CLIENT_THREADS", 2);
    struct client *c = calloc((size_t)nthreads, sizeof(*c));
    pthread_t *th = calloc((size_t)nthreads, sizeof(*th));
    for (int i = 0; i < nthreads; i++) {
        c[i] = (struct client){.r = r, .next = (unsigned)i * 97};
        c[i].ready = clients / nthreads + (i < clients % nthreads);
        pthread_mutex_init(&c[i].mu, NULL);
        pthread_cond_init(&c[i].cv, NULL);
        pthread_create(&th[i], NULL, async_client, &c[i]);
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        r->acked += c[i].acked;
        r->failed += c[i].failed;
        pthread_mutex_destroy(&c[i].mu);
        pthread_cond_destroy(&c[i].cv);
    }
    free(c);
    free(th);
}

static double measure(const char *path, size_t max_batch, bool async,
                      const struct survey_answer *pool, int threads, double seconds)
{
    struct store_options opt = {.max_batch = max_batch};
    struct store *s;
    char err[256];
    if (store_open(path, STORE_READ_WRITE, &opt, &s, err, sizeof(err)) != STORE_OK) {
        fprintf(stderr, "bench: %s\n", err);
        exit(2);
    }
    struct run r = {.s = s, .pool = pool};
    pthread_mutex_init(&r.mu, NULL);
    pthread_t *th = calloc((size_t)threads, sizeof(*th));
    double start = now_s();
    r.until = start + seconds;
    if (async) {
        run_async(&r, threads);
    } else {
        for (int i = 0; i < threads; i++)
            pthread_create(&th[i], NULL, submitter, &r);
        for (int i = 0; i < threads; i++)
            pthread_join(th[i], NULL);
    }
    double took = now_s() - start;
    store_close(s);
    free(th);
    pthread_mutex_destroy(&r.mu);
    if (r.failed) {
        fprintf(stderr, "bench: %ld submissions failed\n", r.failed);
        exit(2);
    }
    return (double)r.acked / took;
}

/* How the 64 clients wait for their answers to be acknowledged. */
enum clients { IN_FLIGHT, THREADS_WAIT, CLIENT_MODELS };

static const char *const client_model[CLIENT_MODELS] = {
    "answers in flight (as the server holds them)",
    "a thread waiting per answer",
};

struct ingest_result {
    const char *backend;
    double group[CLIENT_MODELS];  /* answers/s with group commit */
    double single[CLIENT_MODELS]; /* answers/s with one transaction per answer */
};

static double ratio_of(const struct ingest_result *r, enum clients m)
{
    return r->single[m] > 0 ? r->group[m] / r->single[m] : 0;
}

static bool is_url(const char *where)
{
    return strncmp(where, "postgres://", 11) == 0 || strncmp(where, "postgresql://", 13) == 0;
}

/* Measures one database: where is a folder (a SQLite file is made in it) or a URL. */
static int ingest_one(const char *where, const struct survey *sv, struct ingest_result *res)
{
    int threads = (int)env_long("THREADS", 64);
    double seconds = (double)env_long("DURATION", 5);
    int rounds = (int)env_long("ROUNDS", 3);
    char path[4096];
    if (is_url(where))
        snprintf(path, sizeof(path), "%s", where);
    else
        snprintf(path, sizeof(path), "%s/ingest.db", where);
    res->backend = is_url(where) ? "PostgreSQL" : "SQLite";
    struct store *s;
    char err[512];
    if (store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)) != STORE_OK) {
        fprintf(stderr, "bench: %s\n", err);
        return 2;
    }
    char code[WIRE_CODE_LEN + 1];
    struct store_cohort_spec spec = {.label = "bench", .survey = sv};
    if (store_cohort_create(s, &spec, code) != STORE_OK)
        return 2;
    store_close(s);

    struct arena a = ARENA_INIT;
    struct survey_answer pool[POOL];
    unsigned seed = 1;
    size_t bytes = 0;
    for (int i = 0; i < POOL; i++) {
        make_answer(sv, code, &seed, &a, &pool[i]);
        struct buf b;
        buf_init(&b, BUF_MAX_DEFAULT);
        survey_answer_encode(&pool[i], &b);
        bytes += b.len;
        buf_release(&b);
    }
    printf("ingest (%s): %d clients, %d rounds of %.0f s each way, answers of %zu bytes on "
           "average\n",
           res->backend, threads, rounds, seconds, bytes / POOL);
    /* ONLY=group skips the baselines (for profiling the group-commit path alone). */
    const char *only = getenv("ONLY");
    bool baseline = !only || strcmp(only, "group") != 0;
    for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < CLIENT_MODELS; m++) {
            double one = baseline ? measure(path, 1, m == IN_FLIGHT, pool, threads, seconds) : 0;
            double many = measure(path, 0, m == IN_FLIGHT, pool, threads, seconds);
            printf("  round %d, %s: one transaction per answer %6.0f/s, group commit %7.0f/s\n",
                   round + 1, client_model[m], one, many);
            res->single[m] += one / rounds;
            res->group[m] += many / rounds;
        }
    }
    for (int m = 0; m < CLIENT_MODELS; m++)
        printf("ingest (%s), %s: group commit %.0f answers/s, one transaction per answer %.0f "
               "answers/s: %.1fx%s\n",
               res->backend, client_model[m], res->group[m], res->single[m], ratio_of(res, m),
               m != IN_FLIGHT ? ""
               : ratio_of(res, m) >= 20 && res->group[m] >= 5000
                   ? " (targets: at least 20x and 5000/s: met)"
                   : " (targets: at least 20x and 5000/s: NOT MET)");
    arena_release(&a);
    return 0;
}

static int do_ingest(int count, char **where)
{
    struct pkgsurvey ps;
    load_survey(&ps);
    struct ingest_result *res = calloc((size_t)count, sizeof(*res));
    int rc = 0;
    for (int i = 0; i < count && rc == 0; i++)
        rc = ingest_one(where[i], &ps.sv, &res[i]);
    if (rc == 0 && count > 1) {
        printf("\ningest, side by side (durable, acknowledged answers per second, %d "
               "clients):\n",
               (int)env_long("THREADS", 64));
        printf("  %-12s %-45s %12s %12s %7s\n", "backend", "clients", "group commit", "one tx each",
               "ratio");
        for (int i = 0; i < count; i++)
            for (int m = 0; m < CLIENT_MODELS; m++)
                printf("  %-12s %-45s %12.0f %12.0f %6.1fx\n", res[i].backend, client_model[m],
                       res[i].group[m], res[i].single[m], ratio_of(&res[i], m));
    }
    free(res);
    free_survey(&ps);
    return rc;
}

/* ---- fill and report ---- */

static int do_fill(const char *dir, long n)
{
    struct pkgsurvey ps;
    load_survey(&ps);
    char path[4096];
    snprintf(path, sizeof(path), "%s/report.db", dir);
    struct store *s;
    char err[256];
    if (store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)) != STORE_OK) {
        fprintf(stderr, "bench: %s\n", err);
        return 2;
    }
    /* A pilot and a revised version with the same survey. */
    struct survey revised = ps.sv;
    revised.package_version = "9.9.9";
    enum { BATCH = 5000 };
    const int CLASSES = (int)env_long("CLASSES", 1000), SCHOOLS = (int)env_long("SCHOOLS", 50);
    char(*codes)[WIRE_CODE_LEN + 1] = calloc((size_t)CLASSES, sizeof(*codes));
    for (int c = 0; c < CLASSES; c++) {
        char school[32], label[32];
        snprintf(school, sizeof(school), "School %02d", c % SCHOOLS);
        snprintf(label, sizeof(label), "Class %d", c);
        struct store_cohort_spec spec = {
            .label = label, .school = school, .survey = c % 2 ? &revised : &ps.sv};
        if (store_cohort_create(s, &spec, codes[c]) != STORE_OK)
            return 2;
    }
    double start = now_s();
    unsigned seed = 7;
    struct survey_answer *batch = calloc(BATCH, sizeof(*batch));
    for (long done = 0; done < n;) {
        struct arena a = ARENA_INIT;
        long k = n - done < BATCH ? n - done : BATCH;
        for (long i = 0; i < k; i++) {
            /* A class answers together, in its lesson: its answers arrive side by side. */
            int c = (int)((done + i) / (n / CLASSES > 0 ? n / CLASSES : 1) % CLASSES);
            make_answer(c % 2 ? &revised : &ps.sv, codes[c], &seed, &a, &batch[i]);
        }
        if (store_submit_many(s, batch, (size_t)k) != STORE_OK) {
            fprintf(stderr, "bench: storing answers failed\n");
            return 2;
        }
        arena_release(&a);
        done += k;
    }
    free(batch);
    free(codes);
    store_close(s);
    fprintf(stderr, "report: stored %ld answers in %d classes in %.1f s\n", n, CLASSES,
            now_s() - start);
    printf("%s\n", path);
    free_survey(&ps);
    return 0;
}

static int count_bytes(void *ctx, const void *data, size_t len)
{
    (void)data;
    *(size_t *)ctx += len;
    return 0;
}

static int do_report(const char *path)
{
    struct store *s;
    char err[256];
    double start = now_s();
    if (store_open(path, STORE_READ_ONLY, NULL, &s, err, sizeof(err)) != STORE_OK) {
        fprintf(stderr, "bench: %s\n", err);
        return 2;
    }
    int64_t n = 0;
    if (store_answer_count(s, &n) != STORE_OK)
        return 2;
    start = now_s();
    struct report_options opt = {0};
    struct report *r;
    if (report_build(s, &opt, &r, err, sizeof(err)) != STORE_OK) {
        fprintf(stderr, "bench: %s\n", err);
        return 2;
    }
    double built = now_s();
    size_t bytes = 0;
    struct report_sink sink = {count_bytes, &bytes};
    if (report_write(r, REPORT_TEXT, &sink) != 0)
        return 2;
    double done = now_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    double load[1] = {0};
    if (getloadavg(load, 1) < 1)
        load[0] = 0;
    printf("report: %lld answers: built in %.3f s, written (%zu bytes) in %.3f s; total %.3f s "
           "(target under 1 s: %s); %.2f s of CPU in all, machine load %.1f\n",
           (long long)n, built - start, bytes, done - built, done - start,
           done - start < 1.0 ? "met" : "NOT MET", cpu, load[0]);
    report_free(r);
    store_close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 2;
    if (argc >= 3 && strcmp(argv[1], "ingest") == 0)
        return do_ingest(argc - 2, argv + 2);
    if (argc == 4 && strcmp(argv[1], "fill") == 0)
        return do_fill(argv[2], strtol(argv[3], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "report") == 0)
        return do_report(argv[2]);
    fprintf(stderr, "usage: ingest ingest DIR|URL... | fill DIR N | report DB\n");
    return 1;
}
