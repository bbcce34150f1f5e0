#include "format/archive.h"
#include "format/nameset.h"
#include "format/sink.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- writer ------------------------------------------------------------ */

struct fmt_archive_writer {
    struct archive *a;
    struct fmt_sink *sink; /* where the bytes go: lent, or OWN */
    struct fmt_sink *own;  /* writing to an fd: a buffered fd sink over it */
    struct cs_error sink_err;
    char *name;
    int finished;
};

static int werr(struct fmt_archive_writer *w, struct cs_error *err, const char *what)
{
    const char *msg = archive_error_string(w->a);
    int e = archive_errno(w->a);

    if (e > 0)
        return cs_error_sys(err, CS_ERR_IO, e, "%s: %s%s%s", w->name, what, msg ? ": " : "",
                            msg ? msg : "");
    return cs_error_set(err, CS_ERR_IO, "%s: %s%s%s", w->name, what, msg ? ": " : "",
                        msg ? msg : "");
}

static la_ssize_t sink_write(struct archive *a, void *arg, const void *buf, size_t len)
{
    struct fmt_archive_writer *w = arg;

    if (fmt_sink_write(w->sink, buf, len, &w->sink_err) < 0) {
        archive_set_error(a, w->sink_err.sys_errno ? w->sink_err.sys_errno : EIO, "%s",
                          w->sink_err.msg);
        return -1;
    }
    return (la_ssize_t)len;
}

/* libarchive unblocked (bytes per block 0): every piece it makes goes
 * straight to the sink, so a chunk's 1 MiB spool segments are written as
 * they are, without passing through a 10 KiB block buffer (one write per
 * 10 KiB, and a copy); the small pieces (headers, padding, small files) are
 * gathered by the sink (an fd sink's 256 KiB buffer, an S3 part).  The bytes
 * are the same as blocked with no padding of the last block. */
static struct fmt_archive_writer *writer_new(int fd, struct fmt_sink *sink, const char *name,
                                             struct cs_error *err)
{
    struct fmt_archive_writer *w = calloc(1, sizeof(*w));

    if (!w || !(w->name = strdup(name ? name : "archive")) || !(w->a = archive_write_new())) {
        fmt_archive_writer_free(w);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (!sink && !(sink = w->own = fmt_sink_fd_named_new(fd, w->name, err))) {
        fmt_archive_writer_free(w);
        return NULL;
    }
    w->sink = sink;
    cs_error_clear(&w->sink_err);
    if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(w->a, 0) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(w->a, 1) != ARCHIVE_OK ||
        archive_write_open(w->a, w, NULL, sink_write, NULL) != ARCHIVE_OK) {
        werr(w, err, "cannot start the archive");
        fmt_archive_writer_free(w);
        return NULL;
    }
    return w;
}

struct fmt_archive_writer *fmt_archive_writer_new(int fd, const char *name, struct cs_error *err)
{
    return writer_new(fd, NULL, name, err);
}

struct fmt_archive_writer *fmt_archive_writer_new_sink(struct fmt_sink *sink, const char *name,
                                                       struct cs_error *err)
{
    return writer_new(-1, sink, name, err);
}

static int header(struct fmt_archive_writer *w, const char *entry, uint64_t size,
                  struct cs_error *err)
{
    struct archive_entry *e = archive_entry_new();
    int rc;

    if (!e)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    archive_entry_set_pathname(e, entry);
    archive_entry_set_size(e, (la_int64_t)size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0600);
    archive_entry_set_mtime(e, time(NULL), 0);
    rc = archive_write_header(w->a, e) == ARCHIVE_OK ? 0 : werr(w, err, entry);
    archive_entry_free(e);
    return rc;
}

static int data(struct fmt_archive_writer *w, const char *entry, const void *buf, size_t len,
                struct cs_error *err)
{
    while (len > 0) {
        la_ssize_t n = archive_write_data(w->a, buf, len);
        if (n <= 0)
            return werr(w, err, entry);
        buf = (const char *)buf + n;
        len -= (size_t)n;
    }
    return 0;
}

