#include "format/source.h"
#include "format/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

ssize_t fmt_source_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    if (cap == 0)
        return 0;
    return s->read(s, buf, cap, err);
}

ssize_t fmt_source_read_full(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    unsigned char *p = buf;
    size_t got = 0;

    while (got < cap) {
        ssize_t n = fmt_source_read(s, p + got, cap - got, err);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

void fmt_source_free(struct fmt_source *s)
{
    if (s)
        s->free(s);
}

/* Wrappers built on a failed constructor's NULL fail too, keeping its error,
 * so chains can be built in one expression. */
static int no_inner(const struct fmt_source *inner, struct cs_error *err)
{
    if (inner)
        return 0;
    if (!cs_error_is_set(err))
        cs_error_set(err, CS_ERR_INTERNAL, "no inner source");
    return 1;
}

/* ---- fd and file sources ------------------------------------------------ */

struct fd_source {
    struct fmt_source base;
    int fd;
    int owned;         /* the file source closes its fd */
    uint64_t pos, end; /* a range source: pread from pos up to end */
    char *name;
};

static ssize_t fd_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct fd_source *f = (struct fd_source *)s;
    ssize_t n;

    do {
        n = read(f->fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "read %s", f->name);
    return n;
}

static ssize_t range_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct fd_source *f = (struct fd_source *)s;
    ssize_t n;

    if (f->pos == f->end)
        return 0;
    if (cap > f->end - f->pos)
        cap = (size_t)(f->end - f->pos);
    do {
        n = pread(f->fd, buf, cap, (off_t)f->pos);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "read %s", f->name);
    if (n == 0)
        return cs_error_set(err, CS_ERR_TRUNCATED, "%s: ends at byte %llu, inside an entry",
                            f->name, (unsigned long long)f->pos);
    f->pos += (uint64_t)n;
    return n;
}

static void fd_free(struct fmt_source *s)
{
    struct fd_source *f = (struct fd_source *)s;

    if (f->owned && f->fd >= 0)
        close(f->fd);
    free(f->name);
    free(f);
}

static struct fd_source *fd_source_alloc(const char *name, struct cs_error *err)
{
    struct fd_source *f = calloc(1, sizeof(*f));

    if (!f || !(f->name = strdup(name))) {
        free(f);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", name);
        return NULL;
    }
    f->base.read = fd_read;
    f->base.free = fd_free;
    f->fd = -1;
    return f;
}

struct fmt_source *fmt_source_file_new(const char *path, struct cs_error *err)
{
    struct fd_source *f = fd_source_alloc(path, err);

    if (!f)
        return NULL;
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0) {
        int e = errno;
        cs_error_sys(err, e == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, e, "open %s", path);
        fd_free(&f->base);
        return NULL;
    }
    f->owned = 1;
    return &f->base;
}

struct fmt_source *fmt_source_fd_new(int fd, const char *name, struct cs_error *err)
{
    struct fd_source *f = fd_source_alloc(name ? name : "input", err);

    if (!f)
        return NULL;
    f->fd = fd;
    return &f->base;
}

struct fmt_source *fmt_source_fd_range_new(int fd, uint64_t offset, uint64_t len, const char *name,
                                           struct cs_error *err)
{
    struct fd_source *f = fd_source_alloc(name ? name : "input", err);

    if (!f)
        return NULL;
    f->fd = fd;
    f->pos = offset;
    f->end = offset + len;
    f->base.read = range_read;
    return &f->base;
}

/* ---- memory source ------------------------------------------------------ */

struct mem_source {
    struct fmt_source base;
    const unsigned char *data;
    size_t len;
    size_t pos;
};

static ssize_t mem_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct mem_source *m = (struct mem_source *)s;
    size_t n = m->len - m->pos;

    (void)err;
    if (n > cap)
        n = cap;
    if (n > SSIZE_MAX)
        n = SSIZE_MAX;
    if (n)
        memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

static void mem_free(struct fmt_source *s)
{
    free(s);
}

struct fmt_source *fmt_source_memory_new(const void *data, size_t len, struct cs_error *err)
{
    struct mem_source *m = calloc(1, sizeof(*m));

    if (!m) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory creating a memory source");
        return NULL;
    }
    m->base.read = mem_read;
    m->base.free = mem_free;
    m->data = data;
    m->len = data ? len : 0;
    return &m->base;
}

/* ---- zstd source -------------------------------------------------------- */

struct zstd_source {
    struct fmt_source base;
    struct fmt_source *inner;
    ZSTD_DCtx *dctx;
    char *name;
    unsigned char *in;
    size_t in_cap;
    ZSTD_inBuffer input;
    size_t last_ret; /* 0: between frames; else the frame is incomplete */
    int inner_eof;
};

