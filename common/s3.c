/*
 * s3.c - the S3 operations of s3.h, each one request (s3_exec) built here,
 * and the little XML reading their answers need.
 */
#include "common/s3_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- XML ----------------------------------------------------------------- */

static void xml_decode(struct cs_buf *b, const char *s, size_t n)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};

    for (size_t i = 0; i < n;) {
        size_t k, len;
        if (s[i] != '&') {
            cs_buf_putc(b, s[i++]);
            continue;
        }
        for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
            len = strlen(ents[k].ent);
            if (i + len <= n && !memcmp(s + i, ents[k].ent, len))
                break;
        }
        if (k < sizeof(ents) / sizeof(ents[0])) {
            cs_buf_putc(b, ents[k].c);
            i += strlen(ents[k].ent);
        } else if (i + 2 < n && s[i + 1] == '#') {
            char *end;
            long cp = s[i + 2] == 'x' ? strtol(s + i + 3, &end, 16) : strtol(s + i + 2, &end, 10);
            cs_buf_putc(b, cp > 0 && cp < 128 ? (char)cp : '?');
            i = (size_t)(end - s) + (*end == ';');
        } else {
            cs_buf_putc(b, s[i++]);
        }
    }
}

char *s3_xml_text(const char *xml, size_t len, const char *tag, size_t *pos)
{
    char open[80], close[80];
    const char *s, *e;
    struct cs_buf b = CS_BUF_INIT;

    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    if (*pos >= len)
        return NULL;
    s = memmem(xml + *pos, len - *pos, open, strlen(open));
    if (!s)
        return NULL;
    s += strlen(open);
    e = memmem(s, len - (size_t)(s - xml), close, strlen(close));
    if (!e)
        return NULL;
    *pos = (size_t)(e - xml) + strlen(close);
    cs_buf_puts(&b, "");
    xml_decode(&b, s, (size_t)(e - s));
    return cs_buf_failed(&b) ? NULL : cs_buf_detach(&b);
}

/* Largest 2xx bodies taken from the store (a listing page of 1000 keys of
 * 1 KiB each stays well below LIST_MAX). */
#define LIST_MAX (8u << 20)
#define SMALL_MAX (64u << 10) /* CreateMultipartUpload, CompleteMultipartUpload */

/* A 2xx body longer than its cap (the request asked for cap + 1). */
static int too_big(struct cs_s3 *c, const char *key, const char *what, const struct cs_buf *b,
                   size_t cap, struct cs_error *err)
{
    char where[1200];

    if (b->len <= cap)
        return 0;
    return cs_error_set(err, CS_ERR_FORMAT,
                        "%s: the answer to %s is larger than %zu bytes: check the endpoint "
                        "(is it an S3 store?)",
                        s3_where(c, key, where, sizeof(where)), what, cap);
}

/* ---- objects -------------------------------------------------------------- */

int cs_s3_put(struct cs_s3 *c, const char *key, const void *data, size_t len, struct cs_error *err)
{
    struct s3_req r = {.what = "PUT", .method = "PUT", .key = key, .body = data, .body_len = len};

    return s3_exec(c, &r, err);
}

int cs_s3_head(struct cs_s3 *c, const char *key, uint64_t *size, char etag[130],
               struct cs_error *err)
{
    struct s3_req r = {.what = "HEAD", .method = "HEAD", .key = key, .head = 1};

    if (s3_exec(c, &r, err) < 0)
        return -1;
    *size = r.object_size;
    if (etag)
        memcpy(etag, r.etag, 130);
    return 0;
}

int cs_s3_delete(struct cs_s3 *c, const char *key, struct cs_error *err)
{
    struct s3_req r = {
        .what = "DELETE", .method = "DELETE", .key = key, .no_cancel = 1, .missing_ok = 1};

    return s3_exec(c, &r, err);
}

int cs_s3_get(struct cs_s3 *c, const char *key, size_t max, struct cs_buf *out,
              struct cs_error *err)
{
    size_t base = out->len;
    struct s3_req r = {
        .what = "GET", .method = "GET", .key = key, .resp = out, .resp_max = max + 1};

    if (s3_exec(c, &r, err) < 0)
        return -1;
    if (out->len - base > max) {
        char where[1200];
        return cs_error_set(err, CS_ERR_FORMAT, "%s: larger than %zu bytes",
                            s3_where(c, key, where, sizeof(where)), max);
    }
    return 0;
}

