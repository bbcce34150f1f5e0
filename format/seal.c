#include "format/seal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#define TAG 16
#define SALT (FMT_SEAL_HEADER - 8)
#define HKDF_INFO "csdump seal v1"

/* ---- keys --------------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 64 hex digits with optional surrounding white space -> KEY; -1 if not. */
static int parse_hex_key(const unsigned char *d, size_t n, struct fmt_seal_key *key)
{
    size_t i = 0, k = 0;

    while (i < n && isspace(d[i]))
        i++;
    for (; k < FMT_SEAL_KEY_BYTES && i + 1 < n; k++, i += 2) {
        int hi = hexval(d[i]), lo = hexval(d[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        key->k[k] = (unsigned char)(hi << 4 | lo);
    }
    while (i < n && isspace(d[i]))
        i++;
    return k == FMT_SEAL_KEY_BYTES && i == n ? 0 : -1;
}

int fmt_seal_key_load(const char *path, struct fmt_seal_key *key, struct cs_error *err)
{
    unsigned char buf[200];
    ssize_t n = 0, r;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return cs_error_sys(err, CS_ERR_USAGE, errno, "cannot read the key file %s", path);
    while (n < (ssize_t)sizeof(buf) && (r = read(fd, buf + n, sizeof(buf) - (size_t)n)) > 0)
        n += r;
    close(fd);
    if (n == FMT_SEAL_KEY_BYTES && parse_hex_key(buf, (size_t)n, key) < 0) {
        memcpy(key->k, buf, FMT_SEAL_KEY_BYTES);
        OPENSSL_cleanse(buf, sizeof(buf));
        return 0;
    }
    r = parse_hex_key(buf, (size_t)n, key);
    OPENSSL_cleanse(buf, sizeof(buf));
    if (r < 0)
        return cs_error_set(err, CS_ERR_USAGE,
                            "%s is not a key: it must hold 32 bytes, raw or as 64 hex digits "
                            "(make one with: openssl rand -hex 32 > %s)",
                            path, path);
    return 0;
}

void fmt_seal_key_wipe(struct fmt_seal_key *key)
{
    if (key)
        OPENSSL_cleanse(key->k, sizeof(key->k));
}

static int derive(const struct fmt_seal_key *key, const unsigned char *salt, unsigned char out[32])
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    size_t n = 32;
    int ok = pc && EVP_PKEY_derive_init(pc) > 0 && EVP_PKEY_CTX_set_hkdf_md(pc, EVP_sha256()) > 0 &&
             EVP_PKEY_CTX_set1_hkdf_salt(pc, salt, SALT) > 0 &&
             EVP_PKEY_CTX_set1_hkdf_key(pc, key->k, FMT_SEAL_KEY_BYTES) > 0 &&
             EVP_PKEY_CTX_add1_hkdf_info(pc, (const unsigned char *)HKDF_INFO,
                                         (int)strlen(HKDF_INFO)) > 0 &&
             EVP_PKEY_derive(pc, out, &n) > 0 && n == 32;

    EVP_PKEY_CTX_free(pc);
    return ok ? 0 : -1;
}

static void nonce_of(uint64_t seq, int final, unsigned char nonce[12])
{
    for (int i = 0; i < 8; i++)
        nonce[i] = (unsigned char)(seq >> (56 - 8 * i));
    nonce[8] = nonce[9] = nonce[10] = 0;
    nonce[11] = (unsigned char)(final ? 1 : 0);
}

/* CX keyed with the file key FKEY for AES-256-GCM, once per file: each
 * segment then sets only its nonce (no key schedule, no cipher fetch, per
 * 64 KiB). */
static int gcm_key(EVP_CIPHER_CTX *cx, const unsigned char fkey[32], int decrypt)
{
    return EVP_CipherInit_ex(cx, EVP_aes_256_gcm(), NULL, fkey, NULL, decrypt ? 0 : 1) ? 0 : -1;
}

/* One segment with CX (gcm_key): IN (N bytes) -> OUT (N bytes + tag).
 * DECRYPT checks the tag at the end of IN (N includes it).  0, or -1 (for
 * decryption: not authentic). */
static int gcm(EVP_CIPHER_CTX *cx, const unsigned char *aad, uint64_t seq, int final, int decrypt,
               const unsigned char *in, size_t n, unsigned char *out)
{
    unsigned char nonce[12];
    int len = 0, fin = 0;
    size_t body = decrypt ? n - TAG : n;

    nonce_of(seq, final, nonce);
    if (!EVP_CipherInit_ex(cx, NULL, NULL, NULL, nonce, -1) ||
        !EVP_CipherUpdate(cx, NULL, &len, aad, FMT_SEAL_HEADER) ||
        (body && !EVP_CipherUpdate(cx, out, &len, in, (int)body)))
        return -1;
    if (decrypt && !EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_SET_TAG, TAG, (void *)(in + body)))
        return -1;
    if (EVP_CipherFinal_ex(cx, out + body, &fin) <= 0)
        return -1;
    if (!decrypt && !EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_GET_TAG, TAG, out + body))
        return -1;
    return 0;
}

