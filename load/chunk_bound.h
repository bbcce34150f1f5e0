/*
 * chunk_bound.h - the bound path of a chunk (load/tablepath.h), internal to
 * load/chunk.c: a tsv chunk's rows as arrays of one prepared INSERT
 * (cs_bulk), the values as the file holds them, decoded, never lexed by the
 * server.
 *
 * An array holds at most LOAD_PATH_BOUND_ROWS rows and, unless one row is
 * bigger alone, the job's bound_bytes of values.  With job->read_ahead a
 * second thread reads and decodes the next array while the session's
 * server inserts the current one: two arrays, filled and run in turn, so
 * the rows go in the file's order as without it.  Measured on the
 * one-table shape (README "One table: reading ahead"): the session's
 * thread otherwise leaves the server idle while it decompresses, hashes
 * and splits a chunk.  Whatever fails first (the file, the server) stops
 * both threads; the reader is joined before this returns, so the source is
 * the caller's again (its hash is checked afterwards).
 */
#ifndef LOAD_CHUNK_BOUND_H
#define LOAD_CHUNK_BOUND_H

#include <stdint.h>

#include "format/source.h"
#include "load/chunk.h"

/* 0 = every row of SRC inserted on CONN (*ROWS: the server's count), -1 =
 * ERR (nothing committed here: the caller's transaction rolls back). */
int load_chunk_via_bound(struct cs_conn *conn, const struct load_chunk_job *job,
                         struct fmt_source *src, uint64_t *rows, struct cs_error *err);

/* Warnings are errors (load/chunk.c): the first few, named. */
int load_chunk_warnings(struct cs_conn *conn, const struct load_chunk_job *job,
                        struct cs_error *err);

#endif