int cs_s3_get_range(struct cs_s3 *c, const char *key, uint64_t off, uint64_t len,
                    const char *if_match, struct cs_buf *out, uint64_t *object_size,
                    struct cs_error *err)
{
    char im[200];
    const char *hdr[1];
    struct s3_req r = {.what = "GET",
                       .method = "GET",
                       .key = key,
                       .resp = out,
                       .ranged = 1,
                       .range_off = off,
                       .range_end = off + len - 1,
                       .resp_max = len};

    if (len == 0)
        return 0;
    if (if_match && *if_match) {
        snprintf(im, sizeof(im), "If-Match: %s", if_match);
        hdr[0] = im;
        r.headers = hdr;
        r.nheaders = 1;
    }
    size_t base = out->len;
    if (s3_exec(c, &r, err) < 0)
        return -1;
    if (out->len - base < len && r.object_size != UINT64_MAX &&
        off + (out->len - base) < r.object_size) {
        char where[1200];
        return cs_error_set(
            err, CS_ERR_TRUNCATED, "%s: GET of bytes %llu-%llu ended at byte %llu of %llu",
            s3_where(c, key, where, sizeof(where)), (unsigned long long)off,
            (unsigned long long)(off + len - 1), (unsigned long long)(off + (out->len - base)),
            (unsigned long long)r.object_size);
    }
    if (object_size)
        *object_size = r.object_size;
    return 0;
}

/* ---- listing -------------------------------------------------------------- */

static int push_object(struct cs_s3_object **objs, size_t *n, size_t *cap, char *key, uint64_t size,
                       const char *etag)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct cs_s3_object *p = realloc(*objs, nc * sizeof(*p));
        if (!p)
            return -1;
        *objs = p;
        *cap = nc;
    }
    (*objs)[*n].key = key;
    snprintf((*objs)[*n].etag, sizeof((*objs)[*n].etag), "%s",
             etag && strlen(etag) < sizeof((*objs)[*n].etag) ? etag : "");
    (*objs)[(*n)++].size = size;
    return 0;
}

/* One page's <Contents> into OBJS (but SKIP, the prefix's own "folder
 * marker"); *next the continuation token or NULL.  -1 out of memory, -2 a
 * truncated page without a token. */
static int parse_page(const struct cs_buf *b, const char *skip, struct cs_s3_object **objs,
                      size_t *n, size_t *cap, char **next)
{
    size_t pos = 0;
    char *item, *trunc;
    int truncated;

    *next = NULL;
    while ((item = s3_xml_text(b->data, b->len, "Contents", &pos))) {
        size_t ip = 0;
        char *key = s3_xml_text(item, strlen(item), "Key", &ip);
        char *size, *etag;
        int rc = 0;
        ip = 0;
        size = s3_xml_text(item, strlen(item), "Size", &ip);
        ip = 0;
        etag = s3_xml_text(item, strlen(item), "ETag", &ip);
        free(item);
        if (key && skip && !strcmp(key, skip))
            free(key);
        else if (!key || push_object(objs, n, cap, key, size ? strtoull(size, NULL, 10) : 0, etag) < 0)
            rc = -1;
        if (rc < 0)
            free(key);
        free(size);
        free(etag);
        if (rc < 0)
            return -1;
    }
    pos = 0;
    trunc = s3_xml_text(b->data, b->len, "IsTruncated", &pos);
    truncated = trunc && !strcmp(trunc, "true");
    free(trunc);
    pos = 0;
    if (truncated && !(*next = s3_xml_text(b->data, b->len, "NextContinuationToken", &pos)))
        return -2;
    return 0;
}

/* The listing behind cs_s3_list and cs_s3_list_dir: DIR asks for
 * delimiter=/ (deeper keys come as CommonPrefixes, not taken); MAX > 0 stops
 * once that many objects are in hand (max-keys=MAX per page). */
static int list_impl(struct cs_s3 *c, const char *prefix, int dir, size_t max,
                     struct cs_s3_object **objs, size_t *n, struct cs_error *err)
{
    struct cs_buf page = CS_BUF_INIT;
    char *token = NULL, maxs[24];
    const char *skip = *prefix && prefix[strlen(prefix) - 1] == '/' ? prefix : NULL;
    size_t cap = 0;
    int rc = 0;

