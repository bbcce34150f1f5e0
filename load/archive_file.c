/* archive_file.c - an archive file: pass 1 reads it through and checks
 * every entry against the manifest before anything is loaded; then the
 * chunks are read where they lie (archive_direct.c: csdump's archives, any
 * uncompressed tar), or else streamed in pass 2 (load/archive_int.h). */
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
#include "load/bounds_v1.h"
#include "load/check.h"
#include "load/chunkset.h"

/* ---- a file: pass 1 checks everything before anything is loaded -------- */

/* The entry's XXH3-128, and its SHA-256 when verifying a signature (of its
 * plain bytes when encrypted: they are what the manifest lists). */
static int hash_entry(struct load_archive *a, const char *plain, char hash[33], char sha[65],
                      struct cs_error *err)
{
    struct fmt_source *raw = fmt_archive_data(a->rd, err);
    struct fmt_source *c;

    if (raw && a->trust.seal)
        raw = fmt_source_unseal_new(raw, a->trust.seal, plain, err);
    c = fmt_source_counter_sha_new(raw, a->trust.verify != NULL, err);
    char buf[256 * 1024];
    uint64_t bytes;
    ssize_t n = -1;

    while (c && (n = fmt_source_read(c, buf, sizeof(buf), err)) > 0)
        ;
    if (c && n == 0) {
        fmt_source_counter_result(c, &bytes, hash);
        fmt_source_counter_sha256(c, sha);
    }
    fmt_source_free(c);
    return n == 0 ? 0 : -1;
}

static int pass1_entries(struct load_archive *a, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1) {
        const char *plain = load_archive_plain(a, name);
        if (!a->trust.seal && load_archive_has_suffix(name, ".cse"))
            return cs_error_set(err, CS_ERR_USAGE,
                                "%s: the archive is encrypted (csdump --encrypt-key; entry %s): "
                                "give csload --encrypt-key FILE with the same key to read it",
                                a->name, name);
        if (!plain)
            return load_archive_hostile(a, err, name,
                                        "not in the manifest (or encrypted with another key)");
        if (a->trust.seal && fmt_seal_plain_size(size, &size) < 0)
            return load_archive_hostile(a, err, plain, "no size an encrypted file can have");
        if (load_archive_is_chunk(plain)) {
            struct fmt_chunk c;
            memset(&c, 0, sizeof(c));
            c.file = (char *)plain;
            c.file_bytes = size;
            if ((a->hashes && hash_entry(a, plain, c.file_hash, c.sha256, err) < 0) ||
                load_archive_seen_add(a, NULL, NULL, &c, err) < 0)
                return -1;
            a->seen[a->nseen - 1].at_offset =
                fmt_archive_data_offset(a->rd, &a->seen[a->nseen - 1].offset);
            continue;
        }
        if (size > META_MAX)
            return load_archive_hostile(a, err, name,
                                        "%llu bytes: too large for a dump's metadata file",
                                        (unsigned long long)size);
        if (load_archive_spool_raw(a, name, err) < 0)
            return -1;
    }
    return r;
}

/* The archive from its start again. */
static int rewind_reader(struct load_archive *a, struct cs_error *err)
{
    fmt_archive_reader_free(a->rd);
    a->rd = NULL;
    return load_archive_open_reader(a, 1, err);
}

/* Encrypted: entry names are opaque until the manifest is read, so a first
 * look reads it (and its signature) alone and learns every name. */
static int learn_names(struct load_archive *a, struct cs_error *err)
{
    struct fmt_manifest *m;
    const char *name;
    uint64_t size;
    int r;

    if (!a->trust.seal)
        return 0;
    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1)
        if ((!strcmp(name, FMT_MANIFEST_NAME) || load_archive_entry_is(a, name, FMT_SIGN_FILE)) &&
            load_archive_spool_raw(a, name, err) < 0)
            return -1;
    if (r < 0)
        return -1;
    m = a->in->read_manifest(a->in, err); /* learns the names */
    fmt_manifest_free(m);
    return m ? rewind_reader(a, err) : -1;
}

static int check_chunks(struct load_archive *a, struct cs_error *err)
{
    qsort(a->seen, a->nseen, sizeof(*a->seen), load_archive_cmp_seen);
    for (size_t i = 0; i < a->nseen; i++) {
        const struct seen *s = &a->seen[i];
        const struct fmt_chunk_ref *x = load_archive_manifest_chunk(a, s->c.file);
        if (!x)
            return load_archive_hostile(a, err, s->c.file,
                                        "not in the manifest (more data than the manifest "
                                        "accounts for)");
        if (s->c.file_bytes != x->c->file_bytes)
            return load_archive_hostile(a, err, s->c.file, "%llu bytes, the manifest says %llu",
                                        (unsigned long long)s->c.file_bytes,
                                        (unsigned long long)x->c->file_bytes);
        if (a->hashes && strcmp(s->c.file_hash, x->c->file_hash))
            return cs_error_set(err, CS_ERR_CHECKSUM,
                                "%s: entry %s: its hash differs from the manifest: the archive "
                                "is damaged",
                                a->name, s->c.file);
        if (a->trust.verify && strcmp(s->c.sha256, x->c->sha256))
            return cs_error_set(err, CS_ERR_CHECKSUM,
                                "refusing the dump: %s: entry %s: its SHA-256 differs from the "
                                "signed manifest: it was changed after the dump was signed",
                                a->name, s->c.file);
    }
    for (size_t i = 0; i < a->index.n; i++)
        if (!load_archive_seen_find(a, a->index.v[i].file))
            return cs_error_set(err, CS_ERR_MISSING,
                                "%s: the archive lacks chunk %s, which its manifest lists "
                                "(incomplete archive)",
                                a->name, a->index.v[i].file);
    return 0;
}