static int zstd_refill(struct zstd_source *z, struct cs_error *err)
{
    ssize_t n = fmt_source_read(z->inner, z->in, z->in_cap, err);

    if (n < 0)
        return -1;
    if (n == 0)
        z->inner_eof = 1;
    z->input.src = z->in;
    z->input.size = (size_t)n;
    z->input.pos = 0;
    return 0;
}

static ssize_t zstd_truncated(struct zstd_source *z, struct cs_error *err)
{
    return cs_error_set(err, CS_ERR_TRUNCATED, "%s: compressed data ends early (truncated file?)",
                        z->name);
}

static ssize_t zstd_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct zstd_source *z = (struct zstd_source *)s;
    ZSTD_outBuffer out = {buf, cap, 0};

    for (;;) {
        int drained;
        size_t ret;

        if (z->input.pos == z->input.size && !z->inner_eof && zstd_refill(z, err) < 0)
            return -1;
        drained = z->input.pos == z->input.size && z->inner_eof;
        if (drained && z->last_ret == 0)
            return 0;
        ret = ZSTD_decompressStream(z->dctx, &out, &z->input);
        if (ZSTD_isError(ret))
            return cs_error_set(err, CS_ERR_FORMAT, "%s: not valid zstd data (%s)", z->name,
                                ZSTD_getErrorName(ret));
        z->last_ret = ret;
        if (out.pos > 0)
            return (ssize_t)out.pos;
        /* No output, no input left and the decoder still wants more. */
        if (ret != 0 && drained)
            return zstd_truncated(z, err);
    }
}

static void zstd_free(struct fmt_source *s)
{
    struct zstd_source *z = (struct zstd_source *)s;

    fmt_source_free(z->inner);
    ZSTD_freeDCtx(z->dctx);
    free(z->in);
    free(z->name);
    free(z);
}

struct fmt_source *fmt_source_zstd_new(struct fmt_source *inner, const char *name,
                                       struct cs_error *err)
{
    struct zstd_source *z;

    if (no_inner(inner, err))
        return NULL;
    z = calloc(1, sizeof(*z));
    if (!z) {
        fmt_source_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", name ? name : "input");
        return NULL;
    }
    z->base.read = zstd_read;
    z->base.free = zstd_free;
    z->inner = inner;
    z->in_cap = ZSTD_DStreamInSize();
    z->in = malloc(z->in_cap);
    z->name = strdup(name ? name : "input");
    z->dctx = ZSTD_createDCtx();
    /* An empty stream is truncated: a valid file holds at least one frame. */
    z->last_ret = 1;
    if (!z->in || !z->name || !z->dctx) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory reading %s", name ? name : "input");
        zstd_free(&z->base);
        return NULL;
    }
    return &z->base;
}

/* ---- counter source ----------------------------------------------------- */

struct counter_source {
    struct fmt_source base;
    struct fmt_source *inner;
    struct fmt_hasher hash;
};

static ssize_t counter_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct counter_source *c = (struct counter_source *)s;
    ssize_t n = fmt_source_read(c->inner, buf, cap, err);

    if (n > 0)
        fmt_hasher_update(&c->hash, buf, (size_t)n);
    return n;
}

static void counter_free(struct fmt_source *s)
{
    struct counter_source *c = (struct counter_source *)s;

    fmt_source_free(c->inner);
    fmt_hasher_release(&c->hash);
    free(c);
}

struct fmt_source *fmt_source_counter_new(struct fmt_source *inner, struct cs_error *err)
{
    return fmt_source_counter_sha_new(inner, 0, err);
}

struct fmt_source *fmt_source_counter_sha_new(struct fmt_source *inner, int sha256,
                                              struct cs_error *err)
{
    struct counter_source *c;

    if (no_inner(inner, err))
        return NULL;
    c = calloc(1, sizeof(*c));
    if (!c || fmt_hasher_init(&c->hash, sha256) < 0) {
        free(c);
        fmt_source_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory creating a counting source");
        return NULL;
    }
    c->base.read = counter_read;
    c->base.free = counter_free;
    c->inner = inner;
    return &c->base;
}

void fmt_source_counter_result(struct fmt_source *s, uint64_t *bytes, char hash_hex[33])
{
    if (s && s->read == counter_read) {
        fmt_hasher_result(&((struct counter_source *)s)->hash, bytes, hash_hex, NULL);
        return;
    }
    if (bytes)
        *bytes = 0;
    if (hash_hex)
        fmt_hash128_to_hex(0, 0, hash_hex);
}

void fmt_source_counter_sha256(struct fmt_source *s, char sha_hex[65])
{
    sha_hex[0] = '\0';
    if (s && s->read == counter_read)
        fmt_hasher_result(&((struct counter_source *)s)->hash, NULL, NULL, sha_hex);
}
