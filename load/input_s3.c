/*
 * input_s3.c - the S3 input: a dump read from the objects under
 * s3://BUCKET/PREFIX (PREFIX/manifest.json, PREFIX/NAME), nothing staged
 * on local disk.  A file is read through ranged GETs (format/s3io.h), one
 * window in memory per open file; the client is thread-safe, so open() may
 * be called from every load thread at once.  A prefix without
 * manifest.json is an incomplete dump and is reported so.
 * Sizes and ETags come from the prefix's listing (ListObjectsV2 gives both),
 * taken once when first needed and again at every list(): a file is opened
 * pinned to its listed ETag without a HEAD of its own.  A listing with
 * manifest.json in it is the complete dump (csdump writes nothing after the
 * manifest), so a file it does not have is missing; only a file an earlier
 * listing lacks (a dump still being written) costs a HEAD.
 */
#include "load/input.h"

#include <pthread.h>
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
    pthread_mutex_t mu;
    struct cs_s3_object *objs; /* the last listing, sorted by key */
    size_t nobjs;
    int listed;
    int complete; /* manifest.json is in the listing */
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

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const struct cs_s3_object *)a)->key, ((const struct cs_s3_object *)b)->key);
}

/* Lists the objects directly under the prefix (not its "folder marker", nor
 * what lies in deeper "folders") into the cache; *NAMES, when not NULL,
 * gets a copy of the names (plain, malloc'd). */
static int refresh(struct s3_input *s, char ***names, size_t *n, struct cs_error *err)
{
    struct cs_s3_object *objs, *old;
    size_t count, nold, plen = strlen(s->prefix);
    char **out = NULL;

    if (cs_s3_list_dir(s->c, s->prefix, 0, &objs, &count, err) < 0)
        return -1;
    if (count) /* objs may be NULL then */
        qsort(objs, count, sizeof(*objs), cmp_key);
    if (names && (out = calloc(count + 1, sizeof(*out))))
        for (size_t i = 0; out && i < count; i++)
            if (!(out[i] = strdup(objs[i].key + plen))) {
                load_input_free_list(out, i);
                out = NULL;
            }
    if (names && !out) {
        cs_s3_objects_free(objs, count);
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory listing the dump", s->url);
    }
    pthread_mutex_lock(&s->mu);
    old = s->objs;
    nold = s->nobjs;
    s->objs = objs;
    s->nobjs = count;
    s->listed = 1;
    s->complete = 0;
    for (size_t i = 0; i < count; i++)
        s->complete |= !strcmp(objs[i].key + plen, FMT_MANIFEST_NAME);
    pthread_mutex_unlock(&s->mu);
    cs_s3_objects_free(old, nold);
    if (names) {
        *names = out;
        *n = count;
    }
    return 0;
}

/* KEY's size and ETag from the listing (taken now if there is none yet):
 * 1 when listed with an ETag, 0 when the store must be asked, -1 with ERR
 * (CS_ERR_MISSING: not in the complete dump). */
static int listed(struct s3_input *s, const char *key, uint64_t *size, char etag[130],
                  struct cs_error *err)
{
    struct cs_s3_object want = {(char *)key, 0, ""}, *o;
    int found = 0, have;

    pthread_mutex_lock(&s->mu);
    have = s->listed;
    pthread_mutex_unlock(&s->mu);
    if (!have && refresh(s, NULL, NULL, err) < 0)
        return -1;
    pthread_mutex_lock(&s->mu);
    o = bsearch(&want, s->objs, s->nobjs, sizeof(*s->objs), cmp_key);
    if (o && *o->etag) {
        *size = o->size;
        memcpy(etag, o->etag, sizeof(o->etag));
        found = 1;
    } else if (!o && s->complete) {
        found = cs_error_set(err, CS_ERR_MISSING,
                             "s3://%s/%s: no such object (the dump's listing does not have it)",
                             cs_s3_bucket(s->c), key);
    }
    pthread_mutex_unlock(&s->mu);
    return found;
}

static struct fmt_source *s3_open(struct load_input *in, const char *file, struct cs_error *err)
{
    struct s3_input *s = (struct s3_input *)in;
    char *key = key_of(s, file, err);
    struct fmt_source *src = NULL;
    char etag[130];
    uint64_t size;
    int r = key ? listed(s, key, &size, etag, err) : -1;

    if (r == 1)
        src = fmt_source_s3_range_new(s->c, key, etag, 0, size, err);
    else if (r == 0)
        src = fmt_source_s3_new(s->c, key, err);
    free(key);
    return src;
}

static int s3_size(struct load_input *in, const char *file, uint64_t *bytes, struct cs_error *err)
{
    struct s3_input *s = (struct s3_input *)in;
    char *key = key_of(s, file, err);
    char etag[130];
    int rc = key ? listed(s, key, bytes, etag, err) : -1;

    if (rc == 0)
        rc = cs_s3_head(s->c, key, bytes, NULL, err);
    else if (rc == 1)
        rc = 0;
    if (rc < 0 && err->code == CS_ERR_MISSING)
        cs_error_set(err, CS_ERR_MISSING, "%s: the manifest lists %s, which is not there", s->url,
                     file);
    free(key);
    return rc;
}

static int s3_list(struct load_input *in, char ***names, size_t *n, struct cs_error *err)
{
    return refresh((struct s3_input *)in, names, n, err);
}

static void s3_free(struct load_input *in)
{
    struct s3_input *s = (struct s3_input *)in;

    cs_s3_objects_free(s->objs, s->nobjs);
    pthread_mutex_destroy(&s->mu);
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
    pthread_mutex_init(&s->mu, NULL);
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