int fmt_seal_is_sealed(const void *data, size_t len)
{
    return len >= 8 && memcmp(data, FMT_SEAL_MAGIC, 8) == 0;
}

void fmt_seal_name(struct cs_buf *out, const struct fmt_seal_key *key, const char *name)
{
    struct cs_buf msg = CS_BUF_INIT;
    unsigned char md[32];
    unsigned int n = 0;

    cs_buf_printf(&msg, "name:%s", name);
    if (cs_buf_failed(&msg) || !HMAC(EVP_sha256(), key->k, FMT_SEAL_KEY_BYTES,
                                     (const unsigned char *)msg.data, msg.len, md, &n)) {
        out->failed = 1;
    } else {
        for (int i = 0; i < 16; i++)
            cs_buf_printf(out, "%02x", md[i]);
        cs_buf_puts(out, ".cse");
    }
    cs_buf_release(&msg);
}

char *fmt_seal_stored_name(const struct fmt_seal_key *key, const char *name)
{
    struct cs_buf b = CS_BUF_INIT;

    if (!strcmp(name, FMT_SEAL_KEPT_NAME))
        return strdup(name);
    fmt_seal_name(&b, key, name);
    return cs_buf_detach(&b);
}

uint64_t fmt_seal_sealed_size(uint64_t plain)
{
    uint64_t segs = (plain + FMT_SEAL_SEGMENT - 1) / FMT_SEAL_SEGMENT;

    return FMT_SEAL_HEADER + plain + TAG * (segs ? segs : 1);
}

int fmt_seal_plain_size(uint64_t sealed, uint64_t *plain)
{
    uint64_t r, segs;

    if (sealed < FMT_SEAL_HEADER + TAG)
        return -1;
    r = sealed - FMT_SEAL_HEADER;
    segs = (r + FMT_SEAL_SEGMENT + TAG - 1) / (FMT_SEAL_SEGMENT + TAG);
    *plain = r - TAG * segs;
    return fmt_seal_sealed_size(*plain) == sealed ? 0 : -1;
}

/* ---- sink ----------------------------------------------------------------- */

struct seal_sink {
    struct fmt_sink base;
    struct fmt_sink *inner;
    EVP_CIPHER_CTX *cx;
    unsigned char fkey[32];
    unsigned char header[FMT_SEAL_HEADER];
    unsigned char *plain, *cipher; /* FMT_SEAL_SEGMENT, + TAG */
    size_t fill;
    uint64_t seq;
    int header_sent;
};

static int sink_emit(struct seal_sink *s, int final, struct cs_error *err)
{
    if (!s->header_sent) {
        if (fmt_sink_write(s->inner, s->header, FMT_SEAL_HEADER, err) < 0)
            return -1;
        s->header_sent = 1;
    }
    if (gcm(s->cx, s->header, s->seq, final, 0, s->plain, s->fill, s->cipher) < 0)
        return cs_error_set(err, CS_ERR_INTERNAL, "encryption failed (libcrypto)");
    s->seq++;
    if (fmt_sink_write(s->inner, s->cipher, s->fill + TAG, err) < 0)
        return -1;
    s->fill = 0;
    return 0;
}

