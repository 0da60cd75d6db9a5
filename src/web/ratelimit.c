#include "web/ratelimit.h"

#include <sodium.h>
#include <string.h>

void rate_init(struct rate_limit *r, unsigned per_minute, unsigned burst)
{
    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    r->per_minute = per_minute;
    r->burst = burst ? burst : 1;
    if (sodium_init() >= 0)
        randombytes_buf(r->hash_key, sizeof(r->hash_key));
}

void rate_release(struct rate_limit *r)
{
    if (r)
        pthread_mutex_destroy(&r->mu);
}

bool rate_take(struct rate_limit *r, const char *client, long long now_ms)
{
    if (!r->per_minute)
        return true;
    uint64_t key;
    crypto_shorthash((unsigned char *)&key, (const unsigned char *)client, strlen(client),
                     r->hash_key);
    key |= 1; /* 0 marks an empty slot */
    enum { WAYS = 8 };
    size_t base = (size_t)(key % (RATE_SLOTS / WAYS)) * WAYS;
    pthread_mutex_lock(&r->mu);
    struct rate_slot *sl = NULL, *victim = &r->slots[base];
    for (size_t i = base; i < base + WAYS && !sl; i++) {
        if (r->slots[i].key == key)
            sl = &r->slots[i];
        else if (r->slots[i].last_ms < victim->last_ms)
            victim = &r->slots[i];
    }
    if (!sl) {
        sl = victim;
        sl->key = key;
        sl->tokens = r->burst;
        sl->last_ms = now_ms;
    }
    double refill = (double)(now_ms - sl->last_ms) * r->per_minute / 60000.0;
    sl->tokens = sl->tokens + refill > r->burst ? r->burst : sl->tokens + refill;
    sl->last_ms = now_ms;
    bool ok = sl->tokens >= 1.0;
    if (ok)
        sl->tokens -= 1.0;
    pthread_mutex_unlock(&r->mu);
    return ok;
}
