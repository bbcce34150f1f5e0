#include "dump/archiver.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fs.h"
#include "common/queue.h"
#include "dump/output.h"
#include "dump/spool.h"
#include "format/archive.h"
#include "format/manifest.h"
#include "format/seal.h"
#include "format/sign.h"
#include "format/s3io.h"

struct item {
    char *name;
    char *meta; /* NULL for files that are not chunks */
};

struct dump_archiver {
    struct dump_publish pub;
    char *target; /* NULL for standard output */
    char *partial;
    struct dump_output *spool; /* lent: where the files wait (dump/spool.h) */
    int fd;
    struct cs_s3 *s3; /* an s3:// target: its client and object sink */
    struct fmt_sink *sink;
    struct fmt_archive_writer *w;
    struct cs_queue *queue;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    struct cs_error err; /* the archiver's first error */
    const struct cs_log *log;
    const struct fmt_sign_key *sign; /* NULL: unsigned */
    char *dump_id;                   /* what chunk descriptions are bound to */
    struct fmt_seal_key seal;        /* encrypted when sealed */
    int sealed;
};

static void item_free(struct item *it)
{
    if (!it)
        return;
    free(it->name);
    free(it->meta);
    free(it);
}

/* The name the file NAME is stored under (malloc'd): opaque when encrypted. */
static char *stored(struct dump_archiver *a, const char *name, struct cs_error *err)
{
    char *n = a->sealed ? fmt_seal_stored_name(&a->seal, name) : strdup(name);

    if (!n)
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    return n;
}

/* The entry for the file NAME with LEN bytes of DATA (sealed when encrypted). */
static int add_memory(struct dump_archiver *a, const char *name, const char *data, size_t len,
                      struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;
    char *entry = stored(a, name, err);
    int rc = -1;

    if (entry && a->sealed && fmt_seal_memory(&a->seal, data, len, &b, err) == 0)
        rc = fmt_archive_add_memory(a->w, entry, b.data, b.len, err);
    else if (entry && !a->sealed)
        rc = fmt_archive_add_memory(a->w, entry, data, len, err);
    cs_buf_release(&b);
    free(entry);
    return rc;
}