static int sink_write(struct fmt_sink *base, const void *buf, size_t len, struct cs_error *err)
{
    struct seal_sink *s = (struct seal_sink *)base;
    const unsigned char *p = buf;

    while (len) {
        size_t n;
        if (s->fill == FMT_SEAL_SEGMENT && sink_emit(s, 0, err) < 0) /* more follows */
            return -1;
        n = FMT_SEAL_SEGMENT - s->fill;
        if (n > len)
            n = len;
        memcpy(s->plain + s->fill, p, n);
        s->fill += n;
        p += n;
        len -= n;
    }
    return 0;
}

static int sink_finish(struct fmt_sink *base, struct cs_error *err)
{
    struct seal_sink *s = (struct seal_sink *)base;

    if (sink_emit(s, 1, err) < 0)
        return -1;
    return fmt_sink_finish(s->inner, err);
}

static void sink_free(struct fmt_sink *base)
{
    struct seal_sink *s = (struct seal_sink *)base;

    fmt_sink_free(s->inner);
    EVP_CIPHER_CTX_free(s->cx);
    OPENSSL_cleanse(s->fkey, sizeof(s->fkey));
    if (s->plain)
        OPENSSL_cleanse(s->plain, FMT_SEAL_SEGMENT);
    free(s->plain);
    free(s->cipher);
    free(s);
}

struct fmt_sink *fmt_sink_seal_new(struct fmt_sink *inner, const struct fmt_seal_key *key,
                                   struct cs_error *err)
{
    struct seal_sink *s = calloc(1, sizeof(*s));

