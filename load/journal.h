/*
 * journal.h - the progress journal on the target: what of which dump is done.
 *
 * Table __csload.journal (InnoDB): one row per (dump id, item).  A chunk's
 * row ("chunk:<file>") is inserted in the same transaction as the chunk's
 * rows, so after a lost connection or a kill -9 the journal, not guesswork,
 * says whether the COMMIT landed; a rerun skips exactly the committed
 * chunks.  Phases that are not transactional (tables created, indexes,
 * foreign keys, objects) get their row right after they succeed and are
 * idempotent when redone.  The dump id is the XXH3-128 of manifest.json.
 * The journal is written with the session's sql_log_bin (0 unless
 * --keep-binlog), so it is not replicated.
 * The set is read once by the coordinator; lookups are thread-safe after.
 */
#ifndef LOAD_JOURNAL_H
#define LOAD_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/conn.h"
#include "format/manifest.h"

#define LOAD_JOURNAL_SCHEMA "__csload"
#define LOAD_JOURNAL_TABLE "`__csload`.`journal`"

struct load_journal {
    char dump_id[33];
    char **items;   /* sorted */
    size_t n;
};

int load_journal_ensure(struct cs_conn *c, struct cs_error *err);
/* Forget every item of this dump (--reset-progress). */
int load_journal_reset(struct cs_conn *c, const char *dump_id, struct cs_error *err);
/* Read this dump's items into J. */
int load_journal_read(struct cs_conn *c, const char *dump_id, struct load_journal *j,
                      struct cs_error *err);
/* The same without creating anything (--dry-run): *EXISTS 0 and J empty
 * when the target has no journal yet. */
int load_journal_peek(struct cs_conn *c, const char *dump_id, struct load_journal *j, int *exists,
                      struct cs_error *err);
void load_journal_release(struct load_journal *j);
/* Every chunk row of DUMP_ID is M's, with M's rows and checksum (or, for
 * a chunk loaded before the manifest existed, its file hash): a journal
 * trusted for a resume, or written by loaders that shared a dump being
 * written (one of them maybe dead), describes this manifest.  NAME names
 * the dump in messages. */
int load_journal_check(struct cs_conn *c, const char *dump_id, const struct fmt_manifest *m,
                       const char *name, struct cs_error *err);
int load_journal_has(const struct load_journal *j, const char *item);

/* A chunk row's checksum column: the manifest's row checksum; for a chunk
 * loaded before the manifest existed (--wait-for-dump), the first 16 hex
 * digits of its file's XXH3-128 as the load read it, so whichever loader
 * finishes can check every early chunk against the manifest that came. */
#define LOAD_JOURNAL_CHECKSUM_LEN 16
const char *load_journal_early_checksum(const char *file_hash,
                                        char out[LOAD_JOURNAL_CHECKSUM_LEN + 1]);

/* The INSERT of ITEM's row, to run inside the item's own transaction. */
void load_journal_insert_sql(struct cs_buf *b, const char *dump_id, const char *item,
                             uint64_t rows, const char *checksum);
/* Autocommit insert, for phases. */
int load_journal_mark(struct cs_conn *c, const char *dump_id, const char *item,
                      struct cs_error *err);
/* Is ITEM's row there? (after a lost connection: did the COMMIT land?) */
int load_journal_lookup(struct cs_conn *c, const char *dump_id, const char *item, int *found,
                        struct cs_error *err);

/* Notes (what a cross-flavor load changed, load/compat.h) go in a detail
 * column that journals made before it lack: added on first use, so a load
 * that writes no note sends exactly what it always did, and an older csload
 * keeps working with the table (the column is NULL for its rows). */
int load_journal_ensure_detail(struct cs_conn *c, struct cs_error *err);
/* ITEM's row with DETAIL (kept as first written when the row exists). */
void load_journal_note_sql(struct cs_buf *b, const char *dump_id, const char *item,
                           const char *detail);
int load_journal_note(struct cs_conn *c, const char *dump_id, const char *item,
                      const char *detail, struct cs_error *err);

/* Item names. */
void load_journal_item(struct cs_buf *b, const char *kind, const char *schema, const char *name);

#endif
