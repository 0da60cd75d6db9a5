/*
 * Inside the HTTP server: the types that web/server.c (libmicrohttpd's callbacks, the
 * connections, running and draining), web/responses.c (the responses made once for each
 * generation of the site, error pages included), web/pool.c (threads for slow work) and
 * web/routes.c (the route table and what each route answers) share. Nothing outside
 * these four files includes this header.
 */
#ifndef PLANPACK_WEB_SERVER_INTERNAL_H
#define PLANPACK_WEB_SERVER_INTERNAL_H

#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <microhttpd.h>

#include "base/buf.h"
#include "site/site.h"
#include "web/accesslog.h"
#include "web/brotli.h"
#include "web/ratelimit.h"
#include "web/server.h"
#include "web/status.h"

/* Pupil forms are small; anything larger is refused with 413 and not kept. */
#define WEB_BODY_MAX ((size_t)16 * 1024)
/*
 * A larger body up to this size is read and dropped before the 413 goes out, so that the
 * client sees the page that explains it (a response sent while the client is still sending
 * ends in a reset, which browsers show as a failed connection). A body declared larger is
 * answered at once and the connection closed; one that turns out larger is cut off.
 */
#define WEB_DISCARD_MAX (64 * WEB_BODY_MAX)
/* The longest language folder of a site ("/cy/", "/pt-BR/"): a BCP 47 tag, at most this long. */
#define WEB_LANG_MAX 35
/* A rendered plan page is a few tens of KiB; this only bounds a renderer gone wrong. */
#define WEB_PLAN_PAGE_MAX ((size_t)4 << 20)
/*
 * Per-connection memory in libmicrohttpd holds the request line, the headers, the read
 * buffer and the response's headers, so it is also the cap on header size. Cookies count
 * twice (libmicrohttpd takes them apart in the same memory), and a browser sends every
 * cookie of the domain with a staff request, so 16 KiB: a real browser's headers with 4 KiB
 * of cookies fit (tests/http/requests.test.mjs); larger get 431, or a closed connection
 * when the answer's own headers no longer fit. 1,000 idle keep-alive connections hold
 * about 16 MiB this way: bench/serve measured a peak of 26 MiB with 1,000 connections open
 * (15 MiB with the 5 KiB used before) and the same CPU time per request.
 */
#define WEB_CONNECTION_MEMORY ((size_t)16 * 1024)
/*
 * Threads that check pupils' answers against their class's survey (which reads the store)
 * and hand them to the store's writer, when reading the store is a round trip to a database
 * server; with a SQLite file the answering threads do it themselves, which spares two
 * thread switches per answer. None waits for a commit: the writer resumes each connection
 * once its answer is durable, and its group commit puts every answer waiting into one
 * transaction.
 */
#define WEB_FEEDBACK_THREADS 4
#define WEB_FEEDBACK_STACK ((size_t)256 * 1024)
/*
 * Threads that judge staff sign-ins: each attempt is an argon2id hash (64 MiB, about
 * 150 ms of a core), which must never run on a thread that serves pupils. Two bound both
 * the cores and the memory that sign-ins can take, however many arrive at once.
 */
#define WEB_SIGNIN_THREADS 2
#define WEB_POOL_THREADS_MAX 4
/*
 * Responses a thread sends between two sched_yield() calls. Under sustained load a thread
 * always finds another request ready and would keep its core for a whole scheduler slice,
 * several milliseconds; whatever else runs on that core (the proxy in front, the database,
 * other services) waits that long, and so does every request passing through it. 64
 * responses are about half a millisecond of work; with nothing else waiting to run, the
 * call returns at once.
 */
#define WEB_YIELD_EVERY 64u
#define WEB_MAX_CONNECTIONS 1024u
/*
 * Connections one client address may hold, unless told: 256 (a school's pupils share one
 * address, and each browser opens several), but never more than a quarter of all, and at
 * least 8, so that slow connections from one address cannot take every slot (past the
 * total, new connections wait unanswered until one ends, up to the timeout).
 */
