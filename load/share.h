/*
 * share.h - several csload processes sharing one load (csload started on
 * several hosts, or several times, against the same target and dump).
 *
 * Coordination lives on the target, next to the journal (load/journal.h):
 *   - a claim row per chunk in __csload.claims (filled once per dump, under
 *     the coordination lock).  A chunk's transaction starts by locking its
 *     claim row (SELECT ... FOR UPDATE, SKIP LOCKED when the server has it)
 *     and checking the journal: a row another loader holds is "busy" (the
 *     data phase comes back to it at the end and then waits for it), a
 *     journaled one is "done".  The lock lives as long as the transaction
 *     that also commits the chunk's rows and journal row, so each chunk is
 *     committed exactly once; a loader that dies releases its row with its
 *     transaction and another one loads the chunk.
 *   - a coordination lock (GET_LOCK 'csload:<dump id>') held around the setup
 *     (journal, schemas, tables, claims) and around the final phases
 *     (indexes, verification, foreign keys, objects, replication), so those
 *     run once while the others wait; a loader that finds the load done
 *     only verifies it.
 *   - a presence lock per loader (GET_LOCK 'csload:<dump id>:<slot>', one of
 *     LOAD_SHARE_SLOTS) so a loader can tell whether others are alive (the
 *     non-transactional tables' rerun rule, load/nontx.h, must not empty a
 *     table another loader is filling).
 * Named locks go with their connection: a killed loader holds none.
 * Functions take the connection they run on; no state of their own.
 */
#ifndef LOAD_SHARE_H
#define LOAD_SHARE_H

#include "common/buf.h"
#include "common/conn.h"
#include "common/log.h"
#include "format/manifest.h"

#define LOAD_SHARE_SLOTS 64
#define LOAD_CLAIMS_TABLE "`__csload`.`claims`"

enum load_claim { LOAD_CLAIM_NONE = 0, LOAD_CLAIM_SKIP, LOAD_CLAIM_WAIT };
enum { LOAD_CLAIMED = 0, LOAD_CLAIM_BUSY = 1, LOAD_CLAIM_DONE = 2 };

/* The coordination lock, waited for (logging who waits) until CANCEL. */
int load_share_lock(struct cs_conn *c, const char *dump_id, const volatile int *cancel,
                    const struct cs_log *log, const char *what, struct cs_error *err);
void load_share_unlock(struct cs_conn *c, const char *dump_id);
/* Take a presence slot; *others = how many other loaders of the dump are alive. */
int load_share_present(struct cs_conn *c, const char *dump_id, unsigned *others,
                       struct cs_error *err);
/* Create the claims table and give every chunk of M its row (idempotent). */
int load_share_claims_fill(struct cs_conn *c, const char *dump_id, const struct fmt_manifest *m,
                           struct cs_error *err);
/* Give ITEM its claim row (a chunk found before the manifest). */
int load_share_claim_add(struct cs_conn *c, const char *dump_id, const char *item,
                         struct cs_error *err);
/* The claim statement for ITEM (pure). */
void load_share_claim_sql(struct cs_buf *b, const char *dump_id, const char *item, int skip_locked);
/* Inside the chunk's open transaction: LOAD_CLAIMED, LOAD_CLAIM_BUSY,
 * LOAD_CLAIM_DONE, or -1 with ERR. */
int load_share_claim(struct cs_conn *c, const char *dump_id, const char *item, enum load_claim mode,
                     struct cs_error *err);
/* A non-transactional table's chunk cannot share a transaction with a
 * claim row (MySQL 9 refuses mixing engines): it is claimed with a named
 * lock held on the connection while it loads, released by
 * load_share_release (or with the connection).  Same answers. */
int load_share_claim_named(struct cs_conn *c, const char *dump_id, const char *item,
                           enum load_claim mode, const volatile int *cancel, struct cs_error *err);
void load_share_release(struct cs_conn *c, const char *dump_id, const char *item);

/* A non-transactional chunk's start mark (a claim row "started:ITEM",
 * kept after the chunk is journaled): taken under its named claim before
 * its rows are written.  A mark already there without a journal row means
 * a loader died inside the chunk: -1 saying to rerun alone (load/nontx.h
 * empties the table and removes its marks).  0, or -1 with ERR. */
int load_share_nontx_begin(struct cs_conn *c, const char *dump_id, const char *item,
                           struct cs_error *err);
/* "started:ITEM" */
void load_share_started_item(struct cs_buf *b, const char *item);

#endif