    *objs = NULL;
    *n = 0;
    snprintf(maxs, sizeof(maxs), "%zu", max);
    do {
        /* sorted by name, as the signer wants them */
        struct cs_sigv4_param p[5];
        size_t np = 0;
        if (token)
            p[np++] = (struct cs_sigv4_param){"continuation-token", token};
        if (dir)
            p[np++] = (struct cs_sigv4_param){"delimiter", "/"};
        p[np++] = (struct cs_sigv4_param){"list-type", "2"};
        if (max)
            p[np++] = (struct cs_sigv4_param){"max-keys", maxs};
        p[np++] = (struct cs_sigv4_param){"prefix", prefix};
        struct s3_req r = {.what = "ListObjectsV2",
                           .method = "GET",
                           .label = prefix,
                           .params = p,
                           .nparams = np,
                           .resp = &page,
                           .resp_max = LIST_MAX + 1};
        char *next = NULL;
        int prc;
        cs_buf_reset(&page);
        rc = s3_exec(c, &r, err);
        if (rc == 0)
            rc = too_big(c, prefix, "ListObjectsV2", &page, LIST_MAX, err);
        if (rc == 0 && (prc = parse_page(&page, skip, objs, n, &cap, &next)) < 0)
            rc = prc == -1 ? cs_error_set(err, CS_ERR_NOMEM, "out of memory listing s3://%s/%s",
                                          cs_s3_bucket(c), prefix)
                           : cs_error_set(err, CS_ERR_FORMAT,
                                          "s3://%s/%s: a listing page says it is truncated but "
                                          "gives no NextContinuationToken: check the endpoint "
                                          "(a store without ListObjectsV2?)",
                                          cs_s3_bucket(c), prefix);
        free(token);
        token = next;
    } while (rc == 0 && token && (!max || *n < max));
    free(token);
    cs_buf_release(&page);
    if (rc < 0) {
        cs_s3_objects_free(*objs, *n);
        *objs = NULL;
        *n = 0;
    }
    return rc;
}

int cs_s3_list(struct cs_s3 *c, const char *prefix, struct cs_s3_object **objs, size_t *n,
               struct cs_error *err)
{
    return list_impl(c, prefix, 0, 0, objs, n, err);
}

int cs_s3_list_dir(struct cs_s3 *c, const char *prefix, size_t max, struct cs_s3_object **objs,
                   size_t *n, struct cs_error *err)
{
    return list_impl(c, prefix, 1, max, objs, n, err);
}

void cs_s3_objects_free(struct cs_s3_object *objs, size_t n)
{
    for (size_t i = 0; objs && i < n; i++)
        free(objs[i].key);
    free(objs);
}

/* ---- multipart ------------------------------------------------------------- */

/* After a retried CreateMultipartUpload whose first answer was lost, the
 * store may hold uploads of KEY nobody will complete: every one but KEEP is
 * aborted.  Best effort: a store that cannot list uploads leaves them to its
 * lifecycle rules. */
static void abort_strays(struct cs_s3 *c, const char *key, const char *keep)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_sigv4_param p[2] = {{"prefix", key}, {"uploads", NULL}};
    struct s3_req r = {.what = "ListMultipartUploads",
                       .method = "GET",
                       .label = key,
                       .params = p,
                       .nparams = 2,
                       .resp = &b,
                       .resp_max = LIST_MAX + 1};
    struct cs_error ignore;
    size_t pos = 0;
    char *up;

    cs_error_clear(&ignore);
    if (s3_exec(c, &r, &ignore) < 0 || b.len > LIST_MAX) {
        cs_buf_release(&b);
        return;
    }
    while ((up = s3_xml_text(b.data, b.len, "Upload", &pos))) {
        size_t ip = 0;
        char *k = s3_xml_text(up, strlen(up), "Key", &ip), *id;
        ip = 0;
        id = s3_xml_text(up, strlen(up), "UploadId", &ip);
        if (k && id && !strcmp(k, key) && strcmp(id, keep))
            cs_s3_mpu_abort(c, key, id, &ignore);
        free(k);
        free(id);
        free(up);
    }
    cs_buf_release(&b);
}

