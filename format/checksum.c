#include "format/checksum.h"

#include <inttypes.h>
#include <stdio.h>

#include <xxhash.h>

/* Seeds and markers.  Changing any of them changes every checksum ever
 * written, so they are part of the dump format. */
#define CK_ROW_SEED 0x6373636b726f7731ULL  /* "csckrow1" */
#define CK_NULL_MARK 0x4e554c4c4e554c4cULL /* stands for a NULL value */
#define CK_COL_PRIME 0x9e3779b97f4a7c15ULL

static void put_le64(unsigned char out[8], uint64_t v)
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(v >> (8 * i));
}

/* One value: XXH3-64 of its bytes (the length is part of the hash input),
 * seeded by its position; a NULL is a fixed marker mixed with the position. */
static uint64_t value_hash(const char *val, unsigned long len, unsigned col)
{
    uint64_t pos = (uint64_t)(col + 1) * CK_COL_PRIME;

    if (!val)
        return CK_NULL_MARK ^ pos;
    return XXH3_64bits_withSeed(val, (size_t)len, pos);
}

void fmt_checksum_init(struct fmt_checksum *c)
{
    c->rows = 0;
    c->sum = 0;
}

void fmt_checksum_row(struct fmt_checksum *c, char **vals, const unsigned long *lens, unsigned n)
{
    uint64_t h = CK_ROW_SEED ^ n;
    unsigned char bytes[8];

    for (unsigned i = 0; i < n; i++) {
        /* Fold: the value hash, tagged with its NULL-ness, hashed into the
         * row so far; order of columns matters, order of rows does not. */
        put_le64(bytes, value_hash(vals[i], vals[i] ? lens[i] : 0, i));
        h = XXH3_64bits_withSeed(bytes, sizeof(bytes), h + (vals[i] ? 1u : 0u));
    }
    c->rows++;
    c->sum += h;
}

void fmt_checksum_merge(struct fmt_checksum *into, const struct fmt_checksum *other)
{
    into->rows += other->rows;
    into->sum += other->sum;
}

void fmt_checksum_hex(const struct fmt_checksum *c, char out[17])
{
    snprintf(out, 17, "%016" PRIx64, c->sum);
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
