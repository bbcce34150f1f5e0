/*
 * s3.h - a small client for S3-compatible object stores: transport only.
 *
 * Requests go through libcurl (one multi handle per request, so a transfer
 * can be cancelled and bounded in time while it runs) and are signed with
 * common/sigv4 (every payload with its real SHA-256 in x-amz-content-sha256,
 * so the store checks it).  Operations: PUT object, multipart upload
 * (create / part / complete / abort), GET (whole small objects and ranges;
 * a range whose body breaks off is asked again from the byte it reached),
 * HEAD, ListObjectsV2 (every page), DELETE.
 *
 * Retries: jittered exponential backoff ("full jitter": a random delay
 * below min(cap, base * 2^attempt)) on 5xx, 429, SlowDown/RequestTimeout
 * codes, connection resets, timeouts and bodies shorter than announced;
 * bounded by --s3-retries attempts and --s3-retry-time seconds in all, each
 * retry logged as a warning.  A permanent answer (403, 404, NoSuchBucket,
 * SignatureDoesNotMatch, a TLS verification failure, ...) fails at once with
 * a message naming s3://bucket/key and what to check.  A missing object is
 * CS_ERR_MISSING; a cancelled request CS_ERR_CANCELLED.
 *
 * Settings are found the way AWS tools find them (cs_s3_settings_resolve):
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the
 * profile AWS_PROFILE (or "default") of AWS_SHARED_CREDENTIALS_FILE
 * (~/.aws/credentials) and AWS_CONFIG_FILE (~/.aws/config); the region from
 * AWS_REGION, AWS_DEFAULT_REGION or the profile's `region` (else
 * us-east-1); the endpoint from --s3-endpoint, AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL or the profile's `endpoint_url` (else AWS's regional
 * endpoint, virtual-hosted unless --s3-path-style).  Secrets are only kept
 * in memory and sent signed: no message here contains them.
 *
 * Threads: a struct cs_s3 is immutable after cs_s3_new() apart from a pool
 * of idle transfer handles (taken and given back under a mutex: a handle and
 * its open connections are used by one thread at a time, as libcurl wants)
 * and the DNS and TLS-session caches they share under locks: every
 * operation may be called from several threads at once.  curl_global_init() must have run
 * (cs_s3_global_init from main(), before any thread starts).
 */
#ifndef CS_S3_H
#define CS_S3_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/log.h"

#define CS_S3_MIN_PART (5ull << 20)      /* S3's smallest non-final part */
#define CS_S3_DEFAULT_PART (16ull << 20) /* --s3-part-size default */
#define CS_S3_MAX_PARTS 10000u

/* Command-line knobs; cs_s3_options_init() sets the defaults. */
struct cs_s3_options {
    const char *endpoint;     /* --s3-endpoint URL; NULL = from the environment */
    int path_style;           /* --s3-path-style: https://host/bucket/key */
    const char *ca_file;      /* --s3-ca: PEM bundle to verify the store's certificate */
    uint64_t part_size;       /* --s3-part-size */
    unsigned parts_in_flight; /* part uploads running at once per object */
    unsigned retries;         /* --s3-retries: attempts after the first */
    double retry_seconds;     /* --s3-retry-time: all attempts of one request */
    unsigned stall_seconds;   /* a transfer moving no byte this long is a timeout */
    double backoff_base_ms;   /* first retry's delay bound */
    double backoff_cap_ms;    /* largest delay bound */
};

void cs_s3_options_init(struct cs_s3_options *o);

/* The S3 options both tools take (getopt_long entries; <getopt.h> needed). */
enum cs_s3_opt {
    CS_S3_OPT_ENDPOINT = 0x1400,
    CS_S3_OPT_PATH_STYLE,
    CS_S3_OPT_CA,
    CS_S3_OPT_PART_SIZE,
    CS_S3_OPT_RETRIES,
    CS_S3_OPT_RETRY_TIME,
};
#define CS_S3_LONG_OPTIONS                                                                         \
    {"s3-endpoint", required_argument, NULL, CS_S3_OPT_ENDPOINT},                                  \
        {"s3-path-style", no_argument, NULL, CS_S3_OPT_PATH_STYLE},                                \
        {"s3-ca", required_argument, NULL, CS_S3_OPT_CA},                                          \
        {"s3-part-size", required_argument, NULL, CS_S3_OPT_PART_SIZE},                            \
        {"s3-retries", required_argument, NULL, CS_S3_OPT_RETRIES},                                \
    {                                                                                              \
        "s3-retry-time", required_argument, NULL, CS_S3_OPT_RETRY_TIME                             \
    }
