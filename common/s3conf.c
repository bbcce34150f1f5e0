/*
 * s3conf.c - the pure half of s3.h: defaults, URLs, where settings come
 * from (environment, ~/.aws/credentials, ~/.aws/config), what a failed
 * attempt means, and how long to wait before the next one.
 */
#include "common/s3.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/connopt.h"
#include "common/fs.h"

void cs_s3_options_init(struct cs_s3_options *o)
{
    memset(o, 0, sizeof(*o));
    o->part_size = CS_S3_DEFAULT_PART;
    o->parts_in_flight = 2;
    o->retries = 8;
    o->retry_seconds = 300;
    o->stall_seconds = 60;
    o->backoff_base_ms = 200;
    o->backoff_cap_ms = 20000;
}

void cs_s3_settings_release(struct cs_s3_settings *s)
{
    if (!s)
        return;
    free(s->access_key);
    if (s->secret_key)
        memset(s->secret_key, 0, strlen(s->secret_key));
    free(s->secret_key);
    if (s->session_token)
        memset(s->session_token, 0, strlen(s->session_token));
    free(s->session_token);
    free(s->region);
    free(s->endpoint);
    free(s->cred_source);
    memset(s, 0, sizeof(*s));
}

int cs_s3_option_parse(struct cs_s3_options *o, int opt, const char *arg, struct cs_error *err)
{
    unsigned long long n;

    switch (opt) {
    case CS_S3_OPT_ENDPOINT:
        if (strncmp(arg, "http://", 7) && strncmp(arg, "https://", 8))
            return cs_error_set(err, CS_ERR_USAGE,
                                "--s3-endpoint=%s: expected an http:// or https:// URL", arg);
        o->endpoint = arg;
        return 0;
    case CS_S3_OPT_PATH_STYLE:
        o->path_style = 1;
        return 0;
    case CS_S3_OPT_CA:
        o->ca_file = arg;
        return 0;
    case CS_S3_OPT_PART_SIZE:
        if (cs_connopt_size("s3-part-size", arg, CS_S3_MIN_PART, 5ull << 30, &n, err) < 0)
            return -1;
        o->part_size = n;
        return 0;
    case CS_S3_OPT_RETRIES:
        if (cs_connopt_uint("s3-retries", arg, 0, 100, &n, err) < 0)
            return -1;
        o->retries = (unsigned)n;
        return 0;
    case CS_S3_OPT_RETRY_TIME:
        if (cs_connopt_uint("s3-retry-time", arg, 1, 86400, &n, err) < 0)
            return -1;
        o->retry_seconds = (double)n;
        return 0;
    default:
        return 1;
    }
}

uint64_t cs_s3_part_size(uint64_t base, unsigned part)
{
    unsigned step = part ? (part - 1) / CS_S3_PARTS_PER_STEP : 0;
    uint64_t size = base < CS_S3_MIN_PART ? CS_S3_MIN_PART : base;

    for (unsigned i = 0; i < step && size < CS_S3_MAX_PART; i++)
        size *= 2;
    return size < CS_S3_MAX_PART ? size : CS_S3_MAX_PART;
}

/* ---- URLs --------------------------------------------------------------- */

int cs_s3_is_url(const char *s)
{
    return s && !strncmp(s, "s3://", 5);
}

/* S3's rules, loosely: 3..63 of [a-z0-9.-_], starting alphanumeric. */
static int bucket_ok(const char *b, size_t n)
{
    if (n < 3 || n > 63 || !isalnum((unsigned char)b[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)b[i]) && !isdigit((unsigned char)b[i]) && !strchr(".-_", b[i]))
            return 0;
    return 1;
}

