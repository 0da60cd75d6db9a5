/*
 * Staff accounts and their sessions: the only people who may read pupils' feedback.
 *
 * Passwords are hashed with argon2id through libsodium (64 MiB, 2 passes: above the
 * 19 MiB / 2 pass minimum) and never stored or logged in the clear; the command line
 * reads them from stdin, never from argv. A session is a 128-bit random token, sent to the
 * browser as a cookie and kept in the store only as a hash, so a copy of the database does
 * not let anyone sign in. Sessions end after 30 minutes without use or 12 hours in all,
 * and logout ends them on the server.
 *
 * For the HTTP layer (POST /staff/login, every /staff/ page):
 *   staff_throttle_begin()  before a sign-in attempt: how long it waits before it is judged;
 *   staff_throttle_slot()   after that wait: the global cap on attempts judged per second;
 *   staff_login()           judges the attempt; staff_throttle_end() records its outcome;
 *   staff_session_check()   on every staff request; refuse unless STORE_OK;
 *   staff_csrf_ok()         on every staff form POST (with an Origin check by the server);
 *   staff_logout()          ends the session in the store.
 * Cookie: "__Host-planpack_session=TOKEN; Path=/; HttpOnly; SameSite=Strict; Secure" (Secure
 * always: browsers refuse a __Host- cookie without it).
 */
#ifndef PLANPACK_STAFF_H
#define PLANPACK_STAFF_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "base/arena.h"
#include "store/store.h"

#define STAFF_PASSWORD_MIN 12   /* bytes */
#define STAFF_PASSWORD_MAX 1024 /* bytes */
#define STAFF_HASH_MEMLIMIT ((size_t)64 << 20)
#define STAFF_HASH_OPSLIMIT 2
/* 128 random bits, base64url without padding: 22 characters (+ NUL). */
#define STAFF_TOKEN_SIZE 23
#define STAFF_IDLE_TIMEOUT ((time_t)30 * 60)
#define STAFF_ABSOLUTE_TIMEOUT ((time_t)12 * 60 * 60)
#define STAFF_COOKIE_NAME "__Host-planpack_session"
/*
 * Per account and per client address: this many failures in a row cost nothing; after that
 * each attempt waits before it is judged, STAFF_FIRST_WAIT_MS doubling up to
 * STAFF_MAX_WAIT_MS. Failures older than STAFF_FAILURE_MEMORY seconds are forgotten.
 */
#define STAFF_FREE_FAILURES 5
#define STAFF_FIRST_WAIT_MS 250
#define STAFF_MAX_WAIT_MS 4000
#define STAFF_FAILURE_MEMORY ((time_t)15 * 60)
/* Sign-in attempts judged per second in all, and attempts one address may have waiting. */
#define STAFF_ATTEMPTS_PER_SECOND 10
#define STAFF_WAITING_PER_CLIENT 8

/*
 * Hashes a password into out (a libsodium string, NUL-terminated, at most 128 bytes).
 * Returns 0, or -1 when libsodium cannot get the memory.
 */
__attribute__((warn_unused_result)) int staff_hash_password(const char *password, size_t len,
                                                            char out[128]);
/* Whether password matches hash (constant time in the password). */
bool staff_verify_password(const char *hash, const char *password, size_t len);
/* NULL when the password is acceptable, else a plain-English reason. */
const char *staff_password_problem(const char *password, size_t len);

/*
 * Creates an account: staff of school, or an evaluator of every school when school is NULL.
 * Returns a store status (STORE_ERR_EXISTS for a taken name, STORE_ERR_INVALID for a bad
 * name or password, with the reason in err).
 */
__attribute__((warn_unused_result)) int staff_add(struct store *s, const char *name,
                                                  const char *school, const char *password,
                                                  size_t len, char *err, size_t err_len);

/*
 * Gives an account a new password and ends every session it has, so that whoever knew
 * the old one is signed out. Returns a store status (STORE_ERR_NOT_FOUND: no such account;
 * STORE_ERR_INVALID: a password refused, with the reason in err).
 */
__attribute__((warn_unused_result)) int staff_passwd(struct store *s, const char *name,
                                                     const char *password, size_t len, char *err,
                                                     size_t err_len);

/*
 * Reads a password from in: one line without its line ending. When in is a terminal, echo
 * is turned off, prompt goes to stderr and, with confirm, the password must be typed twice.
 * Returns 0 with the password in buf (size bytes), or -1 with a reason in err.
 */
__attribute__((warn_unused_result)) int staff_read_password(FILE *in, const char *prompt,
                                                            bool confirm, char *buf, size_t size,
                                                            char *err, size_t err_len);