int cs_s3_mpu_create(struct cs_s3 *c, const char *key, char **upload_id, struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;
    struct cs_sigv4_param p = {"uploads", NULL};
    struct s3_req r = {.what = "CreateMultipartUpload",
                       .method = "POST",
                       .key = key,
                       .params = &p,
                       .nparams = 1,
                       .resp = &b,
                       .resp_max = SMALL_MAX + 1};
    size_t pos = 0;
    char where[1200];

    *upload_id = NULL;
    if (s3_exec(c, &r, err) == 0 &&
        too_big(c, key, "CreateMultipartUpload", &b, SMALL_MAX, err) == 0 &&
        !(*upload_id = s3_xml_text(b.data, b.len, "UploadId", &pos)))
        cs_error_set(err, CS_ERR_FORMAT, "%s: CreateMultipartUpload answered without an UploadId",
                     s3_where(c, key, where, sizeof(where)));
    cs_buf_release(&b);
    if (*upload_id && r.attempts > 1)
        abort_strays(c, key, *upload_id);
    return *upload_id ? 0 : -1;
}

int cs_s3_mpu_part(struct cs_s3 *c, const char *key, const char *upload_id, unsigned part,
                   const void *data, size_t len, char etag[130], struct cs_error *err)
{
    char num[16], what[40], where[1200];
    struct cs_sigv4_param p[2] = {{"partNumber", num}, {"uploadId", upload_id}};
    struct s3_req r = {.what = what,
                       .method = "PUT",
                       .key = key,
                       .params = p,
                       .nparams = 2,
                       .body = data,
                       .body_len = len};

    snprintf(num, sizeof(num), "%u", part);
    snprintf(what, sizeof(what), "UploadPart %u", part);
    if (s3_exec(c, &r, err) < 0)
        return -1;
    if (!r.etag[0])
        return cs_error_set(err, CS_ERR_FORMAT, "%s: %s answered without an ETag",
                            s3_where(c, key, where, sizeof(where)), what);
    memcpy(etag, r.etag, 130);
    return 0;
}

int cs_s3_mpu_complete(struct cs_s3 *c, const char *key, const char *upload_id, char (*etags)[130],
                       unsigned nparts, struct cs_error *err)
{
    struct cs_buf body = CS_BUF_INIT, resp = CS_BUF_INIT;
    struct cs_sigv4_param p = {"uploadId", upload_id};
    struct s3_req r = {.what = "CompleteMultipartUpload",
                       .method = "POST",
                       .key = key,
                       .params = &p,
                       .nparams = 1,
                       .resp = &resp,
                       .resp_max = SMALL_MAX + 1};
    int rc;

    cs_buf_puts(&body, "<CompleteMultipartUpload>");
    for (unsigned i = 0; i < nparts; i++)
        cs_buf_printf(&body, "<Part><PartNumber>%u</PartNumber><ETag>%s</ETag></Part>", i + 1,
                      etags[i]);
    cs_buf_puts(&body, "</CompleteMultipartUpload>");
    if (cs_buf_failed(&body)) {
        cs_buf_release(&body);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    r.body = body.data;
    r.body_len = body.len;
    rc = s3_exec(c, &r, err);
    if (rc < 0 && !strcmp(r.code, "NoSuchUpload")) {
        /* an earlier attempt (ours, or curl's own resend over a new
         * connection) completed it and its answer was lost: the object is
         * there (nobody else writes this key: the prefix was empty) */
        struct cs_error e;
        uint64_t size;
        cs_error_clear(&e);
        if (cs_s3_head(c, key, &size, NULL, &e) == 0) {
            cs_error_clear(err);
            rc = 0;
        }
    }
    if (rc == 0)
        rc = too_big(c, key, "CompleteMultipartUpload", &resp, SMALL_MAX, err);
    cs_buf_release(&body);
    cs_buf_release(&resp);
    return rc;
}

int cs_s3_mpu_abort(struct cs_s3 *c, const char *key, const char *upload_id, struct cs_error *err)
{
    struct cs_sigv4_param p = {"uploadId", upload_id};
    struct s3_req r = {.what = "AbortMultipartUpload",
                       .method = "DELETE",
                       .key = key,
                       .params = &p,
                       .nparams = 1,
                       .no_cancel = 1,
                       .missing_ok = 1};

    return s3_exec(c, &r, err);
}
