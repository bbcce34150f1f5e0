/*
 * schema.h - the DDL files: one file per database, table, view, routine,
 * trigger, event and sequence, each holding exactly one statement (as SHOW CREATE
 * gives it) followed by ";\n".  The session settings a routine, trigger,
 * event or view was created under (sql_mode, character set, time zone) go
 * into its manifest entry.  Runs on the coordinator while DDL is blocked.
 */
#ifndef DUMP_SCHEMA_H
#define DUMP_SCHEMA_H

#include "common/conn.h"
#include "dump/catalog.h"
#include "dump/config.h"
#include "format/manifest.h"

/* Writes every DDL file and fills M's objects and its tables' ddl_file
 * (M's tables must already mirror CAT's, index for index). */
/* CONN's SHOW CREATEs are shared with up to cfg->threads - 1 more
 * connections (same session, version V) when there are many objects. */
int dump_schema_write(struct cs_conn *conn, const struct dump_config *cfg,
                      const struct cs_version *v, const struct dump_catalog *cat,
                      struct fmt_manifest *m, struct cs_error *err);

/* Each sequence's state (SETVAL's value and round) into M's objects, read
 * on CONN after the snapshot was taken. */
int dump_schema_sequences(struct cs_conn *conn, struct fmt_manifest *m, struct cs_error *err);

/* Record a non-chunk file (name, size, hash of DATA) in M's file list. */
int dump_schema_add_file(struct fmt_manifest *m, const char *name, const void *data, size_t len,
                         struct cs_error *err);

#endif
