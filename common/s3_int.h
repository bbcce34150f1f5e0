/*
 * s3_int.h - what s3.c (operations) and s3http.c (signing, transport,
 * retries) share.  Not for use outside common/s3*.c.
 */
#ifndef CS_S3_INT_H
#define CS_S3_INT_H

#include "common/s3.h"
#include "common/sigv4.h"

/* One request, retried by s3_exec as s3.h describes. */
struct s3_req {
    const char *what; /* "PUT", "UploadPart 3": for messages */
    const char *method;
    const char *key;   /* NULL: the bucket itself */
    const char *label; /* named in messages when KEY is NULL (a prefix) */
    const struct cs_sigv4_param *params;
    size_t nparams;
    const char *const *headers; /* extra "Name: value" lines, signed */
    size_t nheaders;
    const void *body;
    size_t body_len;
    int head;
    int no_cancel;  /* runs even after a cancel (abort) */
    int missing_ok; /* 404 is an answer, not an error */
    /* a ranged GET: each attempt asks for [range_off + bytes kept, range_end] */
    int ranged;
    uint64_t range_off, range_end;
    struct cs_buf *resp; /* the body (appended); NULL = dropped */
    size_t resp_max;
    /* out */
    long status;
    char etag[130];
    uint64_t object_size;
    unsigned attempts; /* how many times it may have reached the store */
    char code[64];     /* the last answer's S3 error code, "" when none */
};

int s3_exec(struct cs_s3 *c, struct s3_req *r, struct cs_error *err);

/* The text of the first <TAG>...</TAG> at or after *POS in XML (malloc'd,
 * entities decoded), *POS moved past it; NULL when there is none. */
char *s3_xml_text(const char *xml, size_t len, const char *tag, size_t *pos);
/* "s3://bucket/key" for messages, into BUF. */
const char *s3_where(const struct cs_s3 *c, const char *key, char *buf, size_t cap);

#endif
