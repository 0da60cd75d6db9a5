/*
 * Staff accounts: argon2id hashing, sign-in and its throttling, sessions with idle and
 * absolute timeouts, logout, CSRF tokens, and reading a password from stdin.
 */
#include "testutil.h"

#include <errno.h>

#include "staff/staff.h"
#include "test_fixture_db.h"

#define PASSWORD "correct horse battery staple"

struct ctx {
    char *path;
    struct store *s;
};

static int setup(void **state)
{
    struct ctx *c = calloc(1, sizeof(*c));
    c->path = fx_db_new();
    char err[256];
    assert_int_equal(store_open(c->path, STORE_READ_WRITE, NULL, &c->s, err, sizeof(err)),
                     STORE_OK);
    assert_int_equal(staff_add(c->s, "sam", NULL, PASSWORD, strlen(PASSWORD), err, sizeof(err)),
                     STORE_OK);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    store_close(c->s);
    fx_db_free(c->path);
    free(c);
    return 0;
}

static void test_hash_round_trip(void **state)
{
    (void)state;
    char hash[128];
    assert_int_equal(staff_hash_password("s3cret words here", 17, hash), 0);
    /* argon2id, 64 MiB, 2 passes: what libsodium writes into the string. */
    assert_true(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31) == 0);
    assert_true(staff_verify_password(hash, "s3cret words here", 17));
    assert_false(staff_verify_password(hash, "s3cret words herE", 17));
    assert_false(staff_verify_password(hash, "s3cret words her", 16));
    /* The same password hashes differently each time (random salt). */
    char again[128];
    assert_int_equal(staff_hash_password("s3cret words here", 17, again), 0);
    assert_string_not_equal(hash, again);
    assert_non_null(staff_password_problem("short", 5));
    assert_null(staff_password_problem(PASSWORD, strlen(PASSWORD)));
}

static void test_common_passwords_refused(void **state)
{
    (void)state;
    /* NIST SP 800-63B: common, expected and trivial values are refused, whatever the case. */
    static const char *const refused[] = {
        "aaaaaaaaaaaa", "password1234", "Password!2024", "123456789012", "abcabcabcabc",
        "QWERTYUIOP12", "2024Welcome!", "zyxwvutsrqpo",  "111122223333", "  letmein  123",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        const char *why = staff_password_problem(refused[i], strlen(refused[i]));
        assert_non_null(why);
        assert_non_null(strstr(why, "most common or easily guessed"));
    }
    static const char *const kept[] = {"purple monkey dishwasher", "Tr0ub4dor&3xyz",
                                       "password is not my password"};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        assert_null(staff_password_problem(kept[i], strlen(kept[i])));
}

static void test_add_stores_only_a_hash(void **state)
{
    struct ctx *c = *state;
    struct arena a = ARENA_INIT;
    struct store_staff st;
    assert_int_equal(store_staff_get(c->s, "sam", &a, &st), STORE_OK);
    assert_null(strstr(st.password_hash, PASSWORD));
    assert_true(strncmp(st.password_hash, "$argon2id$", 10) == 0);
    char err[256];
    assert_int_equal(staff_add(c->s, "sam", NULL, PASSWORD, strlen(PASSWORD), err, sizeof(err)),
                     STORE_ERR_EXISTS);
    assert_non_null(strstr(err, "already an account named 'sam'"));
    assert_int_equal(staff_add(c->s, "kim", NULL, "too short", 9, err, sizeof(err)),
                     STORE_ERR_INVALID);
    assert_non_null(strstr(err, "too short"));
    assert_int_equal(store_staff_get(c->s, "kim", &a, &st), STORE_ERR_NOT_FOUND);
    arena_release(&a);
}

