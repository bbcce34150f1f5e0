/*
 * verify.h - recomputing a chunk's row count and data checksum on a server.
 *
 * The SELECT is the dump's: the manifest's columns with their kind's select
 * expression (format/coltype.h), FROM the table, WHERE the chunk's predicate
 * built from its typed bounds by format/chunksel.h -- the builder csdump
 * read the chunk with; no SQL text from the manifest -- (or the whole table), and the checksum is format/checksum.h's over the
 * values exactly as the server sends them, so on a faithful copy the result
 * equals the manifest's.  Rows stream; memory stays flat.  One connection
 * per thread.
 */
#ifndef LOAD_VERIFY_H
#define LOAD_VERIFY_H

#include <stdint.h>

#include "common/conn.h"
#include "format/checksum.h"
#include "format/manifest.h"

/* SCHEMA overrides t->schema when not NULL (loading under another name).
 * C NULL = the whole table. */
int load_verify_select(struct cs_conn *conn, const struct fmt_table *t, const char *schema,
                       const struct fmt_chunk *c, struct fmt_checksum *out,
                       struct cs_error *err);

#endif