enum staff_login_result {
    STAFF_LOGIN_OK,
    STAFF_LOGIN_BAD,   /* unknown name or wrong password (the same answer for both) */
    STAFF_LOGIN_ERROR, /* the store failed */
};

struct staff_login {
    char token[STAFF_TOKEN_SIZE]; /* the session cookie's value */
    char csrf[STAFF_TOKEN_SIZE];  /* the session's CSRF token */
};

/*
 * Checks a name and password and, when right, starts a session. A right password is never
 * refused because of failures: they only make later attempts wait (staff_throttle_begin()).
 * Failures per account are counted in the store (forgotten after STAFF_FAILURE_MEMORY), and
 * for unknown names in memory, so that waiting does not tell whether a name exists.
 */
enum staff_login_result staff_login(struct store *s, const char *name, const char *password,
                                    size_t len, time_t now, struct staff_login *out);

/*
 * Finds the session of a cookie token and keeps it alive. STORE_OK with out filled (strings
 * in a); STORE_ERR_NOT_FOUND for an unknown token; STORE_ERR_EXPIRED when it passed the idle
 * or absolute limit (it is ended).
 */
__attribute__((warn_unused_result)) int staff_session_check(struct store *s, const char *token,
                                                            time_t now, struct arena *a,
                                                            struct store_session *out);
/* Ends the session of a token (logout). */
__attribute__((warn_unused_result)) int staff_logout(struct store *s, const char *token);
/* Whether a submitted CSRF token is the session's (constant time). */
bool staff_csrf_ok(const struct store_session *session, const char *given);

/*
 * Throttling of sign-in attempts, in memory only. Failures slow attempts down and never
 * lock anyone out, since a lock-out is what an attacker who knows a name would want:
 *  - past STAFF_FREE_FAILURES failures in a row for an account, or from a client address,
 *    each attempt waits (see STAFF_FIRST_WAIT_MS) before it is judged, and is then judged
 *    like any other: the right password signs in;
 *  - at most STAFF_ATTEMPTS_PER_SECOND attempts are judged each second in all; the others
 *    wait their turn;
 *  - an address may have STAFF_WAITING_PER_CLIENT attempts waiting at once; more are
 *    refused (429) until some are judged.
 * Addresses are known by a keyed hash of whatever the server passes, never kept as text,
 * in a fixed table, so a flood of addresses cannot grow memory. The first wait of an
 * address or account and the first refusal of a burst are written to stderr, so that an
 * operator sees an attack in the log (no address is written).
 */
#define STAFF_CLIENT_SLOTS 1024

struct staff_client_slot {
    uint64_t key;
    int failures;
    int waiting;
    long long last_ms;
};

struct staff_throttle {
    pthread_mutex_t mu;
    unsigned char hash_key[16];
    long long next_slot_ms; /* when the next attempt may be judged (the global cap) */
    struct staff_client_slot clients[STAFF_CLIENT_SLOTS];
    struct staff_client_slot names[STAFF_CLIENT_SLOTS]; /* by account name, known or not */
    long long log_window_ms;
    unsigned logged, log_left_out;
};

void staff_throttle_init(struct staff_throttle *t);
void staff_throttle_release(struct staff_throttle *t);

/* How long an attempt waits after this many failures in a row (ms; 0 for the free ones). */
int staff_wait_ms(int failures);

/*
 * Starts an attempt to sign in as name from client (an address), at monotonic time now_ms
 * (the failures the store counts for the account, by its clock). Returns 0 with *wait_ms,
 * the time the attempt waits before it is judged; or -EAGAIN when the client already has
 * STAFF_WAITING_PER_CLIENT attempts waiting (refuse it; do not call staff_throttle_end()).
 * Reads the account from the store; a store error counts as no wait.
 */
__attribute__((warn_unused_result)) int staff_throttle_begin(struct staff_throttle *t,
                                                             struct store *s, const char *name,
                                                             const char *client, long long now_ms,
                                                             int *wait_ms);
/*
 * The global cap: 0 when an attempt may be judged now (its turn is taken), else the
 * milliseconds until its turn; ask again then.
 */
int staff_throttle_slot(struct staff_throttle *t, long long now_ms);
/* Ends an attempt begun with staff_throttle_begin() that was never judged. */
void staff_throttle_cancel(struct staff_throttle *t, const char *client, long long now_ms);
/* Ends an attempt begun with staff_throttle_begin(), recording its result. */
void staff_throttle_end(struct staff_throttle *t, const char *name, const char *client,
                        enum staff_login_result r, long long now_ms);

#endif
