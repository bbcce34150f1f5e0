#include "load/archive_in.h"

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
#include "format/sink.h"
#include "load/check.h"

#define META_MAX (64u * 1024u * 1024u) /* the largest non-chunk entry we accept */

/* A chunk entry of the archive, seen in pass 1 (file) or streamed (pipe). */
struct seen {
    char *schema, *table;
    struct fmt_chunk c;
};

struct load_archive {
    int fd, own_fd, pipe, hashes;
    const char *name;
    char *spool;
    struct load_input *in;
    struct fmt_archive_reader *rd;
    struct fmt_manifest *m;      /* until taken */
    const struct fmt_manifest *cat; /* the manifest or catalog, borrowed after take */
    struct fmt_manifest *final;  /* pipe: the manifest at the end */
    struct seen *seen;           /* pipe: every chunk streamed */
    size_t nseen, capseen;
    struct load_archive_chunk *pending; /* pipe: the description before its chunk */
    struct idx *index;           /* file: the manifest's chunks by name */
    size_t nindex;
    int manifest_first;          /* pipe: the manifest came first (no descriptions) */
    int ended;
    const struct cs_log *log;
};

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcmp(s + n - k, suf);
}

static int is_chunk(const char *name)
{
    return fmt_name_is_chunk(name);
}

static void chunk_free(struct load_archive_chunk *ch)
{
    if (!ch)
        return;
    free(ch->schema);
    free(ch->table);
    fmt_chunk_release(&ch->c);
    free(ch);
}

__attribute__((format(printf, 4, 5))) static int
hostile(struct load_archive *a, struct cs_error *err, const char *entry, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return cs_error_set(err, CS_ERR_HOSTILE, "%s: entry '%.200s' refused: %s; nothing more is "
                                             "loaded from this archive",
                        a->name, entry, why);
}

/* Writes the current entry's data to SPOOL/NAME. */
static int spool_entry(struct load_archive *a, const char *name, struct cs_error *err)
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

static int seen_add(struct load_archive *a, const char *schema, const char *table,
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

static int cmp_seen(const void *x, const void *y)
{
    return strcmp(((const struct seen *)x)->c.file, ((const struct seen *)y)->c.file);
}

/* After sorting A->seen by file name. */
static const struct seen *seen_find(const struct load_archive *a, const char *file)
{
    struct seen key;

    key.c.file = (char *)file;
    return a->nseen ? bsearch(&key, a->seen, a->nseen, sizeof(key), cmp_seen) : NULL;
}

struct idx {
    const char *file;
    const struct fmt_table *t;
    const struct fmt_chunk *c;
};

static int cmp_idx(const void *x, const void *y)
{
    return strcmp(((const struct idx *)x)->file, ((const struct idx *)y)->file);
}

/* The manifest's chunks by file name. */
static int build_index(struct load_archive *a, struct cs_error *err)
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
    qsort(a->index, a->nindex, sizeof(*a->index), cmp_idx);
    return 0;
}

static const struct idx *manifest_chunk(const struct load_archive *a, const char *file)
{
    struct idx key = {file, NULL, NULL};
    return a->nindex ? bsearch(&key, a->index, a->nindex, sizeof(key), cmp_idx) : NULL;
}

static int dup_str(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst ? 0 : -1;
}

static struct load_archive_chunk *chunk_new(const char *schema, const char *table,
                                            const struct fmt_chunk *c)
{
    struct load_archive_chunk *ch = calloc(1, sizeof(*ch));

    if (!ch)
        return NULL;
    ch->c = *c;
    ch->c.file = ch->c.where = ch->c.lower = ch->c.upper = NULL;
    if (dup_str(&ch->schema, schema) < 0 || dup_str(&ch->table, table) < 0 ||
        dup_str(&ch->c.file, c->file) < 0 || dup_str(&ch->c.where, c->where) < 0 ||
        dup_str(&ch->c.lower, c->lower) < 0 || dup_str(&ch->c.upper, c->upper) < 0) {
        chunk_free(ch);
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
        if (is_chunk(name)) {
            struct fmt_chunk c;
            memset(&c, 0, sizeof(c));
            c.file = (char *)name;
            c.file_bytes = size;
            if ((a->hashes && hash_entry(a, c.file_hash, err) < 0) ||
                seen_add(a, NULL, NULL, &c, err) < 0)
                return -1;
            continue;
        }
        if (size > META_MAX)
            return hostile(a, err, name, "%llu bytes: too large for a dump's metadata file",
                           (unsigned long long)size);
        if (spool_entry(a, name, err) < 0)
            return -1;
    }
    return r;
}

