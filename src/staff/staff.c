#include "staff/staff.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/form.h"

_Static_assert(STAFF_HASH_MEMLIMIT >= ((size_t)19 << 20), "argon2id needs at least 19 MiB");
_Static_assert(STAFF_HASH_OPSLIMIT >= 2, "argon2id needs at least 2 passes");
_Static_assert(crypto_pwhash_STRBYTES <= 128, "hash strings fit the buffer");

int staff_hash_password(const char *password, size_t len, char out[128])
{
    if (sodium_init() < 0)
        return -1;
    memset(out, 0, 128);
    return crypto_pwhash_str_alg(out, password, len, STAFF_HASH_OPSLIMIT, STAFF_HASH_MEMLIMIT,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : -1;
}

bool staff_verify_password(const char *hash, const char *password, size_t len)
{
    if (sodium_init() < 0 || !hash)
        return false;
    return crypto_pwhash_str_verify(hash, password, len) == 0;
}

const char *staff_password_problem(const char *password, size_t len)
{
    if (len < STAFF_PASSWORD_MIN)
        return "the password is too short: use at least 12 characters (a few words make a "
               "good one)";
    if (len > STAFF_PASSWORD_MAX)
        return "the password is too long: use at most 1024 characters";
    if (!utf8_valid(password, len))
        return "the password is not valid UTF-8 text";
    return NULL;
}

int staff_add(struct store *s, const char *name, const char *school, const char *password,
              size_t len, char *err, size_t err_len)
{
    const char *problem = staff_password_problem(password, len);
    if (problem) {
        snprintf(err, err_len, "%s", problem);
        return STORE_ERR_INVALID;
    }
    char hash[128];
    if (staff_hash_password(password, len, hash) != 0) {
        snprintf(err, err_len, "hashing the password failed (not enough memory?)");
        return STORE_ERR_IO;
    }
    int rc = store_staff_add(s, name, hash, school);
    sodium_memzero(hash, sizeof(hash));
    if (rc == STORE_ERR_EXISTS)
        snprintf(err, err_len, "there is already an account named '%s'", name);
    else if (rc == STORE_ERR_INVALID)
        snprintf(err, err_len,
                 "the name must be 1 to 100 characters and the school 1 to 200, of text "
                 "without control characters");
    else if (rc != STORE_OK)
        snprintf(err, err_len, "%s", store_strerror(rc));
    return rc;
}

/* Reads one line; false at end of input or when it does not fit. */
static bool read_line(FILE *in, char *buf, size_t size, bool *too_long)
{
    *too_long = false;
    if (!fgets(buf, (int)size, in))
        return false;
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '\n') {
        buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '\r')
            buf[--n] = '\0';
    } else if (!feof(in)) {
        *too_long = true;
        int c;
        while ((c = fgetc(in)) != EOF && c != '\n')
            ;
        return false;
    }
    return true;
}

