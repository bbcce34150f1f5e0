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
#include "format/s3io.h"
#include "format/names.h"
#include "format/sink.h"
#include "load/check.h"

int ld_arch_has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcmp(s + n - k, suf);
}

int ld_arch_is_chunk(const char *name)
{
    return fmt_name_is_chunk(name);
}

void ld_arch_chunk_free(struct load_archive_chunk *ch)
{
    if (!ch)
        return;
    free(ch->schema);
    free(ch->table);
    fmt_chunk_release(&ch->c);
    free(ch);
}

int ld_arch_hostile(struct load_archive *a, struct cs_error *err, const char *entry,
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

/* Writes the current entry's data to SPOOL/NAME. */
int ld_arch_spool_entry(struct load_archive *a, const char *name, struct cs_error *err)
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

int ld_arch_seen_add(struct load_archive *a, const char *schema, const char *table,
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
    s->c.where = s->c.lower = s->c.upper = NULL;
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

int ld_arch_cmp_seen(const void *x, const void *y)
{
    return strcmp(((const struct seen *)x)->c.file, ((const struct seen *)y)->c.file);
}

/* After sorting A->seen by file name. */
const struct seen *ld_arch_seen_find(const struct load_archive *a, const char *file)
{
    struct seen key;

    key.c.file = (char *)file;
    return a->nseen ? bsearch(&key, a->seen, a->nseen, sizeof(key), ld_arch_cmp_seen) : NULL;
}

static int ld_arch_cmp_idx(const void *x, const void *y)
{
    return strcmp(((const struct idx *)x)->file, ((const struct idx *)y)->file);
}

/* The manifest's chunks by file name. */
int ld_arch_build_index(struct load_archive *a, struct cs_error *err)
{
    const struct fmt_manifest *m = a->cat;
    size_t n = 0;

    for (size_t t = 0; t < m->ntables; t++)
        n += m->tables[t].nchunks;
    a->index = calloc(n + 1, sizeof(*a->index));
    if (!a->index)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    for (size_t t = 0; t < m->ntables; t++)
        for (size_t k = 0; k < m->tables[t].nchunks; k++)
            a->index[a->nindex++] =
                (struct idx){m->tables[t].chunks[k].file, &m->tables[t], &m->tables[t].chunks[k]};
    qsort(a->index, a->nindex, sizeof(*a->index), ld_arch_cmp_idx);
    return 0;
}

const struct idx *ld_arch_manifest_chunk(const struct load_archive *a, const char *file)
{
    struct idx key = {file, NULL, NULL};
    return a->nindex ? bsearch(&key, a->index, a->nindex, sizeof(key), ld_arch_cmp_idx) : NULL;
}

static int ld_arch_dup_str(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst ? 0 : -1;
}

struct load_archive_chunk *ld_arch_chunk_new(const char *schema, const char *table,
                                             const struct fmt_chunk *c)
{
    struct load_archive_chunk *ch = calloc(1, sizeof(*ch));

    if (!ch)
        return NULL;
    ch->c = *c;
    ch->c.file = ch->c.where = ch->c.lower = ch->c.upper = NULL;
    if (ld_arch_dup_str(&ch->schema, schema) < 0 || ld_arch_dup_str(&ch->table, table) < 0 ||
        ld_arch_dup_str(&ch->c.file, c->file) < 0 || ld_arch_dup_str(&ch->c.where, c->where) < 0 ||
        ld_arch_dup_str(&ch->c.lower, c->lower) < 0 ||
        ld_arch_dup_str(&ch->c.upper, c->upper) < 0) {
        ld_arch_chunk_free(ch);
        return NULL;
    }
    return ch;
}

/* ---- a file: pass 1 checks everything before anything is loaded -------- */

static int hash_entry(struct load_archive *a, char hash[33], struct cs_error *err)
{
    struct fmt_source *c = fmt_source_counter_new(fmt_archive_data(a->rd, err), err);
    char buf[256 * 1024];
    uint64_t bytes;
    ssize_t n = -1;

    while (c && (n = fmt_source_read(c, buf, sizeof(buf), err)) > 0)
        ;
    if (c && n == 0)
        fmt_source_counter_result(c, &bytes, hash);
    fmt_source_free(c);
    return n == 0 ? 0 : -1;
}

static int pass1_entries(struct load_archive *a, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1) {
        if (ld_arch_is_chunk(name)) {
            struct fmt_chunk c;
            memset(&c, 0, sizeof(c));
            c.file = (char *)name;
            c.file_bytes = size;
            if ((a->hashes && hash_entry(a, c.file_hash, err) < 0) ||
                ld_arch_seen_add(a, NULL, NULL, &c, err) < 0)
                return -1;
            continue;
        }
        if (size > META_MAX)
            return ld_arch_hostile(a, err, name, "%llu bytes: too large for a dump's metadata file",
                                   (unsigned long long)size);
        if (ld_arch_spool_entry(a, name, err) < 0)
            return -1;
    }
    return r;
}

static int check_chunks(struct load_archive *a, struct cs_error *err)
{
    qsort(a->seen, a->nseen, sizeof(*a->seen), ld_arch_cmp_seen);
    for (size_t i = 0; i < a->nseen; i++) {
        const struct seen *s = &a->seen[i];
        const struct idx *x = ld_arch_manifest_chunk(a, s->c.file);
        if (!x)
            return ld_arch_hostile(a, err, s->c.file,
                                   "not in the manifest (more data than the manifest "
                                   "accounts for)");
        if (s->c.file_bytes != x->c->file_bytes)
            return ld_arch_hostile(a, err, s->c.file, "%llu bytes, the manifest says %llu",
                                   (unsigned long long)s->c.file_bytes,
                                   (unsigned long long)x->c->file_bytes);
        if (a->hashes && strcmp(s->c.file_hash, x->c->file_hash))
            return cs_error_set(err, CS_ERR_CHECKSUM,
                                "%s: entry %s: its hash differs from the manifest: the archive "
                                "is damaged",
                                a->name, s->c.file);
    }
    for (size_t i = 0; i < a->nindex; i++)
        if (!ld_arch_seen_find(a, a->index[i].file))
            return cs_error_set(err, CS_ERR_MISSING,
                                "%s: the archive lacks chunk %s, which its manifest lists "
                                "(incomplete archive)",
                                a->name, a->index[i].file);
    return 0;
}

/* Every metadata entry is the manifest itself, a listed file, or a listed
 * chunk's description; every listed file is there with its size and hash. */
static int check_files(struct load_archive *a, struct cs_error *err)
{
    char **names = NULL;
    size_t n = 0;
    int rc = 0;

    if (a->in->list(a->in, &names, &n, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *f = names[i];
        int listed = !strcmp(f, FMT_MANIFEST_NAME);
        for (size_t k = 0; !listed && k < a->cat->nfiles; k++)
            listed = !strcmp(f, a->cat->files[k].name);
        if (!listed && ld_arch_has_suffix(f, FMT_META_SUFFIX)) {
            char *chunk = strndup(f, strlen(f) - strlen(FMT_META_SUFFIX));
            listed = chunk && ld_arch_manifest_chunk(a, chunk);
            free(chunk);
        }
        if (!listed)
            rc = ld_arch_hostile(a, err, f, "not in the manifest");
    }
    for (size_t k = 0; rc == 0 && k < a->cat->nfiles; k++)
        rc = load_check_file(a->in, a->cat->files[k].name, a->cat->files[k].bytes,
                             a->cat->files[k].hash, err);
    load_input_free_list(names, n);
    return rc;
}

/* The reader over the fd or the S3 object (from its start again when AGAIN). */
static int open_reader(struct load_archive *a, int again, struct cs_error *err)
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

static int open_file_mode(struct load_archive *a, struct cs_error *err)
{
    if (pass1_entries(a, err) < 0)
        return -1;
    a->m = fmt_manifest_read(a->spool, err);
    if (!a->m) {
        if (err->code == CS_ERR_MISSING)
            cs_error_set(err, CS_ERR_TRUNCATED,
                         "%s: the archive holds no manifest.json: the dump did not finish, or "
                         "the archive is incomplete",
                         a->name);
        return -1;
    }
    a->cat = a->m;
    if (ld_arch_build_index(a, err) < 0 || check_chunks(a, err) < 0 || check_files(a, err) < 0)
        return -1;
    /* pass 2 starts from the beginning */
    fmt_archive_reader_free(a->rd);
    a->rd = NULL;
    return open_reader(a, 1, err);
}

/* ---- both ------------------------------------------------------------- */

static int next_file(struct load_archive *a, load_skip_fn skip, void *ctx,
                     struct load_archive_chunk **out, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    if (a->ended)
        return 0;
    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1) {
        const struct idx *x;
        if (!ld_arch_is_chunk(name) || !(x = ld_arch_manifest_chunk(a, name)))
            continue; /* metadata: already spooled in pass 1 */
        if (skip && skip(ctx, x->c))
            continue;
        *out = ld_arch_chunk_new(x->t->schema, x->t->name, x->c);
        if (!*out)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        if (ld_arch_spool_entry(a, name, err) < 0) {
            ld_arch_chunk_free(*out);
            *out = NULL;
            return -1;
        }
        return 1;
    }
    a->ended = r == 0;
    return r;
}

int load_archive_next_chunk(struct load_archive *a, load_skip_fn skip, void *skip_ctx,
                            struct load_archive_chunk **out, struct cs_error *err)
{
    *out = NULL;
    return a->pipe ? ld_arch_next_pipe(a, skip, skip_ctx, out, err)
                   : next_file(a, skip, skip_ctx, out, err);
}

void load_archive_chunk_done(struct load_archive *a, struct load_archive_chunk *ch)
{
    char *path;

    if (!ch)
        return;
    path = cs_fs_join(a->spool, ch->c.file);
    if (path)
        unlink(path);
    free(path);
    ld_arch_chunk_free(ch);
}

int load_archive_finish(struct load_archive *a, struct fmt_manifest **final, struct cs_error *err)
{
    *final = NULL;
    if (!a->pipe || a->manifest_first)
        return 0;
    return ld_arch_finish_pipe(a, final, err);
}

/* An s3://BUCKET/KEY archive is read like a file: twice, from the start. */
static int open_s3(struct load_archive *a, const char *url, const struct cs_s3_options *o,
                   const volatile int *cancel, struct cs_error *err)
{
    a->s3 = cs_s3_open_url(url, o, a->log, cancel, &a->s3key, err);
    if (!a->s3)
        return -1;
    if (!*a->s3key)
        return cs_error_set(err, CS_ERR_USAGE, "--archive %s: give the object's key", url);
    a->pipe = 0;
    return 0;
}

static int open_fd(struct load_archive *a, const char *path, struct cs_error *err)
{
    struct stat st;

    a->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    a->own_fd = strcmp(path, "-") != 0;
    if (a->fd < 0)
        return cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno, "%s",
                            path);
    a->pipe = fstat(a->fd, &st) < 0 || !S_ISREG(st.st_mode);
    return 0;
}

