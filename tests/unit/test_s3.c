/* S3 client without a network: what an attempt's outcome means (retry or
 * fail), the backoff bounds, s3:// URLs, where the settings come from
 * (environment, ~/.aws/credentials, ~/.aws/config) and the retry loop over
 * a scripted fake transport (a 503 retried, a 403 not, attempts bounded, a
 * broken ranged read resumed at the byte it reached, a secret never in a
 * message). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/fs.h"
#include "common/s3.h"

/* ---- classification and backoff ---------------------------------------- */

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(cs_s3_classify(200, 0, ""), CS_S3_DONE);
    assert_int_equal(cs_s3_classify(206, 0, ""), CS_S3_DONE);
    assert_int_equal(cs_s3_classify(503, 0, "SlowDown"), CS_S3_RETRY);
    assert_int_equal(cs_s3_classify(500, 0, "InternalError"), CS_S3_RETRY);
    assert_int_equal(cs_s3_classify(429, 0, ""), CS_S3_RETRY);
    assert_int_equal(cs_s3_classify(400, 0, "RequestTimeout"), CS_S3_RETRY);
    assert_int_equal(cs_s3_classify(0, 56, ""), CS_S3_RETRY);   /* connection reset */
    assert_int_equal(cs_s3_classify(0, 28, ""), CS_S3_RETRY);   /* timeout */
    assert_int_equal(cs_s3_classify(206, 18, ""), CS_S3_RETRY); /* short body */
    assert_int_equal(cs_s3_classify(0, 7, ""), CS_S3_RETRY);    /* refused */
    assert_int_equal(cs_s3_classify(403, 0, "AccessDenied"), CS_S3_PERMANENT);
    assert_int_equal(cs_s3_classify(403, 0, "SignatureDoesNotMatch"), CS_S3_PERMANENT);
    assert_int_equal(cs_s3_classify(404, 0, "NoSuchBucket"), CS_S3_PERMANENT);
    assert_int_equal(cs_s3_classify(404, 0, "NoSuchKey"), CS_S3_PERMANENT);
    assert_int_equal(cs_s3_classify(400, 0, "EntityTooSmall"), CS_S3_PERMANENT);
    assert_int_equal(cs_s3_classify(0, 60, ""), CS_S3_PERMANENT); /* bad certificate */
    assert_int_equal(cs_s3_classify(0, 77, ""), CS_S3_PERMANENT); /* bad CA file */
    assert_int_equal(cs_s3_classify(0, 35, ""), CS_S3_RETRY);     /* handshake reset */
    assert_int_equal(cs_s3_classify(403, 0, "RequestTimeTooSkewed"), CS_S3_PERMANENT);
}

static void test_backoff(void **state)
{
    struct cs_s3_options o;

    (void)state;
    cs_s3_options_init(&o);
    assert_true(cs_s3_backoff_ms(&o, 1, 0.999) <= o.backoff_base_ms);
    assert_true(cs_s3_backoff_ms(&o, 3, 0.999) <= 4 * o.backoff_base_ms);
    assert_true(cs_s3_backoff_ms(&o, 3, 0.999) > 2 * o.backoff_base_ms);
    assert_true(cs_s3_backoff_ms(&o, 40, 0.999) <= o.backoff_cap_ms);
    assert_true(cs_s3_backoff_ms(&o, 40, 0.5) >= o.backoff_cap_ms * 0.49);
    assert_true(cs_s3_backoff_ms(&o, 2, 0.0) == 0.0);
}

