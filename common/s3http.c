/*
 * s3http.c - the client object, one signed attempt over libcurl, and the
 * retry loop around it (s3.h).
 */
#include "common/s3_int.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/console.h"

#define HEADERS_MAX 16

struct cs_s3 {
    struct cs_s3_options o;
    struct cs_s3_settings s;
    char *bucket;
    char *base;        /* "http://host:port" the URLs start with */
    char *host;        /* the Host header, signed */
    char *path_prefix; /* "/bucket" (path-style) or "" */
    const struct cs_log *log;
    const volatile int *cancel;
    CURLSH *share; /* DNS and TLS sessions only: never connections */
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t pool_lock;
    struct handle *idle; /* transfer handles no thread is using */
    unsigned nidle;
    cs_s3_transport_fn transport;
    void *transport_ctx;
};

/* One multi handle (it keeps the open connections) and its easy handle:
 * used by one thread at a time, then given back to the pool. */
struct handle {
    CURLM *m;
    CURL *e;
    struct handle *next;
};

#define POOL_MAX 64 /* idle handles kept (each may hold a connection) */

/* ---- the client ---------------------------------------------------------- */

static void share_lock(CURL *h, curl_lock_data d, curl_lock_access a, void *arg)
{
    struct cs_s3 *c = arg;
    (void)h;
    (void)a;
    pthread_mutex_lock(&c->locks[d]);
}

static void share_unlock(CURL *h, curl_lock_data d, void *arg)
{
    struct cs_s3 *c = arg;
    (void)h;
    pthread_mutex_unlock(&c->locks[d]);
}

int cs_s3_global_init(struct cs_error *err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return cs_error_set(err, CS_ERR_INTERNAL, "libcurl failed to initialise");
    return 0;
}

void cs_s3_global_cleanup(void)
{
    curl_global_cleanup();
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* base, host and path prefix from the endpoint and the addressing style. */
static int place(struct cs_s3 *c)
{
    char buf[1024];
    const char *ep = c->s.endpoint, *hp;
    size_t schemelen;
    char *colon;

    if (!ep) {
        snprintf(buf, sizeof(buf), "https://s3.%s.amazonaws.com", c->s.region);
        ep = buf;
    }
    schemelen = (size_t)(strstr(ep, "://") - ep) + 3;
    hp = ep + schemelen;
    if (c->o.path_style) {
        c->host = strndup(hp, strcspn(hp, "/"));
        c->base = strdup(ep);
        c->path_prefix = malloc(strlen(c->bucket) + 2);
        if (c->path_prefix)
            sprintf(c->path_prefix, "/%s", c->bucket);
    } else {
        size_t n = strlen(ep) + strlen(c->bucket) + 2;
        c->host = malloc(strlen(hp) + strlen(c->bucket) + 2);
        c->base = malloc(n);
        if (c->host && c->base) {
            sprintf(c->host, "%s.%.*s", c->bucket, (int)strcspn(hp, "/"), hp);
            sprintf(c->base, "%.*s%s.%s", (int)schemelen, ep, c->bucket, hp);
        }
        c->path_prefix = strdup("");
    }
    if (!c->host || !c->base || !c->path_prefix)
        return -1;
    /* curl leaves a default port out of Host: so must the signature */
    colon = strrchr(c->host, ':');
    if (colon && ((!strncmp(ep, "https", 5) && !strcmp(colon, ":443")) ||
                  (!strncmp(ep, "http:", 5) && !strcmp(colon, ":80"))))
        *colon = '\0';
    return 0;
}

struct cs_s3 *cs_s3_new(const struct cs_s3_options *o, const struct cs_s3_settings *s,
                        const char *bucket, const struct cs_log *log, const volatile int *cancel,
                        struct cs_error *err)
{
    struct cs_s3 *c = calloc(1, sizeof(*c));

    if (!c) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->o = *o;
    c->o.endpoint = c->o.ca_file = NULL; /* lent strings: the copies below are used */
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&c->locks[i], NULL);
    pthread_mutex_init(&c->pool_lock, NULL);
    c->log = log;
    c->cancel = cancel;
    c->bucket = strdup(bucket);
    c->s.access_key = dup_or_null(s->access_key);
    c->s.secret_key = dup_or_null(s->secret_key);
    c->s.session_token = dup_or_null(s->session_token);
    c->s.region = dup_or_null(s->region ? s->region : "us-east-1");
    c->s.endpoint = dup_or_null(s->endpoint);
    c->s.cred_source = dup_or_null(s->cred_source ? s->cred_source : "the settings");
    c->o.ca_file = o->ca_file ? strdup(o->ca_file) : NULL;
    if (!c->bucket || !c->s.access_key || !c->s.secret_key || !c->s.region || !c->s.cred_source ||
        (o->ca_file && !c->o.ca_file) || place(c) < 0) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto fail;
    }
    c->share = curl_share_init();
    if (!c->share || curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, share_lock) ||
        curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, share_unlock) ||
        curl_share_setopt(c->share, CURLSHOPT_USERDATA, c) ||
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) ||
        curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION)) {
        cs_error_set(err, CS_ERR_INTERNAL, "libcurl: cannot set up the connection cache");
        goto fail;
    }
    return c;
