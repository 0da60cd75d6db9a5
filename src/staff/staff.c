#include "staff/staff.h"

#include <errno.h>
#include <stdarg.h>
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

/*
 * Words that head every list of leaked passwords, and words anyone guessing a staff
 * password here would try first (NIST SP 800-63B, 5.1.1.2: refuse values known to be
 * commonly used, expected or compromised). A password is refused when, lower-cased and
 * without the digits and symbols around it, it is one of these.
 */
static const char *const common_words[] = {
    "password", "passw0rd",      "p@ssword",     "qwerty",        "qwertyuiop", "asdfghjkl",
    "zxcvbnm",  "qazwsx",        "1q2w3e4r",     "1qaz2wsx",      "zaq12wsx",   "letmein",
    "welcome",  "iloveyou",      "admin",        "administrator", "login",      "changeme",
    "trustno1", "abc",           "abcdef",       "monkey",        "dragon",     "football",
    "baseball", "soccer",        "sunshine",     "princess",      "shadow",     "master",
    "superman", "batman",        "starwars",     "whatever",      "computer",   "freedom",
    "secret",   "letmeinplease", "hello",        "hellothere",    "default",    "school",
    "teacher",  "student",       "safeguarding", "planpack",      "staff",      "evaluator",
    "summer",   "winter",        "spring",       "autumn",        "january",    "september",
    "london",   "england",       "chelsea",      "arsenal",       "liverpool",  "passwordpassword",
};

/*
 * Whether the text is trivial: one short unit repeated, a run up or down (abcd, 4321), or
 * no more than three different characters.
 */
static bool trivial(const unsigned char *p, size_t len)
{
    bool seen[256] = {false};
    int distinct = 0;
    for (size_t i = 0; i < len; i++) {
        distinct += !seen[p[i]];
        seen[p[i]] = true;
    }
    if (distinct <= 3)
        return true;
    for (size_t unit = 1; unit <= 4 && unit < len; unit++) {
        size_t i = unit;
        while (i < len && p[i] == p[i - unit])
            i++;
        if (i == len)
            return true;
    }
    for (int step = -1; step <= 1; step += 2) {
        size_t i = 1;
        while (i < len &&
               (p[i] - p[i - 1] == step || (p[i] == '0' && p[i - 1] == '9' && step > 0) ||
                (p[i] == '9' && p[i - 1] == '0' && step < 0)))
            i++;
        if (i == len)
            return true;
    }
    return false;
}

/* Whether a password is a common or trivial one, whatever its case and added digits. */
static bool common_password(const char *password, size_t len)
{
    unsigned char low[STAFF_PASSWORD_MAX] = {0};
    if (len > sizeof(low))
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)password[i];
        low[i] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
    }
    if (trivial(low, len))
        return true;
    /* The word inside: without the digits, spaces and symbols before and after it. */
    size_t start = 0, end = len;
    while (start < end && !(low[start] >= 'a' && low[start] <= 'z') && low[start] < 0x80)
        start++;
    while (end > start && !(low[end - 1] >= 'a' && low[end - 1] <= 'z') && low[end - 1] < 0x80)
        end--;
    if (end - start < len && end > start && trivial(low + start, end - start))
        return true;
    for (size_t i = 0; i < sizeof(common_words) / sizeof(common_words[0]); i++) {
        size_t n = strlen(common_words[i]);
        if ((n == len && memcmp(low, common_words[i], n) == 0) ||
            (n == end - start && memcmp(low + start, common_words[i], n) == 0))
            return true;
    }
    return false;
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
    if (common_password(password, len))
        return "the password is one of the most common or easily guessed ones (a common "
               "word with numbers, a repeated pattern or a sequence): choose another; a few "
               "unrelated words make a good one";
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

