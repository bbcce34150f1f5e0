/*
 * run.h - csdump's coordinator: one dump from options to manifest.
 *
 *   connect, read the server -> DDL guard -> catalog + DDL files ->
 *   snapshot (barrier, coordinates, proof) -> coordinates.json at once ->
 *   non-transactional tables while the barrier holds -> release ->
 *   plan tables (largest first) into the workers' queue -> wait ->
 *   DDL check -> manifest.json last, atomically.
 * On any error or SIGINT/SIGTERM: workers stopped and joined, partial files
 * removed, locks released, no manifest, non-zero exit.
 */
#ifndef DUMP_RUN_H
#define DUMP_RUN_H

#include "common/error.h"
#include "dump/config.h"

int dump_run(const struct dump_config *cfg, struct cs_error *err);

#endif
