/*
 * input_s3.c - the S3 input: a dump read from the objects under
 * s3://BUCKET/PREFIX (PREFIX/manifest.json, PREFIX/NAME), nothing staged
 * on local disk.  A file is read through ranged GETs (format/s3io.h), one
 * window in memory per open file; the client is thread-safe, so open() may
 * be called from every load thread at once.  A prefix without
 * manifest.json is an incomplete dump and is reported so.
 */
#include "load/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/s3.h"
#include "format/s3io.h"
#include "load/bounds_v1.h"

#define MANIFEST_MAX (1024UL * 1024 * 1024)

struct s3_input {
    struct load_input base;
    char *url;
    char *prefix; /* "" or "PREFIX/" */
    struct cs_s3 *c;
};

static int plain_name(const char *s)
{
    return s && *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static char *key_of(const struct s3_input *s, const char *file, struct cs_error *err)
{
    char *k;

    if (!plain_name(file)) {
        cs_error_set(err, CS_ERR_HOSTILE,
                     "%s: refusing file name '%s': not a plain name inside the dump", s->url,
                     file ? file : "(null)");
        return NULL;
    }
    k = malloc(strlen(s->prefix) + strlen(file) + 1);
    if (!k)
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    else
        sprintf(k, "%s%s", s->prefix, file);
    return k;
}

static struct fmt_manifest *s3_read_manifest(struct load_input *in, struct cs_error *err)
{
    struct s3_input *s = (struct s3_input *)in;
    struct cs_buf text = CS_BUF_INIT;
    struct fmt_manifest *m = NULL;
    char *key = key_of(s, FMT_MANIFEST_NAME, err);
    struct cs_error e;

    cs_error_clear(&e);
    if (!key)
        return NULL;
    if (cs_s3_get(s->c, key, MANIFEST_MAX, &text, &e) == 0)
        m = load_bounds_v1_take(
            fmt_manifest_from_json(text.data ? text.data : "", text.len, key, err), s->url, err);
    else if (e.code == CS_ERR_MISSING)
        cs_error_set(err, CS_ERR_MISSING,
                     "%s: no " FMT_MANIFEST_NAME " under the prefix: the dump is incomplete "
                     "(csdump has not finished, or failed) or this is not a csdump dump "
                     "(csload --wait-for-dump waits for one being written)",
                     s->url);
    else
        cs_error_copy(err, &e);
    cs_buf_release(&text);
    free(key);
    return m;
}

static struct fmt_source *s3_open(struct load_input *in, const char *file, struct cs_error *err)
{
    struct s3_input *s = (struct s3_input *)in;
    char *key = key_of(s, file, err);
    struct fmt_source *src = key ? fmt_source_s3_new(s->c, key, err) : NULL;

    free(key);
    return src;
}

static int s3_size(struct load_input *in, const char *file, uint64_t *bytes, struct cs_error *err)
{
    struct s3_input *s = (struct s3_input *)in;
    char *key = key_of(s, file, err);
    int rc = key ? cs_s3_head(s->c, key, bytes, NULL, err) : -1;

    if (rc < 0 && err->code == CS_ERR_MISSING)
        cs_error_set(err, CS_ERR_MISSING, "%s: the manifest lists %s, which is not there", s->url,
                     file);
    free(key);
    return rc;
}

static int s3_list(struct load_input *in, char ***names, size_t *n, struct cs_error *err)
{
    struct s3_input *s = (struct s3_input *)in;
    struct cs_s3_object *objs;
    size_t count, plen = strlen(s->prefix);
    char **out;

    /* the files directly under the prefix: not its "folder marker", nor
     * what lies in deeper "folders" */
    if (cs_s3_list_dir(s->c, s->prefix, 0, &objs, &count, err) < 0)
        return -1;
    out = calloc(count + 1, sizeof(*out));
    for (size_t i = 0; out && i < count; i++) {
        out[i] = strdup(objs[i].key + plen);
        if (!out[i]) {
            load_input_free_list(out, i);
            out = NULL;
        }
    }
    cs_s3_objects_free(objs, count);
    if (!out)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory listing the dump", s->url);
    *names = out;
    *n = count;
    return 0;
}

static void s3_free(struct load_input *in)
{
    struct s3_input *s = (struct s3_input *)in;

    cs_s3_free(s->c);
    free(s->url);
    free(s->prefix);
    free(s);
}

struct load_input *load_input_s3_new(const char *url, const struct cs_s3_options *o,
                                     const struct cs_log *log, const volatile int *cancel,
                                     struct cs_error *err)
{
    struct s3_input *s = calloc(1, sizeof(*s));

    if (!s || !(s->url = strdup(url))) {
        free(s);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->base.name = s->url;
    s->base.read_manifest = s3_read_manifest;
    s->base.open = s3_open;
    s->base.size = s3_size;
    s->base.list = s3_list;
    s->base.free = s3_free;
    s->c = cs_s3_open_prefix(url, o, log, cancel, &s->prefix, err);
    if (!s->c) {
        s3_free(&s->base);
        return NULL;
    }
    return &s->base;
}

struct load_input *load_input_open(const char *where, const struct cs_s3_options *o,
                                   const struct cs_log *log, const volatile int *cancel,
                                   struct cs_error *err)
{
    return cs_s3_is_url(where) ? load_input_s3_new(where, o, log, cancel, err)
                               : load_input_dir_new(where, err);
}
