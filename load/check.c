/*
 * check.c - csload --check: validate a dump offline, no server.
 *
 * Steps, each problem logged as one error line and counted:
 *   1. the manifest parses and is a version we understand (else -1);
 *   2. no name is listed twice, every DDL file a table or object names
 *      has a size and hash entry in "files", and each table's chunk list
 *      is whole (load/chunkset.h: indices, rows, typed bounds tiling the key);
 *   3. every chunk and every entry of "files" has its recorded size and
 *      XXH3-128 hash (raw file bytes: nothing is decompressed), and its
 *      SHA-256 when the manifest lists one (signed dumps);
 *   4. every other file in the dump but manifest.json and manifest.sig is
 *      reported as unexpected.
 */
#include "load/check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/sign.h"
#include "load/chunkset.h"

#define CHECK_READ_SIZE (256 * 1024)
#define AGAIN "copy it again from the source dump"

struct check {
    struct load_input *in;
    const struct cs_log *log;
    const struct fmt_manifest *m;
    const char **names; /* every chunk and file name the manifest lists, sorted */
    size_t nnames;
    const char **refs; /* DDL files named but missing from "files", sorted */
    size_t nrefs;
    int problems;
    int quick;              /* sizes only, no hashing */
    struct cs_error *first; /* the first problem, when asked */
};

static void problem(struct check *c, const struct cs_error *e)
{
    cs_log_error(c->log, "%s", e->msg);
    if (!c->problems++ && c->first)
        cs_error_copy(c->first, e);
}

/* A name from a directory listing, made safe to print: control bytes
 * become \xNN (a name is any bytes but '/' and NUL). */
static const char *printable(const char *s, char *out, size_t cap)
{
    size_t o = 0;

    for (; *s && o + 5 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    out[o] = '\0';
    return out;
}

/* ---- one file ----------------------------------------------------------- */

/* SHA256: the counter computes SHA-256 too. */
static struct fmt_source *open_counted(struct load_input *in, const char *file, int sha256,
                                       struct cs_error *err)
{
    struct cs_error e;
    struct fmt_source *src;

    cs_error_clear(&e);
    src = fmt_source_counter_sha_new(in->open(in, file, &e), sha256, &e);
    if (src)
        return src;
    if (e.code == CS_ERR_MISSING) {
        cs_error_set(err, CS_ERR_MISSING,
                     "%s: %s is missing: the manifest lists it but the dump does not hold it "
                     "(incomplete copy?); " AGAIN,
                     in->name, file);
        return NULL;
    }
    cs_error_copy(err, &e);
    cs_error_prefix(err, "%s: checking %s", in->name, file);
    return NULL;
}

static int compare(struct load_input *in, const char *file, uint64_t bytes, const char *hash,
                   const char *sha, uint64_t got, const char *got_hash, const char *got_sha,
                   struct cs_error *err)
{
    if (got < bytes)
        return cs_error_set(err, CS_ERR_TRUNCATED,
                            "%s: %s is shorter than the manifest says: %" PRIu64 " of %" PRIu64
                            " bytes; the file was cut (incomplete copy?); " AGAIN,
                            in->name, file, got, bytes);
    if (got > bytes)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: %s is longer than the manifest says: %" PRIu64 " of %" PRIu64
                            " bytes; it was appended to or replaced; " AGAIN,
                            in->name, file, got, bytes);
    if (hash && strcmp(got_hash, hash) != 0)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: %s hash differs from the manifest: the file is damaged "
                            "(XXH3-128 %s, expected %s); " AGAIN,
                            in->name, file, got_hash, hash);
    if (sha && *sha && strcmp(got_sha, sha) != 0)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: %s SHA-256 differs from the manifest: the file was changed "
                            "after the dump was made (SHA-256 %s, expected %s); " AGAIN,
                            in->name, file, got_sha, sha);
    return 0;
}