fail:
    cs_s3_free(c);
    return NULL;
}

extern char **environ;

struct cs_s3 *cs_s3_open_url(const char *url, const struct cs_s3_options *opts,
                             const struct cs_log *log, const volatile int *cancel, char **key,
                             struct cs_error *err)
{
    struct cs_s3_settings set;
    char *bucket = NULL;
    struct cs_s3 *c = NULL;

    *key = NULL;
    if (cs_s3_url_parse(url, &bucket, key, err) < 0)
        return NULL;
    if (cs_s3_settings_resolve(opts, environ, &set, err) == 0) {
        c = cs_s3_new(opts, &set, bucket, log, cancel, err);
        cs_s3_settings_release(&set);
    }
    free(bucket);
    if (!c) {
        free(*key);
        *key = NULL;
    }
    return c;
}

struct cs_s3 *cs_s3_open_prefix(const char *url, const struct cs_s3_options *opts,
                                const struct cs_log *log, const volatile int *cancel,
                                char **prefix, struct cs_error *err)
{
    char *key = NULL;
    struct cs_s3 *c = cs_s3_open_url(url, opts, log, cancel, &key, err);
    size_t n;

    *prefix = NULL;
    if (!c)
        return NULL;
    n = strlen(key);
    while (n && key[n - 1] == '/')
        key[--n] = '\0';
    *prefix = malloc(n + 2);
    if (*prefix)
        sprintf(*prefix, "%s%s", key, n ? "/" : "");
    free(key);
    if (!*prefix) {
        cs_s3_free(c);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return c;
}

void cs_s3_free(struct cs_s3 *c)
{
    if (!c)
        return;
    while (c->idle) {
        struct handle *h = c->idle;
        c->idle = h->next;
        curl_easy_cleanup(h->e);
        curl_multi_cleanup(h->m);
        free(h);
    }
    if (c->share)
        curl_share_cleanup(c->share);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&c->locks[i]);
    pthread_mutex_destroy(&c->pool_lock);
    cs_s3_settings_release(&c->s);
    free((char *)c->o.ca_file);
    free(c->bucket);
    free(c->base);
    free(c->host);
    free(c->path_prefix);
    free(c);
}

void cs_s3_set_transport(struct cs_s3 *c, cs_s3_transport_fn fn, void *ctx)
{
    c->transport = fn;
    c->transport_ctx = ctx;
}

const char *cs_s3_bucket(const struct cs_s3 *c)
{
    return c->bucket;
}

const struct cs_s3_options *cs_s3_opts(const struct cs_s3 *c)
{
    return &c->o;
}

