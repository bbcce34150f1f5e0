/*
 * error.h - the one error type of csdump/csload.
 *
 * Fallible functions return 0 on success and a negative value on failure,
 * filling a caller-owned struct cs_error.  The message names the object
 * (schema.table, chunk file, server) and, where possible, what to do next.
 * The struct is plain data: no allocation, no release needed.  Not shared
 * between threads: each thread fills its own and the first error wins at
 * the coordinator (see cs_error_copy()).
 */
#ifndef CS_ERROR_H
#define CS_ERROR_H

#include <stddef.h>

enum cs_severity {
    CS_SEV_NONE = 0,
    CS_SEV_WARNING, /* continue */
    CS_SEV_FAILED,  /* this chunk / table failed */
    CS_SEV_FATAL,   /* snapshot or output compromised: stop everything */
};

enum cs_errcode {
    CS_OK = 0,
    CS_ERR_USAGE,        /* bad options or arguments */
    CS_ERR_IO,           /* file system */
    CS_ERR_NOMEM,        /* allocation failed */
    CS_ERR_SERVER,       /* the server answered with an error */
    CS_ERR_CONN_LOST,    /* connection dropped (transient, retryable) */
    CS_ERR_FORMAT,       /* garbled input file */
    CS_ERR_VERSION,      /* format version we do not understand */
    CS_ERR_MISSING,      /* a file the manifest lists is missing */
    CS_ERR_TRUNCATED,    /* a file ends early */
    CS_ERR_CHECKSUM,     /* hash or data checksum mismatch */
    CS_ERR_EXTRA,        /* a file no manifest accounts for */
    CS_ERR_HOSTILE,      /* refused input (paths, links, sizes) */
    CS_ERR_LOCK,         /* could not take or hold a lock in time */
    CS_ERR_INCONSISTENT, /* no proof of a consistent snapshot */
    CS_ERR_CANCELLED,    /* interrupted by a signal or another failure */
    CS_ERR_INTERNAL,     /* a bug */
};

#define CS_ERROR_MSG_MAX 1024

struct cs_error {
    int code;                /* enum cs_errcode */
    enum cs_severity severity;
    int sys_errno;           /* errno, 0 if none */
    unsigned server_errno;   /* server error number, 0 if none */
    char sqlstate[6];        /* "" if none */
    char msg[CS_ERROR_MSG_MAX];
};

void cs_error_clear(struct cs_error *e);

/* Set code + message (printf style); severity CS_SEV_FAILED. Returns -1. */
int cs_error_set(struct cs_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like cs_error_set, appends ": strerror(errnum)" and records errnum. */
int cs_error_sys(struct cs_error *e, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prepend "context: " to the message already set. Returns -1. */
int cs_error_prefix(struct cs_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Raise the severity (never lowers it). Returns -1. */
int cs_error_escalate(struct cs_error *e, enum cs_severity sev);
/* 1 when the work that failed with E may be redone elsewhere: a lost
 * connection, and nothing made the error fatal (output or snapshot
 * compromised).  The one retry rule of csdump's workers. */
int cs_error_retryable(const struct cs_error *e);

int cs_error_is_set(const struct cs_error *e);
void cs_error_copy(struct cs_error *dst, const struct cs_error *src);
const char *cs_error_code_name(int code);

/* A cancel flag (the tools' signal flag, set with an atomic store by the
 * handler) read from any thread: 1 once set.  NULL is never set. */
static inline int cs_cancelled(const volatile int *flag)
{
    return flag && __atomic_load_n(flag, __ATOMIC_RELAXED);
}

#endif