static void test_url(void **state)
{
    struct cs_error err;
    char *b, *k;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_url_parse("s3://my-bucket/a/b/", &b, &k, &err), 0);
    assert_string_equal(b, "my-bucket");
    assert_string_equal(k, "a/b/");
    free(b);
    free(k);
    assert_int_equal(cs_s3_url_parse("s3://bkt", &b, &k, &err), 0);
    assert_string_equal(k, "");
    free(b);
    free(k);
    assert_int_equal(cs_s3_url_parse("s3:///x", &b, &k, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_int_equal(cs_s3_url_parse("s3://Bad_Name/x", &b, &k, &err), -1);
    assert_false(cs_s3_is_url("/tmp/dump"));
}

/* ---- settings ------------------------------------------------------------ */

static char home[256];

static void write_file(const char *name, const char *text)
{
    char dir[300], path[300];
    struct cs_error err;

    snprintf(dir, sizeof(dir), "%s/.aws", home);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    cs_error_clear(&err);
    assert_int_equal(cs_fs_mkdir_p(dir, 0700, &err), 0);
    assert_int_equal(cs_fs_write_atomic(path, text, strlen(text), 0600, &err), 0);
}

static int setup_home(void **state)
{
    (void)state;
    snprintf(home, sizeof(home), "/tmp/test_s3.XXXXXX");
    assert_non_null(mkdtemp(home));
    write_file("credentials", "[default]\naws_access_key_id = AKDEF\n"
                              "aws_secret_access_key = SKDEF\n\n"
                              "[other]\naws_access_key_id=AKOTHER\naws_secret_access_key=SKOTHER\n"
                              "aws_session_token = TOK\n");
    write_file("config", "[default]\nregion = eu-west-3\n"
                         "[profile other]\nregion = ap-south-1\n"
                         "endpoint_url = http://127.0.0.1:9000/\n"
                         "s3 =\n  endpoint_url = http://nested.invalid\n"
                         "[profile cfgonly]\naws_access_key_id = AKCFG\n"
                         "aws_secret_access_key = SKCFG\n");
    return 0;
}

static int teardown_home(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
    return system(cmd) == 0 ? 0 : -1;
}

static int resolve(char **env, struct cs_s3_settings *s, struct cs_error *err)
{
    struct cs_s3_options o;

    cs_s3_options_init(&o);
    cs_error_clear(err);
    return cs_s3_settings_resolve(&o, env, s, err);
}

static void test_settings_env(void **state)
{
    char h[300];
    char *env[] = {h,
                   "AWS_ACCESS_KEY_ID=AKENV",
                   "AWS_SECRET_ACCESS_KEY=SKENV",
                   "AWS_SESSION_TOKEN=TKENV",
                   "AWS_DEFAULT_REGION=us-west-2",
                   "AWS_ENDPOINT_URL=https://store.example:8443/",
                   NULL};
    struct cs_s3_settings s;
    struct cs_error err;

    (void)state;
    snprintf(h, sizeof(h), "HOME=%s", home);
    assert_int_equal(resolve(env, &s, &err), 0);
    assert_string_equal(s.access_key, "AKENV");
    assert_string_equal(s.secret_key, "SKENV");
    assert_string_equal(s.session_token, "TKENV");
    assert_string_equal(s.region, "us-west-2");
    assert_string_equal(s.endpoint, "https://store.example:8443");
    cs_s3_settings_release(&s);
}

static void test_settings_profiles(void **state)
{
    char h[300];
    char *env[4] = {h, NULL, NULL, NULL};
    struct cs_s3_settings s;
    struct cs_error err;

    (void)state;
    snprintf(h, sizeof(h), "HOME=%s", home);
    assert_int_equal(resolve(env, &s, &err), 0); /* default profile */
    assert_string_equal(s.access_key, "AKDEF");
    assert_string_equal(s.region, "eu-west-3");
    assert_null(s.endpoint);
    assert_null(s.session_token);
    cs_s3_settings_release(&s);
    env[1] = "AWS_PROFILE=other";
    assert_int_equal(resolve(env, &s, &err), 0);
    assert_string_equal(s.access_key, "AKOTHER");
    assert_string_equal(s.session_token, "TOK");
    assert_string_equal(s.region, "ap-south-1");
    assert_string_equal(s.endpoint, "http://127.0.0.1:9000"); /* not the nested s3 one */
    cs_s3_settings_release(&s);
    env[2] = "AWS_REGION=ca-central-1"; /* the environment beats the profile */
    assert_int_equal(resolve(env, &s, &err), 0);
    assert_string_equal(s.region, "ca-central-1");
    cs_s3_settings_release(&s);
    env[2] = NULL;
    env[1] = "AWS_PROFILE=cfgonly"; /* keys in ~/.aws/config work too */
    assert_int_equal(resolve(env, &s, &err), 0);
    assert_string_equal(s.access_key, "AKCFG");
    assert_string_equal(s.region, "us-east-1");
    cs_s3_settings_release(&s);
}

static void test_settings_refused(void **state)
{
    char h[300];
    char *env[4] = {h, "AWS_PROFILE=nosuch", NULL, NULL};
    struct cs_s3_settings s;
    struct cs_error err;

    (void)state;
    snprintf(h, sizeof(h), "HOME=%s", home);
    assert_int_equal(resolve(env, &s, &err), -1);
    assert_int_equal(err.code, CS_ERR_USAGE);
    assert_non_null(strstr(err.msg, "'nosuch'"));
    env[1] = "AWS_ACCESS_KEY_ID=AKONLY";
    assert_int_equal(resolve(env, &s, &err), -1);
    assert_non_null(strstr(err.msg, "AWS_SECRET_ACCESS_KEY"));
    env[0] = "HOME=/nonexistent";
    env[1] = NULL;
    assert_int_equal(resolve(env, &s, &err), -1);
    assert_non_null(strstr(err.msg, "no S3 credentials"));
    char *env2[] = {"AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=B", "AWS_ENDPOINT_URL=ftp://x",
                    NULL};
    assert_int_equal(resolve(env2, &s, &err), -1);
    assert_non_null(strstr(err.msg, "http://"));
}

/* ---- the retry loop over a fake transport -------------------------------- */

struct script {
    int n;           /* attempts seen */
    long status[12]; /* per attempt; 0 = no answer */
    int curl_code[12];
    const char *body[12]; /* the body delivered (ok or error) */
    char range[12][64];   /* the Range header each attempt sent */
    char req[12][160];    /* "METHOD URL" of each attempt */
    long timeout_ms[12];  /* the attempt's time bound */
    /* the Content-Range start answered: 0 = the byte asked for, else this - 1 */
    uint64_t crange[12];
    int resent[12]; /* the transport says it may have sent it twice */
    int saw_secret;
};

static int fake(void *ctx, struct cs_s3_http *h)
{
    struct script *s = ctx;
    int i = s->n < 11 ? s->n : 11;

    s->n++;
    s->range[i][0] = '\0';
    snprintf(s->req[i], sizeof(s->req[i]), "%s %s", h->method, h->url);
    s->timeout_ms[i] = h->timeout_ms;
    for (size_t k = 0; k < h->nheaders; k++) {
        if (!strncmp(h->headers[k], "Range: ", 7))
            snprintf(s->range[i], sizeof(s->range[i]), "%s", h->headers[k] + 7);
        if (strstr(h->headers[k], "SECRETKEY"))
            s->saw_secret = 1;
    }
    h->status = s->status[i];
    h->curl_code = s->curl_code[i];
    h->resent = s->resent[i];
    if (h->status == 206)
        h->range_start = s->crange[i] ? s->crange[i] - 1 : h->want_start;
    if (s->body[i]) {
        if (h->status >= 200 && h->status <= 299 && h->resp)
            cs_buf_puts(h->resp, s->body[i]);
        else
            cs_buf_puts(&h->err_body, s->body[i]);
    }
    return 0;
}

static struct cs_s3 *fake_client(struct script *s, unsigned retries)
{
    struct cs_s3_options o;
    struct cs_s3_settings set = {.access_key = "AKID",
                                 .secret_key = "SECRETKEY",
                                 .region = "us-east-1",
                                 .endpoint = "http://127.0.0.1:1",
                                 .cred_source = "test"};
    struct cs_error err;
    struct cs_s3 *c;

    cs_s3_options_init(&o);
    o.path_style = 1;
    o.retries = retries;
    o.backoff_base_ms = 1;
    o.backoff_cap_ms = 2;
    cs_error_clear(&err);
    c = cs_s3_new(&o, &set, "bkt", NULL, NULL, &err);
    assert_non_null(c);
    cs_s3_set_transport(c, fake, s);
    return c;
}

static void test_retry_then_ok(void **state)
{
    struct script s = {.status = {503, 0, 200},
                       .curl_code = {0, 56, 0},
                       .body = {"<Error><Code>SlowDown</Code></Error>", NULL, "hello"}};
    struct cs_s3 *c = fake_client(&s, 5);
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_get(c, "k", 100, &b, &err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(b.data, "hello");
    assert_false(s.saw_secret);
    cs_buf_release(&b);
    cs_s3_free(c);
}

static void test_permanent_at_once(void **state)
{
    struct script s = {.status = {403, 200},
                       .body = {"<Error><Code>AccessDenied</Code><Message>no</Message></Error>"}};
    struct cs_s3 *c = fake_client(&s, 5);
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_put(c, "pre/manifest.json", "x", 1, &err), -1);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(err.msg, "s3://bkt/pre/manifest.json"));
    assert_non_null(strstr(err.msg, "AccessDenied"));
    assert_non_null(strstr(err.msg, "check the credentials"));
    assert_null(strstr(err.msg, "SECRETKEY"));
    s.n = 0;
    s.status[0] = 404;
    s.body[0] = "<Error><Code>NoSuchKey</Code></Error>";
    assert_int_equal(cs_s3_put(c, "k", "x", 1, &err), -1);
    assert_int_equal(err.code, CS_ERR_MISSING);
    s.n = 0;
    s.status[0] = 403;
    s.body[0] = "<Error><Code>RequestTimeTooSkewed</Code></Error>";
    assert_int_equal(cs_s3_put(c, "k", "x", 1, &err), -1);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(err.msg, "clock"));
    cs_s3_free(c);
}

