#include "format/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

struct fmt_sign_key {
    EVP_PKEY *pkey;
    int is_private;
    char id[17];
};

static int key_id(EVP_PKEY *p, char id[17])
{
    unsigned char raw[32], md[32];
    size_t n = sizeof(raw);
    unsigned int mdn = 0;

    if (EVP_PKEY_get_raw_public_key(p, raw, &n) <= 0 ||
        !EVP_Digest(raw, n, md, &mdn, EVP_sha256(), NULL))
        return -1;
    for (int i = 0; i < 8; i++)
        snprintf(id + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static struct fmt_sign_key *load(const char *path, int private, struct cs_error *err)
{
    FILE *f = fopen(path, "r");
    struct fmt_sign_key *k = NULL;
    EVP_PKEY *p = NULL;

    if (!f) {
        cs_error_sys(err, CS_ERR_USAGE, errno, "cannot read the key file %s", path);
        return NULL;
    }
    p = private ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : PEM_read_PUBKEY(f, NULL, NULL, NULL);
    fclose(f);
    if (!p || EVP_PKEY_get_base_id(p) != EVP_PKEY_ED25519) {
        cs_error_set(err, CS_ERR_USAGE,
                     "%s is not an Ed25519 %s key in PEM (make a pair with csdump --gen-key DIR, "
                     "or: openssl genpkey -algorithm ed25519 -out sign.pem && openssl pkey "
                     "-in sign.pem -pubout -out sign.pub.pem)",
                     path, private ? "private" : "public");
        EVP_PKEY_free(p);
        return NULL;
    }
    k = calloc(1, sizeof(*k));
    if (!k || key_id(p, k->id) < 0) {
        cs_error_set(err, CS_ERR_NOMEM, "out of memory");
        EVP_PKEY_free(p);
        free(k);
        return NULL;
    }
    k->pkey = p;
    k->is_private = private;
    return k;
}

struct fmt_sign_key *fmt_sign_key_load_private(const char *path, struct cs_error *err)
{
    return load(path, 1, err);
}

struct fmt_sign_key *fmt_sign_key_load_public(const char *path, struct cs_error *err)
{
    return load(path, 0, err);
}

void fmt_sign_key_free(struct fmt_sign_key *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

void fmt_sign_key_id(const struct fmt_sign_key *k, char id[17])
{
    memcpy(id, k->id, 17);
}

static FILE *create(const char *path, mode_t mode, struct cs_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    FILE *f;

    if (fd < 0) {
        cs_error_sys(err, CS_ERR_IO, errno, "cannot create %s", path);
        return NULL;
    }
    f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        cs_error_sys(err, CS_ERR_IO, errno, "cannot create %s", path);
    }
    return f;
}

int fmt_sign_keygen(const char *priv_path, const char *pub_path, struct cs_error *err)
{
    EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    FILE *f = NULL;
    int rc = -1;

    if (!p)
        return cs_error_set(err, CS_ERR_INTERNAL, "cannot make an Ed25519 key (libcrypto)");
    if (!(f = create(priv_path, 0600, err)))
        goto out;
    if (!PEM_write_PrivateKey(f, p, NULL, NULL, 0, NULL, NULL) || fclose(f) != 0) {
        f = NULL;
        cs_error_set(err, CS_ERR_IO, "cannot write %s", priv_path);
        goto out;
    }
    if (!(f = create(pub_path, 0644, err)))
        goto out;
    if (!PEM_write_PUBKEY(f, p) || fclose(f) != 0) {
        f = NULL;
        cs_error_set(err, CS_ERR_IO, "cannot write %s", pub_path);
        goto out;
    }
    f = NULL;
    rc = 0;
out:
    if (f)
        fclose(f);
    EVP_PKEY_free(p);
    return rc;
}

int fmt_sign_data(const struct fmt_sign_key *k, const void *data, size_t len, struct cs_buf *sig,
                  struct cs_error *err)
{
    EVP_MD_CTX *cx;
    unsigned char s[64];
    size_t n = sizeof(s);
    int ok;

    if (!k->is_private)
        return cs_error_set(err, CS_ERR_USAGE, "signing needs the private key");
    cx = EVP_MD_CTX_new();
    ok = cx && EVP_DigestSignInit(cx, NULL, NULL, NULL, k->pkey) > 0 &&
         EVP_DigestSign(cx, s, &n, data, len) > 0 && n == 64;
    EVP_MD_CTX_free(cx);
    if (!ok)
        return cs_error_set(err, CS_ERR_INTERNAL, "signing failed (libcrypto)");
    cs_buf_printf(sig, "{\"algorithm\": \"ed25519\", \"key_id\": \"%s\", \"signature\": \"", k->id);
    for (size_t i = 0; i < 64; i++)
        cs_buf_printf(sig, "%02x", s[i]);
    cs_buf_puts(sig, "\"}\n");
    return cs_buf_failed(sig) ? cs_error_set(err, CS_ERR_NOMEM, "out of memory") : 0;
}

/* manifest.sig text -> the 64 signature bytes and the signer's key id. */
static int parse_sig(const char *text, size_t len, unsigned char s[64], char id[17],
                     const char *what, struct cs_error *err)
{
    json_error_t je;
    json_t *j = json_loadb(text, len, 0, &je);
    const char *alg = NULL, *hex = NULL, *kid = NULL;
    int rc = -1;

    if (!j ||
        json_unpack(j, "{s:s, s:s, s:s}", "algorithm", &alg, "key_id", &kid, "signature", &hex) <
            0 ||
        strcmp(alg, "ed25519") || strlen(hex) != 128 || strlen(kid) != 16) {
        cs_error_set(err, CS_ERR_FORMAT, "%s: not a csdump signature file", what);
        goto out;
    }
    for (int i = 0; i < 64; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            cs_error_set(err, CS_ERR_FORMAT, "%s: the signature is not hex", what);
            goto out;
        }
        s[i] = (unsigned char)v;
    }
    memcpy(id, kid, 17);
    rc = 0;
out:
    json_decref(j);
    return rc;
}

int fmt_sign_verify(const struct fmt_sign_key *k, const void *data, size_t len, const char *sig,
                    size_t sig_len, const char *what, struct cs_error *err)
{
    unsigned char s[64];
    char id[17];
    EVP_MD_CTX *cx;
    int ok;

    if (parse_sig(sig, sig_len, s, id, what, err) < 0)
        return -1;
    cx = EVP_MD_CTX_new();
    ok = cx && EVP_DigestVerifyInit(cx, NULL, NULL, NULL, k->pkey) > 0 &&
         EVP_DigestVerify(cx, s, 64, data, len) == 1;
    EVP_MD_CTX_free(cx);
    if (ok)
        return 0;
    if (strcmp(id, k->id) != 0)
        return cs_error_set(err, CS_ERR_CHECKSUM,
                            "%s was signed with another key (key id %s; the given key is %s): "
                            "this dump is not the one that key signed",
                            what, id, k->id);
    return cs_error_set(err, CS_ERR_CHECKSUM,
                        "%s does not match its signature: it was changed after it was signed",
                        what);
}

char *fmt_sign_name(const char *name)
{
    size_t n = strlen(name);
    char *out = malloc(n + sizeof(FMT_SIGN_SUFFIX));

    if (!out)
        return NULL;
    if (n > 5 && !strcmp(name + n - 5, ".json"))
        n -= 5;
    memcpy(out, name, n);
    memcpy(out + n, FMT_SIGN_SUFFIX, sizeof(FMT_SIGN_SUFFIX));
    return out;
}

void fmt_sign_meta_data(struct cs_buf *out, const char *dump_id, const char *meta)
{
    cs_buf_printf(out, "csdump chunk meta\n%s\n%s", dump_id ? dump_id : "", meta);
}
