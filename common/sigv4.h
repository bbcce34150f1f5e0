/*
 * sigv4.h - AWS Signature Version 4 for S3-compatible object stores.
 *
 * Pure: builds the canonical request, the string to sign and the
 * Authorization header from a request description; no I/O, no clock (the
 * caller passes the time).  SHA-256 and HMAC come from OpenSSL's libcrypto.
 * S3 rules: the path is URI-encoded once, segment by segment ('/' kept, no
 * dot-segment normalisation); query parameters are encoded (RFC 3986
 * unreserved characters kept), sorted by name then value, and a parameter
 * without a value (`?uploads`) is signed as `uploads=`.  The signed headers
 * are host, x-amz-date, x-amz-security-token (when a session token is
 * given) and every header the caller lists (names lower-cased, values
 * trimmed with inner runs of spaces folded, repeated names joined by ',').
 * Secrets are only ever read: nothing here logs or keeps them.
 * Thread-safe (no state).
 */
#ifndef CS_SIGV4_H
#define CS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "common/buf.h"
#include "common/error.h"

struct cs_sigv4_creds {
    const char *access_key;
    const char *secret_key;
    const char *session_token; /* NULL or "" when none */
};

struct cs_sigv4_param {
    const char *name;  /* unencoded */
    const char *value; /* unencoded; NULL = no value (`?uploads`) */
};

struct cs_sigv4_request {
    const char *method; /* "GET", "PUT", ... */
    const char *host;   /* Host header value, with ":port" if not default */
    const char *path;   /* unencoded, starts with '/' */
    const struct cs_sigv4_param *params;
    size_t nparams;
    const char *const *headers; /* extra "Name: value" lines to sign */
    size_t nheaders;
    const char *payload_hash; /* lower-case hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
    const char *region;       /* "us-east-1" */
    const char *service;      /* "s3" */
    time_t when;              /* request time (UTC) */
};

struct cs_sigv4_result {
    struct cs_buf canonical; /* the canonical request (for tests and debugging) */
    struct cs_buf string_to_sign;
    struct cs_buf authorization; /* the Authorization header's value */
    struct cs_buf amz_date;      /* x-amz-date value, YYYYMMDDTHHMMSSZ */
    struct cs_buf query;         /* the encoded query string to send (no '?') */
    struct cs_buf path;          /* the encoded path to send */
};

/* Sign REQ with CREDS into OUT (initialised here; release with
 * cs_sigv4_result_release).  0, or -1 with ERR (bad input, out of memory,
 * libcrypto failure). */
int cs_sigv4_sign(const struct cs_sigv4_request *req, const struct cs_sigv4_creds *creds,
                  struct cs_sigv4_result *out, struct cs_error *err);
void cs_sigv4_result_release(struct cs_sigv4_result *r);

/* Lower-case hex SHA-256 of LEN bytes at DATA into HEX (65 bytes). */
int cs_sigv4_sha256_hex(const void *data, size_t len, char hex[65]);
/* RFC 3986 encoding as SigV4 wants it: unreserved kept, others %XX
 * (upper-case); '/' kept when KEEP_SLASH. */
void cs_sigv4_uri_encode(struct cs_buf *b, const char *s, size_t len, int keep_slash);

#endif
