/*
 * Pairing words (survey/pairing.h): the two word lists, drawing a word, normalising what a
 * pupil typed, and pairing a class's start and end answers.
 *
 * The lists were chosen to be read aloud and spelt by an eleven-year-old without doubt: no
 * word sounds like another word (no "red"/"read", "blue"/"blew", "bear"/"bare", "horse"/
 * "hoarse", "bee", "ant"), none has two common spellings ("grey", "cosy", "stripy",
 * "harbour"), none is a first name ("daisy", "robin", "ruby"), none describes a body
 * ("tiny", "curly", "spotty"), none is about touch or bed ("soft", "smooth", "warm", "cuddly",
 * "pillow"), which the package's subject could turn into a joke, and no word is slang that could
 * make a combination rude or unkind (no "windy", "melon", "cherry", "helmet", "puffin", "coconut",
 * "trumpet", "copper"). Describing words are cheerful or neutral; things are animals, food and
 * objects from a primary classroom. tests/unit/test_pairing.c checks the distances between words.
 */
#include "survey/pairing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/xalloc.h"

const char *const pairing_first[] = {
    "happy",  "sunny",  "brave",   "lucky",  "jolly",   "swift",  "proud",  "gentle",   "clever",
    "green",  "pink",   "gold",    "silver", "orange",  "purple", "lilac",  "bronze",   "bright",
    "calm",   "shiny",  "sparkly", "frosty", "misty",   "snowy",  "rainy",  "starry",   "cloudy",
    "stormy", "breezy", "bouncy",  "busy",   "daring",  "eager",  "fancy",  "friendly", "kind",
    "keen",   "mighty", "nimble",  "polite", "ready",   "smart",  "sporty", "speedy",   "steady",
    "zesty",  "zippy",  "humble",  "honest", "hopeful", "early",  "grand",  "noble",    "royal",
    "super",  "wise",   "quick",   "cheery", "indigo",  "magic",  "cosmic", "witty",    "lively",
    "lofty",  "mellow", "patient", "tidy",   "crisp",   "fresh",  "cool",   "chirpy",
};
const size_t pairing_first_count = sizeof(pairing_first) / sizeof(pairing_first[0]);

const char *const pairing_second[] = {
    "otter",   "badger", "rabbit",  "panda",   "koala",   "lion",    "tiger",    "zebra",
    "camel",   "llama",  "penguin", "parrot",  "owl",     "eagle",   "falcon",   "swan",
    "goose",   "duck",   "dolphin", "turtle",  "lobster", "octopus", "squid",    "shark",
    "beetle",  "moth",   "apple",   "lemon",   "mango",   "pepper",  "onion",    "turnip",
    "potato",  "tomato", "pumpkin", "radish",  "peanut",  "pancake", "waffle",   "noodle",
    "kettle",  "teapot", "spoon",   "rocket",  "comet",   "planet",  "river",    "valley",
    "meadow",  "forest", "garden",  "castle",  "tower",   "bridge",  "lantern",  "candle",
    "button",  "pencil", "crayon",  "paper",   "ribbon",  "basket",  "hammer",   "ladder",
    "violin",  "guitar", "drum",    "piano",   "jacket",  "scarf",   "boot",     "sock",
    "hat",     "kite",   "canoe",   "tractor", "engine",  "wagon",   "cloud",    "rainbow",
    "thunder", "sunset", "acorn",   "tulip",   "cactus",  "pebble",  "hedgehog", "squirrel",
    "hippo",   "walrus", "pony",    "kitten",  "puppy",   "anchor",  "compass",  "postbox",
    "giraffe", "marble", "magnet",  "robot",   "puzzle",  "tunnel",  "window",   "feather",
    "shell",   "crown",  "glove",   "igloo",   "cabin",   "scooter", "volcano",  "tent",
    "balloon",
};
const size_t pairing_second_count = sizeof(pairing_second) / sizeof(pairing_second[0]);

