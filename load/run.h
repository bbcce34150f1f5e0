/*
 * run.h - csload's coordinator: one load from a dump to a verified target.
 *
 *   manifest -> target preflight -> journal -> conflicts (--if-exists) ->
 *   databases -> tables (indexes, foreign keys deferred) -> data (parallel,
 *   exactly once) -> indexes (one ALTER per table, parallel) -> verify ->
 *   foreign keys -> routines, views, triggers, events -> replication setup.
 * A rerun of the same command after any interruption skips what the journal
 * says is done and completes the rest.  Exit 0 only when everything loaded
 * (and verified, unless --no-verify).
 */
#ifndef LOAD_RUN_H
#define LOAD_RUN_H

#include "common/error.h"
#include "load/config.h"

/* 0 loaded, -1 failed, -2 bad usage found once the dump was read (a
 * selection or --rename-schema naming nothing in it): exit code 2. */
int load_run(const struct load_config *cfg, struct cs_error *err);

#endif
