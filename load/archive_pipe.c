/* archive_pipe.c - csload --archive -: one pass over a stream, as it arrives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/fs.h"
#include "format/sign.h"
#include "load/archive_int.h"
#include "load/check.h"

/* A verified catalog: the files spooled before it are the ones it lists,
 * each with its SHA-256 (the DDL is trusted before any table is made). */
static int verify_early_files(struct load_archive *a, struct cs_error *err)
{
    const struct fmt_manifest *m = a->cat;
    char **names = NULL;
    size_t n = 0;
    int rc = 0;

    if (!a->trust.verify)
        return 0;
    if (load_trust_covered(m, a->name, err) < 0 || a->in->list(a->in, &names, &n, err) < 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *f = names[i];
        int ok = !strcmp(f, FMT_CATALOG_NAME) || !strcmp(f, FMT_CATALOG_SIG_NAME) ||
                 !strcmp(f, FMT_MANIFEST_NAME) || !strcmp(f, FMT_SIGN_FILE);
        for (size_t k = 0; !ok && k < m->nfiles; k++)
            ok = !strcmp(f, m->files[k].name);
        if (!ok)
            rc = load_archive_hostile(a, err, f, "not covered by the signed catalog");
    }
    for (size_t k = 0; rc == 0 && k < m->nfiles; k++)
        rc = load_check_file(a->in, m->files[k].name, m->files[k].bytes, m->files[k].hash,
                             m->files[k].sha256, err);
    load_input_free_list(names, n);
    return rc < 0 ? cs_error_prefix(err, "refusing the dump") : 0;
}
#include "load/bounds_v1.h"
#include "load/chunkset.h"

/* ---- a pipe: one pass, catalog first, each chunk after its description -- */

static int pipe_open(struct load_archive *a, struct cs_error *err)
{
    const char *name;
    uint64_t size;
    int r;

    while ((r = fmt_archive_next(a->rd, &name, &size, err)) == 1) {
        if (!a->trust.seal && load_archive_has_suffix(name, ".cse"))
            return cs_error_set(err, CS_ERR_USAGE,
                                "%s: the stream is encrypted (csdump --encrypt-key; entry %s): "
                                "give csload --encrypt-key FILE with the same key to read it",
                                a->name, name);
        if (!a->trust.seal &&
            (load_archive_is_chunk(name) || load_archive_has_suffix(name, FMT_META_SUFFIX)))
            return cs_error_set(err, CS_ERR_FORMAT,
                                "%s: chunk data before the catalog: this is not a stream "
                                "csdump --archive wrote; load a plain tar of a dump from a "
                                "file (csload --archive FILE), not from a pipe",
                                a->name);
        if (size > META_MAX)
            return load_archive_hostile(a, err, name,
                                        "%llu bytes: too large for a dump's metadata file",
                                        (unsigned long long)size);
        if (load_archive_spool_raw(a, name, err) < 0)
            return -1;
        if (load_archive_entry_is(a, name, FMT_CATALOG_NAME) || !strcmp(name, FMT_MANIFEST_NAME))
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
        char *text = NULL, *first = strdup(strcmp(name, FMT_MANIFEST_NAME) ? FMT_CATALOG_NAME
                                                                           : FMT_MANIFEST_NAME);
        size_t len = 0;
        if (!first)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        if (load_archive_spooled_text(a, first, &text, &len, err) == 0 &&
            load_archive_verify_entry(a, first, text, len, NULL, err) == 0)
            a->m = load_bounds_v1_take(fmt_manifest_from_json(text, len, first, err), a->name,
                                       err);
        /* a plain tar whose manifest came first: chunks are checked against it */
        a->manifest_first = !strcmp(first, FMT_MANIFEST_NAME);
        free(text);
        free(first);
    }
    a->cat = a->m;
    if (!a->m || load_input_trust_learn(a->in, a->m, err) < 0 || verify_early_files(a, err) < 0)
        return -1;
    if (!a->manifest_first)
        return 0;
    if (load_chunkset_require(a->m, a->name, a->log, err) < 0)
        return -1;
    return load_archive_build_index(a, err);
}