const char *s3_where(const struct cs_s3 *c, const char *key, char *buf, size_t cap)
{
    snprintf(buf, cap, "s3://%s/%s", c->bucket, key ? key : "");
    return buf;
}

static int cancelled(const struct cs_s3 *c, const struct s3_req *r)
{
    return !r->no_cancel && cs_cancelled(c->cancel);
}

/* ---- one attempt over libcurl --------------------------------------------- */

struct xfer {
    struct cs_s3_http *h;
    const char *body;
    size_t sent;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct cs_s3_http *h = arg;
    size_t len = size * n, keep = len;

    if (h->status < 200 || h->status > 299) {
        if (h->err_body.len < 65536)
            cs_buf_append(&h->err_body, p, len);
        return len;
    }
    if (h->want_start != UINT64_MAX && (h->status != 206 || h->range_start != h->want_start))
        return 0; /* not the range asked for: stop here, s3_exec says why */
    if (h->resp && h->resp_max && h->resp->len + keep > h->resp_max)
        keep = h->resp->len < h->resp_max ? h->resp_max - h->resp->len : 0;
    if (h->resp && keep)
        cs_buf_append(h->resp, p, keep);
    return h->resp && cs_buf_failed(h->resp) ? 0 : len;
}

static size_t on_read(char *p, size_t size, size_t n, void *arg)
{
    struct xfer *x = arg;
    size_t len = size * n, left = x->h->body_len - x->sent;

    if (len > left)
        len = left;
    memcpy(p, x->body + x->sent, len);
    x->sent += len;
    return len;
}

/* curl rewinds a body it must send again (a reused connection that died) */
static int on_seek(void *arg, curl_off_t off, int origin)
{
    struct xfer *x = arg;

    if (origin != SEEK_SET || off < 0 || (size_t)off > x->h->body_len)
        return CURL_SEEKFUNC_FAIL;
    x->sent = (size_t)off;
    return CURL_SEEKFUNC_OK;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct cs_s3_http *h = arg;
    size_t len = size * n;
    char line[512];
    const char *v;

    snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) - 1 ? len : sizeof(line) - 1), p);
    line[strcspn(line, "\r\n")] = '\0';
    if (!strncmp(line, "HTTP/", 5)) { /* a new response (after 100 Continue): start over */
        v = strchr(line, ' ');
        h->status = v ? strtol(v + 1, NULL, 10) : 0;
        h->etag[0] = '\0';
        h->content_length = h->object_size = h->range_start = UINT64_MAX;
    } else if (!strncasecmp(line, "etag:", 5)) {
        for (v = line + 5; *v == ' '; v++)
            ;
        snprintf(h->etag, sizeof(h->etag), "%s", v);
    } else if (!strncasecmp(line, "content-length:", 15)) {
        h->content_length = strtoull(line + 15, NULL, 10);
    } else if (!strncasecmp(line, "content-range:", 14) && (v = strchr(line, '/'))) {
        const char *b = strstr(line, "bytes ");
        h->object_size = v[1] == '*' ? UINT64_MAX : strtoull(v + 1, NULL, 10);
        if (b && b[6] >= '0' && b[6] <= '9')
            h->range_start = strtoull(b + 6, NULL, 10);
    }
    return len;
}

static void set_method(CURL *e, struct cs_s3_http *h, struct xfer *x)
{
    if (!strcmp(h->method, "PUT")) {
        curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(e, CURLOPT_READDATA, x);
        curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, on_seek);
        curl_easy_setopt(e, CURLOPT_SEEKDATA, x);
        curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)h->body_len);
    } else if (!strcmp(h->method, "POST")) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->body ? (const char *)h->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)h->body_len);
    } else if (h->head) {
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (strcmp(h->method, "GET")) {
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, h->method);
    }
}

/* A handle from the pool, or a new one; NULL when out of memory. */
static struct handle *handle_take(struct cs_s3 *c, int *pooled)
{
    struct handle *h;

