#include "dump/output.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fault.h"
#include "common/fs.h"
#include "format/s3io.h"

/* ---- directory -------------------------------------------------------------- */

struct dir_output {
    struct dump_output base;
    char *dir;
};

static int dir_prepare(struct dump_output *o, struct cs_error *err)
{
    const char *dir = ((struct dir_output *)o)->dir;
    DIR *d;
    struct dirent *e;

    if (cs_fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    d = opendir(dir);
    if (!d)
        return cs_error_sys(err, CS_ERR_IO, errno, "%s", dir);
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            closedir(d);
            return cs_error_set(err, CS_ERR_USAGE,
                                "--outdir %s is not empty: choose a new directory (csdump never "
                                "mixes two dumps)",
                                dir);
        }
    }
    closedir(d);
    return 0;
}

static struct fmt_sink *dir_open(struct dump_output *o, const char *file, struct cs_error *err)
{
    char *path = cs_fs_join(((struct dir_output *)o)->dir, file);
    struct fmt_sink *s;

    if (!path) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s = fmt_sink_file_new_sync_later(path, 0600, err); /* durable at seal() */
    free(path);
    return s;
}

static int dir_put(struct dump_output *o, const char *file, const void *data, size_t len,
                   struct cs_error *err)
{
    char *path = cs_fs_join(((struct dir_output *)o)->dir, file);
    int rc;

    if (!path)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = cs_fs_write_renamed(path, data, len, 0600, err);
    free(path);
    return rc;
}

static void dir_remove(struct dump_output *o, const char *file)
{
    char *path = cs_fs_join(((struct dir_output *)o)->dir, file);

    if (path)
        unlink(path);
    free(path);
}

/* fsync DIR/NAME (the fault point dump.sync: the pass reached NAME). */
static int sync_one(const char *dir, const char *name, struct cs_error *err)
{
    char *path = cs_fs_join(dir, name);
    int rc;

    if (!path)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = cs_fault_hit("dump.sync", name, err) < 0 ? -1 : cs_fs_fsync_file(path, err);
    free(path);
    return rc;
}

/* Every finished file of the directory (all of them are this dump's:
 * prepare() found it empty), one pass. */
static int sync_all(const char *dir, struct cs_error *err)
{
    size_t suffix = strlen(CS_PARTIAL_SUFFIX);
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (!d)
        return cs_error_sys(err, CS_ERR_IO, errno, "open directory %s", dir);
    while (rc == 0 && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || e->d_type == DT_DIR ||
            (n > suffix && !strcmp(e->d_name + n - suffix, CS_PARTIAL_SUFFIX)))
            continue;
        rc = sync_one(dir, e->d_name, err);
    }
    closedir(d);
    return rc;
}

static int dir_seal(struct dump_output *o, const char *file, struct cs_error *err)
{
    const char *dir = ((struct dir_output *)o)->dir;

    if ((file ? sync_one(dir, file, err) : sync_all(dir, err)) < 0)
        return cs_error_prefix(err, "making the dump durable");
    return cs_fs_fsync_dir(dir, err);
}

static void dir_cleanup(struct dump_output *o)
{
    struct cs_error ignore;

    cs_fs_remove_partials(((struct dir_output *)o)->dir, &ignore);
}

static void dir_free(struct dump_output *o)
{
    free(((struct dir_output *)o)->dir);
    free(o);
}

struct dump_output *dump_output_dir_new(const char *dir, struct cs_error *err)
{
    struct dir_output *d = calloc(1, sizeof(*d));

    if (!d || !(d->dir = strdup(dir))) {
        free(d);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    d->base.name = d->dir;
    d->base.prepare = dir_prepare;
    d->base.open = dir_open;
    d->base.put = dir_put;
    d->base.remove = dir_remove;
    d->base.seal = dir_seal;
    d->base.cleanup = dir_cleanup;
    d->base.free = dir_free;
    return &d->base;
}

/* ---- s3 ---------------------------------------------------------------------- */

struct s3_output {
    struct dump_output base;
    char *url;
    char *prefix; /* "" or "PREFIX/" */
    struct cs_s3 *c;
};

/* PREFIX/FILE (malloc'd). */
static char *key_of(const struct s3_output *s, const char *file)
{
    char *k = malloc(strlen(s->prefix) + strlen(file) + 1);

    if (k)
        sprintf(k, "%s%s", s->prefix, file);
    return k;
}

static int s3_prepare(struct dump_output *o, struct cs_error *err)
{
    struct s3_output *s = (struct s3_output *)o;
    struct cs_s3_object *objs;
    size_t n;

    char *first;

    /* one object directly under the prefix is enough to refuse (its own
     * "folder marker" and deeper "folders" are no dump's files) */
    if (cs_s3_list_dir(s->c, s->prefix, 1, &objs, &n, err) < 0)
        return -1;
    first = n ? objs[0].key : NULL;
    if (n)
        cs_error_set(err, CS_ERR_USAGE,
                     "--outdir %s is not empty (it holds s3://%s/%s): choose a new prefix "
                     "(csdump never mixes two dumps)",
                     s->url, cs_s3_bucket(s->c), first);
    cs_s3_objects_free(objs, n);
    return n ? -1 : 0;
}

static struct fmt_sink *s3_open(struct dump_output *o, const char *file, struct cs_error *err)
{
    struct s3_output *s = (struct s3_output *)o;
    char *key = key_of(s, file);
    struct fmt_sink *sink;

    if (!key) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    sink = fmt_sink_s3_new(s->c, key, err);
    free(key);
    return sink;
}

static int s3_put(struct dump_output *o, const char *file, const void *data, size_t len,
                  struct cs_error *err)
{
    struct s3_output *s = (struct s3_output *)o;
    char *key = key_of(s, file);
    int rc;

    if (!key)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = cs_s3_put(s->c, key, data, len, err);
    free(key);
    return rc;
}

static void s3_remove(struct dump_output *o, const char *file)
{
    struct s3_output *s = (struct s3_output *)o;
    char *key = key_of(s, file);
    struct cs_error ignore;

    if (key)
        cs_s3_delete(s->c, key, &ignore);
    free(key);
}

static int s3_seal(struct dump_output *o, const char *file, struct cs_error *err)
{
    (void)o;
    (void)file;
    (void)err;
    return 0;
}

static void s3_cleanup(struct dump_output *o)
{
    (void)o;
}

static void s3_free(struct dump_output *o)
{
    struct s3_output *s = (struct s3_output *)o;

    cs_s3_free(s->c);
    free(s->url);
    free(s->prefix);
    free(s);
}

struct dump_output *dump_output_s3_new(const char *url, const struct cs_s3_options *opts,
                                       const struct cs_log *log, const volatile int *cancel,
                                       struct cs_error *err)
{
    struct s3_output *s = calloc(1, sizeof(*s));

    if (!s || !(s->url = strdup(url))) {
        free(s);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->base.name = s->url;
    s->base.prepare = s3_prepare;
    s->base.open = s3_open;
    s->base.put = s3_put;
    s->base.remove = s3_remove;
    s->base.seal = s3_seal;
    s->base.cleanup = s3_cleanup;
    s->base.free = s3_free;
    s->c = cs_s3_open_prefix(url, opts, log, cancel, &s->prefix, err);
    if (!s->c) {
        s3_free(&s->base);
        return NULL;
    }
    return &s->base;
}

void dump_output_free(struct dump_output *o)
{
    if (o)
        o->free(o);
}
