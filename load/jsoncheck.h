/*
 * jsoncheck.h - MySQL JSON columns (kind mysql-json) and the target.
 *
 * Only MySQL's JSON keeps scalar types (DECIMAL, DATE, opaque ...); MariaDB's
 * is text, and MySQL before 8.0.4 lacks the JSON_TABLE that rebuilding and
 * verifying them need.  Before anything is loaded into such a target, every
 * mysql-json column whose values carry type tags is named and the load is
 * refused: those types cannot be carried exactly.  The other mysql-json
 * columns hold plain JSON text and load as text (their kind becomes
 * utf8text, which their values' checksums equal).  A streamed archive's
 * catalog cannot count tagged values yet, so each chunk is checked again
 * as it comes.  Coordinator (target) / any thread (chunk); pure.
 */
#ifndef LOAD_JSONCHECK_H
#define LOAD_JSONCHECK_H

#include "common/error.h"
#include "common/log.h"
#include "common/version.h"
#include "format/manifest.h"

/* 0, or -1 (CS_ERR_USAGE) naming schema.table.column of each tagged
 * column when TARGET is not MySQL 8.0.4+; M's untagged mysql-json columns
 * are then turned to utf8text. */
int load_jsoncheck_target(struct fmt_manifest *m, const struct cs_version *target,
                          const struct cs_log *log, struct cs_error *err);
/* -1 when chunk C has tagged values but T no mysql-json column to rebuild
 * them (a streamed dump going into such a target). */
int load_jsoncheck_chunk(const struct fmt_table *t, const struct fmt_chunk *c,
                         struct cs_error *err);

#endif
