/*
 * dataonly.h - csload --data-only: the rows go into tables the target has
 * already, so before anything is loaded every table of the dump must be
 * there with the dump's columns, in the dump's order and of the same types
 * (COLUMN_TYPE, compared case-insensitively); generated columns of the
 * target are not compared (the dump has none).  Each table that differs is
 * named with its first difference (a missing table, a missing or extra
 * column, another order, another type, a trigger of the target's that would
 * fire for every row loaded), then the load stops (CS_ERR_USAGE)
 * before any row is written.  The comparison itself is pure
 * (load_dataonly_compare); the check runs on the coordinator's connection.
 */
#ifndef LOAD_DATAONLY_H
#define LOAD_DATAONLY_H

#include <stddef.h>

#include "common/conn.h"
#include "common/log.h"
#include "format/manifest.h"

/* One column of the target's table, in ORDINAL_POSITION order. */
struct load_target_col {
    const char *name;
    const char *type;
    int generated;
};

/* T's dumped columns against the target's COLS (N of them): 0 when they
 * fit, else 1 with the first difference in WHY (WHYLEN bytes). */
int load_dataonly_compare(const struct fmt_table *t, const struct load_target_col *cols, size_t n,
                          char *why, size_t whylen);
/* The check above for every table of M; each difference logged. */
int load_dataonly_check(struct cs_conn *c, const struct fmt_manifest *m, const struct cs_log *log,
                        struct cs_error *err);

#endif
