/*
 * where.h - csdump --where: row filters, the user's own SQL conditions for
 * the source, one for every dumped table ("condition") or for the tables a
 * "db.t:condition" item names ('%'/'*' wildcards as in --tables; a leading
 * ':' marks a condition for every table that itself starts like "a.b:").
 * A table's own item replaces the one for every table.  Each condition goes
 * into the chunk SELECT as "(key range) AND (condition)" (format/chunksel.h)
 * and is recorded in the manifest (fmt_table.where, "subset").
 *
 * dump_where_check is pure (usage, no server); dump_where_apply runs on the
 * catalog reader's thread before the workers start.
 */
#ifndef DUMP_WHERE_H
#define DUMP_WHERE_H

#include "common/error.h"
#include "common/log.h"
#include "dump/catalog.h"
#include "dump/config.h"

/* Splits one --where ITEM: *TABLE = its "db.t" pattern (malloc'd) or NULL
 * for every table, *COND points into ITEM.  -1 out of memory. */
int dump_where_split(const char *item, char **table, const char **cond);
/* Every item well formed (one condition for every table at most, no table
 * pattern twice, each condition self-contained: fmt_chunk_filter_check),
 * and no --where with --no-data.  CS_ERR_USAGE naming the item. */
int dump_where_check(const struct dump_config *cfg, struct cs_error *err);
/* Sets each catalog table's where (copied); a "db.t:" item that matches no
 * dumped table, or a table two items match, is CS_ERR_USAGE naming it.
 * Logs one line per filtered table. */
int dump_where_apply(const struct dump_config *cfg, struct dump_catalog *cat, struct cs_error *err);
/* Each filtered table's condition tried on the source (SELECT 1 ... WHERE
 * (cond) LIMIT 0) before the snapshot: one the server refuses (a column
 * the table lacks, a syntax error) is CS_ERR_USAGE naming the table and
 * the server's message. */
int dump_where_probe(struct cs_conn *conn, const struct dump_catalog *cat, struct cs_error *err);

#endif
