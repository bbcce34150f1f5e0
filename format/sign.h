/*
 * sign.h - signed dumps: Ed25519 signatures (OpenSSL libcrypto) over the
 * manifest, which lists every other file with its SHA-256.
 *
 * Keys are PEM files: the private key (PKCS#8, as `openssl genpkey
 * -algorithm ed25519` writes it, or fmt_sign_keygen) signs, the public key
 * (SubjectPublicKeyInfo, `openssl pkey -pubout`) verifies.  A signature is
 * kept in manifest.sig as one JSON object:
 *   {"algorithm": "ed25519", "key_id": "<16 hex>", "signature": "<128 hex>"}
 * key_id is the start of the SHA-256 of the raw public key, so a message can
 * say which key signed.  An archive stream also carries catalog.sig (over
 * the early catalog) and X.meta.sig after each chunk description X.meta.json,
 * so a loader reading a pipe can trust each chunk before the manifest comes.  Keys are opaque handles; thread-safe after loading.
 */
#ifndef FMT_SIGN_H
#define FMT_SIGN_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

#define FMT_SIGN_FILE "manifest.sig"
#define FMT_SIGN_SUFFIX ".sig"

struct fmt_sign_key;

/* Load a private (signing) or public (verifying) key; errors name PATH and
 * say what was found. */
struct fmt_sign_key *fmt_sign_key_load_private(const char *path, struct cs_error *err);
struct fmt_sign_key *fmt_sign_key_load_public(const char *path, struct cs_error *err);
void fmt_sign_key_free(struct fmt_sign_key *k); /* NULL-safe */
/* The key's id (16 hex digits + NUL). */
void fmt_sign_key_id(const struct fmt_sign_key *k, char id[17]);

/* Make a key pair: PRIV (mode 0600) and PUB, both PEM; refuses to overwrite. */
int fmt_sign_keygen(const char *priv_path, const char *pub_path, struct cs_error *err);

/* The manifest.sig text for DATA (LEN bytes) signed with K (private). */
int fmt_sign_data(const struct fmt_sign_key *k, const void *data, size_t len, struct cs_buf *sig,
                  struct cs_error *err);
/* 0 when SIG (manifest.sig text) is K's valid signature of DATA; otherwise
 * CS_ERR_CHECKSUM naming WHAT (a garbled signature file: CS_ERR_FORMAT). */
int fmt_sign_verify(const struct fmt_sign_key *k, const void *data, size_t len, const char *sig,
                    size_t sig_len, const char *what, struct cs_error *err);

/* What a chunk description's signature covers: the description bound to
 * its dump, "csdump chunk meta\n" DUMP_ID "\n" META, into OUT -- so a
 * signed description cannot be replayed into a stream of another dump. */
void fmt_sign_meta_data(struct cs_buf *out, const char *dump_id, const char *meta);

/* The name of NAME's signature file: a ".json" suffix replaced by ".sig",
 * else ".sig" appended (manifest.json -> manifest.sig, catalog.json ->
 * catalog.sig, X.meta.json -> X.meta.sig); malloc'd, NULL without memory. */
char *fmt_sign_name(const char *name);

#endif