static void test_attempts_bounded(void **state)
{
    struct script s;
    struct cs_s3 *c;
    struct cs_error err;

    (void)state;
    memset(&s, 0, sizeof(s));
    for (int i = 0; i < 12; i++)
        s.status[i] = 500;
    c = fake_client(&s, 3);
    cs_error_clear(&err);
    assert_int_equal(cs_s3_delete(c, "k", &err), -1);
    assert_int_equal(s.n, 4); /* the first and 3 retries */
    assert_non_null(strstr(err.msg, "after 4 attempt(s)"));
    assert_non_null(strstr(err.msg, "s3://bkt/k"));
    cs_s3_free(c);
}

static void test_range_resumes(void **state)
{
    /* the first answer breaks off after 4 bytes: the second asks from byte 14 */
    struct script s = {.status = {206, 206}, .curl_code = {18, 0}, .body = {"abcd", "efghij"}};
    struct cs_s3 *c = fake_client(&s, 5);
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_get_range(c, "k", 10, 10, "\"etag\"", &b, NULL, &err), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.range[0], "bytes=10-19");
    assert_string_equal(s.range[1], "bytes=14-19");
    assert_string_equal(b.data, "abcdefghij");
    cs_buf_release(&b);
    cs_s3_free(c);
}

static void test_range_checked(void **state)
{
    /* a store ignoring Range: 200 with the whole object is not appended */
    struct script s = {.status = {200}, .body = {"0123456789abcdefghij"}};
    struct cs_s3 *c = fake_client(&s, 5);
    struct cs_buf b = CS_BUF_INIT;
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    cs_buf_puts(&b, "x");
    assert_int_equal(cs_s3_get_range(c, "k", 10, 10, NULL, &b, NULL, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "ignores Range"));
    assert_int_equal(b.len, 1);
    /* a 206 of another range neither */
    memset(&s, 0, sizeof(s));
    s.status[0] = 206;
    s.crange[0] = 1; /* bytes from 0 */
    s.body[0] = "0123456789";
    assert_int_equal(cs_s3_get_range(c, "k", 10, 10, NULL, &b, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "answered with bytes from 0"));
    assert_int_equal(b.len, 1);
    cs_buf_release(&b);
    cs_s3_free(c);
}

