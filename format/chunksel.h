/*
 * chunksel.h - the one SELECT that reads a chunk's rows.
 *
 * The data checksum (checksum.h) is computed over the values this SELECT
 * returns, so csdump (reading the chunk) and csload (verifying it on the
 * target) must send the same statement for the same chunk: both build it
 * here.  The column expressions come from each column's kind (coltype.h:
 * FLOAT read exactly, MySQL JSON with its type tags, ...); RANGE is the
 * chunk's key predicate (NULL or "" for the whole table); ORDER BY the key
 * when KEY is given.  Pure; thread-safe.
 */
#ifndef FMT_CHUNKSEL_H
#define FMT_CHUNKSEL_H

#include <stddef.h>

#include "common/buf.h"
#include "format/coltype.h"

struct fmt_sel_col {
    const char *name; /* unquoted */
    enum fmt_col_kind kind;
};

/* "expr1, expr2, ...": the select list of COLS (N of them; "1" when none). */
void fmt_chunk_select_list(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n);
/* SELECT <list> FROM `SCHEMA`.`TABLE` [WHERE RANGE] [ORDER BY KEY...].
 * KEY: NKEY unquoted key column names, or NULL for no ORDER BY.  B failed
 * (cs_buf_failed) when out of memory. */
void fmt_chunk_select(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n,
                      const char *schema, const char *table, const char *range,
                      const char *const *key, size_t nkey);

#endif