static void test_login_session_logout(void **state)
{
    struct ctx *c = *state;
    struct staff_login l;
    time_t t = 1000000;
    assert_int_equal(staff_login(c->s, "sam", "wrong password!", 15, t, &l), STAFF_LOGIN_BAD);
    assert_string_equal(l.token, "");
    assert_int_equal(staff_login(c->s, "nobody", PASSWORD, strlen(PASSWORD), t, &l),
                     STAFF_LOGIN_BAD);
    assert_int_equal(staff_login(c->s, "sam", PASSWORD, strlen(PASSWORD), t, &l), STAFF_LOGIN_OK);
    /* 128 random bits as 22 base64url characters. */
    assert_int_equal(strlen(l.token), 22);
    assert_int_equal(
        strspn(l.token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 22);
    assert_int_equal(strlen(l.csrf), 22);
    assert_string_not_equal(l.token, l.csrf);

    struct arena a = ARENA_INIT;
    struct store_session ses;
    assert_int_equal(staff_session_check(c->s, l.token, t + 60, &a, &ses), STORE_OK);
    assert_string_equal(ses.staff_name, "sam");
    assert_true(staff_csrf_ok(&ses, l.csrf));
    char wrong[STAFF_TOKEN_SIZE];
    memcpy(wrong, l.csrf, sizeof(wrong));
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    assert_false(staff_csrf_ok(&ses, wrong));
    assert_false(staff_csrf_ok(&ses, ""));
    assert_false(staff_csrf_ok(&ses, NULL));
    /* The store knows the session only by a hash of its token. */
    struct store_session by_raw;
    unsigned char raw[STORE_TOKEN_HASH_LEN] = {0};
    memcpy(raw, l.token, 22);
    assert_int_equal(store_session_get(c->s, raw, &a, &by_raw), STORE_ERR_NOT_FOUND);

    assert_int_equal(staff_session_check(c->s, "not-a-token", t, &a, &ses), STORE_ERR_NOT_FOUND);
    assert_int_equal(staff_logout(c->s, l.token), STORE_OK);
    assert_int_equal(staff_session_check(c->s, l.token, t + 120, &a, &ses), STORE_ERR_NOT_FOUND);
    arena_release(&a);
}

static void test_idle_and_absolute_timeouts(void **state)
{
    struct ctx *c = *state;
    struct staff_login l;
    struct arena a = ARENA_INIT;
    struct store_session ses;
    time_t t = 2000000;
    assert_int_equal(staff_login(c->s, "sam", PASSWORD, strlen(PASSWORD), t, &l), STAFF_LOGIN_OK);
    /* Used after 29 minutes: still alive, and the idle clock restarts. */
    assert_int_equal(staff_session_check(c->s, l.token, t + 29 * 60, &a, &ses), STORE_OK);
    assert_int_equal(staff_session_check(c->s, l.token, t + 58 * 60, &a, &ses), STORE_OK);
    /* Then 30 minutes without use: ended on the server. */
    assert_int_equal(staff_session_check(c->s, l.token, t + 88 * 60, &a, &ses), STORE_ERR_EXPIRED);
    assert_int_equal(staff_session_check(c->s, l.token, t + 88 * 60, &a, &ses),
                     STORE_ERR_NOT_FOUND);

    /* In steady use, the session still ends 12 hours after sign-in. */
    t = 3000000;
    assert_int_equal(staff_login(c->s, "sam", PASSWORD, strlen(PASSWORD), t, &l), STAFF_LOGIN_OK);
    time_t u = t;
    for (; u < t + STAFF_ABSOLUTE_TIMEOUT - 29 * 60; u += 29 * 60)
        assert_int_equal(staff_session_check(c->s, l.token, u, &a, &ses), STORE_OK);
    assert_int_equal(staff_session_check(c->s, l.token, t + STAFF_ABSOLUTE_TIMEOUT, &a, &ses),
                     STORE_ERR_EXPIRED);
    arena_release(&a);
}

static void test_no_lock_out(void **state)
{
    struct ctx *c = *state;
    struct staff_login l;
    time_t t = 4000000;
    for (int i = 0; i < 3 * STAFF_FREE_FAILURES; i++)
        assert_int_equal(staff_login(c->s, "sam", "not the password", 16, t, &l), STAFF_LOGIN_BAD);
    struct arena a = ARENA_INIT;
    struct store_staff st;
    assert_int_equal(store_staff_get(c->s, "sam", &a, &st), STORE_OK);
    assert_int_equal(st.failed_logins, 3 * STAFF_FREE_FAILURES);
    /* However many failures, the right password signs in, and clears the count. */
    assert_int_equal(staff_login(c->s, "sam", PASSWORD, strlen(PASSWORD), t + 1, &l),
                     STAFF_LOGIN_OK);
    assert_int_equal(strlen(l.token), 22);
    assert_int_equal(store_staff_get(c->s, "sam", &a, &st), STORE_OK);
    assert_int_equal(st.failed_logins, 0);
    /* Failures are forgotten after a while: a new one counts from 1. */
    assert_int_equal(staff_login(c->s, "sam", "not the password", 16, t + 2, &l), STAFF_LOGIN_BAD);
    assert_int_equal(
        staff_login(c->s, "sam", "not the password", 16, t + 3 + STAFF_FAILURE_MEMORY, &l),
        STAFF_LOGIN_BAD);
    assert_int_equal(store_staff_get(c->s, "sam", &a, &st), STORE_OK);
    assert_int_equal(st.failed_logins, 1);
    arena_release(&a);
}

static void test_wait_grows_and_is_capped(void **state)
{
    (void)state;
    for (int f = 0; f < STAFF_FREE_FAILURES; f++)
        assert_int_equal(staff_wait_ms(f), 0);
    assert_int_equal(staff_wait_ms(STAFF_FREE_FAILURES), STAFF_FIRST_WAIT_MS);
    assert_int_equal(staff_wait_ms(STAFF_FREE_FAILURES + 1), 2 * STAFF_FIRST_WAIT_MS);
    assert_int_equal(staff_wait_ms(STAFF_FREE_FAILURES + 40), STAFF_MAX_WAIT_MS);
    assert_int_equal(staff_wait_ms(1 << 30), STAFF_MAX_WAIT_MS);
}

/* Begins and ends one failed attempt; returns the wait that it was given. */
static int fail_once(struct staff_throttle *t, struct store *s, const char *name,
                     const char *client, long long now)
{
    int wait = -1;
    assert_int_equal(staff_throttle_begin(t, s, name, client, now, &wait), 0);
    staff_throttle_end(t, name, client, STAFF_LOGIN_BAD, now);
    return wait;
}

static void test_throttle_waits(void **state)
{
    struct ctx *c = *state;
    struct staff_throttle *t = malloc(sizeof(*t));
    staff_throttle_init(t);
    long long now = 1000000;
    /* One address failing for many names: its attempts wait, others' do not. */
    char name[32];
    for (int i = 0; i < STAFF_FREE_FAILURES; i++) {
        snprintf(name, sizeof(name), "guess-%d", i);
        assert_int_equal(fail_once(t, NULL, name, "192.0.2.7", now), 0);
    }
    assert_int_equal(fail_once(t, NULL, "guess-x", "192.0.2.7", now), STAFF_FIRST_WAIT_MS);
    int wait;
    assert_int_equal(staff_throttle_begin(t, NULL, "other", "192.0.2.8", now, &wait), 0);
    assert_int_equal(wait, 0);
    staff_throttle_end(t, "other", "192.0.2.8", STAFF_LOGIN_OK, now);
    /* A success from the address clears its count. */
    assert_int_equal(staff_throttle_begin(t, NULL, "sam", "192.0.2.7", now, &wait), 0);
    assert_int_equal(wait, 2 * STAFF_FIRST_WAIT_MS);
    staff_throttle_end(t, "sam", "192.0.2.7", STAFF_LOGIN_OK, now);
    assert_int_equal(fail_once(t, NULL, "guess-y", "192.0.2.7", now), 0);

    /* One name failing from many addresses: every attempt for it waits, from anywhere. */
    for (int i = 0; i < STAFF_FREE_FAILURES; i++) {
        char ip[32];
        snprintf(ip, sizeof(ip), "198.51.100.%d", i);
        assert_int_equal(fail_once(t, NULL, "target", ip, now), 0);
    }
    assert_int_equal(staff_throttle_begin(t, NULL, "target", "203.0.113.1", now, &wait), 0);
    assert_int_equal(wait, STAFF_FIRST_WAIT_MS);
    staff_throttle_cancel(t, "203.0.113.1", now);
    /* The store's count for an account counts as well (another server's failures). */
    assert_int_equal(
        store_staff_set_throttle(c->s, 1, 3 * STAFF_FREE_FAILURES, store_now(c->s) + 60), STORE_OK);
    assert_int_equal(staff_throttle_begin(t, c->s, "sam", "203.0.113.2", now, &wait), 0);
    assert_int_equal(wait, STAFF_MAX_WAIT_MS);
    staff_throttle_cancel(t, "203.0.113.2", now);
    /* Old failures are forgotten. */
    now += STAFF_FAILURE_MEMORY * 1000 + 1;
    assert_int_equal(staff_throttle_begin(t, NULL, "target", "203.0.113.1", now, &wait), 0);
    assert_int_equal(wait, 0);
    staff_throttle_cancel(t, "203.0.113.1", now);

    /* An address may have only so many attempts waiting at once. */
    for (int i = 0; i < STAFF_WAITING_PER_CLIENT; i++)
        assert_int_equal(staff_throttle_begin(t, NULL, "sam", "192.0.2.9", now, &wait), 0);
    assert_int_equal(staff_throttle_begin(t, NULL, "sam", "192.0.2.9", now, &wait), -EAGAIN);
    staff_throttle_end(t, "sam", "192.0.2.9", STAFF_LOGIN_BAD, now);
    assert_int_equal(staff_throttle_begin(t, NULL, "sam", "192.0.2.9", now, &wait), 0);

    /* A flood of other addresses cannot grow the table. */
    for (int i = 0; i < 5 * STAFF_CLIENT_SLOTS; i++) {
        char ip[32];
        snprintf(ip, sizeof(ip), "10.0.%d.%d", i / 256, i % 256);
        (void)fail_once(t, NULL, "flood", ip, now);
    }
    staff_throttle_release(t);
    free(t);
}

static void test_throttle_rate(void **state)
{
    (void)state;
    struct staff_throttle *t = malloc(sizeof(*t));
    staff_throttle_init(t);
    long long now = 5000000;
    /* A second's worth of attempts may go at once; the next waits its turn. */
    for (int i = 0; i < STAFF_ATTEMPTS_PER_SECOND; i++)
        assert_int_equal(staff_throttle_slot(t, now), 0);
    int wait = staff_throttle_slot(t, now);
    assert_true(wait > 0 && wait <= 1000 / STAFF_ATTEMPTS_PER_SECOND);
    assert_int_equal(staff_throttle_slot(t, now + wait), 0);
    /* Turns unused for a long time do not pile up. */
    now += 60 * 1000;
    for (int i = 0; i < STAFF_ATTEMPTS_PER_SECOND; i++)
        assert_int_equal(staff_throttle_slot(t, now), 0);
    assert_true(staff_throttle_slot(t, now) > 0);
    staff_throttle_release(t);
    free(t);
}

static void test_read_password_from_stdin(void **state)
{
    (void)state;
    char buf[STAFF_PASSWORD_MAX + 2], err[128];
    char text[] = "pass phrase from a pipe\r\nsecond line\n";
    FILE *in = fmemopen(text, strlen(text), "r");
    assert_int_equal(
        staff_read_password(in, "Password: ", true, buf, sizeof(buf), err, sizeof(err)), 0);
    assert_string_equal(buf, "pass phrase from a pipe");
    fclose(in);
    char empty[] = "";
    in = fmemopen(empty, 1, "r");
    fgetc(in);
    assert_int_equal(
        staff_read_password(in, "Password: ", true, buf, sizeof(buf), err, sizeof(err)), -1);
    assert_non_null(strstr(err, "no password"));
    fclose(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_round_trip),
        cmocka_unit_test(test_common_passwords_refused),
        cmocka_unit_test_setup_teardown(test_add_stores_only_a_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_session_logout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_and_absolute_timeouts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_lock_out, setup, teardown),
        cmocka_unit_test(test_wait_grows_and_is_capped),
        cmocka_unit_test_setup_teardown(test_throttle_waits, setup, teardown),
        cmocka_unit_test(test_throttle_rate),
        cmocka_unit_test(test_read_password_from_stdin),
    };
    /* Every test here holds for each backend: run them on the one the environment selects. */
    return cmocka_run_group_tests_name(fx_db_backend(), tests, NULL, NULL);
}
