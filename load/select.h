/*
 * select.h - csload --databases, --tables and --exclude: which part of a
 * dump is loaded.  The forms are csdump's (common/pattern.h): --databases
 * names schemas of the dump exactly; --tables takes "db.t" patterns of
 * tables, views and sequences; --exclude takes "db" (the schema with
 * everything in it) or "db.t" patterns.  A schema is loaded when --databases
 * names it, a --tables item matches in it, or neither option is given, and
 * no --exclude item names it; its routines and events go with it.  A table,
 * view or sequence is loaded when its schema is and (with --tables) a
 * --tables item matches it and no --exclude item does.  A trigger whose
 * table is left out, and a view that reads a table or view left out, are
 * left out too, each with a line.  Every item must match something of the
 * dump, else CS_ERR_USAGE naming it (csload exits 2).
 *
 * The manifest is pruned in place (fmt_manifest_keep); the rest of the
 * load sees only what is loaded.  Coordinator thread only.
 */
#ifndef LOAD_SELECT_H
#define LOAD_SELECT_H

#include "common/error.h"
#include "common/log.h"
#include "load/config.h"
#include "load/input.h"

/* Any of the three options given (pure). */
int load_select_active(const struct load_config *cfg);
/* Usage checks without the dump (pure): --tables items name their schema. */
int load_select_check(const struct load_config *cfg, struct cs_error *err);
/* SCHEMA.NAME (dump names) is a table the options select; its schema
 * too (pure, no dependencies: for chunks as an archive streams them). */
int load_select_table(const struct load_config *cfg, const char *schema, const char *name);
/* Prunes M to the selection.  LOG (may be NULL: quiet) gets a line per
 * object left out for a dependency; SUMMARY (SUMMARY_LEN bytes) what was
 * left out, "" when nothing.  IN reads the views' statements. */
int load_select_apply(const struct load_config *cfg, struct load_input *in, struct fmt_manifest *m,
                      const struct cs_log *log, char *summary, size_t summary_len,
                      struct cs_error *err);

/* The journal key of a load of part of a dump, renamed, --no-data or
 * --data-only: DUMP_ID (32 hex digits, replaced in place) hashed with
 * those options, so each such load of one dump into one target is a load
 * of its own and a rerun of the same command resumes it; DUMP_ID stays
 * for a plain load.  0, or -1 out of memory. */
int load_select_journal_key(const struct load_config *cfg, char dump_id[33], struct cs_error *err);
/* A csdump --where dump: each filtered table and its condition logged, and
 * that the dump is a subset (the condition is dump content: printed,
 * never sent to a server). */
void load_select_report_subset(const struct fmt_manifest *m, const struct cs_log *log);

#endif