int staff_passwd(struct store *s, const char *name, const char *password, size_t len, char *err,
                 size_t err_len)
{
    const char *problem = staff_password_problem(password, len);
    if (problem) {
        snprintf(err, err_len, "%s", problem);
        return STORE_ERR_INVALID;
    }
    struct arena a = ARENA_INIT;
    struct store_staff st;
    char hash[128] = "";
    int rc = store_staff_get(s, name, &a, &st);
    if (rc == STORE_OK && staff_hash_password(password, len, hash) != 0) {
        snprintf(err, err_len, "hashing the password failed (not enough memory?)");
        rc = STORE_ERR_IO;
        goto out;
    }
    if (rc == STORE_OK)
        rc = store_staff_set_hash(s, st.id, hash);
    if (rc == STORE_OK)
        rc = store_staff_end_sessions(s, name, NULL);
    if (rc == STORE_ERR_NOT_FOUND)
        snprintf(err, err_len, "there is no account named '%s'", name);
    else if (rc != STORE_OK)
        snprintf(err, err_len, "%s", store_strerror(rc));
out:
    sodium_memzero(hash, sizeof(hash));
    arena_release(&a);
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

/* A hash to verify against when the name is unknown, so that both cases take as long. */
static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
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
        (void)staff_verify_password(dummy_hash, password, len > STAFF_PASSWORD_MAX ? 0 : len);
        goto out;
    }
    if (rc != STORE_OK) {
        res = STAFF_LOGIN_ERROR;
        goto out;
    }
    if (!staff_verify_password(st.password_hash, password, len)) {
        /* Failures count while they are recent: throttled_until is when they are forgotten. */
        int failures = now < st.throttled_until ? st.failed_logins + 1 : 1;
        if (store_staff_set_throttle(s, st.id, failures, now + STAFF_FAILURE_MEMORY) != STORE_OK)
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

void staff_throttle_init(struct staff_throttle *t)
{
    memset(t, 0, sizeof(*t));
    pthread_mutex_init(&t->mu, NULL);
    if (sodium_init() >= 0)
        randombytes_buf(t->hash_key, sizeof(t->hash_key));
}

void staff_throttle_release(struct staff_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    sodium_memzero(t, sizeof(*t));
}

int staff_wait_ms(int failures)
{
    int over = failures - STAFF_FREE_FAILURES;
    if (over < 0)
        return 0;
    if (over > 16)
        return STAFF_MAX_WAIT_MS;
    long w = (long)STAFF_FIRST_WAIT_MS << over;
    return w > STAFF_MAX_WAIT_MS ? STAFF_MAX_WAIT_MS : (int)w;
}

static uint64_t slot_key(const struct staff_throttle *t, const char *text)
{
    uint64_t k;
    crypto_shorthash((unsigned char *)&k, (const unsigned char *)text, strlen(text), t->hash_key);
    return k | 1; /* 0 marks an empty slot */
}

/*
 * The slot of key in table, or (when create) the emptiest, least recently used one of its
 * bucket. Failures older than STAFF_FAILURE_MEMORY are forgotten; a slot with attempts
 * waiting is never taken over.
 */
static struct staff_client_slot *slot_find(struct staff_client_slot *table, uint64_t key,
                                           bool create, long long now_ms)
{
    enum { WAYS = 8 };
    size_t base = (size_t)(key % (STAFF_CLIENT_SLOTS / WAYS)) * WAYS;
    struct staff_client_slot *victim = NULL;
    for (size_t i = base; i < base + WAYS; i++) {
        struct staff_client_slot *sl = &table[i];
        if (sl->key && sl->waiting == 0 && now_ms - sl->last_ms > STAFF_FAILURE_MEMORY * 1000)
            memset(sl, 0, sizeof(*sl));
        if (sl->key == key)
            return sl;
        if (sl->waiting)
            continue;
        if (!victim || sl->key == 0 || (victim->key && sl->last_ms < victim->last_ms))
            victim = sl;
    }
    if (!create || !victim)
        return NULL;
    memset(victim, 0, sizeof(*victim));
    victim->key = key;
    victim->last_ms = now_ms;
    return victim;
}

/*
 * Writes one line about throttling to stderr: the first few of each minute, then a count
 * of those left out, so that an attack shows in the log without flooding it. Caller holds mu.
 */
static void throttle_log(struct staff_throttle *t, long long now_ms, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void throttle_log(struct staff_throttle *t, long long now_ms, const char *fmt, ...)
{
    if (now_ms - t->log_window_ms >= 60LL * 1000) {
        if (t->log_left_out)
            fprintf(stderr,
                    "planpack: staff sign-in: %u more messages about throttling were left out\n",
                    t->log_left_out);
        t->log_window_ms = now_ms;
        t->logged = t->log_left_out = 0;
    }
    if (t->logged >= 10) {
        t->log_left_out++;
        return;
    }
    t->logged++;
    va_list ap;
    va_start(ap, fmt);
    fputs("planpack: staff sign-in: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int staff_throttle_begin(struct staff_throttle *t, struct store *s, const char *name,
                         const char *client, long long now_ms, int *wait_ms)
{
    *wait_ms = 0;
    name = name ? name : "";
    client = client ? client : "";
    /* The account's own count, kept by the store (and shared by every server using it). */
    int stored = 0;
    struct arena a = ARENA_INIT;
    struct store_staff st;
    if (s && store_staff_get(s, name, &a, &st) == STORE_OK && store_now(s) < st.throttled_until)
        stored = st.failed_logins;
    arena_release(&a);
    uint64_t ck = slot_key(t, client), nk = slot_key(t, name);
    int rc = 0;
    pthread_mutex_lock(&t->mu);
    struct staff_client_slot *c = slot_find(t->clients, ck, true, now_ms);
    struct staff_client_slot *n = slot_find(t->names, nk, false, now_ms);
    int by_name = n ? n->failures : 0;
    if (stored > by_name)
        by_name = stored;
    if (c && c->waiting >= STAFF_WAITING_PER_CLIENT) {
        if (c->waiting++ == STAFF_WAITING_PER_CLIENT)
            throttle_log(t, now_ms,
                         "%d sign-in attempts from one address are already waiting; more "
                         "from it are refused (429) until they are judged",
                         STAFF_WAITING_PER_CLIENT);
        c->waiting--;
        rc = -EAGAIN;
        goto out;
    }
    int wc = staff_wait_ms(c ? c->failures : 0), wn = staff_wait_ms(by_name);
    *wait_ms = wc > wn ? wc : wn;
    if (c)
        c->waiting++;
out:
    pthread_mutex_unlock(&t->mu);
    return rc;
}

int staff_throttle_slot(struct staff_throttle *t, long long now_ms)
{
    enum { GAP_MS = 1000 / STAFF_ATTEMPTS_PER_SECOND };
    int wait = 0;
    pthread_mutex_lock(&t->mu);
    /* Unused turns do not pile up: at most a second's worth may be taken at once. */
    if (t->next_slot_ms < now_ms - 1000 + GAP_MS)
        t->next_slot_ms = now_ms - 1000 + GAP_MS;
    if (t->next_slot_ms > now_ms) {
        wait = (int)(t->next_slot_ms - now_ms);
        if (wait >= 1000 - GAP_MS && wait < 1000)
            throttle_log(t, now_ms, "more than %d attempts a second; the others wait their turn",
                         STAFF_ATTEMPTS_PER_SECOND);
    } else {
        t->next_slot_ms += GAP_MS;
    }
    pthread_mutex_unlock(&t->mu);
    return wait;
}

/* Counts a failure (or clears the count) in a slot, and says when the waiting begins. */
static void slot_result(struct staff_throttle *t, struct staff_client_slot *sl, bool ok,
                        long long now_ms, const char *what)
{
    if (!sl)
        return;
    sl->last_ms = now_ms;
    if (ok) {
        sl->failures = 0;
        return;
    }
    if (++sl->failures == STAFF_FREE_FAILURES)
        throttle_log(t, now_ms,
                     "%d failed sign-ins in a row %s; its next attempts wait before they are "
                     "judged (up to %d s), and a right password still signs in",
                     sl->failures, what, STAFF_MAX_WAIT_MS / 1000);
}

void staff_throttle_end(struct staff_throttle *t, const char *name, const char *client,
                        enum staff_login_result r, long long now_ms)
{
    if (r == STAFF_LOGIN_ERROR)
        r = STAFF_LOGIN_BAD; /* an attempt all the same */
    bool ok = r == STAFF_LOGIN_OK;
    uint64_t ck = slot_key(t, client ? client : ""), nk = slot_key(t, name ? name : "");
    pthread_mutex_lock(&t->mu);
    struct staff_client_slot *c = slot_find(t->clients, ck, !ok, now_ms);
    if (c && c->waiting > 0)
        c->waiting--;
    slot_result(t, c, ok, now_ms, "from one address");
    slot_result(t, slot_find(t->names, nk, !ok, now_ms), ok, now_ms, "for one account name");
    pthread_mutex_unlock(&t->mu);
}

void staff_throttle_cancel(struct staff_throttle *t, const char *client, long long now_ms)
{
    uint64_t ck = slot_key(t, client ? client : "");
    pthread_mutex_lock(&t->mu);
    struct staff_client_slot *c = slot_find(t->clients, ck, false, now_ms);
    if (c && c->waiting > 0)
        c->waiting--;
    pthread_mutex_unlock(&t->mu);
}
