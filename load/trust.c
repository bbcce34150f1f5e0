/* trust.c - signed dumps on the load side (load/trust.h). */
#include "load/trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

#define TRUST_MANIFEST_MAX (1024UL * 1024 * 1024)
#define TRUST_SIG_MAX 4096

struct trust_input {
    struct load_input base;
    struct load_input *in;
    struct load_trust t;
    int warned;
};

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

static struct fmt_manifest *trust_read_manifest(struct load_input *base, struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;
    struct fmt_manifest *m = NULL;
    char *text = NULL, *sig = NULL, path[4200];
    size_t len = 0, sig_len = 0;
    struct cs_error e;

    cs_error_clear(&e);
    if (load_trust_read_all(ti->in, FMT_MANIFEST_NAME, TRUST_MANIFEST_MAX, &text, &len, &e) < 0) {
        if (e.code == CS_ERR_MISSING)
            cs_error_set(err, CS_ERR_MISSING,
                         "%s: no " FMT_MANIFEST_NAME
                         ": the dump is incomplete or this is not a csdump directory",
                         ti->in->name);
        else
            cs_error_copy(err, &e);
        goto out;
    }
    if (read_sig(ti->in, FMT_SIGN_FILE, &sig, &sig_len, err) < 0 ||
        (ti->t.verify && load_trust_verify(ti->t.verify, ti->in->name, FMT_MANIFEST_NAME, text, len,
                                           sig, sig_len, err) < 0))
        goto out;
    snprintf(path, sizeof(path), "%s/%s", ti->in->name, FMT_MANIFEST_NAME);
    m = fmt_manifest_from_json(text, len, path, err);
    if (m && ti->t.verify && load_trust_covered(m, ti->in->name, err) < 0) {
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
    return ti->in->open(ti->in, file, err);
}

static int trust_size(struct load_input *base, const char *file, uint64_t *bytes,
                      struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;
    return ti->in->size(ti->in, file, bytes, err);
}

static int trust_list(struct load_input *base, char ***names, size_t *n, struct cs_error *err)
{
    struct trust_input *ti = (struct trust_input *)base;
    return ti->in->list(ti->in, names, n, err);
}

static void trust_free(struct load_input *base)
{
    struct trust_input *ti = (struct trust_input *)base;

    load_input_free(ti->in);
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
