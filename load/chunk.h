/*
 * chunk.h - applying one chunk exactly once.
 *
 * In one transaction: the chunk's rows (tsv: LOAD DATA LOCAL INFILE fed from
 * the decompressor; on the bound path, arrays of 1000 rows of one prepared
 * INSERT decoded from the file; tsv without local_infile: multi-row INSERTs
 * decoded from the file; sql: the file's statements), then its journal row,
 * then COMMIT.
 * Before the COMMIT the file's bytes must have hashed to the manifest's,
 * the server must have taken exactly the manifest's row count, and there
 * must be no warning (LOAD DATA LOCAL turns duplicate keys and truncation
 * into warnings even in strict mode: a warning there is data loss).  Any
 * failure rolls the whole chunk back -- never a single statement: on
 * MariaDB 10.6+ the first transaction into an empty table runs in bulk mode,
 * where one failing statement silently rolls back everything before it.
 * A non-transactional table (MyISAM, ...) has no transaction: rows, then the
 * journal row, each autocommitted; see load/nontx.h for how exactly-once
 * holds there.  One connection per thread; the job is read-only.
 */
#ifndef LOAD_CHUNK_H
#define LOAD_CHUNK_H

#include <stdint.h>

#include "common/buf.h"
#include "common/conn.h"
#include "format/manifest.h"
#include "load/config.h"
#include "load/infile.h"
#include "load/input.h"

struct load_compat;

struct load_chunk_job {
    const struct load_config *cfg;
    struct load_input *in;
    const struct fmt_manifest *m;
    const struct fmt_table *t;
    const struct fmt_chunk *c;
    const char *dump_id;
    int use_infile;            /* tsv through LOAD DATA LOCAL */
    const struct load_compat *compat; /* cross-flavor: a sql chunk's SQL_MODE translated */
    int claim;                 /* enum load_claim (load/share.h): shared loads */
    /* A chunk found before its manifest (csload --wait-for-dump): nothing
     * to check it against yet, so its row count and file hash are handed
     * back here instead, for the check once the manifest has come. */
    uint64_t *early_rows;
    char *early_hash;          /* 33 bytes */
    /* MariaDB: the transaction runs with unique_checks=1, off the
     * bulk-insert path (load/tablepath.h) */
    int no_bulk;
    /* tsv as arrays of rows of one prepared INSERT (cs_bulk, MariaDB; the
     * bound path of load/tablepath.h) */
    int bound;
    size_t bound_bytes; /* its arrays' bytes of values (load_chunk_bound_bytes; 0:
                         * LOAD_PATH_BOUND_BYTES) */
    /* the bound path reads the next array on a second thread while the
     * server inserts the current one (load/chunk_bound.h) */
    int read_ahead;
};

/* The LOAD DATA statement for T (pure): columns in order, user variables
 * plus SET for the kinds that need a conversion. */
void load_chunk_load_sql(struct cs_buf *b, const struct fmt_table *t);
/* 0 = applied and committed; -1 = nothing committed (ERR says why; a
 * CS_ERR_CONN_LOST means the COMMIT may or may not have landed: look the
 * chunk up in the journal).  With a claim (load/share.h), the transaction
 * (then one for a non-transactional table too) first takes the chunk's
 * claim row: LOAD_CLAIM_BUSY (another loader has it) or LOAD_CLAIM_DONE
 * (journaled meanwhile) come back with nothing done. */
int load_chunk_apply(struct cs_conn *conn, struct load_infile *inf,
                     const struct load_chunk_job *job, struct cs_error *err);
/* 1 when every column of T takes its tsv value as the server gets it
 * from a string (numbers, strings, binary): its rows can go as arrays of
 * bound values (load/tablepath.h). */
int load_chunk_bindable(const struct fmt_table *t);
/* The bytes of values an array of bound rows holds on a target whose
 * max_allowed_packet is MAX_PACKET: half of it, at most 4 MiB (a row
 * bigger than that goes alone; csload checked that every row fits). */
size_t load_chunk_bound_bytes(unsigned long long max_packet);
/* The journal item of chunk C. */
void load_chunk_item(struct cs_buf *b, const struct fmt_chunk *c);

#endif