/* Encrypted: the entry STORED after the catalog whose name is not known yet
 * is a chunk description.  It is spooled and decrypted, it must be stored
 * under the name its chunk's description has, and the chunk's names are
 * learnt; *PLAIN = the description's name (malloc'd). */
static int sealed_meta(struct load_archive *a, const char *stored, char **plain,
                       struct cs_error *err)
{
    char *path = cs_fs_join(a->spool, stored), *schema = NULL, *table = NULL;
    struct fmt_source *src = NULL;
    struct cs_buf text = CS_BUF_INIT, meta = CS_BUF_INIT;
    struct fmt_chunk c;
    char buf[65536];
    ssize_t n = -1;
    int rc = -1;

    memset(&c, 0, sizeof(c));
    *plain = NULL;
    if (!path || load_archive_spool_raw(a, stored, err) < 0)
        goto out;
    src = fmt_source_unseal_new(fmt_source_file_new(path, err), a->trust.seal, stored, err);
    while (src && (n = fmt_source_read(src, buf, sizeof(buf), err)) > 0 && text.len < META_MAX)
        cs_buf_append(&text, buf, (size_t)n);
    if (n != 0 || cs_buf_failed(&text) ||
        fmt_chunk_meta_from_json(text.data, text.len, stored, &schema, &table, &c, err) < 0)
        goto out;
    cs_buf_printf(&meta, "%s" FMT_META_SUFFIX, c.file);
    if (cs_buf_failed(&meta) || !load_archive_entry_is(a, stored, meta.data)) {
        load_archive_hostile(a, err, stored,
                             "not where the description of %s is stored (renamed, or encrypted "
                             "with another key)",
                             c.file);
        goto out;
    }
    if (load_input_trust_learn_name(a->in, c.file, err) < 0 ||
        load_input_trust_learn_name(a->in, meta.data, err) < 0)
        goto out;
    cs_buf_reset(&meta);
    cs_buf_printf(&meta, "%s" FMT_META_SIG_SUFFIX, c.file);
    if (load_input_trust_learn_name(a->in, meta.data, err) < 0)
        goto out;
    cs_buf_reset(&meta);
    cs_buf_printf(&meta, "%s" FMT_META_SUFFIX, c.file);
    *plain = cs_buf_detach(&meta);
    rc = *plain ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
out:
    if (rc < 0 && n > 0 && !cs_error_is_set(err))
        load_archive_hostile(a, err, stored, "too large for a chunk description");
    fmt_source_free(src);
    fmt_chunk_release(&c);
    cs_buf_release(&text);
    cs_buf_release(&meta);
    free(schema);
    free(table);
    free(path);
    return rc;
}

/* A chunk description NAME (SPOOLED already, or the current entry): held
 * until its chunk comes. */