struct load_archive *load_archive_open(const char *path, int hashes,
                                       const struct cs_s3_options *s3, const struct cs_log *log,
                                       const volatile int *cancel, struct cs_error *err)
{
    struct load_archive *a = calloc(1, sizeof(*a));
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];

    if (!a) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    a->log = log;
    a->hashes = hashes;
    a->fd = -1;
    a->name = strcmp(path, "-") ? path : "standard input";
    if ((cs_s3_is_url(path) ? open_s3(a, path, s3, cancel, err) : open_fd(a, path, err)) < 0)
        goto fail;
    snprintf(tmpl, sizeof(tmpl), "%s/csload-spool.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        cs_error_sys(err, CS_ERR_IO, errno, "creating a spool directory %s", tmpl);
        goto fail;
    }
    if (!(a->spool = strdup(tmpl)) || !(a->in = load_input_dir_new(a->spool, err)) ||
        open_reader(a, 0, err) < 0)
        goto fail;
    if ((a->pipe ? ld_arch_open_pipe(a, err) : open_file_mode(a, err)) < 0)
        goto fail;
    return a;
fail:
    load_archive_free(a);
    return NULL;
}

void load_archive_free(struct load_archive *a)
{
    struct cs_error ignore;

    if (!a)
        return;
    fmt_archive_reader_free(a->rd);
    fmt_source_free(a->src);
    cs_s3_free(a->s3);
    free(a->s3key);
    if (a->own_fd && a->fd >= 0)
        close(a->fd);
    load_input_free(a->in);
    if (a->spool)
        cs_fs_remove_flat_dir(a->spool, &ignore);
    for (size_t i = 0; i < a->nseen; i++) {
        free(a->seen[i].schema);
        free(a->seen[i].table);
        free(a->seen[i].c.file);
    }
    free(a->seen);
    free(a->index);
    ld_arch_chunk_free(a->pending);
    fmt_manifest_free(a->m);
    fmt_manifest_free(a->final);
    free(a->spool);
    free(a);
}

struct load_input *load_archive_input(struct load_archive *a)
{
    return a->in;
}

struct fmt_manifest *load_archive_take_manifest(struct load_archive *a)
{
    struct fmt_manifest *m = a->m;
    a->m = NULL;
    return m;
}

int load_archive_is_pipe(const struct load_archive *a)
{
    return a->pipe;
}