int cs_s3_url_parse(const char *url, char **bucket, char **key, struct cs_error *err)
{
    const char *b, *slash;
    size_t n;

    *bucket = *key = NULL;
    if (!cs_s3_is_url(url))
        return cs_error_set(err, CS_ERR_USAGE, "%s: not an s3://BUCKET/PREFIX URL", url);
    b = url + 5;
    slash = strchr(b, '/');
    n = slash ? (size_t)(slash - b) : strlen(b);
    if (!bucket_ok(b, n))
        return cs_error_set(err, CS_ERR_USAGE,
                            "%s: '%.*s' is not a bucket name (3-63 lower-case letters, digits, "
                            "'.', '-')",
                            url, (int)n, b);
    *bucket = strndup(b, n);
    *key = strdup(slash ? slash + 1 : "");
    if (!*bucket || !*key) {
        free(*bucket);
        free(*key);
        *bucket = *key = NULL;
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return 0;
}

/* ---- settings ------------------------------------------------------------ */

static const char *env_get(char *const *env, const char *name)
{
    size_t n = strlen(name);

    for (size_t i = 0; env && env[i]; i++)
        if (!strncmp(env[i], name, n) && env[i][n] == '=')
            return env[i][n + 1] ? env[i] + n + 1 : NULL;
    return NULL;
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* The value of KEY in section SECTION of the ini text TEXT (malloc'd), or
 * NULL.  Indented lines belong to a nested block (`s3 =` ...) and are
 * skipped; 1 in *found_section when the section exists. */
static char *ini_value(const char *text, const char *section, const char *key, int *found_section)
{
    char *copy = text ? strdup(text) : NULL, *save = NULL, *val = NULL;
    int in = 0;

    for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line && !val;
         line = strtok_r(NULL, "\n", &save)) {
        int indented = isspace((unsigned char)line[0]);
        char *t = trim(line), *eq;
        if (!*t || *t == '#' || *t == ';')
            continue;
        if (*t == '[') {
            char *end = strchr(t, ']');
            if (end)
                *end = '\0';
            in = !strcmp(trim(t + 1), section);
            *found_section |= in;
            continue;
        }
        if (!in || indented || !(eq = strchr(t, '=')))
            continue;
        *eq = '\0';
        if (!strcmp(trim(t), key) && *trim(eq + 1))
            val = strdup(trim(eq + 1));
    }
    free(copy);
    return val;
}

struct profile {
    const char *name;
    char *cred_text, *conf_text;
    char cred_path[1024], conf_path[1024];
    int found;
};

static void profile_load(struct profile *p, char *const *env)
{
    const char *home = env_get(env, "HOME");
    const char *cf = env_get(env, "AWS_SHARED_CREDENTIALS_FILE");
    const char *kf = env_get(env, "AWS_CONFIG_FILE");
    struct cs_error ignore;
    size_t len;

    snprintf(p->cred_path, sizeof(p->cred_path), "%s%s",
             cf     ? cf
             : home ? home
                    : "",
             cf ? "" : "/.aws/credentials");
    snprintf(p->conf_path, sizeof(p->conf_path), "%s%s",
             kf     ? kf
             : home ? home
                    : "",
             kf ? "" : "/.aws/config");
    if ((cf || home) && cs_fs_read_all(p->cred_path, 1 << 20, &p->cred_text, &len, &ignore) < 0)
        p->cred_text = NULL;
    if ((kf || home) && cs_fs_read_all(p->conf_path, 1 << 20, &p->conf_text, &len, &ignore) < 0)
        p->conf_text = NULL;
}

/* KEY of the profile: the credentials file's [NAME], then the config
 * file's [profile NAME] ([default] for the default profile). */
static char *profile_value(struct profile *p, const char *key, int *from_conf)
{
    char section[300];
    char *v = ini_value(p->cred_text, p->name, key, &p->found);

    *from_conf = 0;
    if (v)
        return v;
    if (!strcmp(p->name, "default"))
        snprintf(section, sizeof(section), "default");
    else
        snprintf(section, sizeof(section), "profile %s", p->name);
    v = ini_value(p->conf_text, section, key, &p->found);
    *from_conf = v != NULL;
    return v;
}

static int dup_env(char **dst, char *const *env, const char *name)
{
    const char *v = env_get(env, name);

    *dst = v ? strdup(v) : NULL;
    return v && !*dst ? -1 : 0;
}

static int creds_from_env(struct cs_s3_settings *s, char *const *env, struct cs_error *err)
{
    const char *ak = env_get(env, "AWS_ACCESS_KEY_ID");
    const char *sk = env_get(env, "AWS_SECRET_ACCESS_KEY");

    if (!ak && !sk)
        return 0;
    if (!ak || !sk)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%s is set but %s is not: set both (or neither, to use a profile)",
                            ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                            ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    if (dup_env(&s->access_key, env, "AWS_ACCESS_KEY_ID") < 0 ||
        dup_env(&s->secret_key, env, "AWS_SECRET_ACCESS_KEY") < 0 ||
        dup_env(&s->session_token, env, "AWS_SESSION_TOKEN") < 0 ||
        !(s->cred_source = strdup("AWS_ACCESS_KEY_ID")))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    return 1;
}

static int creds_from_profile(struct cs_s3_settings *s, struct profile *p, int explicit_profile,
                              struct cs_error *err)
{
    char src[2200];
    int conf;

    s->access_key = profile_value(p, "aws_access_key_id", &conf);
    s->secret_key = profile_value(p, "aws_secret_access_key", &conf);
    s->session_token = profile_value(p, "aws_session_token", &conf);
    if (explicit_profile && !p->found)
        return cs_error_set(err, CS_ERR_USAGE,
                            "AWS profile '%s' is in neither %s nor %s: check AWS_PROFILE", p->name,
                            p->cred_path, p->conf_path);
    if (!s->access_key || !s->secret_key)
        return cs_error_set(err, CS_ERR_USAGE,
                            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                            "or give profile '%s' aws_access_key_id and aws_secret_access_key "
                            "in %s (AWS_PROFILE picks another profile)",
                            p->name, p->cred_path);
    snprintf(src, sizeof(src), "profile '%s' (%s)", p->name, conf ? p->conf_path : p->cred_path);
    s->cred_source = strdup(src);
    return s->cred_source ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

static int endpoint_set(struct cs_s3_settings *s, const char *url, const char *from,
                        struct cs_error *err)
{
    size_t n;

    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        return cs_error_set(err, CS_ERR_USAGE,
                            "%s: endpoint '%s' must start with http:// or https://", from, url);
    n = strlen(url);
    while (n > 8 && url[n - 1] == '/')
        n--;
    s->endpoint = strndup(url, n);
    return s->endpoint ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

/* Region and endpoint: options, then environment, then the profile. */
static int place_resolve(struct cs_s3_settings *s, const struct cs_s3_options *o, struct profile *p,
                         char *const *env, struct cs_error *err)
{
    const char *ep = o->endpoint;
    const char *from = "--s3-endpoint";
    char *conf_ep = NULL;
    int conf, rc = 0;

    if (dup_env(&s->region, env, "AWS_REGION") < 0 ||
        (!s->region && dup_env(&s->region, env, "AWS_DEFAULT_REGION") < 0))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (!s->region)
        s->region = profile_value(p, "region", &conf);
    if (!s->region && !(s->region = strdup("us-east-1")))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (!ep && (ep = env_get(env, "AWS_ENDPOINT_URL_S3")))
        from = "AWS_ENDPOINT_URL_S3";
    if (!ep && (ep = env_get(env, "AWS_ENDPOINT_URL")))
        from = "AWS_ENDPOINT_URL";
    if (!ep && (conf_ep = profile_value(p, "endpoint_url", &conf))) {
        ep = conf_ep;
        from = conf ? p->conf_path : p->cred_path;
    }
    if (ep)
        rc = endpoint_set(s, ep, from, err);
    free(conf_ep);
    return rc;
}

int cs_s3_settings_resolve(const struct cs_s3_options *o, char *const *env,
                           struct cs_s3_settings *out, struct cs_error *err)
{
    struct profile p = {0};
    const char *name = env_get(env, "AWS_PROFILE");
    int rc, explicit_profile = name != NULL;

    memset(out, 0, sizeof(*out));
    if (!name)
        name = env_get(env, "AWS_DEFAULT_PROFILE");
    explicit_profile |= name != NULL;
    p.name = name ? name : "default";
    profile_load(&p, env);
    rc = creds_from_env(out, env, err);
    if (rc == 0)
        rc = creds_from_profile(out, &p, explicit_profile, err);
    if (rc >= 0)
        rc = place_resolve(out, o, &p, env, err);
    free(p.cred_text);
    free(p.conf_text);
    if (rc < 0) {
        cs_s3_settings_release(out);
        return -1;
    }
    return 0;
}

/* ---- retries ------------------------------------------------------------- */

/* CURLcode values (curl.h is not needed for the pure part). */
enum {
    C_OK = 0,
    C_COULDNT_RESOLVE_HOST = 6,
    C_COULDNT_CONNECT = 7,
    C_PARTIAL_FILE = 18,
    C_OPERATION_TIMEDOUT = 28,
    C_GOT_NOTHING = 52,
    C_SEND_ERROR = 55,
    C_RECV_ERROR = 56,
    C_HTTP2 = 16,
    C_HTTP2_STREAM = 92,
    C_SEND_FAIL_REWIND = 65,
    C_SSL_CONNECT = 35, /* the handshake broke off; a bad certificate is 60 or 77 */
};

static const char *const retry_codes[] = {
    "SlowDown",   "RequestTimeout",      "InternalError",    "ServiceUnavailable",
    "Throttling", "ThrottlingException", "OperationAborted", NULL,
};

enum cs_s3_verdict cs_s3_classify(long status, int curl_code, const char *code)
{
    switch (curl_code) {
    case C_OK:
        break;
    case C_COULDNT_RESOLVE_HOST:
    case C_COULDNT_CONNECT:
    case C_PARTIAL_FILE:
    case C_OPERATION_TIMEDOUT:
    case C_GOT_NOTHING:
    case C_SEND_ERROR:
    case C_RECV_ERROR:
    case C_HTTP2:
    case C_HTTP2_STREAM:
    case C_SEND_FAIL_REWIND:
    case C_SSL_CONNECT:
        return CS_S3_RETRY;
    default:
        return CS_S3_PERMANENT;
    }
    for (size_t i = 0; code && retry_codes[i]; i++)
        if (!strcmp(code, retry_codes[i]))
            return CS_S3_RETRY;
    if (status >= 200 && status < 300)
        return CS_S3_DONE;
    if (status >= 500 || status == 429 || status == 408)
        return CS_S3_RETRY;
    return CS_S3_PERMANENT;
}

double cs_s3_backoff_ms(const struct cs_s3_options *o, unsigned attempt, double rnd)
{
    double bound = o->backoff_base_ms * ldexp(1.0, attempt > 30 ? 30 : (int)attempt - 1);

    if (bound > o->backoff_cap_ms)
        bound = o->backoff_cap_ms;
    return bound * rnd;
}