    if (!s) {
        fmt_sink_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->base = (struct fmt_sink){sink_write, sink_finish, sink_free};
    s->inner = inner;
    s->cx = EVP_CIPHER_CTX_new();
    s->plain = malloc(FMT_SEAL_SEGMENT);
    s->cipher = malloc(FMT_SEAL_SEGMENT + TAG);
    memcpy(s->header, FMT_SEAL_MAGIC, 8);
    if (!s->cx || !s->plain || !s->cipher) {
        sink_free(&s->base);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (RAND_bytes(s->header + 8, SALT) != 1 || derive(key, s->header + 8, s->fkey) < 0 ||
        gcm_key(s->cx, s->fkey, 0) < 0) {
        sink_free(&s->base);
        cs_error_set(err, CS_ERR_INTERNAL, "cannot make a file key (libcrypto)");
        return NULL;
    }
    return &s->base;
}

/* ---- source --------------------------------------------------------------- */

struct seal_source {
    struct fmt_source base;
    struct fmt_source *inner;
    EVP_CIPHER_CTX *cx;
    struct fmt_seal_key key;
    char *name;
    unsigned char fkey[32];
    unsigned char header[FMT_SEAL_HEADER];
    unsigned char *in; /* a segment + tag + 1 byte of lookahead */
    size_t in_fill;
    unsigned char *plain;
    size_t plain_len, plain_pos;
    uint64_t seq;
    int started, done;
};

static int source_start(struct seal_source *s, struct cs_error *err)
{
    ssize_t n = fmt_source_read_full(s->inner, s->header, FMT_SEAL_HEADER, err);

    if (n < 0)
        return -1;
    if (n < 8 || memcmp(s->header, FMT_SEAL_MAGIC, 8) != 0)
        return cs_error_set(err, CS_ERR_FORMAT, "%s: not an encrypted file (no %s header)", s->name,
                            FMT_SEAL_MAGIC);
    if (n < FMT_SEAL_HEADER)
        return cs_error_set(err, CS_ERR_TRUNCATED, "%s: the file ends inside its header", s->name);
    if (derive(&s->key, s->header + 8, s->fkey) < 0 || gcm_key(s->cx, s->fkey, 1) < 0)
        return cs_error_set(err, CS_ERR_INTERNAL, "cannot derive the file key (libcrypto)");
    s->started = 1;
    return 0;
}

/* Decrypt the next segment into plain; sets done after the final one. */
static int source_next(struct seal_source *s, struct cs_error *err)
{
    const size_t full = FMT_SEAL_SEGMENT + TAG;
    ssize_t n = fmt_source_read_full(s->inner, s->in + s->in_fill, full + 1 - s->in_fill, err);
    size_t have, seg;
    int final;

    if (n < 0)
        return -1;
    have = s->in_fill + (size_t)n;
    final = have <= full;
    seg = final ? have : full;
    if (seg < TAG)
        return cs_error_set(err, CS_ERR_TRUNCATED, "%s: the file ends inside segment %llu", s->name,
                            (unsigned long long)s->seq);
    if (gcm(s->cx, s->header, s->seq, final, 1, s->in, seg, s->plain) < 0) {
        /* a full segment that authenticates as non-final: cut at a boundary */
        if (final && seg == full && gcm(s->cx, s->header, s->seq, 0, 1, s->in, seg, s->plain) == 0)
            return cs_error_set(err, CS_ERR_TRUNCATED,
                                "%s: the file ends after segment %llu, "
                                "before its last one",
                                s->name, (unsigned long long)s->seq);
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s: segment %llu does not authenticate: the file is damaged or "
                            "reordered, or sealed with another key",
                            s->name, (unsigned long long)s->seq);
    }
    s->seq++;
    s->plain_len = seg - TAG;
    s->plain_pos = 0;
    if (final) {
        s->done = 1;
        s->in_fill = 0;
    } else { /* keep the lookahead byte */
        s->in[0] = s->in[full];
        s->in_fill = 1;
    }
    return 0;
}

static ssize_t source_read(struct fmt_source *base, void *buf, size_t cap, struct cs_error *err)
{
    struct seal_source *s = (struct seal_source *)base;
    size_t n;

    if (!s->started && source_start(s, err) < 0)
        return -1;
    while (s->plain_pos == s->plain_len) {
        if (s->done)
            return 0;
        if (source_next(s, err) < 0)
            return -1;
    }
    n = s->plain_len - s->plain_pos;
    if (n > cap)
        n = cap;
    memcpy(buf, s->plain + s->plain_pos, n);
    s->plain_pos += n;
    return (ssize_t)n;
}

static void source_free(struct fmt_source *base)
{
    struct seal_source *s = (struct seal_source *)base;

    fmt_source_free(s->inner);
    EVP_CIPHER_CTX_free(s->cx);
    fmt_seal_key_wipe(&s->key);
    OPENSSL_cleanse(s->fkey, sizeof(s->fkey));
    if (s->plain)
        OPENSSL_cleanse(s->plain, FMT_SEAL_SEGMENT);
    free(s->plain);
    free(s->in);
    free(s->name);
    free(s);
}

struct fmt_source *fmt_source_unseal_new(struct fmt_source *inner, const struct fmt_seal_key *key,
                                         const char *name, struct cs_error *err)
{
    struct seal_source *s = calloc(1, sizeof(*s));

    if (!s) {
        fmt_source_free(inner);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    s->base = (struct fmt_source){source_read, source_free};
    s->inner = inner;
    s->key = *key;
    s->cx = EVP_CIPHER_CTX_new();
    s->name = strdup(name ? name : "(encrypted file)");
    s->in = malloc(FMT_SEAL_SEGMENT + TAG + 1);
    s->plain = malloc(FMT_SEAL_SEGMENT);
    if (!s->cx || !s->name || !s->in || !s->plain) {
        source_free(&s->base);
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return &s->base;
}

int fmt_seal_memory(const struct fmt_seal_key *key, const void *data, size_t len,
                    struct cs_buf *out, struct cs_error *err)
{
    struct fmt_sink *mem = fmt_sink_memory_new(err), *top;
    const void *p;
    size_t n = 0;
    int rc = -1;

    top = mem ? fmt_sink_seal_new(mem, key, err) : NULL;
    if (top && fmt_sink_write(top, data, len, err) == 0 && fmt_sink_finish(top, err) == 0) {
        p = fmt_sink_memory_data(mem, &n);
        cs_buf_append(out, p, n);
        rc = cs_buf_failed(out) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : 0;
    }
    fmt_sink_free(top);
    return rc;
}
