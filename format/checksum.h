/*
 * checksum.h - the data checksum of a set of rows, independent of row order.
 *
 * A row's hash is XXH3-64 of its tsv line (format/tsv.h, without the
 * newline): the values exactly as the server sent them, in an encoding that
 * is injective (tabs and backslashes escaped, NULL as \N, distinct from the
 * string "\N"), so one hash call covers the row.  The chunk checksum is the
 * row count and the 64-bit sum of the row hashes.  The dump computes it while
 * rows stream (a tsv dump hashes the very line it writes); the loader
 * recomputes it on the target with the same SELECT, in any order.  Pure,
 * thread-safe.
 */
#ifndef FMT_CHECKSUM_H
#define FMT_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

struct fmt_checksum {
    uint64_t rows;
    uint64_t sum;
};

void fmt_checksum_init(struct fmt_checksum *c);
/* SCRATCH holds the row's tsv line (reused from row to row). */
void fmt_checksum_row(struct fmt_checksum *c, struct cs_buf *scratch, char **vals,
                      const unsigned long *lens, unsigned n);
/* The same for a row already encoded as LINE (its tsv line, no newline). */
void fmt_checksum_line(struct fmt_checksum *c, const char *line, size_t len);
void fmt_checksum_merge(struct fmt_checksum *into, const struct fmt_checksum *other);
/* 16 lowercase hex digits of sum. */
void fmt_checksum_hex(const struct fmt_checksum *c, char out[17]);

#endif
