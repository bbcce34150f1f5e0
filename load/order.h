/*
 * order.h - the order things are loaded in.  Pure, thread-safe.
 *
 * Chunks: the table with the most bytes still to load gives its next chunk,
 * over and over -- largest tables first, and spread across tables so they
 * all finish close together.  Views: every view after the views it reads
 * from (SHOW CREATE VIEW names them as `db`.`name`).
 */
#ifndef LOAD_ORDER_H
#define LOAD_ORDER_H

#include <stddef.h>

#include "common/error.h"
#include "format/manifest.h"

struct load_chunk_ref {
    size_t table; /* index in m->tables */
    size_t chunk; /* index in that table's chunks */
};

/* All chunks of M in load order; *out malloc'd. */
int load_order_chunks(const struct fmt_manifest *m, struct load_chunk_ref **out, size_t *n,
                      struct cs_error *err);

/* ORDER receives a permutation of 0..n-1 such that a view comes after every
 * view (among these n) its definition references.  SCHEMAS/NAMES identify
 * view i; DDLS[i] is its CREATE VIEW text.  A cycle is CS_ERR_FORMAT. */
int load_order_views(const char *const *schemas, const char *const *names,
                     const char *const *ddls, size_t n, size_t *order, struct cs_error *err);

#endif
