#include "common/sigv4.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

static const char hexdig[] = "0123456789abcdef";

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdig[d[i] >> 4];
        out[2 * i + 1] = hexdig[d[i] & 15];
    }
    out[2 * n] = '\0';
}

int cs_sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[32];
    unsigned int n = 0;

    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32)
        return -1;
    to_hex(md, 32, hex);
    return 0;
}

static int hmac(const void *key, size_t klen, const char *msg, size_t mlen, unsigned char out[32])
{
    unsigned int n = 0;

    return HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &n) && n == 32
               ? 0
               : -1;
}

static int unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

void cs_sigv4_uri_encode(struct cs_buf *b, const char *s, size_t len, int keep_slash)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (unreserved(c) || (keep_slash && c == '/')) {
            cs_buf_putc(b, (char)c);
        } else {
            char e[4] = {'%', "0123456789ABCDEF"[c >> 4], "0123456789ABCDEF"[c & 15], 0};
            cs_buf_puts(b, e);
        }
    }
}

/* ---- canonical query ---------------------------------------------------- */

struct enc_param {
    char *name;
    char *value;
};

static int cmp_param(const void *a, const void *b)
{
    const struct enc_param *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    return c ? c : strcmp(x->value, y->value);
}

static char *encoded(const char *s)
{
    struct cs_buf b = CS_BUF_INIT;

    cs_buf_puts(&b, "");
    cs_sigv4_uri_encode(&b, s, strlen(s), 0);
    return cs_buf_failed(&b) ? (cs_buf_release(&b), NULL) : cs_buf_detach(&b);
}

/* OUT->query (as sent: value-less parameters bare) and the canonical form
 * into CANON (every parameter as name=value, sorted). */
static int build_query(const struct cs_sigv4_request *req, struct cs_sigv4_result *out,
                       struct cs_buf *canon)
{
    struct enc_param *p = calloc(req->nparams + 1, sizeof(*p));
    int rc = -1;

    if (!p)
        return -1;
    for (size_t i = 0; i < req->nparams; i++) {
        p[i].name = encoded(req->params[i].name);
        p[i].value = encoded(req->params[i].value ? req->params[i].value : "");
        if (!p[i].name || !p[i].value)
            goto out;
    }
    for (size_t i = 0; i < req->nparams; i++) { /* as given, for the URL */
        if (i)
            cs_buf_putc(&out->query, '&');
        cs_buf_puts(&out->query, p[i].name);
        if (req->params[i].value) {
            cs_buf_putc(&out->query, '=');
            cs_buf_puts(&out->query, p[i].value);
        }
    }
    qsort(p, req->nparams, sizeof(*p), cmp_param);
    for (size_t i = 0; i < req->nparams; i++)
        cs_buf_printf(canon, "%s%s=%s", i ? "&" : "", p[i].name, p[i].value);
    rc = 0;
out:
    for (size_t i = 0; i < req->nparams; i++) {
        free(p[i].name);
        free(p[i].value);
    }
    free(p);
    return rc;
}

/* ---- canonical headers -------------------------------------------------- */

struct hdr {
    char *name;  /* lower-case */
    char *value; /* trimmed, spaces folded; repeated names joined later */
};

static int cmp_hdr(const void *a, const void *b)
{
    return strcmp(((const struct hdr *)a)->name, ((const struct hdr *)b)->name);
}

/* "Name: value" (or "Name:value") -> H; -1 when there is no ':' */
static int parse_header(const char *line, struct hdr *h)
{
    const char *colon = strchr(line, ':'), *v;
    struct cs_buf val = CS_BUF_INIT;
    int space = 0;

    if (!colon || colon == line)
        return -1;
    h->name = strndup(line, (size_t)(colon - line));
    if (!h->name)
        return -1;
    for (char *c = h->name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    cs_buf_puts(&val, "");
    for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
        ;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t') {
            space = 1;
            continue;
        }
        if (space && val.len)
            cs_buf_putc(&val, ' ');
        space = 0;
        cs_buf_putc(&val, *v);
    }
    h->value = cs_buf_failed(&val) ? NULL : cs_buf_detach(&val);
    cs_buf_release(&val);
    return h->value ? 0 : -1;
}