    pthread_mutex_lock(&c->pool_lock);
    h = c->idle;
    if (h) {
        c->idle = h->next;
        c->nidle--;
    }
    pthread_mutex_unlock(&c->pool_lock);
    *pooled = h != NULL;
    if (h) {
        curl_easy_reset(h->e);
        return h;
    }
    h = calloc(1, sizeof(*h));
    if (h && (!(h->m = curl_multi_init()) || !(h->e = curl_easy_init()))) {
        if (h->m)
            curl_multi_cleanup(h->m);
        free(h);
        h = NULL;
    }
    return h;
}

/* Back to the pool (its connection kept for the next request), or closed
 * when the transfer failed or the pool is full. */
static void handle_give(struct cs_s3 *c, struct handle *h, int keep)
{
    pthread_mutex_lock(&c->pool_lock);
    if (keep && c->nidle < POOL_MAX) {
        h->next = c->idle;
        c->idle = h;
        c->nidle++;
        h = NULL;
    }
    pthread_mutex_unlock(&c->pool_lock);
    if (h) {
        curl_easy_cleanup(h->e);
        curl_multi_cleanup(h->m);
        free(h);
    }
}

/* curl keeps copies of the header lines: the session token's is wiped. */
static void headers_free(struct curl_slist *hl)
{
    for (struct curl_slist *l = hl; l; l = l->next)
        if (!strncasecmp(l->data, "x-amz-security-token:", 21))
            memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(hl);
}

/* Counts the sockets a transfer opens (curl's connection numbers do not
 * count the one it opens to resend a request whose reused connection died). */
static int on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
    (void)fd;
    if (purpose == CURLSOCKTYPE_IPCXN)
        (*(int *)arg)++;
    return CURL_SOCKOPT_OK;
}

/* Bytes per second a transfer must keep up over --s3-stall seconds. */
#define LOW_SPEED_BYTES 1024L

static void easy_setup(struct cs_s3 *c, CURL *e, struct cs_s3_http *h, struct xfer *x,
                       struct curl_slist *hl, int *sockets)
{
    curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
    curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, sockets);
    curl_easy_setopt(e, CURLOPT_URL, h->url);
    curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L); /* the path is signed as given */
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(e, CURLOPT_SHARE, c->share);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 15L);
    if (h->timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
                     (long)(c->o.stall_seconds ? c->o.stall_seconds : 60));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->curl_msg);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->o.ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, c->o.ca_file);
    set_method(e, h, x);
}

/* Drives one transfer on a pooled multi handle so a cancel is seen within
 * 200 ms while it runs. */
