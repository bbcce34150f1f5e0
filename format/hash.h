/*
 * hash.h - the hashes of a dump's files, as a leaf module (xxhash and
 * libcrypto only; nothing else of format/ is used here).
 *
 * Every file of a dump is identified by its XXH3-128 (32 lowercase hex
 * digits, high 64 bits first) -- what the counter sinks and sources report
 * and what the manifest lists.  A signed dump also carries each file's
 * SHA-256 (64 hex digits), which the same hasher computes in the same pass
 * when asked.  A hasher belongs to one thread; the one-shot functions are
 * pure and thread-safe.
 */
#ifndef FMT_HASH_H
#define FMT_HASH_H

#include <stddef.h>
#include <stdint.h>

struct fmt_hasher {
    void *xxh; /* XXH3_state_t */
    void *sha; /* EVP_MD_CTX, NULL unless SHA-256 was asked for */
    uint64_t bytes;
};

/* 0, or -1 out of memory (H is then released). */
int fmt_hasher_init(struct fmt_hasher *h, int sha256);
void fmt_hasher_update(struct fmt_hasher *h, const void *data, size_t len);
/* The results so far; SHA_HEX is "" when SHA-256 was not asked for.  Any
 * out-parameter may be NULL. */
void fmt_hasher_result(struct fmt_hasher *h, uint64_t *bytes, char xxh_hex[33], char sha_hex[65]);
void fmt_hasher_release(struct fmt_hasher *h); /* NULL-safe */

/* XXH3-128 of a buffer as 32 hex digits. */
void fmt_hash128_hex(const void *data, size_t len, char out[33]);
void fmt_hash128_to_hex(uint64_t high, uint64_t low, char out[33]);
/* SHA-256 of a buffer as 64 hex digits ("" if libcrypto fails). */
void fmt_sha256_hex(const void *data, size_t len, char out[65]);

#endif