static void test_create_lost(void **state)
{
    /* the first Create's answer is lost (the store made upload A): the
     * retry gets B, and A is found and aborted */
    struct script s = {
        .status = {0, 200, 200, 204},
        .curl_code = {56},
        .body = {NULL,
                 "<InitiateMultipartUploadResult><UploadId>B</UploadId>"
                 "</InitiateMultipartUploadResult>",
                 "<ListMultipartUploadsResult><Upload><Key>p/k</Key><UploadId>A</UploadId>"
                 "</Upload><Upload><Key>p/k</Key><UploadId>B</UploadId></Upload>"
                 "<Upload><Key>p/k2</Key><UploadId>C</UploadId></Upload>"
                 "</ListMultipartUploadsResult>"}};
    struct cs_s3 *c = fake_client(&s, 5);
    struct cs_error err;
    char *id = NULL;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_mpu_create(c, "p/k", &id, &err), 0);
    assert_string_equal(id, "B");
    assert_int_equal(s.n, 4);
    assert_non_null(strstr(s.req[2], "GET "));
    assert_non_null(strstr(s.req[2], "prefix=p%2Fk"));
    assert_non_null(strstr(s.req[2], "uploads"));
    assert_non_null(strstr(s.req[3], "DELETE "));
    assert_non_null(strstr(s.req[3], "uploadId=A"));
    free(id);
    /* a Create answered at once lists nothing */
    memset(&s, 0, sizeof(s));
    s.status[0] = 200;
    s.body[0] = "<UploadId>D</UploadId>";
    assert_int_equal(cs_s3_mpu_create(c, "p/k", &id, &err), 0);
    assert_int_equal(s.n, 1);
    free(id);
    /* one that curl may have resent itself is checked too */
    memset(&s, 0, sizeof(s));
    s.status[0] = s.status[1] = 200;
    s.resent[0] = 1;
    s.body[0] = "<UploadId>E</UploadId>";
    s.body[1] = "<ListMultipartUploadsResult></ListMultipartUploadsResult>";
    assert_int_equal(cs_s3_mpu_create(c, "p/k", &id, &err), 0);
    assert_int_equal(s.n, 2);
    assert_non_null(strstr(s.req[1], "uploads"));
    free(id);
    cs_s3_free(c);
}