/* The --help lines for them. */
#define CS_S3_HELP                                                                                 \
    "S3 (s3://BUCKET/PREFIX; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n"           \
    "    or AWS_PROFILE and ~/.aws, region from AWS_REGION or the profile):\n"                     \
    "      --s3-endpoint=URL     an S3-compatible store (else AWS_ENDPOINT_URL, the\n"             \
    "                            profile's endpoint_url, or AWS)\n"                                \
    "      --s3-path-style       https://HOST/BUCKET/KEY URLs (most S3-compatible stores)\n"       \
    "      --s3-ca=FILE          CA certificates (PEM) to verify the store with\n"                 \
    "      --s3-part-size=SIZE   multipart upload part size, >= 5M (default 16M)\n"                \
    "      --s3-retries=N        retries of a failed request (default 8)\n"                        \
    "      --s3-retry-time=SEC   time all attempts of one request may take (default 300)\n"
/* 1 = OPT is not an S3 option, 0 = taken into O, -1 = a bad value (ERR). */
int cs_s3_option_parse(struct cs_s3_options *o, int opt, const char *arg, struct cs_error *err);

/* What cs_s3_settings_resolve found; every string malloc'd (or NULL). */
struct cs_s3_settings {
    char *access_key;
    char *secret_key;
    char *session_token; /* NULL when none */
    char *region;
    char *endpoint;    /* "http[s]://host[:port]" without a trailing '/'; NULL = AWS */
    char *cred_source; /* for messages: "AWS_ACCESS_KEY_ID", "profile 'x' (FILE)" */
};

/* ENV: NULL-terminated "NAME=value" strings (environ); files are looked for
 * under its HOME.  A half-given key pair, an unknown explicit profile or no
 * credentials at all is CS_ERR_USAGE saying what to set. */
int cs_s3_settings_resolve(const struct cs_s3_options *o, char *const *env,
                           struct cs_s3_settings *out, struct cs_error *err);
void cs_s3_settings_release(struct cs_s3_settings *s);

/* "s3://BUCKET[/KEY]": 1 when S starts with s3://. */
int cs_s3_is_url(const char *s);
/* Splits URL; *bucket and *key malloc'd (*key "" when none, no leading '/').
 * CS_ERR_USAGE for an empty or invalid bucket name. */
int cs_s3_url_parse(const char *url, char **bucket, char **key, struct cs_error *err);

/* The size of multipart part PART (1-based) for --s3-part-size BASE: BASE
 * for the first 1000 parts, then doubled every 1000 parts up to S3's 5 GiB,
 * so 10,000 parts hold S3's largest object (5 TiB) from BASE = 16 MiB and
 * an object costs memory by its part size only once it passes 16 GiB. */
#define CS_S3_MAX_PART (5ull << 30)
#define CS_S3_PARTS_PER_STEP 1000u
uint64_t cs_s3_part_size(uint64_t base, unsigned part);

/* Classification of one attempt's outcome (pure; exposed for tests). */
enum cs_s3_verdict { CS_S3_DONE = 0, CS_S3_RETRY, CS_S3_PERMANENT };
/* STATUS: HTTP status (0 = no answer); CURL_CODE: CURLcode of the transfer;
 * CODE: the S3 error code from the body ("" when none). */
enum cs_s3_verdict cs_s3_classify(long status, int curl_code, const char *code);
/* The delay bound before retry ATTEMPT (1 = the first retry), in ms, and
 * the jittered delay drawn below it with RND in [0,1). */
double cs_s3_backoff_ms(const struct cs_s3_options *o, unsigned attempt, double rnd);

/* One attempt as the transport sees it (a seam: tests inject a fake). */
struct cs_s3_http {
    const char *method;
    const char *url;
    const char *const *headers; /* "Name: value" lines, signed ones included */
    size_t nheaders;
    const void *body;
    size_t body_len;
    int head;            /* HEAD: no body expected */
    int no_cancel;       /* the cancel flag does not stop it */
    struct cs_buf *resp; /* a 2xx answer's body is appended here (may be NULL) */
    size_t resp_max;     /* beyond this the body is not kept (0 = no limit) */
    uint64_t want_start; /* a ranged GET's first byte asked for; UINT64_MAX = none */
    long timeout_ms;     /* what is left of --s3-retry-time for this attempt */
    /* filled by the transport */
    long status;   /* 0 when no answer came */
    int curl_code; /* CURLE_OK or the transfer's failure */
    char curl_msg[256];
    struct cs_buf err_body;  /* any other answer's body (the S3 error XML) */
    char etag[130];          /* ETag header, quotes kept */
    uint64_t content_length; /* Content-Length header, or UINT64_MAX */
    uint64_t object_size;    /* the size in Content-Range, or UINT64_MAX */
    uint64_t range_start;    /* the first byte in Content-Range, or UINT64_MAX */
    int resent;              /* it may have gone out twice: curl resends a request whose
                              * reused connection died, over a new one */
};
typedef int (*cs_s3_transport_fn)(void *ctx, struct cs_s3_http *h);

