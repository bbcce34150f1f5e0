/* trust.c - signed and encrypted dumps on the load side (load/trust.h). */
#include "load/trust.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "load/bounds_v1.h"

#define TRUST_MANIFEST_MAX (1024UL * 1024 * 1024)
#define TRUST_SIG_MAX 4096

struct name_pair {
    char *stored, *plain;
};

struct trust_input {
    struct load_input base;
    struct load_input *in;
    struct load_trust t;
    int warned;
    struct name_pair *names; /* encrypted: stored -> plain, sorted when !dirty */
    size_t nnames, capnames;
    int dirty;
};

static void trust_free(struct load_input *base);

static struct trust_input *as_trust(struct load_input *in)
{
    return in && in->free == trust_free ? (struct trust_input *)in : NULL;
}

char *load_input_trust_stored(struct load_input *in, const char *plain)
{
    struct trust_input *ti = as_trust(in);

    return ti && ti->t.seal ? fmt_seal_stored_name(ti->t.seal, plain) : strdup(plain);
}

int load_input_trust_sealed(struct load_input *in)
{
    struct trust_input *ti = as_trust(in);
    return ti && ti->t.seal;
}

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct name_pair *)a)->stored, ((const struct name_pair *)b)->stored);
}

/* Sorts the names learnt and drops repeats (a name learnt twice has the
 * same stored name and plain name both times). */
static void sort_names(struct trust_input *ti)
{
    size_t k = 0;

    qsort(ti->names, ti->nnames, sizeof(*ti->names), cmp_pair);
    for (size_t i = 0; i < ti->nnames; i++) {
        if (k && !strcmp(ti->names[k - 1].stored, ti->names[i].stored)) {
            free(ti->names[i].stored);
            free(ti->names[i].plain);
        } else {
            ti->names[k++] = ti->names[i];
        }
    }
    ti->nnames = k;
    ti->dirty = 0;
}

const char *load_input_trust_plain(struct load_input *in, const char *stored)
{
    struct trust_input *ti = as_trust(in);
    struct name_pair key = {(char *)stored, NULL}, *hit;

    if (!ti || !ti->t.seal)
        return stored;
    if (!strcmp(stored, FMT_SEAL_KEPT_NAME))
        return stored;
    if (ti->dirty)
        sort_names(ti);
    hit = ti->nnames ? bsearch(&key, ti->names, ti->nnames, sizeof(key), cmp_pair) : NULL;
    return hit ? hit->plain : NULL;
}

int load_input_trust_learn_name(struct load_input *in, const char *plain, struct cs_error *err)
{
    struct trust_input *ti = as_trust(in);
    struct name_pair *p;

    if (!ti || !ti->t.seal)
        return 0;
    /* appended unsorted, repeats too: one sort at the next lookup
     * (sort_names), not one per name learnt */
    if (ti->nnames == ti->capnames) {
        size_t cap = ti->capnames ? ti->capnames * 2 : 64;
        void *q = realloc(ti->names, cap * sizeof(*ti->names));
        if (!q)
            return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        ti->names = q;
        ti->capnames = cap;
    }
    p = &ti->names[ti->nnames];
    p->plain = strdup(plain);
    p->stored = fmt_seal_stored_name(ti->t.seal, plain);
    if (!p->plain || !p->stored) {
        free(p->plain);
        free(p->stored);
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    }
    ti->nnames++;
    ti->dirty = 1;
    return 0;
}

/* NAME and, for a chunk, its description and that one's signature. */
static int learn_chunk(struct load_input *in, const char *name, struct cs_error *err)
{
    struct cs_buf b = CS_BUF_INIT;
    int rc = load_input_trust_learn_name(in, name, err);

    cs_buf_printf(&b, "%s" FMT_META_SUFFIX, name);
    if (rc == 0 && !cs_buf_failed(&b))
        rc = load_input_trust_learn_name(in, b.data, err);
    cs_buf_reset(&b);
    cs_buf_printf(&b, "%s" FMT_META_SIG_SUFFIX, name);
    if (rc == 0 && !cs_buf_failed(&b))
        rc = load_input_trust_learn_name(in, b.data, err);
    if (rc == 0 && cs_buf_failed(&b))
        rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    cs_buf_release(&b);
    return rc;
}

