/*
 * libpq, loaded at run time (see below); its functions are called as pq.PQexec() and so
 * on. Not for use outside src/store.
 */
#ifndef PLANPACK_STORE_PQ_H
#define PLANPACK_STORE_PQ_H

#include <libpq-fe.h>
#include <stddef.h>

/*
 * libpq is loaded when a postgres:// store is first opened, not linked: a server that keeps
 * its feedback in SQLite (most schools) then never maps libpq and the TLS, Kerberos and
 * LDAP libraries it brings, which would add megabytes to every process's memory. The
 * pointers have the types of libpq-fe.h, so every call is checked as if it were direct.
 */
#define PQ_FUNCTIONS(X)                                                                            \
    X(PQclear)                                                                                     \
    X(PQcmdTuples)                                                                                 \
    X(PQconnectdbParams)                                                                           \
    X(PQconninfoFree)                                                                              \
    X(PQconninfoParse)                                                                             \
    X(PQerrorMessage)                                                                              \
    X(PQexec)                                                                                      \
    X(PQexecParams)                                                                                \
    X(PQexecPrepared)                                                                              \
    X(PQfinish)                                                                                    \
    X(PQgetResult)                                                                                 \
    X(PQgetisnull)                                                                                 \
    X(PQgetlength)                                                                                 \
    X(PQgetvalue)                                                                                  \
    X(PQnfields)                                                                                   \
    X(PQntuples)                                                                                   \
    X(PQprepare)                                                                                   \
    X(PQresultErrorField)                                                                          \
    X(PQresultErrorMessage)                                                                        \
    X(PQresultStatus)                                                                              \
    X(PQstatus)                                                                                    \
    X(PQtransactionStatus)

struct pq_api {
/* f names a declaration here, which parentheses would break. */
#define PQ_POINTER(f) __typeof__(f) *f; // NOLINT(bugprone-macro-parentheses)
    PQ_FUNCTIONS(PQ_POINTER)
#undef PQ_POINTER
};

/* The functions, once pq_load() has succeeded. */
extern struct pq_api pq;

/* Loads libpq once per process. Returns 0, or -1 with the reason in err. */
__attribute__((warn_unused_result)) int pq_load(char *err, size_t err_len);

#endif
