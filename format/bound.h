/*
 * bound.h - typed chunk bounds: a chunk's key range as values, never as SQL.
 *
 * A dump is untrusted input, so the manifest records each chunk's lower and
 * upper bound as typed values (one per key column) and the predicate is
 * built from them (format/chunksel.h fmt_chunk_where) by the code csdump
 * reads the chunk with.  Every value is checked against its type's grammar
 * when it is made (fmt_key_value_set), so its SQL literal can never carry
 * anything but that value, under any sql_mode:
 *
 *   type      value                              literal
 *   integer   -?[0-9]{1,20}                      as is
 *   decimal   -?[0-9]+(.[0-9]+)?  (<= 100 chars) as is
 *   float     -?[0-9]+(.[0-9]+)?(e[+-]?[0-9]+)?  as is
 *   string    any bytes, with the column's       _charset 0x<hex> (X'' empty)
 *             charset ([a-z0-9_]{1,32}) and,     (no COLLATE: the column's
 *             when known, collation ([a-z0-9_])  collation orders the range)
 *   binary    any bytes                          0x<hex> (X'' empty)
 *   temporal  [0-9 :.-]{1,64}, a digit first     '...' (no quote or backslash
 *             or '-'                             can occur)
 *   text      [0-9A-Za-z.:-]{1,64} (UUID, INET)  _utf8mb4'...' (never a binary
 *                                                string: MariaDB reads one as
 *                                                the raw UUID/INET6 bytes)
 *
 * A bound is closed when its value itself is inside the range; csdump's
 * ranges are [lower, upper): lower closed, upper open.  Values compare by
 * value where that is knowable without the server (numbers, bytes,
 * same-shape temporal text); strings under a collation and text compare
 * only for equality.  JSON form (manifest.c documents it):
 *   {"closed": bool, "values": [{"type": "integer", "value": "10"},
 *     {"type": "string", "charset": "utf8mb4", "collation": "utf8mb4_bin",
 *      "hex": "6162"}, ...]}  ("collation" optional)
 * Bounds own their memory (fmt_bound_free); pure; thread-safe.
 */
#ifndef FMT_BOUND_H
#define FMT_BOUND_H

#include <stddef.h>

#include "common/buf.h"

enum fmt_key_type {
    FMT_KEY_INTEGER = 0,
    FMT_KEY_DECIMAL,
    FMT_KEY_FLOAT,
    FMT_KEY_STRING,
    FMT_KEY_BINARY,
    FMT_KEY_TEMPORAL,
    FMT_KEY_TEXT,
    FMT_KEY_TYPE_COUNT
};

struct fmt_key_value {
    enum fmt_key_type type;
    char *charset;   /* FMT_KEY_STRING only: the column's character set */
    char *collation; /* FMT_KEY_STRING only, may be NULL: the column's collation */
    char *data;      /* LEN bytes (NUL-terminated besides) */
    size_t len;
};

struct fmt_bound {
    int closed; /* the value itself is inside the range */
    size_t n;
    struct fmt_key_value *v;
};

/* fmt_key_value_cmp / fmt_bound_cmp: no order knowable without the server. */
#define FMT_BOUND_INCOMPARABLE 2

const char *fmt_key_type_name(enum fmt_key_type t); /* "integer", ... */
int fmt_key_type_parse(const char *name);           /* -1 if unknown */

/* NULL when DATA (LEN bytes) is a good TYPE value (CHARSET: a string's, else
 * NULL), else what a good one is, e.g. "an integer (digits, '-' first)". */
const char *fmt_key_value_check(enum fmt_key_type type, const char *charset, const char *data,
                                size_t len);
/* V (zeroed or released) = a checked copy: 0; -1 with *WHY set by
 * fmt_key_value_check, or WHY "out of memory". */
int fmt_key_value_set(struct fmt_key_value *v, enum fmt_key_type type, const char *charset,
                      const char *data, size_t len, const char **why);
/* A string value's collation (a copy): 0, or -1 with *WHY when V is not a
 * string or NAME is not [a-z0-9_]{1,64}. */
int fmt_key_value_collate(struct fmt_key_value *v, const char *name, const char **why);
void fmt_key_value_release(struct fmt_key_value *v);
/* The value's SQL literal (table above). */
void fmt_key_value_sql(struct cs_buf *b, const struct fmt_key_value *v);
/* -1, 0, 1, or FMT_BOUND_INCOMPARABLE (also for values of different types). */
int fmt_key_value_cmp(const struct fmt_key_value *a, const struct fmt_key_value *b);

/* N zeroed values to fill with fmt_key_value_set; NULL out of memory. */
struct fmt_bound *fmt_bound_new(size_t n, int closed);
struct fmt_bound *fmt_bound_dup(const struct fmt_bound *b); /* NULL for NULL or out of memory */
void fmt_bound_free(struct fmt_bound *b);                   /* NULL-safe */
/* Lexicographic over the values: the first unequal value decides;
 * FMT_BOUND_INCOMPARABLE when it cannot or the counts differ. */
int fmt_bound_cmp(const struct fmt_bound *a, const struct fmt_bound *b);
/* "10, _utf8mb4 0x6162": the values as literals, for messages (malloc'd;
 * "(open)" for NULL); NULL out of memory. */
char *fmt_bound_text(const struct fmt_bound *b);

/* JSON (jansson): NULL bound <-> null.  to_json: a new reference, NULL out
 * of memory.  from_json: 0, or -1 with WHY (WHYLEN bytes) saying what is
 * wrong, e.g. "values[1].value: expected an integer (...)". */
struct json_t;
struct json_t *fmt_bound_to_json(const struct fmt_bound *b);
int fmt_bound_from_json(struct json_t *j, struct fmt_bound **out, char *why, size_t whylen);

#endif
