/*
 * coltype.h - how each column type travels: the one table that both csdump
 * and csload consult, so the dump's SELECT, the chunk encoders, the loader's
 * LOAD DATA column list / INSERT literals and the verify SELECT agree.
 *
 *   kind      dumped as             tsv load               sql literal
 *   number    col                   col                    as sent
 *   float     col+0e0 (all digits)  col                    as sent
 *   string    col                   col                    '...' escaped
 *   binary    col                   col                    0x hex
 *   bit       col+0                 @v SET col=CAST(@v AS UNSIGNED)   as sent
 *   utf8text  col                   @v SET col=CONVERT(@v USING utf8mb4)
 *                                                          _utf8mb4 0x hex
 *   mysql-json  text, or type tags plus text (format/jsonval.h)
 *                                   as utf8text (untagged values only)
 *                                                          as utf8text, or
 *                                                          JSON_SET(...) typed
 * utf8text is for types that must not be given a binary string: MariaDB
 * UUID/INET4/INET6 (a 16-byte binary string is read as raw INET6), and MySQL
 * JSON in dumps made before mysql-json.  mysql-json is MySQL's JSON: its
 * scalars keep their types (DECIMAL, DATE, opaque ...).  Pure; thread-safe.
 */
#ifndef FMT_COLTYPE_H
#define FMT_COLTYPE_H

#include "common/buf.h"

enum fmt_col_kind {
    FMT_COL_NUMBER = 0,
    FMT_COL_FLOAT,
    FMT_COL_STRING,
    FMT_COL_BINARY,
    FMT_COL_BIT,
    FMT_COL_UTF8TEXT,
    FMT_COL_MYSQL_JSON,
    FMT_COL_KIND_COUNT
};

/* DATA_TYPE as information_schema.COLUMNS reports it (any case). */
enum fmt_col_kind fmt_col_kind_from_type(const char *data_type, int is_mariadb);
const char *fmt_col_kind_name(enum fmt_col_kind kind);
/* -1 if NAME is not a kind. */
int fmt_col_kind_parse(const char *name);

/* Append the SELECT expression for a column (QUOTED is the `quoted` name). */
void fmt_col_select_expr(struct cs_buf *b, enum fmt_col_kind kind, const char *quoted);
/* 1 when the tsv load goes through a user variable plus SET. */
int fmt_col_needs_load_var(enum fmt_col_kind kind);
/* Append "col=EXPR(@var)" for the LOAD DATA SET clause. */
void fmt_col_load_set(struct cs_buf *b, enum fmt_col_kind kind, const char *quoted,
                      const char *var);

#endif
