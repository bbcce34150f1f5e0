#include "format/sink.h"
#include "format/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "common/buf.h"
#include "common/fs.h"

#define WBUF_SIZE (256 * 1024)

int fmt_sink_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    if (len == 0)
        return 0;
    return s->write(s, buf, len, err);
}

int fmt_sink_finish(struct fmt_sink *s, struct cs_error *err)
{
    return s->finish(s, err);
}

void fmt_sink_free(struct fmt_sink *s)
{
    if (s)
        s->free(s);
}

/* Wrappers built on a failed constructor's NULL fail too, keeping its error,
 * so chains can be built in one expression. */
static int no_inner(const struct fmt_sink *inner, struct cs_error *err)
{
    if (inner)
        return 0;
    if (!cs_error_is_set(err))
        cs_error_set(err, CS_ERR_INTERNAL, "no inner sink");
    return 1;
}

/* ---- buffered fd writer, shared by the file and fd sinks ---------------- */

struct fd_sink {
    struct fmt_sink base;
    int fd;
    char *name;   /* for messages: PATH.partial or "standard output" */
    char *path;   /* file sink: final path; NULL for the fd sink */
    int finished; /* file sink: renamed, nothing to clean up */
    int sync;     /* file sink: enum file_sync */
    unsigned char *buf;
    size_t len;
};

static int write_all(int fd, const void *buf, size_t len, const char *name, struct cs_error *err)
{
    const unsigned char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return cs_error_sys(err, CS_ERR_IO, errno, "write %s", name);
        if (n == 0)
            return cs_error_sys(err, CS_ERR_IO, EIO, "write %s", name);
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fd_flush(struct fd_sink *f, struct cs_error *err)
{
    size_t n = f->len;

    f->len = 0;
    return write_all(f->fd, f->buf, n, f->name, err);
}

static int fd_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct fd_sink *f = (struct fd_sink *)s;

    if (f->len + len > WBUF_SIZE && fd_flush(f, err) < 0)
        return -1;
    if (len >= WBUF_SIZE)
        return write_all(f->fd, buf, len, f->name, err);
    memcpy(f->buf + f->len, buf, len);
    f->len += len;
    return 0;
}

static int fd_finish(struct fmt_sink *s, struct cs_error *err)
{
    return fd_flush((struct fd_sink *)s, err);
}

static void fd_free(struct fmt_sink *s)
{
    struct fd_sink *f = (struct fd_sink *)s;

    if (f->path && f->fd >= 0)
        close(f->fd);
    if (f->path && !f->finished)
        unlink(f->name);
    free(f->name);
    free(f->path);
    free(f->buf);
    free(f);
}

static struct fd_sink *fd_sink_alloc(const char *name, struct cs_error *err)
{
    struct fd_sink *f = calloc(1, sizeof(*f));

    if (!f)
        goto nomem;
    f->fd = -1;
    f->base.write = fd_write;
    f->base.finish = fd_finish;
    f->base.free = fd_free;
    f->buf = malloc(WBUF_SIZE);
    f->name = strdup(name);
    if (!f->buf || !f->name)
        goto nomem;
    return f;
nomem:
    if (f) {
        free(f->buf);
        free(f->name);
        free(f);
    }
    cs_error_set(err, CS_ERR_NOMEM, "out of memory writing %s", name);
    return NULL;
}

/* What a file sink's finish does for durability. */
enum file_sync {
    FILE_SYNC_NONE = 0, /* nothing */
    FILE_SYNC_NOW,      /* fsync before the rename */
    FILE_SYNC_LATER,    /* start the writeback: a later fsync finds little left */
};

static int file_finish(struct fmt_sink *s, struct cs_error *err)
{
    struct fd_sink *f = (struct fd_sink *)s;
    int fd = f->fd;

    if (f->finished)
        return 0;
    if (fd < 0)
        return cs_error_set(err, CS_ERR_INTERNAL, "%s: already closed", f->name);
    if (fd_flush(f, err) < 0)
        return -1;
    if (f->sync == FILE_SYNC_NOW && fsync(fd) < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "fsync %s", f->name);
    /* no wait, and only a hint: a failure shows in the later fsync */
    if (f->sync == FILE_SYNC_LATER)
        (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    f->fd = -1;
    if (close(fd) < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "close %s", f->name);
    if (rename(f->name, f->path) < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "rename %s to %s", f->name, f->path);
    f->finished = 1;
    return 0;
}

static struct fmt_sink *file_new(const char *path, mode_t mode, int sync, struct cs_error *err)
{
    struct fd_sink *f = NULL;
    char *partial = malloc(strlen(path) + sizeof(CS_PARTIAL_SUFFIX));

    if (!partial) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory writing %s", path);
        return NULL;
    }
    sprintf(partial, "%s%s", path, CS_PARTIAL_SUFFIX);
    f = fd_sink_alloc(partial, err);
    if (!f)
        goto out;
    f->base.finish = file_finish;
    f->sync = sync;
    f->path = strdup(path);
    if (!f->path) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory writing %s", path);
        goto fail;
    }
    if (unlink(partial) < 0 && errno != ENOENT) {
        cs_error_sys(err, CS_ERR_IO, errno, "remove stale %s", partial);
        goto fail;
    }
    f->fd = open(partial, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode);
    if (f->fd < 0) {
        cs_error_sys(err, CS_ERR_IO, errno, "create %s", partial);
        f->finished = 1; /* not ours: do not unlink it */
        goto fail;
    }
    goto out;