static int check_chunks(struct load_archive *a, struct cs_error *err)
{
    qsort(a->seen, a->nseen, sizeof(*a->seen), cmp_seen);
    for (size_t i = 0; i < a->nseen; i++) {
        const struct seen *s = &a->seen[i];
        const struct idx *x = manifest_chunk(a, s->c.file);
        if (!x)
            return hostile(a, err, s->c.file, "not in the manifest (more data than the manifest "
                                              "accounts for)");
        if (s->c.file_bytes != x->c->file_bytes)
            return hostile(a, err, s->c.file, "%llu bytes, the manifest says %llu",
                           (unsigned long long)s->c.file_bytes,
                           (unsigned long long)x->c->file_bytes);
        if (a->hashes && strcmp(s->c.file_hash, x->c->file_hash))
            return cs_error_set(err, CS_ERR_CHECKSUM,
                                "%s: entry %s: its hash differs from the manifest: the archive "
                                "is damaged",
                                a->name, s->c.file);
    }
    for (size_t i = 0; i < a->nindex; i++)
        if (!seen_find(a, a->index[i].file))
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
        if (!listed && has_suffix(f, FMT_META_SUFFIX)) {
            char *chunk = strndup(f, strlen(f) - strlen(FMT_META_SUFFIX));
            listed = chunk && manifest_chunk(a, chunk);
            free(chunk);
        }
        if (!listed)
            rc = hostile(a, err, f, "not in the manifest");
    }
    for (size_t k = 0; rc == 0 && k < a->cat->nfiles; k++)
        rc = load_check_file(a->in, a->cat->files[k].name, a->cat->files[k].bytes,
                             a->cat->files[k].hash, err);
    load_input_free_list(names, n);
    return rc;
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
    if (build_index(a, err) < 0 || check_chunks(a, err) < 0 || check_files(a, err) < 0)
        return -1;
    /* pass 2 starts from the beginning */
    fmt_archive_reader_free(a->rd);
    a->rd = NULL;
    if (lseek(a->fd, 0, SEEK_SET) < 0)
        return cs_error_sys(err, CS_ERR_IO, errno, "%s", a->name);
    a->rd = fmt_archive_reader_new(a->fd, a->name, err);
    return a->rd ? 0 : -1;
}

/* ---- a pipe: one pass, catalog first, each chunk after its description -- */

static int open_pipe_mode(struct load_archive *a, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1) {
        if (is_chunk(name) || has_suffix(name, FMT_META_SUFFIX))
            return cs_error_set(err, CS_ERR_FORMAT,
                                "%s: chunk data before the catalog: this is not a stream "
                                "csdump --archive wrote; load a plain tar of a dump from a "
                                "file (csload --archive FILE), not from a pipe",
                                a->name);
        if (size > META_MAX)
            return hostile(a, err, name, "%llu bytes: too large for a dump's metadata file",
                           (unsigned long long)size);
        if (spool_entry(a, name, err) < 0)
            return -1;
        if (!strcmp(name, FMT_CATALOG_NAME) || !strcmp(name, FMT_MANIFEST_NAME))
            break;
    }
    if (r < 0)
        return -1;
    if (r == 0)
        return cs_error_set(err, CS_ERR_TRUNCATED,
                            "%s: the stream ended before its catalog: the dump did not start, "
                            "or this is not a csdump archive",
                            a->name);
    {
        char *text = NULL, *path = cs_fs_join(a->spool, name);
        size_t len = 0;
        if (!path || cs_fs_read_all(path, META_MAX, &text, &len, err) < 0) {
            free(path);
            return path ? -1 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        }
        a->m = fmt_manifest_from_json(text, len, name, err);
        free(text);
        free(path);
    }
    a->cat = a->m;
    if (!a->m)
        return -1;
    /* a plain tar whose manifest came first: chunks are checked against it */
    a->manifest_first = !strcmp(name, FMT_MANIFEST_NAME);
    return a->manifest_first ? build_index(a, err) : 0;
}