#define WEB_PER_CLIENT 256u
#define WEB_PER_CLIENT_SHARE 4u
#define WEB_PER_CLIENT_MIN 8u
/* Seconds of silence after which a connection is closed; it ends idle and slow clients. */
#define WEB_TIMEOUT 15u
/* How long a graceful shutdown waits for requests in flight before it stops anyway. */
#define WEB_DRAIN_SECONDS 10
/* The main thread's tick: the longest an access log line waits in its thread's buffer. */
#define WEB_TICK_MS 250
/* How often connections are checked against their deadline. */
#define WEB_REAP_MS 500
/* --watch reloads once files have been quiet this long, or this long after the first change. */
#define WEB_SETTLE_MS 150
#define WEB_SETTLE_MAX_MS 2000
/*
 * Where authors on the serving computer see the package's errors under --watch. Page ids
 * cannot hold '_', so no package page can take this address.
 */
#define WEB_PROBLEMS_PATH "/_problems"
/* The author's error page lists at most this many problems. */
#define WEB_PROBLEMS_MAX 200

/*
 * Sent only when a TLS proxy is in front (--behind-tls). No includeSubDomains: other hosts
 * of a school's domain may not have TLS, and that is not this server's decision.
 */
#define HSTS_VALUE "max-age=31536000"

#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"
#define CACHE_REVALIDATE "no-cache"
#define CACHE_NEVER "no-store"
#define TYPE_HTML "text/html; charset=utf-8"
#define TYPE_TEXT "text/plain; charset=utf-8"
#define ALLOW_GET "GET, HEAD"
#define ALLOW_POST "GET, HEAD, POST"

/* The encodings of a file, in the order of preference when the client accepts several. */
enum enc { ENC_IDENTITY, ENC_GZIP, ENC_BR, ENC_COUNT };

/*
 * One response as it is sent normally and as it is sent while the server shuts down. Both
 * share the body, which belongs to the generation.
 */
struct reply {
    struct MHD_Response *keep;
    struct MHD_Response *close;
    size_t len; /* body bytes, for the access log */
};

/* One encoding of one file: its full response, its 304, and the ETag both carry. */
struct variant {
    struct reply full; /* full.keep is NULL when the file is not offered in this encoding */
    struct reply not_modified;
    char etag[40];
};

struct entry {
    const struct site_file *file;
    struct variant v[ENC_COUNT];
    struct brotli_form br; /* owned */
};

/* The server's own pages, and the 404 page in each encoding. */
enum fixed {
    R_HEALTHZ,
    R_METHOD_GET,  /* 405 for resources that only allow GET and HEAD */
    R_METHOD_POST, /* 405 for resources that also take POST */
    R_TOO_LARGE,
    R_BAD_TYPE,
    R_BAD_REQUEST,
    R_BAD_FORM, /* five of them: one for each form_decode() error */
    R_INTERNAL = R_BAD_FORM + 5,
    R_PROBLEMS,  /* the author's error page (WEB_PROBLEMS_PATH), with or without problems */
    R_NOT_FOUND, /* one for each encoding */
    R_FIXED_COUNT = R_NOT_FOUND + ENC_COUNT,
};

struct server;
struct job;

/*
 * Threads that do a request's slow work while its connection is suspended, so that the
 * threads answering requests never wait: checking pupils' answers against a database
 * server, and judging staff sign-ins. Jobs run in the order queued, each once its
 * not_before time has come.
 */
struct pool {
    struct server *srv;
    pthread_mutex_t mu;
    pthread_cond_t work;
    struct job *head, *tail;
    pthread_cond_t back; /* away fell to 0 */
    size_t away;         /* jobs handed on (answers to the store's writer) and not yet back */
    bool stop;
    size_t started;
    pthread_t threads[WEB_POOL_THREADS_MAX];
};