int load_input_trust_learn(struct load_input *in, const struct fmt_manifest *m,
                           struct cs_error *err)
{
    static const char *const fixed[] = {FMT_SIGN_FILE, FMT_CATALOG_NAME, FMT_CATALOG_SIG_NAME,
                                        FMT_COORDS_NAME};
    int rc = 0;

    if (!load_input_trust_sealed(in))
        return 0;
    for (size_t i = 0; rc == 0 && i < sizeof(fixed) / sizeof(fixed[0]); i++)
        rc = load_input_trust_learn_name(in, fixed[i], err);
    for (size_t i = 0; rc == 0 && i < m->nfiles; i++)
        rc = load_input_trust_learn_name(in, m->files[i].name, err);
    for (size_t t = 0; rc == 0 && t < m->ntables; t++)
        for (size_t k = 0; rc == 0 && k < m->tables[t].nchunks; k++)
            rc = learn_chunk(in, m->tables[t].chunks[k].file, err);
    return rc;
}

int load_trust_read_all(struct load_input *in, const char *file, size_t max, char **text,
                        size_t *len, struct cs_error *err)
{
    struct fmt_source *src = in->open(in, file, err);
    struct cs_buf b = CS_BUF_INIT;
    char buf[65536];
    ssize_t n = -1;

    *text = NULL;
    *len = 0;
    while (src && (n = fmt_source_read(src, buf, sizeof(buf), err)) > 0 && b.len <= max)
        cs_buf_append(&b, buf, (size_t)n);
    fmt_source_free(src);
    if (n > 0)
        n = cs_error_set(err, CS_ERR_FORMAT, "%s: %s is larger than it can be (%zu bytes)",
                         in->name, file, max);
    if (n == 0 && !b.data)
        cs_buf_puts(&b, "");
    if (n == 0 && cs_buf_failed(&b))
        n = cs_error_set(err, CS_ERR_NOMEM, "%s: out of memory reading %s", in->name, file);
    if (n != 0) {
        cs_buf_release(&b);
        return -1;
    }
    *len = b.len;
    *text = cs_buf_detach(&b);
    return 0;
}

int load_trust_verify(const struct fmt_sign_key *k, const char *where, const char *file,
                      const char *text, size_t len, const char *sig, size_t sig_len,
                      struct cs_error *err)
{
    char what[600];

    if (!sig)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: %s is not signed (no signature file beside it): --verify-key "
                            "refuses a dump it cannot verify; was it made with csdump "
                            "--sign-key?",
                            where, file);
    snprintf(what, sizeof(what), "%s: %s", where, file);
    if (fmt_sign_verify(k, text, len, sig, sig_len, what, err) < 0)
        return cs_error_prefix(err, "refusing the dump");
    return 0;
}

int load_trust_covered(const struct fmt_manifest *m, const char *where, struct cs_error *err)
{
    static const char why[] = "the signature does not cover it (not a csdump --sign-key dump?)";

    for (size_t i = 0; i < m->nfiles; i++)
        if (!m->files[i].sha256[0])
            return cs_error_set(err, CS_ERR_CHECKSUM, "%s: %s has no SHA-256 in the manifest: %s",
                                where, m->files[i].name, why);
    for (size_t t = 0; t < m->ntables; t++)
        for (size_t k = 0; k < m->tables[t].nchunks; k++)
            if (!m->tables[t].chunks[k].sha256[0])
                return cs_error_set(err, CS_ERR_CHECKSUM,
                                    "%s: chunk %s has no SHA-256 in the manifest: %s", where,
                                    m->tables[t].chunks[k].file, why);
    return 0;
}

/* The signature file's text, or *SIG NULL when there is none. */
static int read_sig(struct load_input *in, const char *file, char **sig, size_t *len,
                    struct cs_error *err)
{
    struct cs_error e;