/* A chunk description: held until its chunk comes. */
static int take_meta(struct load_archive *a, const char *name, struct cs_error *err)
{
    char *text = NULL, *path = NULL, *schema = NULL, *table = NULL;
    struct fmt_chunk c;
    size_t len = 0;
    int rc = -1;

    if (a->pending)
        return hostile(a, err, name, "a second chunk description in a row");
    path = cs_fs_join(a->spool, name);
    if (!path || spool_entry(a, name, err) < 0 || cs_fs_read_all(path, META_MAX, &text, &len, err) < 0 ||
        fmt_chunk_meta_from_json(text, len, name, &schema, &table, &c, err) < 0)
        goto out;
    a->pending = chunk_new(schema, table, &c);
    fmt_chunk_release(&c);
    rc = a->pending ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
out:
    if (path)
        unlink(path);
    free(path);
    free(text);
    free(schema);
    free(table);
    return rc;
}

/* The chunk entry NAME of SIZE bytes must be the one its description announced. */
static int take_chunk(struct load_archive *a, const char *name, uint64_t size,
                      struct load_archive_chunk **out, struct cs_error *err)
{
    struct load_archive_chunk *ch = a->pending;

    if (a->manifest_first) {
        const struct idx *x = manifest_chunk(a, name);
        if (!x)
            return hostile(a, err, name, "not in the manifest (more data than the manifest "
                                         "accounts for)");
        ch = a->pending = chunk_new(x->t->schema, x->t->name, x->c);
        if (!ch)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }

    if (!ch || strcmp(ch->c.file, name))
        return hostile(a, err, name, "a chunk without its description before it");
    if (size != ch->c.file_bytes)
        return hostile(a, err, name, "%llu bytes, its description says %llu",
                       (unsigned long long)size, (unsigned long long)ch->c.file_bytes);
    a->pending = NULL;
    if (seen_add(a, ch->schema, ch->table, &ch->c, err) < 0) {
        chunk_free(ch);
        return -1;
    }
    *out = ch;
    return 0;
}

static int take_manifest(struct load_archive *a, struct cs_error *err)
{
    char *text = NULL, *path = cs_fs_join(a->spool, FMT_MANIFEST_NAME);
    size_t len = 0;

    if (!path || spool_entry(a, FMT_MANIFEST_NAME, err) < 0 ||
        cs_fs_read_all(path, META_MAX, &text, &len, err) < 0) {
        free(path);
        return -1;
    }
    a->final = fmt_manifest_from_json(text, len, FMT_MANIFEST_NAME, err);
    free(text);
    free(path);
    return a->final ? 0 : -1;
}