static int take_meta(struct load_archive *a, const char *entry, int spooled, struct cs_error *err)
{
    char *text = NULL, *path = NULL, *schema = NULL, *table = NULL, *stored = NULL;
    char *name = strdup(entry); /* the entry's name is lent only until the next entry */
    struct fmt_chunk c;
    size_t len = 0;
    int rc = -1;

    if (!name)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    if (a->pending) {
        rc = load_archive_hostile(a, err, name, "a second chunk description in a row");
        goto out;
    }
    stored = load_input_trust_stored(a->in, name);
    path = stored ? cs_fs_join(a->spool, stored) : NULL;
    if (!path || (!spooled && load_archive_spool_entry(a, name, err) < 0) ||
        load_archive_spooled_text(a, name, &text, &len, err) < 0)
        goto out;
    if (a->trust.verify) { /* the description bound to this dump, then its signature */
        struct cs_buf data = CS_BUF_INIT;
        char *meta = strdup(name);
        fmt_sign_meta_data(&data, a->cat->dump_id, text);
        rc = !meta || cs_buf_failed(&data)
                 ? cs_error_set(err, CS_ERR_NOMEM, "out of memory")
                 : load_archive_verify_entry(a, meta, text, len, &data, err);
        cs_buf_release(&data);
        free(meta);
        if (rc < 0)
            goto out;
        rc = -1;
    }
    if (fmt_chunk_meta_from_json(text, len, name, &schema, &table, &c, err) < 0)
        goto out;
    if (a->trust.verify && !c.sha256[0]) {
        cs_error_set(err, CS_ERR_CHECKSUM, "refusing the dump: %s: %s lists no SHA-256", a->name,
                     name);
        fmt_chunk_release(&c);
        goto out;
    }
    a->pending = load_archive_chunk_new(schema, table, &c);
    fmt_chunk_release(&c);
    rc = a->pending ? 0 : cs_error_set(err, CS_ERR_NOMEM, "out of memory");
out:
    if (path)
        unlink(path);
    free(path);
    free(stored);
    free(name);
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
        const struct fmt_chunk_ref *x = load_archive_manifest_chunk(a, name);
        if (!x)
            return load_archive_hostile(a, err, name,
                                        "not in the manifest (more data than the manifest "
                                        "accounts for)");
        ch = a->pending = load_archive_chunk_new(x->t->schema, x->t->name, x->c);
        if (!ch)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }

    if (!ch || strcmp(ch->c.file, name))
        return load_archive_hostile(a, err, name, "a chunk without its description before it");
    if (size != ch->c.file_bytes)
        return load_archive_hostile(a, err, name, "%llu bytes, its description says %llu",
                                    (unsigned long long)size, (unsigned long long)ch->c.file_bytes);
    for (size_t i = 0; a->trust.verify && i < a->nseen; i++)
        if (!strcmp(a->seen[i].c.file, name))
            return load_archive_hostile(a, err, name, "a chunk that came before (replayed)");
    a->pending = NULL;
    if (load_archive_seen_add(a, ch->schema, ch->table, &ch->c, err) < 0) {
        load_archive_chunk_free(ch);
        return -1;
    }
    *out = ch;
    return 0;
}

static int take_manifest(struct load_archive *a, struct cs_error *err)
{
    char *text = NULL;
    size_t len = 0;

    if (load_archive_spool_entry(a, FMT_MANIFEST_NAME, err) < 0 ||
        load_archive_spooled_text(a, FMT_MANIFEST_NAME, &text, &len, err) < 0)
        return -1;
    if (load_archive_verify_entry(a, FMT_MANIFEST_NAME, text, len, NULL, err) == 0)
        a->final = load_bounds_v1_take(fmt_manifest_from_json(text, len, FMT_MANIFEST_NAME, err),
                                       a->name, err);
    free(text);
    if (a->final && ((a->trust.verify && load_trust_covered(a->final, a->name, err) < 0) ||
                     load_input_trust_learn(a->in, a->final, err) < 0))
        return -1;
    return a->final ? load_chunkset_require(a->final, a->name, a->log, err) : -1;
}

/* Verifying: the spooled chunk's bytes are the ones its signed description
 * lists, before anything of it is loaded. */
static int verify_chunk(struct load_archive *a, const struct load_archive_chunk *ch,
                        struct cs_error *err)
{
    if (!a->trust.verify)
        return 0;
    if (load_check_file(a->in, ch->c.file, ch->c.file_bytes, ch->c.file_hash, ch->c.sha256, err) <
        0)
        return cs_error_prefix(err, "refusing chunk %s (nothing of it was loaded)", ch->c.file);
    return 0;
}

/* The entry NAME's plain name: itself unless encrypted; encrypted, a name
 * not learnt yet is a chunk description, spooled by sealed_meta (*SPOOLED;
 * *OWNED holds the name).  NULL: an entry the stream cannot hold. */
static const char *entry_plain(struct load_archive *a, const char *name, int *spooled, char **owned,
                               struct cs_error *err)
{
    const char *plain = load_archive_plain(a, name);

    *spooled = 0;
    if (plain || !a->trust.seal)
        return plain;
    if (a->pending) {
        load_archive_hostile(a, err, name, "not the chunk its description announced");
        return NULL;
    }
    if (sealed_meta(a, name, owned, err) < 0)
        return NULL;
    *spooled = 1;
    return *owned;
}

static int pipe_next(struct load_archive *a, load_skip_fn skip, void *ctx,
                     struct load_archive_chunk **out, struct cs_error *err)
{
    const char *entry, *name;
    uint64_t size;
    int r, spooled;