fail:
    fd_free(&f->base);
    f = NULL;
out:
    free(partial);
    return f ? &f->base : NULL;
}

struct fmt_sink *fmt_sink_file_new(const char *path, mode_t mode, struct cs_error *err)
{
    return file_new(path, mode, FILE_SYNC_NOW, err);
}

struct fmt_sink *fmt_sink_file_new_unsynced(const char *path, mode_t mode, struct cs_error *err)
{
    return file_new(path, mode, FILE_SYNC_NONE, err);
}

struct fmt_sink *fmt_sink_file_new_sync_later(const char *path, mode_t mode,
                                              struct cs_error *err)
{
    return file_new(path, mode, FILE_SYNC_LATER, err);
}

struct fmt_sink *fmt_sink_fd_named_new(int fd, const char *name, struct cs_error *err)
{
    struct fd_sink *f = fd_sink_alloc(name, err);

    if (!f)
        return NULL;
    f->fd = fd;
    return &f->base;
}

struct fmt_sink *fmt_sink_fd_new(int fd, struct cs_error *err)
{
    char name[32];

    if (fd == STDOUT_FILENO)
        snprintf(name, sizeof(name), "standard output");
    else
        snprintf(name, sizeof(name), "fd %d", fd);
    return fmt_sink_fd_named_new(fd, name, err);
}

/* ---- memory sink -------------------------------------------------------- */

struct mem_sink {
    struct fmt_sink base;
    struct cs_buf buf;
};

static int mem_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct mem_sink *m = (struct mem_sink *)s;

    cs_buf_append(&m->buf, buf, len);
    if (cs_buf_failed(&m->buf))
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory in a memory sink (%zu bytes)",
                            m->buf.len);
    return 0;
}

static int mem_finish(struct fmt_sink *s, struct cs_error *err)
{
    (void)s;
    (void)err;
    return 0;
}

static void mem_free(struct fmt_sink *s)
{
    struct mem_sink *m = (struct mem_sink *)s;

    cs_buf_release(&m->buf);
    free(m);
}

struct fmt_sink *fmt_sink_memory_new(struct cs_error *err)
{
    struct mem_sink *m = calloc(1, sizeof(*m));

    if (!m) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory creating a memory sink");
        return NULL;
    }
    m->base.write = mem_write;
    m->base.finish = mem_finish;
    m->base.free = mem_free;
    cs_buf_init(&m->buf);
    return &m->base;
}

const void *fmt_sink_memory_data(struct fmt_sink *s, size_t *len)
{
    struct mem_sink *m = (struct mem_sink *)s;

    if (!s || s->write != mem_write || m->buf.failed || !m->buf.data) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = m->buf.len;
    return m->buf.data;
}

/* ---- zstd sink ---------------------------------------------------------- */

struct zstd_sink {
    struct fmt_sink base;
    struct fmt_sink *inner;
    ZSTD_CCtx *cctx;
    unsigned char *out;
    size_t out_cap;
};

/* Feed IN (maybe empty) with MODE; pass every produced byte to the inner sink.
 * Returns 0 once the input is consumed (and, for ZSTD_e_end, the frame ended). */
static int zstd_pump(struct zstd_sink *z, ZSTD_inBuffer *in, ZSTD_EndDirective mode,
                     struct cs_error *err)
{
    for (;;) {
        ZSTD_outBuffer out = {z->out, z->out_cap, 0};
        size_t ret = ZSTD_compressStream2(z->cctx, &out, in, mode);

        if (ZSTD_isError(ret))
            return cs_error_set(err, CS_ERR_INTERNAL, "zstd compression failed: %s",
                                ZSTD_getErrorName(ret));
        if (out.pos > 0 && fmt_sink_write(z->inner, z->out, out.pos, err) < 0)
            return -1;
        if (mode == ZSTD_e_end ? ret == 0 : in->pos == in->size)
            return 0;
    }
}

