/*
 * dryrun.h - csload --dry-run: what a load of the dump would do.
 *
 * csload --dry-run runs every check a load runs before it changes the
 * target (the dump's files and statements, then on the target: flavor and
 * cross-flavor policy, session settings and their privileges,
 * max_allowed_packet, local_infile, --if-exists conflicts, definers,
 * accounts, replication) and then, instead of loading, prints the plan
 * with load_dryrun_print(): per kind of object what would be created, per
 * table its chunks, rows and bytes, what is left or replaced, what an
 * earlier run already did.  Nothing is written: the journal is only read
 * when it is there (load_journal_peek).  Coordinator only; pure except for
 * the logging.
 */
#ifndef LOAD_DRYRUN_H
#define LOAD_DRYRUN_H

#include "load/jobs.h"
#include "load/session.h"

void load_dryrun_print(const struct load_ctx *ctx, int journal_exists);

#endif