/* The canonical header block and the signed-header list. */
static int build_headers(const struct cs_sigv4_request *req, const struct cs_sigv4_creds *creds,
                         const char *amz_date, struct cs_buf *canon, struct cs_buf *signed_list)
{
    size_t n = 0, max = req->nheaders + 3;
    struct hdr *h = calloc(max, sizeof(*h));
    struct cs_buf line = CS_BUF_INIT;
    int rc = -1;

    if (!h)
        return -1;
    cs_buf_printf(&line, "host:%s", req->host);
    if (cs_buf_failed(&line) || parse_header(line.data, &h[n++]) < 0)
        goto out;
    cs_buf_reset(&line);
    cs_buf_printf(&line, "x-amz-date:%s", amz_date);
    if (cs_buf_failed(&line) || parse_header(line.data, &h[n++]) < 0)
        goto out;
    if (creds->session_token && *creds->session_token) {
        cs_buf_reset(&line);
        cs_buf_printf(&line, "x-amz-security-token:%s", creds->session_token);
        if (cs_buf_failed(&line) || parse_header(line.data, &h[n++]) < 0)
            goto out;
    }
    for (size_t i = 0; i < req->nheaders; i++)
        if (parse_header(req->headers[i], &h[n++]) < 0)
            goto out;
    /* stable: repeated names keep their given order */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && cmp_hdr(&h[j - 1], &h[j]) > 0; j--) {
            struct hdr t = h[j];
            h[j] = h[j - 1];
            h[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        int repeat = i > 0 && !strcmp(h[i - 1].name, h[i].name);
        if (repeat) {
            cs_buf_printf(canon, ",%s", h[i].value);
            continue;
        }
        cs_buf_printf(canon, "%s%s:%s", i ? "\n" : "", h[i].name, h[i].value);
        cs_buf_printf(signed_list, "%s%s", i ? ";" : "", h[i].name);
    }
    cs_buf_putc(canon, '\n');
    rc = 0;
out:
    for (size_t i = 0; i < max; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
    cs_buf_release(&line);
    return rc;
}

/* ---- signing ------------------------------------------------------------ */

static int signing_key(const struct cs_sigv4_request *req, const char *secret, const char *date,
                       unsigned char key[32])
{
    struct cs_buf k = CS_BUF_INIT;
    unsigned char a[32], b[32], c[32];
    int rc = -1;

    cs_buf_printf(&k, "AWS4%s", secret);
    if (cs_buf_failed(&k))
        goto out;
    if (hmac(k.data, k.len, date, strlen(date), a) < 0 ||
        hmac(a, 32, req->region, strlen(req->region), b) < 0 ||
        hmac(b, 32, req->service, strlen(req->service), c) < 0 ||
        hmac(c, 32, "aws4_request", 12, key) < 0)
        goto out;
    rc = 0;
out:
    OPENSSL_cleanse(a, sizeof(a));
    OPENSSL_cleanse(b, sizeof(b));
    OPENSSL_cleanse(c, sizeof(c));
    if (k.data)
        OPENSSL_cleanse(k.data, k.len);
    cs_buf_release(&k);
    return rc;
}

static int check_request(const struct cs_sigv4_request *req, const struct cs_sigv4_creds *creds,
                         struct cs_error *err)
{
    if (!req->method || !req->host || !req->path || req->path[0] != '/' || !req->payload_hash ||
        !req->region || !*req->region || !req->service)
        return cs_error_set(err, CS_ERR_USAGE, "sigv4: incomplete request description");
    if (!creds->access_key || !*creds->access_key || !creds->secret_key)
        return cs_error_set(err, CS_ERR_USAGE, "sigv4: no access key or secret key");
    return 0;
}

void cs_sigv4_result_release(struct cs_sigv4_result *r)
{
    if (!r)
        return;
    cs_buf_release(&r->canonical);
    cs_buf_release(&r->string_to_sign);
    cs_buf_release(&r->authorization);
    cs_buf_release(&r->amz_date);
    cs_buf_release(&r->query);
    cs_buf_release(&r->path);
}

int cs_sigv4_sign(const struct cs_sigv4_request *req, const struct cs_sigv4_creds *creds,
                  struct cs_sigv4_result *out, struct cs_error *err)
{
    struct cs_buf cq = CS_BUF_INIT, hdrs = CS_BUF_INIT, signed_list = CS_BUF_INIT;
    char date[9], stamp[17], creq_hash[65], sig_hex[65];
    unsigned char key[32], sig[32];
    struct tm tm;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (check_request(req, creds, err) < 0)
        return -1;
    if (!gmtime_r(&req->when, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm))
        return cs_error_set(err, CS_ERR_USAGE, "sigv4: bad request time");
    memcpy(date, stamp, 8);
    date[8] = '\0';
    cs_buf_puts(&out->amz_date, stamp);
    cs_buf_puts(&out->query, "");
    cs_buf_puts(&cq, "");
    cs_buf_puts(&signed_list, "");
    cs_sigv4_uri_encode(&out->path, req->path, strlen(req->path), 1);
    if (build_query(req, out, &cq) < 0 || build_headers(req, creds, stamp, &hdrs, &signed_list) < 0)
        goto oom;
    cs_buf_printf(&out->canonical, "%s\n%s\n%s\n%s\n%s\n%s", req->method,
                  out->path.data ? out->path.data : "", cq.data ? cq.data : "",
                  hdrs.data ? hdrs.data : "", signed_list.data ? signed_list.data : "",
                  req->payload_hash);
    if (cs_buf_failed(&out->canonical) || cs_buf_failed(&cq) || cs_buf_failed(&hdrs) ||
        cs_buf_failed(&signed_list) || cs_buf_failed(&out->path) || cs_buf_failed(&out->query))
        goto oom;
    if (cs_sigv4_sha256_hex(out->canonical.data, out->canonical.len, creq_hash) < 0)
        goto crypto;
    cs_buf_printf(&out->string_to_sign, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", stamp,
                  date, req->region, req->service, creq_hash);
    if (cs_buf_failed(&out->string_to_sign))
        goto oom;
    if (signing_key(req, creds->secret_key, date, key) < 0 ||
        hmac(key, 32, out->string_to_sign.data, out->string_to_sign.len, sig) < 0)
        goto crypto;
    to_hex(sig, 32, sig_hex);
    cs_buf_printf(&out->authorization,
                  "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, "
                  "Signature=%s",
                  creds->access_key, date, req->region, req->service, signed_list.data, sig_hex);
    if (cs_buf_failed(&out->authorization) || cs_buf_failed(&out->amz_date))
        goto oom;
    rc = 0;
    goto out;
oom:
    cs_error_set(err, CS_ERR_NOMEM, "sigv4: out of memory or a malformed header");
    goto out;
crypto:
    cs_error_set(err, CS_ERR_INTERNAL, "sigv4: libcrypto failed");
out:
    OPENSSL_cleanse(key, sizeof(key));
    cs_buf_release(&cq);
    cs_buf_release(&hdrs);
    cs_buf_release(&signed_list);
    if (rc < 0)
        cs_sigv4_result_release(out);
    return rc;
}
