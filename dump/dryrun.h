/*
 * dryrun.h - csdump --dry-run: what a dump would take and how, with no
 * lock, no snapshot and no file.
 *
 * The run connects, reads the server's facts and the catalog with the same
 * selection and privilege checks a dump runs (a selection that matches
 * nothing, a class of objects the user cannot see: the same errors), checks
 * the output (dump_dryrun_outdir: a directory that does not exist yet or is
 * empty, in a writable place; an archive file's directory writable) without
 * creating it, and then dump_dryrun_plan() resolves the lock mode and
 * checks the privileges it needs, plans every table's chunks on the one
 * connection (autocommit statements, no transaction left open: no metadata
 * lock outlives a statement) and prints: the mode, the DDL guard, the
 * objects per kind, rows and bytes estimated, and per table its key and
 * its units.  Fault point "dump.dryrun" (common/fault.h) is hit once the
 * plan is printed, with the connection still open.  Coordinator only.
 */
#ifndef DUMP_DRYRUN_H
#define DUMP_DRYRUN_H

#include "common/conn.h"
#include "dump/catalog.h"
#include "dump/config.h"
#include "dump/server.h"

/* What --outdir DIR / --archive FILE would need: CS_ERR_USAGE when the real
 * run would refuse it (not empty, not a directory, not writable). */
int dump_dryrun_outdir(const struct dump_config *cfg, struct cs_error *err);

int dump_dryrun_plan(struct cs_conn *conn, const struct dump_config *cfg,
                     const struct dump_server *srv, const struct dump_catalog *cat,
                     struct cs_error *err);

#endif