static int curl_transport(void *ctx, struct cs_s3_http *h)
{
    struct cs_s3 *c = ctx;
    struct xfer x = {h, h->body, 0};
    struct curl_slist *hl = NULL;
    int pooled = 0;
    struct handle *p = handle_take(c, &pooled);
    int running = 1, added = 0;
    int sockets = 0;
    CURLMsg *msg;
    int left;

    h->curl_code = CURLE_OUT_OF_MEMORY;
    if (!p)
        goto out;
    for (size_t i = 0; i < h->nheaders; i++)
        hl = curl_slist_append(hl, h->headers[i]);
    hl = curl_slist_append(hl, "Expect:");
    hl = curl_slist_append(hl, "Content-Type:");
    if (!hl)
        goto out;
    easy_setup(c, p->e, h, &x, hl, &sockets);
    if (curl_multi_add_handle(p->m, p->e) != CURLM_OK)
        goto out;
    added = 1;
    h->curl_code = CURLE_OK;
    while (running) {
        if (curl_multi_perform(p->m, &running) != CURLM_OK) {
            h->curl_code = CURLE_RECV_ERROR;
            break;
        }
        if (running && !h->no_cancel && cs_cancelled(c->cancel)) {
            h->curl_code = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (running)
            curl_multi_poll(p->m, NULL, 0, 200, NULL);
    }
    while ((msg = curl_multi_info_read(p->m, &left)))
        if (msg->msg == CURLMSG_DONE)
            h->curl_code = msg->data.result;
    curl_easy_getinfo(p->e, CURLINFO_RESPONSE_CODE, &h->status);
    /* a pooled handle that had to connect again may have sent it twice */
    h->resent = pooled && sockets > 0;
out:
    if (added)
        curl_multi_remove_handle(p->m, p->e);
    if (p)
        handle_give(c, p, added && h->curl_code == CURLE_OK);
    headers_free(hl);
    return 0;
}

/* ---- signing and the retry loop ------------------------------------------- */

struct attempt {
    struct cs_buf url, auth, range, sha, date, token, path;
    struct cs_sigv4_result sig;
    const char *lines[HEADERS_MAX + 6];
    size_t nlines;
};

static int attempt_failed(const struct attempt *a)
{
    return cs_buf_failed(&a->url) || cs_buf_failed(&a->auth) || cs_buf_failed(&a->range) ||
           cs_buf_failed(&a->sha) || cs_buf_failed(&a->date) || cs_buf_failed(&a->token) ||
           cs_buf_failed(&a->path);
}

/* Signs attempt A of R (KEPT bytes of a ranged GET already in hand). */
static int sign_attempt(struct cs_s3 *c, struct s3_req *r, const char *hash, uint64_t kept,
                        struct attempt *a, struct cs_error *err)
{
    size_t ns = 0;

    cs_buf_printf(&a->sha, "x-amz-content-sha256: %s", hash);
    a->lines[ns++] = a->sha.data;
    if (r->ranged) {
        cs_buf_printf(&a->range, "Range: bytes=%llu-%llu",
                      (unsigned long long)(r->range_off + kept), (unsigned long long)r->range_end);
        a->lines[ns++] = a->range.data;
    }
    for (size_t i = 0; i < r->nheaders && ns < HEADERS_MAX; i++)
        a->lines[ns++] = r->headers[i];
    cs_buf_printf(&a->path, "%s/%s", c->path_prefix, r->key ? r->key : "");
    if (!r->key && c->path_prefix[0] && a->path.len)
        a->path.data[--a->path.len] = '\0'; /* "/bucket", not "/bucket/" */
    if (attempt_failed(a))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    struct cs_sigv4_request req = {.method = r->method,
                                   .host = c->host,
                                   .path = a->path.data,
                                   .params = r->params,
                                   .nparams = r->nparams,
                                   .headers = a->lines,
                                   .nheaders = ns,
                                   .payload_hash = hash,
                                   .region = c->s.region,
                                   .service = "s3",
                                   .when = time(NULL)};
    struct cs_sigv4_creds creds = {c->s.access_key, c->s.secret_key, c->s.session_token};
    if (cs_sigv4_sign(&req, &creds, &a->sig, err) < 0)
        return -1;
    cs_buf_printf(&a->url, "%s%s%s%s", c->base, a->sig.path.data, a->sig.query.len ? "?" : "",
                  a->sig.query.len ? a->sig.query.data : "");
    cs_buf_printf(&a->auth, "Authorization: %s", a->sig.authorization.data);
    cs_buf_printf(&a->date, "x-amz-date: %s", a->sig.amz_date.data);
    a->lines[ns++] = a->auth.data;
    a->lines[ns++] = a->date.data;
    if (c->s.session_token && *c->s.session_token) {
        cs_buf_printf(&a->token, "x-amz-security-token: %s", c->s.session_token);
        a->lines[ns++] = a->token.data;
    }
    a->nlines = ns;
    return attempt_failed(a) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : 0;
}

static void attempt_release(struct attempt *a)
{
    cs_buf_release(&a->url);
    cs_buf_release(&a->auth);
    cs_buf_release(&a->range);
    cs_buf_release(&a->sha);
    cs_buf_release(&a->date);
    if (a->token.data)
        memset(a->token.data, 0, a->token.len);
    cs_buf_release(&a->token);
    cs_buf_release(&a->path);
    cs_sigv4_result_release(&a->sig);
    memset(a, 0, sizeof(*a));
}

/* ---- what went wrong ------------------------------------------------------ */

struct outcome {
    long status;
    int curl_code;
    char code[64];  /* S3 error code, "" when none */
    char text[300]; /* S3 error message or curl's */
};

static void read_outcome(const struct cs_s3_http *h, const struct cs_buf *ok_body,
                         struct outcome *o)
{
    const struct cs_buf *b = h->status >= 200 && h->status <= 299 ? ok_body : &h->err_body;
    size_t pos = 0;
    char *code = NULL, *msg = NULL;

    memset(o, 0, sizeof(*o));
    o->status = h->status;
    o->curl_code = h->curl_code;
    /* an error body can come with 200 too (CompleteMultipartUpload) */
    if (b && b->len && memmem(b->data, b->len, "<Error>", 7)) {
        code = s3_xml_text(b->data, b->len, "Code", &pos);
        pos = 0;
        msg = s3_xml_text(b->data, b->len, "Message", &pos);
        if (h->status >= 200 && h->status <= 299 && code)
            o->status = 500;
    }
    snprintf(o->code, sizeof(o->code), "%s", code ? code : "");
    if (h->curl_code)
        snprintf(o->text, sizeof(o->text), "%s",
                 h->curl_msg[0] ? h->curl_msg : curl_easy_strerror(h->curl_code));
    else
        snprintf(o->text, sizeof(o->text), "%s", msg ? msg : "");
    free(code);
    free(msg);
}

static void describe(const struct outcome *o, char *buf, size_t cap)
{
    if (o->curl_code)
        snprintf(buf, cap, "%s (curl error %d)", o->text, o->curl_code);
    else
        snprintf(buf, cap, "HTTP %ld%s%s%s%s", o->status, o->code[0] ? " " : "", o->code,
                 o->text[0] ? ": " : "", o->text);
}

/* What to check, for a permanent failure. */
static const char *advice(const struct cs_s3 *c, const struct outcome *o, char *buf, size_t cap)
{
    const char *ep = c->s.endpoint ? c->s.endpoint : "AWS";

    if (o->curl_code == CURLE_PEER_FAILED_VERIFICATION ||
        o->curl_code == CURLE_SSL_CACERT_BADFILE || o->curl_code == CURLE_SSL_CONNECT_ERROR)
        snprintf(buf, cap, "check the store's TLS certificate, or give its CA with --s3-ca FILE");
    else if (o->curl_code)
        snprintf(buf, cap, "check --s3-endpoint (%s)", ep);
    else if (!strcmp(o->code, "NoSuchBucket"))
        snprintf(buf, cap, "check the bucket name '%s', the endpoint (%s) and --s3-path-style",
                 c->bucket, ep);
    else if (!strcmp(o->code, "SignatureDoesNotMatch"))
        snprintf(buf, cap,
                 "check the secret key (credentials from %s) and the region (%s, from "
                 "AWS_REGION or the profile)",
                 c->s.cred_source, c->s.region);
    else if (!strcmp(o->code, "RequestTimeTooSkewed"))
        snprintf(buf, cap,
                 "check this machine's clock (the signature carries the time, and the store "
                 "refuses one far from its own: run an NTP client)");
    else if (!strcmp(o->code, "InvalidAccessKeyId"))
        snprintf(buf, cap, "check the access key (credentials from %s)", c->s.cred_source);
    else if (o->status == 403)
        snprintf(buf, cap,
                 "check the credentials (from %s) and that they may read and write bucket '%s'",
                 c->s.cred_source, c->bucket);
    else if (o->status == 301 || !strcmp(o->code, "AuthorizationHeaderMalformed"))
        snprintf(buf, cap, "check the region (%s) and the endpoint (%s)", c->s.region, ep);
    else if (o->status == 404)
        snprintf(buf, cap, "check the bucket and the prefix");
    else
        snprintf(buf, cap, "check the endpoint (%s) and the request", ep);
    return buf;
}

static int fail_permanent(struct cs_s3 *c, const struct s3_req *r, const struct outcome *o,
                          struct cs_error *err)
{
    char where[1200], what[400], adv[400];
    int code = CS_ERR_IO;

    s3_where(c, r->key ? r->key : r->label, where, sizeof(where));
    describe(o, what, sizeof(what));
    if (o->curl_code == CURLE_ABORTED_BY_CALLBACK)
        return cs_error_set(err, CS_ERR_CANCELLED, "%s: %s: interrupted", where, r->what);
    if (o->status == 404 && strcmp(o->code, "NoSuchBucket") && strcmp(o->code, "NoSuchUpload"))
        code = CS_ERR_MISSING;
    if (o->status == 412)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: the object changed while it was being read (%s): was the dump "
                            "overwritten?",
                            where, what);
    return cs_error_set(err, code, "%s: %s failed: %s: %s", where, r->what, what,
                        advice(c, o, adv, sizeof(adv)));
}

