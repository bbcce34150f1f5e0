/*
 * chunksel.h - the one SELECT that reads a chunk's rows, and the one builder
 * of a chunk's key predicate.
 *
 * The data checksum (checksum.h) is computed over the values this SELECT
 * returns, so csdump (reading the chunk) and csload (verifying it on the
 * target) must send the same statement for the same chunk: both build it
 * here, from the chunk's typed bounds (format/bound.h) -- never from SQL
 * text a dump carries.  The column expressions come from each column's kind
 * (coltype.h: FLOAT read exactly, MySQL JSON with its type tags, ...).
 * Pure; thread-safe.
 */
#ifndef FMT_CHUNKSEL_H
#define FMT_CHUNKSEL_H

#include <stddef.h>

#include "common/buf.h"
#include "format/bound.h"
#include "format/coltype.h"

struct fmt_sel_col {
    const char *name; /* unquoted */
    enum fmt_col_kind kind;
};

/* A key range: KEY's NKEY unquoted column names, each bound NULL when open
 * (LO/HI n must be NKEY).  Lent, not owned. */
struct fmt_chunk_range {
    const char *const *key;
    size_t nkey;
    const struct fmt_bound *lo, *hi;
};

/* "expr1, expr2, ...": the select list of COLS (N of them; "1" when none). */
void fmt_chunk_select_list(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n);
/* The predicate for R, appended: the tuple comparison (k1, .., kn) > lo
 * expanded lexicographically,
 *   ((k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... (k1 = v1 AND ... kn >= vn))
 * (>= when LO is closed, > when open; < / <= likewise for HI), the two
 * joined by AND; nothing when both are open.  -1 (B failed) when a bound's
 * value count is not NKEY or a value is not a checked one. */
int fmt_chunk_where(struct cs_buf *b, const struct fmt_chunk_range *r);
/* SELECT <list> FROM `SCHEMA`.`TABLE` [WHERE <R's predicate>]
 * [ORDER BY <R's key>] (ORDER_BY and R given).  R NULL: the whole table.
 * B failed (cs_buf_failed) when out of memory or R is bad. */
void fmt_chunk_select(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n,
                      const char *schema, const char *table, const struct fmt_chunk_range *r,
                      int order_by);

#endif