static bool prompt_line(FILE *in, bool tty, const char *prompt, char *buf, size_t size,
                        bool *too_long)
{
    struct termios old, quiet;
    bool echo_off = false;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        fflush(stderr);
        if (tcgetattr(fileno(in), &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            echo_off = tcsetattr(fileno(in), TCSAFLUSH, &quiet) == 0;
        }
    }
    bool ok = read_line(in, buf, size, too_long);
    if (echo_off) {
        tcsetattr(fileno(in), TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    return ok;
}

int staff_read_password(FILE *in, const char *prompt, bool confirm, char *buf, size_t size,
                        char *err, size_t err_len)
{
    bool tty = isatty(fileno(in));
    bool too_long;
    if (!prompt_line(in, tty, prompt, buf, size, &too_long)) {
        snprintf(err, err_len,
                 too_long ? "the password is too long" : "no password given on stdin");
        sodium_memzero(buf, size);
        return -1;
    }
    if (tty && confirm) {
        char again[STAFF_PASSWORD_MAX + 2];
        bool ok = prompt_line(in, tty, "Type it again: ", again, sizeof(again), &too_long) &&
                  strcmp(again, buf) == 0;
        sodium_memzero(again, sizeof(again));
        if (!ok) {
            snprintf(err, err_len, "the two passwords were not the same");
            sodium_memzero(buf, size);
            return -1;
        }
    }
    return 0;
}

/*
 * A hash to verify against when the name is unknown, so that both cases take as long, and
 * a throttle for unknown names like the one for accounts, so that being throttled does not
 * tell whether a name exists.
 */
static char dummy_hash[128];
static struct staff_clients unknown_names;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    staff_clients_init(&unknown_names);
    unknown_names.free_failures = STAFF_FREE_FAILURES;
    unsigned char pw[16];
    randombytes_buf(pw, sizeof(pw));
    if (staff_hash_password((const char *)pw, sizeof(pw), dummy_hash) != 0)
        dummy_hash[0] = '\0';
}

static void token_make(char out[STAFF_TOKEN_SIZE])
{
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, STAFF_TOKEN_SIZE, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

static void token_hash(const char *token, unsigned char out[STORE_TOKEN_HASH_LEN])
{
    crypto_generichash(out, STORE_TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token), NULL,
                       0);
}

static int delay_after(int failures)
{
    if (failures < STAFF_FREE_FAILURES)
        return 0;
    int shift = failures - STAFF_FREE_FAILURES;
    if (shift > 10)
        return STAFF_MAX_DELAY;
    int d = 30 << shift;
    return d > STAFF_MAX_DELAY ? STAFF_MAX_DELAY : d;
}

enum staff_login_result staff_login(struct store *s, const char *name, const char *password,
                                    size_t len, time_t now, struct staff_login *out)
{
    memset(out, 0, sizeof(*out));
    if (sodium_init() < 0)
        return STAFF_LOGIN_ERROR;
    struct arena a = ARENA_INIT;
    struct store_staff st;
    enum staff_login_result res = STAFF_LOGIN_BAD;
    int rc = store_staff_get(s, name ? name : "", &a, &st);
    if (rc == STORE_ERR_NOT_FOUND || len > STAFF_PASSWORD_MAX) {
        pthread_once(&dummy_once, make_dummy);
        const char *key = name ? name : "";
        if (!staff_client_allowed(&unknown_names, key, now, &out->retry_after)) {
            res = STAFF_LOGIN_THROTTLED;
            goto out;
        }
        (void)staff_verify_password(dummy_hash, password, len > STAFF_PASSWORD_MAX ? 0 : len);
        staff_client_result(&unknown_names, key, false, now);
        goto out;
    }
    if (rc != STORE_OK) {
        res = STAFF_LOGIN_ERROR;
        goto out;
    }
    if (now < st.throttled_until) {
        out->retry_after = (int)(st.throttled_until - now);
        res = STAFF_LOGIN_THROTTLED;
        goto out;
    }
    if (!staff_verify_password(st.password_hash, password, len)) {
        int failures = st.failed_logins + 1;
        int delay = delay_after(failures);
        if (store_staff_set_throttle(s, st.id, failures, delay ? now + delay : 0) != STORE_OK)
            res = STAFF_LOGIN_ERROR;
        goto out;
    }
    if (st.failed_logins || st.throttled_until) {
        if (store_staff_set_throttle(s, st.id, 0, 0) != STORE_OK) {
            res = STAFF_LOGIN_ERROR;
            goto out;
        }
    }
    /* Hashes made with weaker settings are upgraded while the password is at hand. */
    if (crypto_pwhash_str_needs_rehash(st.password_hash, STAFF_HASH_OPSLIMIT,
                                       STAFF_HASH_MEMLIMIT) != 0) {
        char hash[128];
        /* A failed upgrade leaves the old hash, which still works: not worth failing for. */
        if (staff_hash_password(password, len, hash) == 0 &&
            store_staff_set_hash(s, st.id, hash) != STORE_OK)
            fprintf(stderr, "planpack: could not upgrade the password hash of '%s'\n", name);
        sodium_memzero(hash, sizeof(hash));
    }
    token_make(out->token);
    token_make(out->csrf);
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(out->token, h);
    if (store_session_create(s, h, st.id, out->csrf, now) != STORE_OK) {
        memset(out, 0, sizeof(*out));
        res = STAFF_LOGIN_ERROR;
        goto out;
    }
    res = STAFF_LOGIN_OK;
out:
    arena_release(&a);
    return res;
}

int staff_session_check(struct store *s, const char *token, time_t now, struct arena *a,
                        struct store_session *out)
{
    memset(out, 0, sizeof(*out));
    if (!token || strlen(token) != STAFF_TOKEN_SIZE - 1)
        return STORE_ERR_NOT_FOUND;
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(token, h);
    int rc = store_session_get(s, h, a, out);
    if (rc != STORE_OK)
        return rc;
    if (now - out->created >= STAFF_ABSOLUTE_TIMEOUT ||
        now - out->last_seen >= STAFF_IDLE_TIMEOUT || now < out->created) {
        memset(out, 0, sizeof(*out));
        rc = store_session_end(s, h);
        return rc == STORE_OK ? STORE_ERR_EXPIRED : rc;
    }
    /* Touch at most once a minute: idle time is measured in minutes, writes cost a commit. */
    if (now - out->last_seen >= 60) {
        rc = store_session_touch(s, h, now);
        if (rc != STORE_OK)
            return rc;
        out->last_seen = now;
    }
    return STORE_OK;
}

int staff_logout(struct store *s, const char *token)
{
    if (!token || strlen(token) != STAFF_TOKEN_SIZE - 1)
        return STORE_OK;
    unsigned char h[STORE_TOKEN_HASH_LEN];
    token_hash(token, h);
    return store_session_end(s, h);
}

bool staff_csrf_ok(const struct store_session *session, const char *given)
{
    if (!session->csrf || !given)
        return false;
    size_t n = strlen(session->csrf);
    if (n == 0 || strlen(given) != n)
        return false;
    return sodium_memcmp(session->csrf, given, n) == 0;
}

void staff_clients_init(struct staff_clients *c)
{
    memset(c, 0, sizeof(*c));
    c->free_failures = STAFF_CLIENT_FREE_FAILURES;
    pthread_mutex_init(&c->mu, NULL);
    if (sodium_init() >= 0)
        randombytes_buf(c->hash_key, sizeof(c->hash_key));
}

void staff_clients_release(struct staff_clients *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    sodium_memzero(c, sizeof(*c));
}

static uint64_t client_key(const struct staff_clients *c, const char *client)
{
    uint64_t k;
    crypto_shorthash((unsigned char *)&k, (const unsigned char *)client, strlen(client),
                     c->hash_key);
    return k | 1; /* 0 marks an empty slot */
}

/* The client's slot, or (when create) the emptiest, least recently used one in its bucket. */
static struct staff_client_slot *client_slot(struct staff_clients *c, uint64_t key, bool create,
                                             time_t now)
{
    enum { WAYS = 8 };
    size_t base = (size_t)(key % (STAFF_CLIENT_SLOTS / WAYS)) * WAYS;
    struct staff_client_slot *victim = NULL;
    for (size_t i = base; i < base + WAYS; i++) {
        struct staff_client_slot *sl = &c->slots[i];
        if (sl->key == key)
            return sl;
        /* Entries idle for a day are forgotten. */
        if (sl->key && now - sl->last > (time_t)24 * 60 * 60)
            memset(sl, 0, sizeof(*sl));
        if (!victim || sl->key == 0 || (victim->key && sl->last < victim->last))
            victim = sl;
    }
    if (!create || !victim)
        return NULL;
    memset(victim, 0, sizeof(*victim));
    victim->key = key;
    return victim;
}

bool staff_client_allowed(struct staff_clients *c, const char *client, time_t now, int *retry_after)
{
    *retry_after = 0;
    uint64_t key = client_key(c, client ? client : "");
    pthread_mutex_lock(&c->mu);
    struct staff_client_slot *sl = client_slot(c, key, false, now);
    bool ok = !sl || now >= sl->until;
    if (!ok)
        *retry_after = (int)(sl->until - now);
    pthread_mutex_unlock(&c->mu);
    return ok;
}

void staff_client_result(struct staff_clients *c, const char *client, bool ok, time_t now)
{
    uint64_t key = client_key(c, client ? client : "");
    pthread_mutex_lock(&c->mu);
    struct staff_client_slot *sl = client_slot(c, key, !ok, now);
    if (sl) {
        if (ok) {
            memset(sl, 0, sizeof(*sl));
        } else {
            sl->failures++;
            sl->last = now;
            int over = sl->failures - c->free_failures;
            if (over >= 0) {
                int d = over > 10 ? STAFF_MAX_DELAY : 30 << over;
                sl->until = now + (d > STAFF_MAX_DELAY ? STAFF_MAX_DELAY : d);
            }
        }
    }
    pthread_mutex_unlock(&c->mu);
}
