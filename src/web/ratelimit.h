/*
 * A rate limit per client, in memory only: each client (known by a keyed hash of its
 * address, never the address itself) has a bucket of `burst` turns that refills at `per_minute`
 * turns a minute. A fixed table, so a flood of addresses cannot grow memory; when the table is
 * full, the least recently seen client is forgotten. Safe to call from many threads.
 */
#ifndef PLANPACK_WEB_RATELIMIT_H
#define PLANPACK_WEB_RATELIMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define RATE_SLOTS 4096

struct rate_slot {
    uint64_t key;
    double tokens;
    long long last_ms;
};

struct rate_limit {
    pthread_mutex_t mu;
    unsigned per_minute; /* 0: no limit */
    unsigned burst;
    unsigned char hash_key[16];
    struct rate_slot slots[RATE_SLOTS];
};

/* Sets up r (caller-owned, usually static or in a larger struct); per_minute 0: no limit. */
void rate_init(struct rate_limit *r, unsigned per_minute, unsigned burst);
void rate_release(struct rate_limit *r);
/* Whether client may have one more turn at monotonic time now_ms; takes it if so. */
bool rate_take(struct rate_limit *r, const char *client, long long now_ms);

#endif
