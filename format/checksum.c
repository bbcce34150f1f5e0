#include "format/checksum.h"

#include <inttypes.h>
#include <stdio.h>

/* XXH3 compiled in here, inlined: a row's values are mostly short */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Seeds and markers.  Changing any of them changes every checksum ever
 * written, so they are part of the dump format. */
#define CK_ROW_SEED 0x6373636b726f7731ULL  /* "csckrow1" */
#define CK_NULL_MARK 0x4e554c4c4e554c4cULL /* stands for a NULL value */
#define CK_COL_PRIME 0x9e3779b97f4a7c15ULL

/* Mixes a value's hash into the row's: order-dependent (moremur-style
 * multiply-xorshift), so swapped columns give another row hash. */
static uint64_t fold(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 27;
    h *= 0x3c79ac492ba7b653ULL;
    h ^= h >> 33;
    h *= 0x1c69b3f74ac4ae35ULL;
    return h ^ (h >> 27);
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

    /* order of columns matters, order of rows does not */
    for (unsigned i = 0; i < n; i++)
        h = fold(h, value_hash(vals[i], vals[i] ? lens[i] : 0, i));
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