/* ---- the retry loop -------------------------------------------------------- */

/* Sleeps MS milliseconds in slices, 1 if cancelled meanwhile. */
static int nap(const struct cs_s3 *c, const struct s3_req *r, double ms)
{
    while (ms > 0) {
        double step = ms < 50 ? ms : 50;
        if (cancelled(c, r))
            return 1;
        usleep((useconds_t)(step * 1000));
        ms -= step;
    }
    return cancelled(c, r);
}

/* A ranged answer must be 206 starting at the byte asked for: a store (or
 * proxy) that sends the whole object, or another range, is not appended. */
static int check_range(struct cs_s3 *c, const struct s3_req *r, const struct cs_s3_http *h,
                       size_t keep, struct cs_error *err)
{
    char where[1200];

    if (!r->ranged || h->status < 200 || h->status > 299)
        return 0;
    if (h->status == 206 && h->range_start == h->want_start)
        return 0;
    if (r->resp)
        r->resp->len = keep;
    s3_where(c, r->key, where, sizeof(where));
    if (h->status != 206)
        return cs_error_set(err, CS_ERR_FORMAT,
                            "%s: GET of bytes %llu-%llu answered HTTP %ld without the range: "
                            "the store (or a proxy before it, --s3-endpoint) ignores Range "
                            "headers",
                            where, (unsigned long long)h->want_start,
                            (unsigned long long)r->range_end, h->status);
    return cs_error_set(err, CS_ERR_FORMAT,
                        "%s: GET of bytes %llu-%llu answered with bytes from %s%llu: check the "
                        "store (or a proxy before it, --s3-endpoint)",
                        where, (unsigned long long)h->want_start, (unsigned long long)r->range_end,
                        h->range_start == UINT64_MAX ? "(no Content-Range) " : "",
                        (unsigned long long)(h->range_start == UINT64_MAX ? 0 : h->range_start));
}

