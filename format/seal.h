/*
 * seal.h - encrypted files: AES-256-GCM in independently authenticated
 * segments, as a sink and a source that stack with the others (sink.h):
 *
 *   encoder -> zstd -> seal -> counter -> file      (compress, then encrypt)
 *   file -> counter -> unseal -> zstd -> decoder
 *
 * Layout of a sealed file:
 *   header  "CSSEAL01" + 24 random salt bytes              (32 bytes)
 *   segment ciphertext of up to FMT_SEAL_SEGMENT plaintext bytes + 16-byte tag
 *   ...     every segment is full but the last, which may be short or empty
 * The file key is HKDF-SHA256(dump key, salt, "csdump seal v1"); segment i
 * is sealed with nonce = i (8 bytes, big-endian) + 3 zero bytes + a final
 * flag (1 on the last segment only), and the header as additional data.  So
 * a flipped byte, a reordered or dropped segment, a file cut at any byte
 * (also at a segment boundary: no final segment) and a file sealed with
 * another key are all detected, each before its plaintext is released:
 * damage is CS_ERR_CHECKSUM ("damaged, or sealed with another key"), an
 * early end CS_ERR_TRUNCATED, a file without the header CS_ERR_FORMAT.
 * Memory: two segments per stream.  One thread at a time per stream.
 *
 * Names: with encryption on, every file of a dump is stored under an
 * opaque name (fmt_seal_name) so schema and table names do not show.
 */
#ifndef FMT_SEAL_H
#define FMT_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"
#include "format/sink.h"
#include "format/source.h"

#define FMT_SEAL_KEY_BYTES 32
#define FMT_SEAL_SEGMENT (64 * 1024)
#define FMT_SEAL_HEADER 32
#define FMT_SEAL_MAGIC "CSSEAL01"

struct fmt_seal_key {
    unsigned char k[FMT_SEAL_KEY_BYTES];
};

/* Read a key file: 64 hex digits (surrounding white space allowed) or
 * exactly 32 raw bytes.  Anything else is CS_ERR_USAGE naming PATH. */
int fmt_seal_key_load(const char *path, struct fmt_seal_key *key, struct cs_error *err);
/* Wipe a key from memory. */
void fmt_seal_key_wipe(struct fmt_seal_key *key);

/* Encrypting sink over INNER (owned); KEY is copied. */
struct fmt_sink *fmt_sink_seal_new(struct fmt_sink *inner, const struct fmt_seal_key *key,
                                   struct cs_error *err);
/* Decrypting source over INNER (owned); NAME is used in messages. */
struct fmt_source *fmt_source_unseal_new(struct fmt_source *inner, const struct fmt_seal_key *key,
                                         const char *name, struct cs_error *err);

/* LEN bytes at DATA sealed, appended to OUT. */
int fmt_seal_memory(const struct fmt_seal_key *key, const void *data, size_t len,
                    struct cs_buf *out, struct cs_error *err);

/* 1 when the LEN bytes at DATA start like a sealed file. */
int fmt_seal_is_sealed(const void *data, size_t len);

/* The opaque name NAME is stored under: 32 hex digits of
 * HMAC-SHA256(key, "name:" NAME), then ".cse".  manifest.json keeps its
 * name (its presence marks a complete dump; its content is sealed). */
void fmt_seal_name(struct cs_buf *out, const struct fmt_seal_key *key, const char *name);
/* The name NAME is stored under (malloc'd, NULL without memory): the
 * opaque name, but FMT_SEAL_KEPT_NAME keeps its own. */
#define FMT_SEAL_KEPT_NAME "manifest.json"
char *fmt_seal_stored_name(const struct fmt_seal_key *key, const char *name);

/* The size of a sealed file of PLAIN bytes, and the reverse (-1: no sealed
 * file has that size). */
uint64_t fmt_seal_sealed_size(uint64_t plain);
int fmt_seal_plain_size(uint64_t sealed, uint64_t *plain);

#endif
