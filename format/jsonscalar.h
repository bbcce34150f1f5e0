/*
 * jsonscalar.h - SQL expressions that give MySQL one JSON scalar of an exact
 * type: the tagged leaves of a mysql-json value (format/jsonval.h).
 *
 * JSON text cannot say DECIMAL, UNSIGNED INTEGER, DATE, TIME, DATETIME,
 * TIMESTAMP or opaque (binary, BIT): text parses to DOUBLE, INTEGER or
 * STRING.  Each tag gets an expression of the matching SQL type, built only
 * from checked digits, hex literals and fixed SQL, so JSON_SET stores the
 * scalar exactly as the source held it:
 *
 *   tag      printed as                    expression
 *   D<size>  1.50                          a decimal literal, CAST(.. AS
 *            DECIMAL(65,s)), a JSON_TABLE DECIMAL(p,s) column or literal
 *            + 10^k - 10^k: the one whose integer part takes the bytes that
 *            <size> (JSON_STORAGE_SIZE of the scalar) says the source's did
 *   U        5                             CAST(5 AS UNSIGNED)
 *   a        "2020-02-29"                  CAST('..' AS DATE)
 *   t        "-12:34:56.500000"            CAST('..' AS TIME(6))
 *   d        "2020-02-29 12:34:56.123456"  CAST('..' AS DATETIME(6))
 *   s        "2020-02-29 12:34:56.123456"  a JSON_TABLE TIMESTAMP(6) column
 *   o        "base64:type15:AP8="          by MySQL field type: 15 a hex
 *            literal; 16 a BIT column; 250/251 a hex literal typed
 *            MEDIUMBLOB/LONGBLOB; 252 a BLOB column; 254 a BINARY(n) column
 *
 * Other opaque types (249 TINYBLOB, 253) and unknown tags have no
 * expression: CS_ERR_FORMAT naming the type.  Pure; thread-safe.
 */
#ifndef FMT_JSONSCALAR_H
#define FMT_JSONSCALAR_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

/* Appends the expression for the scalar printed as TOK (its JSON text)
 * whose tag is TAG.  0, or -1 (CS_ERR_FORMAT: a tag or text this cannot
 * rebuild; B is then left as it was). */
int fmt_jsonscalar_append(struct cs_buf *b, const char *tag, size_t tag_len, const char *tok,
                          size_t tok_len, struct cs_error *err);

#endif
