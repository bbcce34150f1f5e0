/*
 * record.h - turning the run into the manifest: source, options, snapshot,
 * and each table's chunks in key order with ranges that tile the key space
 * (empty units are absorbed by their neighbours: the first chunk is open
 * below, each chunk starts where the previous ended, the last is open
 * above).  Coordinator only.
 */
#ifndef DUMP_RECORD_H
#define DUMP_RECORD_H

#include "dump/catalog.h"
#include "dump/snapshot.h"
#include "dump/work.h"
#include "format/manifest.h"

/* A manifest with the source, options and one table entry per catalog table. */
struct fmt_manifest *dump_record_begin(const struct dump_config *cfg,
                                       const struct dump_server *srv,
                                       const struct dump_catalog *cat, struct cs_error *err);
/* Snapshot facts: mode, proof, timings, coordinates. */
int dump_record_snapshot(struct fmt_manifest *m, const struct dump_snapshot *s,
                         struct cs_error *err);
/* Chunks of table TI from the workers' results (sorted and tiled here),
 * moved into M: RES is left empty. */
int dump_record_table(struct fmt_manifest *m, size_t ti,
                      struct dump_table_results *res, struct cs_error *err);
/* "2026-11-21T18:50:49Z" */
char *dump_record_now(void);

#endif