int load_check_drain(struct load_input *in, const char *file, struct fmt_source *counter,
                     uint64_t bytes, const char *hash, const char *sha, struct cs_error *err)
{
    unsigned char *buf = malloc(CHECK_READ_SIZE);
    char got_hash[33], got_sha[65];
    uint64_t got = 0;
    ssize_t n;

    if (!buf)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory checking %s", in->name, file);
    while ((n = fmt_source_read(counter, buf, CHECK_READ_SIZE, err)) > 0)
        ;
    free(buf);
    if (n < 0)
        return cs_error_prefix(err, "%s: checking %s", in->name, file);
    fmt_source_counter_result(counter, &got, got_hash);
    fmt_source_counter_sha256(counter, got_sha);
    if (sha && *sha && !*got_sha)
        return cs_error_set(err, CS_ERR_INTERNAL, "%s: %s: no SHA-256 was computed", in->name,
                            file);
    return compare(in, file, bytes, hash, sha, got, got_hash, got_sha, err);
}

int load_check_file(struct load_input *in, const char *file, uint64_t bytes, const char *hash,
                    const char *sha, struct cs_error *err)
{
    struct fmt_source *src = open_counted(in, file, sha && *sha, err);
    int rc = src ? load_check_drain(in, file, src, bytes, hash, sha, err) : -1;

    fmt_source_free(src);
    return rc;
}

/* An open FILE through its hash, for reading it once (csload's DDL files). */
struct fmt_source *load_check_open(struct load_input *in, const char *file, struct cs_error *err)
{
    return open_counted(in, file, 1, err);
}

/* ---- the manifest's own consistency ------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int listed(const struct check *c, const char *name)
{
    return c->nnames && bsearch(&name, c->names, c->nnames, sizeof(*c->names), cmp_name);
}

/* Accounted for by the manifest: listed, or at least named as a DDL file
 * (that problem is reported once, by check_refs, not again as extra). */
static int known(const struct check *c, const char *name)
{
    return !strcmp(name, FMT_MANIFEST_NAME) || !strcmp(name, FMT_SIGN_FILE) || listed(c, name) ||
           (c->nrefs && bsearch(&name, c->refs, c->nrefs, sizeof(*c->refs), cmp_name));
}

static int collect_names(struct check *c, struct cs_error *err)
{
    const struct fmt_manifest *m = c->m;
    size_t n = m->nfiles;

    for (size_t t = 0; t < m->ntables; t++)
        n += m->tables[t].nchunks;
    c->names = calloc(n ? n : 1, sizeof(*c->names));
    if (!c->names)
        return cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory checking the dump", c->in->name);
    for (size_t t = 0; t < m->ntables; t++)
        for (size_t k = 0; k < m->tables[t].nchunks; k++)
            c->names[c->nnames++] = m->tables[t].chunks[k].file;
    for (size_t f = 0; f < m->nfiles; f++)
        c->names[c->nnames++] = m->files[f].name;
    if (c->nnames)
        qsort(c->names, c->nnames, sizeof(*c->names), cmp_name);
    return 0;
}

static void check_duplicates(struct check *c)
{
    struct cs_error e;

    for (size_t i = 1; i < c->nnames; i++) {
        if (strcmp(c->names[i], c->names[i - 1]) != 0)
            continue;
        if (i >= 2 && strcmp(c->names[i], c->names[i - 2]) == 0)
            continue; /* reported once per name */
        cs_error_set(&e, CS_ERR_FORMAT,
                     "%s: the manifest lists %s more than once; the manifest is inconsistent "
                     "(take the dump again)",
                     c->in->name, c->names[i]);
        problem(c, &e);
    }
}

static void check_ref(struct check *c, const char *file, const char *what, const char *schema,
                      const char *name)
{
    struct cs_error e;

    if (!file || listed(c, file))
        return;
    if (c->refs)
        c->refs[c->nrefs++] = file;
    cs_error_set(&e, CS_ERR_FORMAT,
                 "%s: the manifest names %s (the %s of %s.%s) but records no size or hash for "
                 "it; the manifest is inconsistent (take the dump again)",
                 c->in->name, file, what, schema, name);
    problem(c, &e);
}