/* ENTRY with TEXT, followed (signed) by its signature entry. */
static int add_signed(struct dump_archiver *a, const char *entry, const char *text,
                      const char *sig_text, struct cs_error *err)
{
    struct cs_buf sig = CS_BUF_INIT, bound = CS_BUF_INIT;
    char *sig_name = NULL;
    int rc = -1;

    if (add_memory(a, entry, text, strlen(text), err) < 0)
        goto out;
    if (!a->sign) {
        rc = 0;
        goto out;
    }
    if (!sig_text) { /* a chunk description: bound to its dump */
        fmt_sign_meta_data(&bound, a->dump_id, text);
        if (cs_buf_failed(&bound)) {
            cs_error_set(err, CS_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (fmt_sign_data(a->sign, bound.data, bound.len, &sig, err) < 0)
            goto out;
    }
    if (!(sig_name = fmt_sign_name(entry))) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto out;
    }
    sig_text = sig_text ? sig_text : sig.data;
    rc = add_memory(a, sig_name, sig_text, strlen(sig_text), err);
out:
    free(sig_name);
    cs_buf_release(&sig);
    cs_buf_release(&bound);
    return rc;
}

static int append(struct dump_archiver *a, const struct item *it, struct cs_error *err)
{
    struct cs_buf meta = CS_BUF_INIT;
    char *entry = stored(a, it->name, err);
    struct dump_spool_file *f = NULL;
    int rc = -1;

    if (!entry)
        return -1;
    if (it->meta) {
        cs_buf_printf(&meta, "%s%s", it->name, FMT_META_SUFFIX);
        if (cs_buf_failed(&meta) || add_signed(a, meta.data, it->meta, NULL, err) < 0)
            goto out;
    }
    f = dump_spool_take(a->spool, entry);
    if (!f) {
        cs_error_set(err, CS_ERR_INTERNAL, "%s: handed to the archive but not spooled", it->name);
        goto out;
    }
    rc = fmt_archive_add_parts(a->w, entry, f->iov, f->niov, err);
out:
    dump_spool_release(a->spool, f); /* streamed: its segments serve the next files */
    cs_buf_release(&meta);
    free(entry);
    return rc;
}

static void *archiver_main(void *arg)
{
    struct dump_archiver *a = arg;
    struct cs_error err;
    void *p;

    cs_error_clear(&err);
    while (cs_queue_pop(a->queue, &p) == 0) {
        /* nothing more to append for now: what is buffered goes out, so a
         * loader reading a pipe gets every finished entry without waiting */
        if (!cs_error_is_set(&err) &&
            (append(a, p, &err) < 0 ||
             (cs_queue_length(a->queue) == 0 && fmt_archive_writer_flush(a->w, &err) < 0))) {
            pthread_mutex_lock(&a->mu);
            cs_error_copy(&a->err, &err);
            pthread_mutex_unlock(&a->mu);
            cs_queue_close(a->queue); /* producers stop at once */
        }
        item_free(p);
    }
    return NULL;
}

static int on_file(void *arg, const char *name, const char *meta, struct cs_error *err)
{
    struct dump_archiver *a = arg;
    struct item *it = calloc(1, sizeof(*it));

    if (!it || !(it->name = strdup(name)) || (meta && !(it->meta = strdup(meta)))) {
        item_free(it);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    if (cs_queue_push(a->queue, it) == 0)
        return 0;
    item_free(it);
    pthread_mutex_lock(&a->mu);
    if (cs_error_is_set(&a->err))
        cs_error_copy(err, &a->err);
    else
        cs_error_set(err, CS_ERR_CANCELLED, "the archive was closed");
    pthread_mutex_unlock(&a->mu);
    return cs_error_escalate(err, CS_SEV_FATAL);
}

static int open_s3(struct dump_archiver *a, const char *target, const struct dump_config *cfg,
                   struct cs_error *err)
{
    char *key = NULL;
    uint64_t size;
    struct cs_error e;
    int rc = -1;

    a->s3 = cs_s3_open_url(target, &cfg->s3, cfg->log, cfg->cancel, &key, err);
    if (!a->s3)
        return -1;
    cs_error_clear(&e);
    if (!*key || key[strlen(key) - 1] == '/')
        cs_error_set(err, CS_ERR_USAGE, "--archive %s: give the object's key, s3://BUCKET/KEY",
                     target);
    else if (cs_s3_head(a->s3, key, &size, NULL, &e) == 0)
        cs_error_set(err, CS_ERR_USAGE,
                     "--archive %s exists: choose a new key (csdump never overwrites a dump)",
                     target);
    else if (e.code != CS_ERR_MISSING)
        cs_error_copy(err, &e);
    else if ((a->sink = fmt_sink_s3_new(a->s3, key, err)))
        rc = 0;
    free(key);
    return rc;
}

static int open_target(struct dump_archiver *a, const char *target, const struct dump_config *cfg,
                       struct cs_error *err)
{
    if (cs_s3_is_url(target))
        return open_s3(a, target, cfg, err);
    if (!strcmp(target, "-")) {
        a->fd = STDOUT_FILENO;
        return 0;
    }
    a->target = strdup(target);
    a->partial = malloc(strlen(target) + sizeof(CS_PARTIAL_SUFFIX));
    if (!a->target || !a->partial)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    sprintf(a->partial, "%s%s", target, CS_PARTIAL_SUFFIX);
    if (access(target, F_OK) == 0)
        return cs_error_set(err, CS_ERR_USAGE,
                            "--archive %s exists: choose a new file (csdump never overwrites a "
                            "dump)",
                            target);
    a->fd = open(a->partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (a->fd < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "%s", a->partial);
    return 0;
}

static void release(struct dump_archiver *a)
{
    void *p;

    if (a->queue) {
        cs_queue_close(a->queue);
        if (a->started)
            pthread_join(a->thread, NULL);
        while (cs_queue_pop(a->queue, &p) == 0)
            item_free(p);
        cs_queue_free(a->queue);
    }
    fmt_archive_writer_free(a->w);
    fmt_sink_free(a->sink); /* unfinished: the upload is aborted */
    cs_s3_free(a->s3);
    if (a->target && a->fd >= 0)
        close(a->fd);
    pthread_mutex_destroy(&a->mu);
    free(a->target);
    free(a->partial);
    free(a->dump_id);
    fmt_seal_key_wipe(&a->seal);
    free(a);
}

struct dump_archiver *dump_archiver_start(const char *target, struct dump_output *spool,
                                          size_t depth, const struct dump_config *cfg,
                                          struct cs_error *err)
{
    struct dump_archiver *a = calloc(1, sizeof(*a));

    if (!a) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    a->fd = -1;
    a->log = cfg->log;
    pthread_mutex_init(&a->mu, NULL);
    a->pub.file = on_file;
    a->pub.arg = a;
    a->spool = spool;
    a->queue = cs_queue_new(depth ? depth : 1);
    if (!a->queue) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (open_target(a, target, cfg, err) < 0)
        goto fail;
    a->w = a->sink ? fmt_archive_writer_new_sink(a->sink, target, err)
                   : fmt_archive_writer_new(a->fd, a->target ? a->target : "standard output", err);
    if (!a->w)
        goto fail;
    if (pthread_create(&a->thread, NULL, archiver_main, a) != 0) {
        cs_error_set(err, CS_ERR_INTERNAL, "cannot start the archive thread");
        goto fail;
    }
    a->started = 1;
    return a;
fail:
    dump_archiver_abort(a);
    return NULL;
}

const struct dump_publish *dump_archiver_publish(struct dump_archiver *a)
{
    return &a->pub;
}

int dump_archiver_trust(struct dump_archiver *a, const struct fmt_sign_key *key,
                        const struct fmt_seal_key *seal, const char *dump_id, struct cs_error *err)
{
    a->sign = key;
    a->sealed = seal != NULL;
    if (seal)
        a->seal = *seal;
    free(a->dump_id);
    a->dump_id = dump_id ? strdup(dump_id) : NULL;
    return !dump_id || a->dump_id ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

/* The manifest entry written from M as it is serialized: sized first by a
 * counting pass, so its text is never held whole (neither signed nor
 * sealed: those take the text whole). */
static int add_streamed(struct dump_archiver *a, const struct fmt_manifest *m, struct cs_error *err)
{
    struct fmt_sink *sink;
    uint64_t size;
    int rc;

    if (a->sign || a->sealed)
        return cs_error_set(err, CS_ERR_INTERNAL,
                            "a signed or encrypted archive's manifest is "
                            "given as its text");
    if (fmt_manifest_text_size(m, &size, err) < 0 ||
        !(sink = fmt_archive_entry_sink(a->w, FMT_MANIFEST_NAME, size, err)))
        return -1;
    rc = fmt_manifest_write_sink(m, sink, err);
    fmt_sink_free(sink);
    return rc;
}

int dump_archiver_finish(struct dump_archiver *a, const struct fmt_manifest *m,
                         const char *manifest_json, const char *sig, struct cs_error *err)
{
    int rc = -1;

    cs_queue_close(a->queue);
    pthread_join(a->thread, NULL);
    a->started = 0;
    if (cs_error_is_set(&a->err)) {
        cs_error_copy(err, &a->err);
        goto out;
    }
    if ((sig && !a->sign) ||
        (manifest_json ? add_signed(a, FMT_MANIFEST_NAME, manifest_json, sig, err)
                       : add_streamed(a, m, err)) < 0 ||
        fmt_archive_writer_finish(a->w, err) < 0)
        goto out;
    if (a->sink && fmt_sink_finish(a->sink, err) < 0)
        goto out;
    if (a->sink) {
        fmt_sink_free(a->sink);
        a->sink = NULL;
    }
    if (a->target && (fsync(a->fd) < 0 || rename(a->partial, a->target) < 0)) {
        cs_error_sys(err, CS_ERR_IO, errno, "%s", a->target);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0 && a->partial)
        unlink(a->partial);
    release(a);
    return rc;
}

void dump_archiver_abort(struct dump_archiver *a)
{
    if (!a)
        return;
    if (a->partial && a->fd >= 0)
        unlink(a->partial);
    release(a);
}