/* A number uniform in [0, n), n > 0, from getrandom(2); rejection keeps it uniform. */
static int random_below(uint32_t n, uint32_t *out)
{
    uint32_t limit = UINT32_MAX - UINT32_MAX % n; /* draws at or above it would favour some */
    for (;;) {
        uint32_t r;
        ssize_t got = getrandom(&r, sizeof(r), 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if ((size_t)got != sizeof(r))
            continue;
        if (r < limit) {
            *out = r % n;
            return 0;
        }
    }
}

/*
 * A word whose describing word is at a place in pairing_first that is `half` (0 or 1) modulo
 * 2, or at any place (half < 0).
 */
static int word_new(int half, char out[PAIRING_WORD_MAX])
{
    uint32_t i = 0, j = 0;
    out[0] = '\0';
    uint32_t firsts = (uint32_t)pairing_first_count;
    if (half >= 0)
        firsts = (firsts - (uint32_t)half + 1) / 2;
    int rc = random_below(firsts, &i);
    if (rc == 0)
        rc = random_below((uint32_t)pairing_second_count, &j);
    if (rc != 0)
        return rc;
    if (half >= 0)
        i = 2 * i + (uint32_t)half;
    size_t a = strlen(pairing_first[i]), b = strlen(pairing_second[j]);
    memcpy(out, pairing_first[i], a);
    out[a] = ' ';
    memcpy(out + a + 1, pairing_second[j], b);
    out[a + 1 + b] = '\0';
    return 0;
}

int pairing_word_new(char out[PAIRING_WORD_MAX])
{
    return word_new(-1, out);
}

static bool in_list(const char *const *list, size_t count, const char *s, size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
            return true;
    return false;
}

bool pairing_word_known(const char *w)
{
    const char *sp = w ? strchr(w, ' ') : NULL;
    return sp && in_list(pairing_first, pairing_first_count, w, (size_t)(sp - w)) &&
           in_list(pairing_second, pairing_second_count, sp + 1, strlen(sp + 1));
}

/*
 * A single word that is two list words run together ("greenotter") gets its space back;
 * only an exact split of a first word then a second word counts, so nothing is guessed.
 */
static void split_run_together(char *w, size_t len)
{
    if (strchr(w, ' ') || len + 2 > PAIRING_WORD_MAX)
        return;
    for (size_t cut = 1; cut < len; cut++) {
        if (in_list(pairing_first, pairing_first_count, w, cut) &&
            in_list(pairing_second, pairing_second_count, w + cut, len - cut)) {
            memmove(w + cut + 1, w + cut, len - cut + 1);
            w[cut] = ' ';
            return;
        }
    }
}

int pairing_normalise(const char *s, size_t len, char out[PAIRING_WORD_MAX])
{
    size_t n = 0;
    bool gap = false;
    out[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
        if (!letter) {
            gap = n > 0;
            continue;
        }
        if (n + (gap ? 2 : 1) >= PAIRING_WORD_MAX) {
            out[0] = '\0';
            return -E2BIG;
        }
        if (gap)
            out[n++] = ' ';
        gap = false;
        out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
    }
    out[n] = '\0';
    if (n == 0)
        return -EINVAL;
    split_run_together(out, n);
    return 0;
}

/* s without its spaces, into out (which has room for PAIRING_WORD_MAX bytes). */
static size_t letters(const char *s, char *out)
{
    size_t n = 0;
    for (; *s && n + 1 < PAIRING_WORD_MAX; s++)
        if (*s != ' ')
            out[n++] = *s;
    out[n] = '\0';
    return n;
}

/*
 * The optimal string alignment distance between a and b, or cap when it is at least cap: an
 * edit is one letter replaced, added or removed, or two neighbouring letters swapped.
 */
static unsigned edits(const char *a, size_t m, const char *b, size_t n, unsigned cap)
{
    if (m >= n + cap || n >= m + cap)
        return cap;
    unsigned d[PAIRING_WORD_MAX + 1][PAIRING_WORD_MAX + 1];
    for (size_t i = 0; i <= m; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= n; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= m; i++) {
        for (size_t j = 1; j <= n; j++) {
            unsigned best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[m][n] < cap ? d[m][n] : cap;
}

bool pairing_same(const char *a, const char *b)
{
    char x[PAIRING_WORD_MAX], y[PAIRING_WORD_MAX];
    letters(a, x);
    letters(b, y);
    return strcmp(x, y) == 0;
}

/* True when a is "w1 w2" and b is "w2 w1" (each exactly two words). */
static bool swapped(const char *a, const char *b)
{
    const char *sa = strchr(a, ' '), *sb = strchr(b, ' ');
    if (!sa || !sb || strchr(sa + 1, ' ') || strchr(sb + 1, ' '))
        return false;
    size_t a1 = (size_t)(sa - a), b1 = (size_t)(sb - b);
    return strlen(sa + 1) == b1 && memcmp(sa + 1, b, b1) == 0 && strlen(sb + 1) == a1 &&
           memcmp(sb + 1, a, a1) == 0;
}

bool pairing_near(const char *a, const char *b)
{
    char x[PAIRING_WORD_MAX], y[PAIRING_WORD_MAX];
    size_t m = letters(a, x), n = letters(b, y);
    if (strcmp(x, y) == 0)
        return false;
    return edits(x, m, y, n, 2) == 1 || swapped(a, b);
}

/* True when a and b are at least three edits apart (spaces aside), and not a swap. */
static bool far_apart(const char *a, const char *b)
{
    char x[PAIRING_WORD_MAX], y[PAIRING_WORD_MAX];
    size_t m = letters(a, x), n = letters(b, y);
    return edits(x, m, y, n, 3) == 3 && !swapped(a, b);
}

int pairing_word_new_apart(enum pairing_source from, const char *const *taken, size_t n,
                           char out[PAIRING_WORD_MAX])
{
    int rc = 0;
    for (int tries = 0; tries < PAIRING_TRIES; tries++) {
        rc = word_new(from == PAIRING_ONLINE ? 1 : 0, out);
        if (rc != 0)
            return rc;
        size_t i = 0;
        while (i < n && (!taken[i] || far_apart(out, taken[i])))
            i++;
        if (i == n)
            return 0;
    }
    return rc; /* a crowded class: the last word drawn, which may pair with nobody */
}

static bool has_word(const struct pairing_answer *a)
{
    return a->word && a->word[0];
}

/* Marks reused[i] for every answer whose word is the same as, or near, another's. */
static void mark_reused(const struct pairing_answer *v, size_t n, bool *reused)
{
    for (size_t i = 0; i < n; i++) {
        if (!has_word(&v[i]))
            continue;
        for (size_t j = i + 1; j < n; j++) {
            if (has_word(&v[j]) &&
                (pairing_same(v[i].word, v[j].word) || pairing_near(v[i].word, v[j].word)))
                reused[i] = reused[j] = true;
        }
    }
}

/* No candidate: SIZE_MAX; more than one, or a reused one: SIZE_MAX - 1. */
#define NONE SIZE_MAX
#define AMBIGUOUS (SIZE_MAX - 1)

/* The one start answer that end word w goes with: exact matches first, then near misses. */
static size_t candidate(const char *w, const struct pairing_answer *start, size_t n_start,
                        const bool *start_reused, bool *exact)
{
    for (int pass = 0; pass < 2; pass++) {
        size_t found = NONE;
        for (size_t i = 0; i < n_start; i++) {
            if (!has_word(&start[i]))
                continue;
            bool hit = pass == 0 ? pairing_same(w, start[i].word) : pairing_near(w, start[i].word);
            if (!hit)
                continue;
            if (found != NONE || start_reused[i])
                return AMBIGUOUS;
            found = i;
        }
        if (found != NONE) {
            *exact = pass == 0;
            return found;
        }
    }
    return NONE;
}

size_t pairing_match(const struct pairing_answer *start, size_t n_start,
                     const struct pairing_answer *end, size_t n_end, struct pairing_pair *pairs)
{
    if (n_start == 0 || n_end == 0)
        return 0;
    bool *start_reused = xcalloc(n_start, sizeof(*start_reused));
    bool *end_reused = xcalloc(n_end, sizeof(*end_reused));
    size_t *claimed_by = xmalloc(n_start * sizeof(*claimed_by)); /* an end index, or NONE */
    size_t *claims = xcalloc(n_start, sizeof(*claims));
    bool *claim_exact = xcalloc(n_start, sizeof(*claim_exact));
    mark_reused(start, n_start, start_reused);
    mark_reused(end, n_end, end_reused);
    for (size_t i = 0; i < n_start; i++)
        claimed_by[i] = NONE;
    for (size_t j = 0; j < n_end; j++) {
        if (!has_word(&end[j]) || end_reused[j])
            continue;
        bool exact = false;
        size_t i = candidate(end[j].word, start, n_start, start_reused, &exact);
        if (i == NONE || i == AMBIGUOUS)
            continue;
        claims[i]++;
        claimed_by[i] = j;
        claim_exact[i] = exact;
    }
    size_t n = 0;
    for (size_t i = 0; i < n_start; i++) {
        if (claims[i] != 1)
            continue;
        pairs[n++] = (struct pairing_pair){
            .start_id = start[i].id,
            .end_id = end[claimed_by[i]].id,
            .exact = claim_exact[i],
        };
    }
    free(start_reused);
    free(end_reused);
    free(claimed_by);
    free(claims);
    free(claim_exact);
    return n;
}