struct cs_s3;

/* A client for BUCKET with settings S (copied).  LOG and CANCEL (set by a
 * signal handler; may be NULL) are lent and must outlive the client. */
struct cs_s3 *cs_s3_new(const struct cs_s3_options *o, const struct cs_s3_settings *s,
                        const char *bucket, const struct cs_log *log, const volatile int *cancel,
                        struct cs_error *err);
void cs_s3_free(struct cs_s3 *c); /* NULL-safe */
/* A client for URL's bucket with settings resolved from OPTS and environ;
 * *key gets URL's key (malloc'd). */
struct cs_s3 *cs_s3_open_url(const char *url, const struct cs_s3_options *opts,
                             const struct cs_log *log, const volatile int *cancel, char **key,
                             struct cs_error *err);
/* The same for URL s3://BUCKET/PREFIX naming a "directory": *prefix gets
 * PREFIX with one '/' at its end, or "" for the bucket's top (malloc'd). */
struct cs_s3 *cs_s3_open_prefix(const char *url, const struct cs_s3_options *opts,
                                const struct cs_log *log, const volatile int *cancel,
                                char **prefix, struct cs_error *err);
/* Tests: replace libcurl with FN (before any request). */
void cs_s3_set_transport(struct cs_s3 *c, cs_s3_transport_fn fn, void *ctx);
const char *cs_s3_bucket(const struct cs_s3 *c);
const struct cs_s3_options *cs_s3_opts(const struct cs_s3 *c);

int cs_s3_global_init(struct cs_error *err); /* from main(), before threads */
void cs_s3_global_cleanup(void);

/* ---- operations (KEY: the object's key, no leading '/') ---------------- */

int cs_s3_put(struct cs_s3 *c, const char *key, const void *data, size_t len, struct cs_error *err);
/* *size set; CS_ERR_MISSING when there is no such object. ETAG may be NULL. */
int cs_s3_head(struct cs_s3 *c, const char *key, uint64_t *size, char etag[130],
               struct cs_error *err);
int cs_s3_delete(struct cs_s3 *c, const char *key, struct cs_error *err);
/* The whole object into OUT (appended); more than MAX bytes is CS_ERR_FORMAT. */
int cs_s3_get(struct cs_s3 *c, const char *key, size_t max, struct cs_buf *out,
              struct cs_error *err);
/* Bytes [OFF, OFF+LEN) appended to OUT; fewer only at the object's end.
 * IF_MATCH (an ETag, or NULL) makes a changed object CS_ERR_CHECKSUM.
 * *OBJECT_SIZE (may be NULL) gets the object's total size. */
int cs_s3_get_range(struct cs_s3 *c, const char *key, uint64_t off, uint64_t len,
                    const char *if_match, struct cs_buf *out, uint64_t *object_size,
                    struct cs_error *err);

struct cs_s3_object {
    char *key;
    uint64_t size;
    char etag[130]; /* as the listing gives it, quotes kept (as cs_s3_head's); "" when none */
};
/* Every object whose key starts with PREFIX (all pages); *objs malloc'd.
 * A key equal to a PREFIX ending in '/' (the "folder" an S3 console makes)
 * is left out.  A page over 8 MiB, or truncated without a continuation
 * token, is CS_ERR_FORMAT. */
int cs_s3_list(struct cs_s3 *c, const char *prefix, struct cs_s3_object **objs, size_t *n,
               struct cs_error *err);
/* The same for the objects directly under PREFIX (delimiter '/': keys in
 * deeper "folders" are not listed); MAX > 0 stops after MAX objects. */
int cs_s3_list_dir(struct cs_s3 *c, const char *prefix, size_t max, struct cs_s3_object **objs,
                   size_t *n, struct cs_error *err);
void cs_s3_objects_free(struct cs_s3_object *objs, size_t n);

/* Multipart upload.  *upload_id malloc'd.  Parts are numbered from 1; ETAG
 * gets the part's ETag (quotes kept), which complete() wants back in order.
 * abort() is never cancelled (it runs while a cancelled dump cleans up). */
int cs_s3_mpu_create(struct cs_s3 *c, const char *key, char **upload_id, struct cs_error *err);
int cs_s3_mpu_part(struct cs_s3 *c, const char *key, const char *upload_id, unsigned part,
                   const void *data, size_t len, char etag[130], struct cs_error *err);
int cs_s3_mpu_complete(struct cs_s3 *c, const char *key, const char *upload_id, char (*etags)[130],
                       unsigned nparts, struct cs_error *err);
int cs_s3_mpu_abort(struct cs_s3 *c, const char *key, const char *upload_id, struct cs_error *err);

#endif
