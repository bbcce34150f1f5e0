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
/* The same with a row filter (csdump --where, the user's SQL for the
 * source; NULL = none): "WHERE (RANGE) AND (FILTER)", or "WHERE (FILTER)"
 * without a range.  The filter ends with a newline inside its parentheses,
 * so a trailing line comment cannot swallow what follows.  Only csdump
 * sends a filter: a dump's recorded filter is never sent to a target. */
void fmt_chunk_select_filtered(struct cs_buf *b, const struct fmt_sel_col *cols, size_t n,
                               const char *schema, const char *table, const char *range,
                               const char *filter, const char *const *key, size_t nkey);
/* A --where condition is one self-contained expression: not blank, its
 * quotes, backticks and comments closed, its parentheses balanced, no ';'
 * outside them.  0, or -1 with WHY (a short reason, WHYLEN bytes). */
int fmt_chunk_filter_check(const char *filter, char *why, size_t whylen);

#endif