/* --verify-key: the chunk description F, bound to the dump, is signed. */
static int verify_meta(struct load_archive *a, const char *f, struct cs_error *err)
{
    struct cs_buf data = CS_BUF_INIT;
    char *text = NULL;
    size_t len = 0;
    int rc = -1;

    if (load_archive_spooled_text(a, f, &text, &len, err) < 0)
        return -1;
    fmt_sign_meta_data(&data, a->cat->dump_id, text);
    if (cs_buf_failed(&data))
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    else
        rc = load_archive_verify_entry(a, f, text, len, &data, err);
    cs_buf_release(&data);
    free(text);
    return rc;
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
        int listed = !strcmp(f, FMT_MANIFEST_NAME) || !strcmp(f, FMT_SIGN_FILE);
        for (size_t k = 0; !listed && k < a->cat->nfiles; k++)
            listed = !strcmp(f, a->cat->files[k].name);
        if (!listed && load_archive_has_suffix(f, FMT_META_SUFFIX)) {
            char *chunk = strndup(f, strlen(f) - strlen(FMT_META_SUFFIX));
            listed = chunk && load_archive_manifest_chunk(a, chunk);
            free(chunk);
            if (listed && a->trust.verify && verify_meta(a, f, err) < 0) {
                rc = -1;
                break;
            }
        }
        if (!listed && load_archive_has_suffix(f, FMT_META_SIG_SUFFIX)) {
            char *chunk = strndup(f, strlen(f) - strlen(FMT_META_SIG_SUFFIX));
            listed = chunk && load_archive_manifest_chunk(a, chunk);
            free(chunk);
        }
        if (!listed)
            rc = load_archive_hostile(a, err, f, "not in the manifest");
    }
    for (size_t k = 0; rc == 0 && k < a->cat->nfiles; k++)
        rc = load_check_file(a->in, a->cat->files[k].name, a->cat->files[k].bytes,
                             a->cat->files[k].hash, a->cat->files[k].sha256, err);
    load_input_free_list(names, n);
    return rc;
}

static int all_in_place(const struct load_archive *a)
{
    for (size_t i = 0; i < a->nseen; i++)
        if (!a->seen[i].at_offset)
            return 0;
    return 1;
}

static int file_open(struct load_archive *a, struct cs_error *err)
{
    if (learn_names(a, err) < 0 || pass1_entries(a, err) < 0)
        return -1;
    /* verified when asked (load/trust.h) */
    a->m = load_bounds_v1_take(a->in->read_manifest(a->in, err), a->name, err);
    if (!a->m) {
        if (err->code == CS_ERR_MISSING)
            cs_error_set(err, CS_ERR_TRUNCATED,
                         "%s: the archive holds no manifest.json: the dump did not finish, or "
                         "the archive is incomplete",
                         a->name);
        return -1;
    }
    a->cat = a->m;
    if (load_chunkset_require(a->m, a->name, a->log, err) < 0 ||
        load_archive_build_index(a, err) < 0 || check_chunks(a, err) < 0 || check_files(a, err) < 0)
        return -1;
    fmt_archive_reader_free(a->rd);
    a->rd = NULL;
    if (all_in_place(a)) { /* no pass 2: the chunks are read where they lie */
        if (a->src)
            snprintf(a->s3etag, sizeof(a->s3etag), "%s", fmt_source_s3_etag(a->src));
        a->direct = load_archive_direct_new(a, err);
        if (a->direct)
            cs_log_info(a->log,
                        "%s: checked; its chunks are read where they lie in it, "
                        "nothing spooled",
                        a->name);
        return a->direct ? 0 : -1;
    }
    cs_log_info(a->log,
                "%s: checked; compressed, so a second pass streams its chunks, each "
                "spooled while it loads",
                a->name);
    /* pass 2 starts from the beginning */
    return load_archive_open_reader(a, 1, err);
}

static int file_next(struct load_archive *a, load_skip_fn skip, void *ctx,
                     struct load_archive_chunk **out, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    if (a->ended || a->direct)
        return 0;
    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1) {
        const char *plain = load_archive_plain(a, name);
        const struct fmt_chunk_ref *x;
        if (!plain || !load_archive_is_chunk(plain) || !(x = load_archive_manifest_chunk(a, plain)))
            continue; /* metadata: already spooled in pass 1 */
        if (skip && skip(ctx, x->c))
            continue;
        *out = load_archive_chunk_new(x->t->schema, x->t->name, x->c);
        if (!*out)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        if (load_archive_spool_raw(a, name, err) < 0) {
            load_archive_chunk_free(*out);
            *out = NULL;
            return -1;
        }
        return 1;
    }
    a->ended = r == 0;
    return r;
}

const struct load_archive_mode load_archive_file_mode = {file_open, file_next, NULL};
