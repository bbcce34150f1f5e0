/*
 * nontx.h - exactly once for tables that cannot roll back (MyISAM, Aria,
 * MEMORY, ...: the manifest's "transactional": false).
 *
 * A chunk of such a table cannot share a transaction with its journal row
 * (the rows land as they are written, whatever happens after), so its rows
 * are written with autocommit and its journal row right after them.  A run
 * that dies between the two, or a chunk that fails half-way, leaves rows
 * the journal does not account for.  The rule: before the data phase, every
 * non-transactional table of the load whose chunks are not all journaled is
 * emptied (TRUNCATE, unless already empty) and its chunk rows are removed
 * from the journal, so all its chunks load again; a table that was complete
 * is left alone.  Chunk jobs of such tables are not retried within a run
 * (a rerun reloads the table).  Not thread-safe: the coordinator calls it.
 */
#ifndef LOAD_NONTX_H
#define LOAD_NONTX_H

#include "common/conn.h"
#include "common/error.h"
#include "load/jobs.h"
#include "load/journal.h"

/* Apply the rule to every table of CTX that is loaded in this run; J (CTX's
 * journal) is re-read when rows were removed from it.  0, or -1 with ERR. */
int load_nontx_prepare(struct cs_conn *c, struct load_ctx *ctx, struct load_journal *j,
                       struct cs_error *err);

#endif
