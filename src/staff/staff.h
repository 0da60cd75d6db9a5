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
 *   staff_client_allowed()  per-client throttle, before anything else (429 when false);
 *   staff_login()           STAFF_LOGIN_THROTTLED answers 429 with Retry-After;
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
/* Per account: this many failures in a row are free; after that each waits longer. */
#define STAFF_FREE_FAILURES 5
#define STAFF_MAX_DELAY (15 * 60)

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
 * Reads a password from in: one line without its line ending. When in is a terminal, echo
 * is turned off, prompt goes to stderr and, with confirm, the password must be typed twice.
 * Returns 0 with the password in buf (size bytes), or -1 with a reason in err.
 */
__attribute__((warn_unused_result)) int staff_read_password(FILE *in, const char *prompt,
                                                            bool confirm, char *buf, size_t size,
                                                            char *err, size_t err_len);

enum staff_login_result {
    STAFF_LOGIN_OK,
    STAFF_LOGIN_BAD,       /* unknown name or wrong password (the same answer for both) */
    STAFF_LOGIN_THROTTLED, /* too many failures: wait retry_after seconds */
    STAFF_LOGIN_ERROR,     /* the store failed */
};

struct staff_login {
    char token[STAFF_TOKEN_SIZE]; /* the session cookie's value */
    char csrf[STAFF_TOKEN_SIZE];  /* the session's CSRF token */
    int retry_after;              /* seconds, when throttled */
};

/*
 * Checks a name and password and, when right, starts a session. Failures per account are
 * counted in the store; past STAFF_FREE_FAILURES each failure doubles the wait (30 s up to
 * STAFF_MAX_DELAY) and no password is judged while the account waits.
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
 * Per-client throttling of login attempts, in memory only: clients are known by a keyed
 * hash of whatever the server passes (its address), never by the address itself, and
 * nothing is written to disk. A fixed table, so a flood of clients cannot grow memory.
 */
#define STAFF_CLIENT_SLOTS 1024
#define STAFF_CLIENT_FREE_FAILURES 10

struct staff_client_slot {
    uint64_t key;
    int failures;
    time_t until;
    time_t last;
};

struct staff_clients {
    pthread_mutex_t mu;
    int free_failures;
    unsigned char hash_key[16];
    struct staff_client_slot slots[STAFF_CLIENT_SLOTS];
};

void staff_clients_init(struct staff_clients *c);
void staff_clients_release(struct staff_clients *c);
/* Whether client may try to log in now; else *retry_after gets the seconds to wait. */
bool staff_client_allowed(struct staff_clients *c, const char *client, time_t now,
                          int *retry_after);
/* Records the outcome of a login attempt from client. */
void staff_client_result(struct staff_clients *c, const char *client, bool ok, time_t now);

#endif
