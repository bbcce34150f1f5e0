/*
 * checksum.h - the data checksum of a set of rows, independent of row order.
 *
 * Each row hashes its values exactly as the server sent them (length-prefixed,
 * NULL distinct from every string) with XXH3-64; the chunk checksum is the
 * row count and the 64-bit sum of the row hashes.  The dump computes it while
 * rows stream; the loader recomputes it on the target with the same SELECT,
 * in any order.  Pure, thread-safe.
 */
#ifndef FMT_CHECKSUM_H
#define FMT_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

struct fmt_checksum {
    uint64_t rows;
    uint64_t sum;
};

void fmt_checksum_init(struct fmt_checksum *c);
void fmt_checksum_row(struct fmt_checksum *c, char **vals, const unsigned long *lens, unsigned n);
void fmt_checksum_merge(struct fmt_checksum *into, const struct fmt_checksum *other);
/* 16 lowercase hex digits of sum. */
void fmt_checksum_hex(const struct fmt_checksum *c, char out[17]);

/* XXH3-128 of a buffer as 32 lowercase hex digits (high 64 bits first): the
 * same hash the counter sinks/sources give for a file's bytes. */
void fmt_hash128_hex(const void *data, size_t len, char out[33]);
void fmt_hash128_to_hex(uint64_t high, uint64_t low, char out[33]);

#endif