static int zstd_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct zstd_sink *z = (struct zstd_sink *)s;
    ZSTD_inBuffer in = {buf, len, 0};

    return zstd_pump(z, &in, ZSTD_e_continue, err);
}

static int zstd_finish(struct fmt_sink *s, struct cs_error *err)
{
    struct zstd_sink *z = (struct zstd_sink *)s;
    ZSTD_inBuffer in = {NULL, 0, 0};

    if (zstd_pump(z, &in, ZSTD_e_end, err) < 0)
        return -1;
    return fmt_sink_finish(z->inner, err);
}

static void zstd_free(struct fmt_sink *s)
{
    struct zstd_sink *z = (struct zstd_sink *)s;

    fmt_sink_free(z->inner);
    ZSTD_freeCCtx(z->cctx);
    free(z->out);
    free(z);
}

static int zstd_params(ZSTD_CCtx *cctx, int level, struct cs_error *err)
{
    size_t r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);

    if (ZSTD_isError(r))
        return cs_error_set(err, CS_ERR_USAGE, "zstd level %d: %s", level, ZSTD_getErrorName(r));
    /* No frame checksum: it costs a third of the compression time, and the
     * file's XXH3-128 (checked before a chunk is loaded) and the rows' data
     * checksum already cover the bytes. */
    r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
    if (ZSTD_isError(r))
        return cs_error_set(err, CS_ERR_INTERNAL, "zstd checksum flag: %s", ZSTD_getErrorName(r));
    return 0;
}

struct fmt_sink *fmt_sink_zstd_new(struct fmt_sink *inner, int level, struct cs_error *err)
{
    struct zstd_sink *z;

    if (no_inner(inner, err))
        return NULL;
    z = calloc(1, sizeof(*z));
    if (!z) {
        fmt_sink_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory creating a zstd sink");
        return NULL;
    }
    z->base.write = zstd_write;
    z->base.finish = zstd_finish;
    z->base.free = zstd_free;
    z->inner = inner;
    z->out_cap = ZSTD_CStreamOutSize();
    z->out = malloc(z->out_cap);
    z->cctx = ZSTD_createCCtx();
    if (!z->out || !z->cctx) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory creating a zstd sink");
        goto fail;
    }
    if (zstd_params(z->cctx, level, err) < 0)
        goto fail;
    return &z->base;
fail:
    zstd_free(&z->base);
    return NULL;
}

/* ---- counter sink ------------------------------------------------------- */

struct counter_sink {
    struct fmt_sink base;
    struct fmt_sink *inner;
    struct fmt_hasher hash;
};

static int counter_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct counter_sink *c = (struct counter_sink *)s;

    fmt_hasher_update(&c->hash, buf, len);
    return fmt_sink_write(c->inner, buf, len, err);
}

static int counter_finish(struct fmt_sink *s, struct cs_error *err)
{
    return fmt_sink_finish(((struct counter_sink *)s)->inner, err);
}

static void counter_free(struct fmt_sink *s)
{
    struct counter_sink *c = (struct counter_sink *)s;

    fmt_sink_free(c->inner);
    fmt_hasher_release(&c->hash);
    free(c);
}

struct fmt_sink *fmt_sink_counter_new(struct fmt_sink *inner, struct cs_error *err)
{
    return fmt_sink_counter_sha_new(inner, 0, err);
}

struct fmt_sink *fmt_sink_counter_sha_new(struct fmt_sink *inner, int sha256, struct cs_error *err)
{
    struct counter_sink *c;

    if (no_inner(inner, err))
        return NULL;
    c = calloc(1, sizeof(*c));
    if (!c || fmt_hasher_init(&c->hash, sha256) < 0) {
        free(c);
        fmt_sink_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory creating a counting sink");
        return NULL;
    }
    c->base.write = counter_write;
    c->base.finish = counter_finish;
    c->base.free = counter_free;
    c->inner = inner;
    return &c->base;
}

void fmt_sink_counter_result(struct fmt_sink *s, uint64_t *bytes, char hash_hex[33])
{
    if (s && s->write == counter_write) {
        fmt_hasher_result(&((struct counter_sink *)s)->hash, bytes, hash_hex, NULL);
        return;
    }
    if (bytes)
        *bytes = 0;
    if (hash_hex)
        fmt_hash128_to_hex(0, 0, hash_hex);
}

void fmt_sink_counter_sha256(struct fmt_sink *s, char sha_hex[65])
{
    sha_hex[0] = '\0';
    if (s && s->write == counter_write)
        fmt_hasher_result(&((struct counter_sink *)s)->hash, NULL, NULL, sha_hex);
}
