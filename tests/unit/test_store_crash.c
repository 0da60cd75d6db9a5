/*
 * Crash safety of the store: a child process submits answers from many threads and tells
 * the parent, through a pipe, about each one store_submit() acknowledged. The parent kills
 * it with SIGKILL at a random moment, several times over, reopening the database each time
 * as a restarted server would. In the end every acknowledged answer must be stored exactly
 * once, no answer may be stored twice, and SQLite's integrity check must pass. Under
 * PostgreSQL (PLANPACK_TEST_PG, see test_fixture_db.h) the killed process is the client:
 * its transaction in flight is rolled back by the server, and the same counts must hold.
 */
#include "testutil.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <time.h>

#include "store/store.h"
#include "test_fixture_db.h"

enum { ROUNDS = 6, THREADS = 16, MAX_PER_THREAD = 100000 };

struct ack {
    int round;
    int thread;
    int index;
};

struct child_thread {
    struct store *s;
    const char *code;
    int round;
    int thread;
    int fd;
};

static void *child_submit(void *arg)
{
    struct child_thread *t = arg;
    for (int i = 0; i < MAX_PER_THREAD; i++) {
        char text[64];
        snprintf(text, sizeof(text), "crash-%d-%d-%d", t->round, t->thread, i);
        struct fx_answer f;
        fx_answer_make(&f, t->code, "1.0.0", "c2", text);
        if (store_submit(t->s, &f.a) != STORE_OK)
            _exit(3);
        struct ack a = {t->round, t->thread, i};
        /* Writes of up to PIPE_BUF bytes to a pipe are atomic. */
        if (write(t->fd, &a, sizeof(a)) != (ssize_t)sizeof(a))
            _exit(4);
    }
    return NULL;
}

static void child_main(const char *path, const char *code, int round, int fd)
{
    struct store *s = NULL;
    char err[256];
    /* The killed predecessor's lock goes with it; its WAL is recovered on open. (Under
     * PostgreSQL the server ends the dead client's session and rolls its transaction back.) */
    if (store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)) != STORE_OK) {
        fprintf(stderr, "child: %s\n", err);
        _exit(2);
    }
    pthread_t th[THREADS];
    struct child_thread ct[THREADS];
    for (int i = 0; i < THREADS; i++) {
        ct[i] = (struct child_thread){s, code, round, i, fd};
        pthread_create(&th[i], NULL, child_submit, &ct[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    /* On a fast machine every answer may be in before the kill: wait for it all the same,
     * so that the parent always sees death by SIGKILL. */
    for (;;)
        pause();
}

struct tally {
    unsigned char *stored; /* [round][thread][index] counts, capped at 255 */
    int per;
    int bad;
};

static size_t slot(int round, int thread, int index, int per)
{
    return ((size_t)round * THREADS + (size_t)thread) * (size_t)per + (size_t)index;
}

static int tally_row(const struct store_answer_row *row, void *ctx)
{
    struct tally *t = ctx;
    char body[512];
    snprintf(body, sizeof(body), "%.*s", (int)row->body_len, row->body);
    const char *p = strstr(body, "crash-");
    int r, th, i;
    if (!p || sscanf(p, "crash-%d-%d-%d", &r, &th, &i) != 3 || r < 0 || r >= ROUNDS || th < 0 ||
        th >= THREADS || i < 0 || i >= t->per) {
        t->bad++;
        return 0;
    }
    unsigned char *c = &t->stored[slot(r, th, i, t->per)];
    if (*c < 255)
        (*c)++;
    return 0;
}

static void test_sigkill_during_submissions(void **state)
{
    (void)state;
    char *path = fx_db_new();
    char code[WIRE_CODE_LEN + 1];
    char err[256];
    struct store *s = NULL;
    assert_int_equal(store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)), STORE_OK);
    struct survey sv = fx_survey("1.0.0");
    struct store_cohort_spec spec = {.label = "crash test", .survey = &sv};
    assert_int_equal(store_cohort_create(s, &spec, code), STORE_OK);
    store_close(s);

    /* Acknowledgements per round, kept sparse: a bitmap sized for the most we expect. */
    enum { PER = 20000 };
    unsigned char *acked = calloc((size_t)ROUNDS * THREADS * PER, 1);
    size_t total_acked = 0;
    assert_int_equal(sodium_init() >= 0, 1);

    for (int round = 0; round < ROUNDS; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child_main(path, code, round, fds[1]);
        }
        close(fds[1]);
        /* Let it run for 150 to 650 ms after its first acknowledgement (however long a loaded
         * machine takes to get there), reading acknowledgements, then kill it mid-flight. */
        int run_ms = 150 + (int)randombytes_uniform(500);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        const time_t started = t0.tv_sec;
        size_t round_acked = 0;
        bool killed = false;
        for (;;) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long elapsed = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
            if (round_acked == 0) {
                t0 = now;
                if (now.tv_sec - started > 60) {
                    kill(pid, SIGKILL);
                    fail_msg("round %d: no answer acknowledged within 60 s", round);
                }
            }
            if (!killed && round_acked > 0 && elapsed >= run_ms) {
                kill(pid, SIGKILL);
                killed = true;
            }
            struct pollfd pfd = {fds[0], POLLIN, 0};
            if (poll(&pfd, 1, killed ? 1000 : 10) < 0 && errno != EINTR)
                fail_msg("poll: %s", strerror(errno));
            if (!(pfd.revents & (POLLIN | POLLHUP)))
                continue;
            struct ack a[64];
            ssize_t n = read(fds[0], a, sizeof(a));
            if (n == 0)
                break; /* the child is gone and every acknowledgement has been read */
            assert_true(n > 0);
            assert_int_equal(n % (ssize_t)sizeof(a[0]), 0);
            for (ssize_t k = 0; k < n / (ssize_t)sizeof(a[0]); k++) {
                assert_int_equal(a[k].round, round);
                assert_true(a[k].index < PER);
                acked[slot(round, a[k].thread, a[k].index, PER)] = 1;
                round_acked++;
            }
        }
        close(fds[0]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        /* It must have died by our signal, not of an error of its own. */
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGKILL);
        /* Each round must have done real work, or the test would prove nothing. */
        assert_true(round_acked > 0);
        total_acked += round_acked;
    }

    /* Reopen as a restarted server would, and count. */
    assert_int_equal(store_open(path, STORE_READ_WRITE, NULL, &s, err, sizeof(err)), STORE_OK);
    struct tally t = {calloc((size_t)ROUNDS * THREADS * PER, 1), PER, 0};
    assert_int_equal(store_answers_each(s, 0, tally_row, &t), STORE_OK);
    store_close(s);
    assert_int_equal(t.bad, 0);
    size_t stored = 0;
    for (size_t i = 0; i < (size_t)ROUNDS * THREADS * PER; i++) {
        if (acked[i])
            assert_int_equal(t.stored[i], 1); /* acknowledged: present exactly once */
        else
            assert_true(t.stored[i] <= 1); /* unacknowledged: at most once */
        stored += t.stored[i];
    }
    assert_true(stored >= total_acked);
    fprintf(stderr, "crash test: %d kills, %zu answers acknowledged, %zu stored\n", ROUNDS,
            total_acked, stored);

    if (!fx_is_pg()) {
        char check[64];
        fx_db_text(path, "PRAGMA integrity_check", check, sizeof(check));
        assert_string_equal(check, "ok");
    }

    free(acked);
    free(t.stored);
    fx_db_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sigkill_during_submissions),
    };
    return cmocka_run_group_tests_name(fx_db_backend(), tests, NULL, NULL);
}