/*
 * The server's own pages for a pupil (R_METHOD_GET up to R_INTERNAL) in one other language
 * of the site, served for addresses in its folder (/cy/...).
 */
struct gen_lang {
    const struct site *site;
    struct reply fixed[R_PROBLEMS];
    char *pages; /* their bodies, one allocation */
};

/* A site and every response made from it. */
struct gen {
    struct server *srv;
    const struct site *site; /* NULL while the package has problems */
    void *owner;             /* given back to the release callback; NULL when borrowed */
    atomic_long refs;        /* one for each live response, one while the generation is current */
    struct entry *entries;
    size_t entry_count;
    const struct entry **by_file; /* entries sorted by site_file address, for lookup */
    struct reply fixed[R_FIXED_COUNT];
    char *pages;            /* the bodies of the server's own pages, one allocation */
    struct gen_lang *langs; /* the site's other languages, in the package's order */
    size_t lang_count;
};

/*
 * A connection, tracked from its start to its end so that one whose request does not
 * arrive in time can be ended: libmicrohttpd's own timeout is reset by every byte, so a
 * client that dribbles a header would otherwise hold its connection for ever.
 */
struct conn {
    struct conn *prev, *next;
    int fd;
    atomic_llong deadline; /* monotonic ms by which the request must be in; 0 when none */
    atomic_bool busy;      /* a request has begun and not yet ended, for a graceful stop */
};

struct server {
    struct gen *gen; /* the current generation */
    /*
     * With --watch, after a reload that failed: a generation without a site whose
     * R_PROBLEMS page lists the errors, for authors at WEB_PROBLEMS_PATH, while gen (the
     * last version that worked) goes on being served; NULL once a reload works.
     */
    struct gen *broken;
    bool watching;         /* the generation can change: take lock to read gen */
    pthread_rwlock_t lock; /* readers: requests; writer: a reload swapping gen */
    bool quiet;
    bool hsts;
    char proxy[INET6_ADDRSTRLEN]; /* the trusted proxy's address, or "" */
    const struct web_options *opt;
    long long timeout_ms;
    atomic_bool closing;
    pthread_mutex_t conns_lock;
    struct conn *conns;
    struct access_log log;
    struct rate_limit answers; /* answers per client address */
    struct pool fb;            /* checking answers, when reading the store is a round trip */
    struct pool signin;        /* judging staff sign-ins */
};

/*
 * One request's slow work, done on a pool thread while its connection is suspended: run()
 * takes one step, and either queues the job again (pool_push() with a later not_before)
 * or ends with job_done(), which resumes the connection; libmicrohttpd then calls the
 * handler again, which sends the page.
 */
struct job {
    struct job *next;
    struct MHD_Connection *c;
    struct gen *g;        /* a reference, given back when the job is freed */
    struct buf *page;     /* the page to send, once made */
    unsigned status;      /* its HTTP status, once made */
    long long not_before; /* monotonic ms; no thread runs the job before */
    void (*run)(struct server *srv, struct job *j);
    void (*release)(struct job *j); /* frees what the kind of job holds; may be NULL */
    atomic_bool done;
};

/* The state of a request that has a body. */
struct upload {
    struct buf body; /* kept only for POST /plan, /feedback and /staff/ */
    size_t total;
    size_t max; /* the largest body its route takes */
    bool keep;
    bool too_large;
    struct job *job; /* POST /feedback or /staff/login, while its connection is suspended */
};

/* Header name and value pairs for reply_init(); a NULL name ends the list. */
struct header {
    const char *name;
    const char *value;
};

/* ---- server.c: the clock, requests and sending ---- */

/*
 * Markers for requests that need no state of their own, so that the common case (a GET
 * without a body) allocates nothing.
 */
extern char mark_no_body;
extern char mark_answered;