static int one_attempt(struct cs_s3 *c, struct s3_req *r, const char *hash, size_t base,
                       double left_s, struct outcome *o, struct cs_error *err)
{
    struct attempt a = {0};
    struct cs_s3_http h = {0};
    uint64_t kept = r->ranged && r->resp ? r->resp->len - base : 0;
    int rc;

    if (!r->ranged && r->resp)
        r->resp->len = base; /* a retried answer replaces the last one */
    if (sign_attempt(c, r, hash, kept, &a, err) < 0) {
        attempt_release(&a);
        return -1;
    }
    h.method = r->method;
    h.url = a.url.data;
    h.headers = a.lines;
    h.nheaders = a.nlines;
    h.body = r->body;
    h.body_len = r->body_len;
    h.head = r->head;
    h.no_cancel = r->no_cancel;
    h.resp = r->resp;
    h.resp_max = r->resp_max ? base + r->resp_max : 0;
    h.want_start = r->ranged ? r->range_off + kept : UINT64_MAX;
    h.timeout_ms = left_s < 1 ? 1000 : (long)(left_s * 1000);
    h.content_length = h.object_size = h.range_start = UINT64_MAX;
    rc = (c->transport ? c->transport(c->transport_ctx, &h) : curl_transport(c, &h));
    r->attempts += h.resent ? 2 : 1;
    read_outcome(&h, r->resp, o);
    snprintf(r->code, sizeof(r->code), "%s", o->code);
    r->status = o->status;
    if (rc == 0 && check_range(c, r, &h, (size_t)(base + kept), err) < 0)
        rc = -1;
    else if (rc == 0 && o->status >= 200 && o->status <= 299 && !o->curl_code) {
        memcpy(r->etag, h.etag, sizeof(r->etag));
        r->object_size = h.object_size != UINT64_MAX ? h.object_size : h.content_length;
    }
    cs_buf_release(&h.err_body);
    attempt_release(&a);
    return rc < 0 ? -1 : 0;
}

