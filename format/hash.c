#include "format/hash.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <xxhash.h>

int fmt_hasher_init(struct fmt_hasher *h, int sha256)
{
    memset(h, 0, sizeof(*h));
    h->xxh = XXH3_createState();
    if (!h->xxh || XXH3_128bits_reset(h->xxh) != XXH_OK)
        goto fail;
    if (sha256) {
        h->sha = EVP_MD_CTX_new();
        if (!h->sha || !EVP_DigestInit_ex(h->sha, EVP_sha256(), NULL))
            goto fail;
    }
    return 0;
fail:
    fmt_hasher_release(h);
    return -1;
}

void fmt_hasher_update(struct fmt_hasher *h, const void *data, size_t len)
{
    XXH3_128bits_update(h->xxh, data, len);
    if (h->sha)
        EVP_DigestUpdate(h->sha, data, len);
    h->bytes += len;
}

void fmt_hasher_result(struct fmt_hasher *h, uint64_t *bytes, char xxh_hex[33], char sha_hex[65])
{
    if (bytes)
        *bytes = h->bytes;
    if (xxh_hex) {
        XXH128_hash_t d = XXH3_128bits_digest(h->xxh);
        fmt_hash128_to_hex((uint64_t)d.high64, (uint64_t)d.low64, xxh_hex);
    }
    if (sha_hex) {
        unsigned char md[32];
        unsigned int n = 0;
        EVP_MD_CTX *copy = h->sha ? EVP_MD_CTX_new() : NULL;
        sha_hex[0] = '\0';
        if (copy && EVP_MD_CTX_copy_ex(copy, h->sha) && EVP_DigestFinal_ex(copy, md, &n) && n == 32)
            for (int i = 0; i < 32; i++)
                snprintf(sha_hex + 2 * i, 3, "%02x", md[i]);
        EVP_MD_CTX_free(copy);
    }
}

void fmt_hasher_release(struct fmt_hasher *h)
{
    if (!h)
        return;
    XXH3_freeState(h->xxh);
    EVP_MD_CTX_free(h->sha);
    h->xxh = h->sha = NULL;
}

void fmt_hash128_to_hex(uint64_t high, uint64_t low, char out[33])
{
    snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, high, low);
}

void fmt_hash128_hex(const void *data, size_t len, char out[33])
{
    XXH128_hash_t h = XXH3_128bits(data, len);

    fmt_hash128_to_hex((uint64_t)h.high64, (uint64_t)h.low64, out);
}

void fmt_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int n = 0;

    out[0] = '\0';
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) && n == 32)
        for (int i = 0; i < 32; i++)
            snprintf(out + 2 * i, 3, "%02x", md[i]);
}