int fmt_archive_add_parts(struct fmt_archive_writer *w, const char *entry, const struct iovec *iov,
                          size_t n, struct cs_error *err)
{
    uint64_t size = 0;

    for (size_t i = 0; i < n; i++)
        size += iov[i].iov_len;
    if (header(w, entry, size, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (data(w, entry, iov[i].iov_base, iov[i].iov_len, err) < 0)
            return -1;
    return archive_write_finish_entry(w->a) == ARCHIVE_OK ? 0 : werr(w, err, entry);
}

int fmt_archive_add_memory(struct fmt_archive_writer *w, const char *entry, const void *buf,
                           size_t len, struct cs_error *err)
{
    struct iovec one = {(void *)buf, len};

    return fmt_archive_add_parts(w, entry, &one, 1, err);
}

/* One entry written as it comes (fmt_archive_entry_sink). */
struct entry_sink {
    struct fmt_sink base;
    struct fmt_archive_writer *w;
    char *entry;
    uint64_t size, done;
};

static int wentry_write(struct fmt_sink *s, const void *buf, size_t len, struct cs_error *err)
{
    struct entry_sink *e = (struct entry_sink *)s;

    if (len > e->size - e->done)
        return cs_error_set(err, CS_ERR_INTERNAL, "%s: %s: more than its %llu bytes", e->w->name,
                            e->entry, (unsigned long long)e->size);
    e->done += len;
    return data(e->w, e->entry, buf, len, err);
}

static int wentry_finish(struct fmt_sink *s, struct cs_error *err)
{
    struct entry_sink *e = (struct entry_sink *)s;

    if (e->done != e->size)
        return cs_error_set(err, CS_ERR_INTERNAL, "%s: %s: %llu bytes of its %llu", e->w->name,
                            e->entry, (unsigned long long)e->done, (unsigned long long)e->size);
    return archive_write_finish_entry(e->w->a) == ARCHIVE_OK ? 0 : werr(e->w, err, e->entry);
}

static void wentry_free(struct fmt_sink *s)
{
    struct entry_sink *e = (struct entry_sink *)s;

    if (!e)
        return;
    free(e->entry);
    free(e);
}

struct fmt_sink *fmt_archive_entry_sink(struct fmt_archive_writer *w, const char *entry,
                                        uint64_t size, struct cs_error *err)
{
    struct entry_sink *e = calloc(1, sizeof(*e));

    if (!e || !(e->entry = strdup(entry))) {
        free(e);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    e->base.write = wentry_write;
    e->base.finish = wentry_finish;
    e->base.free = wentry_free;
    e->w = w;
    e->size = size;
    if (header(w, entry, size, err) < 0) {
        wentry_free(&e->base);
        return NULL;
    }
    return &e->base;
}

int fmt_archive_writer_flush(struct fmt_archive_writer *w, struct cs_error *err)
{
    return w->own ? fmt_sink_finish(w->own, err) : 0; /* an fd sink's finish only flushes */
}

int fmt_archive_writer_finish(struct fmt_archive_writer *w, struct cs_error *err)
{
    if (archive_write_close(w->a) != ARCHIVE_OK)
        return werr(w, err, "finishing the archive");
    if (fmt_archive_writer_flush(w, err) < 0)
        return -1;
    w->finished = 1;
    return 0;
}

void fmt_archive_writer_free(struct fmt_archive_writer *w)
{
    if (!w)
        return;
    /* libarchive closes an open archive as it frees it, but the end marker
     * it writes then stays in OWN's buffer, freed unwritten: an unfinished
     * archive stays without it */
    if (w->a)
        archive_write_free(w->a);
    fmt_sink_free(w->own); /* the fd stays open: it is not ours */
    free(w->name);
    free(w);
}

/* ---- reader ------------------------------------------------------------ */

struct entry_source {
    struct fmt_source base;
    struct fmt_archive_reader *r;
};

struct fmt_archive_reader {
    struct archive *a;
    struct fmt_source *in; /* lent; NULL when reading an fd */
    char *buf;             /* the source's read buffer */
    struct cs_error in_err;
    char *name;
    char *top; /* the one top-level directory being stripped, or NULL */
    char entry[1024];
    uint64_t size;
    uint64_t offset;          /* where the entry's data starts in the input */
    int contiguous;           /* ... as one run of bytes (no compression, not sparse) */
    struct fmt_name_set seen; /* the names seen so far */
    struct entry_source src;
    int entries;
};

static int rerr(struct fmt_archive_reader *r, struct cs_error *err, const char *what)
{
    const char *msg = archive_error_string(r->a);
    int truncated = msg && strstr(msg, "runcated") != NULL;

    return cs_error_set(err, truncated ? CS_ERR_TRUNCATED : CS_ERR_FORMAT, "%s: %s: %s%s", r->name,
                        what, msg ? msg : "not a readable archive",
                        truncated ? " (the stream was cut: incomplete copy or the dump failed)"
                                  : "");
}

#define READ_BLOCK (256 * 1024)

static la_ssize_t source_read(struct archive *a, void *arg, const void **buf)
{
    struct fmt_archive_reader *r = arg;
    ssize_t n = fmt_source_read(r->in, r->buf, READ_BLOCK, &r->in_err);

    if (n < 0) {
        archive_set_error(a, EIO, "%s", r->in_err.msg);
        return -1;
    }
    *buf = r->buf;
    return n;
}

static struct fmt_archive_reader *reader_new(int fd, struct fmt_source *src, const char *name,
                                             struct cs_error *err)
{
    struct fmt_archive_reader *r = calloc(1, sizeof(*r));
    int rc;

    if (!r || !(r->name = strdup(name ? name : "archive")) || !(r->a = archive_read_new()) ||
        (src && !(r->buf = malloc(READ_BLOCK)))) {
        fmt_archive_reader_free(r);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    r->in = src;
    cs_error_clear(&r->in_err);
    archive_read_support_format_tar(r->a);
    archive_read_support_filter_all(r->a);
    rc = src ? archive_read_open(r->a, r, NULL, source_read, NULL)
             : archive_read_open_fd(r->a, fd, READ_BLOCK);
    if (rc != ARCHIVE_OK) {
        rerr(r, err, "cannot read the archive");
        fmt_archive_reader_free(r);
        return NULL;
    }
    return r;
}

struct fmt_archive_reader *fmt_archive_reader_new(int fd, const char *name, struct cs_error *err)
{
    return reader_new(fd, NULL, name, err);
}

struct fmt_archive_reader *fmt_archive_reader_new_source(struct fmt_source *src, const char *name,
                                                         struct cs_error *err)
{
    return reader_new(-1, src, name, err);
}

void fmt_archive_reader_free(struct fmt_archive_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    if (r->a)
        archive_read_free(r->a);
    fmt_name_set_release(&r->seen);
    free(r->top);
    free(r->name);
    free(r);
}

static int hostile(struct fmt_archive_reader *r, struct cs_error *err, const char *entry,
                   const char *why)
{
    return cs_error_set(err, CS_ERR_HOSTILE,
                        "%s: entry '%.200s' refused: %s; nothing of the archive is loaded past "
                        "this point (is this a csdump archive?)",
                        r->name, entry ? entry : "(no name)", why);
}

/* "./a" -> "a"; with a top directory "d": "d/a" -> "a".  NULL if refused (*why). */
static const char *plain(struct fmt_archive_reader *r, const char *p, const char **why)
{
    size_t n;

    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (p[0] == '/')
        return *why = "an absolute path", NULL;
    if (!strcmp(p, "..") || !strncmp(p, "../", 3) || strstr(p, "/../") ||
        (strlen(p) >= 3 && !strcmp(p + strlen(p) - 3, "/..")))
        return *why = "a path with '..'", NULL;
    if (!r->top && r->entries == 0 && strchr(p, '/') && !strchr(strchr(p, '/') + 1, '/')) {
        r->top = strndup(p, (size_t)(strchr(p, '/') - p)); /* "dumpdir/manifest.json" */
        if (!r->top)
            return *why = "out of memory", NULL;
    }
    n = r->top ? strlen(r->top) : 0;
    if (r->top && !strncmp(p, r->top, n) && p[n] == '/')
        p += n + 1;
    if (strchr(p, '/'))
        return *why = "a path outside the dump's one directory", NULL;
    if (!*p || !strcmp(p, "."))
        return *why = "an empty name", NULL;
    if (strlen(p) >= sizeof(r->entry))
        return *why = "a name too long", NULL;
    return p;
}

/* A directory entry: "." or the dump's one top directory are fine. */
static int directory(struct fmt_archive_reader *r, const char *p, struct cs_error *err)
{
    size_t n;

    while (p[0] == '.' && p[1] == '/')
        p += 2;
    n = strlen(p);
    while (n && p[n - 1] == '/')
        n--;
    if (n == 0 || (n == 1 && p[0] == '.'))
        return 0;
    if (!r->top && r->entries == 0 && !memchr(p, '/', n) && strncmp(p, "..", n)) {
        r->top = strndup(p, n);
        return r->top ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    return hostile(r, err, p, "a directory inside the dump");
}

static int check_entry(struct fmt_archive_reader *r, struct archive_entry *e, int *skip,
                       struct cs_error *err)
{
    const char *path = archive_entry_pathname(e), *why = NULL, *name;
    int ins;

    *skip = 0;
    if (!path)
        return hostile(r, err, NULL, "an entry without a name");
    if (archive_entry_hardlink(e))
        return hostile(r, err, path, "a hard link");
    if (archive_entry_filetype(e) == AE_IFLNK)
        return hostile(r, err, path, "a symbolic link");
    if (archive_entry_filetype(e) == AE_IFDIR) {
        *skip = 1;
        return directory(r, path, err);
    }
    if (archive_entry_filetype(e) != AE_IFREG)
        return hostile(r, err, path, "a device, fifo or other special file");
    if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0)
        return hostile(r, err, path, "an entry without a size");
    if (!(name = plain(r, path, &why)))
        return hostile(r, err, path, why);
    ins = fmt_name_set_insert(&r->seen, name);
    if (ins < 0)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (ins == 0)
        return hostile(r, err, name, "a second entry of that name");
    strcpy(r->entry, name);
    r->size = (uint64_t)archive_entry_size(e);
    return 0;
}

int fmt_archive_next(struct fmt_archive_reader *r, const char **entry, uint64_t *size,
                     struct cs_error *err)
{
    for (;;) {
        struct archive_entry *e;
        int rc = archive_read_next_header(r->a, &e), skip;

        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc < ARCHIVE_WARN)
            return rerr(r, err, "reading the next entry");
        if (check_entry(r, e, &skip, err) < 0)
            return -1;
        r->entries++;
        if (skip)
            continue;
        /* the format layer has consumed the headers: the data comes next */
        r->offset = (uint64_t)archive_filter_bytes(r->a, 0);
        r->contiguous = archive_filter_count(r->a) == 1 &&
                        archive_filter_code(r->a, 0) == ARCHIVE_FILTER_NONE &&
                        archive_entry_sparse_count(e) == 0;
        *entry = r->entry;
        *size = r->size;
        return 1;
    }
}

int fmt_archive_data_offset(const struct fmt_archive_reader *r, uint64_t *offset)
{
    *offset = r->offset;
    return r->contiguous;
}

static ssize_t entry_read(struct fmt_source *s, void *buf, size_t cap, struct cs_error *err)
{
    struct entry_source *es = (struct entry_source *)s;
    la_ssize_t n = archive_read_data(es->r->a, buf, cap);

    if (n < 0) {
        rerr(es->r, err, es->r->entry);
        if (err->code == CS_ERR_FORMAT)
            err->code = CS_ERR_TRUNCATED;
        return -1;
    }
    return (ssize_t)n;
}

static void entry_free(struct fmt_source *s)
{
    (void)s; /* lent: owned by the reader */
}

struct fmt_source *fmt_archive_data(struct fmt_archive_reader *r, struct cs_error *err)
{
    (void)err;
    r->src.base.read = entry_read;
    r->src.base.free = entry_free;
    r->src.r = r;
    return &r->src.base;
}