    cs_error_clear(&e);
    if (load_trust_read_all(in, file, TRUST_SIG_MAX, sig, len, &e) == 0)
        return 0;
    if (e.code == CS_ERR_MISSING)
        return 0;
    cs_error_copy(err, &e);
    return -1;
}

static void warn_unverified(struct trust_input *ti, const struct fmt_manifest *m, int has_sig)
{
    if (ti->t.verify || ti->warned || (!has_sig && !m->signed_by))
        return;
    ti->warned = 1;
    cs_log_warn(ti->t.log,
                "%s: the dump is signed (key id %s) but NOT verified: give csload --verify-key "
                "PUBLIC_KEY.pem to check it is the dump that key signed",
                ti->in->name, m->signed_by ? m->signed_by : "unknown");
}

/* No manifest: the wrapped input's own message for it. */
static void missing_manifest(struct trust_input *ti, struct cs_error *err)
{
    struct fmt_manifest *m = ti->in->read_manifest(ti->in, err);

    if (m || !cs_error_is_set(err)) /* it appeared meanwhile: still not read here */
        cs_error_set(err, CS_ERR_MISSING,
                     "%s: no " FMT_MANIFEST_NAME
                     ": the dump is incomplete or this is not a csdump directory",
                     ti->in->name);
    fmt_manifest_free(m);
}

static const char *const ENCRYPTED_NO_KEY =
    "%s: the dump is encrypted (csdump --encrypt-key): give csload "
    "--encrypt-key FILE with the same key to read it";

/* A manifest neither verified nor encrypted: read as a stream (format/
 * manifest.h), never held whole -- only a signature check needs that. */
static struct fmt_manifest *stream_manifest(struct trust_input *ti, const char *path,
                                            struct cs_error *err)
{
    struct fmt_manifest *m = NULL;
    struct fmt_source *src;
    struct cs_error e;
    char head[64];
    ssize_t n;

    cs_error_clear(&e);
    src = ti->in->open(ti->in, FMT_MANIFEST_NAME, &e);
    n = src ? fmt_source_read_full(src, head, sizeof(head), &e) : -1;
    if (n < 0 && e.code == CS_ERR_MISSING) /* the input says it its own way (a prefix, ...) */
        missing_manifest(ti, err);
    else if (n < 0)
        cs_error_copy(err, &e);
    else if (fmt_seal_is_sealed(head, (size_t)n))
        cs_error_set(err, CS_ERR_USAGE, ENCRYPTED_NO_KEY, ti->in->name);
    else
        m = fmt_manifest_read_source(head, (size_t)n, src, TRUST_MANIFEST_MAX, path, err);
    fmt_source_free(src);
    return m;
}

static struct fmt_manifest *trust_read_manifest(struct load_input *base, struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;
    struct fmt_manifest *m = NULL;
    char *text = NULL, *sig = NULL, path[4200];
    size_t len = 0, sig_len = 0;
    struct cs_error e;

    cs_error_clear(&e);
    snprintf(path, sizeof(path), "%s/%s", ti->in->name, FMT_MANIFEST_NAME);
    if (!ti->t.seal && !ti->t.verify) {
        m = stream_manifest(ti, path, err);
        if (m && read_sig(base, FMT_SIGN_FILE, &sig, &sig_len, err) < 0) {
            fmt_manifest_free(m);
            m = NULL;
        }
        m = load_bounds_v1_take(m, ti->in->name, err);
        goto learn;
    }
    if (load_trust_read_all(base, FMT_MANIFEST_NAME, TRUST_MANIFEST_MAX, &text, &len, &e) < 0) {
        if (e.code == CS_ERR_MISSING) /* the input says it its own way (a prefix, ...) */
            missing_manifest(ti, err);
        else if (ti->t.seal && e.code == CS_ERR_FORMAT)
            cs_error_set(err, CS_ERR_USAGE,
                         "%s: the dump is not encrypted (its manifest has no %s header): leave "
                         "out --encrypt-key",
                         ti->in->name, FMT_SEAL_MAGIC);
        else if (ti->t.seal)
            cs_error_set(err, e.code,
                         "%s: the manifest cannot be decrypted with the --encrypt-key given "
                         "(another key, or a damaged dump): %s",
                         ti->in->name, e.msg);
        else
            cs_error_copy(err, &e);
        goto out;
    }
    if (!ti->t.seal && fmt_seal_is_sealed(text, len)) {
        cs_error_set(err, CS_ERR_USAGE, ENCRYPTED_NO_KEY, ti->in->name);
        goto out;
    }
    if (read_sig(base, FMT_SIGN_FILE, &sig, &sig_len, err) < 0 ||
        (ti->t.verify && load_trust_verify(ti->t.verify, ti->in->name, FMT_MANIFEST_NAME, text, len,
                                           sig, sig_len, err) < 0))
        goto out;
    m = load_bounds_v1_take(fmt_manifest_from_json(text, len, path, err), ti->in->name, err);
learn:
    if (m && ((ti->t.verify && load_trust_covered(m, ti->in->name, err) < 0) ||
              load_input_trust_learn(base, m, err) < 0)) {
        fmt_manifest_free(m);
        m = NULL;
    }
    if (m)
        warn_unverified(ti, m, sig != NULL);
out:
    free(text);
    free(sig);
    return m;
}

