/* archive_common.c - what the file and pipe readers of an archive share
 * (load/archive_int.h). */
#include "load/archive_int.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fs.h"
#include "format/archive.h"
#include "format/names.h"
#include "format/s3io.h"
#include "format/sink.h"
#include "format/sign.h"
#include "load/check.h"

int load_archive_has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcmp(s + n - k, suf);
}

int load_archive_is_chunk(const char *name)
{
    return fmt_name_is_chunk(name);
}

void load_archive_chunk_free(struct load_archive_chunk *ch)
{
    if (!ch)
        return;
    free(ch->schema);
    free(ch->table);
    fmt_chunk_release(&ch->c);
    free(ch);
}

int load_archive_hostile(struct load_archive *a, struct cs_error *err, const char *entry,
                         const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return cs_error_set(err, CS_ERR_HOSTILE,
                        "%s: entry '%.200s' refused: %s; nothing more is "
                        "loaded from this archive",
                        a->name, entry, why);
}

const char *load_archive_plain(struct load_archive *a, const char *entry)
{
    return load_input_trust_plain(a->in, entry);
}

int load_archive_entry_is(struct load_archive *a, const char *entry, const char *plain)
{
    char *stored = load_input_trust_stored(a->in, plain);
    int same = stored && !strcmp(stored, entry);

    free(stored);
    return same;
}

int load_archive_spool_entry(struct load_archive *a, const char *name, struct cs_error *err)
{
    char *stored = load_input_trust_stored(a->in, name);
    int rc = stored ? load_archive_spool_raw(a, stored, err)
                    : cs_error_set(err, CS_ERR_NOMEM, "out of memory");

    free(stored);
    return rc;
}

int load_archive_spool_raw(struct load_archive *a, const char *name, struct cs_error *err)
{
    struct fmt_source *src = fmt_archive_data(a->rd, err);
    char *path = cs_fs_join(a->spool, name);
    struct fmt_sink *out = path ? fmt_sink_file_new(path, 0600, err) : NULL;
    char buf[256 * 1024];
    ssize_t n = -1;

    if (!path)
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    while (out && src && (n = fmt_source_read(src, buf, sizeof(buf), err)) > 0)
        if (fmt_sink_write(out, buf, (size_t)n, err) < 0) {
            n = -1;
            break;
        }
    if (n == 0 && fmt_sink_finish(out, err) < 0)
        n = -1;
    fmt_sink_free(out);
    fmt_source_free(src);
    free(path);
    return n == 0 ? 0 : -1;
}

