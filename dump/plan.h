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
 * The literal/WHERE builders and dump_plan_int_bounds are pure (unit-tested);
 * dump_plan_table runs on a snapshot connection.  Units are owned by the caller.
 */
#ifndef DUMP_PLAN_H
#define DUMP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/conn.h"
#include "dump/catalog.h"

struct dump_key {
    size_t n;
    char **lit;   /* SQL literals, one per key column */
    char **text;  /* the values as the server sent them (for the manifest) */
};

struct dump_unit {
    size_t table;        /* index in the catalog */
    unsigned seq;        /* position in the table's key order */
    unsigned sub0;       /* number of its first file (after a resumed failure) */
    int keyed;           /* ORDER BY the key; files get exact boundaries */
    struct dump_key *lo; /* inclusive, NULL = open */
    struct dump_key *hi; /* exclusive, NULL = open */
};

/* A SQL literal for VAL of column C (as the server sent it). */
void dump_plan_literal(struct cs_buf *b, const struct dump_column *c, const char *val, size_t len);
/* 1 if the key can be used for ranges (no ENUM/SET columns). */
int dump_plan_key_usable(const struct dump_table *t);
/* The WHERE predicate for [lo, hi) over T's key; empty when both are open. */
void dump_plan_where(struct cs_buf *b, const struct dump_table *t, const struct dump_key *lo,
                     const struct dump_key *hi);
/* "lit1, lit2": the bound as SQL literals, or NULL when open (malloc'd). */
char *dump_plan_key_sql(const struct dump_key *k);

struct dump_key *dump_key_new(const struct dump_table *t, char **vals, const unsigned long *lens,
                              const size_t *positions);
struct dump_key *dump_key_dup(const struct dump_key *k);
void dump_key_free(struct dump_key *k);
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