static struct fmt_source *trust_open(struct load_input *base, const char *file,
                                     struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;
    char *stored;
    struct fmt_source *src;

    if (!ti->t.seal)
        return ti->in->open(ti->in, file, err);
    stored = load_input_trust_stored(base, file);
    if (!stored) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    src = ti->in->open(ti->in, stored, err);
    free(stored);
    return src ? fmt_source_unseal_new(src, ti->t.seal, file, err) : NULL;
}

static int trust_size(struct load_input *base, const char *file, uint64_t *bytes,
                      struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;
    char *stored;
    uint64_t have = 0;
    int rc;

    if (!ti->t.seal)
        return ti->in->size(ti->in, file, bytes, err);
    stored = load_input_trust_stored(base, file);
    if (!stored)
        return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
    rc = ti->in->size(ti->in, stored, &have, err);
    if (rc == 0 && fmt_seal_plain_size(have, bytes) < 0)
        rc = cs_error_set(err, CS_ERR_TRUNCATED,
                          "%s: %s (stored as %s): %" PRIu64 " bytes is no size an encrypted "
                          "file can have: it was cut or appended to",
                          ti->in->name, file, stored, have);
    free(stored);
    return rc;
}

/* Encrypted: each stored name the manifest accounts for by its plain name. */
static int trust_list(struct load_input *base, char ***names, size_t *n, struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;

    if (ti->in->list(ti->in, names, n, err) < 0)
        return -1;
    for (size_t i = 0; ti->t.seal && i < *n; i++) {
        const char *plain = load_input_trust_plain(base, (*names)[i]);
        char *dup = plain && plain != (*names)[i] ? strdup(plain) : NULL;
        if (dup) {
            free((*names)[i]);
            (*names)[i] = dup;
        }
    }
    return 0;
}

static void trust_free(struct load_input *base)
{
    struct trust_input *ti = (struct trust_input *)base;

    load_input_free(ti->in);
    for (size_t i = 0; i < ti->nnames; i++) {
        free(ti->names[i].stored);
        free(ti->names[i].plain);
    }
    free(ti->names);
    free(ti);
}

struct load_input *load_input_trust_new(struct load_input *in, const struct load_trust *t,
                                        struct cs_error *err)
{
    struct trust_input *ti;

    if (!in)
        return NULL;
    ti = calloc(1, sizeof(*ti));
    if (!ti) {
        load_input_free(in);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    ti->in = in;
    ti->t = *t;
    ti->base.name = in->name;
    ti->base.read_manifest = trust_read_manifest;
    ti->base.open = trust_open;
    ti->base.size = trust_size;
    ti->base.list = trust_list;
    ti->base.free = trust_free;
    return &ti->base;
}