static void test_complete_lost(void **state)
{
    /* the first Complete's answer is lost; the retry is told NoSuchUpload;
     * the object is there, so it is done */
    char etags[1][130] = {"\"e1\""};
    struct script s = {.status = {0, 404, 200},
                       .curl_code = {56},
                       .body = {NULL, "<Error><Code>NoSuchUpload</Code></Error>"}};
    struct cs_s3 *c = fake_client(&s, 5);
    struct cs_error err;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_mpu_complete(c, "k", "U", etags, 1, &err), 0);
    assert_int_equal(s.n, 3);
    assert_non_null(strstr(s.req[2], "HEAD "));
    /* at the first attempt too (curl may have resent it itself) */
    memset(&s, 0, sizeof(s));
    s.status[0] = 404;
    s.status[1] = 200;
    s.body[0] = "<Error><Code>NoSuchUpload</Code></Error>";
    assert_int_equal(cs_s3_mpu_complete(c, "k", "U", etags, 1, &err), 0);
    assert_int_equal(s.n, 2);
    /* but not when the object is not there */
    memset(&s, 0, sizeof(s));
    s.status[0] = 0;
    s.curl_code[0] = 56;
    s.status[1] = 404;
    s.body[1] = "<Error><Code>NoSuchUpload</Code></Error>";
    s.status[2] = 404;
    assert_int_equal(cs_s3_mpu_complete(c, "k", "U", etags, 1, &err), -1);
    assert_non_null(strstr(err.msg, "NoSuchUpload"));
    cs_s3_free(c);
}

static void test_time_bounds(void **state)
{
    struct script s = {.status = {200}};
    struct cs_s3 *c;
    struct cs_error err;
    volatile int cancel = 0;

    (void)state;
    c = fake_client(&s, 5);
    cs_error_clear(&err);
    assert_int_equal(cs_s3_put(c, "k", "x", 1, &err), 0);
    /* the attempt is bounded by what is left of --s3-retry-time (300 s) */
    assert_true(s.timeout_ms[0] > 290000 && s.timeout_ms[0] <= 300000);
    cs_s3_free(c);
    /* after a signal, an abort gets a short budget and few retries */
    struct cs_s3_options o;
    struct cs_s3_settings set = {.access_key = "AKID",
                                 .secret_key = "SECRETKEY",
                                 .region = "us-east-1",
                                 .endpoint = "http://127.0.0.1:1",
                                 .cred_source = "test"};
    cs_s3_options_init(&o);
    o.path_style = 1;
    o.backoff_base_ms = 1;
    o.backoff_cap_ms = 2;
    c = cs_s3_new(&o, &set, "bkt", NULL, &cancel, &err);
    assert_non_null(c);
    memset(&s, 0, sizeof(s));
    for (int i = 0; i < 12; i++)
        s.status[i] = 503;
    cs_s3_set_transport(c, fake, &s);
    cancel = 1;
    assert_int_equal(cs_s3_mpu_abort(c, "k", "U", &err), -1);
    assert_int_equal(s.n, 3);
    assert_true(s.timeout_ms[0] <= 10000);
    /* and a cancelled request does not start */
    s.n = 0;
    assert_int_equal(cs_s3_put(c, "k", "x", 1, &err), -1);
    assert_int_equal(err.code, CS_ERR_CANCELLED);
    assert_int_equal(s.n, 0);
    cs_s3_free(c);
}

