/*
 * plan.h - splitting a table into units of work over its key.
 *
 * A unit is a key range [lo, hi) (NULL = open end), so the units of a table
 * cover its whole key space exactly once: the first is open below, the last
 * open above, and each hi is the next lo.  Integer keys are cut arithmetically
 * by density (MIN/MAX and the row estimate); other keys by probing the index
 * for every Nth key; tables without a usable key are one unit without a range.
 * A unit whose data turns out larger than a chunk is cut into several files at
 * exact key boundaries while it streams (chunk.c), so neither sparse nor
 * skewed keys make empty or giant chunks.
 * Bounds are typed values (format/bound.h), the predicate is built from
 * them by format/chunksel.h (the builder csload verifies with); the key
 * value helpers and dump_plan_int_bounds are pure (unit-tested);
 * dump_plan_table runs on a snapshot connection.  Units are owned by the caller.
 */
#ifndef DUMP_PLAN_H
#define DUMP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/conn.h"
#include "dump/catalog.h"
#include "format/bound.h"
#include "format/chunksel.h"


struct dump_unit {
    size_t table;        /* index in the catalog */
    unsigned seq;        /* position in the table's key order */
    unsigned sub0;       /* number of its first file (after a resumed failure) */
    int keyed;           /* ORDER BY the key; files get exact boundaries */
    struct fmt_bound *lo; /* closed (inclusive), NULL = open */
    struct fmt_bound *hi; /* open (exclusive), NULL = open */
};

/* The bound value type of key column C (format/bound.h). */
enum fmt_key_type dump_plan_key_type(const struct dump_column *c);
/* 1 if the key can be used for ranges (no ENUM/SET/JSON columns). */
int dump_plan_key_usable(const struct dump_table *t);
/* R = T's key range [LO, HI): NAMES (T->nkey slots) get the key's column
 * names; everything lent from T, NAMES, LO and HI. */
void dump_plan_range(const struct dump_table *t, const char **names, const struct fmt_bound *lo,
                     const struct fmt_bound *hi, struct fmt_chunk_range *r);

/* The key of a row as the server sent it (VALS[POSITIONS[i]] for key
 * column i), a bound CLOSED or not; NULL when out of memory or a value does
 * not fit its type (then *WHY says what, format/bound.h). */
struct fmt_bound *dump_key_new(const struct dump_table *t, char **vals, const unsigned long *lens,
                               const size_t *positions, int closed, const char **why);
/* A copy of K, CLOSED or not (a file's upper bound is the next one's
 * lower); NULL for NULL K or out of memory. */
struct fmt_bound *dump_key_as(const struct fmt_bound *k, int closed);

void dump_unit_free(struct dump_unit *u);

/* NSLICES-1 increasing boundaries strictly inside (MIN, MAX] splitting the
 * integer range evenly (decimal strings, malloc'd array of malloc'd strings);
 * fewer when the range is small. Pure. */
int dump_plan_int_bounds(const char *min, const char *max, int is_unsigned, uint64_t nslices,
                         char ***bounds, size_t *nbounds);

/* Plan table T (index TI) into units on CONN (inside the snapshot). */
int dump_plan_table(struct cs_conn *conn, const struct dump_table *t, size_t ti,
                    uint64_t chunk_rows, unsigned threads, struct dump_unit ***units,
                    size_t *nunits, struct cs_error *err);

#endif