long long now_ms(void);
void upload_free(struct upload *u);
void log_request(struct server *srv, const char *method, const char *url, unsigned status,
                 size_t bytes);
/* Queues a response made once (owned by its generation) with status. */
enum MHD_Result send_reply(struct server *srv, struct MHD_Connection *c, const char *method,
                           const char *url, unsigned status, const struct reply *r);
/* A site file, in the encoding the client prefers, or its 304. */
enum MHD_Result send_file(struct server *srv, struct MHD_Connection *c, const char *method,
                          const char *url, const struct entry *e);
enum MHD_Result send_not_found(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                               const char *method, const char *url);
/* A page to make for one request, of max bytes at most; the caller's, freed by
 * made_page_free() or handed to send_made(). */
struct buf *made_page_new(size_t max);
/* Frees a page made for one request (a struct buf *), wiping it first. */
void made_page_free(void *cls);
/*
 * Sends a page made for this one request with status and headers. Takes page: it is wiped
 * and freed once sent, or on failure; a page that overflowed gets the 500 page instead.
 */
enum MHD_Result send_made(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                          const char *method, const char *url, unsigned status, struct buf *page,
                          const struct header *headers);

/* ---- responses.c: a generation and the responses made once ---- */

/* The headers of a page made for one visitor (a plan, an answer's page): never cached. */
extern const struct header private_page[];

/*
 * Makes a generation from a site (owner is released with it; NULL when the site is
 * borrowed) or, when site is NULL, from the problems that kept a site from being made.
 * Returns NULL when the responses cannot be created; owner is released then too.
 */
struct gen *gen_new(struct server *srv, const struct site *site, void *owner, const char *problems);
/* Lets go of the generation's responses; it is freed when its last response is. */
void gen_retire(struct gen *g);
void gen_unref(struct gen *g);
/*
 * The server's own page which in the language of the address url ("/cy/plan": Welsh), for
 * a page that exists in each language; otherwise (or for any other page) the one in g.
 */
const struct reply *gen_fixed(const struct gen *g, const char *url, enum fixed which);

/* The responses of a site file, or NULL. Borrowed from g. */
const struct entry *entry_for(const struct gen *g, const struct site_file *f);
/* Adds the security headers, then headers (NULL values skipped). Returns false on failure. */
bool add_headers(const struct server *srv, struct MHD_Response *r, const struct header *headers,
                 bool close);
/* The processors online, from 1 to 64. */
unsigned thread_count(void);

/* ---- pool.c: slow work off the event loop ---- */

/* A new job for connection c on generation g, with a page of at most page_max bytes. */
void job_init(struct job *j, struct MHD_Connection *c, const struct gen *g, size_t page_max,
              void (*run)(struct server *, struct job *));
void job_free(struct job *j);
/* The job is done: libmicrohttpd calls its handler again, and the job is the request's. */
void job_done(struct job *j);
void pool_push(struct pool *p, struct job *j);
void pool_init(struct pool *p, struct server *srv);
void pool_release(struct pool *p);
/* Starts n threads (at most WEB_POOL_THREADS_MAX). */
void pool_start(struct pool *p, size_t n);
/* Lets the threads finish every queued job, ends them, and waits for jobs handed on. */
void pool_stop(struct pool *p);

/* ---- routes.c: what each address answers ---- */

/*
 * Route i's address without its leading '/' ("healthz", "staff/") into out, and in *page
 * whether a package page shares that address; false past the last route.
 */
bool route_name(size_t i, char *out, size_t size, bool *page);
/* Whether a POST to url is a form: the plan, feedback, and the staff pages. */
bool takes_form(const char *url);
/* The largest request body that url takes. */
size_t route_body_max(const char *url);
/* Answers a request whose headers and body have all arrived. */
enum MHD_Result dispatch(struct server *srv, const struct gen *g, struct MHD_Connection *c,
                         const char *url, const char *method, struct upload *u);

#endif