static void test_listing(void **state)
{
    struct script s = {
        .status = {200, 200},
        .body = {"<ListBucketResult><IsTruncated>true</IsTruncated>"
                 "<NextContinuationToken>T1</NextContinuationToken>"
                 "<Contents><Key>p/</Key><Size>0</Size></Contents>"
                 "<Contents><Key>p/a</Key><Size>3</Size></Contents></ListBucketResult>",
                 "<ListBucketResult><IsTruncated>false</IsTruncated>"
                 "<Contents><Key>p/b</Key><Size>4</Size></Contents>"
                 "<CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes></ListBucketResult>"}};
    struct cs_s3 *c = fake_client(&s, 0);
    struct cs_s3_object *o;
    struct cs_error err;
    size_t n;
    char *big;

    (void)state;
    cs_error_clear(&err);
    assert_int_equal(cs_s3_list_dir(c, "p/", 0, &o, &n, &err), 0);
    assert_int_equal(n, 2); /* the folder marker p/ is not a file */
    assert_string_equal(o[0].key, "p/a");
    assert_string_equal(o[1].key, "p/b");
    assert_non_null(strstr(s.req[0], "delimiter=%2F"));
    assert_non_null(strstr(s.req[1], "continuation-token=T1"));
    cs_s3_objects_free(o, n);
    /* max-keys=1: one object is enough */
    memset(&s, 0, sizeof(s));
    s.status[0] = 200;
    s.body[0] = "<IsTruncated>true</IsTruncated><NextContinuationToken>T</NextContinuationToken>"
                "<Contents><Key>p/a</Key><Size>3</Size></Contents>";
    assert_int_equal(cs_s3_list_dir(c, "p/", 1, &o, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(s.n, 1);
    assert_non_null(strstr(s.req[0], "max-keys=1"));
    cs_s3_objects_free(o, n);
    /* truncated without a token */
    memset(&s, 0, sizeof(s));
    s.status[0] = 200;
    s.body[0] = "<IsTruncated>true</IsTruncated><Contents><Key>p/a</Key></Contents>";
    assert_int_equal(cs_s3_list(c, "p/", &o, &n, &err), -1);
    assert_int_equal(err.code, CS_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "NextContinuationToken"));
    assert_null(o);
    /* an endless page */
    big = malloc(9u << 20);
    assert_non_null(big);
    memset(big, 'x', (9u << 20) - 1);
    big[(9u << 20) - 1] = '\0';
    memset(&s, 0, sizeof(s));
    s.status[0] = 200;
    s.body[0] = big;
    assert_int_equal(cs_s3_list(c, "p/", &o, &n, &err), -1);
    assert_non_null(strstr(err.msg, "larger than"));
    /* and a CreateMultipartUpload answer over 64 KiB */
    s.n = 0;
    char *id;
    assert_int_equal(cs_s3_mpu_create(c, "k", &id, &err), -1);
    assert_non_null(strstr(err.msg, "larger than"));
    free(big);
    cs_s3_free(c);
}

static void test_part_size(void **state)
{
    uint64_t total = 0, prev = 0;

    (void)state;
    assert_int_equal(cs_s3_part_size(CS_S3_DEFAULT_PART, 1), CS_S3_DEFAULT_PART);
    assert_int_equal(cs_s3_part_size(CS_S3_DEFAULT_PART, 1000), CS_S3_DEFAULT_PART);
    assert_int_equal(cs_s3_part_size(CS_S3_DEFAULT_PART, 1001), 2 * CS_S3_DEFAULT_PART);
    assert_int_equal(cs_s3_part_size(1, 1), CS_S3_MIN_PART);
    for (unsigned p = 1; p <= CS_S3_MAX_PARTS; p++) {
        uint64_t sz = cs_s3_part_size(CS_S3_DEFAULT_PART, p);
        assert_true(sz >= prev && sz <= CS_S3_MAX_PART);
        prev = sz;
        total += sz;
    }
    assert_true(total >= (5ull << 40)); /* S3's largest object fits */
    /* the smallest base still holds several TB */
    total = 0;
    for (unsigned p = 1; p <= CS_S3_MAX_PARTS; p++)
        total += cs_s3_part_size(CS_S3_MIN_PART, p);
    assert_true(total >= (4ull << 40));
    assert_int_equal(cs_s3_part_size(5ull << 30, 9000), CS_S3_MAX_PART);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_url),
        cmocka_unit_test_setup_teardown(test_settings_env, setup_home, teardown_home),
        cmocka_unit_test_setup_teardown(test_settings_profiles, setup_home, teardown_home),
        cmocka_unit_test_setup_teardown(test_settings_refused, setup_home, teardown_home),
        cmocka_unit_test(test_retry_then_ok),
        cmocka_unit_test(test_permanent_at_once),
        cmocka_unit_test(test_attempts_bounded),
        cmocka_unit_test(test_range_resumes),
        cmocka_unit_test(test_range_checked),
        cmocka_unit_test(test_create_lost),
        cmocka_unit_test(test_complete_lost),
        cmocka_unit_test(test_time_bounds),
        cmocka_unit_test(test_listing),
        cmocka_unit_test(test_part_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
