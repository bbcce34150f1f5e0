#include "format/checksum.h"
#include "format/tsv.h"

#include <inttypes.h>
#include <stdio.h>

/* XXH3 compiled in here, inlined: a row's values are mostly short */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Changing the seed changes every checksum ever written: it is part of the
 * dump format. */
#define CK_ROW_SEED 0x6373636b726f7732ULL /* "csckrow2" */

void fmt_checksum_init(struct fmt_checksum *c)
{
    c->rows = 0;
    c->sum = 0;
}

void fmt_checksum_line(struct fmt_checksum *c, const char *line, size_t len)
{
    c->rows++;
    c->sum += XXH3_64bits_withSeed(line, len, CK_ROW_SEED);
}

void fmt_checksum_row(struct fmt_checksum *c, struct cs_buf *scratch, char **vals,
                      const unsigned long *lens, unsigned n)
{
    cs_buf_reset(scratch);
    fmt_tsv_append_row(scratch, vals, lens, n);
    /* a failed buffer still counts the row, with a hash no real line has */
    if (cs_buf_failed(scratch))
        fmt_checksum_line(c, "\n", 1);
    else
        fmt_checksum_line(c, scratch->data, scratch->len - 1);
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
