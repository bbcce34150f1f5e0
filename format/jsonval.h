/*
 * jsonval.h - MySQL JSON values with their scalar types: column kind
 * "mysql-json" (format/coltype.h).
 *
 * MySQL's JSON keeps scalar types its text does not show: DECIMAL (with its
 * precision), UNSIGNED INTEGER, DATE, TIME, DATETIME, TIMESTAMP and opaque
 * binary/BIT values print as numbers or strings and would load back as
 * DOUBLE, INTEGER or STRING.  So the dump asks the server for each value
 * (fmt_jsonval_select_expr) in one of two forms:
 *
 *   TEXT                   the value as MySQL prints it, when every scalar's
 *                          type is the one its text parses to (the usual case)
 *   '~' TAGS '~' TEXT      otherwise.  TAGS is a JSON object naming each
 *                          scalar whose type text cannot carry:
 *                            "r"   the whole value is that scalar
 *                            "mN"  the N-th (1-based) member value in the
 *                                  order of path $**.*: every object's members,
 *                                  objects taken in document order
 *                            "eN"  the N-th element in the order of $**[*]
 *                          and its value a type tag (format/jsonscalar.h):
 *                          "D<storage size>", "U", "a", "t", "d", "s", "o",
 *                          or "?<JSON_TYPE>" for a type this csdump does not
 *                          know.  e.g.  ~{"m1": "D10"}~{"price": 1.50}
 *
 * JSON text never starts with '~'.  The chunk checksum covers the form, and
 * verify recomputes it with the same expression, so a load that changed a
 * scalar's type or a decimal's precision shows as a mismatch.
 *
 * Loading: TEXT loads as it is; the tagged form is rebuilt by
 * fmt_jsonval_append_sql as JSON_SET(CAST(TEXT AS JSON), path, typed, ...),
 * which LOAD DATA cannot express per row: chunks with tagged values go
 * through INSERT (the manifest counts them: fmt_chunk.typed_values).
 * Pure; thread-safe.
 */
#ifndef FMT_JSONVAL_H
#define FMT_JSONVAL_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

/* The dump's and verify's SELECT expression for JSON column QUOTED (an
 * already quoted identifier).  Needs MySQL 8.0.4+ (JSON_TABLE). */
void fmt_jsonval_select_expr(struct cs_buf *b, const char *quoted);

/* 1 when VAL (not NULL) is the tagged form. */
int fmt_jsonval_typed(const char *val, size_t len);

/* Appends the SQL expression that stores tagged VAL with its types (the
 * session character set may be binary: text goes as _utf8mb4 hex).  0, or
 * -1 with CS_ERR_FORMAT saying what is wrong with VAL (B unchanged then). */
int fmt_jsonval_append_sql(struct cs_buf *b, const char *val, size_t len, struct cs_error *err);

#endif