static void check_refs(struct check *c)
{
    const struct fmt_manifest *m = c->m;

    /* Without memory the problems are still reported, only maybe twice. */
    c->refs = calloc(m->ntables + m->nobjects + 1, sizeof(*c->refs));
    for (size_t t = 0; t < m->ntables; t++)
        check_ref(c, m->tables[t].ddl_file, "CREATE TABLE", m->tables[t].schema, m->tables[t].name);
    for (size_t o = 0; o < m->nobjects; o++)
        check_ref(c, m->objects[o].file, fmt_object_kind_name(m->objects[o].kind),
                  m->objects[o].schema, m->objects[o].name);
    if (c->nrefs)
        qsort(c->refs, c->nrefs, sizeof(*c->refs), cmp_name);
}

/* ---- the files ---------------------------------------------------------- */

/* The size alone: what a load checks up front (hashes are checked as each
 * file is read). */
static int check_size(struct load_input *in, const char *file, uint64_t bytes, struct cs_error *e)
{
    uint64_t have = 0;

    if (in->size(in, file, &have, e) < 0)
        return -1;
    return compare(in, file, bytes, NULL, NULL, have, "", "", e);
}

static void check_one(struct check *c, const char *file, uint64_t bytes, const char *hash,
                      const char *sha)
{
    struct cs_error e;

    cs_error_clear(&e);
    if ((c->quick ? check_size(c->in, file, bytes, &e)
                  : load_check_file(c->in, file, bytes, hash, sha, &e)) < 0)
        problem(c, &e);
    else
        cs_log_debug(c->log, "%s: %s: ok (%" PRIu64 " bytes)", c->in->name, file, bytes);
}

static void check_listed(struct check *c)
{
    const struct fmt_manifest *m = c->m;

    for (size_t t = 0; t < m->ntables; t++)
        for (size_t k = 0; k < m->tables[t].nchunks; k++) {
            const struct fmt_chunk *ch = &m->tables[t].chunks[k];
            check_one(c, ch->file, ch->file_bytes, ch->file_hash, ch->sha256);
        }
    for (size_t f = 0; f < m->nfiles; f++)
        check_one(c, m->files[f].name, m->files[f].bytes, m->files[f].hash, m->files[f].sha256);
}

static int check_extra(struct check *c, struct cs_error *err)
{
    char **names = NULL;
    size_t n = 0;
    char safe[512];
    struct cs_error e;

    cs_error_clear(&e);
    if (c->in->list(c->in, &names, &n, &e) < 0) {
        /* The listed files were checked; only the extra-file check is lost. */
        if (e.code == CS_ERR_NOMEM) {
            cs_error_copy(err, &e);
            return -1;
        }
        problem(c, &e);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (known(c, names[i]))
            continue;
        cs_error_set(&e, CS_ERR_EXTRA,
                     "%s: unexpected file %s: not in the manifest (a leftover or a foreign "
                     "file; remove it)",
                     c->in->name, printable(names[i], safe, sizeof(safe)));
        problem(c, &e);
    }
    load_input_free_list(names, n);
    return 0;
}

int load_check(struct load_input *in, const struct cs_log *log, struct cs_error *err)
{
    return load_check_run(in, NULL, log, 0, NULL, err);
}

int load_check_run(struct load_input *in, const struct fmt_manifest *given,
                   const struct cs_log *log, int quick, struct cs_error *first,
                   struct cs_error *err)
{
    struct check c = {in, log, NULL, NULL, 0, NULL, 0, 0, quick, first};
    struct fmt_manifest *own = NULL;
    const struct fmt_manifest *m = given;
    int rc = -1;

    if (!m && !(m = own = in->read_manifest(in, err)))
        goto out;
    c.m = m;
    if (collect_names(&c, err) < 0)
        goto out;
    cs_log_verbose(log, "%s: checking %zu tables, %zu files", in->name, m->ntables, c.nnames);
    check_duplicates(&c);
    c.problems += load_chunkset_check(m, in->name, log);
    check_refs(&c);
    check_listed(&c);
    if (check_extra(&c, err) < 0)
        goto out;
    if (c.problems)
        cs_log_info(log, "%s: %d problem%s found", in->name, c.problems,
                    c.problems == 1 ? "" : "s");
    else if (!quick)
        cs_log_info(log, "%s: the dump is intact (%zu files checked)", in->name, c.nnames);
    rc = c.problems;
out:
    free(c.names);
    free(c.refs);
    fmt_manifest_free(own);
    return rc;
}