static int next_pipe(struct load_archive *a, load_skip_fn skip, void *ctx,
                     struct load_archive_chunk **out, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    while (!a->ended && (r = fmt_archive_next(a->rd, &name, &size, err)) != 0) {
        struct load_archive_chunk *ch = NULL;
        if (r < 0)
            return -1;
        if (a->final || (a->manifest_first && !is_chunk(name)))
            return hostile(a, err, name, "%s",
                           a->final ? "data after the manifest" : "not expected after the manifest");
        if (has_suffix(name, FMT_META_SUFFIX)) {
            if (take_meta(a, name, err) < 0)
                return -1;
        } else if (is_chunk(name)) {
            if (take_chunk(a, name, size, &ch, err) < 0)
                return -1;
            if (skip && skip(ctx, &ch->c)) {
                chunk_free(ch);
                continue;
            }
            if (spool_entry(a, name, err) < 0) {
                chunk_free(ch);
                return -1;
            }
            *out = ch;
            return 1;
        } else if (!strcmp(name, FMT_MANIFEST_NAME)) {
            if (take_manifest(a, err) < 0)
                return -1;
        } else {
            return hostile(a, err, name, "not expected after the catalog");
        }
    }
    a->ended = 1;
    return 0;
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
        if (!is_chunk(name) || !(x = manifest_chunk(a, name)))
            continue; /* metadata: already spooled in pass 1 */
        if (skip && skip(ctx, x->c))
            continue;
        *out = chunk_new(x->t->schema, x->t->name, x->c);
        if (!*out)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        if (spool_entry(a, name, err) < 0) {
            chunk_free(*out);
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
    return a->pipe ? next_pipe(a, skip, skip_ctx, out, err) : next_file(a, skip, skip_ctx, out, err);
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
    chunk_free(ch);
}

/* The final manifest describes exactly the chunks that came, and the tables
 * the catalog announced. */
static int match_final(struct load_archive *a, const struct fmt_manifest *f, struct cs_error *err)
{
    size_t n = 0;

    if (f->ntables != a->cat->ntables)
        return cs_error_set(err, CS_ERR_CHECKSUM, "%s: the manifest lists %zu tables, the "
                                                  "catalog %zu",
                            a->name, f->ntables, a->cat->ntables);
    qsort(a->seen, a->nseen, sizeof(*a->seen), cmp_seen);
    for (size_t t = 0; t < f->ntables; t++) {
        if (strcmp(f->tables[t].schema, a->cat->tables[t].schema) ||
            strcmp(f->tables[t].name, a->cat->tables[t].name))
            return cs_error_set(err, CS_ERR_CHECKSUM, "%s: table %s.%s of the manifest is not "
                                                      "the catalog's",
                                a->name, f->tables[t].schema, f->tables[t].name);
        for (size_t k = 0; k < f->tables[t].nchunks; k++, n++) {
            const struct fmt_chunk *c = &f->tables[t].chunks[k];
            const struct seen *s = seen_find(a, c->file);
            if (!s || s->c.file_bytes != c->file_bytes || s->c.rows != c->rows ||
                strcmp(s->c.file_hash, c->file_hash) || strcmp(s->c.checksum, c->checksum))
                return cs_error_set(err, CS_ERR_CHECKSUM,
                                    "%s: chunk %s %s: the stream does not match its manifest; "
                                    "nothing is verified",
                                    a->name, c->file, s ? "differs" : "never came");
        }
    }
    if (n != a->nseen)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: %zu chunks came, the manifest lists %zu; nothing is verified",
                            a->name, a->nseen, n);
    return 0;
}

int load_archive_finish(struct load_archive *a, struct fmt_manifest **final, struct cs_error *err)
{
    *final = NULL;
    if (!a->pipe || a->manifest_first)
        return 0;
    if (!a->ended) {
        struct load_archive_chunk *ch = NULL;
        int r = next_pipe(a, NULL, NULL, &ch, err);
        if (r != 0) {
            chunk_free(ch);
            return r < 0 ? -1 : hostile(a, err, "?", "a chunk after the last one");
        }
    }
    if (!a->final)
        return cs_error_set(err, CS_ERR_TRUNCATED,
                            "%s: the stream ended without a manifest: the dump did not finish "
                            "(or the stream was cut); nothing is verified",
                            a->name);
    if (a->pending)
        return hostile(a, err, a->pending->c.file, "a description without its chunk");
    if (match_final(a, a->final, err) < 0)
        return -1;
    *final = a->final;
    a->final = NULL;
    return 0;
}

struct load_archive *load_archive_open(const char *path, int hashes, const struct cs_log *log,
                                       struct cs_error *err)
{
    struct load_archive *a = calloc(1, sizeof(*a));
    const char *tmp = getenv("TMPDIR");
    char tmpl[4096];
    struct stat st;

    if (!a) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    a->log = log;
    a->hashes = hashes;
    a->fd = -1;
    a->name = strcmp(path, "-") ? path : "standard input";
    a->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
    a->own_fd = strcmp(path, "-") != 0;
    if (a->fd < 0) {
        cs_error_sys(err, errno == ENOENT ? CS_ERR_MISSING : CS_ERR_IO, errno, "%s", path);
        goto fail;
    }
    a->pipe = fstat(a->fd, &st) < 0 || !S_ISREG(st.st_mode);
    snprintf(tmpl, sizeof(tmpl), "%s/csload-spool.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        cs_error_sys(err, CS_ERR_IO, errno, "creating a spool directory %s", tmpl);
        goto fail;
    }
    if (!(a->spool = strdup(tmpl)) || !(a->in = load_input_dir_new(a->spool, err)) ||
        !(a->rd = fmt_archive_reader_new(a->fd, a->name, err)))
        goto fail;
    if ((a->pipe ? open_pipe_mode(a, err) : open_file_mode(a, err)) < 0)
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
    chunk_free(a->pending);
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
