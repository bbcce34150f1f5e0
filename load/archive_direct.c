/* archive_direct.c - a checked archive file or S3 object as a dump input
 * whose chunks are read where they lie (load/archive_int.h): metadata from
 * the spool, each chunk a range of the archive -- pread on the file, ranged
 * GETs pinned to the object's ETag -- so nothing is spooled and the chunks
 * load in any order, in parallel, like a directory's.  open() and size() are
 * safe from several threads (a->seen is only read once pass 1 is over).
 * An encrypted archive's chunk is its sealed range through an unsealing
 * source; seen[] holds plain names and sizes (load/trust.h). */
#include "load/archive_int.h"

#include <stdlib.h>
#include <string.h>

#include "format/s3io.h"
#include "format/seal.h"

struct direct_input {
    struct load_input base;
    struct load_archive *a;
};

static struct load_archive *arch_of(struct load_input *in)
{
    return ((struct direct_input *)in)->a;
}

static struct fmt_manifest *direct_read_manifest(struct load_input *in, struct cs_error *err)
{
    struct load_archive *a = arch_of(in);
    return a->in->read_manifest(a->in, err);
}

static struct fmt_source *direct_open(struct load_input *in, const char *file, struct cs_error *err)
{
    struct load_archive *a = arch_of(in);
    const struct seen *s = load_archive_seen_find(a, file);

    struct fmt_source *src;
    uint64_t len;

    if (!s)
        return a->in->open(a->in, file, err);
    /* encrypted: the entry is the sealed file, c.file_bytes its plain size */
    len = a->trust.seal ? fmt_seal_sealed_size(s->c.file_bytes) : s->c.file_bytes;
    if (a->s3)
        src = fmt_source_s3_range_new(a->s3, a->s3key, a->s3etag, s->offset, len, err);
    else
        src = fmt_source_fd_range_new(a->fd, s->offset, len, a->name, err);
    return src && a->trust.seal ? fmt_source_unseal_new(src, a->trust.seal, file, err) : src;
}

static int direct_size(struct load_input *in, const char *file, uint64_t *bytes,
                       struct cs_error *err)
{
    struct load_archive *a = arch_of(in);
    const struct seen *s = load_archive_seen_find(a, file);

    if (!s)
        return a->in->size(a->in, file, bytes, err);
    *bytes = s->c.file_bytes;
    return 0;
}

/* The metadata files and every chunk. */
static int direct_list(struct load_input *in, char ***names, size_t *n, struct cs_error *err)
{
    struct load_archive *a = arch_of(in);
    char **p;

    if (a->in->list(a->in, names, n, err) < 0)
        return -1;
    p = realloc(*names, (*n + a->nseen + 1) * sizeof(*p));
    if (!p) {
        load_input_free_list(*names, *n);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    *names = p;
    for (size_t i = 0; i < a->nseen; i++) {
        if (!(p[*n] = strdup(a->seen[i].c.file))) {
            load_input_free_list(*names, *n);
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        }
        (*n)++;
    }
    return 0;
}

static void direct_free(struct load_input *in)
{
    free(in);
}

struct load_input *load_archive_direct_new(struct load_archive *a, struct cs_error *err)
{
    struct direct_input *d = calloc(1, sizeof(*d));

    if (!d) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    d->a = a;
    d->base.name = a->name;
    d->base.read_manifest = direct_read_manifest;
    d->base.open = direct_open;
    d->base.size = direct_size;
    d->base.list = direct_list;
    d->base.free = direct_free;
    return &d->base;
}