/* What a request that runs after a cancel (an abort, a delete) may take. */
#define AFTER_CANCEL_SECONDS 10.0
#define AFTER_CANCEL_RETRIES 2u

int s3_exec(struct cs_s3 *c, struct s3_req *r, struct cs_error *err)
{
    static const char empty_sha[] =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    char hash[65], where[1200], what[400];
    size_t base = r->resp ? r->resp->len : 0;
    double t0 = cs_now();
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)r ^ (unsigned)pthread_self();
    struct outcome o;
    double budget = c->o.retry_seconds;
    unsigned retries = c->o.retries;

    if (r->no_cancel && cs_cancelled(c->cancel)) { /* cleaning up after a signal */
        budget = budget < AFTER_CANCEL_SECONDS ? budget : AFTER_CANCEL_SECONDS;
        retries = retries < AFTER_CANCEL_RETRIES ? retries : AFTER_CANCEL_RETRIES;
    }
    if (!r->body_len)
        memcpy(hash, empty_sha, sizeof(hash));
    else if (cs_sigv4_sha256_hex(r->body, r->body_len, hash) < 0)
        return cs_error_set(err, CS_ERR_INTERNAL, "libcrypto: SHA-256 failed");
    for (unsigned attempt = 1;; attempt++) {
        enum cs_s3_verdict v;
        double delay;
        if (cancelled(c, r))
            return cs_error_set(err, CS_ERR_CANCELLED, "%s: %s: interrupted",
                                s3_where(c, r->key ? r->key : r->label, where, sizeof(where)),
                                r->what);
        if (one_attempt(c, r, hash, base, budget - (cs_now() - t0), &o, err) < 0)
            return -1;
        v = cs_s3_classify(o.status, o.curl_code, o.code);
        if (v == CS_S3_DONE || (r->missing_ok && o.status == 404 && !o.curl_code))
            return 0;
        if (v == CS_S3_PERMANENT || o.curl_code == CURLE_ABORTED_BY_CALLBACK)
            return fail_permanent(c, r, &o, err);
        describe(&o, what, sizeof(what));
        s3_where(c, r->key ? r->key : r->label, where, sizeof(where));
        delay = cs_s3_backoff_ms(&c->o, attempt, (double)rand_r(&seed) / ((double)RAND_MAX + 1));
        if (attempt > retries || cs_now() - t0 + delay / 1000 > budget)
            return cs_error_set(err, CS_ERR_IO,
                                "%s: %s failed after %u attempt(s) in %.1f s: %s: check the "
                                "store (endpoint %s) and the network; --s3-retries and "
                                "--s3-retry-time allow more",
                                where, r->what, attempt, cs_now() - t0, what,
                                c->s.endpoint ? c->s.endpoint : "AWS");
        cs_log_warn(c->log, "%s: %s: %s; retry %u of %u in %.2f s", where, r->what, what, attempt,
                    retries, delay / 1000);
        if (nap(c, r, delay))
            return cs_error_set(err, CS_ERR_CANCELLED, "%s: %s: interrupted", where, r->what);
    }
}