int load_archive_seen_add(struct load_archive *a, const char *schema, const char *table,
                          const struct fmt_chunk *c, struct cs_error *err)
{
    struct seen *s;

    if (a->nseen == a->capseen) {
        size_t cap = a->capseen ? a->capseen * 2 : 64;
        void *p = realloc(a->seen, cap * sizeof(*a->seen));
        if (!p)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        a->seen = p;
        a->capseen = cap;
    }
    s = &a->seen[a->nseen];
    memset(s, 0, sizeof(*s));
    s->c = *c;
    s->c.file = strdup(c->file);
    s->c.lo = s->c.hi = NULL; /* only the file and its sizes are compared */
    s->c.v1_lower = s->c.v1_upper = NULL;
    s->schema = strdup(schema ? schema : "");
    s->table = strdup(table ? table : "");
    if (!s->c.file || !s->schema || !s->table) {
        free(s->c.file);
        free(s->schema);
        free(s->table);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    a->nseen++;
    return 0;
}

int load_archive_cmp_seen(const void *x, const void *y)
{
    return strcmp(((const struct seen *)x)->c.file, ((const struct seen *)y)->c.file);
}

/* After sorting A->seen by file name. */
const struct seen *load_archive_seen_find(const struct load_archive *a, const char *file)
{
    struct seen key;

    key.c.file = (char *)file;
    return a->nseen ? bsearch(&key, a->seen, a->nseen, sizeof(key), load_archive_cmp_seen) : NULL;
}

/* The manifest's chunks by file name. */
int load_archive_build_index(struct load_archive *a, struct cs_error *err)
{
    return fmt_chunk_index_build(&a->index, a->cat) < 0
               ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
               : 0;
}

const struct fmt_chunk_ref *load_archive_manifest_chunk(const struct load_archive *a,
                                                        const char *file)
{
    return fmt_chunk_index_find(&a->index, file);
}

static int load_archive_dup_str(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst ? 0 : -1;
}

struct load_archive_chunk *load_archive_chunk_new(const char *schema, const char *table,
                                                  const struct fmt_chunk *c)
{
    struct load_archive_chunk *ch = calloc(1, sizeof(*ch));

    if (!ch)
        return NULL;
    if (fmt_chunk_copy(&ch->c, c) < 0) {
        free(ch);
        return NULL;
    }
    if (load_archive_dup_str(&ch->schema, schema) < 0 ||
        load_archive_dup_str(&ch->table, table) < 0) {
        load_archive_chunk_free(ch);
        return NULL;
    }
    return ch;
}

/* ---- signatures (--verify-key): each signed entry X is followed by X.sig -- */

#define SIG_MAX 4096

int load_archive_spooled_text(struct load_archive *a, const char *name, char **text, size_t *len,
                              struct cs_error *err)
{
    return load_trust_read_all(a->in, name, META_MAX, text, len, err);
}

/* The signature of SIGNED: already spooled (a tar whose signature came
 * first), else the stream's next entry, which must be it. */
static int take_sig(struct load_archive *a, const char *signed_name, char **sig, size_t *len,
                    struct cs_error *err)
{
    char *want = fmt_sign_name(signed_name);
    struct cs_error probe;
    const char *name;
    uint64_t size;
    int r, rc = -1;

    if (!want)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    cs_error_clear(&probe);
    if (a->in->size(a->in, want, &size, &probe) == 0) {
        rc = load_archive_spooled_text(a, want, sig, len, err);
        goto out;
    }
    if (!a->pipe) { /* a file: every entry was spooled in pass 1 */
        cs_error_set(err, CS_ERR_CHECKSUM,
                     "refusing the dump: %s: %s has no signature %s in the archive: it is not "
                     "signed, or was changed; nothing of it was loaded",
                     a->name, signed_name, want);
        goto out;
    }
    r = fmt_archive_next(a->rd, &name, &size, err);
    if (r < 0)
        goto out;
    if (r == 0 || !load_archive_entry_is(a, name, want)) {
        cs_error_set(err, CS_ERR_CHECKSUM,
                     "refusing the dump: %s: %s is not followed by its signature %s (%s): the "
                     "stream is not signed, or was changed; nothing of it was loaded",
                     a->name, signed_name, want, r == 0 ? "the stream ended" : name);
        goto out;
    }
    if (size > SIG_MAX) {
        load_archive_hostile(a, err, name, "too large for a signature");
        goto out;
    }
    rc = load_archive_spool_raw(a, name, err) < 0
             ? -1
             : load_archive_spooled_text(a, want, sig, len, err);
out:
    free(want);
    return rc;
}

int load_archive_verify_entry(struct load_archive *a, const char *name, const char *text,
                              size_t len, const struct cs_buf *data, struct cs_error *err)
{
    char *sig = NULL;
    size_t sig_len = 0;
    int rc;

    if (!a->trust.verify)
        return 0;
    if (take_sig(a, name, &sig, &sig_len, err) < 0)
        return -1;
    rc = load_trust_verify(a->trust.verify, a->name, name, data ? data->data : text,
                           data ? data->len : len, sig, sig_len, err);
    free(sig);
    return rc;
}

/* The reader over the fd or the S3 object (from its start again when AGAIN). */
int load_archive_open_reader(struct load_archive *a, int again, struct cs_error *err)
{
    if (a->s3) {
        fmt_source_free(a->src);
        a->src = fmt_source_s3_new(a->s3, a->s3key, err);
        a->rd = a->src ? fmt_archive_reader_new_source(a->src, a->name, err) : NULL;
        return a->rd ? 0 : -1;
    }
    if (again && lseek(a->fd, 0, SEEK_SET) < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "%s", a->name);
    a->rd = fmt_archive_reader_new(a->fd, a->name, err);
    return a->rd ? 0 : -1;
}