    while (!a->ended && (r = fmt_archive_next(a->rd, &entry, &size, err)) != 0) {
        struct load_archive_chunk *ch = NULL;
        char *owned = NULL;
        int rc = 0;
        if (r < 0)
            return -1;
        if (a->final)
            return load_archive_hostile(a, err, entry, "data after the manifest");
        if (!(name = entry_plain(a, entry, &spooled, &owned, err)))
            return -1;
        if (a->trust.seal && fmt_seal_plain_size(size, &size) < 0)
            rc = load_archive_hostile(a, err, name, "no size an encrypted file can have");
        else if (a->manifest_first && !load_archive_is_chunk(name))
            rc = load_archive_hostile(a, err, name, "not expected after the manifest");
        else if (load_archive_has_suffix(name, FMT_META_SUFFIX))
            rc = take_meta(a, name, spooled, err);
        else if (!strcmp(name, FMT_MANIFEST_NAME))
            rc = take_manifest(a, err);
        else if (!load_archive_is_chunk(name))
            rc = load_archive_hostile(a, err, name, "not expected after the catalog");
        else if ((rc = take_chunk(a, name, size, &ch, err)) == 0 && !(skip && skip(ctx, &ch->c))) {
            if (load_archive_spool_entry(a, name, err) < 0 || verify_chunk(a, ch, err) < 0) {
                load_archive_chunk_free(ch);
                free(owned);
                return -1;
            }
            *out = ch;
            free(owned);
            return 1;
        } else {
            load_archive_chunk_free(ch); /* skipped: done before */
        }
        free(owned);
        if (rc < 0)
            return -1;
    }
    a->ended = 1;
    return 0;
}

/* The final manifest describes exactly the chunks that came, and the tables
 * the catalog announced. */
static int match_final(struct load_archive *a, const struct fmt_manifest *f, struct cs_error *err)
{
    size_t n = 0;

    if (f->ntables != a->cat->ntables)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: the manifest lists %zu tables, the "
                            "catalog %zu",
                            a->name, f->ntables, a->cat->ntables);
    qsort(a->seen, a->nseen, sizeof(*a->seen), load_archive_cmp_seen);
    for (size_t t = 0; t < f->ntables; t++) {
        if (strcmp(f->tables[t].schema, a->cat->tables[t].schema) ||
            strcmp(f->tables[t].name, a->cat->tables[t].name))
            return cs_error_set(err, CS_ERR_CHECKSUM,
                                "%s: table %s.%s of the manifest is not "
                                "the catalog's",
                                a->name, f->tables[t].schema, f->tables[t].name);
        for (size_t k = 0; k < f->tables[t].nchunks; k++, n++) {
            const struct fmt_chunk *c = &f->tables[t].chunks[k];
            const struct seen *s = load_archive_seen_find(a, c->file);
            if (!s || s->c.file_bytes != c->file_bytes || s->c.rows != c->rows ||
                s->c.typed_values != c->typed_values || strcmp(s->c.file_hash, c->file_hash) ||
                strcmp(s->c.sha256, c->sha256) || strcmp(s->c.checksum, c->checksum))
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

static int pipe_finish(struct load_archive *a, struct fmt_manifest **final, struct cs_error *err)
{
    if (a->manifest_first)
        return 0; /* the manifest came first: everything was checked against it */
    if (!a->ended) {
        struct load_archive_chunk *ch = NULL;
        int r = pipe_next(a, NULL, NULL, &ch, err);
        if (r != 0) {
            load_archive_chunk_free(ch);
            return r < 0 ? -1 : load_archive_hostile(a, err, "?", "a chunk after the last one");
        }
    }
    if (!a->final)
        return cs_error_set(err, CS_ERR_TRUNCATED,
                            "%s: the stream ended without a manifest: the dump did not finish "
                            "(or the stream was cut); nothing is verified",
                            a->name);
    if (a->pending)
        return load_archive_hostile(a, err, a->pending->c.file, "a description without its chunk");
    if (match_final(a, a->final, err) < 0)
        return -1;
    *final = a->final;
    a->final = NULL;
    return 0;
}

const struct load_archive_mode load_archive_pipe_mode = {pipe_open, pipe_next, pipe_finish};
